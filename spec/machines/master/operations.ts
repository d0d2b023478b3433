/**
 * An ACCEPT's offer operations other than LAUNCH and LAUNCH_GROUP (Master::_accept in
 * src/master/master.cpp, the checks of validation::operation::validate in
 * src/master/validation.cpp, with their messages).
 *
 * RESERVE, UNRESERVE, CREATE and DESTROY are conversions of the offered resources, applied in
 * the order the ACCEPT lists them to what is left of its offers: a LAUNCH after a RESERVE in the
 * same ACCEPT uses the reserved resources. Each one that applies changes the agent's total (kept
 * in the registry, reservations.ts `recordTotal`, so it survives agent restarts and failovers)
 * and what the framework holds (the allocator's `updateAllocation`), and its resources come back
 * in their new shape in the next offers. An operation with an `id` asked for feedback: it gets
 * UPDATE_OPERATION_STATUS with OPERATION_FINISHED once applied (the reference's master is the
 * one that checkpoints, so it answers where Mesos forwards the agent's answer), OPERATION_ERROR
 * when Mesos's validation, the authorizer or the conversion refuses it (Master::drop), and
 * OPERATION_DROPPED when its agent is gone or disconnected (Mesos skips them there and its
 * reconciliation answers DROPPED later). Without an id a refused operation is silent, as in Mesos.
 *
 * GROW_VOLUME, SHRINK_VOLUME, CREATE_DISK, DESTROY_DISK and unknown types are refused with
 * OPERATION_ERROR (`answerUnimplemented`): one case per type, so an implementation replaces its case.
 */
import * as allocator from '../../allocator/index.ts';
import type { OfferOperation, OperationState } from '../../protocol/common.ts';
import {
  add,
  clearAllocationRole,
  contains,
  describeResources,
  fromWire,
  resourcesOf,
  isPersistentVolume,
  popReservation,
  reservationRole,
  subtract,
  withoutDisk,
  type ResourceEntry,
  type Resources,
} from '../../resources/index.ts';
import { convert, parseField, recordTotal, registeredAgent, reserveError, unreserveError, type ReservationEvent } from './reservations.ts';
import { reply } from '../effects.ts';
import type { Tx } from './tx.ts';
import { rescindOffer } from './rescind.ts';

/** The operations this file carries out. */
export type ConversionType = 'RESERVE' | 'UNRESERVE' | 'CREATE' | 'DESTROY';

export const isConversion = (op: OfferOperation): op is OfferOperation & { type: ConversionType } =>
  op.type === 'RESERVE' || op.type === 'UNRESERVE' || op.type === 'CREATE' || op.type === 'DESTROY';

/** UPDATE_OPERATION_STATUS to the framework, when the operation has an id. */
export function answer(tx: Tx, fid: string, aid: string | undefined, op: OfferOperation, state: OperationState, message?: string): void {
  if (op.id === undefined) return;
  const f = tx.c.frameworks[fid]!;
  const status = { operation_id: op.id, state, ...(message !== undefined ? { message } : {}), ...(aid !== undefined ? { agent_id: { value: aid } } : {}) };
  tx.send(f.connection, { type: 'UPDATE_OPERATION_STATUS', update_operation_status: { status } });
}

// ------------------------------------------------------------------------------------ validation

/** Mesos `validatePersistentVolume`; null when every entry is a persistent volume. */
function notVolume(r: Resources): string | null {
  for (const e of r) {
    if (e.name !== 'disk') return `Not a persistent volume: Resource ${describeResources([e])} does not have DiskInfo`;
    if (!isPersistentVolume(e)) return "Not a persistent volume: 'persistence' is not set in DiskInfo";
    if (e.disk!.volume.mode === 'RO') return 'Not a persistent volume: Read-only persistent volume not supported';
  }
  return null;
}

/** Mesos `validateAllocatedToSingleRole`. */
function allocationRoleError(r: Resources): string | null {
  for (const e of r) {
    if (e.allocationRole === undefined) return 'The resources are not allocated to a role';
    if (e.allocationRole !== r[0]!.allocationRole)
      return `The resources have multiple allocation roles ('${e.allocationRole}' and '${r[0]!.allocationRole}') but only one allocation role is allowed`;
  }
  return null;
}

