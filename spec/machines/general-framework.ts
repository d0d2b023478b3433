/**
 * The most general framework (DESIGN.md section 5): a v1 scheduler client that, within a budget
 * of calls its configuration sets, may at any moment send any call of a list, each with values
 * from a small abstract domain: one valid value and one of each invalid class Mesos refuses.
 * What the master does with it is then checked against every invariant, whatever a client does.
 *
 *   running: SUBSCRIBED, OFFERS, RESCIND, UPDATE recorded; each environment CALL the budget and
 *            the guard allow sends one call; LINK_BROKEN from the master resubscribes at once
 *
 * It keeps only what it needs to fill in values (its id and stream, outstanding offers, the
 * last update it acknowledged), so the state space stays finite. Like a correct client it
 * acknowledges every reliable update (else the eventually-properties would only say that this
 * client was rude); the extra ACKNOWLEDGE kinds are the adversarial ones. Its context keeps the
 * fields invariants read of a framework (framework_id, launched, seen, log).
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { ExecutorInfo, FrameworkInfo, OfferOperation, Resource, TaskInfo } from '../protocol/common.ts';
import { launchCall, type SchedulerCall } from '../protocol/scheduler.ts';
import { send } from './effects.ts';
import { eventOf } from './event-of.ts';
import { acknowledgement, fromMaster, initialRecords, ownInfo, recordUpdate, reliableUpdate } from './framework.ts';
import type { Delivered, FrameworkClientInput, FrameworkRecords, OffersEvent, SubscribedEvent, UpdateEvent, WantedTask } from './framework.ts';

/** The ACCEPTs Mesos refuses: on an offer no longer valid, on offers of two agents, and each task error. */
export const REFUSED_ACCEPTS = [
  'ACCEPT_STALE_OFFER',
  'ACCEPT_TWO_AGENTS',
  'ACCEPT_DUPLICATE_TASK_ID',
  'ACCEPT_BAD_TASK_ID',
  'ACCEPT_LONG_TASK_ID',
  'ACCEPT_WRONG_AGENT',
  'ACCEPT_NEGATIVE_GRACE_PERIOD',
  'ACCEPT_TINY_SCALAR',
  'ACCEPT_NO_RESOURCES',
  'ACCEPT_TOO_MUCH',
] as const;

/**
 * The LAUNCH_GROUPs Mesos refuses (task::group::validate, Master::accept: every task TASK_ERROR
 * with REASON_TASK_GROUP_INVALID), one per class, on the framework's first offer.
 */
export const REFUSED_GROUPS = [
  'ACCEPT_GROUP_WITH_ID',
  'ACCEPT_GROUP_NO_EXECUTOR',
  'ACCEPT_GROUP_EMPTY',
  'ACCEPT_GROUP_DUPLICATE_TASK_ID',
  'ACCEPT_GROUP_UNTYPED_EXECUTOR',
  'ACCEPT_GROUP_OTHER_EXECUTOR',
  'ACCEPT_GROUP_EXECUTOR_NO_RESOURCES',
  'ACCEPT_GROUP_EXECUTOR_LITTLE_MEM',
  'ACCEPT_GROUP_EXECUTOR_NO_DISK',
  'ACCEPT_GROUP_TOO_MUCH',
  'ACCEPT_GROUP_UNKNOWN_EXECUTOR_TYPE',
  'ACCEPT_GROUP_EXECUTOR_NO_MEM',
] as const;

/**
 * The RESERVE / UNRESERVE / CREATE / DESTROY operations of an ACCEPT that Mesos refuses
 * (validation::operation::validate: OPERATION_ERROR to a framework that gave the operation an id),
 * one per class, on the framework's first offer.
 */
export const REFUSED_CONVERSIONS = [
  'ACCEPT_RESERVE_INVALID_RESOURCE',
  'ACCEPT_RESERVE_UNRESERVED',
  'ACCEPT_RESERVE_OTHER_ROLE',
  'ACCEPT_UNRESERVE_UNRESERVED',
  'ACCEPT_UNRESERVE_VOLUME',
  'ACCEPT_CREATE_NOT_VOLUME',
  'ACCEPT_CREATE_READ_ONLY',
  'ACCEPT_CREATE_REPEATED_ID',
  'ACCEPT_DESTROY_MISSING',
] as const;

/** The operator's RESERVE_RESOURCES and UNRESERVE_RESOURCES Mesos answers 400 (Master::Http::reserve, unreserve). */
export const REFUSED_OPERATOR_CONVERSIONS = [
  'OPERATOR_RESERVE_UNKNOWN_AGENT',
  'OPERATOR_RESERVE_INVALID_RESOURCE',
  'OPERATOR_RESERVE_UNRESERVED',
  'OPERATOR_RESERVE_ALLOCATED',
  'OPERATOR_RESERVE_SOURCE_MISMATCH',
  'OPERATOR_UNRESERVE_UNRESERVED',
  'OPERATOR_UNRESERVE_VOLUME',
  'OPERATOR_RESERVE_INVALID_SOURCE',
  'OPERATOR_RESERVE_MIXED_SOURCE',
  'OPERATOR_RESERVE_EMPTY_WITH_SOURCE',
  'OPERATOR_RESERVE_MIXED',
  'OPERATOR_UNRESERVE_INVALID_RESOURCE',
] as const;

/**
 * More operations of an ACCEPT Mesos refuses (validation::operation::validate, Master::_accept),
 * one per class, on the framework's first offer: a LAUNCH with an operation id (TASK_ERROR), an
 * operation type the reference does not carry out and one without a type (OPERATION_ERROR), a
 * refused RESERVE without an id (dropped silently, as in Mesos), and the RESERVE, UNRESERVE,
 * CREATE and DESTROY classes REFUSED_CONVERSIONS leaves out.
 */
export const REFUSED_OPERATIONS = [
  'ACCEPT_LAUNCH_WITH_ID',
  'ACCEPT_GROW_VOLUME',
  'ACCEPT_UNTYPED_OPERATION',
  'ACCEPT_RESERVE_NO_ID',
  'ACCEPT_RESERVE_INVALID_SOURCE',
  'ACCEPT_RESERVE_FOREIGN_ALLOCATION',
  'ACCEPT_UNRESERVE_INVALID_RESOURCE',
  'ACCEPT_CREATE_INVALID_RESOURCE',
  'ACCEPT_CREATE_NOT_DISK',
  'ACCEPT_DESTROY_INVALID_RESOURCE',
  'ACCEPT_DESTROY_NOT_VOLUME',
] as const;

/** The operator's CREATE_VOLUMES and DESTROY_VOLUMES Mesos answers 400 or 404 (Master::Http::createVolumes, destroyVolumes). */
export const REFUSED_OPERATOR_VOLUMES = [
  'OPERATOR_CREATE_VOLUMES_UNKNOWN_AGENT',
  'OPERATOR_CREATE_VOLUMES_INVALID_RESOURCE',
  'OPERATOR_CREATE_VOLUMES_ALLOCATED',
  'OPERATOR_DESTROY_VOLUMES_UNKNOWN_AGENT',
  'OPERATOR_DESTROY_VOLUMES_INVALID_RESOURCE',
] as const;

/** The operator's UPDATE_QUOTA configs Mesos answers 400 (QuotaHandler::update, quota::validate), for the framework's role. */
export const REFUSED_QUOTAS = [
  'OPERATOR_QUOTA_NESTED_ROLE',
  'OPERATOR_QUOTA_BAD_ROLE',
  'OPERATOR_QUOTA_HUGE',
  'OPERATOR_QUOTA_NEGATIVE',
  'OPERATOR_QUOTA_GUARANTEE_ABOVE_LIMIT',
  'OPERATOR_QUOTA_NO_ROLE',
  'OPERATOR_QUOTA_HUGE_MEM',
  'OPERATOR_QUOTA_SUBNORMAL',
] as const;

/**
 * The operator's UPDATE_QUOTA for the framework's role beyond one limit: guarantees above the
 * cluster's capacity, refused (400) and forced; a limit below what the role's tasks consume
 * (400 while a task runs); a guarantee alone; and an empty config, which removes the quota
 * (Master::QuotaHandler::update, _update).
 */
export const QUOTA_UPDATES = [
  'OPERATOR_QUOTA_ABOVE_CAPACITY',
  'OPERATOR_QUOTA_FORCED_ABOVE_CAPACITY',
  'OPERATOR_QUOTA_BELOW_USE',
  'OPERATOR_QUOTA_GUARANTEE_ONLY',
  'OPERATOR_QUOTA_CLEAR',
] as const;

