/**
 * The memoised steps of the components: the result of every (local state, event) step, compiled
 * to channel and slot indices, so XState runs once per distinct local transition, never once per
 * global one (DESIGN.md section 6). What the world does with a step's effects is actions.ts.
 */
import type { AnyEventObject } from 'xstate';
import { canonicalJson } from '../canonical.ts';
import { fire, initial, step, type Effect, type Local, type StepResult } from '../step.ts';
import { ActionKind, CHOICE_LIMIT, encodeAction } from './action-code.ts';
import type { SystemDef } from './definition.ts';
import type { StateLayout } from './encoding.ts';
import type { Interning } from './interning.ts';

export type Compiled =
  | { readonly k: 'send'; readonly chan: number; readonly event: number; readonly mode: 'block' | 'drop' | 'empty' }
  | { readonly k: 'lost' }
  | { readonly k: 'spawn'; readonly comp: number; readonly start: Outcome }
  | { readonly k: 'stop'; readonly comp: number; readonly notify: readonly { comp: number; event: number }[] }
  | { readonly k: 'now'; readonly comp: number; readonly event: number }
  | { readonly k: 'depose'; readonly from: number; readonly to: number; readonly chans: readonly (readonly [number, number])[]; readonly start: Outcome };

/** A memoised step: the next local id and the effects, compiled to channel and slot indices. */
export interface Outcome {
  readonly next: number;
  readonly effects: readonly Compiled[];
  /** The machine took no transition: same local state, nothing emitted. */
  readonly noop: boolean;
}

const NO_CHOICE: readonly Record<string, unknown>[] = [{}];

export class LocalSteps {
  private readonly ignored: ReadonlySet<string>;
  /*
   * Memo tables, per component slot then per local id (two slots running the same machine may
   * share a local id, and what a step emits depends on the slot: its sends come from its address).
   * Local ids and event ids are small dense integers, so these are arrays, not Maps.
   */
  /** [slot][local][event]: delivering an event. */
  private readonly deliverMemo: (Outcome | undefined)[][][] = [];
  /** [slot][local][timer index]: firing a pending timer. */
  private readonly timerMemo: (Outcome | undefined)[][][] = [];
  /** [slot][local][environment index]: an environment event. */
  private readonly envMemo: (Outcome | undefined)[][][] = [];
  /** [slot][local]: the encoded environment actions the slot takes in that local state. */
  private readonly envActs: (Int32Array | undefined)[][] = [];
  /** [slot][local]: a restart from that local state (restartInput is a function of the context). */
  private readonly restartMemo: (Outcome | undefined)[][] = [];
  private readonly startMemo = new Map<string, Outcome>();
  /** [slot][event]: the reactions a slot may choose, and the event id each one delivers. */
  private readonly choiceMemo: (readonly Record<string, unknown>[] | undefined)[][] = [];
  private readonly choiceEventMemo: (Int32Array | undefined)[][] = [];
  private readonly brokenEvent = new Map<number, number>();
  /** Per slot: 1 if its component has `choices`. */
  readonly hasChoices: Uint8Array;

  /** Per channel: 1 if a sender may send into it in 'drop' mode (declared `mayDrop`, or one such send compiled). */
  readonly dropInto: Uint8Array;
  /** Set once partial-order reduction has relied on `dropInto` (partial-order.ts): a new drop channel then is an error. */
  reducing = false;
  /** Counters for the benchmark: XState calls made versus steps asked for. */
  readonly stats = { steps: 0, xstateCalls: 0 };
  /** Called once per distinct local step, for coverage (a delivery or timer that changes nothing too: see observe). */
  onLocalTransition?: (comp: number, from: Local, event: AnyEventObject, to: Local) => void;
  /** Judges every distinct delivery and timer step (see System.audit). */
  audit?: (component: string, from: Local, event: AnyEventObject, result: StepResult) => string | null;

  constructor(
    private readonly def: SystemDef,
    private readonly layout: StateLayout,
    private readonly ids: Interning,
  ) {
    this.ignored = new Set(def.ignoredEffects ?? []);
    this.hasChoices = Uint8Array.from(def.components, (c) => (c.choices ? 1 : 0));
    this.dropInto = Uint8Array.from(def.channels, (ch) => (ch.mayDrop ? 1 : 0));
    for (let i = 0; i < def.components.length; i++) {
      this.deliverMemo.push([]);
      this.timerMemo.push([]);
      this.envMemo.push([]);
      this.envActs.push([]);
      this.restartMemo.push([]);
      this.choiceMemo.push([]);
      this.choiceEventMemo.push([]);
    }
  }

