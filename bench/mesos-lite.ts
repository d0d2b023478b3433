/**
 * Benchmark: mesos-ref's explorer against SPIN on the same state graph, MesosLite
 * (../shared/anchors: mesos_lite.pml for SPIN, checker/examples/mesos-lite for us, both the protocol of
 * MesosLite.tla), CPUS=2, QSZ=2, MAXCRASH=1, RETX=0.
 *
 *   node --import tsx bench/mesos-lite.ts                  1,1,2 and 1,2,1
 *   node --import tsx bench/mesos-lite.ts --large          also 2,1,2 and 2,2,1 (minutes)
 *   node --import tsx bench/mesos-lite.ts 2,1,1 1,1,2      the sizes given (A,F,T)
 *   node --import tsx bench/mesos-lite.ts --no-spin        our side only
 *
 * Each size also runs ours with two workers (checker/parallel.ts), and SPIN with hash compaction
 * (-DHC4) and with two cores (-DNCORE=2) beside its exact search; every ratio is printed (ours
 * with two workers against SPIN NCORE=2, ours with one against the others). SPIN applies its own
 * partial-order reduction in every mode (it is on by default); ours explores every interleaving.
 *
 * Both sides do the full check on one core: our BFS checks the three invariants on every state,
 * EndOK at quiescence and deadlocks; SPIN (-DSAFETY) checks the same as assertions plus invalid
 * end states. Each of our runs is a child process, so its peak RSS is its own.
 *
 * SPIN is Debian's package: installed with `apt-get install -y spin` if missing (as root). The
 * verifier is generated and compiled in a temporary directory with the anchors README's commands:
 *
 *   spin -DA=.. -DF=.. -DT=.. -DQSZ=2 -DRETX=0 -DMAXCRASH=1 -DCPUS=2 -a mesos_lite.pml
 *   gcc -O2 -DSAFETY -DMEMLIM=6000 -w -o pan pan.c
 *   ./pan -m2000000 -w24
 *
 * Time is each tool's own search time (SPIN's "elapsed time"; our explore() time), without
 * start-up or compilation. Bytes/state: ours is the visited set (64-bit fingerprints + parent
 * links: hash compaction, exact up to a ~n²/2^65 collision probability); SPIN's is its state
 * store ("actual memory usage for states", exact states, compressed), and in brackets its whole
 * reported memory (plus a fixed 128 MiB hash table and 107 MiB DFS stack) over the states.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { explore } from '../checker/explore.ts';
import { exploreParallel } from '../checker/parallel.ts';
import { mesosLiteModel } from '../checker/examples/mesos-lite/model.ts';

const PML = resolve(import.meta.dirname, '../../shared/anchors/mesos_lite.pml');

interface Size {
  A: number;
  F: number;
  T: number;
}

/** The anchors' table: TLC's distinct states and SPIN's stored states. */
const ANCHORS: Record<string, { tlc: number; spin: number }> = {
  '1,1,1': { tlc: 2_951, spin: 2_960 },
  '2,1,1': { tlc: 10_877, spin: 10_902 },
  '3,1,1': { tlc: 28_948, spin: 28_997 },
  '1,1,2': { tlc: 786_579, spin: 786_608 },
  '1,2,1': { tlc: 2_813_955, spin: 2_813_986 },
  '2,1,2': { tlc: 8_598_061, spin: 8_598_198 },
  '2,2,1': { tlc: 23_054_771, spin: 23_054_912 },
};
const DEFAULT_SIZES = ['1,1,2', '1,2,1'];
const LARGE_SIZES = ['2,1,2', '2,2,1'];

interface Ours {
  states: number;
  transitions: number;
  terminal: number;
  quiescent: number;
  outcome: string;
  ms: number;
  statesPerSecond: number;
  bytesPerState: number;
  tableMiB: number;
  peakRssMiB: number;
  xstateCalls: number;
  distinctLocals: number;
}

interface Spin {
  version: string;
  states: number;
  transitions: number;
  errors: number;
  seconds: number;
  statesPerSecond: number;
  stateMiB: number;
  totalMiB: number;
  peakRssMiB: number | null;
}

const label = (s: Size): string => `${s.A},${s.F},${s.T}`;
const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (x: number, y: number): string => `${fmt(x / y, 2)}x`;

