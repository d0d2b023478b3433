/** The agent's executor records: a record's flags agree with its lifecycle state, and a shutdown tells the executor. */
import type { AnyEventObject, StateValue } from 'xstate';
import type { MesosLayout } from '../spec/world/mesos.ts';
import type { AgentContext } from '../spec/machines/agent.ts';
import { executorAddress } from '../spec/machines/agent/types.ts';
import { frameworkHasTask, isPartitionAware } from '../spec/machines/agent/tx.ts';
import type { Emitted } from './world.ts';
import type { WorldReader } from './world.ts';

/** Every executor record of every running agent, in a stable order. */
function* agentExecutors(w: WorldReader): Generator<{ name: string; agent: AgentContext; fid: string; eid: string; ex: AgentContext['frameworks'][string]['executors'][string] }> {
  for (const name of w.layout.agents) {
    const agent = w.agent(name);
    if (!agent) continue;
    for (const fid of Object.keys(agent.frameworks).sort()) {
      const executors = agent.frameworks[fid]!.executors;
      for (const eid of Object.keys(executors).sort()) yield { name, agent, fid, eid, ex: executors[eid]! };
    }
  }
}

/**
 * A terminated executor is not connected: nothing (a SHUTDOWN, a queued task, a message) is
 * sent to an executor the agent has seen exit (Slave::executorTerminated).
 */
export function terminatedExecutorsDisconnected(w: WorldReader): string | null {
  for (const { name, fid, eid, ex } of agentExecutors(w)) {
    if (ex.state === 'TERMINATED' && ex.connected) return `${name}: executor ${eid} of ${fid} is TERMINATED but still connected`;
  }
  return null;
}

/**
 * An agent keeps a framework only while it has an executor there: Slave::removeExecutor removes
 * the framework with its last executor (and a task dropped before any executor leaves none).
 */
export function agentFrameworksHaveExecutors(w: WorldReader): string | null {
  for (const name of w.layout.agents) {
    const a = w.agent(name);
    if (!a) continue;
    for (const fid of Object.keys(a.frameworks).sort()) {
      if (Object.keys(a.frameworks[fid]!.executors).length === 0) return `${name} keeps framework ${fid} with no executor left`;
    }
  }
  return null;
}

/** A command executor of a polite framework: one that runs a task the configuration launches. */
const politeExecutors = (l: MesosLayout) => l.executors.filter((e) => (l.frameworkConfig[e.framework]?.kind ?? 'polite') === 'polite');

/** Where an executor's update can be acknowledged to it: some polite framework launches a task. */
export const executorAcknowledgedApplies = (l: MesosLayout): string | null => (politeExecutors(l).length > 0 ? null : 'no polite framework launches a task in this configuration');

/**
 * Sometimes: a command executor learns that the agent took one of its updates (ACKNOWLEDGED:
 * Slave::statusUpdate acknowledges the executor once the update is in its stream). Without it an
 * executor never ends on the acknowledgement of its terminal update, only on its timeout.
 */
export function executorAcknowledged(w: WorldReader): string | null {
  if (politeExecutors(w.layout).some((e) => w.executor(e.slot)?.acknowledged === true)) return null;
  return 'no executor has had an update acknowledged yet';
}

/**
 * At quiescence an agent keeps a terminated executor only while an update of one of its tasks
 * waits for its acknowledgement: Slave::removeExecutor removes it once its tasks' last updates
 * are acknowledged (Executor::incompleteTasks), so a finished executor does not linger.
 */
export function doneExecutorsRemoved(w: WorldReader): string | null {
  for (const { name, agent, fid, eid, ex } of agentExecutors(w)) {
    if (ex.state !== 'TERMINATED') continue;
    const tasks = [...ex.queued.map((t) => t.task_id.value), ...Object.keys(ex.launched), ...Object.keys(ex.terminated)];
    if (!tasks.some((tid) => (agent.streams[fid]?.[tid]?.pending.length ?? 0) > 0))
      return `${name} keeps executor ${eid} of ${fid}, terminated with every update of its tasks acknowledged`;
  }
  return null;
}

/**
 * A task the agent runs is in the state of the latest update it received for it, or STAGING
 * before any (Slave::runTask books it TASK_STAGING; Slave::statusUpdate sets the state of each
 * update it takes): the newest update of the task's stream still awaiting acknowledgement, else
 * the last one forwarded. A restarted agent's recovered task keeps its state but not which update
 * was forwarded last; once its stream has taken an update, only STAGING is then ruled out.
 */
