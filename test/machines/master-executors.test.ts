/**
 * Custom executors in the master's books (master/executors.ts): validated as Mesos validates
 * them, their resources taken from the offer once (with the first task), shown in offers'
 * `executor_ids`, released once when the agent reports the executor exited (FAILURE to the
 * framework), and rebuilt from a re-registering agent's `executor_infos`. The conservation
 * invariant counts them; a master that forgets to give them back is caught.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conservation, noOverAllocation } from '../../invariants/allocation.ts';
import { master, masterInternals } from '../../spec/machines/master.ts';
import type { ExecutorInfo } from '../../spec/protocol/common.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import { MasterDriver, frameworkInfo, taskInfo } from '../support/master-driver.ts';
import { withMaster } from '../support/mutants.ts';

const wire = (r: string) => toWire(mustParseResources(r));
const EXECUTOR: ExecutorInfo = { executor_id: { value: 'e1' }, command: { value: 'node executor.js' }, resources: wire('cpus:0.5;mem:32') as ExecutorInfo['resources'] };

/** A master with one agent (cpus:2;mem:1024 unless given) and one subscribed framework. */
function setup(machine?: ConstructorParameters<typeof MasterDriver>[0], resources?: string) {
  const d = new MasterDriver(machine);
  const aid = d.registerAgent('agent-0', resources);
  const session = d.subscribe('fw-0', frameworkInfo()) as { fid: string; stream: string };
  return { d, aid, session };
}

function offer(d: MasterDriver): { id: string; resources: unknown; executor_ids?: { value: string }[] } {
  d.fire('allocation');
  const [event] = d.sent('fw-0', 'OFFERS');
  const o = (event!.offers as { offers: { id: { value: string }; resources: unknown; executor_ids?: { value: string }[] }[] }).offers[0]!;
  return { id: o.id.value, resources: o.resources, ...(o.executor_ids ? { executor_ids: o.executor_ids } : {}) };
}

function launch(d: MasterDriver, session: { fid: string; stream: string }, offerId: string, tasks: unknown[]) {
  return d.call('fw-0', session, {
    type: 'ACCEPT',
    accept: { offer_ids: [{ value: offerId }], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } },
  });
}

const customTask = (id: string, aid: string, resources = 'cpus:1;mem:128', executor: ExecutorInfo = EXECUTOR) => {
  const { command: _c, ...t } = taskInfo(id, aid, wire(resources));
  return { ...t, executor };
};

const allocated = (d: MasterDriver) => d.ctx.allocator.agents[0]!.allocated.map((a) => a.resources);

test('the first task brings its executor: task + executor taken from the offer, RUN_TASK launch_executor, framework id filled in', () => {
  const { d, aid, session } = setup();
  const o = offer(d);
  launch(d, session, o.id, [customTask('t1', aid)]);
  const [run] = d.sent('agent-0', 'RUN_TASK');
  assert.is(run!.launch_executor, true);
  assert.equal((run!.task as { executor: ExecutorInfo }).executor.framework_id, { value: session.fid });
  assert.equal(Object.keys(d.ctx.frameworks[session.fid]!.executors![aid]!), ['e1']);
  assert.is(conservation(d.ctx), null);
  assert.is(noOverAllocation(d.ctx), null);
  // The next offer names the executor and lacks its resources; a second task does not pay for it again.
  const next = offer(d);
  assert.equal(next.executor_ids, [{ value: 'e1' }]);
  assert.equal(next.resources, wire('cpus:0.5;mem:864'));
  launch(d, session, next.id, [customTask('t2', aid, 'cpus:0.5;mem:128')]);
  const [run2] = d.sent('agent-0', 'RUN_TASK');
  assert.is(run2!.launch_executor, false);
  assert.is(conservation(d.ctx), null);
});

