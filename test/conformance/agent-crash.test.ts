/**
 * impl/conformance/agent-crash.ts against stand-in HTTP servers: the runner crashes an agent
 * once its GET_TASKS lists the scenario's `when` (and not before), and counts the crash as
 * happened once the master's GET_AGENTS lists the agent inactive (the model's crash tells the
 * master at once; a call the trace delivers after the crash must meet a master that knows).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { awaitAgentActive, awaitAgentInactive, awaitAgentTasks, taskView } from '../../impl/conformance/agent-crash.ts';
import { suiteOf } from './support.ts';

/** A server answering each POST with the next body of `answers` (the last one repeated). */
async function serve(answers: () => unknown): Promise<{ url: string; server: Server; asked: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers()));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, asked: () => n };
}

const task = (id: string, state: string) => ({ task_id: { value: id }, state });

test('taskView: queued, launched and terminated tasks by id; completed ones aside', () => {
  assert.equal(
    taskView({ get_tasks: { launched_tasks: [task('t2', 'TASK_RUNNING')], queued_tasks: [task('t1', 'TASK_STAGING')], completed_tasks: [task('t0', 'TASK_FINISHED')] } as never }),
    [
      { task_id: 't1', list: 'queued', state: 'TASK_STAGING' },
      { task_id: 't2', list: 'launched', state: 'TASK_RUNNING' },
    ],
  );
});

test('awaitAgentTasks: waits until the agent lists exactly the tasks asked for', async () => {
  let polls = 0;
  const agent = await serve(() => (++polls < 4 ? { get_tasks: {} } : { get_tasks: { queued_tasks: [task('t1', 'TASK_STAGING')] } }));
  try {
    assert.is(await awaitAgentTasks(agent.url, [{ task_id: 't1', list: 'queued', state: 'TASK_STAGING' }], 5000), null);
    assert.ok(agent.asked() >= 4, 'it asked until the task was listed');
    const late = await awaitAgentTasks(agent.url, [{ task_id: 't1', list: 'launched', state: 'TASK_RUNNING' }], 100);
    assert.match(late!, /never listed t1 launched TASK_RUNNING within 100 ms \(last: t1 queued TASK_STAGING\)/);
  } finally {
    agent.server.close();
  }
});

test('awaitAgentInactive: the crash has happened once the master lists the agent inactive', async () => {
  let polls = 0;
  const agentUrl = 'http://127.0.0.1:5051';
  const agents = (active: boolean) => ({ get_agents: { agents: [{ agent_info: { id: { value: 'S0' }, hostname: '127.0.0.1', port: 5051 }, active }] } });
  const master = await serve(() => agents(++polls >= 3 ? false : true));
  try {
    assert.is(await awaitAgentInactive(master.url, agentUrl, 5000), null);
    assert.ok(master.asked() >= 3, 'it asked until the master saw the agent go');
  } finally {
    master.server.close();
  }
  const stubborn = await serve(() => agents(true));
  try {
    assert.match((await awaitAgentInactive(stubborn.url, agentUrl, 100))!, /still listed the agent at http:\/\/127\.0\.0\.1:5051 as active/);
  } finally {
    stubborn.server.close();
  }
});

test('awaitAgentActive: a step the trace takes once the agent is back waits until the master lists it active again', async () => {
  let polls = 0;
  const agentUrl = 'http://127.0.0.1:5051';
  const agents = (active: boolean) => ({ get_agents: { agents: [{ agent_info: { id: { value: 'S0' }, hostname: '127.0.0.1', port: 5051 }, active }] } });
  const master = await serve(() => agents(++polls >= 3));
  try {
    assert.is(await awaitAgentActive(master.url, agentUrl, 5000), null);
    assert.ok(master.asked() >= 3, 'it asked until the master listed the agent again');
  } finally {
    master.server.close();
  }
  const away = await serve(() => agents(false));
  try {
    assert.match((await awaitAgentActive(away.url, agentUrl, 100))!, /did not list the agent at http:\/\/127\.0\.0\.1:5051 as active again/);
  } finally {
    away.server.close();
  }
});

test('backBefore: the framework of situation-deliveredAtQuiescence fails over (and reconciles) only once its crashed agent is back, as in the trace', () => {
  const sc = suiteOf('default').scenarios.find((s) => s.name === 'situation-deliveredAtQuiescence')!;
  const crash = sc.steps.find((x) => x.kind === 'fault' && x.fault.type === 'AGENT_RESTART')!;
  const failover = sc.steps.find((x) => x.kind === 'fault' && x.fault.type === 'FRAMEWORK_FAILOVER')!;
  const reconcile = sc.steps.find((x) => x.kind === 'call' && x.call.type === 'RECONCILE')!;
  assert.ok(crash.kind === 'fault' && crash.fault.type === 'AGENT_RESTART');
  const back = crash.kind === 'fault' && crash.fault.type === 'AGENT_RESTART' ? (crash.fault.backBefore ?? []) : [];
  assert.ok(back.includes(failover.id) && back.includes(reconcile.id), `backBefore: ${back.join(', ')}`);
  // Nothing the trace does before the agent's REREGISTER_AGENT waits for it.
  assert.not.ok(back.some((id) => sc.steps.find((x) => x.id === id)!.trace < crash.trace));
});

test("backBefore: an agent's first crash lists no step the trace takes after its second, which itself waits (the later steps wait for the second return)", () => {
  const sc = suiteOf('lost-crash-twice').scenarios.find((s) => s.name === 'situation-updatesInOrder')!;
  const crashes = sc.steps.flatMap((x, i) => (x.kind === 'fault' && x.fault.type === 'AGENT_RESTART' ? [{ i, fault: x.fault }] : []));
  assert.is(crashes.length, 2);
  const first = crashes[0]!.fault;
  const back = first.type === 'AGENT_RESTART' ? (first.backBefore ?? []) : [];
  for (const id of back) assert.ok(sc.steps.findIndex((x) => x.id === id) <= crashes[1]!.i, `${id} comes after the second crash (${sc.steps[crashes[1]!.i]!.id})`);
  assert.ok(back.includes(sc.steps[crashes[1]!.i]!.id), `the second crash waits for the agent's first return: ${back.join(', ')}`);
});

test.run();
