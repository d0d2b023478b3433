/**
 * An agent that unregisters, on the master machine alone (spec/machines/master/removal.ts): the
 * registry forgets it (admission, drain, deactivation), its task is TASK_LOST with
 * REASON_AGENT_REMOVED even for a partition-aware framework, every framework hears FAILURE; an
 * UNREGISTER_AGENT from another connection than the agent's changes nothing (Mesos ignores it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runningTask } from '../support/master-driver.ts';

test('UNREGISTER_AGENT from another connection: ignored, nothing changed', () => {
  const { d, aid } = runningTask();
  const before = JSON.stringify(d.local);
  d.deliver({ type: 'UNREGISTER_AGENT', agent_id: { value: aid }, from: 'intruder' });
  assert.is(JSON.stringify(d.local), before);
});

test('UNREGISTER_AGENT from the agent: removed from the registry and the books, TASK_LOST (REASON_AGENT_REMOVED), FAILURE', () => {
  const { d, aid } = runningTask();
  d.deliver({ type: 'OPERATOR_DEACTIVATE_AGENT', agent_id: aid, request: 'op-1' });
  assert.ok(d.ctx.registry.deactivated?.includes(aid));
  d.deliver({ type: 'UNREGISTER_AGENT', agent_id: { value: aid }, from: 'agent-0' });
  assert.is(d.ctx.agents[aid], undefined);
  assert.is(d.ctx.registry.admitted[aid], undefined);
  assert.is(d.ctx.registry.deactivated, undefined);
  assert.not.ok(d.ctx.registry.unreachable.includes(aid) || d.ctx.registry.gone.includes(aid));
  const lost = d.sent('sched-0', 'UPDATE').map((u) => (u.update as { status: { task_id: { value: string }; state: string; reason: string; message: string } }).status);
  assert.equal(
    lost.filter((s) => s.state === 'TASK_LOST').map((s) => [s.task_id.value, s.reason, s.message]),
    [['t1', 'REASON_AGENT_REMOVED', 'Agent agent-0 removed: the agent unregistered']],
  );
  assert.equal(d.sent('sched-0', 'FAILURE').at(-1), { type: 'FAILURE', failure: { agent_id: { value: aid } } });
  const fid = Object.keys(d.ctx.frameworks)[0]!;
  assert.equal(d.ctx.frameworks[fid]!.tasks, {});
});

test.run();
