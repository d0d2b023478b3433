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
  /** The components whose states the property reads besides the channels (none unless told). */
  readonly components?: (l: MesosLayout) => readonly string[];
}

/** A message of this type in flight on any channel of the world. */
function inFlight(type: string): (w: WorldReader) => string | null {
  return (w) => {
    for (const [from, to] of channels(w.layout)) if (w.channel(from, to).some((m) => m.type === type)) return `${type} in flight from ${from} to ${to}`;
    return null;
  };
}

/** The region `task` of a command executor's state (idle, running, killing, exited), null once it is gone. */
function taskRegion(w: WorldReader, slot: string): string | null {
  const v = w.stateOf(slot);
  if (typeof v !== 'object' || v === null) return null;
  const live = (v as Record<string, unknown>).live;
  return typeof live === 'object' && live !== null ? String((live as Record<string, unknown>).task) : null;
}

/** Every command executor's slot: what the properties over executor states read. */
const commandExecutors = (l: MesosLayout): string[] => l.executors.map((e) => e.slot);

/** A second task for a command executor: a LAUNCH in flight to one that has a task or another LAUNCH ahead of it. */
function secondLaunch(w: WorldReader): string | null {
  for (const e of w.layout.executors) {
    const region = taskRegion(w, e.slot);
    const launches = w.channel(e.agent, e.slot).filter((m) => m.type === 'LAUNCH').length;
    if (launches > 0 && launches + (region !== null && region !== 'idle' ? 1 : 0) > 1) return `a second LAUNCH in flight to ${e.slot} (task ${region ?? 'gone'})`;
  }
  return null;
}

/** A KILL in flight to a command executor with no task, no LAUNCH ahead of it on the FIFO link. */
function killBeforeLaunch(w: WorldReader): string | null {
  for (const e of w.layout.executors) {
    if (taskRegion(w, e.slot) !== 'idle') continue;
    for (const m of w.channel(e.agent, e.slot)) {
      if (m.type === 'LAUNCH') break;
      if (m.type === 'KILL') return `KILL in flight to ${e.slot}, which has no task`;
    }
  }
  return null;
}

/** A KILL in flight to a command executor that names another task than the one it was made for. */
function killOfAnotherTask(w: WorldReader): string | null {
  for (const e of w.layout.executors) {
    for (const m of w.channel(e.agent, e.slot)) {
      const named = (m as { kill?: { task_id?: { value?: string } } }).kill?.task_id?.value;
      if (m.type === 'KILL' && named !== e.task) return `KILL of ${named} in flight to ${e.slot}, the executor of ${e.task}`;
    }
  }
  return null;
}

/** The polite schedulers' addresses (the general framework is another machine). */
const politeSchedulers = (l: MesosLayout): string[] => l.frameworks.filter((f) => l.frameworkConfig[f]?.kind !== 'general');

/** An ERROR in flight to a polite scheduler that is subscribed. */
function errorToSubscribed(w: WorldReader): string | null {
  for (const f of politeSchedulers(w.layout)) {
    const v = w.stateOf(f);
    if (typeof v === 'object' && v !== null && 'subscribed' in v && w.channel(w.layout.master, f).some((m) => m.type === 'ERROR'))
      return `ERROR in flight to ${f}, which is subscribed`;
  }
  return null;
}

/** The agents' addresses: what the properties over agent states read. */
const agents = (l: MesosLayout): string[] => [...l.agents];

/** An agent in `terminating` that holds a framework not yet TERMINATING: what a SHUTDOWN_FRAMEWORK or SHUTDOWN_EXECUTOR there would act on. */
function terminatingWithLiveFramework(w: WorldReader): string | null {
  for (const a of w.layout.agents) {
    if (w.stateOf(a) !== 'terminating') continue;
    for (const [id, fw] of Object.entries(w.agent(a)?.frameworks ?? {})) if (fw.state !== 'TERMINATING') return `${a} is terminating and its framework ${id} is ${fw.state}`;
  }
  return null;
}

/** SHUTDOWN_AGENT in flight to an agent that is recovering. */
function shutdownToRecovering(w: WorldReader): string | null {
  for (const a of w.layout.agents)
    if (w.stateOf(a) === 'recovering' && w.channel(w.layout.master, a).some((m) => m.type === 'SHUTDOWN_AGENT')) return `SHUTDOWN_AGENT in flight to ${a}, which is recovering`;
  return null;
}

/** An agent recovering without an id. */
function recoveringWithoutId(w: WorldReader): string | null {
  for (const a of w.layout.agents) if (w.stateOf(a) === 'recovering' && w.agent(a)?.info.id === undefined) return `${a} is recovering without an agent id`;
  return null;
}

const ONE_TASK_PER_COMMAND_EXECUTOR =
  "the agent makes a command executor for one task (its executor id is the task's id, Slave::getExecutorInfo) and sends it that task in one LAUNCH";
const NO_SUBSCRIBE_FAILED =
  "the model delivers no answers to an executor's calls: only the runtime turns a non-200 answer or a failed connection into SUBSCRIBE_FAILED (impl/executor/runtime.ts; test/machines/executor.test.ts takes these transitions on the machine)";

const TERMINATING_SHUTS_DOWN_ALL =
  "an agent entering terminating puts every framework it has into TERMINATING (Slave::shutdown: shutdownFramework of each) and takes no new one (RUN_TASK is for an active agent), so a SHUTDOWN_FRAMEWORK or SHUTDOWN_EXECUTOR there finds its framework terminating and changes nothing (Slave::shutdownFramework and Slave::shutdownExecutor return); coverage counts a step only when it changes the agent's state or sends something";

