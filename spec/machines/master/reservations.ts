/**
 * Dynamic reservations made by an operator: RESERVE_RESOURCES and UNRESERVE_RESOURCES
 * (Master::Http::_reserve, _unreserve and _operation in src/master/http.cpp; the checks of
 * validation::operation::validate in src/master/validation.cpp, with their messages).
 *
 * A reservation converts resources on one agent: RESERVE consumes `source` (or, without one,
 * the reservation's parent: unreserved for a first reservation, the refined role's for a
 * refinement) and produces the reserved resources; UNRESERVE does the reverse. The master
 * rescinds just enough of the agent's outstanding offers to cover what is consumed, then
 * applies the conversion to what is available on the agent, or answers 409 when it cannot.
 * The agent's dynamic reservations are kept in the registry (context.ts `Registry.reserved`)
 * and applied to whatever the agent reports when it registers again (`agentTotal`).
 */
import * as allocator from '../../allocator/index.ts';
import {
  add,
  clearAllocationRole,
  contains,
  describeResources,
  equals,
  EMPTY,
  filter,
  flatten,
  fromWire,
  isDynamicallyReserved,
  isEmpty,
  isPersistentVolume,
  popReservation,
  resources as canonical,
  subtract,
  toWire,
  withoutDisk,
  type ResourceEntry,
  type Resources,
} from '../../resources/index.ts';
import type { CheckpointResourcesMessage } from '../../protocol/internal.ts';
import { reply } from '../effects.ts';
import { sortedEntries, type MasterContext } from './context.ts';
import type { Tx } from './tx.ts';
import { rescindOffer } from './rescind.ts';

export type ReservationEvent =
  /** RESERVE_RESOURCES; `principal` is the authenticated operator's, when there is one. */
  | { type: 'OPERATOR_RESERVE'; agent_id: string; source?: readonly unknown[]; resources: readonly unknown[]; principal?: string; request?: string }
  /** UNRESERVE_RESOURCES. */
  | { type: 'OPERATOR_UNRESERVE'; agent_id: string; resources: readonly unknown[]; request?: string }
  /** CREATE_VOLUMES (operations.ts); `principal` is the authenticated operator's, when there is one. */
  | { type: 'OPERATOR_CREATE_VOLUMES'; agent_id: string; volumes: readonly unknown[]; principal?: string; request?: string }
  /** DESTROY_VOLUMES (operations.ts). */
  | { type: 'OPERATOR_DESTROY_VOLUMES'; agent_id: string; volumes: readonly unknown[]; request?: string };

// ------------------------------------------------------------------------------------ the agent's total

/** The entries with their dynamic reservations and volumes removed: what was there before any operator or framework reserved. */
function beforeDynamicReservations(r: Resources): Resources {
  return withoutDisk(canonical(r.map((e) => dropEmptyStack({ ...e, reservations: (e.reservations ?? []).filter((x) => x.type === 'STATIC') } as ResourceEntry))));
}

function dropEmptyStack(e: ResourceEntry): ResourceEntry {
  if (e.reservations === undefined || e.reservations.length > 0) return e;
  const { reservations: _none, ...rest } = e;
  return rest as ResourceEntry;
}

/** What of the agent's total is dynamically reserved or a persistent volume: what the registry keeps. */
export const dynamicPart = (total: Resources): Resources => filter(total, (e) => isDynamicallyReserved(e) || isPersistentVolume(e));

/**
 * The agent's total as the master counts it: what the agent reports, with the dynamic
 * reservations the registry holds for it applied. An agent that now reports less than the
 * reservations were made from keeps only what it reports.
 */
export function agentTotal(registry: MasterContext['registry'], aid: string, reported: Resources): Resources {
  const stored = registry.reserved?.[aid];
  if (stored === undefined) return reported;
  const parsed = fromWire(stored);
  if (!parsed.ok) return reported;
  const base = beforeDynamicReservations(parsed.value);
  return contains(reported, base) ? add(subtract(reported, base), parsed.value) : reported;
}

// ------------------------------------------------------------------------------------ validation

/** Mesos's "Mixed reservations are not supported": every entry must carry the same stack. */
function mixedReservations(r: Resources): boolean {
  const key = (e: ResourceEntry) => JSON.stringify(e.reservations ?? []);
  return r.length > 0 && r.some((e) => key(e) !== key(r[0]!));
}

