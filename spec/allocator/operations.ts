/**
 * The allocator's operations other than the allocation cycle (Mesos
 * `HierarchicalAllocatorProcess`): agents, frameworks, recovery, filters, suppression, weights.
 * Every function is pure: it returns a new state and never mutates its input.
 *
 * Mesos follows some of these calls with an allocation run; the master should do the same by
 * calling `allocate`: after `addFramework` (when active) and `activateFramework`, after
 * `revive`, and after `addAgent` / a changed `updateAgent` (for that agent only:
 * `allocate(state, { agentOrder: [agentId] })`). Recovering resources does not trigger a run
 * (MESOS-3078); neither do weight changes. Besides those, a run happens every allocation interval.
 *
 * Contract violations that Mesos CHECK-fails on (unknown or duplicate ids, recovering more than
 * was offered) throw an AllocatorError. Where Mesos tolerates a call (recovering resources of a
 * framework or agent that is gone, expiring a filter that no longer exists) the call is a no-op.
 */
import {
  add,
  addQuantities,
  clearAllocationRole,
  contains,
  EMPTY,
  equals,
  isEmpty,
  quantitiesEqual,
  scalarQuantities,
  subtract,
  subtractQuantities,
  sum,
  validateRole,
  type Quantities,
  type Resources,
} from '../resources/index.ts';
import { normalizeCounts } from './counts.ts';
import { offerFilterDuration } from './policy.ts';
import {
  agentIndex,
  allocationIndex,
  AllocatorError,
  filterIndex,
  frameworkIndex,
  insertAt,
  insertSorted,
  removeAt,
  removeSorted,
  replaceAt,
  roleIndex,
  sortedUnique,
  trackedIndex,
  type AgentAllocation,
  type AgentState,
  type AllocatorOptions,
  type AllocatorState,
  type FrameworkState,
  type OfferFilter,
} from './state.ts';

/** Mesos's default `--min_allocatable_resources`: `cpus:0.01|mem:32` (fixed point). */
const DEFAULT_MIN_ALLOCATABLE_RESOURCES: readonly Quantities[] = [{ cpus: 10 }, { mem: 32000 }];

export interface AllocatorOptionsInput {
  readonly allocationIntervalSeconds?: number;
  readonly minAllocatableResources?: readonly Quantities[];
  readonly fairnessExcludeResourceNames?: readonly string[];
  /** Model only: see counts.ts. */
  readonly countSpread?: number;
}

/** Validates quantity sets (fixed point, ≥ 0) and drops zero entries, so equal minimums serialise equal. */
function normalizeMinimums(list: readonly Quantities[], what: string): Quantities[] {
  return list.map((q) => {
    const out: Record<string, number> = {};
    for (const name of Object.keys(q).sort()) {
      const v = q[name]!;
      if (!Number.isSafeInteger(v) || v < 0) throw new AllocatorError(`${what}: ${name} must be a non-negative integer number of thousandths, got ${v}`);
      if (v > 0) out[name] = v;
    }
    return out;
  });
}

function normalizeOverrides(overrides: Readonly<Record<string, readonly Quantities[]>> | undefined, who: string): Record<string, readonly Quantities[]> {
  const out: Record<string, readonly Quantities[]> = {};
  for (const role of Object.keys(overrides ?? {}).sort()) {
    requireRole(role, `min_allocatable_resources of framework ${who}`);
    out[role] = normalizeMinimums(overrides![role]!, `min_allocatable_resources of framework ${who} for ${role}`);
  }
  return out;
}

export function emptyAllocator(options: AllocatorOptionsInput = {}): AllocatorState {
  const interval = options.allocationIntervalSeconds ?? 1;
  if (!(interval > 0) || !Number.isFinite(interval)) throw new AllocatorError(`allocationIntervalSeconds must be > 0, got ${interval}`);
  const resolved: AllocatorOptions = {
    allocationIntervalSeconds: interval,
    minAllocatableResources: normalizeMinimums(options.minAllocatableResources ?? DEFAULT_MIN_ALLOCATABLE_RESOURCES, 'minAllocatableResources'),
    fairnessExcludeResourceNames: sortedUnique(options.fairnessExcludeResourceNames ?? []),
    ...(options.countSpread !== undefined ? { countSpread: options.countSpread } : {}),
  };
  return { options: resolved, total: {}, agents: [], frameworks: [], roles: [], weights: {} };
}