const GROUPS_NOT_FOR_THE_COMMAND_EXECUTOR =
  'a task group runs under the default executor (the frameworkExecutor machine in the model), so the agent never sends LAUNCH_GROUP to a command executor';

export const UNREACHABLE: readonly Unreachable[] = [
  // RUN_TASK_GROUP, EXECUTOR_TO_FRAMEWORK and an executor's MESSAGE were listed here until the model
  // ran custom executors and task groups (configurations custom-executor and task-group take them).
  { transition: 'executor.live.task.idle|LAUNCH_GROUP|0', reason: GROUPS_NOT_FOR_THE_COMMAND_EXECUTOR, reached: inFlight('LAUNCH_GROUP') },
  { transition: 'executor.live.task.running|LAUNCH_GROUP|0', reason: GROUPS_NOT_FOR_THE_COMMAND_EXECUTOR, reached: inFlight('LAUNCH_GROUP') },
  { transition: 'executor.live.task.running|LAUNCH|0', reason: ONE_TASK_PER_COMMAND_EXECUTOR, reached: secondLaunch, components: commandExecutors },
  { transition: 'executor.live.task.killing|LAUNCH|0', reason: ONE_TASK_PER_COMMAND_EXECUTOR, reached: secondLaunch, components: commandExecutors },
  { transition: 'executor.live.task.exited|LAUNCH|0', reason: ONE_TASK_PER_COMMAND_EXECUTOR, reached: secondLaunch, components: commandExecutors },
  {
    transition: 'executor.live.task.idle|KILL|0',
    reason:
      'the agent sends a command executor KILL only for the task it sent it in LAUNCH, on the same FIFO link; a task killed before it reached its executor is killed by the agent (Slave::killTask: TASK_KILLED, and the executor that never got a task is shut down, MESOS-8411)',
    reached: killBeforeLaunch,
    components: commandExecutors,
  },
  {
    transition: 'executor.live.task.running|KILL|1',
    reason:
      'the agent forwards a KILL_TASK to the executor that runs the task (Slave::killTask looks the executor up by the task), and a command executor runs only the task it was made for',
    reached: killOfAnotherTask,
  },
  {
    transition: 'scheduler.subscribed|ERROR|0',
    reason:
      "the master sends a subscribed framework ERROR when another instance subscribes with its id on another connection (Master::failoverFramework: 'Framework failed over'); the model's framework failover restarts the scheduler in place, on its own connection, and nothing else subscribes with a polite framework's id (a refused SUBSCRIBE's ERROR goes to a scheduler still subscribing)",
    reached: errorToSubscribed,
    components: politeSchedulers,
  },
  { transition: 'executor.live.connection.subscribing|SUBSCRIBE_FAILED|0', reason: NO_SUBSCRIBE_FAILED, reached: inFlight('SUBSCRIBE_FAILED') },
  { transition: 'executor.live.connection.subscribing|SUBSCRIBE_FAILED|1', reason: NO_SUBSCRIBE_FAILED, reached: inFlight('SUBSCRIBE_FAILED') },
  {
    transition: 'executor.live.connection.subscribing|SUBSCRIBE_RETRY|0',
    reason: `while subscribing the retry timer is armed only by a SUBSCRIBE_FAILED (disconnected cancels its own on exit, and nothing returns to subscribing); ${NO_SUBSCRIBE_FAILED}`,
    reached: inFlight('SUBSCRIBE_FAILED'),
  },
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
  {
    transition: 'agent.terminating|SHUTDOWN_FRAMEWORK|0',
    reason: TERMINATING_SHUTS_DOWN_ALL,
    reached: terminatingWithLiveFramework,
    components: agents,
  },
  {
    transition: 'agent.terminating|SHUTDOWN_EXECUTOR|0',
    reason: TERMINATING_SHUTS_DOWN_ALL,
    reached: terminatingWithLiveFramework,
    components: agents,
  },
  {
    transition: 'agent.recovering|SHUTDOWN_AGENT|0',
    reason:
      "a restart clears the agent's channels and tells the master at once (LINK_BROKEN: its record of the agent loses the address, Master::disconnect), and a recovering agent sends the master nothing until recovery ends; the master sends SHUTDOWN_AGENT only to an address it holds (an answer to a registration, or MARK_AGENT_GONE of a connected agent). In Mesos the master could still reach the agent's pid; the model's master, like its record, has no address for a disconnected agent",
    reached: shutdownToRecovering,
    components: agents,
  },
  {
    transition: 'agent.recovering|UNREGISTER_REQUEST|1',
    reason:
      'a restarted agent recovers only a checkpointed framework, which it holds only from a RUN_TASK or RUN_TASK_GROUP of the master that registered it (AGENT_REGISTERED goes first on the same FIFO link), and the id it adopted is checkpointed with it (Slave::recover reads it back): a recovering agent always has an id, so its graceful shutdown always unregisters first (the hasAgentId alternative)',
    reached: recoveringWithoutId,
    components: agents,
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
    reads: (l: MesosLayout) => ({ components: [...(l.election !== undefined ? [l.election] : []), ...(u.components?.(l) ?? [])], channels: channels(l) }),
    description: u.reason,
  }));
}
