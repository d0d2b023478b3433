/**
 * A system: machines composed over a network (DESIGN.md section 5). Pure and protocol-agnostic:
 * the Mesos world (mesos.ts) and the MesosLite benchmark port are two definitions it runs.
 *
 * A world state is a fixed-width Int32Array:
 *
 *   [ local id of each component slot (0 = not running) ]
 *   [ fault counters, one per budget ]  [ partition bitmask ]
 *   [ each channel: length, then `bound` event ids ]
 *
 * Local states and events are interned to small integers, and the result of every
 * (local, event) step is memoised, so XState runs once per distinct local transition, never once
 * per global one (DESIGN.md section 6).
 *
 * The enabled actions of a state:
 *   - deliver the head of a FIFO channel, or any item of a bag channel (a scheduler's calls are
 *     separate HTTP requests and may overtake each other), to a running receiver;
 *   - fire a pending timer of a component (timing 'abstract': at any moment; timing 'eager': only
 *     while no message is in flight, i.e. the network is faster than every timer);
 *   - an environment event of a component (how a task ends, what a framework wants), when the
 *     machine takes it;
 *   - a fault, within its budget: lose the head of a lossy channel, restart a component (crash
 *     and recovery, failover), partition a component from everyone (its in-flight messages are
 *     lost and so is everything sent to or by it until it heals).
 *
 * What machines emit is interpreted here:
 *   - `{ type: 'send', to, msg, mode? }` appends `{ ...msg, from }` to the channel from -> to.
 *     mode 'block' (default): the whole action is disabled if the channel is full;
 *     'drop': dropped if full; 'empty': the action is enabled only if the channel is empty.
 *     A send to a component that is not running, or across a partition, is lost.
 *   - `{ type: 'spawn', name, input }` starts the component in slot `name`.
 *   - `{ type: 'stop', name?, notify? }` stops `name` (default: the emitter): its slot empties,
 *     its channels are cleared, and each `{ to, event }` of `notify` is delivered at once.
 *   - any type listed in `ignoredEffects` (the runtime's business: processes, HTTP replies).
 * When a component restarts or stops, the receivers of its `notifyOnBreak` channels are given
 * `{ type: 'LINK_BROKEN', peer }` at once, as a TCP peer sees a connection close.
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { canonicalJson } from '../canonical.ts';
import { fire, initial, step, type Effect, type Local, type StepResult } from '../step.ts';

export interface ComponentDef {
  /** The address other components send to, e.g. `master`, `agent-0`, `fw-1`, `exec-0-t1`. */
  readonly name: string;
  readonly machine: AnyStateMachine;
  /** Started in the initial state with this input; false = an empty slot until spawned. */
  readonly running: boolean;
  readonly input?: unknown;
  /** The input of a restart, from the context the crash left behind (what was checkpointed). */
  readonly restartInput?: (context: unknown) => unknown;
  /** Events the environment may inject at any time; the machine's guards decide which apply. */
  readonly environment?: readonly AnyEventObject[];
  /**
   * Nondeterministic reactions: extra fields merged into a delivered event, one alternative each
   * (e.g. a framework that may accept or decline an offer). Default: one, no extra fields.
   */
  readonly choices?: (event: AnyEventObject) => readonly Record<string, unknown>[];
}

export interface ChannelDef {
  readonly from: string;
  readonly to: string;
  /** fifo: delivered in order (a TCP connection); bag: any order (separate HTTP requests). */
  readonly kind: 'fifo' | 'bag';
  readonly bound: number;
  /** The loss fault may drop its head. */
  readonly lossy?: boolean;
  /** When `from` restarts or stops, `to` is told `{ type: 'LINK_BROKEN', peer: from }`. */
  readonly notifyOnBreak?: boolean;
}

export interface RestartGroup {
  /** The budget's name, e.g. `crash`, `failover`, `master-failover`. */
  readonly name: string;
  readonly components: readonly string[];
  readonly budget: number;
}

