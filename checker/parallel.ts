/**
 * The parallel explorer: `workers` threads, one shared visited table (a SharedArrayBuffer filled
 * with atomic compare-and-swap, checker/parallel-table.ts), level-synchronous BFS.
 *
 * Each level, the frontier (every state first discovered at the previous depth) sits in shared
 * memory; workers claim chunks of it with an atomic counter, expand them, insert successors into
 * the shared table (one insertion of each fingerprint wins, so counts are those of one worker) and
 * check properties exactly as explore() does (checker/explore.ts). When every worker is done the
 * coordinator gathers their parts of the next level, resizes the table if the next level could
 * overfill it, and starts the next. A violation found at a level is at the depth of that level,
 * and no deeper level starts after it, so the first counterexample is still a shortest one
 * (several found at one level are equally short; the coordinator keeps the first reported).
 *
 * Each worker builds its own instance of the model from a module and an exported factory (a
 * model is code and cannot be sent to a thread). A model that interns values per instance shares
 * its interning through logs in shared memory (Model.shareInterning, checker/shared-log.ts).
 *
 * Not supported with workers: the onState/onTransition hooks. maxStates is checked between levels.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fingerprint } from './fingerprint.ts';
import { propertyVerdicts, searchBounds, summarize, type ExploreOptions, type ExploreResult, type StopReason } from './explore.ts';
import type { Model } from './model.ts';
import { insertShared, resizeShared, sharedTable } from './parallel-table.ts';
import type { Found, LevelDone, LevelJob, WorkerSetup } from './parallel-worker.ts';
import { rebuildTrace } from './rebuild.ts';
import { SharedStringLog } from './shared-log.ts';
import type { Trace } from './trace.ts';
import { FingerprintTable, NO_PARENT } from './visited.ts';

/** Where each worker gets the model: `(await import(module))[export](...args)`. */
export interface ModelSource {
  /** A file URL (or anything `import()` takes from checker/). */
  readonly module: string;
  readonly export: string;
  /** Plain data (structured-cloned to each worker). */
  readonly args: readonly unknown[];
}

export interface ParallelOptions extends Omit<ExploreOptions, 'onState' | 'onTransition'> {
  /** Worker threads (default: the number of cores). */
  workers?: number;
  /**
   * This thread's instance of the model, built by the caller from the same source and not used
   * yet (the caller then reads the traces' states with it: its interning is the shared one).
   * Default: one built from the source.
   */
  model?: Model;
  /**
   * The worker module as JavaScript (a bundle of parallel-worker.ts), for callers that do not
   * run from the TypeScript sources. Default: this file's parallel-worker.ts through tsx.
   */
  workerModule?: string;
}

function defaultWorkers(): number {
  return availableParallelism();
}

const LOAD = 0.9;

