/**
 * The command executor machine: its status sequence, kills (with and without TASK_KILLING),
 * grace periods and escalation, shutdown, acknowledgements, disconnection and re-subscription,
 * every named guard against its negation, and determinism.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, localKey, step, type Effect, type Local, type StepResult } from '../../spec/step.ts';
import { executorMachine, type ExecutorContext, type ExecutorInput } from '../../spec/machines/executor.ts';
import type { FrameworkInfo, TaskInfo } from '../../spec/protocol/common.ts';
import { guardNames, negatedOutcome } from '../support/mutants.ts';
import { prng } from '../support/prng.ts';

// ------------------------------------------------------------------------------------ harness

const AGENT = 'agent-0';
const SELF = 'agent-0/F1/t1';

function input(framework: Partial<FrameworkInfo> = {}, extra: Partial<ExecutorInput> = {}): ExecutorInput {
  return {
    self: SELF,
    agent: AGENT,
    framework_id: { value: 'F1' },
    executor_id: { value: 't1' },
    framework_info: { user: 'u', name: 'F1', id: { value: 'F1' }, ...framework },
    seed: `${SELF}@0`,
    ...extra,
  };
}

const task = (id = 't1', extra: Partial<TaskInfo> = {}): TaskInfo => ({
  name: id,
  task_id: { value: id },
  agent_id: { value: 'S0' },
  command: { value: 'sleep 1' },
  ...extra,
});

/** One executor, stepped by hand; `out` collects every effect in order. */
class Exec {
  local: Local;
  out: Effect[] = [];
  constructor(
    inp: ExecutorInput = input(),
    readonly machine: AnyStateMachine = executorMachine,
  ) {
    const r = initial(machine, inp);
    this.local = r.local;
    this.out.push(...r.effects);
  }
  get ctx(): ExecutorContext {
    return this.local.context as ExecutorContext;
  }
  take(r: StepResult): this {
    this.local = r.local;
    this.out.push(...r.effects);
    return this;
  }
  ev(event: AnyEventObject): this {
    return this.take(step(this.machine, this.local, { ...event }));
  }
  fire(id: string): this {
    return this.take(fire(this.machine, this.local, id));
  }
  /** Take (and clear) the effects so far. */
  drain(): Effect[] {
    const out = this.out;
    this.out = [];
    return out;
  }
  value(): string {
    return JSON.stringify(this.local.value);
  }
  timer(id: string): number | undefined {
    return this.local.timers.find((t) => t.id === id)?.delay;
  }
}

const sends = (effects: Effect[]) => effects.filter((e) => e.type === 'send').map((e) => e.msg as AnyEventObject);
const updateStates = (effects: Effect[]) =>
  sends(effects)
    .filter((m) => m.type === 'UPDATE')
    .map((m) => m.update.status.state);
const signals = (effects: Effect[]) => effects.filter((e) => e.type === 'process').map((e) => (e.op === 'start' ? 'start' : (e.signal as string)));
const stopOf = (effects: Effect[]) => effects.find((e) => e.type === 'stop');

function subscribed(framework: Partial<FrameworkInfo> = {}, extra: Partial<ExecutorInput> = {}, machine: AnyStateMachine = executorMachine): Exec {
  return new Exec(input(framework, extra), machine).ev({ type: 'SUBSCRIBED', subscribed: {}, from: AGENT });
}

function running(framework: Partial<FrameworkInfo> = {}, t: TaskInfo = task(), machine: AnyStateMachine = executorMachine): Exec {
  const x = subscribed(framework, {}, machine).ev({ type: 'LAUNCH', launch: { task: t } });
  x.drain();
  return x;
}

function ack(x: Exec, index: number): Exec {
  const u = x.ctx.unacked[index]!;
  return x.ev({ type: 'ACKNOWLEDGED', acknowledged: { task_id: u.status.task_id, uuid: u.status.uuid } });
}

// ------------------------------------------------------------------------------------ lifecycle