/** The operator's UPDATE_WEIGHTS Mesos answers 400 (Master::WeightsHandler: an invalid role, a weight not above 0). */
export const REFUSED_WEIGHTS = ['OPERATOR_WEIGHTS_BAD_ROLE', 'OPERATOR_WEIGHTS_ZERO', 'OPERATOR_WEIGHTS_NO_ROLE'] as const;

/**
 * The LAUNCHes of a task with a custom executor Mesos refuses (task::internal::validateExecutor,
 * executor::internal::validate: TASK_ERROR, REASON_TASK_INVALID), one per class, and the task
 * that names both a command and an executor.
 */
export const REFUSED_EXECUTORS = [
  'ACCEPT_COMMAND_AND_EXECUTOR',
  'ACCEPT_EXECUTOR_BAD_ID',
  'ACCEPT_EXECUTOR_OTHER_FRAMEWORK',
  'ACCEPT_EXECUTOR_NEGATIVE_GRACE',
  'ACCEPT_EXECUTOR_INVALID_RESOURCES',
  'ACCEPT_EXECUTOR_NOT_CUSTOM',
  'ACCEPT_EXECUTOR_NO_COMMAND',
] as const;

/** The FrameworkInfos Mesos refuses on SUBSCRIBE (validateRoles: ERROR) and on UPDATE_FRAMEWORK (validateUpdate: 400), one per class. */
export const REFUSED_FRAMEWORK_INFOS = [
  'SUBSCRIBE_ROLE_WITH_MULTI_ROLE',
  'SUBSCRIBE_ROLES_WITHOUT_MULTI_ROLE',
  'SUBSCRIBE_INVALID_ROLES',
  'SUBSCRIBE_INVALID_ID',
  'UPDATE_FRAMEWORK_OTHER_ID',
  'UPDATE_FRAMEWORK_BAD_ROLE',
  'UPDATE_FRAMEWORK_USER',
  'UPDATE_FRAMEWORK_CHECKPOINT',
  'UPDATE_FRAMEWORK_STRAY_SUPPRESSED_ROLE',
] as const;

/**
 * The uses of offers Mesos refuses before looking at a task (validation::offer::validate: every
 * task DROPPED or LOST, REASON_INVALID_OFFERS) and a task with an invalid resource, the DECLINE
 * of an offer it does not hold (ignored), and the SUPPRESS of a role it does not have (dropped).
 */
export const REFUSED_OFFER_USES = ['ACCEPT_NO_OFFERS', 'ACCEPT_REPEATED_OFFER', 'ACCEPT_TASK_INVALID_RESOURCE', 'DECLINE_STALE_OFFER', 'SUPPRESS_STRAY_ROLE'] as const;

/** Every call this framework may make; a configuration lists the ones it allows. */
export const GENERAL_CALLS = [
  // SUBSCRIBE: valid (a resubscription on the same connection), and each invalid FrameworkInfo.
  'SUBSCRIBE',
  'SUBSCRIBE_EMPTY_ID',
  'SUBSCRIBE_BAD_ROLE',
  'SUBSCRIBE_DUPLICATE_ROLES',
  'SUBSCRIBE_BAD_FAILOVER_TIMEOUT',
  'SUBSCRIBE_OTHER_PRINCIPAL',
  'SUBSCRIBE_STRAY_SUPPRESSED_ROLE',
  // ACCEPT: valid, valid with the task's optional descriptive fields (labels, discovery), and each one Mesos refuses.
  'ACCEPT',
  'ACCEPT_DESCRIBED',
  ...REFUSED_ACCEPTS,
  'DECLINE',
  'DECLINE_NO_FILTER',
  'REVIVE',
  'REVIVE_ROLE',
  'REVIVE_STRAY_ROLE',
  'SUPPRESS',
  'SUPPRESS_ROLE',
  'KILL',
  'KILL_UNKNOWN_TASK',
  'KILL_UNKNOWN_AGENT',
  'RECONCILE',
  'RECONCILE_KNOWN',
  // The task of the last update it acknowledged, on that update's agent (Mesos answers by what
  // it knows of the agent when it no longer knows the task: unreachable, gone, unknown).
  'RECONCILE_ON_KNOWN_AGENT',
  'RECONCILE_UNKNOWN',
  'ACKNOWLEDGE_DUPLICATE',
  'ACKNOWLEDGE_UNKNOWN_UUID',
  'TEARDOWN',
  'UPDATE_FRAMEWORK',
  'UPDATE_FRAMEWORK_PRINCIPAL',
  'MESSAGE',
  'SHUTDOWN',
  // Calls the master answers and ignores (no inverse offers, requests or operations here).
  'ACCEPT_INVERSE_OFFERS',
  'DECLINE_INVERSE_OFFERS',
  'REQUEST',
  'ACKNOWLEDGE_OPERATION_STATUS',
  'RECONCILE_OPERATIONS',
  // An operator tears the framework down through the operator API (POST /api/v1 TEARDOWN).
  'OPERATOR_TEARDOWN',
  // An operator acts on the agent of the framework's first offer (or on an unknown agent):
  // marks it gone, deactivates and reactivates it, reserves and unreserves a cpu for the
  // framework's role, and sets that role's weight (master/operator.ts, master/reservations.ts).
  'OPERATOR_MARK_AGENT_GONE',
  'OPERATOR_MARK_UNKNOWN_AGENT_GONE',
  'OPERATOR_DEACTIVATE_AGENT',
  'OPERATOR_REACTIVATE_AGENT',
  'OPERATOR_RESERVE',
  'OPERATOR_UNRESERVE',
  'OPERATOR_UPDATE_WEIGHTS',
  // The same for a role no framework has: Mesos rescinds no offer for it (Master::_updateWeights).
  'OPERATOR_UPDATE_WEIGHTS_IDLE_ROLE',
  // An operator limits the framework's role to one cpu (a quota limit, master/quota.ts).
  'OPERATOR_UPDATE_QUOTA',
  // An operator drains the agent of the framework's first offer and has it marked gone once drained (master/drain.ts).
  'OPERATOR_DRAIN_AGENT',
  // The same drain without mark_gone: the agent stays, DRAINED, until reactivated.
  'OPERATOR_DRAIN_AGENT_KEEP',
  // An operator guarantees the framework's role the one cpu it limits it to: the master rescinds
  // offers other roles hold to meet the guarantee (master/quota.ts).
  'OPERATOR_GUARANTEE_QUOTA',
  // On its first offer: RESERVE disk for its role and CREATE a persistent volume on it; LAUNCH
  // the next task with the volume; DESTROY the volume and UNRESERVE the disk (master/operations.ts).
  'ACCEPT_RESERVE_CREATE',
  'ACCEPT_ON_VOLUME',
  'ACCEPT_DESTROY_UNRESERVE',
  // An operator destroys that volume and creates it again (DESTROY_VOLUMES, CREATE_VOLUMES on the
  // operator API; master/operations.ts), on the agent of the framework's first offer.
  'OPERATOR_DESTROY_VOLUMES',
  'OPERATOR_CREATE_VOLUMES',
  // The same drain without a maximum grace period: each task is killed with its own kill policy.
  'OPERATOR_DRAIN_AGENT_UNCAPPED',
  // An operator marks gone, or drains with mark_gone, the agent of the last update the framework
  // acknowledged: it knows that agent from before a master failover, before the agent reregisters.
  'OPERATOR_MARK_KNOWN_AGENT_GONE',
  'OPERATOR_DRAIN_KNOWN_AGENT',
  // A valid resubscription without failover_timeout (Mesos's default, 0: no failover time).
  'SUBSCRIBE_WITHOUT_FAILOVER_TIMEOUT',
  // Valid reservations of the first offer's agent from an explicit source: RESERVE in an ACCEPT
  // (of disk) and the operator's RESERVE_RESOURCES (of a cpu), each naming the unreserved
  // resources it converts.
  'ACCEPT_RESERVE_FROM_SOURCE',
  'OPERATOR_RESERVE_FROM_SOURCE',
  ...REFUSED_GROUPS,
  ...REFUSED_EXECUTORS,
  ...REFUSED_FRAMEWORK_INFOS,
  ...REFUSED_OFFER_USES,
  // KILL with a kill policy of its own, which overrides the task's.
  'KILL_WITH_POLICY',
  ...REFUSED_CONVERSIONS,
  ...REFUSED_OPERATOR_CONVERSIONS,
  ...REFUSED_QUOTAS,
  ...REFUSED_WEIGHTS,
  ...REFUSED_OPERATIONS,
  ...REFUSED_OPERATOR_VOLUMES,
  ...QUOTA_UPDATES,
] as const;
export type GeneralCall = (typeof GENERAL_CALLS)[number];