// ---------------------------------------------------------------------------------------------
// Internal helpers

function requireRole(role: string, what: string): void {
  const error = validateRole(role);
  if (error !== null) throw new AllocatorError(`${what}: ${error}`);
}

function requireFramework(state: AllocatorState, frameworkId: string): number {
  const i = frameworkIndex(state, frameworkId);
  if (i < 0) throw new AllocatorError(`Unknown framework ${frameworkId}`);
  return i;
}

function requireAgent(state: AllocatorState, agentId: string): number {
  const i = agentIndex(state, agentId);
  if (i < 0) throw new AllocatorError(`Unknown agent ${agentId}`);
  return i;
}

function withFramework(state: AllocatorState, i: number, fw: FrameworkState): AllocatorState {
  return { ...state, frameworks: replaceAt(state.frameworks, i, fw) };
}

function withAgent(state: AllocatorState, i: number, agent: AgentState): AllocatorState {
  return { ...state, agents: replaceAt(state.agents, i, agent) };
}

/** total − Σ allocated (Resources subtraction clamps). */
function availableOf(total: Resources, allocated: readonly AgentAllocation[]): Resources {
  let available = total;
  for (const a of allocated) available = subtract(available, a.resources);
  return available;
}

/** Mesos `trackFrameworkUnderRole`: puts the framework in the role's sorter (creating the role). */
function trackUnderRole(state: AllocatorState, frameworkId: string, role: string): AllocatorState {
  const fi = requireFramework(state, frameworkId);
  const fw = state.frameworks[fi]!;
  const ti = trackedIndex(fw, role);
  if (ti >= 0) return state;
  const frameworks = replaceAt(state.frameworks, fi, {
    ...fw,
    tracked: insertAt(fw.tracked, -ti - 1, { role, allocated: {}, count: 0 }),
  });
  const ri = roleIndex(state, role);
  const roles =
    ri >= 0
      ? replaceAt(state.roles, ri, { ...state.roles[ri]!, frameworks: insertSorted(state.roles[ri]!.frameworks, frameworkId) })
      : insertAt(state.roles, -ri - 1, { role, frameworks: [frameworkId], allocated: {}, count: 0 });
  return { ...state, frameworks, roles };
}

/** Whether the framework holds any resources under `role` on any agent. */
function holdsResources(state: AllocatorState, frameworkId: string, role: string): boolean {
  for (const agent of state.agents) if (allocationIndex(agent, frameworkId, role) >= 0) return true;
  return false;
}

/**
 * Mesos `tryUntrackFrameworkUnderRole`: removes the framework from the role's sorter unless it
 * still holds resources there; the role leaves the role sorter with its last framework.
 */
function tryUntrackUnderRole(state: AllocatorState, frameworkId: string, role: string): AllocatorState {
  const fi = requireFramework(state, frameworkId);
  const fw = state.frameworks[fi]!;
  const ti = trackedIndex(fw, role);
  if (ti < 0 || holdsResources(state, frameworkId, role)) return state;
  const frameworks = replaceAt(state.frameworks, fi, { ...fw, tracked: removeAt(fw.tracked, ti) });
  const ri = roleIndex(state, role);
  let roles = state.roles;
  if (ri >= 0) {
    const r = state.roles[ri]!;
    const members = removeSorted(r.frameworks, frameworkId);
    roles = members.length === 0 ? removeAt(roles, ri) : replaceAt(roles, ri, { ...r, frameworks: members });
  }
  return { ...state, frameworks, roles };
}

