/**
 * The reference cluster's start-up, throughput and master under load (`npm run bench -- cluster
 * [--frameworks N] [--agents N] [--rounds N] [--tasks N] [--runs N] [--rate R] [--checkpoint-modes group]
 * [--link-modes each,batch] [--only startup|tasks|executors|frameworks]...`):
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
 *    (the ACCEPT carrying the task) to TASK_FINISHED, and tasks/s against the two spawn rates.
 *    Once per agent link mode of `--link-modes` (default `each,batch`: the former link, one POST
 *    per message to the master, then one POST for all that queued behind the one in flight),
 *    then the later modes' figures as ratios to the first's.
 * 3. N tasks of `true` onto an executor that is already running, on one real agent: a custom
 *    executor (examples/shell-executor.cjs) started by a warm-up task, and a task group of N under
 *    the default executor; the same figures. Then N tasks paced (`--rate`, default 5/s), one at a
 *    time, to the same running executor: submit -> TASK_FINISHED of a task with no other in
 *    flight, the latency a task sees when it does not queue behind 29 others. Once per agent
 *    checkpoint mode of `--checkpoint-modes` (default `group`; `each` is the former one
 *    write+fsync per step) and link mode of `--link-modes`, each with its own agent, one after
 *    the other; then every later configuration's figures as ratios to the first's.
 *
 * Plain lines a README can quote; nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMaster } from '../impl/master/server.ts';
import { executorArgv } from '../impl/process/proc.ts';
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
  /** Resubscribe as this framework (it keeps its executors); keep it (no TEARDOWN) for another batch. */
  session: { id?: string; keep?: boolean } = {},
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
        if (e.update.status.state === 'TASK_FINISHED') finished.set(e.update.status.task_id.value, performance.now());
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

interface CommandFigures {
  readonly one: number;
  readonly p50: number;
  readonly rate: number;
}

async function realAgents(args: string[], floor: { sh: number; node: number }, link: LinkMode): Promise<CommandFigures> {
  const n = arg(args, 'tasks', 30);
  const master = await startMaster({ port: 0, log: () => {} });
  // Each agent fits a third of the tasks (0.1 cpus each), so the batch spreads over all three
  // agents instead of filling the first offer.
  const agents = await startAgents(master, 3, `cpus:${Math.ceil(n / 30)};mem:${1024 * Math.ceil(n / 30)}`, ['--master-link-mode', link]);
  console.log(`agent link mode ${link}:`);
  try {
    // One task alone first (the latency of one launch), then n at once (throughput).
    const one = (await batch(master.url, 1, 'one')).latencies[0]!;
    console.log(`  1 task of \`true\` through the master and a real agent: submit -> TASK_FINISHED ${ms(one)}`);
    const r = await batch(master.url, n, 'batch');
    const rate = n / r.seconds;
    console.log(
      `  ${n} tasks of \`true\` through the master and 3 real agents: submit -> TASK_FINISHED p50 ${ms(pct(r.latencies, 50))}  p90 ${ms(pct(r.latencies, 90))}  p99 ${ms(pct(r.latencies, 99))}; ` +
        `${rate.toFixed(1)} tasks/s (${r.seconds.toFixed(1)} s from subscribe to the last TASK_FINISHED; ${(n / r.launchSeconds).toFixed(1)} tasks/s from the ACCEPT)`,
    );
    console.log(
      `    = ${((100 * rate) / floor.node).toFixed(0)}% of the bare-node spawn rate (${floor.node.toFixed(1)}/s), ${((100 * rate) / floor.sh).toFixed(1)}% of the sh spawn rate (${floor.sh.toFixed(1)}/s)`,
    );
    return { one, p50: pct(r.latencies, 50), rate };
  } finally {
    await agents.stop();
    await master.close();
  }
}

