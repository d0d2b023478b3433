/**
 * An ACCEPT's RESERVE, UNRESERVE, CREATE and DESTROY on the master machine alone
 * (spec/machines/master/operations.ts): applied in order to the offered resources (a LAUNCH
 * after them uses what they made), each answered with operation feedback when it has an id,
 * refused with Mesos's messages without changing anything, the new shape kept in the registry
 * and offered only to the reservation's role.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conservation, noOverAllocation } from '../../invariants/allocation.ts';
import { reservedOnlyToRole } from '../../invariants/reservations.ts';
import { fromWire, describeResources } from '../../spec/resources/index.ts';
import { MasterDriver, frameworkInfo, taskInfo } from '../support/master-driver.ts';

const RESERVATION = [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }];
const reservedDisk = (mb: number) => ({ name: 'disk', type: 'SCALAR', scalar: { value: mb }, reservations: RESERVATION });
const reservedCpus = (n: number) => ({ name: 'cpus', type: 'SCALAR', scalar: { value: n }, reservations: RESERVATION });
const volume = (mb: number, id = 'v1') => ({ ...reservedDisk(mb), disk: { persistence: { id, principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } });

type Session = { fid: string; stream: string };

function setup() {
  const d = new MasterDriver();
  const aid = d.registerAgent('agent-0', 'cpus:2;mem:1024;disk:1024');
  const web = d.subscribe('fw-web', frameworkInfo({ roles: ['web'], principal: 'ops', capabilities: [{ type: 'MULTI_ROLE' }, { type: 'RESERVATION_REFINEMENT' }] })) as Session;
  return { d, aid, web };
}

/** The offers the framework at `address` gets in the next allocation: id and resources as text. */
function offers(d: MasterDriver, address: string): { id: string; text: string }[] {
  d.fire('allocation');
  const sent = (d.sent(address, 'OFFERS')[0]?.offers as { offers: { id: { value: string }; resources: unknown[] }[] } | undefined)?.offers ?? [];
  return sent.map((o) => {
    const r = fromWire(o.resources);
    return { id: o.id.value, text: r.ok ? describeResources(r.value) : 'unparsable' };
  });
}

function accept(d: MasterDriver, address: string, session: Session, offerId: string, operations: unknown[]) {
  d.call(address, session, { type: 'ACCEPT', accept: { offer_ids: [{ value: offerId }], operations, filters: { refuse_seconds: 0 } } });
  return d
    .sent(address, 'UPDATE_OPERATION_STATUS')
    .map((u) => (u.update_operation_status as { status: { operation_id: { value: string }; state: string; message?: string } }).status);
}

test('RESERVE, CREATE, LAUNCH in one ACCEPT: both FINISHED, the task gets the volume, the registry keeps reservation and volume', () => {
  const { d, aid, web } = setup();
  const [o] = offers(d, 'fw-web');
  const answers = accept(d, 'fw-web', web, o!.id, [
    { type: 'RESERVE', id: { value: 'r1' }, reserve: { resources: [reservedCpus(1), reservedDisk(64)] } },
    { type: 'CREATE', id: { value: 'c1' }, create: { volumes: [volume(64)] } },
    { type: 'LAUNCH', launch: { task_infos: [taskInfo('t1', aid, [reservedCpus(1), { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }, volume(64)])] } },
  ]);
  assert.equal(
    answers.map((s) => [s.operation_id.value, s.state]),
    [
      ['r1', 'OPERATION_FINISHED'],
      ['c1', 'OPERATION_FINISHED'],
    ],
  );
  assert.is(d.sent('fw-web', 'UPDATE').length, 0, 'the task was not refused');
  assert.is(d.sent('agent-0', 'RUN_TASK').length, 1);
  const kept = fromWire(d.ctx.registry.reserved![aid]!);
  assert.ok(kept.ok);
  assert.is(describeResources(kept.value), 'cpus(reservations: [(DYNAMIC,web,ops)]):1; disk(reservations: [(DYNAMIC,web,ops)])[v1:data]:64');
  assert.is(conservation(d.ctx), null);
  assert.is(noOverAllocation(d.ctx), null);
  // While the task runs, the volume is in no offer; the other resources come back.
  const next = offers(d, 'fw-web');
  assert.ok(
    next.every((x) => !x.text.includes('[v1:data]')),
    JSON.stringify(next),
  );
});

