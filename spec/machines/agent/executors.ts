/**
 * The agent's bookkeeping of frameworks, executors and tasks (src/slave/slave.cpp): launching
 * command executors, queueing and launching tasks, kills, status updates from executors and
 * from the agent itself, executor termination, shutdown and removal. Every function works on a
 * transaction (tx.ts); agent.ts decides, with named guards, which one an event reaches.
 */
import { match } from 'ts-pattern';
import {
  isTerminal,
  type DrainConfig,
  type ExecutorInfo,
  type FrameworkInfo,
  type TaskInfo,
  type TaskState,
  type TaskStatus,
  type TaskStatusReason,
} from '../../protocol/common.ts';
import type { ExecutorCallSubscribe } from '../../protocol/executor.ts';
import type { AgentReregisteredMessage, KillTaskMessage, RunTaskGroupMessage, RunTaskMessage, StatusUpdate } from '../../protocol/internal.ts';
import type { AgentCounter } from '../effects.ts';
import { cleanupStreams, streamAck, streamUpdate } from './streams.ts';
import {
  addressOf,
  agentId,
  agentUpdate,
  cancelTimer,
  emit,
  everSentTask,
  executorOfTask,
  frameworkHasTask,
  incompleteTasks,
  isPartitionAware,
  newTask,
  sendTo,
  setTimer,
  type MExecutor,
  type MFramework,
  type MTask,
  type Tx,
} from './tx.ts';
import { commandExecutorInfo, NS_PER_MS } from './reports.ts';
import { cappedKillPolicy, drainingStatus, updateDrainStatus } from './drain.ts';
import { volumesOf } from './volumes.ts';
import { DESTROYED_STATUS, timerIds, type ExecutorTerminatedEvent, type Termination } from './types.ts';
import { formatDuration } from '../../protocol/duration.ts';

// ------------------------------------------------------------------------------ status updates

type Origin = 'agent' | 'executor';

/**
 * Executor::updateTaskState: apply a status to the agent's record of the task. Terminal is
 * sticky: a queued task only takes a terminal state, a terminated task takes nothing more.
 * A task that reaches a terminal state here is counted (`slave/tasks_<state>`), once.
 * Returns the error Mesos logs, or null.
 */
function updateTaskState(tx: Tx, ex: MExecutor, status: TaskStatus, origin: Origin): string | null {
  const id = status.task_id.value;
  const terminal = isTerminal(status.state);
  const fromExecutor = origin === 'executor';
  const q = ex.queued.findIndex((t) => t.task_id.value === id);
  if (q >= 0) {
    if (!terminal) return 'Cannot send non-terminal update for queued task';
    const [info] = ex.queued.splice(q, 1);
    ex.terminated[id] = { ...newTask(info!, status.state), executor_sent: fromExecutor };
    countTerminal(tx, status.state);
    return null;
  }
  const task = ex.launched[id];
  if (task) {
    task.state = status.state;
    task.executor_sent = task.executor_sent || fromExecutor;
    if (terminal) {
      delete ex.launched[id];
      ex.terminated[id] = task;
      countTerminal(tx, status.state);
    }
    return null;
  }
  if (id in ex.terminated) return `Task is already terminated with state ${ex.terminated[id]!.state}`;
  return 'Task is unknown';
}

/** The terminal states the agent has a metric of (Executor::updateTaskState logs the others). */
const COUNTED: Partial<Record<TaskState, AgentCounter>> = {
  TASK_FINISHED: 'tasks_finished',
  TASK_FAILED: 'tasks_failed',
  TASK_KILLED: 'tasks_killed',
  TASK_LOST: 'tasks_lost',
  TASK_GONE: 'tasks_gone',
};

/** `TASK_FINISHED` -> `tasks_finished`: the agent's metric of tasks that ended in that state. */
function countTerminal(tx: Tx, state: TaskState): void {
  const counter = COUNTED[state];
  if (counter !== undefined) tx.count(counter);
}

