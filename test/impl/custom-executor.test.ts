/**
 * End to end with real processes: a framework's own executor (test/support/custom-executor-
 * script.ts, a Node program speaking the v1 executor API, none of our modules) on an
 * authenticated cluster. It is launched once for two tasks, gets its token and Mesos's
 * environment, exchanges messages both ways with the scheduler (base64 data), and is killed:
 * the framework sees its tasks TASK_FAILED (REASON_EXECUTOR_TERMINATED) and FAILURE
 * {agent_id, executor_id, status}, and the master gives its resources back. Then a second one
 * outlives a kill -9 of its agent (the framework checkpoints), re-subscribes to the restarted
 * agent, and the scheduler's SHUTDOWN call ends it: TASK_KILLED from it, FAILURE (status 9: the
 * restarted agent cannot reap a process it did not start, and one that left no status file is taken
 * for killed by SIGKILL, as Mesos's containerizer takes a container whose init wrote none).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killRecordedExecutors, metaDir, type RunRecord } from '../../impl/agent/containers.ts';
import { Cluster } from '../../impl/process/cluster.ts';
import { killGroup } from '../../impl/process/proc.ts';
import { startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { isAlive } from '../../impl/process/proc.ts';
import { writeCustomExecutor } from '../support/custom-executor-script.ts';
import { freePorts } from '../support/free-ports.ts';
import { RawScheduler } from '../support/raw-scheduler.ts';

const test = suite('custom executor');

let cluster: Cluster | undefined;
let scheduler: RawScheduler | undefined;
let workDir = '';
let restarted: AgentProcess | undefined;
let agentId = '';

test.after(async () => {
  if (process.env.KEEP_WORK_DIR) writeFileSync(join(workDir, 'events.json'), JSON.stringify(scheduler?.events ?? [], null, 1));
  scheduler?.close();
  if (restarted && !restarted.child.hasExited) await restarted.child.kill();
  await cluster?.stop();
  if (workDir) {
    killRecordedExecutors(join(workDir, 'agent-0'));
    if (!process.env.KEEP_WORK_DIR) rmSync(workDir, { recursive: true, force: true });
  }
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

test('two tasks through one custom executor, messages both ways, the executor killed: TASK_FAILED and FAILURE', async () => {
  workDir = tempDir('mesos-ref-custom-executor-');
  // The master takes `base` and the agent base+1: both must be free, not merely random.
  const base = await freePorts(2);
  cluster = new Cluster({ agents: 1, resources: 'cpus:2;mem:1024', port: base, ip: '127.0.0.1', workDir, authenticate: true });
  await cluster.start();
  const program = writeCustomExecutor(workDir);
  scheduler = new RawScheduler(cluster.masterUrl, cluster.frameworkCredential);
  const fid = await scheduler.subscribe({ user: 'tester', name: 'custom', checkpoint: true });

  const offers = await scheduler.next((e) => e.type === 'OFFERS', 0);
  const offer = offers.offers.offers[0];
  agentId = offer.agent_id.value as string;
  const executor = {
    executor_id: { value: 'my-executor' },
    command: { value: `exec '${process.execPath}' '${program}'` },
    resources: [scalar('cpus', 0.25), scalar('mem', 32)],
  };
  const task = (id: string) => ({ name: id, task_id: { value: id }, agent_id: { value: agentId }, resources: [scalar('cpus', 0.5), scalar('mem', 64)], executor });
  const mark = scheduler.events.length;
  await scheduler.call({
    type: 'ACCEPT',
    accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task('t1'), task('t2')] } }], filters: { refuse_seconds: 0 } },
  });
  for (const id of ['t1', 't2']) await scheduler.update(id, 'TASK_RUNNING', mark);

  // One process for both tasks, started with Mesos's environment and its own token.
  const meta = metaDir(join(workDir, 'agent-0'), fid, 'my-executor');
  const run = JSON.parse(readFileSync(join(meta, 'run.json'), 'utf8')) as RunRecord;
  const env = JSON.parse(readFileSync(join(run.directory, 'env.json'), 'utf8')) as Record<string, string>;
  assert.is(env.MESOS_FRAMEWORK_ID, fid);
  assert.is(env.MESOS_EXECUTOR_ID, 'my-executor');
  assert.is(env.MESOS_SANDBOX, run.directory);
  assert.is(env.MESOS_DIRECTORY, run.directory);
  assert.is(env.MESOS_CHECKPOINT, '1');
  assert.is(env.MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD, '5secs');
  assert.ok(env.MESOS_RECOVERY_TIMEOUT && env.MESOS_SUBSCRIPTION_BACKOFF_MAX);
  assert.match(env.MESOS_EXECUTOR_AUTHENTICATION_TOKEN ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);

  // Scheduler -> executor -> scheduler: the executor echoes, base64 both ways.
  const before = scheduler.events.length;
  await scheduler.call({ type: 'MESSAGE', message: { agent_id: { value: agentId }, executor_id: { value: 'my-executor' }, data: b64('ping') } });
  const echo = await scheduler.next((e) => e.type === 'MESSAGE', before);
  assert.equal(echo.message.agent_id, { value: agentId });
  assert.equal(echo.message.executor_id, { value: 'my-executor' });
  assert.is(Buffer.from(echo.message.data as string, 'base64').toString(), 'echo:ping');

  // kill -9 of the executor: its running tasks fail, the framework hears FAILURE with the wait status.
  const killedAt = scheduler.events.length;
  assert.ok(killGroup(run.pid, 'SIGKILL'));
  const failure = await scheduler.next((e) => e.type === 'FAILURE', killedAt);
  assert.equal(failure.failure, { agent_id: { value: agentId }, executor_id: { value: 'my-executor' }, status: 9 });
  for (const id of ['t1', 't2']) {
    const u = await scheduler.update(id, 'TASK_FAILED', killedAt);
    assert.is(u.update.status.reason, 'REASON_EXECUTOR_TERMINATED');
    assert.is(u.update.status.source, 'SOURCE_AGENT');
  }
  // Everything is offered again (the leftover of the launch and what the tasks and the executor
  // held): the executor's resources came back exactly once.
  const cpusOffered = () =>
    scheduler!.events
      .slice(mark)
      .filter((x) => x.type === 'OFFERS')
      .flatMap((x) => x.offers.offers as { resources: { name: string; scalar?: { value: number } }[] }[])
      .reduce((sum, o) => sum + (o.resources.find((r) => r.name === 'cpus')?.scalar?.value ?? 0), 0);
  await eventually(() => (Math.abs(cpusOffered() - 2) < 1e-9 ? true : undefined), 20_000, 'offers of the whole agent');
  const last = scheduler.events.filter((x) => x.type === 'OFFERS').at(-1)!;
  assert.not.ok(last.offers.offers[0].executor_ids);
});

test('kill -9 of the agent: the checkpointing framework`s executor survives and re-subscribes; SHUTDOWN ends it with FAILURE', async () => {
  const s = scheduler!;
  const fid = s.frameworkId;
  const program = join(workDir, 'my-executor.cjs');
  const from = s.events.length;
  // What the first test's dead executor and tasks gave back, offered at its end and still held.
  const offers = s.events.filter((e) => e.type === 'OFFERS').at(-1)!;
  const offer = offers.offers.offers[0];
  const executor = { executor_id: { value: 'survivor' }, command: { value: `exec '${process.execPath}' '${program}'` }, resources: [scalar('cpus', 0.25), scalar('mem', 32)] };
  const task = { name: 't3', task_id: { value: 't3' }, agent_id: { value: agentId }, resources: [scalar('cpus', 0.5), scalar('mem', 64)], executor };
  await s.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }], filters: { refuse_seconds: 0 } } });
  await s.update('t3', 'TASK_RUNNING', from);
  const agentDir = join(workDir, 'agent-0');
  const run = JSON.parse(readFileSync(join(metaDir(agentDir, fid, 'survivor'), 'run.json'), 'utf8')) as RunRecord;

  const old = cluster!.agents[0]!;
  await old.child.kill();
  const port = Number(new URL(old.url).port);
  restarted = await startAgentProcess({
    master: cluster!.masterUrl,
    workDir: agentDir,
    port,
    name: 'agent (restarted)',
    args: ['--ip', '127.0.0.1', '--resources', 'cpus:2;mem:1024', '--credential', join(workDir, 'agent-credential.json')],
  });
  assert.ok(isAlive(run.pid), 'the executor outlived its agent');

  // It re-subscribed when the echo of a message comes back (messages to an executor that is not subscribed are dropped).
  await eventually(
    async () => {
      const mark = s.events.length;
      await s.call({ type: 'MESSAGE', message: { agent_id: { value: agentId }, executor_id: { value: 'survivor' }, data: b64('back?') } });
      return s.next((e) => e.type === 'MESSAGE' && e.message.executor_id.value === 'survivor', mark, 500).catch(() => undefined);
    },
    20_000,
    'the executor to answer through the restarted agent',
  );
  assert.is(JSON.parse(readFileSync(join(metaDir(agentDir, fid, 'survivor'), 'run.json'), 'utf8')).pid, run.pid);

  const shutdownAt = s.events.length;
  await s.call({ type: 'SHUTDOWN', shutdown: { agent_id: { value: agentId }, executor_id: { value: 'survivor' } } });
  const killed = await s.update('t3', 'TASK_KILLED', shutdownAt);
  assert.is(killed.update.status.source, 'SOURCE_EXECUTOR');
  const failure = await s.next((e) => e.type === 'FAILURE', shutdownAt);
  // It exited 0, but it is not the restarted agent's child and (a framework's own program) left no
  // status file: Mesos's containerizer takes that for its init killed by SIGKILL, status 9.
  assert.equal(failure.failure, { agent_id: { value: agentId }, executor_id: { value: 'survivor' }, status: 9 });
  assert.equal(s.ackErrors, []);
});

test.run();