test('a new executor subscribes at once; SUBSCRIBED moves it to subscribed', () => {
  const x = new Exec();
  assert.is(x.value(), '{"live":{"connection":"subscribing","task":"idle"}}');
  assert.equal(sends(x.drain()), [{ type: 'SUBSCRIBE', subscribe: {}, executor_id: { value: 't1' }, framework_id: { value: 'F1' } }]);
  assert.equal(x.local.timers, [], 'no blind retry while a SUBSCRIBE is in flight');
  x.ev({ type: 'SUBSCRIBED', subscribed: {} });
  assert.is(x.value(), '{"live":{"connection":"subscribed","task":"idle"}}');
  assert.ok(x.ctx.subscribed);
});

test('a checkpointing executor retries a failed SUBSCRIBE after subscribeRetryMs', () => {
  const x = new Exec(input({ checkpoint: true }));
  x.drain();
  x.ev({ type: 'SUBSCRIBE_FAILED', reason: 'unreachable' });
  assert.is(x.timer('subscribe-retry'), 1000);
  x.fire('subscribe-retry');
  assert.equal(
    sends(x.drain()).map((m) => m.type),
    ['SUBSCRIBE'],
  );
  x.ev({ type: 'SUBSCRIBED', subscribed: {} });
  assert.equal(x.local.timers, []);
});

test('a non-checkpointing executor that cannot reach its agent ends (it cannot outlive its agent)', () => {
  const x = new Exec(input({ checkpoint: false }));
  x.drain();
  x.ev({ type: 'SUBSCRIBE_FAILED', reason: 'unreachable' });
  assert.is(x.value(), '"gone"');
  assert.equal(x.local.timers, []);
});

test('an executor whose SUBSCRIBE the agent rejects (it does not know it) ends, checkpointing or not', () => {
  for (const checkpoint of [true, false]) {
    const x = new Exec(input({ checkpoint }));
    x.drain();
    x.ev({ type: 'SUBSCRIBE_FAILED', reason: 'rejected' });
    assert.is(x.value(), '"gone"', `checkpoint ${checkpoint}`);
  }
});

test('a non-checkpointing executor whose agent is busy (503 while recovering) asks again', () => {
  const x = new Exec(input({ checkpoint: false }));
  x.drain();
  x.ev({ type: 'SUBSCRIBE_FAILED', reason: 'busy' });
  assert.is(x.timer('subscribe-retry'), 1000);
  x.fire('subscribe-retry');
  assert.equal(
    sends(x.drain()).map((m) => m.type),
    ['SUBSCRIBE'],
  );
});

test('LAUNCH: TASK_STARTING, the process starts, TASK_RUNNING; updates kept until acknowledged', () => {
  const x = subscribed();
  x.drain();
  x.ev({ type: 'LAUNCH', launch: { task: task() } });
  const out = x.drain();
  assert.equal(
    out.map((e) => (e.type === 'send' ? (e.msg as AnyEventObject).update.status.state : e.type)),
    ['TASK_STARTING', 'process', 'TASK_RUNNING'],
  );
  const [starting] = sends(out);
  assert.equal(starting!.update.status.source, 'SOURCE_EXECUTOR');
  assert.equal(starting!.update.status.executor_id, { value: 't1' });
  assert.is(typeof starting!.update.status.uuid, 'string');
  assert.is(x.ctx.unacked.length, 2);
  assert.is(x.value(), '{"live":{"connection":"subscribed","task":"running"}}');
  ack(x, 0);
  assert.is(x.ctx.unacked.length, 1);
  assert.ok(x.ctx.acknowledged);
});

test('the process exits 0: TASK_FINISHED; non-zero: TASK_FAILED "Command exited with status N"', () => {
  for (const [status, state] of [
    [0, 'TASK_FINISHED'],
    [2, 'TASK_FAILED'],
  ] as const) {
    const x = running();
    x.ev({ type: 'PROCESS_EXITED', status });
    const [u] = sends(x.drain());
    assert.is(u!.update.status.state, state);
    assert.is(u!.update.status.message, `Command exited with status ${status}`);
    assert.is(x.value(), '{"live":{"connection":"subscribed","task":"exited"}}');
    assert.is(x.timer('terminal-ack'), 60000);
  }
});