/** The ACKNOWLEDGED event, if the executor has a connection to carry it. */
function ackExecutor(tx: Tx, framework: string, executor: string, update: StatusUpdate): void {
  const ex = tx.c.frameworks[framework]?.executors[executor];
  if (!ex?.connected) return;
  sendTo(tx, addressOf(tx, framework, executor), {
    type: 'ACKNOWLEDGED',
    acknowledged: { task_id: update.status.task_id, uuid: update.uuid! },
  });
}

/**
 * Slave::statusUpdate and its continuations: stamp source and uuid, update the task's state,
 * hand the update to its stream, acknowledge the executor (after the stream took it, so after
 * the checkpoint). Agent-generated updates (`origin` agent) are never acknowledged. While the
 * agent drains, kill updates say so (drain.ts `drainingStatus`).
 */
export function statusUpdate(tx: Tx, received: StatusUpdate, origin: Origin): void {
  if (received.uuid === undefined) return;
  const fwId = received.framework_id.value;
  const fw = tx.c.frameworks[fwId];
  if (!fw || fw.state === 'TERMINATING') return;
  const status: TaskStatus = drainingStatus(tx, fw.info, {
    ...received.status,
    uuid: received.uuid,
    source: origin === 'agent' ? 'SOURCE_AGENT' : 'SOURCE_EXECUTOR',
    ...(received.executor_id === undefined ? {} : { executor_id: received.executor_id }),
  });
  const update: StatusUpdate = { ...received, status };
  const exId = executorOfTask(fw, status.task_id.value);
  if (exId === null) {
    // Unknown task: forwarded anyway (non-checkpointed stream), nobody to acknowledge.
    streamUpdate(tx, update, false);
    return;
  }
  const ex = fw.executors[exId]!;
  if (origin === 'executor' && status.state === 'TASK_STAGING') {
    shutdownExecutor(tx, fwId, exId);
    return;
  }
  const error = updateTaskState(tx, ex, status, origin);
  if (error === null && streamUpdate(tx, update, fw.info.checkpoint === true) === 'mismatch') return;
  if (origin === 'executor') ackExecutor(tx, fwId, exId, update);
}

/** An UPDATE call's status as a StatusUpdate (protobuf::createStatusUpdate). */
export function executorStatusUpdate(tx: Tx, framework: string, status: TaskStatus): StatusUpdate {
  return {
    framework_id: { value: framework },
    ...(status.executor_id === undefined ? {} : { executor_id: status.executor_id }),
    agent_id: agentId(tx),
    status: { ...status, agent_id: status.agent_id ?? agentId(tx) },
    timestamp: status.timestamp ?? 0,
    ...(status.uuid === undefined ? {} : { uuid: status.uuid }),
  };
}

/** TASK_DROPPED to partition-aware frameworks, TASK_LOST to the others. */
function droppedState(info: FrameworkInfo): TaskState {
  return isPartitionAware(info) ? 'TASK_DROPPED' : 'TASK_LOST';
}

function sendDropped(tx: Tx, info: FrameworkInfo, task: TaskInfo, reason: TaskStatusReason, message: string, executor?: string): void {
  const fwId = info.id!.value;
  statusUpdate(tx, agentUpdate(tx, fwId, task.task_id.value, droppedState(info), message, reason, executor), 'agent');
}

// ------------------------------------------------------------------------------ lifecycle

function executorInput(tx: Tx, fw: MFramework, ex: MExecutor, framework: string, executor: string): unknown {
  const address = addressOf(tx, framework, executor);
  const seed = `${address}@${tx.c.uuids}`;
  tx.c.uuids += 1;
  const grace = ex.info.shutdown_grace_period?.nanoseconds;
  return {
    self: address,
    agent: tx.c.self,
    framework_id: { value: framework },
    executor_id: { value: executor },
    framework_info: fw.info,
    seed,
    shutdownGracePeriodMs: grace === undefined ? tx.c.flags.executorShutdownGraceMs : Math.floor(grace / NS_PER_MS),
    // Only when set: the executor's own defaults stand otherwise (and the model's states stay as they were).
    ...(tx.c.flags.recoveryTimeoutMs !== undefined ? { recoveryTimeoutMs: tx.c.flags.recoveryTimeoutMs } : {}),
    ...(tx.c.flags.executorTerminalAckTimeoutMs !== undefined ? { terminalAckTimeoutMs: tx.c.flags.executorTerminalAckTimeoutMs } : {}),
  };
}

