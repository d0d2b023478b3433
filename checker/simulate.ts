/**
 * Simulation: seeded random walks, for configurations too large to exhaust.
 *
 * Walk number w of seed S uses its own PRNG stream `new Rng(S, w)` (checker/random.ts), so any
 * walk can be replayed alone from (seed, walk) with `replayWalk`, and produces exactly the same
 * states and actions. A walk starts at a random initial state and at every step:
 *
 * 1. checks `always` and `sometimes` properties on the state;
 * 2. computes every enabled successor (so quiescence and deadlocks are judged as in
 *    checker/explore.ts) and checks `eventually` properties if the state is quiescent, or
 *    reports a deadlock if it is terminal and not quiescent (only when the model defines
 *    `quiescent`);
 * 3. stops at maxDepth steps, at a terminal state, or at its first violation; else moves to a
 *    uniformly chosen enabled successor.
 *
 * Distinct states are counted with a fingerprint table (canonical forms with symmetry on).
 * Simulation proves nothing: a property that was not violated may still fail elsewhere, and a
 * `sometimes` property not reached is "unreached", never "vacuous".
 */
import { fingerprint } from './fingerprint.ts';
import type { Model } from './model.ts';
import { validateModel } from './model.ts';
import { Rng } from './random.ts';
import type { Trace } from './trace.ts';
import { FingerprintTable, NO_PARENT } from './visited.ts';

export interface SimulateOptions {
  /** Base seed (default 1). */
  seed?: number;
  /** Number of walks. Default 1000 when timeMs is not given either. */
  walks?: number;
  /** Stop starting new walks after this long. */
  timeMs?: number;
  /** Steps per walk at most (default 1000). */
  maxDepth?: number;
  /** Count distinct states up to symmetry (model.canonicalize). Does not change the walks. */
  symmetry?: boolean;
  /** Stop at the first violation (default true); else record the first of each property and go on. */
  stopOnViolation?: boolean;
  /** Report terminal non-quiescent states as deadlocks (default true; needs model.quiescent). */
  checkDeadlock?: boolean;
}

export interface WalkViolation {
  kind: 'always' | 'eventually' | 'deadlock';
  property: string;
  seed: number;
  walk: number;
  /** Steps from the initial state to the violating state. */
  depth: number;
  trace: Trace;
  explanation?: string;
  /** Exactly the options that make `replayWalk` reproduce this walk and violation. */
  replay: ReplayOptions;
}

export interface SimulationResult {
  model: string;
  seed: number;
  walks: number;
  steps: number;
  /** Distinct states seen over all walks (fingerprints; canonical when symmetry is on). */
  distinctStates: number;
  /** Longest walk, in steps. */
  longestWalk: number;
  elapsedMs: number;
  stepsPerSecond: number;
  stoppedBy: 'walks' | 'time' | 'violation';
  violations: WalkViolation[];
  sometimes: Array<{ name: string; status: 'reachable'; seed: number; walk: number; depth: number; trace: Trace } | { name: string; status: 'unreached' }>;
  summary: string;
}

interface WalkHit {
  kind: 'always' | 'eventually' | 'deadlock';
  /** Index in model.properties (-1 for deadlock). */
  property: number;
  depth: number;
}

interface WalkContext {
  model: Model;
  maxDepth: number;
  checkDeadlock: boolean;
  initial: Int32Array[];
  /** Properties still to watch: violated ones are skipped after the first violation. */
  skip: boolean[];
  /** Called for every state visited, with its depth; returns nothing. */
  visit: ((s: Int32Array, depth: number) => void) | null;
}

/**
 * One walk. Returns the first violation, or null. `record`, when given, receives every state and
 * action (the replay). The walk's choices depend only on (seed, walk, model, maxDepth).
 */
