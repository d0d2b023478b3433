/**
 * Fresh ids kept finite by canonical renaming (a data symmetry, see FreshIds in definition.ts):
 * after every step, every live id of each family is renamed to 0..k-1 in order and its counter set
 * to k, so a re-offer is not a new state.
 */
import { canonicalJson } from '../canonical.ts';
import type { FreshIds } from './definition.ts';
import type { StateLayout } from './encoding.ts';
import type { Interning } from './interning.ts';

export class FreshIdRenaming {
  private readonly fresh: readonly { readonly def: FreshIds; readonly owner: number }[];
  /** Per family, per local (event) id: the fresh ids it holds, and as a bitmask (-1: one is >= 30). */
  private readonly freshOfLocal: (readonly number[] | undefined)[][] = [];
  private readonly freshOfEvent: (readonly number[] | undefined)[][] = [];
  private readonly freshMaskOfLocal: number[][] = [];
  private readonly freshMaskOfEvent: number[][] = [];
  /** Per family, per local id of its owner: the counter in its context. */
  private readonly freshCounterOf: number[][] = [];
  /**
   * Renamings done, by what was renamed and the live ids: per family, locals [0] and events [1],
   * the live ids as a bitmask -> new id + 1 by old id (0: not yet). Live ids of 30 or more (never
   * seen: renaming keeps them below 10) take the string-keyed map instead.
   */
  private readonly renamedByMask: Map<number, Int32Array>[][] = [];
  private readonly renamed = new Map<string, number>();
  private readonly freshUsed: number[] = [];

  constructor(
    families: readonly FreshIds[],
    private readonly layout: StateLayout,
    private readonly ids: Interning,
  ) {
    this.fresh = families.map((f) => {
      if (!f.pattern.global) throw new Error('system: a fresh-id pattern must be global (/g)');
      return { def: f, owner: layout.comp(f.owner) };
    });
    for (let d = 0; d < this.fresh.length; d++) {
      this.freshOfLocal.push([]);
      this.freshOfEvent.push([]);
      this.freshMaskOfLocal.push([]);
      this.freshMaskOfEvent.push([]);
      this.freshCounterOf.push([]);
      this.renamedByMask.push([new Map(), new Map()]);
    }
  }

  /** The id `id` (a local, or an event: `kind` 1) is renamed to under family `d`'s live ids `mask` / `mapKey`, or -1 if not known yet. */
  private renamedAs(d: number, kind: 0 | 1, mask: number, mapKey: string, id: number): number {
    if (mask < 0) return this.renamed.get(`${kind === 0 ? 'L' : 'E'}${id}|${mapKey}`) ?? -1;
    const byId = this.renamedByMask[d]![kind]!.get(mask);
    return byId !== undefined && id < byId.length ? byId[id]! - 1 : -1;
  }

  private remember(d: number, kind: 0 | 1, mask: number, mapKey: string, id: number, next: number): void {
    if (mask < 0) {
      this.renamed.set(`${kind === 0 ? 'L' : 'E'}${id}|${mapKey}`, next);
      return;
    }
    const table = this.renamedByMask[d]![kind]!;
    let byId = table.get(mask);
    if (byId === undefined || id >= byId.length) {
      const bigger = new Int32Array(Math.max(64, id + 1, (byId?.length ?? 0) * 2));
      if (byId !== undefined) bigger.set(byId);
      table.set(mask, (byId = bigger));
    }
    byId[id] = next + 1;
  }

  get active(): boolean {
    return this.fresh.length > 0;
  }

  private numbersIn(json: string, d: number): number[] {
    const out = new Set<number>();
    for (const m of json.matchAll(this.fresh[d]!.def.pattern)) out.add(Number(m[2]));
    return [...out];
  }

  private freshInLocal(local: number, d: number): readonly number[] {
    const memo = this.freshOfLocal[d]!;
    return memo[local] ?? (memo[local] = this.numbersIn(this.ids.localJson[local]!, d));
  }

  private freshInEvent(event: number, d: number): readonly number[] {
    const memo = this.freshOfEvent[d]!;
    return memo[event] ?? (memo[event] = this.numbersIn(this.ids.eventJson[event]!, d));
  }

  private freshMaskLocal(local: number, d: number): number {
    const memo = this.freshMaskOfLocal[d]!;
    const m = memo[local];
    return m !== undefined ? m : (memo[local] = maskOf(this.freshInLocal(local, d)));
  }

  private freshMaskEvent(event: number, d: number): number {
    const memo = this.freshMaskOfEvent[d]!;
    const m = memo[event];
    return m !== undefined ? m : (memo[event] = maskOf(this.freshInEvent(event, d)));
  }

  private freshCounter(local: number, d: number): number {
    const memo = this.freshCounterOf[d]!;
    const c = memo[local];
    return c !== undefined ? c : (memo[local] = (this.ids.locals[local]!.context as { fresh: Record<string, number> }).fresh[this.fresh[d]!.def.counter] ?? 0);
  }