/**
 * Framework::addExecutor + launchExecutor: a new executor, registering. A custom executor's
 * spawn carries its CommandInfo (the runtime runs it through `sh -c`, as Mesos's launcher does);
 * a DEFAULT executor's carries `default_executor` (the runtime runs `mesos-ref default-executor`,
 * as Mesos runs its mesos-default-executor binary).
 */
function launchExecutor(tx: Tx, framework: string, info: ExecutorInfo, custom: boolean, tasks: readonly TaskInfo[]): MExecutor {
  const fw = tx.c.frameworks[framework]!;
  const id = info.executor_id.value;
  const ex: MExecutor = {
    info: info as MExecutor['info'],
    state: 'REGISTERING',
    connected: false,
    queued: [],
    launched: {},
    terminated: {},
    completed_sent: false,
    termination: null,
    ...(custom ? { custom: true as const } : {}),
  };
  fw.executors[id] = ex;
  const input = executorInput(tx, fw, ex, framework, id) as Record<string, unknown>;
  const program = !custom ? {} : info.type === 'DEFAULT' ? { default_executor: true } : { command: info.command ?? {} };
  // The persistent volumes of the executor and its first tasks are mounted in its sandbox (only named when there are some).
  const volumes = volumesOf([...(info.resources ?? []), ...tasks.flatMap((t) => t.resources ?? [])]);
  emit(tx, { type: 'spawn', name: addressOf(tx, framework, id), input: { ...input, ...program, ...(volumes.length ? { volumes } : {}) } });
  setTimer(tx, timerIds.executorRegistration(framework, id), { type: 'EXECUTOR_REGISTRATION_TIMEOUT', framework, executor: id }, tx.c.flags.executorRegistrationTimeoutMs);
  return ex;
}

/**
 * ___run: send the queued tasks to a subscribed executor, in order: a task group as one
 * LAUNCH_GROUP (only tasks still queued: a queued task may have been killed meanwhile).
 */
function launchQueued(tx: Tx, framework: string, executor: string): void {
  const ex = tx.c.frameworks[framework]!.executors[executor]!;
  const byId = new Map(ex.queued.map((t) => [t.task_id.value, t]));
  const grouped = new Set((ex.queued_groups ?? []).flat());
  const address = addressOf(tx, framework, executor);
  for (const task of ex.queued) {
    if (grouped.has(task.task_id.value)) continue;
    ex.launched[task.task_id.value] = newTask(task as MTask['info'], 'TASK_STAGING');
    sendTo(tx, address, { type: 'LAUNCH', launch: { task } });
  }
  for (const group of ex.queued_groups ?? []) {
    const tasks = group.map((id) => byId.get(id)).filter((t) => t !== undefined);
    if (tasks.length === 0) continue;
    for (const task of tasks) ex.launched[task.task_id.value] = newTask(task as MTask['info'], 'TASK_STAGING');
    sendTo(tx, address, { type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks } } });
  }
  ex.queued = [];
  if (ex.queued_groups !== undefined) delete ex.queued_groups;
}

/** The `stop` effect that destroys an executor's container; the world notifies us. */
function destroyContainer(tx: Tx, framework: string, executor: string): void {
  const event: ExecutorTerminatedEvent = {
    type: 'EXECUTOR_TERMINATED',
    framework_id: { value: framework },
    executor_id: { value: executor },
    status: DESTROYED_STATUS,
  };
  emit(tx, { type: 'stop', name: addressOf(tx, framework, executor), notify: [{ to: tx.c.self, event }] });
}

/** Slave::_shutdownExecutor: SHUTDOWN (if it can hear it), destroy after the grace period. */
export function shutdownExecutor(tx: Tx, framework: string, executor: string): void {
  const ex = tx.c.frameworks[framework]!.executors[executor]!;
  ex.state = 'TERMINATING';
  cancelTimer(tx, timerIds.executorRegistration(framework, executor));
  if (ex.connected) sendTo(tx, addressOf(tx, framework, executor), { type: 'SHUTDOWN' });
  const grace = ex.info.shutdown_grace_period?.nanoseconds;
  setTimer(
    tx,
    timerIds.executorShutdown(framework, executor),
    { type: 'EXECUTOR_SHUTDOWN_TIMEOUT', framework, executor },
    grace === undefined ? tx.c.flags.executorShutdownGraceMs : Math.floor(grace / NS_PER_MS),
  );
}

