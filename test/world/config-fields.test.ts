/**
 * The configuration fields issue 9's coverage needed: a task's kill policy
 * (`killGracePeriodSeconds`) and the agent's `--executor_shutdown_grace_period`
 * (`timeouts.executorShutdownGracePeriodMs`). Bad values name the field; good ones reach the
 * machines (the scheduler's TaskInfo, the agent's flags).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configs } from '../../model/configs.ts';
import { validateConfig, type MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';

const withKillPolicy = (seconds: unknown): MesosConfig => {
  const base = configs.default!;
  const [f] = base.frameworks;
  return { ...base, frameworks: [{ ...f!, tasks: [{ ...f!.tasks[0]!, killGracePeriodSeconds: seconds as number }] }] };
};

test("a task's kill policy: checked by name, and the polite scheduler launches with it", () => {
  assert.equal(validateConfig(withKillPolicy(-1)), ["'frameworks[0].tasks[0].killGracePeriodSeconds': expected a number of seconds >= 0"]);
  assert.equal(validateConfig(withKillPolicy('5s')), ["'frameworks[0].tasks[0].killGracePeriodSeconds': expected a number of seconds >= 0"]);
  assert.equal(validateConfig(withKillPolicy(2.5)), []);
  const scheduler = mesosWorld(withKillPolicy(2.5)).system.components.find((c) => c.name === 'fw-0')!;
  const [t] = (scheduler.input as { tasks: { kill_policy?: unknown }[] }).tasks;
  assert.equal(t!.kill_policy, { grace_period: { nanoseconds: 2_500_000_000 } });
  // Without one the TaskInfo has none, as before.
  const plain = mesosWorld(configs.default!).system.components.find((c) => c.name === 'fw-0')!;
  assert.is((plain.input as { tasks: { kill_policy?: unknown }[] }).tasks[0]!.kill_policy, undefined);
});

test("the agent's executor shutdown grace period: checked by name, and the agent's flags take it", () => {
  assert.equal(validateConfig({ ...configs.default, timeouts: { executorShutdownGracePeriodMs: 0 } }), ["'timeouts.executorShutdownGracePeriodMs': expected an integer >= 1"]);
  const agent = mesosWorld(configs['shutdown-while-killing']!).system.components.find((c) => c.name === 'agent-0')!;
  assert.equal((agent.input as { flags: object }).flags, { executorShutdownGraceMs: 4000, recoveryTimeoutMs: 10_000, executorTerminalAckTimeoutMs: 10_000 });
});

test.run();
