/**
 * The model interface: all the checker knows about a protocol.
 *
 * In the spirit of Stateright and TLC, tuned for speed in JavaScript: a state is a fixed-width
 * `Int32Array` of `width` words and an action is a non-negative integer, so the explorer keeps
 * states packed in typed arrays and never allocates per transition.
 *
 * Contract (the checker relies on it; breaking it gives wrong counts, not errors):
 * - `next` is a pure function of `(s, a)`: the same state and action always give the same
 *   successor. Traces are rebuilt by re-execution, so a nondeterministic `next` is detected
 *   (the rebuild throws) but a stateful one silently corrupts counts.
 * - The arrays handed to the model (`s`, `out`, and the states `init` pushes, which are copied)
 *   are scratch buffers reused by the checker: read them during the call, copy if you keep them.
 * - When `next` is called, `out` already holds a copy of `s`: write only the words that change.
 * - `actions` may push candidates that turn out disabled; `next` returning `false` says so.
 *   Pushing only enabled actions is faster.
 * - With symmetry on, `canonicalize` must map every state of an orbit to one representative of
 *   width `width`, and every property must be invariant under the symmetry (a property that
 *   tells interchangeable components apart makes the reduction unsound).
 *
 * Vocabulary used throughout the checker (see checker/explore.ts):
 * - an action `a` is *enabled* in `s` when `a` is among `actions(s)` and `next(s, a, out)`
 *   returns true;
 * - a state is *terminal* when no action at all is enabled;
 * - a state is *quiescent* when `model.quiescent(s)` says so or, if the model does not define
 *   `quiescent`, when no non-fault action is enabled (faults: `isFault`);
 * - a *deadlock* is a terminal state that is not quiescent. With the default `quiescent` every
 *   terminal state is quiescent, so deadlock detection is opt-in: a model that wants it says
 *   which states are acceptable ends by defining `quiescent`.
 */

export interface Model {
  readonly name: string;
  /** Int32 words per state. */
  readonly width: number;
  /** Push every initial state (the array is copied; it may be reused between pushes). */
  init(push: (s: Int32Array) => void): void;
  /** Push the candidate actions of `s` (non-negative integers). */
  actions(s: Int32Array, push: (a: number) => void): void;
  /** Write the successor of `s` by `a` into `out` (pre-filled with a copy of `s`); false = `a` is not enabled. */
  next(s: Int32Array, a: number, out: Int32Array): boolean;
  readonly properties: readonly Property[];
  /** Actions that are faults (message loss, crashes): they do not count when judging quiescence. */
  isFault?(a: number): boolean;
  /** Default: no non-fault action is enabled. Defining it also turns on deadlock detection. */
  quiescent?(s: Int32Array): boolean;
  /** Symmetry reduction: write the canonical representative of `s`'s orbit into `out`. */
  canonicalize?(s: Int32Array, out: Int32Array): void;
  /**
   * Partial-order reduction (`explore(model, { por: true })`): push a subset of the enabled
   * actions `enabled[0..n)` of `s` that is safe to explore alone, or push nothing. Safe means
   * (Clarke, Grumberg and Peled's ample-set conditions C1 and C2): every action outside the subset
   * that can happen before one of the subset does is independent of all of the subset, and each
   * action of the subset is invisible (no `always` or `sometimes` property can tell its source
   * from its target). For the eventually-properties and deadlocks to keep their verdicts, no
   * quiescent or terminal state may be reachable from `s` without an action of the subset (e.g.
   * the subset takes a message that only it can take). The checker adds C0 (a non-empty, proper
   * subset) and the cycle proviso (see checker/explore.ts).
   */
  ample?(s: Int32Array, enabled: Int32Array, n: number, push: (a: number) => void): void;
  /** One line naming action `a` taken in state `s` (for traces). */
  formatAction(s: Int32Array, a: number): string;
  /** A JSON-friendly view of a state (for --json traces). */
  formatState?(s: Int32Array): unknown;
  /**
   * Parallel workers (checker/parallel.ts) each build their own instance of the model. A model
   * whose state words name values it interns per instance (local states, events) must give them
   * the same ids in every worker: `shareInterning` hands it logs shared by all workers (called
   * once, before `init`), `syncShared` asks it to take in what others interned (at every level).
   */
  shareInterning?(shared: SharedInterner): void;
  syncShared?(): void;
}