export function agentTaskStatesLatest(w: WorldReader): string | null {
  for (const { name, agent, fid, eid, ex } of agentExecutors(w)) {
    for (const tid of Object.keys(ex.launched).sort()) {
      const r = ex.launched[tid]!;
      const stream = agent.streams[fid]?.[tid];
      const pending = stream?.pending ?? [];
      const latest = pending.length > 0 ? pending[pending.length - 1]!.status.state : r.status_update_state;
      const taken = (stream?.received.length ?? 0) > 0;
      if (latest !== undefined && r.state !== latest) return `${name}: task ${tid} of executor ${eid} is ${r.state}, but the latest update it took says ${latest}`;
      if (latest === undefined && !taken && r.state !== 'TASK_STAGING') return `${name}: task ${tid} of executor ${eid} is ${r.state} before any update of it`;
      if (latest === undefined && taken && r.state === 'TASK_STAGING') return `${name}: task ${tid} of executor ${eid} is still TASK_STAGING after an update of it`;
    }
  }
  return null;
}

/**
 * shutdownsTold == a step of an agent that starts shutting an executor down (its record becomes
 * TERMINATING) sends that executor SHUTDOWN when it is connected, and no step sends SHUTDOWN to
 * an executor connected neither before nor after it, but in answer to its SUBSCRIBE, which it
 * must be when the agent, the executor's framework or the executor itself is ending
 * (Slave::_shutdownExecutor: the executor is told, then destroyed after its grace period if it
 * has not gone by then).
 */
export function shutdownsTold(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], after: AgentContext, state: StateValue): string | null {
  const told = new Set(effects.filter((e) => e.type === 'send' && (e.msg as { type?: string }).type === 'SHUTDOWN').map((e) => e.to as string));
  // An executor that subscribes to a terminating agent, or as its framework or itself terminates,
  // is told to shut down on its new stream at once (Slave::subscribe).
  if (event.type === 'SUBSCRIBE' && effects.some((e) => e.type === 'reply' && e.status === 200)) {
    const [fid, eid] = callIds(event);
    const fw = before.frameworks[fid];
    const ex = fw?.executors[eid];
    const ending = state === 'terminating' || fw?.state === 'TERMINATING' || ex?.state === 'TERMINATING' || ex?.state === 'TERMINATED';
    if (ex !== undefined && ending && !told.has(executorAddress(before.self, fid, eid))) return `executor ${eid} of ${fid} subscribed while ending, and was not told to shut down`;
  }
  for (const fid of Object.keys(after.frameworks).sort()) {
    for (const [eid, ex] of Object.entries(after.frameworks[fid]!.executors)) {
      const was = before.frameworks[fid]?.executors[eid];
      if (ex.state !== 'TERMINATING' || was?.state === 'TERMINATING') continue;
      const address = executorAddress(before.self, fid, eid);
      if (was?.connected === true && !told.has(address)) return `executor ${eid} of ${fid} began terminating while connected, and was not sent SHUTDOWN`;
    }
  }
  // A SUBSCRIBE may be answered SHUTDOWN on its own stream (Slave::subscribe, when the executor or
  // its framework is already terminating).
  const connected = (c: AgentContext, fid: string | undefined, eid: string | undefined) => c.frameworks[fid ?? '']?.executors[eid ?? '']?.connected === true;
  for (const to of [...told].sort()) {
    if (event.type === 'SUBSCRIBE' && executorAddress(before.self, callIds(event)[0], callIds(event)[1]) === to) continue;
    const [fid, eid] = executorOf(after, to);
    if (!connected(before, fid, eid) && !connected(after, fid, eid)) return `SHUTDOWN was sent to ${to}, an executor that is not connected`;
  }
  return null;
}

/** The framework and executor ids an executor call names. */
const callIds = (call: AnyEventObject): readonly [string, string] => [
  (call.framework_id as { value?: string } | undefined)?.value ?? '',
  (call.executor_id as { value?: string } | undefined)?.value ?? '',
];

/** The (framework, executor) ids an executor address of `agent` names, or [] for another address. */
function executorOf(agent: AgentContext, address: string): readonly string[] {
  for (const fid of Object.keys(agent.frameworks))
    for (const eid of Object.keys(agent.frameworks[fid]!.executors)) if (executorAddress(agent.self, fid, eid) === address) return [fid, eid];
  return [];
}

/** Each task an agent holds as terminated, by framework, executor and task id, with its state. */
function terminatedTasks(a: AgentContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [fid, fw] of Object.entries(a.frameworks))
    for (const [eid, ex] of Object.entries(fw.executors)) for (const [tid, t] of Object.entries(ex.terminated)) out.set(`${fid}/${eid}/${tid}`, t.state);
  return out;
}

/** The terminal states an agent keeps a metric of (Executor::updateTaskState only logs the others). */
const COUNTED_ENDS: readonly string[] = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_GONE'];

/**
 * taskEndsCounted == in every delivery or timer step of an agent, each task that becomes
 * FINISHED, FAILED, KILLED, LOST or GONE there adds one to the agent's metric of that state
 * (`slave/tasks_finished`, ...), and nothing else counts one: what an operator reads from
 * /metrics/snapshot is what the agent saw.
 */