export interface SystemDef {
  readonly components: readonly ComponentDef[];
  readonly channels: readonly ChannelDef[];
  readonly timing: 'eager' | 'abstract';
  readonly faults?: {
    readonly loss?: number;
    readonly restarts?: readonly RestartGroup[];
    readonly partition?: { readonly components: readonly string[]; readonly budget: number };
  };
  /** Effect types this system leaves to the runtime (ignored here). */
  readonly ignoredEffects?: readonly string[];
}

export const enum ActionKind {
  Deliver = 0,
  Timer = 1,
  Environment = 2,
  Lose = 3,
  Restart = 4,
  Partition = 5,
  Heal = 6,
}

const KIND_BITS = 3;
const ARG1_BITS = 10;
const ARG1_LIMIT = 1 << ARG1_BITS;

/** Actions are small non-negative ints: kind, a component or channel, and an index. */
export function encodeAction(kind: ActionKind, arg1: number, arg2 = 0): number {
  return kind + arg1 * (1 << KIND_BITS) + arg2 * (1 << (KIND_BITS + ARG1_BITS));
}

export function decodeAction(a: number): { kind: ActionKind; arg1: number; arg2: number } {
  const kind = a & ((1 << KIND_BITS) - 1);
  const rest = Math.floor(a / (1 << KIND_BITS));
  return { kind, arg1: rest & (ARG1_LIMIT - 1), arg2: Math.floor(rest / ARG1_LIMIT) };
}

/** Deliveries pack the bag position and the choice index into arg2. */
const CHOICE_LIMIT = 64;

type Compiled =
  | { readonly k: 'send'; readonly chan: number; readonly event: number; readonly mode: 'block' | 'drop' | 'empty' }
  | { readonly k: 'lost' }
  | { readonly k: 'spawn'; readonly comp: number; readonly start: Outcome }
  | { readonly k: 'stop'; readonly comp: number; readonly notify: readonly { comp: number; event: number }[] };

/** A memoised step: the next local id and the effects, compiled to channel and slot indices. */
interface Outcome {
  readonly next: number;
  readonly effects: readonly Compiled[];
  /** The machine took no transition: same local state, nothing emitted. */
  readonly noop: boolean;
}

export interface ActionInfo {
  readonly kind: ActionKind;
  readonly label: string;
  readonly component?: string;
  readonly channel?: string;
  readonly event?: AnyEventObject;
  readonly fault: boolean;
}

export interface WorldView {
  readonly components: Record<string, Local | null>;
  readonly channels: Record<string, AnyEventObject[]>;
  readonly faults: Record<string, number>;
  readonly partitioned: string[];
}

export class System {
  readonly width: number;
  readonly components: readonly ComponentDef[];
  readonly channels: readonly ChannelDef[];
  private readonly compIndex = new Map<string, number>();
  private readonly chanIndex = new Map<string, number>();
  /** Offset of each channel's length word in the state vector. */
  private readonly chanOffset: number[] = [];
  private readonly chansOf: number[][] = [];
  private readonly counterOffset: number;
  private readonly lossCounter: number;
  private readonly restartCounter: number[] = [];
  private readonly restartBudget: number[] = [];
  private readonly restartGroupOf: number[] = [];
  private readonly partitionCounter: number;
  private readonly partitionBudget: number;
  private readonly partitionWord: number;
  private readonly partitionable: boolean[] = [];
  /** Bit of each partitionable component in the partition mask (-1: not partitionable). */
  private readonly partitionBitOf: number[] = [];
  private readonly ignored: ReadonlySet<string>;

  /** Interned local states: id -> local, key -> id. Id 0 means "not running". */
  readonly locals: Local[] = [null as unknown as Local];
  private readonly localIds = new Map<string, number>();
  private readonly localOwner: number[] = [-1];
  /** Interned events (a delivered message including `from`, a timer's event, ...). */
  readonly events: AnyEventObject[] = [];
  private readonly eventIds = new Map<string, number>();
  private readonly memo = new Map<number, Outcome>();
  private readonly envMemo: Map<number, Outcome>[] = [];
  private readonly envEnabled = new Map<number, readonly number[]>();
  private readonly timerMemo = new Map<number, Outcome>();
  private readonly startMemo = new Map<string, Outcome>();
  private readonly choiceMemo: Map<number, readonly Record<string, unknown>[]>[] = [];
  private readonly brokenEvent = new Map<number, number>();

