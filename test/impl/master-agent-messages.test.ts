/**
 * `POST /internal/agent/message` with a batch (impl/http/agent-messages.ts), against an
 * in-process master over HTTP: the master handles a batch's messages in array order (its
 * `onCallHandled` hears them in the order they were sent), refuses a batch with a message that
 * does not decode as a whole (400 naming the message's index, nothing handled), refuses a body
 * that is not an array, and still takes one message as `application/json`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AGENT_MESSAGES_BATCH, MESSAGE_IDS_HEADER, agentMessagesBatch } from '../../impl/http/agent-messages.ts';
import { openRecordIO, request, type RecordIOStream } from '../../impl/http/client.ts';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { encodeInternal } from '../../spec/protocol/json.ts';
import type { InternalMessage } from '../../spec/protocol/internal.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('the agent link: batches of messages');

const servers: MasterServer[] = [];
const streams: RecordIOStream[] = [];
test.after(async () => {
  for (const s of streams) s.close();
  for (const m of servers) await m.close();
});

const info = (host: string) => ({ hostname: host, port: 5051, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } }] });

/** A master, the agent messages it handled in order, and a raw agent connection to it. */
async function setUp(): Promise<{
  m: MasterServer;
  handled: string[];
  post: (body: string, type?: string, headers?: Record<string, string>) => Promise<{ status: number; body: string }>;
}> {
  const handled: string[] = [];
  const m = await startMaster({ port: 0, log: () => {}, checkInvariants: true, onCallHandled: (type) => handled.push(type) });
  servers.push(m);
  const link = await openRecordIO(`${m.url}/internal/agent/connect`, '', {}, { onRecord: () => {}, onEnd: () => {} });
  streams.push(link);
  const connection = String(link.headers['mesos-agent-connection']);
  const post = (body: string, type = AGENT_MESSAGES_BATCH, headers: Record<string, string> = {}) =>
    request(`${m.url}/internal/agent/message`, { method: 'POST', body, headers: { 'Content-Type': type, 'Mesos-Agent-Connection': connection, ...headers }, timeoutMs: 10_000 });
  return { m, handled, post };
}

const batchOf = (...messages: InternalMessage[]) => agentMessagesBatch(messages.map(encodeInternal));
const agentMessages = (handled: string[]) => handled.filter((t) => t !== 'LINK_BROKEN');

test('a batch is handled in the order it was sent', async () => {
  const { m, handled, post } = await setUp();
  const r = await post(batchOf({ type: 'REGISTER_AGENT', agent_info: info('host-0'), version: '1.11.0' }, { type: 'PONG' }));
  assert.is(r.status, 202, r.body);
  const id = await eventually(() => Object.keys(m.context.agents)[0], 5000, 'the agent to register');
  // PONG, then the agent leaves: in this order the agent is gone; the other way round it would stay registered.
  const r2 = await post(batchOf({ type: 'PONG' }, { type: 'UNREGISTER_AGENT', agent_id: { value: id } }));
  assert.is(r2.status, 202, r2.body);
  assert.equal(agentMessages(handled), ['REGISTER_AGENT', 'PONG', 'PONG', 'UNREGISTER_AGENT']);
  assert.is(m.context.agents[id], undefined, 'UNREGISTER_AGENT, handled last, removed the agent');
  assert.equal(m.violations, []);
});

test('a batch with a message that does not decode is refused whole, naming its index', async () => {
  const { m, handled, post } = await setUp();
  const good = encodeInternal({ type: 'REGISTER_AGENT', agent_info: info('host-1'), version: '1.11.0' });
  const r = await post(`[${good},{"type":"PONG"},{"type":"STATUS_UPDATE"}]`);
  assert.is(r.status, 400);
  assert.match(r.body, /^Failed to convert JSON into an internal message: messages\[2\]: /);
  assert.match(r.body, /update/);
  assert.equal(agentMessages(handled), [], 'nothing of a refused batch is handled');
  assert.equal(Object.keys(m.context.agents), []);
});

test('a batch must be a non-empty JSON array; one message stays application/json', async () => {
  const { m, handled, post } = await setUp();
  const notArray = await post(encodeInternal({ type: 'PONG' }));
  assert.is(notArray.status, 400);
  assert.is(notArray.body, `Expecting a JSON array of internal messages for ${AGENT_MESSAGES_BATCH}`);
  const empty = await post('[]');
  assert.is(empty.status, 400);
  assert.is(empty.body, 'Expecting at least one internal message in the batch');
  const other = await post('[]', 'text/plain');
  assert.is(other.status, 415);
  assert.is(other.body, `Expecting 'Content-Type' of application/json or ${AGENT_MESSAGES_BATCH}`);
  // An array under application/json is one message that is not an object.
  const arrayAsOne = await post(batchOf({ type: 'PONG' }), 'application/json');
  assert.is(arrayAsOne.status, 400);
  assert.is(arrayAsOne.body, 'Failed to convert JSON into an internal message: Expecting a JSON object');
  const one = await post(encodeInternal({ type: 'REGISTER_AGENT', agent_info: info('host-2'), version: '1.11.0' }), 'application/json');
  assert.is(one.status, 202, one.body);
  assert.equal(agentMessages(handled), ['REGISTER_AGENT']);
  await eventually(() => Object.keys(m.context.agents)[0], 5000, 'the agent to register');
});

test("a batch's trace ids must name each of its messages: another count is 400 naming the header, nothing handled", async () => {
  const { handled, post } = await setUp();
  const r = await post(batchOf({ type: 'PONG' }, { type: 'PONG' }), AGENT_MESSAGES_BATCH, { [MESSAGE_IDS_HEADER]: 'a1:3:0' });
  assert.is(r.status, 400);
  assert.is(r.body, `'${MESSAGE_IDS_HEADER}': expected 2 ids separated by commas, got 1`);
  assert.equal(agentMessages(handled), []);
  const ok = await post(batchOf({ type: 'PONG' }, { type: 'PONG' }), AGENT_MESSAGES_BATCH, { [MESSAGE_IDS_HEADER]: 'a1:3:0,' });
  assert.is(ok.status, 202, ok.body);
});

test.run();
