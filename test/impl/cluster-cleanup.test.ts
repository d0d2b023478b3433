/**
 * Stopping a cluster leaves no process of its work behind, with real processes: the reference
 * cluster (`mesos-ref cluster`'s Cluster) and the conformance runner's own cluster alike, for a
 * framework's custom executor (examples/shell-executor.cjs, whose task is `sh -c 'sleep ...'`:
 * the executor exits when its agent goes away, and the shell's `sleep` outlived it, still in the
 * group of an executor nobody recorded any more) and for executors an agent recovered after a
 * kill -9. A process is the work's when its cwd or its environment (MESOS_SANDBOX, which every
 * task inherits) points under the cluster's work dir.
 */
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Cluster } from '../../impl/process/cluster.ts';
import { DEFAULT_EXECUTOR_COMMAND } from '../../impl/conformance/executor-program.ts';
import { runScenario, startScenarioCluster } from '../../impl/conformance/index.ts';
import { generateSuite } from '../../conformance/index.ts';
import { configs } from '../../model/configs.ts';
import { tempDir } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { freePorts } from '../support/free-ports.ts';
import { RawScheduler } from '../support/raw-scheduler.ts';

const test = suite('cluster cleanup');

/** Processes whose cwd or environment is under `dir` (`pid: command line`). */
function processesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    if (Number(pid) === process.pid) continue;
    let cmd: string;
    let environ = '';
    let cwd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, or another user's
    }
    if (cwd.startsWith(`${dir}/`) || environ.includes(`=${dir}/`)) out.push(`${pid}: ${cmd}`);
  }
  return out;
}

/** SIGKILLs what a failed assertion found, so that one failing run does not leak into the next. */
function reap(found: readonly string[]): void {
  for (const line of found) {
    try {
      process.kill(Number(line.split(':')[0]), 'SIGKILL');
    } catch {
      // gone
    }
  }
}

function assertNothingUnder(dir: string, what: string): void {
  const left = processesUnder(dir);
  reap(left);
  assert.equal(left, [], what);
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

type TaskSpec = { readonly task_id: { readonly value: string } } & Record<string, unknown>;

/** A cluster of one agent, a framework, and `task` launched on its first offer; the task's RUNNING seen. */
async function clusterWithTask(checkpoint: boolean, task: TaskSpec, restartAgents = false) {
  const workDir = tempDir('mesos-ref-cleanup-');
  const base = await freePorts(2);
  const cluster = new Cluster({ agents: 1, resources: 'cpus:2;mem:1024', port: base, ip: '127.0.0.1', workDir, restartAgents });
  await cluster.start();
  const scheduler = new RawScheduler(cluster.masterUrl);
  await scheduler.subscribe({ user: 'tester', name: 'cleanup', checkpoint });
  const offer = (await scheduler.next((e) => e.type === 'OFFERS', 0)).offers.offers[0];
  const afterOffer = scheduler.events.length;
  const info = { ...task, agent_id: offer.agent_id };
  const accept = { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [info] } }], filters: { refuse_seconds: 0 } };
  await scheduler.call({ type: 'ACCEPT', accept });
  await scheduler.update(task.task_id.value, 'TASK_RUNNING', 0);
  return { workDir, cluster, scheduler, afterOffer };
}

const customTask = (): TaskSpec => ({
  name: 'sleeper',
  task_id: { value: 'sleeper' },
  resources: [scalar('cpus', 0.5), scalar('mem', 64)],
  executor: { executor_id: { value: 'shell' }, command: { value: DEFAULT_EXECUTOR_COMMAND }, resources: [scalar('cpus', 0.25), scalar('mem', 32)] },
  data: b64('sleep 1000000'),
});

test('mesos-ref cluster: a custom executor`s `sh -c sleep` task does not outlive the stopped cluster', async () => {
  const { workDir, cluster, scheduler } = await clusterWithTask(false, customTask());
  // The task runs: a shell and its sleep, in the executor's sandbox.
  await eventually(() => processesUnder(workDir).some((l) => /: sleep 1000000$/.test(l)) || undefined, 10_000, 'the task`s sleep');
  scheduler.close();
  await cluster.stop();
  assertNothingUnder(workDir, 'no executor or task process outlives the cluster');
  rmSync(workDir, { recursive: true, force: true });
});

test('mesos-ref cluster: executors recovered after a kill -9 of their agent, and their tasks, do not outlive the stopped cluster', async () => {
  const commandTask = { name: 'cmd', task_id: { value: 'cmd' }, resources: [scalar('cpus', 0.5), scalar('mem', 64)], command: { value: 'sleep 1000000' } };
  const { workDir, cluster, scheduler: s, afterOffer } = await clusterWithTask(true, commandTask, true);
  // A second task, under the custom executor, on what the first left of the agent.
  const offer = (await s.next((e) => e.type === 'OFFERS', afterOffer)).offers.offers[0];
  await s.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ ...customTask(), agent_id: offer.agent_id }] } }] } });
  await s.update('sleeper', 'TASK_RUNNING', 0);
  await eventually(() => processesUnder(workDir).filter((l) => /: sleep 1000000$/.test(l)).length === 2 || undefined, 10_000, 'both tasks` sleeps');

  // kill -9 of the agent; the cluster starts it again on its work dir and it recovers both executors.
  const agentLog = join(workDir, 'agent-0', 'agent.log');
  const recovered = () => (readFileSync(agentLog, 'utf8').match(/Recovered executor/g) ?? []).length;
  await cluster.agents[0]!.child.kill();
  await eventually(() => recovered() >= 2 || undefined, 20_000, 'the restarted agent recovering both executors');
  s.close();
  await cluster.stop();
  assertNothingUnder(workDir, 'no recovered executor or its task outlives the cluster');
  rmSync(workDir, { recursive: true, force: true });
});

test('the conformance runner`s own cluster: a custom-executor scenario leaves no process behind', async () => {
  const ce = generateSuite(configs['custom-executor']!);
  const scenario = ce.scenarios.find((x) => x.name === 'transition-scheduler.subscribed.MESSAGE-0')!;
  assert.ok(scenario, 'the custom-executor suite has its MESSAGE scenario');
  const cluster = await startScenarioCluster(scenario, { keepLogs: true });
  const dir = cluster.logDir!;
  try {
    await runScenario(scenario, cluster, {});
  } finally {
    await cluster.stop();
  }
  assertNothingUnder(dir, 'no executor or task process outlives the scenario`s cluster');
  rmSync(dir, { recursive: true, force: true });
});

test.run();
