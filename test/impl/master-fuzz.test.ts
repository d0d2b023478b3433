/**
 * Malformed input at a live master (fast-check): random JSON, random bytes, and valid calls with
 * one field replaced by a value of the wrong type, at the scheduler and the operator endpoints.
 * Never a crash, never a 5xx (501 is Mesos's answer to UNKNOWN), never a state change; input the
 * host rejects never even reaches the machine (its local state is the same object).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { type EventStream, stateText, subscribe } from '../support/master-http.ts';
import { request } from '../../impl/http/client.ts';
import { randomUuidBase64 } from '../support/fake-agent.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const fuzz = suite<{ master: MasterServer; stream: EventStream; fid: string }>('master: malformed input');

fuzz.before(async (ctx) => {
  // No timers fire during the run: any change of the machine's state is the input's doing.
  ctx.master = await startMaster({ port: 0, checkInvariants: true, flags: { allocationIntervalMs: 3_600_000, heartbeatIntervalMs: 3_600_000 }, log: () => {} });
  ctx.stream = await subscribe(ctx.master.url, '{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"fuzzed","failover_timeout":3600}}}');
  ctx.fid = (await ctx.stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
});

fuzz.after(async (ctx) => {
  ctx.stream.close();
  assert.equal(ctx.master.violations, []);
  await ctx.master.close();
});

/** Messages the machine's own gate and operator handlers answer with (the host rejects everything else before it). */
const MACHINE_ANSWERS =
  /^(Framework cannot be found|Framework is not subscribed|No framework found with specified ID|All non-subscribe calls should include the 'Mesos-Stream-Id' header|The stream ID.*|Agent '.*' not found|Unknown agent|Agent is not deactivated|No agent found with specified ID|Invalid (RESERVE|UNRESERVE) operation.*|Failed to validate update weights request JSON.*)?$/s;

async function check(ctx: { master: MasterServer }, path: string, body: string | Buffer, headers: Record<string, string>): Promise<void> {
  const before = await stateText(ctx.master.url);
  const local = ctx.master.host.local;
  const context = ctx.master.context;
  const r = await request(new URL(path, ctx.master.url), { method: 'POST', body, headers, timeoutMs: 5000 });
  assert.ok(r.status < 500 || r.status === 501, `status ${r.status} for ${String(body).slice(0, 200)}: ${r.body}`);
  if (r.status >= 400 && !([400, 404, 409].includes(r.status) && MACHINE_ANSWERS.test(r.body) && r.body !== '') && r.status !== 403) {
    assert.is(ctx.master.host.local, local, `the machine stepped on rejected input ${String(body).slice(0, 200)} (${r.status} ${r.body})`);
  }
  assert.is(ctx.master.context.frameworks, context.frameworks, `frameworks changed by ${String(body).slice(0, 200)}`);
  assert.is(ctx.master.context.registry, context.registry);
  assert.is(ctx.master.context.offers, context.offers);
  assert.is(await stateText(ctx.master.url), before, `GET_STATE changed by ${String(body).slice(0, 200)}`);
}

/** Every path to a value inside `v` (object keys and array indices). */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function replaced(v: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? replaced(x, rest, value) : x));
  const o = v as { [k: string]: Json };
  return { ...o, [head!]: replaced(o[head!]!, rest, value) };
}

const wrong: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
  fc.constant(''),
  fc.constant('Infinity'),
  fc.constant({}),
);

function mutations(templates: readonly Json[]): fc.Arbitrary<string> {
  return fc.record({ t: fc.constantFrom(...templates), at: fc.nat(), value: wrong }).map(({ t, at, value }) => {
    const all = paths(t);
    return JSON.stringify(replaced(t, all[at % all.length]!, value));
  });
}

const randomJson = fc.json({ maxDepth: 3 });
const randomBytes = fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b));