/**
 * How a call may lie about who sends it, to exercise the gate every call but SUBSCRIBE passes:
 * on another stream, without a stream, as a framework the master does not know.
 */
export const GATE_LIES = ['stale-stream', 'no-stream', 'unknown-framework'] as const;
export type GateLie = (typeof GATE_LIES)[number];

/** Its `tasks` are the ones a valid ACCEPT launches (the first not launched yet). */
export interface GeneralFrameworkInput extends FrameworkClientInput {
  /** The calls the environment may make, and how many in all. */
  readonly calls: readonly GeneralCall[];
  readonly budget: number;
  /** The lies each call may also be sent with (none: every call is honest). */
  readonly gates?: readonly GateLie[];
}

/** An outstanding offer, as much of it as a call needs. */
interface HeldOffer {
  readonly id: string;
  readonly agent: string;
  /** The subscription it came on: a re-subscription voids earlier offers without a RESCIND (Master::failoverFramework). */
  readonly stream?: string;
}

export interface GeneralFrameworkContext extends Omit<GeneralFrameworkInput, keyof FrameworkRecords>, FrameworkRecords {
  /** Outstanding offers, by offer id. */
  readonly offers: readonly HeldOffer[];
  /** ERROR events received (bounded by the budget: each answers one SUBSCRIBE). */
  readonly refusals: number;
  /** The last acknowledgement sent, for a duplicate. */
  readonly acked: { readonly agent: string; readonly task: string; readonly uuid: string } | null;
}

export type GeneralFrameworkEvent =
  | SubscribedEvent
  | OffersEvent
  | Delivered<{ type: 'RESCIND'; rescind: { offer_id: { value: string } } }>
  | UpdateEvent
  | Delivered<{ type: 'ERROR' | 'FAILURE' | 'MESSAGE' | 'HEARTBEAT' }>
  | { type: 'LINK_BROKEN'; peer: string }
  /** Environment: send one call of this kind, honest or with a lie. */
  | { type: 'CALL'; call: GeneralCall; gate?: GateLie };

/**
 * Values of the abstract domains that are never valid (conformance/project.ts sends them as they
 * are: no event ever shows them).
 */
export const NOWHERE = { offer: 'stale-offer', task: 'no-such-task', agent: 'no-such-agent', framework: 'no-such-framework', uuid: 'AAAAAAAAQACAAAAAAAAAAA==' } as const;

const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const fid = (c: GeneralFrameworkContext) => ({ value: c.framework_id ?? NOWHERE.framework });
/** The stream id the `stale-stream` lie presents: never any framework's. */
export const STALE_STREAM_ID = 'stale-stream';
const ownRole = (c: GeneralFrameworkContext) => c.framework_info.roles?.[0] ?? c.framework_info.role ?? '*';
const nextTask = (c: GeneralFrameworkContext) => c.tasks.find((t) => !c.launched.includes(t.task_id)) ?? c.tasks[0]!;

/** The wanted task as a TaskInfo on `agent`, with its kill policy (a drain caps it, agent/drain.ts). */
function taskInfo(t: WantedTask, agent: string, extra: Partial<TaskInfo> = {}): TaskInfo {
  return {
    name: t.name ?? t.task_id,
    task_id: { value: t.task_id },
    agent_id: { value: agent },
    resources: [...t.resources],
    command: t.command,
    ...(t.kill_policy !== undefined ? { kill_policy: t.kill_policy } : {}),
    ...extra,
  };
}

function subscribeInfo(c: GeneralFrameworkContext, info: Partial<FrameworkInfo> = {}): SchedulerCall {
  const framework_info: FrameworkInfo = { ...ownInfo(c), ...info };
  const given = framework_info.id;
  return { type: 'SUBSCRIBE', ...(given ? { framework_id: given } : {}), subscribe: { framework_info } };
}

function launchOn(c: GeneralFrameworkContext, offers: readonly HeldOffer[], ...tasks: TaskInfo[]): SchedulerCall {
  return launchCall(
    fid(c),
    offers.map((o) => ({ value: o.id })),
    tasks,
    { refuse_seconds: 5 },
  );
}

/** The refused launches: like a valid ACCEPT, each names the next task not launched yet (a running one's id would be refused as a duplicate). */
const REFUSED_LAUNCHES: ReadonlySet<GeneralCall> = new Set<GeneralCall>([
  ...REFUSED_GROUPS,
  ...REFUSED_EXECUTORS,
  'ACCEPT_REPEATED_OFFER',
  'ACCEPT_TASK_INVALID_RESOURCE',
  'ACCEPT_LAUNCH_WITH_ID',
]);

/** The other new calls that name the framework's first offer or its agent (the unknown agent needs none). */
const ON_AN_OFFER: ReadonlySet<GeneralCall> = new Set<GeneralCall>([
  ...REFUSED_CONVERSIONS,
  ...REFUSED_OPERATIONS.filter((k) => k !== 'ACCEPT_LAUNCH_WITH_ID'),
  ...REFUSED_OPERATOR_CONVERSIONS.filter((k) => k !== 'OPERATOR_RESERVE_UNKNOWN_AGENT'),
  'ACCEPT_RESERVE_FROM_SOURCE',
  'OPERATOR_RESERVE_FROM_SOURCE',
  'OPERATOR_CREATE_VOLUMES_INVALID_RESOURCE',
  'OPERATOR_CREATE_VOLUMES_ALLOCATED',
  'OPERATOR_DESTROY_VOLUMES_INVALID_RESOURCE',
  'OPERATOR_DRAIN_AGENT_UNCAPPED',
]);

/** Whether the call can be filled in from what the framework holds now. */
function possible(c: GeneralFrameworkContext, kind: GeneralCall): boolean {
  const offer = c.offers.length > 0;
  const unlaunched = c.tasks.some((t) => !c.launched.includes(t.task_id));
  if (REFUSED_LAUNCHES.has(kind)) return offer && unlaunched;
  if (ON_AN_OFFER.has(kind)) return offer;
  switch (kind) {
    case 'ACCEPT':
    case 'ACCEPT_DESCRIBED':
    case 'ACCEPT_DUPLICATE_TASK_ID':
    case 'ACCEPT_BAD_TASK_ID':
    case 'ACCEPT_LONG_TASK_ID':
    case 'ACCEPT_WRONG_AGENT':
    case 'ACCEPT_NEGATIVE_GRACE_PERIOD':
    case 'ACCEPT_TINY_SCALAR':
    case 'ACCEPT_NO_RESOURCES':
    case 'ACCEPT_TOO_MUCH':
    case 'DECLINE':
    case 'DECLINE_NO_FILTER':
    case 'ACCEPT_RESERVE_CREATE':
    case 'ACCEPT_ON_VOLUME':
    case 'ACCEPT_DESTROY_UNRESERVE':
      return (
        offer &&
        ((kind !== 'ACCEPT' && kind !== 'ACCEPT_DESCRIBED' && kind !== 'ACCEPT_DUPLICATE_TASK_ID' && kind !== 'ACCEPT_ON_VOLUME') ||
          c.tasks.some((t) => !c.launched.includes(t.task_id)))
      );
    case 'ACCEPT_TWO_AGENTS':
      return new Set(c.offers.map((o) => o.agent)).size > 1;
    case 'KILL':
    case 'KILL_WITH_POLICY':
    case 'RECONCILE_KNOWN':
      return c.launched.length > 0;
    case 'ACKNOWLEDGE_DUPLICATE':
    case 'RECONCILE_ON_KNOWN_AGENT':
    case 'OPERATOR_MARK_KNOWN_AGENT_GONE':
    case 'OPERATOR_DRAIN_KNOWN_AGENT':
      return c.acked !== null;
    case 'OPERATOR_MARK_AGENT_GONE':
    case 'OPERATOR_DEACTIVATE_AGENT':
    case 'OPERATOR_REACTIVATE_AGENT':
    case 'OPERATOR_RESERVE':
    case 'OPERATOR_UNRESERVE':
    case 'OPERATOR_DRAIN_AGENT':
    case 'OPERATOR_DRAIN_AGENT_KEEP':
    case 'OPERATOR_DESTROY_VOLUMES':
    case 'OPERATOR_CREATE_VOLUMES':
      return offer;
    default:
      return true;
  }
}

