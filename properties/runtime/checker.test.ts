/**
 * The runtime properties' checks (history.ts) on hand-made observations: a history a correct
 * cluster could produce passes every check, and each mutant of it (one fake observation) is
 * reported by the rule written for it. Without these, a check that can never fail would let
 * the live property pass vacuously.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Resource, TaskState, TaskStatus } from '../../spec/protocol/common.ts';
import type { SchedulerCall } from '../../spec/protocol/scheduler.ts';
import { checkEventually, checkQuiescent, checkSafety, format, splitExpected, type FwEvent, type FwHistory, type History, type TaskCommand, type Violation } from './history.ts';

const test = suite('runtime properties: the checks catch fake observations');

const total: Resource[] = [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
  { name: 'mem', type: 'SCALAR', scalar: { value: 1024 } },
];
const S0 = 'M-S0';
const S1 = 'M-S1';
const res = (cpus: number, mem: number): Resource[] => [
  { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
  { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
];

/** Builds one framework's events with a running clock and call numbers. */
class Fw {
  readonly h: FwHistory;
  t = 0;
  private id = 0;
  private uuids = 0;
  constructor(name: string, tasks: Record<string, TaskCommand>, o: { checkpoint?: boolean; partitionAware?: boolean; kind?: 'launch' | 'decline' } = {}) {
    this.h = { name, kind: o.kind ?? 'launch', checkpoint: o.checkpoint ?? false, partitionAware: o.partitionAware ?? false, refuseSeconds: 5, tasks, ghosts: [], events: [] };
  }
  private push(e: FwEvent): this {
    this.h.events.push(e);
    return this;
  }
  at(t: number): this {
    this.t = t;
    return this;
  }
  subscribed(fid = `fid-${this.h.name}`): this {
    return this.push({ t: this.t++, kind: 'subscribed', fid });
  }
  call(call: SchedulerCall, status: number | undefined = 202): this {
    const id = ++this.id;
    this.push({ t: this.t++, kind: 'call', id, call });
    return this.push({ t: this.t++, kind: 'answer', id, ...(status !== undefined ? { status } : { error: 'reset' }) });
  }
  offer(id: string, agent: string, cpus = 2, mem = 1024): this {
    return this.push({
      t: this.t++,
      kind: 'offers',
      offers: [{ id: { value: id }, framework_id: { value: `fid-${this.h.name}` }, agent_id: { value: agent }, hostname: 'h', resources: res(cpus, mem) }],
    });
  }
  accept(offer: string, agent: string, tasks: string[]): this {
    return this.call({
      type: 'ACCEPT',
      framework_id: { value: `fid-${this.h.name}` },
      accept: {
        offer_ids: [{ value: offer }],
        operations: [{ type: 'LAUNCH', launch: { task_infos: tasks.map((t) => ({ name: t, task_id: { value: t }, agent_id: { value: agent }, resources: res(0.5, 128) })) } }],
      },
    });
  }
  decline(offer: string, seconds: number): this {
    return this.call({ type: 'DECLINE', framework_id: { value: `fid-${this.h.name}` }, decline: { offer_ids: [{ value: offer }], filters: { refuse_seconds: seconds } } });
  }
  /** A reliable update and its acknowledgement (answered `ack`, or none made with null). */
  reliable(task: string, state: TaskState, o: { ack?: number | null; uuid?: string; source?: TaskStatus['source'] } = {}): this {
    const uuid = o.uuid ?? `u${++this.uuids}`;
    this.update({ task_id: { value: task }, state, source: o.source ?? 'SOURCE_EXECUTOR', uuid, agent_id: { value: S0 } });
    if (o.ack === null) return this;
    return this.call(
      { type: 'ACKNOWLEDGE', framework_id: { value: `fid-${this.h.name}` }, acknowledge: { agent_id: { value: S0 }, task_id: { value: task }, uuid } },
      o.ack ?? 202,
    );
  }
  master(task: string, state: TaskState, reason: TaskStatus['reason'] = 'REASON_RECONCILIATION'): this {
    return this.update({ task_id: { value: task }, state, source: 'SOURCE_MASTER', reason });
  }
  update(status: TaskStatus): this {
    return this.push({ t: this.t++, kind: 'update', status });
  }
  reconcile(tasks: string[]): this {
    return this.call({ type: 'RECONCILE', framework_id: { value: `fid-${this.h.name}` }, reconcile: { tasks: tasks.map((t) => ({ task_id: { value: t } })) } });
  }
  quiescent(): this {
    return this.push({ t: this.t++, kind: 'quiescent' });
  }
  /** A task's whole life: STARTING, RUNNING, and how it ended, each acknowledged. */
  life(task: string, end: TaskState | null): this {
    this.reliable(task, 'TASK_STARTING').reliable(task, 'TASK_RUNNING');
    return end ? this.reliable(task, end) : this;
  }
}

