/**
 * UPDATE_QUOTA on the master machine alone (spec/machines/master/quota.ts): Mesos's checks and
 * messages, each refusal leaving the context as it was; the registry first, then the allocator,
 * then offers rescinded so the next allocation honours the quota; GET_QUOTA's shape.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { frameworkInfo, MasterDriver, taskInfo } from '../support/master-driver.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import { initialMasterContext } from '../../spec/machines/master.ts';
import { quotaStatus } from '../../spec/machines/master/quota.ts';

const op = (d: MasterDriver, event: AnyEventObject) => d.deliver({ ...event, request: 'op-1' }).replies();
const cfg = (role: string, guarantees: Record<string, number> = {}, limits: Record<string, number> = {}) => ({
  role,
  guarantees: Object.fromEntries(Object.entries(guarantees).map(([k, v]) => [k, { value: v }])),
  limits: Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, { value: v }])),
});
const update = (...quota_configs: ReturnType<typeof cfg>[]) => ({ type: 'OPERATOR_UPDATE_QUOTA', quota_configs });

function refused(d: MasterDriver, event: AnyEventObject, status: number, message: string) {
  const before = d.local;
  assert.equal(op(d, event), [{ status, message }]);
  assert.is(JSON.stringify(d.local), JSON.stringify(before));
  assert.equal(d.sent(), []);
}

test('UPDATE_QUOTA refuses bad configs with Mesos messages and changes nothing', () => {
  const d = new MasterDriver();
  d.registerAgent('agent-0');
  refused(d, update(cfg('a/b', { cpus: 1 })), 400, "Updating quota on nested role 'a/b' is not supported yet");
  refused(d, update(cfg('.', { cpus: 1 })), 400, "Invalid QuotaConfig: Invalid 'QuotaConfig.role': Role '.' cannot include '.' as a component");
  refused(d, update(cfg('web', { cpus: -1 })), 400, "Invalid QuotaConfig: Invalid guarantee configuration {'cpus': -1}: Negative values not supported");
  refused(
    d,
    update(cfg('web', {}, { mem: 2 ** 41 })),
    400,
    "Invalid QuotaConfig: Invalid 'QuotaConfig.limits': {'mem': 2199023255552} is invalid: values greater than 1 exabyte (1099511627776) are not supported",
  );
  refused(
    d,
    update(cfg('web', { cpus: 2 }, { cpus: 1 })),
    400,
    "Invalid QuotaConfig: 'QuotaConfig.guarantees' {'cpus': 2} is not contained within the 'QuotaConfig.limits' {'cpus': 1}",
  );
  refused(
    d,
    update(cfg('web', { cpus: 100 })),
    400,
    "Invalid QuotaConfig: total quota guarantees 'cpus:100' exceed cluster capacity 'cpus:2;mem:1024' (use 'force' flag to bypass this check)",
  );
});

test('UPDATE_QUOTA: registry first, then the allocator; GET_QUOTA shows configs and the legacy infos; an empty config removes it; force passes the capacity check', () => {
  const d = new MasterDriver();
  d.registerAgent('agent-0');
  assert.equal(op(d, update(cfg('web', { cpus: 1 }, { cpus: 2, mem: 0 }))), [{ status: 200 }]);
  assert.equal(d.ctx.registry.quotas, { web: { role: 'web', guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 2 }, mem: { value: 0 } } } });
  assert.equal(d.ctx.allocator.quotas, { web: { guarantees: { cpus: 1000 }, limits: { cpus: 2000, mem: 0 } } });
  assert.equal(quotaStatus(d.ctx), {
    infos: [{ role: 'web', guarantee: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] }],
    configs: [{ role: 'web', guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 2 }, mem: { value: 0 } } }],
  });
  // A failed-over master starts with the quota its predecessor persisted.
  assert.equal(initialMasterContext({ id: 'm2', registry: d.ctx.registry }).allocator.quotas, d.ctx.allocator.quotas);
  assert.equal(op(d, update(cfg('web'))), [{ status: 200 }]);
  assert.is(d.ctx.registry.quotas, undefined);
  assert.is(d.ctx.allocator.quotas, undefined);
  assert.equal(quotaStatus(d.ctx), {});
  assert.equal(op(d, { ...update(cfg('big', { cpus: 100 })), force: true }), [{ status: 200 }]);
});

test('UPDATE_QUOTA: a limit below what the role already consumes needs force; offers beyond the new limit are rescinded', () => {
  const d = new MasterDriver();
  d.registerAgent('agent-0');
  const s = d.subscribe('sched-0', frameworkInfo({ roles: ['web'], capabilities: [{ type: 'MULTI_ROLE' }] })) as { fid: string; stream: string };
  d.fire('allocation');
  const [offers] = d.sent('sched-0', 'OFFERS') as unknown as { offers: { offers: { id: { value: string } }[] } }[];
  const oid = offers!.offers.offers[0]!.id.value;
  // An outstanding offer is not consumption: the limit is accepted, and the offer rescinded.
  assert.equal(op(d, update(cfg('web', {}, { cpus: 1 }))), [{ status: 200 }]);
  assert.equal(d.sent('sched-0', 'RESCIND'), [{ type: 'RESCIND', rescind: { offer_id: { value: oid } } }]);
  assert.is(d.ctx.offers[oid], undefined);
  // The next allocation offers only what the limit allows.
  d.fire('allocation');
  const [again] = d.sent('sched-0', 'OFFERS') as unknown as { offers: { offers: { resources: { name: string; scalar?: { value: number } }[] }[] } }[];
  const cpus = again!.offers.offers[0]!.resources.filter((r) => r.name === 'cpus').reduce((n, r) => n + (r.scalar?.value ?? 0), 0);
  assert.is(cpus, 1);
  // A task uses that cpu: a limit below it is refused without force, accepted with it.
  const offer = (again as unknown as { offers: { offers: { id: { value: string }; agent_id: { value: string } }[] } }).offers.offers[0]!;
  d.call('sched-0', s, {
    type: 'ACCEPT',
    accept: {
      offer_ids: [offer.id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [taskInfo('t1', offer.agent_id.value, toWire(mustParseResources('cpus:1;mem:128')))] } }],
    },
  });
  refused(
    d,
    update(cfg('web', {}, { cpus: 0.5 })),
    400,
    "Invalid QuotaConfig: Role 'web' is already consuming 'cpus:1;mem:128'; this is more than the requested limits 'cpus:0.5' (use 'force' flag to bypass this check)",
  );
  assert.equal(op(d, { ...update(cfg('web', {}, { cpus: 0.5 })), force: true }), [{ status: 200 }]);
});

test.run();
