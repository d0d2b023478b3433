/**
 * RESERVE_RESOURCES / UNRESERVE_RESOURCES on the master machine alone
 * (spec/machines/master/reservations.ts): validation in Mesos's order with its messages, the
 * offers rescinded to make room, reserved resources offered only to their role, and the
 * reservation kept across an agent's reregistration and a master failover.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { frameworkInfo, MasterDriver } from '../support/master-driver.ts';
import { masterRestartInput, type MasterContext } from '../../spec/machines/master.ts';
import { fromWire, mustParseResources, printResources, toWire, describeResources } from '../../spec/resources/index.ts';

const dyn = (name: string, value: number, role: string, principal?: string) => ({
  name,
  type: 'SCALAR',
  scalar: { value },
  reservations: [{ type: 'DYNAMIC', role, ...(principal ? { principal } : {}) }],
});

const op = (d: MasterDriver, event: AnyEventObject) => d.deliver({ ...event, request: 'op-1' }).replies();

function refused(d: MasterDriver, event: AnyEventObject, status: number, message: string | RegExp) {
  const before = JSON.stringify(d.local);
  const [answer, ...more] = op(d, event);
  assert.equal(more, []);
  assert.is(answer!.status, status);
  if (typeof message === 'string') assert.is(answer!.message, message);
  else assert.match(answer!.message!, message);
  assert.is(JSON.stringify(d.local), before, 'a refused call changed the master');
}

/** What the framework at `address` was offered in the last allocation, as text. */
function offered(d: MasterDriver, address: string): string[] {
  d.fire('allocation');
  const offers = (d.sent(address, 'OFFERS')[0]?.offers as { offers: { resources: unknown[] }[] } | undefined)?.offers ?? [];
  return offers.map((o) => {
    const r = fromWire(o.resources);
    return r.ok ? describeResources(r.value) : 'unparsable';
  });
}

function cluster() {
  const d = new MasterDriver();
  const aid = d.registerAgent('agent-0', 'cpus:4;mem:1024');
  return { d, aid };
}

test('RESERVE: validation in Mesos order, each refusal naming what is wrong and changing nothing', () => {
  const { d, aid } = cluster();
  const where = `Invalid RESERVE operation on agent ${aid} (agent-0)`;
  refused(d, { type: 'OPERATOR_RESERVE', agent_id: 'nobody', resources: [dyn('cpus', 1, 'web')] }, 400, 'No agent found with specified ID');
  refused(
    d,
    { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [{ name: 'cpus', type: 'SCALAR' }] },
    400,
    `${where}: Invalid resources: resources[0]: a SCALAR resource must have exactly the field scalar`,
  );
  refused(d, { type: 'OPERATOR_RESERVE', agent_id: aid, resources: toWire(mustParseResources('cpus:1')) }, 400, `${where}: Resource cpus:1 is not dynamically reserved`);
  refused(
    d,
    { type: 'OPERATOR_RESERVE', agent_id: aid, resources: toWire(mustParseResources('cpus(web):1')) },
    400,
    `${where}: Resource cpus(reservations: [(STATIC,web)]):1 is not dynamically reserved`,
  );
  refused(
    d,
    { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [dyn('cpus', 1, 'web', 'alice')], principal: 'bob' },
    400,
    `${where}: A reserve operation was attempted by authenticated principal 'bob', which does not match a reserved resource in the request with principal 'alice'`,
  );
  refused(
    d,
    { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [dyn('cpus', 1, 'web')], principal: 'bob' },
    400,
    `${where}: A reserve operation was attempted by principal 'bob', but there is a reserved resource in the request with no principal set`,
  );
  refused(
    d,
    { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [{ ...dyn('cpus', 1, 'web'), allocation_info: { role: 'web' } }] },
    400,
    `${where}: A reserve operation was attempted with an allocated resource, but the operator API only allows reservations to be made to unallocated resources`,
  );
  refused(
    d,
    { type: 'OPERATOR_RESERVE', agent_id: aid, source: toWire(mustParseResources('cpus:2')), resources: [dyn('cpus', 1, 'web')] },
    400,
    `${where}: Source and target resources should refer to identical resource quantities: cpus:2 vs. cpus:1`,
  );
  refused(d, { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [dyn('cpus', 5, 'web')] }, 409, 'cpus:4; mem:1024 does not contain cpus:5');
});

