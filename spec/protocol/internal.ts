/**
 * Master <-> agent messages. These are ours: Mesos's internal protobuf messages
 * (src/messages/messages.proto: RegisterSlaveMessage, RunTaskMessage, StatusUpdateMessage...)
 * are the model, renamed with v1 vocabulary ("agent", not "slave") and trimmed to what the
 * reference needs. Like every protocol message they are plain JSON objects with a string
 * `type`; the types are upper-case and distinct from every scheduler, executor and operator
 * call/event type, so one event union can hold them all.
 *
 * Direction and meaning of each message are documented on its interface. Field numbers in the
 * wire descriptors (descriptors.ts) are ours too.
 */
import type {
  AgentID,
  AgentInfo,
  AgentInfoCapability,
  DrainConfig,
  ExecutorID,
  ExecutorInfo,
  FrameworkID,
  FrameworkInfo,
  KillPolicy,
  Resource,
  Task,
  TaskGroupInfo,
  TaskID,
  TaskInfo,
  TaskState,
  TaskStatus,
} from './common.ts';
import type { Bytes, Double, Int32 } from './scalars.ts';

/** Every internal message type. */
export const INTERNAL_MESSAGE_TYPES = [
  'REGISTER_AGENT',
  'REREGISTER_AGENT',
  'AGENT_REGISTERED',
  'AGENT_REREGISTERED',
  'UNREGISTER_AGENT',
  'SHUTDOWN_AGENT',
  'PING',
  'PONG',
  'RUN_TASK',
  'RUN_TASK_GROUP',
  'KILL_TASK',
  'STATUS_UPDATE',
  'STATUS_UPDATE_ACK',
  'SHUTDOWN_FRAMEWORK',
  'SHUTDOWN_EXECUTOR',
  'UPDATE_FRAMEWORK_AGENT',
  'EXECUTOR_EXITED',
  'FRAMEWORK_TO_EXECUTOR',
  'EXECUTOR_TO_FRAMEWORK',
  'AGENT_DRAIN',
  'CHECKPOINT_RESOURCES',
] as const;
/** The type of an internal message. */
export type InternalMessageType = (typeof INTERNAL_MESSAGE_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Registration and health

/** agent -> master: first registration of an agent that has no id yet. Retried with backoff. */
export interface RegisterAgentMessage {
  type: 'REGISTER_AGENT';
  /** Without `id`; the master assigns one. */
  agent_info: AgentInfo;
  /** Resources the agent checkpointed (reservations, volumes). */
  checkpointed_resources?: Resource[];
  /** The agent's version string. */
  version?: string;
  agent_capabilities?: AgentInfoCapability[];
}

/**
 * agent -> master: re-registration of an agent that has an id (after a master failover, a
 * partition, or an agent restart with recovered state), reporting everything it runs.
 */
export interface ReregisterAgentMessage {
  type: 'REREGISTER_AGENT';
  /** With `id`. */
  agent_info: AgentInfo;
  checkpointed_resources?: Resource[];
  executor_infos?: ExecutorInfo[];
  /** Every task the agent knows, in its current state. */
  tasks?: Task[];
  /** The frameworks of those tasks and executors. */
  frameworks?: FrameworkInfo[];
  version?: string;
  agent_capabilities?: AgentInfoCapability[];
}

/** Facts about the master <-> agent link the agent needs. */
export interface MasterAgentConnection {
  /** After this long without a PING the agent assumes the master is gone (75 s). */
  total_ping_timeout_seconds?: Double;
}

/** master -> agent: registration accepted; the agent now has an id. */
export interface AgentRegisteredMessage {
  type: 'AGENT_REGISTERED';
  agent_id: AgentID;
  connection?: MasterAgentConnection;
}

/** Tasks of one framework the master believes are on the agent (sent on re-registration). */
export interface AgentReconcileTasks {
  framework_id: FrameworkID;
  /** The master's latest status of each non-terminal task. */
  statuses?: TaskStatus[];
  framework?: FrameworkInfo;
}

/** master -> agent: re-registration accepted. */
export interface AgentReregisteredMessage {
  type: 'AGENT_REREGISTERED';
  agent_id: AgentID;
  /** Tasks the agent should reconcile (it reports unknown ones as dropped/lost). */
  reconciliations?: AgentReconcileTasks[];
  connection?: MasterAgentConnection;
}

/** agent -> master: the agent is shutting down cleanly; its tasks are lost. */
export interface UnregisterAgentMessage {
  type: 'UNREGISTER_AGENT';
  agent_id: AgentID;
}

/** master -> agent: shut down (the agent was marked gone, or is refused for good). */
export interface ShutdownAgentMessage {
  type: 'SHUTDOWN_AGENT';
  message?: string;
}

/** master -> agent: health check, every `agent_ping_timeout` (15 s). */
export interface PingMessage {
  type: 'PING';
  /** Whether the master considers the agent connected; if not, the agent re-registers. */
  connected: boolean;
}

/** agent -> master: answer to PING. */
export interface PongMessage {
  type: 'PONG';
}

// ---------------------------------------------------------------------------------------------
// Tasks

/** master -> agent: launch a task accepted from an offer. */
export interface RunTaskMessage {
  type: 'RUN_TASK';
  framework: FrameworkInfo;
  task: TaskInfo;
  /** Whether the master expects the agent to launch a new executor for the task. */
  launch_executor?: boolean;
}

/** master -> agent: launch a task group under one executor. */
export interface RunTaskGroupMessage {
  type: 'RUN_TASK_GROUP';
  framework: FrameworkInfo;
  executor: ExecutorInfo;
  task_group: TaskGroupInfo;
  launch_executor?: boolean;
}

/** master -> agent: kill a task (scheduler KILL, or framework removal). */
export interface KillTaskMessage {
  type: 'KILL_TASK';
  framework_id: FrameworkID;
  task_id: TaskID;
  kill_policy?: KillPolicy;
}

/**
 * master -> agent: drain (Mesos's DrainSlaveMessage; DRAIN_AGENT is the operator call's name).
 * Sent when an operator drains a connected agent and again whenever a draining agent
 * reregisters. The agent checkpoints the config, kills its tasks with their kill policies capped
 * at `max_grace_period`, drops new tasks, and marks its tasks' kill updates
 * REASON_AGENT_DRAINING until it has no framework left.
 */
export interface DrainAgentMessage {
  type: 'AGENT_DRAIN';
  config: DrainConfig;
}

/**
 * master -> agent: the agent's checkpointed resources, whole (Mesos's CheckpointResourcesMessage):
 * its dynamic reservations and persistent volumes after an operation changed them, and after it
 * reregisters holding others than the master's books. The agent checkpoints them, makes the
 * directory of each volume that appears and deletes the directory of each volume that is gone
 * (Slave::syncCheckpointedResources).
 */
export interface CheckpointResourcesMessage {
  type: 'CHECKPOINT_RESOURCES';
  resources?: Resource[];
}

/** A status update as it moves agent -> master -> scheduler. */
export interface StatusUpdate {
  framework_id: FrameworkID;
  executor_id?: ExecutorID;
  agent_id?: AgentID;
  status: TaskStatus;
  /** Seconds since the epoch when the update was created. */
  timestamp: Double;
  /** Same as `status.uuid`; absent for master-generated updates. */
  uuid?: Bytes;
  /**
   * The agent's current state of the task when it forwards the update, which may be newer than
   * `status.state`. The master uses it for its own record (and to release resources early).
   */
  latest_state?: TaskState;
}

/** agent -> master: forward the head of a task's status-update stream (retried until acked). */
export interface StatusUpdateMessage {
  type: 'STATUS_UPDATE';
  update: StatusUpdate;
}

/** master -> agent: the scheduler acknowledged the update with this uuid. */
export interface StatusUpdateAckMessage {
  type: 'STATUS_UPDATE_ACK';
  agent_id: AgentID;
  framework_id: FrameworkID;
  task_id: TaskID;
  uuid: Bytes;
}

// ---------------------------------------------------------------------------------------------
// Frameworks and executors

/** master -> agent: the framework was removed; shut down its executors and drop its updates. */
export interface ShutdownFrameworkMessage {
  type: 'SHUTDOWN_FRAMEWORK';
  framework_id: FrameworkID;
}

/** master -> agent: the scheduler asked to shut down one executor. */
export interface ShutdownExecutorMessage {
  type: 'SHUTDOWN_EXECUTOR';
  executor_id: ExecutorID;
  framework_id: FrameworkID;
}

/**
 * master -> every agent: the framework (re)subscribed or was updated. Agents update their copy
 * of the FrameworkInfo and immediately resend pending status updates of that framework.
 */
export interface UpdateFrameworkAgentMessage {
  type: 'UPDATE_FRAMEWORK_AGENT';
  framework_id: FrameworkID;
  framework_info?: FrameworkInfo;
}

/** agent -> master: an executor terminated; becomes a scheduler FAILURE event. */
export interface ExecutorExitedMessage {
  type: 'EXECUTOR_EXITED';
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  /** The executor's wait status. */
  status: Int32;
}

/** master -> agent: scheduler MESSAGE call for an executor (unreliable). */
export interface FrameworkToExecutorMessage {
  type: 'FRAMEWORK_TO_EXECUTOR';
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  data: Bytes;
}

/** agent -> master: executor MESSAGE call for the scheduler (unreliable). */
export interface ExecutorToFrameworkMessage {
  type: 'EXECUTOR_TO_FRAMEWORK';
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  data: Bytes;
}

/** Any master <-> agent message, discriminated on `type`. */
export type InternalMessage =
  | RegisterAgentMessage
  | ReregisterAgentMessage
  | AgentRegisteredMessage
  | AgentReregisteredMessage
  | UnregisterAgentMessage
  | ShutdownAgentMessage
  | PingMessage
  | PongMessage
  | RunTaskMessage
  | RunTaskGroupMessage
  | KillTaskMessage
  | DrainAgentMessage
  | CheckpointResourcesMessage
  | StatusUpdateMessage
  | StatusUpdateAckMessage
  | ShutdownFrameworkMessage
  | ShutdownExecutorMessage
  | UpdateFrameworkAgentMessage
  | ExecutorExitedMessage
  | FrameworkToExecutorMessage
  | ExecutorToFrameworkMessage;
