/**
 * The Mesos master: frameworks, agents, offers and tasks, as one XState machine.
 *
 * The master's lifecycles live in its context, one record per framework, agent, offer and task
 * (see master/context.ts), because there are many of each; this file is their behaviour, one
 * named action per protocol handler. Read it top to bottom as the life of an offer:
 *
 *   agents register ............ REGISTER_AGENT / REREGISTER_AGENT -> allocator.addAgent
 *   frameworks subscribe ........ SUBSCRIBE -> SUBSCRIBED (+ HEARTBEAT), allocator.addFramework
 *   the allocator runs .......... ALLOCATION_DUE (every allocation interval) -> OFFERS
 *   the framework answers ....... ACCEPT (validated in Mesos's order) -> RUN_TASK, or TASK_ERROR /
 *                                 TASK_LOST / TASK_DROPPED; DECLINE -> filter; leftovers -> filter
 *   offers can vanish ........... RESCIND (agent lost), discarded (framework failover/removal)
 *   tasks report ................ STATUS_UPDATE (latest_state) -> UPDATE to the framework;
 *                                 resources released once, on terminal or unreachable
 *   the framework acknowledges .. ACKNOWLEDGE -> STATUS_UPDATE_ACK; terminal ack removes the task
 *   health ...................... PING / PONG, agent_ping_timeout x max_agent_ping_timeouts ->
 *                                 unreachable (UPDATE UNREACHABLE or LOST, FAILURE)
 *
 * Every scheduler call but SUBSCRIBE passes the same gate first (`authenticated` below): the
 * framework must be known (else 400), subscribed (else 403), on its current stream (else 400).
 * Calls answer 202 through a `reply` effect the HTTP host waits for; the model ignores replies.
 */
import { emit, enqueueActions, not, setup } from 'xstate';
import type { AgentInfo, FrameworkInfo, Offer, Task, TaskInfo, TaskState, TaskStatus } from '../protocol/common.ts';
import type { SchedulerCall } from '../protocol/scheduler.ts';
import type { InternalMessage, StatusUpdate } from '../protocol/internal.ts';
import { uuidText } from '../protocol/uuid.ts';
import * as allocator from '../allocator/index.ts';
import { add, clearAllocationRole, describeResources, EMPTY, resourcesOf, isEmpty, setAllocationRole, subtract, toWire, type Resources } from '../resources/index.ts';
import { validateId } from '../protocol/validation.ts';
import { reply, type CountEffect, type MachineEffect } from './effects.ts';
import {
  DEFAULT_MASTER_FLAGS,
  agentByAddress,
  agentIdFor,
  frameworkByConnection,
  frameworkIdFor,
  isConnected,
  lostOr,
  masterStatus,
  offerIdFor,
  reportedState,
  rolesOf,
  sortedEntries,
  tasksOnAgent,
  terminal,
  withStatus,
  type AgentRecord,
  type FrameworkRecord,
  type MasterContext,
  type MasterInput,
  type Registry,
  type TaskRecord,
} from './master/context.ts';
import { Tx } from './master/tx.ts';
import { commit } from './transaction.ts';
import * as executors from './master/executors.ts';
import * as groups from './master/groups.ts';
import * as operations from './master/operations.ts';
import { frameworkInfoError, frameworkUpdateError, killPolicyError, suppressedRolesError } from './master/validation.ts';
import { deactivateAgent, initialWeights, isDeactivated, markAgentGone, reactivateAgent, updateWeights, type OperatorEvent } from './master/operator.ts';
import { agentTotal, reserve, syncCheckpointedResources, unreserve, type ReservationEvent } from './master/reservations.ts';
import { initialQuotas, updateQuota, type QuotaEvent } from './master/quota.ts';
import { checkDrained, drainAgent, resumeDrain, type DrainEvent } from './master/drain.ts';
import { armOfferTimeout, offerTimedOut, type OfferTimeoutEvent } from './master/offer-timeout.ts';
import { checkStep } from './lifecycle.ts';
import { MASTER_LIFECYCLES } from './master/lifecycles.ts';
import { unregisterAgent, unregistersItself, type UnregisterEvent } from './master/removal.ts';
import { acquireRemovalPermit, cancelRemoval, grantRemovalPermit, type RemovalPermitEvent } from './master/removal-limiter.ts';
import { rescindOffersOn } from './master/rescind.ts';
import { createTask } from './task-record.ts';

export type { MasterContext, MasterInput } from './master/context.ts';

// ------------------------------------------------------------------------------------ events

type Delivered<T> = T & { readonly from: string };
/** A scheduler call as the transport delivers it. */
export type CallEvent = Delivered<
  SchedulerCall & {
    readonly stream_id?: string;
    readonly request?: string;
    /** ACCEPT: tasks the authorizer refused to run (the run_tasks ACL, decided by the runtime), by task id: Mesos's message. */
    readonly unauthorized?: Readonly<Record<string, string>>;
    /** ACCEPT: RESERVE / UNRESERVE / CREATE / DESTROY the authorizer refused, by index in `operations`: the message (master/operations.ts). */
    readonly unauthorizedOperations?: Readonly<Record<string, string>>;
  }
>;

export type MasterEvent =
  | CallEvent
  | Delivered<InternalMessage>
  | { type: 'LINK_BROKEN'; peer: string }
  | { type: 'ALLOCATION_DUE' }
  | { type: 'HEARTBEAT_DUE'; framework_id: string }
  | { type: 'FAILOVER_TIMEOUT'; framework_id: string }
  | { type: 'PING_DUE'; agent_id: string }
  | { type: 'REREGISTER_TIMEOUT'; agent_id: string }
  | { type: 'FILTER_EXPIRED'; framework_id: string; role: string; agent_id: string; id: string }
  /** The operator API's TEARDOWN (POST /api/v1), or /master/teardown. */
  | { type: 'OPERATOR_TEARDOWN'; framework_id: string; request?: string }
  /** The other operator calls that change the cluster (master/operator.ts, master/reservations.ts). */
  | OperatorEvent
  | ReservationEvent
  | QuotaEvent
  | DrainEvent
  | OfferTimeoutEvent
  | RemovalPermitEvent;

const ids = {
  allocation: 'allocation',
  heartbeat: (fid: string) => `heartbeat:${fid}`,
  failover: (fid: string) => `failover:${fid}`,
  ping: (aid: string) => `ping:${aid}`,
  reregister: (aid: string) => `reregister:${aid}`,
  filter: (fid: string, role: string, aid: string, id: string) => `filter:${fid}:${role}:${aid}:${id}`,
};

// ------------------------------------------------------------------------------------ frameworks

/** The framework id a SUBSCRIBE names; an empty one names none (Mesos: a new framework). */
function subscribingId(e: Extract<CallEvent, { type: 'SUBSCRIBE' }>): string | undefined {
  return e.subscribe.framework_info.id?.value || e.framework_id?.value || undefined;
}

/** Mesos's preserveImmutableFields: a known framework's `user` and `checkpoint` stay what they were (an absent checkpoint is false). */
const immutableFields = (old: FrameworkInfo): Pick<FrameworkInfo, 'user' | 'checkpoint'> => ({ user: old.user, checkpoint: old.checkpoint ?? false });

/**
 * Reasons a SUBSCRIBE is refused, in Mesos's order (Master::subscribe, then _subscribe): the
 * FrameworkInfo, a removed framework, suppressed roles it does not have, then what a known
 * framework may not change. The stream then carries one ERROR and closes.
 */
function subscribeError(c: MasterContext, e: Extract<CallEvent, { type: 'SUBSCRIBE' }>): string | null {
  const info = e.subscribe.framework_info;
  const fid = subscribingId(e);
  const invalid = frameworkInfoError(info);
  if (invalid !== null) return invalid;
  if (fid !== undefined && c.completedFrameworks.includes(fid)) return 'Framework has been removed';
  const suppressed = suppressedRolesError(rolesOf(info), e.subscribe.suppressed_roles ?? []);
  if (suppressed !== null) return suppressed;
  const old = fid === undefined ? undefined : c.frameworks[fid];
  // User and checkpoint of a known framework are kept silently (preserveImmutableFields).
  if (old && old.info.principal !== info.principal) return frameworkUpdateError(old.info, { ...info, ...immutableFields(old.info) });
  return null;
}

function heartbeat(tx: Tx, fid: string): void {
  const f = tx.c.frameworks[fid]!;
  if (tx.c.flags.heartbeatIntervalMs <= 0) return;
  tx.send(f.connection, { type: 'HEARTBEAT' });
  tx.timer(ids.heartbeat(fid), { type: 'HEARTBEAT_DUE', framework_id: fid }, tx.c.flags.heartbeatIntervalMs);
}

/** SUBSCRIBE: a new framework, or the failover of a known one onto a new connection. */
function subscribe(tx: Tx, e: Extract<CallEvent, { type: 'SUBSCRIBE' }>): void {
  const known = subscribingId(e);
  const fid = known ?? frameworkIdFor(tx.c);
  // A client subscribes again only after giving up its previous stream, so another framework
  // still bound to this connection has lost it (the runtime's connections are one per stream
  // and never meet this; the model's are the scheduler's address).
  const previous = frameworkByConnection(tx.c, e.from);
  if (previous !== undefined && previous !== fid) disconnectFramework(tx, previous);
  if (known === undefined) tx.bump('framework');
  const stream = uuidText(`${tx.c.id}/stream/${tx.c.fresh.stream}`);
  tx.bump('stream');
  const old = tx.c.frameworks[fid];
  if (old) failOverFramework(tx, fid, old, e, stream);
  else addFramework(tx, fid, e, stream);
  const subscribed = { framework_id: { value: fid }, heartbeat_interval_seconds: tx.c.flags.heartbeatIntervalMs / 1000, master_info: tx.c.info };
  tx.send(e.from, { type: 'SUBSCRIBED', subscribed }, { stream });
  tx.effect({ type: 'count', counter: 'call', call: 'SUBSCRIBE', framework: fid });
  heartbeat(tx, fid);
  // Agents resend the framework's pending status updates at once (UpdateFrameworkMessage).
  if (old) {
    for (const [, a] of sortedEntries(tx.c.agents)) {
      tx.send(a.address, { type: 'UPDATE_FRAMEWORK_AGENT', framework_id: { value: fid }, framework_info: tx.c.frameworks[fid]!.info });
    }
  }
}