  /** Counters for the benchmark: XState calls made versus steps asked for. */
  readonly stats = { steps: 0, xstateCalls: 0 };
  /** Called once per distinct local transition, for coverage. */
  onLocalTransition?: (comp: number, from: Local, event: AnyEventObject, to: Local) => void;

  constructor(readonly def: SystemDef) {
    this.components = def.components;
    this.channels = def.channels;
    if (def.components.length >= ARG1_LIMIT || def.channels.length >= ARG1_LIMIT) {
      throw new Error(`system: at most ${ARG1_LIMIT - 1} components and channels`);
    }
    def.components.forEach((c, i) => {
      if (this.compIndex.has(c.name)) throw new Error(`system: duplicate component ${c.name}`);
      this.compIndex.set(c.name, i);
      this.chansOf.push([]);
      this.envMemo.push(new Map());
      this.choiceMemo.push(new Map());
    });
    let offset = def.components.length;
    this.counterOffset = offset;
    this.lossCounter = offset++;
    for (const [g, group] of (def.faults?.restarts ?? []).entries()) {
      this.restartCounter.push(offset++);
      this.restartBudget.push(group.budget);
      for (const name of group.components) this.restartGroupOf[this.comp(name)] = g;
    }
    this.partitionCounter = offset++;
    this.partitionBudget = def.faults?.partition?.budget ?? 0;
    this.partitionWord = offset++;
    for (const name of def.faults?.partition?.components ?? []) this.partitionable[this.comp(name)] = true;
    let bits = 0;
    for (let i = 0; i < def.components.length; i++) this.partitionBitOf.push(this.partitionable[i] ? bits++ : -1);
    if ((def.faults?.partition?.components.length ?? 0) > 30) throw new Error('system: at most 30 partitionable components');
    def.channels.forEach((ch, i) => {
      const key = `${ch.from}>${ch.to}`;
      if (this.chanIndex.has(key)) throw new Error(`system: duplicate channel ${key}`);
      if (ch.bound < 1) throw new Error(`system: channel ${key} needs a bound of at least 1`);
      this.chanIndex.set(key, i);
      this.chanOffset.push(offset);
      offset += 1 + ch.bound;
      this.chansOf[this.comp(ch.from)]!.push(i);
      if (ch.to !== ch.from) this.chansOf[this.comp(ch.to)]!.push(i);
    });
    this.width = offset;
    this.ignored = new Set(def.ignoredEffects ?? []);
  }

  // ---------------------------------------------------------------- names and interning

  comp(name: string): number {
    const i = this.compIndex.get(name);
    if (i === undefined) throw new Error(`system: no component named ${name}`);
    return i;
  }

  channel(from: string, to: string): number | undefined {
    return this.chanIndex.get(`${from}>${to}`);
  }

  private internLocal(comp: number, local: Local): number {
    const machineName = this.components[comp]!.machine.id;
    const key = machineName + '|' + canonicalJson(local);
    let id = this.localIds.get(key);
    if (id === undefined) {
      id = this.locals.length;
      this.locals.push(local);
      this.localOwner.push(comp);
      this.localIds.set(key, id);
    }
    return id;
  }

  internEvent(event: AnyEventObject): number {
    const key = canonicalJson(event);
    let id = this.eventIds.get(key);
    if (id === undefined) {
      id = this.events.length;
      if (id >= EVENT_LIMIT) throw new Error(`system: more than ${EVENT_LIMIT} distinct events`);
      this.events.push(event);
      this.eventIds.set(key, id);
    }
    return id;
  }

  get distinctLocals(): number {
    return this.locals.length - 1;
  }

  // ---------------------------------------------------------------- memoised steps

  private compile(comp: number, result: StepResult): Outcome {
    const from = this.components[comp]!.name;
    const effects: Compiled[] = [];
    for (const e of result.effects) effects.push(this.compileEffect(comp, from, e));
    return { next: this.internLocal(comp, result.local), effects, noop: false };
  }