/** The call of a kind, and the offers it uses up (exported for the tests of each refused class). */
export function buildCall(c: GeneralFrameworkContext, kind: GeneralCall): { call: SchedulerCall; used: readonly string[]; launched?: string } {
  const [first] = c.offers;
  const t = nextTask(c);
  const on = first?.agent ?? NOWHERE.agent;
  const call = (body: SchedulerCall) => ({ call: body, used: [] as string[] });
  const launch = (task: TaskInfo, launched?: string) => ({ call: launchOn(c, [first!], task), used: [first!.id], ...(launched ? { launched } : {}) });
  const operate = (operations: OfferOperation[]) => ({
    call: { type: 'ACCEPT', framework_id: fid(c), accept: { offer_ids: [{ value: first!.id }], operations, filters: { refuse_seconds: 5 } } } as SchedulerCall,
    used: [first!.id],
  });
  const cpus = (value: number) => [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value } }];
  const multiRole = { capabilities: [...(c.framework_info.capabilities ?? []).filter((x) => x.type !== 'MULTI_ROLE'), { type: 'MULTI_ROLE' as const }] };
  switch (kind) {
    case 'SUBSCRIBE':
      return call(subscribeInfo(c));
    case 'SUBSCRIBE_EMPTY_ID':
      return call({ type: 'SUBSCRIBE', framework_id: { value: '' }, subscribe: { framework_info: { ...c.framework_info, id: { value: '' } } } });
    case 'SUBSCRIBE_BAD_ROLE':
      return call(subscribeInfo(c, { role: '/bad' }));
    case 'SUBSCRIBE_DUPLICATE_ROLES': {
      const { role: _r, ...info } = c.framework_info;
      return call(subscribeInfo({ ...c, framework_info: info }, { ...multiRole, roles: ['a', 'a'] }));
    }
    case 'SUBSCRIBE_BAD_FAILOVER_TIMEOUT':
      return call(subscribeInfo(c, { failover_timeout: 1e20 }));
    case 'SUBSCRIBE_OTHER_PRINCIPAL':
      return call(subscribeInfo(c, { principal: 'intruder' }));
    case 'SUBSCRIBE_STRAY_SUPPRESSED_ROLE': {
      const s = subscribeInfo(c) as Extract<SchedulerCall, { type: 'SUBSCRIBE' }>;
      return call({ ...s, subscribe: { ...s.subscribe, suppressed_roles: ['not-mine'] } });
    }
    case 'ACCEPT':
      return launch(taskInfo(t, on), t.task_id);
    // Fields Mesos passes through untouched: the agent copies them into the command executor's
    // ExecutorInfo and into its report of the task (agent/reports.ts).
    case 'ACCEPT_DESCRIBED':
      return launch(
        taskInfo(t, on, {
          labels: { labels: [{ key: 'team', value: 'web' }] },
          discovery: { visibility: 'FRAMEWORK', name: t.task_id },
          // What the command executor is given of its task's command (getCommandExecutorInfo).
          command: { ...t.command, uris: [{ value: 'https://example.org/app.tgz', extract: true }], environment: { variables: [{ name: 'TEAM', value: 'web' }] } },
        }),
        t.task_id,
      );
    case 'ACCEPT_STALE_OFFER':
      return call(launchOn(c, [{ id: NOWHERE.offer, agent: on }], taskInfo(t, on)));
    case 'ACCEPT_TWO_AGENTS': {
      const second = c.offers.find((o) => o.agent !== on)!;
      return { call: launchOn(c, [first!, second], taskInfo(t, on)), used: [first!.id, second.id] };
    }
    // The same id twice in one LAUNCH: the second is refused. (Mesos lets a framework reuse the
    // id of a task that ended, so a later launch with a used id may legitimately run.)
    case 'ACCEPT_DUPLICATE_TASK_ID':
      return { call: launchOn(c, [first!], taskInfo(t, on), taskInfo(t, on)), used: [first!.id], launched: t.task_id };
    case 'ACCEPT_BAD_TASK_ID':
      return launch(taskInfo({ ...t, task_id: 'a/b' }, on));
    // One character over Mesos's limit of 255 (validateTaskID).
    case 'ACCEPT_LONG_TASK_ID':
      return launch(taskInfo({ ...t, task_id: 'x'.repeat(256) }, on));
    case 'ACCEPT_WRONG_AGENT':
      return launch(taskInfo(t, NOWHERE.agent));
    case 'ACCEPT_NEGATIVE_GRACE_PERIOD':
      return launch(taskInfo(t, on, { kill_policy: { grace_period: { nanoseconds: -1 } } }));
    case 'ACCEPT_TINY_SCALAR':
      return launch(taskInfo({ ...t, resources: cpus(0.0001) }, on));
    case 'ACCEPT_NO_RESOURCES':
      return launch(taskInfo({ ...t, resources: [] }, on));
    case 'ACCEPT_TOO_MUCH':
      return launch(taskInfo({ ...t, resources: cpus(1e6) }, on));
    case 'DECLINE':
      return { call: { type: 'DECLINE', framework_id: fid(c), decline: { offer_ids: [{ value: first!.id }], filters: { refuse_seconds: 5 } } }, used: [first!.id] };
    case 'DECLINE_NO_FILTER':
      return { call: { type: 'DECLINE', framework_id: fid(c), decline: { offer_ids: [{ value: first!.id }] } }, used: [first!.id] };
    case 'REVIVE':
      return call({ type: 'REVIVE', framework_id: fid(c) });
    case 'REVIVE_ROLE':
      return call({ type: 'REVIVE', framework_id: fid(c), revive: { roles: [ownRole(c)] } });
    case 'REVIVE_STRAY_ROLE':
      return call({ type: 'REVIVE', framework_id: fid(c), revive: { roles: ['not-mine'] } });
    case 'SUPPRESS':
      return call({ type: 'SUPPRESS', framework_id: fid(c) });
    case 'SUPPRESS_ROLE':
      return call({ type: 'SUPPRESS', framework_id: fid(c), suppress: { roles: [ownRole(c)] } });
    case 'KILL':
      return call({ type: 'KILL', framework_id: fid(c), kill: { task_id: { value: c.launched[0]! } } });
    case 'KILL_WITH_POLICY':
      return call({ type: 'KILL', framework_id: fid(c), kill: { task_id: { value: c.launched[0]! }, kill_policy: { grace_period: { nanoseconds: 1e9 } } } });
    // Of a task it never launches: with no offer used up, this call and a valid launch of the
    // next task may reach the master in either order, and the refusal would then name a running task.
    case 'ACCEPT_NO_OFFERS':
      return call(launchOn(c, [], taskInfo({ ...t, task_id: NOWHERE.task }, on)));
    case 'ACCEPT_REPEATED_OFFER':
      return { call: launchOn(c, [first!, first!], taskInfo(t, on)), used: [first!.id] };
    case 'ACCEPT_TASK_INVALID_RESOURCE':
      return launch(taskInfo({ ...t, resources: cpus(-1) }, on));
    case 'DECLINE_STALE_OFFER':
      return call({ type: 'DECLINE', framework_id: fid(c), decline: { offer_ids: [{ value: NOWHERE.offer }], filters: { refuse_seconds: 5 } } });
    case 'SUPPRESS_STRAY_ROLE':
      return call({ type: 'SUPPRESS', framework_id: fid(c), suppress: { roles: ['not-mine'] } });
    case 'KILL_UNKNOWN_TASK':
      return call({ type: 'KILL', framework_id: fid(c), kill: { task_id: { value: NOWHERE.task } } });
    case 'KILL_UNKNOWN_AGENT':
      return call({ type: 'KILL', framework_id: fid(c), kill: { task_id: { value: NOWHERE.task }, agent_id: { value: NOWHERE.agent } } });
    case 'RECONCILE':
      return call({ type: 'RECONCILE', framework_id: fid(c), reconcile: { tasks: [] } });
    case 'RECONCILE_KNOWN':
      return call({ type: 'RECONCILE', framework_id: fid(c), reconcile: { tasks: [{ task_id: { value: c.launched[0]! } }] } });
    case 'RECONCILE_ON_KNOWN_AGENT':
      return call({ type: 'RECONCILE', framework_id: fid(c), reconcile: { tasks: [{ task_id: { value: c.acked!.task }, agent_id: { value: c.acked!.agent } }] } });
    case 'RECONCILE_UNKNOWN':
      return call({ type: 'RECONCILE', framework_id: fid(c), reconcile: { tasks: [{ task_id: { value: NOWHERE.task }, agent_id: { value: NOWHERE.agent } }] } });
    case 'ACKNOWLEDGE_DUPLICATE': {
      const a = c.acked!;
      return call({ type: 'ACKNOWLEDGE', framework_id: fid(c), acknowledge: { agent_id: { value: a.agent }, task_id: { value: a.task }, uuid: a.uuid } });
    }
    case 'ACKNOWLEDGE_UNKNOWN_UUID':
      return call({ type: 'ACKNOWLEDGE', framework_id: fid(c), acknowledge: { agent_id: { value: on }, task_id: { value: c.launched[0] ?? NOWHERE.task }, uuid: NOWHERE.uuid } });
    case 'TEARDOWN':
      return call({ type: 'TEARDOWN', framework_id: fid(c) });
    case 'UPDATE_FRAMEWORK':
      return call({ type: 'UPDATE_FRAMEWORK', framework_id: fid(c), update_framework: { framework_info: { ...c.framework_info, id: fid(c), name: 'renamed' } } });
    case 'UPDATE_FRAMEWORK_PRINCIPAL':
      return call({ type: 'UPDATE_FRAMEWORK', framework_id: fid(c), update_framework: { framework_info: { ...c.framework_info, id: fid(c), principal: 'intruder' } } });
    case 'MESSAGE':
      return call({ type: 'MESSAGE', framework_id: fid(c), message: { agent_id: { value: on }, executor_id: { value: c.launched[0] ?? NOWHERE.task }, data: '' } });
    case 'SHUTDOWN':
      return call({ type: 'SHUTDOWN', framework_id: fid(c), shutdown: { agent_id: { value: on }, executor_id: { value: c.launched[0] ?? NOWHERE.task } } });
    case 'ACCEPT_INVERSE_OFFERS':
      return call({ type: 'ACCEPT_INVERSE_OFFERS', framework_id: fid(c), accept_inverse_offers: { inverse_offer_ids: [{ value: NOWHERE.offer }] } });
    case 'DECLINE_INVERSE_OFFERS':
      return call({ type: 'DECLINE_INVERSE_OFFERS', framework_id: fid(c), decline_inverse_offers: { inverse_offer_ids: [{ value: NOWHERE.offer }] } });
    case 'REQUEST':
      return call({ type: 'REQUEST', framework_id: fid(c), request: { requests: [] } });
    case 'ACKNOWLEDGE_OPERATION_STATUS':
      return call({
        type: 'ACKNOWLEDGE_OPERATION_STATUS',
        framework_id: fid(c),
        acknowledge_operation_status: { agent_id: { value: on }, uuid: NOWHERE.uuid, operation_id: { value: 'op' } },
      });
    case 'RECONCILE_OPERATIONS':
      return call({ type: 'RECONCILE_OPERATIONS', framework_id: fid(c), reconcile_operations: { operations: [] } });
    case 'OPERATOR_TEARDOWN':
      return call({ type: 'OPERATOR_TEARDOWN', framework_id: fid(c).value } as never);
    case 'OPERATOR_MARK_AGENT_GONE':
      return call({ type: 'OPERATOR_MARK_AGENT_GONE', agent_id: on } as never);
    case 'OPERATOR_MARK_UNKNOWN_AGENT_GONE':
      return call({ type: 'OPERATOR_MARK_AGENT_GONE', agent_id: NOWHERE.agent } as never);
    case 'OPERATOR_DEACTIVATE_AGENT':
      return call({ type: 'OPERATOR_DEACTIVATE_AGENT', agent_id: on } as never);
    case 'OPERATOR_REACTIVATE_AGENT':
      return call({ type: 'OPERATOR_REACTIVATE_AGENT', agent_id: on } as never);
    case 'OPERATOR_RESERVE':
      return call({ type: 'OPERATOR_RESERVE', agent_id: on, resources: reservedCpu(c) } as never);
    case 'OPERATOR_UNRESERVE':
      return call({ type: 'OPERATOR_UNRESERVE', agent_id: on, resources: reservedCpu(c) } as never);
    case 'OPERATOR_UPDATE_WEIGHTS':
      return call({ type: 'OPERATOR_UPDATE_WEIGHTS', weight_infos: [{ role: ownRole(c), weight: 2 }] } as never);
    case 'OPERATOR_UPDATE_WEIGHTS_IDLE_ROLE':
      return call({ type: 'OPERATOR_UPDATE_WEIGHTS', weight_infos: [{ role: 'idle', weight: 2 }] } as never);
    case 'OPERATOR_DRAIN_AGENT':
      return call({ type: 'OPERATOR_DRAIN_AGENT', agent_id: on, max_grace_period_ns: 1e9, mark_gone: true } as never);
    case 'OPERATOR_DRAIN_AGENT_KEEP':
      return call({ type: 'OPERATOR_DRAIN_AGENT', agent_id: on, max_grace_period_ns: 1e9 } as never);
    case 'OPERATOR_UPDATE_QUOTA':
      return call({ type: 'OPERATOR_UPDATE_QUOTA', quota_configs: [{ role: ownRole(c), limits: { cpus: { value: 1 } } }] } as never);
    case 'OPERATOR_GUARANTEE_QUOTA':
      return call({ type: 'OPERATOR_UPDATE_QUOTA', quota_configs: [{ role: ownRole(c), guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 1 } } }] } as never);
    case 'ACCEPT_RESERVE_CREATE':
      return operate([
        { type: 'RESERVE', id: { value: 'reserve' }, reserve: { resources: reservedDisk(c, false) } },
        { type: 'CREATE', id: { value: 'create' }, create: { volumes: reservedDisk(c, true) } },
      ]);
    case 'OPERATOR_DESTROY_VOLUMES':
      return call({ type: 'OPERATOR_DESTROY_VOLUMES', agent_id: on, volumes: reservedDisk(c, true) } as never);
    case 'OPERATOR_CREATE_VOLUMES':
      return call({ type: 'OPERATOR_CREATE_VOLUMES', agent_id: on, volumes: reservedDisk(c, true) } as never);
    case 'ACCEPT_ON_VOLUME':
      return launch(taskInfo({ ...t, resources: [...t.resources, ...reservedDisk(c, true)] }, on), t.task_id);
    case 'ACCEPT_DESTROY_UNRESERVE':
      return operate([
        { type: 'DESTROY', id: { value: 'destroy' }, destroy: { volumes: reservedDisk(c, true) } },
        { type: 'UNRESERVE', id: { value: 'unreserve' }, unreserve: { resources: reservedDisk(c, false) } },
      ]);
    case 'OPERATOR_DRAIN_AGENT_UNCAPPED':
      return call({ type: 'OPERATOR_DRAIN_AGENT', agent_id: on } as never);
    case 'OPERATOR_MARK_KNOWN_AGENT_GONE':
      return call({ type: 'OPERATOR_MARK_AGENT_GONE', agent_id: c.acked!.agent } as never);
    case 'OPERATOR_DRAIN_KNOWN_AGENT':
      return call({ type: 'OPERATOR_DRAIN_AGENT', agent_id: c.acked!.agent, max_grace_period_ns: 1e9, mark_gone: true } as never);
    case 'ACCEPT_RESERVE_FROM_SOURCE':
      return operate([{ type: 'RESERVE', id: { value: 'reserve' }, reserve: { source: [scalar('disk', 32)], resources: reservedDisk(c, false) } }]);
    case 'OPERATOR_RESERVE_FROM_SOURCE':
      return call({ type: 'OPERATOR_RESERVE', agent_id: on, resources: reservedCpu(c), source: [scalar('cpus', 1)] } as never);
    case 'SUBSCRIBE_WITHOUT_FAILOVER_TIMEOUT': {
      const { failover_timeout: _f, ...info } = c.framework_info;
      return call(subscribeInfo({ ...c, framework_info: info }));
    }
  }
  if ((REFUSED_EXECUTORS as readonly GeneralCall[]).includes(kind)) return launch(refusedExecutorTask(c, kind as (typeof REFUSED_EXECUTORS)[number], taskInfo(t, on)));
  if ((REFUSED_FRAMEWORK_INFOS as readonly GeneralCall[]).includes(kind)) return call(refusedFrameworkInfo(c, kind as (typeof REFUSED_FRAMEWORK_INFOS)[number]));
  if ((REFUSED_GROUPS as readonly GeneralCall[]).includes(kind)) return operate([refusedGroup(kind as (typeof REFUSED_GROUPS)[number], taskInfo(t, on))]);
  if ((REFUSED_CONVERSIONS as readonly GeneralCall[]).includes(kind)) return operate([refusedConversion(c, kind as (typeof REFUSED_CONVERSIONS)[number])]);
  if (kind === 'ACCEPT_LAUNCH_WITH_ID') return operate([{ type: 'LAUNCH', id: { value: 'launch' }, launch: { task_infos: [taskInfo(t, on)] } }]);
  if ((REFUSED_OPERATIONS as readonly GeneralCall[]).includes(kind))
    return operate([refusedOperation(c, kind as Exclude<(typeof REFUSED_OPERATIONS)[number], 'ACCEPT_LAUNCH_WITH_ID'>)]);
  if ((REFUSED_OPERATOR_VOLUMES as readonly GeneralCall[]).includes(kind)) return call(refusedOperatorVolumes(c, kind as (typeof REFUSED_OPERATOR_VOLUMES)[number], on));
  if (kind === 'OPERATOR_WEIGHTS_BAD_ROLE' || kind === 'OPERATOR_WEIGHTS_ZERO' || kind === 'OPERATOR_WEIGHTS_NO_ROLE') {
    const weight = { OPERATOR_WEIGHTS_BAD_ROLE: { role: '/bad', weight: 2 }, OPERATOR_WEIGHTS_ZERO: { role: ownRole(c), weight: 0 }, OPERATOR_WEIGHTS_NO_ROLE: { weight: 2 } }[
      kind
    ];
    return call({ type: 'OPERATOR_UPDATE_WEIGHTS', weight_infos: [weight] } as never);
  }
  if ((QUOTA_UPDATES as readonly GeneralCall[]).includes(kind)) return call(quotaUpdate(c, kind as (typeof QUOTA_UPDATES)[number]));
  if ((REFUSED_OPERATOR_CONVERSIONS as readonly GeneralCall[]).includes(kind)) return call(refusedOperatorConversion(c, kind as (typeof REFUSED_OPERATOR_CONVERSIONS)[number], on));
  return call(refusedQuota(c, kind as (typeof REFUSED_QUOTAS)[number]));
}