/** Mesos `trackAllocatedResources` for one role: quantities up, allocation count + 1. */
function trackAllocated(state: AllocatorState, frameworkId: string, role: string, q: Quantities): AllocatorState {
  state = trackUnderRole(state, frameworkId, role);
  const fi = frameworkIndex(state, frameworkId);
  const fw = state.frameworks[fi]!;
  const ti = trackedIndex(fw, role);
  const t = fw.tracked[ti]!;
  const ri = roleIndex(state, role);
  const r = state.roles[ri]!;
  const next: AllocatorState = {
    ...state,
    frameworks: replaceAt(state.frameworks, fi, {
      ...fw,
      tracked: replaceAt(fw.tracked, ti, { role, allocated: addQuantities(t.allocated, q), count: t.count + 1 }),
    }),
    roles: replaceAt(state.roles, ri, { ...r, allocated: addQuantities(r.allocated, q), count: r.count + 1 }),
  };
  // Every count increase, not only an allocation run's, stays within the model's spread.
  return state.options.countSpread === undefined ? next : normalizeCounts(next, state.options.countSpread);
}

/** Mesos `untrackAllocatedResources` for one role (the count stays). */
function untrackAllocated(state: AllocatorState, frameworkId: string, role: string, q: Quantities): AllocatorState {
  const fi = frameworkIndex(state, frameworkId);
  if (fi < 0) return state;
  const fw = state.frameworks[fi]!;
  const ti = trackedIndex(fw, role);
  if (ti < 0) return state;
  const t = fw.tracked[ti]!;
  const ri = roleIndex(state, role);
  const r = state.roles[ri]!;
  state = {
    ...state,
    frameworks: replaceAt(state.frameworks, fi, {
      ...fw,
      tracked: replaceAt(fw.tracked, ti, { ...t, allocated: subtractQuantities(t.allocated, q) }),
    }),
    roles: replaceAt(state.roles, ri, { ...r, allocated: subtractQuantities(r.allocated, q) }),
  };
  return fw.roles.includes(role) ? state : tryUntrackUnderRole(state, frameworkId, role);
}

function dropFilters(fw: FrameworkState, keep: (f: OfferFilter) => boolean): FrameworkState {
  if (fw.filters.every(keep)) return fw;
  return { ...fw, filters: fw.filters.filter(keep) };
}

// ---------------------------------------------------------------------------------------------
// Agents

/** Resources already in use on an agent when it is added (Mesos `addSlave(..., used)`). */
export interface UsedResources {
  readonly frameworkId: string;
  readonly role: string;
  /** Allocated or unallocated form; the role is `role`. */
  readonly resources: Resources;
}

export interface AddAgent {
  readonly agentId: string;
  readonly resources: Resources;
  /** Resources frameworks already use on the agent (tasks and executors it reports). */
  readonly used?: readonly UsedResources[];
  /** Default true. */
  readonly active?: boolean;
}

/**
 * Mesos `addSlave`. Resources in `used` are recorded as allocated on the agent even if their
 * framework is not known yet; they count in the DRF sorters from when the framework is added.
 */
export function addAgent(state: AllocatorState, a: AddAgent): AllocatorState {
  const ai = agentIndex(state, a.agentId);
  if (ai >= 0) throw new AllocatorError(`Agent ${a.agentId} was already added`);
  if (a.agentId === '') throw new AllocatorError('Agent id must not be empty');
  const total = clearAllocationRole(a.resources);
  const byKey = new Map<string, AgentAllocation>();
  for (const u of a.used ?? []) {
    requireRole(u.role, `used resources of framework ${u.frameworkId}`);
    const res = clearAllocationRole(u.resources);
    if (isEmpty(res)) continue;
    const key = `${u.frameworkId}\u0000${u.role}`;
    const prev = byKey.get(key);
    byKey.set(key, { frameworkId: u.frameworkId, role: u.role, resources: prev ? add(prev.resources, res) : res });
  }
  const allocated = [...byKey.values()].sort((x, y) =>
    x.frameworkId !== y.frameworkId ? (x.frameworkId < y.frameworkId ? -1 : 1) : x.role < y.role ? -1 : x.role > y.role ? 1 : 0,
  );
  if (!contains(total, sum(allocated.map((u) => u.resources)))) {
    throw new AllocatorError(`Agent ${a.agentId}: used resources exceed its total`);
  }
  const agent: AgentState = {
    agentId: a.agentId,
    total,
    available: availableOf(total, allocated),
    allocated,
    active: a.active ?? true,
  };
  state = {
    ...state,
    total: addQuantities(state.total, scalarQuantities(total)),
    agents: insertAt(state.agents, -ai - 1, agent),
  };
  for (const u of allocated) {
    if (frameworkIndex(state, u.frameworkId) >= 0) {
      state = trackAllocated(state, u.frameworkId, u.role, scalarQuantities(u.resources));
    }
  }
  return state;
}

