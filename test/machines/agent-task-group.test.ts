/**
 * Task groups in the agent machine (Slave::run with a TaskGroupInfo): the group's DEFAULT
 * executor is spawned once as `mesos-ref default-executor`, the group waits for it to subscribe
 * and reaches it as one LAUNCH_GROUP; killing a queued task of the group kills the whole group
 * before delivery; its end is reported to the master (FAILURE for the framework). The test
 * speaks for the executor, as its HTTP calls would.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import type { ExecutorInfo } from '../../spec/protocol/common.ts';
import { AGENT, addr, fw, registered, task, type Sim } from '../support/agent-sim.ts';

const EXECUTOR: ExecutorInfo = {
  type: 'DEFAULT',
  executor_id: { value: 'g' },
  framework_id: { value: 'F1' },
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
};
const updates = (msgs: AnyEventObject[]) =>
  msgs.filter((m) => m.type === 'STATUS_UPDATE').map((m) => [m.update.status.task_id.value, m.update.status.state, m.update.status.reason]);

const runGroup = (sim: Sim, ids: string[], launch = true) =>
  sim.master({ type: 'RUN_TASK_GROUP', framework: fw('F1'), executor: EXECUTOR, task_group: { tasks: ids.map((id) => task(id)) }, ...(launch ? { launch_executor: true } : {}) });

const subscribe = (sim: Sim) =>
  sim.deliver(AGENT, { type: 'SUBSCRIBE', subscribe: {}, framework_id: { value: 'F1' }, executor_id: { value: 'g' }, from: addr('F1', 'g') } as unknown as AnyEventObject);

function eventsToExecutor(sim: Sim): AnyEventObject[] {
  const out = sim.queue.filter((q) => q.to === addr('F1', 'g')).map((q) => q.msg);
  sim.queue.length = 0;
  return out;
}

const launched = (events: AnyEventObject[]) =>
  events.map((m) => (m.type === 'LAUNCH_GROUP' ? `LAUNCH_GROUP ${m.launch_group.task_group.tasks.map((t: { task_id: { value: string } }) => t.task_id.value).join(',')}` : m.type));

test('a group waits for its default executor, spawned once, and reaches it as one LAUNCH_GROUP; a later group goes straight to it', () => {
  const sim = registered();
  runGroup(sim, ['a', 'b', 'c']);
  assert.is(sim.customs.length, 1);
  assert.is(sim.customs[0]!.input.default_executor, true);
  assert.is(sim.customs[0]!.input.command, undefined);
  assert.equal(eventsToExecutor(sim), []);
  subscribe(sim);
  assert.equal(launched(eventsToExecutor(sim)), ['SUBSCRIBED', 'LAUNCH_GROUP a,b,c']);
  assert.equal(Object.keys(sim.ctx.frameworks.F1!.executors.g!.launched).sort(), ['a', 'b', 'c']);
  runGroup(sim, ['d', 'e'], false);
  assert.equal(launched(eventsToExecutor(sim)), ['LAUNCH_GROUP d,e']);
  assert.is(sim.customs.length, 1);
});

test('two groups queued before the executor subscribes stay two LAUNCH_GROUPs', () => {
  const sim = registered();
  runGroup(sim, ['a', 'b']);
  runGroup(sim, ['c'], false);
  subscribe(sim);
  assert.equal(launched(eventsToExecutor(sim)), ['SUBSCRIBED', 'LAUNCH_GROUP a,b', 'LAUNCH_GROUP c']);
});

test('killing a queued task of a group kills its whole group before delivery; the other group still launches', () => {
  const sim = registered();
  runGroup(sim, ['a', 'b']);
  runGroup(sim, ['c'], false);
  sim.sent();
  sim.master({ type: 'KILL_TASK', framework_id: { value: 'F1' }, task_id: { value: 'b' } });
  assert.equal(updates(sim.sent()), [
    ['a', 'TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH'],
    ['b', 'TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH'],
  ]);
  subscribe(sim);
  assert.equal(launched(eventsToExecutor(sim)), ['SUBSCRIBED', 'LAUNCH_GROUP c']);
});

test('the default executor ending is reported to the master with its wait status (the framework gets FAILURE)', () => {
  const sim = registered();
  runGroup(sim, ['a']);
  subscribe(sim);
  eventsToExecutor(sim);
  sim.sent();
  sim.deliver(AGENT, { type: 'EXECUTOR_TERMINATED', framework_id: { value: 'F1' }, executor_id: { value: 'g' }, status: 0 });
  const sent = sim.sent();
  assert.equal(updates(sent), [['a', 'TASK_FAILED', 'REASON_EXECUTOR_TERMINATED']]);
  assert.equal(
    sent.filter((m) => m.type === 'EXECUTOR_EXITED').map((m) => [m.executor_id.value, m.status]),
    [['g', 0]],
  );
});

test.run();