/** The roles a SUBSCRIBE asks for, and the suppressed ones among them. */
function subscribedRoles(e: Extract<CallEvent, { type: 'SUBSCRIBE' }>): { roles: string[]; suppressedRoles: string[] } {
  const roles = rolesOf(e.subscribe.framework_info);
  return { roles, suppressedRoles: [...(e.subscribe.suppressed_roles ?? [])].filter((r) => roles.includes(r)).sort() };
}

/** A first subscription: the framework's record, and its place in the allocator. */
function addFramework(tx: Tx, fid: string, e: Extract<CallEvent, { type: 'SUBSCRIBE' }>, stream: string): void {
  const info = { ...e.subscribe.framework_info, id: { value: fid } };
  tx.setFramework(fid, { info, connection: e.from, stream, tasks: {}, unreachable: {}, completed: [] });
  tx.allocator((a) => allocator.addFramework(a, { frameworkId: fid, ...subscribedRoles(e) }));
}

/** Failover: the old stream gets an ERROR and closes; offers are discarded, not rescinded. */
function failOverFramework(tx: Tx, fid: string, old: FrameworkRecord, e: Extract<CallEvent, { type: 'SUBSCRIBE' }>, stream: string): void {
  if (old.connection !== null && old.connection !== e.from) {
    tx.send(old.connection, { type: 'ERROR', error: { message: 'Framework failed over' } }, { close: true });
  }
  discardOffers(tx, fid);
  tx.cancel(ids.failover(fid));
  // `user` and `checkpoint` cannot change on re-subscription.
  const merged: FrameworkInfo = { ...e.subscribe.framework_info, id: { value: fid }, ...immutableFields(old.info) };
  tx.setFramework(fid, { ...old, info: merged, connection: e.from, stream });
  const roles = { frameworkId: fid, ...subscribedRoles(e) };
  tx.allocator((a) => {
    const withFw = allocator.getFramework(a, fid) !== undefined ? allocator.updateFramework(a, roles) : allocator.addFramework(a, roles);
    return allocator.activateFramework(withFw, fid);
  });
}

/** The subscription stream broke: deactivate, keep tasks, remove after failover_timeout. */
function disconnectFramework(tx: Tx, fid: string): void {
  const f = tx.c.frameworks[fid]!;
  tx.setFramework(fid, { ...f, connection: null, stream: null });
  tx.cancel(ids.heartbeat(fid));
  discardOffers(tx, fid);
  tx.allocator((a) => allocator.deactivateFramework(a, fid));
  const timeoutMs = Math.round((f.info.failover_timeout ?? 0) * 1000);
  if (timeoutMs <= 0) removeFramework(tx, fid);
  else tx.timer(ids.failover(fid), { type: 'FAILOVER_TIMEOUT', framework_id: fid }, timeoutMs);
}

/** TEARDOWN, or failover_timeout expired: kill everything, remember the id as removed. */
function removeFramework(tx: Tx, fid: string): void {
  const f = tx.c.frameworks[fid];
  if (!f) return;
  discardOffers(tx, fid);
  for (const [, a] of sortedEntries(tx.c.agents)) tx.send(a.address, { type: 'SHUTDOWN_FRAMEWORK', framework_id: { value: fid } });
  // Its tasks end as KILLED (REASON_FRAMEWORK_REMOVED) in the master's books, which leave with
  // the framework; the allocator gives back everything the framework held.
  if (f.connection !== null) tx.effect({ type: 'close', connection: f.connection });
  tx.cancel(ids.heartbeat(fid));
  tx.cancel(ids.failover(fid));
  cancelFilterTimers(tx, fid);
  for (const [, r] of sortedEntries(f.tasks)) forgetKill(tx, r.task.agent_id.value, fid, r.task.task_id.value);
  for (const [tid, r] of [...sortedEntries(f.tasks), ...sortedEntries(f.unreachable)]) if (!terminal(r.task.state)) tx.ended(fid, tid, 'TASK_KILLED');
  tx.setFramework(fid, undefined);
  tx.allocator((a) => (allocator.getFramework(a, fid) ? allocator.removeFramework(a, fid) : a));
  const completed = [...tx.c.completedFrameworks, fid];
  tx.c = { ...tx.c, completedFrameworks: completed.slice(Math.max(0, completed.length - tx.c.flags.maxCompletedFrameworks)) };
}

function cancelFilterTimers(tx: Tx, fid: string, roles?: readonly string[]): void {
  const fw = allocator.getFramework(tx.c.allocator, fid);
  for (const filter of fw?.filters ?? []) {
    if (!roles || roles.includes(filter.role)) tx.cancel(ids.filter(fid, filter.role, filter.agentId, filter.id));
  }
}

/** A role a REVIVE or SUPPRESS names that is invalid or not the framework's: Mesos drops the call. */
function strayRole(c: MasterContext, fid: string, roles: readonly string[] | undefined): string | undefined {
  const own = rolesOf(c.frameworks[fid]!.info);
  return (roles ?? []).find((r) => !own.includes(r));
}

// ------------------------------------------------------------------------------------ offers

/** One allocation run: every allocation becomes an offer; one OFFERS event per framework. (`policy`: tests seed allocator bugs through it.) */
function allocate(tx: Tx, policy: allocator.AllocatorPolicy = allocator.drfPolicy): void {
  const result = allocator.allocateWith(policy, tx.c.allocator);
  tx.c = { ...tx.c, allocator: result.state };
  const byFramework = new Map<string, Offer[]>();
  for (const a of result.offers) {
    const f = tx.c.frameworks[a.frameworkId];
    const agent = tx.c.agents[a.agentId];
    if (!f || !isConnected(f) || !agent || agent.address === null) {
      // Mesos drops such allocations and recovers the resources without a filter.
      tx.allocator((s) => allocator.recoverResources(s, { frameworkId: a.frameworkId, agentId: a.agentId, role: a.role, resources: a.resources }));
      continue;
    }
    const id = offerIdFor(tx.c);
    tx.bump('offer');
    tx.setOffer(id, { id, framework_id: a.frameworkId, agent_id: a.agentId, role: a.role, resources: a.resources });
    armOfferTimeout(tx, id);
    const multiRole = (f.info.capabilities ?? []).some((x) => x.type === 'MULTI_ROLE');
    const list = byFramework.get(a.frameworkId) ?? [];
    list.push(renderOffer(tx.c, id, a.frameworkId, agent, a.role, a.resources, multiRole));
    byFramework.set(a.frameworkId, list);
  }
  for (const [fid, offers] of [...byFramework].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    tx.send(tx.c.frameworks[fid]!.connection, { type: 'OFFERS', offers: { offers } });
  }
  tx.timer(ids.allocation, { type: 'ALLOCATION_DUE' }, tx.c.flags.allocationIntervalMs);
}

function renderOffer(c: MasterContext, id: string, fid: string, agent: AgentRecord, role: string, resources: Resources, multiRole: boolean): Offer {
  // Only MULTI_ROLE frameworks see allocation_info (MESOS-8237).
  const wire = multiRole ? toWire(setAllocationRole(resources, role)) : toWire(clearAllocationRole(resources));
  const executorIds = executors.executorIdsOn(c.frameworks[fid]!, agent.info.id!.value);
  return {
    id: { value: id },
    framework_id: { value: fid },
    agent_id: agent.info.id!,
    hostname: agent.info.hostname,
    resources: wire as Offer['resources'],
    ...(agent.info.attributes?.length ? { attributes: agent.info.attributes } : {}),
    ...(executorIds.length ? { executor_ids: executorIds } : {}),
    ...(multiRole ? { allocation_info: { role } } : {}),
  };
}

/** Offers of a framework go back to the allocator without an event (failover, removal). */
function discardOffers(tx: Tx, fid: string): void {
  for (const [oid, o] of sortedEntries(tx.c.offers)) {
    if (o.framework_id !== fid) continue;
    tx.setOffer(oid, undefined);
    tx.allocator((a) => allocator.recoverResources(a, { frameworkId: fid, agentId: o.agent_id, role: o.role, resources: o.resources }));
  }
}

/** Gives offered resources back with a refusal filter, and arms the filter's timer. */
function recoverWithFilter(tx: Tx, fid: string, aid: string, role: string, resources: Resources, filterId: string, refuseSeconds: number | undefined): void {
  if (isEmpty(resources)) return;
  tx.allocator((a) => allocator.recoverResources(a, { frameworkId: fid, agentId: aid, role, resources, filter: { id: filterId, refuseSeconds } }));
  const seconds = allocator.filterDuration(tx.c.allocator, refuseSeconds);
  if (seconds !== null && allocator.getFramework(tx.c.allocator, fid)) {
    tx.timer(ids.filter(fid, role, aid, filterId), { type: 'FILTER_EXPIRED', framework_id: fid, role, agent_id: aid, id: filterId }, Math.round(seconds * 1000));
  }
}

/** Mesos's offer validation, in its order; null when the offers may be used together. */
function offerError(c: MasterContext, fid: string, offerIds: readonly string[]): string | null {
  if (offerIds.length === 0) return 'No offers specified';
  if (new Set(offerIds).size !== offerIds.length) return 'Duplicate offer ids in the call';
  for (const id of offerIds) if (!c.offers[id]) return `Offer ${id} is no longer valid`;
  for (const id of offerIds) if (c.offers[id]!.framework_id !== fid) return `Offer ${id} has invalid framework`;
  const roles = new Set(offerIds.map((id) => c.offers[id]!.role));
  if (roles.size > 1) return 'Aggregated offers must be allocated to the same role';
  const agents = new Set(offerIds.map((id) => c.offers[id]!.agent_id));
  if (agents.size > 1) return 'Aggregated offers must belong to one single agent';
  return null;
}