function runWalk(ctx: WalkContext, seed: number, walk: number, record: Trace | null): { hit: WalkHit | null; steps: number } {
  const { model, maxDepth, checkDeadlock, skip, visit } = ctx;
  const W = model.width;
  const rng = new Rng(seed, walk);
  let s: Int32Array = Int32Array.from(ctx.initial[rng.below(ctx.initial.length)]!);
  const props = model.properties;
  const candidates: number[] = [];
  const pushCandidate = (a: number): void => {
    candidates.push(a);
  };
  if (record) record.states.push(Int32Array.from(s));
  for (let depth = 0; ; depth++) {
    if (visit !== null) visit(s, depth);
    for (let i = 0; i < props.length; i++) {
      const p = props[i]!;
      if (p.kind === 'always' && !skip[i] && !p.holds(s)) return { hit: { kind: 'always', property: i, depth }, steps: depth };
    }
    candidates.length = 0;
    model.actions(s, pushCandidate);
    const succ: Int32Array[] = [];
    const succActions: number[] = [];
    let nonFault = 0;
    for (const a of candidates) {
      const out = Int32Array.from(s);
      if (!model.next(s, a, out)) continue;
      if (out.length !== W) throw new Error(`model ${model.name}: successor has the wrong width`);
      succ.push(out);
      succActions.push(a);
      if (model.isFault === undefined || !model.isFault(a)) nonFault++;
    }
    const quiet = model.quiescent !== undefined ? model.quiescent(s) : nonFault === 0;
    if (quiet) {
      for (let i = 0; i < props.length; i++) {
        const p = props[i]!;
        if (p.kind === 'eventually' && !skip[i] && !p.holds(s)) return { hit: { kind: 'eventually', property: i, depth }, steps: depth };
      }
    } else if (succ.length === 0 && checkDeadlock && !skip[props.length]) {
      return { hit: { kind: 'deadlock', property: -1, depth }, steps: depth };
    }
    if (depth >= maxDepth || succ.length === 0) return { hit: null, steps: depth };
    const j = rng.below(succ.length);
    s = succ[j]!;
    if (record) {
      record.actions.push(succActions[j]!);
      record.states.push(s);
    }
  }
}

function makeContext(model: Model, maxDepth: number, checkDeadlock: boolean): WalkContext {
  const initial: Int32Array[] = [];
  model.init((s0) => {
    if (s0.length !== model.width) throw new Error(`model ${model.name}: initial state has ${s0.length} words, width is ${model.width}`);
    initial.push(Int32Array.from(s0));
  });
  if (initial.length === 0) throw new Error(`model ${model.name}: no initial state`);
  return {
    model,
    maxDepth,
    checkDeadlock: checkDeadlock && model.quiescent !== undefined,
    initial,
    skip: new Array<boolean>(model.properties.length + 1).fill(false),
    visit: null,
  };
}

export interface ReplayOptions {
  seed: number;
  walk: number;
  /** Must be the maxDepth of the simulation that found the walk (default 1000, as in simulate). */
  maxDepth?: number;
  checkDeadlock?: boolean;
  /**
   * Properties (and 'deadlock') not checked during the replay. The walk's choices do not depend
   * on checks, only where it stops; a simulation with stopOnViolation false ignores properties
   * already violated in earlier walks, and says so in each violation's `replay`.
   */
  ignore?: string[];
}

/** Re-run one walk exactly; the trace ends at the walk's first violation, if any. */
export function replayWalk(model: Model, options: ReplayOptions): { trace: Trace; violation: WalkViolation | null } {
  validateModel(model);
  const maxDepth = options.maxDepth ?? 1000;
  const checkDeadlock = options.checkDeadlock ?? true;
  const ctx = makeContext(model, maxDepth, checkDeadlock);
  const ignore = options.ignore ?? [];
  model.properties.forEach((p, i) => (ctx.skip[i] = ignore.includes(p.name)));
  ctx.skip[model.properties.length] = ignore.includes('deadlock');
  const trace: Trace = { states: [], actions: [] };
  const { hit } = runWalk(ctx, options.seed, options.walk, trace);
  const replay: ReplayOptions = { seed: options.seed, walk: options.walk, maxDepth, checkDeadlock, ignore: [...ignore] };
  return { trace, violation: hit === null ? null : toViolation(model, hit, replay, trace) };
}

function toViolation(model: Model, hit: WalkHit, replay: ReplayOptions, trace: Trace): WalkViolation {
  const last = trace.states[trace.states.length - 1]!;
  const { seed, walk } = replay;
  if (hit.kind === 'deadlock') {
    return {
      kind: 'deadlock',
      property: 'deadlock',
      seed,
      walk,
      depth: hit.depth,
      trace,
      explanation: 'no action is enabled and the model does not call the state quiescent',
      replay,
    };
  }
  const p = model.properties[hit.property]!;
  const explanation = p.kind !== 'sometimes' ? p.explain?.(last) : undefined;
  return { kind: hit.kind, property: p.name, seed, walk, depth: hit.depth, trace, ...(explanation !== undefined ? { explanation } : {}), replay };
}

