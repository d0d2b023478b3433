/**
 * The statuses Mesos answers each operator call with (Master::Http in src/master/http.cpp, the
 * QuotaHandler and WeightsHandler), stated from what the master knew before the call and the
 * call itself: one row per call, independent of the handlers in spec/machines/master/.
 *
 * A row gives every status Mesos may answer; where the answer depends on a check this table does
 * not restate (a RESERVE's resources against what the agent has available), the row allows each
 * status that check can give. The rows read the master's books and registry, and the resource
 * library's arithmetic (spec/resources, spec/allocator), never a handler.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { QuotaConfig, WeightInfo } from '../spec/protocol/common.ts';
import * as allocator from '../spec/allocator/index.ts';
import {
  add,
  equals,
  flatten,
  addQuantities,
  clearAllocationRole,
  contains,
  fromWire,
  isDynamicallyReserved,
  isPersistentVolume,
  quantitiesContain,
  reservationRole,
  scalarQuantities,
  subtractQuantities,
  toFixed,
  unreserved,
  validateRole,
  type Quantities,
  type Resources,
} from '../spec/resources/index.ts';

type Row = (m: MasterContext, call: AnyEventObject) => readonly number[];

const agentOf = (call: AnyEventObject) => call.agent_id as string;
const gone = (m: MasterContext, aid: string) => m.registry.gone.includes(aid);
const unreachable = (m: MasterContext, aid: string) => m.registry.unreachable.includes(aid);
/** Known to the master: in its books (registered, disconnected or recovered) or recorded unreachable. */
const known = (m: MasterContext, aid: string) => m.agents[aid] !== undefined || unreachable(m, aid);
/** Registered: in the books and not merely recovered from the registry after a failover. */
const registered = (m: MasterContext, aid: string) => m.agents[aid] !== undefined && !m.agents[aid]!.recovered;

/** UPDATE_WEIGHTS: valid roles (after trimming) and positive weights, else 400. */
const weightValid = (w: WeightInfo) => validateRole((w.role ?? '').trim()) === null && w.weight > 0;

/** The smallest normal double: Mesos refuses subnormal scalars. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** quota::validate: a top-level valid role, finite non-negative values, guarantees within limits. */
function quotaConfigValid(config: QuotaConfig): boolean {
  const role = config.role;
  if (typeof role !== 'string' || role.includes('/') || validateRole(role) !== null) return false;
  const values = (m: QuotaConfig['limits']) => Object.entries(m ?? {}).map(([name, s]) => [name, s?.value] as const);
  for (const [name, v] of [...values(config.guarantees), ...values(config.limits)]) {
    const max = name === 'mem' || name === 'disk' ? 1024 ** 4 : 1e12;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max || (v !== 0 && Math.abs(v) < MIN_NORMAL)) return false;
  }
  for (const [name, g] of values(config.guarantees)) {
    const limit = config.limits?.[name]?.value;
    if (limit !== undefined && toFixed(g!) > toFixed(limit)) return false;
  }
  return true;
}

/** What a role consumes of its quota (reservations and unreserved resources in use; offers are not consumption). */
function consumed(m: MasterContext, role: string): Quantities {
  let offered: Quantities = {};
  for (const o of Object.values(m.offers)) if (allocator.inSubtree(o.role, role)) offered = addQuantities(offered, scalarQuantities(unreserved(o.resources)));
  return subtractQuantities(allocator.consumedQuota(m.allocator, role), offered);
}

/** A config's scalars in fixed point, the allocator's unit; `positive` drops zeros (a zero guarantee is no guarantee). */
const fixed = (m: QuotaConfig['limits'], positive = false): Quantities =>
  Object.fromEntries(Object.entries(m ?? {}).flatMap(([name, s]) => (positive && !(s.value > 0) ? [] : [[name, toFixed(s.value)]])));

