/**
 * Agent restart with checkpointing (reference 5.3): the agent is killed with SIGKILL while a task
 * of a checkpointing framework runs and the fake master withholds every acknowledgement; it is
 * restarted with the same work dir and port. Every unacknowledged update is still delivered, in
 * order, once per uuid; the executor process survives and re-subscribes; while the agent recovers
 * its executor API answers 503.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { metaDir, type RunRecord } from '../../impl/agent/containers.ts';
import { FakeMaster } from '../support/fake-master.ts';
import { agentState, cleanupAgent, executorAuthorization, postJson, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { request } from '../../impl/http/client.ts';
import { isAlive } from '../../impl/process/proc.ts';
import type { StatusUpdate } from '../../spec/protocol/internal.ts';

const test = suite('agent restart');

let master: FakeMaster | undefined;
let agent: AgentProcess | undefined;
let workDir = '';
const FW = 'F-restart';
const TASK = 'survivor';
const framework = { user: 'tester', name: 'restart', id: { value: FW }, checkpoint: true };

test.before(async () => {
  workDir = tempDir('mesos-ref-agent-restart-');
  master = await FakeMaster.start({ autoAck: false });
});

test.after(async () => {
  await cleanupAgent(agent, workDir);
  await master?.close();
});

test('kill -9 during a task: unacknowledged updates survive, in order; the executor re-subscribes', async () => {
  agent = await startAgentProcess({ master: master!.url, workDir });
  const port = new URL(agent.url).port;
  await master!.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
  master!.runTask(framework, { name: TASK, task_id: { value: TASK }, command: { value: 'echo started; sleep 8; echo done' } });
  const starting = await master!.waitForUpdate(TASK, 'TASK_STARTING');
  // TASK_RUNNING reached the agent and its checkpoint (it waits behind the unacknowledged head).
  await eventually(async () => ((await agentState(agent!.url)).includes('"state":"TASK_RUNNING"') ? true : undefined), 10_000, 'TASK_RUNNING at the agent');
  const run = JSON.parse(readFileSync(join(metaDir(workDir, FW, TASK), 'run.json'), 'utf8')) as RunRecord;
  assert.ok(isAlive(run.pid));
  const before = master!.received.length;

  await agent.child.kill();
  agent = await startAgentProcess({ master: master!.url, workDir, port: Number(port), name: 'agent (restarted)' });

  // Recovering (Mesos's reconnect phase): only SUBSCRIBE and HEARTBEAT are served.
  const update = JSON.stringify({
    type: 'UPDATE',
    framework_id: { value: FW },
    executor_id: { value: TASK },
    update: { status: { task_id: { value: TASK }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: 'AAAAAAAAQACAAAAAAAAAAA==' } },
  });
  const recovering = await postJson(`${agent.url}/api/v1/executor`, update, executorAuthorization(workDir, FW, TASK));
  assert.is(recovering.status, 503);
  assert.is(recovering.body, 'Agent has not finished recovery');
  assert.is((await request(`${agent.url}/state`)).status, 503);

  // The restarted agent re-registers with its checkpointed id and resends the head at once.
  const rereg = await master!.waitFor((r) => r.message.type === 'REREGISTER_AGENT', 15_000, 're-registration');
  assert.is(rereg.message.type === 'REREGISTER_AGENT' && rereg.message.agent_info.id?.value, master!.agentIdOf(master!.received[0]!.connection));
  assert.ok(isAlive(run.pid), 'the executor survived the agent');

  // Acknowledge, one at a time, whatever the agent delivers, until the terminal update.
  const delivered: StatusUpdate[] = [];
  const acked = new Set<string>();
  const ackedAt = new Map<string, number>();
  for (;;) {
    const next = await master!.waitFor(
      (r, i = master!.received.indexOf(r)) => i >= before && r.message.type === 'STATUS_UPDATE' && !acked.has(r.message.update.uuid!),
      15_000,
      'the next unacknowledged update',
    );
    const u = (next.message as Extract<typeof next.message, { type: 'STATUS_UPDATE' }>).update;
    delivered.push(u);
    acked.add(u.uuid!);
    ackedAt.set(u.uuid!, master!.received.length);
    master!.ack(u);
    if (u.status.state === 'TASK_FINISHED') break;
  }
  assert.equal(
    delivered.map((u) => u.status.state),
    ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'],
  );
  assert.is(delivered[0]!.uuid, starting.uuid, 'the update in flight at the crash is the same update');

  // The executor re-subscribed (its stdout shows two subscriptions) and exits after the ack.
  const stdout = readFileSync(join(run.directory, 'stdout'), 'utf8');
  assert.is(stdout.match(/^Received SUBSCRIBED event$/gm)?.length, 2, stdout);
  assert.match(stdout, /^done$/m);
  await eventually(() => (isAlive(run.pid) ? undefined : true), 10_000, 'the executor to exit');
  await eventually(
    async () => (JSON.parse(await agentState(agent!.url)).get_state.get_tasks.terminated_tasks === undefined ? true : undefined),
    10_000,
    'the task to be completed',
  );
  // No update came again after its acknowledgement, up to the executor's exit: a resend on
  // reregistration or flush would show here (the 10 s retry timer is longer than this test).
  for (const [uuid, at] of ackedAt) {
    const again = master!.received.slice(at).filter((r) => r.message.type === 'STATUS_UPDATE' && r.message.update.uuid === uuid);
    assert.is(again.length, 0, `update ${uuid} delivered again after its acknowledgement`);
  }
});

test('an executor that died while the agent was down: its task fails after the restart', async () => {
  master!.autoAck = true;
  const port = Number(new URL(agent!.url).port);
  master!.runTask(framework, { name: 'gone', task_id: { value: 'gone' }, command: { value: 'sleep 60' } });
  await master!.waitForUpdate('gone', 'TASK_RUNNING');
  const meta = metaDir(workDir, FW, 'gone');
  const run = JSON.parse(readFileSync(join(meta, 'run.json'), 'utf8')) as RunRecord;
  const task = Number(readFileSync(join(meta, 'task.pid'), 'utf8'));
  await agent!.child.kill();
  process.kill(-run.pid, 'SIGKILL');
  process.kill(-task, 'SIGKILL');
  await eventually(() => (isAlive(run.pid) ? undefined : true), 5000, 'the executor to die');
  agent = await startAgentProcess({ master: master!.url, workDir, port, name: 'agent (restarted again)' });
  const failed = await master!.waitForUpdate('gone', 'TASK_FAILED');
  assert.is(failed.status.source, 'SOURCE_AGENT');
  assert.is(failed.status.reason, 'REASON_EXECUTOR_TERMINATED');
  assert.is(failed.status.message, 'Executor terminated');
});

test('the master goes away and comes back: the agent re-registers as soon as it can connect', async () => {
  const port = Number(new URL(master!.url).port);
  const id = master!.agentIdOf();
  // The agent says when it arms each registration retry (2 s, then doubling). Once the next one is
  // at least 4 s away, the master comes back: a re-registration before that retry is the link's doing.
  const retryArmed = () => agent!.child.waitForLine(/Registration retry in (\d+) ms/, 20_000);
  const first = retryArmed();
  await master!.close();
  let dueIn = Number((await first)[1]);
  while (dueIn < 4000) dueIn = Number((await retryArmed())[1]);
  const armedAt = performance.now();
  master = await FakeMaster.start({ port, autoAck: true });
  const rereg = await master.waitFor((r) => r.message.type === 'REREGISTER_AGENT', 10_000, 're-registration');
  const waited = performance.now() - armedAt;
  assert.is(rereg.message.type === 'REREGISTER_AGENT' && rereg.message.agent_info.id?.value, id);
  assert.ok(waited < dueIn, `re-registered ${waited.toFixed(0)} ms after a retry was armed ${dueIn} ms away: not by the link`);
});

test.run();