/**
 * Mesos `removeSlave`: the agent's resources leave the cluster total and every framework's
 * allocation (no `recoverResources` call is needed; later ones for this agent are no-ops), and
 * the filters for the agent are dropped.
 */
export function removeAgent(state: AllocatorState, agentId: string): AllocatorState {
  const ai = requireAgent(state, agentId);
  const agent = state.agents[ai]!;
  state = {
    ...state,
    agents: removeAt(state.agents, ai),
    total: subtractQuantities(state.total, scalarQuantities(agent.total)),
  };
  for (const a of agent.allocated) state = untrackAllocated(state, a.frameworkId, a.role, scalarQuantities(a.resources));
  return removeFilters(state, agentId);
}

export interface UpdateAgent {
  readonly agentId: string;
  /** New total (Mesos `updateSlave` with a total, e.g. oversubscription or resource providers). */
  readonly resources?: Resources;
}

/**
 * Mesos `updateSlaveTotal`: allocations stay; available = new total − allocated. The new total
 * must still contain what is offered or allocated (the master rescinds the agent's offers
 * before, as Mesos does on UpdateSlaveMessage); revocable over-use is not modelled.
 */
export function updateAgent(state: AllocatorState, u: UpdateAgent): AllocatorState {
  const ai = requireAgent(state, u.agentId);
  const agent = state.agents[ai]!;
  if (u.resources === undefined) return state;
  const total = clearAllocationRole(u.resources);
  if (equals(total, agent.total)) return state;
  if (!contains(total, sum(agent.allocated.map((x) => x.resources)))) {
    throw new AllocatorError(`Agent ${u.agentId}: the new total does not contain what is offered or allocated`);
  }
  state = withAgent(state, ai, { ...agent, total, available: availableOf(total, agent.allocated) });
  return {
    ...state,
    total: addQuantities(subtractQuantities(state.total, scalarQuantities(agent.total)), scalarQuantities(total)),
  };
}

export interface UpdateAllocation {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  /** What the framework's operations consumed of what it holds there (RESERVE: unreserved; CREATE: plain reserved disk). */
  readonly consumed: Resources;
  /** What they produced in its place (RESERVE: reserved; CREATE: the volume). */
  readonly produced: Resources;
}

/**
 * Mesos `updateAllocation` with resource conversions (an ACCEPT's RESERVE, UNRESERVE, CREATE,
 * DESTROY): what the framework holds on the agent and the agent's total both trade `consumed`
 * for `produced`, so the framework goes on holding the converted resources (a LAUNCH in the
 * same ACCEPT uses them) and `available` is unchanged. Throws when the framework does not hold
 * `consumed` there (Mesos CHECK-fails).
 */
export function updateAllocation(state: AllocatorState, u: UpdateAllocation): AllocatorState {
  const consumed = clearAllocationRole(u.consumed);
  const produced = clearAllocationRole(u.produced);
  const ai = requireAgent(state, u.agentId);
  const agent = state.agents[ai]!;
  const k = allocationIndex(agent, u.frameworkId, u.role);
  const held = k >= 0 ? agent.allocated[k]!.resources : EMPTY;
  if (!contains(held, consumed)) {
    throw new AllocatorError(`updateAllocation: framework ${u.frameworkId} does not hold the converted resources on agent ${u.agentId} for role ${u.role}`);
  }
  const resources = add(subtract(held, consumed), produced);
  const allocated = replaceAt(agent.allocated, k, { ...agent.allocated[k]!, resources });
  const total = add(subtract(agent.total, consumed), produced);
  state = withAgent(state, ai, { ...agent, total, allocated, available: availableOf(total, allocated) });
  state = { ...state, total: addQuantities(subtractQuantities(state.total, scalarQuantities(agent.total)), scalarQuantities(total)) };
  // A conversion keeps every scalar quantity (Mesos's sorters `update` in place): shares and counts stay.
  if (!quantitiesEqual(scalarQuantities(consumed), scalarQuantities(produced))) throw new AllocatorError('updateAllocation: a conversion must keep the quantities');
  return state;
}