test('RESERVE: 202, the agent total holds the reservation, offered only to its role (and its children), then UNRESERVE gives it back', () => {
  const { d, aid } = cluster();
  assert.equal(op(d, { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [dyn('cpus', 3, 'web', 'ops'), dyn('mem', 512, 'web', 'ops')] }), [{ status: 202 }]);
  assert.is(printResources(fromWireOk(toWire(d.ctx.agents[aid]!.total, 'POST_RESERVATION_REFINEMENT')).filter((e) => !e.reservations)), 'cpus:1;mem:512');
  assert.ok(d.ctx.registry.reserved?.[aid], 'the reservation is persisted');
  d.subscribe('sched-other', frameworkInfo({ role: 'batch' }));
  assert.equal(offered(d, 'sched-other'), ['cpus:1; mem:512'], 'another role is offered only the unreserved part');
  const d2 = new MasterDriver();
  const aid2 = d2.registerAgent('agent-0', 'cpus:4;mem:1024');
  op(d2, { type: 'OPERATOR_RESERVE', agent_id: aid2, resources: [dyn('cpus', 3, 'web', 'ops')] });
  d2.subscribe('sched-child', frameworkInfo({ role: 'web/api' }));
  assert.equal(offered(d2, 'sched-child'), ['cpus:1; cpus(reservations: [(DYNAMIC,web,ops)]):3; mem:1024'], 'a child role is offered the reservation of its parent');
  assert.equal(op(d2, { type: 'OPERATOR_UNRESERVE', agent_id: aid2, resources: [dyn('cpus', 3, 'web', 'ops')] }), [{ status: 202 }], 'the offer is rescinded to make room');
  assert.is(d2.sent('sched-child', 'RESCIND').length, 1);
  assert.is(printResources(d2.ctx.agents[aid2]!.total), 'cpus:4;mem:1024');
  assert.is(d2.ctx.registry.reserved, undefined);
});

test('UNRESERVE: only dynamic reservations, only what the agent has', () => {
  const { d, aid } = cluster();
  refused(
    d,
    { type: 'OPERATOR_UNRESERVE', agent_id: aid, resources: toWire(mustParseResources('cpus:1')) },
    400,
    'Invalid UNRESERVE operation: Resource cpus:1 is not dynamically reserved',
  );
  refused(d, { type: 'OPERATOR_UNRESERVE', agent_id: aid, resources: [dyn('cpus', 1, 'web')] }, 409, /does not contain cpus\(reservations: \[\(DYNAMIC,web\)\]\):1$/);
  // A persistent volume is destroyed before its disk is unreserved, by the operator as by a framework.
  const volume = { ...dyn('disk', 32, 'web', 'ops'), disk: { persistence: { id: 'v1', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };
  refused(
    d,
    { type: 'OPERATOR_UNRESERVE', agent_id: aid, resources: [volume] },
    400,
    /cannot be unreserved directly\. Please destroy the persistent volume first then unreserve the resource$/,
  );
  // And a volume lives only on reserved disk (Mesos's validateDiskInfo).
  const { reservations: _unreserved, ...bare } = volume;
  refused(d, { type: 'OPERATOR_UNRESERVE', agent_id: aid, resources: [bare] }, 400, /disk: Persistent volumes cannot be created from unreserved resources$/);
});

test('an agent that leaves for good takes its reservations with it: marked gone, or unregistered', () => {
  for (const leave of [
    (d: MasterDriver, aid: string) => op(d, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: aid }),
    (d: MasterDriver, aid: string) => d.deliver({ type: 'UNREGISTER_AGENT', agent_id: { value: aid }, from: 'agent-0' }),
  ]) {
    const { d, aid } = cluster();
    assert.equal(op(d, { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [dyn('cpus', 1, 'web', 'ops')] }), [{ status: 202 }]);
    assert.ok(d.ctx.registry.reserved?.[aid]);
    leave(d, aid);
    assert.is(d.ctx.registry.reserved, undefined, 'no reservation of a departed agent is left in the registry');
  }
});

test('a refinement: reserve for web/api out of what web reserved, and back', () => {
  const { d, aid } = cluster();
  op(d, { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [dyn('cpus', 2, 'web')] });
  const refined = {
    name: 'cpus',
    type: 'SCALAR',
    scalar: { value: 1 },
    reservations: [
      { type: 'DYNAMIC', role: 'web' },
      { type: 'DYNAMIC', role: 'web/api' },
    ],
  };
  assert.equal(op(d, { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [refined] }), [{ status: 202 }]);
  assert.is(describeResources(d.ctx.agents[aid]!.total), 'cpus:2; cpus(reservations: [(DYNAMIC,web)]):1; cpus(reservations: [(DYNAMIC,web),(DYNAMIC,web/api)]):1; mem:1024');
  assert.equal(op(d, { type: 'OPERATOR_UNRESERVE', agent_id: aid, resources: [refined] }), [{ status: 202 }]);
  assert.is(describeResources(d.ctx.agents[aid]!.total), 'cpus:2; cpus(reservations: [(DYNAMIC,web)]):2; mem:1024');
});

test('the reservation outlives an agent restart and a master failover', () => {
  const { d, aid } = cluster();
  op(d, { type: 'OPERATOR_RESERVE', agent_id: aid, resources: [dyn('cpus', 3, 'web', 'ops')] });
  const reserved = describeResources(d.ctx.agents[aid]!.total);
  d.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  d.deliver({
    type: 'REREGISTER_AGENT',
    agent_info: { ...d.ctx.agents[aid]!.info, resources: toWire(mustParseResources('cpus:4;mem:1024')) },
    version: '1.11.0',
    tasks: [],
    from: 'agent-1',
  });
  assert.is(describeResources(d.ctx.agents[aid]!.total), reserved, 'after the agent reregistered');
  const next = new MasterDriver(undefined, masterRestartInput(d.ctx as MasterContext));
  assert.is(describeResources(next.ctx.agents[aid]!.total), reserved, 'after a master failover');
});

function fromWireOk(json: unknown) {
  const r = fromWire(json);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

test.run();
