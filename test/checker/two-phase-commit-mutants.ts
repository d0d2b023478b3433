/**
 * Seeded bugs of two-phase commit, as modules so that parallel workers can build them too
 * (checker/parallel.ts imports a model factory by module and name).
 */
import type { Model } from '../../checker/model.ts';
import { A_TM_COMMIT, doTmCommit, K_RM_RCV_ABORT, tmPrepared, tmState, TM_INIT, twoPhaseCommit } from '../../checker/examples/two-phase-commit.ts';

/** The broken TM: it may commit as soon as it is in init, without all RMs prepared. */
export function commitEarlyMutant(n: number): Model {
  const base = twoPhaseCommit(n);
  const allPrepared = (s: Int32Array): boolean => Array.from({ length: n }, (_, r) => r).every((r) => tmPrepared(s, r));
  return {
    ...base,
    name: `two-phase-commit(${n}) with an eager TM`,
    actions(s, push) {
      base.actions(s, push);
      if (tmState(s) === TM_INIT && !allPrepared(s)) push(A_TM_COMMIT);
    },
    next(s, a, out) {
      if (a !== A_TM_COMMIT) return base.next(s, a, out);
      if (tmState(s) !== TM_INIT) return false;
      doTmCommit(out);
      return true;
    },
  };
}

/** RMs that never hear the Abort message: decided-but-stuck states become quiescent. */
export function deafToAbortMutant(n: number): Model {
  const base = twoPhaseCommit(n);
  return {
    ...base,
    name: `two-phase-commit(${n}) deaf to Abort`,
    actions(s, push) {
      base.actions(s, (a) => {
        if ((a - 2) % 5 !== K_RM_RCV_ABORT || a < 2) push(a);
      });
    },
    next(s, a, out) {
      if (a >= 2 && (a - 2) % 5 === K_RM_RCV_ABORT) return false;
      return base.next(s, a, out);
    },
  };
}