test('the terminal update acknowledged: the executor stops and notifies its agent', () => {
  const x = running();
  x.ev({ type: 'PROCESS_EXITED', status: 0 });
  ack(x, 0);
  ack(x, 0);
  assert.is(stopOf(x.out), undefined);
  x.drain();
  ack(x, 0);
  const stop = stopOf(x.drain());
  assert.equal(stop, {
    type: 'stop',
    notify: [{ to: AGENT, event: { type: 'EXECUTOR_TERMINATED', framework_id: { value: 'F1' }, executor_id: { value: 't1' }, status: 0 } }],
  });
  assert.is(x.value(), '"gone"');
});

test('an acknowledgement of an unknown uuid is ignored', () => {
  const x = running();
  const before = localKey(x.local);
  x.ev({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 't1' }, uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' } });
  assert.is(localKey(x.local), before);
});

test('no acknowledgement of the terminal update: exit with a failure after 60 s', () => {
  const x = running();
  x.ev({ type: 'PROCESS_EXITED', status: 0 });
  x.drain();
  x.fire('terminal-ack');
  assert.is((stopOf(x.drain())!.notify as { event: { status: number } }[])[0]!.event.status, 256);
});

test('a second LAUNCH fails the new task: "Attempted to run multiple tasks using a \\"command\\" executor"', () => {
  const x = running();
  x.ev({ type: 'LAUNCH', launch: { task: task('t2') } });
  const [u] = sends(x.drain());
  assert.equal(u!.update.status.task_id, { value: 't2' });
  assert.is(u!.update.status.state, 'TASK_FAILED');
  assert.is(u!.update.status.message, 'Attempted to run multiple tasks using a "command" executor');
  assert.is(x.value(), '{"live":{"connection":"subscribed","task":"running"}}');
});

// ------------------------------------------------------------------------------------ kill

test('KILL with TASK_KILLING_STATE: TASK_KILLING, SIGTERM, escalation in 3 s; exit reports TASK_KILLED', () => {
  const x = running({ capabilities: [{ type: 'TASK_KILLING_STATE' }] });
  x.ev({ type: 'KILL', kill: { task_id: { value: 't1' } } });
  const out = x.drain();
  assert.equal(updateStates(out), ['TASK_KILLING']);
  assert.equal(signals(out), ['SIGTERM']);
  assert.is(x.timer('escalate'), 3000);
  x.ev({ type: 'PROCESS_EXITED', status: 0, signal: 'Terminated' });
  const [killed] = sends(x.drain());
  assert.is(killed!.update.status.state, 'TASK_KILLED');
  assert.is(killed!.update.status.message, 'Command terminated with signal Terminated');
  assert.is(x.timer('escalate'), undefined);
});

test('KILL without TASK_KILLING_STATE: no TASK_KILLING, straight to SIGTERM', () => {
  const x = running();
  x.ev({ type: 'KILL', kill: { task_id: { value: 't1' } } });
  const out = x.drain();
  assert.equal(updateStates(out), []);
  assert.equal(signals(out), ['SIGTERM']);
});

test('grace escalation: SIGKILL when the grace period ends; the exit is still TASK_KILLED', () => {
  const x = running();
  x.ev({ type: 'KILL', kill: { task_id: { value: 't1' } } });
  x.drain();
  x.fire('escalate');
  assert.equal(signals(x.drain()), ['SIGKILL']);
  x.ev({ type: 'PROCESS_EXITED', status: 0, signal: 'Killed' });
  assert.equal(updateStates(x.drain()), ['TASK_KILLED']);
});

test("a process that ignores SIGTERM (the model's `stubborn`) ends only after the escalation's SIGKILL", () => {
  const x = running();
  x.ev({ type: 'KILL', kill: { task_id: { value: 't1' } } });
  x.drain();
  const stubbornExit = { type: 'PROCESS_EXITED', status: 9, signal: 'Killed', answersSignal: true, ignoresSigterm: true };
  x.ev(stubbornExit);
  assert.equal(sends(x.drain()), [], 'SIGTERM alone does not end it');
  x.fire('escalate');
  assert.equal(signals(x.drain()), ['SIGKILL']);
  x.ev(stubbornExit);
  const [killed] = sends(x.drain());
  assert.is(killed!.update.status.state, 'TASK_KILLED');
  assert.is(killed!.update.status.message, 'Command terminated with signal Killed');
});

test("grace period: KILL's kill policy > the task's kill policy > 3 s", () => {
  const seconds = (s: number) => ({ grace_period: { nanoseconds: s * 1e9 } });
  const own = running({}, task('t1', { kill_policy: seconds(7) }));
  own.ev({ type: 'KILL', kill: { task_id: { value: 't1' } } });
  assert.is(own.timer('escalate'), 7000);
  const override = running({}, task('t1', { kill_policy: seconds(7) }));
  override.ev({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: seconds(2) } });
  assert.is(override.timer('escalate'), 2000);
});

