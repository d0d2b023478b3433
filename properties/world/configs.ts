/**
 * Configurations for the world properties: larger than the checker can exhaust, every fault
 * kind with a budget. Channels are roomier than the checked configurations' (an ACCEPT of four
 * tasks sends four RUN_TASKs at once; with a bound of 3 it could never be delivered).
 */
import type { FrameworkConfig, MesosConfig, TaskOutcome } from '../../spec/world/config.ts';

const OUTCOMES: readonly TaskOutcome[] = ['finish', 'fail', 'any', 'never'];

function framework(j: number, tasks: number): FrameworkConfig {
  const letter = String.fromCharCode(97 + j);
  const ids = Array.from({ length: tasks }, (_, k) => `${letter}${k + 1}`);
  return {
    name: `fw-${letter}`,
    partitionAware: j % 2 === 0,
    checkpoint: j % 4 !== 3,
    failoverTimeoutSeconds: j % 4 === 3 ? 0 : 60,
    reconcile: (['explicit', 'implicit', 'none', 'explicit'] as const)[j % 4],
    tasks: ids.map((id, k) => ({ id, resources: 'cpus:1;mem:256', outcome: OUTCOMES[(j + k) % OUTCOMES.length]! })),
    kill: ids.filter((_, k) => k % 3 === 0),
    ...(j % 4 === 2 ? { teardown: true } : {}),
  };
}

/** 5 agents, 4 frameworks with 5 tasks each (every outcome, kills, a teardown), every fault. */
export const large: MesosConfig = {
  name: 'property-large',
  description: '5 agents, 4 frameworks, 20 tasks; losses, agent crashes, framework failovers, a master failover, a partition',
  agents: [{ resources: 'cpus:4;mem:2048', count: 5 }],
  frameworks: Array.from({ length: 4 }, (_, j) => framework(j, 5)),
  faults: { loss: 3, agentCrash: 2, frameworkFailover: 2, masterFailover: 1, partition: 1 },
  channelBound: 8,
  timing: 'eager',
  master: { maxAgentPingTimeouts: 2 },
};

/** 2 agents, 2 frameworks, 4 tasks: small enough for walks to reach quiescence. */
export const medium: MesosConfig = {
  name: 'property-medium',
  description: '2 agents, 2 frameworks, 4 tasks; one of every fault',
  agents: [{ resources: 'cpus:2;mem:1024', count: 2 }],
  frameworks: Array.from({ length: 2 }, (_, j) => framework(j, 2)),
  faults: { loss: 1, agentCrash: 1, frameworkFailover: 1, masterFailover: 1, partition: 1 },
  channelBound: 4,
  timing: 'eager',
  master: { maxAgentPingTimeouts: 2 },
};