/**
 * Mesos's task validation against what is left of the offers, in its order (validateTask:
 * id, unique id, agent, kill policy, resources; then the executor); null when the task may
 * launch. Scalars count in Mesos's fixed point: 0.0005 cpus round to 0.001 and run, 0.0004
 * round to zero and are refused.
 */
function taskError(f: FrameworkRecord, task: TaskInfo, agentId: string, remaining: Resources): string | null {
  const fields = taskFieldsError(f, task, agentId);
  if (fields !== null) return fields;
  const used = resourcesOf(task);
  if (!used.ok) return `Task uses invalid resources: ${mesosResourceError(used.error)}`;
  if ((task.command === undefined) === (task.executor === undefined)) return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
  const executor = executors.executorError(f, f.info.id?.value ?? '', agentId, task);
  if (executor !== null) return executor;
  if (isEmpty(used.value)) return 'Task uses no resources';
  // The task's resources and, for an executor new on the agent, the executor's (validateTask's total).
  const needs = executors.launchNeeds(f, agentId, task, used.value);
  if (!executors.fitsIn(remaining, needs))
    return `Total resources ${describeResources(needs)} required by task and its executor is more than available ${describeResources(remaining)}`;
  return null;
}

/** task::internal::validateTask's checks that every task takes, LAUNCH or LAUNCH_GROUP: id, unique id, agent, kill policy, resources. */
function taskFieldsError(f: FrameworkRecord, task: TaskInfo, agentId: string): string | null {
  const id = task.task_id.value;
  const invalidId = validateId(id);
  if (invalidId !== null) return invalidId;
  if (f.tasks[id]) return `Task has duplicate ID: ${id}`;
  if (f.unreachable[id]) return `Task reuses the ID of an unreachable task: ${id}`;
  if (task.agent_id.value !== agentId) return `Task uses invalid agent ${task.agent_id.value} while agent ${agentId} is expected`;
  const killPolicy = killPolicyError(task);
  if (killPolicy !== null) return killPolicy;
  if ((task.resources ?? []).length === 0) return 'Task uses no resources';
  const used = resourcesOf(task);
  if (!used.ok) return `Task uses invalid resources: ${mesosResourceError(used.error)}`;
  return null;
}

/** Mesos words a scalar at or below zero in fixed point as `value <= 0`, without our field path. */
function mesosResourceError(error: string): string {
  return /Invalid scalar resource: value <= 0/.test(error) ? 'Invalid scalar resource: value <= 0' : error;
}

/** The answer to every task of a rejected ACCEPT: LOST (DROPPED if partition-aware). */
function rejectLaunches(tx: Tx, fid: string, call: Extract<SchedulerCall, { type: 'ACCEPT' }>, why: string): void {
  const f = tx.c.frameworks[fid]!;
  for (const op of call.accept.operations ?? []) {
    if (op.type !== 'LAUNCH' && op.type !== 'LAUNCH_GROUP') operations.answer(tx, fid, undefined, op, 'OPERATION_ERROR', `Operation attempted with invalid offers: ${why}`);
    for (const t of op.launch?.task_infos ?? op.launch_group?.task_group.tasks ?? []) {
      const status = masterStatus(t, lostOr(f.info, 'TASK_DROPPED'), 'REASON_INVALID_OFFERS', `Task launched with invalid offers: ${why}`);
      tx.send(f.connection, { type: 'UPDATE', update: { status } });
    }
  }
}

/** ACCEPT: validate the offers, then each LAUNCH's tasks; launch the valid ones. */
function accept(tx: Tx, e: Extract<CallEvent, { type: 'ACCEPT' }>): void {
  const fid = e.framework_id.value;
  const offerIds = (e.accept.offer_ids ?? []).map((o) => o.value);
  const error = offerError(tx.c, fid, offerIds);
  if (error !== null) {
    // Still-valid offers of this framework named in the call go back without a filter.
    for (const id of offerIds) {
      const o = tx.c.offers[id];
      if (!o || o.framework_id !== fid) continue;
      tx.setOffer(id, undefined);
      tx.allocator((a) => allocator.recoverResources(a, { frameworkId: fid, agentId: o.agent_id, role: o.role, resources: o.resources }));
    }
    rejectLaunches(tx, fid, e, error);
    return;
  }
  const offers = offerIds.map((id) => tx.c.offers[id]!);
  const aid = offers[0]!.agent_id;
  const role = offers[0]!.role;
  let remaining = offers.reduce<Resources>((acc, o) => add(acc, o.resources), EMPTY);
  for (const id of offerIds) tx.setOffer(id, undefined);
  const agent = tx.c.agents[aid];
  for (const [index, op] of (e.accept.operations ?? []).entries()) {
    if (op.type === 'LAUNCH_GROUP' && agent && agent.address !== null) {
      remaining = groups.launchGroup(tx, { taskFieldsError, book: bookTask }, fid, aid, role, op, remaining);
      continue;
    }
    if (operations.isConversion(op)) {
      remaining = operations.applyConversion(tx, fid, aid, role, op, remaining, e.unauthorizedOperations?.[String(index)]);
      continue;
    }
    if (op.type !== 'LAUNCH' && op.type !== 'LAUNCH_GROUP') {
      operations.answerUnimplemented(tx, fid, aid, op);
      continue;
    }
    for (const given of op.launch?.task_infos ?? op.launch_group?.task_group.tasks ?? []) {
      const t = executors.withFrameworkId(given, fid);
      const f = tx.c.frameworks[fid]!;
      if (!agent || agent.address === null) {
        const status = masterStatus(t, lostOr(f.info, 'TASK_DROPPED'), agent ? 'REASON_AGENT_DISCONNECTED' : 'REASON_AGENT_REMOVED', 'Agent is not available');
        tx.send(f.connection, { type: 'UPDATE', update: { status } });
        continue;
      }
      // Authorization comes before validation (Master::_accept): TASK_ERROR, REASON_TASK_UNAUTHORIZED.
      const denied = e.unauthorized?.[t.task_id.value];
      if (denied !== undefined) {
        tx.send(f.connection, { type: 'UPDATE', update: { status: masterStatus(t, 'TASK_ERROR', 'REASON_TASK_UNAUTHORIZED', denied) } });
        continue;
      }
      const why = op.id !== undefined ? 'The `id` field cannot be set on LAUNCH operations' : taskError(f, t, aid, remaining);
      if (why !== null) {
        tx.send(f.connection, { type: 'UPDATE', update: { status: masterStatus(t, 'TASK_ERROR', 'REASON_TASK_INVALID', why) } });
        continue;
      }
      const used = resourcesOf(t);
      const needs = used.ok ? executors.launchNeeds(f, aid, t, used.value) : EMPTY;
      remaining = subtract(remaining, setAllocationRole(clearAllocationRole(needs), role));
      launch(tx, fid, aid, role, t);
    }
  }
  // Leftovers are declined implicitly, with the call's filters.
  recoverWithFilter(tx, fid, aid, role, remaining, offerIds[0]!, e.accept.filters?.refuse_seconds);
}

/** A valid task: STAGING in the books, RUN_TASK to the agent; its resources stay allocated. */
function launch(tx: Tx, fid: string, aid: string, role: string, t: TaskInfo): void {
  bookTask(tx, fid, aid, role, t);
  const f = tx.c.frameworks[fid]!;
  // A custom executor new on the agent enters the books with its resources (Master::addExecutor).
  const newExecutor = t.executor !== undefined && executors.executorOn(f, aid, t.executor.executor_id.value) === undefined;
  if (newExecutor) executors.addExecutor(tx, fid, aid, t.executor!, role);
  // launch_executor is always set (Master::_accept): true for a command task, whose command executor
  // is new by definition, so an agent that still has one of that id (a task id reused, MESOS-9657)
  // drops the task rather than hand it to the old executor.
  tx.send(tx.c.agents[aid]!.address, { type: 'RUN_TASK', framework: f.info, task: t, launch_executor: t.executor !== undefined ? newExecutor : true });
}

/** A valid task in the books, TASK_STAGING, described as its TaskInfo describes it (Master::addTask). */
function bookTask(tx: Tx, fid: string, aid: string, role: string, t: TaskInfo): void {
  const f = tx.c.frameworks[fid]!;
  const task: Task = { ...createTask(t, fid, aid, 'TASK_STAGING'), statuses: [] };
  // The offered resources already count as allocated to the framework: nothing to move.
  tx.setFramework(fid, { ...f, tasks: { ...f.tasks, [t.task_id.value]: { task, role } } });
}

/** DECLINE: each still-valid offer goes back with the filter (5 s when none is given). */
function decline(tx: Tx, e: Extract<CallEvent, { type: 'DECLINE' }>): void {
  const fid = e.framework_id.value;
  for (const { value: id } of e.decline.offer_ids ?? []) {
    const o = tx.c.offers[id];
    if (!o || o.framework_id !== fid) continue; // unknown offer ids are ignored
    tx.setOffer(id, undefined);
    recoverWithFilter(tx, fid, o.agent_id, o.role, o.resources, id, e.decline.filters?.refuse_seconds);
  }
}

// ------------------------------------------------------------------------------------ tasks

/**
 * The task's resources go back to the allocator: exactly once, on terminal or unreachable. `r` is
 * the record as it was before the change; a task already terminal gave them back when it ended.
 */
function releaseTask(tx: Tx, fid: string, r: TaskRecord): void {
  if (terminal(r.task.state)) return;
  const used = resourcesOf(r.task);
  if (!used.ok || isEmpty(used.value)) return;
  tx.allocator((a) => allocator.recoverResources(a, { frameworkId: fid, agentId: r.task.agent_id.value, role: r.role, resources: used.value }));
}

