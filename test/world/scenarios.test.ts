/**
 * End-to-end scenarios: the Mesos world (spec/world/mesos.ts) driven by a script through
 * spec/world/scenario.ts. Each scenario says what the framework receives and what the master's
 * and the agent's books hold, and checks the world's `always` invariants along the way (and the
 * `eventually` ones wherever the world is quiescent).
 *
 * Configurations are written here, one per scenario, with faults enabled only where needed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { Scenario, ScenarioError } from '../../spec/world/scenario.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { master } from '../../spec/machines/master.ts';
import { scheduler } from '../../spec/machines/scheduler.ts';
import { negatedOutcome } from '../support/mutants.ts';
import { NO_FAULTS, type FaultBudgets, type FrameworkConfig, type MesosConfig, type TaskConfig } from '../../spec/world/config.ts';
import type { TaskStatus } from '../../spec/protocol/common.ts';
import { fromWire, mustParseResources, clearAllocationRole, equals, describeResources, EMPTY } from '../../spec/resources/index.ts';
import { readerOf } from '../../model/mesos-model.ts';
import { invariants } from '../../invariants/index.ts';

// ------------------------------------------------------------------------------------ configurations

const task = (id: string, resources = 'cpus:1;mem:128', outcome: TaskConfig['outcome'] = 'finish'): TaskConfig => ({ id, resources, outcome });

const framework = (name: string, extra: Partial<FrameworkConfig> = {}): FrameworkConfig => ({
  name,
  partitionAware: true,
  checkpoint: true,
  failoverTimeoutSeconds: 60,
  tasks: [task('t1')],
  ...extra,
});

function config(name: string, o: { agents?: string; frameworks?: FrameworkConfig[]; faults?: Partial<FaultBudgets>; pings?: boolean; channelBound?: number } = {}): MesosConfig {
  const pings = o.pings ?? false;
  return {
    name,
    agents: [{ resources: o.agents ?? 'cpus:2;mem:1024' }],
    frameworks: o.frameworks ?? [framework('fw-a')],
    faults: { ...NO_FAULTS, ...o.faults },
    channelBound: o.channelBound ?? 3,
    timing: 'eager',
    master: pings ? { maxAgentPingTimeouts: 2 } : { agentPings: false },
  };
}

// ------------------------------------------------------------------------------------ helpers

/** Delivers the first enabled message (except to `except`); false when nothing can be delivered. */
function step1(sc: Scenario, except: readonly string[] = []): boolean {
  const before = sc.steps.length;
  try {
    sc.settle({ limit: 1, except });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
  }
  return sc.steps.length > before;
}

/** Delivers messages one at a time until `done()` holds. */
function until(sc: Scenario, done: () => boolean, except: readonly string[] = []): void {
  for (let i = 0; i < 500; i++) {
    if (done()) return;
    if (!step1(sc, except)) throw new Error(`until: the network is idle and the condition does not hold; enabled: ${sc.options().join('; ')}`);
  }
  throw new Error('until: no end');
}

/**
 * Puts `msg` (sent by `from`) into the channel `from -> to`, as if `from` had sent it: what a
 * misbehaving framework would do. Scenario has no such method yet (proposed: `Scenario.inject`);
 * until then this writes the channel's words directly, the way System.enqueue does (a bag keeps
 * its words sorted; fresh offer ids must already be the canonical ones the master holds).
 */
function inject(sc: Scenario, from: string, to: string, msg: AnyEventObject): void {
  const sys = sc.world.system;
  const chan = sys.channel(from, to);
  if (chan === undefined) throw new Error(`inject: no channel ${from} -> ${to}`);
  const { offset, length: bound } = sys.channelSpan(chan);
  const word = sys.internEvent({ ...msg, from }) + 1;
  const s = Int32Array.from(sc.state);
  const len = sys.channelLength(s, chan);
  if (len >= bound) throw new Error(`inject: channel ${from} -> ${to} is full`);
  let p = len;
  if (sys.channels[chan]!.kind === 'bag') {
    while (p > 0 && s[offset + p - 1]! > word) {
      s[offset + p] = s[offset + p - 1]!;
      p--;
    }
  }
  s[offset + p] = word;
  sc.state = s;
}

/** A scheduler call of `fw` as its current instance would send it (framework id, stream id). */
function callOf(sc: Scenario, fw: string, body: AnyEventObject): AnyEventObject {
  const s = sc.scheduler(fw);
  return { ...body, framework_id: { value: s.framework_id! }, ...(s.stream_id ? { stream_id: s.stream_id } : {}) };
}

const statusOf = (e: AnyEventObject): TaskStatus => (e.update as { status: TaskStatus }).status;
const headOf = (sc: Scenario, from: string, to: string): AnyEventObject | undefined => sc.inFlight(from, to)[0];
const headState = (sc: Scenario, from: string, to: string): string | undefined => {
  const e = headOf(sc, from, to);
  return e?.type === 'STATUS_UPDATE' ? (e.update as { status: TaskStatus }).status.state : undefined;
};

/** The `task STATE [REASON]` lines of the updates `fw` received from the `n`th event on. */
function updatesFrom(sc: Scenario, fw: string, n: number): string[] {
  return sc
    .received(fw)
    .slice(n)
    .filter((e) => e.type === 'UPDATE')
    .map((e) => {
      const s = statusOf(e);
      return `${s.task_id.value} ${s.state}${s.reason ? ` ${s.reason}` : ''}`;
    });
}

/** Offered resources (v1 wire form) are exactly `expected` (agent flag syntax). */
function sameResources(wire: unknown, expected: string, what: string): void {
  const p = fromWire(wire ?? []);
  if (!p.ok) throw new Error(p.error);
  const actual = clearAllocationRole(p.value);
  assert.ok(equals(actual, mustParseResources(expected)), `${what}: ${describeResources(actual)}, expected ${expected}`);
}

/** What the allocator has allocated (offered or in use) on the one agent, by framework id. */
function allocatedByFramework(sc: Scenario): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of sc.master().allocator.agents) for (const x of a.allocated) out[x.frameworkId] = describeResources(x.resources);
  return out;
}

