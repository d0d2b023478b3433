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
import { ActionKind } from '../../spec/world/action-code.ts';

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

test('early timers: checked by name, and only the registration timeout fires early', () => {
  assert.equal(validateConfig({ ...configs.default, earlyTimers: 'EXECUTOR_REGISTRATION_TIMEOUT' as never }), [
    "'earlyTimers': expected an array of EXECUTOR_REGISTRATION_TIMEOUT",
  ]);
  assert.equal(validateConfig({ ...configs.default, earlyTimers: ['PING_DUE' as never] }), ["'earlyTimers[0]': expected one of EXECUTOR_REGISTRATION_TIMEOUT"]);
  assert.equal(validateConfig(configs['slow-launch']!), []);
  // With it, the agent's registration timer is enabled while messages are in flight, and no other timer is; without it, none is.
  const early = earlyTimersSeen(configs['slow-launch']!);
  assert.ok(early.length > 0 && early.every((t) => t === 'EXECUTOR_REGISTRATION_TIMEOUT'), early.join('; '));
  assert.equal(earlyTimersSeen({ ...configs['slow-launch']!, earlyTimers: [] }), []);
});

/** The timers enabled, within 12 steps of the start, in a state where a message is in flight. */
function earlyTimersSeen(config: MesosConfig): string[] {
  const sys = mesosWorld(config).system;
  const early: string[] = [];
  const seen = new Set<string>();
  let frontier: Int32Array[] = [];
  sys.init((s) => frontier.push(s));
  for (let depth = 0; depth < 12; depth++) {
    const next: Int32Array[] = [];
    for (const s of frontier) {
      const busy = !sys.layout.networkIdle(s);
      sys.actions(s, (a) => {
        const d = sys.describe(s, a);
        if (busy && d.kind === ActionKind.Timer) early.push(d.event?.type ?? d.label);
        const t = new Int32Array(s.length);
        if (!sys.next(s, a, t)) return;
        const key = t.join(',');
        if (!seen.has(key)) (seen.add(key), next.push(t));
      });
    }
    frontier = next;
  }
  return early;
}

test.run();
