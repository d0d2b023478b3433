/**
 * Transitions no configuration can take, each with the reason and the property that backs it:
 * a predicate over world states that must never hold (the transition needs a message only such
 * a state has in flight). `mesos-ref verify --all` checks each as an `always` property in every
 * configuration it proves (the checker shows the state is never reached), and leaves the
 * transition out of the union coverage it reports. Everything else defined must be taken by
 * some proved configuration, or it is behaviour nothing has checked.
 */
import type { Invariant, WorldReader } from '../invariants/index.ts';
import { agentRunning } from '../invariants/world.ts';
import { everyExecutor, type MesosLayout } from '../spec/world/mesos.ts';
import type { Task } from '../spec/protocol/common.ts';
import type { MasterContext } from '../spec/machines/master/context.ts';
import type { StatusUpdate } from '../spec/protocol/internal.ts';
import { everSentTask } from '../spec/machines/agent/tx.ts';

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
  /** The channels it reads, where not those of the master, agents, frameworks and command executors. */
  readonly channels?: (l: MesosLayout) => readonly (readonly [string, string])[];
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

/** A PING in flight to an agent that says the master thinks it disconnected. */
function pingOfDisconnected(w: WorldReader): string | null {
  for (const a of w.layout.agents)
    if (w.channel(w.layout.master, a).some((m) => m.type === 'PING' && (m as { connected?: boolean }).connected === false)) return `a PING {connected: false} in flight to ${a}`;
  return null;
}

/** An AGENT_REREGISTERED in flight to an agent already running (registered). */
function reregisteredToRunning(w: WorldReader): string | null {
  for (const a of w.layout.agents) {
    const v = w.stateOf(a);
    if (v !== null && agentRunning(v) && w.channel(w.layout.master, a).some((m) => m.type === 'AGENT_REREGISTERED'))
      return `AGENT_REREGISTERED in flight to ${a}, which is running`;
  }
  return null;
}

/** A SUBSCRIBED in flight to a polite scheduler that is subscribed. */
function subscribedToSubscribed(w: WorldReader): string | null {
  for (const f of politeSchedulers(w.layout)) {
    const v = w.stateOf(f);
    if (typeof v === 'object' && v !== null && 'subscribed' in v && w.channel(w.layout.master, f).some((m) => m.type === 'SUBSCRIBED'))
      return `SUBSCRIBED in flight to ${f}, which is subscribed`;
  }
  return null;
}

/** A DECLINE on its way to the master from a framework the master has without a connection. */
function declineOfDisconnected(w: WorldReader): string | null {
  const m = w.master();
  if (m === null) return null;
  for (const f of w.layout.frameworks) {
    for (const call of w.channel(f, w.layout.master)) {
      if (call.type !== 'DECLINE') continue;
      const fid = (call as { framework_id?: { value: string } }).framework_id?.value ?? '';
      if (m.frameworks[fid] !== undefined && m.frameworks[fid]!.connection === null) return `a DECLINE of ${fid} in flight from ${f}, which the master has not subscribed`;
    }
  }
  return null;
}

/**
 * An UPDATE or MESSAGE on its way from an executor's slot to its agent that names an executor the
 * agent has REGISTERING, from a caller that holds that executor's token (no principal, or one
 * whose claims are the call's ids), where the agent's gate answers it (not while recovering, which
 * answers 503 first; a MESSAGE in `running` or not, as `running` says): what the executor API
 * refuses 403 "Executor is not subscribed". The intruder never holds an executor's token.
 */
function callOfUnsubscribed(type: string, running: boolean | null): (w: WorldReader) => string | null {
  return (w) => {
    for (const e of everyExecutor(w.layout)) {
      const v = w.stateOf(e.agent);
      if (v === null || v === 'recovering') continue;
      const isRunning = agentRunning(v);
      if (running !== null && isRunning !== running) continue;
      for (const call of w.channel(e.slot, e.agent)) {
        if (call.type !== type) continue;
        const c = call as { framework_id?: { value: string }; executor_id?: { value: string }; principal?: { fid?: string; eid?: string } };
        const fid = c.framework_id?.value ?? '';
        const eid = c.executor_id?.value ?? '';
        if (c.principal !== undefined && (c.principal.fid !== fid || c.principal.eid !== eid)) continue;
        if (w.agent(e.agent)?.frameworks[fid]?.executors[eid]?.state === 'REGISTERING')
          return `${type} of ${fid}/${eid} in flight from ${e.slot} to ${e.agent}, which has it REGISTERING`;
      }
    }
    return null;
  };
}

