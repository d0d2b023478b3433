/**
 * Values of resources, as Mesos computes with them (src/common/values.cpp).
 *
 * - Scalars are fixed point: an integer count of thousandths (0.1 cpu = 100, 1024 MB = 1024000).
 *   Mesos converts every double to fixed point with `llround(value * 1000)` before it adds,
 *   subtracts or compares, and back with `trunc(f / 1000) + (f % 1000) / 1000` when it prints or
 *   divides; keeping the integer avoids float drift altogether (0.1 + 0.2 == 0.3 here).
 * - Ranges are sorted, non-overlapping, non-adjacent inclusive `[begin, end]` pairs of
 *   non-negative safe integers (Mesos uses uint64; we stop at 2^53 - 1). Mesos coalesces
 *   adjacent ranges too: [1-2] + [3-4] = [1-4].
 * - Sets are sorted arrays of distinct strings (UTF-16 code unit order).
 *
 * Pure: no clock, no randomness, no I/O. Inputs are never mutated.
 */

/** What a parse of resources (text or wire) gives: the value, or an error that names the field. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A scalar in Mesos's fixed point: an integer number of thousandths. */
export type Fixed = number;

/** An inclusive range of integers, `begin <= end`. */
export type Range = readonly [begin: number, end: number];

/** Largest fixed-point scalar we accept: keeps every sum exact in a double. */
export const MAX_FIXED = Number.MAX_SAFE_INTEGER;

/**
 * Mesos's `convertToFixed`: `llround(value * 1000)` (halves round away from zero). Returns NaN
 * for non-finite input; callers validate.
 */
export function toFixed(value: number): Fixed {
  const scaled = value * 1000;
  return scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
}

/** Mesos's `convertToFloating`: the double a fixed-point value stands for. */
export function fromFixed(fixed: Fixed): number {
  const remainder = fixed % 1000;
  return (fixed - remainder) / 1000 + remainder / 1000;
}

/** Prints a scalar as Mesos does (`2`, `0.1`, `1024`, `0.001`): the shortest decimal of the double. */
export function formatScalar(fixed: Fixed): string {
  return String(fromFixed(fixed));
}

// ---------------------------------------------------------------------------------------------
// Ranges

/** Sorts, merges overlapping and adjacent ranges. Assumes each range has begin <= end. */
export function coalesceRanges(ranges: readonly Range[]): Range[] {
  if (ranges.length <= 1) return ranges.map((r) => [r[0], r[1]] as const);
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [b, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && b <= last[1] + 1) {
      if (e > last[1]) last[1] = e;
    } else {
      out.push([b, e]);
    }
  }
  return out;
}

/** Union of two canonical range lists. */
export function rangesUnion(a: readonly Range[], b: readonly Range[]): readonly Range[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let next: Range;
    if (j >= b.length || (i < a.length && a[i]![0] <= b[j]![0])) next = a[i++]!;
    else next = b[j++]!;
    const last = out[out.length - 1];
    if (last !== undefined && next[0] <= last[1] + 1) {
      if (next[1] > last[1]) last[1] = next[1];
    } else {
      out.push([next[0], next[1]]);
    }
  }
  return out;
}

/** `a` minus `b` (set difference of the integers covered). Removing absent numbers is a no-op. */
export function rangesDifference(a: readonly Range[], b: readonly Range[]): readonly Range[] {
  if (a.length === 0 || b.length === 0) return a;
  const out: Range[] = [];
  let j = 0;
  for (const range of a) {
    let begin = range[0];
    const end = range[1];
    while (j < b.length && b[j]![1] < begin) j++;
    let k = j;
    while (k < b.length && b[k]![0] <= end && begin <= end) {
      const cut = b[k]!;
      if (cut[0] > begin) out.push([begin, cut[0] - 1]);
      begin = Math.max(begin, cut[1] + 1);
      if (cut[1] >= end) break;
      k++;
    }
    if (begin <= end) out.push(begin === range[0] && end === range[1] ? range : [begin, end]);
  }
  return out;
}

/** Whether every number covered by `b` is covered by `a`. */
export function rangesContain(a: readonly Range[], b: readonly Range[]): boolean {
  if (a === b) return true;
  const n = a.length;
  let i = 0;
  for (let j = 0; j < b.length; j++) {
    const r = b[j]!;
    const begin = r[0];
    while (i < n && a[i]![1] < begin) i++;
    if (i === n) return false;
    const covering = a[i]!;
    if (covering[0] > begin || covering[1] < r[1]) return false;
  }
  return true;
}

/** How many numbers the ranges cover (Mesos's quantity of a RANGES resource). */
export function rangesCount(ranges: readonly Range[]): number {
  let n = 0;
  for (const [b, e] of ranges) n += e - b + 1;
  return n;
}

export function rangesEqual(a: readonly Range[], b: readonly Range[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Sets

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted, duplicate-free copy. */
export function canonicalSet(items: readonly string[]): string[] {
  const sorted = [...items].sort(cmp);
  return sorted.filter((x, i) => i === 0 || sorted[i - 1] !== x);
}

export function setUnion(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = cmp(a[i]!, b[j]!);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

export function setDifference(a: readonly string[], b: readonly string[]): readonly string[] {
  if (a.length === 0 || b.length === 0) return a;
  const out: string[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) continue;
    out.push(x);
  }
  return out.length === a.length ? a : out;
}

export function setContains(a: readonly string[], b: readonly string[]): boolean {
  let i = 0;
  for (const x of b) {
    while (i < a.length && a[i]! < x) i++;
    if (a[i] !== x) return false;
  }
  return true;
}

export function setEqual(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
