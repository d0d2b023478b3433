/**
 * The verdicts of several predicates that are each a function of the same few words of a state
 * (say, the components and channels two invariants read), memoised together: a model asks it for
 * the row of a state, then for each predicate's verdict in that row, computing one only where the
 * row does not have it yet.
 *
 * Why together: a model checks every property on every new state, and the memo lookup (copy the
 * words, fingerprint them, probe) cost more than the predicates it saved. Properties that read the
 * same words share one lookup; and the explorer checks the successors of one state one after the
 * other, which mostly differ in words other properties do not read, so the words are first
 * compared with the last state's, and an unchanged key reuses its row without a fingerprint.
 *
 * Rows are keyed by the 64-bit fingerprint of the words (FingerprintMemo), or indexed by the word
 * itself when the key is one word (local ids and event ids are small dense integers). A verdict
 * is a small non-negative integer (the model's code for a message); -1 means not computed yet,
 * so a predicate is only ever evaluated on states where it is asked, as without the memo.
 */
import { fingerprint } from './fingerprint.ts';
import { FingerprintMemo } from './memo.ts';

export class KeyedVerdicts {
  /** Where the key's words are in a state. */
  private readonly at: Int32Array;
  /** The key of the last state asked about, and its row (-1: none yet). */
  private readonly words: Int32Array;
  private last = -1;
  private readonly fp = new Int32Array(2);
  private readonly memo: FingerprintMemo | null;
  /** One-word keys: row + 1 by the word's value (0: none yet). */
  private direct = new Int32Array(64);
  /** count + 1 cells per row (the verdicts, then the summary), -1 where one is not computed. */
  private cells: Int32Array;
  private readonly stride: number;
  private rows = 0;

  /** `maxKeys`: the memo's largest size (FingerprintMemo's maxCapacity), past which it starts over. */
  constructor(
    positions: ArrayLike<number>,
    readonly count: number,
    maxKeys?: number,
  ) {
    this.at = Int32Array.from(positions);
    this.words = new Int32Array(this.at.length);
    this.memo = this.at.length === 1 ? null : new FingerprintMemo(maxKeys);
    this.stride = count + 1;
    this.cells = new Int32Array(this.stride * 256);
  }

  /** The row of state `s`'s key (a new row of unknown verdicts for a key not seen before, or not since the memo was last cleared). */
  row(s: Int32Array): number {
    const at = this.at;
    const words = this.words;
    let same = this.last >= 0;
    for (let k = 0; k < at.length; k++) {
      const w = s[at[k]!]!;
      if (w !== words[k]) {
        words[k] = w;
        same = false;
      }
    }
    if (same) return this.last;
    let r: number;
    const memo = this.memo;
    if (memo === null) {
      const w = words[0]!;
      if (w >= this.direct.length) {
        const bigger = new Int32Array(Math.max(w + 1, this.direct.length * 2));
        bigger.set(this.direct);
        this.direct = bigger;
      }
      r = this.direct[w]! - 1;
      if (r < 0) this.direct[w] = (r = this.newRow()) + 1;
    } else {
      const fp = this.fp;
      fingerprint(words, 0, words.length, fp);
      r = memo.get(fp[0]!, fp[1]!);
      if (r < 0) {
        // A full memo starts over (memo.ts): the rows it indexed go with it.
        if (memo.full) this.rows = 0;
        r = this.newRow();
        memo.set(fp[0]!, fp[1]!, r);
      }
    }
    this.last = r;
    return r;
  }

  /** Predicate `j`'s verdict in row `r`, or -1 if it was not computed for that row. */
  verdict(r: number, j: number): number {
    return this.cells[r * this.stride + j]!;
  }

  record(r: number, j: number, v: number): void {
    this.cells[r * this.stride + j] = v;
  }

  /**
   * Row `r`'s summary, a small non-negative integer its caller derives from the row's verdicts
   * (say, 0 when every one of them holds), or -1 if not recorded yet: a model that judges the
   * predicates of a row together (checker/model.ts, PropertyGroup) looks one word up per state.
   */
  summary(r: number): number {
    return this.cells[r * this.stride + this.count]!;
  }

  recordSummary(r: number, v: number): void {
    this.cells[r * this.stride + this.count] = v;
  }

  /** Distinct keys seen (since the last clearing). */
  get size(): number {
    return this.rows;
  }

  private newRow(): number {
    const n = this.stride;
    const end = (this.rows + 1) * n;
    if (end > this.cells.length) {
      const bigger = new Int32Array(Math.max(end, this.cells.length * 2));
      bigger.set(this.cells);
      this.cells = bigger;
    }
    this.cells.fill(-1, end - n, end);
    return this.rows++;
  }
}
