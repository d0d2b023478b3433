/**
 * Time as a parameter: the master's and agents' timeouts are fields of the configuration, flags
 * of `mesos-ref master` and `agent`, and what a scenario's cluster is started with (the offer
 * timeout too, carried from the configuration into each scenario's environment). Bad values
 * name the field or flag; the model's timers take the configured values.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAgentFlags } from '../../cli/agent.ts';
import { masterTimeouts, UsageError } from '../../cli/common.ts';
import { agentTimeoutArgv, startOwnCluster } from '../../impl/conformance/index.ts';
import { checkConfig } from '../../impl/config.ts';
import { request } from '../../impl/http/client.ts';
import { modelSchema, suiteOf } from './support.ts';
import { configs } from '../../model/configs.ts';
import { validateConfig } from '../../spec/world/config.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';

test('mesos-ref master: the timeout flags become the machine flags; bad ones name the flag', () => {
  assert.equal(masterTimeouts({ agentReregisterTimeout: '10secs', agentPingTimeout: '2secs', maxAgentPingTimeouts: '3' }), {
    agentPingTimeoutMs: 2000,
    maxAgentPingTimeouts: 3,
    agentReregisterTimeoutMs: 10_000,
  });
  assert.equal(masterTimeouts({}), {});
  assert.equal(masterTimeouts({ offerTimeout: '30secs' }), { offerTimeoutMs: 30_000 });
  assert.throws(
    () => masterTimeouts({ offerTimeout: '5x' }),
    (e: unknown) => e instanceof UsageError && /'--offer_timeout': expected a duration such as/.test(e.message),
  );
  assert.throws(
    () => masterTimeouts({ offerTimeout: '0secs' }),
    (e: unknown) => e instanceof UsageError && /'--offer_timeout': expected a duration above zero/.test(e.message),
  );
  assert.throws(
    () => masterTimeouts({ agentReregisterTimeout: 'soon' }),
    (e: unknown) => e instanceof UsageError && /'--agent_reregister_timeout'/.test(e.message),
  );
  assert.throws(
    () => masterTimeouts({ agentPingTimeout: '0secs' }),
    (e: unknown) => e instanceof UsageError && /'--agent_ping_timeout': expected a duration above zero/.test(e.message),
  );
  assert.throws(
    () => masterTimeouts({ maxAgentPingTimeouts: '0' }),
    (e: unknown) => e instanceof UsageError && /'--max_agent_ping_timeouts'/.test(e.message),
  );
});

test('mesos-ref agent: --recovery_timeout and --executor-terminal-ack-timeout, as the runner passes them', () => {
  const base = { master: 'http://127.0.0.1:5050', resources: 'cpus:1;mem:128', port: '0', ip: '127.0.0.1', workDir: '/tmp/x', authenticateHttpExecutors: true, insecure: false };
  const argv = agentTimeoutArgv({ recoveryTimeoutMs: 10_000, executorTerminalAckTimeoutMs: 7000, executorRegistrationTimeoutMs: 20_000, executorShutdownGracePeriodMs: 1000 });
  assert.equal(argv, [
    '--executor-registration-timeout',
    '20000ms',
    '--recovery-timeout',
    '10000ms',
    '--executor-shutdown-grace-period',
    '1000ms',
    '--executor-terminal-ack-timeout',
    '7000ms',
  ]);
  const parsed = parseAgentFlags({
    ...base,
    executorRegistrationTimeout: '20000ms',
    recoveryTimeout: '10000ms',
    executorShutdownGracePeriod: '1000ms',
    executorTerminalAckTimeout: '7000ms',
  });
  assert.equal(parsed.flags, { executorRegistrationTimeoutMs: 20_000, recoveryTimeoutMs: 10_000, executorShutdownGraceMs: 1000, executorTerminalAckTimeoutMs: 7000 });
  assert.throws(
    () => parseAgentFlags({ ...base, recoveryTimeout: 'later' }),
    (e: unknown) => e instanceof UsageError && /'--recovery-timeout'/.test(e.message),
  );
});

test("a configuration's timeouts: checked by name, and the model's timers take them", () => {
  assert.equal(validateConfig({ ...configs.default, timeouts: { recoveryTimeoutMs: 0, agentReregisterTimeoutMs: 'soon' } }), [
    "'timeouts.agentReregisterTimeoutMs': expected an integer >= 1",
    "'timeouts.recoveryTimeoutMs': expected an integer >= 1",
  ]);
  const world = mesosWorld({ ...configs.default!, timeouts: { agentReregisterTimeoutMs: 4000, recoveryTimeoutMs: 3000, executorTerminalAckTimeoutMs: 2000 } });
  const master = world.system.components.find((c) => c.name === 'master')!;
  assert.is((master.input as { flags: { agentReregisterTimeoutMs: number } }).flags.agentReregisterTimeoutMs, 4000);
  const agent = world.system.components.find((c) => c.name === 'agent-0')!;
  assert.equal((agent.input as { flags: object }).flags, { recoveryTimeoutMs: 3000, executorTerminalAckTimeoutMs: 2000 });
  // Without timeouts the model is what it was: no flags beyond its own.
  const plain = mesosWorld(configs.default!).system.components.find((c) => c.name === 'agent-0')!;
  assert.is((plain.input as { flags?: object }).flags, undefined);
});

test("the offer timeout is a configuration's timeout like the others: checked by name, the model's master takes it", () => {
  assert.equal(validateConfig({ ...configs.default, timeouts: { offerTimeoutMs: 0.5 } }), ["'timeouts.offerTimeoutMs': expected an integer >= 1"]);
  const master = mesosWorld(configs.operators!).system.components.find((c) => c.name === 'master')!;
  assert.is((master.input as { flags: { offerTimeoutMs?: number } }).flags.offerTimeoutMs, 30_000);
  // Its old place is refused by name, not ignored (a configuration would lose its offer timeout).
  const moved = { ...configs.operators!, master: { agentPings: false, offerTimeoutSeconds: 30 } };
  const loaded = checkConfig(moved);
  assert.ok(!loaded.ok && loaded.errors.some((e) => /^'master': .*\('offerTimeoutSeconds'\)$/.test(e)), JSON.stringify(loaded));
});

test('a suite of a configuration with an offer timeout carries it into every scenario, and the runner starts its master with it', async () => {
  const { scenarios } = suiteOf('operators');
  assert.ok(scenarios.length > 0);
  for (const x of scenarios) assert.is(x.environment.timeouts?.offerTimeoutMs, 30_000, x.name);
  for (const x of scenarios) assert.ok(modelSchema('Scenario.json')(x), x.name);
  // No agents: only the master is started, as the runner starts it for this environment.
  const cluster = await startOwnCluster([], { timeouts: scenarios[0]!.environment.timeouts! });
  try {
    const res = await request(`${cluster.masterUrl}/api/v1`, { method: 'POST', body: '{"type":"GET_FLAGS"}', headers: { 'Content-Type': 'application/json' } });
    const flags = (JSON.parse(res.body) as { get_flags: { flags: { name: string; value: string }[] } }).get_flags.flags;
    assert.equal(
      flags.find((f) => f.name === 'offer_timeout'),
      { name: 'offer_timeout', value: '30secs' },
    );
  } finally {
    await cluster.stop();
  }
});

test.run();
