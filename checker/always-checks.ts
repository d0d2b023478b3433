/**
 * The `always` properties of a model on a new state, asked a unit at a time: the fast answer
 * "every one of them holds here", or "ask them one by one" (then the explorers do exactly what
 * they did before, in property order, so verdicts and traces do not change).
 *
 * Why: on most new states every property holds, and most steps move words few properties read.
 * Asking each property whether the step moved its words, then each moved one for its verdict,
 * was two fifths of a run of the largest protocol model with every memo warm (40-odd properties, about 330
 * thousand new states). A unit is
 *   - a group (PropertyGroup, checker/model.ts): members that read the same words and answer
 *     together in one call, a memo row the model looks up once; or
 *   - the ungrouped properties that read the same words: one comparison of those words for all.
 * A unit whose words the step did not move is skipped (the source passed every open member:
 * checker/model.ts, `reads`). Once a member has a violation (`settle`), its unit asks the others
 * one by one: the group's answer would include the settled one.
 */
import { sameReads, type Property, type PropertyGroup } from './model.ts';

interface Unit {
  readonly reads: Int32Array | undefined;
  readonly group: PropertyGroup | undefined;
  readonly members: number[];
  /** Members without a violation yet. */
  open: number;
}

export class AlwaysChecks {
  private readonly units: Unit[] = [];
  private readonly unitOf: Int32Array;
  private readonly settled: Uint8Array;

  constructor(private readonly props: readonly Property[]) {
    this.unitOf = new Int32Array(props.length).fill(-1);
    this.settled = new Uint8Array(props.length);
    const byKey = new Map<unknown, number>();
    props.forEach((p, i) => {
      if (p.kind !== 'always') return;
      // A group is its own key; ungrouped properties share a unit with those reading the same words.
      const key = p.group ?? (p.reads === undefined ? `all ${i}` : Array.from(p.reads).join(','));
      let u = byKey.get(key);
      if (u === undefined) {
        byKey.set(key, (u = this.units.length));
        this.units.push({ reads: p.reads, group: p.group, members: [], open: 0 });
      }
      this.units[u]!.members.push(i);
      this.units[u]!.open++;
      this.unitOf[i] = u;
    });
  }

  /** Property `i` has its violation: it is not asked again, and its group no longer answers for its unit. */
  settle(i: number): void {
    const u = this.unitOf[i]!;
    if (u < 0 || this.settled[i] === 1) return;
    this.settled[i] = 1;
    this.units[u]!.open--;
  }

  /**
   * True when every `always` property not settled surely holds on `state`, reached from `from`
   * (null: an initial state). False: one of them may not; ask them one by one.
   */
  allHold(state: Int32Array, from: Int32Array | null): boolean {
    const units = this.units;
    for (let k = 0; k < units.length; k++) {
      const u = units[k]!;
      if (u.open === 0) continue;
      if (from !== null && sameReads(u.reads, state, from)) continue;
      const members = u.members;
      if (u.group !== undefined && u.open === members.length) {
        if (!u.group.allHold(state)) return false;
        continue;
      }
      for (let m = 0; m < members.length; m++) {
        const i = members[m]!;
        if (this.settled[i] === 0 && !this.props[i]!.holds(state)) return false;
      }
    }
    return true;
  }
}