/** validate(Reserve) for a framework: the operator's checks, then the framework's roles. */
function frameworkReserveError(r: Resources, source: Resources | undefined, principal: string | undefined, roles: readonly string[]): string | null {
  const common = reserveErrorOfFramework(r, source, principal);
  if (common !== null) return common;
  for (const e of r) {
    const one = describeResources([e]);
    const role = reservationRole(e);
    if (e.allocationRole === undefined)
      return `A reserve operation was attempted on unallocated resource ${one}, but frameworks can only perform reservations on allocated resources`;
    if (e.allocationRole !== role) return `A reserve operation was attempted for a resource with role '${role}', but the resource was allocated to role '${e.allocationRole}'`;
    if (!roles.includes(e.allocationRole))
      return `A reserve operation was attempted for a resource allocated to role '${e.allocationRole}', but the framework only has roles '{ ${roles.join(', ')} }'`;
  }
  const single = allocationRoleError(r);
  return single === null ? null : `Invalid reservation resources: ${single}`;
}

/** The operator's reserve checks, without the one that refuses allocated resources (frameworks reserve allocated ones). */
function reserveErrorOfFramework(r: Resources, source: Resources | undefined, principal: string | undefined): string | null {
  return reserveError(clearAllocationRole(r), source === undefined ? undefined : clearAllocationRole(source), principal);
}

/** validate(Create): volumes, persistence ids unique per role on the agent, principals. */
function createError(volumes: Resources, onAgent: Resources, principal: string | undefined): string | null {
  const notAVolume = notVolume(volumes);
  if (notAVolume !== null) return notAVolume;
  const seen = new Set<string>();
  for (const e of [...onAgent.filter(isPersistentVolume), ...volumes]) {
    const key = `${reservationRole(e)}\u0000${e.disk!.persistence.id}`;
    if (seen.has(key)) return `Persistence ID '${e.disk!.persistence.id}' is not unique`;
    seen.add(key);
  }
  if (principal !== undefined) {
    for (const e of volumes) {
      const p = e.disk!.persistence.principal;
      if (p === undefined)
        return `Create volume operation attempted by principal '${principal}', but there is a volume in the operation with no principal set in 'disk.persistence'`;
      if (p !== principal)
        return `Create volume operation attempted by authenticated principal '${principal}', which does not match a volume in the operation with principal '${p}' set in 'disk.persistence'`;
    }
  }
  return null;
}

/** The same persistence id twice in one CREATE (two entries Resources would merge into one). */
function repeatedId(json: readonly unknown[] | undefined): string | null {
  const ids = (json ?? []).map((x) => (x as { disk?: { persistence?: { id?: unknown } } } | null)?.disk?.persistence?.id).filter((id) => typeof id === 'string');
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  return twice === undefined ? null : `Persistence ID '${twice}' is not unique`;
}

/** validate(Destroy): volumes the agent has, none in use by a task. */
export function destroyError(volumes: Resources, onAgent: Resources, inUse: Resources): string | null {
  const unallocated = clearAllocationRole(volumes);
  const notAVolume = notVolume(unallocated);
  if (notAVolume !== null) return notAVolume;
  for (const e of unallocated) if (!contains(onAgent, [e])) return 'Persistent volumes not found';
  for (const e of unallocated) if (contains(inUse, [e])) return 'Persistent volumes in use';
  return null;
}

/** What every live task on the agent uses (unallocated form): Mesos's `usedResources`. */
function usedOnAgent(tx: Tx, aid: string): Resources {
  let used: Resources = [];
  for (const f of Object.values(tx.c.frameworks)) {
    for (const r of Object.values(f.tasks)) {
      if (r.task.agent_id.value !== aid) continue;
      const parsed = resourcesOf(r.task);
      if (parsed.ok) used = add(used, clearAllocationRole(parsed.value));
    }
  }
  return used;
}

// ------------------------------------------------------------------------------------ conversion

interface Conversion {
  readonly consumed: Resources;
  readonly produced: Resources;
}

