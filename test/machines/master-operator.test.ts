/**
 * The operator calls that change the cluster, on the master machine alone: MARK_AGENT_GONE,
 * DEACTIVATE_AGENT / REACTIVATE_AGENT, UPDATE_WEIGHTS (spec/machines/master/operator.ts), each
 * answered with Mesos's status and message, each refusal leaving the context as it was.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { frameworkInfo, MasterDriver, partitionAware, runningTask } from '../support/master-driver.ts';

const op = (d: MasterDriver, event: AnyEventObject) => d.deliver({ ...event, request: 'op-1' }).replies();

/** A refused call changes nothing: same context, no timers set or cancelled, nothing sent. */
function refused(d: MasterDriver, event: AnyEventObject, status: number, message: string) {
  const before = d.local;
  assert.equal(op(d, event), [{ status, message }]);
  assert.is(JSON.stringify(d.local), JSON.stringify(before));
  assert.equal(d.sent(), []);
}

test('MARK_AGENT_GONE: the agent is shut down, its task is GONE_BY_OPERATOR, the framework hears FAILURE, no timer of the agent is left', () => {
  const { d, aid } = runningTask();
  assert.equal(op(d, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: aid }), [{ status: 200 }]);
  assert.equal(d.sent('agent-0', 'SHUTDOWN_AGENT'), [{ type: 'SHUTDOWN_AGENT', message: 'Agent has been marked gone' }]);
  const [update] = d.sent('sched-0', 'UPDATE') as unknown as { update: { status: { state: string; reason: string; source: string } } }[];
  assert.is(update!.update.status.state, 'TASK_GONE_BY_OPERATOR');
  assert.is(update!.update.status.reason, 'REASON_AGENT_REMOVED_BY_OPERATOR');
  assert.is(update!.update.status.source, 'SOURCE_MASTER');
  assert.equal(d.sent('sched-0', 'FAILURE'), [{ type: 'FAILURE', failure: { agent_id: { value: aid } } }]);
  assert.equal(d.ctx.registry.gone, [aid]);
  assert.is(d.ctx.registry.admitted[aid], undefined);
  assert.is(d.ctx.agents[aid], undefined);
  assert.is(d.ctx.allocator.agents.length, 0);
  assert.equal(Object.keys(d.ctx.frameworks[Object.keys(d.ctx.frameworks)[0]!]!.tasks), []);
  // Offer filters may still expire (harmlessly, as after an agent becomes unreachable); pings and the reregistration wait may not.
  assert.equal(
    d.local.timers.filter((t) => (t.event.type === 'PING_DUE' || t.event.type === 'REREGISTER_TIMEOUT') && (t.event as { agent_id?: string }).agent_id === aid),
    [],
  );
});

test('MARK_AGENT_GONE: a framework that is not partition-aware hears TASK_LOST (REASON_AGENT_REMOVED)', () => {
  const { d, aid } = runningTask(frameworkInfo());
  op(d, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: aid });
  const [update] = d.sent('sched-0', 'UPDATE') as unknown as { update: { status: { state: string; reason: string } } }[];
  assert.equal([update!.update.status.state, update!.update.status.reason], ['TASK_LOST', 'REASON_AGENT_REMOVED']);
});

test('MARK_AGENT_GONE: 200 again for a gone agent, 404 for an unknown one, both without a change; a gone agent never comes back', () => {
  const { d, aid } = runningTask();
  op(d, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: aid });
  const before = d.local;
  assert.equal(op(d, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: aid }), [{ status: 200 }]);
  assert.is(JSON.stringify(d.local.context), JSON.stringify(before.context));
  refused(d, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: 'nobody' }, 404, "Agent 'nobody' not found");
  d.deliver({ type: 'REREGISTER_AGENT', agent_info: { hostname: 'agent-0', id: { value: aid } }, version: '1.11.0', tasks: [], from: 'agent-0' });
  assert.equal(d.sent('agent-0', 'SHUTDOWN_AGENT'), [{ type: 'SHUTDOWN_AGENT', message: 'Agent has been marked gone' }]);
  assert.is(d.ctx.agents[aid], undefined);
});

