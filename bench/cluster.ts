/**
 * The reference cluster's start-up, throughput and master under load (`npm run bench -- cluster
 * [--frameworks N] [--agents N] [--rounds N] [--tasks N] [--runs N] [--rate R] [--checkpoint-modes group]
 * [--link-modes each,batch] [--executor-link-modes serial,pipelined] [--repeat N] [--only startup|tasks|executors|frameworks]...`):
 *
 * 0. Start-up: `node -e 0`, `mesos-ref --help` and the command executor's start (its bundle
 *    loaded up to reading its environment), interleaved, mean wall time and the ratio to
 *    `node -e 0`. Then the floors of a command task: the rate of spawning `sh -c true` from this
 *    process, and of spawning a bare `node` that spawns `sh -c true` (one Node executor process
 *    per command task, as Mesos runs one command executor per task), both `--tasks` at once.
 *
 * 1. Master-side latency of ACCEPT and ACKNOWLEDGE with many concurrent frameworks: a master
 *    (its own process, then in this process to see its host time), fake agents (test/support/fake-agent.ts: RUNNING then FINISHED for each
 *    task), and raw HTTP frameworks that accept every offer with one task and acknowledge every
 *    update, all at once. Reported per call: the HTTP round trip seen by the framework, and the
 *    time the master host spent on the call (the machine's step, its effects, the reply).
 * 2. N tasks of `true` through the master and 3 real agents with the scheduler client; submit
 *    (the ACCEPT carrying the task) to TASK_FINISHED, and tasks/s against the two spawn rates
 *    (from before the framework subscribes, so with its wait for an offer, and from the ACCEPT).
 *    Once per agent link mode of `--link-modes` (`each`: the former link, one POST per message to
 *    the master; `batch`, the default: one POST for all that queued behind the one in flight) and
 *    executor link mode of `--executor-link-modes` (default `serial,pipelined`: the former
 *    executor link, one call to the agent at a time, then every call written at once on one
 *    connection; impl/executor/agent-calls.ts), each with its own master and agents, the
 *    configurations taking turns for `--repeat` rounds (default 3); then the later
 *    configurations' figures as ratios to the first's.
 * 3. N tasks of `true` onto an executor that is already running, on one real agent: a custom
 *    executor (examples/shell-executor.cjs) started by a warm-up task, a task group of N onto a
 *    default executor that a warm-up group of one task that does not end (`sleep`) started and
 *    keeps running, and a task group of N under a new default executor; the same figures. Then N
 *    tasks paced (`--rate`, default 5/s), one at a time, to the same running custom executor, and
 *    N task groups of one, paced the same way, onto the running default executor: submit ->
 *    TASK_FINISHED of a task with no other in flight, the latency a task sees when it does not
 *    queue behind 29 others. Once per agent
 *    checkpoint mode of `--checkpoint-modes` (default `group`; `each` is the former one
 *    write+fsync per step), link mode and executor link mode, each with its own master and agent,
 *    the configurations taking turns (`--repeat` rounds of each burst, every paced task); then
 *    every later configuration's figures as ratios to the first's. On a shared machine whose
 *    load changes from minute to minute, taking turns is what makes the ratios mean something.
 *
 * Plain lines a README can quote; nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMaster } from '../impl/master/server.ts';
import { executorArgv } from '../impl/process/proc.ts';
import { EXECUTOR_LINK_MODES, type ExecutorLinkMode } from '../impl/executor/agent-calls.ts';
import { FakeAgent } from '../test/support/fake-agent.ts';
import { freePorts } from '../test/support/free-ports.ts';
import { type EventStream, subscribe } from '../test/support/master-http.ts';
import { postJson } from '../impl/http/client.ts';
import { SchedulerClient, commandTask } from '../impl/scheduler-client/index.ts';
import type { WantedTask } from '../spec/machines/scheduler.ts';
import type { ExecutorInfo } from '../spec/protocol/common.ts';
import { encodeSchedulerCall, parseJsonText } from '../spec/protocol/json.ts';
import type { Offer, TaskStatus } from '../spec/protocol/common.ts';
import { launchCall, type SchedulerCall } from '../spec/protocol/scheduler.ts';

const ROOT = resolve(import.meta.dirname, '..');

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

/** A comma-separated list of `allowed` values given as `--name` (or `fallback`); a bad one is an error naming the flag. */
function modes<M extends string>(args: string[], name: string, allowed: readonly M[], fallback: readonly M[]): M[] {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return [...fallback];
  const value = args[i + 1];
  const usage = `--${name} takes a comma-separated list of ${allowed.join(', ')}`;
  if (value === undefined || value.startsWith('--')) throw new Error(`${usage}; got nothing`);
  const list = value.split(',').map((v) => v.trim());
  const bad = list.find((v) => !(allowed as readonly string[]).includes(v));
  if (bad !== undefined) throw new Error(`${usage}; got '${bad}' in '${value}'`);
  return list as M[];
}