/** Mesos `activateSlave`. */
export function activateAgent(state: AllocatorState, agentId: string): AllocatorState {
  const ai = requireAgent(state, agentId);
  const agent = state.agents[ai]!;
  return agent.active ? state : withAgent(state, ai, { ...agent, active: true });
}

/** Mesos `deactivateSlave`: no offers for the agent until reactivated. */
export function deactivateAgent(state: AllocatorState, agentId: string): AllocatorState {
  const ai = requireAgent(state, agentId);
  const agent = state.agents[ai]!;
  return agent.active ? withAgent(state, ai, { ...agent, active: false }) : state;
}

/** Mesos `removeFilters(slaveId)`: drops every framework's offer filters for the agent. */
export function removeFilters(state: AllocatorState, agentId: string): AllocatorState {
  let frameworks: FrameworkState[] | null = null;
  for (let i = 0; i < state.frameworks.length; i++) {
    const fw = state.frameworks[i]!;
    if (fw.filters.length === 0) continue;
    const next = dropFilters(fw, (f) => f.agentId !== agentId);
    if (next !== fw) (frameworks ??= state.frameworks.slice())[i] = next;
  }
  return frameworks === null ? state : { ...state, frameworks };
}

// ---------------------------------------------------------------------------------------------
// Frameworks

export interface AddFramework {
  readonly frameworkId: string;
  readonly roles: readonly string[];
  /** Must be a subset of `roles`. */
  readonly suppressedRoles?: readonly string[];
  /** Default true. */
  readonly active?: boolean;
  /** Per-role override of min_allocatable_resources (`FrameworkInfo.offer_filters`). */
  readonly minAllocatableResources?: Readonly<Record<string, readonly Quantities[]>>;
}

function checkRoles(roles: readonly string[], suppressed: readonly string[], who: string): void {
  for (const r of roles) requireRole(r, `framework ${who}`);
  for (const r of suppressed) {
    if (!roles.includes(r)) throw new AllocatorError(`Suppressed role ${r} of framework ${who} is not one of its roles`);
  }
}

/**
 * Mesos `addFramework`. The framework enters the sorter of each of its roles. Resources agents
 * already report for it (`addAgent` `used`) start counting in the sorters now.
 */
export function addFramework(state: AllocatorState, f: AddFramework): AllocatorState {
  const fi = frameworkIndex(state, f.frameworkId);
  if (fi >= 0) throw new AllocatorError(`Framework ${f.frameworkId} was already added`);
  if (f.frameworkId === '') throw new AllocatorError('Framework id must not be empty');
  const roles = sortedUnique(f.roles);
  const suppressedRoles = sortedUnique(f.suppressedRoles ?? []);
  checkRoles(roles, suppressedRoles, f.frameworkId);
  const fw: FrameworkState = {
    frameworkId: f.frameworkId,
    roles,
    suppressedRoles,
    active: f.active ?? true,
    minAllocatableResources: normalizeOverrides(f.minAllocatableResources, f.frameworkId),
    tracked: [],
    filters: [],
  };
  state = { ...state, frameworks: insertAt(state.frameworks, -fi - 1, fw) };
  for (const role of roles) state = trackUnderRole(state, f.frameworkId, role);
  for (const agent of state.agents) {
    for (const a of agent.allocated) {
      if (a.frameworkId === f.frameworkId) state = trackAllocated(state, f.frameworkId, a.role, scalarQuantities(a.resources));
    }
  }
  return state;
}

