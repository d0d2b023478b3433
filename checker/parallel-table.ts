/**
 * The visited table of parallel workers: the layout of checker/visited.ts (three words per slot:
 * fingerprint low, high, parent link; multiply-shift position; linear probing) in a
 * SharedArrayBuffer, filled by several threads at once with atomic compare-and-swap.
 *
 * Inserting: probe from the home slot; an empty slot is claimed by a compare-and-swap of its high
 * half from 0; the winner then stores the parent link and the low half (fingerprints never have a
 * low half of 0, checker/fingerprint.ts, so a reader that meets a claimed slot whose low half is
 * still 0 waits the few instructions until it is written). Whoever finds (lo, hi) present lost the
 * race or came later: the state is not new. Exactly one insertion of each fingerprint wins, so
 * the count is that of one thread.
 *
 * It does not grow while workers run: the coordinator resizes it between BFS levels, when all
 * are idle (checker/parallel.ts), and `insert` throws if a level overfills it.
 */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;
export function sharedTable(capacity: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(capacity * 12));
}

/**
 * True if (lo, hi) was new and is now stored with `parent`; false if it was there. (Callers count
 * their own insertions: one shared counter would be a cache line every insertion fights over.)
 */
export function insertShared(d: Int32Array, lo: number, hi: number, parent: number): boolean {
  const cap = d.length / 3;
  let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
  for (let probes = 0; probes < cap; probes++) {
    const p = slot * 3;
    let h = Atomics.load(d, p + 1);
    if (h === 0) {
      h = Atomics.compareExchange(d, p + 1, 0, hi);
      if (h === 0) {
        Atomics.store(d, p + 2, parent);
        Atomics.store(d, p, lo);
        return true;
      }
    }
    if (h === hi) {
      let l = Atomics.load(d, p);
      while (l === 0) l = Atomics.load(d, p);
      if (l === lo) return false;
    }
    if (++slot === cap) slot = 0;
  }
  throw new Error('parallel explorer: the shared visited table is full');
}

/** Whether (lo, hi) is stored (for probing beyond maxDepth). */
export function hasShared(d: Int32Array, lo: number, hi: number): boolean {
  const cap = d.length / 3;
  let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
  for (let probes = 0; probes < cap; probes++) {
    const p = slot * 3;
    const h = Atomics.load(d, p + 1);
    if (h === 0) return false;
    if (h === hi) {
      let l = Atomics.load(d, p);
      while (l === 0) l = Atomics.load(d, p);
      if (l === lo) return true;
    }
    if (++slot === cap) slot = 0;
  }
  return false;
}

/** A copy of `old` in a new shared table of `capacity` slots (single-threaded: between levels). */
export function resizeShared(old: Int32Array, capacity: number): Int32Array {
  const d = new Int32Array(new SharedArrayBuffer(capacity * 12));
  for (let q = 0; q < old.length; q += 3) {
    const hi = old[q + 1]!;
    if (hi === 0) continue;
    let slot = ((hi >>> 0) * capacity * TWO_TO_MINUS_32) >>> 0;
    while (d[slot * 3 + 1] !== 0) if (++slot === capacity) slot = 0;
    const p = slot * 3;
    d[p] = old[q]!;
    d[p + 1] = hi;
    d[p + 2] = old[q + 2]!;
  }
  return d;
}