  private compileEffect(comp: number, from: string, e: Effect): Compiled {
    switch (e.type) {
      case 'send': {
        const to = e.to as string;
        const chan = this.channel(from, to);
        if (chan === undefined) {
          if (!this.compIndex.has(to)) throw new Error(`system: ${from} sent to unknown address ${to}`);
          throw new Error(`system: no channel ${from} -> ${to}`);
        }
        const { type: _t, to: _to, msg, mode, ...envelope } = e;
        const event = this.internEvent({ ...(msg as AnyEventObject), ...envelope, from });
        return { k: 'send', chan, event, mode: (mode as 'block' | 'drop' | 'empty' | undefined) ?? 'block' };
      }
      case 'spawn': {
        const target = this.comp(e.name as string);
        return { k: 'spawn', comp: target, start: this.startOutcome(target, e.input) };
      }
      case 'stop': {
        const target = e.name === undefined ? comp : this.comp(e.name as string);
        const notify = ((e.notify as { to: string; event: AnyEventObject }[] | undefined) ?? []).map((n) => ({
          comp: this.comp(n.to),
          event: this.internEvent(n.event),
        }));
        return { k: 'stop', comp: target, notify };
      }
      default:
        if (this.ignored.has(e.type)) return { k: 'lost' };
        throw new Error(`system: ${from} emitted an effect this system does not know: ${e.type}`);
    }
  }

  private startOutcome(comp: number, input: unknown): Outcome {
    const key = comp + '|' + canonicalJson(input ?? null);
    let o = this.startMemo.get(key);
    if (!o) {
      this.stats.xstateCalls++;
      o = this.compile(comp, initial(this.components[comp]!.machine, input));
      this.startMemo.set(key, o);
    }
    return o;
  }

  private observe(comp: number, from: number, event: AnyEventObject, o: Outcome): Outcome {
    if (this.onLocalTransition && !o.noop) this.onLocalTransition(comp, this.locals[from]!, event, this.locals[o.next]!);
    return o;
  }

  /** The memoised result of delivering event `event` to the component in local state `local`. */
  private deliverOutcome(comp: number, local: number, event: number): Outcome {
    const key = local * EVENT_LIMIT + event;
    let o = this.memo.get(key);
    if (!o) {
      this.stats.xstateCalls++;
      const before = this.locals[local]!;
      const ev = this.events[event]!;
      const r = step(this.components[comp]!.machine, before, ev);
      o = this.compile(comp, r);
      if (o.next === local && o.effects.length === 0) o = { ...o, noop: true };
      this.memo.set(key, this.observe(comp, local, ev, o));
    }
    return o;
  }

  private timerOutcome(comp: number, local: number, index: number): Outcome {
    const key = local * 64 + index;
    let o = this.timerMemo.get(key);
    if (!o) {
      this.stats.xstateCalls++;
      const before = this.locals[local]!;
      const timer = before.timers[index]!;
      o = this.compile(comp, fire(this.components[comp]!.machine, before, timer.id));
      this.timerMemo.set(key, this.observe(comp, local, timer.event, o));
    }
    return o;
  }

  private envOutcome(comp: number, local: number, index: number): Outcome {
    const memo = this.envMemo[comp]!;
    const key = local * 256 + index;
    let o = memo.get(key);
    if (!o) {
      this.stats.xstateCalls++;
      const before = this.locals[local]!;
      const ev = this.components[comp]!.environment![index]!;
      o = this.compile(comp, step(this.components[comp]!.machine, before, ev));
      if (o.next === local && o.effects.length === 0) o = { ...o, noop: true };
      memo.set(key, this.observe(comp, local, ev, o));
    }
    return o;
  }

  /** The environment events the component takes in this local state (memoised per local id). */
  private enabledEnvironment(comp: number, local: number): readonly number[] {
    let list = this.envEnabled.get(local);
    if (!list) {
      const env = this.components[comp]!.environment ?? [];
      list = [];
      for (let e = 0; e < env.length; e++) if (!this.envOutcome(comp, local, e).noop) list.push(e);
      this.envEnabled.set(local, list);
    }
    return list;
  }

