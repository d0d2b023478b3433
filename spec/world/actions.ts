/**
 * The enabled steps of the components and channels of a world state, and what they do to it:
 *   - deliver the head of a FIFO channel, or any item of a bag channel (a scheduler's calls are
 *     separate HTTP requests and may overtake each other), to a running receiver;
 *   - fire a pending timer of a component (timing 'abstract': at any moment; timing 'eager': only
 *     while no message is in flight, i.e. the network is faster than every timer);
 *   - an environment event of a component (how a task ends, what a framework wants), when the
 *     machine takes it.
 * And the interpretation of what a step emitted (sends, spawns, stops, broken links), which the
 * faults (faults.ts) use too. Faults are not here.
 */
import { ActionKind, CHOICE_LIMIT, encodeAction } from './action-code.ts';
import type { SystemDef } from './definition.ts';
import type { StateLayout } from './encoding.ts';
import type { Interning } from './interning.ts';
import type { Compiled, LocalSteps } from './local-steps.ts';

export class Actions {
  private readonly abstractTiming: boolean;
  /* The layout's per-channel arrays, held here too: the hot path reads them on every step. */
  private readonly chanOffset: readonly number[];
  private readonly chanTo: Int32Array;
  private readonly chanFrom: Int32Array;
  private readonly chanBound: Int32Array;
  private readonly chanFifo: Uint8Array;
  private readonly chanLocal: Uint8Array;
  private readonly hasChoices: Uint8Array;
  private readonly componentCount: number;

  constructor(
    def: SystemDef,
    private readonly layout: StateLayout,
    private readonly ids: Interning,
    private readonly steps: LocalSteps,
  ) {
    this.abstractTiming = def.timing === 'abstract';
    this.chanOffset = layout.chanOffset;
    this.chanTo = layout.chanTo;
    this.chanFrom = layout.chanFrom;
    this.chanBound = layout.chanBound;
    this.chanFifo = layout.chanFifo;
    this.chanLocal = layout.chanLocal;
    this.hasChoices = steps.hasChoices;
    this.componentCount = layout.componentCount;
  }

  /**
   * Pushes the deliveries, timers and environment events enabled in `s` (in that order per kind:
   * deliveries first). Under eager timing a timer fires only while no message is in flight, but
   * those on the channels marked in `timersIgnore` (messages that may wait at their receiver as
   * long as it likes: conformance/beliefs.ts); the early timers fire regardless.
   */
  enabled(s: Int32Array, push: (a: number) => void, timersIgnore?: Uint8Array): void {
    const idle = this.abstractTiming || (timersIgnore ? this.layout.networkIdleExcept(s, timersIgnore) : this.layout.networkIdle(s));
    this.deliveries(s, push);
    const n = this.componentCount;
    const firableOf = this.ids.firable;
    const earlyOf = this.ids.early;
    for (let i = 0; i < n; i++) {
      const local = s[i]!;
      if (local === 0) continue;
      const firable = idle ? firableOf[local]! : earlyOf[local]!;
      for (let k = 0; k < firable.length; k++) push(encodeAction(ActionKind.Timer, i, firable[k]!));
      const env = this.steps.environmentActions(i, local);
      for (let k = 0; k < env.length; k++) push(env[k]!);
    }
  }

  /** The deliveries of `s`, in channel order. */
  deliveries(s: Int32Array, push: (a: number) => void): void {
    const nc = this.chanOffset.length;
    for (let c = 0; c < nc; c++) {
      const off = this.chanOffset[c]!;
      if (s[off] === 0) continue;
      const to = this.chanTo[c]!;
      const positions = this.chanFifo[c] === 1 ? 1 : this.layout.chanLength(s, c);
      for (let p = 0; p < positions; p++) {
        const word = s[off + p]!;
        if (p > 0 && s[off + p - 1] === word) continue; // the same message twice in a bag: one action
        const n = this.hasChoices[to] === 1 ? this.steps.choiceEvents(to, word - 1).length : 1;
        for (let k = 0; k < n; k++) push(encodeAction(ActionKind.Deliver, c, p * CHOICE_LIMIT + k));
      }
    }
  }

  /** Applies a delivery, timer or environment action (already decoded) to `out` in place. False: not enabled. */
  apply(out: Int32Array, kind: ActionKind, arg1: number, arg2: number): boolean {
    switch (kind) {
      case ActionKind.Deliver: {
        const to = this.chanTo[arg1]!;
        let event = this.layout.removeAt(out, arg1, (arg2 / CHOICE_LIMIT) | 0);
        let alternatives = 1;
        if (this.hasChoices[to] === 1) {
          const choices = this.steps.choiceEvents(to, event);
          event = choices[arg2 % CHOICE_LIMIT]!;
          alternatives = choices.length;
        }
        const o = this.steps.deliverOutcome(to, out[to]!, event);
        // An ignored message is consumed; an alternative reaction the machine does not take is
        // simply not one of the things that can happen.
        if (o.noop && alternatives > 1) return false;
        out[to] = o.next;
        return this.applyEffects(out, to, o.effects);
      }
      case ActionKind.Timer: {
        const o = this.steps.timerOutcome(arg1, out[arg1]!, arg2);
        out[arg1] = o.next;
        return this.applyEffects(out, arg1, o.effects);
      }
      case ActionKind.Environment: {
        const o = this.steps.envOutcome(arg1, out[arg1]!, arg2);
        if (o.noop) return false;
        out[arg1] = o.next;
        return this.applyEffects(out, arg1, o.effects);
      }
      default:
        throw new Error(`system: action kind ${kind} is a fault`);
    }
  }