test('MARK_AGENT_GONE of an unreachable agent: its unreachable tasks end GONE_BY_OPERATOR', () => {
  const { d, aid } = runningTask();
  d.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  d.fire(`reregister:${aid}`);
  assert.ok(d.ctx.registry.unreachable.includes(aid));
  op(d, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: aid });
  const [update] = d.sent('sched-0', 'UPDATE') as unknown as { update: { status: { state: string } } }[];
  assert.is(update!.update.status.state, 'TASK_GONE_BY_OPERATOR');
  assert.equal(d.ctx.registry.unreachable, []);
  const f = Object.values(d.ctx.frameworks)[0]!;
  assert.equal([Object.keys(f.unreachable), f.completed], [[], ['t1']]);
});

test('DEACTIVATE_AGENT: 400 for an unknown agent; a deactivated agent is not offered, its offers are rescinded, until REACTIVATE_AGENT', () => {
  const d = new MasterDriver();
  const aid = d.registerAgent('agent-0');
  d.subscribe('sched-0', partitionAware);
  refused(d, { type: 'OPERATOR_DEACTIVATE_AGENT', agent_id: 'nobody' }, 400, 'Unknown agent');
  refused(d, { type: 'OPERATOR_REACTIVATE_AGENT', agent_id: aid }, 400, 'Agent is not deactivated');
  d.fire('allocation');
  const offer = (d.sent('sched-0', 'OFFERS')[0]!.offers as { offers: { id: { value: string } }[] }).offers[0]!;
  assert.equal(op(d, { type: 'OPERATOR_DEACTIVATE_AGENT', agent_id: aid }), [{ status: 200 }]);
  assert.equal(d.sent('sched-0', 'RESCIND'), [{ type: 'RESCIND', rescind: { offer_id: offer.id } }]);
  assert.equal(d.ctx.registry.deactivated, [aid]);
  d.fire('allocation');
  assert.equal(d.sent('sched-0', 'OFFERS'), [], 'a deactivated agent is offered');
  // It stays deactivated when it reregisters.
  d.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  d.deliver({ type: 'REREGISTER_AGENT', agent_info: { ...d.ctx.agents[aid]!.info }, version: '1.11.0', tasks: [], from: 'agent-1' });
  d.fire('allocation');
  assert.equal(d.sent('sched-0', 'OFFERS'), [], 'a deactivated agent is offered after reregistering');
  assert.equal(op(d, { type: 'OPERATOR_REACTIVATE_AGENT', agent_id: aid }), [{ status: 200 }]);
  assert.is(d.ctx.registry.deactivated, undefined);
  d.fire('allocation');
  assert.is(d.sent('sched-0', 'OFFERS').length, 1);
});

test('UPDATE_WEIGHTS: 400 naming the role for a bad weight or role, nothing changed; else persisted, in the allocator, offers rescinded', () => {
  const d = new MasterDriver();
  d.registerAgent('agent-0');
  d.subscribe('sched-0', partitionAware);
  d.fire('allocation');
  const w = (weight_infos: unknown[]) => ({ type: 'OPERATOR_UPDATE_WEIGHTS', weight_infos });
  refused(
    d,
    w([
      { role: 'a', weight: 2 },
      { role: 'b', weight: 0 },
    ]),
    400,
    "Failed to validate update weights request JSON for role 'b': Invalid weight '0': Weights must be positive",
  );
  refused(d, w([{ role: '.', weight: 2 }]), 400, "Failed to validate update weights request JSON: Invalid role '.': Role '.' cannot include '.' as a component");
  assert.equal(op(d, w([{ role: ' web ', weight: 2.5 }])), [{ status: 200 }]);
  assert.equal(d.ctx.registry.weights, { web: 2.5 });
  assert.equal(d.ctx.allocator.weights, { web: 2.5 });
  assert.equal(d.sent('sched-0', 'RESCIND'), [], 'no framework in role web: offers stay');
  assert.equal(op(d, w([{ role: '*', weight: 3 }])), [{ status: 200 }]);
  assert.is(d.sent('sched-0', 'RESCIND').length, 1, 'a role with frameworks: offers are rescinded');
});

test('weights come from --weights, and what operators set overrides them after a failover', () => {
  const d = new MasterDriver(undefined, {
    id: 'm',
    flags: { heartbeatIntervalMs: 0, weights: { a: 2, b: 3 } },
    registry: { admitted: {}, unreachable: [], gone: [], weights: { b: 5 } },
  });
  assert.equal(d.ctx.allocator.weights, { a: 2, b: 5 });
});

test.run();
