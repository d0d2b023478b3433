/**
 * The explorer: exhaustive breadth-first search over a Model.
 *
 * - Visited set: 64-bit fingerprints (of the canonical form when symmetry is on) with a parent
 *   link each (checker/visited.ts). The frontier is packed state words, one level at a time
 *   (checker/frontier.ts). Nothing is allocated per transition.
 * - Every counterexample is a shortest one: states are discovered in BFS order and traces are
 *   rebuilt from parent links by re-execution (checker/rebuild.ts).
 *
 * What is checked, and when:
 * - `always` and `sometimes` properties on every distinct state when it is first discovered
 *   (initial states included). The first violation of an `always` property is at minimal depth.
 * - `eventually` properties on every *quiescent* state, and deadlocks on every *terminal*
 *   state, when the state is expanded (that needs its enabled actions). See checker/model.ts:
 *   enabled = candidate whose `next` returns true; terminal = nothing enabled; quiescent =
 *   `model.quiescent(s)`, or when undefined, no non-fault action enabled; deadlock = terminal and
 *   not quiescent (so only models that define `quiescent` can deadlock).
 *   Each kind's first counterexample is shortest for that kind; since a state is checked for
 *   `always` one level before it is expanded, an `always` violation at depth d+1 can be reported
 *   before an `eventually` one at depth d when both exist and the run stops at the first.
 * - Counted for every expanded state: terminal states (no enabled action) and stuck states (no
 *   enabled non-fault action; includes terminal ones), and quiescent states.
 *
 * Bounds (maxStates, maxDepth, timeoutMs) make a run incomplete: its verdicts then cover only
 * the states it explored and prove nothing beyond them (`complete: false`; `outcome` is
 * "inconclusive" unless something failed, and `summary` says so in words).
 */
import { AlwaysChecks } from './always-checks.ts';
import { fingerprint } from './fingerprint.ts';
import { Frontier } from './frontier.ts';
import { type Model, type Property, sameReads, tryStep, validateModel } from './model.ts';
import { rebuildTrace } from './rebuild.ts';
import type { Trace } from './trace.ts';
import { FingerprintTable, NO_PARENT, type TableOptions } from './visited.ts';

export interface ExploreProgress {
  states: number;
  transitions: number;
  /** States waiting to be expanded (rest of the current level plus the next level so far). */
  queue: number;
  /** BFS level being expanded. */
  depth: number;
  elapsedMs: number;
  statesPerSecond: number;
  rssBytes: number;
  tableBytes: number;
}

export interface ExploreOptions {
  /** Stop (incomplete) rather than store more than this many distinct states. */
  maxStates?: number;
  /** Do not expand states deeper than this (initial states have depth 0). */
  maxDepth?: number;
  /** Stop (incomplete) after about this long. */
  timeoutMs?: number;
  /** Use model.canonicalize (symmetry reduction). Default false. */
  symmetry?: boolean;
  /** Partial-order reduction with model.ample: explore only an ample set where the model offers one (see the cycle proviso below). Default false. */
  por?: boolean;
  /**
   * The cycle proviso of partial-order reduction: 'new' (the default) keeps an ample set only if
   * each of its successors is a new state. 'none' exists for the test that shows the proviso is
   * needed (a search without it ignores an action forever on a cycle and misses a violation).
   */
  porProviso?: 'new' | 'none';
  /** Stop at the first violation (default true). When false, the first (shortest) violation of each property is recorded and the search goes on. */
  stopOnViolation?: boolean;
  /** Report terminal non-quiescent states as deadlocks (default true; needs model.quiescent). */
  checkDeadlock?: boolean;
  /** Called about every `progressIntervalMs` (default 1000). */
  progress?: (p: ExploreProgress) => void;
  progressIntervalMs?: number;
  /**
   * Coverage hook: every transition generated (edge), including to already visited states.
   * Edges are generated a batch of states ahead, so a run that stops may report a few more.
   * Edges come in BFS order of their source, so the first edge with some feature comes from a
   * shallowest source: `witness()` rebuilds the shortest trace to `s` (re-execution, so call it
   * sparingly, e.g. once per new feature), and that trace plus `a` is a shortest trace taking
   * such an edge. `witness` is valid only during the call.
   */
  onTransition?: (s: Int32Array, a: number, out: Int32Array, witness: () => Trace) => void;
  /**
   * Coverage hook: every distinct state, when first discovered, with its BFS depth.
   * `witness()` rebuilds the shortest trace to it (as for onTransition; valid only during the call).
   */
  onState?: (s: Int32Array, depth: number, witness: () => Trace) => void;
  /** Visited table tuning (capacity hint, load limit, growth factor). */
  table?: TableOptions;
}

