/**
 * The master's context: what it knows, as plain JSON (records keyed by id). The machine in
 * ../master.ts is the behaviour; this file is the data and the small pure helpers every handler
 * shares (ids, lookups, the status updates the master itself generates).
 *
 * What survives a master failover is only the registry (admitted, unreachable and gone agents),
 * as in Mesos; frameworks and tasks are rebuilt from re-subscriptions and agent reregistrations.
 */
import type {
  AgentInfo,
  DrainInfo,
  ExecutorID,
  ExecutorInfo,
  FrameworkInfo,
  MasterInfo,
  QuotaConfig,
  Task,
  TaskState,
  TaskStatus,
  TaskStatusReason,
} from '../../protocol/common.ts';
import { isTerminal } from '../../protocol/common.ts';
import type { AllocatorState } from '../../allocator/state.ts';
import type { Resources } from '../../resources/index.ts';
import type { RemovalRateLimit } from '../../protocol/removal-rate-limit.ts';

/** The removal limiter's state while a permit interval runs (master/removal-limiter.ts). */
export interface RemovalLimiter {
  /** Agents waiting for a permit, first come first served. */
  readonly waiting: readonly string[];
}

export interface MasterFlags {
  /** `--agent_ping_timeout` (15 s) and `--max_agent_ping_timeouts` (5). */
  readonly agentPingTimeoutMs: number;
  readonly maxAgentPingTimeouts: number;
  /** `--agent_reregister_timeout` (10 min). */
  readonly agentReregisterTimeoutMs: number;
  /** `--allocation_interval` (1 s). */
  readonly allocationIntervalMs: number;
  /** Scheduler HEARTBEAT interval (15 s); 0 turns heartbeats off (a model abstraction). */
  readonly heartbeatIntervalMs: number;
  /** `--max_completed_frameworks` (50). */
  readonly maxCompletedFrameworks: number;
  /** Model only: allocation counts kept relative and this far apart at most (allocator/counts.ts). */
  readonly allocationCountSpread?: number;
  /** `--offer_timeout`: how long a framework may hold an offer before it is rescinded (absent: forever). */
  readonly offerTimeoutMs?: number;
  /** `--weights` (role=weight,...): DRF weights the master starts with (UPDATE_WEIGHTS overrides them). */
  readonly weights?: Readonly<Record<string, number>>;
  /** `--authenticate_agents`: an agent message without an authenticated principal is refused. */
  readonly authenticateAgents?: boolean;
  /** `--agent_removal_rate_limit` (e.g. 1/10mins): agents marked unreachable wait for a permit (master/removal-limiter.ts; absent: no limit). */
  readonly agentRemovalRateLimit?: RemovalRateLimit;
}

export const DEFAULT_MASTER_FLAGS: MasterFlags = {
  agentPingTimeoutMs: 15_000,
  maxAgentPingTimeouts: 5,
  agentReregisterTimeoutMs: 600_000,
  allocationIntervalMs: 1_000,
  heartbeatIntervalMs: 15_000,
  maxCompletedFrameworks: 50,
};

/** The durable part of the master (Mesos's registry, src/master/registry.proto). */
export interface Registry {
  /** Admitted agents by id. */
  readonly admitted: Readonly<Record<string, AgentInfo>>;
  /** Agents marked unreachable (ids, sorted). */
  readonly unreachable: readonly string[];
  /** Agents marked gone: they may never come back (ids, sorted). */
  readonly gone: readonly string[];
  /** Agents an operator deactivated (ids, sorted; absent when none): no offers until reactivated. */
  readonly deactivated?: readonly string[];
  /** Role weights an operator set with UPDATE_WEIGHTS (absent when none); they override `--weights`. */
  readonly weights?: Readonly<Record<string, number>>;
  /**
   * Dynamic reservations per agent id, as v1 `Resource[]` JSON (absent when none). Mesos
   * checkpoints them on the agent, which reports them when it reregisters; the reference keeps
   * them here, so they outlive agent restarts and master failovers alike (reservations.ts).
   */
  readonly reserved?: Readonly<Record<string, readonly unknown[]>>;
  /**
   * The principal each agent id was admitted with (absent when agents do not authenticate): an
   * agent id belongs to whoever registered it, and no other principal may reregister as it.
   */
  readonly principals?: Readonly<Record<string, string>>;
  /** Role quotas an operator set with UPDATE_QUOTA, as QUOTA_V2 configs (absent when none; master/quota.ts). */
  readonly quotas?: Readonly<Record<string, QuotaConfig>>;
  /** Agents an operator drained (DRAIN_AGENT), with their drain info (absent when none; master/drain.ts). Draining agents are also deactivated. */
  readonly draining?: Readonly<Record<string, DrainInfo>>;
}

