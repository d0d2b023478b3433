/**
 * 64-bit fingerprints of packed states, in 32-bit integer arithmetic (Math.imul; no BigInt).
 *
 * The mixer is MurmurHash3's x86 128-bit construction cut down to two lanes: each 64-bit block
 * (two state words) goes through murmur3's per-lane multiply/rotate/multiply, the lanes feed
 * each other, and the finalisation is murmur3's (length, lane cross-adds, fmix32 on both lanes,
 * cross-adds again). Every step is a bijection of the 64-bit lane pair for a fixed prefix, so:
 *
 * - states of one or two words practically never collide (the hash is a permutation of 2^64,
 *   except that a high half of 0 is replaced by 1, see below);
 * - for wider states two distinct states collide with probability about 2^-64 per pair, i.e.
 *   about n^2 / 2^65 for n states (10 million states: ~3e-6). A collision makes the explorer
 *   believe a new state was already visited, so an exhaustive run is exact up to that chance,
 *   as with TLC and SPIN's hash compaction.
 *
 * A high half of 0 is reserved (it marks an empty slot, and "no parent", in the visited table);
 * a state whose high half would be 0 gets 1 instead. A low half of 0 is reserved too (in the
 * shared table of parallel workers, checker/parallel.ts, it means "claimed, low half not written
 * yet"): 0 becomes 1.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const SEED = 0x9747b28c;

/**
 * Fingerprint `len` words of `words` starting at `off`; writes the low half into `out[0]` and
 * the high half into `out[1]` (as int32). The high half is the well-mixed one used for table
 * positions.
 */
export function fingerprint(words: Int32Array, off: number, len: number, out: Int32Array): void {
  let h1 = SEED;
  let h2 = SEED;
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) {
    let k1 = words[i]!;
    let k2 = words[i + 1]!;
    k1 = Math.imul(k1, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, C2);
    h1 ^= k1;
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, C2);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, C3);
    h2 ^= k2;
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (h2 + h1) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
  }
  if (i < end) {
    let k1 = words[i]!;
    k1 = Math.imul(k1, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, C2);
    h1 ^= k1;
  }
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 0x85ebca6b);
  h2 ^= h2 >>> 13;
  h2 = Math.imul(h2, 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  if (h2 === 0) h2 = 1;
  if (h1 === 0) h1 = 1;
  out[0] = h1;
  out[1] = h2;
}

/** Convenience for tests and tools: the fingerprint of a whole state as a 16-hex-digit string. */
export function fingerprintHex(s: Int32Array): string {
  const out = new Int32Array(2);
  fingerprint(s, 0, s.length, out);
  return (out[1]! >>> 0).toString(16).padStart(8, '0') + (out[0]! >>> 0).toString(16).padStart(8, '0');
}
