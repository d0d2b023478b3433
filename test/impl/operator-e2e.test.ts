/**
 * End to end over HTTP against a real master and a real agent process: an operator reserves
 * resources for a role, a framework of that role launches a task on them, the agent restarts
 * and the reservation is still offered to that role only; DEACTIVATE / REACTIVATE, weights,
 * then MARK_AGENT_GONE with the task still running (TASK_GONE_BY_OPERATOR, FAILURE), and the
 * ACLs refusing an operator with 403. Every step waits on an event, never on a fixed sleep, and
 * every wait or check asks the master over HTTP (the operator API, /master/state, /metrics/snapshot)
 * or reads the framework's stream, as a user would: never the in-process master's context.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster } from '../../impl/master/server.ts';
import { Acls } from '../../impl/http/acls.ts';
import { getAgents, getJson, metric, operatorCall, schedulerCall, stateText, subscribe, type EventStream } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import { MasterAndAgent, type Offer } from '../support/master-and-agent.ts';
import { fromWire, describeResources } from '../../spec/resources/index.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { aclOnlyMaster } from '../support/secured-master.ts';

const test = suite('operator calls end to end');

const fx = new MasterAndAgent(test);

const reserved = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value }, reservations: [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }] });

async function framework(role: string, extra: Record<string, unknown> = {}) {
  const stream = await fx.subscribe(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: role, role, failover_timeout: 3600, ...extra } } }));
  const fid = (await stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
  return { stream, fid };
}

const text = (resources: unknown[]) => {
  const r = fromWire(resources);
  return r.ok ? describeResources(r.value) : r.error;
};

/** The next event of `type` that `pred` accepts; every reliable update on the way is acknowledged, as a scheduler does. */
async function until<T>(fw: { stream: EventStream; fid: string }, type: string, pred: (e: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await fw.stream.next(Math.max(1, deadline - Date.now()));
    if (text === null) throw new Error(`the stream ended before a ${type}`);
    const e = JSON.parse(text) as { type: string; update?: { status: { task_id: unknown; agent_id: unknown; uuid?: string } } };
    const s = e.update?.status;
    if (e.type === 'UPDATE' && s?.uuid !== undefined) {
      const ack = { type: 'ACKNOWLEDGE', framework_id: { value: fw.fid }, acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } };
      const r = await schedulerCall(fx.master!.url, JSON.stringify(ack), fw.stream.streamId);
      if (r.status !== 202) throw new Error(`ACKNOWLEDGE answered ${r.status}: ${r.body}`);
    }
    if (e.type === type && pred(e as T)) return e as T;
  }
}

type Update = { update: { status: { state: string; reason?: string } } };

/**
 * What an operator can read of the master's state: GET_STATE (agents, frameworks, tasks,
 * executors), weights, quota, roles and /master/state (with deactivated and draining agents).
 */
async function views(url: string): Promise<unknown[]> {
  const answers: string[] = [];
  for (const type of ['GET_WEIGHTS', 'GET_QUOTA', 'GET_ROLES']) {
    const r = await operatorCall(url, JSON.stringify({ type }));
    if (r.status !== 200) throw new Error(`${type} answered ${r.status}: ${r.body}`);
    answers.push(r.body);
  }
  return [await stateText(url), ...answers, await getJson(url, '/master/state')];
}

async function offer(stream: EventStream): Promise<Offer> {
  const e = await stream.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS', 15_000);
  return e.offers.offers[0]!;
}

