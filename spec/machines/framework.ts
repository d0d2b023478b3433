/**
 * What the two framework machines have in common: the polite scheduler (scheduler.ts) and the
 * most general framework (general-framework.ts) are both v1 clients of the master, and both keep
 * the records the invariants read of a framework (its id and stream, the tasks it launched, the
 * last state seen of each, its log of reliable updates). Here: those records, the events of the
 * master both take, how an update is recorded and acknowledged, and the guards both use.
 */
import type { AnyEventObject } from 'xstate';
import type { CommandInfo, ExecutorInfo, FrameworkInfo, KillPolicy, Offer, Resource, TaskState, TaskStatus } from '../protocol/common.ts';
import type { SchedulerCall } from '../protocol/scheduler.ts';

/** A task the framework wants to run once. */
export interface WantedTask {
  readonly task_id: string;
  readonly name?: string;
  readonly resources: readonly Resource[];
  readonly command: CommandInfo;
  readonly kill_policy?: KillPolicy;
  /**
   * Launch through this custom executor instead of the command executor: the task then carries
   * the ExecutorInfo and, as `data` (base64), the command for the executor to run.
   */
  readonly executor?: ExecutorInfo;
  /**
   * Launch as one task group under this DEFAULT executor, with every other wanted task that names
   * the same executor id: all of them on one offer or none (one LAUNCH_GROUP).
   */
  readonly group?: ExecutorInfo;
}

/** A reliable update as the framework logged it (each uuid once, in the order first received). */
export interface LoggedUpdate {
  readonly state: TaskState;
  readonly uuid: string;
  /** Who made it and why: what the outcome properties (invariants/outcomes.ts) judge. */
  readonly source?: TaskStatus['source'];
  readonly reason?: TaskStatus['reason'];
}

/** What either framework starts from; after a failover, what it kept (its restart input). */
export interface FrameworkClientInput {
  /** This framework's address, and the master's. */
  readonly self: string;
  readonly master: string;
  readonly framework_info: FrameworkInfo;
  /** Set after a failover: the instance resubscribes with the id it persisted. */
  readonly framework_id?: string;
  /** The tasks it launches. */
  readonly tasks: readonly WantedTask[];
  readonly launched?: readonly string[];
  readonly seen?: Readonly<Record<string, TaskState>>;
  readonly log?: Readonly<Record<string, readonly LoggedUpdate[]>>;
}

/** The records of a running framework the invariants read. */
export interface FrameworkRecords {
  readonly framework_id?: string;
  readonly stream_id?: string;
  /** Task ids launched (in launch order). */
  readonly launched: readonly string[];
  /** The latest state seen of each task, by task id. */
  readonly seen: Readonly<Record<string, TaskState>>;
  /** The framework's log of reliable updates per task: what it has been told for sure. */
  readonly log: Readonly<Record<string, readonly LoggedUpdate[]>>;
}

/** The records a framework starts with: none, or what its input kept across a failover. */
export const initialRecords = (input: FrameworkClientInput): Pick<FrameworkRecords, 'launched' | 'seen' | 'log'> => ({
  launched: input.launched ?? [],
  seen: input.seen ?? {},
  log: input.log ?? {},
});

/** A message of the master as delivered: the transport adds the sender. */
export type Delivered<T> = T & { readonly from: string };

/** The master's events both frameworks take as they are. */
export type SubscribedEvent = Delivered<{ type: 'SUBSCRIBED'; subscribed: { framework_id: { value: string } }; stream?: string }>;
export type OffersEvent = Delivered<{ type: 'OFFERS'; offers: { offers?: Offer[] } }>;
export type UpdateEvent = Delivered<{ type: 'UPDATE'; update: { status: TaskStatus } }>;

/** Its FrameworkInfo with the id it has, if any: what a SUBSCRIBE carries. */
export function ownInfo(c: FrameworkClientInput & FrameworkRecords): FrameworkInfo {
  return c.framework_id === undefined ? c.framework_info : { ...c.framework_info, id: { value: c.framework_id } };
}

/**
 * An UPDATE recorded: the state seen of its task, and (a reliable update with a uuid not logged
 * yet) one more log entry. `why`: the entry also keeps the update's source and reason; the
 * general framework leaves them out, which the properties read of it do not need.
 */
export function recordUpdate(c: FrameworkRecords, s: TaskStatus, why: boolean): Partial<FrameworkRecords> {
  const tid = s.task_id.value;
  const entries = c.log[tid] ?? [];
  const fresh = s.uuid !== undefined && !entries.some((e) => e.uuid === s.uuid);
  const detail = why ? { ...(s.source === undefined ? {} : { source: s.source }), ...(s.reason === undefined ? {} : { reason: s.reason }) } : {};
  return { seen: { ...c.seen, [tid]: s.state }, ...(fresh ? { log: { ...c.log, [tid]: [...entries, { state: s.state, uuid: s.uuid!, ...detail }] } } : {}) };
}

/** The ACKNOWLEDGE of a reliable update's status. */
export function acknowledgement(framework_id: { value: string }, s: TaskStatus): SchedulerCall {
  return { type: 'ACKNOWLEDGE', framework_id, acknowledge: { agent_id: { value: s.agent_id?.value ?? '' }, task_id: s.task_id, uuid: s.uuid! } };
}

/** Guard: the link that broke is the one to the master. */
export const fromMaster = ({ context, event }: { context: { readonly master: string }; event: AnyEventObject }): boolean =>
  event.type === 'LINK_BROKEN' && event.peer === context.master;

/** Guard: the update must be acknowledged: it carries a uuid (agent or executor generated). */
export const reliableUpdate = ({ event }: { event: AnyEventObject }): boolean => event.type === 'UPDATE' && (event as UpdateEvent).update.status.uuid !== undefined;
