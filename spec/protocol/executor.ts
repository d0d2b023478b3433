/**
 * The v1 executor API (`POST /api/v1/executor` on the agent): calls an executor sends and the
 * events of its subscription stream (package `mesos.v1.executor`).
 *
 * As in scheduler.ts: `RawExecutorCall` / `RawExecutorEvent` are the proto messages (every
 * field optional except the call's two required ids), `ExecutorCall` / `ExecutorEvent` the
 * discriminated unions the machines exchange.
 */
import type { AgentInfo, ContainerID, ExecutorID, ExecutorInfo, FrameworkID, FrameworkInfo, KillPolicy, TaskGroupInfo, TaskID, TaskInfo, TaskStatus } from './common.ts';
import type { Bytes } from './scalars.ts';

// ---------------------------------------------------------------------------------------------
// Calls

export const EXECUTOR_CALL_TYPES = ['UNKNOWN', 'SUBSCRIBE', 'UPDATE', 'MESSAGE', 'HEARTBEAT'] as const;
/** The type of an executor call. */
export type ExecutorCallType = (typeof EXECUTOR_CALL_TYPES)[number];

/** A status update sent by the executor. */
export interface ExecutorCallUpdate {
  /** Must carry a valid uuid and source SOURCE_EXECUTOR; TASK_STAGING is refused. */
  status: TaskStatus;
}

/**
 * Subscribe (or re-subscribe after a disconnection), reporting what the agent may not have
 * seen acknowledged yet.
 */
export interface ExecutorCallSubscribe {
  /** Tasks for which no update has been acknowledged yet. */
  unacknowledged_tasks?: TaskInfo[];
  /** Updates sent but not yet acknowledged. */
  unacknowledged_updates?: ExecutorCallUpdate[];
}

/** Opaque data for the scheduler (unreliable). */
export interface ExecutorCallMessage {
  data: Bytes;
}

/** The executor::Call message as it travels. */
export interface RawExecutorCall {
  executor_id: ExecutorID;
  framework_id: FrameworkID;
  type?: ExecutorCallType;
  subscribe?: ExecutorCallSubscribe;
  update?: ExecutorCallUpdate;
  message?: ExecutorCallMessage;
}

/** SUBSCRIBE. */
export interface ExecutorSubscribeCall {
  type: 'SUBSCRIBE';
  executor_id: ExecutorID;
  framework_id: FrameworkID;
  subscribe: ExecutorCallSubscribe;
}

/** UPDATE a task's status. */
export interface ExecutorUpdateCall {
  type: 'UPDATE';
  executor_id: ExecutorID;
  framework_id: FrameworkID;
  update: ExecutorCallUpdate;
}

/** MESSAGE to the scheduler. */
export interface ExecutorMessageCall {
  type: 'MESSAGE';
  executor_id: ExecutorID;
  framework_id: FrameworkID;
  message: ExecutorCallMessage;
}

/** HEARTBEAT (keeps intermediaries from closing the connection). */
export interface ExecutorHeartbeatCall {
  type: 'HEARTBEAT';
  executor_id: ExecutorID;
  framework_id: FrameworkID;
}

/** A validated executor call, discriminated on `type`. */
export type ExecutorCall = ExecutorSubscribeCall | ExecutorUpdateCall | ExecutorMessageCall | ExecutorHeartbeatCall;

// ---------------------------------------------------------------------------------------------
// Events

export const EXECUTOR_EVENT_TYPES = ['UNKNOWN', 'SUBSCRIBED', 'LAUNCH', 'LAUNCH_GROUP', 'KILL', 'ACKNOWLEDGED', 'MESSAGE', 'ERROR', 'SHUTDOWN', 'HEARTBEAT'] as const;
/** The type of an executor event. */
export type ExecutorEventType = (typeof EXECUTOR_EVENT_TYPES)[number];

/** First event of a subscription: who the executor is and where it runs. */
export interface ExecutorEventSubscribed {
  executor_info: ExecutorInfo;
  framework_info: FrameworkInfo;
  agent_info: AgentInfo;
  container_id?: ContainerID;
}

/** Launch one task. */
export interface ExecutorEventLaunch {
  task: TaskInfo;
}

/** Launch a group of tasks atomically. */
export interface ExecutorEventLaunchGroup {
  task_group: TaskGroupInfo;
}

/** Kill a task, optionally with a kill policy overriding the task's. */
export interface ExecutorEventKill {
  task_id: TaskID;
  kill_policy?: KillPolicy;
}

/** The agent has durably recorded the update with this uuid. */
export interface ExecutorEventAcknowledged {
  task_id: TaskID;
  uuid: Bytes;
}

/** Opaque data from the scheduler. */
export interface ExecutorEventMessage {
  data: Bytes;
}

/** A fatal error. */
export interface ExecutorEventError {
  message: string;
}

/**
 * The executor::Event message as it travels. Note the proto declares `acknowledged` before
 * `launch`, so that is the key order on the wire.
 */
export interface RawExecutorEvent {
  type?: ExecutorEventType;
  subscribed?: ExecutorEventSubscribed;
  acknowledged?: ExecutorEventAcknowledged;
  launch?: ExecutorEventLaunch;
  launch_group?: ExecutorEventLaunchGroup;
  kill?: ExecutorEventKill;
  message?: ExecutorEventMessage;
  error?: ExecutorEventError;
}

/** SUBSCRIBED. */
export interface ExecutorSubscribedEvent {
  type: 'SUBSCRIBED';
  subscribed: ExecutorEventSubscribed;
}

/** LAUNCH. */
export interface LaunchEvent {
  type: 'LAUNCH';
  launch: ExecutorEventLaunch;
}

/** LAUNCH_GROUP. */
export interface LaunchGroupEvent {
  type: 'LAUNCH_GROUP';
  launch_group: ExecutorEventLaunchGroup;
}

/** KILL. */
export interface KillEvent {
  type: 'KILL';
  kill: ExecutorEventKill;
}

/** ACKNOWLEDGED. */
export interface AcknowledgedEvent {
  type: 'ACKNOWLEDGED';
  acknowledged: ExecutorEventAcknowledged;
}

/** MESSAGE from the scheduler. */
export interface ExecutorMessageEvent {
  type: 'MESSAGE';
  message: ExecutorEventMessage;
}

/** ERROR. */
export interface ExecutorErrorEvent {
  type: 'ERROR';
  error: ExecutorEventError;
}

/** SHUTDOWN: kill all tasks and exit within the shutdown grace period. */
export interface ShutdownEvent {
  type: 'SHUTDOWN';
}

/** HEARTBEAT (every 30 minutes). */
export interface ExecutorHeartbeatEvent {
  type: 'HEARTBEAT';
}

/** An executor event, discriminated on `type`. */
export type ExecutorEvent =
  ExecutorSubscribedEvent | LaunchEvent | LaunchGroupEvent | KillEvent | AcknowledgedEvent | ExecutorMessageEvent | ExecutorErrorEvent | ShutdownEvent | ExecutorHeartbeatEvent;