/** STATUS_UPDATE from an agent: update the books with latest_state, forward to the framework. */
function statusUpdate(tx: Tx, e: Delivered<Extract<InternalMessage, { type: 'STATUS_UPDATE' }>>): void {
  const u: StatusUpdate = e.update;
  const aid = agentByAddress(tx.c, e.from);
  // Mesos counts an update of an unknown agent or framework as invalid (Master::statusUpdate).
  if (aid === undefined || (u.agent_id?.value !== undefined && u.agent_id.value !== aid)) return tx.count('invalid_status_updates'); // unknown or unreachable agent: ignored, it retries
  const fid = u.framework_id.value;
  const f = tx.c.frameworks[fid];
  if (!f) return tx.count('invalid_status_updates'); // removed framework: dropped (the agent was told to shut it down)
  tx.count('valid_status_updates');
  const tid = u.status.task_id.value;
  const record = f.tasks[tid];
  if (record && record.task.agent_id.value === aid) {
    const latest = u.latest_state ?? u.status.state;
    let task = record.task;
    if (!terminal(task.state)) {
      task = withStatus(task, u.status, latest);
      if (terminal(latest)) releaseTask(tx, fid, record);
    }
    // status_update_state/uuid record the last reliable update *forwarded* (Master::forward):
    // one that reached no framework must not be what reconciliation reports or an ack matches.
    if (u.uuid !== undefined && f.connection !== null) task = { ...task, status_update_state: u.status.state, status_update_uuid: u.uuid };
    tx.setFramework(fid, { ...f, tasks: { ...f.tasks, [tid]: { ...record, task } } });
  }
  tx.send(f.connection, { type: 'UPDATE', update: { status: { ...u.status, agent_id: { value: aid } } } });
}

/** ACKNOWLEDGE: forwarded to the agent; the ack of the terminal update removes the task. */
function acknowledge(tx: Tx, e: Extract<CallEvent, { type: 'ACKNOWLEDGE' }>): void {
  const fid = e.framework_id.value;
  const { agent_id, task_id, uuid } = e.acknowledge;
  const agent = tx.c.agents[agent_id.value];
  if (!agent || agent.address === null) return tx.count('invalid_status_update_acknowledgements'); // dropped: the agent retries the update
  tx.count('valid_status_update_acknowledgements');
  const f = tx.c.frameworks[fid]!;
  const record = f.tasks[task_id.value];
  if (record && record.task.status_update_uuid === uuid && record.task.status_update_state && terminal(record.task.status_update_state)) {
    const { [task_id.value]: _done, ...tasks } = f.tasks;
    tx.setFramework(fid, { ...f, tasks, completed: [...f.completed, task_id.value].sort() });
    forgetKill(tx, record.task.agent_id.value, fid, task_id.value);
  }
  tx.send(agent.address, { type: 'STATUS_UPDATE_ACK', agent_id, framework_id: { value: fid }, task_id, uuid });
}

/** KILL: forwarded to the task's agent; an unknown task is answered by reconciliation. */
function kill(tx: Tx, e: Extract<CallEvent, { type: 'KILL' }>): void {
  const fid = e.framework_id.value;
  const tid = e.kill.task_id.value;
  const record = tx.c.frameworks[fid]!.tasks[tid];
  if (!record) {
    reconcileExplicit(tx, fid, [{ task_id: e.kill.task_id, ...(e.kill.agent_id ? { agent_id: e.kill.agent_id } : {}) }]);
    return;
  }
  const aid = record.task.agent_id.value;
  // Remembered even if sent: the agent may be cut off without the master knowing yet.
  rememberKill(tx, aid, fid, tid);
  tx.send(tx.c.agents[aid]?.address ?? null, {
    type: 'KILL_TASK',
    framework_id: { value: fid },
    task_id: e.kill.task_id,
    ...(e.kill.kill_policy ? { kill_policy: e.kill.kill_policy } : {}),
  });
}

const killKey = (fid: string, tid: string) => `${fid}/${tid}`;

function rememberKill(tx: Tx, aid: string, fid: string, tid: string): void {
  const a = tx.c.agents[aid];
  const key = killKey(fid, tid);
  if (!a || (a.killed ?? []).includes(key)) return;
  tx.setAgent(aid, { ...a, killed: [...(a.killed ?? []), key].sort() });
}

/** The task left the books on agent `aid`: no kill of it is owed any more. */
function forgetKill(tx: Tx, aid: string, fid: string, tid: string): void {
  const a = tx.c.agents[aid];
  const key = killKey(fid, tid);
  if (!a || !(a.killed ?? []).includes(key)) return;
  const { killed: _k, ...rest } = a;
  const left = (a.killed ?? []).filter((k) => k !== key);
  tx.setAgent(aid, left.length ? { ...rest, killed: left } : rest);
}

// ------------------------------------------------------------------------------------ reconciliation

const RECONCILE_KNOWN = 'Reconciliation: Latest task state';

function reconcileStatus(r: TaskRecord, message: string): TaskStatus {
  return { ...masterStatus(r.task, reportedState(r.task), 'REASON_RECONCILIATION', message) };
}

/** Implicit: one UPDATE per task the framework has on reachable agents (terminal-but-unacked too). */
function reconcileImplicit(tx: Tx, fid: string): void {
  const f = tx.c.frameworks[fid]!;
  for (const [, r] of sortedEntries(f.tasks)) tx.send(f.connection, { type: 'UPDATE', update: { status: reconcileStatus(r, RECONCILE_KNOWN) } });
}

/** Explicit: what the master knows of each task, or what it can say about its agent. */
function reconcileExplicit(tx: Tx, fid: string, tasks: readonly { task_id: { value: string }; agent_id?: { value: string } }[]): void {
  const f = tx.c.frameworks[fid]!;
  for (const q of tasks) {
    const tid = q.task_id.value;
    // Only tasks on reachable agents are known (Mesos's Framework::getTask): an unreachable
    // task is answered by what the master knows of its agent (UNREACHABLE if it is named).
    const known = f.tasks[tid];
    let status: TaskStatus | null;
    if (known) status = reconcileStatus(known, RECONCILE_KNOWN);
    else status = unknownTaskAnswer(tx.c, f.info, q);
    if (status) tx.send(f.connection, { type: 'UPDATE', update: { status } });
  }
}