  /** Appends (FIFO) or inserts in sorted position (bag). False if the send makes the action disabled. */
  private enqueue(s: Int32Array, c: Extract<Compiled, { k: 'send' }>): boolean {
    const chan = c.chan;
    const to = this.chanTo[chan]!;
    const off = this.chanOffset[chan]!;
    if (c.mode === 'empty' && s[off] !== 0) return false;
    // Lost in transit: the receiver is not running, or either end is cut off.
    if (s[to] === 0) return true;
    const pw = this.layout.partitionWord;
    if (pw >= 0 && s[pw] !== 0 && this.chanLocal[chan] === 0 && (this.layout.isPartitioned(s, this.chanFrom[chan]!) || this.layout.isPartitioned(s, to))) return true;
    const len = this.layout.chanLength(s, chan);
    if (len >= this.chanBound[chan]!) return c.mode === 'drop';
    this.layout.insert(s, chan, len, c.event);
    return true;
  }

  /** Applies compiled effects emitted by `comp`. False: the action is disabled (a blocking send). */
  applyEffects(s: Int32Array, comp: number, effects: readonly Compiled[]): boolean {
    for (let i = 0; i < effects.length; i++) {
      const e = effects[i]!;
      switch (e.k) {
        case 'send':
          if (!this.enqueue(s, e)) return false;
          break;
        case 'lost':
          break;
        case 'spawn':
          if (s[e.comp] !== 0) throw new Error(`system: spawn of ${this.layout.def.components[e.comp]!.name}, which is running`);
          s[e.comp] = e.start.next;
          if (!this.applyEffects(s, e.comp, e.start.effects)) return false;
          break;
        case 'stop':
          if (!this.stopComponent(s, e.comp)) return false;
          for (const n of e.notify) if (!this.deliverNow(s, n.comp, n.event)) return false;
          break;
        case 'now':
          if (!this.deliverNow(s, e.comp, e.event)) return false;
          if (s[comp] === 0) return true; // stopped in answer (an aborted writer): the rest never happens
          break;
        case 'depose':
          if (!this.depose(s, e)) return false;
          break;
      }
    }
    return true;
  }

  /** Delivers an event immediately (not through a channel): a notification, a broken link, a cause record. */
  deliverNow(s: Int32Array, comp: number, event: number): boolean {
    if (s[comp] === 0) return true;
    const o = this.steps.deliverOutcome(comp, s[comp]!, event);
    s[comp] = o.next;
    return this.applyEffects(s, comp, o.effects);
  }

  /** Clears every channel of `comp` and tells the receivers of its notifyOnBreak channels: the TCP connections closed. */
  breakLinks(s: Int32Array, comp: number): boolean {
    const chans = this.layout.chansOf[comp]!;
    for (let i = 0; i < chans.length; i++) this.layout.clearChannel(s, chans[i]!);
    const notify = this.layout.notifyOnBreakOf[comp]!;
    if (notify.length === 0) return true;
    const broken = this.steps.linkBroken(comp);
    for (let i = 0; i < notify.length; i++) if (!this.deliverNow(s, notify[i]!, broken)) return false;
    return true;
  }

  /**
   * The component in `e.from` goes on in slot `e.to` with its messages in flight; its other
   * channels are cleared, a new component starts in `e.from`, and then the peers of the old one's
   * notifyOnBreak channels are told the link broke (they reconnect to the new one).
   */
  private depose(s: Int32Array, e: Extract<Compiled, { k: 'depose' }>): boolean {
    const local = s[e.from]!;
    if (local === 0) return true;
    if (s[e.to] !== 0) throw new Error(`system: depose into ${this.layout.def.components[e.to]!.name}, which is running`);
    for (const [a, b] of e.chans) {
      this.layout.clearChannel(s, b);
      const len = this.layout.chanLength(s, a);
      for (let i = 0; i < len; i++) this.layout.insert(s, b, i, this.layout.item(s, a, i));
    }
    const chans = this.layout.chansOf[e.from]!;
    for (let i = 0; i < chans.length; i++) this.layout.clearChannel(s, chans[i]!);
    s[e.to] = local;
    s[e.from] = e.start.next;
    if (!this.applyEffects(s, e.from, e.start.effects)) return false;
    const notify = this.layout.notifyOnBreakOf[e.from]!;
    const broken = this.steps.linkBroken(e.from);
    for (let i = 0; i < notify.length; i++) if (!this.deliverNow(s, notify[i]!, broken)) return false;
    return true;
  }

  private stopComponent(s: Int32Array, comp: number): boolean {
    if (s[comp] === 0) return true;
    s[comp] = 0;
    return this.breakLinks(s, comp);
  }
}
