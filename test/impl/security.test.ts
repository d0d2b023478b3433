/**
 * Issue 13's intrusions, against running servers:
 *   - an authenticated `mesos-ref cluster` (master + agent processes, a framework running two
 *     `sleep` tasks): a forged executor UPDATE is refused (401 without the executor's token, 403
 *     with another executor's) and the task stays RUNNING with its resources; fake agents and
 *     messages on a guessed agent connection are refused and the real agent's info is unchanged;
 *     a framework without credentials is refused;
 *   - an in-process master without authentication: a REREGISTER_AGENT naming a connected
 *     agent's id is refused (another hostname: SHUTDOWN; the same one: ignored);
 *   - an in-process master with --acls: an ACL-denied TEARDOWN is 403, a stranger cannot take
 *     over another principal's framework.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cluster } from '../../impl/process/cluster.ts';
import { SchedulerClient, commandTask } from '../../impl/scheduler-client/index.ts';
import { openRecordIO, postJson, request, type RecordIOStream } from '../../impl/http/client.ts';
import { FakeMaster } from '../support/fake-master.ts';
import { freePorts } from '../support/free-ports.ts';
import { basicAuthorization } from '../../impl/http/auth.ts';
import { Acls } from '../../impl/http/acls.ts';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { cleanupAgent, executorAuthorization, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { alice, closeAll, mallory, ops, securedMaster, Subscription } from '../support/secured-master.ts';

const test = suite('security: authentication, executor tokens, agent identity, ACLs');

let cluster: Cluster | undefined;
let client: SchedulerClient | undefined;
let workDir = '';
const servers: MasterServer[] = [];
const streams: RecordIOStream[] = [];

test.after(async () => {
  await client?.close();
  for (const s of streams) s.close();
  await cluster?.stop();
  for (const m of servers) await m.close();
  await closeAll();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const operator = async (master: string, body: object, headers: Record<string, string> = {}) => postJson(`${master}/api/v1`, JSON.stringify(body), headers, 10_000);

async function tasks(master: string): Promise<Record<string, string>> {
  const r = await operator(master, { type: 'GET_TASKS' });
  const list = (JSON.parse(r.body).get_tasks.tasks ?? []) as { task_id: { value: string }; state: string }[];
  return Object.fromEntries(list.map((t) => [t.task_id.value, t.state]));
}

/** The agent's own task states: it records an executor's update in the step that accepts it. */
async function agentTasks(agent: string): Promise<Record<string, string>> {
  const r = await operator(agent, { type: 'GET_TASKS' });
  const t = JSON.parse(r.body).get_tasks as Record<string, { task_id: { value: string }; state: string }[] | undefined>;
  const list = [...(t.launched_tasks ?? []), ...(t.terminated_tasks ?? []), ...(t.completed_tasks ?? [])];
  return Object.fromEntries(list.map((x) => [x.task_id.value, x.state]));
}

async function agentsJson(master: string): Promise<string> {
  const r = await operator(master, { type: 'GET_AGENTS' });
  const agents = JSON.parse(r.body).get_agents.agents as { agent_info: unknown; total_resources: unknown }[];
  return JSON.stringify(agents.map((a) => [a.agent_info, a.total_resources]));
}