  private compile(comp: number, result: StepResult): Outcome {
    const from = this.def.components[comp]!.name;
    const effects: Compiled[] = [];
    for (const e of result.effects) effects.push(this.compileEffect(comp, from, e, result.local.context));
    return { next: this.ids.internLocal(comp, result.local), effects, noop: false };
  }

  private compileEffect(comp: number, from: string, e: Effect, context: unknown): Compiled {
    switch (e.type) {
      case 'send': {
        const to = this.resolveAddress(e.to as string);
        const chan = this.layout.channel(from, to);
        if (chan === undefined && this.def.unheard?.includes(from) && this.layout.hasComponent(to)) return { k: 'lost' };
        if (chan === undefined) {
          if (!this.layout.hasComponent(to)) throw new Error(`system: ${from} sent to unknown address ${to}`);
          throw new Error(`system: no channel ${from} -> ${to}`);
        }
        const { type: _t, to: _to, msg, mode, ...envelope } = e;
        const sent = { ...(msg as AnyEventObject), ...envelope, from };
        const event = this.ids.internEvent(this.def.authenticate ? this.def.authenticate(from, to, context, sent) : sent);
        if (mode === 'drop' && this.dropInto[chan] === 0) {
          if (this.reducing) throw new Error(`system: ${from} sends to ${to} in 'drop' mode, which partial-order reduction assumed no one does: declare the channel mayDrop`);
          this.dropInto[chan] = 1;
        }
        return { k: 'send', chan, event, mode: (mode as 'block' | 'drop' | 'empty' | undefined) ?? 'block' };
      }
      case 'spawn': {
        const target = this.layout.comp(this.resolveAddress(e.name as string));
        return { k: 'spawn', comp: target, start: this.startOutcome(target, e.input) };
      }
      case 'stop': {
        const target = e.name === undefined ? comp : this.layout.comp(this.resolveAddress(e.name as string));
        const notify = ((e.notify as { to: string; event: AnyEventObject }[] | undefined) ?? []).map((n) => ({
          comp: this.layout.comp(this.resolveAddress(n.to)),
          event: this.ids.internEvent(n.event),
        }));
        return { k: 'stop', comp: target, notify };
      }
      case 'depose': {
        // The component in `name` goes on in slot `to` (same machine), with the messages in flight to it; a new one starts in `name`.
        const target = this.layout.comp(this.resolveAddress(e.name as string));
        const to = this.layout.comp(e.to as string);
        const chans: (readonly [number, number])[] = [];
        this.def.channels.forEach((ch, i) => {
          if (ch.to !== this.def.components[target]!.name) return;
          const moved = this.layout.channel(ch.from, e.to as string);
          if (moved !== undefined) chans.push([i, moved]);
        });
        return { k: 'depose', from: target, to, chans, start: this.startOutcome(target, e.input) };
      }
      default: {
        const route = this.def.effectsTo?.find((r) => r.type === e.type && r.from.includes(from));
        if (route) return { k: 'now', comp: this.layout.comp(route.to), event: this.ids.internEvent({ ...(e as AnyEventObject), from }) };
        if (this.ignored.has(e.type)) return { k: 'lost' };
        throw new Error(`system: ${from} emitted an effect this system does not know: ${e.type}`);
      }
    }
  }

  private resolveAddress(address: string): string {
    return this.def.resolve ? this.def.resolve(address) : address;
  }

  startOutcome(comp: number, input: unknown): Outcome {
    const key = comp + '|' + canonicalJson(input ?? null);
    let o = this.startMemo.get(key);
    if (!o) {
      this.stats.xstateCalls++;
      o = this.compile(comp, initial(this.def.components[comp]!.machine, input));
      this.startMemo.set(key, o);
    }
    return o;
  }

  /**
   * Reports a step for coverage. A step that changes nothing still took its transition when it is
   * something that can happen (a delivered message is consumed, a timer fires: a refusal that only
   * logs, an update of a task already ended), so coverage counts what the machine chose. An
   * environment event or an alternative reaction that changes nothing is not an action, so it is
   * reported only when it changes something.
   */
  private observe(comp: number, from: number, event: AnyEventObject, o: Outcome, actionEvenIfNoop: boolean): Outcome {
    if (this.onLocalTransition && (!o.noop || actionEvenIfNoop)) this.onLocalTransition(comp, this.ids.locals[from]!, event, this.ids.locals[o.next]!);
    return o;
  }

  /** The memoised result of delivering event `event` to the component in local state `local`. */
  deliverOutcome(comp: number, local: number, event: number): Outcome {
    const byLocal = this.deliverMemo[comp]!;
    const memo = byLocal[local] ?? (byLocal[local] = []);
    const o = memo[event];
    return o !== undefined ? o : (memo[event] = this.computeDeliver(comp, local, event));
  }