/** Mesos's answers for a task the master does not know, by what it knows of the agent. */
function unknownTaskAnswer(c: MasterContext, info: FrameworkInfo, q: { task_id: { value: string }; agent_id?: { value: string } }): TaskStatus | null {
  const aid = q.agent_id?.value;
  const target = { task_id: q.task_id, agent_id: { value: aid ?? '' } };
  const recovered = (id: string) => c.agents[id]?.recovered === true;
  if (aid !== undefined ? recovered(aid) : sortedEntries(c.agents).some(([, a]) => a.recovered)) return null; // wait for it
  if (aid !== undefined && c.agents[aid]) {
    return masterStatus(target, lostOr(info, 'TASK_GONE'), 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown to the agent');
  }
  if (aid !== undefined && c.registry.unreachable.includes(aid)) {
    return masterStatus(target, lostOr(info, 'TASK_UNREACHABLE'), 'REASON_RECONCILIATION', 'Reconciliation: Task is unreachable');
  }
  if (aid !== undefined && c.registry.gone.includes(aid)) {
    return masterStatus(target, lostOr(info, 'TASK_GONE_BY_OPERATOR'), 'REASON_RECONCILIATION', 'Reconciliation: Task is gone');
  }
  return masterStatus(target, lostOr(info, 'TASK_UNKNOWN'), 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown');
}

// ------------------------------------------------------------------------------------ agents

function addAgentRecord(tx: Tx, aid: string, info: AgentInfo, address: string): void {
  const parsed = resourcesOf(info);
  const total = agentTotal(tx.c.registry, aid, parsed.ok ? parsed.value : EMPTY);
  tx.setAgent(aid, { info: { ...info, id: { value: aid } }, address, recovered: false, awaitingPong: false, missedPings: 0, total });
  tx.cancel(ids.reregister(aid));
  if (tx.c.flags.agentPingTimeoutMs > 0) tx.timer(ids.ping(aid), { type: 'PING_DUE', agent_id: aid }, tx.c.flags.agentPingTimeoutMs);
}

/** What the agent waits without a PING before it assumes the master is gone (0: no pings at all). */
const pingTimeoutSeconds = (c: MasterContext) => (c.flags.agentPingTimeoutMs * c.flags.maxAgentPingTimeouts) / 1000;

/** An agent's message as delivered: with the principal the transport authenticated, if any. */
type FromAgent<T> = Delivered<T> & { readonly principal?: string };

/** The registry with `aid` bound to the principal that registered it (when agents authenticate). */
const bindPrincipal = (r: Registry, aid: string, principal: string | undefined): Registry =>
  principal === undefined || r.principals?.[aid] === principal ? r : { ...r, principals: { ...r.principals, [aid]: principal } };

/** REGISTER_AGENT: admit (registry first), assign an id, start pinging, offer its resources. */
function registerAgent(tx: Tx, e: FromAgent<Extract<InternalMessage, { type: 'REGISTER_AGENT' }>>): void {
  const existing = agentByAddress(tx.c, e.from);
  if (existing !== undefined) {
    // A retry of a registration that already succeeded.
    tx.send(e.from, { type: 'AGENT_REGISTERED', agent_id: { value: existing }, connection: { total_ping_timeout_seconds: pingTimeoutSeconds(tx.c) } });
    return;
  }
  const aid = agentIdFor(tx.c);
  tx.bump('agent');
  const info: AgentInfo = { ...e.agent_info, id: { value: aid } };
  tx.registry((r) => bindPrincipal({ ...r, admitted: { ...r.admitted, [aid]: info } }, aid, e.principal));
  tx.count('slave_registrations');
  addAgentRecord(tx, aid, info, e.from);
  tx.allocator((a) => allocator.addAgent(a, { agentId: aid, resources: tx.c.agents[aid]!.total }));
  tx.send(e.from, { type: 'AGENT_REGISTERED', agent_id: { value: aid }, connection: { total_ping_timeout_seconds: pingTimeoutSeconds(tx.c) } });
}

/**
 * REREGISTER_AGENT: an agent with an id comes back (master failover, partition healed, agent
 * restart, lost connection). Gone agents are shut down. Its reported tasks replace what the
 * master knew of them; tasks that were unreachable are re-added and reported to their framework.
 */
type Reregistration = FromAgent<Extract<InternalMessage, { type: 'REREGISTER_AGENT' }>>;

function reregisterAgent(tx: Tx, e: Reregistration): void {
  const aid = e.agent_info.id?.value;
  if (aid === undefined || reregistrationRefused(tx, aid, e)) return;
  const owed = tx.c.agents[aid]?.killed ?? [];
  // Not in the books (marked unreachable, or unknown to this master): its tasks come back, and
  // their frameworks hear so (Master::___reregisterSlave). A recovered or disconnected agent's do not.
  const returning = tx.c.agents[aid] === undefined ? (tx.c.registry.unreachable.includes(aid) ? 'Unreachable agent re-reregistered' : 'Unknown agent reregistered') : null;
  // Counted only for an agent the master does not hold as registered (Master::__reregisterSlave):
  // one known only from the registry, unreachable or unknown; not a registered one, connected or not.
  const readmitted = tx.c.agents[aid] === undefined || tx.c.agents[aid]!.recovered;
  readmitAgent(tx, aid, e);
  recoverReportedFrameworks(tx, e);
  // The agent's report is the truth about the tasks it has.
  const reported = [...(e.tasks ?? [])].sort((x, y) => (x.task_id.value < y.task_id.value ? -1 : x.task_id.value > y.task_id.value ? 1 : 0));
  for (const t of reported) adoptReportedTask(tx, aid, e, t, returning);
  forgetUnreportedUnreachable(tx, aid);
  reallocateAgent(tx, aid, e);
  // Frameworks removed meanwhile are shut down on the agent.
  for (const fid of new Set(reported.map((t) => t.framework_id.value))) {
    if (tx.c.completedFrameworks.includes(fid)) tx.send(e.from, { type: 'SHUTDOWN_FRAMEWORK', framework_id: { value: fid } });
  }
  if (readmitted) tx.count('slave_reregistrations');
  answerReregistration(tx, aid, e);
  syncCheckpointedResources(tx, aid, e.from, e.checkpointed_resources);
  // Kills the agent may have missed while it was away are sent again (reconcileKnownSlave);
  // they stay owed while the task lives.
  const stillOwed = reported.filter((t) => !terminal(t.state) && owed.includes(killKey(t.framework_id.value, t.task_id.value)));
  for (const t of stillOwed) {
    tx.send(e.from, { type: 'KILL_TASK', framework_id: t.framework_id, task_id: t.task_id });
  }
  if (stillOwed.length) tx.setAgent(aid, { ...tx.c.agents[aid]!, killed: stillOwed.map((t) => killKey(t.framework_id.value, t.task_id.value)).sort() });
}

/** Who may not reregister as `aid`: a gone agent, another host, or anyone while the id's agent is connected elsewhere. */
function reregistrationRefused(tx: Tx, aid: string, e: Reregistration): boolean {
  if (tx.c.registry.gone.includes(aid)) {
    tx.send(e.from, { type: 'SHUTDOWN_AGENT', message: 'Agent has been marked gone' });
    return true;
  }
  const known = tx.c.agents[aid];
  if (known && known.info.hostname !== e.agent_info.hostname) {
    // Mesos shuts down whoever claims a registered agent's id from another host (Master::_reregisterSlave).
    tx.send(e.from, { type: 'SHUTDOWN_AGENT', message: 'Agent attempted to reregister with different IP / hostname' });
    return true;
  }
  // The id is another live connection's: nobody takes over a connected agent (Mesos ignores a
  // reregistration while one is in progress). A restarted agent retries once its old link broke.
  return known !== undefined && known.address !== null && known.address !== e.from;
}

/** The agent is reachable again (persisted first) and gets a fresh record; what it was offered is rescinded. */
function readmitAgent(tx: Tx, aid: string, e: Reregistration): void {
  const wasUnreachable = tx.c.registry.unreachable.includes(aid);
  const unbound = e.principal !== undefined && tx.c.registry.principals?.[aid] === undefined;
  if (wasUnreachable || !tx.c.registry.admitted[aid] || unbound) {
    // MarkSlaveReachable (or re-admission of an agent the registry forgot, or the binding of an id
    // admitted before agents authenticated), persisted first.
    tx.registry((r) => bindPrincipal({ ...r, admitted: { ...r.admitted, [aid]: e.agent_info }, unreachable: r.unreachable.filter((x) => x !== aid) }, aid, e.principal));
  }
  cancelRemoval(tx, aid);
  if (tx.c.agents[aid]) {
    rescindOffersOn(tx, aid);
    tx.allocator((a) => (allocator.getAgent(a, aid) ? allocator.removeAgent(a, aid) : a));
  }
  addAgentRecord(tx, aid, e.agent_info, e.from);
}

/** A framework the master learns of from an agent: recovered, waiting for its SUBSCRIBE (Master::recoverFramework). */
function recoverFramework(tx: Tx, fid: string, info: FrameworkInfo): FrameworkRecord {
  const f: FrameworkRecord = { info, connection: null, stream: null, tasks: {}, unreachable: {}, completed: [] };
  tx.setFramework(fid, f);
  tx.allocator((a) => allocator.addFramework(a, { frameworkId: fid, roles: rolesOf(info), active: false }));
  return f;
}

/**
 * Every framework the agent runs that the master does not know is recovered, with or without
 * tasks (Master::updateSlaveFrameworks): one that has only an executor there gets it booked, and
 * its resources counted, when the executors are adopted.
 */
function recoverReportedFrameworks(tx: Tx, e: Reregistration): void {
  for (const info of e.frameworks ?? []) {
    const fid = info.id?.value;
    if (fid !== undefined && tx.c.frameworks[fid] === undefined && !tx.c.completedFrameworks.includes(fid)) recoverFramework(tx, fid, info);
  }
}

/**
 * One task the agent reports replaces what the master knew of it; on an agent that was not in the
 * books (`returning` says why, Mesos's message) the task is back, and its framework hears so.
 */
function adoptReportedTask(tx: Tx, aid: string, e: Reregistration, t: Task, returning: string | null): void {
  const fid = t.framework_id.value;
  if (tx.c.completedFrameworks.includes(fid)) return;
  // A framework the agent listed is recovered already; one it did not list comes back nameless.
  const f = tx.c.frameworks[fid] ?? recoverFramework(tx, fid, { user: '', name: '', id: { value: fid } });
  const tid = t.task_id.value;
  // A terminal task the framework already acknowledged (the ack had not reached the agent) is
  // completed: it is not re-added, or it would be completed twice.
  if (terminal(t.state) && !f.tasks[tid] && !f.unreachable[tid] && f.completed.includes(tid)) return;
  const previous = f.tasks[tid] ?? f.unreachable[tid];
  const record: TaskRecord = { task: { ...t, agent_id: { value: aid } }, role: previous?.role ?? rolesOf(f.info)[0]! };
  const { [tid]: _back, ...unreachable } = f.unreachable;
  tx.setFramework(fid, { ...f, tasks: { ...f.tasks, [tid]: record }, unreachable });
  if (returning !== null) {
    // The task comes back (from UNREACHABLE or LOST, or to a master that never knew it): its
    // framework hears the agent's word, if it is connected (Mesos drops the update otherwise).
    const status = masterStatus(record.task, t.state, 'REASON_AGENT_REREGISTERED', returning);
    tx.send(f.connection, { type: 'UPDATE', update: { status } });
  }
}

/**
 * Every task of a reregistered agent is reachable again: the unreachable records of those it did
 * not report go (Master::___reregisterSlave erases the agent's whole slaves.unreachableTasks entry);
 * a framework that asks learns they are gone from the agent.
 */
function forgetUnreportedUnreachable(tx: Tx, aid: string): void {
  for (const [fid, f] of sortedEntries(tx.c.frameworks)) {
    const kept = Object.entries(f.unreachable).filter(([, r]) => r.task.agent_id.value !== aid);
    if (kept.length !== Object.keys(f.unreachable).length) tx.setFramework(fid, { ...f, unreachable: Object.fromEntries(kept) });
  }
}

/** The agent goes back to the allocator with what its live tasks and custom executors hold. */
function reallocateAgent(tx: Tx, aid: string, e: Reregistration): void {
  // Everything the books hold on the agent and not yet ended stays allocated.
  const used = tasksOnAgent(tx.c, aid)
    .filter(({ record }) => !terminal(record.task.state))
    .flatMap(({ fid, record }) => {
      const r = resourcesOf(record.task);
      return r.ok && !isEmpty(r.value) ? [{ frameworkId: fid, role: record.role, resources: r.value }] : [];
    });
  // Its custom executors too (ReregisterSlaveMessage's executor_infos).
  used.push(...executors.adoptReportedExecutors(tx, aid, e.executor_infos ?? [], (info) => rolesOf(info)[0]!));
  tx.allocator((a) => allocator.addAgent(a, { agentId: aid, resources: tx.c.agents[aid]!.total, used: mergeUsed(used), ...(isDeactivated(tx.c, aid) ? { active: false } : {}) }));
}

/** AGENT_REREGISTERED, with the tasks the master believes are there for the agent to reconcile. */
function answerReregistration(tx: Tx, aid: string, e: Reregistration): void {
  const reconciliations = sortedEntries(tx.c.frameworks)
    .map(([fid, f]) => ({
      framework_id: { value: fid },
      // The agent may not know the framework: its answer (TASK_DROPPED or TASK_LOST) depends on
      // the framework's capabilities, so Mesos sends its FrameworkInfo along.
      framework: f.info,
      statuses: sortedEntries(f.tasks)
        .filter(([, r]) => r.task.agent_id.value === aid && !terminal(r.task.state))
        .map(([, r]) => ({ task_id: r.task.task_id, state: r.task.state })),
    }))
    .filter((x) => x.statuses.length > 0);
  tx.send(e.from, {
    type: 'AGENT_REREGISTERED',
    agent_id: { value: aid },
    ...(reconciliations.length ? { reconciliations } : {}),
    connection: { total_ping_timeout_seconds: pingTimeoutSeconds(tx.c) },
  });
}

function mergeUsed(used: { frameworkId: string; role: string; resources: Resources }[]) {
  const merged = new Map<string, { frameworkId: string; role: string; resources: Resources }>();
  for (const u of used) {
    const key = `${u.frameworkId}\u0000${u.role}`;
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, resources: add(prev.resources, u.resources) } : u);
  }
  return [...merged.values()];
}