/** Names of the checks `skip` turns off, as ReplayOptions.ignore. */
function ignoredNames(model: Model, skip: boolean[]): string[] {
  const names = model.properties.filter((_, i) => skip[i]).map((p) => p.name);
  if (skip[model.properties.length]) names.push('deadlock');
  return names;
}

/** Random walks from the initial states; see the file comment. */
export function simulate(model: Model, options: SimulateOptions = {}): SimulationResult {
  validateModel(model);
  const seed = options.seed ?? 1;
  const maxDepth = options.maxDepth ?? 1000;
  const timeMs = options.timeMs ?? Infinity;
  const walks = options.walks ?? (options.timeMs === undefined ? 1000 : Infinity);
  const stopOnViolation = options.stopOnViolation ?? true;
  const checkDeadlock = options.checkDeadlock ?? true;
  const symmetry = options.symmetry === true;
  if (symmetry && model.canonicalize === undefined) throw new Error(`model ${model.name}: symmetry requested but the model has no canonicalize`);
  const ctx = makeContext(model, maxDepth, checkDeadlock);
  const W = model.width;
  const props = model.properties;

  const table = new FingerprintTable();
  const fp = new Int32Array(2);
  const canon = new Int32Array(W);
  const sometimesAt: Array<{ walk: number; depth: number } | null> = props.map(() => null);
  let currentWalk = 0;
  ctx.visit = (s, depth) => {
    if (symmetry) model.canonicalize!(s, canon);
    fingerprint(symmetry ? canon : s, 0, W, fp);
    table.ensureRoom(1);
    table.add(fp[0]!, fp[1]!, NO_PARENT);
    for (let i = 0; i < props.length; i++) {
      const p = props[i]!;
      if (p.kind === 'sometimes' && sometimesAt[i] === null && p.holds(s)) sometimesAt[i] = { walk: currentWalk, depth };
    }
  };

  const violations: WalkViolation[] = [];
  const started = performance.now();
  let steps = 0;
  let longestWalk = 0;
  let done = 0;
  let stoppedBy: SimulationResult['stoppedBy'] = 'walks';
  for (let w = 0; w < walks; w++) {
    if (performance.now() - started >= timeMs) {
      stoppedBy = 'time';
      break;
    }
    currentWalk = w;
    const { hit, steps: n } = runWalk(ctx, seed, w, null);
    done++;
    steps += n;
    if (n > longestWalk) longestWalk = n;
    if (hit !== null) {
      const { violation } = replayWalk(model, { seed, walk: w, maxDepth, checkDeadlock, ignore: ignoredNames(model, ctx.skip) });
      if (violation === null || violation.property !== (hit.property === -1 ? 'deadlock' : props[hit.property]!.name) || violation.depth !== hit.depth) {
        throw new Error(`simulation (${model.name}): walk ${w} of seed ${seed} did not replay the same way; is the model deterministic?`);
      }
      violations.push(violation);
      ctx.skip[hit.property === -1 ? props.length : hit.property] = true;
      if (stopOnViolation) {
        stoppedBy = 'violation';
        break;
      }
    }
  }
  const elapsedMs = performance.now() - started;

  const sometimes = props.flatMap((p, i): SimulationResult['sometimes'] => {
    if (p.kind !== 'sometimes') return [];
    const at = sometimesAt[i];
    if (at === null || at === undefined) return [{ name: p.name, status: 'unreached' }];
    // With every check off the walk runs its full course, which passes the witness's depth.
    const all = [...props.map((q) => q.name), 'deadlock'];
    const { trace } = replayWalk(model, { seed, walk: at.walk, maxDepth, checkDeadlock, ignore: all });
    trace.states.length = at.depth + 1;
    trace.actions.length = at.depth;
    return [{ name: p.name, status: 'reachable', seed, walk: at.walk, depth: at.depth, trace }];
  });

  const summary =
    `${done.toLocaleString('en-US')} random walks (seed ${seed}), ${steps.toLocaleString('en-US')} steps, ` +
    `${table.size.toLocaleString('en-US')} distinct states; ` +
    (violations.length > 0 ? `${violations.length} violation(s) found` : 'no violation found, which proves nothing about the states not visited');
  return {
    model: model.name,
    seed,
    walks: done,
    steps,
    distinctStates: table.size,
    longestWalk,
    elapsedMs,
    stepsPerSecond: elapsedMs > 0 ? (steps * 1000) / elapsedMs : 0,
    stoppedBy,
    violations,
    sometimes,
    summary,
  };
}