export type StopReason = 'complete' | 'violation' | 'maxStates' | 'maxDepth' | 'timeout';

export type Verdict =
  | { kind: 'always' | 'eventually'; name: string; status: 'holds' | 'unrefuted' }
  | { kind: 'always' | 'eventually'; name: string; status: 'violated'; trace: Trace; explanation?: string }
  | { kind: 'sometimes'; name: string; status: 'reachable'; trace: Trace }
  | { kind: 'sometimes'; name: string; status: 'vacuous' | 'unreached' }
  | { kind: 'deadlock'; name: 'deadlock'; status: 'none' | 'unrefuted' }
  | { kind: 'deadlock'; name: 'deadlock'; status: 'violated'; trace: Trace; explanation?: string }
  /** A step of the model threw: the trace leads to the state, the explanation names the action. */
  | { kind: 'error'; name: 'error'; status: 'none' }
  | { kind: 'error'; name: 'error'; status: 'violated'; trace: Trace; explanation: string };

export interface ExploreResult {
  model: string;
  /** True when every reachable state (within maxDepth if set and nothing lay beyond) was explored. */
  complete: boolean;
  stoppedBy: StopReason;
  /** 'pass': complete and nothing failed. 'fail': a violation, deadlock or vacuous `sometimes`. 'inconclusive': incomplete, nothing failed so far. */
  outcome: 'pass' | 'fail' | 'inconclusive';
  /** One sentence for humans; for incomplete runs it says what was and was not proved. */
  summary: string;
  symmetry: boolean;
  por: boolean;
  /** Expanded states whose successors were an ample set only (partial-order reduction). */
  reduced: number;
  states: number;
  transitions: number;
  /** Deepest BFS level with a discovered state. */
  diameter: number;
  /** Expanded states with no enabled action. */
  terminal: number;
  /** Expanded states with no enabled non-fault action (terminal ones included). */
  stuck: number;
  /** Expanded states that were quiescent (where `eventually` properties were checked). */
  quiescent: number;
  elapsedMs: number;
  statesPerSecond: number;
  /** The visited set (fingerprints and parent links): bytesPerState = bytes / states. */
  table: { capacity: number; bytes: number; bytesPerState: number; load: number; resizes: number; resizeMs: number };
  /** One per model property, in model order, then the deadlock and the error verdicts. */
  verdicts: Verdict[];
}

/** States expanded per batch (see the expansion loop). */
const BATCH = 64;

/** The options both explorers (this one and parallel.ts) read, with their defaults, for a valid model. */
export function searchBounds(model: Model, options: ExploreOptions) {
  validateModel(model);
  const symmetry = options.symmetry === true;
  if (symmetry && model.canonicalize === undefined) throw new Error(`model ${model.name}: symmetry requested but the model has no canonicalize`);
  const por = options.por === true;
  if (por && model.ample === undefined) throw new Error(`model ${model.name}: partial-order reduction requested but the model has no ample`);
  // Ample sets are chosen on concrete states and the cycle proviso asks for new states: with
  // canonical representatives in between, neither argument holds as it stands.
  if (por && symmetry) throw new Error(`model ${model.name}: partial-order reduction and symmetry cannot be combined`);
  return {
    symmetry,
    por,
    maxStates: options.maxStates ?? Infinity,
    maxDepth: options.maxDepth ?? Infinity,
    timeoutMs: options.timeoutMs ?? Infinity,
    stopOnViolation: options.stopOnViolation ?? true,
    checkDeadlock: (options.checkDeadlock ?? true) && model.quiescent !== undefined,
  };
}

