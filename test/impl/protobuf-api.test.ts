/**
 * A framework that speaks only protobuf, as libmesos's scheduler library does: SUBSCRIBE, the
 * ACCEPT that launches a task and the ACKNOWLEDGEs of its updates, all as
 * `application/x-protobuf` bodies over Mesos's path /master/api/v1/scheduler, with the events
 * read as protobuf RecordIO records; the operator API answering, and streaming its events, in
 * protobuf; a body that is not
 * the protobuf it claims refused with 400 and no change of state.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { decodeProtobuf, encodeProtobuf } from '../../spec/protocol/protobuf.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { stateText } from '../support/master-http.ts';
import { post, subscribe } from '../support/protobuf-http.ts';
import { launchCall } from '../../spec/protocol/scheduler.ts';
import type { AgentID, OfferID } from '../../spec/protocol/common.ts';

const test = suite('protobuf on the v1 APIs');
const PROTOBUF = 'application/x-protobuf';

let master: MasterServer | undefined;
let agent: FakeAgent | undefined;

test.after(async () => {
  agent?.close();
  await master?.close();
});

test('SUBSCRIBE, a launch and its acknowledgements entirely in protobuf over /master/api/v1/scheduler', async () => {
  master = await startMaster({ port: 0, flags: { allocationIntervalMs: 50 }, checkInvariants: true, log: () => {} });
  agent = await new FakeAgent({ master: master.url, port: 1 }).start();
  const url = `${master.url}/master/api/v1/scheduler`;
  // An operator watching in protobuf too: SUBSCRIBED, then the task's events.
  const operator = await subscribe(`${master.url}/master/api/v1`, 'RawMasterEvent', encodeProtobuf('RawMasterCall', { type: 'SUBSCRIBE' }));
  assert.is(operator.type, PROTOBUF);
  assert.is((await operator.next(5_000))['type'], 'SUBSCRIBED');
  const stream = await subscribe(
    url,
    'RawSchedulerEvent',
    encodeProtobuf('RawSchedulerCall', { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'pb', name: 'protobuf-framework' } } }),
  );
  try {
    assert.is(stream.type, PROTOBUF);
    const subscribed = await stream.next(5_000);
    assert.is(subscribed['type'], 'SUBSCRIBED');
    const fid = (subscribed['subscribed'] as { framework_id: { value: string } }).framework_id;
    let offers: Record<string, unknown>;
    do offers = await stream.next(5_000);
    while (offers['type'] !== 'OFFERS');
    const offer = (offers['offers'] as { offers: { id: object; agent_id: object }[] }).offers[0]!;
    const call = (c: object) => post(url, encodeProtobuf('RawSchedulerCall', c), { 'Mesos-Stream-Id': stream.streamId });
    const accepted = await call(
      launchCall(
        fid,
        [offer.id as OfferID],
        [
          {
            name: 't',
            task_id: { value: 'pb-task' },
            agent_id: offer.agent_id as AgentID,
            resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
            command: { value: 'true' },
          },
        ],
      ),
    );
    assert.is(accepted.status, 202);
    const states: string[] = [];
    while (!states.includes('TASK_FINISHED')) {
      const e = await stream.next(5_000);
      if (e['type'] !== 'UPDATE') continue;
      const status = (e['update'] as { status: { state: string; uuid?: string; agent_id: object; task_id: object } }).status;
      states.push(status.state);
      if (status.uuid)
        assert.is((await call({ type: 'ACKNOWLEDGE', framework_id: fid, acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } })).status, 202);
    }
    assert.equal(states, ['TASK_RUNNING', 'TASK_FINISHED']);
    // Acknowledged: the master keeps no unacknowledged update of the task.
    const tasks = await post(`${master.url}/master/api/v1`, encodeProtobuf('RawMasterCall', { type: 'GET_TASKS' }));
    assert.is(tasks.status, 200);
    assert.is(tasks.type, PROTOBUF);
    const got = decodeProtobuf('RawMasterResponse', tasks.body) as { type: string; get_tasks: { completed_tasks?: { task_id: { value: string }; state: string }[] } };
    assert.is(got.type, 'GET_TASKS');
    assert.equal(
      got.get_tasks.completed_tasks?.map((t) => [t.task_id.value, t.state]),
      [['pb-task', 'TASK_FINISHED']],
    );
    assert.equal(master.violations, []);
    const seen: string[] = [];
    while (!seen.includes('TASK_UPDATED')) seen.push(String((await operator.next(5_000))['type']));
    assert.ok(seen.includes('TASK_ADDED'), seen.join(', '));
  } finally {
    stream.close();
    operator.close();
  }
});

test('a body that is not the protobuf it claims is refused with 400, and nothing changes', async () => {
  // A master of its own: nothing else moves its state while the call is refused.
  const quiet = await startMaster({ port: 0, log: () => {} });
  try {
    const before = await stateText(quiet.url);
    const r = await post(`${quiet.url}/master/api/v1/scheduler`, Uint8Array.from([0x12, 0x05, 0x01]));
    assert.is(r.status, 400);
    assert.match(Buffer.from(r.body).toString(), /^Failed to parse body into Call protobuf: /);
    assert.is(await stateText(quiet.url), before);
  } finally {
    await quiet.close();
  }
});

test.run();
