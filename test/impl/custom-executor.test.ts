/**
 * End to end with real processes: a framework's own executor (test/support/custom-executor-
 * script.ts, a Node program speaking the v1 executor API, none of our modules) on an
 * authenticated cluster. It is launched once for two tasks, gets its token and Mesos's
 * environment, exchanges messages both ways with the scheduler (base64 data), and is killed:
 * the framework sees its tasks TASK_FAILED (REASON_EXECUTOR_TERMINATED) and FAILURE
 * {agent_id, executor_id, status}, and the master gives its resources back.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killRecordedExecutors, metaDir, type RunRecord } from '../../impl/agent/containers.ts';
import { Cluster } from '../../impl/process/cluster.ts';
import { killGroup } from '../../impl/process/proc.ts';
import { eventually, tempDir } from '../support/agent-process.ts';
import { writeCustomExecutor } from '../support/custom-executor-script.ts';
import { RawScheduler } from '../support/raw-scheduler.ts';

const test = suite('custom executor');

let cluster: Cluster | undefined;
let scheduler: RawScheduler | undefined;
let workDir = '';

test.after(async () => {
  scheduler?.close();
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
  const base = 21_000 + Math.floor(Math.random() * 20_000);
  cluster = new Cluster({ agents: 1, resources: 'cpus:2;mem:1024', port: base, ip: '127.0.0.1', workDir, authenticate: true });
  await cluster.start();
  const program = writeCustomExecutor(workDir);
  scheduler = new RawScheduler(cluster.masterUrl, cluster.frameworkCredential);
  const fid = await scheduler.subscribe({ user: 'tester', name: 'custom', checkpoint: true });

  const offers = await scheduler.next((e) => e.type === 'OFFERS', 0);
  const offer = offers.offers.offers[0];
  const agentId = offer.agent_id.value as string;
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
  for (const id of ['t1', 't2']) await scheduler.ack(await scheduler.update(id, 'TASK_RUNNING', mark));

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
    await scheduler.ack(u);
  }
  // Everything is offered again: the executor's resources came back exactly once.
  const again = await eventually(
    async () => {
      const e = scheduler!.events
        .slice(killedAt)
        .filter((x) => x.type === 'OFFERS')
        .at(-1);
      const cpus = (e?.offers.offers[0]?.resources as { name: string; scalar?: { value: number } }[] | undefined)?.find((r) => r.name === 'cpus')?.scalar?.value;
      return cpus === 2 ? e : undefined;
    },
    20_000,
    'an offer of the whole agent',
  );
  assert.not.ok(again.offers.offers[0].executor_ids);
});

test.run();
