/**
 * One breadth-first exploration of a configuration that records, for every coverage target
 * (targets.ts), the first witness BFS meets: a shortest trace reaching it.
 *
 * - situation targets are `sometimes` properties: the checker keeps the shortest trace to the
 *   first state in which each holds;
 * - state and reason targets are edges: the delivery of an UPDATE to a framework. The explorer's
 *   `onTransition` hook sees edges in BFS order of their sources, and its `witness()` gives the
 *   shortest trace to the source, so that trace plus the edge is a shortest one;
 * - transition targets are edges too, but which machine transitions an edge takes is known only
 *   inside the world: the System reports each distinct local transition once, when it first
 *   computes it (its steps are memoised). A report made during a successful `next` belongs to
 *   that edge (cascades included). One made elsewhere (an environment event evaluated while
 *   listing actions, or an edge that turned out disabled, e.g. by a full channel) is kept on a
 *   watch list keyed by (component, local state, event) and credited to the first later edge
 *   whose primary step is that triple (a delivery's receiver, a timer's or environment event's
 *   component, the LINK_BROKEN a restart gives its peers).
 *
 * The model has no `quiescent` and no `eventually` property, so the explorer never steps states
 * outside BFS order; no symmetry reduction, so traces are the world's own actions.
 */
import type { AnyEventObject, AnyStateMachine, AnyStateNode } from 'xstate';
import { explore, type ExploreResult, type Trace } from '../checker/index.ts';
import { movableReader } from '../model/mesos-model.ts';
import type { Model, Property } from '../checker/model.ts';
import { canonicalJson } from '../spec/canonical.ts';
import type { Local } from '../spec/step.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, decodeAction } from '../spec/world/system.ts';
import { situations as allSituations, type Situation, type SituationReader } from './situations.ts';
import { reasonTarget, situationTarget, stateTarget, transitionTarget, type TargetId } from './targets.ts';

export interface WitnessOptions {
  /** Stop after this many distinct states (the witnesses found so far are kept). */
  readonly maxStates?: number;
  /** Called about once a second. */
  readonly progress?: (states: number, depth: number) => void;
  /** The invariants' guarded situations to look for (default: situations.ts's). */
  readonly situations?: readonly Situation[];
  /** Of a state's actions, only those this keeps are explored (default: every one); a pass's restriction (quiet-crashes.ts, prompt-exits.ts). */
  readonly keep?: (s: Int32Array, actions: readonly number[]) => readonly number[];
}

export interface Witnesses {
  /** A shortest trace per reachable target, in the order they were found. */
  readonly traces: ReadonlyMap<TargetId, Trace>;
  readonly exploration: Pick<ExploreResult, 'complete' | 'states' | 'transitions' | 'diameter'>;
}

/** A reader for situations moved from state to state by `at(s)`: the invariants' WorldReader plus pending timers. */
function movableSituationReader(world: MesosWorld): { reader: SituationReader; at(s: Int32Array): void } {
  const moved = movableReader(world);
  let current: Int32Array = new Int32Array(world.system.width);
  const reader: SituationReader = { ...moved.reader, timers: (name) => world.system.localOf(current, name)?.timers ?? [] };
  return {
    reader,
    at: (s) => {
      current = s;
      moved.at(s);
    },
  };
}

/** A reader for situations of one state. */
export function situationReader(world: MesosWorld, s: Int32Array): SituationReader {
  const r = movableSituationReader(world);
  r.at(s);
  return r.reader;
}

/** The coverage ids (`<state node id>|<event>|<index>`) XState takes for this event in this state. */
export function transitionIds(machine: AnyStateMachine, from: Local, event: AnyEventObject): string[] {
  const snapshot = machine.resolveState({ value: from.value, context: from.context as never });
  const out: string[] = [];
  for (const d of machine.getTransitionData(snapshot as never, event as never)) {
    const source = (d as { source: AnyStateNode }).source;
    const type = (d as { eventType: string }).eventType;
    const index = (source.transitions.get(type) ?? []).indexOf(d as never);
    out.push(`${source.id}|${type}|${index}`);
  }
  return out;
}

