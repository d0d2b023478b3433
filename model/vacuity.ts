/**
 * Why a `sometimes` property is vacuous (never reached in a complete search): the first step of
 * its witness that was never enabled. A witness of a framework learning how its task ended is
 * the normal path of a task, message by message; a step is enabled in a state where its message
 * is at the head of its channel. The search is run again with one `sometimes` per step (and no
 * other property): the first step no reachable state enables is where the configuration or the
 * machines stop the path. Run only after a vacuous verdict, so a passing run pays nothing.
 *
 * A `sometimes` that cannot apply to a configuration at all (it asks for a failing task where none
 * may fail) is not vacuous but not applicable: `notApplicable` lists those, with why.
 */
import { explore } from '../checker/index.ts';
import { invariants as catalogue, type Invariant, type WorldReader } from '../invariants/index.ts';
import type { MesosLayout, MesosWorld } from '../spec/world/mesos.ts';
import { mesosModel } from './mesos-model.ts';

type Role = 'framework' | 'master' | 'agent' | 'executor';

/** One step of a witness: a message of `type` from a component of one role to one of another. */
interface WitnessStep {
  readonly from: Role;
  readonly to: Role;
  readonly type: string;
}

const step = (from: Role, type: string, to: Role): WitnessStep => ({ from, to, type });

/** A task's normal path from a framework's subscription to its executor's update reaching the framework. */
const TASK_PATH: readonly WitnessStep[] = [
  step('framework', 'SUBSCRIBE', 'master'),
  step('master', 'SUBSCRIBED', 'framework'),
  step('master', 'OFFERS', 'framework'),
  step('framework', 'ACCEPT', 'master'),
  step('master', 'RUN_TASK', 'agent'),
  step('agent', 'LAUNCH', 'executor'),
  step('executor', 'UPDATE', 'agent'),
  step('agent', 'STATUS_UPDATE', 'master'),
  step('master', 'UPDATE', 'framework'),
];

/** The witness of each `sometimes` property of the catalogue (invariants/index.ts) whose path is not a task's plain one. */
const WITNESSES: Readonly<Record<string, readonly WitnessStep[]>> = {
  someTaskFinishes: TASK_PATH,
  executorFinishes: TASK_PATH,
  executorFails: TASK_PATH,
  // The agent's own update: its executor never subscribed, so nothing was launched on it.
  registrationTimesOut: [...TASK_PATH.slice(0, 5), step('agent', 'STATUS_UPDATE', 'master'), step('master', 'UPDATE', 'framework')],
  executorKills: [...TASK_PATH, step('framework', 'KILL', 'master'), step('master', 'KILL_TASK', 'agent'), step('agent', 'KILL', 'executor')],
};

/**
 * A `sometimes` of this world is about a framework learning what became of a task (every one so
 * far is): one the table does not name is explained by the task's normal path, so every vacuous
 * `sometimes` gets a why, and a new property gets one before anyone writes its witness here.
 */
const witnessOf = (name: string): readonly WitnessStep[] => WITNESSES[name] ?? TASK_PATH;

/**
 * The catalogue's properties that do not apply to this configuration (and so are not checked:
 * mesosModel drops them), each with why: verify prints them as not applicable, instead of a
 * 0-step "witness" of a `sometimes` or a `holds` that judged nothing.
 */
export function notApplicable(layout: MesosLayout): { name: string; kind: Invariant['kind']; why: string }[] {
  return catalogue.flatMap((i) => {
    const why = i.applies?.(layout) ?? null;
    return why === null ? [] : [{ name: i.name, kind: i.kind, why }];
  });
}

const names = (layout: MesosLayout, role: Role): readonly string[] =>
  role === 'master' ? [layout.master] : role === 'agent' ? layout.agents : role === 'framework' ? layout.frameworks : layout.executors.map((e) => e.slot);

const describe = (s: WitnessStep) =>
  `${s.type} from ${s.from === 'master' ? 'the master' : `a ${s.from}`} to ${s.to === 'master' ? 'the master' : `an ${s.to}`}`.replace('an framework', 'a framework');

/** The channels a step's message travels on (from each component of one role to each of the other that has a channel). */
function channelsOf(world: MesosWorld, s: WitnessStep): [string, string][] {
  const out: [string, string][] = [];
  for (const from of names(world.layout, s.from)) for (const to of names(world.layout, s.to)) if (world.system.channel(from, to) !== undefined) out.push([from, to]);
  return out;
}

/**
 * For each named vacuous property with a witness: which first step of it was never enabled, or
 * that every step was and only the property's own condition never held. `build` makes the same
 * world again (the same configuration and machines): the search below must not disturb the caller's.
 */
export function explainVacuous(build: () => MesosWorld, vacuous: readonly string[]): Map<string, string> {
  const explained = new Map<string, string>();
  const wanted = vacuous;
  if (wanted.length === 0) return explained;
  const world = build();
  const steps = [...new Map(wanted.flatMap(witnessOf).map((s) => [`${s.from}>${s.to}:${s.type}`, s])).values()];
  const extra: Invariant[] = steps.map((s, i) => {
    // Enabled: at the head of an ordered channel, anywhere in a bag (separate HTTP requests).
    const chans = channelsOf(world, s).map(([from, to]) => ({ from, to, bag: world.system.channels[world.system.channel(from, to)!]!.kind === 'bag' }));
    return {
      name: `witness-step-${i}`,
      kind: 'sometimes',
      description: describe(s),
      world: (r: WorldReader) =>
        chans.some((c) => (c.bag ? r.channel(c.from, c.to).some((e) => e.type === s.type) : r.channel(c.from, c.to)[0]?.type === s.type)) ? null : 'not enabled',
    };
  });
  const result = explore(mesosModel(world, { only: extra.map((e) => e.name), extra }), { stopOnViolation: false });
  const reached = new Set(result.verdicts.filter((v) => v.status === 'reachable').map((v) => v.name));
  for (const v of wanted) {
    const path = witnessOf(v);
    const first = path.findIndex((s) => !reached.has(extra[steps.findIndex((x) => x.from === s.from && x.to === s.to && x.type === s.type)]!.name));
    const stand = WITNESSES[v] ? '' : "no witness is declared for it, so a task's normal path stands for one: ";
    explained.set(
      v,
      first < 0
        ? `${stand}every step of its witness was enabled (${path.map((s) => s.type).join(', ')}); the condition itself never held`
        : `${stand}the first step of its witness never enabled is step ${first + 1} of ${path.length}, ${describe(path[first]!)}${
            first > 0
              ? ` (enabled before it: ${path
                  .slice(0, first)
                  .map((s) => s.type)
                  .join(', ')})`
              : ''
          }`,
    );
  }
  return explained;
}