const NO_PREMATURE_CALL =
  "only an executor holds its own token (spec/world/authentication.ts; without authentication only the configuration's executors call), and the model's executors send SUBSCRIBE in their first step, every later call behind it on the same FIFO link: no UPDATE or MESSAGE of theirs finds them REGISTERING. A restarted agent's recovered executors are REGISTERING only while it recovers, where it answers both 503 before the gate (agent.recovering), and it destroys those that did not come back when recovery ends. Mesos's executor API would take such a call from any local process of an agent without executor authentication; the model has no executor that calls before it subscribes";

const ONE_TASK_PER_COMMAND_EXECUTOR =
  "the agent makes a command executor for one task (its executor id is the task's id, Slave::getExecutorInfo) and sends it that task in one LAUNCH";
const NO_SUBSCRIBE_FAILED =
  "the model delivers no answers to an executor's calls: only the runtime turns a non-200 answer or a failed connection into SUBSCRIBE_FAILED (impl/executor/runtime.ts; test/machines/executor.test.ts takes these transitions on the machine)";

const TERMINATING_SHUTS_DOWN_ALL =
  "an agent entering terminating puts every framework it has into TERMINATING (Slave::shutdown: shutdownFramework of each) and takes no new one (RUN_TASK is for an active agent), so a SHUTDOWN_FRAMEWORK or SHUTDOWN_EXECUTOR there finds its framework terminating and changes nothing (Slave::shutdownFramework and Slave::shutdownExecutor return); coverage counts a step only when it changes the agent's state or sends something";

const GROUPS_NOT_FOR_THE_COMMAND_EXECUTOR =
  'a task group runs under the default executor (the frameworkExecutor machine in the model), so the agent never sends LAUNCH_GROUP to a command executor';

const IN_ORDER =
  "the model's executors report a task's states in order (the command executor STARTING, RUNNING, then TASK_KILLING and TASK_KILLED once killed, whatever the exit status, as Mesos's launcher/executor.cpp does; a custom or default executor RUNNING or STARTING, RUNNING, then an end, never TASK_KILLING), the agent forwards each task's updates one at a time with the latest state it holds, and a reregistering agent reports that latest state: no report goes back from KILLING or RUNNING, and none ends a KILLING task FINISHED. The master would take such a report (Master::updateTask checks no order), so the row stays declared for a framework's own executor that misbehaves";

const LOST_IS_NOT_PARTITION_AWARE =
  'the master keeps a task TASK_LOST only for a framework that is not partition-aware (markUnreachable and removals choose TASK_UNREACHABLE, TASK_DROPPED, TASK_GONE_BY_OPERATOR for a partition-aware one: lostOr in master/context.ts), and an agent reports TASK_LOST only to such a framework and TASK_DROPPED, TASK_GONE, TASK_GONE_BY_OPERATOR only to a partition-aware one (Slave::run, Slave::reregisterExecutorTimeout, Slave::statusUpdate while draining; agent/executors.ts droppedState), so a reregistering agent never reports a LOST task of the master';

const EAGER_SHUTDOWN =
  "a framework names the agent of a SHUTDOWN by an offer it holds (the general framework's SHUTDOWN), and under eager timing an offer comes only from an allocation timer, which fires once no message is in flight: by then a new executor's SUBSCRIBE has reached its agent. A restarted agent's recovered executors are REGISTERING only while it recovers, and the master has no address for it then (LINK_BROKEN)";