function parseSize(text: string): Size {
  const m = /^(\d+),(\d+),(\d+)$/.exec(text);
  if (!m) throw new Error(`mesos-lite bench: a size is A,F,T (e.g. 1,2,1), got ${text}`);
  return { A: Number(m[1]), F: Number(m[2]), T: Number(m[3]) };
}

// ------------------------------------------------------------------------------------ ours

/** Runs in the child process: one exhaustive check, figures as one JSON line. */
async function runOurs(size: Size, workers: number, por = false): Promise<Ours> {
  const model = mesosLiteModel(size);
  const r =
    workers > 1
      ? await exploreParallel({ module: new URL('../checker/examples/mesos-lite/model.ts', import.meta.url).href, export: 'mesosLiteModel', args: [size] }, { workers, model })
      : explore(model, { por });
  if (!r.complete) throw new Error(`${r.model}: ${r.summary}`);
  return {
    states: r.states,
    transitions: r.transitions,
    terminal: r.terminal,
    quiescent: r.quiescent,
    outcome: r.outcome,
    ms: r.elapsedMs,
    statesPerSecond: r.statesPerSecond,
    bytesPerState: r.table.bytesPerState,
    tableMiB: r.table.bytes / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    xstateCalls: model.system.stats.xstateCalls,
    distinctLocals: model.system.distinctLocals,
  };
}

function ours(size: Size, workers = 1, por = false): Ours {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', label(size), String(workers), ...(por ? ['--por'] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`mesos-lite ${label(size)} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Ours;
}

// ------------------------------------------------------------------------------------ SPIN

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;

/** Makes sure `spin` and `gcc` exist (installing SPIN from Debian if need be); else says why not. */
function ensureSpin(): string | null {
  if (!has('spin')) {
    if (!has('apt-get')) return 'SPIN is not installed and apt-get is not available: install SPIN (https://spinroot.com) to compare';
    const root = process.getuid?.() === 0;
    if (!root) return 'SPIN is not installed and this is not root: run `apt-get install -y spin` to compare';
    console.log('  installing SPIN: apt-get install -y spin');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = spawnSync('apt-get', ['install', '-y', 'spin'], { encoding: 'utf8', env });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update'], { encoding: 'utf8', env });
      r = spawnSync('apt-get', ['install', '-y', 'spin'], { encoding: 'utf8', env });
    }
    if (r.status !== 0 || !has('spin')) return `apt-get install -y spin failed:\n${r.stderr.trim()}`;
  }
  if (!has('gcc')) return 'gcc is not installed: SPIN needs it to compile its verifier';
  if (!existsSync(PML)) return `the SPIN model ${PML} is missing`;
  return null;
}