test('reserve, launch on the reservation, restart the agent: still offered to its role only; deactivate, weights, then MARK_AGENT_GONE', async () => {
  const { master, aid } = await fx.start('mesos-ref-operator-', ['--resources', 'cpus:2;mem:256']);

  // 400 names what is wrong, 409 when the agent lacks it; then 202.
  const hostname = (await getAgents(master.url)).agents.find((a) => a.agent_info.id.value === aid)!.agent_info.hostname;
  let r = await operatorCall(master.url, {
    type: 'RESERVE_RESOURCES',
    reserve_resources: { agent_id: { value: aid }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] },
  });
  assert.equal([r.status, r.body], [400, `Invalid RESERVE operation on agent ${aid} (${hostname}): Resource cpus:1 is not dynamically reserved`]);
  r = await operatorCall(master.url, { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: { value: aid }, resources: [reserved('cpus', 3)] } as never });
  assert.is(r.status, 409, r.body);
  r = await operatorCall(master.url, {
    type: 'RESERVE_RESOURCES',
    reserve_resources: { agent_id: { value: aid }, resources: [reserved('cpus', 1), reserved('mem', 128)] } as never,
  });
  assert.is(r.status, 202, r.body);

  // The role's framework is offered the reservation and launches on it.
  const web = await framework('web', { checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] });
  const o = await offer(web.stream);
  assert.is(text(o.resources), 'cpus:1; cpus(reservations: [(DYNAMIC,web,ops)]):1; mem:128; mem(reservations: [(DYNAMIC,web,ops)]):128');
  const task = { name: 't', task_id: { value: 't' }, agent_id: o.agent_id, resources: [reserved('cpus', 1), reserved('mem', 128)], command: { value: 'sleep 60', shell: true } };
  r = await schedulerCall(
    master.url,
    JSON.stringify({ type: 'ACCEPT', framework_id: { value: web.fid }, accept: { offer_ids: [o.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } }),
    web.stream.streamId,
  );
  assert.is(r.status, 202, r.body);
  await until<Update>(web, 'UPDATE', (e) => e.update.status.state === 'TASK_RUNNING', 20_000);
  // The web framework wants nothing more: what it holds goes back when the agent disconnects.
  assert.is((await schedulerCall(master.url, JSON.stringify({ type: 'SUPPRESS', framework_id: { value: web.fid } }), web.stream.streamId)).status, 202);

  // The agent restarts (same work dir and port): the reservation is still the agent's.
  await fx.restartAgent(aid, ['--resources', 'cpus:2;mem:256']);
  const agents = (await operatorCall(master.url, '{"type":"GET_AGENTS"}')).json as { get_agents: { agents: { total_resources: unknown[] }[] } };
  assert.is(text(agents.get_agents.agents[0]!.total_resources), 'cpus:1; cpus(reservations: [(DYNAMIC,web,ops)]):1; mem:128; mem(reservations: [(DYNAMIC,web,ops)]):128');
  const other = await framework('batch');
  assert.is(text((await offer(other.stream)).resources), 'cpus:1; mem:128', 'another role is offered only the unreserved part');

  // DEACTIVATE_AGENT: the offers go, none come; REACTIVATE_AGENT: offers again.
  r = await operatorCall(master.url, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: 'nobody' } } } as never);
  assert.equal([r.status, r.body], [400, 'Unknown agent']);
  assert.is((await operatorCall(master.url, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: aid } } } as never)).status, 200);
  await eventually(async () => (await metric(master.url, 'master/outstanding_offers')) === 0, 5000, 'the offers to be rescinded');
  const got = (await operatorCall(master.url, '{"type":"GET_AGENTS"}')).json as { get_agents: { agents: { active: boolean; deactivated: boolean }[] } };
  assert.equal([got.get_agents.agents[0]!.active, got.get_agents.agents[0]!.deactivated], [false, true]);
  assert.is((await operatorCall(master.url, { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: aid } } } as never)).status, 200);
  await offer(other.stream);

  // Weights: 400 naming the role, then GET_WEIGHTS shows them.
  r = await operatorCall(master.url, '{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"web","weight":-1}]}}');
  assert.equal([r.status, r.body], [400, "Failed to validate update weights request JSON for role 'web': Invalid weight '-1': Weights must be positive"]);
  assert.is((await operatorCall(master.url, '{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"web","weight":2.5}]}}')).status, 200);
  assert.equal((await operatorCall(master.url, '{"type":"GET_WEIGHTS"}')).json, { type: 'GET_WEIGHTS', get_weights: { weight_infos: [{ weight: 2.5, role: 'web' }] } });

  // MARK_AGENT_GONE with the task running: GONE_BY_OPERATOR, FAILURE, the agent forgotten for good.
  r = await operatorCall(master.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'nobody' } } });
  assert.equal([r.status, r.body], [404, "Agent 'nobody' not found"]);
  assert.is((await operatorCall(master.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: aid } } })).status, 200);
  const gone = await until<Update>(web, 'UPDATE', (e) => e.update.status.state === 'TASK_GONE_BY_OPERATOR');
  assert.is(gone.update.status.reason, 'REASON_AGENT_REMOVED_BY_OPERATOR');
  await until<{ failure: { agent_id?: { value: string } } }>(web, 'FAILURE', (e) => e.failure.agent_id?.value === aid);
  const after = (await operatorCall(master.url, '{"type":"GET_AGENTS"}')).json as { get_agents: { agents?: unknown[] } };
  assert.is(after.get_agents.agents, undefined);
});