/** The master holds as many completed frameworks as it keeps: the next removal forgets the oldest. */
function completedFrameworksFull(w: WorldReader): string | null {
  // (As a world reader gives it: the tests' made-up worlds hold a partial master.)
  const m = w.master() as Partial<MasterContext> | null;
  const done = m?.completedFrameworks ?? [];
  return done.length >= (m?.flags?.maxCompletedFrameworks ?? Infinity) ? `the master holds ${done.length} completed frameworks, as many as it keeps` : null;
}

/** The state of the master's record of a task, live or unreachable; undefined when it has none (or no master runs). */
function masterTaskState(w: WorldReader, fid: string, tid: string): string | undefined {
  const f = w.master()?.frameworks[fid];
  return (f?.tasks[tid] ?? f?.unreachable[tid])?.task.state;
}

/** A task's state as a message on its way to the master reports it: a status update's latest state, or a reregistering agent's task. */
interface Report {
  readonly via: 'STATUS_UPDATE' | 'REREGISTER_AGENT';
  readonly fid: string;
  readonly tid: string;
  readonly state: string;
  readonly agent: string;
}

function reportsInFlight(w: WorldReader): Report[] {
  const out: Report[] = [];
  for (const a of w.layout.agents) {
    for (const m of w.channel(a, w.layout.master)) {
      if (m.type === 'STATUS_UPDATE') {
        const u = (m as unknown as { update: StatusUpdate }).update;
        out.push({ via: 'STATUS_UPDATE', fid: u.framework_id.value, tid: u.status.task_id.value, state: u.latest_state ?? u.status.state, agent: a });
      } else if (m.type === 'REREGISTER_AGENT') {
        for (const t of (m as unknown as { tasks?: readonly Task[] }).tasks ?? [])
          out.push({ via: 'REREGISTER_AGENT', fid: t.framework_id.value, tid: t.task_id.value, state: t.state, agent: a });
      }
    }
  }
  return out;
}

/**
 * An agent's report in flight to the master that would take the master's record of a task from
 * `from` to `to` (the master takes a live task's latest state as reported, master.ts statusUpdate
 * and adoptReportedTask): the precondition of the task lifecycle's `from -> to` on an agent report.
 */
function reportTakes(from: string, to: string, via: readonly Report['via'][] = ['STATUS_UPDATE', 'REREGISTER_AGENT']): (w: WorldReader) => string | null {
  return (w) => {
    for (const r of reportsInFlight(w)) {
      if (r.state !== to || !via.includes(r.via)) continue;
      if (masterTaskState(w, r.fid, r.tid) === from) return `${r.via} from ${r.agent} reports ${r.fid}/${r.tid} ${to}, which the master has ${from}`;
    }
    return null;
  };
}

/** A task in `state` in the master's books of a framework that does not checkpoint. */
function uncheckpointedTaskIn(state: string): (w: WorldReader) => string | null {
  return (w) => {
    for (const [fid, f] of Object.entries(w.master()?.frameworks ?? {})) {
      if (f.info.checkpoint === true) continue;
      for (const [tid, r] of [...Object.entries(f.tasks), ...Object.entries(f.unreachable)])
        if (r.task.state === state) return `the master has ${fid}/${tid} ${state}, and ${fid} does not checkpoint`;
    }
    return null;
  };
}

/** A SHUTDOWN_EXECUTOR in flight to an agent that holds the executor it names REGISTERING. */
function shutdownOfRegistering(w: WorldReader): string | null {
  for (const a of w.layout.agents) {
    for (const m of w.channel(w.layout.master, a)) {
      if (m.type !== 'SHUTDOWN_EXECUTOR') continue;
      const e = m as unknown as { framework_id: { value: string }; executor_id: { value: string } };
      const ex = w.agent(a)?.frameworks[e.framework_id.value]?.executors[e.executor_id.value];
      if (ex?.state === 'REGISTERING') return `SHUTDOWN_EXECUTOR of ${e.framework_id.value}/${e.executor_id.value} in flight to ${a}, which has it REGISTERING`;
    }
  }
  return null;
}