/** The task run by a custom executor of one invalid class (or with its command too). */
function refusedExecutorTask(c: GeneralFrameworkContext, kind: (typeof REFUSED_EXECUTORS)[number], task: TaskInfo): TaskInfo {
  const executor: ExecutorInfo = {
    type: 'CUSTOM',
    executor_id: { value: 'custom' },
    command: { value: 'true', shell: true },
    resources: [scalar('cpus', 0.1), scalar('mem', 32)],
  };
  const { command: _c, ...bare } = task;
  const run = (e: Partial<ExecutorInfo>) => ({ ...bare, executor: e as ExecutorInfo });
  switch (kind) {
    case 'ACCEPT_COMMAND_AND_EXECUTOR':
      return { ...task, executor };
    case 'ACCEPT_EXECUTOR_BAD_ID':
      return run({ ...executor, executor_id: { value: 'a/b' } });
    case 'ACCEPT_EXECUTOR_OTHER_FRAMEWORK':
      return run({ ...executor, framework_id: { value: NOWHERE.framework } });
    case 'ACCEPT_EXECUTOR_NEGATIVE_GRACE':
      return run({ ...executor, shutdown_grace_period: { nanoseconds: -1 } });
    case 'ACCEPT_EXECUTOR_INVALID_RESOURCES':
      return run({ ...executor, resources: [scalar('cpus', -1)] });
    case 'ACCEPT_EXECUTOR_NOT_CUSTOM':
      return run({ ...executor, type: 'DEFAULT' });
    case 'ACCEPT_EXECUTOR_NO_COMMAND': {
      const { command: _none, ...noCommand } = executor;
      return run(noCommand);
    }
  }
}