/**
 * An operation's resources, with the offer's allocation role where the framework left it out
 * (Master::accept's injectAllocationInfo, done before any validation).
 */
function parseIn(role: string) {
  return (json: readonly unknown[] | undefined) => {
    const withRole = (json ?? []).map((x) => (typeof x === 'object' && x !== null && !('allocation_info' in x) ? { ...x, allocation_info: { role } } : x));
    return fromWire(withRole);
  };
}

/** Validation then the conversion of one operation, or Mesos's message for OPERATION_ERROR. */
function conversionOf(tx: Tx, fid: string, aid: string, role: string, op: OfferOperation & { type: ConversionType }, denied: string | undefined): Conversion | string {
  const parse = parseIn(role);
  const f = tx.c.frameworks[fid]!;
  const agent = tx.c.agents[aid]!;
  const onAgent = ` on agent ${aid} (${agent.info.hostname})`;
  const invalid = (why: string) => `${why};${onAgent}`;
  const roles = f.info.roles ?? (f.info.role !== undefined ? [f.info.role] : ['*']);
  switch (op.type) {
    case 'RESERVE': {
      const r = parse(op.reserve?.resources);
      if (!r.ok) return invalid(`Invalid resources: ${r.error}`);
      const source = op.reserve?.source?.length ? parse(op.reserve.source) : undefined;
      if (source !== undefined && !source.ok) return invalid(`Invalid source: ${source.error}`);
      const why = frameworkReserveError(r.value, source?.value, f.info.principal, roles);
      if (why !== null) return invalid(why);
      if (denied !== undefined) return denied;
      return { consumed: source?.value ?? popReservation(r.value), produced: r.value };
    }
    case 'UNRESERVE': {
      const r = parse(op.unreserve?.resources);
      if (!r.ok) return invalid(`Invalid resources: ${r.error}`);
      const why = unreserveError(r.value);
      if (why !== null) return invalid(why);
      if (denied !== undefined) return denied;
      return { consumed: r.value, produced: popReservation(r.value) };
    }
    case 'CREATE': {
      const r = parse(op.create?.volumes);
      if (!r.ok) return invalid(`Invalid resources: ${r.error}`);
      const why = repeatedId(op.create?.volumes) ?? createError(r.value, agent.total, f.info.principal) ?? allocationRoleError(r.value);
      if (why !== null) return invalid(why);
      if (denied !== undefined) return denied;
      return { consumed: withoutDisk(r.value), produced: r.value };
    }
    case 'DESTROY': {
      const r = parse(op.destroy?.volumes);
      if (!r.ok) return invalid(`Invalid resources: ${r.error}`);
      const why = destroyError(r.value, agent.total, usedOnAgent(tx, aid));
      if (why !== null) return invalid(why);
      if (denied !== undefined) return denied;
      return { consumed: r.value, produced: withoutDisk(r.value) };
    }
  }
}

/**
 * One RESERVE / UNRESERVE / CREATE / DESTROY of an ACCEPT on the agent's offers: validated,
 * authorized (`denied`: the runtime's ACL verdict), applied to `remaining` (what is left of
 * the offers, allocated to `role`), to the agent's total and the framework's allocation.
 * Returns what is left of the offers after it.
 */