/** `count` real agents (`mesos-ref agent` processes, each in a fresh work dir) registered with the master. */
async function startAgents(
  master: Awaited<ReturnType<typeof startMaster>>,
  count: number,
  resources: string,
  extra: readonly string[] = [],
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
    children.push(spawn(process.execPath, [...nodeArgs, ...argv], { cwd: ROOT, stdio: 'ignore' }));
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
interface ExecutorFigures {
  readonly atOnce: { rate: number; launchRate: number; p50: number };
  readonly paced: { p50: number; p90: number };
  readonly group: { rate: number; launchRate: number; p50: number };
  readonly cpuPerTask: number;
}

async function runningExecutor(args: string[], floor: { sh: number; node: number }, checkpoint: CheckpointMode, link: LinkMode): Promise<ExecutorFigures> {
  const n = arg(args, 'tasks', 30);
  const rate = arg(args, 'rate', 5);
  const master = await startMaster({ port: 0, log: () => {} });
  const agents = await startAgents(master, 1, `cpus:${Math.ceil(n / 5)};mem:${64 * n};disk:1024`, ['--checkpoint-mode', checkpoint, '--master-link-mode', link]);
  const agentPid = agents.pids[0]!;
  console.log(`agent checkpoint mode ${checkpoint}, link mode ${link}:`);
  try {
    const report = (what: string, r: { latencies: number[]; seconds: number; launchSeconds: number }) => {
      const rate = n / r.seconds;
      const launchRate = n / r.launchSeconds;
      console.log(
        `  ${n} tasks of \`true\` ${what}: submit -> TASK_FINISHED p50 ${ms(pct(r.latencies, 50))}  p90 ${ms(pct(r.latencies, 90))}; ` +
          `${rate.toFixed(1)} tasks/s = ${((100 * rate) / floor.node).toFixed(0)}% of the bare-node spawn rate (${floor.node.toFixed(1)}/s); ${launchRate.toFixed(1)} tasks/s from the ACCEPT`,
      );
      return { rate, launchRate, p50: pct(r.latencies, 50) };
    };
    // The warm-up's framework disconnects without TEARDOWN and the batch resubscribes as it (a
    // framework failover), so the batch's tasks go to the executor the warm-up started.
    const cpuBefore = cpuMs(agentPid);
    const custom = throughCustomExecutor('reuse');
    const warm = await batch(master.url, 1, 'warm', custom, { keep: true });
    console.log(`  1 task through a custom executor that had to start: submit -> TASK_FINISHED ${ms(warm.latencies[0]!)}`);
    const atOnce = report('through that custom executor, already running, all at once', await batch(master.url, n, 'reuse', custom, { id: warm.frameworkId, keep: true }));
    // Paced: one task at a time, at most `rate` a second, each a resubscription as the same
    // framework (so onto the same executor); its latency is its own, not a queue's.
    const paced: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      paced.push((await batch(master.url, 1, `paced-${i}`, custom, { id: warm.frameworkId, keep: true })).latencies[0]!);
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `  ${n} tasks of \`true\` through that executor, paced (at most ${rate}/s, one in flight): submit -> TASK_FINISHED p50 ${ms(pct(paced, 50))}  p90 ${ms(pct(paced, 90))}  max ${ms(Math.max(...paced))}; ${(n / seconds).toFixed(1)} tasks/s`,
    );
    const group = report('as one task group under the default executor (one executor start)', await batch(master.url, n, 'group', inOneGroup('group')));
    // What the agent's own process spent (its machine's steps, checkpoints, HTTP), less sensitive
    // to a loaded machine than the wall times above.
    const cpuPerTask = (cpuMs(agentPid) - cpuBefore) / (3 * n + 1);
    console.log(`  the agent process's CPU time: ${ms(cpuPerTask)} per task over the ${3 * n + 1} tasks`);
    return { atOnce, paced: { p50: pct(paced, 50), p90: pct(paced, 90) }, group, cpuPerTask };
  } finally {
    await agents.stop();
    await master.close();
  }
}

export async function main(args: string[] = []): Promise<void> {
  // Bad flags fail before anything runs.
  const checkpointModes = modes(args, 'checkpoint-modes', CHECKPOINT_MODES, ['group']);
  const linkModes = modes(args, 'link-modes', LINK_MODES, ['each', 'batch']);
  // `--only startup|tasks|executors|frameworks` (repeatable) runs those parts; all by default.
  const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? [a] : []));
  const part = (name: string) => only.length === 0 || only.includes(name);
  if (part('startup')) await startup(args);
  const floor = part('tasks') || part('executors') ? await spawnRates(arg(args, 'tasks', 30)) : undefined;
  if (part('tasks')) {
    const runs: [LinkMode, CommandFigures][] = [];
    for (const link of linkModes) runs.push([link, await realAgents(args, floor!, link)]);
    const [firstLink, first] = runs[0]!;
    for (const [link, r] of runs.slice(1)) {
      console.log(
        `link mode ${link} against ${firstLink}, same run: 1 task ${ratio(r.one, first.one)} the latency; ` +
          `${arg(args, 'tasks', 30)} at once ${ratio(r.rate, first.rate)} the tasks/s, ${ratio(r.p50, first.p50)} the p50`,
      );
    }
  }
  if (part('executors')) {
    const runs: [string, ExecutorFigures][] = [];
    for (const checkpoint of checkpointModes) {
      for (const link of linkModes) runs.push([`checkpoint ${checkpoint}, link ${link}`, await runningExecutor(args, floor!, checkpoint, link)]);
    }
    const [firstName, first] = runs[0]!;
    for (const [name, r] of runs.slice(1)) {
      console.log(
        `${name} against ${firstName}, same run: all at once ${ratio(r.atOnce.rate, first.atOnce.rate)} the tasks/s (${ratio(r.atOnce.launchRate, first.atOnce.launchRate)} from the ACCEPT), ` +
          `${ratio(r.atOnce.p50, first.atOnce.p50)} the p50; paced ${ratio(r.paced.p50, first.paced.p50)} the p50; ` +
          `task group ${ratio(r.group.rate, first.group.rate)} the tasks/s (${ratio(r.group.launchRate, first.group.launchRate)} from the ACCEPT), ${ratio(r.group.p50, first.group.p50)} the p50; ` +
          `agent CPU per task ${ratio(r.cpuPerTask, first.cpuPerTask)}`,
      );
    }
  }
  if (part('frameworks')) {
    await concurrentFrameworks(args, false);
    await concurrentFrameworks(args, true);
  }
}