  private choicesOf(comp: number, event: number): readonly Record<string, unknown>[] {
    const choose = this.components[comp]!.choices;
    if (!choose) return NO_CHOICE;
    const memo = this.choiceMemo[comp]!;
    let c = memo.get(event);
    if (!c) {
      c = choose(this.events[event]!);
      if (c.length === 0 || c.length > CHOICE_LIMIT) throw new Error(`system: 1 to ${CHOICE_LIMIT} choices per event`);
      memo.set(event, c);
    }
    return c;
  }

  private choiceEvent(event: number, choice: Record<string, unknown>): number {
    if (Object.keys(choice).length === 0) return event;
    return this.internEvent({ ...this.events[event]!, ...choice });
  }

  private linkBroken(peer: number): number {
    let e = this.brokenEvent.get(peer);
    if (e === undefined) {
      e = this.internEvent({ type: 'LINK_BROKEN', peer: this.components[peer]!.name });
      this.brokenEvent.set(peer, e);
    }
    return e;
  }

  // ---------------------------------------------------------------- the state vector

  init(push: (s: Int32Array) => void): void {
    const s = new Int32Array(this.width);
    for (let i = 0; i < this.components.length; i++) {
      const c = this.components[i]!;
      if (!c.running) continue;
      const o = this.startOutcome(i, c.input);
      s[i] = o.next;
    }
    // Entry effects run after every component is up, in component order.
    for (let i = 0; i < this.components.length; i++) {
      const c = this.components[i]!;
      if (!c.running) continue;
      if (!this.applyEffects(s, i, this.startOutcome(i, c.input).effects)) {
        throw new Error(`system: the initial sends of ${c.name} do not fit their channels`);
      }
    }
    push(s);
  }

  private isPartitioned(s: Int32Array, comp: number): boolean {
    const bit = this.partitionBitOf[comp]!;
    return bit >= 0 && (s[this.partitionWord]! & (1 << bit)) !== 0;
  }

  private networkIdle(s: Int32Array): boolean {
    for (const off of this.chanOffset) if (s[off] !== 0) return false;
    return true;
  }

  private clearChannel(s: Int32Array, chan: number): void {
    const off = this.chanOffset[chan]!;
    s.fill(0, off, off + 1 + this.channels[chan]!.bound);
  }

  private removeAt(s: Int32Array, chan: number, pos: number): number {
    const off = this.chanOffset[chan]!;
    const len = s[off]!;
    const ev = s[off + 1 + pos]!;
    s.copyWithin(off + 1 + pos, off + 2 + pos, off + 1 + len);
    s[off + len] = 0;
    s[off] = len - 1;
    return ev;
  }

  /** Appends (FIFO) or inserts in sorted position (bag). False if the send makes the action disabled. */
  private enqueue(s: Int32Array, c: Extract<Compiled, { k: 'send' }>): boolean {
    const ch = this.channels[c.chan]!;
    const from = this.compIndex.get(ch.from)!;
    const to = this.compIndex.get(ch.to)!;
    const off = this.chanOffset[c.chan]!;
    const len = s[off]!;
    if (c.mode === 'empty' && len !== 0) return false;
    // Lost in transit: the receiver is not running, or either end is cut off.
    if (s[to] === 0 || this.isPartitioned(s, from) || this.isPartitioned(s, to)) return true;
    if (len >= ch.bound) return c.mode === 'drop';
    if (ch.kind === 'fifo') {
      s[off + 1 + len] = c.event;
    } else {
      let p = len;
      while (p > 0 && s[off + p]! > c.event) {
        s[off + 1 + p] = s[off + p]!;
        p--;
      }
      s[off + 1 + p] = c.event;
    }
    s[off] = len + 1;
    return true;
  }

