/**
 * Command tasks through the real executor process (`mesos-ref executor`), against a fake master
 * that sends RUN_TASK and acknowledges every update: TASK_FINISHED with the output in the
 * sandbox, exit 1 -> TASK_FAILED, a kill -> TASK_KILLED by SIGTERM, a task that ignores SIGTERM
 * -> SIGKILL after the kill policy's grace, exec without a shell, the task's environment, and
 * each executor's exit after its terminal update was acknowledged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeMaster } from '../support/fake-master.ts';
import { agentState, cleanupAgent, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { request } from '../../impl/http/client.ts';
import type { TaskInfo } from '../../spec/protocol/common.ts';
import type { StatusUpdate } from '../../spec/protocol/internal.ts';

const test = suite('agent tasks through the executor process');

let master: FakeMaster | undefined;
let agent: AgentProcess | undefined;
let workDir = '';
const FW = 'F-tasks';
const framework = { user: 'tester', name: 'tasks', id: { value: FW }, checkpoint: false, capabilities: [{ type: 'TASK_KILLING_STATE' as const }] };

test.before(async () => {
  workDir = tempDir('mesos-ref-agent-tasks-');
  master = await FakeMaster.start({ autoAck: true });
  agent = await startAgentProcess({ master: master.url, workDir });
  await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
  await eventually(async () => (JSON.parse((await request(`${agent!.url}/state`)).body).id ? true : undefined), 10_000, 'registered');
});

test.after(async () => {
  await cleanupAgent(agent, workDir);
  await master?.close();
});

function run(id: string, command: TaskInfo['command'], extra: Partial<TaskInfo> = {}): number {
  master!.runTask(framework, {
    name: id,
    task_id: { value: id },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
    command,
    ...extra,
  });
  return performance.now();
}

/** The states of a task's updates, without repeats (retries). */
function states(task: string): string[] {
  const seen = new Set<string>();
  return master!
    .updates()
    .filter((u) => u.status.task_id.value === task && !seen.has(u.uuid!) && seen.add(u.uuid!))
    .map((u) => u.status.state);
}

async function sandboxFile(task: string, name: string): Promise<string> {
  const v0 = JSON.parse((await request(`${agent!.url}/state`)).body);
  const executors = v0.frameworks.flatMap((f: { executors: unknown[]; completed_executors: unknown[] }) => [...f.executors, ...f.completed_executors]);
  const ex = executors.find((e: { id: string }) => e.id === task) as { directory: string } | undefined;
  const dir = ex?.directory ?? join(workDir, 'slaves', master!.agentIdOf()!, 'frameworks', FW, 'executors', task, 'runs', 'latest');
  return readFileSync(join(dir, name), 'utf8');
}

test('a command task runs to TASK_FINISHED, its output in the sandbox', async () => {
  const sent = run('hello', { value: 'echo hello from $MESOS_SANDBOX; echo oops >&2' });
  const running = await master!.waitForUpdate('hello', 'TASK_RUNNING');
  const latency = performance.now() - sent;
  const finished: StatusUpdate = await master!.waitForUpdate('hello', 'TASK_FINISHED');
  assert.is(finished.status.message, 'Command exited with status 0');
  assert.is(finished.status.source, 'SOURCE_EXECUTOR');
  assert.ok(running.status.timestamp! > 0);
  assert.equal(states('hello'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  const stdout = await sandboxFile('hello', 'stdout');
  assert.match(stdout, /^hello from \/.*\/executors\/hello\/runs\/[0-9a-f-]+$/m);
  assert.match(await sandboxFile('hello', 'stderr'), /^oops$/m);
  // The executor exits once its terminal update is acknowledged; the agent then forgets it.
  await eventually(async () => (JSON.parse(await agentState(agent!.url)).get_state.get_executors.executors === undefined ? true : undefined), 10_000, 'the executor to go');
  // The agent's counters, summed from the machine's count effects.
  const m = JSON.parse((await request(`${agent!.url}/metrics/snapshot`)).body) as Record<string, number>;
  assert.equal([m['slave/tasks_finished'], m['slave/tasks_failed'], m['slave/executors_terminated']], [1, 0, 1]);
  console.log(`    launch latency (RUN_TASK -> TASK_RUNNING at the master): ${latency.toFixed(0)} ms`);
});

test('exit 1 is TASK_FAILED; exec without a shell; the environment', async () => {
  run('fails', { value: 'exit 1' });
  run('exec', { shell: false, value: '/bin/echo', arguments: ['echo', 'a', 'b'] });
  run('env', { value: 'echo "$GREETING"', environment: { variables: [{ name: 'GREETING', value: 'bonjour' }] } });
  const failed = await master!.waitForUpdate('fails', 'TASK_FAILED');
  assert.is(failed.status.message, 'Command exited with status 1');
  assert.equal(states('fails'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
  await master!.waitForUpdate('exec', 'TASK_FINISHED');
  assert.match(await sandboxFile('exec', 'stdout'), /^a b$/m);
  await master!.waitForUpdate('env', 'TASK_FINISHED');
  assert.match(await sandboxFile('env', 'stdout'), /^bonjour$/m);
});

test('a kill: TASK_KILLING, SIGTERM, TASK_KILLED; SIGKILL after the grace when SIGTERM is ignored', async () => {
  run('sleeper', { value: 'sleep 60' });
  run('stubborn', { value: "trap '' TERM; echo trapped; sleep 60" });
  await master!.waitForUpdate('sleeper', 'TASK_RUNNING');
  await master!.waitForUpdate('stubborn', 'TASK_RUNNING');
  // The kill must find the trap installed: the shell says so once it is.
  await eventually(async () => ((await sandboxFile('stubborn', 'stdout')).includes('trapped') ? true : undefined), 10_000, 'the trap');
  const t0 = performance.now();
  master!.send({ type: 'KILL_TASK', framework_id: { value: FW }, task_id: { value: 'sleeper' } });
  master!.send({
    type: 'KILL_TASK',
    framework_id: { value: FW },
    task_id: { value: 'stubborn' },
    kill_policy: { grace_period: { nanoseconds: 1_000_000_000 } },
  });
  const killed = await master!.waitForUpdate('sleeper', 'TASK_KILLED');
  assert.is(killed.status.message, 'Command terminated with signal Terminated');
  assert.equal(states('sleeper'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  const stubborn = await master!.waitForUpdate('stubborn', 'TASK_KILLED');
  const waited = performance.now() - t0;
  assert.is(stubborn.status.message, 'Command terminated with signal Killed');
  assert.ok(waited >= 1000, `SIGKILL came after ${waited.toFixed(0)} ms, before the 1 s grace`);
  assert.ok(waited < 6000, `SIGKILL came after ${waited.toFixed(0)} ms`);
  assert.equal(states('stubborn'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
});

test.run();
