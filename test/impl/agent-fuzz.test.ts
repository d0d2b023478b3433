/**
 * Generated malformed bodies at a running agent's `POST /api/v1/executor` and `POST /api/v1`:
 * never a crash, never a server error, never a state change. The only 5xx allowed is Mesos's own
 * 501 Not Implemented for an UNKNOWN executor call or an agent call the reference does not serve.
 */
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeMaster } from '../support/fake-master.ts';
import { agentState, cleanupAgent, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { request } from '../../impl/http/client.ts';
import { EXECUTOR_CALL_TYPES } from '../../spec/protocol/executor.ts';
import { AGENT_CALL_TYPES, SERVED_AGENT_CALLS } from '../../spec/protocol/operator.ts';
import { TASK_STATES } from '../../spec/protocol/common.ts';

const test = suite('agent APIs under generated bad input');

let master: FakeMaster | undefined;
let agent: AgentProcess | undefined;
let workDir = '';
const FW = 'F-fuzz';
const TASK = 'task-1';

test.before(async () => {
  workDir = tempDir('mesos-ref-agent-fuzz-');
  master = await FakeMaster.start();
  agent = await startAgentProcess({ master: master.url, workDir, args: ['--executor-command', 'sleep 120', '--no-authenticate-http-executors'] });
  await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
  master.runTask({ user: 'u', name: 'fuzz', id: { value: FW }, checkpoint: true }, { name: 'f', task_id: { value: TASK }, command: { value: 'true' } });
  await eventually(async () => ((await agentState(agent!.url)).includes('"queued_tasks"') ? true : undefined), 10_000, 'the queued task');
});

test.after(async () => {
  await cleanupAgent(agent, workDir);
  await master?.close();
});

/** Some JSON, or a subtree of a plausible call with parts replaced by anything. */
const junk = fc.jsonValue({ maxDepth: 3 });
/** Ids: the real framework and executor (so calls get past the lookups), others, anything. */
const id = fc.oneof(fc.constant({ value: FW }), fc.constant({ value: TASK }), fc.record({ value: fc.string({ maxLength: 8 }) }), junk);
const status = fc.record(
  {
    task_id: id,
    state: fc.oneof(fc.constantFrom(...TASK_STATES, 'TASK_NOPE'), junk),
    source: fc.oneof(fc.constantFrom('SOURCE_EXECUTOR', 'SOURCE_AGENT', 'SOURCE_MASTER'), junk),
    uuid: fc.oneof(fc.constantFrom('AAAAAAAAQACAAAAAAAAAAA==', 'AAAA', '!!'), fc.base64String(), junk),
    executor_id: id,
    timestamp: fc.oneof(fc.double(), fc.constant('Infinity'), junk),
  },
  { requiredKeys: [] },
);
const executorCall = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom(...EXECUTOR_CALL_TYPES, 'BOGUS'), junk),
      framework_id: id,
      executor_id: id,
      subscribe: fc.oneof(
        fc.record({ unacknowledged_updates: fc.array(fc.record({ status }), { maxLength: 2 }), unacknowledged_tasks: fc.array(junk, { maxLength: 2 }) }, { requiredKeys: [] }),
        junk,
      ),
      update: fc.oneof(fc.record({ status }, { requiredKeys: [] }), junk),
      message: fc.oneof(fc.record({ data: fc.oneof(fc.base64String(), junk) }, { requiredKeys: [] }), junk),
    },
    { requiredKeys: [] },
  )
  // A SUBSCRIBE naming the real executor may subscribe it: a state change that is its right.
  .filter(
    (c) => !(c.type === 'SUBSCRIBE' && (c.framework_id as { value?: unknown } | undefined)?.value === FW && (c.executor_id as { value?: unknown } | undefined)?.value === TASK),
  );
const agentCall = fc.record({ type: fc.oneof(fc.constantFrom(...AGENT_CALL_TYPES, 'BOGUS'), junk), get_metrics: junk }, { requiredKeys: [] });

function bodies(call: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: call.map((c) => JSON.stringify(c)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: junk.map((j) => JSON.stringify(j)) },
    // Truncated JSON.
    {
      weight: 1,
      arbitrary: fc.tuple(call, fc.nat()).map(([c, n]) => {
        const s = JSON.stringify(c);
        return s.slice(0, n % (s.length + 1));
      }),
    },
  );
}

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-protobuf', 'application/json; charset=utf-8', '') },
);
const accept = fc.option(fc.constantFrom('application/json', '*/*', 'text/html', 'application/x-protobuf;q=0', ''), { nil: undefined });

/** Whether a 501 is Mesos's own answer to this body (UNKNOWN / unserved call types). */
function expected501(path: string, body: string): boolean {
  try {
    const type = (JSON.parse(body) as { type?: unknown }).type;
    if (path.endsWith('/executor')) return type === 'UNKNOWN';
    return typeof type === 'string' && !(SERVED_AGENT_CALLS as readonly string[]).includes(type) && type !== 'GET_VERSION';
  } catch {
    return false;
  }
}

async function property(path: string, call: fc.Arbitrary<unknown>): Promise<void> {
  const url = `${agent!.url}${path}`;
  const initial = await agentState(agent!.url);
  await fc.assert(
    fc.asyncProperty(bodies(call), contentType, accept, async (body, type, acc) => {
      const headers: Record<string, string> = {};
      if (type !== '') headers['Content-Type'] = type;
      if (acc !== undefined) headers['Accept'] = acc;
      const r = await request(url, { method: 'POST', body, headers, timeoutMs: 10_000 });
      if (r.status >= 500) {
        if (!(r.status === 501 && expected501(path, body))) throw new Error(`${r.status} ${r.body} for ${type} ${body}`);
      }
      const now = await agentState(agent!.url);
      if (now !== initial) throw new Error(`state changed after ${r.status} for ${body}`);
    }),
    { numRuns: 150 },
  );
}

test('POST /api/v1/executor', async () => {
  await property('/api/v1/executor', executorCall);
});

test('POST /api/v1', async () => {
  await property('/api/v1', agentCall);
});

test('the agent is still healthy', async () => {
  assert.is((await request(`${agent!.url}/health`)).status, 200);
  assert.not.ok(agent!.child.hasExited);
});

test.run();