test('a command task is sent with launch_executor true (Master::_accept sets it always), so an agent that still has a command executor of its id drops it (MESOS-9657)', () => {
  const { d, aid, session } = setup();
  const o = offer(d);
  launch(d, session, o.id, [taskInfo('t1', aid, wire('cpus:1;mem:128'))]);
  const [run] = d.sent('agent-0', 'RUN_TASK');
  assert.is(run!.launch_executor, true);
});

test('task + new executor beyond the offer, and a different ExecutorInfo under the same id: TASK_ERROR with Mesos`s words', () => {
  const { d, aid, session } = setup();
  let o = offer(d);
  launch(d, session, o.id, [customTask('big', aid, 'cpus:1.75;mem:128')]);
  const [big] = d.sent('fw-0', 'UPDATE');
  assert.is((big!.update as { status: { state: string; message: string } }).status.state, 'TASK_ERROR');
  assert.match((big!.update as { status: { message: string } }).status.message, /^Total resources cpus:\S+; mem:\S+ required by task and its executor is more than available /);
  o = offer(d);
  launch(d, session, o.id, [customTask('t1', aid), customTask('t2', aid, 'cpus:0.25;mem:32', { ...EXECUTOR, command: { value: 'other' } })]);
  const errors = d.sent('fw-0', 'UPDATE').map((u) => (u.update as { status: { task_id: { value: string }; state: string; reason: string; message: string } }).status);
  assert.equal(
    errors.map((s) => [s.task_id.value, s.state, s.reason, s.message]),
    [['t2', 'TASK_ERROR', 'REASON_TASK_INVALID', 'ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID']],
  );
  o = offer(d);
  launch(d, session, o.id, [customTask('t3', aid, 'cpus:0.25;mem:32', { ...EXECUTOR, type: 'DEFAULT' })]);
  assert.is(
    (d.sent('fw-0', 'UPDATE')[0]!.update as { status: { message: string } }).status.message,
    'ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID',
  );
});

test('EXECUTOR_EXITED: FAILURE {agent_id, executor_id, status} to the framework, resources back once; a repeat is ignored', () => {
  const { d, aid, session } = setup();
  launch(d, session, offer(d).id, [customTask('t1', aid)]);
  const before = allocated(d);
  d.deliver({ type: 'EXECUTOR_EXITED', agent_id: { value: aid }, framework_id: { value: session.fid }, executor_id: { value: 'e1' }, status: 256, from: 'agent-0' });
  assert.equal(d.sent('fw-0'), [{ type: 'FAILURE', failure: { agent_id: { value: aid }, executor_id: { value: 'e1' }, status: 256 } }]);
  assert.is(d.ctx.frameworks[session.fid]!.executors, undefined);
  assert.is(conservation(d.ctx), null);
  assert.not.equal(allocated(d), before);
  const after = JSON.stringify(d.ctx);
  d.deliver({ type: 'EXECUTOR_EXITED', agent_id: { value: aid }, framework_id: { value: session.fid }, executor_id: { value: 'e1' }, status: 256, from: 'agent-0' });
  assert.equal(d.sent('fw-0'), []);
  assert.is(JSON.stringify(d.ctx), after);
});

test('a re-registering agent`s executor_infos rebuild the books and what the allocator counts as used', () => {
  const { d, aid, session } = setup();
  launch(d, session, offer(d).id, [customTask('t1', aid)]);
  const [run] = d.sent('agent-0', 'RUN_TASK');
  const task = run!.task as { task_id: { value: string }; resources: unknown; executor: ExecutorInfo };
  d.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  d.deliver({
    type: 'REREGISTER_AGENT',
    agent_info: { ...d.ctx.agents[aid]!.info },
    tasks: [
      {
        name: 't1',
        task_id: task.task_id,
        framework_id: { value: session.fid },
        executor_id: { value: 'e1' },
        agent_id: { value: aid },
        state: 'TASK_RUNNING',
        resources: task.resources,
      },
    ],
    executor_infos: [task.executor],
    frameworks: [d.ctx.frameworks[session.fid]!.info],
    version: '1.11.0',
    from: 'agent-1',
  });
  assert.equal(Object.keys(d.ctx.frameworks[session.fid]!.executors?.[aid] ?? {}), ['e1']);
  assert.is(conservation(d.ctx), null);
});