/** Every `always` invariant holds now; every `eventually` one too if the world is quiescent. */
function invariantsHold(sc: Scenario, where: string): void {
  const w = readerOf(sc.world, sc.state);
  const quiet = sc.world.system.quiescent(sc.state);
  for (const inv of invariants) {
    if (inv.kind === 'sometimes' || (inv.kind === 'eventually' && !quiet)) continue;
    const broken = inv.master ? (w.master() ? inv.master(w.master()!) : null) : inv.world!(w);
    assert.is(broken, null, `${where}: invariant ${inv.name} is broken: ${broken}`);
  }
}

/** Runs `scenario` up to the first allocation: agents registered, frameworks subscribed. */
function started(cfg: MesosConfig): Scenario {
  const sc = new Scenario(cfg);
  sc.settle();
  return sc;
}

/** The framework's tasks launched and acknowledged up to TASK_RUNNING. */
function running(cfg: MesosConfig): Scenario {
  const sc = started(cfg);
  sc.fire('master', 'allocation');
  sc.settle();
  return sc;
}

const timersFired = (sc: Scenario, from: number) =>
  sc.steps
    .slice(from)
    .filter((s) => s.label.includes(': timer '))
    .map((s) => s.label);

// ------------------------------------------------------------------------------------ the walk-through