/** Mesos `removeFramework`: frees everything it holds on every agent and leaves all sorters. */
export function removeFramework(state: AllocatorState, frameworkId: string): AllocatorState {
  const fi = requireFramework(state, frameworkId);
  const fw = state.frameworks[fi]!;
  let agents: AgentState[] | null = null;
  for (let i = 0; i < state.agents.length; i++) {
    const agent = state.agents[i]!;
    if (!agent.allocated.some((a) => a.frameworkId === frameworkId)) continue;
    const allocated = agent.allocated.filter((a) => a.frameworkId !== frameworkId);
    (agents ??= state.agents.slice())[i] = { ...agent, allocated, available: availableOf(agent.total, allocated) };
  }
  let roles = state.roles;
  for (const t of fw.tracked) {
    const ri = roles.findIndex((r) => r.role === t.role);
    if (ri < 0) continue;
    const r = roles[ri]!;
    const members = removeSorted(r.frameworks, frameworkId);
    roles = members.length === 0 ? removeAt(roles, ri) : replaceAt(roles, ri, { ...r, frameworks: members, allocated: subtractQuantities(r.allocated, t.allocated) });
  }
  return { ...state, agents: agents ?? state.agents, roles, frameworks: removeAt(state.frameworks, fi) };
}

/** Mesos `activateFramework`: offers again for its roles that are not suppressed. */
export function activateFramework(state: AllocatorState, frameworkId: string): AllocatorState {
  const fi = requireFramework(state, frameworkId);
  const fw = state.frameworks[fi]!;
  return fw.active ? state : withFramework(state, fi, { ...fw, active: true });
}

/**
 * Mesos `deactivateFramework`: no offers; allocations stay (so shares survive a failover);
 * all its offer filters are cleared.
 */
export function deactivateFramework(state: AllocatorState, frameworkId: string): AllocatorState {
  const fi = requireFramework(state, frameworkId);
  const fw = state.frameworks[fi]!;
  if (!fw.active && fw.filters.length === 0) return state;
  return withFramework(state, fi, { ...fw, active: false, filters: [] });
}

export interface UpdateFramework {
  readonly frameworkId: string;
  readonly roles: readonly string[];
  /** Replaces the suppressed set (as every SUBSCRIBE / UPDATE_FRAMEWORK does); ⊆ roles. */
  readonly suppressedRoles: readonly string[];
  /** Replaces the overrides; absent = none. */
  readonly minAllocatableResources?: Readonly<Record<string, readonly Quantities[]>>;
}

/**
 * Mesos `updateFramework`: new roles join their sorters; roles left lose their filters and
 * suppression (the framework stays tracked there while it holds resources); newly suppressed
 * roles are suppressed; roles no longer suppressed are revived (filters cleared).
 */
export function updateFramework(state: AllocatorState, u: UpdateFramework): AllocatorState {
  const fi = requireFramework(state, u.frameworkId);
  const old = state.frameworks[fi]!;
  const roles = sortedUnique(u.roles);
  const suppressedRoles = sortedUnique(u.suppressedRoles);
  checkRoles(roles, suppressedRoles, u.frameworkId);
  const removed = old.roles.filter((r) => !roles.includes(r));
  const revived = old.suppressedRoles.filter((r) => !suppressedRoles.includes(r) && roles.includes(r));
  const clear = new Set([...removed, ...revived]);
  const fw: FrameworkState = {
    ...old,
    roles,
    suppressedRoles,
    minAllocatableResources: normalizeOverrides(u.minAllocatableResources, u.frameworkId),
    filters: clear.size === 0 ? old.filters : old.filters.filter((f) => !clear.has(f.role)),
  };
  state = withFramework(state, fi, fw);
  for (const role of roles) if (!old.roles.includes(role)) state = trackUnderRole(state, u.frameworkId, role);
  for (const role of removed) state = tryUntrackUnderRole(state, u.frameworkId, role);
  return state;
}

function rolesArg(fw: FrameworkState, roles: readonly string[] | undefined, call: string): string[] {
  const list = roles === undefined || roles.length === 0 ? [...fw.roles] : sortedUnique(roles);
  for (const r of list) {
    if (!fw.roles.includes(r)) throw new AllocatorError(`${call}: role ${r} is not a role of framework ${fw.frameworkId}`);
  }
  return list;
}

export interface RolesCall {
  readonly frameworkId: string;
  /** Absent or empty: all the framework's roles. */
  readonly roles?: readonly string[];
}