export function explore(model: Model, options: ExploreOptions = {}): ExploreResult {
  const { symmetry, por, maxStates, maxDepth, timeoutMs, stopOnViolation, checkDeadlock } = searchBounds(model, options);
  const W = model.width;
  const progressEvery = options.progressIntervalMs ?? 1000;
  const { progress, onTransition, onState } = options;
  const hasFaults = model.isFault !== undefined;
  const hasQuiescent = model.quiescent !== undefined;

  const props = model.properties;
  const alwaysIdx: number[] = [];
  const eventuallyIdx: number[] = [];
  let pendingSometimes: number[] = [];
  props.forEach((p, i) => (p.kind === 'always' ? alwaysIdx : p.kind === 'eventually' ? eventuallyIdx : pendingSometimes).push(i));
  // Per property: the trace to its first violation (always, eventually) or witness (sometimes).
  const traces: Array<Trace | null> = props.map(() => null);
  let deadlockTrace: Trace | null = null;
  let errorTrace: Trace | null = null;
  let errorExplanation = '';

  const table = new FingerprintTable(options.table);
  let cur = new Frontier(W);
  let nxt = new Frontier(W);

  const s = new Int32Array(W);
  const canon = new Int32Array(W);
  const fp = new Int32Array(2);
  let acts = new Int32Array(64);
  let nActs = 0;
  const pushAction = (a: number): void => {
    if (nActs === acts.length) {
      const bigger = new Int32Array(acts.length * 2);
      bigger.set(acts);
      acts = bigger;
    }
    acts[nActs++] = a;
  };

  let transitions = 0;
  let terminal = 0;
  let stuck = 0;
  let quiescentCount = 0;
  let diameter = 0;
  let stop: StopReason | null = null;
  const started = performance.now();
  let lastProgress = started;

  let depth = 0;
  const trace = (slot: number): Trace => rebuildTrace(model, table, slot, symmetry, depth + 1);
  /** Trace to an already stored state (used when a state fails a check at expansion). */
  const traceOf = (state: Int32Array): Trace => {
    const f = new Int32Array(2);
    if (symmetry) {
      const c = new Int32Array(W);
      model.canonicalize!(state, c);
      fingerprint(c, 0, W, f);
    } else {
      fingerprint(state, 0, W, f);
    }
    return trace(table.find(f[0]!, f[1]!));
  };

  /** The `witness` argument of onTransition: the shortest trace to the state being expanded. */
  const witnessSource = (): Trace => traceOf(s);
  let discoveredSlot = -1;
  /** The `witness` argument of onState: the shortest trace to the state just discovered. */
  const witnessDiscovered = (): Trace => trace(discoveredSlot);

  /**
   * Always/sometimes checks on a newly discovered state, reached from `from` (null: an initial
   * state); false = stop now. A property that reads nothing `from` changed has `from`'s verdict
   * (model.ts, sameReads): `from` passed it, or the property would not be checked any more.
   */
  const reads = props.map((p) => (p.kind === 'eventually' ? undefined : p.reads));
  // The fast answer first (always-checks.ts); only where some property may fail, each in order.
  const always = new AlwaysChecks(props);
  const checkNew = (state: Int32Array, slot: number, from: Int32Array | null): boolean => {
    if (!always.allHold(state, from)) {
      for (let k = 0; k < alwaysIdx.length; k++) {
        const i = alwaysIdx[k]!;
        if (traces[i] !== null) continue;
        if (from !== null && sameReads(reads[i], state, from)) continue;
        if (!props[i]!.holds(state)) {
          traces[i] = trace(slot);
          always.settle(i);
          if (stopOnViolation) return false;
        }
      }
    }
    if (pendingSometimes.length > 0) {
      let found = false;
      for (let k = 0; k < pendingSometimes.length; k++) {
        const i = pendingSometimes[k]!;
        if ((from === null || !sameReads(reads[i], state, from)) && props[i]!.holds(state)) {
          traces[i] = trace(slot);
          found = true;
        }
      }
      // A new array only when a witness was found (once per property), not per state.
      if (found) pendingSometimes = pendingSometimes.filter((i) => traces[i] === null);
    }
    return true;
  };

  // Initial states.
  const initial: Int32Array[] = [];
  model.init((s0) => {
    if (s0.length !== W) throw new Error(`model ${model.name}: initial state has ${s0.length} words, width is ${W}`);
    initial.push(Int32Array.from(s0));
  });
  table.ensureRoom(initial.length);
  for (const s0 of initial) {
    if (symmetry) model.canonicalize!(s0, canon);
    fingerprint(symmetry ? canon : s0, 0, W, fp);
    if (table.size >= maxStates && table.find(fp[0]!, fp[1]!) < 0) {
      stop = 'maxStates';
      break;
    }
    const slot = table.add(fp[0]!, fp[1]!, NO_PARENT);
    if (slot < 0) continue;
    nxt.push(fp[1]!, s0);
    if (onState !== undefined) {
      discoveredSlot = slot;
      onState(s0, 0, witnessDiscovered);
    }
    if (!checkNew(s0, slot, null)) {
      stop = 'violation';
      break;
    }
  }

  // Expansion works in batches of BATCH states: generate all their successors and fingerprints
  // first, touch the successors' table positions (independent loads, so the CPU overlaps the
  // cache misses), then insert them in order. The order of insertions, hence parents, traces and
  // verdicts, is exactly that of one-state-at-a-time BFS.
  let succWords = new Int32Array(W * 1024);
  let succLo = new Int32Array(1024);
  let succHi = new Int32Array(1024);
  const growSucc = (n: number): void => {
    let cap = succLo.length;
    while (cap < n) cap *= 2;
    const w = new Int32Array(cap * W);
    w.set(succWords);
    succWords = w;
    succViews.length = 0;
    const l = new Int32Array(cap);
    l.set(succLo);
    succLo = l;
    const h = new Int32Array(cap);
    h.set(succHi);
    succHi = h;
    if (por) {
      const sa = new Int32Array(cap);
      sa.set(succAct);
      succAct = sa;
      const am = new Uint8Array(cap);
      am.set(succAmple);
      succAmple = am;
    }
  };
  // Successor k is written by the model straight into its place in succWords, through a view
  // made once per place (a copy in and a copy out per transition were a tenth of a run).
  const succViews: Int32Array[] = [];
  const succView = (k: number): Int32Array => succViews[k] ?? (succViews[k] = succWords.subarray(k * W, (k + 1) * W));
  const batchEnd = new Int32Array(BATCH);
  const batchEnabled = new Int32Array(BATCH);
  // Partial-order reduction: each successor's action, whether it is in its source's ample set,
  // and whether the source has a proper ample set.
  let succAct = new Int32Array(por ? 1024 : 0);
  let succAmple = new Uint8Array(por ? 1024 : 0);
  const batchReduced = new Uint8Array(BATCH);
  let enabledActs = new Int32Array(por ? 64 : 0);
  const ampleActs: number[] = [];
  const pushAmple = (a: number): void => void ampleActs.push(a);
  let reduced = 0;
  const batchNonFault = new Int32Array(BATCH);
  const batchLink = new Int32Array(BATCH);

  /** Whether the ample successors among [from, to) are all new: not in the table and not repeated. */
  const allNew = (from: number, to: number): boolean => {
    for (let k = from; k < to; k++) {
      if (succAmple[k] === 0) continue;
      if (table.find(succLo[k]!, succHi[k]!) >= 0) return false;
      for (let j = from; j < k; j++) if (succAmple[j] === 1 && succLo[j] === succLo[k] && succHi[j] === succHi[k]) return false;
    }
    return true;
  };

  let unexploredBeyond = 0;
  while (stop === null && nxt.length > 0) {
    const t = cur;
    cur = nxt;
    nxt = t;
    nxt.clear();
    diameter = depth;
    const probeOnly = depth >= maxDepth;
    const levelSize = cur.length;
    for (let first = 0; first < levelSize && stop === null; first += BATCH) {
      const last = Math.min(levelSize, first + BATCH);
      // 1. Generate.
      let nSucc = 0;
      for (let i = first; i < last; i++) {
        const b = i - first;
        batchLink[b] = cur.read(i, s);
        nActs = 0;
        model.actions(s, pushAction);
        if (nSucc + nActs > succLo.length) growSucc(nSucc + nActs);
        if (por && enabledActs.length < nActs) enabledActs = new Int32Array(acts.length);
        const firstSucc = nSucc;
        let enabled = 0;
        let enabledNonFault = 0;
        for (let k = 0; k < nActs; k++) {
          const a = acts[k]!;
          const out = succView(nSucc);
          out.set(s);
          const ok = tryStep(model, s, a, out);
          if (typeof ok === 'string') {
            if (errorTrace === null) {
              errorTrace = traceOf(s);
              errorExplanation = ok;
            }
            if (stopOnViolation) stop = 'violation';
            continue;
          }
          if (!ok) continue;
          enabled++;
          if (!hasFaults || !model.isFault!(a)) enabledNonFault++;
          if (onTransition !== undefined) onTransition(s, a, out, witnessSource);
          if (symmetry) model.canonicalize!(out, canon);
          fingerprint(symmetry ? canon : out, 0, W, fp);
          succLo[nSucc] = fp[0]!;
          succHi[nSucc] = fp[1]!;
          if (por) {
            succAct[nSucc] = a;
            succAmple[nSucc] = 0;
            enabledActs[enabled - 1] = a;
          }
          nSucc++;
        }
        batchEnd[b] = nSucc;
        batchEnabled[b] = enabled;
        batchReduced[b] = 0;
        if (por && enabled > 1 && !probeOnly) {
          ampleActs.length = 0;
          model.ample!(s, enabledActs, enabled, pushAmple);
          // C0: a proper, non-empty subset of the enabled actions; otherwise the state is expanded fully.
          if (ampleActs.length > 0 && ampleActs.length < enabled) {
            let marked = 0;
            for (let k = firstSucc; k < nSucc; k++) if (ampleActs.includes(succAct[k]!)) ((succAmple[k] = 1), marked++);
            if (marked > 0 && marked < enabled) batchReduced[b] = 1;
          }
        }
        batchNonFault[b] = enabledNonFault;
      }
      // 2. Touch. (Room is made per insertion, not for the whole batch: most successors are
      // already visited, and a table presized for the final count must not grow at the end.)
      table.touch(succHi, nSucc);
      // 3. Insert and check, state by state.
      let k = 0;
      for (let i = first; i < last; i++) {
        const b = i - first;
        const link = batchLink[b]!;
        const end = batchEnd[b]!;
        if (k < end) cur.read(i, s);
        // The cycle proviso: an ample set stands only if each of its successors is a state not
        // seen before (so it is expanded after this one: every cycle of the reduced graph has a
        // fully expanded state, and no action waits forever). Otherwise: every successor.
        const ampleOnly = batchReduced[b] === 1 && (options.porProviso === 'none' || allNew(k, end));
        if (ampleOnly) reduced++;
        for (; k < end; k++) {
          if (ampleOnly && succAmple[k] === 0) continue;
          transitions++;
          const lo = succLo[k]!;
          const hi = succHi[k]!;
          if (probeOnly) {
            if (table.find(lo, hi) < 0) unexploredBeyond++;
            continue;
          }
          if (table.size >= maxStates) {
            if (table.find(lo, hi) < 0) {
              stop = 'maxStates';
              break;
            }
            continue;
          }
          table.ensureRoom(1);
          const r = table.add(lo, hi, link);
          if (r < 0) continue;
          const out = succView(k);
          nxt.push(hi, out);
          if (onState !== undefined) {
            discoveredSlot = r;
            onState(out, depth + 1, witnessDiscovered);
          }
          if (!checkNew(out, r, s)) {
            stop = 'violation';
            break;
          }
        }
        if (stop !== null) break;

        // State-level checks: quiescence, eventually, deadlock.
        const enabled = batchEnabled[b]!;
        const enabledNonFault = batchNonFault[b]!;
        if (enabled === 0) terminal++;
        if (enabledNonFault === 0) stuck++;
        if (hasQuiescent || (enabledNonFault === 0 && eventuallyIdx.length > 0) || (enabled === 0 && checkDeadlock)) {
          cur.read(i, s);
          const quiet = hasQuiescent ? model.quiescent!(s) : enabledNonFault === 0;
          if (quiet) {
            quiescentCount++;
            for (let e = 0; e < eventuallyIdx.length; e++) {
              const pi = eventuallyIdx[e]!;
              if (traces[pi] !== null) continue;
              if (!props[pi]!.holds(s)) {
                traces[pi] = traceOf(s);
                if (stopOnViolation) stop = 'violation';
              }
            }
          } else if (enabled === 0 && checkDeadlock && deadlockTrace === null) {
            deadlockTrace = traceOf(s);
            if (stopOnViolation) stop = 'violation';
          }
        } else if (enabledNonFault === 0) {
          quiescentCount++;
        }
        if (stop !== null) break;
      }
      if (stop !== null) break;

      const now = performance.now();
      if (now - started >= timeoutMs) {
        stop = 'timeout';
        break;
      }
      if (progress !== undefined && now - lastProgress >= progressEvery) {
        lastProgress = now;
        const secs = (now - started) / 1000;
        progress({
          states: table.size,
          transitions,
          queue: levelSize - last + nxt.length,
          depth,
          elapsedMs: now - started,
          statesPerSecond: secs > 0 ? table.size / secs : 0,
          rssBytes: process.memoryUsage.rss(),
          tableBytes: table.bytes,
        });
      }
    }
    if (probeOnly) {
      if (stop === null && unexploredBeyond > 0) stop = 'maxDepth';
      break;
    }
    if (nxt.length > 0) diameter = depth + 1;
    cur.shrinkTo(nxt.length);
    depth++;
  }
  if (stop === null) stop = 'complete';
  const complete = stop === 'complete';

  const elapsedMs = performance.now() - started;
  const verdicts = propertyVerdicts(props, traces, complete);
  if (deadlockTrace !== null) {
    verdicts.push({
      kind: 'deadlock',
      name: 'deadlock',
      status: 'violated',
      trace: deadlockTrace,
      explanation: 'no action is enabled and the model does not call the state quiescent',
    });
  } else {
    verdicts.push({ kind: 'deadlock', name: 'deadlock', status: complete || !checkDeadlock ? 'none' : 'unrefuted' });
  }
  if (errorTrace !== null) verdicts.push({ kind: 'error', name: 'error', status: 'violated', trace: errorTrace, explanation: errorExplanation });
  else verdicts.push({ kind: 'error', name: 'error', status: 'none' });
  const failed = verdicts.some((v) => v.status === 'violated' || v.status === 'vacuous');
  const outcome = failed ? 'fail' : complete ? 'pass' : 'inconclusive';
  const statesPerSecond = elapsedMs > 0 ? (table.size * 1000) / elapsedMs : 0;
  return {
    model: model.name,
    complete,
    stoppedBy: stop,
    outcome,
    summary: summarize(stop, table.size, diameter, maxDepth),
    symmetry,
    por,
    reduced,
    states: table.size,
    transitions,
    diameter,
    terminal,
    stuck,
    quiescent: quiescentCount,
    elapsedMs,
    statesPerSecond,
    table: {
      capacity: table.capacity,
      bytes: table.bytes,
      bytesPerState: table.size > 0 ? table.bytes / table.size : 0,
      load: table.size / table.capacity,
      resizes: table.resizes,
      resizeMs: table.resizeMs,
    },
    verdicts,
  };
}