  /**
   * Whether family `d`'s live ids are already 0..k-1 with the counter at k, from bitmasks (no
   * allocation): the case of nearly every successor. False also when it cannot tell (an id >= 30).
   */
  private freshCanonical(s: Int32Array, d: number): boolean {
    let mask = 0;
    const nc = this.layout.componentCount;
    for (let i = 0; i < nc; i++) {
      if (s[i] === 0) continue;
      const m = this.freshMaskLocal(s[i]!, d);
      if (m < 0) return false;
      mask |= m;
    }
    const offsets = this.layout.chanOffset;
    for (let c = 0; c < offsets.length; c++) {
      const off = offsets[c]!;
      const end = off + this.layout.chanBound[c]!;
      for (let p = off; p < end && s[p] !== 0; p++) {
        const m = this.freshMaskEvent(s[p]! - 1, d);
        if (m < 0) return false;
        mask |= m;
      }
    }
    if ((mask & (mask + 1)) !== 0) return false; // not of the form 2^k - 1
    const k = 31 - Math.clz32(mask + 1);
    const owner = s[this.fresh[d]!.owner]!;
    return (owner === 0 ? k : this.freshCounter(owner, d)) === k;
  }

  private rename(json: string, d: number, mapping: ReadonlyMap<number, number>): string {
    const renamed = json.replace(this.fresh[d]!.def.pattern, (_m, pre: string, num: string) => pre + mapping.get(Number(num))!);
    return canonicalJson(JSON.parse(renamed));
  }

  /**
   * Renames every live fresh id of each family to 0..k-1 (in order) and sets the counter to k.
   * Called on every successor, nearly all of them canonical already: the renaming is a method of
   * its own (renameFamily), so that this loop is what the compiler optimises for every step, not
   * the renaming with it (which it compiled two or three times in a `default` run, 40-70 ms).
   */
  canonicalize(s: Int32Array): void {
    for (let d = 0; d < this.fresh.length; d++) if (!this.freshCanonical(s, d)) this.renameFamily(s, d);
  }

  /** canonicalize for family `d`, whose live ids or counter may not be canonical yet. */
  private renameFamily(s: Int32Array, d: number): void {
    const { def, owner } = this.fresh[d]!;
    // The live ids, without allocating in the common case (already canonical).
    const sorted = this.freshUsed;
    sorted.length = 0;
    for (let i = 0; i < this.layout.componentCount; i++) if (s[i] !== 0) addAllNew(sorted, this.freshInLocal(s[i]!, d));
    for (let c = 0; c < this.layout.channelCount; c++) {
      const off = this.layout.chanOffset[c]!;
      const len = this.layout.chanLength(s, c);
      for (let p = 0; p < len; p++) addAllNew(sorted, this.freshInEvent(s[off + p]! - 1, d));
    }
    sorted.sort(byNumber);
    const ownerLocal = s[owner]!;
    const counter = ownerLocal === 0 ? sorted.length : ((this.ids.locals[ownerLocal]!.context as { fresh: Record<string, number> }).fresh[def.counter] ?? 0);
    let canonical = counter === sorted.length;
    for (let i = 0; canonical && i < sorted.length; i++) canonical = sorted[i] === i;
    if (canonical) return;
    // Ids compare as strings in the machines' sorted iteration: keep them single digits.
    if (sorted.length > 9) throw new Error(`system: more than 9 live ids of ${def.counter}; the model needs a smaller configuration`);
    // The renaming is a function of the live ids: by their bitmask, memoised without a string or a Map per state.
    const mask = maskOf(sorted);
    const mapKey = mask < 0 ? `${d}|${sorted.join(',')}` : '';
    let mapping: Map<number, number> | undefined;
    const mappingOf = () => (mapping ??= new Map(sorted.map((n, i) => [n, i] as const)));
    for (let i = 0; i < this.layout.componentCount; i++) {
      const local = s[i]!;
      if (local === 0 || (i !== owner && this.freshInLocal(local, d).length === 0)) continue;
      let next = this.renamedAs(d, 0, mask, mapKey, local);
      if (next < 0) {
        let json = this.rename(this.ids.localJson[local]!, d, mappingOf());
        if (i === owner) {
          const l = JSON.parse(json) as { context: { fresh: Record<string, number> } };
          l.context.fresh[def.counter] = sorted.length;
          json = canonicalJson(l);
        }
        next = this.ids.internLocalJson(i, json);
        this.remember(d, 0, mask, mapKey, local, next);
      }
      s[i] = next;
    }
    for (let c = 0; c < this.layout.channelCount; c++) {
      const off = this.layout.chanOffset[c]!;
      const len = this.layout.chanLength(s, c);
      let changed = false;
      for (let p = 0; p < len; p++) {
        const ev = s[off + p]! - 1;
        if (this.freshInEvent(ev, d).length === 0) continue;
        let next = this.renamedAs(d, 1, mask, mapKey, ev);
        if (next < 0) {
          next = this.ids.internEventJson(this.rename(this.ids.eventJson[ev]!, d, mappingOf()));
          this.remember(d, 1, mask, mapKey, ev, next);
        }
        s[off + p] = next + 1;
        changed = true;
      }
      if (changed && this.layout.chanFifo[c] === 0) s.subarray(off, off + len).sort();
    }
  }
}

const byNumber = (x: number, y: number): number => x - y;

/** The set of small numbers as a bitmask, or -1 when one is 30 or more. */
function maskOf(nums: readonly number[]): number {
  let m = 0;
  for (const x of nums) {
    if (x >= 30) return -1;
    m |= 1 << x;
  }
  return m;
}

/** Appends the numbers of `nums` that `into` does not hold yet (both tiny). */
function addAllNew(into: number[], nums: readonly number[]): void {
  for (let i = 0; i < nums.length; i++) if (!into.includes(nums[i]!)) into.push(nums[i]!);
}