const CHECKPOINT_MODES = ['each', 'group'] as const;
const LINK_MODES = ['each', 'batch'] as const;
type CheckpointMode = (typeof CHECKPOINT_MODES)[number];
type LinkMode = (typeof LINK_MODES)[number];

/** `later` against `first` as a ratio, e.g. `2.10x`. */
const ratio = (later: number, first: number) => `${(later / first).toFixed(2)}x`;

/** Runs argv to its exit; its wall time in ms. */
function timed(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: 'ignore' });
    child.once('error', fail);
    child.once('exit', () => done(performance.now() - t0));
  });
}

/**
 * CPU time (user + system, ms) of this process's reaped children so far (/proc/self/stat cutime
 * and cstime, in clock ticks of 10 ms): on a shared machine, what a start-up costs is steadier
 * in CPU time than in wall time.
 */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Mean start-up of `node -e 0`, `mesos-ref --help` and the executor, interleaved run by run. */
async function startup(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 20);
  const { MESOS_REF_EXECUTOR_INPUT: _, ...noInput } = process.env;
  const subjects: [string, string[], NodeJS.ProcessEnv][] = [
    ['node -e 0', [process.execPath, '-e', '0'], process.env],
    ['mesos-ref --help', [process.execPath, 'bin/mesos-ref.mjs', '--help'], process.env],
    // Without its input the executor stops right after loading: its start-up before any I/O.
    ['command executor start', executorArgv(), noInput],
  ];
  const times = subjects.map(() => [] as number[]);
  const cpu = subjects.map(() => 0);
  for (let i = 0; i < runs; i++) {
    for (const [j, [, argv, env]] of subjects.entries()) {
      const c0 = childrenCpuMs();
      times[j]!.push(await timed(argv, env));
      cpu[j]! += childrenCpuMs() - c0;
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [base, baseCpu] = [mean(times[0]!), cpu[0]! / runs];
  console.log(`start-up, ${runs} runs each, interleaved: wall time (mean, p50) and CPU time (mean), each against node -e 0`);
  for (const [j, [name]] of subjects.entries()) {
    console.log(
      `  ${name.padEnd(24)} wall ${ms(mean(times[j]!)).padStart(10)}  p50 ${ms(pct(times[j]!, 50)).padStart(10)}  ${(mean(times[j]!) / base).toFixed(2)}x` +
        `   cpu ${ms(cpu[j]! / runs).padStart(10)}  ${(cpu[j]! / runs / baseCpu).toFixed(2)}x`,
    );
  }
}

/** How many of `argv` per second, `n` started at once. */
async function spawnRate(argv: readonly string[], n: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => timed(argv)));
  return n / ((performance.now() - t0) / 1000);
}

/** The floors of a command task: sh -c true from Node, and a bare node running sh -c true. */
async function spawnRates(n: number): Promise<{ sh: number; node: number }> {
  const sh = await spawnRate(['/bin/sh', '-c', 'true'], n);
  const node = await spawnRate([process.execPath, '-e', "require('node:child_process').spawn('/bin/sh', ['-c', 'true'], { stdio: 'ignore' })"], n);
  console.log(`spawn rates, ${n} at once: sh -c true from Node ${sh.toFixed(1)}/s; a bare node spawning sh -c true ${node.toFixed(1)}/s`);
  return { sh, node };
}