export interface MasterInput {
  /** The master id: a UUID in the runtime, a short name in the model. */
  readonly id: string;
  readonly info?: Partial<MasterInfo>;
  readonly flags?: Partial<MasterFlags>;
  /** A failed-over master starts from the registry its predecessor persisted. */
  readonly registry?: Registry;
}

/** A task as the master tracks it: the v1 `Task` plus its allocation role. */
export interface TaskRecord {
  readonly task: Task;
  readonly role: string;
}

export interface FrameworkRecord {
  readonly info: FrameworkInfo;
  /** The subscription connection; null while disconnected (or recovered from an agent only). */
  readonly connection: string | null;
  /** Mesos-Stream-Id of the current subscription. */
  readonly stream: string | null;
  /** Tasks on reachable agents, by task id. */
  readonly tasks: Readonly<Record<string, TaskRecord>>;
  /** Tasks on unreachable agents, by task id (they still block their task ids). */
  readonly unreachable: Readonly<Record<string, TaskRecord>>;
  /** Ids of tasks whose terminal update was acknowledged (sorted). */
  readonly completed: readonly string[];
  /** Custom executors by agent id, then executor id (master/executors.ts); absent when none. */
  readonly executors?: Readonly<Record<string, Readonly<Record<string, ExecutorBook>>>>;
}

/** A custom executor the master knows (Mesos's `Slave::executors`): its info and allocation role. */
export interface ExecutorBook {
  readonly info: ExecutorInfo;
  readonly role: string;
}

export interface AgentRecord {
  readonly info: AgentInfo;
  /** Where to send: the agent's connection; null while disconnected. */
  readonly address: string | null;
  /** Recovered from the registry after a failover, not reregistered yet. */
  readonly recovered: boolean;
  /** A PING is outstanding; consecutive pings without a PONG. */
  readonly awaitingPong: boolean;
  readonly missedPings: number;
  /** The agent's total resources (canonical form). */
  readonly total: Resources;
  /**
   * Tasks the framework asked to kill, as `<framework id>/<task id>` (sorted; absent when none):
   * the agent may have missed the KILL_TASK (disconnected, partitioned), so it is sent again
   * when the agent reregisters (Mesos's `Slave::killedTasks`). Forgotten with the task.
   */
  readonly killed?: readonly string[];
}

export interface OfferRecord {
  readonly id: string;
  readonly framework_id: string;
  readonly agent_id: string;
  readonly role: string;
  readonly resources: Resources;
}

export interface MasterContext {
  readonly id: string;
  readonly info: MasterInfo;
  readonly flags: MasterFlags;
  /** Counters for fresh ids (the world canonicalises `offer`, see spec/world). */
  readonly fresh: { readonly framework: number; readonly agent: number; readonly offer: number; readonly stream: number };
  readonly registry: Registry;
  readonly frameworks: Readonly<Record<string, FrameworkRecord>>;
  /** Removed frameworks, oldest first, bounded by maxCompletedFrameworks. */
  readonly completedFrameworks: readonly string[];
  readonly agents: Readonly<Record<string, AgentRecord>>;
  readonly offers: Readonly<Record<string, OfferRecord>>;
  readonly allocator: AllocatorState;
  /** `--agent_removal_rate_limit`'s limiter while a permit interval runs (master/removal-limiter.ts); absent otherwise. */
  readonly removals?: RemovalLimiter;
}

