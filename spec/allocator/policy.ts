/**
 * The named decisions of the allocation cycle. `allocate` uses `drfPolicy`; tests build mutants
 * with `allocateWith({ ...drfPolicy, isFiltered: () => false }, ...)`, the way machines are
 * given mutant guards with `machine.provide(...)`.
 */
import { allocatableTo, contains, containsQuantities, fromFixed, type Quantities, type Resources } from '../resources/index.ts';
import { filterIndex, type OfferFilter } from './state.ts';
import { shrinkToLimits, shrinkToQuantities, type Limits } from './quota.ts';

/** What the DRF order compares (a node of the role tree or a framework in a role's sorter). */
export interface SortKey {
  readonly share: number;
  /** Allocations recorded for this client (Mesos `allocation.count`). */
  readonly count: number;
  /** Client path: role path (`a/b`, virtual leaves `a/.`) or framework id. */
  readonly path: string;
}

export interface AllocatorPolicy {
  /**
   * Weighted dominant share: the largest allocated/total ratio over the scalar resources of the
   * cluster (skipping `excluded` names and names with no total), divided by `weight`.
   */
  share(allocated: Quantities, total: Quantities, weight: number, excluded: readonly string[]): number;
  /** Sorter order: negative when `a` is offered before `b`. */
  compare(a: SortKey, b: SortKey): number;
  /** What of an agent's available resources a role may be offered. */
  allocatableTo(available: Resources, role: string): Resources;
  /** min_allocatable_resources: whether `resources` is worth an offer. */
  allocatable(resources: Resources, minimums: readonly Quantities[]): boolean;
  /** Whether a framework's filters block offering `resources` for (role, agentId). */
  isFiltered(filters: readonly OfferFilter[], role: string, agentId: string, resources: Resources): boolean;
  /** Quota limits: what of `resources` (unreserved scalars) fits in the limits left (names absent are unlimited). */
  withinLimits(resources: Resources, left: Limits): Resources;
  /** Quota headroom: what of `resources` (unreserved scalars) may go without eating the headroom guarantees need. */
  spareHeadroom(resources: Resources, surplus: Quantities): Resources;
}

/** Mesos `DRFSorter::calculateShare`, with Mesos's fixed→double conversion of both operands. */
export function dominantShare(allocated: Quantities, total: Quantities, weight: number, excluded: readonly string[]): number {
  let share = 0;
  for (const name in total) {
    const t = total[name]!;
    if (t <= 0 || (excluded.length > 0 && excluded.includes(name))) continue;
    const a = allocated[name];
    if (a === undefined) continue;
    const s = fromFixed(a) / fromFixed(t);
    if (s > share) share = s;
  }
  return share / weight;
}

/** Mesos `DRFSorter::Node::compareDRF`: share, then fewer allocations, then path. */
export function compareDRF(a: SortKey, b: SortKey): number {
  if (a.share !== b.share) return a.share < b.share ? -1 : 1;
  if (a.count !== b.count) return a.count - b.count;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Mesos `HierarchicalAllocatorProcess::allocatable`. */
function meetsMinimum(resources: Resources, minimums: readonly Quantities[]): boolean {
  if (resources.length === 0) return false;
  if (minimums.length === 0) return true;
  for (const q of minimums) if (containsQuantities(resources, q)) return true;
  return false;
}

/**
 * A lookup index over one (immutable) filters array: role → agentId → first position. Built
 * only once the array has been searched often enough to pay for it (more than an eighth of its
 * length), so the cost stays proportional to the searches; kept as long as the array lives
 * (a framework whose filters do not change reuses it across cycles). A memo: it never changes
 * a result, only how fast it is found.
 */
interface FilterLookup {
  searches: number;
  index: Map<string, Map<string, number>> | null;
}
const lookups = new WeakMap<readonly OfferFilter[], FilterLookup>();

function firstFilter(filters: readonly OfferFilter[], role: string, agentId: string): number {
  let lookup = lookups.get(filters);
  if (lookup === undefined) {
    lookup = { searches: 0, index: null };
    lookups.set(filters, lookup);
  }
  if (lookup.index === null && ++lookup.searches > 4 + (filters.length >> 3)) {
    const index = new Map<string, Map<string, number>>();
    for (let i = filters.length - 1; i >= 0; i--) {
      const f = filters[i]!;
      let byAgent = index.get(f.role);
      if (byAgent === undefined) index.set(f.role, (byAgent = new Map()));
      byAgent.set(f.agentId, i);
    }
    lookup.index = index;
  }
  if (lookup.index !== null) return lookup.index.get(role)?.get(agentId) ?? filters.length;
  const i = filterIndex(filters, role, agentId, '');
  return i < 0 ? -i - 1 : i;
}

/** Mesos `isFiltered` (refused-resources part): some filter's resources contain the offer. */
function refusedByFilter(filters: readonly OfferFilter[], role: string, agentId: string, resources: Resources): boolean {
  if (filters.length === 0) return false;
  for (let i = firstFilter(filters, role, agentId); i < filters.length; i++) {
    const f = filters[i]!;
    if (f.role !== role || f.agentId !== agentId) return false;
    if (contains(f.resources, resources)) return true;
  }
  return false;
}

export const drfPolicy: AllocatorPolicy = {
  share: dominantShare,
  compare: compareDRF,
  allocatableTo,
  allocatable: meetsMinimum,
  isFiltered: refusedByFilter,
  withinLimits: shrinkToLimits,
  spareHeadroom: shrinkToQuantities,
};

// ---------------------------------------------------------------------------------------------
// Offer filter duration

/** `Filters.refuse_seconds` default. */
const DEFAULT_REFUSE_SECONDS = 5;
/** Mesos caps filters at 365 days. */
const MAX_REFUSE_SECONDS = 365 * 24 * 60 * 60;

/**
 * How long an offer filter must stay, in seconds, or null for no filter (Mesos
 * `recoverResources`): `refuse_seconds` absent, negative or not a number → 5 s; above 365 days
 * → 365 days; a duration of zero nanoseconds → no filter. The filter then lasts
 * `max(refuse, allocation_interval)` so that it survives at least one allocation run
 * (MESOS-4302). The master arms a timer for this long and calls `expireFilter` when it fires.
 */
export function offerFilterDuration(refuseSeconds: number | undefined, allocationIntervalSeconds: number): number | null {
  let seconds: number;
  if (refuseSeconds === undefined || Number.isNaN(refuseSeconds) || refuseSeconds < 0) seconds = DEFAULT_REFUSE_SECONDS;
  else if (refuseSeconds > MAX_REFUSE_SECONDS) seconds = MAX_REFUSE_SECONDS;
  else seconds = refuseSeconds;
  // Durations are whole nanoseconds (stout `Duration::create` truncates).
  const nanos = Math.trunc(seconds * 1e9);
  if (nanos === 0) return null;
  return Math.max(allocationIntervalSeconds, nanos / 1e9);
}
