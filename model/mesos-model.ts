/**
 * The Mesos world as a checker Model: the System's states and actions, the catalogue of
 * invariants/ as properties. Invariants that read only the master are memoised per master
 * local state (DESIGN.md section 6), so each is evaluated once per distinct master context;
 * those that declare what they read, once per distinct content of what they read.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent.ts';
import type { ExecutorContext } from '../spec/machines/executor.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { SchedulerContext } from '../spec/machines/scheduler.ts';
import { mesosWorld, type MesosWorld } from '../spec/world/mesos.ts';
import { CAUSES, type CauseRecord } from '../spec/world/causes.ts';
import type { MesosConfig } from '../spec/world/config.ts';
import { asModel } from '../spec/world/as-model.ts';
import type { Visibility } from '../spec/world/system.ts';
import { electionInvariants, invariants as catalogue, stepInvariants, type Emitted, type Invariant, type StepInvariant, type WorldReader } from '../invariants/index.ts';
import type { ElectionContext } from '../spec/world/election.ts';
import type { Timer } from '../spec/step.ts';
import { KeyedVerdicts } from '../checker/keyed-verdicts.ts';
import type { Model, Property, PropertyGroup } from '../checker/model.ts';

/** A WorldReader over one compact world state. */
export function readerOf(world: MesosWorld, s: Int32Array): WorldReader {
  const r = movableReader(world);
  r.at(s);
  return r.reader;
}

const NO_EVENTS: readonly AnyEventObject[] = Object.freeze([]);
const NO_TIMERS: readonly Timer[] = Object.freeze([]);

/**
 * One WorldReader for every state a model checks (`at(s)` moves it): the invariants run on every
 * state, and a reader of closures and arrays per state and invariant was a tenth of the run in
 * garbage collection. Slots and channels are looked up once per name; an empty channel reads as
 * one shared empty array.
 */
export function movableReader(world: MesosWorld): { reader: WorldReader; at(s: Int32Array): void } {
  const sys = world.system;
  let s: Int32Array = new Int32Array(sys.width);
  const slots = new Map<string, number>();
  const slot = (name: string): number => {
    let i = slots.get(name);
    if (i === undefined) slots.set(name, (i = sys.comp(name)));
    return i;
  };
  const local = (name: string) => {
    const id = s[slot(name)]!;
    return id === 0 ? null : sys.locals[id]!;
  };
  const ctx = <T>(name: string): T | null => (local(name)?.context as T | undefined) ?? null;
  const chans = new Map<string, Map<string, number>>();
  const chan = (from: string, to: string): number => {
    let byTo = chans.get(from);
    if (byTo === undefined) chans.set(from, (byTo = new Map()));
    let c = byTo.get(to);
    if (c === undefined) byTo.set(to, (c = sys.channel(from, to) ?? -1));
    return c;
  };
  const reader: WorldReader = {
    layout: world.layout,
    master: () => ctx<MasterContext>('master'),
    agent: (name) => ctx<AgentContext>(name),
    scheduler: (name) => ctx<SchedulerContext>(name),
    executor: (name) => ctx<ExecutorContext>(name),
    causes: () => ctx<CauseRecord>(CAUSES),
    election: () => (world.layout.election !== undefined ? ctx<ElectionContext>(world.layout.election) : null),
    stateOf: (name): StateValue | null => local(name)?.value ?? null,
    timers: (name): readonly Timer[] => local(name)?.timers ?? NO_TIMERS,
    channel: (from, to): readonly AnyEventObject[] => {
      const c = chan(from, to);
      return c < 0 || sys.channelLength(s, c) === 0 ? NO_EVENTS : sys.channelEvents(s, c);
    },
  };
  return { reader, at: (state) => void (s = state) };
}

export interface MesosModelOptions {
  /** Only these invariants (default: the whole catalogue). */
  readonly only?: readonly string[];
  /** Extra invariants (tests add their own). */
  readonly extra?: readonly Invariant[];
}

