/**
 * Executors the agent ends: one that never subscribes is destroyed at the registration timeout
 * (its process group SIGKILLed, its task TASK_FAILED with REASON_EXECUTOR_REGISTRATION_TIMEOUT);
 * a framework shutdown sends SHUTDOWN to a live executor, which kills its task and exits, and the
 * agent forgets the framework (keeping it in `completed_frameworks`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { metaDir, type RunRecord } from '../../impl/agent/containers.ts';
import { FakeMaster } from '../support/fake-master.ts';
import { agentState, cleanupAgent, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { request } from '../../impl/http/client.ts';
import { executorArgv, isAlive } from '../../impl/process/proc.ts';

const test = suite('executors the agent ends');

let master: FakeMaster | undefined;
let agent: AgentProcess | undefined;
let workDir = '';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test.before(async () => {
  workDir = tempDir('mesos-ref-agent-destroy-');
  master = await FakeMaster.start({ autoAck: true });
  // The executor of task `hang` never subscribes; every other one is the real executor.
  const command = `if [ "$MESOS_EXECUTOR_ID" = hang ]; then exec sleep 60; fi; exec ${executorArgv().map(quote).join(' ')}`;
  agent = await startAgentProcess({ master: master.url, workDir, args: ['--executor-command', command, '--executor-registration-timeout', '3secs'] });
  await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
});

test.after(async () => {
  await cleanupAgent(agent, workDir);
  await master?.close();
});

test('an executor that never subscribes is destroyed at the registration timeout', async () => {
  master!.runTask({ user: 'u', name: 'destroy', id: { value: 'F1' } }, { name: 'hang', task_id: { value: 'hang' }, command: { value: 'true' } });
  const run = await eventually(
    () => {
      try {
        return JSON.parse(readFileSync(join(metaDir(workDir, 'F1', 'hang'), 'run.json'), 'utf8')) as RunRecord;
      } catch {
        return undefined;
      }
    },
    10_000,
    'the executor to start',
  );
  assert.ok(isAlive(run.pid));
  const failed = await master!.waitForUpdate('hang', 'TASK_FAILED', 15_000);
  assert.is(failed.status.reason, 'REASON_EXECUTOR_REGISTRATION_TIMEOUT');
  assert.is(failed.status.source, 'SOURCE_AGENT');
  assert.is(failed.status.message, 'Executor did not register within 3secs');
  await eventually(() => (isAlive(run.pid) ? undefined : true), 5000, 'the executor process to die');
});

test('a framework shutdown: SHUTDOWN to the executor, which kills its task and exits', async () => {
  master!.runTask({ user: 'u', name: 'shutdown', id: { value: 'F2' } }, { name: 'long', task_id: { value: 'long' }, command: { value: 'sleep 60' } });
  await master!.waitForUpdate('long', 'TASK_RUNNING');
  const run = JSON.parse(readFileSync(join(metaDir(workDir, 'F2', 'long'), 'run.json'), 'utf8')) as RunRecord;
  const taskPid = Number(readFileSync(join(metaDir(workDir, 'F2', 'long'), 'task.pid'), 'utf8'));
  master!.send({ type: 'SHUTDOWN_FRAMEWORK', framework_id: { value: 'F2' } });
  await eventually(() => (isAlive(run.pid) || isAlive(taskPid) ? undefined : true), 10_000, 'the executor and its task to end');
  await eventually(async () => (JSON.parse(await agentState(agent!.url)).get_state.get_frameworks.frameworks === undefined ? true : undefined), 10_000, 'the framework to go');
  const v0 = JSON.parse((await request(`${agent!.url}/state`)).body);
  const completed = v0.completed_frameworks.find((f: { id: string }) => f.id === 'F2');
  assert.ok(completed, 'F2 is a completed framework');
  assert.is(completed.completed_executors[0].id, 'long');
  assert.is(completed.completed_executors[0].directory, run.directory);
  assert.match(readFileSync(join(run.directory, 'stdout'), 'utf8'), /Received SHUTDOWN event/);
});

test.run();