test('reserved resources and the volume are offered to their role only; DESTROY then UNRESERVE gives them back to *', () => {
  const { d, web } = setup();
  const [o] = offers(d, 'fw-web');
  accept(d, 'fw-web', web, o!.id, [
    { type: 'RESERVE', reserve: { resources: [reservedDisk(64)] } },
    { type: 'CREATE', create: { volumes: [volume(64)] } },
  ]);
  const other = d.subscribe('fw-other', frameworkInfo({ roles: ['batch'], capabilities: [{ type: 'MULTI_ROLE' }] })) as Session;
  assert.is(reservedOnlyToRole(d.ctx), null);
  // DRF may give the unreserved rest to either framework; the volume only ever goes to web.
  const toOther = offers(d, 'fw-other');
  assert.ok(
    toOther.every((x) => !x.text.includes('DYNAMIC')),
    JSON.stringify(toOther),
  );
  let withVolume = offers(d, 'fw-web').find((x) => x.text.includes('[v1:data]'));
  if (withVolume === undefined) {
    for (const x of toOther) d.call('fw-other', other, { type: 'DECLINE', decline: { offer_ids: [{ value: x.id }], filters: { refuse_seconds: 1000 } } });
    withVolume = offers(d, 'fw-web').find((x) => x.text.includes('[v1:data]'));
  }
  assert.ok(withVolume, 'the volume is offered to web');
  const answers = accept(d, 'fw-web', web, withVolume!.id, [
    { type: 'DESTROY', id: { value: 'd1' }, destroy: { volumes: [volume(64)] } },
    { type: 'UNRESERVE', id: { value: 'u1' }, unreserve: { resources: [reservedDisk(64)] } },
  ]);
  assert.equal(
    answers.map((s) => s.state),
    ['OPERATION_FINISHED', 'OPERATION_FINISHED'],
  );
  assert.is(d.ctx.registry.reserved, undefined);
  assert.ok(d.ctx.allocator.agents[0]!.total.every((e) => e.reservations === undefined && e.disk === undefined));
  assert.is(conservation(d.ctx), null);
});

test('refusals: OPERATION_ERROR with Mesos messages, nothing changed, the next operation still applies', () => {
  const { d, aid, web } = setup();
  const [o] = offers(d, 'fw-web');
  const answers = accept(d, 'fw-web', web, o!.id, [
    { type: 'RESERVE', id: { value: 'a' }, reserve: { resources: [{ ...reservedCpus(1), reservations: [{ type: 'DYNAMIC', role: 'batch', principal: 'ops' }] }] } },
    { type: 'RESERVE', id: { value: 'b' }, reserve: { resources: [{ ...reservedCpus(1), reservations: [{ type: 'DYNAMIC', role: 'web', principal: 'eve' }] }] } },
    { type: 'RESERVE', id: { value: 'c' }, reserve: { resources: [reservedCpus(5)] } },
    { type: 'UNRESERVE', id: { value: 'd' }, unreserve: { resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] } },
    { type: 'CREATE', id: { value: 'e' }, create: { volumes: [reservedDisk(64)] } },
    { type: 'RESERVE', id: { value: 'f' }, reserve: { resources: [reservedDisk(64)] } },
    { type: 'CREATE', id: { value: 'g' }, create: { volumes: [volume(32), volume(32)] } },
    { type: 'CREATE', id: { value: 'h' }, create: { volumes: [volume(32)] } },
    { type: 'UNRESERVE', id: { value: 'i' }, unreserve: { resources: [volume(32)] } },
    { type: 'DESTROY', id: { value: 'j' }, destroy: { volumes: [volume(32, 'nope')] } },
    { type: 'RESERVE', reserve: { resources: [reservedCpus(9)] } },
  ]);
  const on = `; on agent ${aid} (agent-0)`;
  assert.equal(
    answers.map((s) => [s.operation_id.value, s.state, s.message ?? '']),
    [
      ['a', 'OPERATION_ERROR', `A reserve operation was attempted for a resource with role 'batch', but the resource was allocated to role 'web'${on}`],
      [
        'b',
        'OPERATION_ERROR',
        `A reserve operation was attempted by authenticated principal 'ops', which does not match a reserved resource in the request with principal 'eve'${on}`,
      ],
      ['c', 'OPERATION_ERROR', 'cpus(allocated: web):2; disk(allocated: web):1024; mem(allocated: web):1024 does not contain cpus(allocated: web):5'],
      ['d', 'OPERATION_ERROR', `Resource cpus(allocated: web):1 is not dynamically reserved${on}`],
      ['e', 'OPERATION_ERROR', `Not a persistent volume: 'persistence' is not set in DiskInfo${on}`],
      ['f', 'OPERATION_FINISHED', ''],
      ['g', 'OPERATION_ERROR', `Persistence ID 'v1' is not unique${on}`],
      ['h', 'OPERATION_FINISHED', ''],
      [
        'i',
        'OPERATION_ERROR',
        `A dynamically reserved persistent volume disk(allocated: web)(reservations: [(DYNAMIC,web,ops)])[v1:data]:32 cannot be unreserved directly. Please destroy the persistent volume first then unreserve the resource${on}`,
      ],
      ['j', 'OPERATION_ERROR', `Persistent volumes not found${on}`],
    ],
  );
  assert.is(conservation(d.ctx), null);
});

