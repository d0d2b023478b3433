/**
 * Two-phase commit: Lamport's TwoPhase (TLA+ examples; also Stateright's 2pc example) with N
 * resource managers (RMs) and one transaction manager (TM), as a checker Model.
 *
 * State (width 2):
 *   word 0: rmState, 2 bits per RM r at bits 2r..2r+1: 0 working, 1 prepared, 2 committed, 3 aborted
 *   word 1: bits 0-1 tmState (0 init, 1 committed, 2 aborted); bit 2 the Commit message;
 *           bit 3 the Abort message; bits 4..17 tmPrepared (bit 4+r); bits 18..31 the Prepared
 *           messages (bit 18+r)
 * so N <= 14. Messages are a set, as in the TLA+ spec: sent once, never consumed or lost.
 *
 * Actions: 0 TMCommit, 1 TMAbort, 2 + 5r + k for RM r with k = 0 TMRcvPrepared(r),
 * 1 RMPrepare(r), 2 RMChooseToAbort(r), 3 RMRcvCommitMsg(r), 4 RMRcvAbortMsg(r).
 *
 * One deliberate difference from the TLA+ text: actions whose step would not change the state
 * (receiving Prepared from an RM already in tmPrepared, Commit when already committed, Abort when
 * already aborted) are not enabled. The reachable states are the same (288 for 3 RMs, 8,832 for
 * 5, 296,448 for 7, 1,745,408 for 8, 10,340,352 for 9), fewer transitions are generated, and
 * the terminal states are exactly the decided ones, so quiescence means "nothing left to do"
 * and the `eventually` property is meaningful.
 *
 * RMs are interchangeable: `canonicalize` sorts them by (rmState, tmPrepared bit, Prepared-message
 * bit) with a counting sort. All properties are symmetric.
 */
import type { Model, Property } from '../model.ts';

const RM_WORKING = 0;
const RM_PREPARED = 1;
const RM_COMMITTED = 2;
const RM_ABORTED = 3;
export const TM_INIT = 0;
const TM_COMMITTED = 1;
const TM_ABORTED = 2;

export const A_TM_COMMIT = 0;
const A_TM_ABORT = 1;
const K_TM_RCV_PREPARED = 0;
const K_RM_PREPARE = 1;
const K_RM_CHOOSE_TO_ABORT = 2;
const K_RM_RCV_COMMIT = 3;
export const K_RM_RCV_ABORT = 4;
const MAX_RMS = 14;

const MSG_COMMIT = 1 << 2;
const MSG_ABORT = 1 << 3;
const TM_PREPARED_SHIFT = 4;
const MSG_PREPARED_SHIFT = 18;

const RM_STATE_NAMES = ['working', 'prepared', 'committed', 'aborted'] as const;
const TM_STATE_NAMES = ['init', 'committed', 'aborted', '?'] as const;
const KIND_NAMES = ['TMRcvPrepared', 'RMPrepare', 'RMChooseToAbort', 'RMRcvCommitMsg', 'RMRcvAbortMsg'] as const;

/** Accessors on the packed state, for tests and mutants. */
const rmState = (s: Int32Array, r: number): number => (s[0]! >>> (2 * r)) & 3;
export const tmState = (s: Int32Array): number => s[1]! & 3;
export const tmPrepared = (s: Int32Array, r: number): boolean => ((s[1]! >>> (TM_PREPARED_SHIFT + r)) & 1) === 1;
const preparedMsg = (s: Int32Array, r: number): boolean => ((s[1]! >>> (MSG_PREPARED_SHIFT + r)) & 1) === 1;
const commitMsg = (s: Int32Array): boolean => (s[1]! & MSG_COMMIT) !== 0;
const abortMsg = (s: Int32Array): boolean => (s[1]! & MSG_ABORT) !== 0;

/** Write "TM commits, sends Commit" into out (shared with mutants that weaken its guard). */
export function doTmCommit(out: Int32Array): void {
  out[1] = (out[1]! & ~3) | TM_COMMITTED | MSG_COMMIT;
}

