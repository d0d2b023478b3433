/**
 * A system: machines composed over a network (DESIGN.md section 5). Pure and protocol-agnostic:
 * the Mesos world (mesos.ts) and the MesosLite benchmark port are two definitions it runs.
 *
 * A world state is a fixed-width Int32Array:
 *
 *   [ local id of each component slot (0 = not running) ]
 *   [ loss counter ]  [ restart counters, one per group ]  [ partition counter, partition bitmask ]
 *   [ each channel: `bound` words, event id + 1 of each message in flight (oldest first, or
 *     sorted for a bag), then zeros ]
 *
 * The loss counter and the partition words are there only when their budget is positive. Read
 * states through the accessors (`localOf`, `channelLength`, `channelItem`, `channelEvents`,
 * `faultCount`, `view`); only the local ids' position (slot i is word i) is promised.
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
import type { AnyEventObject, AnyStateMachine, StateValue } from 'xstate';
import { canonicalJson } from '../canonical.ts';
import { fire, initial, step, type Effect, type Local, type StepResult, type Timer } from '../step.ts';

export interface ComponentDef {
  /** The address other components send to, e.g. `master`, `agent-0`, `fw-1`, `exec-0-t1`. */
  readonly name: string;
  readonly machine: AnyStateMachine;
  /** Started in the initial state with this input; false = an empty slot until spawned. */
  readonly running: boolean;
  readonly input?: unknown;
  /**
   * The input of a restart, from the context the crash left behind (what was checkpointed). A
   * pure function of that context: it is called once per distinct local state and memoised.
   */
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
  /**
   * The loss fault may drop its head: any message (true), or only messages of these types (the
   * ones a protocol delivers at least once; losing others on a TCP link means the link broke).
   */
  readonly lossy?: boolean | readonly string[];
  /** Loopback: a partition of either end does not cut it. */
  readonly local?: boolean;
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
  /**
   * Timers set with a longer delay never fire (default: all fire). Not a model of Mesos: a
   * restriction for finding witnesses a real cluster replays without waiting minutes.
   */
  readonly maxTimerMs?: number;
  readonly faults?: {
    readonly loss?: number;
    readonly restarts?: readonly RestartGroup[];
    readonly partition?: { readonly components: readonly string[]; readonly budget: number };
  };
  /** Effect types this system leaves to the runtime (ignored here). */
  readonly ignoredEffects?: readonly string[];
  /** Maps an address a machine sends to onto a component name (default: the address itself). */
  readonly resolve?: (address: string) => string;
  /** Fresh ids that would grow forever, kept finite by canonical renaming (see FreshIds). */
  readonly freshIds?: readonly FreshIds[];
  /**
   * Interchangeable parts, for symmetry reduction (`canonicalize`). Each group lists members;
   * each member lists the names (tokens) that make it up, in corresponding order across the
   * members: `[['agent-0'], ['agent-1']]`, or for frameworks `[['fw-0', 'a1'], ['fw-1', 'b1']]`.
   * Swapping two members renames every occurrence of their tokens in every local state, every
   * message and every component and channel name. Sound when the machines compare these names
   * only for equality and never order by them.
   */
  readonly symmetry?: readonly (readonly (readonly string[])[])[];
  /**
   * A component the System itself tells of every environment choice and every fault (a cause
   * record, which no machine can bend): `note` turns `{ component, event }` (an environment
   * event) or `{ fault, component? }` (a fault: `loss`, a restart group's name, `partition`) into
   * the event it is given at once, or null.
   */
  readonly recorder?: { readonly component: string; readonly note: (what: NotedAction) => AnyEventObject | null };
  /**
   * The transport's authentication: the message `to` gets from `from`, given what the sender
   * holds (its context: the credentials and tokens it was given). It adds who the sender proved
   * to be, so no machine can claim an identity by writing it into a message. Default: as sent.
   */
  readonly authenticate?: (from: string, to: string, context: unknown, msg: AnyEventObject) => AnyEventObject;
}

/** What a recorder is told about: an environment event of a component, or a fault. */
export interface NotedAction {
  readonly component?: string;
  readonly event?: AnyEventObject;
  readonly fault?: string;
}

/**
 * A family of fresh ids a machine draws from a counter (`<master>-O<n>` offer ids): ids only
 * ever compared for equality, so renaming every live one to 0..k-1 in order, and setting the
 * counter to k, gives an equivalent state (a data symmetry). Without it, every re-offer would
 * be a new state and the state space infinite.
 */