test('an ACCEPT on invalid offers answers its operations OPERATION_ERROR; the ACL verdict refuses an operation', () => {
  const { d, aid, web } = setup();
  const answers = accept(d, 'fw-web', web, 'no-such-offer', [{ type: 'RESERVE', id: { value: 'r' }, reserve: { resources: [reservedCpus(1)] } }]);
  assert.equal(answers, [{ operation_id: { value: 'r' }, state: 'OPERATION_ERROR', message: 'Operation attempted with invalid offers: Offer no-such-offer is no longer valid' }]);
  const [o] = offers(d, 'fw-web');
  d.call('fw-web', web, {
    type: 'ACCEPT',
    accept: { offer_ids: [{ value: o!.id }], operations: [{ type: 'RESERVE', id: { value: 'r' }, reserve: { resources: [reservedCpus(1)] } }] },
    unauthorizedOperations: { '0': "Not authorized to reserve resources for role 'web'" },
  });
  assert.equal(
    d.sent('fw-web', 'UPDATE_OPERATION_STATUS').map((u) => (u.update_operation_status as { status: { message: string } }).status.message),
    ["Not authorized to reserve resources for role 'web'"],
  );
  assert.is(d.ctx.registry.reserved, undefined);
  assert.ok(aid);
});

test('CREATE_VOLUMES / DESTROY_VOLUMES by an operator: 400 naming what is wrong and changing nothing, 202 once applied, the volume in the registry', () => {
  const d = new MasterDriver();
  const aid = d.registerAgent('agent-0', 'cpus:2;mem:1024;disk:1024');
  const op = (event: { type: string } & Record<string, unknown>) => d.deliver({ ...event, request: 'op-1' }).replies();
  assert.equal(op({ type: 'OPERATOR_RESERVE', agent_id: aid, resources: [reservedDisk(64)] }), [{ status: 202 }]);
  const before = JSON.stringify(d.local);
  const where = `Invalid CREATE operation on agent ${aid} (agent-0)`;
  assert.equal(op({ type: 'OPERATOR_CREATE_VOLUMES', agent_id: 'nobody', volumes: [volume(64)] }), [{ status: 400, message: 'No agent found with specified ID' }]);
  assert.equal(op({ type: 'OPERATOR_CREATE_VOLUMES', agent_id: aid, volumes: [reservedDisk(64)] }), [
    { status: 400, message: `${where}: Not a persistent volume: 'persistence' is not set in DiskInfo` },
  ]);
  assert.equal(op({ type: 'OPERATOR_CREATE_VOLUMES', agent_id: aid, volumes: [volume(64)], principal: 'eve' }), [
    {
      status: 400,
      message: `${where}: Create volume operation attempted by authenticated principal 'eve', which does not match a volume in the operation with principal 'ops' set in 'disk.persistence'`,
    },
  ]);
  assert.equal(op({ type: 'OPERATOR_DESTROY_VOLUMES', agent_id: aid, volumes: [volume(64)] }), [
    { status: 400, message: 'Invalid DESTROY operation: Persistent volumes not found' },
  ]);
  assert.is(JSON.stringify(d.local), before, 'a refused call changed the master');
  assert.equal(op({ type: 'OPERATOR_CREATE_VOLUMES', agent_id: aid, volumes: [volume(128)] }), [
    { status: 409, message: 'cpus:2; disk:960; disk(reservations: [(DYNAMIC,web,ops)]):64; mem:1024 does not contain disk(reservations: [(DYNAMIC,web,ops)]):128' },
  ]);
  assert.equal(op({ type: 'OPERATOR_CREATE_VOLUMES', agent_id: aid, volumes: [volume(64)], principal: 'ops' }), [{ status: 202 }]);
  const kept = fromWire(d.ctx.registry.reserved![aid]!);
  assert.ok(kept.ok);
  assert.is(describeResources(kept.value), 'disk(reservations: [(DYNAMIC,web,ops)])[v1:data]:64');
  assert.equal(op({ type: 'OPERATOR_DESTROY_VOLUMES', agent_id: aid, volumes: [volume(64)] }), [{ status: 202 }]);
  const after = fromWire(d.ctx.registry.reserved![aid]!);
  assert.ok(after.ok);
  assert.is(describeResources(after.value), 'disk(reservations: [(DYNAMIC,web,ops)]):64');
  assert.is(conservation(d.ctx), null);
});

test.run();
