/**
 * MesosLite as a checker Model (checker/model.ts): the world of system.ts, with the TLA+
 * invariants as `always` properties and MesosLite.tla's `EndOK` as the `eventually` property.
 *
 * Properties (MesosLite.tla, bottom):
 *   - NoOverAllocation  always  alloc[a] + offered[a] <= CPUS              (reads the master)
 *   - AgentCapacity     always  live[a] <= CPUS                            (reads each agent)
 *   - NoResurrection    always  the update at the head of m2f[f] does not move a task the
 *                               framework saw terminal to another state   (reads fw-f and m2f[f])
 *   - EndOK             eventually, i.e. in every quiescent state: every task terminal, not
 *                               pending at the master, forgotten by its agent, seen by its
 *                               framework as the master has it; nothing allocated or offered.
 *
 * Quiescence and deadlock. `quiescent(s)` is the world's (System.quiescent): no message in flight
 * and nothing left to happen but faults (here: the agent crash). TLC's CHECK_DEADLOCK with the
 * `Quiesced` action reports "a state without successors that is not EndOK", and Promela's
 * `timeout -> assert(EndOK)` the same. Here such a state is either not quiescent (messages stuck in
 * the network: reported as a deadlock) or quiescent (reported as an EndOK violation), so a model
 * passing here passes TLC's check. The check here is stronger in one respect: EndOK must also hold
 * in quiescent states where a crash is still possible (TLC and SPIN only look once the crash
 * budget is spent too); it does, at every size in the anchors' table.
 *
 * Each predicate is memoised per local id of the component it reads (a local id names one local
 * state for the whole run), so a property costs a few array loads per state, not a walk over
 * contexts.
 */
import type { Model, Property } from '../../model.ts';
import { asModel } from '../../../spec/world/as-model.ts';
import type { System, Visibility } from '../../../spec/world/system.ts';
import { terminal, type AgentContext, type FrameworkContext, type MasterContext, type Params } from './machines.ts';
import { defaults, mesosLiteSystem, type MesosLiteMachines } from './system.ts';

export interface MesosLiteModel extends Model {
  readonly params: Params;
  readonly system: System;
}

/** `A,F,T=1,2,1` style label of a size. */
const sizeLabel = (p: Pick<Params, 'A' | 'F' | 'T'>): string => `A,F,T=${p.A},${p.F},${p.T}`;

/**
 * A per-id cache of a boolean predicate: 0 unknown, 1 true, 2 false. Ids are small dense ints
 * (interned local states and events), so a typed array beats a Map.
 */
class BoolMemo {
  private cache = new Uint8Array(1024);
  constructor(private readonly compute: (id: number) => boolean) {}

  get(id: number): boolean {
    let c = this.cache;
    if (id >= c.length) {
      let n = c.length;
      while (n <= id) n *= 2;
      const bigger = new Uint8Array(n);
      bigger.set(c);
      this.cache = c = bigger;
    }
    let v = c[id]!;
    if (v === 0) {
      v = this.compute(id) ? 1 : 2;
      c[id] = v;
    }
    return v === 1;
  }
}

/** A per-id cache of a small non-negative int (< 255); 255 means unknown. */
class IntMemo {
  private cache = new Uint8Array(1024).fill(255);
  constructor(private readonly compute: (id: number) => number) {}

  get(id: number): number {
    let c = this.cache;
    if (id >= c.length) {
      let n = c.length;
      while (n <= id) n *= 2;
      const bigger = new Uint8Array(n).fill(255);
      bigger.set(c);
      this.cache = c = bigger;
    }
    let v = c[id]!;
    if (v === 255) {
      v = this.compute(id);
      if (!(v >= 0 && v < 255)) throw new Error(`mesos-lite: memoised value ${v} out of range`);
      c[id] = v;
    }
    return v;
  }
}