/** Masks of the RMs (one bit per RM, bit r) in a given state, from word 0. */
function rmMask(w0: number, n: number, state: number): number {
  let m = 0;
  for (let r = 0; r < n; r++) if (((w0 >>> (2 * r)) & 3) === state) m |= 1 << r;
  return m;
}

export function twoPhaseCommit(n: number): Model {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RMS) throw new Error(`two-phase commit: 1..${MAX_RMS} RMs, got ${n}`);
  const allPrepared = ((1 << n) - 1) << TM_PREPARED_SHIFT;
  // Spread bit patterns for the `consistent` check: bit 2r+1 set for committed (10) and aborted (11).
  let highBits = 0;
  for (let r = 0; r < n; r++) highBits |= 2 << (2 * r);
  const lowBits = highBits >>> 1;
  const committedMask = (w0: number): number => w0 & highBits & ~((w0 & lowBits) << 1);
  const abortedMask = (w0: number): number => w0 & highBits & ((w0 & lowBits) << 1);
  const counts = new Int32Array(16);

  const properties: Property[] = [
    {
      kind: 'always',
      name: 'consistent',
      holds: (s) => committedMask(s[0]!) === 0 || abortedMask(s[0]!) === 0,
      explain: (s) => `RMs ${bits(rmMask(s[0]!, n, RM_COMMITTED))} committed while RMs ${bits(rmMask(s[0]!, n, RM_ABORTED))} aborted`,
    },
    { kind: 'sometimes', name: 'commit reachable', holds: (s) => committedMask(s[0]!) !== 0 },
    { kind: 'sometimes', name: 'abort reachable', holds: (s) => abortedMask(s[0]!) !== 0 },
    {
      kind: 'eventually',
      name: 'all decided',
      holds: (s) => {
        const tm = s[1]! & 3;
        return (tm === TM_COMMITTED && committedMask(s[0]!) === highBits) || (tm === TM_ABORTED && abortedMask(s[0]!) === highBits);
      },
      explain: (s) => `quiescent with TM ${TM_STATE_NAMES[s[1]! & 3]} and RMs ${describeRms(s, n)}`,
    },
  ];

  return {
    name: `two-phase-commit(${n})`,
    width: 2,
    properties,
    init(push) {
      push(new Int32Array(2));
    },
    actions(s, push) {
      const w0 = s[0]!;
      const w1 = s[1]!;
      const tmInit = (w1 & 3) === TM_INIT;
      if (tmInit) {
        if ((w1 & allPrepared) === allPrepared) push(A_TM_COMMIT);
        push(A_TM_ABORT);
      }
      const cm = (w1 & MSG_COMMIT) !== 0;
      const am = (w1 & MSG_ABORT) !== 0;
      for (let r = 0, base = 2; r < n; r++, base += 5) {
        const st = (w0 >>> (2 * r)) & 3;
        if (tmInit && ((w1 >>> (MSG_PREPARED_SHIFT + r)) & 1) === 1 && ((w1 >>> (TM_PREPARED_SHIFT + r)) & 1) === 0) push(base);
        if (st === RM_WORKING) {
          push(base + K_RM_PREPARE);
          push(base + K_RM_CHOOSE_TO_ABORT);
        }
        if (cm && st !== RM_COMMITTED) push(base + K_RM_RCV_COMMIT);
        if (am && st !== RM_ABORTED) push(base + K_RM_RCV_ABORT);
      }
    },
    next(s, a, out) {
      const w0 = s[0]!;
      const w1 = s[1]!;
      const tmInit = (w1 & 3) === TM_INIT;
      if (a === A_TM_COMMIT) {
        if (!tmInit || (w1 & allPrepared) !== allPrepared) return false;
        doTmCommit(out);
        return true;
      }
      if (a === A_TM_ABORT) {
        if (!tmInit) return false;
        out[1] = (w1 & ~3) | TM_ABORTED | MSG_ABORT;
        return true;
      }
      const x = a - 2;
      const r = (x / 5) | 0;
      if (r < 0 || r >= n) return false;
      const shift = 2 * r;
      const st = (w0 >>> shift) & 3;
      switch (x - 5 * r) {
        case K_TM_RCV_PREPARED: {
          const bit = 1 << (TM_PREPARED_SHIFT + r);
          if (!tmInit || ((w1 >>> (MSG_PREPARED_SHIFT + r)) & 1) === 0 || (w1 & bit) !== 0) return false;
          out[1] = w1 | bit;
          return true;
        }
        case K_RM_PREPARE:
          if (st !== RM_WORKING) return false;
          out[0] = (w0 & ~(3 << shift)) | (RM_PREPARED << shift);
          out[1] = w1 | (1 << (MSG_PREPARED_SHIFT + r));
          return true;
        case K_RM_CHOOSE_TO_ABORT:
          if (st !== RM_WORKING) return false;
          out[0] = w0 | (RM_ABORTED << shift);
          return true;
        case K_RM_RCV_COMMIT:
          if ((w1 & MSG_COMMIT) === 0 || st === RM_COMMITTED) return false;
          out[0] = (w0 & ~(3 << shift)) | (RM_COMMITTED << shift);
          return true;
        case K_RM_RCV_ABORT:
          if ((w1 & MSG_ABORT) === 0 || st === RM_ABORTED) return false;
          out[0] = w0 | (RM_ABORTED << shift);
          return true;
        default:
          return false;
      }
    },
    canonicalize(s, out) {
      const w0 = s[0]!;
      const w1 = s[1]!;
      counts.fill(0);
      for (let r = 0; r < n; r++) {
        const key = ((w0 >>> (2 * r)) & 3) | (((w1 >>> (TM_PREPARED_SHIFT + r)) & 1) << 2) | (((w1 >>> (MSG_PREPARED_SHIFT + r)) & 1) << 3);
        counts[key]!++;
      }
      let o0 = 0;
      let o1 = w1 & 15;
      let r = 0;
      for (let key = 0; key < 16; key++) {
        for (let c = counts[key]!; c > 0; c--, r++) {
          o0 |= (key & 3) << (2 * r);
          o1 |= ((key >>> 2) & 1) << (TM_PREPARED_SHIFT + r);
          o1 |= ((key >>> 3) & 1) << (MSG_PREPARED_SHIFT + r);
        }
      }
      out[0] = o0;
      out[1] = o1;
    },
    formatAction(_s, a) {
      if (a === A_TM_COMMIT) return 'TMCommit';
      if (a === A_TM_ABORT) return 'TMAbort';
      const x = a - 2;
      const r = (x / 5) | 0;
      return `${KIND_NAMES[x - 5 * r] ?? `action${a}`}(rm${r})`;
    },
    formatState(s) {
      const rms = Array.from({ length: n }, (_, r) => r);
      const msgs: string[] = [];
      for (const r of rms) if (preparedMsg(s, r)) msgs.push(`Prepared(rm${r})`);
      if (commitMsg(s)) msgs.push('Commit');
      if (abortMsg(s)) msgs.push('Abort');
      return {
        rm: rms.map((r) => RM_STATE_NAMES[rmState(s, r)]),
        tm: TM_STATE_NAMES[tmState(s)],
        tmPrepared: rms.filter((r) => tmPrepared(s, r)).map((r) => `rm${r}`),
        msgs,
      };
    },
  };
}

function bits(mask: number): string {
  const out: string[] = [];
  for (let r = 0; mask !== 0; r++, mask >>>= 1) if (mask & 1) out.push(`rm${r}`);
  return out.join(', ') || '(none)';
}

function describeRms(s: Int32Array, n: number): string {
  return Array.from({ length: n }, (_, r) => `rm${r}=${RM_STATE_NAMES[rmState(s, r)]}`).join(' ');
}
