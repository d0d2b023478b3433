/**
 * One worker thread of the parallel explorer (checker/parallel.ts): it builds its own instance
 * of the model, then for each BFS level takes chunks of the shared frontier, expands them,
 * inserts successors into the shared visited table, checks properties as explore() does, and
 * hands back its part of the next level, its counts and the counterexamples it found.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AlwaysChecks } from './always-checks.ts';
import { fingerprint } from './fingerprint.ts';
import { Frontier } from './frontier.ts';
import { sameReads, tryStep, type Model } from './model.ts';
import { hasShared, insertShared } from './parallel-table.ts';
import { rebuildTrace } from './rebuild.ts';
import { SharedStringLog, type SharedLogBuffers } from './shared-log.ts';
import type { Trace } from './trace.ts';
import { FingerprintTable } from './visited.ts';

export interface WorkerSetup {
  readonly module: string;
  readonly export: string;
  readonly args: readonly unknown[];
  readonly symmetry: boolean;
  readonly checkDeadlock: boolean;
  readonly stopOnViolation: boolean;
  readonly log: SharedLogBuffers | null;
  /** [0] the next frontier index to claim, [1] 1 = stop claiming (a violation, with stopOnViolation). */
  readonly claim: Int32Array;
}

export interface LevelJob {
  readonly data: Int32Array;
  /** Entries in the table when the level started (for trace rebuilding). */
  readonly size: number;
  readonly frontier: Int32Array;
  readonly count: number;
  readonly depth: number;
  readonly probeOnly: boolean;
  /** Property indices already violated or witnessed (not worth another trace). */
  readonly settled: readonly number[];
  readonly deadlockFound: boolean;
  readonly errorFound: boolean;
}

export interface Found {
  readonly kind: 'property' | 'deadlock' | 'error';
  readonly index: number;
  readonly trace: Trace;
  readonly explanation?: string;
}

export interface LevelDone {
  readonly next: Int32Array;
  readonly nextCount: number;
  readonly expanded: number;
  readonly transitions: number;
  readonly terminal: number;
  readonly stuck: number;
  readonly quiescent: number;
  readonly unexploredBeyond: number;
  readonly found: readonly Found[];
}

/** States claimed at a time. */
const CHUNK = 64;

async function main(): Promise<void> {
  const setup = workerData as WorkerSetup;
  const factory = (await import(setup.module))[setup.export] as (...args: unknown[]) => Model;
  const model = factory(...setup.args);
  if (setup.log && model.shareInterning) model.shareInterning(new SharedStringLog(setup.log));
  const W = model.width;
  const props = model.properties;
  const hasFaults = model.isFault !== undefined;
  const hasQuiescent = model.quiescent !== undefined;
  const s = new Int32Array(W);
  const out = new Int32Array(W);
  const canon = setup.symmetry ? new Int32Array(W) : out;
  const fp = new Int32Array(2);
  const acts: number[] = [];
  const push = (a: number) => acts.push(a);
  const always = new AlwaysChecks(props);

  parentPort!.on('message', (job: LevelJob) => {
    model.syncShared?.();
    const { data, frontier, count, depth, probeOnly } = job;
    const view = () => FingerprintTable.view(data, job.size + next.length);
    const settled = new Set(job.settled);
    for (const p of settled) always.settle(p);
    let deadlockFound = job.deadlockFound;
    let errorFound = job.errorFound;
    const found: Found[] = [];
    const next = new Frontier(W);
    const stride = W + 1;
    let expanded = 0;
    let transitions = 0;
    let terminal = 0;
    let stuck = 0;
    let quiescent = 0;
    let unexploredBeyond = 0;
    const traceOf = (state: Int32Array): Trace => {
      const f = new Int32Array(2);
      if (setup.symmetry) {
        const c = new Int32Array(W);
        model.canonicalize!(state, c);
        fingerprint(c, 0, W, f);
      } else fingerprint(state, 0, W, f);
      const t = view();
      return rebuildTrace(model, t, t.find(f[0]!, f[1]!), setup.symmetry, depth + 1);
    };
    const stopAll = () => {
      if (setup.stopOnViolation) Atomics.store(setup.claim, 1, 1);
    };
    for (;;) {
      if (Atomics.load(setup.claim, 1) === 1) break;
      const first = Atomics.add(setup.claim, 0, CHUNK);
      if (first >= count) break;
      const last = Math.min(count, first + CHUNK);
      for (let i = first; i < last; i++) {
        const base = i * stride;
        const link = frontier[base]!;
        for (let w = 0; w < W; w++) s[w] = frontier[base + 1 + w]!;
        expanded++;
        acts.length = 0;
        model.actions(s, push);
        let enabled = 0;
        let enabledNonFault = 0;
        for (let k = 0; k < acts.length; k++) {
          const a = acts[k]!;
          for (let w = 0; w < W; w++) out[w] = s[w]!;
          const ok = tryStep(model, s, a, out);
          if (typeof ok === 'string') {
            if (!errorFound) {
              errorFound = true;
              found.push({ kind: 'error', index: 0, trace: traceOf(s), explanation: ok });
              stopAll();
            }
            continue;
          }
          if (!ok) continue;
          enabled++;
          if (!hasFaults || !model.isFault!(a)) enabledNonFault++;
          transitions++;
          if (setup.symmetry) model.canonicalize!(out, canon);
          fingerprint(canon, 0, W, fp);
          const lo = fp[0]!;
          const hi = fp[1]!;
          if (probeOnly) {
            if (!hasShared(data, lo, hi)) unexploredBeyond++;
            continue;
          }
          if (!insertShared(data, lo, hi, link)) continue;
          next.push(hi, out);
          // Where every always property surely holds (always-checks.ts), only the sometimes ones are asked.
          const alwaysHold = always.allHold(out, s);
          for (let p = 0; p < props.length; p++) {
            const prop = props[p]!;
            if (prop.kind === 'eventually' || settled.has(p) || (alwaysHold && prop.kind === 'always')) continue;
            // Nothing it reads moved: the verdict of `s`, which passed it (explore.ts, checkNew).
            if (sameReads(prop.reads, out, s)) continue;
            const holds = prop.holds(out);
            if (prop.kind === 'always' ? !holds : holds) {
              settled.add(p);
              always.settle(p);
              const t = view();
              found.push({ kind: 'property', index: p, trace: rebuildTrace(model, t, t.find(lo, hi), setup.symmetry, depth + 1) });
              if (prop.kind === 'always') stopAll();
            }
          }
        }
        if (enabled === 0) terminal++;
        if (enabledNonFault === 0) stuck++;
        const quiet = hasQuiescent ? model.quiescent!(s) : enabledNonFault === 0;
        if (quiet) {
          quiescent++;
          for (let p = 0; p < props.length; p++) {
            const prop = props[p]!;
            if (prop.kind !== 'eventually' || settled.has(p)) continue;
            if (!prop.holds(s)) {
              settled.add(p);
              found.push({ kind: 'property', index: p, trace: traceOf(s) });
              stopAll();
            }
          }
        } else if (enabled === 0 && setup.checkDeadlock && !deadlockFound) {
          deadlockFound = true;
          found.push({ kind: 'deadlock', index: 0, trace: traceOf(s) });
          stopAll();
        }
      }
    }
    const words = next.data.slice(0, next.length * stride);
    const done: LevelDone = { next: words, nextCount: next.length, expanded, transitions, terminal, stuck, quiescent, unexploredBeyond, found };
    parentPort!.postMessage(done, [words.buffer]);
  });
  parentPort!.postMessage('ready');
}

await main();
