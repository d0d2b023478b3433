/**
 * What a runner can know of a model state: only what its frameworks observed and what it did.
 * A *belief* is the set of world states consistent with a scenario's visible steps so far;
 * between two visible steps the cluster may take any number of steps the runner neither takes
 * nor sees (the *closure*). From a closure, the events a framework may observe next are the
 * heads of its event channel (FIFO: once an event is on its way, it comes next).
 *
 * Visible, so never taken inside a closure: deliveries to frameworks (but HEARTBEATs, which
 * scenarios ignore), frameworks' timers and environment decisions (their calls are the
 * runner's), and faults (the runner's, a kill -9 of a framework's executor among them). A task's process ends only as the scenario's
 * environment says (its command: `exit <status>`, or `sleep`, which never ends by itself).
 *
 * Timing: the checked world's timers are *eager* (they fire only while no message is in flight),
 * but a framework's events wait at the runner as long as it likes (it holds them while it injects
 * a fault, and reads them in its own time): a master's timer may fire with events on their way to
 * a framework. So the closure lets timers fire past those channels (measured: the master's
 * allocation ran, offering an agent the runner was about to kill, while SUBSCRIBED was unread;
 * the RESCIND that followed was an event the eager belief did not allow).
 *
 * Events are compared *loosely*: as patterns with every id a wildcard, since two interleavings
 * may name the same offer or update differently. States are the checked world's (ids renamed).
 */
import type { AnyEventObject } from 'xstate';
import { canonicalJson } from '../spec/canonical.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, decodeAction, type ActionInfo, type System } from '../spec/world/system.ts';
import { wrongExit } from './exits.ts';
import { eventPattern } from './patterns.ts';

export interface Closure {
  readonly states: readonly Int32Array[];
  /** False when the search hit its bound. */
  readonly complete: boolean;
  /** Keys of the states, for membership tests. */
  readonly keys: ReadonlySet<string>;
}

export function stateKey(s: Int32Array): string {
  return Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1');
}

/** An event as a pattern with every id a wildcard (null when scenarios ignore it: HEARTBEAT). */
export function looseEvent(e: AnyEventObject): string | null {
  const p = eventPattern(e, () => '*');
  return p === null ? null : canonicalJson(p);
}

/** An action's label with offer ids made wildcards. */
export function looseLabel(label: string): string {
  return label.replace(/-O\d+/g, '-O*');
}

export class Beliefs {
  private readonly sys: System;
  private readonly toFramework: ReadonlyMap<number, string>;
  private readonly frameworkSlots: ReadonlySet<number>;
  /** The channels to frameworks, which do not hold back a timer (indexed by channel). */
  private readonly timersIgnore: Uint8Array;
  /** Each task's exit status in the scenario's environment (null or absent: it sleeps). */
  private readonly exits: ReadonlyMap<string, number | null>;

  /** `exits`: each task's exit status in the scenario's environment (null or absent: it sleeps). */
  constructor(
    readonly world: MesosWorld,
    readonly maxStates: number,
    exits: ReadonlyMap<string, number | null> = new Map(),
    system = world.system,
  ) {
    this.sys = system;
    this.toFramework = new Map(world.layout.frameworks.map((f) => [this.sys.channel(world.layout.master, f)!, f] as const));
    this.frameworkSlots = new Set(world.layout.frameworks.map((f) => this.sys.comp(f)));
    this.timersIgnore = new Uint8Array(this.sys.channels.length);
    for (const c of this.toFramework.keys()) this.timersIgnore[c] = 1;
    this.exits = exits;
  }

  /** The environment does not let this process exit happen (exits.ts: another status, or a sleeping task). */
  private excludedExit(s: Int32Array, a: number): boolean {
    return decodeAction(a).kind === ActionKind.Environment && wrongExit(this.world, this.sys.describeStep(s, a), this.exits);
  }

  /** Whether the runner (or a framework it drives) takes or sees action `a` in `s`. */
  visible(s: Int32Array, a: number): boolean {
    if (this.sys.isFault(a)) return true;
    const { kind, arg1, arg2 } = decodeAction(a);
    // kill -9 of a custom or default executor is the runner's fault step (format.ts EXECUTOR_KILL).
    if (kind === ActionKind.Environment && this.sys.components[arg1]!.environment?.[arg2]?.type === 'EXECUTOR_KILLED') return true;
    if (kind === ActionKind.Deliver && this.toFramework.has(arg1)) return looseEvent(this.sys.events[this.sys.channelItem(s, arg1, 0)]!) !== null;
    if (kind === ActionKind.Timer || kind === ActionKind.Environment) return this.frameworkSlots.has(arg1);
    return false;
  }

  /** Every state reachable from `from` by invisible steps (`from` included). */
  closure(from: readonly Int32Array[]): Closure {
    return this.reach(from, (t, a) => !this.visible(t, a));
  }