export function mesosLiteModel(params: Partial<Params> = {}, machines: MesosLiteMachines = {}): MesosLiteModel {
  const p: Params = { ...defaults, ...params };
  const sys = mesosLiteSystem(p, machines);
  const nt = p.F * p.T;
  const masterSlot = sys.comp('master');
  const agentSlots = Array.from({ length: p.A }, (_, a) => sys.comp(`agent-${a}`));
  const fwSlots = Array.from({ length: p.F }, (_, f) => sys.comp(`fw-${f}`));
  const m2f = Array.from({ length: p.F }, (_, f) => sys.channel('master', `fw-${f}`)!);

  const masterCtx = (id: number) => sys.locals[id]!.context as MasterContext;
  const agentCtx = (id: number) => sys.locals[id]!.context as AgentContext;
  const fwCtx = (id: number) => sys.locals[id]!.context as FrameworkContext;

  // --- one-component predicates, memoised per local id
  const masterAllocOk = new BoolMemo((id) => {
    const m = masterCtx(id);
    return m.alloc.every((x, a) => x + m.offered[a]! <= p.CPUS);
  });
  const agentLiveOk = new BoolMemo((id) => agentCtx(id).live <= p.CPUS);
  /** The master's half of EndOK: every task terminal and not pending, nothing allocated or offered. */
  const masterEnd = new BoolMemo((id) => {
    const m = masterCtx(id);
    for (let t = 0; t < nt; t++) if (!terminal(m.mstate[t]!) || m.mpend[t] !== 0) return false;
    for (let a = 0; a < p.A; a++) if (m.alloc[a] !== 0 || m.offered[a] !== 0) return false;
    return true;
  });
  /** The agent's half: it holds no task. */
  const agentEnd = new BoolMemo((id) => agentCtx(id).on.every((x) => x === 0));
  /** Per (framework local, own task i): the state it has seen, at id * T + i. */
  const fwSeen = new IntMemo((key) => fwCtx(Math.floor(key / p.T)).fst[key % p.T]!);
  /** Per event id: task * 8 + state of an UPDATE (its `y`, `z`), or 254 for any other message. */
  const updateOf = new IntMemo((ev) => {
    const e = sys.events[ev]!;
    return e.type === 'UPDATE' ? (e.y as number) * 8 + (e.z as number) : 254;
  });
  if (nt * 8 > 254) throw new Error('mesos-lite: at most 31 tasks');

  const noResurrection = (s: Int32Array): boolean => {
    for (let f = 0; f < p.F; f++) {
      if (sys.channelLength(s, m2f[f]!) === 0) continue;
      const u = updateOf.get(sys.channelItem(s, m2f[f]!, 0));
      if (u === 254) continue;
      const seen = fwSeen.get(s[fwSlots[f]!]! * p.T + ((u >> 3) - f * p.T));
      if (terminal(seen) && seen !== (u & 7)) return false;
    }
    return true;
  };

  const endOK = (s: Int32Array): boolean => {
    const m = s[masterSlot]!;
    if (!masterEnd.get(m)) return false;
    for (const slot of agentSlots) if (!agentEnd.get(s[slot]!)) return false;
    const mstate = masterCtx(m).mstate;
    for (let f = 0; f < p.F; f++) {
      const fw = s[fwSlots[f]!]!;
      for (let i = 0; i < p.T; i++) if (fwSeen.get(fw * p.T + i) !== mstate[f * p.T + i]) return false;
    }
    return true;
  };

  const isM2f = new Uint8Array(sys.channels.length);
  for (const c of m2f) isM2f[c] = 1;
  const kindOf = new Int8Array(sys.components.length).fill(-1);
  kindOf[masterSlot] = 0;
  for (const slot of agentSlots) kindOf[slot] = 1;
  for (const slot of fwSlots) kindOf[slot] = 2;
  const sameView = (before: number, after: number): boolean => {
    for (let i = 0; i < p.T; i++) if (fwSeen.get(before * p.T + i) !== fwSeen.get(after * p.T + i)) return false;
    return true;
  };
  // Partial-order reduction: the always-properties read the master's allocation, each agent's
  // live count, each framework's view of its tasks and the head of m2f[f]; a local step that
  // keeps its component's part of them is invisible.
  const visibility: Visibility = {
    channel: (c) => isM2f[c] === 1,
    sameLocal: (comp, before, after) =>
      kindOf[comp] === 0
        ? masterAllocOk.get(before) === masterAllocOk.get(after)
        : kindOf[comp] === 1
          ? agentLiveOk.get(before) === agentLiveOk.get(after)
          : sameView(before, after),
  };

  const properties: Property[] = [
    {
      kind: 'always',
      name: 'NoOverAllocation',
      holds: (s) => masterAllocOk.get(s[masterSlot]!),
      explain: (s) => {
        const m = masterCtx(s[masterSlot]!);
        return `master: alloc ${JSON.stringify(m.alloc)} + offered ${JSON.stringify(m.offered)} exceeds CPUS=${p.CPUS} on some agent`;
      },
    },
    {
      kind: 'always',
      name: 'AgentCapacity',
      holds: (s) => {
        for (const slot of agentSlots) if (!agentLiveOk.get(s[slot]!)) return false;
        return true;
      },
      explain: (s) => `live tasks per agent ${JSON.stringify(agentSlots.map((slot) => agentCtx(s[slot]!).live))} exceed CPUS=${p.CPUS}`,
    },
    {
      kind: 'always',
      name: 'NoResurrection',
      holds: noResurrection,
      explain: () => 'a framework is about to read an update that moves a task it saw terminal to another state',
    },
    {
      kind: 'eventually',
      name: 'EndOK',
      holds: endOK,
      explain: (s) => {
        const m = masterCtx(s[masterSlot]!);
        const on = agentSlots.map((slot) => agentCtx(s[slot]!).on);
        const fst = fwSlots.map((slot) => fwCtx(s[slot]!).fst);
        return `quiescent but not EndOK: mstate ${JSON.stringify(m.mstate)} mpend ${JSON.stringify(m.mpend)} alloc ${JSON.stringify(m.alloc)} offered ${JSON.stringify(m.offered)} agents' tasks ${JSON.stringify(on)} frameworks' view ${JSON.stringify(fst)}`;
      },
    },
  ];

  return {
    name: `mesos-lite ${sizeLabel(p)}`,
    params: p,
    system: sys,
    ...asModel(sys, visibility),
    properties,
  };
}
