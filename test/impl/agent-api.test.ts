/**
 * The agent's HTTP surface against a real `mesos-ref agent` process and a fake master: the
 * executor API's status codes and messages in Mesos's order (reference 2.1), each leaving the
 * agent's GET_STATE unchanged; the operator API; v0 /state; /files.
 *
 * The agent runs `sleep` instead of the executor (a hidden testing flag), so the task's executor
 * stays REGISTERING: the state every rejection is checked against.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeMaster } from '../support/fake-master.ts';
import { agentState, cleanupAgent, postJson, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { request } from '../../impl/http/client.ts';
import { decodeProtobuf, encodeProtobuf } from '../../spec/protocol/protobuf.ts';
import { post as postProtobuf } from '../support/protobuf-http.ts';

const test = suite('agent HTTP API');

let master: FakeMaster | undefined;
let agent: AgentProcess | undefined;
let workDir = '';
const FW = 'F-api';
const TASK = 'task-1';
const framework = { user: 'tester', name: 'api', id: { value: FW }, checkpoint: true };

const call = (extra: object) => JSON.stringify({ framework_id: { value: FW }, executor_id: { value: TASK }, ...extra });
const uuid = 'AAAAAAAAQACAAAAAAAAAAA=='; // 16 bytes, version 4, RFC 4122 variant

test.before(async () => {
  workDir = tempDir('mesos-ref-agent-api-');
  master = await FakeMaster.start();
  agent = await startAgentProcess({ master: master.url, workDir, args: ['--executor-command', 'sleep 120', '--no-authenticate-http-executors'] });
  await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
  master.runTask(framework, { name: 'api', task_id: { value: TASK }, command: { value: 'true' } });
  await eventually(async () => ((await agentState(agent!.url)).includes('"queued_tasks"') ? true : undefined), 10_000, 'the queued task');
});

test.after(async () => {
  await cleanupAgent(agent, workDir);
  await master?.close();
});

/** Sends a request and checks status, body, and that GET_STATE did not change. */
async function unchanged(label: string, send: () => Promise<{ status: number; body: string }>, status: number, body?: string | RegExp): Promise<void> {
  const before = await agentState(agent!.url);
  const r = await send();
  assert.is(r.status, status, `${label}: status (body: ${r.body})`);
  if (typeof body === 'string') assert.is(r.body, body, `${label}: body`);
  else if (body) assert.match(r.body, body, `${label}: body`);
  assert.is(await agentState(agent!.url), before, `${label}: state unchanged`);
}

const executorApi = () => `${agent!.url}/api/v1/executor`;

test('executor API: method and content type', async () => {
  await unchanged('GET', () => request(executorApi(), { method: 'GET' }), 405, "Expecting one of { 'POST' }, but received 'GET'");
  await unchanged('no Content-Type', () => request(executorApi(), { method: 'POST', body: call({ type: 'HEARTBEAT' }) }), 400, "Expecting 'Content-Type' to be present");
  await unchanged(
    'text/plain',
    () => request(executorApi(), { method: 'POST', body: call({ type: 'HEARTBEAT' }), headers: { 'Content-Type': 'text/plain' } }),
    415,
    /^Expecting 'Content-Type' of application\/json/,
  );
  await unchanged(
    'protobuf that is not protobuf',
    () => request(executorApi(), { method: 'POST', body: 'x', headers: { 'Content-Type': 'application/x-protobuf' } }),
    400,
    /^Failed to parse body into Call protobuf: /,
  );
});