/** UPDATE_QUOTA: 400 for an invalid config; unless forced, 400 when a limit is below consumption or the guarantees exceed the registered agents; else 200. */
const updateQuota: Row = (m, call) => {
  const configs = call.quota_configs as readonly QuotaConfig[];
  if (!configs.every(quotaConfigValid)) return [400];
  if (call.force === true) return [200];
  if (!configs.every((c) => allocator.withinLimits(fixed(c.limits), consumed(m, c.role)))) return [400];
  const guarantees: Record<string, Quantities> = {};
  for (const [role, q] of Object.entries(m.allocator.quotas ?? {})) guarantees[role] = q.guarantees;
  for (const c of configs) guarantees[c.role] = fixed(c.guarantees, true);
  let wanted: Quantities = {};
  for (const g of Object.values(guarantees)) wanted = addQuantities(wanted, g);
  let capacity: Quantities = {};
  for (const a of Object.values(m.agents)) if (!a.recovered) capacity = addQuantities(capacity, scalarQuantities(a.total));
  return quantitiesContain(capacity, wanted) ? [200] : [400];
};

/** The call's resources (or source), parsed as the wire gives them; null when they do not parse (400). */
function parsed(json: unknown): Resources | null {
  const r = fromWire(json ?? []);
  return r.ok ? r.value : null;
}

/** Entries with different reservation stacks: Mesos's "Mixed reservations are not supported". */
const mixed = (r: Resources): boolean => new Set(r.map((e) => JSON.stringify(e.reservations ?? []))).size > 1;

/**
 * RESERVE_RESOURCES (validation::operation::validate(Reserve) for the operator): resources that
 * parse, each dynamically reserved, none allocated, each naming the caller as its principal when
 * there is one; then 202 once applied or 409 when the agent does not have them available. With a
 * `source` (a reservation refined or moved), first: the source parses and is not mixed, the
 * resources are not empty nor mixed, and both are the same quantities.
 */
const reserveRow: Row = (m, call) => {
  if (!registered(m, agentOf(call))) return [400];
  const resources = parsed(call.resources);
  if (resources === null) return [400];
  const source = (call.source as readonly unknown[] | undefined) ?? [];
  if (source.length > 0) {
    const from = parsed(source);
    if (from === null || mixed(from) || resources.length === 0 || mixed(resources) || !equals(flatten(from), flatten(resources))) return [400];
  }
  const principal = call.principal as string | undefined;
  const valid = resources.every((e) => {
    if (!isDynamicallyReserved(e) || e.allocationRole !== undefined) return false;
    const last = e.reservations![e.reservations!.length - 1]!;
    return principal === undefined || last.principal === principal;
  });
  return valid ? [202, 409] : [400];
};

/** UNRESERVE_RESOURCES: resources that parse, each dynamically reserved and none a volume (destroyed first); then 202 or 409. */
const unreserveRow: Row = (m, call) => {
  if (!registered(m, agentOf(call))) return [400];
  const resources = parsed(call.resources);
  if (resources === null || !resources.every((e) => isDynamicallyReserved(e) && !isPersistentVolume(e))) return [400];
  return [202, 409];
};

/** What the live tasks the master books on `aid` use, unallocated (Mesos's usedResources). */
function usedOn(m: MasterContext, aid: string): Resources {
  let used: Resources = [];
  for (const f of Object.values(m.frameworks)) {
    for (const r of Object.values(f.tasks)) {
      if (r.task.agent_id.value !== aid) continue;
      const u = parsed(r.task.resources);
      if (u !== null) used = add(used, clearAllocationRole(u));
    }
  }
  return used;
}

/**
 * DESTROY_VOLUMES (validate(Destroy)): volumes that parse and are each a persistent volume the
 * agent has and no live task uses; then 202 or 409. A volume in use is 400 whatever else holds.
 */
const destroyVolumesRow: Row = (m, call) => {
  if (!registered(m, agentOf(call))) return [400];
  const volumes = parsed(call.volumes);
  if (volumes === null) return [400];
  const used = usedOn(m, agentOf(call));
  if (clearAllocationRole(volumes).some((v) => isPersistentVolume(v) && contains(used, [v]))) return [400];
  return [202, 400, 409];
};

