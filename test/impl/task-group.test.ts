/**
 * End to end with real processes: a task group of three through `mesos-ref default-executor` on
 * an authenticated cluster. One task exits 1: it is TASK_FAILED ("Command exited with status 1")
 * and the default executor's group policy kills the other two (TASK_KILLED, from the executor);
 * once every update is acknowledged the executor exits and the framework hears FAILURE for it,
 * as from Mesos. Then a second group whose task is killed by the scheduler: the whole group is
 * TASK_KILLED. Then a group onto a default executor that still runs a task of an earlier group:
 * the running executor takes it (what `npm run bench -- cluster` measures as a task group onto a
 * running default executor).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killRecordedExecutors, runsDir } from '../../impl/agent/containers.ts';
import { Cluster } from '../../impl/process/cluster.ts';
import { tempDir } from '../support/agent-process.ts';
import { freePorts } from '../support/free-ports.ts';
import { RawScheduler } from '../support/raw-scheduler.ts';

const test = suite('task group');

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

const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });
const executor = (id: string) => ({ type: 'DEFAULT', executor_id: { value: id }, resources: [scalar('cpus', 0.1), scalar('mem', 32), scalar('disk', 10)] });

/** Offer ids accepted already. */
const used = new Set<string>();

/** The offers not used yet nor rescinded (the cluster has one agent). */
function outstanding(s: RawScheduler): { id: { value: string }; agent_id: { value: string }; resources: { name: string; scalar?: { value: number } }[] }[] {
  const rescinded = new Set(s.events.filter((e) => e.type === 'RESCIND').map((e) => e.rescind.offer_id.value as string));
  return s.events
    .filter((e) => e.type === 'OFFERS')
    .flatMap((e) => e.offers.offers)
    .filter((o) => !used.has(o.id.value) && !rescinded.has(o.id.value));
}

const offered = (offers: ReturnType<typeof outstanding>, name: string) =>
  offers.flatMap((o) => o.resources).reduce((sum, r) => sum + (r.name === name ? (r.scalar?.value ?? 0) : 0), 0);

/**
 * LAUNCH_GROUP on every outstanding offer, once together they hold the group and its executor:
 * resources freed bit by bit (a task's end, the executor's) come in several offers, and an offer
 * made after an event may hold only what that event freed.
 */
async function launchGroup(s: RawScheduler, executorId: string, commands: Record<string, string>): Promise<{ agentId: string; mark: number }> {
  const n = Object.keys(commands).length;
  const enough = () => {
    const o = outstanding(s);
    return offered(o, 'cpus') >= 0.1 * (n + 1) - 1e-9 && offered(o, 'mem') >= 16 * n + 32 && offered(o, 'disk') >= 10;
  };
  await s.next((e) => e.type === 'OFFERS' && enough(), 0);
  const offers = outstanding(s);
  for (const o of offers) used.add(o.id.value);
  const offer = offers[0]!;
  const agentId = offer.agent_id.value as string;
  const tasks = Object.entries(commands).map(([id, value]) => ({
    name: id,
    task_id: { value: id },
    agent_id: { value: agentId },
    resources: [scalar('cpus', 0.1), scalar('mem', 16)],
    command: { value },
  }));
  const mark = s.events.length;
  await s.call({
    type: 'ACCEPT',
    accept: {
      offer_ids: offers.map((o) => o.id),
      operations: [{ type: 'LAUNCH_GROUP', launch_group: { executor: executor(executorId), task_group: { tasks } } }],
      filters: { refuse_seconds: 0 },
    },
  });
  return { agentId, mark };
}