/** A SUBSCRIBE or UPDATE_FRAMEWORK with a FrameworkInfo of one invalid class. */
function refusedFrameworkInfo(c: GeneralFrameworkContext, kind: (typeof REFUSED_FRAMEWORK_INFOS)[number]): SchedulerCall {
  const { role: _r, roles: _rs, ...roleless } = c.framework_info;
  const capabilities = (multi: boolean) => [...(c.framework_info.capabilities ?? []).filter((x) => x.type !== 'MULTI_ROLE'), ...(multi ? [{ type: 'MULTI_ROLE' as const }] : [])];
  const update = (info: Partial<FrameworkInfo>): SchedulerCall => ({
    type: 'UPDATE_FRAMEWORK',
    framework_id: fid(c),
    update_framework: { framework_info: { ...c.framework_info, id: fid(c), ...info } },
  });
  switch (kind) {
    case 'SUBSCRIBE_ROLE_WITH_MULTI_ROLE':
      return subscribeInfo({ ...c, framework_info: roleless }, { role: ownRole(c), roles: [ownRole(c)], capabilities: capabilities(true) });
    case 'SUBSCRIBE_ROLES_WITHOUT_MULTI_ROLE':
      return subscribeInfo({ ...c, framework_info: roleless }, { roles: [ownRole(c)], capabilities: capabilities(false) });
    case 'SUBSCRIBE_INVALID_ID':
      return subscribeInfo({ ...c, framework_id: 'a/b' });
    case 'SUBSCRIBE_INVALID_ROLES':
      return subscribeInfo({ ...c, framework_info: roleless }, { roles: ['/bad'], capabilities: capabilities(true) });
    case 'UPDATE_FRAMEWORK_OTHER_ID':
      return update({ id: { value: NOWHERE.framework } });
    case 'UPDATE_FRAMEWORK_BAD_ROLE':
      return c.framework_info.roles !== undefined ? update({ roles: ['/bad'] }) : update({ role: '/bad' });
    case 'UPDATE_FRAMEWORK_STRAY_SUPPRESSED_ROLE': {
      const u = update({}) as Extract<SchedulerCall, { type: 'UPDATE_FRAMEWORK' }>;
      return { ...u, update_framework: { ...u.update_framework, suppressed_roles: ['not-mine'] } };
    }
    case 'UPDATE_FRAMEWORK_USER':
      return update({ user: 'intruder' });
    case 'UPDATE_FRAMEWORK_CHECKPOINT':
      return update({ checkpoint: !(c.framework_info.checkpoint ?? false) });
  }
}

/** Mesos's default executor as a group's must be: typed, with at least MIN_CPUS, MIN_MEM and some disk. */
const groupExecutor = (resources: Resource[] = [scalar('cpus', 0.1), scalar('mem', 32), scalar('disk', 32)]): ExecutorInfo => ({
  type: 'DEFAULT',
  executor_id: { value: 'group' },
  ...(resources.length ? { resources } : {}),
});

const scalar = (name: string, value: number): Resource => ({ name, type: 'SCALAR', scalar: { value } });

/** One LAUNCH_GROUP of one invalid class, of the task `task` (or of it twice). */
function refusedGroup(kind: (typeof REFUSED_GROUPS)[number], task: TaskInfo): OfferOperation {
  const group = (executor: Partial<ExecutorInfo> | undefined, tasks: TaskInfo[], id?: string) =>
    ({ type: 'LAUNCH_GROUP', ...(id ? { id: { value: id } } : {}), launch_group: { ...(executor ? { executor } : {}), task_group: { tasks } } }) as OfferOperation;
  switch (kind) {
    case 'ACCEPT_GROUP_WITH_ID':
      return group(groupExecutor(), [task], 'group');
    case 'ACCEPT_GROUP_NO_EXECUTOR':
      return group(undefined, [task]);
    case 'ACCEPT_GROUP_EMPTY':
      return group(groupExecutor(), []);
    case 'ACCEPT_GROUP_DUPLICATE_TASK_ID':
      return group(groupExecutor(), [task, task]);
    case 'ACCEPT_GROUP_UNTYPED_EXECUTOR': {
      const { type: _t, ...untyped } = groupExecutor();
      return group(untyped, [task]);
    }
    case 'ACCEPT_GROUP_OTHER_EXECUTOR':
      return group(groupExecutor(), [{ ...task, executor: { ...groupExecutor(), executor_id: { value: 'other' } } }]);
    case 'ACCEPT_GROUP_EXECUTOR_NO_RESOURCES':
      return group(groupExecutor([]), [task]);
    case 'ACCEPT_GROUP_EXECUTOR_LITTLE_MEM':
      return group(groupExecutor([scalar('cpus', 0.1), scalar('mem', 16), scalar('disk', 32)]), [task]);
    case 'ACCEPT_GROUP_EXECUTOR_NO_DISK':
      return group(groupExecutor([scalar('cpus', 0.1), scalar('mem', 32)]), [task]);
    case 'ACCEPT_GROUP_UNKNOWN_EXECUTOR_TYPE': {
      const unknown = { ...groupExecutor(), type: 'UNKNOWN' as const };
      return group(unknown, [{ ...task, executor: unknown }]);
    }
    case 'ACCEPT_GROUP_EXECUTOR_NO_MEM':
      return group(groupExecutor([scalar('cpus', 0.1), scalar('disk', 32)]), [task]);
    case 'ACCEPT_GROUP_TOO_MUCH':
      return group(groupExecutor(), [{ ...task, resources: [scalar('cpus', 1e6)] }]);
  }
}