/** validation::operation::validate(Reserve) for the operator API, in its order; null when valid. */
export function reserveError(resources: Resources, source: Resources | undefined, principal: string | undefined): string | null {
  if (source !== undefined && source.length > 0) {
    if (mixedReservations(source)) return `Invalid source: Mixed reservations are not supported${describeResources(source)}`;
    if (resources.length === 0) return 'Invalid resources: Resource cannot be empty';
    if (mixedReservations(resources)) return `Invalid resources: Mixed reservations are not supported${describeResources(resources)}`;
    if (!equals(flatten(source), flatten(resources))) {
      return `Source and target resources should refer to identical resource quantities: ${describeResources(flatten(source))} vs. ${describeResources(flatten(resources))}`;
    }
  }
  for (const e of resources) {
    const one = describeResources([e]);
    if (!isDynamicallyReserved(e)) return `Resource ${one} is not dynamically reserved`;
    const reservation = e.reservations![e.reservations!.length - 1]!;
    if (principal !== undefined) {
      if (reservation.principal === undefined) {
        return `A reserve operation was attempted by principal '${principal}', but there is a reserved resource in the request with no principal set`;
      }
      if (reservation.principal !== principal) {
        return `A reserve operation was attempted by authenticated principal '${principal}', which does not match a reserved resource in the request with principal '${reservation.principal}'`;
      }
    }
    if (e.allocationRole !== undefined) {
      return 'A reserve operation was attempted with an allocated resource, but the operator API only allows reservations to be made to unallocated resources';
    }
  }
  return null;
}

/** validation::operation::validate(Unreserve), for the operator and frameworks alike: a volume is destroyed first. */
export function unreserveError(resources: Resources): string | null {
  for (const e of resources) {
    if (!isDynamicallyReserved(e)) return `Resource ${describeResources([e])} is not dynamically reserved`;
    if (isPersistentVolume(e)) {
      return `A dynamically reserved persistent volume ${describeResources([e])} cannot be unreserved directly. Please destroy the persistent volume first then unreserve the resource`;
    }
  }
  return null;
}

// ------------------------------------------------------------------------------------ the calls

/** The registered agent a call names (a recovered one is not registered yet), or null once 400 was answered. */
export function registeredAgent(tx: Tx, aid: string, request: string | undefined): string | null {
  const a = tx.c.agents[aid];
  if (a && !a.recovered) return aid;
  tx.effect(reply(request, 400, 'No agent found with specified ID'));
  return null;
}

export function parseField(json: readonly unknown[] | undefined, field: string): { ok: true; value: Resources } | { ok: false; error: string } {
  const parsed = fromWire(json ?? []);
  return parsed.ok ? parsed : { ok: false, error: `Invalid ${field}: ${parsed.error.replace(/^resources/, field)}` };
}

/** RESERVE_RESOURCES: 202 once applied; 400 for what validation refuses; 409 when the agent does not have it available. */
export function reserve(tx: Tx, e: Extract<ReservationEvent, { type: 'OPERATOR_RESERVE' }>): void {
  const aid = registeredAgent(tx, e.agent_id, e.request);
  if (aid === null) return;
  const where = `Invalid RESERVE operation on agent ${aid} (${tx.c.agents[aid]!.info.hostname})`;
  const resources = parseField(e.resources, 'resources');
  if (!resources.ok) return tx.effect(reply(e.request, 400, `${where}: ${resources.error}`));
  const source = e.source === undefined || e.source.length === 0 ? undefined : parseField(e.source, 'source');
  if (source !== undefined && !source.ok) return tx.effect(reply(e.request, 400, `${where}: ${source.error}`));
  const why = reserveError(resources.value, source?.value, e.principal);
  if (why !== null) return tx.effect(reply(e.request, 400, `${where}: ${why}`));
  convert(tx, aid, source?.value ?? popReservation(resources.value), resources.value, e.request);
}