/** The agent's connection broke: stop offering it; wait agent_reregister_timeout for it. */
function disconnectAgent(tx: Tx, aid: string): void {
  const a = tx.c.agents[aid]!;
  tx.setAgent(aid, { ...a, address: null });
  rescindOffersOn(tx, aid);
  tx.allocator((s) => allocator.deactivateAgent(s, aid));
  // Tasks of frameworks that do not checkpoint are lost with the connection, terminal ones
  // too (Mesos's removeFramework(slave, framework)): their updates are gone with the agent.
  for (const { fid, record } of tasksOnAgent(tx.c, aid)) {
    const f = tx.c.frameworks[fid]!;
    if (f.info.checkpoint) continue;
    const status = masterStatus(record.task, lostOr(f.info, 'TASK_LOST'), 'REASON_AGENT_DISCONNECTED', 'Agent disconnected');
    removeTaskAsLost(tx, fid, record, status);
  }
  // So are their executors, whose resources go back once (Master::removeFramework(slave, framework)).
  for (const [fid, f] of sortedEntries(tx.c.frameworks)) if (!f.info.checkpoint) executors.removeExecutorsOf(tx, fid, aid);
  tx.timer(ids.reregister(aid), { type: 'REREGISTER_TIMEOUT', agent_id: aid }, tx.c.flags.agentReregisterTimeoutMs);
}

function removeTaskAsLost(tx: Tx, fid: string, record: TaskRecord, status: TaskStatus): void {
  const f = tx.c.frameworks[fid]!;
  releaseTask(tx, fid, record);
  const tid = record.task.task_id.value;
  const { [tid]: _gone, ...tasks } = f.tasks;
  tx.setFramework(fid, { ...f, tasks, completed: [...f.completed, tid].sort() });
  if (!terminal(record.task.state)) tx.ended(fid, tid, status.state);
  forgetKill(tx, record.task.agent_id.value, fid, tid);
  tx.send(f.connection, { type: 'UPDATE', update: { status } });
}

/**
 * The agent missed too many pings, or did not come back in time: registry first, then its
 * offers are rescinded, its tasks become UNREACHABLE (PA) or LOST and are released, and every
 * connected framework gets FAILURE.
 */
function markUnreachable(tx: Tx, aid: string): void {
  // Mesos counts the removal (reason unhealthy), and a recovery removal for an agent recovered from
  // the registry that did not come back after a failover (Master::_markUnreachable).
  tx.count('slave_removals');
  tx.count('slave_removals/reason_unhealthy');
  if (tx.c.agents[aid]?.recovered) tx.count('recovery_slave_removals');
  cancelRemoval(tx, aid);
  tx.registry((r) => ({ ...r, unreachable: [...r.unreachable.filter((x) => x !== aid), aid].sort() }));
  rescindOffersOn(tx, aid);
  for (const { fid, record } of tasksOnAgent(tx.c, aid)) {
    const f = tx.c.frameworks[fid]!;
    const tid = record.task.task_id.value;
    const { [tid]: _moved, ...tasks } = f.tasks;
    if (terminal(record.task.state)) {
      tx.setFramework(fid, { ...f, tasks, completed: [...f.completed, tid].sort() });
      continue;
    }
    const state = lostOr(f.info, 'TASK_UNREACHABLE');
    const status = masterStatus(record.task, state, 'REASON_AGENT_REMOVED', 'Agent is unreachable');
    releaseTask(tx, fid, record);
    const task = withStatus(record.task, status, state);
    tx.setFramework(fid, { ...f, tasks, unreachable: { ...f.unreachable, [tid]: { ...record, task } } });
    tx.send(f.connection, { type: 'UPDATE', update: { status } });
  }
  tx.setAgent(aid, undefined);
  executors.forgetExecutorsOn(tx, aid);
  tx.cancel(ids.ping(aid));
  tx.cancel(ids.reregister(aid));
  tx.allocator((a) => (allocator.getAgent(a, aid) ? allocator.removeAgent(a, aid) : a));
  for (const [, f] of sortedEntries(tx.c.frameworks)) tx.send(f.connection, { type: 'FAILURE', failure: { agent_id: { value: aid } } });
}

/** Every agent_ping_timeout: a ping without a pong counts as a miss; too many -> unreachable. */
function ping(tx: Tx, aid: string): void {
  const a = tx.c.agents[aid];
  if (!a) return;
  const missed = a.awaitingPong ? a.missedPings + 1 : 0;
  if (missed >= tx.c.flags.maxAgentPingTimeouts && acquireRemovalPermit(tx, aid)) {
    markUnreachable(tx, aid);
    return;
  }
  // Else it waits for a removal permit (--agent_removal_rate_limit) and is still pinged: a pong cancels (SlaveObserver).
  // Counted up to the limit only: an agent waiting for a removal permit misses more (and the state stays finite).
  tx.setAgent(aid, { ...a, awaitingPong: true, missedPings: Math.min(missed, tx.c.flags.maxAgentPingTimeouts) });
  tx.send(a.address, { type: 'PING', connected: a.address !== null });
  tx.timer(ids.ping(aid), { type: 'PING_DUE', agent_id: aid }, tx.c.flags.agentPingTimeoutMs);
}

// ------------------------------------------------------------------------------------ the machine

type Handler<E> = (tx: Tx, event: E) => void;

/** One handler as one XState action (transaction.ts `commit`): the new context, then its effects and timers in order. */
function handler<E>(fn: Handler<E>) {
  return enqueueActions(({ context, event, enqueue }: { context: MasterContext; event: MasterEvent; enqueue: any }) => {
    const tx = new Tx(context);
    fn(tx, event as unknown as E);
    // A draining agent whose last task just left is DRAINED (master/drain.ts; nothing without a drain).
    checkDrained(tx);
    // Every status change of a framework, agent, offer or task must be one its lifecycle declares.
    checkStep(MASTER_LIFECYCLES, context, tx.c, event);
    commit(enqueue, tx.c, tx.steps);
  }) as never;
}

type Call<T extends SchedulerCall['type']> = Extract<CallEvent, { type: T }>;

export function initialMasterContext(input: MasterInput): MasterContext {
  const flags = { ...DEFAULT_MASTER_FLAGS, ...(input.flags ?? {}) };
  const registry = input.registry ?? { admitted: {}, unreachable: [], gone: [] };
  // After a failover, admitted agents are "recovered" until they reregister.
  const agents: Record<string, AgentRecord> = {};
  for (const [aid, info] of sortedEntries(registry.admitted)) {
    if (registry.unreachable.includes(aid) || registry.gone.includes(aid)) continue;
    const parsed = resourcesOf(info);
    agents[aid] = { info, address: null, recovered: true, awaitingPong: false, missedPings: 0, total: agentTotal(registry, aid, parsed.ok ? parsed.value : EMPTY) };
  }
  return {
    id: input.id,
    info: { id: input.id, ip: 16777343, port: 5050, hostname: 'localhost', version: '1.11.0', ...(input.info ?? {}) },
    flags,
    fresh: { framework: 0, agent: 0, offer: 0, stream: 0 },
    registry,
    frameworks: {},
    completedFrameworks: [],
    agents,
    offers: {},
    allocator: initialQuotas(
      allocator.updateWeights(
        allocator.emptyAllocator({
          allocationIntervalSeconds: flags.allocationIntervalMs / 1000,
          ...(flags.allocationCountSpread !== undefined ? { countSpread: flags.allocationCountSpread } : {}),
        }),
        initialWeights(flags.weights, registry),
      ),
      registry,
    ),
  };
}

/**
 * The input of the master that takes over after a failover: its predecessor's registry and a
 * new id (Mesos masters draw a fresh UUID; the model marks the generation with a prime).
 */
export function masterRestartInput(context: MasterContext): MasterInput {
  return { id: `${context.id}'`, info: { ...context.info, id: `${context.id}'` }, flags: context.flags, registry: context.registry };
}

/**
 * The gate every scheduler call but SUBSCRIBE passes, in Mesos's order (reference 1.5): the
 * framework must be known (400), subscribed (403) and on its current stream (400).
 */
function gate() {
  return [
    { guard: 'unknownFramework' as const, actions: { type: 'answer' as const, params: { status: 400, message: 'Framework cannot be found' } } },
    { guard: 'frameworkNotSubscribed' as const, actions: { type: 'answer' as const, params: { status: 403, message: 'Framework is not subscribed' } } },
    {
      guard: 'staleStream' as const,
      actions: { type: 'answer' as const, params: ({ event }: { event: MasterEvent }) => ({ status: 400, message: streamMismatch(event as CallEvent) }) },
    },
  ];
}
const accepted = 'acceptCall' as const;

/** Mesos's two messages for a call on the wrong stream. */
function streamMismatch(e: CallEvent): string {
  if (e.stream_id === undefined) return "All non-subscribe calls should include the 'Mesos-Stream-Id' header";
  return `The stream ID '${e.stream_id}' included in this request didn't match the stream ID currently associated with framework ID ${e.framework_id!.value}`;
}

