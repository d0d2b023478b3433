/**
 * A system: machines composed over a network (DESIGN.md section 5). Pure and protocol-agnostic:
 * the Mesos world (mesos.ts) and the MesosLite benchmark port are two definitions it runs.
 *
 * The System puts together, one job per file:
 *   - definition.ts: what a system is made of (components, channels, fault budgets);
 *   - encoding.ts: where each part of a world state lives in its Int32Array, and interning.ts:
 *     the local-state and event ids the words hold;
 *   - local-steps.ts: the memoised steps of the components (XState runs once per distinct local
 *     transition, DESIGN.md section 6);
 *   - actions.ts: the enabled deliveries, timers and environment events, and what a step's
 *     effects do to the world;
 *   - faults.ts: loss, crash and restart, failover, partition and healing, within budgets;
 *   - quiescence.ts: the states where nothing is left to happen but faults and keep-alives;
 *   - fresh-ids.ts and symmetry.ts: canonical forms (fresh ids renamed, interchangeable parts);
 *   - step-description.ts: what a step is, for traces, scenarios and conformance.
 *
 * What machines emit is interpreted in actions.ts:
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
import type { AnyEventObject } from 'xstate';
import type { Local, StepResult } from '../step.ts';
import { ActionKind, ARG1_BITS, ARG1_LIMIT, isFaultAction, KIND_BITS } from './action-code.ts';
import { Actions } from './actions.ts';
import type { ChannelDef, ComponentDef, NotedAction, SharedInterner, SystemDef, WorldView } from './definition.ts';
import { StateLayout } from './encoding.ts';
import { Faults } from './faults.ts';
import { FreshIdRenaming } from './fresh-ids.ts';
import { Interning } from './interning.ts';
import { LocalSteps } from './local-steps.ts';
import { PartialOrder, type Visibility } from './partial-order.ts';
import { Quiescence } from './quiescence.ts';
import { Describer, type ActionInfo, type StepDescription } from './step-description.ts';
import { Symmetry } from './symmetry.ts';

export { ActionKind, decodeAction, encodeAction } from './action-code.ts';
export type { ChannelDef, ComponentDef, FreshIds, NotedAction, RestartGroup, SharedInterner, SystemDef, WorldView } from './definition.ts';
export type { ActionInfo, StepDescription } from './step-description.ts';
export type { Visibility } from './partial-order.ts';

export class System {
  readonly width: number;
  readonly components: readonly ComponentDef[];
  readonly channels: readonly ChannelDef[];
  /** Interned local states (id 0 = not running) and events, by id. */
  readonly locals: readonly Local[];
  readonly events: readonly AnyEventObject[];
  /** Counters for the benchmark: XState calls made versus steps asked for. */
  readonly stats: { steps: number; xstateCalls: number };
  readonly layout: StateLayout;
  private readonly ids: Interning;
  private readonly steps: LocalSteps;
  private readonly acts: Actions;
  private readonly faults: Faults;
  private readonly quiet: Quiescence;
  private readonly fresh: FreshIdRenaming;
  private readonly hasFresh: boolean;
  private readonly symmetry: Symmetry;
  private readonly describer: Describer;
  private readonly partialOrder: PartialOrder;
  /** The recorder's slot (-1: none), and the event id it is given for each action (-1: none). */
  private readonly recorder: number;
  private readonly notes = new Map<number, number>();
  /** The same for timers, by local state and index among its timers (a timer's action names only its index). */
  private readonly timerNotes: number[][] = [];

  constructor(readonly def: SystemDef) {
    this.components = def.components;
    this.channels = def.channels;
    this.layout = new StateLayout(def);
    this.width = this.layout.width;
    this.ids = new Interning(def.components, def.maxTimerMs ?? Infinity, new Set(def.earlyTimers ?? []));
    this.locals = this.ids.locals;
    this.events = this.ids.events;
    this.steps = new LocalSteps(def, this.layout, this.ids);
    this.stats = this.steps.stats;
    this.acts = new Actions(def, this.layout, this.ids, this.steps);
    this.faults = new Faults(def, this.layout, this.ids, this.steps, this.acts);
    this.quiet = new Quiescence(this.layout, {
      actions: (s, push) => this.actions(s, push),
      deliveries: (s, push) => this.acts.deliveries(s, push),
      next: (s, a, out) => this.next(s, a, out),
    });
    this.symmetry = new Symmetry(def.symmetry ?? [], this.layout, this.ids);
    this.fresh = new FreshIdRenaming(def.freshIds ?? [], this.layout, this.ids);
    this.hasFresh = this.fresh.active;
    this.recorder = def.recorder ? this.layout.comp(def.recorder.component) : -1;
    this.describer = new Describer(def, this.layout, this.ids, this.steps, this.faults);
    this.partialOrder = new PartialOrder(def, this.layout, this.ids, this.steps, this.hasFresh);
  }

  /** Called once per distinct local transition, for coverage. */
  get onLocalTransition(): ((comp: number, from: Local, event: AnyEventObject, to: Local) => void) | undefined {
    return this.steps.onLocalTransition;
  }
  set onLocalTransition(f: ((comp: number, from: Local, event: AnyEventObject, to: Local) => void) | undefined) {
    this.steps.onLocalTransition = f;
  }

  /**
   * Judges every distinct delivery and timer step, with everything it emitted (the effects the world
   * ignores too, such as HTTP replies): a message makes the step throw, a finding with its trace.
   */
  get audit(): ((component: string, from: Local, event: AnyEventObject, result: StepResult) => string | null) | undefined {
    return this.steps.audit;
  }
  set audit(f: ((component: string, from: Local, event: AnyEventObject, result: StepResult) => string | null) | undefined) {
    this.steps.audit = f;
  }

  // ---------------------------------------------------------------- names and interning

  comp(name: string): number {
    return this.layout.comp(name);
  }

  channel(from: string, to: string): number | undefined {
    return this.layout.channel(from, to);
  }

  internEvent(event: AnyEventObject): number {
    return this.ids.internEvent(event);
  }

  /** See Interning.shareInterning: ids from logs shared by parallel workers. */
  shareInterning(shared: SharedInterner): void {
    this.ids.shareInterning(shared);
  }

  syncInterned(): void {
    this.ids.syncInterned();
  }

  get distinctLocals(): number {
    return this.ids.distinctLocals;
  }

  // ---------------------------------------------------------------- states and steps

  init(push: (s: Int32Array) => void): void {
    const s = new Int32Array(this.width);
    for (let i = 0; i < this.components.length; i++) {
      const c = this.components[i]!;
      if (!c.running) continue;
      s[i] = this.steps.startOutcome(i, c.input).next;
    }
    // Entry effects run after every component is up, in component order.
    for (let i = 0; i < this.components.length; i++) {
      const c = this.components[i]!;
      if (!c.running) continue;
      if (!this.acts.applyEffects(s, i, this.steps.startOutcome(i, c.input).effects)) {
        throw new Error(`system: the initial sends of ${c.name} do not fit their channels`);
      }
    }
    if (this.hasFresh) this.fresh.canonicalize(s);
    push(s);
  }

  /**
   * The enabled actions of `s`: deliveries, then timers and environment events per component, then
   * faults. `timersIgnore` marks channels whose messages do not hold back a timer under eager timing.
   */
  actions(s: Int32Array, push: (a: number) => void, timersIgnore?: Uint8Array): void {
    this.acts.enabled(s, push, timersIgnore);
    this.faults.enabled(s, push);
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
    this.stats.steps++;
    // Decoded inline (see decodeAction): actions are non-negative int32s.
    const kind = (a & ((1 << KIND_BITS) - 1)) as ActionKind;
    const rest = a >>> KIND_BITS;
    const arg1 = rest & (ARG1_LIMIT - 1);
    const arg2 = rest >>> ARG1_BITS;
    if (!(kind < ActionKind.Lose ? this.acts.apply(out, kind, arg1, arg2) : this.faults.apply(out, kind, arg1))) return false;
    if (this.recorder >= 0 && kind !== ActionKind.Deliver && !this.record(s, out, a, kind, arg1, arg2)) return false;
    if (this.hasFresh) this.fresh.canonicalize(out);
    return true;
  }

  /**
   * Tells the recorder of an environment choice, a fault, or a timer that fired (which timer is
   * read from `s`, the state before the step: the world's timing is the environment's choice
   * too). Each action's note is made once: per action code, or for a timer, per local state of its
   * component and index among that state's timers (the code names only the index).
   */
  private record(s: Int32Array, out: Int32Array, a: number, kind: ActionKind, arg1: number, arg2: number): boolean {
    let ev: number | undefined;
    if (kind === ActionKind.Timer) {
      const local = s[arg1]!;
      const notes = (this.timerNotes[local] ??= []);
      ev = notes[arg2];
      if (ev === undefined) notes[arg2] = ev = this.noteOf({ component: this.components[arg1]!.name, timer: this.locals[local]!.timers[arg2]!.event });
    } else {
      ev = this.notes.get(a);
      if (ev === undefined) {
        const what =
          kind === ActionKind.Environment ? { component: this.components[arg1]!.name, event: this.components[arg1]!.environment![arg2]! } : this.faults.noted(kind, arg1);
        this.notes.set(a, (ev = what ? this.noteOf(what) : -1));
      }
    }
    return ev < 0 || this.acts.deliverNow(out, this.recorder, ev);
  }

  /** The recorder's event for `what`, interned (-1: none). */
  private noteOf(what: NotedAction): number {
    const note = this.def.recorder!.note(what);
    return note ? this.ids.internEvent(note) : -1;
  }

  isFault(a: number): boolean {
    return isFaultAction(a);
  }

  /**
   * Partial-order reduction: pushes an ample set of `s` among its enabled actions `enabled[0..n)`
   * (every enabled action of one component, when that is safe: partial-order.ts), or nothing.
   */
  ample(s: Int32Array, enabled: Int32Array, n: number, visibility: Visibility, push: (a: number) => void): void {
    this.partialOrder.ample(s, enabled, n, visibility, push);
  }

  /** See quiescence.ts. */
  quiescent(s: Int32Array): boolean {
    return this.quiet.quiescent(s);
  }

  /**
   * A representative of the state's symmetry class (see symmetry.ts). Deterministic and within
   * the class, so the reduction is sound.
   */
  canonicalize(s: Int32Array, out: Int32Array): void {
    this.symmetry.canonicalize(s, out);
  }

  get hasSymmetry(): boolean {
    return this.symmetry.active;
  }

  // ---------------------------------------------------------------- reading states

  localOf(s: Int32Array, name: string): Local | null {
    const id = s[this.comp(name)]!;
    return id === 0 ? null : this.locals[id]!;
  }

  /** Where a channel's words are in the state vector (for keys over part of a state). */
  channelSpan(chan: number): { readonly offset: number; readonly length: number } {
    return { offset: this.layout.chanOffset[chan]!, length: this.layout.chanBound[chan]! };
  }

  /** How many messages are in flight on channel `chan` (allocation-free, for hot predicates). */
  channelLength(s: Int32Array, chan: number): number {
    return this.layout.chanLength(s, chan);
  }

  /** The interned event id at position `i` < `channelLength` of channel `chan` (0 = the head); see `events`. */
  channelItem(s: Int32Array, chan: number, i: number): number {
    return this.layout.item(s, chan, i);
  }

  channelEvents(s: Int32Array, chan: number): AnyEventObject[] {
    const len = this.layout.chanLength(s, chan);
    const out: AnyEventObject[] = [];
    for (let i = 0; i < len; i++) out.push(this.events[this.layout.item(s, chan, i)]!);
    return out;
  }

  faultCount(s: Int32Array, name: 'loss' | 'partition' | string): number {
    return this.layout.faultCount(s, name);
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
    (this.def.faults?.restarts ?? []).forEach((r, g) => (faults[r.name] = s[this.layout.restartCounter[g]!]!));
    const partitioned = this.components.filter((_, i) => this.layout.isPartitioned(s, i)).map((c) => c.name);
    return { components, channels, faults, partitioned };
  }

  /** Action `a` taken in `s` in one line, with its kind code (traces, charts). */
  describe(s: Int32Array, a: number): ActionInfo {
    return this.describer.info(s, a);
  }

  /** What action `a` taken in `s` is: who, what message, which fault and what it clears (step-description.ts). */
  describeStep(s: Int32Array, a: number): StepDescription {
    return this.describer.step(s, a);
  }
}