/** One raw framework: accepts each offer with one task until it launched `rounds`, acks every update. */
async function framework(url: string, name: string, rounds: number, rtt: Record<'ACCEPT' | 'ACKNOWLEDGE', number[]>): Promise<void> {
  const stream: EventStream = await subscribe(url, { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'bench', name, failover_timeout: 0 } } });
  let fid = '';
  let launched = 0;
  let finished = 0;
  const calls: Promise<void>[] = [];
  const call = (c: SchedulerCall, kind: 'ACCEPT' | 'ACKNOWLEDGE' | 'DECLINE') => {
    const t0 = performance.now();
    calls.push(
      postJson(new URL('/api/v1/scheduler', url), encodeSchedulerCall(c), { 'Mesos-Stream-Id': stream.streamId }).then((r) => {
        if (r.status !== 202) throw new Error(`${kind} answered ${r.status}: ${r.body}`);
        if (kind !== 'DECLINE') rtt[kind].push(performance.now() - t0);
      }),
    );
  };
  while (finished < rounds) {
    const text = await stream.next(60_000);
    if (text === null) throw new Error(`${name}: stream ended`);
    const json = parseJsonText(text, { nonFinite: true });
    if (!json.ok) continue;
    const e = json.value as { type: string; subscribed?: { framework_id: { value: string } }; offers?: { offers: Offer[] }; update?: { status: TaskStatus } };
    if (e.type === 'SUBSCRIBED') fid = e.subscribed!.framework_id.value;
    else if (e.type === 'OFFERS') {
      for (const offer of e.offers!.offers) {
        if (launched >= rounds) {
          call({ type: 'DECLINE', framework_id: { value: fid }, decline: { offer_ids: [offer.id], filters: { refuse_seconds: 3600 } } }, 'DECLINE');
          continue;
        }
        const tid = `${name}-t${launched++}`;
        call(
          launchCall(
            { value: fid },
            [offer.id],
            [
              {
                name: tid,
                task_id: { value: tid },
                agent_id: offer.agent_id,
                resources: [
                  { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
                  { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
                ],
                command: { value: 'true' },
              },
            ],
            { refuse_seconds: 0.001 },
          ),
          'ACCEPT',
        );
      }
    } else if (e.type === 'UPDATE' && e.update!.status.uuid) {
      const s = e.update!.status;
      call({ type: 'ACKNOWLEDGE', framework_id: { value: fid }, acknowledge: { agent_id: s.agent_id!, task_id: s.task_id, uuid: s.uuid! } }, 'ACKNOWLEDGE');
      if (s.state === 'TASK_FINISHED') finished++;
    }
  }
  await Promise.all(calls);
  stream.close();
}

/** A master: in this process (its host time is observable) or as its own `mesos-ref master` process. */
async function launchMaster(inProcess: boolean, handled: Record<string, number[]>): Promise<{ url: string; stop: () => Promise<void> }> {
  if (inProcess) {
    const master = await startMaster({ port: 0, flags: { allocationIntervalMs: 100 }, log: () => {}, onCallHandled: (type, t) => handled[type]?.push(t) });
    return { url: master.url, stop: () => master.close() };
  }
  const port = await freePorts(1);
  const child = spawn(process.execPath, ['bin/mesos-ref.mjs', 'master', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((done, fail) => {
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('listening on')) done();
    });
    child.once('exit', (code) => fail(new Error(`mesos-ref master exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function concurrentFrameworks(args: string[], inProcess: boolean): Promise<void> {
  const frameworks = arg(args, 'frameworks', 100);
  const agentCount = arg(args, 'agents', 50);
  const rounds = arg(args, 'rounds', 5);
  const handled: Record<string, number[]> = { ACCEPT: [], ACKNOWLEDGE: [] };
  // The allocation interval is 100 ms in process; a master process runs Mesos's default (1 s).
  const master = await launchMaster(inProcess, handled);
  const agents: FakeAgent[] = [];
  const big = [
    { name: 'cpus', type: 'SCALAR' as const, scalar: { value: 64 } },
    { name: 'mem', type: 'SCALAR' as const, scalar: { value: 65536 } },
  ];
  try {
    for (let i = 0; i < agentCount; i++) agents.push(await new FakeAgent({ master: master.url, hostname: `agent-${i}`, resources: big }).start());
    const rtt: Record<'ACCEPT' | 'ACKNOWLEDGE', number[]> = { ACCEPT: [], ACKNOWLEDGE: [] };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: frameworks }, (_, i) => framework(master.url, `fw-${i}`, rounds, rtt)));
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `${inProcess ? "master in the load generator's process (allocation interval 100 ms)" : 'master in its own process (allocation interval 1 s)'}: ` +
        `${frameworks} concurrent frameworks, ${agentCount} fake agents, ${frameworks * rounds} tasks, ${seconds.toFixed(1)} s`,
    );
    for (const kind of ['ACCEPT', 'ACKNOWLEDGE'] as const) {
      // In one process the load generator competes with the master for the event loop, so only
      // the master host's own time means something there.
      const what = inProcess
        ? `time in the master host (step, effects, reply) p50 ${ms(pct(handled[kind]!, 50))}  p99 ${ms(pct(handled[kind]!, 99))}   (n=${handled[kind]!.length})`
        : `HTTP round trip p50 ${ms(pct(rtt[kind], 50))}  p99 ${ms(pct(rtt[kind], 99))}   (n=${rtt[kind].length})`;
      console.log(`  ${kind.padEnd(11)}  ${what}`);
    }
  } finally {
    for (const a of agents) a.close();
    await master.stop();
  }
}

/**
 * One framework (the scheduler client) running `n` tasks of `true` to TASK_FINISHED, as command
 * tasks or as `how` makes them (through a custom executor, in a task group).
 */
async function batch(
  url: string,
  n: number,
  name: string,
  how: (t: WantedTask) => WantedTask = (t) => t,
  /**
   * Resubscribe as this framework (it keeps its executors); keep it (no TEARDOWN) for another
   * batch; `until` TASK_RUNNING for tasks that do not end (what keeps a default executor running).
   */
  session: { id?: string; keep?: boolean; until?: 'TASK_RUNNING' | 'TASK_FINISHED' } = {},
): Promise<{
  latencies: number[];
  /** From before the subscription (so with the wait for an offer) to the last TASK_FINISHED. */
  seconds: number;
  /** From the first ACCEPT to the last TASK_FINISHED: the rate the launch path itself sustains. */
  launchSeconds: number;
  frameworkId: string;
}> {
  const ids = Array.from({ length: n }, (_, i) => `${name}-${i}`);
  const submitted = new Map<string, number>();
  const finished = new Map<string, number>();
  const client = new SchedulerClient({
    master: url,
    framework_info: { user: 'bench', name: `bench-${name}`, failover_timeout: 60 },
    ...(session.id !== undefined ? { framework_id: session.id } : {}),
    tasks: ids.map((t) => how(commandTask(t, 'true', 0.1, 32))),
  });
  client.on('call', (c) => {
    if (c.type !== 'ACCEPT') return;
    for (const op of c.accept.operations ?? [])
      for (const t of [...(op.launch?.task_infos ?? []), ...(op.launch_group?.task_group.tasks ?? [])]) submitted.set(t.task_id.value, performance.now());
  });
  const t0 = performance.now();
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`only ${finished.size} of ${n} tasks finished within 120 s`)), 120_000);
      client.on('event', (e) => {
        if (e.type !== 'UPDATE' || !submitted.has(e.update.status.task_id.value)) return;
        if (e.update.status.state === (session.until ?? 'TASK_FINISHED')) finished.set(e.update.status.task_id.value, performance.now());
        else if (['TASK_FAILED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_KILLED'].includes(e.update.status.state)) {
          clearTimeout(timer);
          fail(new Error(`${e.update.status.task_id.value}: ${e.update.status.state} ${e.update.status.message ?? ''}`));
        }
        if (finished.size === n) {
          clearTimeout(timer);
          done();
        }
      });
    });
    if (!session.keep) await client.teardown();
  } finally {
    await client.close();
  }
  const last = Math.max(...finished.values());
  return {
    latencies: ids.map((t) => finished.get(t)! - submitted.get(t)!),
    seconds: (last - t0) / 1000,
    launchSeconds: (last - Math.min(...submitted.values())) / 1000,
    frameworkId: client.frameworkId!,
  };
}

/** The median of a list (the middle of an odd count, the mean of the two middle ones of an even one). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** What one configuration's rounds of a batch gave: every task's latency, and each round's rates. */
interface Rounds {
  readonly latencies: number[];
  readonly rates: number[];
  readonly launchRates: number[];
}

const noRounds = (): Rounds => ({ latencies: [], rates: [], launchRates: [] });

function addRound(to: Rounds, n: number, r: { latencies: number[]; seconds: number; launchSeconds: number }): void {
  to.latencies.push(...r.latencies);
  to.rates.push(n / r.seconds);
  to.launchRates.push(n / r.launchSeconds);
}

/** `later` against `first`: the median rates' and the pooled p50s' ratios. */
const roundsRatio = (later: Rounds, first: Rounds) =>
  `${ratio(median(later.rates), median(first.rates))} the tasks/s (${ratio(median(later.launchRates), median(first.launchRates))} from the ACCEPT), ${ratio(pct(later.latencies, 50), pct(first.latencies, 50))} the p50`;

/**
 * 2. Command tasks through the master and 3 real agents, once per link mode, each mode with its
 * own master and agents; the modes take turns round by round (`--repeat`, default 3), so a
 * machine whose load changes meanwhile weighs on every mode alike.
 */
async function commandTasks(args: string[], floor: { sh: number; node: number }, configs: readonly { link: LinkMode; executorLink: ExecutorLinkMode }[]): Promise<void> {
  const n = arg(args, 'tasks', 30);
  const repeat = arg(args, 'repeat', 3);
  const rigs: { name: string; master: Awaited<ReturnType<typeof startMaster>>; agents: Awaited<ReturnType<typeof startAgents>>; one: number[]; many: Rounds }[] = [];
  try {
    for (const { link, executorLink } of configs) {
      const master = await startMaster({ port: 0, log: () => {} });
      // Each agent fits a third of the tasks (0.1 cpus each), so the batch spreads over all three
      // agents instead of filling the first offer.
      const agents = await startAgents(master, 3, `cpus:${Math.ceil(n / 30)};mem:${1024 * Math.ceil(n / 30)}`, ['--master-link-mode', link], {
        MESOS_REF_EXECUTOR_LINK: executorLink,
      }).catch(async (e: Error) => {
        await master.close();
        throw e;
      });
      rigs.push({ name: `link ${link}, executor link ${executorLink}`, master, agents, one: [], many: noRounds() });
    }
    // One task alone (the latency of one launch), then n at once (throughput), mode after mode.
    for (let r = 0; r < repeat; r++) {
      for (const rig of rigs) {
        rig.one.push((await batch(rig.master.url, 1, `one-${r}`)).latencies[0]!);
        addRound(rig.many, n, await batch(rig.master.url, n, `batch-${r}`));
      }
    }
    console.log(`command tasks, ${repeat} rounds per configuration, the configurations taking turns (rates: the rounds' median; p50, p90: over every round's tasks):`);
    for (const { name, one, many } of rigs) {
      const rate = median(many.rates);
      console.log(`agent ${name}:`);
      console.log(`  1 task of \`true\` through the master and a real agent: submit -> TASK_FINISHED ${ms(median(one))} (median of ${repeat})`);
      console.log(
        `  ${n} tasks of \`true\` through the master and 3 real agents: submit -> TASK_FINISHED p50 ${ms(pct(many.latencies, 50))}  p90 ${ms(pct(many.latencies, 90))}; ` +
          `${rate.toFixed(1)} tasks/s from subscribe, ${median(many.launchRates).toFixed(1)} tasks/s from the ACCEPT`,
      );
      console.log(
        `    = ${((100 * rate) / floor.node).toFixed(0)}% of the bare-node spawn rate (${floor.node.toFixed(1)}/s), ${((100 * rate) / floor.sh).toFixed(1)}% of the sh spawn rate (${floor.sh.toFixed(1)}/s)`,
      );
    }
    const first = rigs[0]!;
    for (const rig of rigs.slice(1)) {
      console.log(
        `${rig.name} against ${first.name}, same run: 1 task ${ratio(median(rig.one), median(first.one))} the latency; ${n} at once ${roundsRatio(rig.many, first.many)}`,
      );
    }
  } finally {
    for (const rig of rigs) {
      await rig.agents.stop();
      await rig.master.close();
    }
  }
}

/** `count` real agents (`mesos-ref agent` processes, each in a fresh work dir) registered with the master. */
async function startAgents(
  master: Awaited<ReturnType<typeof startMaster>>,
  count: number,
  resources: string,
  extra: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ pids: number[]; stop: () => Promise<void> }> {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  for (let i = 0; i < count; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-bench-agent-'));
    dirs.push(dir);
    const argv = ['bin/mesos-ref.mjs', 'agent', '--master', master.url, '--port', String(await freePorts(1)), '--work-dir', dir, '--resources', resources, ...extra];
    // BENCH_AGENT_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the agents: Node refuses --cpu-prof in NODE_OPTIONS.
    const nodeArgs = (process.env.BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    children.push(spawn(process.execPath, [...nodeArgs, ...argv], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, ...env } }));
  }
  const deadline = Date.now() + 30_000;
  while (Object.values(master.context.agents).filter((a) => a.address !== null).length < count) {
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the agents did not register within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { pids: children.map((c) => c.pid!), stop };
}

/** User plus system CPU time of a live process, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are the 12th and 13th fields after the command name, in clock ticks (100/s).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One custom executor for every task of a batch: the third-party example executor, which runs each task's command with `sh -c`. */
function throughCustomExecutor(name: string): (t: WantedTask) => WantedTask {
  const executor: ExecutorInfo = {
    type: 'CUSTOM',
    executor_id: { value: `${name}-executor` },
    name: `${name} executor`,
    command: { value: `node ${join(ROOT, 'examples/shell-executor.cjs')}`, shell: true },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
    ],
  };
  return (t) => ({ ...t, executor });
}

/** Every task of a batch in one task group under the default executor. */
function inOneGroup(name: string): (t: WantedTask) => WantedTask {
  const group: ExecutorInfo = {
    type: 'DEFAULT',
    executor_id: { value: `${name}-executor` },
    name: `${name} default executor`,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
      { name: 'disk', type: 'SCALAR', scalar: { value: 32 } },
    ],
  };
  return (t) => ({ ...t, group });
}