test('an authenticated cluster: forged executor updates, fake agents and credential-less frameworks are refused', async () => {
  workDir = tempDir('mesos-ref-security-');
  // The master takes `base` and the agent base+1: both must be free, not merely random.
  const base = await freePorts(2);
  cluster = new Cluster({ agents: 1, resources: 'cpus:1;mem:256', port: base, ip: '127.0.0.1', workDir, authenticate: true });
  await cluster.start();
  const master = cluster.masterUrl;
  const credential = cluster.frameworkCredential!;

  // A framework without credentials is refused before anything happens.
  const anonymous = await postJson(`${master}/api/v1/scheduler`, JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'x', name: 'x' } } }), {}, 10_000);
  assert.is(anonymous.status, 401, anonymous.body);
  const wrong = await postJson(
    `${master}/api/v1/scheduler`,
    JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'x', name: 'x' } } }),
    basicAuthorization({ principal: 'framework', secret: 'guess' }),
    10_000,
  );
  assert.is(wrong.status, 401, wrong.body);

  client = new SchedulerClient({
    master,
    framework_info: { user: 'tester', name: 'victim', checkpoint: true },
    tasks: [commandTask('a', 'sleep 3000', 0.1, 16), commandTask('b', 'sleep 3000', 0.1, 16)],
    credential,
  });
  const running = await eventually(
    async () => {
      const t = await tasks(master);
      return t['a'] === 'TASK_RUNNING' && t['b'] === 'TASK_RUNNING' ? t : undefined;
    },
    60_000,
    'both tasks RUNNING',
  );
  assert.ok(running);
  const fid = client.context.framework_id!;
  const agent = cluster.agents[0]!;
  const metricsBefore = await agentsJson(master);
  const update = (executor: string, task: string) =>
    JSON.stringify({
      type: 'UPDATE',
      framework_id: { value: fid },
      executor_id: { value: executor },
      update: { status: { task_id: { value: task }, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', uuid: 'AAAAAAAAQACAAAAAAAAAAA==' } },
    });

  // Defect 1: the forged TASK_FINISHED of the issue, without a token, then with executor a's
  // own token for executor b, then with a token signed by a key that is not the agent's.
  const noToken = await postJson(`${agent.url}/api/v1/executor`, update('b', 'b'), {}, 10_000);
  assert.is(noToken.status, 401, noToken.body);
  const othersToken = await postJson(`${agent.url}/api/v1/executor`, update('b', 'b'), executorAuthorization(agent.workDir, fid, 'a'), 10_000);
  assert.is(othersToken.status, 403, othersToken.body);
  assert.match(othersToken.body, "does not contain an 'eid' claim with the executor ID b");
  const forgedKey = await postJson(
    `${agent.url}/api/v1/executor`,
    update('b', 'b'),
    { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJmaWQiOiJ4IiwiZWlkIjoiYiIsImNpZCI6ImMifQ.c2lnbmF0dXJl' },
    10_000,
  );
  assert.is(forgedKey.status, 401, forgedKey.body);
  // No wait for a forwarded update: the agent answers an executor call only after its machine
  // stepped on it, and the master learns task states only from updates the agent accepted, so
  // the agent's view, read after the refusals, already holds whatever they could have changed.
  assert.equal(await agentTasks(agent.url), { a: 'TASK_RUNNING', b: 'TASK_RUNNING' }, 'the agent never took the forged update');
  assert.equal(await tasks(master), { a: 'TASK_RUNNING', b: 'TASK_RUNNING' }, 'the tasks are still running');
  assert.is(await agentsJson(master), metricsBefore, "the agent's resources and allocation are unchanged");

  // Defect 2: a fake agent cannot connect, and nobody speaks on the real agent's connection.
  const fake = await openRecordIO(`${master}/internal/agent/connect`, '', {}, { onRecord: () => {}, onEnd: () => {} });
  streams.push(fake);
  assert.is(fake.status, 401);
  const fakeWithFrameworkPrincipal = await openRecordIO(`${master}/internal/agent/connect`, '', basicAuthorization({ principal: 'agent', secret: credential.secret }), {
    onRecord: () => {},
    onEnd: () => {},
  });
  streams.push(fakeWithFrameworkPrincipal);
  assert.is(fakeWithFrameworkPrincipal.status, 401);
  const aid = (JSON.parse(await agentsJson(master)) as [{ id: { value: string } }][])[0]![0].id.value;
  const hijack = JSON.stringify({
    type: 'REREGISTER_AGENT',
    agent_info: { hostname: 'evil2', port: 1, id: { value: aid }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 64 } }] },
    version: '1.11.0',
  });
  for (const guess of ['agent-conn-1', 'agent-conn-1.00000000000000000000000000000000', 'agent-conn-2']) {
    const r = await postJson(
      `${master}/internal/agent/message`,
      hijack,
      { 'Mesos-Agent-Connection': guess, ...basicAuthorization({ principal: 'agent', secret: 'guess' }) },
      10_000,
    );
    assert.ok(r.status === 404 || r.status === 401, `${guess}: ${r.status} ${r.body}`);
  }
  assert.is(await agentsJson(master), metricsBefore, "the real agent's info is unchanged");
});

