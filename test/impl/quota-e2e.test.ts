/**
 * Quota end to end over HTTP (issue 17): a master, two agents on the master <-> agent
 * transport, two frameworks on the scheduler API and an operator on the operator API. A
 * framework of `batch` holds the whole cluster when the operator guarantees `web` two cpus:
 * the master rescinds batch's offers, web gets both agents although batch keeps asking, and
 * what web declines is held back for it (never offered to batch) until web takes it. Then a
 * limit: batch is limited to nothing and is offered nothing. Every step waits on an event. The
 * outstanding offers and tasks are read as an operator reads them, with GET_FRAMEWORKS and
 * GET_TASKS, never from the in-process master's context.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { operatorCall, schedulerCall, subscribe, type EventStream } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { Acls } from '../../impl/http/acls.ts';
import { aclOnlyMaster } from '../support/secured-master.ts';

const test = suite('quota end to end');

interface Offer {
  id: { value: string };
  agent_id: { value: string };
  resources: { name: string; scalar?: { value: number } }[];
}

let master: MasterServer | undefined;
const agents: FakeAgent[] = [];
const streams: EventStream[] = [];

test.after(async () => {
  for (const s of streams) s.close();
  for (const a of agents) a.close();
  if (master) {
    assert.equal(master.violations, []);
    await master.close();
  }
});

const agentResources = [
  { name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } },
  { name: 'mem', type: 'SCALAR' as const, scalar: { value: 256 } },
];

async function framework(role: string) {
  const stream = await subscribe(
    master!.url,
    JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: role, roles: [role], capabilities: [{ type: 'MULTI_ROLE' }] } } }),
  );
  streams.push(stream);
  const fid = (await stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
  return { stream, fid };
}

const cpus = (o: Offer) => o.resources.filter((r) => r.name === 'cpus').reduce((n, r) => n + (r.scalar?.value ?? 0), 0);
/** The outstanding offers to framework `fid`, as GET_FRAMEWORKS lists them. */
async function offersOf(fid: string): Promise<Offer[]> {
  const r = await operatorCall(master!.url, '{"type":"GET_FRAMEWORKS"}');
  if (r.status !== 200) throw new Error(`GET_FRAMEWORKS answered ${r.status}: ${r.body}`);
  const frameworks = (r.json as { get_frameworks: { frameworks?: { framework_info: { id?: { value: string } }; offers?: Offer[] }[] } }).get_frameworks.frameworks ?? [];
  return frameworks.find((f) => f.framework_info.id?.value === fid)?.offers ?? [];
}

/** The tasks of framework `fid` the master tracks: GET_TASKS's `tasks` (not its unreachable or completed ones). */
async function tasksOf(fid: string): Promise<unknown[]> {
  const r = await operatorCall(master!.url, '{"type":"GET_TASKS"}');
  if (r.status !== 200) throw new Error(`GET_TASKS answered ${r.status}: ${r.body}`);
  return ((r.json as { get_tasks: { tasks?: { framework_id: { value: string } }[] } }).get_tasks.tasks ?? []).filter((t) => t.framework_id.value === fid);
}

const quotaCall = (role: string, guarantees: Record<string, number>, limits: Record<string, number> = {}) => ({
  type: 'UPDATE_QUOTA',
  update_quota: {
    quota_configs: [
      {
        role,
        guarantees: Object.fromEntries(Object.entries(guarantees).map(([k, v]) => [k, { value: v }])),
        limits: Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, { value: v }])),
      },
    ],
  },
});