test('the ACLs: an operator not allowed to mark agents gone, deactivate, or reserve for a role gets 403 and changes nothing', async () => {
  const acls = Acls.parse(
    JSON.stringify({
      mark_agents_gone: [{ principals: { type: 'ANY' }, agents: { type: 'NONE' } }],
      deactivate_agents: [{ principals: { type: 'ANY' }, agents: { type: 'NONE' } }],
      reserve_resources: [
        { principals: { type: 'ANY' }, roles: { values: ['web'] } },
        { principals: { type: 'ANY' }, roles: { type: 'NONE' } },
      ],
    }),
    'acls.json',
  );
  const m = await aclOnlyMaster(acls);
  try {
    const before = await views(m.url);
    let r = await operatorCall(m.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'a' } } });
    assert.equal([r.status, r.body], [403, 'Not authorized to mark agents gone without a principal']);
    r = await operatorCall(m.url, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: 'a' } } } as never);
    assert.equal([r.status, r.body], [403, 'Not authorized to deactivate agents without a principal']);
    r = await operatorCall(
      m.url,
      JSON.stringify({
        type: 'RESERVE_RESOURCES',
        reserve_resources: { agent_id: { value: 'a' }, resources: [{ ...reserved('cpus', 1), reservations: [{ type: 'DYNAMIC', role: 'db' }] }] },
      }),
    );
    assert.equal([r.status, r.body], [403, "Not authorized to reserve resources for roles 'db' without a principal"]);
    // Allowed for web: the machine answers (no such agent).
    r = await operatorCall(m.url, JSON.stringify({ type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: { value: 'a' }, resources: [reserved('cpus', 1)] } }));
    assert.equal([r.status, r.body], [400, 'No agent found with specified ID']);
    assert.equal(await views(m.url), before);
  } finally {
    await m.close();
  }
});

test('--offer_timeout: an offer held too long is rescinded over the stream, then offered again', async () => {
  const m = await startMaster({ port: 0, checkInvariants: true, log: () => {}, flags: { allocationIntervalMs: 50, offerTimeoutMs: 200 } });
  const fake = await new FakeAgent({ master: m.url, hostname: 'timeout-host', port: 5998 }).start();
  const stream = await subscribe(m.url, JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'holder' } } }));
  try {
    const first = await offer(stream);
    const rescind = await stream.nextOfType<{ rescind: { offer_id: { value: string } } }>('RESCIND', 5000);
    assert.is(rescind.rescind.offer_id.value, first.id.value);
    const again = await offer(stream);
    assert.is.not(again.id.value, first.id.value);
    const flags = (await operatorCall(m.url, '{"type":"GET_FLAGS"}')).json as { get_flags: { flags: { name: string; value: string }[] } };
    assert.equal(
      flags.get_flags.flags.find((f) => f.name === 'offer_timeout'),
      { name: 'offer_timeout', value: '200ms' },
    );
    assert.equal(m.violations, []);
  } finally {
    stream.close();
    fake.close();
    await m.close();
  }
});

test.run();