export async function exploreParallel(source: ModelSource, options: ParallelOptions = {}): Promise<ExploreResult> {
  if ((options as ExploreOptions).onState || (options as ExploreOptions).onTransition)
    throw new Error('exploreParallel: the onState and onTransition hooks need one worker (explore)');
  const nWorkers = Math.max(1, options.workers ?? defaultWorkers());
  const model = options.model ?? ((await import(source.module)) as Record<string, (...a: unknown[]) => Model>)[source.export]!(...source.args);
  const { symmetry, por, maxStates, maxDepth, timeoutMs, stopOnViolation, checkDeadlock } = searchBounds(model, options);
  // The cycle proviso asks whether a successor is new when its source is expanded: an order the
  // workers of one level do not share.
  if (por) throw new Error('exploreParallel: partial-order reduction needs one worker (explore)');
  const W = model.width;
  const props = model.properties;
  const log = model.shareInterning ? SharedStringLog.allocate(2) : null;
  if (log) model.shareInterning!(new SharedStringLog(log));

  const started = performance.now();
  const expected = options.table?.expectedStates;
  let data = sharedTable(expected ? FingerprintTable.capacityFor(expected, LOAD) : Math.max(16, options.table?.initialCapacity ?? 1 << 16));
  let resizes = 0;
  let resizeMs = 0;
  let stored = 0;
  const size = () => stored;
  const ensure = (needed: number) => {
    const cap = data.length / 3;
    if (needed <= cap * LOAD) return;
    const t = performance.now();
    // Grown by at least 1.3x, so a run of n states resizes O(log n) times.
    data = resizeShared(data, FingerprintTable.capacityFor(Math.max(needed, Math.ceil(size() * 1.3)), LOAD));
    resizes++;
    resizeMs += performance.now() - t;
  };

  const traces: (Trace | null)[] = props.map(() => null);
  const explanations: (string | undefined)[] = props.map(() => undefined);
  let deadlockTrace: Trace | null = null;
  let errorTrace: Trace | null = null;
  let errorExplanation = '';
  let stop: StopReason | null = null;
  const record = (f: Found) => {
    if (f.kind === 'deadlock') deadlockTrace ??= f.trace;
    else if (f.kind === 'error') {
      if (errorTrace === null) {
        errorTrace = f.trace;
        errorExplanation = f.explanation ?? '';
      }
    } else if (traces[f.index] === null) traces[f.index] = f.trace;
    const p = f.kind === 'property' ? props[f.index]! : null;
    if (stopOnViolation && (p === null || p.kind !== 'sometimes')) stop = 'violation';
  };

  // Initial states, in this thread.
  const fp = new Int32Array(2);
  const canon = new Int32Array(W);
  let frontierStates: Int32Array[] = [];
  let frontierLinks: number[] = [];
  const initial: Int32Array[] = [];
  model.init((s0) => initial.push(Int32Array.from(s0)));
  ensure(initial.length + 1);
  for (const s0 of initial) {
    if (symmetry) model.canonicalize!(s0, canon);
    fingerprint(symmetry ? canon : s0, 0, W, fp);
    if (!insertShared(data, fp[0]!, fp[1]!, NO_PARENT)) continue;
    stored++;
    frontierStates.push(s0);
    frontierLinks.push(fp[1]!);
    props.forEach((p, i) => {
      if (p.kind === 'eventually' || traces[i] !== null) return;
      const holds = p.holds(s0);
      if (p.kind === 'always' ? !holds : holds) {
        const t = FingerprintTable.view(data, size());
        record({ kind: 'property', index: i, trace: rebuildTrace(model, t, t.find(fp[0]!, fp[1]!), symmetry, 1) });
      }
    });
  }

  const claim = new Int32Array(new SharedArrayBuffer(8));
  const setup: WorkerSetup = { module: source.module, export: source.export, args: source.args, symmetry, checkDeadlock, stopOnViolation, log, claim };
  const workers = Array.from({ length: nWorkers }, () => new Worker(options.workerModule !== undefined ? new URL(options.workerModule) : workerEntry(), { workerData: setup }));
  const ready = (w: Worker) =>
    new Promise<unknown>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        w.off('error', reject);
        resolve(m);
      };
      w.once('message', onMessage);
      w.once('error', reject);
    });
  let transitions = 0;
  let terminal = 0;
  let stuck = 0;
  let quiescent = 0;
  let diameter = 0;
  let depth = 0;
  // Successors per expanded state, and the share of them that were new, at the last level: the
  // next level's new states are estimated from them (a table only more than full would fail).
  let avgSucc = 4;
  let newShare = 1;
  try {
    await Promise.all(workers.map(ready));
    let frontier = pack(frontierStates, frontierLinks, W);
    let count = frontierStates.length;
    frontierStates = [];
    frontierLinks = [];
    while (stop === null && count > 0) {
      diameter = depth;
      const probeOnly = depth >= maxDepth;
      if (!probeOnly) ensure(size() + Math.ceil(count * avgSucc * Math.min(1, newShare * 2 + 0.05)) + 64);
      Atomics.store(claim, 0, 0);
      Atomics.store(claim, 1, 0);
      const job: LevelJob = {
        data,
        size: stored,
        frontier,
        count,
        depth,
        probeOnly,
        settled: props.flatMap((_, i) => (traces[i] !== null ? [i] : [])),
        deadlockFound: deadlockTrace !== null,
        errorFound: errorTrace !== null,
      };
      const results = (await Promise.all(
        workers.map((w) => {
          const p = ready(w);
          w.postMessage(job);
          return p;
        }),
      )) as LevelDone[];
      let nextCount = 0;
      let expanded = 0;
      let levelTransitions = 0;
      let beyond = 0;
      for (const r of results) {
        nextCount += r.nextCount;
        if (!probeOnly) stored += r.nextCount;
        expanded += r.expanded;
        levelTransitions += r.transitions;
        terminal += r.terminal;
        stuck += r.stuck;
        quiescent += r.quiescent;
        beyond += r.unexploredBeyond;
        for (const f of r.found) record(f);
      }
      transitions += levelTransitions;
      if (expanded > 0) avgSucc = Math.max(1, levelTransitions / expanded);
      if (levelTransitions > 0) newShare = nextCount / levelTransitions;
      if (probeOnly) {
        if (stop === null && beyond > 0) stop = 'maxDepth';
        break;
      }
      if (stop !== null) break;
      const next = new Int32Array(new SharedArrayBuffer(Math.max(1, nextCount) * (W + 1) * 4));
      let at = 0;
      for (const r of results) {
        next.set(r.next, at);
        at += r.next.length;
      }
      frontier = next;
      count = nextCount;
      if (count > 0) diameter = depth + 1;
      depth++;
      const now = performance.now();
      if (count > 0 && now - started >= timeoutMs) stop = 'timeout';
      else if (count > 0 && size() >= maxStates) stop = 'maxStates';
      if (options.progress && count > 0) {
        const secs = (now - started) / 1000;
        options.progress({
          states: size(),
          transitions,
          queue: count,
          depth,
          elapsedMs: now - started,
          statesPerSecond: secs > 0 ? size() / secs : 0,
          rssBytes: process.memoryUsage.rss(),
          tableBytes: data.byteLength,
        });
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  model.syncShared?.(); // every id the workers interned, for whoever reads the traces
  if (stop === null) stop = 'complete';
  const complete = stop === 'complete';
  const states = size();
  const elapsedMs = performance.now() - started;
  const verdicts = propertyVerdicts(props, traces, complete, explanations);
  const dl = deadlockTrace as Trace | null;
  if (dl !== null)
    verdicts.push({ kind: 'deadlock', name: 'deadlock', status: 'violated', trace: dl, explanation: 'no action is enabled and the model does not call the state quiescent' });
  else verdicts.push({ kind: 'deadlock', name: 'deadlock', status: complete || !checkDeadlock ? 'none' : 'unrefuted' });
  const er = errorTrace as Trace | null;
  if (er !== null) verdicts.push({ kind: 'error', name: 'error', status: 'violated', trace: er, explanation: errorExplanation });
  else verdicts.push({ kind: 'error', name: 'error', status: 'none' });
  const failed = verdicts.some((v) => v.status === 'violated' || v.status === 'vacuous');
  const capacity = data.length / 3;
  return {
    model: model.name,
    complete,
    stoppedBy: stop,
    outcome: failed ? 'fail' : complete ? 'pass' : 'inconclusive',
    summary: summarize(stop, states, diameter, maxDepth),
    symmetry,
    por: false,
    reduced: 0,
    states,
    transitions,
    diameter,
    terminal,
    stuck,
    quiescent,
    elapsedMs,
    statesPerSecond: elapsedMs > 0 ? (states * 1000) / elapsedMs : 0,
    table: { capacity, bytes: data.byteLength, bytesPerState: states > 0 ? data.byteLength / states : 0, load: states / capacity, resizes, resizeMs },
    verdicts,
  };
}

/** The frontier as one shared array of `[link, ...words]` entries. */
function pack(states: readonly Int32Array[], links: readonly number[], W: number): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(Math.max(1, states.length) * (W + 1) * 4));
  states.forEach((s, i) => {
    out[i * (W + 1)] = links[i]!;
    out.set(s, i * (W + 1) + 1);
  });
  return out;
}

/**
 * Workers run TypeScript too, and loader hooks of this thread do not reach them (Node 20): the
 * entry registers tsx's loader, then imports the worker module.
 */
function workerEntry(): URL {
  const code = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('./parallel-worker.ts', import.meta.url).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