  /** Applies compiled effects emitted by `comp`. False: the action is disabled (a blocking send). */
  private applyEffects(s: Int32Array, comp: number, effects: readonly Compiled[]): boolean {
    for (const e of effects) {
      switch (e.k) {
        case 'send':
          if (!this.enqueue(s, e)) return false;
          break;
        case 'lost':
          break;
        case 'spawn':
          if (s[e.comp] !== 0) throw new Error(`system: spawn of ${this.components[e.comp]!.name}, which is running`);
          s[e.comp] = e.start.next;
          if (!this.applyEffects(s, e.comp, e.start.effects)) return false;
          break;
        case 'stop':
          if (!this.stopComponent(s, e.comp)) return false;
          for (const n of e.notify) if (!this.deliverNow(s, n.comp, n.event)) return false;
          break;
      }
    }
    return true;
  }

  /** Delivers an event immediately (not through a channel): a notification, a broken link. */
  private deliverNow(s: Int32Array, comp: number, event: number): boolean {
    if (s[comp] === 0) return true;
    const o = this.deliverOutcome(comp, s[comp]!, event);
    s[comp] = o.next;
    return this.applyEffects(s, comp, o.effects);
  }

  private breakLinks(s: Int32Array, comp: number): boolean {
    for (const chan of this.chansOf[comp]!) this.clearChannel(s, chan);
    for (const chan of this.chansOf[comp]!) {
      const ch = this.channels[chan]!;
      if (ch.notifyOnBreak && this.compIndex.get(ch.from) === comp) {
        if (!this.deliverNow(s, this.compIndex.get(ch.to)!, this.linkBroken(comp))) return false;
      }
    }
    return true;
  }

  private stopComponent(s: Int32Array, comp: number): boolean {
    if (s[comp] === 0) return true;
    s[comp] = 0;
    return this.breakLinks(s, comp);
  }

  // ---------------------------------------------------------------- actions

  actions(s: Int32Array, push: (a: number) => void): void {
    const idle = this.def.timing === 'abstract' || this.networkIdle(s);
    for (let c = 0; c < this.channels.length; c++) {
      const off = this.chanOffset[c]!;
      const len = s[off]!;
      if (len === 0) continue;
      const to = this.compIndex.get(this.channels[c]!.to)!;
      const positions = this.channels[c]!.kind === 'fifo' ? 1 : len;
      for (let p = 0; p < positions; p++) {
        const ev = s[off + 1 + p]!;
        if (p > 0 && s[off + p] === ev) continue; // the same message twice in a bag: one action
        const n = this.choicesOf(to, ev).length;
        for (let k = 0; k < n; k++) push(encodeAction(ActionKind.Deliver, c, p * CHOICE_LIMIT + k));
      }
    }
    for (let i = 0; i < this.components.length; i++) {
      const local = s[i]!;
      if (local === 0) continue;
      if (idle) {
        const timers = this.locals[local]!.timers.length;
        for (let t = 0; t < timers; t++) push(encodeAction(ActionKind.Timer, i, t));
      }
      for (const e of this.enabledEnvironment(i, local)) push(encodeAction(ActionKind.Environment, i, e));
    }
    // Faults.
    if (s[this.lossCounter]! < (this.def.faults?.loss ?? 0)) {
      for (let c = 0; c < this.channels.length; c++) {
        if (this.channels[c]!.lossy && s[this.chanOffset[c]!] !== 0) push(encodeAction(ActionKind.Lose, c));
      }
    }
    for (let i = 0; i < this.components.length; i++) {
      const g = this.restartGroupOf[i];
      if (g !== undefined && s[i] !== 0 && s[this.restartCounter[g]!]! < this.restartBudget[g]!) {
        push(encodeAction(ActionKind.Restart, i));
      }
      if (this.partitionable[i]) {
        if (this.isPartitioned(s, i)) push(encodeAction(ActionKind.Heal, i));
        else if (s[this.partitionCounter]! < this.partitionBudget) push(encodeAction(ActionKind.Partition, i));
      }
    }
  }

