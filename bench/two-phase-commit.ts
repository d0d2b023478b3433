/**
 * Benchmark: exhaustive search of two-phase commit (checker/examples/two-phase-commit.ts).
 *
 *   node --import tsx bench/two-phase-commit.ts          all runs, a table at the end
 *   node --import tsx bench/two-phase-commit.ts 9        only the 9-RM run (9-w2: two workers; 9-presized)
 *
 * Each run is a child process of its own, so its peak RSS is its own. Figures: distinct states,
 * transitions, time, distinct states/s, bytes/state of the visited set + parent links, peak RSS.
 * The baseline is the same BFS with a JavaScript Set of string keys and a Map of parent keys (the
 * design the checker replaces), on 7 and 8 RMs; the ratio compares states/s and bytes/state.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { explore, type ExploreResult } from '../checker/explore.ts';
import { exploreParallel } from '../checker/parallel.ts';
import { twoPhaseCommit } from '../checker/examples/two-phase-commit.ts';

interface Figures {
  name: string;
  states: number;
  transitions: number;
  ms: number;
  statesPerSecond: number;
  bytesPerState: number;
  peakRssMB: number;
  note: string;
}

const RUNS: Record<string, () => Figures | Promise<Figures>> = {
  '7': () => checker(7, false),
  '8': () => checker(8, false),
  '9': () => checker(9, false),
  '9-w2': () => parallel(9, 2),
  '9-presized': () => checker(9, false, 10_340_352),
  '9-sym': () => checker(9, true),
  '12-sym': () => checker(12, true),
  'set-7': () => baseline(7),
  'set-8': () => baseline(8),
};

function checker(n: number, symmetry: boolean, expectedStates?: number): Figures {
  const r = explore(twoPhaseCommit(n), { symmetry, ...(expectedStates ? { table: { expectedStates } } : {}) });
  return figures(r, `checker, ${n} RMs${symmetry ? ', symmetry' : ''}${expectedStates ? ', presized' : ''}`);
}

/** The parallel explorer, `workers` threads. */
async function parallel(n: number, workers: number): Promise<Figures> {
  const r = await exploreParallel({ module: new URL('../checker/examples/two-phase-commit.ts', import.meta.url).href, export: 'twoPhaseCommit', args: [n] }, { workers });
  return figures(r, `checker, ${n} RMs, ${workers} workers`);
}

function figures(r: ExploreResult, name: string): Figures {
  if (!r.complete || r.outcome !== 'pass') throw new Error(`${r.model}: ${r.summary}`);
  return {
    name,
    states: r.states,
    transitions: r.transitions,
    ms: r.elapsedMs,
    statesPerSecond: r.statesPerSecond,
    bytesPerState: r.table.bytesPerState,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    note: `diameter ${r.diameter}, table ${(r.table.bytes / 2 ** 20).toFixed(0)} MiB at load ${r.table.load.toFixed(3)}, ${r.table.resizes} resizes taking ${(r.table.resizeMs / 1000).toFixed(2)} s`,
  };
}

/** The naive design: Set<string> of visited states, Map<string, string> of parents, arrays of states. */
function baseline(n: number): Figures {
  const model = twoPhaseCommit(n);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const key = (s: Int32Array): string => `${s[0]},${s[1]}`;
  const seen = new Set<string>();
  const parent = new Map<string, string>();
  let level: Int32Array[] = [];
  model.init((s) => {
    const k = key(s);
    if (!seen.has(k)) {
      seen.add(k);
      parent.set(k, '');
      level.push(Int32Array.from(s));
    }
  });
  let transitions = 0;
  const acts: number[] = [];
  while (level.length > 0) {
    const next: Int32Array[] = [];
    for (const s of level) {
      acts.length = 0;
      model.actions(s, (a) => acts.push(a));
      const ks = key(s);
      for (const a of acts) {
        const out = Int32Array.from(s);
        if (!model.next(s, a, out)) continue;
        transitions++;
        const k = key(out);
        if (seen.has(k)) continue;
        seen.add(k);
        parent.set(k, ks);
        for (const p of model.properties) if (p.kind === 'always' && !p.holds(out)) throw new Error('violation');
        next.push(out);
      }
    }
    level = next;
  }
  const ms = performance.now() - started;
  level = [];
  gc?.();
  const bytes = process.memoryUsage().heapUsed - heapBefore;
  return {
    name: `baseline Set<string>, ${n} RMs`,
    states: seen.size,
    transitions,
    ms,
    statesPerSecond: (seen.size * 1000) / ms,
    bytesPerState: bytes / seen.size,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    note: gc ? 'bytes = heap growth after GC (visited set + parent map)' : 'run with --expose-gc for the bytes figure',
  };
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function runChild(run: string): Figures {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', run], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`run ${run} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Figures;
}

export async function main(only: string[] = []): Promise<Figures[]> {
  const runs = only.length > 0 ? only : ['set-7', '7', 'set-8', '8', '9', '9-presized', '9-w2', '9-sym', '12-sym'];
  const results: Figures[] = [];
  console.log('two-phase commit, exhaustive BFS, one core unless it says workers');
  for (const run of runs) {
    if (!(run in RUNS)) throw new Error(`unknown run ${run}; runs: ${Object.keys(RUNS).join(', ')}`);
    const f = runChild(run);
    results.push(f);
    console.log(
      `${f.name.padEnd(32)} ${fmt(f.states).padStart(11)} states ${fmt(f.transitions).padStart(12)} transitions ` +
        `${fmt(f.ms / 1000, 2).padStart(7)} s ${fmt(f.statesPerSecond).padStart(10)} states/s ` +
        `${fmt(f.bytesPerState, 1).padStart(6)} B/state  peak RSS ${fmt(f.peakRssMB).padStart(5)} MiB  (${f.note})`,
    );
  }
  for (const n of [7, 8]) {
    const base = results.find((r) => r.name === `baseline Set<string>, ${n} RMs`);
    const ours = results.find((r) => r.name === `checker, ${n} RMs`);
    if (base && ours) {
      console.log(
        `${n} RMs: checker vs Set<string> baseline: ${fmt(ours.statesPerSecond / base.statesPerSecond, 1)}x the states/s, ` +
          `${fmt(base.bytesPerState / ours.bytesPerState, 1)}x fewer bytes/state, ${fmt(base.peakRssMB / ours.peakRssMB, 1)}x less peak RSS`,
      );
    }
  }
  console.log('partial-order reduction (--por): not applicable here (the two-phase commit model offers no ample sets); every figure above is without it');
  const nine = results.find((r) => r.name === 'checker, 9 RMs');
  if (nine) {
    console.log(`goal at 9 RMs: >= 500,000 states/s (got ${fmt(nine.statesPerSecond)}), <= 16 bytes/state (got ${fmt(nine.bytesPerState, 2)})`);
  }
  const presized = results.find((r) => r.name === 'checker, 9 RMs, presized');
  const two = results.find((r) => r.name === 'checker, 9 RMs, 2 workers');
  if (nine && presized)
    console.log(`9 RMs presized (--expect-states): ${fmt(presized.statesPerSecond / nine.statesPerSecond, 2)}x the states/s, ${fmt(presized.bytesPerState, 1)} B/state`);
  if (nine && two) console.log(`9 RMs, 2 workers against one: ${fmt(two.statesPerSecond / nine.statesPerSecond, 2)}x the states/s (goal 1.7x on 2 cores)`);
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await RUNS[args[1]!]!()));
  } else {
    await main(args);
  }
}
