/**
 * Random walks of a Mesos world for fast-check: a walk is a list of choices, one per step, each
 * an index into the actions of that step: the first enabled action from that index on
 * (cyclically, modulo their number) is taken. So every generated list is a valid execution,
 * and shrinking a choice towards 0 picks the first enabled action. (Only the taken action's
 * successor is computed: in a large world most successors are new local states, and computing
 * all of them made each step fifty times dearer.) After every
 * step every `always` invariant of the catalogue is checked, and every `eventually` invariant
 * when the state is quiescent; a step that throws, and a deadlock (nothing enabled in a state
 * that is not quiescent), are findings too, as they are for the checker.
 */
import fc from 'fast-check';
import { mesosModel } from '../../model/mesos-model.ts';
import { textChart } from '../../spec/world/chart.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides, type MesosWorld } from '../../spec/world/mesos.ts';
import type { ActionInfo } from '../../spec/world/system.ts';

export interface Violation {
  /** The invariant (or `error` when a step threw). */
  readonly invariant: string;
  readonly explanation: string;
  /** The steps taken, the last one breaking the invariant. */
  readonly steps: readonly ActionInfo[];
}

export interface Walker {
  readonly world: MesosWorld;
  /** Plays the choices; null when every invariant held at every step. */
  walk(choices: readonly number[]): Violation | null;
  /** Counters since the walker was made. */
  readonly stats: { walks: number; steps: number; quiescent: number };
}

export interface WalkerOptions {
  /** Machines to use instead of the spec's (mutants). */
  readonly machines?: MachineOverrides;
  /**
   * Test quiescence (and then the `eventually` invariants) at most every this many steps, and
   * at the end of the walk (default 1: every step). Testing it settles every enabled action,
   * which in a large world costs more than the step itself.
   */
  readonly quiescenceEvery?: number;
}

export function walker(config: MesosConfig, options: WalkerOptions = {}): Walker {
  const machines = options.machines ?? {};
  const every = options.quiescenceEvery ?? 1;
  const world = mesosWorld(config, machines);
  const sys = world.system;
  const model = mesosModel(world);
  const always = model.properties.filter((p) => p.kind === 'always');
  const eventually = model.properties.filter((p) => p.kind === 'eventually');
  const stats = { walks: 0, steps: 0, quiescent: 0 };
  let initial: Int32Array | undefined;
  sys.init((s) => (initial = Int32Array.from(s)));
  const explain = (p: (typeof model.properties)[number], s: Int32Array) => ('explain' in p && p.explain ? p.explain(s) : '');

  return {
    world,
    stats,
    walk(choices) {
      stats.walks++;
      let s = Int32Array.from(initial!);
      const out = new Int32Array(sys.width);
      const steps: ActionInfo[] = [];
      const acts: number[] = [];
      let sinceQuiescence = 0;
      const eventuallyViolated = (): Violation | null => {
        sinceQuiescence = 0;
        if (!sys.quiescent(s)) return null;
        stats.quiescent++;
        for (const p of eventually) if (!p.holds(s)) return { invariant: p.name, explanation: explain(p, s), steps };
        return null;
      };
      for (const choice of choices) {
        acts.length = 0;
        sys.actions(s, (a) => acts.push(a));
        // The choice picks a candidate; the first enabled one from there on (cyclically) is taken.
        let taken = -1;
        for (let k = 0; k < acts.length && taken < 0; k++) {
          const a = acts[(choice + k) % acts.length]!;
          try {
            if (sys.next(s, a, out)) taken = a;
          } catch (err) {
            return { invariant: 'error', explanation: `${sys.describe(s, a).label} threw: ${(err as Error).message}`, steps: [...steps, sys.describe(s, a)] };
          }
        }
        if (taken < 0) {
          // Nothing can happen: fine if nothing is left to happen, else a deadlock (as the checker says).
          if (!sys.quiescent(s)) return { invariant: 'deadlock', explanation: 'no action is enabled and the state is not quiescent', steps };
          return eventuallyViolated();
        }
        steps.push(sys.describe(s, taken));
        s = Int32Array.from(out);
        stats.steps++;
        for (const p of always) if (!p.holds(s)) return { invariant: p.name, explanation: explain(p, s), steps };
        if (++sinceQuiescence >= every) {
          const v = eventuallyViolated();
          if (v) return v;
        }
      }
      return sinceQuiescence > 0 ? eventuallyViolated() : null;
    },
  };
}

/** Walks: lists of choices, up to `maxSteps` long. */
export const walks = (maxSteps: number): fc.Arbitrary<number[]> => fc.array(fc.nat({ max: 1 << 16 }), { minLength: 1, maxLength: maxSteps, size: 'max' });

/** Checks `numRuns` walks of up to `maxSteps` steps (seeded by fast-check's global settings); `report` explains a failure. */
export function checkWalks(w: Walker, options: { numRuns: number; maxSteps: number }): fc.RunDetails<[number[]]> {
  return fc.check(
    fc.property(walks(options.maxSteps), (choices) => w.walk(choices) === null),
    { numRuns: options.numRuns },
  );
}

/** A failure report for humans: the violation, its (shrunk) walk, and how to replay it. */
export function report(w: Walker, details: fc.RunDetails<[number[]]>, testFilter: string): string {
  const choices = details.counterexample?.[0] ?? [];
  const v = w.walk(choices);
  const lines = [
    `Invariant ${v?.invariant ?? '?'} violated after ${v?.steps.length ?? 0} steps (shrunk ${details.numShrinks} times): ${v?.explanation ?? ''}`,
    v ? textChart(v.steps) : '',
    `choices: ${JSON.stringify(choices)}`,
    `seed ${details.seed}, path ${details.counterexamplePath}`,
    `replay: FC_SEED=${details.seed} npm test -- ${testFilter}`,
  ];
  return lines.join('\n');
}
