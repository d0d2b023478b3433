/**
 * What must follow a scenario's target: its trace carried on to quiescence, so that a scenario
 * checks the consequences of what it drove the cluster through (every task's final state,
 * reason and source at its framework, the acknowledgements settled), not only the path there.
 *
 * The continuation is the shortest one (breadth first) that takes no fault and no decision of a
 * framework's own (a kill, a teardown: the runner would have to invent them), and lets a task's
 * process exit only as the scenario's environment says (the trace's first exit status; a task
 * that does not exit in the trace sleeps). It keeps time as a cluster does (the model has no
 * clock): a timer fires only when no message or process exit is pending, and then only one of
 * the shortest pending timers. It ends in a state that is quiescent under the first rules
 * (spec/world/quiescence.ts): no message in flight, and every step left (a keep-alive) leads back
 * to it once the network has delivered what it caused.
 */
import type { Trace } from '../checker/index.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { Quiescence } from '../spec/world/quiescence.ts';
import { FAULT_STEPS } from '../spec/world/step-description.ts';
import { stateKey } from './beliefs.ts';
import { ownExit, wrongExit } from './exits.ts';

/** Most states searched for a continuation (a trace that cannot settle within it is left as it is). */
const SETTLE_MAX_STATES = 50_000;

/** Each task's first exit status in `trace` (a task absent from the map never exits by itself). */
function exitStatuses(world: MesosWorld, trace: Trace): Map<string, number> {
  const exits = new Map<string, number>();
  trace.actions.forEach((a, i) => {
    const exit = ownExit(world, world.system.describeStep(trace.states[i]!, a));
    if (exit !== undefined && !exits.has(exit.task)) exits.set(exit.task, exit.status);
  });
  return exits;
}

/** The continuation's steps: `trace`'s own rules for what may happen without the runner (see the header). */
function settlingActions(world: MesosWorld, exits: ReadonlyMap<string, number>): (s: Int32Array, push: (a: number) => void) => void {
  const sys = world.system;
  const frameworks = new Set(world.layout.frameworks);
  return (s, push) =>
    sys.actions(s, (a) => {
      const d = sys.describeStep(s, a);
      if (FAULT_STEPS.has(d.kind)) return;
      if (d.kind === 'environment') {
        if (frameworks.has(d.component)) return;
        // kill -9 of a custom or default executor is the environment's fault, not the cluster's own doing.
        if (d.message.type === 'EXECUTOR_KILLED') return;
        if (wrongExit(world, d, exits)) return;
      }
      push(a);
    });
}

/** Whether a state is quiescent under the settling rules for tasks exiting as `exits` says. */
export function settledState(world: MesosWorld, exits: ReadonlyMap<string, number>): (s: Int32Array) => boolean {
  const sys = world.system;
  const actions = settlingActions(world, exits);
  const quiet = new Quiescence(sys.layout, {
    actions,
    deliveries: (s, push) => actions(s, (a) => (sys.describeStep(s, a).kind === 'deliver' ? push(a) : undefined)),
    next: (s, a, out) => sys.next(s, a, out),
  });
  return (s) => quiet.quiescent(s);
}

/**
 * `trace` carried on to the nearest state that is quiescent under the settling rules, or null
 * when none is found within `maxStates` (the trace is then not extended). The result starts with
 * `trace` itself, so every target keeps its place.
 */
export function settle(world: MesosWorld, trace: Trace, maxStates = SETTLE_MAX_STATES): Trace | null {
  const sys = world.system;
  const actions = settlingActions(world, exitStatuses(world, trace));
  const deliveries = (s: Int32Array, push: (a: number) => void) => actions(s, (a) => (sys.describeStep(s, a).kind === 'deliver' ? push(a) : undefined));
  const quiet = new Quiescence(sys.layout, { actions, deliveries, next: (s, a, out) => sys.next(s, a, out) });
  /** Whether firing timer `a` in `s` only comes back to `s` once the network has delivered what it caused (a keep-alive). */
  const keepAlive = (s: Int32Array, a: number): boolean => {
    const t = new Int32Array(sys.width);
    const u = new Int32Array(sys.width);
    if (!sys.next(s, a, t)) return true;
    for (let n = 0; n < 256 && !sys.layout.networkIdle(t); n++) {
      let moved = false;
      deliveries(t, (d) => {
        if (!moved && sys.next(t, d, u)) {
          t.set(u);
          moved = true;
        }
      });
      if (!moved) break;
    }
    return stateKey(t) === stateKey(s);
  };
  /** Of the steps enabled in `s`, those a cluster takes first: messages and exits before any timer, the shortest timer that does something first. */
  const urgent = (s: Int32Array, acts: readonly number[]): number[] => {
    const delays = acts.map((a) => {
      const d = sys.describeStep(s, a);
      return d.kind === 'timer' ? d.delayMs : -1;
    });
    const untimed = acts.filter((_, i) => delays[i]! < 0);
    if (untimed.length > 0) return untimed;
    for (const delay of [...new Set(delays)].sort((x, y) => x - y)) {
      const due = acts.filter((a, i) => delays[i] === delay && !keepAlive(s, a));
      if (due.length > 0) return due;
    }
    return [];
  };
  const start = trace.states[trace.states.length - 1]!;
  if (quiet.quiescent(start)) return trace;
  const states: Int32Array[] = [start];
  const parent: { from: number; action: number }[] = [{ from: -1, action: -1 }];
  const seen = new Set([stateKey(start)]);
  const out = new Int32Array(sys.width);
  const acts: number[] = [];
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    acts.length = 0;
    actions(s, (a) => acts.push(a));
    for (const a of urgent(s, acts)) {
      if (!sys.next(s, a, out)) continue;
      const k = stateKey(out);
      if (seen.has(k)) continue;
      seen.add(k);
      states.push(Int32Array.from(out));
      parent.push({ from: i, action: a });
      if (quiet.quiescent(out)) {
        const tail: { state: Int32Array; action: number }[] = [];
        for (let j = states.length - 1; j > 0; j = parent[j]!.from) tail.unshift({ state: states[j]!, action: parent[j]!.action });
        return { states: [...trace.states, ...tail.map((t) => t.state)], actions: [...trace.actions, ...tail.map((t) => t.action)] };
      }
      if (states.length >= maxStates) return null;
    }
  }
  return null;
}
