/**
 * DRAIN_AGENT on the master machine alone (spec/machines/master/drain.ts): the agent is
 * deactivated and DRAINING (persisted), its offers rescinded, the agent sent AGENT_DRAIN with the
 * config (no per-task kill: the agent kills); once its last task is gone it is DRAINED, or gone
 * with `mark_gone`; REACTIVATE_AGENT ends the drain; an unknown agent is 400 and changes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { agentInfo, type MasterDriver, partitionAware, runningTask } from '../support/master-driver.ts';
import { cappedKillPolicy } from '../../spec/machines/agent/drain.ts';

/** Task t1 gets a 30 s kill grace, longer than a drain's (the agent caps it). */
const running = () => runningTask(partitionAware, { kill_policy: { grace_period: { nanoseconds: 30e9 } } });

const op = (d: MasterDriver, event: AnyEventObject) => d.deliver({ ...event, request: 'op-1' }).replies();

/** The agent reports the task's end and the framework acknowledges it: the task leaves the books. */
function taskEnds(d: MasterDriver, aid: string, session: { fid: string; stream: string }, state: string) {
  const status = { task_id: { value: 't1' }, state, source: 'SOURCE_EXECUTOR', agent_id: { value: aid }, uuid: 'dXVpZA==' };
  d.deliver({
    type: 'STATUS_UPDATE',
    update: { framework_id: { value: session.fid }, agent_id: { value: aid }, status, timestamp: 0, uuid: 'dXVpZA==', latest_state: state },
    from: 'agent-0',
  });
  d.call('sched-0', session, { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: aid }, task_id: { value: 't1' }, uuid: 'dXVpZA==' } });
}

test("kill policy: no cap keeps the task's, a cap shortens a longer grace or sets a missing one", () => {
  assert.equal(cappedKillPolicy({ grace_period: { nanoseconds: 5 } }, undefined), { grace_period: { nanoseconds: 5 } });
  assert.equal(cappedKillPolicy({ grace_period: { nanoseconds: 5 } }, { nanoseconds: 3 }), { grace_period: { nanoseconds: 3 } });
  assert.equal(cappedKillPolicy({ grace_period: { nanoseconds: 2 } }, { nanoseconds: 3 }), { grace_period: { nanoseconds: 2 } });
  assert.equal(cappedKillPolicy(undefined, { nanoseconds: 3 }), { grace_period: { nanoseconds: 3 } });
});

test('DRAIN_AGENT: 400 for an unknown agent, nothing changed', () => {
  const { d } = running();
  const before = JSON.stringify(d.local);
  assert.equal(op(d, { type: 'OPERATOR_DRAIN_AGENT', agent_id: 'nobody' }), [{ status: 400, message: 'Unknown agent' }]);
  assert.is(JSON.stringify(d.local), before);
});

test('DRAIN_AGENT: DRAINING and deactivated, the agent told to drain, no more offers; DRAINED once the task is gone', () => {
  const { d, aid, session } = running();
  assert.equal(op(d, { type: 'OPERATOR_DRAIN_AGENT', agent_id: aid, max_grace_period_ns: 1e9 }), [{ status: 200 }]);
  assert.equal(d.ctx.registry.draining, { [aid]: { state: 'DRAINING', config: { max_grace_period: { nanoseconds: 1e9 }, mark_gone: false } } });
  assert.ok(d.ctx.registry.deactivated!.includes(aid));
  assert.equal(d.sent('agent-0', 'AGENT_DRAIN'), [{ type: 'AGENT_DRAIN', config: { max_grace_period: { nanoseconds: 1e9 }, mark_gone: false } }]);
  assert.equal(d.sent('agent-0', 'KILL_TASK'), []);
  d.fire('allocation');
  assert.equal(d.sent('sched-0', 'OFFERS'), []);
  taskEnds(d, aid, session, 'TASK_KILLED');
  assert.equal(d.ctx.registry.draining![aid]!.state, 'DRAINED');
  // REACTIVATE_AGENT ends the drain.
  assert.equal(op(d, { type: 'OPERATOR_REACTIVATE_AGENT', agent_id: aid }), [{ status: 200 }]);
  assert.is(d.ctx.registry.draining, undefined);
});

test('DRAIN_AGENT with mark_gone: once drained, the agent is gone for good', () => {
  const { d, aid, session } = running();
  op(d, { type: 'OPERATOR_DRAIN_AGENT', agent_id: aid, mark_gone: true });
  assert.equal(d.sent('agent-0', 'AGENT_DRAIN'), [{ type: 'AGENT_DRAIN', config: { mark_gone: true } }]);
  taskEnds(d, aid, session, 'TASK_GONE_BY_OPERATOR');
  assert.equal(d.ctx.registry.gone, [aid]);
  assert.is(d.ctx.registry.draining, undefined);
  assert.is(d.ctx.agents[aid], undefined);
  assert.equal(d.sent('agent-0', 'SHUTDOWN_AGENT'), [{ type: 'SHUTDOWN_AGENT', message: 'Agent has been marked gone' }]);
});

test('DRAIN_AGENT with mark_gone on a DRAINED agent: gone at once (Mesos drains a drained agent again)', () => {
  const { d, aid, session } = running();
  op(d, { type: 'OPERATOR_DRAIN_AGENT', agent_id: aid });
  taskEnds(d, aid, session, 'TASK_KILLED');
  assert.equal(d.ctx.registry.draining![aid]!.state, 'DRAINED');
  assert.equal(op(d, { type: 'OPERATOR_DRAIN_AGENT', agent_id: aid, mark_gone: true }), [{ status: 200 }]);
  assert.equal(d.ctx.registry.gone, [aid]);
});

test('DRAIN_AGENT with mark_gone of a disconnected agent with no task: gone at once (Mesos checks any registered agent, connected or not)', () => {
  const { d, aid, session } = running();
  taskEnds(d, aid, session, 'TASK_FINISHED');
  d.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  assert.is(d.ctx.agents[aid]!.address, null);
  assert.equal(op(d, { type: 'OPERATOR_DRAIN_AGENT', agent_id: aid, mark_gone: true }), [{ status: 200 }]);
  assert.equal(d.ctx.registry.gone, [aid]);
  assert.is(d.ctx.agents[aid], undefined);
  // It is shut down when it comes back.
  d.deliver({ type: 'REREGISTER_AGENT', agent_info: { ...agentInfo('agent-0'), id: { value: aid } }, tasks: [], frameworks: [], version: '1.11.0', from: 'agent-0' });
  assert.equal(d.sent('agent-0', 'SHUTDOWN_AGENT'), [{ type: 'SHUTDOWN_AGENT', message: 'Agent has been marked gone' }]);
});

test('DRAIN_AGENT of a disconnected agent with a task left: DRAINING until the task leaves, whatever the link', () => {
  const { d, aid } = running();
  d.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  assert.equal(op(d, { type: 'OPERATOR_DRAIN_AGENT', agent_id: aid, mark_gone: true }), [{ status: 200 }]);
  assert.equal(d.ctx.registry.gone, []);
  assert.equal(d.ctx.registry.draining![aid]!.state, 'DRAINING');
});

test.run();
