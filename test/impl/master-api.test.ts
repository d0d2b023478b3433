/**
 * The master's HTTP surface against a real server on an ephemeral loopback port: every status
 * code and message of POST /api/v1/scheduler in Mesos's order (reference 1.5), each checked to
 * leave the master's state (GET_STATE) unchanged; SUBSCRIBE's headers and first records byte for
 * byte in shape; the operator API; the v0 endpoints.
 */
import { request as httpRequest } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { type EventStream, getJson, operatorCall, stateText, subscribe } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import { request } from '../../impl/http/client.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const FW = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name, ...extra } } });

interface Ctx {
  master: MasterServer;
  /** A connected framework and its stream. */
  fid: string;
  stream: EventStream;
  /** A disconnected framework (failover_timeout not expired). */
  away: string;
}

const api = suite<Ctx>('master: scheduler API');

api.before(async (ctx) => {
  ctx.master = await startMaster({ port: 0, checkInvariants: true, flags: { allocationIntervalMs: 50 }, log: () => {} });
  ctx.stream = await subscribe(ctx.master.url, FW('connected', { failover_timeout: 3600 }));
  const subscribed = await ctx.stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED');
  ctx.fid = subscribed.subscribed.framework_id.value;
  const away = await subscribe(ctx.master.url, FW('away', { failover_timeout: 3600 }));
  ctx.away = (await away.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
  away.close();
  await eventually(() => ctx.master.context.frameworks[ctx.away]?.connection === null, 2000, 'the framework to disconnect');
});

api.after(async (ctx) => {
  ctx.stream.close();
  assert.equal(ctx.master.violations, []);
  await ctx.master.close();
});

/** POST a raw body to the scheduler endpoint and check status, body and that GET_STATE did not change. */
async function unchanged(
  ctx: Ctx,
  send: () => Promise<{ status: number; body: string; headers?: Record<string, unknown> }>,
  status: number,
  body: string | RegExp,
): Promise<{ status: number; body: string; headers?: Record<string, unknown> }> {
  const before = await stateText(ctx.master.url);
  const context = ctx.master.context;
  const r = await send();
  assert.is(r.status, status, `status (body: ${r.body})`);
  if (typeof body === 'string') assert.is(r.body, body);
  else assert.match(r.body, body);
  assert.is(await stateText(ctx.master.url), before, 'GET_STATE changed');
  assert.is(ctx.master.context.frameworks, context.frameworks, 'the frameworks changed');
  return r;
}

const post = (url: string, body: string | Buffer, headers: Record<string, string | string[]>, method = 'POST') =>
  new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(new URL('/api/v1/scheduler', url), { method, headers: { 'Content-Length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });

const JSON_CT = { 'Content-Type': 'application/json' };

api('405 for anything but POST, with Allow: POST', async (ctx) => {
  const r = await unchanged(ctx, () => post(ctx.master.url, '', {}, 'GET'), 405, "Expecting one of { 'POST' }, but received 'GET'");
  assert.is(r.headers!['allow'], 'POST');
  await unchanged(ctx, () => post(ctx.master.url, FW('x'), JSON_CT, 'PUT'), 405, "Expecting one of { 'POST' }, but received 'PUT'");
});

api('400 without Content-Type, 415 for other types, 400 for a protobuf body that is not protobuf', async (ctx) => {
  await unchanged(ctx, () => post(ctx.master.url, FW('x'), {}), 400, "Expecting 'Content-Type' to be present");
  for (const type of ['text/plain', 'application/xml']) {
    await unchanged(ctx, () => post(ctx.master.url, FW('x'), { 'Content-Type': type }), 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
  }
  await unchanged(ctx, () => post(ctx.master.url, FW('x'), { 'Content-Type': 'application/x-protobuf' }), 400, /^Failed to parse body into Call protobuf: /);
});

api('400 for bad JSON, a non-object, and failed conversion or validation, with Mesos messages', async (ctx) => {
  const cases: [string, string | RegExp][] = [
    ['{"type":', /^Failed to parse body into JSON: /],
    ['[1,2]', 'Failed to convert JSON into Call protobuf: Expecting a JSON object'],
    ['{}', "Failed to validate scheduler::Call: Expecting 'type' to be present"],
    ['{"type":"ACCEPT"}', "Failed to validate scheduler::Call: Expecting 'framework_id' to be present"],
    [`{"type":"ACCEPT","framework_id":{"value":"${'x'}"}}`, "Failed to validate scheduler::Call: Expecting 'accept' to be present"],
    ['{"type":"DECLINE","framework_id":{"value":"x"},"decline":{"offer_ids":[{"value":5}]}}', /^Failed to convert JSON into Call protobuf: .*decline\.offer_ids\[0\]\.value/],
    [
      '{"type":"ACKNOWLEDGE","framework_id":{"value":"x"},"acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":"AAAA"}}',
      'Failed to validate scheduler::Call: Not a valid UUID',
    ],
    [
      '{"type":"SUBSCRIBE","framework_id":{"value":"a"},"subscribe":{"framework_info":{"user":"u","name":"n","id":{"value":"b"}}}}',
      "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'",
    ],
    ['{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u"}}}', /Missing required fields: subscribe\.framework_info\.name/],
  ];
  for (const [body, message] of cases) await unchanged(ctx, () => post(ctx.master.url, body, JSON_CT), 400, message);
});

api('406 when Accept rules out JSON for SUBSCRIBE; a duplicated Accept and */* are fine', async (ctx) => {
  await unchanged(ctx, () => post(ctx.master.url, FW('x'), { ...JSON_CT, Accept: 'text/html' }), 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
  await unchanged(ctx, () => post(ctx.master.url, FW('x'), { ...JSON_CT, Accept: 'application/json;q=0' }), 406, /Expecting 'Accept'/);
  for (const accept of [['application/json', 'application/json'], ['*/*'], ['application/*'], ['text/html, */*;q=0.1']]) {
    const s = await subscribe(ctx.master.url, FW(`accept-${accept.join()}`), {});
    s.close();
    const r = await new Promise<number>((resolve, reject) => {
      const body = FW(`accept2-${accept.join()}`);
      const req = httpRequest(
        new URL('/api/v1/scheduler', ctx.master.url),
        { method: 'POST', headers: { ...JSON_CT, Accept: accept, 'Content-Length': String(body.length) } },
        (res) => {
          resolve(res.statusCode!);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.is(r, 200, `Accept: ${accept.join(' + ')}`);
  }
});

api('400 for SUBSCRIBE with a Mesos-Stream-Id', async (ctx) => {
  await unchanged(
    ctx,
    () => post(ctx.master.url, FW('x'), { ...JSON_CT, 'Mesos-Stream-Id': ctx.stream.streamId }),
    400,
    "Subscribe calls should not include the 'Mesos-Stream-Id' header",
  );
});

api('501 for UNKNOWN', async (ctx) => {
  await unchanged(
    ctx,
    () => post(ctx.master.url, `{"type":"UNKNOWN","framework_id":{"value":"${ctx.fid}"}}`, { ...JSON_CT, 'Mesos-Stream-Id': ctx.stream.streamId }),
    501,
    'UNKNOWN is not implemented',
  );
});

api('400 for an unknown framework, 403 for a disconnected one, 400 for a missing or stale stream id', async (ctx) => {
  const revive = (fid: string) => JSON.stringify({ type: 'RECONCILE', framework_id: { value: fid }, reconcile: { tasks: [] } });
  await unchanged(ctx, () => post(ctx.master.url, revive('no-such-framework'), { ...JSON_CT, 'Mesos-Stream-Id': ctx.stream.streamId }), 400, 'Framework cannot be found');
  await unchanged(ctx, () => post(ctx.master.url, revive(ctx.away), { ...JSON_CT, 'Mesos-Stream-Id': ctx.stream.streamId }), 403, 'Framework is not subscribed');
  await unchanged(ctx, () => post(ctx.master.url, revive(ctx.fid), JSON_CT), 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
  await unchanged(ctx, () => post(ctx.master.url, revive(ctx.fid), { ...JSON_CT, 'Mesos-Stream-Id': '00000000-0000-4000-8000-000000000000' }), 400, /didn't match the stream ID/);
});

api('accepts what real clients send: nulls, numbers as strings, unknown fields, a charset', async (ctx) => {
  const body = `{"type":"DECLINE","framework_id":{"value":"${ctx.fid}"},"decline":{"offer_ids":null,"filters":{"refuse_seconds":"5"}},"someField":[1,2],"frameworkId":"camel"}`;
  await unchanged(ctx, () => post(ctx.master.url, body, { 'Content-Type': 'application/json; charset=utf-8', 'Mesos-Stream-Id': ctx.stream.streamId }), 202, '');
  const accept = `{"type":"ACCEPT","framework_id":{"value":"${ctx.fid}"},"accept":{"offer_ids":[],"operations":null,"filters":{"refuse_seconds":1}}}`;
  await unchanged(ctx, () => post(ctx.master.url, accept, { ...JSON_CT, 'Mesos-Stream-Id': ctx.stream.streamId }), 202, '');
});

api('SUBSCRIBE: 200, Content-Type application/json, Mesos-Stream-Id, SUBSCRIBED then HEARTBEAT in RecordIO', async (ctx) => {
  const raw = await new Promise<{ status: number; headers: Record<string, unknown>; bytes: string }>((resolve, reject) => {
    const body = FW('shape', { failover_timeout: 0 });
    const req = httpRequest(
      new URL('/api/v1/scheduler', ctx.master.url),
      { method: 'POST', headers: { ...JSON_CT, Accept: 'application/json', 'Content-Length': String(body.length) } },
      (res) => {
        let bytes = '';
        res.on('data', (c: Buffer) => {
          bytes += c.toString('utf8');
          if (bytes.includes('{"type":"HEARTBEAT"}')) {
            resolve({ status: res.statusCode!, headers: res.headers as Record<string, unknown>, bytes });
            req.destroy();
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  assert.is(raw.status, 200);
  assert.is(raw.headers['content-type'], 'application/json');
  assert.is(raw.headers['transfer-encoding'], 'chunked');
  assert.match(String(raw.headers['mesos-stream-id']), UUID);
  const mid = ctx.master.id;
  const m = /^(\d+)\n(\{"type":"SUBSCRIBED".*?\}\}\})20\n\{"type":"HEARTBEAT"\}$/.exec(raw.bytes);
  assert.ok(m, raw.bytes);
  assert.is(Number(m![1]), Buffer.byteLength(m![2]!), 'record length');
  assert.match(
    m![2]!,
    new RegExp(
      `^\\{"type":"SUBSCRIBED","subscribed":\\{"framework_id":\\{"value":"${mid}-\\d{4}"\\},"heartbeat_interval_seconds":15\\.0,` +
        `"master_info":\\{"id":"${mid}","ip":16777343,"port":${ctx.master.port},"pid":"master@127\\.0\\.0\\.1:${ctx.master.port}","hostname":"localhost","version":"1\\.11\\.0",` +
        `"address":\\{"hostname":"localhost","ip":"127\\.0\\.0\\.1","port":${ctx.master.port}\\},"capabilities":\\[\\{"type":"AGENT_UPDATE"\\},\\{"type":"AGENT_DRAINING"\\},\\{"type":"QUOTA_V2"\\}\\]\\}\\}\\}$`,
    ),
  );
});

api('a refused SUBSCRIBE is a 200 stream with one ERROR, then closed', async (ctx) => {
  const s = await subscribe(ctx.master.url, FW('bad-roles', { roles: ['a'] }));
  assert.is(s.status, 200);
  assert.is(await s.next(), '{"type":"ERROR","error":{"message":"\'FrameworkInfo.roles\' must not be set when the framework is not MULTI_ROLE capable"}}');
  assert.ok(await s.waitEnd(2000), 'the stream closes');
});

// ------------------------------------------------------------------------------------ operator

const op = suite<{ master: MasterServer; agent: FakeAgent; stream: EventStream; fid: string }>('master: operator API and v0 endpoints');

op.before(async (ctx) => {
  ctx.master = await startMaster({ port: 0, checkInvariants: true, flags: { allocationIntervalMs: 50 }, log: () => {} });
  ctx.agent = await new FakeAgent({ master: ctx.master.url, hostname: 'agent-host', port: 5999 }).start();
  ctx.stream = await subscribe(ctx.master.url, FW('op-fw', { failover_timeout: 60, roles: ['web'], capabilities: [{ type: 'MULTI_ROLE' }] }));
  ctx.fid = (await ctx.stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
  await ctx.stream.nextOfType('OFFERS');
});

op.after(async (ctx) => {
  ctx.stream.close();
  ctx.agent.close();
  assert.equal(ctx.master.violations, []);
  await ctx.master.close();
});

op('GET_HEALTH, GET_VERSION, GET_MASTER, GET_FLAGS', async (ctx) => {
  const health = await operatorCall(ctx.master.url, { type: 'GET_HEALTH' });
  assert.is(health.status, 200);
  assert.is(health.headers['content-type'], 'application/json');
  assert.is(health.body, '{"type":"GET_HEALTH","get_health":{"healthy":true}}');
  const version = await operatorCall(ctx.master.url, { type: 'GET_VERSION' });
  assert.match(
    version.body,
    /^\{"type":"GET_VERSION","get_version":\{"version_info":\{"version":"1\.11\.0","build_date":"[^"]+","build_time":\d+\.0,"build_user":"mesos-ref"\}\}\}$/,
  );
  const m = (await operatorCall(ctx.master.url, { type: 'GET_MASTER' })).json as { get_master: { master_info: { id: string; port: number }; start_time: number } };
  assert.is(m.get_master.master_info.id, ctx.master.id);
  assert.is(m.get_master.master_info.port, ctx.master.port);
  assert.ok(m.get_master.start_time > 1e9);
  const flags = (await operatorCall(ctx.master.url, { type: 'GET_FLAGS' })).json as { get_flags: { flags: { name: string; value: string }[] } };
  assert.ok(flags.get_flags.flags.some((f) => f.name === 'allocation_interval' && f.value === '50ms'));
});

op('GET_AGENTS, GET_FRAMEWORKS, GET_ROLES, GET_TASKS, GET_STATE, GET_METRICS', async (ctx) => {
  const agents = (await operatorCall(ctx.master.url, { type: 'GET_AGENTS' })).json as {
    get_agents: { agents: { agent_info: { id: { value: string }; hostname: string }; active: boolean; total_resources: unknown[]; offered_resources?: unknown[] }[] };
  };
  assert.is(agents.get_agents.agents.length, 1);
  const a = agents.get_agents.agents[0]!;
  assert.is(a.agent_info.id.value, ctx.agent.agentId);
  assert.is(a.agent_info.hostname, 'agent-host');
  assert.is(a.active, true);
  assert.is(a.total_resources.length, 4);
  assert.ok(a.offered_resources && a.offered_resources.length > 0, 'the outstanding offer shows');
  const fws = (await operatorCall(ctx.master.url, { type: 'GET_FRAMEWORKS' })).json as {
    get_frameworks: { frameworks: { framework_info: { id: { value: string } }; active: boolean; connected: boolean; recovered: boolean; offers: unknown[] }[] };
  };
  const f = fws.get_frameworks.frameworks.find((x) => x.framework_info.id.value === ctx.fid)!;
  assert.equal([f.active, f.connected, f.recovered], [true, true, false]);
  assert.is(f.offers.length, 1);
  const roles = (await operatorCall(ctx.master.url, { type: 'GET_ROLES' })).json as { get_roles: { roles: { name: string; weight: number; frameworks?: { value: string }[] }[] } };
  const web = roles.get_roles.roles.find((r) => r.name === 'web')!;
  assert.is(web.weight, 1);
  assert.equal(web.frameworks, [{ value: ctx.fid }]);
  const tasks = await operatorCall(ctx.master.url, { type: 'GET_TASKS' });
  assert.is(tasks.body, '{"type":"GET_TASKS","get_tasks":{}}');
  const state = (await operatorCall(ctx.master.url, { type: 'GET_STATE' })).json as { get_state: Record<string, unknown> };
  assert.equal(Object.keys(state.get_state), ['get_tasks', 'get_executors', 'get_frameworks', 'get_agents']);
  const metrics = await operatorCall(ctx.master.url, '{"type":"GET_METRICS","get_metrics":{}}');
  assert.match(metrics.body, /\{"name":"master\/elected","value":1\.0\}/);
  assert.match(metrics.body, /\{"name":"master\/slave_registrations","value":1\.0\}/);
});

op('operator errors: 405, 400, 415, 406, 501, and TEARDOWN of an unknown framework', async (ctx) => {
  const url = new URL('/api/v1', ctx.master.url);
  const r405 = await request(url, { method: 'GET' });
  assert.is(r405.status, 405);
  assert.is(r405.headers['allow'], 'POST');
  assert.is((await request(url, { method: 'POST', body: '{"type":"GET_HEALTH"}' })).status, 400);
  assert.is((await request(url, { method: 'POST', body: '{"type":"GET_HEALTH"}', headers: { 'Content-Type': 'text/plain' } })).status, 415);
  const bad = await request(url, { method: 'POST', body: '{"type":"GET_METRICS"}', headers: JSON_CT });
  assert.equal([bad.status, bad.body], [400, "Failed to validate master::Call: Expecting 'get_metrics' to be present"]);
  assert.is((await request(url, { method: 'POST', body: '{"type":"GET_HEALTH"}', headers: { ...JSON_CT, Accept: 'text/html' } })).status, 406);
  for (const type of ['UNKNOWN', 'GET_LOGGING_LEVEL', 'GET_MAINTENANCE_STATUS']) {
    assert.is((await operatorCall(ctx.master.url, `{"type":"${type}"}`)).status, 501, type);
  }
  const before = await stateText(ctx.master.url);
  const td = await operatorCall(ctx.master.url, { type: 'TEARDOWN', teardown: { framework_id: { value: 'nope' } } });
  assert.equal([td.status, td.body], [400, 'No framework found with specified ID']);
  assert.is(await stateText(ctx.master.url), before);
});

op('/master/state in the v0 shape, /metrics/snapshot, /health, /master/health, /version', async (ctx) => {
  const stateRaw = await request(new URL('/master/state', ctx.master.url));
  assert.is(stateRaw.headers['content-type'], 'application/json');
  assert.match(stateRaw.body, /"resources":\{"cpus":4\.0,"disk":10000\.0,"gpus":0\.0,"mem":4096\.0,"ports":"\[31000-32000\]"\}/);
  const state = (await getJson(ctx.master.url, '/master/state')) as Record<string, unknown> & { slaves: Record<string, unknown>[]; frameworks: Record<string, unknown>[] };
  for (const key of [
    'version',
    'build_date',
    'build_time',
    'build_user',
    'start_time',
    'elected_time',
    'id',
    'pid',
    'hostname',
    'activated_slaves',
    'deactivated_slaves',
    'unreachable_slaves',
    'leader',
    'flags',
    'slaves',
    'recovered_slaves',
    'frameworks',
    'completed_frameworks',
    'orphan_tasks',
    'unregistered_frameworks',
  ]) {
    assert.ok(key in state, `/master/state has ${key}`);
  }
  assert.is(state.id, ctx.master.id);
  assert.is(state.slaves[0]!.id, ctx.agent.agentId);
  assert.is(state.slaves[0]!.pid, 'slave(1)@agent-host:5999');
  assert.is(state.frameworks[0]!.id, ctx.fid);
  assert.equal(state.frameworks[0]!.roles, ['web']);
  const metrics = await request(new URL('/metrics/snapshot', ctx.master.url));
  assert.match(metrics.body, /"master\/elected":1\.0/);
  assert.match(metrics.body, /"master\/slaves_active":1\.0/);
  assert.match(metrics.body, /"master\/frameworks_connected":1\.0/);
  assert.match(metrics.body, /"master\/outstanding_offers":1\.0/);
  for (const path of ['/health', '/master/health']) {
    const h = await request(new URL(path, ctx.master.url));
    assert.equal([h.status, h.body], [200, ''], path);
  }
  const version = (await getJson(ctx.master.url, '/version')) as { version: string };
  assert.is(version.version, '1.11.0');
  const nope = await request(new URL('/nope', ctx.master.url));
  assert.equal([nope.status, nope.body], [404, "No such endpoint on this master: '/nope'"]);
});

op('operator TEARDOWN removes the framework and closes its stream', async (ctx) => {
  const td = await operatorCall(ctx.master.url, { type: 'TEARDOWN', teardown: { framework_id: { value: ctx.fid } } });
  assert.is(td.status, 200);
  assert.ok(await ctx.stream.waitEnd(2000), 'the framework stream closes');
  const fws = (await operatorCall(ctx.master.url, { type: 'GET_FRAMEWORKS' })).json as {
    get_frameworks: { frameworks?: unknown[]; completed_frameworks: { framework_info: { id: { value: string } } }[] };
  };
  assert.is(fws.get_frameworks.frameworks, undefined);
  assert.is(fws.get_frameworks.completed_frameworks[0]!.framework_info.id.value, ctx.fid);
  // The offer it held went back: none outstanding.
  await eventually(async () => /"master\/outstanding_offers":0\.0/.test((await request(new URL('/metrics/snapshot', ctx.master.url))).body), 2000, 'offers to be released');
});

api.run();
op.run();