test('a group of three where one exits 1: it FAILED, the other two KILLED by the default executor, then FAILURE for the executor', async () => {
  workDir = tempDir('mesos-ref-task-group-');
  // The master takes `base` and the agent base+1: both must be free, not merely random.
  const base = await freePorts(2);
  cluster = new Cluster({ agents: 1, resources: 'cpus:2;mem:1024;disk:1024', port: base, ip: '127.0.0.1', workDir, authenticate: true });
  await cluster.start();
  scheduler = new RawScheduler(cluster.masterUrl, cluster.frameworkCredential);
  const fid = await scheduler.subscribe({ user: 'tester', name: 'group' });
  const s = scheduler;

  // `bad` waits until both others run (their marker files exist), then fails.
  const { agentId, mark } = await launchGroup(s, 'group-1', {
    good1: 'touch ../good1.up; exec sleep 60',
    good2: 'touch ../good2.up; exec sleep 60',
    bad: 'while [ ! -e ../good1.up ] || [ ! -e ../good2.up ]; do sleep 0.05; done; echo failing; exit 1',
  });
  for (const id of ['good1', 'good2', 'bad']) {
    const starting = await s.update(id, 'TASK_STARTING', mark);
    assert.is(starting.update.status.source, 'SOURCE_EXECUTOR');
    assert.equal(starting.update.status.executor_id, { value: 'group-1' });
    await s.update(id, 'TASK_RUNNING', mark);
  }
  // The executor's sandbox (the run's directory under runs/), which outlives it: its checkpointed
  // run.json goes as soon as it exits, which it may already have done (every update is acknowledged
  // at once; seen in CI).
  const runs = runsDir(join(workDir, 'agent-0'), agentId, fid, 'group-1');
  const run = { directory: join(runs, readdirSync(runs).filter((d) => d !== 'latest')[0]!) };
  const failed = await s.update('bad', 'TASK_FAILED', mark);
  assert.is(failed.update.status.message, 'Command exited with status 1');
  assert.is(failed.update.status.source, 'SOURCE_EXECUTOR');
  for (const id of ['good1', 'good2']) {
    const killed = await s.update(id, 'TASK_KILLED', mark);
    assert.is(killed.update.status.message, 'Command terminated with signal Terminated');
    assert.is(killed.update.status.source, 'SOURCE_EXECUTOR');
  }
  // Every update acknowledged, the executor exits 0: the framework hears FAILURE, as from Mesos.
  const failure = await s.next((e) => e.type === 'FAILURE', mark);
  assert.equal(failure.failure, { agent_id: { value: agentId }, executor_id: { value: 'group-1' }, status: 0 });
  // Each task ran in its own sandbox under the executor's.
  assert.is(readFileSync(join(run.directory, 'tasks', 'bad', 'stdout'), 'utf8'), 'failing\n');
  assert.equal(s.ackErrors, []);
});

test('KILL of one task of a group kills the whole group', async () => {
  const s = scheduler!;
  const { agentId, mark } = await launchGroup(s, 'group-2', { a: 'exec sleep 60', b: 'exec sleep 60' });
  for (const id of ['a', 'b']) await s.update(id, 'TASK_RUNNING', mark);
  await s.call({ type: 'KILL', kill: { task_id: { value: 'a' }, agent_id: { value: agentId } } });
  for (const id of ['a', 'b']) await s.update(id, 'TASK_KILLED', mark);
  const failure = await s.next((e) => e.type === 'FAILURE', mark);
  assert.equal(failure.failure.executor_id, { value: 'group-2' });
});

test('a second group onto a default executor that still runs a task goes to that executor, which stays until its last task ends', async () => {
  const s = scheduler!;
  const first = await launchGroup(s, 'group-3', { keeper: 'exec sleep 60' });
  await s.update('keeper', 'TASK_RUNNING', first.mark);
  const runs = runsDir(join(workDir, 'agent-0'), first.agentId, s.frameworkId, 'group-3');
  const started = readdirSync(runs).filter((d) => d !== 'latest');
  assert.is(started.length, 1);
  // The second group lands on the running executor: no new run, and its tasks' ends leave the
  // executor (and the first group's task) running.
  const second = await launchGroup(s, 'group-3', { later1: 'true', later2: 'true' });
  for (const id of ['later1', 'later2']) {
    const finished = await s.update(id, 'TASK_FINISHED', second.mark);
    assert.is(finished.update.status.source, 'SOURCE_EXECUTOR');
    assert.equal(finished.update.status.executor_id, { value: 'group-3' });
  }
  assert.equal(
    readdirSync(runs).filter((d) => d !== 'latest'),
    started,
  );
  const ended = (e: { type: string; update?: { status: { task_id: { value: string }; state: string } } }) =>
    e.type === 'FAILURE' || (e.type === 'UPDATE' && e.update!.status.task_id.value === 'keeper' && !['TASK_STARTING', 'TASK_RUNNING'].includes(e.update!.status.state));
  assert.equal(s.events.slice(first.mark).filter(ended), []);
  // Its last task killed, the executor exits: FAILURE for it, as from Mesos.
  await s.call({ type: 'KILL', kill: { task_id: { value: 'keeper' }, agent_id: { value: first.agentId } } });
  await s.update('keeper', 'TASK_KILLED', first.mark);
  const failure = await s.next((e) => e.type === 'FAILURE' && e.failure.executor_id.value === 'group-3', first.mark);
  assert.equal(failure.failure, { agent_id: { value: first.agentId }, executor_id: { value: 'group-3' }, status: 0 });
  assert.equal(s.ackErrors, []);
});

test.run();