export function findWitnesses(world: MesosWorld, options: WitnessOptions = {}): Witnesses {
  const sys = world.system;
  // Transitions are heard only when the System first computes a step: on a System that has
  // already run XState, every memoised step would go unheard and its targets unwitnessed.
  if (sys.stats.xstateCalls > 0)
    throw new Error(`conformance: findWitnesses needs a System that has computed no step yet (this one has made ${sys.stats.xstateCalls} XState calls): give each pass its own`);
  // One reader for every state and situation (a reader made per state and situation was 41 s of
  // the default suite's 63 s: closures, maps and tsx's function naming, per call).
  const { reader, at } = movableSituationReader(world);
  const traces = new Map<TargetId, Trace>();

  // Local ids of Local objects, indexed lazily (the System interns them in `locals`).
  const localIds = new Map<Local, number>();
  let indexed = 0;
  const localId = (l: Local): number => {
    while (indexed < sys.locals.length) localIds.set(sys.locals[indexed]!, indexed++);
    return localIds.get(l) ?? -1;
  };

  let recording = true;
  /** Transition ids reported during the current `next` (or outside any). */
  let fired: { key: string; ids: string[] }[] = [];
  /** Reported but not yet credited to an edge: watch key -> transition ids. */
  const watch = new Map<string, string[]>();
  /** Watch keys by `comp|local`, for a cheap first test per edge. */
  const watchedLocals = new Map<string, number>();
  const addWatch = (key: string, ids: string[]) => {
    if (watch.has(key)) return;
    watch.set(key, ids);
    const lk = key.slice(0, key.indexOf('|', key.indexOf('|') + 1));
    watchedLocals.set(lk, (watchedLocals.get(lk) ?? 0) + 1);
  };
  const dropWatch = (key: string) => {
    if (!watch.delete(key)) return;
    const lk = key.slice(0, key.indexOf('|', key.indexOf('|') + 1));
    const n = (watchedLocals.get(lk) ?? 1) - 1;
    if (n === 0) watchedLocals.delete(lk);
    else watchedLocals.set(lk, n);
  };
  const tripleKey = (comp: number, local: number, event: AnyEventObject) => `${comp}|${local}|${canonicalJson(event)}`;

  const previous = sys.onLocalTransition;
  sys.onLocalTransition = (comp, from, event) => {
    if (!recording) return;
    const ids = transitionIds(sys.components[comp]!.machine, from, event);
    if (ids.length > 0) fired.push({ key: tripleKey(comp, localId(from), event), ids });
  };

  const frameworkChannels = new Set(world.layout.frameworks.map((f) => sys.channel(world.layout.master, f)!));
  const notifyOnBreak = sys.components.map((c) => sys.channels.filter((ch) => ch.from === c.name && ch.notifyOnBreak === true).map((ch) => sys.comp(ch.to)));

  /** The (component, local, event) triples an edge steps first: its primary step, a restart's broken links. */
  const primaryTriples = (s: Int32Array, a: number): string[] => {
    const { kind, arg1, arg2 } = decodeAction(a);
    switch (kind) {
      case ActionKind.Deliver: {
        const comp = sys.comp(sys.channels[arg1]!.to);
        if (!watchedLocals.has(`${comp}|${s[comp]}`)) return [];
        return [tripleKey(comp, s[comp]!, sys.describe(s, a).event!)];
      }
      case ActionKind.Timer:
        if (!watchedLocals.has(`${arg1}|${s[arg1]}`)) return [];
        return [tripleKey(arg1, s[arg1]!, sys.locals[s[arg1]!]!.timers[arg2]!.event)];
      case ActionKind.Environment:
        if (!watchedLocals.has(`${arg1}|${s[arg1]}`)) return [];
        return [tripleKey(arg1, s[arg1]!, sys.components[arg1]!.environment![arg2]!)];
      case ActionKind.Restart:
        return notifyOnBreak[arg1]!.filter((r) => s[r] !== 0 && watchedLocals.has(`${r}|${s[r]}`)).map((r) =>
          tripleKey(r, s[r]!, { type: 'LINK_BROKEN', peer: sys.components[arg1]!.name }),
        );
      default:
        return [];
    }
  };

  /** Transition ids the last successful `next` took for the first time. */
  let edgeIds: string[] = [];
  const model: Model = {
    name: `conformance:${world.config.name}`,
    width: sys.width,
    init: (push) => sys.init(push),
    actions: (s, push) => {
      const keep = options.keep;
      if (keep) {
        const enabled: number[] = [];
        sys.actions(s, (a) => enabled.push(a));
        for (const a of keep(s, enabled)) push(a);
      } else sys.actions(s, push);
      if (recording && fired.length > 0) {
        for (const f of fired) addWatch(f.key, f.ids);
        fired = [];
      }
    },
    next: (s, a, out) => {
      if (!recording) return sys.nextInPlace(s, a, out);
      fired = [];
      const ok = sys.nextInPlace(s, a, out);
      edgeIds = [];
      if (!ok) {
        for (const f of fired) addWatch(f.key, f.ids);
      } else {
        for (const f of fired) edgeIds.push(...f.ids);
        if (watch.size > 0) {
          for (const key of primaryTriples(s, a)) {
            const ids = watch.get(key);
            if (ids) {
              edgeIds.push(...ids);
              dropWatch(key);
            }
          }
        }
      }
      fired = [];
      return ok;
    },
    properties: (options.situations ?? allSituations).map((sit): Property => ({
      kind: 'sometimes',
      name: situationTarget(sit.invariant),
      holds: (s) => {
        at(s);
        return sit.holds(reader);
      },
    })),
    isFault: (a) => sys.isFault(a),
    formatAction: (s, a) => sys.describe(s, a).label,
  };

  const record = (id: TargetId, witness: () => Trace, a: number, out: Int32Array) => {
    if (traces.has(id)) return;
    recording = false;
    try {
      const t = witness();
      traces.set(id, { states: [...t.states, Int32Array.from(out)], actions: [...t.actions, a] });
    } finally {
      recording = true;
    }
  };

  let result: ExploreResult;
  try {
    result = explore(model, {
      stopOnViolation: false,
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
      ...(options.progress ? { progress: (p) => options.progress!(p.states, p.depth) } : {}),
      onTransition: (s, a, out, witness) => {
        for (const id of edgeIds) record(transitionTarget(id), witness, a, out);
        edgeIds = [];
        const { kind, arg1 } = decodeAction(a);
        if (kind === ActionKind.Deliver && frameworkChannels.has(arg1)) {
          const e = sys.describe(s, a).event!;
          if (e.type === 'UPDATE') {
            const st = (e.update as { status: { state: string; reason?: string } }).status;
            record(stateTarget(st.state), witness, a, out);
            if (st.reason !== undefined) record(reasonTarget(st.reason), witness, a, out);
          }
        }
      },
    });
  } finally {
    sys.onLocalTransition = previous;
  }
  // Situations: the checker's own shortest witnesses.
  for (const v of result.verdicts) if (v.kind === 'sometimes' && v.status === 'reachable') traces.set(v.name, v.trace);
  return {
    traces,
    exploration: { complete: result.complete, states: result.states, transitions: result.transitions, diameter: result.diameter },
  };
}