test('executor API: malformed and invalid calls', async () => {
  await unchanged('not JSON', () => postJson(executorApi(), '{"type":'), 400, /^Failed to parse body into JSON: /);
  await unchanged('missing ids', () => postJson(executorApi(), '{"type":"SUBSCRIBE","subscribe":{}}'), 400, /^Failed to convert JSON into Call protobuf: .*framework_id/);
  await unchanged('no subscribe', () => postJson(executorApi(), call({ type: 'SUBSCRIBE' })), 400, "Failed to validate Executor::Call: Expecting 'subscribe' to be present");
  const status = (s: object) => call({ type: 'UPDATE', update: { status: { task_id: { value: TASK }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid, ...s } } });
  await unchanged(
    'no uuid',
    () => postJson(executorApi(), call({ type: 'UPDATE', update: { status: { task_id: { value: TASK }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' } } })),
    400,
    "Failed to validate Executor::Call: Expecting 'uuid' to be present",
  );
  await unchanged('bad uuid', () => postJson(executorApi(), status({ uuid: 'AAAA' })), 400, 'Failed to validate Executor::Call: Not a valid UUID');
  await unchanged('source', () => postJson(executorApi(), status({ source: 'SOURCE_AGENT' })), 400, /invalid source, expecting 'SOURCE_EXECUTOR'$/);
  await unchanged('staging', () => postJson(executorApi(), status({ state: 'TASK_STAGING' })), 400, /Received TASK_STAGING from executor/);
  await unchanged('executor mismatch', () => postJson(executorApi(), status({ executor_id: { value: 'other' } })), 400, /does not match ExecutorID in TaskStatus: other$/);
  await unchanged('UNKNOWN', () => postJson(executorApi(), call({ type: 'UNKNOWN' })), 501);
});

test('executor API: Accept, lookups and subscription', async () => {
  await unchanged(
    'Accept',
    () => postJson(executorApi(), call({ type: 'SUBSCRIBE', subscribe: {} }), { Accept: 'application/xml' }),
    406,
    "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
  );
  await unchanged('HEARTBEAT', () => postJson(executorApi(), JSON.stringify({ type: 'HEARTBEAT', framework_id: { value: 'nope' }, executor_id: { value: 'nope' } })), 202, '');
  await unchanged(
    'unknown framework',
    () => postJson(executorApi(), JSON.stringify({ type: 'MESSAGE', framework_id: { value: 'nope' }, executor_id: { value: TASK }, message: { data: 'aGk=' } })),
    400,
    'Framework cannot be found',
  );
  await unchanged(
    'unknown executor',
    () => postJson(executorApi(), JSON.stringify({ type: 'SUBSCRIBE', framework_id: { value: FW }, executor_id: { value: 'nope' }, subscribe: {} })),
    400,
    'Executor cannot be found',
  );
  await unchanged(
    'not subscribed',
    () => postJson(executorApi(), call({ type: 'UPDATE', update: { status: { task_id: { value: TASK }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid } } })),
    403,
    'Executor is not subscribed',
  );
  await unchanged('not subscribed (MESSAGE)', () => postJson(executorApi(), call({ type: 'MESSAGE', message: { data: 'aGk=' } })), 403, 'Executor is not subscribed');
});

test('operator API', async () => {
  const api = `${agent!.url}/api/v1`;
  const health = await postJson(api, '{"type":"GET_HEALTH"}');
  assert.is(health.status, 200);
  assert.is(health.body, '{"type":"GET_HEALTH","get_health":{"healthy":true}}');
  assert.is(health.headers['content-type'], 'application/json');
  const version = await postJson(api, '{"type":"GET_VERSION"}');
  assert.is(version.status, 200);
  assert.equal(JSON.parse(version.body).get_version.version_info.version, '1.11.0');
  const tasks = JSON.parse((await postJson(api, '{"type":"GET_TASKS"}')).body);
  assert.is(tasks.type, 'GET_TASKS');
  assert.is(tasks.get_tasks.queued_tasks[0].task_id.value, TASK);
  assert.is(tasks.get_tasks.queued_tasks[0].state, 'TASK_STAGING');
  const state = JSON.parse(await agentState(agent!.url));
  assert.is(state.get_state.get_frameworks.frameworks[0].framework_info.id.value, FW);
  assert.is(state.get_state.get_executors.executors[0].executor_info.executor_id.value, TASK);
  await unchanged('GET', () => request(api, { method: 'GET' }), 405);
  await unchanged('no Content-Type', () => request(api, { method: 'POST', body: '{"type":"GET_HEALTH"}' }), 400, "Expecting 'Content-Type' to be present");
  await unchanged('not JSON', () => postJson(api, 'nope'), 400, /^Failed to parse body into JSON/);
  await unchanged('no type', () => postJson(api, '{}'), 400, "Failed to validate agent::Call: Expecting 'type' to be present");
  await unchanged(
    'GET_LOGGING_LEVEL (not served)',
    () => postJson(api, '{"type":"GET_LOGGING_LEVEL"}'),
    501,
    /^GET_LOGGING_LEVEL is not implemented by this agent: .*logging level/,
  );
  await unchanged('GET_METRICS without get_metrics', () => postJson(api, '{"type":"GET_METRICS"}'), 400, "Failed to validate agent::Call: Expecting 'get_metrics' to be present");
  await unchanged('READ_FILE without read_file', () => postJson(api, '{"type":"READ_FILE"}'), 400, "Failed to validate agent::Call: Expecting 'read_file' to be present");
  await unchanged('Accept', () => postJson(api, '{"type":"GET_HEALTH"}', { Accept: 'text/html' }), 406);
});

test('operator API: GET_FRAMEWORKS, GET_EXECUTORS, GET_AGENT, GET_FLAGS, GET_METRICS, GET_CONTAINERS (JSON and protobuf)', async () => {
  const api = `${agent!.url}/api/v1`;
  const v1 = async (body: object, comparable = (r: unknown) => r) => {
    const r = await postJson(api, JSON.stringify(body));
    assert.is(r.status, 200, r.body);
    const json = JSON.parse(r.body) as Record<string, Record<string, unknown>>;
    // The protobuf answer is the same response, field for field.
    const pb = await postProtobuf(api, encodeProtobuf('RawAgentCall', body));
    assert.is(pb.status, 200);
    assert.equal(comparable(decodeProtobuf('RawAgentResponse', pb.body)), comparable(json), `${JSON.stringify(body)}: protobuf`);
    return json;
  };
  const frameworks = await v1({ type: 'GET_FRAMEWORKS' });
  assert.is(frameworks.type as unknown, 'GET_FRAMEWORKS');
  const state = JSON.parse(await agentState(agent!.url)) as { get_state: Record<string, unknown> };
  assert.equal(frameworks.get_frameworks, state.get_state.get_frameworks);
  assert.equal(
    (frameworks.get_frameworks as { frameworks: { framework_info: { id: { value: string }; user: string } }[] }).frameworks.map((f) => [
      f.framework_info.id.value,
      f.framework_info.user,
    ]),
    [[FW, 'tester']],
  );
  const executors = (await v1({ type: 'GET_EXECUTORS' })).get_executors as { executors: { executor_info: { executor_id: { value: string }; framework_id: { value: string } } }[] };
  assert.equal(
    executors.executors.map((e) => [e.executor_info.framework_id.value, e.executor_info.executor_id.value]),
    [[FW, TASK]],
  );
  assert.equal(executors, state.get_state.get_executors);
  const agentInfo = (await v1({ type: 'GET_AGENT' })).get_agent as { agent_info: { id: { value: string }; hostname: string; resources: unknown[] }; drain_config?: unknown };
  assert.is(agentInfo.agent_info.id.value, master!.agentIdOf());
  assert.ok(agentInfo.agent_info.resources.length > 0);
  assert.is(agentInfo.drain_config, undefined);
  const flags = ((await v1({ type: 'GET_FLAGS' })).get_flags as { flags: { name: string; value: string }[] }).flags;
  const v0Flags = JSON.parse((await request(`${agent!.url}/flags`)).body).flags as Record<string, string>;
  assert.equal(Object.fromEntries(flags.map((f) => [f.name, f.value])), v0Flags);
  assert.equal(
    flags.map((f) => f.name),
    [...flags.map((f) => f.name)].sort(),
  );
  const metrics = (
    (await v1({ type: 'GET_METRICS', get_metrics: {} }, (r) => (r as { get_metrics: { metrics: { name: string }[] } }).get_metrics.metrics.map((m) => m.name))).get_metrics as {
      metrics: { name: string; value: number }[];
    }
  ).metrics;
  const snapshot = JSON.parse((await request(`${agent!.url}/metrics/snapshot`)).body) as Record<string, number>;
  assert.equal(
    metrics.map((m) => m.name),
    Object.keys(snapshot).sort(),
  );
  assert.is(metrics.find((m) => m.name === 'slave/registered')?.value, 1);
  assert.ok(snapshot['slave/tasks_staging'] !== undefined, 'slave/tasks_staging is in the snapshot');
  assert.is(metrics.find((m) => m.name === 'slave/tasks_staging')?.value, snapshot['slave/tasks_staging']);
  // The executor's container exists once its launch (held until the step's checkpoint is on disk) ran.
  await eventually(async () => (JSON.parse((await postJson(api, '{"type":"GET_CONTAINERS"}')).body).get_containers.containers ? true : undefined), 10_000, 'the container');
  const containers = (
    (await v1({ type: 'GET_CONTAINERS' })).get_containers as { containers: { framework_id: { value: string }; executor_id: { value: string }; container_id: { value: string } }[] }
  ).containers;
  const v0 = JSON.parse((await request(`${agent!.url}/state`)).body) as { frameworks: { executors: { container: string }[] }[] };
  assert.equal(
    containers.map((c) => [c.framework_id.value, c.executor_id.value, c.container_id.value]),
    [[FW, TASK, v0.frameworks[0]!.executors[0]!.container]],
  );
});

test('operator API: READ_FILE as /files/read reads, in JSON (Base64 data) and protobuf', async () => {
  const api = `${agent!.url}/api/v1`;
  const executor = JSON.parse((await request(`${agent!.url}/state`)).body).frameworks[0].executors[0] as { directory: string };
  const file = join(executor.directory, 'read-file.bin');
  writeFileSync(file, 'hello\u0000bytes\n');
  const readFile = async (read_file: object) => postJson(api, JSON.stringify({ type: 'READ_FILE', read_file }));
  const all = await readFile({ path: file, offset: 0 });
  assert.is(all.status, 200, all.body);
  const body = JSON.parse(all.body) as { type: string; read_file: { size: number; data: string } };
  assert.is(body.type, 'READ_FILE');
  assert.is(body.read_file.size, 12);
  assert.is(Buffer.from(body.read_file.data, 'base64').toString('latin1'), 'hello\u0000bytes\n');
  const part = JSON.parse((await readFile({ path: `/frameworks/${FW}/executors/${TASK}/runs/latest/read-file.bin`, offset: 6, length: 5 })).body).read_file;
  assert.equal([part.size, Buffer.from(part.data, 'base64').toString()], [12, 'bytes']);
  const past = JSON.parse((await readFile({ path: file, offset: 100 })).body).read_file;
  assert.equal([past.size, past.data], [12, '']);
  const pb = await postProtobuf(api, encodeProtobuf('RawAgentCall', { type: 'READ_FILE', read_file: { path: file, offset: 6, length: 5 } }));
  assert.is(pb.status, 200);
  assert.equal(decodeProtobuf('RawAgentResponse', pb.body), { type: 'READ_FILE', read_file: { size: 12, data: Buffer.from('bytes').toString('base64') } });
  await unchanged('outside the sandboxes', () => readFile({ path: '/etc/passwd', offset: 0 }), 404, "No such file or directory in this agent's sandboxes: '/etc/passwd'");
  await unchanged('a directory', () => readFile({ path: executor.directory, offset: 0 }), 400, 'Cannot read a directory.\n');
  rmSync(file);
});

test('v0 /state, /health and /files', async () => {
  const url = agent!.url;
  assert.is((await request(`${url}/health`)).status, 200);
  const v0 = JSON.parse((await request(`${url}/slave(1)/state`)).body);
  assert.is(v0.id, master!.agentIdOf());
  assert.is(v0.resources.cpus, 4);
  assert.is(v0.resources.ports, '[31000-32000]');
  const executor = v0.frameworks[0].executors[0];
  assert.is(executor.id, TASK);
  assert.ok(executor.directory.startsWith(join(workDir, 'slaves')), executor.directory);
  assert.is(executor.queued_tasks[0].id, TASK);
  assert.equal(JSON.parse((await request(`${url}/state`)).body).id, v0.id);

  const file = join(executor.directory, 'hello.txt');
  writeFileSync(file, 'hello, sandbox\n');
  mkdirSync(join(executor.directory, 'sub'), { recursive: true });
  const read = (q: string) => request(`${url}/files/read?${q}`);
  const r1 = await read(`path=${encodeURIComponent(file)}&offset=0`);
  assert.is(r1.status, 200);
  assert.is(r1.body, '{"data":"hello, sandbox\\n","offset":0}');
  assert.equal(JSON.parse((await read(`path=${encodeURIComponent(file)}&offset=7&length=3`)).body), { data: 'san', offset: 7 });
  assert.equal(JSON.parse((await read(`path=${encodeURIComponent(file)}`)).body), { data: '', offset: 15 });
  assert.equal(JSON.parse((await read(`path=${encodeURIComponent(file)}&offset=100`)).body), { data: '', offset: 100 });
  const virtual = `/frameworks/${FW}/executors/${TASK}/runs/latest/hello.txt`;
  assert.equal(JSON.parse((await read(`path=${encodeURIComponent(virtual)}&offset=0`)).body), { data: 'hello, sandbox\n', offset: 0 });
  const outside = await read('path=/etc/passwd&offset=0');
  assert.equal([outside.status, outside.body], [404, "No such file or directory in this agent's sandboxes: '/etc/passwd'"]);
  assert.is((await read(`path=${encodeURIComponent(join(workDir, 'meta', 'checkpoint.json'))}&offset=0`)).status, 404);
  assert.is((await read(`path=${encodeURIComponent(`${executor.directory}/../../../../../../../../meta/checkpoint.json`)}&offset=0`)).status, 404);
  assert.is((await read(`path=${encodeURIComponent(join(executor.directory, 'missing'))}&offset=0`)).status, 404);
  assert.is((await read(`path=${encodeURIComponent(join(executor.directory, 'sub'))}&offset=0`)).status, 400);
  assert.is((await read(`path=${encodeURIComponent(file)}&offset=-5`)).status, 400);
  assert.is((await read('offset=0')).status, 400);
  const browse = JSON.parse((await request(`${url}/files/browse?path=${encodeURIComponent(executor.directory)}`)).body) as { path: string; mode: string }[];
  const names = browse.map((e) => e.path.slice(executor.directory.length + 1));
  assert.equal(names, ['hello.txt', 'stderr', 'stdout', 'sub']);
  assert.is(browse.find((e) => e.path.endsWith('/sub'))!.mode[0], 'd');
  assert.is((await request(`${url}/files/browse?path=%2Fetc`)).status, 404);
});

test('/files/download: the file as an attachment, 404 outside the sandboxes or missing, 400 for a directory', async () => {
  const url = agent!.url;
  const executor = JSON.parse((await request(`${url}/state`)).body).frameworks[0].executors[0] as { directory: string };
  const file = join(executor.directory, 'download.bin');
  writeFileSync(file, 'bytes\u0000as they are\n');
  const download = (path: string) => request(`${url}/files/download?path=${encodeURIComponent(path)}`);
  const r = await download(file);
  assert.equal(
    [r.status, r.headers['content-type'], r.headers['content-disposition'], r.body],
    [200, 'application/octet-stream', 'attachment; filename=download.bin', 'bytes\u0000as they are\n'],
  );
  assert.is((await download(`/frameworks/${FW}/executors/${TASK}/runs/latest/download.bin`)).body, 'bytes\u0000as they are\n');
  await unchanged('missing', () => download(join(executor.directory, 'missing')), 404);
  await unchanged('outside', () => download('/etc/passwd'), 404);
  await unchanged('directory', () => download(executor.directory), 400, 'Cannot download a directory.\n');
  await unchanged('no path', () => request(`${url}/files/download`), 400, "Expecting 'path=value' in query.\n");
});

test('LIST_FILES: FileInfo of a sandbox directory in JSON and protobuf, 404 missing or outside, 400 naming the field', async () => {
  const api = `${agent!.url}/api/v1`;
  const executor = JSON.parse((await request(`${agent!.url}/state`)).body).frameworks[0].executors[0] as { directory: string };
  mkdirSync(join(executor.directory, 'listed'), { recursive: true });
  writeFileSync(join(executor.directory, 'listed', 'b.txt'), 'twelve bytes');
  mkdirSync(join(executor.directory, 'listed', 'a-dir'), { recursive: true });
  const virtual = `/frameworks/${FW}/executors/${TASK}/runs/latest/listed`;
  const r = await postJson(api, JSON.stringify({ type: 'LIST_FILES', list_files: { path: `${virtual}/` } }));
  assert.is(r.status, 200, r.body);
  const listed = JSON.parse(r.body) as {
    type: string;
    list_files: { file_infos: { path: string; nlink: number; size: number; mtime: { nanoseconds: number }; mode: number; uid: string; gid: string }[] };
  };
  assert.is(listed.type, 'LIST_FILES');
  const infos = listed.list_files.file_infos;
  assert.equal(
    infos.map((f) => f.path),
    [`${virtual}/a-dir`, `${virtual}/b.txt`],
  );
  const file = infos[1]!;
  assert.equal([file.size, file.nlink, file.mode & 0o170000, file.mtime.nanoseconds % 1e9], [12, 1, 0o100000, 0], 'a regular file of 12 bytes, st_mtime in whole seconds');
  assert.is(infos[0]!.mode & 0o170000, 0o040000, 'a directory');
  assert.ok(typeof file.uid === 'string' && typeof file.gid === 'string');
  assert.is(Math.abs(file.mtime.nanoseconds / 1e9 - Date.now() / 1000) < 600, true, 'mtime is now-ish');
  // The real path lists the same entries under the real path.
  const real = JSON.parse((await postJson(api, JSON.stringify({ type: 'LIST_FILES', list_files: { path: join(executor.directory, 'listed') } }))).body);
  assert.equal(
    real.list_files.file_infos.map((f: { path: string }) => f.path),
    [join(executor.directory, 'listed', 'a-dir'), join(executor.directory, 'listed', 'b.txt')],
  );

  const pb = await postProtobuf(api, encodeProtobuf('RawAgentCall', { type: 'LIST_FILES', list_files: { path: virtual } }));
  assert.equal([pb.status, pb.type], [200, 'application/x-protobuf']);
  assert.equal(decodeProtobuf('RawAgentResponse', pb.body), listed, 'protobuf carries the same response');
  const pbHealth = await postProtobuf(api, encodeProtobuf('RawAgentCall', { type: 'GET_HEALTH' }));
  assert.equal(decodeProtobuf('RawAgentResponse', pbHealth.body), { type: 'GET_HEALTH', get_health: { healthy: true } });

  await unchanged('missing', () => postJson(api, JSON.stringify({ type: 'LIST_FILES', list_files: { path: `${virtual}/nope` } })), 404, /No such file or directory/);
  await unchanged('outside the sandboxes', () => postJson(api, JSON.stringify({ type: 'LIST_FILES', list_files: { path: '/etc' } })), 404, /'\/etc'/);
  await unchanged('no list_files', () => postJson(api, '{"type":"LIST_FILES"}'), 400, "Failed to validate agent::Call: Expecting 'list_files' to be present");
  await unchanged('no path', () => postJson(api, '{"type":"LIST_FILES","list_files":{}}'), 400, /list_files\.path/);
  await unchanged('path not a string', () => postJson(api, '{"type":"LIST_FILES","list_files":{"path":7}}'), 400, /'list_files\.path'/);
  await unchanged(
    'protobuf garbage',
    () => postProtobuf(api, new Uint8Array([0xff, 0xff, 0xff])).then((a) => ({ status: a.status, body: Buffer.from(a.body).toString() })),
    400,
    /^Failed to parse body into Call protobuf/,
  );
});

test('/metrics/snapshot: slave/* gauges from the machine, as Mesos names them', async () => {
  const m = JSON.parse((await request(`${agent!.url}/metrics/snapshot`)).body) as Record<string, number>;
  assert.equal(
    [
      m['slave/registered'],
      m['slave/frameworks_active'],
      m['slave/tasks_staging'],
      m['slave/tasks_running'],
      m['slave/tasks_finished'],
      m['slave/executors_registering'] + m['slave/executors_running'],
      m['slave/executors_terminated'],
    ],
    [1, 1, 1, 0, 0, 1, 0],
  );
  assert.equal([m['slave/cpus_total'], m['slave/mem_total']], [4, (JSON.parse((await request(`${agent!.url}/state`)).body) as { resources: { mem: number } }).resources.mem]);
  // The queued task asks for no resources, and the command executor the agent generated is not counted.
  assert.equal([m['slave/cpus_used'], m['slave/cpus_percent']], [0, 0]);
  assert.ok(m['slave/uptime_secs']! > 0);
});

// Last: the drain ends this file's task.
test('GET_AGENT under a drain: drain_config, and estimated_drain_start_time when the master asked', async () => {
  const getAgent = async () =>
    (
      JSON.parse((await postJson(`${agent!.url}/api/v1`, '{"type":"GET_AGENT"}')).body) as {
        get_agent: { drain_config?: unknown; estimated_drain_start_time?: { nanoseconds: number } };
      }
    ).get_agent;
  assert.is((await getAgent()).estimated_drain_start_time, undefined, 'no drain, no estimate');
  const before = Date.now();
  master!.send({ type: 'AGENT_DRAIN', config: { max_grace_period: { nanoseconds: 60e9 } } });
  const drained = await eventually(async () => ((await getAgent()).drain_config ? await getAgent() : undefined), 10_000, 'the drain');
  const after = Date.now();
  assert.equal(drained.drain_config, { max_grace_period: { nanoseconds: 60e9 }, mark_gone: false });
  const at = drained.estimated_drain_start_time?.nanoseconds;
  assert.ok(at !== undefined && at >= before * 1e6 && at <= after * 1e6, `estimated_drain_start_time ${at} between ${before} and ${after} ms`);
});

test.run();