/**
 * A SUBSCRIBE on its way to an agent that holds its executor RUNNING, under a framework that is
 * not terminating, where the executor would count as never sent a task once Slave::subscribe has
 * dropped its launched tasks still TASK_STAGING (it may drop each of them: those the call does not
 * name), with none queued: what that SUBSCRIBE would shut down (MESOS-8411).
 */
function resubscribeShutsDown(w: WorldReader): string | null {
  for (const e of everyExecutor(w.layout)) {
    if (!w.channel(e.slot, e.agent).some((m) => m.type === 'SUBSCRIBE')) continue;
    for (const [fid, f] of Object.entries(w.agent(e.agent)?.frameworks ?? {})) {
      if (f.state === 'TERMINATING') continue;
      for (const [eid, ex] of Object.entries(f.executors ?? {})) {
        if (ex.state !== 'RUNNING' || ex.queued.length > 0) continue;
        const launched = Object.fromEntries(Object.entries(ex.launched).filter(([, t]) => t.state !== 'TASK_STAGING'));
        if (!everSentTask({ ...ex, launched } as Parameters<typeof everSentTask>[0]))
          return `a SUBSCRIBE is on its way to ${e.agent}, which has ${fid}/${eid} RUNNING with no task it could not drop`;
      }
    }
  }
  return null;
}

/** The master and the agents: what the properties over task records and executors read. */
const masterAndAgents = (l: MesosLayout): string[] => [l.master, ...l.agents];

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