export function applyConversion(
  tx: Tx,
  fid: string,
  aid: string,
  role: string,
  op: OfferOperation & { type: ConversionType },
  remaining: Resources,
  denied: string | undefined,
): Resources {
  const agent = tx.c.agents[aid];
  if (!agent || agent.address === null) {
    answer(tx, fid, agent ? aid : undefined, op, 'OPERATION_DROPPED', agent ? 'Agent disconnected' : 'Agent removed');
    return remaining;
  }
  const c = conversionOf(tx, fid, aid, role, op, denied);
  if (typeof c === 'string') {
    answer(tx, fid, undefined, op, 'OPERATION_ERROR', c);
    return remaining;
  }
  const allocate = (r: Resources) => clearAllocationRole(r).map((e): ResourceEntry => ({ ...e, allocationRole: role }));
  const consumed = allocate(c.consumed);
  if (!contains(remaining, consumed)) {
    answer(tx, fid, undefined, op, 'OPERATION_ERROR', `${describeResources(remaining)} does not contain ${describeResources(consumed)}`);
    return remaining;
  }
  // DESTROY rescinds any other offer that still holds the volume (Master::_accept).
  if (op.type === 'DESTROY') rescindOffersWith(tx, aid, clearAllocationRole(c.consumed));
  recordTotal(tx, aid, add(subtract(agent.total, clearAllocationRole(c.consumed)), clearAllocationRole(c.produced)));
  tx.allocator((a) => allocator.updateAllocation(a, { frameworkId: fid, agentId: aid, role, consumed: c.consumed, produced: c.produced }));
  answer(tx, fid, aid, op, 'OPERATION_FINISHED');
  return add(subtract(remaining, consumed), allocate(c.produced));
}

function rescindOffersWith(tx: Tx, aid: string, volumes: Resources): void {
  for (const [oid, o] of Object.entries(tx.c.offers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (o.agent_id !== aid || !volumes.some((v) => contains(clearAllocationRole(o.resources), [v]))) continue;
    rescindOffer(tx, oid);
  }
}

// ------------------------------------------------------------------------------------ operator calls

/** CREATE_VOLUMES (Master::Http::createVolumes): validate(Create) with the operator's principal, then the conversion. */
export function createVolumes(tx: Tx, e: Extract<ReservationEvent, { type: 'OPERATOR_CREATE_VOLUMES' }>): void {
  const aid = registeredAgent(tx, e.agent_id, e.request);
  if (aid === null) return;
  const where = `Invalid CREATE operation on agent ${aid} (${tx.c.agents[aid]!.info.hostname})`;
  const volumes = parseField(e.volumes, 'volumes');
  if (!volumes.ok) return tx.effect(reply(e.request, 400, `${where}: ${volumes.error}`));
  const unallocated = volumes.value.some((v) => v.allocationRole !== undefined)
    ? 'The resources are allocated to a role: the operator API creates volumes on unallocated resources'
    : null;
  const why = unallocated ?? createError(volumes.value, tx.c.agents[aid]!.total, e.principal);
  if (why !== null) return tx.effect(reply(e.request, 400, `${where}: ${why}`));
  convert(tx, aid, withoutDisk(volumes.value), volumes.value, e.request);
}

/** DESTROY_VOLUMES (Master::Http::destroyVolumes): volumes the agent has and no task uses go back to plain reserved disk. */
export function destroyVolumes(tx: Tx, e: Extract<ReservationEvent, { type: 'OPERATOR_DESTROY_VOLUMES' }>): void {
  const aid = registeredAgent(tx, e.agent_id, e.request);
  if (aid === null) return;
  const volumes = parseField(e.volumes, 'volumes');
  if (!volumes.ok) return tx.effect(reply(e.request, 400, `Invalid DESTROY operation: ${volumes.error}`));
  const why = destroyError(volumes.value, tx.c.agents[aid]!.total, usedOnAgent(tx, aid));
  if (why !== null) return tx.effect(reply(e.request, 400, `Invalid DESTROY operation: ${why}`));
  convert(tx, aid, volumes.value, withoutDisk(volumes.value), e.request);
}

export function answerUnimplemented(tx: Tx, fid: string, aid: string, op: OfferOperation): void {
  const type = op.type ?? 'UNKNOWN';
  const message = ((): string => {
    switch (type) {
      case 'GROW_VOLUME':
      case 'SHRINK_VOLUME':
      case 'CREATE_DISK':
      case 'DESTROY_DISK':
        return `Operation ${type} is not supported by the reference master`;
      case 'UNKNOWN':
        return 'Unknown offer operation';
      case 'RESERVE':
      case 'UNRESERVE':
      case 'CREATE':
      case 'DESTROY':
      case 'LAUNCH':
      case 'LAUNCH_GROUP':
        throw new Error(`answerUnimplemented: ${type} is implemented`);
    }
  })();
  answer(tx, fid, aid, op, 'OPERATION_ERROR', message);
}