/** UNRESERVE_RESOURCES: the reserved resources go back to their parent role. */
export function unreserve(tx: Tx, e: Extract<ReservationEvent, { type: 'OPERATOR_UNRESERVE' }>): void {
  const aid = registeredAgent(tx, e.agent_id, e.request);
  if (aid === null) return;
  const resources = parseField(e.resources, 'resources');
  if (!resources.ok) return tx.effect(reply(e.request, 400, `Invalid UNRESERVE operation: ${resources.error}`));
  const why = unreserveError(resources.value);
  if (why !== null) return tx.effect(reply(e.request, 400, `Invalid UNRESERVE operation: ${why}`));
  convert(tx, aid, resources.value, popReservation(resources.value), e.request);
}

/**
 * Master::Http::_operation then Master::apply: rescind the agent's offers one at a time until
 * what they give back covers `consumed` (an offer that contributes nothing is kept), then
 * convert on the agent's available resources (409 with Mesos's "does not contain" otherwise).
 * Rescinded resources go back without the 5 s filter Mesos adds (the reference's filters are
 * the framework's own, armed by master.ts).
 */
export function convert(tx: Tx, aid: string, consumed: Resources, produced: Resources, request: string | undefined): void {
  let needed = clearAllocationRole(consumed);
  for (const [oid, o] of sortedEntries(tx.c.offers)) {
    if (isEmpty(needed)) break;
    if (o.agent_id !== aid) continue;
    const recovered = clearAllocationRole(o.resources);
    const left = subtract(needed, recovered);
    if (equals(left, needed)) continue;
    needed = left;
    rescindOffer(tx, oid);
  }
  const available = allocator.getAgent(tx.c.allocator, aid)?.available ?? EMPTY;
  if (!contains(available, clearAllocationRole(consumed))) {
    return tx.effect(reply(request, 409, `${describeResources(available)} does not contain ${describeResources(clearAllocationRole(consumed))}`));
  }
  const agent = tx.c.agents[aid]!;
  const total = add(subtract(agent.total, clearAllocationRole(consumed)), clearAllocationRole(produced));
  recordTotal(tx, aid, total);
  tx.allocator((a) => allocator.updateAgent(a, { agentId: aid, resources: total }));
  tx.effect(reply(request, 202));
}

/**
 * The agent's new total after a conversion (an operator's or an ACCEPT's): its reservations
 * and volumes go to the registry first, so they outlive agent restarts and master failovers,
 * then into the agent's record. The allocator is the caller's to update.
 */
export function recordTotal(tx: Tx, aid: string, total: Resources): void {
  const agent = tx.c.agents[aid]!;
  const reserved = dynamicPart(total);
  tx.registry((r) => {
    const { [aid]: _old, ...others } = r.reserved ?? {};
    const next = isEmpty(reserved) ? others : { ...others, [aid]: toWire(reserved, 'POST_RESERVATION_REFINEMENT') };
    const { reserved: _r, ...rest } = r;
    return Object.keys(next).length ? { ...rest, reserved: next } : rest;
  });
  tx.setAgent(aid, { ...agent, total });
  // The agent checkpoints them too (Master::_apply's CheckpointResourcesMessage): a connected
  // agent is told its whole new set; one that is away is told when it reregisters.
  if (agent.address !== null) tx.send(agent.address, checkpointMessage(reserved));
}

/** CHECKPOINT_RESOURCES with the agent's reservations and volumes, whole (none: no field). */
function checkpointMessage(reserved: Resources): CheckpointResourcesMessage {
  return isEmpty(reserved) ? { type: 'CHECKPOINT_RESOURCES' } : { type: 'CHECKPOINT_RESOURCES', resources: toWire(reserved, 'POST_RESERVATION_REFINEMENT') };
}

/**
 * A reregistered agent is sent the master's books when what it checkpointed differs from them
 * (Master::_reregisterSlave sends CheckpointResourcesMessage every time, and an agent that holds
 * the same set ignores it: sending only a difference spares the model a message that changes
 * nothing).
 */
export function syncCheckpointedResources(tx: Tx, aid: string, address: string, reported: readonly unknown[] | undefined): void {
  const agent = tx.c.agents[aid];
  if (!agent || agent.address !== address) return;
  const books = dynamicPart(agent.total);
  const parsed = fromWire(reported ?? []);
  if (parsed.ok && equals(canonical(clearAllocationRole(parsed.value)), books)) return;
  tx.send(address, checkpointMessage(books));
}
