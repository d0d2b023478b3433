/**
 * The visited set: 64-bit fingerprints with a parent link each, in one open-addressing table.
 *
 * Layout: one Int32Array, three words per slot: fingerprint low, fingerprint high, parent link.
 * 12 bytes a slot, so bytes per state = 12 / load factor.
 *
 * - Position: multiply-shift range reduction of the fingerprint's high half,
 *   floor(hi * capacity / 2^32), so the capacity need not be a power of two. It is monotone in
 *   `hi`, so the table is (nearly) sorted by `hi` and a resize streams through the old table
 *   while writing the new one almost sequentially.
 * - Collisions: linear probing (contiguous memory: at the load factors below a lookup touches one
 *   or two cache lines).
 * - Growth: x2 while the table is small (below 2^20 slots, load limit 0.75: memory does not
 *   matter there and doubling keeps resizes few), then from 2^20 slots on, by `growth` (default
 *   1.2) with a load limit of `maxLoad` (default 0.9). Just after a resize the load is
 *   maxLoad / growth = 0.75, so from 0.75 * 2^20 = 786,432 states on, bytes per state stays
 *   between 12 / 0.9 = 13.3 and 12 / 0.75 = 16 (with the defaults). The trade-off: a smaller
 *   growth factor saves memory but resizes more often (about n / (growth - 1) entries moved
 *   in all); a higher load limit saves memory but makes probes longer.
 * - Parent link: the *high half of the parent's fingerprint* (0 = an initial state; no state
 *   has a high half of 0, see fingerprint.ts), not the parent's slot. A link is then
 *   independent of where entries sit, so a resize is a plain streaming copy and nobody holding
 *   links (the frontier) has to remap them. We measured the slot-link alternative (resize
 *   remaps every parent through an old -> new slot map, the frontier too): the random accesses
 *   of the remap made resizes a quarter of the run time at 10 M states. The price: 32 bits do
 *   not name a state uniquely. `parentsOf` returns every entry with that high half (usually
 *   exactly one; two with probability about n / 2^32 per step), and checker/rebuild.ts resolves
 *   the rare ambiguity by re-execution.
 *
 * High half 0 marks an empty slot.
 */

export const NO_PARENT = 0;

/** Below this many slots the table doubles (load limit 0.75); from it on, it grows by `growth`. */
const SMALL_CAPACITY = 1 << 20;
const SMALL_MAX_LOAD = 0.75;
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

export interface TableOptions {
  /** Initial number of slots (default 4096). */
  initialCapacity?: number;
  /**
   * The number of states expected (a hint: `--expect-states`, or the count of a previous run):
   * the table starts large enough to hold them without a resize, at the large-table load limit.
   * Wins over `initialCapacity`. A wrong hint costs memory or resizes, never correctness.
   */
  expectedStates?: number;
  /** Load factor that triggers growth once the table is large (default 0.9). */
  maxLoad?: number;
  /** Growth factor once the table is large (default 1.2). */
  growth?: number;
}

export class FingerprintTable {
  /** [lo, hi, parent hi] per slot. */
  data: Int32Array;
  capacity: number;
  size = 0;
  /** Grow before `size` would exceed this. */
  limit: number;
  resizes = 0;
  /** Milliseconds spent resizing. */
  resizeMs = 0;
  private readonly maxLoad: number;
  private readonly growth: number;

  constructor(options: TableOptions = {}) {
    this.maxLoad = options.maxLoad ?? 0.9;
    this.growth = options.growth ?? 1.2;
    if (!(this.maxLoad > 0 && this.maxLoad < 1)) throw new Error('maxLoad must be in (0, 1)');
    if (!(this.growth > 1)) throw new Error('growth must be > 1');
    const expected = options.expectedStates;
    this.capacity = Math.max(16, Math.ceil(expected !== undefined && expected > 0 ? FingerprintTable.capacityFor(expected, this.maxLoad) : (options.initialCapacity ?? 4096)));
    this.data = new Int32Array(this.capacity * 3);
    this.limit = this.limitFor(this.capacity);
  }

  /** The fewest slots that hold `states` entries within the load limits (plus one, for the next insertion). */
  static capacityFor(states: number, maxLoad = 0.9): number {
    const small = Math.ceil((states + 1) / SMALL_MAX_LOAD) + 1;
    if (small < SMALL_CAPACITY) return Math.max(16, small);
    return Math.max(SMALL_CAPACITY, Math.ceil((states + 1) / maxLoad) + 1);
  }

  private limitFor(capacity: number): number {
    const load = capacity < SMALL_CAPACITY ? SMALL_MAX_LOAD : this.maxLoad;
    return Math.min(capacity - 1, Math.floor(capacity * load));
  }