  /** Writes the successor of `s` under action `a` into `out`. False if the action is not enabled. */
  next(s: Int32Array, a: number, out: Int32Array): boolean {
    this.stats.steps++;
    out.set(s);
    const { kind, arg1, arg2 } = decodeAction(a);
    switch (kind) {
      case ActionKind.Deliver: {
        const ch = this.channels[arg1]!;
        const pos = Math.floor(arg2 / CHOICE_LIMIT);
        const to = this.compIndex.get(ch.to)!;
        const ev = this.removeAt(out, arg1, pos);
        const choices = this.choicesOf(to, ev);
        const event = this.choiceEvent(ev, choices[arg2 % CHOICE_LIMIT]!);
        const o = this.deliverOutcome(to, out[to]!, event);
        // An ignored message is consumed; an alternative reaction the machine does not take is
        // simply not one of the things that can happen.
        if (o.noop && choices.length > 1) return false;
        out[to] = o.next;
        return this.applyEffects(out, to, o.effects);
      }
      case ActionKind.Timer: {
        const o = this.timerOutcome(arg1, out[arg1]!, arg2);
        out[arg1] = o.next;
        return this.applyEffects(out, arg1, o.effects);
      }
      case ActionKind.Environment: {
        const o = this.envOutcome(arg1, out[arg1]!, arg2);
        if (o.noop) return false;
        out[arg1] = o.next;
        return this.applyEffects(out, arg1, o.effects);
      }
      case ActionKind.Lose:
        this.removeAt(out, arg1, 0);
        out[this.lossCounter]!++;
        return true;
      case ActionKind.Restart: {
        const g = this.restartGroupOf[arg1]!;
        out[this.restartCounter[g]!]!++;
        const c = this.components[arg1]!;
        const context = this.locals[out[arg1]!]!.context;
        out[arg1] = 0;
        if (!this.breakLinks(out, arg1)) return false;
        const o = this.startOutcome(arg1, c.restartInput ? c.restartInput(context) : c.input);
        out[arg1] = o.next;
        return this.applyEffects(out, arg1, o.effects);
      }
      case ActionKind.Partition:
        out[this.partitionCounter]!++;
        out[this.partitionWord]! |= 1 << this.partitionBitOf[arg1]!;
        for (const chan of this.chansOf[arg1]!) this.clearChannel(out, chan);
        return true;
      case ActionKind.Heal:
        out[this.partitionWord]! &= ~(1 << this.partitionBitOf[arg1]!);
        return true;
    }
  }

  isFault(a: number): boolean {
    const kind = a & ((1 << KIND_BITS) - 1);
    return kind >= ActionKind.Lose;
  }

  /**
   * Quiescent: no message in flight, and every enabled non-fault action (a keep-alive timer such
   * as a heartbeat or a ping) leads, once the network has delivered what it caused, back to this
   * very state. Nothing is left to happen but faults and keep-alives.
   */
  quiescent(s: Int32Array): boolean {
    if (!this.networkIdle(s)) return false;
    const acts: number[] = [];
    this.actions(s, (a) => acts.push(a));
    const t = new Int32Array(this.width);
    const u = new Int32Array(this.width);
    for (const a of acts) {
      if (this.isFault(a)) continue;
      if (!this.next(s, a, t)) continue;
      if (!this.settle(t, u)) return false;
      if (!equalWords(t, s)) return false;
    }
    return true;
  }

  /** Delivers in-flight messages (first enabled delivery each time) until the network is idle. */
  private settle(t: Int32Array, scratch: Int32Array): boolean {
    for (let steps = 0; steps < 256; steps++) {
      if (this.networkIdle(t)) return true;
      let moved = false;
      const acts: number[] = [];
      this.actions(t, (a) => acts.push(a));
      for (const a of acts) {
        if ((a & ((1 << KIND_BITS) - 1)) !== ActionKind.Deliver) continue;
        if (this.next(t, a, scratch)) {
          t.set(scratch);
          moved = true;
          break;
        }
      }
      if (!moved) return false;
    }
    return false;
  }

  // ---------------------------------------------------------------- reading states

  localOf(s: Int32Array, name: string): Local | null {
    const id = s[this.comp(name)]!;
    return id === 0 ? null : this.locals[id]!;
  }