function history(...fws: Fw[]): History {
  return {
    agents: [
      { index: 0, id: S0, total },
      { index: 1, id: S1, total },
    ],
    agentEvents: [],
    frameworks: fws.map((f) => f.h),
  };
}

function all(h: History): Violation[] {
  return [...checkSafety(h), ...checkEventually(h, { launchAll: true }), ...checkQuiescent(h, { now: 1000 })];
}

function caught(h: History, rule: string): void {
  const v = all(h);
  assert.ok(
    v.some((x) => x.rule === rule),
    `expected a '${rule}' violation, got ${v.length ? v.map(format).join('; ') : 'none'}`,
  );
}

/** A correct run: an `exit 0`, an `exit 1`, a `sleep` running; reconciliation at quiescence. */
function good(): Fw {
  return new Fw('f', { a: 'exit 0', b: 'exit 1', c: 'sleep 30' })
    .subscribed()
    .offer('O1', S0)
    .accept('O1', S0, ['a', 'b', 'c'])
    .life('a', 'TASK_FINISHED')
    .life('b', 'TASK_FAILED')
    .life('c', null)
    .quiescent()
    .reconcile(['a', 'b', 'c', 'ghost'])
    .master('a', 'TASK_LOST')
    .master('b', 'TASK_LOST')
    .master('c', 'TASK_RUNNING')
    .master('ghost', 'TASK_LOST')
    .reconcile([])
    .master('c', 'TASK_RUNNING');
}

test('a correct history passes every check', () => {
  const f = good();
  f.h.ghosts.push('ghost');
  assert.equal(all(history(f)).map(format), []);
});

