/**
 * Partial-order reduction over the world's components and channels: an ample set of a state is
 * every enabled action of one component P (its deliveries, timers and environment events), chosen
 * only when the structure of the world guarantees Clarke, Grumberg and Peled's conditions C1
 * (independence) and, with the model's help, C2 (invisibility). The checker adds C0 (non-empty,
 * proper) and the cycle proviso (checker/explore.ts).
 *
 * C1: no action outside the set that can happen before one of the set is dependent on it. The
 * actions of P touch P's local state, the heads of P's incoming channels and the tails of its
 * outgoing ones. So P qualifies only when:
 *   - a message to P is in flight and every incoming channel of P is FIFO and non-empty: a message
 *     that arrives later queues behind a head that only P can take, so no new action of P can
 *     overtake the set, and a sender's append commutes with P's taking the head;
 *   - no sender may drop into an incoming channel of P ('drop' mode into a full channel does not
 *     commute with P taking its head: ChannelDef.mayDrop), and P drops into no full channel;
 *   - every action P has is enabled (none waits for room in a channel someone else empties) and
 *     none spawns or stops a component;
 *   - no fault can touch P or a peer of P: no restart or partition budget left for them, no
 *     partition in force on them, no loss budget left on P's channels;
 *   - every component of the system is permanent (never stopped or spawned: a stop's notices can
 *     reach any component), the system renames no fresh ids (a renaming reads the whole state),
 *     and P takes no environment event, nor a timer, when a cause recorder listens (every
 *     environment event and fault writes the recorder, and so may a timer).
 * C2: every action of the set is invisible: it takes from and sends to no channel a property
 * reads, and the model says its properties cannot tell P's local state before from after
 * (`Visibility`). A local step of P is the same step in every state where P is in that local state,
 * so judging it once is judging it wherever the reduction moves it.
 *
 * Quiescent and terminal states are preserved exactly, not only up to stuttering: one of them has
 * no message in flight, so every path to it from a reduced state takes P's pending message, hence
 * an action of the set first, which moves to the front. So the eventually-properties and the
 * deadlock check see every state they see without reduction.
 *
 * A drop send into a channel not declared mayDrop is found when it is first compiled; once a
 * reduction has been made, that is an error (local-steps.ts), so no verdict rests on a wrong
 * assumption.
 */
import { ActionKind, encodeAction } from './action-code.ts';
import type { SystemDef } from './definition.ts';
import type { StateLayout } from './encoding.ts';
import type { Interning } from './interning.ts';
import type { LocalSteps, Outcome } from './local-steps.ts';

/** What the properties of a model see (C2): the channels they read, and which local changes they cannot tell apart. */
export interface Visibility {
  /** True when some `always` or `sometimes` property reads channel `chan`. */
  channel(chan: number): boolean;
  /** True when no `always` or `sometimes` property can tell component `comp` in local state `before` from `after`. */
  sameLocal(comp: number, before: number, after: number): boolean;
}

export class PartialOrder {
  /** The structural preconditions that do not depend on the state. */
  private readonly possible: boolean;
  private readonly abstractTiming: boolean;
  private readonly hasRecorder: boolean;
  private readonly lossy: Uint8Array;
  private readonly tried: Uint8Array;
  private readonly set: number[] = [];

  constructor(
    def: SystemDef,
    private readonly layout: StateLayout,
    private readonly ids: Interning,
    private readonly steps: LocalSteps,
    freshIds: boolean,
  ) {
    this.possible = def.components.every((c) => c.permanent === true && c.running) && !freshIds;
    this.abstractTiming = def.timing === 'abstract';
    this.hasRecorder = def.recorder !== undefined;
    this.lossy = Uint8Array.from(def.channels, (ch) => (ch.lossy === true || (Array.isArray(ch.lossy) && ch.lossy.length > 0) ? 1 : 0));
    this.tried = new Uint8Array(layout.componentCount);
  }