  /**
   * The states the cluster may settle in once a scenario is over: those `settled` holds in, of
   * every state reachable from closure `c` by steps the runner neither takes nor sees and by
   * deliveries to its frameworks (it reads what comes, and answers nothing more). Null when the
   * search hits its bound, or `c` did.
   */
  settlements(c: Closure, settled: (s: Int32Array) => boolean): Int32Array[] | null {
    if (!c.complete) return null;
    const r = this.reach(c.states, (t, a) => !this.visible(t, a) || this.readsEvent(a));
    return r.complete ? r.states.filter(settled) : null;
  }

  /** Whether `a` delivers an event to a framework. */
  private readsEvent(a: number): boolean {
    const { kind, arg1 } = decodeAction(a);
    return kind === ActionKind.Deliver && this.toFramework.has(arg1);
  }

  /** Every state reachable from `from` by steps `takes` lets through, and process exits the environment allows (`from` included). */
  private reach(from: readonly Int32Array[], takes: (t: Int32Array, a: number) => boolean): Closure {
    const sys = this.sys;
    const keys = new Set<string>();
    const states: Int32Array[] = [];
    let complete = true;
    for (const s of from) {
      const k = stateKey(s);
      if (!keys.has(k)) {
        keys.add(k);
        states.push(s);
      }
    }
    const out = new Int32Array(sys.width);
    const acts: number[] = [];
    for (let i = 0; i < states.length; i++) {
      const t = states[i]!;
      acts.length = 0;
      sys.actions(t, (a) => acts.push(a), this.timersIgnore);
      for (const a of acts) {
        if (!takes(t, a) || this.excludedExit(t, a) || !sys.next(t, a, out)) continue;
        const k = stateKey(out);
        if (keys.has(k)) continue;
        if (keys.size >= this.maxStates) {
          complete = false;
          continue;
        }
        keys.add(k);
        states.push(Int32Array.from(out));
      }
    }
    return { states, complete, keys };
  }

  /** The events framework `fw` may observe next in a closure: loose key -> one such event. */
  heads(c: Closure, fw: string): Map<string, AnyEventObject> {
    const sys = this.sys;
    const chan = sys.channel(this.world.layout.master, fw)!;
    const out = new Map<string, AnyEventObject>();
    for (const t of c.states) {
      if (sys.channelLength(t, chan) === 0) continue;
      const e = sys.events[sys.channelItem(t, chan, 0)]!;
      const k = looseEvent(e);
      if (k !== null && !out.has(k)) out.set(k, e);
    }
    return out;
  }

  /** Every event on its way to framework `fw` in any state of a closure (not only the next): loose key -> one such event. */
  pending(c: Closure, fw: string): Map<string, AnyEventObject> {
    const sys = this.sys;
    const chan = sys.channel(this.world.layout.master, fw)!;
    const out = new Map<string, AnyEventObject>();
    for (const t of c.states) {
      for (let i = 0; i < sys.channelLength(t, chan); i++) {
        const e = sys.events[sys.channelItem(t, chan, i)]!;
        const k = looseEvent(e);
        if (k !== null && !out.has(k)) out.set(k, e);
      }
    }
    return out;
  }

  /** The states after framework `fw` observes an event loosely equal to `loose`. */
  observe(c: Closure, fw: string, loose: string): Int32Array[] {
    const sys = this.sys;
    const chan = sys.channel(this.world.layout.master, fw)!;
    return this.successors(c, (t, a) => {
      const { kind, arg1 } = decodeAction(a);
      return kind === ActionKind.Deliver && arg1 === chan && looseEvent(sys.events[sys.channelItem(t, chan, 0)]!) === loose;
    });
  }

  /** The states after a runner action (a framework's timer or decision, a fault) described like `info`. */
  act(c: Closure, info: ActionInfo): Int32Array[] {
    const want = `${info.kind}|${looseLabel(info.label)}`;
    return this.successors(c, (t, a) => {
      if (!this.visible(t, a)) return false;
      const d = this.sys.describe(t, a);
      return `${d.kind}|${looseLabel(d.label)}` === want;
    });
  }

  private successors(c: Closure, take: (t: Int32Array, a: number) => boolean): Int32Array[] {
    const sys = this.sys;
    const out = new Int32Array(sys.width);
    const seen = new Set<string>();
    const result: Int32Array[] = [];
    const acts: number[] = [];
    for (const t of c.states) {
      acts.length = 0;
      sys.actions(t, (a) => acts.push(a), this.timersIgnore);
      for (const a of acts) {
        if (!take(t, a) || !sys.next(t, a, out)) continue;
        const k = stateKey(out);
        if (seen.has(k)) continue;
        seen.add(k);
        result.push(Int32Array.from(out));
      }
    }
    return result;
  }
}