test('backward and past-terminal updates: updatesInOrder', () => {
  caught(
    history(new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', null).reliable('a', 'TASK_STARTING').reliable('a', 'TASK_FINISHED')),
    'updatesInOrder',
  );
  caught(history(new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', 'TASK_FINISHED').reliable('a', 'TASK_RUNNING')), 'updatesInOrder');
  // A retry (same uuid) is not a step back, but a uuid that changes its state is.
  caught(
    history(
      new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).reliable('a', 'TASK_STARTING', { uuid: 'x' }).reliable('a', 'TASK_RUNNING', { uuid: 'x' }),
    ),
    'updatesInOrder',
  );
});

test("the master's LOST left without the agent coming back: taskStatesForward", () => {
  const f = () =>
    new Fw('f', { a: 'sleep 30' }, { checkpoint: false })
      .subscribed()
      .offer('O1', S0)
      .accept('O1', S0, ['a'])
      .life('a', null)
      .master('a', 'TASK_LOST', 'REASON_AGENT_DISCONNECTED')
      .at(100);
  caught(history(f().reliable('a', 'TASK_KILLED')), 'taskStatesForward');
  const h = history(f().reliable('a', 'TASK_KILLED'));
  h.agentEvents.push({ t: 50, agent: 0, kind: 'restart' });
  assert.not.ok(
    checkSafety(h).some((v) => v.rule === 'taskStatesForward'),
    'allowed once the agent came back',
  );
});

test('a master update with a uuid, an executor update without: noneInvented', () => {
  caught(
    history(
      new Fw('f', { a: 'exit 0' })
        .subscribed()
        .offer('O1', S0)
        .accept('O1', S0, ['a'])
        .update({ task_id: { value: 'a' }, state: 'TASK_LOST', source: 'SOURCE_MASTER', uuid: 'm1' }),
    ),
    'noneInvented',
  );
  caught(
    history(
      new Fw('f', { a: 'exit 0' })
        .subscribed()
        .offer('O1', S0)
        .accept('O1', S0, ['a'])
        .update({ task_id: { value: 'a' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' }),
    ),
    'noneInvented',
  );
});

test('an update never acknowledged, or only refused: acknowledged', () => {
  caught(
    history(new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).reliable('a', 'TASK_STARTING', { ack: null }).life('a', 'TASK_FINISHED')),
    'acknowledged',
  );
  caught(
    history(
      new Fw('f', { a: 'exit 0' })
        .subscribed()
        .offer('O1', S0)
        .accept('O1', S0, ['a'])
        .reliable('a', 'TASK_STARTING')
        .reliable('a', 'TASK_RUNNING')
        .reliable('a', 'TASK_FINISHED', { ack: 400 }),
    ),
    'acknowledged',
  );
});

test('an acknowledgement of something never received: acknowledgedAfterDelivery', () => {
  const f = new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', 'TASK_FINISHED');
  f.call({ type: 'ACKNOWLEDGE', framework_id: { value: 'fid-f' }, acknowledge: { agent_id: { value: S0 }, task_id: { value: 'a' }, uuid: 'never' } });
  caught(history(f), 'acknowledgedAfterDelivery');
});

test("another framework's task or offer: frameworkIsolation", () => {
  caught(history(new Fw('f', { a: 'exit 0' }).subscribed().master('someone-elses', 'TASK_RUNNING')), 'frameworkIsolation');
  const f = new Fw('f', {}).subscribed();
  f.h.events.push({ t: 9, kind: 'offers', offers: [{ id: { value: 'O9' }, framework_id: { value: 'fid-g' }, agent_id: { value: S0 }, hostname: 'h', resources: res(1, 1) }] });
  caught(history(f), 'frameworkIsolation');
});

test('offers: beyond the total, an id twice, of a dead agent, over a running task, within a filter', () => {
  caught(history(new Fw('f', {}, { kind: 'decline' }).subscribed().offer('O1', S0, 3, 1024)), 'noOverAllocation');
  caught(history(new Fw('f', {}, { kind: 'decline' }).subscribed().offer('O1', S0).offer('O1', S0)), 'offerIdsUsedOnce');
  const dead = history(new Fw('f', {}, { kind: 'decline' }).subscribed().at(8000).offer('O1', S1));
  dead.agentEvents.push({ t: 100, agent: 1, kind: 'kill' });
  caught(dead, 'offerOfDeadAgent');
  // g's sleep runs on S0 with 0.5 cpus; f is offered all 2 cpus of S0.
  const g = new Fw('g', { s: 'sleep 30' }).subscribed().offer('O1', S0).accept('O1', S0, ['s']).life('s', null);
  const f = new Fw('f', {}, { kind: 'decline' }).at(100).subscribed().offer('O2', S0);
  caught(history(g, f), 'offersDisjoint');
  caught(history(new Fw('f', {}, { kind: 'decline' }).subscribed().offer('O1', S0).decline('O1', 5).at(1000).offer('O2', S0)), 'declineFilter');
  caught(history(new Fw('f', {}, { kind: 'decline' }).subscribed().offer('O1', 'M-S9')), 'offerAgent');
  assert.equal(
    checkSafety(history(new Fw('f', {}, { kind: 'decline' }).subscribed().offer('O1', S0).decline('O1', 5).at(6000).offer('O2', S0))).map(format),
    [],
    'after the filter',
  );
});

test('reconciliation: behind the last reliable state, a wrong answer at quiescence, an unknown id, implicit too much', () => {
  caught(
    history(new Fw('f', { a: 'sleep 30' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', null).reconcile(['a']).master('a', 'TASK_STARTING')),
    'reconcileLatest',
  );
  caught(
    history(new Fw('f', { a: 'sleep 30' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', null).quiescent().reconcile(['a']).master('a', 'TASK_STAGING')),
    'reconcileLatest',
  );
  const ghost = new Fw('f', {}).subscribed().reconcile(['nobody']).master('nobody', 'TASK_RUNNING');
  ghost.h.ghosts.push('nobody');
  caught(history(ghost), 'reconcileUnknown');
  caught(
    history(new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', 'TASK_FINISHED').quiescent().reconcile([]).master('a', 'TASK_FINISHED')),
    'reconcileImplicit',
  );
  // An explicit reconciliation at quiescence that the master accepted and never answered.
  caught(history(new Fw('f', { a: 'sleep 30' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', null).quiescent().reconcile(['a'])), 'reconcileAnswered');
});

test('a call the master never answered is reported (the checks would read an incomplete record)', () => {
  const f = new Fw('f', {}, { kind: 'decline' }).subscribed().offer('O1', S0);
  f.h.events.push({ t: 99, kind: 'call', id: 99, call: { type: 'DECLINE', framework_id: { value: 'fid-f' }, decline: { offer_ids: [{ value: 'O1' }] } } });
  caught(history(f), 'callAnswered');
});

test('eventually: stuck, misreported, with an update missing after a restart, never launched', () => {
  caught(history(new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', null)), 'eventuallyTerminal');
  caught(history(new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', 'TASK_FAILED')), 'exitReported');
  const gap = new Fw('f', { a: 'exit 0' }, { checkpoint: true })
    .subscribed()
    .offer('O1', S0)
    .accept('O1', S0, ['a'])
    .reliable('a', 'TASK_STARTING')
    .at(500)
    .reliable('a', 'TASK_FINISHED');
  const h = history(gap);
  h.agentEvents.push({ t: 100, agent: 0, kind: 'kill' }, { t: 200, agent: 0, kind: 'restart' });
  caught(h, 'deliveredAfterRestart');
  caught(history(new Fw('f', { a: 'exit 0', b: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', 'TASK_FINISHED')), 'eventuallyLaunched');
});

test('a task lost with its agent while its framework was away is over once reconciliation says so (as in Mesos)', () => {
  const f = new Fw('f', { s: 'sleep 30' }, { partitionAware: true }).subscribed().offer('O1', S0).accept('O1', S0, ['s']).life('s', null).at(100);
  f.h.events.push({ t: 100, kind: 'drop' });
  f.at(200).subscribed().reconcile(['s']).master('s', 'TASK_UNKNOWN');
  const h = history(f);
  h.agentEvents.push({ t: 100, agent: 0, kind: 'kill' }, { t: 150, agent: 0, kind: 'restart' });
  assert.equal([...checkSafety(h), ...checkEventually(h)].map(format), []);
  // Without the agent's death, the master forgetting a running task is a violation.
  const alive = history(
    new Fw('f', { s: 'sleep 30' }, { partitionAware: true }).subscribed().offer('O1', S0).accept('O1', S0, ['s']).life('s', null).reconcile(['s']).master('s', 'TASK_UNKNOWN'),
  );
  caught(alive, 'reconcileLatest');
  caught(alive, 'eventuallyRunning');
});

test('the open finding is an expected failure; the fixed ones fail like any rule', () => {
  // The open one: an ACCEPT refused (403: the subscription dropped meanwhile) is never made again.
  const refused = new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0);
  refused.call(
    {
      type: 'ACCEPT',
      framework_id: { value: 'fid-f' },
      accept: {
        offer_ids: [{ value: 'O1' }],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'a', task_id: { value: 'a' }, agent_id: { value: S0 }, resources: res(0.5, 128) }] } }],
      },
    },
    403,
  );
  refused.subscribed().reconcile(['a']).master('a', 'TASK_LOST');
  const found = checkEventually(history(refused), { launchAll: true });
  assert.equal(
    found.map((v) => v.rule),
    ['refusedAcceptAbandoned'],
  );
  assert.equal(splitExpected(found).unexpected, []);
  // A fixed one: a task of a framework that does not checkpoint, whose agent died, never told it ended.
  const orphan = new Fw('f', { a: 'exit 0' }).subscribed().offer('O1', S0).accept('O1', S0, ['a']).life('a', null).at(100);
  const h = history(orphan);
  h.agentEvents.push({ t: 50, agent: 0, kind: 'kill' }, { t: 60, agent: 0, kind: 'restart' });
  assert.equal(
    splitExpected(checkEventually(h)).unexpected.map((v) => v.rule),
    ['lostNotReported'],
  );
  // With the master's TASK_LOST it is an ordinary ended task.
  orphan.master('a', 'TASK_LOST', 'REASON_AGENT_DISCONNECTED');
  assert.equal(checkEventually(h).map(format), []);
});

test.run();