/** A raw agent connection to an in-process master: its id header and the messages it receives. */
async function connectAgent(
  master: string,
  headers: Record<string, string> = {},
): Promise<{ id: string; received: { type: string }[]; ended: Promise<void>; send: (m: object) => Promise<number> }> {
  const received: { type: string }[] = [];
  let onEnd = () => {};
  const ended = new Promise<void>((resolve) => (onEnd = resolve));
  const s = await openRecordIO(`${master}/internal/agent/connect`, '', headers, { onRecord: (t) => received.push(JSON.parse(t)), onEnd: () => onEnd() });
  streams.push(s);
  assert.is(s.status, 200);
  const id = String(s.headers['mesos-agent-connection']);
  return {
    id,
    received,
    ended,
    send: async (m) => (await postJson(`${master}/internal/agent/message`, JSON.stringify(m), { 'Mesos-Agent-Connection': id, ...headers }, 10_000)).status,
  };
}

test('without authentication, a registered agent cannot be taken over by id', async () => {
  const m = await startMaster({ port: 0, log: () => {} });
  servers.push(m);
  const real = await connectAgent(m.url);
  const info = { hostname: 'host-0', port: 5051, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] };
  assert.is(await real.send({ type: 'REGISTER_AGENT', agent_info: info, version: '1.11.0' }), 202);
  const aid = await eventually(
    () => (real.received.find((x) => x.type === 'AGENT_REGISTERED') as { agent_id?: { value: string } } | undefined)?.agent_id?.value,
    5000,
    'AGENT_REGISTERED',
  );
  const before = await agentsJson(m.url);
  const intruder = await connectAgent(m.url);
  const big = [{ name: 'cpus', type: 'SCALAR', scalar: { value: 64 } }];
  assert.is(await intruder.send({ type: 'REREGISTER_AGENT', agent_info: { hostname: 'evil2', port: 1, id: { value: aid }, resources: big }, version: '1.11.0' }), 202);
  await eventually(() => (intruder.received.some((x) => x.type === 'SHUTDOWN_AGENT') ? true : undefined), 5000, 'SHUTDOWN_AGENT to the intruder');
  assert.is(await intruder.send({ type: 'REREGISTER_AGENT', agent_info: { ...info, id: { value: aid }, resources: big }, version: '1.11.0' }), 202);
  assert.is(await agentsJson(m.url), before, "the real agent's info is unchanged");
  // A message on the real connection without its secret goes nowhere.
  const status = (
    await postJson(
      `${m.url}/internal/agent/message`,
      JSON.stringify({ type: 'UNREGISTER_AGENT', agent_id: { value: aid } }),
      { 'Mesos-Agent-Connection': real.id.split('.')[0]! },
      10_000,
    )
  ).status;
  assert.is(status, 404);
  assert.is(await agentsJson(m.url), before);
  // Closing the master ends the intruder's stream after everything written to it, so once it has
  // ended, a reply to the second REREGISTER would have arrived: no sleep to wait for one.
  await m.close();
  await intruder.ended;
  assert.not.ok(
    intruder.received.some((x) => x.type === 'AGENT_REREGISTERED'),
    'the intruder is never reregistered',
  );
});