  /**
   * A read-only view of a table laid out as this one (three words per slot) in `data`, e.g. the
   * shared table of parallel workers: what rebuilding a trace reads.
   */
  static view(data: Int32Array, size: number): FingerprintTable {
    const t = new FingerprintTable({ initialCapacity: 16 });
    t.data = data;
    t.capacity = data.length / 3;
    t.size = size;
    t.limit = t.capacity;
    return t;
  }

  /** Bytes held by the table (fingerprints and parent links). */
  get bytes(): number {
    return this.data.byteLength;
  }

  /**
   * Insert fingerprint (lo, hi) (hi != 0) with a parent link. Returns the new slot (>= 0), or
   * `-1 - slot` of the existing entry when the fingerprint is already present (its parent link is
   * kept: the first, hence shallowest in BFS, parent wins).
   * `add` never resizes: the caller makes room first with `ensureRoom`.
   */
  add(lo: number, hi: number, parent: number): number {
    const d = this.data;
    const cap = this.capacity;
    let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
    let p = slot * 3;
    for (;;) {
      const h = d[p + 1]!;
      if (h === 0) {
        d[p] = lo;
        d[p + 1] = hi;
        d[p + 2] = parent;
        this.size++;
        return slot;
      }
      if (h === hi && d[p] === lo) return -1 - slot;
      slot++;
      p += 3;
      if (slot === cap) {
        slot = 0;
        p = 0;
      }
    }
  }

  /** Keeps `touch`'s loads alive. */
  sink = 0;

  /**
   * Load the home slot of each of `n` fingerprints' high halves, and nothing else. The loads are
   * independent, so the CPU overlaps their cache misses; the `add`s that follow then hit cache.
   * (JavaScript has no prefetch instruction; this is the next best thing.)
   */
  touch(his: Int32Array, n: number): void {
    const d = this.data;
    const cap = this.capacity;
    let acc = 0;
    for (let i = 0; i < n; i++) acc ^= d[(((his[i]! >>> 0) * cap * TWO_TO_MINUS_32) >>> 0) * 3 + 1]!;
    this.sink = acc;
  }

  /** The slot holding fingerprint (lo, hi), or -1. */
  find(lo: number, hi: number): number {
    const d = this.data;
    const cap = this.capacity;
    let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
    let p = slot * 3;
    for (;;) {
      const h = d[p + 1]!;
      if (h === 0) return -1;
      if (h === hi && d[p] === lo) return slot;
      slot++;
      p += 3;
      if (slot === cap) {
        slot = 0;
        p = 0;
      }
    }
  }

  /** Every slot whose fingerprint has high half `hi` (the candidates for a parent link). */
  parentsOf(hi: number): number[] {
    const d = this.data;
    const cap = this.capacity;
    const found: number[] = [];
    let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
    for (let n = 0; n < cap; n++) {
      const h = d[slot * 3 + 1]!;
      if (h === 0) break;
      if (h === hi) found.push(slot);
      slot++;
      if (slot === cap) slot = 0;
    }
    return found;
  }

  lo(slot: number): number {
    return this.data[slot * 3]!;
  }

  hi(slot: number): number {
    return this.data[slot * 3 + 1]!;
  }

  /** The high half of the parent's fingerprint, or NO_PARENT. */
  parent(slot: number): number {
    return this.data[slot * 3 + 2]!;
  }

  /** Make sure `n` more entries fit without passing the load limit; may resize. */
  ensureRoom(n: number): void {
    if (this.size + n > this.limit) this.grow(this.size + n);
  }

  private grow(needed: number): void {
    const started = performance.now();
    let cap = this.capacity;
    if (cap >= SMALL_CAPACITY) {
      // Sized on the entries present, so that right after the resize the load is at least
      // maxLoad / growth (with the defaults: at most 16 bytes per state).
      cap = Math.max(cap + 1, Math.floor((this.size * this.growth) / this.maxLoad));
    }
    while (this.limitFor(cap) < needed) {
      cap = cap < SMALL_CAPACITY ? cap * 2 : Math.ceil(cap * this.growth);
    }
    const oldCap = this.capacity;
    const old = this.data;
    const d = new Int32Array(cap * 3);
    // Start the scan at an empty slot so no probe run is split by the scan's start.
    let start = 0;
    while (old[start * 3 + 1] !== 0) start++;
    for (let k = 0; k < oldCap; k++) {
      let i = start + k;
      if (i >= oldCap) i -= oldCap;
      const q = i * 3;
      const hi = old[q + 1]!;
      if (hi === 0) continue;
      let slot = ((hi >>> 0) * cap * TWO_TO_MINUS_32) >>> 0;
      let p = slot * 3;
      while (d[p + 1] !== 0) {
        slot++;
        p += 3;
        if (slot === cap) {
          slot = 0;
          p = 0;
        }
      }
      d[p] = old[q]!;
      d[p + 1] = hi;
      d[p + 2] = old[q + 2]!;
    }
    this.data = d;
    this.capacity = cap;
    this.limit = this.limitFor(cap);
    this.resizes++;
    this.resizeMs += performance.now() - started;
  }
}
