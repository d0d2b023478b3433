/**
 * The agent's vocabulary: its input, its context (plain JSON, as small as fidelity allows), the
 * checkpoint that survives a restart, and the events it takes (protocol messages plus the
 * agent-local events: timers, EXECUTOR_TERMINATED, LINK_BROKEN).
 */
import type { AgentInfo, DrainConfig, ExecutorID, ExecutorInfo, FrameworkID, FrameworkInfo, Resource, TaskInfo, TaskState, TaskStatusReason } from '../../protocol/common.ts';
import type { ExecutorCall } from '../../protocol/executor.ts';
import type { InternalMessage, StatusUpdate } from '../../protocol/internal.ts';

// ---------------------------------------------------------------------------------------------
// Input

/** Agent flags (milliseconds), with Mesos's defaults in `DEFAULT_AGENT_FLAGS`. */
export interface AgentFlags {
  /** `--registration_backoff_factor`: the first registration retry waits up to twice this. */
  readonly registrationBackoffMs: number;
  /** `--executor_registration_timeout`: how long a launched executor has to SUBSCRIBE. */
  readonly executorRegistrationTimeoutMs: number;
  /** `--executor_shutdown_grace_period`: SHUTDOWN to destroy, unless the ExecutorInfo says. */
  readonly executorShutdownGraceMs: number;
  /** `--executor_reregistration_timeout`: how long recovered executors have to re-subscribe. */
  readonly executorReregistrationTimeoutMs: number;
  /** Without a PING for this long the agent assumes the master is gone (15 s x 5). */
  readonly pingTimeoutMs: number;
  /** `--recovery_timeout` (15 min): a checkpointing executor waits this long for its restarted agent (MESOS_RECOVERY_TIMEOUT). */
  readonly recoveryTimeoutMs?: number;
  /** The command executor's fail-safe after an unacknowledged terminal update (60 s; ours, not a Mesos flag). */
  readonly executorTerminalAckTimeoutMs?: number;
}

export const DEFAULT_AGENT_FLAGS: AgentFlags = {
  registrationBackoffMs: 1000,
  executorRegistrationTimeoutMs: 60_000,
  executorShutdownGraceMs: 5000,
  executorReregistrationTimeoutMs: 2000,
  pingTimeoutMs: 75_000,
};

/** Status-update retry interval: 10 s, doubling, at most 10 min (src/slave/constants.hpp). */
export const STATUS_UPDATE_RETRY_MIN_MS = 10_000;
export const STATUS_UPDATE_RETRY_MAX_MS = 600_000;
/** Registration retries back off up to this (REGISTER_RETRY_INTERVAL_MAX). */
export const REGISTER_RETRY_MAX_MS = 60_000;
/** libprocess's MAX_REAP_INTERVAL, added to kill grace periods by agent and executor. */
export const MAX_REAP_INTERVAL_MS = 1000;
/** Wait status the agent reports for an executor it destroyed (SIGKILL). */
export const DESTROYED_STATUS = 9;

export interface AgentInput {
  /** This agent's address, e.g. `agent-0`. */
  readonly self: string;
  /** The master's address, `master`. */
  readonly master: string;
  /** Hostname, port, resources (v1 wire form), attributes; no id. */
  readonly info: AgentInfo;
  readonly flags?: Partial<AgentFlags>;
  /** Seed of the uuids this agent generates (default: `self`). */
  readonly seed?: string;
  /** What the previous incarnation checkpointed: present after a restart. */
  readonly recovered?: AgentCheckpoint;
}

// ---------------------------------------------------------------------------------------------
// Context

/** A task the agent knows (launched or terminated), as Mesos's `Task`, trimmed. */
export interface TaskRecord {
  readonly info: TaskInfo;
  readonly state: TaskState;
  /** Whether any accepted status of it came from the executor (Mesos's `everSentTask`). */
  readonly executor_sent: boolean;
  /** State and uuid of the latest update forwarded to the master. */
  readonly status_update_state?: TaskState;
  readonly status_update_uuid?: string;
}

/** Why the agent destroyed an executor (Mesos's `pendingTermination`). */
export interface Termination {
  readonly state: TaskState;
  readonly reason: TaskStatusReason;
  readonly message: string;
}

export type ExecutorState = 'REGISTERING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED';

export interface ExecutorRecord {
  readonly info: ExecutorInfo;
  readonly state: ExecutorState;
  /** Subscribed in this agent incarnation: events can reach it. */
  readonly connected: boolean;
  /** Tasks waiting for the executor to subscribe, in arrival order. */
  readonly queued: readonly TaskInfo[];
  readonly launched: Readonly<Record<string, TaskRecord>>;
  /** Terminal, with updates not yet all acknowledged. */
  readonly terminated: Readonly<Record<string, TaskRecord>>;
  /** Some completed task of it had an executor-sourced status. */
  readonly completed_sent: boolean;
  readonly termination: Termination | null;
  /**
   * The framework's own executor (a task's ExecutorInfo), absent for a command executor the
   * agent generated: only a custom executor's end is reported to the master (Mesos's
   * `isGeneratedForCommandTask`), since the master keeps only those.
   */
  readonly custom?: true;
  /**
   * The task groups among `queued` (task ids per group, in arrival order): a DEFAULT executor
   * gets each as one LAUNCH_GROUP (Mesos's queuedTaskGroups). Absent until a group arrives.
   */
  readonly queued_groups?: readonly (readonly string[])[];
}

export interface FrameworkRecord {
  readonly info: FrameworkInfo;
  readonly state: 'RUNNING' | 'TERMINATING';
  readonly executors: Readonly<Record<string, ExecutorRecord>>;
}

