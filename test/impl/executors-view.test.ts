/**
 * The master's GET_EXECUTORS and GET_STATE list the custom executors it knows (Mesos's
 * Slave::executors), and show a principal only those view_executors lets it see: GET_EXECUTORS
 * once answered everyone every executor while GET_STATE filtered them.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Acls } from '../../impl/http/acls.ts';
import { basicAuthorization, type Credential } from '../../impl/http/auth.ts';
import { postJson } from '../../impl/http/client.ts';
import { eventually } from '../support/eventually.ts';
import { alice, bob, closeAll, cpus, ops, rawAgent, securedMaster, Subscription } from '../support/secured-master.ts';

const test = suite('master GET_EXECUTORS: view_executors');

test.after(closeAll);

test('a custom executor is listed to ops (view_executors ANY) and hidden from bob, in GET_EXECUTORS and GET_STATE', async () => {
  const m = await securedMaster(
    Acls.parse(
      JSON.stringify({
        permissive: true,
        view_executors: [
          { principals: { values: ['ops'] }, users: { type: 'ANY' } },
          { principals: { type: 'ANY' }, users: { type: 'NONE' } },
        ],
      }),
      'acls.json',
    ),
  );
  const agent = await rawAgent(m);
  const alices = await Subscription.open(m, alice);
  const fid = await alices.frameworkId();
  const offer = await alices.offer();
  const executor = { executor_id: { value: 'my-executor' }, command: { value: 'true' }, resources: cpus(0.1) };
  const task = { name: 't', task_id: { value: 't' }, agent_id: offer.agent_id, resources: cpus(0.1), executor };
  const accept = { type: 'ACCEPT', framework_id: { value: fid }, accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } };
  const r = await alices.call(accept);
  assert.is(r.status, 202, r.body);
  await eventually(() => (agent.seen.some((x) => x.type === 'RUN_TASK') ? true : undefined), 5000, 'RUN_TASK');

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