test("after a failover, an agent's framework with an executor and no task is recovered, and the executor booked (Master::updateSlaveFrameworks)", () => {
  const { d, aid, session } = setup();
  launch(d, session, offer(d).id, [customTask('t1', aid)]);
  const [run] = d.sent('agent-0', 'RUN_TASK');
  const executor = (run!.task as { executor: ExecutorInfo }).executor;
  // The task ended and was acknowledged; its executor stays, waiting for more. Then the master fails over.
  const next = new MasterDriver(master, { id: 'm2', flags: { heartbeatIntervalMs: 0 }, registry: d.ctx.registry });
  next.deliver({
    type: 'REREGISTER_AGENT',
    agent_info: { ...d.ctx.agents[aid]!.info },
    executor_infos: [executor],
    frameworks: [d.ctx.frameworks[session.fid]!.info],
    version: '1.11.0',
    from: 'agent-0',
  });
  assert.equal(next.ctx.frameworks[session.fid]?.connection, null, 'recovered, waiting for its SUBSCRIBE');
  assert.equal(Object.keys(next.ctx.frameworks[session.fid]?.executors?.[aid] ?? {}), ['e1']);
  assert.is(conservation(next.ctx), null);
});

test('mutant: a master that drops the executor from its books without giving its resources back breaks conservation', () => {
  const { handler } = masterInternals;
  const leaky = withMaster({
    executorExited: handler<{ framework_id: { value: string }; executor_id: { value: string } }>((tx, e) => {
      const f = tx.c.frameworks[e.framework_id.value]!;
      tx.setFramework(e.framework_id.value, { ...f, executors: {} });
    }),
  });
  const { d, aid, session } = setup(leaky);
  launch(d, session, offer(d).id, [customTask('t1', aid)]);
  d.deliver({ type: 'EXECUTOR_EXITED', agent_id: { value: aid }, framework_id: { value: session.fid }, executor_id: { value: 'e1' }, status: 0, from: 'agent-0' });
  assert.match(conservation(d.ctx) ?? '', /the master's tasks and offers hold .* but the allocator has .* allocated/);
});

// ------------------------------------------------------------------------------ LAUNCH_GROUP

const DEFAULT_EXECUTOR: ExecutorInfo = { type: 'DEFAULT', executor_id: { value: 'g' }, resources: wire('cpus:0.1;mem:32;disk:10') as ExecutorInfo['resources'] };
const groupTask = (id: string, aid: string) => {
  const { command: _c, ...t } = taskInfo(id, aid, wire('cpus:0.5;mem:64'));
  return t;
};
function launchGroup(d: MasterDriver, session: { fid: string; stream: string }, offerId: string, tasks: unknown[], executor: ExecutorInfo = DEFAULT_EXECUTOR) {
  return d.call('fw-0', session, {
    type: 'ACCEPT',
    accept: { offer_ids: [{ value: offerId }], operations: [{ type: 'LAUNCH_GROUP', launch_group: { executor, task_group: { tasks } } }], filters: { refuse_seconds: 0 } },
  });
}

const WITH_DISK = 'cpus:2;mem:1024;disk:100';

test('LAUNCH_GROUP: every task STAGING in one RUN_TASK_GROUP with the group`s executor, task + executor resources taken once', () => {
  const { d, aid, session } = setup(undefined, WITH_DISK);
  launchGroup(d, session, offer(d).id, [groupTask('a', aid), groupTask('b', aid), groupTask('c', aid)]);
  const [run] = d.sent('agent-0', 'RUN_TASK_GROUP');
  assert.is(run!.launch_executor, true);
  const tasks = (run!.task_group as { tasks: { task_id: { value: string }; executor?: ExecutorInfo }[] }).tasks;
  assert.equal(
    tasks.map((t) => [t.task_id.value, t.executor?.executor_id.value]),
    [
      ['a', 'g'],
      ['b', 'g'],
      ['c', 'g'],
    ],
  );
  assert.equal(Object.keys(d.ctx.frameworks[session.fid]!.tasks).sort(), ['a', 'b', 'c']);
  assert.is(conservation(d.ctx), null);
  assert.equal(offer(d).resources, wire('cpus:0.4;mem:800;disk:90'));
});

test('LAUNCH_GROUP is all or nothing: one bad task, or too little for the whole group, and every task is TASK_ERROR, nothing taken', () => {
  const { d, aid, session } = setup(undefined, WITH_DISK);
  const before = allocated(d);
  const o = offer(d);
  launchGroup(d, session, o.id, [groupTask('a', aid), { ...groupTask('b', aid), agent_id: { value: 'elsewhere' } }, groupTask('c', aid)]);
  const statuses = () => d.sent('fw-0', 'UPDATE').map((u) => (u.update as { status: { task_id: { value: string }; state: string; reason: string; message: string } }).status);
  const first = statuses();
  assert.equal(
    first.map((s) => [s.task_id.value, s.state, s.reason]),
    ['a', 'b', 'c'].map((t) => [t, 'TASK_ERROR', 'REASON_TASK_GROUP_INVALID']),
  );
  assert.is(first[0]!.message, `Task 'b' is invalid: Task uses invalid agent elsewhere while agent ${aid} is expected`);
  assert.equal(d.sent('agent-0'), []);
  assert.equal(d.ctx.frameworks[session.fid]!.tasks, {});
  assert.equal(allocated(d), before);
  launchGroup(d, session, offer(d).id, [groupTask('a', aid), groupTask('b', aid), groupTask('c', aid), groupTask('d', aid)]);
  assert.equal(
    statuses().map((s) => /^Total resources \S.* required by task group and its executor are more than available \S/.test(s.message ?? '')),
    Array(4).fill(true),
  );
  launchGroup(d, session, offer(d).id, [groupTask('a', aid)], { ...DEFAULT_EXECUTOR, resources: wire('cpus:0.1;mem:32') as ExecutorInfo['resources'] });
  assert.equal(
    statuses().map((s) => s.message),
    ["Executor 'g' uses no disk"],
  );
  assert.equal(d.ctx.frameworks[session.fid]!.tasks, {});
  assert.is(conservation(d.ctx), null);
});

test('an operation the reference does not carry out is answered: OPERATION_ERROR when it has an id, its resources back with the leftovers', () => {
  const { d, aid, session } = setup();
  const o = offer(d);
  d.call('fw-0', session, {
    type: 'ACCEPT',
    accept: {
      offer_ids: [{ value: o.id }],
      operations: [
        {
          type: 'GROW_VOLUME',
          id: { value: 'op-1' },
          grow_volume: { volume: { name: 'disk', type: 'SCALAR', scalar: { value: 1 } }, addition: { name: 'disk', type: 'SCALAR', scalar: { value: 1 } } },
        },
        { type: 'SHRINK_VOLUME', shrink_volume: { volume: { name: 'disk', type: 'SCALAR', scalar: { value: 1 } }, subtract: { value: 1 } } },
      ],
      filters: { refuse_seconds: 0 },
    },
  });
  assert.equal(d.sent('fw-0'), [
    {
      type: 'UPDATE_OPERATION_STATUS',
      update_operation_status: {
        status: { operation_id: { value: 'op-1' }, state: 'OPERATION_ERROR', message: 'Operation GROW_VOLUME is not supported by the reference master', agent_id: { value: aid } },
      },
    },
  ]);
  assert.is(conservation(d.ctx), null);
  assert.equal(offer(d).resources, o.resources);
});

test.run();