function removeExecutor(tx: Tx, framework: string, executor: string): void {
  delete tx.c.frameworks[framework]!.executors[executor];
  cancelTimer(tx, timerIds.executorRegistration(framework, executor));
  cancelTimer(tx, timerIds.executorShutdown(framework, executor));
}

/** Slave::removeFramework (only once idle): its streams are closed; the last one ends a drain. */
function removeFrameworkIfIdle(tx: Tx, framework: string): void {
  const fw = tx.c.frameworks[framework];
  if (!fw || Object.keys(fw.executors).length > 0) return;
  cleanupStreams(tx, framework);
  delete tx.c.frameworks[framework];
  updateDrainStatus(tx);
}

// ------------------------------------------------------------------------------ master commands

/** Slave::sendExitedExecutorMessage (status -1: no executor ever ran). */
function executorExited(tx: Tx, framework: string, executor: string, status = -1): void {
  sendTo(tx, tx.c.master, {
    type: 'EXECUTOR_EXITED',
    agent_id: agentId(tx),
    framework_id: { value: framework },
    executor_id: { value: executor },
    status,
  });
}

/** RUN_TASK (Slave::run and __run, synchronously): a command task gets its command executor. */
export function runTask(tx: Tx, msg: RunTaskMessage): void {
  const { task, framework: info } = msg;
  const fwId = info.id?.value;
  if (fwId === undefined || task.agent_id.value !== tx.c.info.id?.value) return;
  if (!tx.c.frameworks[fwId]) tx.c.frameworks[fwId] = { info: info as MFramework['info'], state: 'RUNNING', executors: {} };
  const fw = tx.c.frameworks[fwId]!;
  // The master expected a new executor: tell it none was launched (ExitedExecutorMessage).
  const exited = (executor: string) => {
    if (msg.launch_executor === true) executorExited(tx, fwId, executor);
  };
  if (fw.state === 'TERMINATING') {
    removeFrameworkIfIdle(tx, fwId);
    exited(task.executor?.executor_id.value ?? task.task_id.value);
    return;
  }
  if (tx.c.drain !== undefined) {
    // Slave::run: a task that reaches a draining agent is dropped.
    const executor = task.executor?.executor_id.value ?? task.task_id.value;
    sendDropped(tx, fw.info, task, 'REASON_AGENT_DRAINING', 'Task was received while agent was already draining', executor);
    removeFrameworkIfIdle(tx, fwId);
    exited(executor);
    return;
  }
  if (task.executor === undefined && task.command === undefined) {
    // The master refuses such a task (TASK_ERROR); an agent that gets one anyway drops it.
    const executor = task.task_id.value;
    sendDropped(tx, fw.info, task, 'REASON_TASK_INVALID', 'Task has neither a command nor an executor', executor);
    removeFrameworkIfIdle(tx, fwId);
    exited(executor);
    return;
  }
  const custom = task.executor !== undefined;
  // A custom executor is the framework's ExecutorInfo (the master filled in its framework id).
  const exInfo: ExecutorInfo = custom ? { ...task.executor!, framework_id: task.executor!.framework_id ?? { value: fwId } } : commandExecutorInfo(fw.info, task);
  const exId = exInfo.executor_id.value;
  const existing = fw.executors[exId];
  if (!custom && msg.launch_executor !== undefined && existing) {
    // MESOS-9657: a command task's id reused while its old command executor still exists.
    sendDropped(tx, fw.info, task, 'REASON_TASK_INVALID', 'Cannot reuse an already existing executor for a command task', exId);
    return;
  }
  const ex = existing ?? launchExecutor(tx, fwId, exInfo, custom, [task]);
  match(ex.state)
    .with('TERMINATING', 'TERMINATED', (s) =>
      sendDropped(tx, fw.info, task, 'REASON_EXECUTOR_TERMINATED', s === 'TERMINATING' ? 'Executor terminating' : 'Executor terminated', exId),
    )
    .with('REGISTERING', () => {
      ex.queued.push(task as MTask['info']);
    })
    .with('RUNNING', () => {
      ex.queued.push(task as MTask['info']);
      launchQueued(tx, fwId, exId);
    })
    .exhaustive();
}