test('a repeated KILL only shortens the grace period', () => {
  const seconds = (s: number) => ({ grace_period: { nanoseconds: s * 1e9 } });
  const x = running();
  x.ev({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: seconds(10) } });
  x.drain();
  const before = localKey(x.local);
  x.ev({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: seconds(20) } });
  assert.is(localKey(x.local), before);
  x.ev({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: seconds(1) } });
  assert.is(x.timer('escalate'), 1000);
  assert.equal(signals(x.drain()), [], 'no second SIGTERM');
});

test('KILL before any LAUNCH, or for another task, is fatal (MESOS-8297)', () => {
  const idle = subscribed();
  idle.ev({ type: 'KILL', kill: { task_id: { value: 't1' } } });
  assert.is(idle.value(), '"gone"');
  const other = running();
  other.ev({ type: 'KILL', kill: { task_id: { value: 'zz' } } });
  assert.is(other.value(), '"gone"');
  assert.equal(signals(other.out), ['SIGKILL']);
});

test('SHUTDOWN: kills the task with the shutdown grace minus 2 s; an idle executor exits at once', () => {
  const x = running({ capabilities: [{ type: 'TASK_KILLING_STATE' }] });
  x.ev({ type: 'SHUTDOWN' });
  const out = x.drain();
  assert.equal(updateStates(out), ['TASK_KILLING']);
  assert.equal(signals(out), ['SIGTERM']);
  assert.is(x.timer('escalate'), 3000);
  const idle = subscribed();
  idle.drain();
  idle.ev({ type: 'SHUTDOWN' });
  assert.is(idle.value(), '"gone"');
  assert.is((stopOf(idle.out)!.notify as { event: { status: number } }[])[0]!.event.status, 0);
  // Before SUBSCRIBED too (the agent answers SUBSCRIBE with SHUTDOWN).
  const early = new Exec();
  early.ev({ type: 'SHUTDOWN' });
  assert.is(early.value(), '"gone"');
});

// ------------------------------------------------------------------------------------ disconnection