test('quota guarantee met with two frameworks competing; what web declines is held back for it; a limit of nothing offers nothing', async () => {
  master = await startMaster({ port: 0, checkInvariants: true, flags: { allocationIntervalMs: 50 }, log: () => {} });
  for (const [i, port] of [5801, 5802].entries())
    agents.push(await new FakeAgent({ master: master.url, hostname: `quota-agent-${i}`, port, resources: agentResources, script: () => ['TASK_RUNNING'] }).start());

  // batch holds both agents.
  const batch = await framework('batch');
  await eventually(async () => (await offersOf(batch.fid)).length === 2, 10_000, 'batch to be offered both agents');

  // Bad quota: 400 naming the field; more than the cluster: 400 naming the capacity; nothing changed.
  let r = await operatorCall(master.url, JSON.stringify(quotaCall('web', { cpus: -1 })));
  assert.equal([r.status, r.body], [400, "Invalid QuotaConfig: Invalid guarantee configuration {'cpus': -1}: Negative values not supported"]);
  r = await operatorCall(master.url, JSON.stringify(quotaCall('web', { cpus: 3 })));
  assert.equal([r.status, r.body], [400, "Invalid QuotaConfig: total quota guarantees 'cpus:3' exceed cluster capacity 'cpus:2;mem:512' (use 'force' flag to bypass this check)"]);
  assert.is((await offersOf(batch.fid)).length, 2);

  // web is guaranteed the whole cluster: batch's offers are rescinded.
  r = await operatorCall(master.url, JSON.stringify(quotaCall('web', { cpus: 2, mem: 512 })));
  assert.equal([r.status, r.body], [200, '']);
  await batch.stream.nextOfType('RESCIND');
  r = await operatorCall(master.url, '{"type":"GET_QUOTA"}');
  assert.equal(r.json, {
    type: 'GET_QUOTA',
    get_quota: {
      status: {
        infos: [
          {
            role: 'web',
            guarantee: [
              { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
              { name: 'mem', type: 'SCALAR', scalar: { value: 512 } },
            ],
          },
        ],
        configs: [{ role: 'web', guarantees: { cpus: { value: 2 }, mem: { value: 512 } } }],
      },
    },
  });

  // batch keeps asking (REVIVE), web arrives: web gets both agents, batch nothing.
  assert.is((await schedulerCall(master.url, JSON.stringify({ type: 'REVIVE', framework_id: { value: batch.fid } }), batch.stream.streamId)).status, 202);
  const web = await framework('web');
  await eventually(async () => (await offersOf(web.fid)).length === 2, 10_000, 'web to be offered both agents');
  assert.equal(await offersOf(batch.fid), []);

  // web launches on one agent and declines the other for 0.3 s: it is held back for web (batch is
  // not offered it), then offered to web again.
  const held = await eventually(
    async () => {
      const offers = await offersOf(web.fid);
      return offers.length === 2 && offers;
    },
    1000,
    'both offers',
  );
  const [use, decline] = held;
  const task = { name: 't', task_id: { value: 't' }, agent_id: use!.agent_id, resources: agentResources, command: { value: 'sleep 60', shell: true } };
  const accept = {
    type: 'ACCEPT',
    framework_id: { value: web.fid },
    accept: { offer_ids: [use!.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] },
  };
  assert.is((await schedulerCall(master.url, JSON.stringify(accept), web.stream.streamId)).status, 202);
  const declineCall = { type: 'DECLINE', framework_id: { value: web.fid }, decline: { offer_ids: [decline!.id], filters: { refuse_seconds: 0.3 } } };
  assert.is((await schedulerCall(master.url, JSON.stringify(declineCall), web.stream.streamId)).status, 202);
  const again = await eventually(
    async () => (await offersOf(web.fid)).find((o) => o.agent_id.value === decline!.agent_id.value),
    10_000,
    'the declined agent to be offered to web again',
  );
  assert.ok(again.id.value !== decline!.id.value);
  const batchOffers = batch.stream.records.filter((t) => (JSON.parse(t) as { type: string }).type === 'OFFERS');
  assert.is(batchOffers.length, 1, 'batch was offered nothing after the quota');
  assert.is((await tasksOf(web.fid)).length, 1);

  // A limit of nothing: batch is never offered again, even when web gives the agent back.
  r = await operatorCall(master.url, JSON.stringify(quotaCall('batch', {}, { cpus: 0, mem: 0 })));
  assert.is(r.status, 200, r.body);
  r = await operatorCall(master.url, JSON.stringify(quotaCall('web', {})));
  assert.is(r.status, 200, r.body);
  const off = { type: 'DECLINE', framework_id: { value: web.fid }, decline: { offer_ids: [again.id], filters: { refuse_seconds: 3600 } } };
  assert.is((await schedulerCall(master.url, JSON.stringify(off), web.stream.streamId)).status, 202);
  // A framework of a role without quota is offered the agent web gave back; batch is not.
  const other = await framework('other');
  const o = await other.stream.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS', 10_000);
  assert.equal(
    o.offers.offers.map((x) => [x.agent_id.value, cpus(x)]),
    [[decline!.agent_id.value, 1]],
  );
  assert.equal(await offersOf(batch.fid), []);
});

test('UPDATE_QUOTA is refused with 403 by the update_quotas ACL, and GET_QUOTA shows only what get_quotas allows', async () => {
  const acls = Acls.parse(
    JSON.stringify({
      update_quotas: [
        { principals: { type: 'ANY' }, roles: { values: ['ops-only'] } },
        { principals: { type: 'ANY' }, roles: { type: 'NONE' } },
      ],
      get_quotas: [{ principals: { type: 'ANY' }, roles: { type: 'NONE' } }],
    }),
    'acls.json',
  );
  const m = await aclOnlyMaster(acls);
  try {
    let r = await operatorCall(m.url, JSON.stringify(quotaCall('web', {}, { cpus: 1 })));
    assert.equal([r.status, r.body], [403, "Not authorized to update the quota of roles 'web' without a principal"]);
    r = await operatorCall(m.url, JSON.stringify(quotaCall('ops-only', {}, { cpus: 1 })));
    assert.is(r.status, 200, r.body);
    r = await operatorCall(m.url, '{"type":"GET_QUOTA"}');
    assert.equal(r.json, { type: 'GET_QUOTA', get_quota: { status: {} } });
  } finally {
    await m.close();
  }
});

test.run();
