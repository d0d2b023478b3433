/**
 * Symmetry reduction over interchangeable parts (SystemDef.symmetry): a representative of a
 * state's orbit under renaming interchangeable agents or frameworks, every occurrence of their
 * names in every local state, message, component and channel.
 */
import { canonicalJson } from '../canonical.ts';
import type { StateLayout } from './encoding.ts';
import type { Interning } from './interning.ts';

export class Symmetry {
  private readonly symmetryGroups: readonly SymmetryGroup[];
  private readonly symmetryRenamed = new Map<string, number>();
  private symmetryGroupCount = 0;

  constructor(
    groups: readonly (readonly (readonly string[])[])[],
    private readonly layout: StateLayout,
    private readonly ids: Interning,
  ) {
    this.symmetryGroups = groups.map((members) => this.symmetryGroup(members));
  }

  get active(): boolean {
    return this.symmetryGroups.length > 0;
  }

  private symmetryGroup(members: readonly (readonly string[])[]): SymmetryGroup {
    const width = members[0]?.length ?? 0;
    if (members.some((m) => m.length !== width)) throw new Error('system: the members of a symmetry group need the same number of names');
    const owned = members.map((tokens) => this.layout.def.components.map((c, i) => (tokens.some((t) => tokenIn(c.name, t)) ? i : -1)).filter((i) => i >= 0));
    return { index: this.symmetryGroupCount++, members, owned, perms: new Map() };
  }

  /** The renaming that sends member i to position p[i]: component and channel maps, and a string renamer. */
  private permutation(g: SymmetryGroup, p: readonly number[]): Permutation {
    const key = p.join(',');
    let perm = g.perms.get(key);
    if (perm) return perm;
    const map = new Map<string, string>();
    g.members.forEach((tokens, i) => tokens.forEach((t, k) => map.set(t, g.members[p[i]!]![k]!)));
    const tokens = [...map.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const pattern = new RegExp(`(?<![A-Za-z0-9_-])(${tokens.join('|')})(?![A-Za-z0-9_])`, 'g');
    const renameString = (x: string) => x.replace(pattern, (t) => map.get(t)!);
    const comp = this.layout.def.components.map((c) => this.layout.comp(renameString(c.name)));
    const chan = this.layout.def.channels.map((ch) => {
      const to = this.layout.channel(renameString(ch.from), renameString(ch.to));
      if (to === undefined) throw new Error(`system: symmetry maps channel ${ch.from}>${ch.to} to no channel`);
      return to;
    });
    perm = { key: `${g.index}:${key}`, comp, chan, renameString, identity: p.every((x, i) => x === i) };
    g.perms.set(key, perm);
    return perm;
  }

  private renameLocal(local: number, comp: number, perm: Permutation): number {
    const key = `${perm.key}|L${local}`;
    let next = this.symmetryRenamed.get(key);
    if (next === undefined) {
      next = this.ids.internLocalJson(comp, canonicalJson(JSON.parse(perm.renameString(this.ids.localJson[local]!))));
      this.symmetryRenamed.set(key, next);
    }
    return next;
  }

  private renameEvent(event: number, perm: Permutation): number {
    const key = `${perm.key}|E${event}`;
    let next = this.symmetryRenamed.get(key);
    if (next === undefined) {
      next = this.ids.internEventJson(canonicalJson(JSON.parse(perm.renameString(this.ids.eventJson[event]!))));
      this.symmetryRenamed.set(key, next);
    }
    return next;
  }

  /** Writes `s` renamed by `perm` into `out`. */
  private applyPermutation(s: Int32Array, perm: Permutation, out: Int32Array): void {
    out.set(s);
    for (let i = 0; i < this.layout.componentCount; i++) out[perm.comp[i]!] = s[i] === 0 ? 0 : this.renameLocal(s[i]!, perm.comp[i]!, perm);
    for (let c = 0; c < this.layout.channelCount; c++) {
      const to = perm.chan[c]!;
      const from = this.layout.chanOffset[c]!;
      const dst = this.layout.chanOffset[to]!;
      const len = this.layout.chanLength(s, c);
      for (let p = 0; p < this.layout.chanBound[to]!; p++) out[dst + p] = p < len ? this.renameEvent(s[from + p]! - 1, perm) + 1 : 0;
      if (this.layout.chanFifo[to] === 0) out.subarray(dst, dst + len).sort();
    }
    if (this.layout.partitionWord >= 0) {
      let mask = 0;
      for (let i = 0; i < this.layout.componentCount; i++) if (this.layout.isPartitioned(s, i)) mask |= 1 << this.layout.partitionBitOf[perm.comp[i]!]!;
      out[this.layout.partitionWord] = mask;
    }
  }

  /**
   * A representative of the state's symmetry class. In each group the members are first ordered
   * by what their own components are (seen from the first member's position); among members that
   * tie, every ordering is tried and the least resulting state vector wins. Deterministic and
   * within the class, so the reduction is sound; exact within a group, groups taken in turn.
   */
  canonicalize(s: Int32Array, out: Int32Array): void {
    out.set(s);
    if (this.symmetryGroups.length === 0) return;
    const tmp = new Int32Array(this.layout.width);
    const best = new Int32Array(this.layout.width);
    for (const g of this.symmetryGroups) {
      const n = g.members.length;
      const signatures: number[][] = [];
      for (let i = 0; i < n; i++) {
        // Member i seen from position 0: swap i and 0, read what now stands in member 0's place.
        const swap = Array.from({ length: n }, (_, k) => (k === i ? 0 : k === 0 ? i : k));
        const perm = this.permutation(g, swap);
        signatures.push(g.owned[i]!.map((c) => (out[c] === 0 ? 0 : this.renameLocal(out[c]!, perm.comp[c]!, perm))));
      }
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareArrays(signatures[a]!, signatures[b]!) || a - b);
      // Runs of equal signatures: every ordering within a run is a candidate.
      let candidates: number[][] = [[]];
      for (let k = 0; k < n;) {
        let e = k + 1;
        while (e < n && compareArrays(signatures[order[k]!]!, signatures[order[e]!]!) === 0) e++;
        const run = order.slice(k, e);
        const next: number[][] = [];
        for (const prefix of candidates) for (const q of permutationsOf(run)) next.push([...prefix, ...q]);
        candidates = next;
        k = e;
      }
      let found = false;
      for (const ordering of candidates) {
        // Member ordering[k] goes to position k.
        const p = new Array<number>(n);
        ordering.forEach((member, position) => (p[member] = position));
        const perm = this.permutation(g, p);
        if (perm.identity) tmp.set(out);
        else this.applyPermutation(out, perm, tmp);
        if (!found || compareVectors(tmp, best) < 0) {
          best.set(tmp);
          found = true;
        }
      }
      out.set(best);
    }
  }
}

interface SymmetryGroup {
  readonly index: number;
  readonly members: readonly (readonly string[])[];
  /** The components each member owns (whose names contain one of its tokens). */
  readonly owned: readonly (readonly number[])[];
  readonly perms: Map<string, Permutation>;
}

interface Permutation {
  readonly key: string;
  /** Where each component and channel goes. */
  readonly comp: readonly number[];
  readonly chan: readonly number[];
  readonly renameString: (x: string) => string;
  readonly identity: boolean;
}

function tokenIn(name: string, token: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(token)}(?![A-Za-z0-9_])`).test(name);
}

function escapeRegExp(x: string): string {
  return x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compareVectors(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function permutationsOf(xs: readonly number[]): number[][] {
  if (xs.length <= 1) return [[...xs]];
  const out: number[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

function compareArrays(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
