/**
 * The faults of a world state, each within its budget (a counter word per budget):
 *   - lose the head of a lossy channel;
 *   - restart a component (crash and recovery, a framework's or the master's failover): its
 *     channels are cleared, the peers of its notifyOnBreak channels are told LINK_BROKEN, and it
 *     starts again from what it checkpointed;
 *   - partition a component from everyone (its in-flight messages are lost and so is everything
 *     sent to or by it until it heals), and heal it (free: a partition is not an end state).
 */
import { ActionKind, encodeAction } from './action-code.ts';
import type { Actions } from './actions.ts';
import type { NotedAction, SystemDef } from './definition.ts';
import type { StateLayout } from './encoding.ts';
import type { Interning } from './interning.ts';
import type { LocalSteps } from './local-steps.ts';

export class Faults {
  /** Per slot: the channels a partition of it cuts. */
  private readonly cut: readonly (readonly number[])[];

  constructor(
    private readonly def: SystemDef,
    private readonly layout: StateLayout,
    private readonly ids: Interning,
    private readonly steps: LocalSteps,
    private readonly actions: Actions,
  ) {
    this.cut = layout.chansOf.map((chans) => chans.filter((chan) => layout.chanLocal[chan] === 0));
  }

  /** Pushes the faults enabled in `s`: losses first (in channel order), then restarts and partitions per component. */
  enabled(s: Int32Array, push: (a: number) => void): void {
    const L = this.layout;
    if (L.lossCounter >= 0 && s[L.lossCounter]! < L.lossBudget) {
      for (let c = 0; c < L.channelCount; c++) {
        const head = s[L.chanOffset[c]!]!;
        if (head !== 0 && this.mayLose(c, head - 1)) push(encodeAction(ActionKind.Lose, c));
      }
    }
    for (let i = 0; i < L.componentCount; i++) {
      const g = L.restartGroupOf[i];
      if (g !== undefined && s[i] !== 0 && s[L.restartCounter[g]!]! < L.restartBudget[g]!) {
        push(encodeAction(ActionKind.Restart, i));
      }
      if (L.partitionable[i] && L.partitionWord >= 0) {
        if (L.isPartitioned(s, i)) push(encodeAction(ActionKind.Heal, i));
        else if (s[L.partitionCounter]! < L.partitionBudget) push(encodeAction(ActionKind.Partition, i));
      }
    }
  }

  /** Whether the loss fault may drop event `event` from channel `chan`. */
  mayLose(chan: number, event: number): boolean {
    const lossy = this.def.channels[chan]!.lossy;
    if (lossy === true) return true;
    if (!lossy) return false;
    return lossy.includes(this.ids.events[event]!.type);
  }

  /** Applies a fault (already decoded) to `out` in place. False: not enabled. */
  apply(out: Int32Array, kind: ActionKind, arg1: number): boolean {
    const L = this.layout;
    switch (kind) {
      case ActionKind.Lose:
        if (L.lossCounter < 0 || out[L.chanOffset[arg1]!] === 0 || !this.mayLose(arg1, out[L.chanOffset[arg1]!]! - 1)) return false;
        L.removeAt(out, arg1, 0);
        out[L.lossCounter]!++;
        return true;
      case ActionKind.Restart: {
        const g = L.restartGroupOf[arg1]!;
        out[L.restartCounter[g]!]!++;
        const crashed = out[arg1]!;
        out[arg1] = 0;
        if (!this.actions.breakLinks(out, arg1)) return false;
        const o = this.steps.restartOutcome(arg1, crashed);
        out[arg1] = o.next;
        return this.actions.applyEffects(out, arg1, o.effects);
      }
      case ActionKind.Partition:
        if (L.partitionWord < 0) return false;
        out[L.partitionCounter]!++;
        out[L.partitionWord]! |= 1 << L.partitionBitOf[arg1]!;
        for (const chan of this.cutBy(arg1)) L.clearChannel(out, chan);
        return true;
      case ActionKind.Heal:
        if (L.partitionWord < 0) return false;
        out[L.partitionWord]! &= ~(1 << L.partitionBitOf[arg1]!);
        return true;
      default:
        throw new Error(`system: action kind ${kind} is not a fault`);
    }
  }

  /** The channels a restart of `comp` clears: all of its own. */
  clearedByRestart(comp: number): readonly number[] {
    return this.layout.chansOf[comp]!;
  }

  /** The channels a partition of `comp` cuts (and clears): its own but loopback ones. */
  cutBy(comp: number): readonly number[] {
    return this.cut[comp]!;
  }

  /** The name of the budget action `kind` on `arg1` spends: `loss`, a restart group's name, `partition` (healing spends none). */
  budgetOf(kind: ActionKind, arg1: number): string | undefined {
    switch (kind) {
      case ActionKind.Lose:
        return 'loss';
      case ActionKind.Restart:
        return this.def.faults!.restarts![this.layout.restartGroupOf[arg1]!]!.name;
      case ActionKind.Partition:
        return 'partition';
      default:
        return undefined;
    }
  }

  /** What the cause recorder is told of a fault (healing is no fault of anyone's: nothing). */
  noted(kind: ActionKind, arg1: number): NotedAction | null {
    const name = (c: number) => this.def.components[c]!.name;
    switch (kind) {
      case ActionKind.Lose:
        return { fault: 'loss', component: name(this.layout.chanFrom[arg1]!) };
      case ActionKind.Restart:
      case ActionKind.Partition:
        return { fault: this.budgetOf(kind, arg1)!, component: name(arg1) };
      default:
        return null;
    }
  }
}