/** One conversion of an ACCEPT of one invalid class, with an id so that the master answers OPERATION_ERROR. */
function refusedConversion(c: GeneralFrameworkContext, kind: (typeof REFUSED_CONVERSIONS)[number]): OfferOperation {
  const [reserved] = reservedDisk(c, false);
  const [volume] = reservedDisk(c, true);
  const unreserved = scalar('disk', 32);
  switch (kind) {
    case 'ACCEPT_RESERVE_INVALID_RESOURCE':
      return { type: 'RESERVE', id: { value: 'reserve' }, reserve: { resources: [{ ...reserved!, scalar: { value: -32 } }] } };
    case 'ACCEPT_RESERVE_UNRESERVED':
      return { type: 'RESERVE', id: { value: 'reserve' }, reserve: { resources: [unreserved] } };
    case 'ACCEPT_RESERVE_OTHER_ROLE':
      return { type: 'RESERVE', id: { value: 'reserve' }, reserve: { resources: [{ ...reserved!, reservations: [{ type: 'DYNAMIC', role: 'not-mine' }] }] } };
    case 'ACCEPT_UNRESERVE_UNRESERVED':
      return { type: 'UNRESERVE', id: { value: 'unreserve' }, unreserve: { resources: [unreserved] } };
    case 'ACCEPT_UNRESERVE_VOLUME':
      return { type: 'UNRESERVE', id: { value: 'unreserve' }, unreserve: { resources: [volume!] } };
    case 'ACCEPT_CREATE_NOT_VOLUME':
      return { type: 'CREATE', id: { value: 'create' }, create: { volumes: [reserved!] } };
    case 'ACCEPT_CREATE_READ_ONLY':
      return { type: 'CREATE', id: { value: 'create' }, create: { volumes: [{ ...volume!, disk: { ...volume!.disk!, volume: { container_path: 'data', mode: 'RO' } } }] } };
    case 'ACCEPT_CREATE_REPEATED_ID':
      return { type: 'CREATE', id: { value: 'create' }, create: { volumes: [volume!, volume!] } };
    case 'ACCEPT_DESTROY_MISSING':
      return { type: 'DESTROY', id: { value: 'destroy' }, destroy: { volumes: [volume!] } };
  }
}

/** One operation of an ACCEPT of one more refused class (REFUSED_OPERATIONS but the LAUNCH). */
function refusedOperation(c: GeneralFrameworkContext, kind: Exclude<(typeof REFUSED_OPERATIONS)[number], 'ACCEPT_LAUNCH_WITH_ID'>): OfferOperation {
  const [reserved] = reservedDisk(c, false);
  const [volume] = reservedDisk(c, true);
  const negative = { ...reserved!, scalar: { value: -32 } };
  switch (kind) {
    case 'ACCEPT_GROW_VOLUME':
      return { type: 'GROW_VOLUME', id: { value: 'grow' }, grow_volume: { volume: volume!, addition: reserved! } };
    case 'ACCEPT_UNTYPED_OPERATION':
      return { id: { value: 'untyped' } };
    case 'ACCEPT_RESERVE_NO_ID':
      return { type: 'RESERVE', reserve: { resources: [scalar('disk', 32)] } };
    case 'ACCEPT_RESERVE_INVALID_SOURCE':
      return { type: 'RESERVE', id: { value: 'reserve' }, reserve: { source: [{ ...scalar('disk', 32), scalar: { value: -32 } }], resources: [reserved!] } };
    case 'ACCEPT_RESERVE_FOREIGN_ALLOCATION':
      return {
        type: 'RESERVE',
        id: { value: 'reserve' },
        reserve: { resources: [{ ...reserved!, allocation_info: { role: 'not-mine' }, reservations: [{ type: 'DYNAMIC', role: 'not-mine' }] }] },
      };
    case 'ACCEPT_UNRESERVE_INVALID_RESOURCE':
      return { type: 'UNRESERVE', id: { value: 'unreserve' }, unreserve: { resources: [negative] } };
    case 'ACCEPT_CREATE_INVALID_RESOURCE':
      return { type: 'CREATE', id: { value: 'create' }, create: { volumes: [{ ...volume!, scalar: { value: -32 } }] } };
    case 'ACCEPT_CREATE_NOT_DISK':
      return { type: 'CREATE', id: { value: 'create' }, create: { volumes: [{ ...reserved!, name: 'cpus', scalar: { value: 1 } }] } };
    case 'ACCEPT_DESTROY_INVALID_RESOURCE':
      return { type: 'DESTROY', id: { value: 'destroy' }, destroy: { volumes: [{ ...volume!, scalar: { value: -32 } }] } };
    case 'ACCEPT_DESTROY_NOT_VOLUME':
      return { type: 'DESTROY', id: { value: 'destroy' }, destroy: { volumes: [reserved!] } };
  }
}

/** An operator's CREATE_VOLUMES or DESTROY_VOLUMES of one invalid class, on `on` (or an unknown agent). */
function refusedOperatorVolumes(c: GeneralFrameworkContext, kind: (typeof REFUSED_OPERATOR_VOLUMES)[number], on: string): SchedulerCall {
  const [volume] = reservedDisk(c, true);
  const negative = [{ ...volume!, scalar: { value: -32 } }];
  const operator = (type: 'OPERATOR_CREATE_VOLUMES' | 'OPERATOR_DESTROY_VOLUMES', volumes: readonly unknown[], agent = on) =>
    ({ type, agent_id: agent, volumes }) as never as SchedulerCall;
  switch (kind) {
    case 'OPERATOR_CREATE_VOLUMES_UNKNOWN_AGENT':
      return operator('OPERATOR_CREATE_VOLUMES', [volume], NOWHERE.agent);
    case 'OPERATOR_CREATE_VOLUMES_INVALID_RESOURCE':
      return operator('OPERATOR_CREATE_VOLUMES', negative);
    case 'OPERATOR_CREATE_VOLUMES_ALLOCATED':
      return operator('OPERATOR_CREATE_VOLUMES', [{ ...volume!, allocation_info: { role: ownRole(c) } }]);
    case 'OPERATOR_DESTROY_VOLUMES_UNKNOWN_AGENT':
      return operator('OPERATOR_DESTROY_VOLUMES', [volume], NOWHERE.agent);
    case 'OPERATOR_DESTROY_VOLUMES_INVALID_RESOURCE':
      return operator('OPERATOR_DESTROY_VOLUMES', negative);
  }
}

/** An operator's RESERVE_RESOURCES or UNRESERVE_RESOURCES of one invalid class, on `on`. */
function refusedOperatorConversion(c: GeneralFrameworkContext, kind: (typeof REFUSED_OPERATOR_CONVERSIONS)[number], on: string): SchedulerCall {
  const [cpu] = reservedCpu(c);
  const operator = (type: 'OPERATOR_RESERVE' | 'OPERATOR_UNRESERVE', resources: readonly unknown[], agent = on, source?: readonly unknown[]) =>
    ({ type, agent_id: agent, resources, ...(source ? { source } : {}) }) as never as SchedulerCall;
  switch (kind) {
    case 'OPERATOR_RESERVE_UNKNOWN_AGENT':
      return operator('OPERATOR_RESERVE', [cpu], NOWHERE.agent);
    case 'OPERATOR_RESERVE_INVALID_RESOURCE':
      return operator('OPERATOR_RESERVE', [{ ...cpu, scalar: { value: -1 } }]);
    case 'OPERATOR_RESERVE_UNRESERVED':
      return operator('OPERATOR_RESERVE', [scalar('cpus', 1)]);
    case 'OPERATOR_RESERVE_ALLOCATED':
      return operator('OPERATOR_RESERVE', [{ ...cpu, allocation_info: { role: ownRole(c) } }]);
    case 'OPERATOR_RESERVE_SOURCE_MISMATCH':
      return operator('OPERATOR_RESERVE', [cpu], on, [scalar('cpus', 2)]);
    case 'OPERATOR_UNRESERVE_UNRESERVED':
      return operator('OPERATOR_UNRESERVE', [scalar('cpus', 1)]);
    case 'OPERATOR_UNRESERVE_VOLUME':
      return operator('OPERATOR_UNRESERVE', reservedDisk(c, true));
    case 'OPERATOR_RESERVE_INVALID_SOURCE':
      return operator('OPERATOR_RESERVE', [cpu], on, [scalar('cpus', -1)]);
    case 'OPERATOR_RESERVE_MIXED_SOURCE':
      return operator('OPERATOR_RESERVE', [cpu], on, [scalar('cpus', 1), cpu]);
    case 'OPERATOR_RESERVE_EMPTY_WITH_SOURCE':
      return operator('OPERATOR_RESERVE', [], on, [scalar('cpus', 1)]);
    case 'OPERATOR_RESERVE_MIXED':
      return operator('OPERATOR_RESERVE', [cpu, { ...cpu, name: 'mem', scalar: { value: 32 }, reservations: [{ type: 'DYNAMIC', role: ownRole(c) }] }], on, [
        scalar('cpus', 1),
        scalar('mem', 32),
      ]);
    case 'OPERATOR_UNRESERVE_INVALID_RESOURCE':
      return operator('OPERATOR_UNRESERVE', [{ ...cpu, scalar: { value: -1 } }]);
  }
}

