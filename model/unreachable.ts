/**
 * Transitions no configuration can take, each with the reason and the property that backs it:
 * a predicate over world states that must never hold (the transition needs a message only such
 * a state has in flight). `mesos-ref verify --all` checks each as an `always` property in every
 * configuration it proves (the checker shows the state is never reached), and leaves the
 * transition out of the union coverage it reports. Everything else defined must be taken by
 * some proved configuration, or it is behaviour nothing has checked.
 */
import type { Invariant, WorldReader } from '../invariants/index.ts';
import type { MesosLayout } from '../spec/world/mesos.ts';

export interface Unreachable {
  /** A transition id as spec/world/coverage.ts names it: `<state node id>|<event>|<alternative>`. */
  readonly transition: string;
  readonly reason: string;
  /** The property: null while the transition's precondition is unreached, else what reached it. */
  readonly reached: (w: WorldReader) => string | null;
}

/** A message of this type in flight on any channel of the world (or only from executors to agents). */
function inFlight(type: string, fromExecutors = false): (w: WorldReader) => string | null {
  return (w) => {
    const pairs = fromExecutors ? w.layout.executors.map((e): [string, string] => [e.slot, e.agent]) : channels(w.layout);
    for (const [from, to] of pairs) if (w.channel(from, to).some((m) => m.type === type)) return `${type} in flight from ${from} to ${to}`;
    return null;
  };
}

const NO_GROUPS = 'the reference master never sends RUN_TASK_GROUP (no LAUNCH_GROUP operation: task groups need the default executor, which the reference lacks)';
const NO_EXECUTOR_MESSAGES = 'the command executor never sends MESSAGE (only a custom executor would), so the agent never forwards EXECUTOR_TO_FRAMEWORK';

export const UNREACHABLE: readonly Unreachable[] = [
  { transition: 'agent.active|RUN_TASK_GROUP|0', reason: NO_GROUPS, reached: inFlight('RUN_TASK_GROUP') },
  { transition: 'executor.live.task.idle|LAUNCH_GROUP|0', reason: NO_GROUPS, reached: inFlight('LAUNCH_GROUP') },
  { transition: 'executor.live.task.running|LAUNCH_GROUP|0', reason: NO_GROUPS, reached: inFlight('LAUNCH_GROUP') },
  { transition: 'master.leading|EXECUTOR_TO_FRAMEWORK|0', reason: NO_EXECUTOR_MESSAGES, reached: inFlight('EXECUTOR_TO_FRAMEWORK') },
  { transition: 'agent.active.running|MESSAGE|0', reason: NO_EXECUTOR_MESSAGES, reached: inFlight('MESSAGE', true) },
];

/** Every channel between the master, agents, frameworks and executors: what the predicates read. */
const channels = (l: MesosLayout): [string, string][] => [
  ...l.agents.flatMap((a): [string, string][] => [
    [l.master, a],
    [a, l.master],
  ]),
  ...l.frameworks.flatMap((f): [string, string][] => [
    [l.master, f],
    [f, l.master],
  ]),
  ...l.executors.flatMap((e): [string, string][] => [
    [e.agent, e.slot],
    [e.slot, e.agent],
  ]),
];

/** The backing properties, as invariants the checker memoises on the channels they read. */
export function unreachableProperties(): Invariant[] {
  return UNREACHABLE.map((u) => ({
    name: `unreached:${u.transition}`,
    kind: 'always' as const,
    world: u.reached,
    reads: (l: MesosLayout) => ({ components: [], channels: channels(l) }),
    description: u.reason,
  }));
}