/** SUPPRESS (Mesos `suppressOffers`): no offers for these roles until revived. */
export function suppress(state: AllocatorState, c: RolesCall): AllocatorState {
  const fi = requireFramework(state, c.frameworkId);
  const fw = state.frameworks[fi]!;
  const roles = rolesArg(fw, c.roles, 'SUPPRESS');
  const suppressedRoles = sortedUnique([...fw.suppressedRoles, ...roles]);
  if (suppressedRoles.length === fw.suppressedRoles.length) return state;
  return withFramework(state, fi, { ...fw, suppressedRoles });
}

/** REVIVE (Mesos `reviveOffers`): clears the roles' offer filters and unsuppresses them. */
export function revive(state: AllocatorState, c: RolesCall): AllocatorState {
  const fi = requireFramework(state, c.frameworkId);
  const fw = state.frameworks[fi]!;
  const roles = new Set(rolesArg(fw, c.roles, 'REVIVE'));
  const next = dropFilters(fw, (f) => !roles.has(f.role));
  const suppressedRoles = fw.suppressedRoles.filter((r) => !roles.has(r));
  if (next === fw && suppressedRoles.length === fw.suppressedRoles.length) return state;
  return withFramework(state, fi, { ...next, suppressedRoles });
}

// ---------------------------------------------------------------------------------------------
// Recovery and filters

export interface FilterRequest {
  /** Names the filter for `expireFilter`; e.g. the declined offer's id. Non-empty. */
  readonly id: string;
  /** `Filters.refuse_seconds`; absent = the default 5 s. See `offerFilterDuration`. */
  readonly refuseSeconds?: number;
}

export interface RecoverResources {
  readonly frameworkId: string;
  readonly agentId: string;
  /** The allocation role the resources were offered or allocated under. */
  readonly role: string;
  /** Allocated or unallocated form. */
  readonly resources: Resources;
  /** A refused-resources filter to install (decline, leftover of an accept). */
  readonly filter?: FilterRequest;
}

/**
 * Mesos `recoverResources`: the resources stop counting as offered/allocated to the framework
 * (they become available again, without triggering an allocation run) and, with `filter`, an
 * offer filter for (framework, role, agent) covering them is installed unless its duration is
 * zero. The master arms a timer for `offerFilterDuration(...)` and calls `expireFilter`.
 *
 * A no-op when the agent is gone (removeAgent already recovered everything). Throws when the
 * framework does not hold `resources` there (Mesos CHECK-fails); `offeredOrAllocated` tells.
 */
export function recoverResources(state: AllocatorState, r: RecoverResources): AllocatorState {
  const resources = clearAllocationRole(r.resources);
  for (const e of r.resources) {
    if (e.allocationRole !== undefined && e.allocationRole !== r.role) {
      throw new AllocatorError(`recoverResources: resources allocated to ${e.allocationRole}, not ${r.role}`);
    }
  }
  if (isEmpty(resources)) return state;
  const ai = agentIndex(state, r.agentId);
  if (ai < 0) return state;
  const agent = state.agents[ai]!;
  const k = allocationIndex(agent, r.frameworkId, r.role);
  const fi = frameworkIndex(state, r.frameworkId);
  const held = k >= 0 ? agent.allocated[k]!.resources : EMPTY;
  if (!contains(held, resources)) {
    if (fi < 0) return state; // framework gone: its resources were freed when it was removed
    throw new AllocatorError(`recoverResources: framework ${r.frameworkId} does not hold the recovered resources on agent ${r.agentId} for role ${r.role}`);
  }
  const left = subtract(held, resources);
  const allocated = isEmpty(left) ? removeAt(agent.allocated, k) : replaceAt(agent.allocated, k, { ...agent.allocated[k]!, resources: left });
  state = withAgent(state, ai, { ...agent, allocated, available: availableOf(agent.total, allocated) });
  if (fi < 0) return state;
  state = untrackAllocated(state, r.frameworkId, r.role, scalarQuantities(resources));
  if (r.filter === undefined) return state;
  if (r.filter.id === '') throw new AllocatorError('recoverResources: filter id must not be empty');
  if (offerFilterDuration(r.filter.refuseSeconds, state.options.allocationIntervalSeconds) === null) return state;
  const fj = frameworkIndex(state, r.frameworkId);
  const fw = state.frameworks[fj]!;
  const filter: OfferFilter = { role: r.role, agentId: r.agentId, id: r.filter.id, resources };
  const at = filterIndex(fw.filters, r.role, r.agentId, r.filter.id);
  const filters = at >= 0 ? replaceAt(fw.filters, at, filter) : insertAt(fw.filters, -at - 1, filter);
  return withFramework(state, fj, { ...fw, filters });
}