/**
 * RUN_TASK_GROUP (Slave::run with a task group): the group's DEFAULT executor is launched once
 * per (framework, executor id) like a custom executor (its end is reported to the master, which
 * tells the framework FAILURE); the group waits for it to subscribe and reaches it as one
 * LAUNCH_GROUP, never task by task.
 */
export function runTaskGroup(tx: Tx, msg: RunTaskGroupMessage): void {
  const fwId = msg.framework.id?.value;
  const tasks = msg.task_group.tasks ?? [];
  if (fwId === undefined || tasks.length === 0 || tasks.some((t) => t.agent_id.value !== tx.c.info.id?.value)) return;
  if (!tx.c.frameworks[fwId]) tx.c.frameworks[fwId] = { info: msg.framework as MFramework['info'], state: 'RUNNING', executors: {} };
  const fw = tx.c.frameworks[fwId]!;
  const exInfo: ExecutorInfo = { ...msg.executor, framework_id: msg.executor.framework_id ?? { value: fwId } };
  const exId = exInfo.executor_id.value;
  if (fw.state === 'TERMINATING') {
    removeFrameworkIfIdle(tx, fwId);
    if (msg.launch_executor === true) executorExited(tx, fwId, exId);
    return;
  }
  if (tx.c.drain !== undefined) {
    for (const task of tasks) sendDropped(tx, fw.info, task, 'REASON_AGENT_DRAINING', 'Task group was received while agent was already draining', exId);
    removeFrameworkIfIdle(tx, fwId);
    if (msg.launch_executor === true) executorExited(tx, fwId, exId);
    return;
  }
  const ex = fw.executors[exId] ?? launchExecutor(tx, fwId, exInfo, true, tasks);
  const queue = () => {
    ex.queued.push(...(tasks as MTask['info'][]));
    ex.queued_groups = [...(ex.queued_groups ?? []), tasks.map((t) => t.task_id.value)];
  };
  match(ex.state)
    .with('TERMINATING', 'TERMINATED', (s) => {
      for (const task of tasks) sendDropped(tx, fw.info, task, 'REASON_EXECUTOR_TERMINATED', s === 'TERMINATING' ? 'Executor terminating' : 'Executor terminated', exId);
    })
    .with('REGISTERING', queue)
    .with('RUNNING', () => {
      queue();
      launchQueued(tx, fwId, exId);
    })
    .exhaustive();
}

/** KILL_TASK (Slave::killTask and kill). */
export function killTask(tx: Tx, msg: KillTaskMessage): void {
  const fwId = msg.framework_id.value;
  const taskId = msg.task_id.value;
  const fw = tx.c.frameworks[fwId];
  if (!fw || fw.state === 'TERMINATING') return;
  const exId = executorOfTask(fw, taskId);
  if (exId === null) {
    const lost = agentUpdate(tx, fwId, taskId, droppedState(fw.info), 'Cannot find executor', 'REASON_EXECUTOR_TERMINATED');
    statusUpdate(tx, lost, 'agent');
    return;
  }
  const ex = fw.executors[exId]!;
  // A queued task of a group takes its whole group with it (Slave::killTask: the group is atomic).
  const killedDuringLaunch = () => {
    const group = (ex.queued_groups ?? []).find((g) => g.includes(taskId)) ?? [taskId];
    for (const id of group) {
      if (!ex.queued.some((t) => t.task_id.value === id)) continue;
      statusUpdate(tx, agentUpdate(tx, fwId, id, 'TASK_KILLED', 'Killed before delivery to the executor', 'REASON_TASK_KILLED_DURING_LAUNCH', exId), 'agent');
    }
  };
  match(ex.state)
    // A task already killed (no longer queued) is not killed again: Mesos drops the repeat.
    .with('REGISTERING', () => {
      if (ex.queued.some((t) => t.task_id.value === taskId)) killedDuringLaunch();
    })
    .with('TERMINATING', 'TERMINATED', () => {})
    .with('RUNNING', () => {
      if (ex.queued.some((t) => t.task_id.value === taskId)) {
        killedDuringLaunch();
        if (!everSentTask(ex) && ex.queued.length === 0) shutdownExecutor(tx, fwId, exId);
        return;
      }
      if (ex.connected) {
        sendTo(tx, addressOf(tx, fwId, exId), {
          type: 'KILL',
          kill: { task_id: msg.task_id, ...(msg.kill_policy === undefined ? {} : { kill_policy: msg.kill_policy }) },
        });
      }
    })
    .exhaustive();
}