/**
 * The verdict of each property once the search has stopped: a trace found is a violation (or, for
 * `sometimes`, a witness); none found is a proof only when the search was complete. `explanations`
 * are those a search already wrote when it found the trace (a worker thread, say); otherwise the
 * property explains its last state itself.
 */
export function propertyVerdicts(
  props: readonly Property[],
  traces: readonly (Trace | null | undefined)[],
  complete: boolean,
  explanations: readonly (string | undefined)[] = [],
): Verdict[] {
  return props.map((p, i): Verdict => {
    const tr = traces[i] ?? null;
    if (p.kind === 'sometimes') {
      if (tr !== null) return { kind: 'sometimes', name: p.name, status: 'reachable', trace: tr };
      return { kind: 'sometimes', name: p.name, status: complete ? 'vacuous' : 'unreached' };
    }
    if (tr !== null) {
      const explanation = explanations[i] ?? p.explain?.(tr.states[tr.states.length - 1]!);
      return { kind: p.kind, name: p.name, status: 'violated', trace: tr, ...(explanation !== undefined ? { explanation } : {}) };
    }
    return { kind: p.kind, name: p.name, status: complete ? 'holds' : 'unrefuted' };
  });
}

export function summarize(stop: StopReason, states: number, diameter: number, maxDepth: number): string {
  const n = states.toLocaleString('en-US');
  switch (stop) {
    case 'complete':
      return maxDepth !== Infinity
        ? `complete: all ${n} reachable states explored (every state lies within depth ${maxDepth})`
        : `complete: all ${n} reachable states explored, diameter ${diameter}`;
    case 'violation':
      return `stopped at the first violation after ${n} states; the other verdicts cover only the explored states`;
    case 'maxStates':
      return `incomplete: stopped at maxStates after ${n} states (depth ${diameter}); it proves nothing beyond the states explored`;
    case 'maxDepth':
      return `incomplete: explored the ${n} states within depth ${maxDepth}; states lie beyond it, and nothing is proved about them`;
    case 'timeout':
      return `incomplete: timed out after ${n} states (depth ${diameter}); it proves nothing beyond the states explored`;
  }
}

/** Kinds of verdicts that mean the model failed. */
export function failedVerdicts(result: ExploreResult): Verdict[] {
  return result.verdicts.filter((v) => v.status === 'violated' || v.status === 'vacuous');
}
