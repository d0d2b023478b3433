/** Seeded bugs in two-phase commit (checker/examples) for the checker's tests (not a test file itself). */
import { A_TM_COMMIT, doTmCommit, K_RM_RCV_ABORT, tmPrepared, tmState, TM_INIT, twoPhaseCommit } from '../../checker/examples/two-phase-commit.ts';
import type { Model } from '../../checker/model.ts';

/** The broken TM: it may commit as soon as it is in init, without all RMs prepared. */
export function eagerTm(n: number): Model {
  const base = twoPhaseCommit(n);
  const allPrepared = (s: Int32Array): boolean => Array.from({ length: n }, (_, r) => tmPrepared(s, r)).every(Boolean);
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
export function deafToAbort(n: number): Model {
  const base = twoPhaseCommit(n);
  const isRcvAbort = (a: number): boolean => a >= 2 && (a - 2) % 5 === K_RM_RCV_ABORT;
  return {
    ...base,
    name: `two-phase-commit(${n}) deaf to Abort`,
    actions: (s, push) => base.actions(s, (a) => (isRcvAbort(a) ? undefined : push(a))),
    next: (s, a, out) => !isRcvAbort(a) && base.next(s, a, out),
  };
}
