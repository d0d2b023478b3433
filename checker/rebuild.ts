/**
 * Rebuilding a trace from the visited table's parent links, by re-execution.
 *
 * The table keeps fingerprints only, and a parent link is the high half of the parent's
 * fingerprint (checker/visited.ts). Walking the links back from the target gives, for each
 * distance k, the candidate entries for the state k steps before the target: almost always one,
 * more only when two stored states share the high half of their fingerprint. The first k at which
 * a candidate is an initial state is the target's BFS depth, unless a false candidate
 * short-circuits the walk, which re-execution exposes.
 *
 * Then we run the model forward: an initial state among the candidates at distance k, and at
 * each step an enabled action whose successor's fingerprint is among the candidates one step
 * closer (depth-first, backtracking on the rare false candidate; the first k that works wins).
 * With symmetry on, fingerprints are of canonical forms but we follow the *actual* successors,
 * so the trace is a real execution ending in a state symmetric to the stored one. Its length is
 * the target's BFS depth: a shortest trace.
 */
import { fingerprint } from './fingerprint.ts';
import type { Model } from './model.ts';
import type { Trace } from './trace.ts';
import { type FingerprintTable, NO_PARENT } from './visited.ts';

/**
 * The shortest trace to the state stored at `slot`. `maxSteps` bounds the backward walk (the
 * explorer passes the current BFS depth); past it the model is reported as nondeterministic.
 */
export function rebuildTrace(model: Model, table: FingerprintTable, slot: number, symmetry: boolean, maxSteps = table.size): Trace {
  const W = model.width;
  const fp = new Int32Array(2);
  const canon = new Int32Array(W);
  const fingerprintOf = (s: Int32Array): void => {
    if (symmetry) {
      model.canonicalize!(s, canon);
      fingerprint(canon, 0, W, fp);
    } else {
      fingerprint(s, 0, W, fp);
    }
  };
  // levels[k]: candidate slots for the state k steps before the target.
  const levels: number[][] = [[slot]];
  const inLevel = (k: number): boolean => levels[k]!.some((x) => table.lo(x) === fp[0] && table.hi(x) === fp[1]);

  const initial: Int32Array[] = [];
  model.init((s0) => initial.push(Int32Array.from(s0)));
  const failed = new Set<string>();

  const dfs = (s: Int32Array, k: number, trace: Trace): boolean => {
    if (k === 0) return true;
    const candidates: number[] = [];
    model.actions(s, (a) => candidates.push(a));
    for (const a of candidates) {
      const out = Int32Array.from(s);
      if (!model.next(s, a, out)) continue;
      fingerprintOf(out);
      if (!inLevel(k - 1)) continue;
      const key = `${k - 1}:${fp[0]}:${fp[1]}`;
      if (failed.has(key)) continue;
      trace.states.push(out);
      trace.actions.push(a);
      if (dfs(out, k - 1, trace)) return true;
      trace.states.pop();
      trace.actions.pop();
      failed.add(key);
    }
    return false;
  };

  const forward = (k: number): Trace | null => {
    for (const s0 of initial) {
      fingerprintOf(s0);
      if (!inLevel(k)) continue;
      const trace: Trace = { states: [s0], actions: [] };
      if (dfs(s0, k, trace)) return trace;
    }
    return null;
  };

  for (let k = 0; k <= maxSteps; k++) {
    const level = levels[k]!;
    if (level.some((x) => table.parent(x) === NO_PARENT)) {
      const trace = forward(k);
      if (trace !== null) return trace;
    }
    const links = [...new Set(level.map((x) => table.parent(x)).filter((h) => h !== NO_PARENT))];
    if (links.length === 0) break;
    levels.push([...new Set(links.flatMap((h) => table.parentsOf(h)))]);
  }
  throw new Error(
    `trace rebuild (${model.name}): re-execution found no path to the stored state; ` + 'is the model deterministic (init, actions, next) and canonicalize a true symmetry?',
  );
}
