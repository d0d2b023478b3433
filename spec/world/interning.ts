/**
 * The ids a state vector names things by: local states and events interned to small dense
 * integers by their canonical JSON (a local state's id is the word of its slot; an event's id + 1
 * is a channel word). Parallel workers share the tables through append-only logs, so every worker
 * gives a JSON the same id.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import { canonicalJson } from '../canonical.ts';
import type { Local, Timer } from '../step.ts';
import { EVENT_LIMIT } from './action-code.ts';
import type { ComponentDef, SharedInterner } from './definition.ts';

/** The shared tables: local states (entry i is local id i + 1), events (entry i is event id i). */
const LOCALS = 0;
const EVENTS = 1;

/** The firable timers of every local state that has none (one shared array). */
const NO_TIMERS: readonly number[] = Object.freeze([]);

export class Interning {
  /** Interned local states: id -> local. Id 0 means "not running". */
  readonly locals: Local[] = [null as unknown as Local];
  readonly localJson: string[] = [''];
  private readonly localIds = new Map<string, number>();
  private readonly localOwner: number[] = [-1];
  /** Per local state: the indices of its timers that may fire (all of them, unless `maxTimerMs`). */
  readonly firable: (readonly number[])[] = [[]];
  /** Interned events (a delivered message including `from`, a timer's event, ...). */
  readonly events: AnyEventObject[] = [];
  readonly eventJson: string[] = [];
  private readonly eventIds = new Map<string, number>();
  private shared: SharedInterner | undefined;

  constructor(
    private readonly components: readonly ComponentDef[],
    private readonly maxTimerMs: number,
  ) {}

  /**
   * A step's local state, interned. The context is most of it, and most contexts come out of a
   * step with every object's keys already in canonical order (they are copies of a stored,
   * canonical context with a few fields replaced): then the native JSON.stringify gives its
   * canonical JSON, and the context itself can be stored as it is, without a parse. Otherwise
   * (a key added out of order, an undefined member, -0) it goes the long way.
   */
  internLocal(comp: number, local: Local): number {
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
  internLocalJson(comp: number, json: string, stored?: () => Local): number {
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

  internEventJson(key: string): number {
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

  get distinctLocals(): number {
    return this.locals.length - 1;
  }

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
}

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