test('checkpointing: a broken agent link keeps the executor; it re-subscribes with its unacknowledged updates and task', () => {
  const x = running({ checkpoint: true });
  ack(x, 0);
  x.drain();
  x.ev({ type: 'LINK_BROKEN', peer: AGENT });
  assert.is(x.value(), '{"live":{"connection":"disconnected","task":"running"}}');
  assert.not.ok(x.ctx.subscribed);
  assert.is(x.timer('recovery'), 15 * 60 * 1000);
  assert.is(x.timer('subscribe-retry'), 1000);
  const [sub] = sends(x.drain());
  assert.equal(
    sub!.subscribe.unacknowledged_updates.map((u: { status: { state: string } }) => u.status.state),
    ['TASK_RUNNING'],
  );
  assert.is(sub!.subscribe.unacknowledged_tasks, undefined, 'an update of the task was acknowledged');
  // The process exits while disconnected: the update waits.
  x.ev({ type: 'PROCESS_EXITED', status: 0 });
  assert.equal(sends(x.drain()), []);
  // The retry timer resends (and returns to the same local state).
  const before = localKey(x.local);
  x.fire('subscribe-retry');
  assert.is(localKey(x.local), before);
  const [again] = sends(x.drain());
  assert.equal(
    again!.subscribe.unacknowledged_updates.map((u: { status: { state: string } }) => u.status.state),
    ['TASK_RUNNING', 'TASK_FINISHED'],
  );
  x.ev({ type: 'SUBSCRIBED', subscribed: {} });
  assert.is(x.value(), '{"live":{"connection":"subscribed","task":"exited"}}');
  assert.equal(
    x.local.timers.map((t) => t.id),
    ['terminal-ack'],
  );
});

test('checkpointing: the unacknowledged task is resent while no update of it was acknowledged', () => {
  const x = running({ checkpoint: true });
  x.ev({ type: 'LINK_BROKEN', peer: AGENT });
  const [sub] = sends(x.drain());
  assert.equal(
    sub!.subscribe.unacknowledged_tasks.map((t: TaskInfo) => t.task_id.value),
    ['t1'],
  );
});

test('checkpointing: the recovery timeout ends the executor (killing its process)', () => {
  const x = running({ checkpoint: true });
  x.ev({ type: 'LINK_BROKEN', peer: AGENT });
  x.drain();
  x.fire('recovery');
  assert.is(x.value(), '"gone"');
  const out = x.drain();
  assert.equal(signals(out), ['SIGKILL']);
  assert.is((stopOf(out)!.notify as { event: { status: number } }[])[0]!.event.status, 9);
});

test('not checkpointing: a broken agent link ends the executor at once', () => {
  const x = running();
  x.ev({ type: 'LINK_BROKEN', peer: AGENT });
  assert.is(x.value(), '"gone"');
  assert.equal(signals(x.out), ['SIGKILL']);
  const idle = new Exec();
  idle.ev({ type: 'LINK_BROKEN', peer: AGENT });
  assert.is(idle.value(), '"gone"');
});

test('a broken link to someone else is ignored', () => {
  const x = running();
  const before = localKey(x.local);
  x.ev({ type: 'LINK_BROKEN', peer: 'master' });
  assert.is(localKey(x.local), before);
});

// ------------------------------------------------------------------------------------ guards

const seconds = (s: number) => ({ grace_period: { nanoseconds: s * 1e9 } });

/** For every guard, a scenario whose observable outcome changes when the guard is negated. */
const guardScenarios: Record<string, (m: AnyStateMachine) => string> = {
  checkpointing: (m) => running({ checkpoint: true }, task(), m).ev({ type: 'LINK_BROKEN', peer: AGENT }).value(),
  agentLinkBroken: (m) => running({}, task(), m).ev({ type: 'LINK_BROKEN', peer: 'master' }).value(),
  agentBusy: (m) => new Exec(input({ checkpoint: false }), m).ev({ type: 'SUBSCRIBE_FAILED', reason: 'busy' }).value(),
  agentUnreachable: (m) => new Exec(input({ checkpoint: true }), m).ev({ type: 'SUBSCRIBE_FAILED', reason: 'unreachable' }).value(),
  killTargetsTask: (m) =>
    running({}, task(), m)
      .ev({ type: 'KILL', kill: { task_id: { value: 't1' } } })
      .value(),
  killShortensGrace: (m) =>
    String(
      running({}, task(), m)
        .ev({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: seconds(10) } })
        .ev({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: seconds(1) } })
        .timer('escalate'),
    ),
  shutdownShortensGrace: (m) =>
    String(
      running({}, task(), m)
        .ev({ type: 'KILL', kill: { task_id: { value: 't1' }, kill_policy: seconds(10) } })
        .ev({ type: 'SHUTDOWN' })
        .timer('escalate'),
    ),
  frameworkUnderstandsKilling: (m) =>
    updateStates(running({ capabilities: [{ type: 'TASK_KILLING_STATE' }] }, task(), m).ev({ type: 'KILL', kill: { task_id: { value: 't1' } } }).out).join(),
  exitedCleanly: (m) => updateStates(running({}, task(), m).ev({ type: 'PROCESS_EXITED', status: 0 }).out).join(),
  // The model's exit in answer to a signal does not happen while the task runs unsignalled.
  exitedOnItsOwn: (m) => running({}, task(), m).ev({ type: 'PROCESS_EXITED', status: 15, signal: 'Terminated', answersSignal: true }).value(),
  // A process that ignores SIGTERM does not die of it.
  needsSigkill: (m) =>
    running({}, task(), m)
      .ev({ type: 'KILL', kill: { task_id: { value: 't1' } } })
      .ev({ type: 'PROCESS_EXITED', status: 9, signal: 'Killed', answersSignal: true, ignoresSigterm: true })
      .value(),
  acksPendingUpdate: (m) => String(ack(running({}, task(), m), 0).ctx.unacked.length),
  acksTerminalUpdate: (m) => {
    // Only the terminal update's acknowledgement ends the executor (STARTING's does not).
    const x = running({}, task(), m).ev({ type: 'PROCESS_EXITED', status: 0 });
    return ack(x, 0).value();
  },
};