  channelEvents(s: Int32Array, chan: number): AnyEventObject[] {
    const off = this.chanOffset[chan]!;
    const out: AnyEventObject[] = [];
    for (let i = 0; i < s[off]!; i++) out.push(this.events[s[off + 1 + i]!]!);
    return out;
  }

  faultCount(s: Int32Array, name: 'loss' | 'partition' | string): number {
    if (name === 'loss') return s[this.lossCounter]!;
    if (name === 'partition') return s[this.partitionCounter]!;
    const g = (this.def.faults?.restarts ?? []).findIndex((r) => r.name === name);
    return g < 0 ? 0 : s[this.restartCounter[g]!]!;
  }

  view(s: Int32Array): WorldView {
    const components: Record<string, Local | null> = {};
    for (let i = 0; i < this.components.length; i++) components[this.components[i]!.name] = s[i] === 0 ? null : this.locals[s[i]!]!;
    const channels: Record<string, AnyEventObject[]> = {};
    this.channels.forEach((ch, i) => {
      const evs = this.channelEvents(s, i);
      if (evs.length) channels[`${ch.from}>${ch.to}`] = evs;
    });
    const faults: Record<string, number> = { loss: s[this.lossCounter]!, partition: s[this.partitionCounter]! };
    (this.def.faults?.restarts ?? []).forEach((r, g) => (faults[r.name] = s[this.restartCounter[g]!]!));
    const partitioned = this.components.filter((_, i) => this.isPartitioned(s, i)).map((c) => c.name);
    return { components, channels, faults, partitioned };
  }

  describe(s: Int32Array, a: number): ActionInfo {
    const { kind, arg1, arg2 } = decodeAction(a);
    switch (kind) {
      case ActionKind.Deliver: {
        const ch = this.channels[arg1]!;
        const off = this.chanOffset[arg1]!;
        const pos = Math.floor(arg2 / CHOICE_LIMIT);
        const ev = s[off + 1 + pos]!;
        const to = this.compIndex.get(ch.to)!;
        const choice = this.choicesOf(to, ev)[arg2 % CHOICE_LIMIT]!;
        const event = this.events[this.choiceEvent(ev, choice)]!;
        const extra = Object.keys(choice).length ? ' ' + canonicalJson(choice) : '';
        return { kind, fault: false, component: ch.to, channel: `${ch.from}>${ch.to}`, event, label: `${ch.from} -> ${ch.to}: ${event.type}${extra}` };
      }
      case ActionKind.Timer: {
        const c = this.components[arg1]!.name;
        const timer = this.locals[s[arg1]!]!.timers[arg2]!;
        return { kind, fault: false, component: c, event: timer.event, label: `${c}: timer ${timer.id} fires` };
      }
      case ActionKind.Environment: {
        const c = this.components[arg1]!.name;
        const ev = this.components[arg1]!.environment![arg2]!;
        return { kind, fault: false, component: c, event: ev, label: `${c}: environment ${canonicalJson(ev)}` };
      }
      case ActionKind.Lose: {
        const ch = this.channels[arg1]!;
        const ev = this.events[s[this.chanOffset[arg1]! + 1]!]!;
        return { kind, fault: true, channel: `${ch.from}>${ch.to}`, event: ev, label: `fault: ${ch.from} -> ${ch.to}: ${ev.type} lost` };
      }
      case ActionKind.Restart: {
        const c = this.components[arg1]!.name;
        const g = this.def.faults!.restarts![this.restartGroupOf[arg1]!]!;
        return { kind, fault: true, component: c, label: `fault: ${c} ${g.name} (restart)` };
      }
      case ActionKind.Partition: {
        const c = this.components[arg1]!.name;
        return { kind, fault: true, component: c, label: `fault: ${c} partitioned` };
      }
      case ActionKind.Heal: {
        const c = this.components[arg1]!.name;
        return { kind, fault: true, component: c, label: `${c} partition heals` };
      }
    }
  }
}

/** Memo keys are local * EVENT_LIMIT + event: exact in a double while locals stay below 2^32. */
const EVENT_LIMIT = 0x200000;

const NO_CHOICE: readonly Record<string, unknown>[] = [{}];

function equalWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