/** UPDATE_FRAMEWORK is answered synchronously: 200, or 400 for what may not change (Master::updateFramework). */
function updateFramework(tx: Tx, e: Call<'UPDATE_FRAMEWORK'>): void {
  const fid = e.framework_id.value;
  const f = tx.c.frameworks[fid]!;
  const wanted = e.update_framework.framework_info;
  if (wanted.id?.value !== undefined && wanted.id.value !== fid) {
    tx.effect(reply(e.request, 400, "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'"));
    return;
  }
  // Mesos's three checks, each with its own prefix (Master::updateFramework).
  const invalid = frameworkInfoError(wanted);
  const unchangeable = invalid === null ? frameworkUpdateError(f.info, wanted) : null;
  const stray = invalid === null && unchangeable === null ? suppressedRolesError(rolesOf(wanted), e.update_framework.suppressed_roles ?? []) : null;
  const refusal =
    invalid !== null
      ? `Supplied FrameworkInfo is not valid: ${invalid}`
      : unchangeable !== null
        ? `FrameworkInfo update is not valid: ${unchangeable}`
        : stray !== null
          ? `'UpdateFramework' call is not valid: ${stray}`
          : null;
  if (refusal !== null) {
    tx.effect(reply(e.request, 400, refusal));
    return;
  }
  tx.effect(reply(e.request, 200));
  const info: FrameworkInfo = { ...wanted, id: { value: fid }, ...immutableFields(f.info) };
  tx.setFramework(fid, { ...f, info });
  const roles = rolesOf(info);
  const suppressed = [...(e.update_framework.suppressed_roles ?? [])].filter((r) => roles.includes(r)).sort();
  tx.allocator((a) => allocator.updateFramework(a, { frameworkId: fid, roles, suppressedRoles: suppressed }));
  for (const [, a] of sortedEntries(tx.c.agents)) tx.send(a.address, { type: 'UPDATE_FRAMEWORK_AGENT', framework_id: { value: fid }, framework_info: info });
}

/** A call that passed the gate is answered `202 Accepted`, then handled. */
function authenticated<A extends string>(action: A) {
  return [...gate(), { actions: [accepted, action] }];
}