  private computeDeliver(comp: number, local: number, event: number): Outcome {
    this.stats.xstateCalls++;
    const before = this.ids.locals[local]!;
    const ev = this.ids.events[event]!;
    const r = step(this.def.components[comp]!.machine, before, ev);
    const flaw = this.audit?.(this.def.components[comp]!.name, before, ev, r);
    if (flaw) throw new Error(flaw);
    let o = this.compile(comp, r);
    if (o.next === local && o.effects.length === 0) o = { next: o.next, effects: o.effects, noop: true };
    return this.observe(comp, local, ev, o, this.hasChoices[comp] !== 1);
  }

  timerOutcome(comp: number, local: number, index: number): Outcome {
    const byLocal = this.timerMemo[comp]!;
    const memo = byLocal[local] ?? (byLocal[local] = []);
    let o = memo[index];
    if (o === undefined) {
      this.stats.xstateCalls++;
      const before = this.ids.locals[local]!;
      const timer = before.timers[index]!;
      const r = fire(this.def.components[comp]!.machine, before, timer.id);
      const flaw = this.audit?.(this.def.components[comp]!.name, before, timer.event, r);
      if (flaw) throw new Error(flaw);
      o = this.compile(comp, r);
      memo[index] = o = this.observe(comp, local, timer.event, o, true);
    }
    return o;
  }

  envOutcome(comp: number, local: number, index: number): Outcome {
    const byLocal = this.envMemo[comp]!;
    const memo = byLocal[local] ?? (byLocal[local] = []);
    let o = memo[index];
    if (o === undefined) {
      this.stats.xstateCalls++;
      const before = this.ids.locals[local]!;
      const ev = this.def.components[comp]!.environment![index]!;
      o = this.compile(comp, step(this.def.components[comp]!.machine, before, ev));
      if (o.next === local && o.effects.length === 0) o = { next: o.next, effects: o.effects, noop: true };
      memo[index] = o = this.observe(comp, local, ev, o, false);
    }
    return o;
  }

  /** The environment actions (encoded) the component takes in this local state, memoised. */
  environmentActions(comp: number, local: number): Int32Array {
    const byLocal = this.envActs[comp]!;
    let acts = byLocal[local];
    if (acts === undefined) {
      const env = this.def.components[comp]!.environment ?? [];
      const enabled: number[] = [];
      for (let e = 0; e < env.length; e++) {
        // A step that throws is enabled: taken, it throws again inside the checker's capture and
        // becomes an error verdict with its trace, instead of escaping from the enumeration.
        let noop: boolean;
        try {
          noop = this.envOutcome(comp, local, e).noop === true;
        } catch {
          noop = false;
        }
        if (!noop) enabled.push(encodeAction(ActionKind.Environment, comp, e));
      }
      byLocal[local] = acts = Int32Array.from(enabled);
    }
    return acts;
  }

  /** A restart of `comp` from local state `local`: its checkpointed input comes from the context. */
  restartOutcome(comp: number, local: number): Outcome {
    const memo = this.restartMemo[comp]!;
    let o = memo[local];
    if (o === undefined) {
      const c = this.def.components[comp]!;
      o = this.startOutcome(comp, c.restartInput ? c.restartInput(this.ids.locals[local]!.context) : c.input);
      memo[local] = o;
    }
    return o;
  }

  choicesOf(comp: number, event: number): readonly Record<string, unknown>[] {
    const choose = this.def.components[comp]!.choices;
    if (!choose) return NO_CHOICE;
    const memo = this.choiceMemo[comp]!;
    let c = memo[event];
    if (c === undefined) {
      c = choose(this.ids.events[event]!);
      if (c.length === 0 || c.length > CHOICE_LIMIT) throw new Error(`system: 1 to ${CHOICE_LIMIT} choices per event`);
      memo[event] = c;
    }
    return c;
  }

  /** The event id each choice of `comp` delivers for `event` (its length is the number of choices). */
  choiceEvents(comp: number, event: number): Int32Array {
    const memo = this.choiceEventMemo[comp]!;
    let evs = memo[event];
    if (evs === undefined) {
      const choices = this.choicesOf(comp, event);
      evs = Int32Array.from(choices, (choice) => this.choiceEvent(event, choice));
      memo[event] = evs;
    }
    return evs;
  }

  choiceEvent(event: number, choice: Record<string, unknown>): number {
    if (Object.keys(choice).length === 0) return event;
    return this.ids.internEvent({ ...this.ids.events[event]!, ...choice });
  }

  linkBroken(peer: number): number {
    let e = this.brokenEvent.get(peer);
    if (e === undefined) {
      e = this.ids.internEvent({ type: 'LINK_BROKEN', peer: this.def.components[peer]!.name });
      this.brokenEvent.set(peer, e);
    }
    return e;
  }
}
