/**
 * The agent's own read views under its --acls (Mesos's agent `Http::state` and `getState` with
 * their approvers): view_frameworks decides which frameworks a principal sees, view_executors and
 * view_tasks which of their executors and tasks, on `/state` and on GET_STATE / GET_TASKS alike.
 *
 * The agent runs `sleep` instead of the executor (as in agent-api.test), so the task stays queued
 * under a registering executor: one framework, one executor, one task, all of user 'a'.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeMaster } from '../support/fake-master.ts';
import { cleanupAgent, postJson, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { request } from '../../impl/http/client.ts';
import { basicAuthorization, type Credential } from '../../impl/http/auth.ts';

const test = suite("agent views: view_frameworks / view_executors / view_tasks on the agent's /state and GET_STATE");

let master: FakeMaster | undefined;
let agent: AgentProcess | undefined;
let workDir = '';

const ops: Credential = { principal: 'ops', secret: 's1' };
const bob: Credential = { principal: 'bob', secret: 's2' };
const carol: Credential = { principal: 'carol', secret: 's3' };
const dave: Credential = { principal: 'dave', secret: 's4' };

test.before(async () => {
  workDir = tempDir('mesos-ref-agent-views-');
  const creds = join(workDir, 'credentials.json');
  const acls = join(workDir, 'acls.json');
  writeFileSync(creds, JSON.stringify({ credentials: [ops, bob, carol, dave] }));
  // ops sees everything; bob sees user a's frameworks but none of their executors or tasks; carol sees nothing;
  // dave may view executors and containers but not their framework, so (as in Mesos) sees neither.
  writeFileSync(
    acls,
    JSON.stringify({
      permissive: false,
      view_frameworks: [{ principals: { values: ['ops', 'bob'] }, users: { type: 'ANY' } }],
      view_executors: [{ principals: { values: ['ops', 'dave'] }, users: { type: 'ANY' } }],
      view_containers: [{ principals: { values: ['ops', 'dave'] }, users: { values: ['a'] } }],
      view_tasks: [{ principals: { values: ['ops'] }, users: { values: ['a'] } }],
      access_sandboxes: [{ principals: { values: ['ops'] }, users: { type: 'ANY' } }],
    }),
  );
  mkdirSync(join(workDir, 'agent'));
  master = await FakeMaster.start();
  agent = await startAgentProcess({
    master: master.url,
    workDir: join(workDir, 'agent'),
    args: ['--executor-command', 'sleep 120', '--no-authenticate-http-executors', '--authenticate_http_readonly', '--credentials', creds, '--acls', acls],
  });
  await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
  master.runTask({ user: 'a', name: 'views', id: { value: 'F-views' } }, { name: 'views', task_id: { value: 't1' }, command: { value: 'true' } });
  await eventually(
    async () => ((await request(`${agent!.url}/state`, { headers: basicAuthorization(ops) })).body.includes('"queued_tasks":[{') ? true : undefined),
    10_000,
    'the queued task',
  );
});

test.after(async () => {
  await cleanupAgent(agent, workDir);
  await master?.close();
});

type V0 = { frameworks: { executors: { tasks: unknown[]; queued_tasks: unknown[] }[] }[] };
const v0 = async (who: Credential): Promise<V0> => {
  const r = await request(`${agent!.url}/state`, { headers: basicAuthorization(who) });
  assert.is(r.status, 200, r.body);
  return JSON.parse(r.body) as V0;
};

type V1 = {
  get_tasks?: { queued_tasks?: unknown[] };
  get_executors?: { executors?: unknown[] };
  get_frameworks?: { frameworks?: unknown[] };
};
const v1 = async (who: Credential, type: 'GET_STATE' | 'GET_TASKS'): Promise<V1> => {
  const r = await postJson(`${agent!.url}/api/v1`, JSON.stringify({ type }), { ...basicAuthorization(who), Accept: 'application/json' });
  assert.is(r.status, 200, r.body);
  const body = JSON.parse(r.body) as { get_state?: V1; get_tasks?: V1['get_tasks'] };
  return type === 'GET_STATE' ? body.get_state! : { get_tasks: body.get_tasks! };
};

test('/state: frameworks by view_frameworks, executors by view_executors, tasks by view_tasks', async () => {
  const all = await v0(ops);
  assert.is(all.frameworks.length, 1);
  assert.is(all.frameworks[0]!.executors.length, 1);
  assert.is(all.frameworks[0]!.executors[0]!.queued_tasks.length, 1);
  const frameworkOnly = await v0(bob);
  assert.is(frameworkOnly.frameworks.length, 1);
  assert.is(frameworkOnly.frameworks[0]!.executors.length, 0);
  assert.is((await v0(carol)).frameworks.length, 0);
});

test('GET_STATE and GET_TASKS: the same views', async () => {
  const all = await v1(ops, 'GET_STATE');
  assert.equal([all.get_frameworks?.frameworks?.length, all.get_executors?.executors?.length, all.get_tasks?.queued_tasks?.length], [1, 1, 1]);
  const frameworkOnly = await v1(bob, 'GET_STATE');
  assert.equal([frameworkOnly.get_frameworks?.frameworks?.length, frameworkOnly.get_executors?.executors, frameworkOnly.get_tasks?.queued_tasks], [1, undefined, undefined]);
  const nothing = await v1(carol, 'GET_STATE');
  assert.equal([nothing.get_frameworks?.frameworks, nothing.get_executors?.executors, nothing.get_tasks?.queued_tasks], [undefined, undefined, undefined]);
  assert.is((await v1(ops, 'GET_TASKS')).get_tasks?.queued_tasks?.length, 1);
  assert.is((await v1(bob, 'GET_TASKS')).get_tasks?.queued_tasks, undefined);
});

// The answers' sub-messages, by name: `{ frameworks: [...] }`, `{ size, data }`, ...
type Answer = Record<string, Record<string, unknown> | undefined>;
const call = async (who: Credential, body: object): Promise<{ status: number; body: string; json: Answer }> => {
  const r = await postJson(`${agent!.url}/api/v1`, JSON.stringify(body), { ...basicAuthorization(who), Accept: 'application/json' });
  return { status: r.status, body: r.body, json: r.status === 200 ? (JSON.parse(r.body) as Answer) : {} };
};

test('GET_FRAMEWORKS, GET_EXECUTORS, GET_CONTAINERS: view_frameworks, then view_executors / view_containers', async () => {
  const seen = async (who: Credential) => [
    ((await call(who, { type: 'GET_FRAMEWORKS' })).json.get_frameworks?.frameworks as unknown[] | undefined)?.length,
    ((await call(who, { type: 'GET_EXECUTORS' })).json.get_executors?.executors as unknown[] | undefined)?.length,
    ((await call(who, { type: 'GET_CONTAINERS' })).json.get_containers?.containers as unknown[] | undefined)?.length,
  ];
  // The executor's container exists once its launch (held until the step's checkpoint is on disk) ran.
  await eventually(async () => ((await seen(ops))[2] === 1 ? true : undefined), 10_000, "the executor's container");
  assert.equal(await seen(ops), [1, 1, 1]);
  assert.equal(await seen(bob), [1, undefined, undefined]);
  assert.equal(await seen(carol), [undefined, undefined, undefined]);
  assert.equal(await seen(dave), [undefined, undefined, undefined]);
  // GET_AGENT authorizes nothing (Mesos's Http::getAgent).
  assert.is(((await call(carol, { type: 'GET_AGENT' })).json.get_agent as { agent_info: { id: { value: string } } }).agent_info.id.value, master!.agentIdOf());
});

test('READ_FILE: access_sandboxes, refused before the path is looked at', async () => {
  const v0 = JSON.parse((await request(`${agent!.url}/state`, { headers: basicAuthorization(ops) })).body) as { frameworks: { executors: { directory: string }[] }[] };
  const file = join(v0.frameworks[0]!.executors[0]!.directory, 'secret.txt');
  writeFileSync(file, 'for ops only');
  const read = (who: Credential, path: string) => call(who, { type: 'READ_FILE', read_file: { path, offset: 0 } });
  const ok = await read(ops, file);
  assert.is(ok.status, 200);
  assert.is(Buffer.from(ok.json.read_file!.data as string, 'base64').toString(), 'for ops only');
  const refused = await read(bob, file);
  assert.equal([refused.status, refused.body], [403, "Not authorized to access sandboxes as principal 'bob'"]);
  assert.is((await read(bob, '/no/such/file')).status, 403);
  assert.is((await read(ops, '/no/such/file')).status, 404);
});

test.run();