/** One (framework, task) status-update stream: FIFO, only the head in flight. */
export interface StreamRecord {
  /** Checkpointed streams (executor updates of checkpointing frameworks) survive restarts. */
  readonly checkpoint: boolean;
  readonly pending: readonly StatusUpdate[];
  /** Every uuid ever received (acknowledged ones included): duplicates are ignored. */
  readonly received: readonly string[];
}

export interface AgentContext {
  readonly self: string;
  readonly master: string;
  readonly flags: AgentFlags;
  readonly seed: string;
  /** With `id` once registered. */
  readonly info: AgentInfo;
  /** Counter of generated uuids (checkpointed, so a restart never repeats one). */
  readonly uuids: number;
  /** The master's total ping timeout (from its registration ack, else the flag). */
  readonly pingTimeoutMs: number;
  /** The task status update manager is paused (the agent is not registered). */
  readonly paused: boolean;
  readonly frameworks: Readonly<Record<string, FrameworkRecord>>;
  /** framework id -> task id -> stream. */
  readonly streams: Readonly<Record<string, Readonly<Record<string, StreamRecord>>>>;
  /** The drain the master asked for (Mesos's drainConfig), until no framework is left. */
  readonly drain?: DrainConfig;
  /** Its reservations and persistent volumes, as the master last sent them (CHECKPOINT_RESOURCES); absent when none. */
  readonly resources?: readonly Resource[];
  /** It sent its master UNREGISTER_AGENT (a graceful shutdown with an id): it exits only after that is on its way. */
  readonly unregistered?: true;
}

/** What survives an agent restart (Mesos's meta directory). */
export interface AgentCheckpoint {
  readonly info: AgentInfo;
  readonly uuids: number;
  /** Frameworks with `checkpoint: true` only. */
  readonly frameworks: Readonly<Record<string, FrameworkRecord>>;
  /** Checkpointed streams of those frameworks only. */
  readonly streams: Readonly<Record<string, Readonly<Record<string, StreamRecord>>>>;
  /** The drain in progress (Mesos's drain config file), replayed when recovery ends. */
  readonly drain?: DrainConfig;
  /** Mesos's checkpointed resources file: reservations and persistent volumes; absent when none. */
  readonly resources?: readonly Resource[];
}

// ---------------------------------------------------------------------------------------------
// Events

/** Envelope fields the transport adds. */
export interface Delivered {
  readonly from?: string;
  /** An executor call's HTTP request, answered by a `reply` effect (absent in the model). */
  readonly request?: string;
  /**
   * Who the transport authenticated the caller as: an executor token's claims (Mesos's `fid`,
   * `eid`; the runtime checks `cid` against the live container when it authenticates). Absent
   * when executors are not authenticated, as in Mesos without --authenticate_http_executors.
   */
  readonly principal?: ExecutorPrincipal;
}

/** The claims of an executor's authentication token (Mesos's executor principal). */
export interface ExecutorPrincipal {
  readonly fid?: string;
  readonly eid?: string;
}

/**
 * Agent-local (not a wire message): an executor's container is gone. Delivered by the world as
 * the `notify` of a `stop` effect, whether the executor exited or the agent destroyed it.
 */
export interface ExecutorTerminatedEvent {
  readonly type: 'EXECUTOR_TERMINATED';
  readonly framework_id: FrameworkID;
  readonly executor_id: ExecutorID;
  /** Wait status: 0 clean exit, 256 * code for exit(code), the signal number if killed. */
  readonly status: number;
}

export interface LinkBrokenEvent {
  readonly type: 'LINK_BROKEN';
  readonly peer: string;
}

/** Timer events (delayed raises; ids in `timerIds`). */
export type AgentTimerEvent =
  | { readonly type: 'REGISTRATION_RETRY'; readonly backoff: number }
  | { readonly type: 'PING_TIMEOUT' }
  | { readonly type: 'STATUS_UPDATE_RETRY'; readonly framework: string; readonly task: string; readonly interval: number }
  | { readonly type: 'EXECUTOR_REGISTRATION_TIMEOUT'; readonly framework: string; readonly executor: string }
  | { readonly type: 'EXECUTOR_SHUTDOWN_TIMEOUT'; readonly framework: string; readonly executor: string }
  | { readonly type: 'EXECUTOR_REREGISTRATION_TIMEOUT' }
  | { readonly type: 'AGENT_EXIT' };

/** The agent is asked to shut down and unregister (Mesos: SIGUSR1, Slave::signaled -> Slave::shutdown); a local event, never a message. */
export interface UnregisterRequestEvent {
  type: 'UNREGISTER_REQUEST';
}

export type AgentEvent = (InternalMessage & Delivered) | (ExecutorCall & Delivered) | ExecutorTerminatedEvent | LinkBrokenEvent | AgentTimerEvent | UnregisterRequestEvent;

/** Deterministic timer ids. */
export const timerIds = {
  registration: 'registration',
  ping: 'ping-timeout',
  reregistration: 'executor-reregistration',
  exit: 'exit',
  retry: (framework: string, task: string) => `retry:${framework}/${task}`,
  executorRegistration: (framework: string, executor: string) => `executor-registration:${framework}/${executor}`,
  executorShutdown: (framework: string, executor: string) => `executor-shutdown:${framework}/${executor}`,
};

/** The address of an executor: `${agent}/${frameworkId}/${executorId}`. */
export function executorAddress(agent: string, frameworkId: string, executorId: string): string {
  return `${agent}/${frameworkId}/${executorId}`;
}