/** Append-only logs of keys shared by all workers (checker/shared-log.ts); an id is a position. */
export interface SharedInterner {
  intern(table: number, key: string): number;
  size(table: number): number;
  entry(table: number, i: number): string;
}

export type Property =
  /** Must hold in every reachable state. */
  | { kind: 'always'; name: string; holds(s: Int32Array): boolean; explain?(s: Int32Array): string; reads?: Int32Array; group?: PropertyGroup }
  /** Must hold in at least one reachable state, else the property is vacuous. */
  | { kind: 'sometimes'; name: string; holds(s: Int32Array): boolean; reads?: Int32Array }
  /** Must hold in every reachable quiescent state. */
  | { kind: 'eventually'; name: string; holds(s: Int32Array): boolean; explain?(s: Int32Array): string };

export type PropertyKind = Property['kind'];

/*
 * `reads` (optional, always and sometimes properties): the positions of the state words the
 * verdict is a function of. A successor whose words there equal its source's has its source's
 * verdict, which the explorers already have (a violation or a witness stops checking the
 * property; else the source passed), so they do not ask the property again: most steps move
 * words a given property does not read. Wrong positions (a word it reads left out) hide
 * violations, as a wrong memo key would.
 */

/**
 * `always` properties judged together (checker/always-checks.ts): the members of a group declare
 * the same `reads`, and the group answers for all of them in one call, which is what a model
 * whose properties share one memo row per state (checker/keyed-verdicts.ts) can do cheaply.
 */
export interface PropertyGroup {
  /** True only if every member holds in `s`. False: some member may not (the explorers then ask each). */
  allHold(s: Int32Array): boolean;
}

/** Whether `s` and `from` agree on the words at `reads` (a property that declares none reads everything). */
export function sameReads(reads: Int32Array | undefined, s: Int32Array, from: Int32Array): boolean {
  if (reads === undefined) return false;
  for (let k = 0; k < reads.length; k++) {
    const w = reads[k]!;
    if (s[w] !== from[w]) return false;
  }
  return true;
}

/** Throws with a clear message when a model is malformed in a way that can be checked cheaply. */
export function validateModel(model: Model): void {
  if (!Number.isInteger(model.width) || model.width < 1) {
    throw new Error(`model ${model.name}: width must be a positive integer, got ${model.width}`);
  }
  const names = new Set<string>();
  for (const p of model.properties) {
    if (p.name === 'deadlock') throw new Error(`model ${model.name}: the property name "deadlock" is reserved for the deadlock verdict`);
    if (names.has(p.name)) throw new Error(`model ${model.name}: duplicate property name ${p.name}`);
    names.add(p.name);
  }
  // A group's members must read the same words: a successor skips the group or asks it as a whole.
  const groupReads = new Map<PropertyGroup, Int32Array | undefined>();
  for (const p of model.properties) {
    if (p.kind !== 'always' || p.group === undefined) continue;
    if (!groupReads.has(p.group)) groupReads.set(p.group, p.reads);
    else if (!sameWords(groupReads.get(p.group), p.reads)) throw new Error(`model ${model.name}: property ${p.name} reads other words than the rest of its group`);
  }
}

function sameWords(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((w, k) => w === b[k]);
}

/** One step of the model, with a step that throws turned into a message naming the action: a bug of the model, found like any violation. */
export function tryStep(model: Model, s: Int32Array, a: number, out: Int32Array): boolean | string {
  try {
    return model.next(s, a, out);
  } catch (err) {
    return `${model.formatAction(s, a)} threw: ${(err as Error).message ?? String(err)}`;
  }
}