/**
 * 3. Tasks launched onto an executor that is already running, on one real agent: a custom executor
 * (one warm-up task starts it, then `--tasks` at once go to the running one), and a task group of
 * `--tasks` under the default executor (one executor start for the whole group). Against the
 * bare-node spawn rate, the floor of one executor process per task.
 */
/**
 * 3. Tasks onto an executor that is already running, one configuration (agent checkpoint mode and
 * link mode) per master and agent; the configurations take turns round by round (`--repeat`
 * rounds of the burst and of the task group, and every paced task), so a machine whose load
 * changes meanwhile weighs on every configuration alike.
 */
async function runningExecutors(
  args: string[],
  floor: { sh: number; node: number },
  configs: readonly { checkpoint: CheckpointMode; link: LinkMode; executorLink: ExecutorLinkMode }[],
): Promise<void> {
  const n = arg(args, 'tasks', 30);
  const rate = arg(args, 'rate', 5);
  const repeat = arg(args, 'repeat', 3);
  const custom = throughCustomExecutor('reuse');
  const rigs: {
    name: string;
    master: Awaited<ReturnType<typeof startMaster>>;
    agents: Awaited<ReturnType<typeof startAgents>>;
    cpuBefore: number;
    warm: { latency: number; frameworkId: string };
    atOnce: Rounds;
    paced: number[];
    pacedGroup: number[];
    runningGroup: Rounds;
    group: Rounds;
  }[] = [];
  try {
    for (const { checkpoint, link, executorLink } of configs) {
      const master = await startMaster({ port: 0, log: () => {} });
      const agents = await startAgents(
        master,
        1,
        `cpus:${Math.ceil(n / 5)};mem:${64 * n};disk:1024`,
        ['--checkpoint-mode', checkpoint, '--master-link-mode', link],
        // The agent's executors inherit its environment, and with it the way they post their calls.
        { MESOS_REF_EXECUTOR_LINK: executorLink },
      ).catch(async (e: Error) => {
        await master.close();
        throw e;
      });
      const cpuBefore = cpuMs(agents.pids[0]!);
      // The warm-up's framework disconnects without TEARDOWN and every later batch resubscribes
      // as it (a framework failover), so their tasks go to the executor the warm-up started.
      const warm = await batch(master.url, 1, 'warm', custom, { keep: true });
      // And a task group of one task that does not end starts a default executor for that
      // framework, which stays running for the later groups: a default executor exits once its
      // last task ended and its updates were acknowledged (Mesos's DefaultExecutor does too).
      await batch(master.url, 1, 'warm-group', (t) => inOneGroup('running-group')({ ...t, command: { value: 'sleep 3600', shell: true } }), {
        id: warm.frameworkId,
        keep: true,
        until: 'TASK_RUNNING',
      });
      rigs.push({
        name: `checkpoint ${checkpoint}, link ${link}, executor link ${executorLink}`,
        master,
        agents,
        cpuBefore,
        warm: { latency: warm.latencies[0]!, frameworkId: warm.frameworkId },
        atOnce: noRounds(),
        paced: [],
        pacedGroup: [],
        runningGroup: noRounds(),
        group: noRounds(),
      });
    }
    for (let r = 0; r < repeat; r++) {
      for (const rig of rigs) addRound(rig.atOnce, n, await batch(rig.master.url, n, `reuse-${r}`, custom, { id: rig.warm.frameworkId, keep: true }));
    }
    // Paced: one task at a time, at most `rate` a second per configuration, each a resubscription
    // as the same framework (so onto the same executor); its latency is its own, not a queue's.
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      for (const rig of rigs) rig.paced.push((await batch(rig.master.url, 1, `paced-${i}`, custom, { id: rig.warm.frameworkId, keep: true })).latencies[0]!);
    }
    // The same, each task a task group of one onto the running default executor.
    const g0 = performance.now();
    for (let i = 0; i < n; i++) {
      const wait = g0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      for (const rig of rigs)
        rig.pacedGroup.push((await batch(rig.master.url, 1, `pgroup-${i}`, inOneGroup('running-group'), { id: rig.warm.frameworkId, keep: true })).latencies[0]!);
    }
    for (let r = 0; r < repeat; r++) {
      for (const rig of rigs) addRound(rig.runningGroup, n, await batch(rig.master.url, n, `rgroup-${r}`, inOneGroup('running-group'), { id: rig.warm.frameworkId, keep: true }));
    }
    for (let r = 0; r < repeat; r++) {
      for (const rig of rigs) addRound(rig.group, n, await batch(rig.master.url, n, `group-${r}`, inOneGroup(`group-${r}`)));
    }
    console.log(
      `tasks onto a running executor, ${repeat} rounds of each burst per configuration, the configurations taking turns (rates: the rounds' median; p50, p90: over every round's tasks):`,
    );
    const tasks = 2 + (3 * repeat + 2) * n;
    const figures = (r: Rounds) => {
      const rate = median(r.rates);
      return (
        `submit -> TASK_FINISHED p50 ${ms(pct(r.latencies, 50))}  p90 ${ms(pct(r.latencies, 90))}; ` +
        `${rate.toFixed(1)} tasks/s = ${((100 * rate) / floor.node).toFixed(0)}% of the bare-node spawn rate (${floor.node.toFixed(1)}/s); ${median(r.launchRates).toFixed(1)} tasks/s from the ACCEPT`
      );
    };
    for (const rig of rigs) {
      console.log(`agent ${rig.name}:`);
      console.log(`  1 task through a custom executor that had to start: submit -> TASK_FINISHED ${ms(rig.warm.latency)}`);
      console.log(`  ${n} tasks of \`true\` through that custom executor, already running, all at once: ${figures(rig.atOnce)}`);
      console.log(
        `  ${n} tasks of \`true\` through that executor, paced (at most ${rate}/s, one in flight): submit -> TASK_FINISHED p50 ${ms(pct(rig.paced, 50))}  p90 ${ms(pct(rig.paced, 90))}  max ${ms(Math.max(...rig.paced))}`,
      );
      console.log(`  ${n} tasks of \`true\` as one task group onto that framework's default executor, already running: ${figures(rig.runningGroup)}`);
      console.log(
        `  ${n} task groups of one \`true\` onto that default executor, paced (at most ${rate}/s, one in flight): submit -> TASK_FINISHED p50 ${ms(pct(rig.pacedGroup, 50))}  p90 ${ms(pct(rig.pacedGroup, 90))}  max ${ms(Math.max(...rig.pacedGroup))}`,
      );
      console.log(`  ${n} tasks of \`true\` as one task group under a new default executor (one executor start): ${figures(rig.group)}`);
      // What the agent's own process spent (its machine's steps, checkpoints, HTTP), less sensitive
      // to a loaded machine than the wall times above.
      console.log(`  the agent process's CPU time: ${ms((cpuMs(rig.agents.pids[0]!) - rig.cpuBefore) / tasks)} per task over the ${tasks} tasks`);
      // What keeping the default executor running saves: its start, and its exit's round trips.
      console.log(`  a task group onto the running default executor against one under a new default executor, same run: ${roundsRatio(rig.runningGroup, rig.group)}`);
    }
    const first = rigs[0]!;
    const cpu = (rig: (typeof rigs)[number]) => cpuMs(rig.agents.pids[0]!) - rig.cpuBefore;
    for (const rig of rigs.slice(1)) {
      console.log(
        `${rig.name} against ${first.name}, same run: all at once ${roundsRatio(rig.atOnce, first.atOnce)}; paced ${ratio(pct(rig.paced, 50), pct(first.paced, 50))} the p50; ` +
          `paced groups ${ratio(pct(rig.pacedGroup, 50), pct(first.pacedGroup, 50))} the p50; ` +
          `task group onto the running default executor ${roundsRatio(rig.runningGroup, first.runningGroup)}; ` +
          `task group under a new one ${roundsRatio(rig.group, first.group)}; agent CPU ${ratio(cpu(rig), cpu(first))}`,
      );
    }
  } finally {
    for (const rig of rigs) {
      // The operator's TEARDOWN ends the warm-up framework: its executors and the task that kept
      // the default executor running.
      const teardown = { type: 'TEARDOWN', teardown: { framework_id: { value: rig.warm.frameworkId } } };
      await postJson(new URL('/api/v1', rig.master.url), JSON.stringify(teardown)).catch(() => {});
      await rig.agents.stop();
      await rig.master.close();
    }
  }
}

export async function main(args: string[] = []): Promise<void> {
  // Bad flags fail before anything runs.
  const checkpointModes = modes(args, 'checkpoint-modes', CHECKPOINT_MODES, ['group']);
  const linkModes = modes(args, 'link-modes', LINK_MODES, ['batch']);
  const executorLinkModes = modes(args, 'executor-link-modes', EXECUTOR_LINK_MODES, ['serial', 'pipelined']);
  const links = linkModes.flatMap((link) => executorLinkModes.map((executorLink) => ({ link, executorLink })));
  // `--only startup|tasks|executors|frameworks` (repeatable) runs those parts; all by default.
  const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? [a] : []));
  const part = (name: string) => only.length === 0 || only.includes(name);
  if (part('startup')) await startup(args);
  const floor = part('tasks') || part('executors') ? await spawnRates(arg(args, 'tasks', 30)) : undefined;
  if (part('tasks')) await commandTasks(args, floor!, links);
  if (part('executors'))
    await runningExecutors(
      args,
      floor!,
      checkpointModes.flatMap((checkpoint) => links.map((l) => ({ checkpoint, ...l }))),
    );
  if (part('frameworks')) {
    await concurrentFrameworks(args, false);
    await concurrentFrameworks(args, true);
  }
}