export function taskEndsCounted(before: AgentContext, _event: AnyEventObject, effects: readonly Emitted[], after: AgentContext): string | null {
  const was = terminatedTasks(before);
  const ended = new Map<string, number>();
  for (const [key, state] of terminatedTasks(after)) {
    if (was.has(key)) continue;
    if (!COUNTED_ENDS.includes(state)) continue;
    const counter = `tasks_${state.slice('TASK_'.length).toLowerCase()}`;
    ended.set(counter, (ended.get(counter) ?? 0) + 1);
  }
  const counted = new Map<string, number>();
  for (const e of effects) {
    const counter = e.type === 'count' ? String(e.counter) : '';
    if (counter.startsWith('tasks_')) counted.set(counter, (counted.get(counter) ?? 0) + 1);
  }
  for (const counter of new Set([...ended.keys(), ...counted.keys()])) {
    if ((ended.get(counter) ?? 0) !== (counted.get(counter) ?? 0))
      return `${ended.get(counter) ?? 0} task(s) ended as ${counter.slice('tasks_'.length)} in this step, and the agent counted ${counted.get(counter) ?? 0} in ${counter}`;
  }
  return null;
}

/**
 * shutdownsObeyed == a ShutdownExecutorMessage from the master for an executor the agent is
 * starting or running, of a framework it is not already ending, leaves that executor
 * TERMINATING or gone (Slave::shutdownExecutor: a REGISTERING or RUNNING executor is shut down;
 * this is how a framework's SHUTDOWN call reaches it).
 */
export function shutdownsObeyed(before: AgentContext, event: AnyEventObject, _effects: readonly Emitted[], after: AgentContext): string | null {
  const order = masterOrder(before, event, 'SHUTDOWN_EXECUTOR');
  if (!order) return null;
  const { fid } = order;
  const eid = (event.executor_id as { value: string }).value;
  const state = order.fw.executors[eid]?.state;
  if (state !== 'REGISTERING' && state !== 'RUNNING') return null;
  const now = after.frameworks[fid]?.executors[eid]?.state;
  if (now === 'REGISTERING' || now === 'RUNNING') return `the master asked the agent to shut down ${fid}'s executor ${eid}, and it is still ${now}`;
  return null;
}

/** A message of `type` from the agent's master about a framework the agent runs and is not ending: that framework, else null. */
function masterOrder(before: AgentContext, event: AnyEventObject, type: string): { fid: string; fw: AgentContext['frameworks'][string] } | null {
  if (event.type !== type || event.from !== before.master) return null;
  const fid = (event.framework_id as { value: string }).value;
  const fw = before.frameworks[fid];
  return fw && fw.state !== 'TERMINATING' ? { fid, fw } : null;
}

/**
 * killsOfUnknownTasksDropped == a KillTaskMessage from the master for a task of a framework the
 * agent runs (not ending) that no executor of it has, queued, launched or ended, adds a new
 * update of that task to its stream: the agent's TASK_DROPPED (TASK_LOST to a framework that is
 * not partition-aware), REASON_EXECUTOR_TERMINATED, under a uuid it has not used (Slave::killTask:
 * "Cannot find executor"), so that the framework hears of a task the agent never launched. Which
 * tasks an executor has is Mesos's Framework::hasTask, as the spec defines it once (agent/tx.ts).
 */
export function killsOfUnknownTasksDropped(before: AgentContext, event: AnyEventObject, _effects: readonly Emitted[], after: AgentContext): string | null {
  const order = masterOrder(before, event, 'KILL_TASK');
  const tid = (event.task_id as { value: string } | undefined)?.value;
  if (!order || tid === undefined || frameworkHasTask(order.fw, tid)) return null;
  const { fid } = order;
  const state = isPartitionAware(order.fw.info) ? 'TASK_DROPPED' : 'TASK_LOST';
  const seen = new Set(before.streams[fid]?.[tid]?.received ?? []);
  const added = (after.streams[fid]?.[tid]?.pending ?? []).some(
    (u) => u.uuid !== undefined && !seen.has(u.uuid) && u.status.state === state && u.status.reason === 'REASON_EXECUTOR_TERMINATED' && u.status.source === 'SOURCE_AGENT',
  );
  return added ? null : `the master asked the agent to kill ${fid}'s task ${tid}, which no executor has, and the agent made no ${state} of it`;
}

/**
 * runningExecutorsHoldNoQueue == after every agent step, an executor the agent has RUNNING has
 * no queued task: a task that reaches a running executor is handed to it at once (Slave::run,
 * RUNNING: "Executor is registered, send the task"), and the tasks queued while it registered go
 * to it when it subscribes.
 */
export function runningExecutorsHoldNoQueue(_before: AgentContext, event: AnyEventObject, _effects: readonly Emitted[], after: AgentContext): string | null {
  for (const [fid, fw] of Object.entries(after.frameworks)) {
    for (const [eid, ex] of Object.entries(fw.executors)) {
      if (ex.state === 'RUNNING' && ex.queued.length > 0) {
        return `after ${event.type}, ${fid}'s executor ${eid} is RUNNING with task ${ex.queued.map((t) => t.task_id.value).join(', ')} still queued`;
      }
    }
  }
  return null;
}