export interface FreshIds {
  /** Matches one id in canonical JSON; group 1 is everything before the number, group 2 the number. */
  readonly pattern: RegExp;
  /** The component whose context holds the counter at `context.fresh[counter]`. */
  readonly owner: string;
  readonly counter: string;
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

/**
 * Interning shared between worker threads: per table, an append-only log of keys that every
 * worker sees; `intern` returns a key's position, appending it if it is new. (checker/shared-log.ts
 * implements it over SharedArrayBuffers; this module knows only the shape.)
 */
export interface SharedInterner {
  intern(table: number, key: string): number;
  /** Entries in the table's log. */
  size(table: number): number;
  entry(table: number, i: number): string;
}

/** The shared tables: local states (entry i is local id i + 1), events (entry i is event id i). */
const LOCALS = 0;
const EVENTS = 1;

/** The firable timers of every local state that has none (one shared array). */
const NO_TIMERS: readonly number[] = Object.freeze([]);

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
  /** Per channel, for the hot path: receiver and sender slot, bound, 1 = FIFO / 0 = bag. */
  private readonly chanTo: Int32Array;
  private readonly chanFrom: Int32Array;
  private readonly chanBound: Int32Array;
  private readonly chanFifo: Uint8Array;
  /** Per slot: the receivers told LINK_BROKEN when it restarts or stops (its notifyOnBreak channels, in order). */
  private readonly notifyOnBreakOf: number[][];
  /** Per slot: 1 if its component has `choices`. */
  private readonly hasChoices: Uint8Array;
  private readonly lossBudget: number;
  private readonly abstractTiming: boolean;
  private readonly fresh: readonly { readonly def: FreshIds; readonly owner: number }[];
  private readonly hasFresh: boolean;
  /** Per family, per local (event) id: the fresh ids it holds, and as a bitmask (-1: one is >= 30). */
  private readonly freshOfLocal: (readonly number[] | undefined)[][] = [];
  private readonly freshOfEvent: (readonly number[] | undefined)[][] = [];
  private readonly freshMaskOfLocal: number[][] = [];
  private readonly freshMaskOfEvent: number[][] = [];
  /** Per family, per local id of its owner: the counter in its context. */
  private readonly freshCounterOf: number[][] = [];
  /** quiescent() of a network-idle, unpartitioned state, a function of its local ids: a trie over them (1 no, 2 yes). */
  private readonly quietMemo: unknown[] = [];
  private readonly renamed = new Map<string, number>();
  private readonly symmetryGroups: readonly SymmetryGroup[];
  private readonly symmetryRenamed = new Map<string, number>();
  private symmetryGroupCount = 0;
  private readonly freshUsed: number[] = [];

  /** Interned local states: id -> local, key -> id. Id 0 means "not running". */
  readonly locals: Local[] = [null as unknown as Local];
  private readonly localJson: string[] = [''];
  private readonly localIds = new Map<string, number>();
  private readonly localOwner: number[] = [-1];
  /** Per local state: the indices of its timers that may fire (all of them, unless `maxTimerMs`). */
  private readonly firable: (readonly number[])[] = [[]];
  private readonly maxTimerMs: number;
  /** Interned events (a delivered message including `from`, a timer's event, ...). */
  readonly events: AnyEventObject[] = [];
  private readonly eventJson: string[] = [];
  private readonly eventIds = new Map<string, number>();
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
  /** The recorder's slot (-1: none), and the event id it is given for each action (-1: none). */
  private readonly recorder: number;
  private readonly notes = new Map<number, number>();
  /** Scratch for quiescent() (allocated once; a re-entrant call allocates its own). */
  private quietBusy = false;
  private readonly quietActs: number[] = [];
  private readonly settleActs: number[] = [];
  private quietT: Int32Array = new Int32Array(0);
  private quietU: Int32Array = new Int32Array(0);