// ------------------------------------------------------------------------------------- ids

export const frameworkIdFor = (c: MasterContext): string => `${c.id}-${String(c.fresh.framework).padStart(4, '0')}`;
export const agentIdFor = (c: MasterContext): string => `${c.id}-S${c.fresh.agent}`;
export const offerIdFor = (c: MasterContext): string => `${c.id}-O${c.fresh.offer}`;
/** The timer of an offer's `--offer_timeout` (master/offer-timeout.ts). */
export const offerTimerId = (oid: string): string => `offer-timeout:${oid}`;

// ------------------------------------------------------------------------------------- reading

/** Record entries in key order: iteration order never depends on insertion history. */
export function sortedEntries<T>(r: Readonly<Record<string, T>>): [string, T][] {
  return Object.keys(r)
    .sort()
    .map((k) => [k, r[k]!]);
}

export function hasCapability(info: FrameworkInfo, type: string): boolean {
  return (info.capabilities ?? []).some((c) => c.type === type);
}

export const partitionAware = (info: FrameworkInfo): boolean => hasCapability(info, 'PARTITION_AWARE');

export function rolesOf(info: FrameworkInfo): string[] {
  if (hasCapability(info, 'MULTI_ROLE')) return [...(info.roles ?? [])].sort();
  return [info.role ?? '*'];
}

/** The framework whose subscription stream is `connection`. */
export function frameworkByConnection(c: MasterContext, connection: string): string | undefined {
  return sortedEntries(c.frameworks).find(([, f]) => f.connection === connection)?.[0];
}

/** The registered agent whose connection is `address`. */
export function agentByAddress(c: MasterContext, address: string): string | undefined {
  return sortedEntries(c.agents).find(([, a]) => a.address === address)?.[0];
}

/** Every task on agent `agentId`, with its framework. */
export function tasksOnAgent(c: MasterContext, agentId: string): { fid: string; tid: string; record: TaskRecord }[] {
  const out: { fid: string; tid: string; record: TaskRecord }[] = [];
  for (const [fid, f] of sortedEntries(c.frameworks)) {
    for (const [tid, record] of sortedEntries(f.tasks)) if (record.task.agent_id.value === agentId) out.push({ fid, tid, record });
  }
  return out;
}

export const isConnected = (f: FrameworkRecord): boolean => f.connection !== null;

// ------------------------------------------------------------------------------------- statuses

/** A status update the master generates: SOURCE_MASTER, a reason, never a uuid (not acked). */
export function masterStatus(task: Pick<Task, 'task_id' | 'agent_id' | 'executor_id'>, state: TaskState, reason: TaskStatusReason, message: string): TaskStatus {
  return {
    task_id: task.task_id,
    state,
    message,
    source: 'SOURCE_MASTER',
    reason,
    ...(task.agent_id.value ? { agent_id: task.agent_id } : {}),
    ...(task.executor_id ? { executor_id: task.executor_id as ExecutorID } : {}),
  };
}

/** The state a framework is told when the master cannot say more: PA frameworks get the precise one. */
export const lostOr = (info: FrameworkInfo, precise: TaskState): TaskState => (partitionAware(info) ? precise : 'TASK_LOST');

/** What reconciliation reports for a task the master tracks: the last state forwarded reliably. */
export const reportedState = (task: Task): TaskState => task.status_update_state ?? task.state;

/** Appends a status to the task's history, collapsing a repeat of the same state. */
export function withStatus(task: Task, status: TaskStatus, latest: TaskState): Task {
  const statuses = task.statuses ?? [];
  const last = statuses[statuses.length - 1];
  const { data: _data, ...kept } = status; // Mesos strips `data` from the stored copy.
  const next = last && last.state === status.state ? [...statuses.slice(0, -1), kept] : [...statuses, kept];
  return { ...task, state: latest, statuses: next };
}

export const terminal = (s: TaskState): boolean => isTerminal(s);
