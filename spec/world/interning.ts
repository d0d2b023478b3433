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
  /** Per machine id: local id by canonical JSON. */
  private readonly localIds = new Map<string, Map<string, number>>();
  private readonly localOwner: number[] = [-1];
  /** Per local state: the indices of its timers that may fire (all of them, unless `maxTimerMs`). */
  readonly firable: (readonly number[])[] = [[]];
  /** Per local state: those of its firable timers that fire early too, while messages are in flight (`SystemDef.earlyTimers`). */
  readonly early: (readonly number[])[] = [[]];
  /** Interned events (a delivered message including `from`, a timer's event, ...). */
  readonly events: AnyEventObject[] = [];
  readonly eventJson: string[] = [];
  private readonly eventIds = new Map<string, number>();
  private shared: SharedInterner | undefined;

  constructor(
    private readonly components: readonly ComponentDef[],
    private readonly maxTimerMs: number,
    private readonly earlyTimers: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * A step's local state, interned. The context is most of it, and most contexts come out of a
   * step with every object's keys already in canonical order (they are copies of a stored,
   * canonical context with a few fields replaced): then the native JSON.stringify gives its
   * canonical JSON, and the context itself can be stored as it is, without a parse. Otherwise
   * (a key added out of order, an undefined member, -0) the objects that are not in canonical
   * form are copied into it (canonicalCopy), and the copy goes the same way: no canonical JSON
   * written by hand, no parse. (Integer-like keys out of string order, which no object can hold
   * in that order, take the long way: canonical JSON, parsed back.)
   */
  internLocal(comp: number, local: Local): number {
    const ctx = local.context === undefined ? undefined : canonicalCopy(local.context);
    if (ctx === undefined || ctx === UNORDERABLE) return this.internLocalJson(comp, canonicalJson(local));
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
    // One table per machine, keyed by the JSON itself: a key with the machine's id in front
    // would be a second copy of a long string to hash on every step XState runs.
    const ids = this.localIdsOf(comp);
    let id = ids.get(json);
    if (id === undefined) {
      if (this.shared) return this.internShared(LOCALS, this.components[comp]!.machine.id + '|' + json);
      id = this.locals.length;
      this.addLocal(comp, json, stored ? stored() : (JSON.parse(json) as Local));
    }
    return id;
  }

  private localIdsOf(comp: number): Map<string, number> {
    const machine = this.components[comp]!.machine.id;
    let ids = this.localIds.get(machine);
    if (ids === undefined) this.localIds.set(machine, (ids = new Map()));
    return ids;
  }

  private addLocal(comp: number, json: string, local: Local): void {
    this.localIdsOf(comp).set(json, this.locals.length);
    this.locals.push(local);
    this.localJson.push(json);
    this.localOwner.push(comp);
    const firable = local.timers.length === 0 ? NO_TIMERS : local.timers.flatMap((t, i) => (t.delay <= this.maxTimerMs ? [i] : []));
    this.firable.push(firable);
    this.early.push(this.earlyTimers.size === 0 || firable.length === 0 ? NO_TIMERS : firable.filter((i) => this.earlyTimers.has(local.timers[i]!.event.type)));
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
      this.addLocal(comp, json, JSON.parse(json) as Local);
    }
  }
}

/** canonicalCopy's answer for an object no copy can give the canonical key order (integer-like keys, which objects iterate first). */
const UNORDERABLE: unique symbol = Symbol('unorderable');

/** Whether `c` (canonicalCopy's answer for `v`) is not `v` itself: a copy, or -0 made 0. */
const changed = (c: unknown, v: unknown): boolean => c !== v || (v === 0 && 1 / v < 0);

/**
 * `x` in the form JSON.stringify writes as its canonical JSON (spec/canonical.ts): every object's
 * keys in ascending order, no undefined member, no -0. Returns `x` itself when it is in that form
 * already (the common case; a walk without allocation), else a copy in which only the objects
 * on the way to something out of form are new, or UNORDERABLE. Throws where canonicalJson
 * throws: undefined in an array, a non-finite number, anything but plain data.
 */
function canonicalCopy(x: unknown): unknown {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      if (!Number.isFinite(x)) throw new TypeError(`canonicalJson: non-finite number ${x}`);
      return x === 0 ? 0 : x;
    case 'object': {
      if (x === null) return x;
      if (Array.isArray(x)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < x.length; i++) {
          const v: unknown = x[i];
          if (v === undefined) throw new TypeError('canonicalJson: undefined in an array');
          const c = canonicalCopy(v);
          if (c === UNORDERABLE) return c;
          if (copy === undefined && changed(c, v)) copy = x.slice(0, i);
          if (copy !== undefined) copy.push(c);
        }
        return copy ?? x;
      }
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`canonicalJson: not plain data (${(proto as { constructor?: { name?: string } }).constructor?.name ?? 'unknown'})`);
      const o = x as Record<string, unknown>;
      let prev: string | undefined;
      let inForm = true;
      for (const k in o) {
        const v = o[k];
        if (prev !== undefined && !(prev < k)) inForm = false;
        else if (v === undefined) inForm = false;
        else {
          const c = canonicalCopy(v);
          if (c === UNORDERABLE) return c;
          if (changed(c, v)) inForm = false;
        }
        if (!inForm) break;
        prev = k;
      }
      if (inForm) return x;
      const copy: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) {
        const v = o[k];
        if (v === undefined) continue;
        const c = canonicalCopy(v);
        if (c === UNORDERABLE) return c;
        copy[k] = c;
      }
      prev = undefined;
      for (const k in copy) {
        if (prev !== undefined && !(prev < k)) return UNORDERABLE;
        prev = k;
      }
      return copy;
    }
    default:
      throw new TypeError(`canonicalJson: ${typeof x} is not JSON`);
  }
}