  /** Pushes an ample set of `s` among its enabled actions `enabled[0..n)`, or nothing. */
  ample(s: Int32Array, enabled: Int32Array, n: number, visibility: Visibility, push: (a: number) => void): void {
    if (!this.possible) return;
    this.tried.fill(0);
    for (let k = 0; k < n; k++) {
      const a = enabled[k]!;
      if ((a & 7) !== ActionKind.Deliver) continue;
      const p = this.layout.chanTo[(a >>> 3) & 1023]!;
      if (this.tried[p] === 1) continue;
      this.tried[p] = 1;
      if (this.collect(s, p, enabled, n, visibility)) {
        if (this.set.length < n) {
          this.steps.reducing = true;
          for (const x of this.set) push(x);
        }
        return;
      }
    }
  }

  /** Whether every enabled action of `p` forms a safe set; if so, it is left in `this.set`. */
  private collect(s: Int32Array, p: number, enabled: Int32Array, n: number, visibility: Visibility): boolean {
    const L = this.layout;
    this.set.length = 0;
    if (this.faultMayTouch(s, p)) return false;
    const local = s[p]!;
    for (const chan of L.chansOf[p]!) {
      if (this.lossy[chan] === 1 && L.lossCounter >= 0 && s[L.lossCounter]! < L.lossBudget) return false;
      const incoming = L.chanTo[chan] === p;
      const peer = incoming ? L.chanFrom[chan]! : L.chanTo[chan]!;
      if (peer !== p && this.faultMayTouch(s, peer)) return false;
      if (!incoming) continue;
      if (L.chanFifo[chan] !== 1 || s[L.chanOffset[chan]!] === 0 || this.steps.dropInto[chan] === 1 || visibility.channel(chan)) return false;
      // Its head, with each reaction P may choose.
      const head = L.item(s, chan, 0);
      const choices = this.steps.hasChoices[p] === 1 ? this.steps.choiceEvents(p, head) : undefined;
      const count = choices ? choices.length : 1;
      for (let k = 0; k < count; k++) {
        const o = this.steps.deliverOutcome(p, local, choices ? choices[k]! : head);
        // A reaction the machine does not take is no action at all.
        if (o.noop && count > 1) continue;
        if (!this.admit(s, encodeAction(ActionKind.Deliver, chan, k), o, p, local, enabled, n, visibility)) return false;
      }
    }
    // Timers fire while a message is in flight only under abstract timing, or as early timers; a cause recorder hears of some.
    {
      const firable = this.abstractTiming ? this.ids.firable[local]! : this.ids.early[local]!;
      if (firable.length > 0 && this.hasRecorder) return false;
      for (let k = 0; k < firable.length; k++) {
        if (!this.admit(s, encodeAction(ActionKind.Timer, p, firable[k]!), this.steps.timerOutcome(p, local, firable[k]!), p, local, enabled, n, visibility)) return false;
      }
    }
    const env = this.steps.environmentActions(p, local);
    if (env.length > 0 && this.hasRecorder) return false;
    for (let k = 0; k < env.length; k++) {
      const a = env[k]!;
      if (!this.admit(s, a, this.steps.envOutcome(p, local, (a >>> 3) >>> 10), p, local, enabled, n, visibility)) return false;
    }
    return this.set.length > 0;
  }

  private admit(s: Int32Array, a: number, o: Outcome, p: number, local: number, enabled: Int32Array, n: number, visibility: Visibility): boolean {
    let on = false;
    for (let k = 0; k < n && !on; k++) on = enabled[k] === a;
    if (!on) return false;
    for (const e of o.effects) {
      if (e.k === 'spawn' || e.k === 'stop' || e.k === 'now' || e.k === 'depose') return false;
      if (e.k !== 'send') continue;
      if (visibility.channel(e.chan)) return false;
      // Dropped or not depends on whether the receiver takes a message first: only while there is room is it the same.
      if (e.mode === 'drop' && this.layout.chanLength(s, e.chan) >= this.layout.chanBound[e.chan]!) return false;
    }
    if (o.next !== local && !visibility.sameLocal(p, local, o.next)) return false;
    this.set.push(a);
    return true;
  }

  /** A restart or partition of `c` is still possible, or `c` is cut off now. */
  private faultMayTouch(s: Int32Array, c: number): boolean {
    const L = this.layout;
    const g = L.restartGroupOf[c];
    if (g !== undefined && s[L.restartCounter[g]!]! < L.restartBudget[g]!) return true;
    return L.partitionable[c] === true && L.partitionWord >= 0 && (L.isPartitioned(s, c) || s[L.partitionCounter]! < L.partitionBudget);
  }
}
