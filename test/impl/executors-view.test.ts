/**
 * The master's GET_EXECUTORS and GET_STATE list the custom executors it knows (Mesos's
 * Slave::executors), and show a principal only those view_executors lets it see: GET_EXECUTORS
 * once answered everyone every executor while GET_STATE filtered them.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Acls } from '../../impl/http/acls.ts';
import { basicAuthorization, type Credential } from '../../impl/http/auth.ts';
import { openRecordIO, postJson, type RecordIOStream } from '../../impl/http/client.ts';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('master GET_EXECUTORS: view_executors');

const servers: MasterServer[] = [];
const streams: RecordIOStream[] = [];
test.after(async () => {
  for (const s of streams) s.close();
  for (const m of servers) await m.close();
});

const alice: Credential = { principal: 'alice', secret: 's1' };
const bob: Credential = { principal: 'bob', secret: 's2' };
const ops: Credential = { principal: 'ops', secret: 's3' };

const cpus = (n: number) => [{ name: 'cpus', type: 'SCALAR', scalar: { value: n } }];

test('a custom executor is listed to ops (view_executors ANY) and hidden from bob, in GET_EXECUTORS and GET_STATE', async () => {
  const m = await startMaster({
    port: 0,
    log: () => {},
    flags: { allocationIntervalMs: 50 },
    security: {
      credentials: [alice, bob, ops],
      acls: Acls.parse(
        JSON.stringify({
          permissive: true,
          view_executors: [
            { principals: { values: ['ops'] }, users: { type: 'ANY' } },
            { principals: { type: 'ANY' }, users: { type: 'NONE' } },
          ],
        }),
        'acls.json',
      ),
      authenticateFrameworks: true,
      authenticateAgents: false,
      authenticateHttpReadonly: false,
      authenticateHttpReadwrite: false,
    },
  });
  servers.push(m);
  // A raw agent connection: enough for the master to offer its resources and send RUN_TASK.
  const agentSeen: { type: string }[] = [];
  const link = await openRecordIO(`${m.url}/internal/agent/connect`, '', {}, { onRecord: (t) => agentSeen.push(JSON.parse(t)), onEnd: () => {} });
  streams.push(link);
  const conn = String(link.headers['mesos-agent-connection']);
  await postJson(
    `${m.url}/internal/agent/message`,
    JSON.stringify({ type: 'REGISTER_AGENT', agent_info: { hostname: 'host-0', port: 5051, resources: cpus(1) }, version: '1.11.0' }),
    { 'Mesos-Agent-Connection': conn },
    10_000,
  );

  const events: { type: string; subscribed?: { framework_id: { value: string } }; offers?: { offers: { id: { value: string }; agent_id: { value: string } }[] } }[] = [];
  const s = await openRecordIO(
    `${m.url}/api/v1/scheduler`,
    JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'a', name: 'alice-fw' } } }),
    basicAuthorization(alice),
    { onRecord: (t) => events.push(JSON.parse(t)), onEnd: () => {} },
  );
  streams.push(s);
  const fid = await eventually(() => events.find((e) => e.type === 'SUBSCRIBED')?.subscribed?.framework_id.value, 5000, 'SUBSCRIBED');
  const offer = await eventually(() => events.find((e) => e.type === 'OFFERS')?.offers?.offers[0], 5000, 'an offer');
  const executor = { executor_id: { value: 'my-executor' }, command: { value: 'true' }, resources: cpus(0.1) };
  const task = { name: 't', task_id: { value: 't' }, agent_id: offer.agent_id, resources: cpus(0.1), executor };
  const accept = { type: 'ACCEPT', framework_id: { value: fid }, accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } };
  const r = await postJson(`${m.url}/api/v1/scheduler`, JSON.stringify(accept), { 'Mesos-Stream-Id': String(s.headers['mesos-stream-id']), ...basicAuthorization(alice) }, 10_000);
  assert.is(r.status, 202, r.body);
  await eventually(() => (agentSeen.some((x) => x.type === 'RUN_TASK') ? true : undefined), 5000, 'RUN_TASK');

  type Executors = { executors?: { executor_info: { executor_id: { value: string }; framework_id?: { value: string } }; agent_id: { value: string } }[] };
  const operator = async (who: Credential, type: 'GET_EXECUTORS' | 'GET_STATE'): Promise<Executors> => {
    const a = await postJson(`${m.url}/api/v1`, JSON.stringify({ type }), basicAuthorization(who), 10_000);
    assert.is(a.status, 200, a.body);
    const body = JSON.parse(a.body) as { get_executors?: Executors; get_state?: { get_executors?: Executors } };
    return (type === 'GET_EXECUTORS' ? body.get_executors : body.get_state?.get_executors) ?? {};
  };
  const seen = await operator(ops, 'GET_EXECUTORS');
  assert.equal(
    seen.executors?.map((e) => [e.executor_info.executor_id.value, e.executor_info.framework_id?.value, e.agent_id.value]),
    [['my-executor', fid, offer.agent_id.value]],
  );
  assert.is((await operator(ops, 'GET_STATE')).executors?.length, 1);
  assert.is((await operator(bob, 'GET_EXECUTORS')).executors, undefined);
  assert.is((await operator(bob, 'GET_STATE')).executors, undefined);
});

test.run();