/**
 * AGENT_DRAIN (Slave::drain), and its replay when recovery ends: with no framework there is
 * nothing to drain and the config is not kept; else it is kept (checkpointed) and every launched
 * and queued task is killed with its kill policy capped at `max_grace_period`. A repeated drain
 * kills again, as in Mesos (the executor ignores a kill of a task already being killed).
 */
export function drain(tx: Tx, config: DrainConfig): void {
  if (Object.keys(tx.c.frameworks).length === 0) return;
  tx.c.drain = config as Tx['c']['drain'];
  const max = config.max_grace_period;
  for (const fwId of Object.keys(tx.c.frameworks).sort()) {
    for (const exId of Object.keys(tx.c.frameworks[fwId]?.executors ?? {}).sort()) {
      const ex = tx.c.frameworks[fwId]?.executors[exId];
      if (!ex) continue;
      const tasks = [
        ...Object.keys(ex.launched)
          .sort()
          .map((id) => ex.launched[id]!.info),
        ...ex.queued,
      ];
      for (const task of tasks) {
        const policy = cappedKillPolicy(task.kill_policy, max);
        killTask(tx, { type: 'KILL_TASK', framework_id: { value: fwId }, task_id: task.task_id, ...(policy ? { kill_policy: policy } : {}) });
      }
    }
  }
}

/** SHUTDOWN_FRAMEWORK (Slave::shutdownFramework). */
export function shutdownFramework(tx: Tx, framework: string): void {
  const fw = tx.c.frameworks[framework];
  if (!fw || fw.state === 'TERMINATING') return;
  fw.state = 'TERMINATING';
  for (const exId of Object.keys(fw.executors).sort()) {
    const state = fw.executors[exId]!.state;
    if (state === 'REGISTERING' || state === 'RUNNING') shutdownExecutor(tx, framework, exId);
    else if (state === 'TERMINATED') removeExecutor(tx, framework, exId);
  }
  removeFrameworkIfIdle(tx, framework);
}

/** SHUTDOWN_EXECUTOR (Slave::shutdownExecutor). */
export function shutdownExecutorOnRequest(tx: Tx, framework: string, executor: string): void {
  const fw = tx.c.frameworks[framework];
  const ex = fw?.executors[executor];
  if (!fw || fw.state === 'TERMINATING' || !ex) return;
  if (ex.state === 'REGISTERING' || ex.state === 'RUNNING') shutdownExecutor(tx, framework, executor);
}

/** STATUS_UPDATE_ACK: the stream moves on; a task whose terminal update is acked is completed. */
export function acknowledgeUpdate(tx: Tx, framework: string, task: string, uuid: string): void {
  const result = streamAck(tx, framework, task, uuid);
  if (result === 'ignored') return;
  const fw = tx.c.frameworks[framework];
  if (!fw) return;
  const exId = executorOfTask(fw, task);
  if (exId === null) return;
  const ex = fw.executors[exId]!;
  if (result === 'terminated' && task in ex.terminated) {
    ex.completed_sent = ex.completed_sent || ex.terminated[task]!.executor_sent;
    delete ex.terminated[task];
  }
  if (ex.state === 'TERMINATED' && !incompleteTasks(ex)) removeExecutor(tx, framework, exId);
  removeFrameworkIfIdle(tx, framework);
}

