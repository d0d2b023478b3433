/**
 * The state encoding of a system: where each part of a world state lives in its fixed-width
 * Int32Array, and the word-level operations on it (no XState, no interning).
 *
 *   [ local id of each component slot (0 = not running) ]
 *   [ loss counter ]  [ restart counters, one per group ]  [ partition counter, partition bitmask ]
 *   [ each channel: `bound` words, event id + 1 of each message in flight (oldest first, or
 *     sorted for a bag), then zeros ]
 *
 * The loss counter and the partition words are there only when their budget is positive (narrow
 * states hash and copy faster). Only the local ids' position (slot i is word i) is promised
 * outside spec/world.
 */
import { ARG1_LIMIT } from './action-code.ts';
import type { SystemDef } from './definition.ts';

export class StateLayout {
  readonly width: number;
  readonly componentCount: number;
  readonly channelCount: number;
  private readonly compIndex = new Map<string, number>();
  private readonly chanIndex = new Map<string, number>();
  /** Offset of each channel's first word in the state vector. */
  readonly chanOffset: number[] = [];
  /** Per slot: the channels it sends or receives on. */
  readonly chansOf: number[][] = [];
  readonly lossCounter: number;
  readonly lossBudget: number;
  readonly restartCounter: number[] = [];
  readonly restartBudget: number[] = [];
  /** Per slot: its restart group (undefined: it never restarts). */
  readonly restartGroupOf: number[] = [];
  readonly partitionCounter: number;
  readonly partitionBudget: number;
  /** The word of the partition bitmask (-1: no partition budget). */
  readonly partitionWord: number;
  readonly partitionable: boolean[] = [];
  /** Bit of each partitionable component in the partition mask (-1: not partitionable). */
  readonly partitionBitOf: number[] = [];
  /** Per channel, for the hot path: receiver and sender slot, bound, 1 = FIFO / 0 = bag, 1 = loopback. */
  readonly chanTo: Int32Array;
  readonly chanFrom: Int32Array;
  readonly chanBound: Int32Array;
  readonly chanFifo: Uint8Array;
  readonly chanLocal: Uint8Array;
  /** Per slot: the receivers told LINK_BROKEN when it restarts or stops (its notifyOnBreak channels, in order). */
  readonly notifyOnBreakOf: number[][];

  constructor(readonly def: SystemDef) {
    this.componentCount = def.components.length;
    this.channelCount = def.channels.length;
    if (def.components.length >= ARG1_LIMIT || def.channels.length >= ARG1_LIMIT) {
      throw new Error(`system: at most ${ARG1_LIMIT - 1} components and channels`);
    }
    def.components.forEach((c, i) => {
      if (this.compIndex.has(c.name)) throw new Error(`system: duplicate component ${c.name}`);
      this.compIndex.set(c.name, i);
      this.chansOf.push([]);
    });
    let offset = def.components.length;
    // A word per fault only when its budget allows it.
    this.lossBudget = def.faults?.loss ?? 0;
    this.lossCounter = this.lossBudget > 0 ? offset++ : -1;
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
    this.chanLocal = Uint8Array.from(def.channels, (ch) => (ch.local ? 1 : 0));
    this.notifyOnBreakOf = def.components.map((_, comp) =>
      this.chansOf[comp]!.filter((chan) => def.channels[chan]!.notifyOnBreak === true && this.chanFrom[chan] === comp).map((chan) => this.chanTo[chan]!),
    );
  }

  comp(name: string): number {
    const i = this.compIndex.get(name);
    if (i === undefined) throw new Error(`system: no component named ${name}`);
    return i;
  }

  hasComponent(name: string): boolean {
    return this.compIndex.has(name);
  }

  channel(from: string, to: string): number | undefined {
    return this.chanIndex.get(`${from}>${to}`);
  }

  channelName(chan: number): string {
    const ch = this.def.channels[chan]!;
    return `${ch.from}>${ch.to}`;
  }

  isPartitioned(s: Int32Array, comp: number): boolean {
    const bit = this.partitionBitOf[comp]!;
    return bit >= 0 && this.partitionWord >= 0 && (s[this.partitionWord]! & (1 << bit)) !== 0;
  }

  /** A partition is in force (some component is cut off). */
  partitioned(s: Int32Array): boolean {
    return this.partitionWord >= 0 && s[this.partitionWord] !== 0;
  }

  networkIdle(s: Int32Array): boolean {
    const offsets = this.chanOffset;
    for (let c = 0; c < offsets.length; c++) if (s[offsets[c]!] !== 0) return false;
    return true;
  }

  /** No message in flight but on the channels marked in `ignored` (indexed by channel). */
  networkIdleExcept(s: Int32Array, ignored: Uint8Array): boolean {
    const offsets = this.chanOffset;
    for (let c = 0; c < offsets.length; c++) if (ignored[c] === 0 && s[offsets[c]!] !== 0) return false;
    return true;
  }

  /** Messages in flight on `chan`: the non-zero prefix of its words. */
  chanLength(s: Int32Array, chan: number): number {
    const off = this.chanOffset[chan]!;
    const bound = this.chanBound[chan]!;
    let n = 0;
    while (n < bound && s[off + n] !== 0) n++;
    return n;
  }

  clearChannel(s: Int32Array, chan: number): void {
    const off = this.chanOffset[chan]!;
    const end = off + this.chanBound[chan]!;
    for (let i = off; i < end; i++) s[i] = 0;
  }

  /** Takes the message at `pos` out of `chan`; returns its event id. */
  removeAt(s: Int32Array, chan: number, pos: number): number {
    const off = this.chanOffset[chan]!;
    const last = off + this.chanBound[chan]! - 1;
    const ev = s[off + pos]! - 1;
    // Shift the rest (trailing zeros included) down one; channels are short, so a loop beats
    // copyWithin's call overhead.
    for (let i = off + pos; i < last; i++) s[i] = s[i + 1]!;
    s[last] = 0;
    return ev;
  }

  /** Puts event `event` into `chan`, which holds `len` < bound messages: at the tail (FIFO) or in sorted position (bag). */
  insert(s: Int32Array, chan: number, len: number, event: number): void {
    const off = this.chanOffset[chan]!;
    const word = event + 1;
    if (this.chanFifo[chan] === 1) {
      s[off + len] = word;
      return;
    }
    let p = len;
    while (p > 0 && s[off + p - 1]! > word) {
      s[off + p] = s[off + p - 1]!;
      p--;
    }
    s[off + p] = word;
  }

  /** The interned event id at position `i` of channel `chan` (0 = the head). */
  item(s: Int32Array, chan: number, i: number): number {
    return s[this.chanOffset[chan]! + i]! - 1;
  }

  faultCount(s: Int32Array, name: string): number {
    if (name === 'loss') return this.lossCounter < 0 ? 0 : s[this.lossCounter]!;
    if (name === 'partition') return this.partitionCounter < 0 ? 0 : s[this.partitionCounter]!;
    const g = (this.def.faults?.restarts ?? []).findIndex((r) => r.name === name);
    return g < 0 ? 0 : s[this.restartCounter[g]!]!;
  }
}