  /** Counters for the benchmark: XState calls made versus steps asked for. */
  readonly stats = { steps: 0, xstateCalls: 0 };
  /** Called once per distinct local transition, for coverage. */
  onLocalTransition?: (comp: number, from: Local, event: AnyEventObject, to: Local) => void;
  /**
   * Judges every distinct delivery step, with everything it emitted (the effects the world
   * ignores too, such as HTTP replies): a message makes the step throw, a finding with its trace.
   */
  audit?: (component: string, from: Local, event: AnyEventObject, result: StepResult) => string | null;

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
      this.deliverMemo.push([]);
      this.timerMemo.push([]);
      this.envMemo.push([]);
      this.envActs.push([]);
      this.restartMemo.push([]);
      this.choiceMemo.push([]);
      this.choiceEventMemo.push([]);
    });
    let offset = def.components.length;
    this.counterOffset = offset;
    // A word per fault only when its budget allows it (narrow states hash and copy faster).
    this.lossCounter = (def.faults?.loss ?? 0) > 0 ? offset++ : -1;
    for (const [g, group] of (def.faults?.restarts ?? []).entries()) {
      this.restartCounter.push(offset++);
      this.restartBudget.push(group.budget);
      for (const name of group.components) this.restartGroupOf[this.comp(name)] = g;
    }
    this.partitionBudget = def.faults?.partition?.budget ?? 0;
    this.partitionCounter = this.partitionBudget > 0 ? offset++ : -1;
    this.partitionWord = this.partitionBudget > 0 ? offset++ : -1;
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
      offset += ch.bound;
      this.chansOf[this.comp(ch.from)]!.push(i);
      if (ch.to !== ch.from) this.chansOf[this.comp(ch.to)]!.push(i);
    });
    this.width = offset;
    this.chanTo = Int32Array.from(def.channels, (ch) => this.comp(ch.to));
    this.chanFrom = Int32Array.from(def.channels, (ch) => this.comp(ch.from));
    this.chanBound = Int32Array.from(def.channels, (ch) => ch.bound);
    this.chanFifo = Uint8Array.from(def.channels, (ch) => (ch.kind === 'fifo' ? 1 : 0));
    this.hasChoices = Uint8Array.from(def.components, (c) => (c.choices ? 1 : 0));
    this.notifyOnBreakOf = def.components.map((_, comp) =>
      this.chansOf[comp]!.filter((chan) => def.channels[chan]!.notifyOnBreak === true && this.chanFrom[chan] === comp).map((chan) => this.chanTo[chan]!),
    );
    this.lossBudget = def.faults?.loss ?? 0;
    this.abstractTiming = def.timing === 'abstract';
    this.maxTimerMs = def.maxTimerMs ?? Infinity;
    this.ignored = new Set(def.ignoredEffects ?? []);
    this.symmetryGroups = (def.symmetry ?? []).map((members) => this.symmetryGroup(members));
    this.fresh = (def.freshIds ?? []).map((f) => {
      if (!f.pattern.global) throw new Error('system: a fresh-id pattern must be global (/g)');
      return { def: f, owner: this.comp(f.owner) };
    });
    this.hasFresh = this.fresh.length > 0;
    this.recorder = def.recorder ? this.comp(def.recorder.component) : -1;
    for (let d = 0; d < this.fresh.length; d++) {
      this.freshOfLocal.push([]);
      this.freshOfEvent.push([]);
      this.freshMaskOfLocal.push([]);
      this.freshMaskOfEvent.push([]);
      this.freshCounterOf.push([]);
    }
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

  /**
   * A step's local state, interned. The context is most of it, and most contexts come out of a
   * step with every object's keys already in canonical order (they are copies of a stored,
   * canonical context with a few fields replaced): then the native JSON.stringify gives its
   * canonical JSON, and the context itself can be stored as it is, without a parse. Otherwise
   * (a key added out of order, an undefined member, -0) it goes the long way.
   */
  private internLocal(comp: number, local: Local): number {
    const ctx = local.context;
    if (ctx === undefined || !isCanonicalData(ctx)) return this.internLocalJson(comp, canonicalJson(local));
    const timers = canonicalJson(local.timers);
    const value = canonicalJson(local.value);
    const json = `{"context":${JSON.stringify(ctx)},"timers":${timers},"value":${value}}`;
    return this.internLocalJson(comp, json, () => ({ context: ctx, timers: JSON.parse(timers) as Timer[], value: JSON.parse(value) as StateValue }));
  }

  /**
   * The stored local is parsed back from its canonical JSON (or, from internLocal, has every key
   * in canonical order already), so that everything downstream (including the machine's own
   * iteration over its context) sees one key order per state.
   */
  private internLocalJson(comp: number, json: string, stored?: () => Local): number {
    const key = this.components[comp]!.machine.id + '|' + json;
    let id = this.localIds.get(key);
    if (id === undefined) {
      if (this.shared) return this.internShared(LOCALS, key);
      id = this.locals.length;
      this.addLocal(key, comp, json, stored ? stored() : (JSON.parse(json) as Local));
    }
    return id;
  }

  private addLocal(key: string, comp: number, json: string, local: Local): void {
    this.localIds.set(key, this.locals.length);
    this.locals.push(local);
    this.localJson.push(json);
    this.localOwner.push(comp);
    this.firable.push(local.timers.length === 0 ? NO_TIMERS : local.timers.flatMap((t, i) => (t.delay <= this.maxTimerMs ? [i] : [])));
  }

  internEvent(event: AnyEventObject): number {
    return this.internEventJson(canonicalJson(event));
  }

  private internEventJson(key: string): number {
    let id = this.eventIds.get(key);
    if (id === undefined) {
      if (this.shared) return this.internShared(EVENTS, key);
      id = this.events.length;
      this.addEvent(key);
    }
    return id;
  }

  private addEvent(key: string): void {
    const id = this.events.length;
    if (id >= EVENT_LIMIT) throw new Error(`system: more than ${EVENT_LIMIT} distinct events`);
    this.events.push(JSON.parse(key) as AnyEventObject);
    this.eventJson.push(key);
    this.eventIds.set(key, id);
  }

  // ---------------------------------------------------------------- interning shared by workers

  private shared: SharedInterner | undefined;

  /**
   * Parallel workers (checker/parallel.ts) each run their own System, but a state vector names
   * local states and events by id, so every worker must give a JSON the same id: from now on ids
   * come from `shared`, an append-only log per table (local states, events) all workers see; an
   * id is a position in it. Call on a fresh System, before anything is interned.
   */
  shareInterning(shared: SharedInterner): void {
    if (this.locals.length !== 1 || this.events.length !== 0) throw new Error('system: shareInterning on a System that has interned already');
    this.shared = shared;
    this.syncInterned();
  }

  /** Takes in what other workers interned (a worker calls it at the start of every BFS level). */
  syncInterned(): void {
    const sh = this.shared;
    if (!sh) return;
    this.materialise(LOCALS, sh.size(LOCALS));
    this.materialise(EVENTS, sh.size(EVENTS));
  }

  private internShared(table: number, key: string): number {
    const i = this.shared!.intern(table, key);
    this.materialise(table, i + 1);
    return table === LOCALS ? i + 1 : i;
  }

  /** Brings entries [known, until) of a shared table into this System's own tables. */
  private materialise(table: number, until: number): void {
    const sh = this.shared!;
    if (table === EVENTS) {
      while (this.events.length < until) this.addEvent(sh.entry(EVENTS, this.events.length));
      return;
    }
    // Local id i + 1 is entry i ("<machine id>|<json>"); id 0 is "not running".
    while (this.locals.length <= until) {
      const key = sh.entry(LOCALS, this.locals.length - 1);
      const bar = key.indexOf('|');
      const machineId = key.slice(0, bar);
      const json = key.slice(bar + 1);
      const comp = this.components.findIndex((c) => c.machine.id === machineId);
      this.addLocal(key, comp, json, JSON.parse(json) as Local);
    }
  }

  get distinctLocals(): number {
    return this.locals.length - 1;
  }

  // ---------------------------------------------------------------- memoised steps

  private compile(comp: number, result: StepResult): Outcome {
    const from = this.components[comp]!.name;
    const effects: Compiled[] = [];
    for (const e of result.effects) effects.push(this.compileEffect(comp, from, e, result.local.context));
    return { next: this.internLocal(comp, result.local), effects, noop: false };
  }

  private compileEffect(comp: number, from: string, e: Effect, context: unknown): Compiled {
    switch (e.type) {
      case 'send': {
        const to = this.resolveAddress(e.to as string);
        const chan = this.channel(from, to);
        if (chan === undefined) {
          if (!this.compIndex.has(to)) throw new Error(`system: ${from} sent to unknown address ${to}`);
          throw new Error(`system: no channel ${from} -> ${to}`);
        }
        const { type: _t, to: _to, msg, mode, ...envelope } = e;
        const sent = { ...(msg as AnyEventObject), ...envelope, from };
        const event = this.internEvent(this.def.authenticate ? this.def.authenticate(from, to, context, sent) : sent);
        return { k: 'send', chan, event, mode: (mode as 'block' | 'drop' | 'empty' | undefined) ?? 'block' };
      }
      case 'spawn': {
        const target = this.comp(this.resolveAddress(e.name as string));
        return { k: 'spawn', comp: target, start: this.startOutcome(target, e.input) };
      }
      case 'stop': {
        const target = e.name === undefined ? comp : this.comp(this.resolveAddress(e.name as string));
        const notify = ((e.notify as { to: string; event: AnyEventObject }[] | undefined) ?? []).map((n) => ({
          comp: this.comp(this.resolveAddress(n.to)),
          event: this.internEvent(n.event),
        }));
        return { k: 'stop', comp: target, notify };
      }
      default:
        if (this.ignored.has(e.type)) return { k: 'lost' };
        throw new Error(`system: ${from} emitted an effect this system does not know: ${e.type}`);
    }
  }

  private resolveAddress(address: string): string {
    return this.def.resolve ? this.def.resolve(address) : address;
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
    const byLocal = this.deliverMemo[comp]!;
    const memo = byLocal[local] ?? (byLocal[local] = []);
    const o = memo[event];
    return o !== undefined ? o : (memo[event] = this.computeDeliver(comp, local, event));
  }

  private computeDeliver(comp: number, local: number, event: number): Outcome {
    this.stats.xstateCalls++;
    const before = this.locals[local]!;
    const ev = this.events[event]!;
    const r = step(this.components[comp]!.machine, before, ev);
    const flaw = this.audit?.(this.components[comp]!.name, before, ev, r);
    if (flaw) throw new Error(flaw);
    let o = this.compile(comp, r);
    if (o.next === local && o.effects.length === 0) o = { next: o.next, effects: o.effects, noop: true };
    return this.observe(comp, local, ev, o);
  }

  private timerOutcome(comp: number, local: number, index: number): Outcome {
    const byLocal = this.timerMemo[comp]!;
    const memo = byLocal[local] ?? (byLocal[local] = []);
    let o = memo[index];
    if (o === undefined) {
      this.stats.xstateCalls++;
      const before = this.locals[local]!;
      const timer = before.timers[index]!;
      o = this.compile(comp, fire(this.components[comp]!.machine, before, timer.id));
      memo[index] = o = this.observe(comp, local, timer.event, o);
    }
    return o;
  }

  private envOutcome(comp: number, local: number, index: number): Outcome {
    const byLocal = this.envMemo[comp]!;
    const memo = byLocal[local] ?? (byLocal[local] = []);
    let o = memo[index];
    if (o === undefined) {
      this.stats.xstateCalls++;
      const before = this.locals[local]!;
      const ev = this.components[comp]!.environment![index]!;
      o = this.compile(comp, step(this.components[comp]!.machine, before, ev));
      if (o.next === local && o.effects.length === 0) o = { next: o.next, effects: o.effects, noop: true };
      memo[index] = o = this.observe(comp, local, ev, o);
    }
    return o;
  }

  /** The environment actions (encoded) the component takes in this local state, memoised. */
  private environmentActions(comp: number, local: number): Int32Array {
    const byLocal = this.envActs[comp]!;
    let acts = byLocal[local];
    if (acts === undefined) {
      const env = this.components[comp]!.environment ?? [];
      const enabled: number[] = [];
      for (let e = 0; e < env.length; e++) if (!this.envOutcome(comp, local, e).noop) enabled.push(encodeAction(ActionKind.Environment, comp, e));
      byLocal[local] = acts = Int32Array.from(enabled);
    }
    return acts;
  }

  /** A restart of `comp` from local state `local`: its checkpointed input comes from the context. */
  private restartOutcome(comp: number, local: number): Outcome {
    const memo = this.restartMemo[comp]!;
    let o = memo[local];
    if (o === undefined) {
      const c = this.components[comp]!;
      o = this.startOutcome(comp, c.restartInput ? c.restartInput(this.locals[local]!.context) : c.input);
      memo[local] = o;
    }
    return o;
  }

  private choicesOf(comp: number, event: number): readonly Record<string, unknown>[] {
    const choose = this.components[comp]!.choices;
    if (!choose) return NO_CHOICE;
    const memo = this.choiceMemo[comp]!;
    let c = memo[event];
    if (c === undefined) {
      c = choose(this.events[event]!);
      if (c.length === 0 || c.length > CHOICE_LIMIT) throw new Error(`system: 1 to ${CHOICE_LIMIT} choices per event`);
      memo[event] = c;
    }
    return c;
  }

  /** The event id each choice of `comp` delivers for `event` (its length is the number of choices). */
  private choiceEvents(comp: number, event: number): Int32Array {
    const memo = this.choiceEventMemo[comp]!;
    let evs = memo[event];
    if (evs === undefined) {
      const choices = this.choicesOf(comp, event);
      evs = Int32Array.from(choices, (choice) => this.choiceEvent(event, choice));
      memo[event] = evs;
    }
    return evs;
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
    if (this.fresh.length > 0) this.canonicalizeFresh(s);
    push(s);
  }

  private isPartitioned(s: Int32Array, comp: number): boolean {
    const bit = this.partitionBitOf[comp]!;
    return bit >= 0 && this.partitionWord >= 0 && (s[this.partitionWord]! & (1 << bit)) !== 0;
  }

  private networkIdle(s: Int32Array): boolean {
    const offsets = this.chanOffset;
    for (let c = 0; c < offsets.length; c++) if (s[offsets[c]!] !== 0) return false;
    return true;
  }

  /** Messages in flight on `chan`: the non-zero prefix of its words. */
  private chanLength(s: Int32Array, chan: number): number {
    const off = this.chanOffset[chan]!;
    const bound = this.chanBound[chan]!;
    let n = 0;
    while (n < bound && s[off + n] !== 0) n++;
    return n;
  }

  private clearChannel(s: Int32Array, chan: number): void {
    const off = this.chanOffset[chan]!;
    const end = off + this.chanBound[chan]!;
    for (let i = off; i < end; i++) s[i] = 0;
  }

  /** Takes the message at `pos` out of `chan`; returns its event id. */
  private removeAt(s: Int32Array, chan: number, pos: number): number {
    const off = this.chanOffset[chan]!;
    const last = off + this.chanBound[chan]! - 1;
    const ev = s[off + pos]! - 1;
    // Shift the rest (trailing zeros included) down one; channels are short, so a loop beats
    // copyWithin's call overhead.
    for (let i = off + pos; i < last; i++) s[i] = s[i + 1]!;
    s[last] = 0;
    return ev;
  }

  /** Appends (FIFO) or inserts in sorted position (bag). False if the send makes the action disabled. */
  private enqueue(s: Int32Array, c: Extract<Compiled, { k: 'send' }>): boolean {
    const chan = c.chan;
    const to = this.chanTo[chan]!;
    const off = this.chanOffset[chan]!;
    if (c.mode === 'empty' && s[off] !== 0) return false;
    // Lost in transit: the receiver is not running, or either end is cut off.
    if (s[to] === 0) return true;
    const pw = this.partitionWord;
    if (pw >= 0 && s[pw] !== 0 && !this.channels[chan]!.local && (this.isPartitioned(s, this.chanFrom[chan]!) || this.isPartitioned(s, to))) return true;
    const len = this.chanLength(s, chan);
    if (len >= this.chanBound[chan]!) return c.mode === 'drop';
    const word = c.event + 1;
    if (this.chanFifo[chan] === 1) {
      s[off + len] = word;
    } else {
      let p = len;
      while (p > 0 && s[off + p - 1]! > word) {
        s[off + p] = s[off + p - 1]!;
        p--;
      }
      s[off + p] = word;
    }
    return true;
  }

  /** Applies compiled effects emitted by `comp`. False: the action is disabled (a blocking send). */
  private applyEffects(s: Int32Array, comp: number, effects: readonly Compiled[]): boolean {
    for (let i = 0; i < effects.length; i++) {
      const e = effects[i]!;
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
    const chans = this.chansOf[comp]!;
    for (let i = 0; i < chans.length; i++) this.clearChannel(s, chans[i]!);
    const notify = this.notifyOnBreakOf[comp]!;
    if (notify.length === 0) return true;
    const broken = this.linkBroken(comp);
    for (let i = 0; i < notify.length; i++) if (!this.deliverNow(s, notify[i]!, broken)) return false;
    return true;
  }

  private stopComponent(s: Int32Array, comp: number): boolean {
    if (s[comp] === 0) return true;
    s[comp] = 0;
    return this.breakLinks(s, comp);
  }

  // ---------------------------------------------------------------- actions

  actions(s: Int32Array, push: (a: number) => void): void {
    const idle = this.abstractTiming || this.networkIdle(s);
    this.deliveries(s, push);
    const n = this.components.length;
    for (let i = 0; i < n; i++) {
      const local = s[i]!;
      if (local === 0) continue;
      if (idle) {
        const firable = this.firable[local]!;
        for (let k = 0; k < firable.length; k++) push(encodeAction(ActionKind.Timer, i, firable[k]!));
      }
      const env = this.environmentActions(i, local);
      for (let k = 0; k < env.length; k++) push(env[k]!);
    }
    // Faults.
    if (this.lossCounter >= 0 && s[this.lossCounter]! < this.lossBudget) {
      for (let c = 0; c < this.channels.length; c++) {
        const head = s[this.chanOffset[c]!]!;
        if (head !== 0 && this.mayLose(c, head - 1)) push(encodeAction(ActionKind.Lose, c));
      }
    }
    for (let i = 0; i < this.components.length; i++) {
      const g = this.restartGroupOf[i];
      if (g !== undefined && s[i] !== 0 && s[this.restartCounter[g]!]! < this.restartBudget[g]!) {
        push(encodeAction(ActionKind.Restart, i));
      }
      if (this.partitionable[i] && this.partitionWord >= 0) {
        if (this.isPartitioned(s, i)) push(encodeAction(ActionKind.Heal, i));
        else if (s[this.partitionCounter]! < this.partitionBudget) push(encodeAction(ActionKind.Partition, i));
      }
    }
  }

  /** Whether the loss fault may drop event `event` from channel `chan`. */
  private mayLose(chan: number, event: number): boolean {
    const lossy = this.channels[chan]!.lossy;
    if (lossy === true) return true;
    if (!lossy) return false;
    return lossy.includes(this.events[event]!.type);
  }

  /** The deliveries of `s` (the first part of `actions`), in the same order. */
  private deliveries(s: Int32Array, push: (a: number) => void): void {
    const nc = this.chanOffset.length;
    for (let c = 0; c < nc; c++) {
      const off = this.chanOffset[c]!;
      if (s[off] === 0) continue;
      const to = this.chanTo[c]!;
      const positions = this.chanFifo[c] === 1 ? 1 : this.chanLength(s, c);
      for (let p = 0; p < positions; p++) {
        const word = s[off + p]!;
        if (p > 0 && s[off + p - 1] === word) continue; // the same message twice in a bag: one action
        const n = this.hasChoices[to] === 1 ? this.choiceEvents(to, word - 1).length : 1;
        for (let k = 0; k < n; k++) push(encodeAction(ActionKind.Deliver, c, p * CHOICE_LIMIT + k));
      }
    }
  }

  /**
   * Writes the successor of `s` under action `a` into `out`. False if the action is not enabled.
   * `out` may hold anything: it is first overwritten with a copy of `s`. A caller that already
   * made that copy (the checker's Model contract) calls `nextInPlace` instead.
   */
  next(s: Int32Array, a: number, out: Int32Array): boolean {
    out.set(s);
    return this.nextInPlace(s, a, out);
  }

  /**
   * `next` for a caller whose `out` already holds a copy of `s` (checker/model.ts: "when `next` is
   * called, `out` already holds a copy of `s`"): only the words that change are written. Given
   * any other `out`, the result is wrong. The length of `out` is checked, not its contents.
   */
  nextInPlace(s: Int32Array, a: number, out: Int32Array): boolean {
    if (out.length !== this.width) throw new Error(`system: next() needs a state of ${this.width} words, got ${out.length}`);
    if (!this.successor(out, a)) return false;
    if (this.recorder >= 0 && !this.record(out, a)) return false;
    if (this.hasFresh) this.canonicalizeFresh(out);
    return true;
  }

  /** Applies action `a` to `out` in place. */
  private successor(out: Int32Array, a: number): boolean {
    this.stats.steps++;
    // Decoded inline (see decodeAction): actions are non-negative int32s.
    const kind = (a & ((1 << KIND_BITS) - 1)) as ActionKind;
    const rest = a >>> KIND_BITS;
    const arg1 = rest & (ARG1_LIMIT - 1);
    const arg2 = rest >>> ARG1_BITS;
    switch (kind) {
      case ActionKind.Deliver: {
        const to = this.chanTo[arg1]!;
        let event = this.removeAt(out, arg1, (arg2 / CHOICE_LIMIT) | 0);
        let alternatives = 1;
        if (this.hasChoices[to] === 1) {
          const choices = this.choiceEvents(to, event);
          event = choices[arg2 % CHOICE_LIMIT]!;
          alternatives = choices.length;
        }
        const o = this.deliverOutcome(to, out[to]!, event);
        // An ignored message is consumed; an alternative reaction the machine does not take is
        // simply not one of the things that can happen.
        if (o.noop && alternatives > 1) return false;
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
        if (this.lossCounter < 0 || out[this.chanOffset[arg1]!] === 0 || !this.mayLose(arg1, out[this.chanOffset[arg1]!]! - 1)) return false;
        this.removeAt(out, arg1, 0);
        out[this.lossCounter]!++;
        return true;
      case ActionKind.Restart: {
        const g = this.restartGroupOf[arg1]!;
        out[this.restartCounter[g]!]!++;
        const crashed = out[arg1]!;
        out[arg1] = 0;
        if (!this.breakLinks(out, arg1)) return false;
        const o = this.restartOutcome(arg1, crashed);
        out[arg1] = o.next;
        return this.applyEffects(out, arg1, o.effects);
      }
      case ActionKind.Partition:
        if (this.partitionWord < 0) return false;
        out[this.partitionCounter]!++;
        out[this.partitionWord]! |= 1 << this.partitionBitOf[arg1]!;
        for (const chan of this.chansOf[arg1]!) if (!this.channels[chan]!.local) this.clearChannel(out, chan);
        return true;
      case ActionKind.Heal:
        if (this.partitionWord < 0) return false;
        out[this.partitionWord]! &= ~(1 << this.partitionBitOf[arg1]!);
        return true;
    }
  }

  /** Tells the recorder of an environment choice or a fault (deliveries and timers: nothing). */
  private record(out: Int32Array, a: number): boolean {
    if ((a & ((1 << KIND_BITS) - 1)) < ActionKind.Environment) return true;
    let ev = this.notes.get(a);
    if (ev === undefined) {
      const { kind, arg1, arg2 } = decodeAction(a);
      const name = (c: number) => this.components[c]!.name;
      const what: NotedAction | null =
        kind === ActionKind.Environment
          ? { component: name(arg1), event: this.components[arg1]!.environment![arg2]! }
          : kind === ActionKind.Lose
            ? { fault: 'loss', component: name(this.chanFrom[arg1]!) }
            : kind === ActionKind.Restart
              ? { fault: this.def.faults!.restarts![this.restartGroupOf[arg1]!]!.name, component: name(arg1) }
              : kind === ActionKind.Partition
                ? { fault: 'partition', component: name(arg1) }
                : null;
      const note = what && this.def.recorder!.note(what);
      ev = note ? this.internEvent(note) : -1;
      this.notes.set(a, ev);
    }
    return ev < 0 || this.deliverNow(out, this.recorder, ev);
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
    // The common case, a message in flight, costs one pass over the length words.
    if (!this.networkIdle(s)) return false;
    // A partition in force is not an end state: networks heal (the fairness liveness assumes).
    if (this.partitionWord >= 0 && s[this.partitionWord] !== 0) return false;
    // What is left of the state is the local ids and the fault counters, which no non-fault
    // action reads or writes: the answer is a function of the local ids, memoised on them.
    const n = this.components.length;
    let node = this.quietMemo;
    for (let i = 0; i < n - 1; i++) node = (node[s[i]!] ??= []) as unknown[];
    const known = node[s[n - 1]!] as number | undefined;
    if (known !== undefined) return known === 2;
    const quiet = this.quiescentUnmemoised(s);
    node[s[n - 1]!] = quiet ? 2 : 1;
    return quiet;
  }

  private quiescentUnmemoised(s: Int32Array): boolean {
    if (this.quietBusy) return this.quiescentWith(s, [], [], new Int32Array(this.width), new Int32Array(this.width));
    if (this.quietT.length !== this.width) {
      this.quietT = new Int32Array(this.width);
      this.quietU = new Int32Array(this.width);
    }
    this.quietBusy = true;
    try {
      return this.quiescentWith(s, this.quietActs, this.settleActs, this.quietT, this.quietU);
    } finally {
      this.quietBusy = false;
    }
  }

  private quiescentWith(s: Int32Array, acts: number[], settleActs: number[], t: Int32Array, u: Int32Array): boolean {
    acts.length = 0;
    this.actions(s, (a) => {
      if (!this.isFault(a)) acts.push(a);
    });
    for (let i = 0; i < acts.length; i++) {
      if (!this.next(s, acts[i]!, t)) continue;
      if (!this.settle(t, u, settleActs)) return false;
      if (!equalWords(t, s)) return false;
    }
    return true;
  }

  /** Delivers in-flight messages (first enabled delivery each time) until the network is idle. */
  private settle(t: Int32Array, scratch: Int32Array, acts: number[]): boolean {
    for (let steps = 0; steps < 256; steps++) {
      if (this.networkIdle(t)) return true;
      let moved = false;
      acts.length = 0;
      this.deliveries(t, (a) => acts.push(a));
      for (let i = 0; i < acts.length; i++) {
        if (this.next(t, acts[i]!, scratch)) {
          t.set(scratch);
          moved = true;
          break;
        }
      }
      if (!moved) return false;
    }
    return false;
  }

  // ---------------------------------------------------------------- fresh ids

  private numbersIn(json: string, d: number): number[] {
    const out = new Set<number>();
    for (const m of json.matchAll(this.fresh[d]!.def.pattern)) out.add(Number(m[2]));
    return [...out];
  }

  private freshInLocal(local: number, d: number): readonly number[] {
    const memo = this.freshOfLocal[d]!;
    return memo[local] ?? (memo[local] = this.numbersIn(this.localJson[local]!, d));
  }

  private freshInEvent(event: number, d: number): readonly number[] {
    const memo = this.freshOfEvent[d]!;
    return memo[event] ?? (memo[event] = this.numbersIn(this.eventJson[event]!, d));
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
    return c !== undefined ? c : (memo[local] = (this.locals[local]!.context as { fresh: Record<string, number> }).fresh[this.fresh[d]!.def.counter] ?? 0);
  }

  /**
   * Whether family `d`'s live ids are already 0..k-1 with the counter at k, from bitmasks (no
   * allocation): the case of nearly every successor. False also when it cannot tell (an id >= 30).
   */
  private freshCanonical(s: Int32Array, d: number): boolean {
    let mask = 0;
    const nc = this.components.length;
    for (let i = 0; i < nc; i++) {
      if (s[i] === 0) continue;
      const m = this.freshMaskLocal(s[i]!, d);
      if (m < 0) return false;
      mask |= m;
    }
    const offsets = this.chanOffset;
    for (let c = 0; c < offsets.length; c++) {
      const off = offsets[c]!;
      const end = off + this.chanBound[c]!;
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

  /** Renames every live fresh id of each family to 0..k-1 (in order) and sets the counter to k. */
  private canonicalizeFresh(s: Int32Array): void {
    for (let d = 0; d < this.fresh.length; d++) {
      if (this.freshCanonical(s, d)) continue;
      const { def, owner } = this.fresh[d]!;
      // The live ids, without allocating in the common case (already canonical).
      const sorted = this.freshUsed;
      sorted.length = 0;
      for (let i = 0; i < this.components.length; i++) if (s[i] !== 0) addAllNew(sorted, this.freshInLocal(s[i]!, d));
      for (let c = 0; c < this.channels.length; c++) {
        const off = this.chanOffset[c]!;
        const len = this.chanLength(s, c);
        for (let p = 0; p < len; p++) addAllNew(sorted, this.freshInEvent(s[off + p]! - 1, d));
      }
      sorted.sort(byNumber);
      const ownerLocal = s[owner]!;
      const counter = ownerLocal === 0 ? sorted.length : ((this.locals[ownerLocal]!.context as { fresh: Record<string, number> }).fresh[def.counter] ?? 0);
      let canonical = counter === sorted.length;
      for (let i = 0; canonical && i < sorted.length; i++) canonical = sorted[i] === i;
      if (canonical) continue;
      // Ids compare as strings in the machines' sorted iteration: keep them single digits.
      if (sorted.length > 9) throw new Error(`system: more than 9 live ids of ${def.counter}; the model needs a smaller configuration`);
      const mapping = new Map(sorted.map((n, i) => [n, i] as const));
      const mapKey = `${d}|${sorted.join(',')}`;
      for (let i = 0; i < this.components.length; i++) {
        const local = s[i]!;
        if (local === 0 || (i !== owner && this.freshInLocal(local, d).length === 0)) continue;
        const key = `L${local}|${mapKey}`;
        let next = this.renamed.get(key);
        if (next === undefined) {
          let json = this.rename(this.localJson[local]!, d, mapping);
          if (i === owner) {
            const l = JSON.parse(json) as { context: { fresh: Record<string, number> } };
            l.context.fresh[def.counter] = sorted.length;
            json = canonicalJson(l);
          }
          next = this.internLocalJson(i, json);
          this.renamed.set(key, next);
        }
        s[i] = next;
      }
      for (let c = 0; c < this.channels.length; c++) {
        const off = this.chanOffset[c]!;
        const len = this.chanLength(s, c);
        let changed = false;
        for (let p = 0; p < len; p++) {
          const ev = s[off + p]! - 1;
          if (this.freshInEvent(ev, d).length === 0) continue;
          const key = `E${ev}|${mapKey}`;
          let next = this.renamed.get(key);
          if (next === undefined) {
            next = this.internEventJson(this.rename(this.eventJson[ev]!, d, mapping));
            this.renamed.set(key, next);
          }
          s[off + p] = next + 1;
          changed = true;
        }
        if (changed && this.chanFifo[c] === 0) s.subarray(off, off + len).sort();
      }
    }
  }

  // ---------------------------------------------------------------- symmetry

  private symmetryGroup(members: readonly (readonly string[])[]): SymmetryGroup {
    const width = members[0]?.length ?? 0;
    if (members.some((m) => m.length !== width)) throw new Error('system: the members of a symmetry group need the same number of names');
    const owned = members.map((tokens) => this.components.map((c, i) => (tokens.some((t) => tokenIn(c.name, t)) ? i : -1)).filter((i) => i >= 0));
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
    const comp = this.components.map((c) => this.comp(renameString(c.name)));
    const chan = this.channels.map((ch) => {
      const to = this.channel(renameString(ch.from), renameString(ch.to));
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
      next = this.internLocalJson(comp, canonicalJson(JSON.parse(perm.renameString(this.localJson[local]!))));
      this.symmetryRenamed.set(key, next);
    }
    return next;
  }

  private renameEvent(event: number, perm: Permutation): number {
    const key = `${perm.key}|E${event}`;
    let next = this.symmetryRenamed.get(key);
    if (next === undefined) {
      next = this.internEventJson(canonicalJson(JSON.parse(perm.renameString(this.eventJson[event]!))));
      this.symmetryRenamed.set(key, next);
    }
    return next;
  }

  /** Writes `s` renamed by `perm` into `out`. */
  private applyPermutation(s: Int32Array, perm: Permutation, out: Int32Array): void {
    out.set(s);
    for (let i = 0; i < this.components.length; i++) out[perm.comp[i]!] = s[i] === 0 ? 0 : this.renameLocal(s[i]!, perm.comp[i]!, perm);
    for (let c = 0; c < this.channels.length; c++) {
      const to = perm.chan[c]!;
      const from = this.chanOffset[c]!;
      const dst = this.chanOffset[to]!;
      const len = this.chanLength(s, c);
      for (let p = 0; p < this.chanBound[to]!; p++) out[dst + p] = p < len ? this.renameEvent(s[from + p]! - 1, perm) + 1 : 0;
      if (this.chanFifo[to] === 0) out.subarray(dst, dst + len).sort();
    }
    if (this.partitionWord >= 0) {
      let mask = 0;
      for (let i = 0; i < this.components.length; i++) if (this.isPartitioned(s, i)) mask |= 1 << this.partitionBitOf[perm.comp[i]!]!;
      out[this.partitionWord] = mask;
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
    const tmp = new Int32Array(this.width);
    const best = new Int32Array(this.width);
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

  get hasSymmetry(): boolean {
    return this.symmetryGroups.length > 0;
  }

  // ---------------------------------------------------------------- reading states

  localOf(s: Int32Array, name: string): Local | null {
    const id = s[this.comp(name)]!;
    return id === 0 ? null : this.locals[id]!;
  }

  /** Where a channel's words are in the state vector (for keys over part of a state). */
  channelSpan(chan: number): { readonly offset: number; readonly length: number } {
    return { offset: this.chanOffset[chan]!, length: this.chanBound[chan]! };
  }

  /** How many messages are in flight on channel `chan` (allocation-free, for hot predicates). */
  channelLength(s: Int32Array, chan: number): number {
    return this.chanLength(s, chan);
  }

  /** The interned event id at position `i` < `channelLength` of channel `chan` (0 = the head); see `events`. */
  channelItem(s: Int32Array, chan: number, i: number): number {
    return s[this.chanOffset[chan]! + i]! - 1;
  }

  channelEvents(s: Int32Array, chan: number): AnyEventObject[] {
    const off = this.chanOffset[chan]!;
    const len = this.chanLength(s, chan);
    const out: AnyEventObject[] = [];
    for (let i = 0; i < len; i++) out.push(this.events[s[off + i]! - 1]!);
    return out;
  }

  faultCount(s: Int32Array, name: 'loss' | 'partition' | string): number {
    if (name === 'loss') return this.lossCounter < 0 ? 0 : s[this.lossCounter]!;
    if (name === 'partition') return this.partitionCounter < 0 ? 0 : s[this.partitionCounter]!;
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
    const faults: Record<string, number> = { loss: this.faultCount(s, 'loss'), partition: this.faultCount(s, 'partition') };
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
        const ev = s[off + pos]! - 1;
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
        const ev = this.events[s[this.chanOffset[arg1]!]! - 1]!;
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

/** At most this many distinct events (a channel word holds event id + 1; actions stay int32). */
const EVENT_LIMIT = 0x200000;

const NO_CHOICE: readonly Record<string, unknown>[] = [{}];

const byNumber = (x: number, y: number): number => x - y;

/**
 * True when `x` is plain JSON data whose canonical JSON is what JSON.stringify writes: every
 * object's keys in ascending order (as canonicalJson sorts them), no undefined member or array
 * item, only finite numbers and no -0, no class instances. A walk without allocation.
 */
function isCanonicalData(x: unknown): boolean {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(x) && !(x === 0 && 1 / x < 0);
    case 'object': {
      if (x === null) return true;
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) if (x[i] === undefined || !isCanonicalData(x[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return false;
      let prev: string | undefined;
      for (const k in x) {
        if (prev !== undefined && !(prev < k)) return false;
        const v = (x as Record<string, unknown>)[k];
        if (v === undefined || !isCanonicalData(v)) return false;
        prev = k;
      }
      return true;
    }
    default:
      return false;
  }
}

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

function equalWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