/** AGENT_REREGISTERED's reconciliations: tasks the master believes are here but are unknown. */
export function reconcileTasks(tx: Tx, msg: AgentReregisteredMessage): void {
  for (const reconcile of msg.reconciliations ?? []) {
    const fwId = reconcile.framework_id.value;
    const fw = tx.c.frameworks[fwId];
    for (const status of reconcile.statuses ?? []) {
      if (frameworkHasTask(fw, status.task_id.value)) continue;
      const state: TaskState = reconcile.framework !== undefined && isPartitionAware(reconcile.framework) ? 'TASK_DROPPED' : 'TASK_LOST';
      const update = agentUpdate(tx, fwId, status.task_id.value, state, 'Reconciliation: task unknown to the agent', 'REASON_RECONCILIATION');
      streamUpdate(tx, update, false);
    }
  }
}

// ------------------------------------------------------------------------------ executor side

/** SUBSCRIBE from an executor (Slave::subscribe). */
export function subscribe(tx: Tx, framework: string, executor: string, call: ExecutorCallSubscribe): void {
  const fw = tx.c.frameworks[framework];
  const ex = fw?.executors[executor];
  if (!fw || !ex) return;
  const address = addressOf(tx, framework, executor);
  if (fw.state === 'TERMINATING' || ex.state === 'TERMINATING' || ex.state === 'TERMINATED') {
    sendTo(tx, address, { type: 'SHUTDOWN' });
    return;
  }
  ex.state = 'RUNNING';
  ex.connected = true;
  cancelTimer(tx, timerIds.executorRegistration(framework, executor));
  // Replays and drops first; their acknowledgements follow SUBSCRIBED on the stream.
  const mark = tx.steps.length;
  for (const u of call.unacknowledged_updates ?? []) statusUpdate(tx, executorStatusUpdate(tx, framework, u.status), 'executor');
  const unacked = new Set((call.unacknowledged_tasks ?? []).map((t) => t.task_id.value));
  for (const id of Object.keys(ex.launched).sort()) {
    if (ex.launched[id]!.state !== 'TASK_STAGING' || unacked.has(id)) continue;
    const lost = agentUpdate(tx, framework, id, droppedState(fw.info), 'Task launched during agent restart', 'REASON_AGENT_RESTARTED', executor);
    statusUpdate(tx, lost, 'agent');
  }
  if (!everSentTask(ex) && ex.queued.length === 0) {
    // MESOS-8411: an executor all of whose tasks were killed before delivery is shut down.
    shutdownExecutor(tx, framework, executor);
    return;
  }
  const replayed = tx.steps.splice(mark);
  sendTo(tx, address, {
    type: 'SUBSCRIBED',
    subscribed: { executor_info: ex.info, framework_info: fw.info, agent_info: tx.c.info },
  });
  tx.steps.push(...replayed);
  launchQueued(tx, framework, executor);
}

/** SUBSCRIBE while the agent is terminating: SHUTDOWN. */
export function refuseSubscription(tx: Tx, framework: string, executor: string): void {
  if (tx.c.frameworks[framework]?.executors[executor]) sendTo(tx, addressOf(tx, framework, executor), { type: 'SHUTDOWN' });
}

/** Slave::sendExecutorTerminatedStatusUpdate. */
function executorTerminatedUpdate(tx: Tx, framework: string, executor: string, task: string, termination: Termination | null): void {
  const update = agentUpdate(
    tx,
    framework,
    task,
    termination?.state ?? 'TASK_FAILED',
    termination?.message ?? 'Executor terminated',
    termination?.reason ?? 'REASON_EXECUTOR_TERMINATED',
    executor,
  );
  statusUpdate(tx, update, 'agent');
}

/**
 * EXECUTOR_TERMINATED (Slave::executorTerminated): live and queued tasks fail (or take the
 * pending termination's state), then the executor is removed once nothing is left to ack.
 * Only a custom executor's exit is reported to the master (ExitedExecutorMessage, which becomes
 * the framework's FAILURE): the master keeps no record of command executors.
 */