test('every executor guard has a scenario', () => {
  assert.equal(Object.keys(guardScenarios).sort(), guardNames(executorMachine));
});

for (const name of Object.keys(guardScenarios).sort()) {
  test(`negating guard ${name} changes the outcome`, () => {
    const scenario = guardScenarios[name]!;
    const original = scenario(executorMachine);
    const mutant = negatedOutcome(executorMachine, name, scenario);
    assert.is.not(mutant, original);
  });
}

// ------------------------------------------------------------------------------------ determinism

function randomRun(seed: number, length: number): string[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let x = new Exec(input({ checkpoint: rand() < 0.5, capabilities: rand() < 0.5 ? [{ type: 'TASK_KILLING_STATE' }] : [] }));
  const trace: string[] = [localKey(x.local)];
  for (let i = 0; i < length; i++) {
    if (x.value() === '"gone"') x = new Exec(input({ checkpoint: true }));
    const c = x.ctx;
    const events: AnyEventObject[] = [
      { type: 'SUBSCRIBED', subscribed: {} },
      { type: 'LAUNCH', launch: { task: task(pick(['t1', 't2']), rand() < 0.5 ? { kill_policy: seconds(pick([1, 5])) } : {}) } },
      { type: 'KILL', kill: { task_id: { value: 't1' }, ...(rand() < 0.5 ? { kill_policy: seconds(pick([1, 2, 9])) } : {}) } },
      { type: 'SHUTDOWN' },
      { type: 'PROCESS_EXITED', status: pick([0, 1]) },
      { type: 'LINK_BROKEN', peer: pick([AGENT, 'master']) },
      { type: 'SUBSCRIBE_FAILED', reason: pick(['busy', 'rejected', 'unreachable'] as const) },
    ];
    if (c.unacked.length > 0) {
      const u = pick(c.unacked);
      events.push({ type: 'ACKNOWLEDGED', acknowledged: { task_id: u.status.task_id, uuid: u.status.uuid } });
    }
    const timers = x.local.timers.map((t) => t.id);
    if (timers.length > 0 && rand() < 0.3) x.fire(pick(timers));
    else x.ev(pick(events));
    trace.push(localKey(x.local) + JSON.stringify(x.drain()));
  }
  return trace;
}

test('determinism: long pseudo-random event sequences run twice give identical results', () => {
  for (const seed of [1, 7, 42, 2024]) {
    const a = randomRun(seed, 400);
    const b = randomRun(seed, 400);
    assert.equal(a, b);
    assert.ok(new Set(a).size > 20, 'the run explores more than a handful of states');
  }
});

test.run();