test("ACLs: a denied TEARDOWN is 403; nobody takes over another principal's framework", async () => {
  const acls = Acls.parse(
    JSON.stringify({
      permissive: false,
      teardown_frameworks: [{ principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } }],
      register_frameworks: [{ principals: { type: 'ANY' }, roles: { type: 'ANY' } }],
    }),
    'acls.json',
  );
  const m = await securedMaster(acls, { authenticateAgents: true, authenticateHttpReadwrite: true });
  const alices = await Subscription.open(m, alice);
  const events = alices.events;
  const fid = await alices.frameworkId();
  assert.is(m.context.frameworks[fid]!.info.principal, 'alice');

  const teardown = { type: 'TEARDOWN', teardown: { framework_id: { value: fid } } };
  assert.is((await operator(m.url, teardown)).status, 401, 'no credentials');
  const denied = await operator(m.url, teardown, basicAuthorization(alice));
  assert.is(denied.status, 403, denied.body);
  assert.ok(m.context.frameworks[fid], 'the framework is still there');

  // mallory subscribes with alice's framework id: ERROR, and alice is not failed over.
  const theirs = (await Subscription.open(m, mallory, fid)).events;
  await eventually(() => (theirs.some((e) => e.type === 'ERROR') ? true : undefined), 5000, 'ERROR to mallory');
  assert.is(theirs.find((e) => e.type === 'ERROR')!.error!.message, "Changing framework's principal is not allowed.");
  assert.not.ok(
    events.some((e) => e.type === 'ERROR'),
    'alice was not failed over',
  );
  // and cannot call for it either.
  const call = await alices.call({ type: 'SUPPRESS', framework_id: { value: fid }, suppress: {} }, mallory);
  assert.is(call.status, 400, call.body);

  const allowed = await operator(m.url, teardown, basicAuthorization(ops));
  assert.is(allowed.status, 200, allowed.body);
  assert.is(m.context.frameworks[fid], undefined);
});

test("an agent's read endpoints with --authenticate-http-readonly: 401 without credentials, access_sandboxes decides /files", async () => {
  const dir = tempDir('mesos-ref-security-agent-');
  const fake = await FakeMaster.start();
  const creds = join(dir, 'credentials.json');
  const acls = join(dir, 'acls.json');
  writeFileSync(
    creds,
    JSON.stringify({
      credentials: [
        { principal: 'ops', secret: 's1' },
        { principal: 'viewer', secret: 's2' },
      ],
    }),
  );
  writeFileSync(
    acls,
    JSON.stringify({
      access_sandboxes: [
        { principals: { values: ['ops'] }, users: { type: 'ANY' } },
        { principals: { type: 'ANY' }, users: { type: 'NONE' } },
      ],
    }),
  );
  let agent: AgentProcess | undefined;
  mkdirSync(join(dir, 'agent'));
  try {
    agent = await startAgentProcess({ master: fake.url, workDir: join(dir, 'agent'), args: ['--authenticate-http-readonly', '--credentials', creds, '--acls', acls] });
    const ops = basicAuthorization({ principal: 'ops', secret: 's1' });
    const viewer = basicAuthorization({ principal: 'viewer', secret: 's2' });
    assert.is((await request(`${agent.url}/state`)).status, 401);
    assert.is((await request(`${agent.url}/state`, { headers: viewer })).status, 200);
    assert.is((await operator(agent.url, { type: 'GET_STATE' })).status, 401);
    assert.is((await operator(agent.url, { type: 'GET_STATE' }, ops)).status, 200);
    const read = `${agent.url}/files/read?path=${encodeURIComponent(join(dir, 'agent', 'agent.log'))}&offset=0`;
    assert.is((await request(read)).status, 401);
    const denied = await request(read, { headers: viewer });
    assert.is(denied.status, 403, denied.body);
    assert.is.not((await request(read, { headers: ops })).status, 403);
    const download = `${agent.url}/files/download?path=${encodeURIComponent(join(dir, 'agent', 'agent.log'))}`;
    assert.equal([(await request(download)).status, (await request(download, { headers: viewer })).status], [401, 403], 'access_sandboxes decides /files/download as /files/read');
    mkdirSync(join(dir, 'agent', 'slaves'), { recursive: true }); // the sandbox root, which registration alone may not create
    const list = { type: 'LIST_FILES', list_files: { path: join(dir, 'agent', 'slaves') } };
    assert.equal(
      [(await operator(agent.url, list)).status, (await operator(agent.url, list, viewer)).status, (await operator(agent.url, list, ops)).status],
      [401, 403, 200],
      'access_sandboxes decides LIST_FILES',
    );
    assert.equal([(await request(`${agent.url}/metrics/snapshot`)).status, (await request(`${agent.url}/metrics/snapshot`, { headers: viewer })).status], [401, 200]);
    assert.is((await request(`${agent.url}/health`)).status, 200, '/health stays open');
  } finally {
    await cleanupAgent(agent, dir);
    await fake.close();
  }
});

test.run();