/** An operator's UPDATE_QUOTA of one of QUOTA_UPDATES for the framework's role. */
function quotaUpdate(c: GeneralFrameworkContext, kind: (typeof QUOTA_UPDATES)[number]): SchedulerCall {
  const role = ownRole(c);
  const cpus = (value: number) => ({ cpus: { value } });
  const update = {
    OPERATOR_QUOTA_ABOVE_CAPACITY: { quota_configs: [{ role, guarantees: cpus(100), limits: cpus(100) }] },
    OPERATOR_QUOTA_FORCED_ABOVE_CAPACITY: { quota_configs: [{ role, guarantees: cpus(100), limits: cpus(100) }], force: true },
    OPERATOR_QUOTA_BELOW_USE: { quota_configs: [{ role, limits: cpus(0.5) }] },
    OPERATOR_QUOTA_GUARANTEE_ONLY: { quota_configs: [{ role, guarantees: cpus(1) }] },
    OPERATOR_QUOTA_CLEAR: { quota_configs: [{ role }] },
  }[kind];
  return { type: 'OPERATOR_UPDATE_QUOTA', ...update } as never;
}

/** An operator's UPDATE_QUOTA of one invalid config for the framework's role. */
function refusedQuota(c: GeneralFrameworkContext, kind: (typeof REFUSED_QUOTAS)[number]): SchedulerCall {
  const role = ownRole(c);
  const cpus = (value: number) => ({ cpus: { value } });
  const config = {
    OPERATOR_QUOTA_NESTED_ROLE: { role: `${role}/child`, limits: cpus(1) },
    OPERATOR_QUOTA_BAD_ROLE: { role: '..', limits: cpus(1) },
    OPERATOR_QUOTA_HUGE: { role, limits: cpus(1e13) },
    OPERATOR_QUOTA_NEGATIVE: { role, limits: cpus(-1) },
    OPERATOR_QUOTA_GUARANTEE_ABOVE_LIMIT: { role, guarantees: cpus(2), limits: cpus(1) },
    OPERATOR_QUOTA_NO_ROLE: { limits: cpus(1) },
    OPERATOR_QUOTA_HUGE_MEM: { role, limits: { mem: { value: 2 * 1024 ** 4 } } },
    OPERATOR_QUOTA_SUBNORMAL: { role, limits: cpus(1e-310) },
  }[kind];
  return { type: 'OPERATOR_UPDATE_QUOTA', quota_configs: [config] } as never;
}

/** 32 MB of disk reserved for the framework's role by its principal; with `volume`, the persistent volume `v` on it, seen at `data`. */
const reservedDisk = (c: GeneralFrameworkContext, volume: boolean): Resource[] => [
  {
    name: 'disk',
    type: 'SCALAR',
    scalar: { value: 32 },
    reservations: [{ type: 'DYNAMIC', role: ownRole(c), ...(c.framework_info.principal !== undefined ? { principal: c.framework_info.principal } : {}) }],
    ...(volume ? { disk: { persistence: { id: 'v' }, volume: { container_path: 'data', mode: 'RW' as const } } } : {}),
  },
];

/** One cpu dynamically reserved for the framework's role, by the operator `ops`. */
const reservedCpu = (c: GeneralFrameworkContext) => [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: ownRole(c), principal: 'ops' }] },
];

/** The call as sent: a lie replaces the stream or the framework id. */
function lie(c: GeneralFrameworkContext, body: SchedulerCall, gate: GateLie | undefined): SchedulerCall & { stream_id?: string } {
  if (body.type === 'SUBSCRIBE' || (body.type as string).startsWith('OPERATOR_')) return body;
  if (gate === 'no-stream') return body;
  if (gate === 'stale-stream') return { ...body, stream_id: STALE_STREAM_ID };
  if (gate === 'unknown-framework') return { ...body, framework_id: { value: NOWHERE.framework }, ...(c.stream_id ? { stream_id: c.stream_id } : {}) };
  return { ...body, ...(c.stream_id ? { stream_id: c.stream_id } : {}) };
}

export const generalFramework = setup({
  types: {} as { context: GeneralFrameworkContext; events: GeneralFrameworkEvent; input: GeneralFrameworkInput },
  guards: {
    /** Budget left, the kind allowed, and its values at hand. */
    mayCall: ({ context, event }) =>
      event.type === 'CALL' &&
      context.budget > 0 &&
      context.calls.includes(event.call) &&
      (event.gate === undefined || (context.gates ?? []).includes(event.gate)) &&
      possible(context, event.call),
    fromMaster: (args) => fromMaster(args),
    reliableUpdate: (args) => reliableUpdate(args),
  },
  actions: {
    subscribe: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(send(context.master, subscribeInfo(context)) as never);
    }),
    recordSubscription: assign(({ event }) => {
      const e = eventOf(event, 'SUBSCRIBED');
      return { framework_id: e.subscribed.framework_id.value, stream_id: e.stream };
    }),
    recordOffers: assign(({ context, event }) => {
      const fresh = (eventOf(event, 'OFFERS').offers.offers ?? []).map((o) => ({ id: o.id.value, agent: o.agent_id.value, stream: context.stream_id }));
      return { offers: byId([...context.offers, ...fresh]) };
    }),
    forgetOffer: assign(({ context, event }) => ({ offers: context.offers.filter((o) => o.id !== eventOf(event, 'RESCIND').rescind.offer_id.value) })),
    recordUpdate: assign(({ context, event }) => recordUpdate(context, eventOf(event, 'UPDATE').update.status, false)),
    acknowledge: enqueueActions(({ context, event, enqueue }) => {
      const s = eventOf(event, 'UPDATE').update.status;
      const ack = { agent: s.agent_id?.value ?? '', task: s.task_id.value, uuid: s.uuid! };
      const body = acknowledgement(fid(context), s);
      enqueue.emit(send(context.master, { ...body, ...(context.stream_id ? { stream_id: context.stream_id } : {}) }) as never);
      enqueue.assign({ acked: ack });
    }),
    call: enqueueActions(({ context, event, enqueue }) => {
      const e = eventOf(event, 'CALL');
      const { call, used, launched } = buildCall(context, e.call);
      enqueue.emit(send(context.master, lie(context, call, e.gate)) as never);
      enqueue.assign({
        budget: context.budget - 1,
        offers: context.offers.filter((o) => !used.includes(o.id)),
        ...(launched ? { launched: [...context.launched, launched] } : {}),
      });
    }),
    countRefusal: assign(({ context }) => ({ refusals: context.refusals + 1 })),
    forgetStream: assign({ stream_id: undefined, offers: [] }),
  },
}).createMachine({
  id: 'generalFramework',
  context: ({ input }) => ({ ...input, ...initialRecords(input), offers: [], acked: null, refusals: 0 }),
  initial: 'running',
  states: {
    running: {
      entry: 'subscribe',
      on: {
        SUBSCRIBED: { actions: 'recordSubscription' },
        OFFERS: { actions: 'recordOffers' },
        RESCIND: { actions: 'forgetOffer' },
        UPDATE: [{ guard: 'reliableUpdate', actions: ['recordUpdate', 'acknowledge'] }, { actions: 'recordUpdate' }],
        // A refused SUBSCRIBE's ERROR closes only the connection it came on: counted, nothing more.
        ERROR: { actions: 'countRefusal' },
        LINK_BROKEN: { guard: 'fromMaster', actions: ['forgetStream', 'subscribe'] },
        CALL: { guard: 'mayCall', actions: 'call' },
      },
    },
  },
});

/** What a failed-over instance keeps: its id, its tasks and what it was told; not its stream or offers. */
export function generalFrameworkRestartInput(context: GeneralFrameworkContext): GeneralFrameworkInput {
  const { stream_id: _s, offers: _o, acked: _a, refusals: _r, ...input } = context;
  return input;
}