/** Every channel of the world, custom and default executors' too: what the predicates over any executor's link read. */
const allChannels = (l: MesosLayout): [string, string][] => [
  ...channels(l),
  ...l.customExecutors.flatMap((e): [string, string][] => [
    [e.agent, e.slot],
    [e.slot, e.agent],
  ]),
];

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
  {
    transition: 'framework|completed|(none)|another removed',
    reason:
      "the master forgets its oldest completed framework only once --max_completed_frameworks (50) are completed and another is removed; no configuration has more than a few frameworks, and a removed framework's id never subscribes again. A long-lived cluster reaches it (a conformance suite run against one did, on its 51st removal)",
    reached: completedFrameworksFull,
    components: (l) => [l.master],
  },
  // Issue 9's lifecycle rows (spec/machines/master/lifecycles.ts, spec/machines/agent/lifecycle.ts).
  ...(
    [
      ['TASK_KILLING', 'TASK_FINISHED'],
      ['TASK_RUNNING', 'TASK_STARTING'],
      ['TASK_KILLING', 'TASK_STARTING'],
      ['TASK_KILLING', 'TASK_RUNNING'],
    ] as const
  ).map(([from, to]) => ({ transition: `task|${from}|${to}|agent report`, reason: IN_ORDER, reached: reportTakes(from, to), components: masterAndAgents })),
  {
    transition: 'task|TASK_UNREACHABLE|TASK_LOST|REREGISTER_AGENT',
    reason:
      'the master keeps a task TASK_UNREACHABLE only for a partition-aware framework (markUnreachable: TASK_LOST for the others), and an agent reports TASK_LOST only to a framework that is not partition-aware (agent/executors.ts droppedState and reregistration timeouts; executors report no TASK_LOST)',
    reached: reportTakes('TASK_UNREACHABLE', 'TASK_LOST', ['REREGISTER_AGENT']),
    components: masterAndAgents,
  },
  ...(['TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR'] as const).map((to) => ({
    transition: `task|TASK_LOST|${to}|REREGISTER_AGENT`,
    reason: LOST_IS_NOT_PARTITION_AWARE,
    reached: reportTakes('TASK_LOST', to, ['REREGISTER_AGENT']),
    components: masterAndAgents,
  })),
  {
    transition: 'task|TASK_GONE|completed|LINK_BROKEN',
    reason:
      "a broken agent link takes from the master's books only the tasks of frameworks that do not checkpoint (Master::removeFramework(slave, framework)), and an agent reports TASK_GONE only for an executor that did not reregister after the agent restarted (Slave::reregisterExecutorTimeout), which only a checkpointing framework's executor survives to do",
    reached: uncheckpointedTaskIn('TASK_GONE'),
    components: masterAndAgents,
  },
  { transition: 'executor|REGISTERING|TERMINATING|SHUTDOWN_EXECUTOR', reason: EAGER_SHUTDOWN, reached: shutdownOfRegistering, components: agents },
  {
    transition: 'executor|RUNNING|TERMINATING|SUBSCRIBE',
    reason:
      'Slave::subscribe shuts down an executor that subscribes never having been sent a task with none queued, after dropping its launched tasks still TASK_STAGING that the call does not name (MESOS-8411); a framework that is terminating is only answered SHUTDOWN. An executor becomes RUNNING only by a subscription that did not shut it down, which sends it its queued tasks, and those leave TASK_STAGING before it can subscribe again: a RUNNING executor that subscribes again keeps a task it was sent',
    reached: resubscribeShutsDown,
    components: agents,
    channels: allChannels,
  },
  {
    transition: 'agent.active.running|PING|0',
    reason:
      "the model's master keeps no address for an agent whose link broke (its record's address is null: Master::disconnect, the model drops the link with it) and sends to none, so each PING it sends says connected; Mesos's SlaveObserver goes on pinging a disconnected agent's pid with connected false, which makes an agent that still runs reregister (the agent machine's answer is tested: test/machines/agent-guards.test.ts, masterThinksDisconnected)",
    reached: pingOfDisconnected,
  },
  {
    transition: 'agent.active.running|AGENT_REREGISTERED|0',
    reason:
      "the agent sends REREGISTER_AGENT as it enters reregistering and again only on its retry timer, which eager timing fires only when no message is in flight: each is answered (at most one AGENT_REREGISTERED) before the next is sent, and the first answer takes the agent to running. A restart, a master failover or a broken link clears what was in flight between them. Abstract timing would let a retry's second answer reach a running agent, which reconciles again (the machine's transition)",
    reached: reregisteredToRunning,
    components: agents,
  },
  {
    transition: 'scheduler.subscribed|SUBSCRIBED|0',
    reason:
      'the polite scheduler sends SUBSCRIBE only as it enters subscribing and never again while it is in flight (a blind retry would open a second subscription); the master answers a SUBSCRIBE once, and the scheduler leaves subscribing on that answer, an ERROR, or a broken link, which clears the link. The transition is for the runtime client, which hears only the newest stream',
    reached: subscribedToSubscribed,
    components: politeSchedulers,
  },
  {
    transition: 'master.leading|DECLINE|1',
    reason:
      "a DECLINE names offers the framework holds (the polite scheduler declines what it is offered, the general framework an offer it has), and a framework holds offers only from its current subscription: it forgets them when its link to the master breaks (LINK_BROKEN, which clears the link and what was on it) and starts without them after a failover (a restart, which clears its links). The master's record of a framework has no connection only after that link broke or the framework failed over (Master::exited), so a DECLINE on its way always finds the framework subscribed or unknown",
    reached: declineOfDisconnected,
    components: (l) => [l.master],
  },
  { transition: 'agent|UPDATE|4', reason: NO_PREMATURE_CALL, reached: callOfUnsubscribed('UPDATE', null), components: agents, channels: allChannels },
  { transition: 'agent|MESSAGE|3', reason: NO_PREMATURE_CALL, reached: callOfUnsubscribed('MESSAGE', false), components: agents, channels: allChannels },
  {
    transition: 'agent.active.running|MESSAGE|3',
    reason: NO_PREMATURE_CALL,
    reached: callOfUnsubscribed('MESSAGE', true),
    components: agents,
    channels: allChannels,
  },
];

/** The backing properties, as invariants the checker memoises on the channels they read. */
export function unreachableProperties(): Invariant[] {
  return UNREACHABLE.map((u) => ({
    name: `unreached:${u.transition}`,
    kind: 'always' as const,
    world: u.reached,
    reads: (l: MesosLayout) => ({
      components: [...(l.election !== undefined ? [l.election] : []), ...(u.components?.(l) ?? [])],
      channels: (u.channels ?? channels)(l),
    }),
    description: u.reason,
  }));
}