function schedulerTemplates(fid: string): Json[] {
  const F = { value: fid };
  const task = {
    name: 't',
    task_id: { value: 'ghost' },
    agent_id: { value: 'no-agent' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
    command: { value: 'true' },
  };
  return [
    { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', failover_timeout: 1, capabilities: [{ type: 'MULTI_ROLE' }], roles: ['r'] } } },
    {
      type: 'ACCEPT',
      framework_id: F,
      accept: { offer_ids: [{ value: 'o-1' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }], filters: { refuse_seconds: 1 } },
    },
    { type: 'DECLINE', framework_id: F, decline: { offer_ids: [{ value: 'o-1' }], filters: { refuse_seconds: 5 } } },
    { type: 'ACKNOWLEDGE', framework_id: F, acknowledge: { agent_id: { value: 'a' }, task_id: { value: 'ghost' }, uuid: randomUuidBase64() } },
    { type: 'KILL', framework_id: F, kill: { task_id: { value: 'ghost' }, agent_id: { value: 'a' }, kill_policy: { grace_period: { nanoseconds: 5 } } } },
    { type: 'RECONCILE', framework_id: F, reconcile: { tasks: [{ task_id: { value: 'ghost' }, agent_id: { value: 'a' } }] } },
    { type: 'MESSAGE', framework_id: F, message: { agent_id: { value: 'a' }, executor_id: { value: 'e' }, data: 'aGk=' } },
    { type: 'SHUTDOWN', framework_id: F, shutdown: { executor_id: { value: 'e' }, agent_id: { value: 'a' } } },
    { type: 'TEARDOWN', framework_id: { value: 'not-this-one' } },
  ];
}

const OPERATOR_TEMPLATES: Json[] = [
  { type: 'GET_STATE' },
  { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: 1000 } } },
  { type: 'TEARDOWN', teardown: { framework_id: { value: 'not-this-one' } } },
  { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'a' } } },
  { type: 'GET_FRAMEWORKS' },
];

const JSON_CT = { 'Content-Type': 'application/json' };

fuzz('scheduler endpoint: random JSON, random bytes, mutated calls', async (ctx) => {
  // SUBSCRIBE always carries a Mesos-Stream-Id here, so even a still-valid one is refused.
  const headers = { ...JSON_CT, 'Mesos-Stream-Id': ctx.stream.streamId };
  await fc.assert(fc.asyncProperty(randomJson, (body) => check(ctx, '/api/v1/scheduler', body, headers)));
  await fc.assert(fc.asyncProperty(randomBytes, (body) => check(ctx, '/api/v1/scheduler', body, headers)));
  await fc.assert(fc.asyncProperty(mutations(schedulerTemplates(ctx.fid)), (body) => check(ctx, '/api/v1/scheduler', body, headers)));
  // And the same without the header or with a stale one.
  await fc.assert(
    fc.asyncProperty(
      mutations(schedulerTemplates(ctx.fid)).filter((b) => !b.includes('SUBSCRIBE')),
      fc.boolean(),
      (body, stale) => check(ctx, '/api/v1/scheduler', body, stale ? { ...JSON_CT, 'Mesos-Stream-Id': 'stale' } : JSON_CT),
    ),
  );
});

fuzz('operator endpoint: random JSON, random bytes, mutated calls', async (ctx) => {
  await fc.assert(fc.asyncProperty(randomJson, (body) => check(ctx, '/api/v1', body, JSON_CT)));
  await fc.assert(fc.asyncProperty(randomBytes, (body) => check(ctx, '/api/v1', body, JSON_CT)));
  await fc.assert(fc.asyncProperty(mutations(OPERATOR_TEMPLATES), (body) => check(ctx, '/api/v1', body, JSON_CT)));
});

fuzz('agent endpoint: garbage never reaches the machine', async (ctx) => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(randomJson, randomBytes), fc.constantFrom('no-such-connection', ''), (body, conn) =>
      check(ctx, '/internal/agent/message', body, { ...JSON_CT, 'Mesos-Agent-Connection': conn }),
    ),
  );
});

fuzz.run();