/**
 * CREATE_VOLUMES (validate(Create) with the caller's principal): volumes that parse, unallocated,
 * each a read-write persistent volume with a persistence id new for its role on the agent and
 * among the call's, naming the caller's principal when there is one; then 202 or 409.
 */
const createVolumesRow: Row = (m, call) => {
  const aid = agentOf(call);
  if (!registered(m, aid)) return [400];
  const volumes = parsed(call.volumes);
  if (volumes === null || volumes.some((v) => v.allocationRole !== undefined || v.name !== 'disk' || !isPersistentVolume(v) || v.disk!.volume.mode === 'RO')) return [400];
  const ids = [...m.agents[aid]!.total.filter(isPersistentVolume), ...volumes].map((v) => `${reservationRole(v)}\u0000${v.disk!.persistence.id}`);
  if (new Set(ids).size !== ids.length) return [400];
  const principal = call.principal as string | undefined;
  if (principal !== undefined && volumes.some((v) => v.disk!.persistence.principal !== principal)) return [400];
  return [202, 409];
};

/** One row per operator call the master handles. */
export const OPERATOR_ANSWERS: Readonly<Record<string, Row>> = {
  // Master::Http::teardown: 400 for a framework the master does not know.
  OPERATOR_TEARDOWN: (m, call) => (m.frameworks[call.framework_id as string] !== undefined ? [200] : [400]),
  // _markAgentGone: already gone is 200 again; an agent the master never knew is 404.
  OPERATOR_MARK_AGENT_GONE: (m, call) => (gone(m, agentOf(call)) || known(m, agentOf(call)) ? [200] : [404]),
  // _deactivateAgent: 400 for an unknown agent.
  OPERATOR_DEACTIVATE_AGENT: (m, call) => (known(m, agentOf(call)) ? [200] : [400]),
  // _reactivateAgent: 400 unless deactivated (a drain deactivates too); 409 if the agent left the books meanwhile.
  OPERATOR_REACTIVATE_AGENT: (m, call) => {
    if (!(m.registry.deactivated ?? []).includes(agentOf(call))) return [400];
    return m.agents[agentOf(call)] === undefined ? [409] : [200];
  },
  OPERATOR_UPDATE_WEIGHTS: (_m, call) => ((call.weight_infos as readonly WeightInfo[]).every(weightValid) ? [200] : [400]),
  OPERATOR_UPDATE_QUOTA: updateQuota,
  // _drainAgent: 400 for a gone or unknown agent.
  OPERATOR_DRAIN_AGENT: (m, call) => (gone(m, agentOf(call)) || !known(m, agentOf(call)) ? [400] : [200]),
  // _operation: 400 unless the agent is registered; then 400 for what validation refuses, 202 once
  // applied, 409 when the agent does not have the resources available.
  OPERATOR_RESERVE: reserveRow,
  OPERATOR_UNRESERVE: unreserveRow,
  OPERATOR_CREATE_VOLUMES: createVolumesRow,
  OPERATOR_DESTROY_VOLUMES: destroyVolumesRow,
};

/** The operator call's breach of its row (not one reply, or a status Mesos does not give), or null; undefined when `call` is no operator call. */
export function answeredOperatorCall(before: MasterContext, call: AnyEventObject, statuses: readonly number[]): string | null | undefined {
  const row = OPERATOR_ANSWERS[call.type];
  if (row === undefined) return undefined;
  const allowed = row(before, call);
  const name = call.type.replace(/^OPERATOR_/, 'operator ');
  if (statuses.length !== 1) return `${name} got ${statuses.length} replies (${statuses.join(', ')}), not one ${allowed.join(' or ')}`;
  return allowed.includes(statuses[0]!) ? null : `${name} was answered ${statuses[0]}, Mesos answers ${allowed.join(' or ')}`;
}
