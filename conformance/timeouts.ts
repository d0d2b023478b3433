/**
 * The timeouts a conformance suite is generated and replayed with. Mesos's defaults make a
 * runner wait up to 15 minutes for one timer (an executor's recovery timeout, the master's agent
 * reregistration timeout); the model has no clock, so the same traces hold with short values,
 * and the runner starts its clusters with them (scenario.environment.timeouts). Each is long
 * enough that what the trace does before the timer fires (an agent process restarting, an
 * executor starting) happens first on a loaded machine, and short enough that a suite runs in
 * minutes. A configuration's own `timeouts` win over these.
 */
import type { ClusterTimeouts, MesosConfig } from '../spec/world/config.ts';

/** No offer timeout: its presence is part of the model (offers may be rescinded), so only a configuration sets one. */
export const CONFORMANCE_TIMEOUTS: ClusterTimeouts = {
  agentReregisterTimeoutMs: 10_000,
  executorRegistrationTimeoutMs: 20_000,
  recoveryTimeoutMs: 10_000,
  executorTerminalAckTimeoutMs: 10_000,
};

/** A framework's failover timeout in scenarios, at most (its FrameworkInfo.failover_timeout). */
export const CONFORMANCE_FAILOVER_TIMEOUT_SECONDS = 10;

/** `config` with the conformance timeouts where it sets none, and frameworks failing over within seconds. */
export function withConformanceTimeouts(config: MesosConfig): MesosConfig {
  return {
    ...config,
    timeouts: { ...CONFORMANCE_TIMEOUTS, ...config.timeouts },
    frameworks: config.frameworks.map((f) =>
      f.failoverTimeoutSeconds > CONFORMANCE_FAILOVER_TIMEOUT_SECONDS ? { ...f, failoverTimeoutSeconds: CONFORMANCE_FAILOVER_TIMEOUT_SECONDS } : f,
    ),
  };
}