export const master = setup({
  types: {} as { context: MasterContext; events: MasterEvent; input: MasterInput; emitted: MachineEffect },
  guards: {
    unknownFramework: ({ context, event }) => !context.frameworks[(event as CallEvent).framework_id?.value ?? ''],
    frameworkNotSubscribed: ({ context, event }) => context.frameworks[(event as CallEvent).framework_id!.value]!.connection === null,
    staleStream: ({ context, event }) => context.frameworks[(event as CallEvent).framework_id!.value]!.stream !== (event as CallEvent).stream_id,
    subscribeRefused: ({ context, event }) => subscribeError(context, event as Call<'SUBSCRIBE'>) !== null,
    /** An explicit RECONCILE names tasks; an empty list asks about all of them. */
    explicitReconcile: ({ event }) => ((event as Call<'RECONCILE'>).reconcile.tasks ?? []).length > 0,
    fromFramework: ({ context, event }) => frameworkByConnection(context, (event as { peer: string }).peer) !== undefined,
    fromAgent: ({ context, event }) => agentByAddress(context, (event as { peer: string }).peer) !== undefined,
    /**
     * With --authenticate_agents only an authenticated agent (re)registers (Master::registerSlave:
     * "Refusing registration of agent at ... because it is not authenticated").
     */
    agentAuthenticated: ({ context, event }) => !context.flags.authenticateAgents || (event as { principal?: string }).principal !== undefined,
    /**
     * The agent id a REREGISTER_AGENT names is the caller's: when agents authenticate, the id was
     * admitted with the caller's principal (an id nobody was admitted with belongs to no one yet:
     * claiming it is claiming an identity never issued). An admitted id with no principal comes
     * from a registry written before agents authenticated: its next registration binds it.
     */
    agentIdIsCallers: ({ context, event }) => {
      const e = event as FromAgent<Extract<InternalMessage, { type: 'REREGISTER_AGENT' }>>;
      const aid = e.agent_info.id?.value;
      if (!context.flags.authenticateAgents) return true;
      if (aid === undefined) return false;
      const owner = context.registry.principals?.[aid];
      return owner === undefined ? context.registry.admitted[aid] !== undefined : owner === e.principal;
    },
    /** Messages from an agent the master does not consider registered are ignored. */
    fromRegisteredAgent: ({ context, event }) => agentByAddress(context, (event as { from: string }).from) !== undefined,
    /**
     * An executor's exit is taken for the agent it names while that agent is in the books (Master::exitedExecutor
     * looks the agent up by id, connected or not): a restarting agent reports the executors it destroyed in
     * recovery before it reregisters. A connected agent's own connection must send it.
     */
    exitedOnBookedAgent: ({ context, event }) => {
      const e = event as { from: string; agent_id: { value: string } };
      const a = context.agents[e.agent_id.value];
      return a !== undefined && !a.recovered && (a.address === e.from || a.address === null);
    },
    /** UNREGISTER_AGENT names the agent that sends it (master/removal.ts). */
    unregistersItself: ({ context, event }) => unregistersItself(context, event as UnregisterEvent),
    agentStillAway: ({ context, event }) => {
      const a = context.agents[(event as { agent_id: string }).agent_id];
      return a !== undefined && (a.address === null || a.recovered);
    },
    frameworkStillDisconnected: ({ context, event }) => {
      const f = context.frameworks[(event as { framework_id: string }).framework_id];
      return f !== undefined && f.connection === null;
    },
  },
  actions: {
    answer: emit(({ event }, params: { status: number; message?: string }) => reply((event as { request?: string }).request, params.status, params.message)),
    /** `202 Accepted`, and the call counts for its framework (Mesos counts a call once it passed the gate). */
    acceptCall: enqueueActions(({ event, enqueue }: { event: MasterEvent; enqueue: any }) => {
      const e = event as CallEvent;
      enqueue.emit(reply(e.request, 202));
      enqueue.emit({ type: 'count', counter: 'call', call: e.type, framework: e.framework_id!.value } satisfies CountEffect);
    }) as never,
    subscribe: handler<Call<'SUBSCRIBE'>>(subscribe),
    refuseSubscription: handler<Call<'SUBSCRIBE'>>((tx, e) => {
      tx.send(e.from, { type: 'ERROR', error: { message: subscribeError(tx.c, e)! } }, { close: true });
    }),
    teardown: handler<Call<'TEARDOWN'>>((tx, e) => removeFramework(tx, e.framework_id.value)),
    operatorTeardown: handler<{ type: 'OPERATOR_TEARDOWN'; framework_id: string; request?: string }>((tx, e) => {
      const known = tx.c.frameworks[e.framework_id] !== undefined;
      tx.effect(reply(e.request, known ? 200 : 400, known ? undefined : 'No framework found with specified ID'));
      removeFramework(tx, e.framework_id);
    }),
    accept: handler<Call<'ACCEPT'>>(accept),
    decline: handler<Call<'DECLINE'>>(decline),
    revive: handler<Call<'REVIVE'>>((tx, e) => {
      const fid = e.framework_id.value;
      const roles = e.revive?.roles;
      if (strayRole(tx.c, fid, roles) !== undefined) return; // Mesos drops the whole call
      cancelFilterTimers(tx, fid, roles && roles.length ? roles : undefined);
      tx.allocator((a) => allocator.revive(a, { frameworkId: fid, ...(roles ? { roles } : {}) }));
    }),
    suppress: handler<Call<'SUPPRESS'>>((tx, e) => {
      const roles = e.suppress?.roles;
      if (strayRole(tx.c, e.framework_id.value, roles) !== undefined) return; // dropped, as REVIVE
      tx.allocator((a) => allocator.suppress(a, { frameworkId: e.framework_id.value, ...(roles ? { roles } : {}) }));
    }),
    kill: handler<Call<'KILL'>>(kill),
    acknowledge: handler<Call<'ACKNOWLEDGE'>>(acknowledge),
    reconcileImplicitly: handler<Call<'RECONCILE'>>((tx, e) => reconcileImplicit(tx, e.framework_id.value)),
    reconcileExplicitly: handler<Call<'RECONCILE'>>((tx, e) => reconcileExplicit(tx, e.framework_id.value, e.reconcile.tasks ?? [])),
    frameworkMessage: handler<Call<'MESSAGE'>>((tx, e) => {
      const a = tx.c.agents[e.message.agent_id.value];
      tx.count(a?.address ? 'valid_framework_to_executor_messages' : 'invalid_framework_to_executor_messages');
      tx.send(a?.address ?? null, {
        type: 'FRAMEWORK_TO_EXECUTOR',
        agent_id: e.message.agent_id,
        framework_id: e.framework_id,
        executor_id: e.message.executor_id,
        data: e.message.data,
      });
    }),
    shutdownExecutor: handler<Call<'SHUTDOWN'>>((tx, e) => {
      const a = tx.c.agents[e.shutdown.agent_id.value];
      tx.send(a?.address ?? null, { type: 'SHUTDOWN_EXECUTOR', executor_id: e.shutdown.executor_id, framework_id: e.framework_id });
    }),
    updateFramework: handler<Call<'UPDATE_FRAMEWORK'>>(updateFramework),
    ignoreCall: () => {},
    disconnectFramework: handler<{ type: 'LINK_BROKEN'; peer: string }>((tx, e) => disconnectFramework(tx, frameworkByConnection(tx.c, e.peer)!)),
    disconnectAgent: handler<{ type: 'LINK_BROKEN'; peer: string }>((tx, e) => disconnectAgent(tx, agentByAddress(tx.c, e.peer)!)),
    heartbeat: handler<{ type: 'HEARTBEAT_DUE'; framework_id: string }>((tx, e) => {
      if (tx.c.frameworks[e.framework_id]?.connection) heartbeat(tx, e.framework_id);
    }),
    failoverTimeout: handler<{ type: 'FAILOVER_TIMEOUT'; framework_id: string }>((tx, e) => removeFramework(tx, e.framework_id)),
    allocate: handler<{ type: 'ALLOCATION_DUE' }>((tx) => allocate(tx)),
    expireFilter: handler<{ type: 'FILTER_EXPIRED'; framework_id: string; role: string; agent_id: string; id: string }>((tx, e) => {
      tx.allocator((a) => allocator.expireFilter(a, { frameworkId: e.framework_id, role: e.role, agentId: e.agent_id, id: e.id }));
    }),
    registerAgent: handler<FromAgent<Extract<InternalMessage, { type: 'REGISTER_AGENT' }>>>(registerAgent),
    reregisterAgent: handler<FromAgent<Extract<InternalMessage, { type: 'REREGISTER_AGENT' }>>>(reregisterAgent),
    // After a reregistration: a draining agent is sent its drain again (master/drain.ts).
    resumeDrain: handler<FromAgent<Extract<InternalMessage, { type: 'REREGISTER_AGENT' }>>>((tx, e) => {
      const aid = e.agent_info.id?.value;
      if (aid !== undefined && tx.c.agents[aid]?.address === e.from) resumeDrain(tx, aid, e.from);
    }),
    /** Mesos drops an unauthenticated agent's (re)registration with a warning, and so does the master here. */
    refuseUnauthenticatedAgent: () => {},
    /**
     * Whoever claims an agent id admitted with another principal is not that agent: shut down, as
     * Mesos shuts down an agent claiming a registered id from another host; nothing else changes.
     */
    refuseForeignAgentId: handler<FromAgent<Extract<InternalMessage, { type: 'REREGISTER_AGENT' }>>>((tx, e) => {
      tx.send(e.from, { type: 'SHUTDOWN_AGENT', message: 'Agent attempted to reregister with an agent ID admitted with another principal' });
    }),
    statusUpdate: handler<Delivered<Extract<InternalMessage, { type: 'STATUS_UPDATE' }>>>(statusUpdate),
    /** An update from a connection that is no registered agent is ignored, and counted invalid (Master::statusUpdate). */
    countInvalidStatusUpdate: emit({ type: 'count', counter: 'invalid_status_updates' } satisfies CountEffect),
    pong: handler<Delivered<{ type: 'PONG' }>>((tx, e) => {
      const aid = agentByAddress(tx.c, e.from)!;
      tx.setAgent(aid, { ...tx.c.agents[aid]!, awaitingPong: false, missedPings: 0 });
      cancelRemoval(tx, aid);
    }),
    ping: handler<{ type: 'PING_DUE'; agent_id: string }>((tx, e) => ping(tx, e.agent_id)),
    markUnreachable: handler<{ type: 'REREGISTER_TIMEOUT'; agent_id: string }>((tx, e) => {
      if (acquireRemovalPermit(tx, e.agent_id)) markUnreachable(tx, e.agent_id);
    }),
    /** A removal permit is free again: the first agent still waiting for one is marked unreachable. */
    grantRemovalPermit: handler<RemovalPermitEvent>((tx) => {
      const aid = grantRemovalPermit(tx);
      if (aid !== undefined) markUnreachable(tx, aid);
    }),
    unregisterAgent: handler(unregisterAgent),
    executorExited: handler<Delivered<Extract<InternalMessage, { type: 'EXECUTOR_EXITED' }>>>((tx, e) => executors.exitedExecutor(tx, e.agent_id.value, e)),
    executorMessage: handler<Delivered<Extract<InternalMessage, { type: 'EXECUTOR_TO_FRAMEWORK' }>>>((tx, e) => {
      const f = tx.c.frameworks[e.framework_id.value];
      tx.send(f?.connection ?? null, { type: 'MESSAGE', message: { agent_id: e.agent_id, executor_id: e.executor_id, data: e.data } });
    }),
    operatorMarkAgentGone: handler(markAgentGone),
    operatorDeactivateAgent: handler(deactivateAgent),
    operatorReactivateAgent: handler(reactivateAgent),
    operatorUpdateWeights: handler(updateWeights),
    operatorUpdateQuota: handler(updateQuota),
    operatorDrainAgent: handler(drainAgent),
    operatorReserve: handler(reserve),
    operatorUnreserve: handler(unreserve),
    operatorCreateVolumes: handler(operations.createVolumes),
    operatorDestroyVolumes: handler(operations.destroyVolumes),
    offerTimeout: handler(offerTimedOut),
    startAllocating: handler((tx) => {
      tx.timer(ids.allocation, { type: 'ALLOCATION_DUE' }, tx.c.flags.allocationIntervalMs);
      // Recovered agents have agent_reregister_timeout to come back.
      for (const [aid] of sortedEntries(tx.c.agents)) {
        tx.timer(ids.reregister(aid), { type: 'REREGISTER_TIMEOUT', agent_id: aid }, tx.c.flags.agentReregisterTimeoutMs);
      }
    }),
  },
}).createMachine({
  id: 'master',
  context: ({ input }) => initialMasterContext(input),
  initial: 'leading',
  states: {
    leading: {
      entry: 'startAllocating',
      on: {
        // Frameworks.
        SUBSCRIBE: [{ guard: 'subscribeRefused', actions: 'refuseSubscription' }, { actions: 'subscribe' }],
        TEARDOWN: authenticated('teardown'),
        OPERATOR_TEARDOWN: { actions: 'operatorTeardown' },
        LINK_BROKEN: [
          { guard: 'fromFramework', actions: 'disconnectFramework' },
          { guard: 'fromAgent', actions: 'disconnectAgent' },
        ],
        HEARTBEAT_DUE: { actions: 'heartbeat' },
        FAILOVER_TIMEOUT: { guard: 'frameworkStillDisconnected', actions: 'failoverTimeout' },
        UPDATE_FRAMEWORK: [...gate(), { actions: 'updateFramework' as const }],
        // Offers.
        ALLOCATION_DUE: { actions: 'allocate' },
        ACCEPT: authenticated('accept'),
        DECLINE: authenticated('decline'),
        REVIVE: authenticated('revive'),
        SUPPRESS: authenticated('suppress'),
        FILTER_EXPIRED: { actions: 'expireFilter' },
        OFFER_TIMEOUT: { actions: 'offerTimeout' },
        ACCEPT_INVERSE_OFFERS: authenticated('ignoreCall'),
        DECLINE_INVERSE_OFFERS: authenticated('ignoreCall'),
        REQUEST: authenticated('ignoreCall'),
        // Tasks.
        KILL: authenticated('kill'),
        ACKNOWLEDGE: authenticated('acknowledge'),
        RECONCILE: [
          ...gate(),
          { guard: 'explicitReconcile' as const, actions: [accepted, 'reconcileExplicitly' as const] },
          { actions: [accepted, 'reconcileImplicitly' as const] },
        ],
        MESSAGE: authenticated('frameworkMessage'),
        SHUTDOWN: authenticated('shutdownExecutor'),
        ACKNOWLEDGE_OPERATION_STATUS: authenticated('ignoreCall'),
        RECONCILE_OPERATIONS: authenticated('ignoreCall'),
        // Agents.
        REGISTER_AGENT: [{ guard: not('agentAuthenticated'), actions: 'refuseUnauthenticatedAgent' }, { actions: 'registerAgent' }],
        REREGISTER_AGENT: [
          { guard: not('agentAuthenticated'), actions: 'refuseUnauthenticatedAgent' },
          { guard: not('agentIdIsCallers'), actions: 'refuseForeignAgentId' },
          { actions: ['reregisterAgent', 'resumeDrain'] },
        ],
        STATUS_UPDATE: [{ guard: 'fromRegisteredAgent', actions: 'statusUpdate' }, { actions: 'countInvalidStatusUpdate' }],
        PONG: { guard: 'fromRegisteredAgent', actions: 'pong' },
        PING_DUE: { actions: 'ping' },
        REREGISTER_TIMEOUT: { guard: 'agentStillAway', actions: 'markUnreachable' },
        REMOVAL_PERMIT: { actions: 'grantRemovalPermit' },
        EXECUTOR_EXITED: { guard: 'exitedOnBookedAgent', actions: 'executorExited' },
        UNREGISTER_AGENT: { guard: 'unregistersItself', actions: 'unregisterAgent' },
        EXECUTOR_TO_FRAMEWORK: { guard: 'fromRegisteredAgent', actions: 'executorMessage' },
        // Operators.
        OPERATOR_MARK_AGENT_GONE: { actions: 'operatorMarkAgentGone' },
        OPERATOR_DEACTIVATE_AGENT: { actions: 'operatorDeactivateAgent' },
        OPERATOR_REACTIVATE_AGENT: { actions: 'operatorReactivateAgent' },
        OPERATOR_UPDATE_WEIGHTS: { actions: 'operatorUpdateWeights' },
        OPERATOR_UPDATE_QUOTA: { actions: 'operatorUpdateQuota' },
        OPERATOR_DRAIN_AGENT: { actions: 'operatorDrainAgent' },
        OPERATOR_RESERVE: { actions: 'operatorReserve' },
        OPERATOR_UNRESERVE: { actions: 'operatorUnreserve' },
        OPERATOR_CREATE_VOLUMES: { actions: 'operatorCreateVolumes' },
        OPERATOR_DESTROY_VOLUMES: { actions: 'operatorDestroyVolumes' },
      },
    },
  },
});

export type { TaskState };

/**
 * The handlers, and the wrapper that makes one an XState action, for tests that build mutants
 * with `master.provide({ actions: { name: handler(variant) } })`. Not used by the product.
 */
export const masterInternals = {
  handler,
  accept,
  allocate,
  statusUpdate,
  reregisterAgent,
  disconnectAgent,
  acknowledge,
  subscribe,
  removeFramework,
  disconnectFramework,
  registerAgent,
  reconcileExplicit,
  ping,
  markUnreachable,
  updateFramework,
};
