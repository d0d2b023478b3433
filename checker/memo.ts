/**
 * A memo keyed by 64-bit fingerprints (checker/fingerprint.ts), with small non-negative integer
 * values: what a model uses to cache a function of part of a state (an invariant over a few
 * components and channels) without building a string key or a Map entry per lookup.
 *
 * Open addressing with linear probing in one Int32Array, three words per slot (fingerprint low,
 * high, value + 1; 0 marks an empty slot). It starts small and doubles at half load (a small
 * table stays in cache: most such memos hold a few thousand keys), up to `maxCapacity` slots;
 * full at that size, it is cleared and refills, so a long run only recomputes some values.
 * Exact up to fingerprint collisions (about n^2 / 2^65 for n keys), the explorer's own assumption.
 */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

export class FingerprintMemo {
  private data: Int32Array;
  private capacity: number;
  private limit: number;
  private readonly maxCapacity: number;
  size = 0;
  /** How many times it filled up and was cleared. */
  clears = 0;

  constructor(maxCapacity = 1 << 20, initialCapacity = 1024) {
    this.maxCapacity = Math.max(16, maxCapacity | 0);
    this.capacity = Math.min(this.maxCapacity, Math.max(16, initialCapacity | 0));
    this.limit = this.limitOf(this.capacity);
    this.data = new Int32Array(this.capacity * 3);
  }

  private limitOf(capacity: number): number {
    return Math.floor(capacity * (capacity < this.maxCapacity ? 0.5 : 0.75));
  }

  /** The value stored for (lo, hi), or -1. */
  get(lo: number, hi: number): number {
    const d = this.data;
    const cap = this.capacity;
    let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
    for (;;) {
      const p = slot * 3;
      const v = d[p + 2]!;
      if (v === 0) return -1;
      if (d[p + 1] === hi && d[p] === lo) return v - 1;
      if (++slot === cap) slot = 0;
    }
  }

  /** Whether the next `set` clears the memo first (it is at its largest size and load). */
  get full(): boolean {
    return this.size >= this.limit && this.capacity >= this.maxCapacity;
  }

  /** Store `value` (>= 0) for (lo, hi), which must not be present. */
  set(lo: number, hi: number, value: number): void {
    if (this.size >= this.limit) this.makeRoom();
    this.put(lo, hi, value + 1);
    this.size++;
  }

  private put(lo: number, hi: number, word: number): void {
    const d = this.data;
    const cap = this.capacity;
    let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
    while (d[slot * 3 + 2] !== 0) if (++slot === cap) slot = 0;
    const p = slot * 3;
    d[p] = lo;
    d[p + 1] = hi;
    d[p + 2] = word;
  }

  private makeRoom(): void {
    if (this.capacity >= this.maxCapacity) {
      this.data.fill(0);
      this.size = 0;
      this.clears++;
      return;
    }
    const old = this.data;
    this.capacity = Math.min(this.maxCapacity, this.capacity * 2);
    this.limit = this.limitOf(this.capacity);
    this.data = new Int32Array(this.capacity * 3);
    for (let p = 0; p < old.length; p += 3) if (old[p + 2] !== 0) this.put(old[p]!, old[p + 1]!, old[p + 2]!);
  }
}