function must(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Peak RSS of a child: GNU time if present, else VmHWM polled from /proc. */
async function runMeasured(cmd: string, args: string[], cwd: string): Promise<{ stdout: string; peakRssMiB: number | null }> {
  const { spawn } = await import('node:child_process');
  const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  const child = gnuTime ? spawn('/usr/bin/time', ['-f', 'maxrss-kb %M', cmd, ...args], { cwd }) : spawn(cmd, args, { cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let polled = 0;
  const poll = gnuTime
    ? null
    : setInterval(() => {
        try {
          const status = spawnSync('cat', [`/proc/${child.pid}/status`], { encoding: 'utf8' }).stdout;
          const m = /VmHWM:\s+(\d+) kB/.exec(status);
          if (m) polled = Math.max(polled, Number(m[1]));
        } catch {
          // gone
        }
      }, 50);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (poll) clearInterval(poll);
  if (code !== 0) throw new Error(`${cmd} failed (${code}):\n${stdout}\n${stderr}`);
  const m = /maxrss-kb (\d+)/.exec(stderr);
  const kb = m ? Number(m[1]) : polled;
  return { stdout, peakRssMiB: kb > 0 ? kb / 1024 : null };
}

function num(text: string, re: RegExp, what: string): number {
  const m = re.exec(text);
  if (!m) throw new Error(`could not find SPIN's ${what} in its output:\n${text}`);
  return Number(m[1]);
}

/** SPIN's search modes: exact (the anchors' commands), hash compaction (-DHC4), two cores (-DNCORE=2). */
type SpinMode = 'exact' | 'HC4' | 'NCORE=2';
const SPIN_FLAGS: Record<SpinMode, string[]> = { exact: [], HC4: ['-DHC4'], 'NCORE=2': ['-DNCORE=2'] };

async function spin(size: Size, dir: string, mode: SpinMode = 'exact'): Promise<Spin> {
  copyFileSync(PML, join(dir, 'mesos_lite.pml'));
  rmSync(join(dir, 'pan'), { force: true });
  must('spin', [`-DA=${size.A}`, `-DF=${size.F}`, `-DT=${size.T}`, '-DQSZ=2', '-DRETX=0', '-DMAXCRASH=1', '-DCPUS=2', '-a', 'mesos_lite.pml'], dir);
  must('gcc', ['-O2', '-DSAFETY', '-DMEMLIM=6000', ...SPIN_FLAGS[mode], '-w', '-o', 'pan', 'pan.c'], dir);
  const { stdout, peakRssMiB } = await runMeasured('./pan', ['-m2000000', '-w24'], dir);
  const states = num(stdout, /([\d.e+]+) states, stored/, 'stored states');
  // One core prints `pan: elapsed time`; NCORE=2 prints it per core (`cpu0: ...`; cpu0 ends last).
  const seconds = num(stdout, /(?:pan|cpu0): elapsed time ([\d.e+]+) seconds/, 'elapsed time');
  return {
    version: /Spin Version ([\d.]+)/.exec(stdout)?.[1] ?? '?',
    states,
    transitions: num(stdout, /([\d.e+]+) transitions \(= stored\+matched\)/, 'transitions'),
    errors: num(stdout, /errors: (\d+)/, 'error count'),
    seconds,
    statesPerSecond: states / seconds,
    stateMiB: num(stdout, /([\d.]+)\s+actual memory usage for states/, 'state memory'),
    totalMiB: num(stdout, /([\d.]+)\s+total actual memory usage/, 'total memory'),
    peakRssMiB,
  };
}

// ------------------------------------------------------------------------------------ main

export interface MesosLiteBenchResult {
  size: string;
  ours: Ours;
  spin: Spin | null;
}

export async function main(args: string[] = []): Promise<MesosLiteBenchResult[]> {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  for (const f of flags) if (!['--large', '--no-spin'].includes(f)) throw new Error(`mesos-lite bench: unknown flag ${f} (flags: --large, --no-spin)`);
  const given = args.filter((a) => !a.startsWith('--'));
  const sizes = (given.length > 0 ? given : [...DEFAULT_SIZES, ...(flags.has('--large') ? LARGE_SIZES : [])]).map(parseSize);

  console.log('MesosLite (../shared/anchors), CPUS=2 QSZ=2 MAXCRASH=1 RETX=0: mesos-ref explore() vs SPIN -DSAFETY, exhaustive, one core each');
  let spinProblem = flags.has('--no-spin') ? 'SPIN skipped (--no-spin)' : ensureSpin();
  if (spinProblem) console.log(`  ${spinProblem}; showing our side only`);
  const dir = spinProblem ? null : mkdtempSync(join(tmpdir(), 'mesos-lite-spin-'));
  const results: MesosLiteBenchResult[] = [];
  try {
    for (const size of sizes) {
      const key = label(size);
      const anchor = ANCHORS[key];
      console.log(`A,F,T=${key}`);
      const o = ours(size);
      console.log(
        `  mesos-ref   ${fmt(o.states).padStart(11)} states ${fmt(o.transitions).padStart(12)} transitions ${fmt(o.ms / 1000, 2).padStart(7)} s ` +
          `${fmt(o.statesPerSecond).padStart(9)} states/s ${fmt(o.bytesPerState, 1).padStart(6)} B/state (visited set + parents)  peak RSS ${fmt(o.peakRssMiB).padStart(5)} MiB  ` +
          `[${o.outcome}; ${fmt(o.xstateCalls)} XState steps for ${fmt(o.transitions)} transitions]`,
      );
      const o2 = ours(size, 2);
      console.log(
        `  mesos-ref, 2 workers ${fmt(o2.states).padStart(11)} states ${fmt(o2.ms / 1000, 2).padStart(7)} s ${fmt(o2.statesPerSecond).padStart(9)} states/s ${fmt(o2.bytesPerState, 1).padStart(6)} B/state  ` +
          `peak RSS ${fmt(o2.peakRssMiB).padStart(5)} MiB  [${o2.outcome}; ${o2.states === o.states ? 'same states as one worker' : 'DIFFERENT states from one worker'}; ${ratio(o2.statesPerSecond, o.statesPerSecond)} one worker's states/s]`,
      );
      const op = ours(size, 1, true);
      console.log(
        `  mesos-ref, --por    ${fmt(op.states).padStart(11)} states ${fmt(op.ms / 1000, 2).padStart(7)} s ${fmt(op.statesPerSecond).padStart(9)} states/s ${fmt(op.bytesPerState, 1).padStart(6)} B/state  ` +
          `[${op.outcome}; partial-order reduction: ${fmt(op.states)} states with, ${fmt(o.states)} without (${ratio(o.states, op.states)} fewer); quiescent ${op.quiescent === o.quiescent ? 'the same' : 'DIFFERENT'}]`,
      );
      let s: Spin | null = null;
      for (const mode of dir ? (['exact', 'HC4', 'NCORE=2'] as const) : []) {
        let m: Spin;
        try {
          m = await spin(size, dir!, mode);
        } catch (e) {
          console.log(`  SPIN ${mode} failed: ${(e as Error).message.split('\n')[0]}`);
          continue;
        }
        if (mode === 'exact') s = m;
        console.log(
          `  SPIN ${m.version} ${mode.padEnd(7)} ${fmt(m.states).padStart(11)} states ${fmt(m.transitions).padStart(12)} transitions ${fmt(m.seconds, 2).padStart(7)} s ` +
            `${fmt(m.statesPerSecond).padStart(9)} states/s ${fmt((m.stateMiB * 2 ** 20) / m.states, 1).padStart(6)} B/state (state store; ${fmt((m.totalMiB * 2 ** 20) / m.states, 1)} all reported memory)  ` +
            `peak RSS ${m.peakRssMiB === null ? '?' : fmt(m.peakRssMiB).padStart(5)} MiB  [errors: ${m.errors}]`,
        );
        const mine = mode === 'NCORE=2' ? o2 : o;
        console.log(
          `    ours${mode === 'NCORE=2' ? ' (2 workers)' : ''}/SPIN ${mode}: states/s ${ratio(mine.statesPerSecond, m.statesPerSecond)}, time ${ratio(mine.ms / 1000, m.seconds)}, ` +
            `bytes/state ${ratio(mine.bytesPerState, (m.stateMiB * 2 ** 20) / m.states)} (vs its state store), peak RSS ${m.peakRssMiB === null ? '?' : ratio(mine.peakRssMiB, m.peakRssMiB)}`,
        );
      }
      // The counts: ours must be TLC's exactly; SPIN stores 1 + 2 per terminal state more.
      const checks: string[] = [];
      if (anchor) checks.push(o.states === anchor.tlc ? `ours = TLC's ${fmt(anchor.tlc)} exactly` : `ours ${fmt(o.states)} != TLC's ${fmt(anchor.tlc)}: WRONG`);
      if (s) {
        const extra = s.states - o.states;
        const explained = extra === 1 + 2 * o.terminal;
        checks.push(
          `SPIN stores ${fmt(extra)} more (${fmt(s.states)}${anchor ? (s.states === anchor.spin ? ", as in the anchors' table" : `, the anchors' table says ${fmt(anchor.spin)}: MISMATCH`) : ''})` +
            (explained ? `: its init's start-up state + 2 for each of the ${o.terminal} terminal states (its timeout check)` : ''),
        );
        checks.push(`and counts ${fmt(s.transitions - o.transitions)} more transitions`);
      }
      if (o.outcome !== 'pass') checks.push(`our verdict is ${o.outcome}: WRONG`);
      console.log(`  check: ${checks.join('; ')}`);
      results.push({ size: key, ours: o, spin: s });
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  if (results.length > 1 && results.every((r) => r.spin)) {
    const line = results.map((r) => `${r.size}: ${ratio(r.ours.statesPerSecond, r.spin!.statesPerSecond)}`).join(', ');
    console.log(`states/s, ours/SPIN: ${line}`);
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await runOurs(parseSize(args[1]!), Number(args[2] ?? 1), args[3] === '--por')));
  } else {
    await main(args);
  }
}
