/**
 * Quiescence: no message in flight, and every enabled non-fault action (a keep-alive timer such
 * as a heartbeat or a ping) leads, once the network has delivered what it caused, back to this
 * very state. Nothing is left to happen but faults and keep-alives. The eventually-properties are
 * judged in these states, and a terminal state that is not one is a deadlock.
 */
import { isFaultAction } from './action-code.ts';
import type { StateLayout } from './encoding.ts';

/** What quiescence asks of the world. */
export interface QuiescenceWorld {
  actions(s: Int32Array, push: (a: number) => void): void;
  deliveries(s: Int32Array, push: (a: number) => void): void;
  next(s: Int32Array, a: number, out: Int32Array): boolean;
}

export class Quiescence {
  /**
   * quiescent() of a network-idle, unpartitioned state, a function of its local ids: a trie over
   * them (1 no, 2 yes). Its nodes are Maps: an array indexed by a local id in the thousands gets a
   * backing store that large, per node (it was the largest allocation of a `default` run).
   */
  private readonly memo = new Map<number, unknown>();
  /** Scratch (allocated once; a re-entrant call allocates its own). */
  private busy = false;
  private readonly acts: number[] = [];
  private readonly settleActs: number[] = [];
  private t: Int32Array = new Int32Array(0);
  private u: Int32Array = new Int32Array(0);

  constructor(
    private readonly layout: StateLayout,
    private readonly world: QuiescenceWorld,
  ) {}

  quiescent(s: Int32Array): boolean {
    // The common case, a message in flight, costs one pass over the length words.
    if (!this.layout.networkIdle(s)) return false;
    // A partition in force is not an end state: networks heal (the fairness liveness assumes).
    if (this.layout.partitioned(s)) return false;
    // What is left of the state is the local ids and the fault counters, which no non-fault
    // action reads or writes: the answer is a function of the local ids, memoised on them.
    const n = this.layout.componentCount;
    let node = this.memo;
    for (let i = 0; i < n - 1; i++) {
      let child = node.get(s[i]!) as Map<number, unknown> | undefined;
      if (child === undefined) node.set(s[i]!, (child = new Map()));
      node = child;
    }
    const known = node.get(s[n - 1]!) as number | undefined;
    if (known !== undefined) return known === 2;
    const quiet = this.unmemoised(s);
    node.set(s[n - 1]!, quiet ? 2 : 1);
    return quiet;
  }

  private unmemoised(s: Int32Array): boolean {
    const width = this.layout.width;
    if (this.busy) return this.quiescentWith(s, [], [], new Int32Array(width), new Int32Array(width));
    if (this.t.length !== width) {
      this.t = new Int32Array(width);
      this.u = new Int32Array(width);
    }
    this.busy = true;
    try {
      return this.quiescentWith(s, this.acts, this.settleActs, this.t, this.u);
    } finally {
      this.busy = false;
    }
  }

  private quiescentWith(s: Int32Array, acts: number[], settleActs: number[], t: Int32Array, u: Int32Array): boolean {
    acts.length = 0;
    this.world.actions(s, (a) => {
      if (!isFaultAction(a)) acts.push(a);
    });
    // A step that throws is not quiet: the explorer meets the same step among the state's own
    // successors and reports it as an error with its trace, which it cannot do from here.
    try {
      for (let i = 0; i < acts.length; i++) {
        if (!this.world.next(s, acts[i]!, t)) continue;
        if (!this.settle(t, u, settleActs)) return false;
        if (!equalWords(t, s)) return false;
      }
    } catch {
      return false;
    }
    return true;
  }

  /** Delivers in-flight messages (first enabled delivery each time) until the network is idle. */
  private settle(t: Int32Array, scratch: Int32Array, acts: number[]): boolean {
    for (let steps = 0; steps < 256; steps++) {
      if (this.layout.networkIdle(t)) return true;
      let moved = false;
      acts.length = 0;
      this.world.deliveries(t, (a) => acts.push(a));
      for (let i = 0; i < acts.length; i++) {
        if (this.world.next(t, acts[i]!, scratch)) {
          t.set(scratch);
          moved = true;
          break;
        }
      }
      if (!moved) return false;
    }
    return false;
  }
}

function equalWords(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