export function executorTerminated(tx: Tx, framework: string, executor: string, status: number): void {
  const fw = tx.c.frameworks[framework];
  const ex = fw?.executors[executor];
  if (!fw || !ex || ex.state === 'TERMINATED') return;
  tx.count('executors_terminated');
  ex.state = 'TERMINATED';
  ex.connected = false;
  cancelTimer(tx, timerIds.executorRegistration(framework, executor));
  cancelTimer(tx, timerIds.executorShutdown(framework, executor));
  if (fw.state === 'TERMINATING') {
    for (const id of Object.keys(ex.launched).sort()) ex.terminated[id] = ex.launched[id]!;
    ex.launched = {};
  } else {
    for (const id of Object.keys(ex.launched).sort()) {
      if (!isTerminal(ex.launched[id]!.state)) executorTerminatedUpdate(tx, framework, executor, id, ex.termination);
    }
    for (const task of [...ex.queued]) executorTerminatedUpdate(tx, framework, executor, task.task_id.value, ex.termination);
  }
  if (ex.custom) executorExited(tx, framework, executor, status);
  if (fw.state === 'TERMINATING' || !incompleteTasks(ex)) removeExecutor(tx, framework, executor);
  removeFrameworkIfIdle(tx, framework);
}

/** The executor registration timeout fired while it was still registering: destroy it. */
export function failExecutorRegistration(tx: Tx, framework: string, executor: string): void {
  const ex = tx.c.frameworks[framework]!.executors[executor]!;
  ex.state = 'TERMINATING';
  ex.termination = {
    state: 'TASK_FAILED',
    reason: 'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
    message: `Executor did not register within ${formatDuration(tx.c.flags.executorRegistrationTimeoutMs)}`,
  };
  destroyContainer(tx, framework, executor);
}

/** The shutdown grace period is over: destroy the container. */
export function destroyExecutor(tx: Tx, framework: string, executor: string): void {
  destroyContainer(tx, framework, executor);
}

/** Recovery is over (Slave::reregisterExecutorTimeout): executors that did not come back die. */
export function destroyUnreregisteredExecutors(tx: Tx): void {
  for (const fwId of Object.keys(tx.c.frameworks).sort()) {
    const fw = tx.c.frameworks[fwId]!;
    for (const exId of Object.keys(fw.executors).sort()) {
      const ex = fw.executors[exId]!;
      if (ex.state !== 'REGISTERING') continue;
      ex.state = 'TERMINATING';
      ex.termination = {
        state: isPartitionAware(fw.info) ? 'TASK_GONE' : 'TASK_LOST',
        reason: 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
        message: `Executor did not reregister within ${formatDuration(tx.c.flags.executorReregistrationTimeoutMs)}`,
      };
      destroyContainer(tx, fwId, exId);
    }
  }
}

/** SHUTDOWN_AGENT: every framework shuts down; the agent stops once none is left. */
export function shutdownAllFrameworks(tx: Tx): void {
  for (const fwId of Object.keys(tx.c.frameworks).sort()) shutdownFramework(tx, fwId);
}

/** FRAMEWORK_TO_EXECUTOR: a MESSAGE event, if the executor is running. */
export function messageToExecutor(tx: Tx, framework: string, executor: string, data: string): void {
  const fw = tx.c.frameworks[framework];
  const ex = fw?.executors[executor];
  if (!fw || fw.state !== 'RUNNING' || ex?.state !== 'RUNNING') return;
  sendTo(tx, addressOf(tx, framework, executor), { type: 'MESSAGE', message: { data } });
}

/** An executor's MESSAGE call: EXECUTOR_TO_FRAMEWORK through the master. */
export function messageToFramework(tx: Tx, framework: string, executor: string, data: string): void {
  const fw = tx.c.frameworks[framework];
  if (!fw || fw.state !== 'RUNNING') return;
  sendTo(tx, tx.c.master, {
    type: 'EXECUTOR_TO_FRAMEWORK',
    agent_id: agentId(tx),
    framework_id: { value: framework },
    executor_id: { value: executor },
    data,
  });
}

/** UPDATE_FRAMEWORK_AGENT: new FrameworkInfo (checkpointed if it says so). Streams resume separately. */
export function updateFramework(tx: Tx, framework: string, info: FrameworkInfo | undefined): boolean {
  const fw = tx.c.frameworks[framework];
  if (!fw || fw.state !== 'RUNNING') return false;
  if (info !== undefined) fw.info = info as MFramework['info'];
  return true;
}