/** The model of a configuration from plain data: what each parallel worker builds (checker/parallel.ts). */
export function mesosModelOf(config: MesosConfig): Model {
  return mesosModel(mesosWorld(config));
}

export function mesosModel(world: MesosWorld, options: MesosModelOptions = {}): Model & { readonly world: MesosWorld; readonly invariants: readonly Invariant[] } {
  const sys = world.system;
  const masterSlot = sys.comp('master');
  // An invariant that does not apply here is not a property of this model (model/vacuity.ts's notApplicable says why).
  const chosen = [...catalogue, ...(world.layout.election !== undefined ? electionInvariants : []), ...(options.extra ?? [])].filter(
    (i) => (!options.only || options.only.includes(i.name)) && !i.applies?.(world.layout),
  );
  // Step invariants judge each distinct master step (some every machine's) once, memoised with it; a breach throws,
  // which the checker reports as the error verdict with its shortest trace.
  const steps = stepInvariants.filter((i) => !options.only || options.only.includes(i.name));
  // A step judge takes the context of the machine it judges; the audit passes each its own.
  type Judge = (before: unknown, event: AnyEventObject, effects: readonly Emitted[], after: unknown, state: StateValue, armed: readonly Timer[]) => string | null;
  const judge = (i: StepInvariant) => ({ name: i.name, step: i.step as Judge });
  const everyMachine = steps.filter((i) => i.judges === 'every machine').map(judge);
  const masterSteps = steps.filter((i) => i.judges !== 'agents').map(judge);
  const agentSteps = steps.filter((i) => i.judges === 'agents' || i.judges === 'every machine').map(judge);
  const agents = new Set(world.layout.agents);
  if (steps.length > 0) {
    sys.audit = (component, from, event, result) => {
      const judging = component === world.layout.master ? masterSteps : agents.has(component) ? agentSteps : everyMachine;
      for (const i of judging) {
        const breach = i.step(from.context, event, result.effects, result.local.context, from.value, result.timersSet);
        if (breach !== null) return `${i.name}: ${breach}`;
      }
      return null;
    };
  }

  // A verdict is stored as a number: 0 holds, k > 0 the k-th distinct message (violations are rare).
  const messages: string[] = [''];
  const messageIds = new Map<string, number>();
  const encode = (r: string | null): number => {
    if (r === null) return 0;
    let k = messageIds.get(r);
    if (k === undefined) {
      k = messages.length;
      messages.push(r);
      messageIds.set(r, k);
    }
    return k;
  };

  const current = movableReader(world);
  const readerAt = (s: Int32Array): WorldReader => {
    current.at(s);
    return current.reader;
  };

  // Invariants memoised on the words they read (the master's local id for those of the master;
  // a world invariant's `reads`), grouped by those words: one lookup per group and state
  // (checker/keyed-verdicts.ts). A verdict is a message code, as above.
  const groups = new Map<string, { verdicts: KeyedVerdicts | null; positions: number[]; members: number }>();
  const keyOf = (inv: Invariant): number[] | null => {
    if (inv.master) return [masterSlot];
    if (!inv.reads) return null;
    const reads = inv.reads(world.layout);
    const at = reads.components.map((c) => sys.comp(c));
    for (const [from, to] of reads.channels) {
      const c = sys.channel(from, to);
      if (c === undefined) continue;
      const { offset, length } = sys.channelSpan(c);
      for (let k = offset; k < offset + length; k++) at.push(k);
    }
    return [...new Set(at)].sort((a, b) => a - b);
  };
  const membership = chosen.map((inv) => {
    const at = keyOf(inv);
    if (at === null) return null;
    const key = at.join(',');
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { verdicts: null, positions: at, members: 0 }));
    return { group: g, index: g.members++ };
  });
  for (const g of groups.values()) g.verdicts = new KeyedVerdicts(g.positions, g.members);

  // Each member's verdict code in its group's row (computed where the row has none yet).
  const code = (verdicts: KeyedVerdicts, r: number, j: number, absent: boolean, fn: (s: Int32Array) => string | null, s: Int32Array): number => {
    // The master's invariants hold where there is no master.
    if (absent && s[masterSlot] === 0) return 0;
    let v = verdicts.verdict(r, j);
    if (v < 0) verdicts.record(r, j, (v = encode(fn(s))));
    return v;
  };
  const members = chosen.map((inv, i) => {
    const member = membership[i];
    if (!member) return null;
    const fn: (s: Int32Array) => string | null = inv.master ? (s) => inv.master!(sys.locals[s[masterSlot]!]!.context as MasterContext) : (s) => inv.world!(readerAt(s));
    return { ...member, fn, absent: inv.master !== undefined, always: inv.kind === 'always' };
  });

  // The always-members of a group judged together (checker/model.ts, PropertyGroup): one row
  // lookup per state, and per row the summary "every one holds" (0) or "ask each" (1). The row's
  // key holds the master's word wherever a member is the master's, so `absent` is the row's too.
  const judges = new Map<object, PropertyGroup>();
  for (const g of groups.values()) {
    const own = members.filter((m) => m !== null && m.group === g && m.always);
    if (own.length < 2) continue;
    const verdicts = g.verdicts!;
    judges.set(g, {
      allHold: (s) => {
        const r = verdicts.row(s);
        let sum = verdicts.summary(r);
        if (sum < 0) {
          sum = 0;
          for (const m of own) {
            if (code(verdicts, r, m!.index, m!.absent, m!.fn, s) !== 0) {
              sum = 1;
              break;
            }
          }
          verdicts.recordSummary(r, sum);
        }
        return sum === 0;
      },
    });
  }

  const properties: Property[] = chosen.map((inv, i) => {
    let check: (s: Int32Array) => string | null;
    const member = members[i];
    if (member) {
      const verdicts = member.group.verdicts!;
      const { index: j, absent, fn } = member;
      check = (s) => {
        if (absent && s[masterSlot] === 0) return null;
        const v = code(verdicts, verdicts.row(s), j, absent, fn, s);
        return v === 0 ? null : messages[v]!;
      };
    } else {
      const fn = inv.world!;
      check = (s) => fn(readerAt(s));
    }
    const holds = (s: Int32Array) => check(s) === null;
    const explain = (s: Int32Array) => check(s) ?? '';
    // What it reads, for the explorers to skip it where a step moved none of it (checker/model.ts),
    // and the group that answers for it with the others of its row.
    const reads = member ? { reads: Int32Array.from(member.group.positions) } : {};
    const group = member && judges.get(member.group);
    if (inv.kind === 'sometimes') return { kind: 'sometimes', name: inv.name, holds, ...reads };
    if (inv.kind === 'always' && group) return { kind: 'always', name: inv.name, holds, explain, ...reads, group };
    return { kind: inv.kind, name: inv.name, holds, explain, ...reads };
  });

  // Partial-order reduction's visibility (spec/world/partial-order.ts): the components and
  // channels an always or sometimes property reads; an invariant that declares no reads reads all.
  const seen = chosen.filter((i) => i.kind === 'always' || i.kind === 'sometimes');
  const readsComp = new Uint8Array(sys.components.length);
  const readsChan = new Uint8Array(sys.channels.length);
  for (const inv of seen) {
    if (inv.master) readsComp[masterSlot] = 1;
    else if (inv.reads) {
      const r = inv.reads(world.layout);
      for (const c of r.components) readsComp[sys.comp(c)] = 1;
      for (const [from, to] of r.channels) {
        const c = sys.channel(from, to);
        if (c !== undefined) readsChan[c] = 1;
      }
    } else {
      readsComp.fill(1);
      readsChan.fill(1);
    }
  }
  const visibility: Visibility = { channel: (c) => readsChan[c] === 1, sameLocal: (comp) => readsComp[comp] === 0 };

  return {
    name: `mesos:${world.config.name}`,
    world,
    invariants: chosen,
    ...asModel(sys, visibility),
    properties,
  };
}
