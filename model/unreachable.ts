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
  /**
   * A transition id as spec/world/coverage.ts names it, `<state node id>|<event>|<alternative>`, or a
   * declared lifecycle transition as spec/machines/lifecycle.ts names it, `<kind>|<from>|<to>|<event>`.
   */
  readonly transition: string;
  readonly reason: string;
  /** The property: null while the transition's precondition is unreached, else what reached it. */
  readonly reached: (w: WorldReader) => string | null;
}

/** A message of this type in flight on any channel of the world. */
function inFlight(type: string): (w: WorldReader) => string | null {
  return (w) => {
    for (const [from, to] of channels(w.layout)) if (w.channel(from, to).some((m) => m.type === type)) return `${type} in flight from ${from} to ${to}`;
    return null;
  };
}

const GROUPS_NOT_FOR_THE_COMMAND_EXECUTOR =
  'a task group runs under the default executor (the frameworkExecutor machine in the model), so the agent never sends LAUNCH_GROUP to a command executor';

export const UNREACHABLE: readonly Unreachable[] = [
  // RUN_TASK_GROUP, EXECUTOR_TO_FRAMEWORK and an executor's MESSAGE were listed here until the model
  // ran custom executors and task groups (configurations custom-executor and task-group take them).
  { transition: 'executor.live.task.idle|LAUNCH_GROUP|0', reason: GROUPS_NOT_FOR_THE_COMMAND_EXECUTOR, reached: inFlight('LAUNCH_GROUP') },
  { transition: 'executor.live.task.running|LAUNCH_GROUP|0', reason: GROUPS_NOT_FOR_THE_COMMAND_EXECUTOR, reached: inFlight('LAUNCH_GROUP') },
  {
    transition: 'election|persist|2',
    reason:
      "the leader always writes at the registry node's version: it claimed the node when elected and only it writes after that, so only a deposed master's write fails (spec/world/election.ts)",
    reached: (w) => {
      const z = w.election?.() ?? null;
      return z !== null && z.seen.master !== undefined && z.seen.master !== z.version
        ? `the leader's host holds version ${z.seen.master} of the registry node, at ${z.version}`
        : null;
    },
  },
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
    reads: (l: MesosLayout) => ({ components: l.election !== undefined ? [l.election] : [], channels: channels(l) }),
    description: u.reason,
  }));
}