export interface ExpireFilter {
  readonly frameworkId: string;
  readonly role: string;
  readonly agentId: string;
  readonly id: string;
}

/** The filter's timer fired: remove it. A no-op if it is already gone (revived, removed). */
export function expireFilter(state: AllocatorState, e: ExpireFilter): AllocatorState {
  const fi = frameworkIndex(state, e.frameworkId);
  if (fi < 0) return state;
  const fw = state.frameworks[fi]!;
  const at = filterIndex(fw.filters, e.role, e.agentId, e.id);
  if (at < 0) return state;
  return withFramework(state, fi, { ...fw, filters: removeAt(fw.filters, at) });
}

/** The offer filter duration for this allocator's interval (see `offerFilterDuration`). */
export function filterDuration(state: AllocatorState, refuseSeconds: number | undefined): number | null {
  return offerFilterDuration(refuseSeconds, state.options.allocationIntervalSeconds);
}

// ---------------------------------------------------------------------------------------------
// Weights

/**
 * UPDATE_WEIGHTS / `--weights` (Mesos `updateWeights`): sets role weights (> 0). Weight 1 is the
 * default and is not stored. Does not trigger an allocation; the next run uses the weights.
 */
export function updateWeights(state: AllocatorState, weights: Readonly<Record<string, number>>): AllocatorState {
  const next: Record<string, number> = { ...state.weights };
  for (const role of Object.keys(weights)) {
    requireRole(role, 'updateWeights');
    const w = weights[role]!;
    if (!(w > 0) || !Number.isFinite(w)) throw new AllocatorError(`Weight of role ${role} must be a positive number, got ${w}`);
    if (w === 1) delete next[role];
    else next[role] = w;
  }
  return { ...state, weights: next };
}

// ---------------------------------------------------------------------------------------------
// Queries

/** What the framework holds (offered or allocated) on the agent under `role`; empty if nothing. */
export function offeredOrAllocated(state: AllocatorState, frameworkId: string, agentId: string, role: string): Resources {
  const ai = agentIndex(state, agentId);
  if (ai < 0) return EMPTY;
  const agent = state.agents[ai]!;
  const k = allocationIndex(agent, frameworkId, role);
  return k >= 0 ? agent.allocated[k]!.resources : EMPTY;
}

/**
 * Mesos's `--weights` flag, `role=weight,role=weight`: the weights, or an error naming the entry
 * (Mesos exits at start-up on the same ones: a token that is not `role=weight`, an invalid role,
 * a weight that is not a positive number).
 */
export function parseWeightsFlag(text: string): { ok: true; value: Record<string, number> } | { ok: false; error: string } {
  const weights: Record<string, number> = {};
  for (const token of text.split(',').filter((t) => t !== '')) {
    const parts = token.split('=');
    if (parts.length !== 2) return { ok: false, error: `--weights: invalid weight '${token}': expected the form 'role=weight,role=weight'` };
    const [role, value] = parts as [string, string];
    const invalid = validateRole(role);
    if (invalid !== null) return { ok: false, error: `--weights: invalid role '${role}': ${invalid}` };
    const weight = Number(value);
    if (value.trim() === '' || !Number.isFinite(weight)) return { ok: false, error: `--weights: invalid weight '${value}' of role '${role}': not a number` };
    if (weight <= 0) return { ok: false, error: `--weights: invalid weight '${value}' of role '${role}': weights must be positive` };
    weights[role] = weight;
  }
  return { ok: true, value: weights };
}