test('walk-through: 4 cpus / 4 GB offered to A, which launches <2, 1 GB> and <1, 2 GB>; the rest goes to B', () => {
  const cfg = config('walk-through', {
    agents: 'cpus:4;mem:4096',
    frameworks: [
      framework('A', {
        partitionAware: false,
        checkpoint: false,
        failoverTimeoutSeconds: 0,
        tasks: [task('a1', 'cpus:2;mem:1024', 'never'), task('a2', 'cpus:1;mem:2048', 'never')],
      }),
      framework('B', { partitionAware: false, checkpoint: false, failoverTimeoutSeconds: 0, tasks: [task('b1', 'cpus:1;mem:1024', 'never')] }),
    ],
    channelBound: 4,
  });
  const sc = started(cfg);
  const [A, B] = [sc.scheduler('fw-0').framework_id!, sc.scheduler('fw-1').framework_id!];

  // First allocation: the whole agent to A (equal shares; A has the smaller id).
  sc.fire('master', 'allocation');
  sc.deliver('master', 'fw-0', 'OFFERS');
  const [offerA] = (sc.received('fw-0', 'OFFERS')[0]!.offers as { offers: { resources: unknown; agent_id: { value: string } }[] }).offers;
  sameResources(offerA!.resources, 'cpus:4;mem:4096', "A's offer");
  assert.is(sc.received('fw-1', 'OFFERS').length, 0, 'B gets nothing while A holds the agent');

  // A answers with one ACCEPT launching both tasks.
  const accept = sc.deliver('fw-0', 'master', 'ACCEPT');
  const launched = (accept.accept as { operations: { launch: { task_infos: { task_id: { value: string } }[] } }[] }).operations.flatMap((o) =>
    o.launch.task_infos.map((t) => t.task_id.value),
  );
  assert.equal(launched, ['a1', 'a2']);
  assert.equal(Object.keys(sc.master().frameworks[A]!.tasks).sort(), ['a1', 'a2']);
  assert.equal(
    Object.values(sc.master().frameworks[A]!.tasks).map((r) => r.task.state),
    ['TASK_STAGING', 'TASK_STAGING'],
  );
  // The leftover <1 cpu, 1 GB> is declined implicitly, with a filter for A.
  assert.is(describeResources(sc.master().allocator.agents[0]!.available), 'cpus:1; mem:1024', 'free after the ACCEPT');
  assert.equal(allocatedByFramework(sc), { [A]: 'cpus:3; mem:3072' });
  assert.equal(
    sc
      .master()
      .allocator.frameworks.find((f) => f.frameworkId === A)!
      .filters.map((f) => describeResources(f.resources)),
    ['cpus:1; mem:1024'],
  );
  sc.settle();
  invariantsHold(sc, 'after A launched');

  // Next allocation: the rest, <1 cpu, 1 GB>, to B.
  sc.fire('master', 'allocation');
  sc.deliver('master', 'fw-1', 'OFFERS');
  const [offerB] = (sc.received('fw-1', 'OFFERS')[0]!.offers as { offers: { resources: unknown }[] }).offers;
  sameResources(offerB!.resources, 'cpus:1;mem:1024', "B's offer");
  sc.settle();
  assert.is(sc.received('fw-0', 'OFFERS').length, 1, 'A is not offered its leftover again (filter, then suppressed)');

  assert.equal(sc.updates('fw-0'), ['a1 TASK_STARTING', 'a1 TASK_RUNNING', 'a2 TASK_STARTING', 'a2 TASK_RUNNING']);
  assert.equal(sc.updates('fw-1'), ['b1 TASK_STARTING', 'b1 TASK_RUNNING']);
  // The books: the agent is fully allocated, 3 cpus / 3 GB to A, 1 cpu / 1 GB to B.
  assert.equal(allocatedByFramework(sc), { [A]: 'cpus:3; mem:3072', [B]: 'cpus:1; mem:1024' });
  assert.equal(sc.master().allocator.agents[0]!.available, EMPTY);
  const agent = sc.agent();
  assert.equal(Object.keys(agent.frameworks[A]!.executors).sort(), ['a1', 'a2']);
  assert.equal(Object.keys(agent.frameworks[B]!.executors), ['b1']);
  for (const [fid, tid] of [
    [A, 'a1'],
    [A, 'a2'],
    [B, 'b1'],
  ] as const) {
    assert.is(agent.frameworks[fid]!.executors[tid]!.launched[tid]!.state, 'TASK_RUNNING');
    assert.is(sc.master().frameworks[fid]!.tasks[tid]!.task.state, 'TASK_RUNNING');
  }
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ happy path

test('happy path: STARTING, RUNNING, FINISHED, each acknowledged; the terminal ack ends the task everywhere', () => {
  const sc = running(config('happy'));
  const fid = sc.scheduler().framework_id!;
  assert.is(sc.master().frameworks[fid]!.tasks.t1!.task.state, 'TASK_RUNNING');
  assert.equal(allocatedByFramework(sc), { [fid]: 'cpus:1; mem:128' });

  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  // Up to the framework's ACKNOWLEDGE of TASK_FINISHED, not yet delivered to the master.
  until(sc, () =>
    sc
      .inFlight('fw-0', 'master')
      .some(
        (e) =>
          e.type === 'ACKNOWLEDGE' &&
          (e.acknowledge as { uuid: string }).uuid === statusOf(sc.received('fw-0', 'UPDATE').at(-1)!).uuid &&
          statusOf(sc.received('fw-0', 'UPDATE').at(-1)!).state === 'TASK_FINISHED',
      ),
  );
  // Terminal but unacknowledged: the master still books the task, its resources already released.
  const booked = sc.master().frameworks[fid]!.tasks.t1;
  assert.ok(booked, 'the master keeps the task until the terminal update is acknowledged');
  assert.is(booked!.task.state, 'TASK_FINISHED');
  assert.equal(allocatedByFramework(sc), {}, 'resources are released on the terminal state, before the ack');
  invariantsHold(sc, 'terminal, unacknowledged');

  sc.deliver('fw-0', 'master', 'ACKNOWLEDGE');
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined, 'the terminal ack removes the task');
  assert.equal(sc.master().frameworks[fid]!.completed, ['t1']);
  sc.settle();

  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING', 't1 TASK_FINISHED']);
  // Every update carried a uuid and was acknowledged once, with that uuid, and reached the agent.
  const uuids = sc.received('fw-0', 'UPDATE').map((e) => statusOf(e).uuid);
  assert.ok(
    uuids.every((u) => typeof u === 'string'),
    'agent-forwarded updates carry a uuid',
  );
  assert.equal(
    sc.received('master', 'ACKNOWLEDGE').map((e) => (e.acknowledge as { uuid: string }).uuid),
    uuids,
  );
  assert.equal(
    sc.received('agent-0', 'STATUS_UPDATE_ACK').map((e) => e.uuid),
    uuids,
  );
  // The agent completed the task (framework and stream gone); the executor exited.
  assert.equal(sc.agent().frameworks, {});
  assert.equal(sc.agent().streams, {});
  assert.is(sc.executor('agent-0/t1'), null, 'the executor exits once its terminal update is acknowledged');
  assert.equal(
    sc.scheduler().log.t1!.map((u) => u.state),
    ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'],
  );
  // The leftover filter expires: nothing is left to happen but keep-alive timers.
  sc.fire('master', 'filter:');
  sc.settle();
  assert.ok(sc.world.system.quiescent(sc.state), 'quiescent at the end');
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ lost updates

test('a lost RUNNING update is sent again by the retry timer and reaches the framework exactly once', () => {
  const sc = started(config('lost-update', { faults: { loss: 1 } }));
  sc.fire('master', 'allocation');
  until(sc, () => headState(sc, 'agent-0', 'master') === 'TASK_RUNNING');
  const lost = sc.lose('agent-0', 'master');
  sc.settle();
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING'], 'nothing else arrives while the update is lost');
  assert.ok(
    sc.options().some((o) => o.includes('timer retry:')),
    'the stream retry timer is pending',
  );
  const fid = sc.scheduler().framework_id!;
  assert.is(sc.master().frameworks[fid]!.tasks.t1!.task.state, 'TASK_STARTING', 'the master has not heard of RUNNING');

  sc.fire('agent-0', 'retry:');
  const resent = headOf(sc, 'agent-0', 'master')!;
  assert.equal(resent.update, lost.update, 'the very same update (same uuid) is sent again');
  sc.settle();
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING']);
  assert.is(sc.received('master', 'STATUS_UPDATE').filter((e) => (e.update as { status: TaskStatus }).status.state === 'TASK_RUNNING').length, 1);
  assert.not.ok(
    sc.options().some((o) => o.includes('timer retry:')),
    'acknowledged: no retry pending',
  );
  assert.is(sc.master().frameworks[fid]!.tasks.t1!.task.state, 'TASK_RUNNING');
  invariantsHold(sc, 'end');
});

test('a lost ACKNOWLEDGE: the update is delivered again (at least once), logged once, acknowledged again', () => {
  const sc = started(config('lost-ack', { faults: { loss: 1 } }));
  sc.fire('master', 'allocation');
  until(sc, () => sc.inFlight('fw-0', 'master').some((e) => e.type === 'ACKNOWLEDGE'));
  sc.lose('fw-0', 'master');
  sc.settle();
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING'], 'RUNNING waits behind the unacknowledged STARTING');
  sc.fire('agent-0', 'retry:');
  sc.settle();
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_STARTING', 't1 TASK_RUNNING']);
  const [first, second] = sc.received('fw-0', 'UPDATE').map((e) => statusOf(e).uuid);
  assert.is(first, second, 'the duplicate has the same uuid');
  assert.equal(
    sc.scheduler().log.t1!.map((u) => u.state),
    ['TASK_STARTING', 'TASK_RUNNING'],
    'the framework logs each uuid once',
  );
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ invalid launches

test('a second LAUNCH of a task id in use gets TASK_ERROR REASON_TASK_INVALID "Task has duplicate ID"', () => {
  const sc = running(config('duplicate-id'));
  const fid = sc.scheduler().framework_id!;
  // The framework asks for offers again and tries to launch t1 once more.
  inject(sc, 'fw-0', 'master', callOf(sc, 'fw-0', { type: 'REVIVE' }));
  sc.settle();
  sc.fire('master', 'allocation');
  const [offerId] = Object.keys(sc.master().offers);
  assert.ok(offerId, 'the revived framework is offered the rest of the agent');
  const duplicate = {
    name: 't1',
    task_id: { value: 't1' },
    agent_id: { value: sc.master().offers[offerId!]!.agent_id },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
    command: { value: 'exit 0', shell: true },
  };
  inject(
    sc,
    'fw-0',
    'master',
    callOf(sc, 'fw-0', { type: 'ACCEPT', accept: { offer_ids: [{ value: offerId }], operations: [{ type: 'LAUNCH', launch: { task_infos: [duplicate] } }] } }),
  );
  const runTasks = sc.received('agent-0', 'RUN_TASK').length;
  sc.deliver('fw-0', 'master', 'ACCEPT');
  const error = sc.inFlight('master', 'fw-0').find((e) => e.type === 'UPDATE')!;
  const s = statusOf(error);
  assert.equal(
    { task: s.task_id.value, state: s.state, reason: s.reason, source: s.source, message: s.message, uuid: s.uuid },
    { task: 't1', state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', source: 'SOURCE_MASTER', message: 'Task has duplicate ID: t1', uuid: undefined },
  );
  sc.settle();
  assert.is(sc.received('agent-0', 'RUN_TASK').length, runTasks, 'nothing is sent to the agent');
  // The original task is untouched; the offer is used up and its resources go back with a filter.
  assert.is(sc.master().frameworks[fid]!.tasks.t1!.task.state, 'TASK_RUNNING');
  assert.equal(sc.master().offers, {});
  assert.equal(allocatedByFramework(sc), { [fid]: 'cpus:1; mem:128' });
  assert.is(sc.agent().frameworks[fid]!.executors.t1!.launched.t1!.state, 'TASK_RUNNING');
  invariantsHold(sc, 'end');
});

for (const partitionAware of [true, false]) {
  const expected = partitionAware ? 'TASK_DROPPED' : 'TASK_LOST';
  test(`ACCEPT of an offer rescinded when its agent crashed: ${expected} REASON_INVALID_OFFERS (${partitionAware ? '' : 'not '}partition-aware)`, () => {
    const sc = started(config('rescinded', { frameworks: [framework('fw-a', { partitionAware })], faults: { agentCrash: 1 } }));
    sc.fire('master', 'allocation');
    sc.deliver('master', 'fw-0', 'OFFERS');
    assert.ok(
      sc.inFlight('fw-0', 'master').some((e) => e.type === 'ACCEPT'),
      'the ACCEPT is in flight',
    );
    const [offerId] = Object.keys(sc.master().offers);
    sc.restart('agent-0');
    // The master saw the agent's connection break: its offers are rescinded at once.
    assert.equal(sc.master().offers, {});
    assert.equal(
      sc.inFlight('master', 'fw-0').map((e) => e.type),
      ['RESCIND'],
    );
    assert.equal((sc.inFlight('master', 'fw-0')[0]!.rescind as { offer_id: { value: string } }).offer_id.value, offerId);
    sc.deliver('master', 'fw-0', 'RESCIND');
    sc.deliver('fw-0', 'master', 'ACCEPT');
    const s = statusOf(sc.inFlight('master', 'fw-0').find((e) => e.type === 'UPDATE')!);
    assert.equal(
      { state: s.state, reason: s.reason, source: s.source, uuid: s.uuid },
      { state: expected, reason: 'REASON_INVALID_OFFERS', source: 'SOURCE_MASTER', uuid: undefined },
    );
    assert.is(s.message, `Task launched with invalid offers: Offer ${offerId} is no longer valid`);
    sc.settle();
    assert.equal(sc.updates('fw-0'), [`t1 ${expected} REASON_INVALID_OFFERS`]);
    assert.equal(
      sc.received('fw-0').map((e) => e.type),
      ['SUBSCRIBED', 'OFFERS', 'RESCIND', 'UPDATE'],
    );
    assert.is(sc.received('agent-0', 'RUN_TASK').length, 0);
    // The agent came back; nothing of the framework is booked on it.
    const fid = sc.scheduler().framework_id!;
    assert.equal(sc.master().frameworks[fid]!.tasks, {});
    assert.is(sc.master().agents['m-S0']!.address, 'agent-0');
    assert.equal(allocatedByFramework(sc), {});
    invariantsHold(sc, 'end');
  });
}

// ------------------------------------------------------------------------------------ kill

for (const taskKillingState of [true, false]) {
  test(`kill: ${taskKillingState ? 'TASK_KILLING then ' : ''}TASK_KILLED (${taskKillingState ? 'with' : 'without'} TASK_KILLING_STATE)`, () => {
    const sc = running(config('kill', { frameworks: [framework('fw-a', { taskKillingState, kill: ['t1'] })] }));
    const fid = sc.scheduler().framework_id!;
    sc.env('fw-0', { type: 'KILL_REQUEST', task_id: 't1' });
    const kill = sc.deliver('fw-0', 'master', 'KILL');
    assert.is((kill.kill as { task_id: { value: string } }).task_id.value, 't1');
    assert.equal(
      sc.inFlight('master', 'agent-0').map((e) => e.type),
      ['KILL_TASK'],
    );
    sc.settle();
    assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING', ...(taskKillingState ? ['t1 TASK_KILLING'] : [])]);
    // The process dies of the SIGTERM (the world's environment reports the exit).
    sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
    sc.settle();
    assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING', ...(taskKillingState ? ['t1 TASK_KILLING'] : []), 't1 TASK_KILLED']);
    assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined);
    assert.equal(sc.master().frameworks[fid]!.completed, ['t1']);
    assert.equal(allocatedByFramework(sc), {});
    assert.equal(sc.agent().frameworks, {});
    assert.is(sc.executor('agent-0/t1'), null);
    assert.not.ok(
      sc.options().some((o) => o.includes('KILL_REQUEST')),
      'a terminal task cannot be killed again',
    );
    invariantsHold(sc, 'end');
  });
}

test('kill while the agent is away: the master sends the KILL again when the agent reregisters', () => {
  const sc = running(config('kill-away', { frameworks: [framework('fw-a', { taskKillingState: true, kill: ['t1'] })], faults: { agentCrash: 1 } }));
  const fid = sc.scheduler().framework_id!;
  sc.restart('agent-0');
  sc.env('fw-0', { type: 'KILL_REQUEST', task_id: 't1' });
  sc.settle();
  assert.is(sc.received('agent-0', 'KILL_TASK').length, 0, 'nobody to send it to');
  assert.equal(sc.master().agents['m-S0']!.killed, [`${fid}/t1`], 'the kill is owed');
  sc.fire('agent-0/t1', 'subscribe-retry');
  sc.settle();
  sc.fire('agent-0', 'executor-reregistration');
  sc.settle();
  assert.is(sc.received('agent-0', 'KILL_TASK').length, 1, 'sent once the agent is back');
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING', 't1 TASK_KILLING']);
  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.settle();
  assert.equal(sc.updates('fw-0').at(-1), 't1 TASK_KILLED');
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined);
  assert.is(sc.master().agents['m-S0']!.killed, undefined, 'forgotten with the task');
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ framework failover

test('framework failover: updates produced while it was away are flushed right after it resubscribes, same framework id', () => {
  const sc = running(config('framework-failover', { frameworks: [framework('fw-a', { reconcile: 'none' })], faults: { frameworkFailover: 1 } }));
  const fid = sc.scheduler().framework_id!;
  const oldStream = sc.master().frameworks[fid]!.stream;
  const n = sc.received('fw-0').length;
  const mark = sc.steps.length;
  sc.restart('fw-0');
  assert.is(sc.master().frameworks[fid]!.connection, null, 'the master noticed the stream break');
  const subscribe = sc.inFlight('fw-0', 'master')[0]!;
  assert.is(subscribe.type, 'SUBSCRIBE');
  assert.equal(subscribe.framework_id, { value: fid }, 'the new instance subscribes with the persisted id');

  // While it is away the task finishes; the master has no one to forward the update to.
  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.deliver('agent-0/t1', 'agent-0', 'UPDATE');
  sc.deliver('agent-0', 'master', 'STATUS_UPDATE');
  assert.equal(sc.inFlight('master', 'fw-0'), [], 'not forwarded to a disconnected framework');
  assert.is(sc.master().frameworks[fid]!.tasks.t1!.task.state, 'TASK_FINISHED', 'the books follow latest_state anyway');
  assert.equal(allocatedByFramework(sc), {});

  sc.deliver('fw-0', 'master', 'SUBSCRIBE');
  assert.equal(
    sc.inFlight('master', 'agent-0').map((e) => e.type),
    ['UPDATE_FRAMEWORK_AGENT'],
  );
  assert.is.not(sc.master().frameworks[fid]!.stream, oldStream, 'a new stream');
  sc.settle();
  const after = sc.received('fw-0').slice(n);
  assert.equal(
    after.map((e) => e.type),
    ['SUBSCRIBED', 'UPDATE'],
  );
  assert.equal((after[0]!.subscribed as { framework_id: { value: string } }).framework_id.value, fid);
  assert.equal(updatesFrom(sc, 'fw-0', n), ['t1 TASK_FINISHED']);
  assert.equal(timersFired(sc, mark), [], 'the agent resent at once, on UPDATE_FRAMEWORK_AGENT, not on its retry timer');
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined, 'acknowledged by the new instance: the task is gone');
  assert.equal(sc.agent().frameworks, {});
  invariantsHold(sc, 'end');
});

test('framework failover: reconciliation before the flush reports the last state forwarded, not one the framework never got', () => {
  const sc = running(config('failover-reconcile', { frameworks: [framework('fw-a', { reconcile: 'explicit' })], faults: { frameworkFailover: 1 } }));
  const fid = sc.scheduler().framework_id!;
  const n = sc.received('fw-0').length;
  sc.restart('fw-0');
  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.deliver('agent-0/t1', 'agent-0', 'UPDATE');
  sc.deliver('agent-0', 'master', 'STATUS_UPDATE');
  const task = sc.master().frameworks[fid]!.tasks.t1!.task;
  assert.is(task.state, 'TASK_FINISHED');
  assert.is(task.status_update_state, 'TASK_RUNNING', 'status_update_state is the last update forwarded to the framework');
  // The new instance subscribes and reconciles before the agent's resent update arrives.
  sc.deliver('fw-0', 'master', 'SUBSCRIBE');
  sc.deliver('master', 'fw-0', 'SUBSCRIBED');
  sc.deliver('fw-0', 'master', 'RECONCILE');
  sc.settle();
  assert.equal(updatesFrom(sc, 'fw-0', n), ['t1 TASK_RUNNING REASON_RECONCILIATION', 't1 TASK_FINISHED']);
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined);
  invariantsHold(sc, 'end');
});

test('abstract timing: a SUBSCRIBE in flight is never sent twice (no blind retry opens a second subscription)', () => {
  const cfg: MesosConfig = { ...config('subscribe-once'), timing: 'abstract' };
  const sc = new Scenario(cfg);
  assert.equal(
    sc.inFlight('fw-0', 'master').map((e) => e.type),
    ['SUBSCRIBE'],
  );
  assert.not.ok(
    sc.options().some((o) => o.startsWith('fw-0: timer')),
    'the scheduler has no timer while its SUBSCRIBE is unanswered',
  );
  sc.settle();
  assert.equal(Object.keys(sc.master().frameworks), ['m-0000']);
  assert.is(sc.scheduler().framework_id, 'm-0000');
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ agent restart

test("agent restart: a checkpointing framework's unacknowledged update survives the crash and arrives after reregistration", () => {
  const sc = running(config('agent-restart', { faults: { agentCrash: 1 } }));
  const fid = sc.scheduler().framework_id!;
  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.deliver('agent-0/t1', 'agent-0', 'UPDATE');
  assert.is(headState(sc, 'agent-0', 'master'), 'TASK_FINISHED');
  const finished = headOf(sc, 'agent-0', 'master')!.update as { uuid: string };
  sc.restart('agent-0'); // the update in flight dies with the connection
  assert.equal(sc.inFlight('agent-0', 'master'), []);
  assert.is(sc.stateOf('agent-0'), 'recovering');
  assert.equal(
    sc.agent().streams[fid]!.t1!.pending.map((u) => u.uuid),
    [finished.uuid],
    'the checkpointed stream still holds it',
  );
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING']);
  assert.ok(sc.master().frameworks[fid]!.tasks.t1, 'a checkpointing framework keeps its task while the agent is away');
  assert.is(sc.master().agents['m-S0']!.address, null);

  // The executor re-subscribes within the recovery window, then recovery ends.
  sc.fire('agent-0/t1', 'subscribe-retry');
  sc.settle();
  sc.fire('agent-0', 'executor-reregistration');
  const mark = sc.steps.length;
  sc.settle();
  const labels = sc.steps.slice(mark).map((s) => s.label);
  assert.ok(labels.indexOf('agent-0 -> master: REREGISTER_AGENT') < labels.indexOf('agent-0 -> master: STATUS_UPDATE'), labels.join('\n'));
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING', 't1 TASK_FINISHED']);
  assert.is(statusOf(sc.received('fw-0', 'UPDATE').at(-1)!).uuid, finished.uuid);
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined);
  assert.equal(sc.agent().frameworks, {});
  assert.is(sc.executor('agent-0/t1'), null);
  invariantsHold(sc, 'end');
});

test("agent restart: a non-checkpointing framework's task is LOST (REASON_AGENT_DISCONNECTED) when the connection breaks", () => {
  const sc = running(config('agent-restart-np', { frameworks: [framework('fw-a', { checkpoint: false })], faults: { agentCrash: 1 } }));
  const fid = sc.scheduler().framework_id!;
  sc.restart('agent-0');
  sc.settle();
  assert.equal(sc.updates('fw-0'), ['t1 TASK_STARTING', 't1 TASK_RUNNING', 't1 TASK_LOST REASON_AGENT_DISCONNECTED']);
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined);
  assert.equal(allocatedByFramework(sc), {});
  assert.is(sc.executor('agent-0/t1'), null, 'its executor died with the agent');
  invariantsHold(sc, 'end');
});

test('agent restart: a non-checkpointing task that ended but whose end was never delivered is LOST too, and leaves the books', () => {
  const sc = running(config('agent-restart-np-ended', { frameworks: [framework('fw-a', { checkpoint: false })], faults: { agentCrash: 1 } }));
  const fid = sc.scheduler().framework_id!;
  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.deliver('agent-0/t1', 'agent-0', 'UPDATE');
  // The master learns the task finished (latest_state) from the update it forwards...
  sc.deliver('agent-0', 'master', 'STATUS_UPDATE');
  assert.is(sc.master().frameworks[fid]!.tasks.t1!.task.state, 'TASK_FINISHED');
  // ... and the agent dies before the framework acknowledged it: that update is gone for good.
  sc.restart('agent-0');
  sc.settle();
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined, 'Mesos removes every task of a non-checkpointing framework');
  assert.equal(sc.updates('fw-0').at(-1), 't1 TASK_LOST REASON_AGENT_DISCONNECTED');
  assert.equal(allocatedByFramework(sc), {});
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ partition

/** A partition-aware framework (fw-0, task p1) and one that is not (fw-1, n1), both tasks running on agent-0; pings on, one partition. */
function twoFrameworksRunning(name: string) {
  const sc = running(
    config(name, {
      frameworks: [framework('fw-pa', { tasks: [task('p1')] }), framework('fw-np', { partitionAware: false, tasks: [task('n1')] })],
      faults: { partition: 1 },
      pings: true,
    }),
  );
  sc.fire('master', 'allocation');
  sc.settle();
  return sc;
}

test('partition: PA gets TASK_UNREACHABLE, non-PA TASK_LOST, both FAILURE; after reregistration TASK_RUNNING REASON_AGENT_REREGISTERED', () => {
  const sc = twoFrameworksRunning('partition');
  const [pa, np] = [sc.scheduler('fw-0').framework_id!, sc.scheduler('fw-1').framework_id!];
  assert.equal(sc.updates('fw-1'), ['n1 TASK_STARTING', 'n1 TASK_RUNNING']);
  const [nPa, nNp] = [sc.received('fw-0').length, sc.received('fw-1').length];

  sc.partition('agent-0');
  // Pings go unanswered: the third PING_DUE finds two missed and marks the agent unreachable.
  sc.fire('master', 'ping:');
  sc.fire('master', 'ping:');
  assert.ok(sc.master().agents['m-S0'], 'not yet');
  sc.fire('master', 'ping:');
  assert.is(sc.master().agents['m-S0'], undefined);
  assert.equal(sc.master().registry.unreachable, ['m-S0']);
  sc.settle();
  assert.equal(
    sc
      .received('fw-0')
      .slice(nPa)
      .map((e) => e.type),
    ['UPDATE', 'FAILURE'],
  );
  assert.equal(
    sc
      .received('fw-1')
      .slice(nNp)
      .map((e) => e.type),
    ['UPDATE', 'FAILURE'],
  );
  assert.equal(updatesFrom(sc, 'fw-0', nPa), ['p1 TASK_UNREACHABLE REASON_AGENT_REMOVED']);
  assert.equal(updatesFrom(sc, 'fw-1', nNp), ['n1 TASK_LOST REASON_AGENT_REMOVED']);
  for (const fw of ['fw-0', 'fw-1']) {
    assert.equal(sc.received(fw, 'FAILURE').at(-1)!.failure, { agent_id: { value: 'm-S0' } });
    assert.is(statusOf(sc.received(fw, 'UPDATE').at(-1)!).uuid, undefined, 'master-generated: no uuid');
  }
  // The books: both tasks moved to `unreachable`, their resources released.
  assert.equal(Object.keys(sc.master().frameworks[pa]!.unreachable), ['p1']);
  assert.equal(Object.keys(sc.master().frameworks[np]!.unreachable), ['n1']);
  assert.equal(sc.master().frameworks[pa]!.tasks, {});
  assert.equal(sc.master().allocator.agents, []);
  invariantsHold(sc, 'partitioned');

  sc.heal('agent-0');
  // The agent misses its pings too and reregisters.
  sc.fire('agent-0', 'ping-timeout');
  sc.settle();
  assert.equal(updatesFrom(sc, 'fw-0', nPa), ['p1 TASK_UNREACHABLE REASON_AGENT_REMOVED', 'p1 TASK_RUNNING REASON_AGENT_REREGISTERED']);
  assert.equal(updatesFrom(sc, 'fw-1', nNp), ['n1 TASK_LOST REASON_AGENT_REMOVED', 'n1 TASK_RUNNING REASON_AGENT_REREGISTERED']);
  assert.equal(sc.master().registry.unreachable, []);
  assert.equal(sc.master().frameworks[pa]!.unreachable, {});
  assert.is(sc.master().frameworks[pa]!.tasks.p1!.task.state, 'TASK_RUNNING');
  assert.is(sc.master().frameworks[np]!.tasks.n1!.task.state, 'TASK_RUNNING');
  assert.equal(allocatedByFramework(sc), { [pa]: 'cpus:1; mem:128', [np]: 'cpus:1; mem:128' });
  invariantsHold(sc, 'healed');

  // Both tasks still end normally.
  sc.env('agent-0/p1', { type: 'PROCESS_EXITED', status: 0 });
  sc.env('agent-0/n1', { type: 'PROCESS_EXITED', status: 0 });
  sc.settle();
  assert.equal(sc.updates('fw-0').at(-1), 'p1 TASK_FINISHED');
  assert.equal(sc.updates('fw-1').at(-1), 'n1 TASK_FINISHED');
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ reconciliation

test('implicit reconciliation after re-subscription: every known task, latest state, no uuid, never acknowledged', () => {
  const cfg = config('implicit', { frameworks: [framework('fw-a', { reconcile: 'implicit', tasks: [task('t1'), task('t2')] })], faults: { frameworkFailover: 1 } });
  const sc = running(cfg);
  assert.equal(
    sc.updates('fw-0').filter((u) => u.endsWith('RUNNING')),
    ['t1 TASK_RUNNING', 't2 TASK_RUNNING'],
  );
  const n = sc.received('fw-0').length;
  const acks = sc.received('master', 'ACKNOWLEDGE').length;
  sc.restart('fw-0');
  sc.settle();
  const reconcile = sc.received('master', 'RECONCILE').at(-1)!;
  assert.equal(reconcile.reconcile, { tasks: [] }, 'implicit: no tasks named');
  const answers = sc
    .received('fw-0')
    .slice(n)
    .filter((e) => e.type === 'UPDATE')
    .map(statusOf);
  assert.equal(
    answers.map((s) => `${s.task_id.value} ${s.state} ${s.reason} ${s.source}`),
    ['t1 TASK_RUNNING REASON_RECONCILIATION SOURCE_MASTER', 't2 TASK_RUNNING REASON_RECONCILIATION SOURCE_MASTER'],
  );
  assert.ok(answers.every((s) => s.uuid === undefined && s.message === 'Reconciliation: Latest task state'));
  assert.is(sc.received('master', 'ACKNOWLEDGE').length, acks, 'reconciliation answers are never acknowledged');
  invariantsHold(sc, 'end');
});

for (const partitionAware of [true, false]) {
  const pa = partitionAware ? 'PA' : 'non-PA';
  test(`explicit reconciliation (${pa}): known task -> its state; unknown on a registered agent -> ${partitionAware ? 'TASK_GONE' : 'TASK_LOST'}; unknown agent -> ${partitionAware ? 'TASK_UNKNOWN' : 'TASK_LOST'}`, () => {
    const cfg = config('explicit', { frameworks: [framework('fw-a', { partitionAware, reconcile: 'explicit' })], faults: { frameworkFailover: 1 } });
    const sc = running(cfg);
    const n = sc.received('fw-0').length;
    sc.restart('fw-0');
    sc.settle();
    assert.equal(sc.received('master', 'RECONCILE').at(-1)!.reconcile, { tasks: [{ task_id: { value: 't1' } }] }, 'the scheduler names its open tasks');
    assert.equal(updatesFrom(sc, 'fw-0', n), ['t1 TASK_RUNNING REASON_RECONCILIATION']);
    // Questions about tasks the master never heard of.
    const m = sc.received('fw-0').length;
    inject(
      sc,
      'fw-0',
      'master',
      callOf(sc, 'fw-0', {
        type: 'RECONCILE',
        reconcile: {
          tasks: [{ task_id: { value: 'ghost' }, agent_id: { value: 'm-S0' } }, { task_id: { value: 'ghost' }, agent_id: { value: 'm-S7' } }, { task_id: { value: 'ghost' } }],
        },
      }),
    );
    sc.settle();
    const answers = sc.received('fw-0').slice(m).map(statusOf);
    const [gone, lost, unknown] = partitionAware ? ['TASK_GONE', 'TASK_UNKNOWN', 'TASK_UNKNOWN'] : ['TASK_LOST', 'TASK_LOST', 'TASK_LOST'];
    assert.equal(
      answers.map((s) => [s.task_id.value, s.state, s.reason, s.message, s.uuid]),
      [
        ['ghost', gone, 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown to the agent', undefined],
        ['ghost', lost, 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown', undefined],
        ['ghost', unknown, 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown', undefined],
      ],
    );
    assert.equal(sc.scheduler().log.ghost, undefined, 'never logged as a reliable update');
    invariantsHold(sc, 'end');
  });
}

test('reconciliation during a partition: unreachable tasks answer UNREACHABLE (PA) / LOST when the agent is named; implicit skips them', () => {
  const sc = twoFrameworksRunning('partition-reconcile');
  sc.partition('agent-0');
  for (let i = 0; i < 3; i++) sc.fire('master', 'ping:');
  sc.settle();
  for (const [fw, tid, named, anonymous] of [
    ['fw-0', 'p1', 'TASK_UNREACHABLE', 'TASK_UNKNOWN'],
    ['fw-1', 'n1', 'TASK_LOST', 'TASK_LOST'],
  ] as const) {
    const n = sc.received(fw).length;
    inject(sc, fw, 'master', callOf(sc, fw, { type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: tid }, agent_id: { value: 'm-S0' } }, { task_id: { value: tid } }] } }));
    inject(sc, fw, 'master', callOf(sc, fw, { type: 'RECONCILE', reconcile: { tasks: [] } }));
    sc.settle();
    const answers = sc.received(fw).slice(n).map(statusOf);
    assert.equal(
      answers.map((s) => `${s.task_id.value} ${s.state} ${s.reason}`),
      [`${tid} ${named} REASON_RECONCILIATION`, `${tid} ${anonymous} REASON_RECONCILIATION`],
      `${fw}: an unreachable task is not a known task (Mesos Framework::getTask); implicit reconciliation answers nothing`,
    );
  }
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ master failover

test('master failover: the agent reregisters with its task, the framework resubscribes with its id and reconciles', () => {
  const cfg = config('master-failover', { frameworks: [framework('fw-a', { reconcile: 'explicit' })], faults: { masterFailover: 1 } });
  const sc = running(cfg);
  const fid = sc.scheduler().framework_id!;
  const n = sc.received('fw-0').length;
  sc.restart('master');
  assert.is(sc.master().id, "m'", 'a new master');
  assert.equal(Object.keys(sc.master().agents), ['m-S0'], 'the registry brings back the admitted agent ...');
  assert.ok(sc.master().agents['m-S0']!.recovered, '... as recovered');
  assert.equal(sc.master().frameworks, {}, 'frameworks and tasks are not persisted');
  assert.equal(sc.stateOf('agent-0'), { active: 'reregistering' });
  assert.is(sc.stateOf('fw-0'), 'disconnected');

  // The agent's first REREGISTER_AGENT went to the dead master; its retry reaches the new one.
  sc.fire('agent-0', 'registration');
  const rereg = sc.deliver('agent-0', 'master', 'REREGISTER_AGENT');
  assert.equal(
    (rereg.tasks as { task_id: { value: string }; state: string }[]).map((t) => `${t.task_id.value} ${t.state}`),
    ['t1 TASK_RUNNING'],
  );
  const recovered = sc.master().frameworks[fid]!;
  assert.ok(recovered, 'the framework is known again, from the agent');
  assert.is(recovered.connection, null);
  assert.is(recovered.tasks.t1!.task.state, 'TASK_RUNNING');
  assert.is(sc.master().agents['m-S0']!.recovered, false);
  sc.settle();
  invariantsHold(sc, 'agent back');

  sc.fire('fw-0', 'xstate.after');
  const subscribe = sc.deliver('fw-0', 'master', 'SUBSCRIBE');
  assert.equal(subscribe.framework_id, { value: fid });
  sc.settle();
  const after = sc.received('fw-0').slice(n);
  assert.is(after[0]!.type, 'SUBSCRIBED');
  assert.equal((after[0]!.subscribed as { framework_id: { value: string }; master_info: { id: string } }).framework_id.value, fid);
  assert.equal((after[0]!.subscribed as { master_info: { id: string } }).master_info.id, "m'");
  assert.equal(updatesFrom(sc, 'fw-0', n), ['t1 TASK_RUNNING REASON_RECONCILIATION']);
  assert.equal(allocatedByFramework(sc), { [fid]: 'cpus:1; mem:128' });
  invariantsHold(sc, 'framework back');

  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.settle();
  assert.equal(sc.updates('fw-0').at(-1), 't1 TASK_FINISHED');
  assert.is(sc.master().frameworks[fid]!.tasks.t1, undefined);
  invariantsHold(sc, 'end');
});

test('master failover: a reconciliation answered after the terminal ack (TASK_UNKNOWN) does not revive the task for the framework', () => {
  const cfg = config('master-failover-late', { frameworks: [framework('fw-a', { reconcile: 'explicit', kill: ['t1'] })], faults: { masterFailover: 1 } });
  const sc = running(cfg);
  const n = sc.received('fw-0').length;
  sc.restart('master');
  sc.fire('agent-0', 'registration');
  sc.settle();
  sc.fire('fw-0', 'xstate.after');
  sc.deliver('fw-0', 'master', 'SUBSCRIBE');
  sc.deliver('master', 'fw-0', 'SUBSCRIBED');
  assert.equal(
    sc.inFlight('fw-0', 'master').map((e) => e.type),
    ['RECONCILE'],
    'the question is on its way',
  );
  // Meanwhile the task finishes and its update is delivered and acknowledged.
  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.settle({ except: ['master'] });
  sc.deliver('agent-0', 'master', 'STATUS_UPDATE');
  sc.deliver('master', 'fw-0', 'UPDATE');
  sc.deliver('fw-0', 'master', 'ACKNOWLEDGE');
  // Now the master, which forgot t1, answers the question.
  sc.deliver('fw-0', 'master', 'RECONCILE');
  sc.settle();
  assert.equal(updatesFrom(sc, 'fw-0', n), ['t1 TASK_FINISHED', 't1 TASK_UNKNOWN REASON_RECONCILIATION']);
  assert.is(sc.scheduler().seen.t1, 'TASK_FINISHED', 'the framework keeps what it was reliably told');
  assert.not.ok(
    sc.options().some((o) => o.includes('KILL_REQUEST')),
    'a finished task is not killed (the checker found kills looping until the channels filled)',
  );
  invariantsHold(sc, 'end');
});

test('master failover: a reconciliation that arrives before the agent reregistered gets no answer (the agent is still recovered)', () => {
  const cfg = config('master-failover-early', { frameworks: [framework('fw-a', { reconcile: 'explicit' })], faults: { masterFailover: 1 } });
  const sc = running(cfg);
  const fid = sc.scheduler().framework_id!;
  const n = sc.received('fw-0').length;
  sc.restart('master');
  sc.fire('fw-0', 'xstate.after');
  sc.settle();
  assert.equal(
    sc
      .received('fw-0')
      .slice(n)
      .map((e) => e.type),
    ['SUBSCRIBED'],
  );
  assert.is(sc.received('master', 'RECONCILE').length, 1, 'it asked');
  assert.equal(updatesFrom(sc, 'fw-0', n), [], 'Mesos drops the question while an agent is recovered');
  assert.is(sc.master().frameworks[fid]!.connection, 'fw-0');
  sc.fire('agent-0', 'registration');
  sc.settle();
  assert.is(sc.master().frameworks[fid]!.tasks.t1!.task.state, 'TASK_RUNNING');
  sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
  sc.settle();
  assert.equal(updatesFrom(sc, 'fw-0', n), ['t1 TASK_FINISHED']);
  invariantsHold(sc, 'end');
});

// ------------------------------------------------------------------------------------ mutants in the world

/** The happy path as far as it goes: what the framework received and what the master was sent. */
function happyOutcome(sc: Scenario): string {
  sc.settle();
  try {
    sc.fire('master', 'allocation');
    sc.settle();
    sc.env('agent-0/t1', { type: 'PROCESS_EXITED', status: 0 });
    sc.settle();
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
  }
  return JSON.stringify([sc.updates('fw-0'), sc.received('fw-0').map((e) => e.type), sc.received('master').map((e) => e.type)]);
}

test('a world with a mutant master or scheduler: negated guards break the happy path end to end', () => {
  const cfg = config('mutants');
  const original = happyOutcome(new Scenario(cfg));
  assert.ok(original.includes('t1 TASK_FINISHED'));
  const cases: [keyof MachineOverrides, AnyStateMachine, string][] = [
    ['master', master, 'fromRegisteredAgent'],
    ['master', master, 'unknownFramework'],
    ['master', master, 'staleStream'],
    ['master', master, 'subscribeRefused'],
    ['scheduler', scheduler, 'reliableUpdate'],
    ['scheduler', scheduler, 'suppressesWhenDone'],
    ['scheduler', scheduler, 'allLaunched'],
  ];
  for (const [role, machine, guard] of cases) {
    const outcome = negatedOutcome(machine, guard, (m) => happyOutcome(new Scenario(mesosWorld(cfg, { [role]: m }))));
    assert.is.not(outcome, original, `${role} with ${guard} negated`);
  }
});

test.run();
