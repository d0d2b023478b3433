/**
 * The allocator's state: plain JSON, canonical, kept in the master machine's context.
 *
 * ## Representation
 *
 * Collections are **arrays sorted by their key**, not records: the master's context is copied
 * on every change, and copying a V8 object with thousands of keys costs ~0.5 µs per key (a
 * 10,000-agent record: ~4 ms per update), while copying an array is a memcpy (~6 µs for
 * 10,000 agents). Lookups are binary searches (`getAgent`, `getFramework`, `getRole`).
 *
 * - `agents`: sorted by `agentId`. Each agent keeps its `total`, what is `available`
 *   (= total − everything offered or allocated, stored to save recomputation) and `allocated`:
 *   one entry per (framework, role) holding resources offered or allocated on that agent, in
 *   unallocated form (no `allocationRole`), sorted by (frameworkId, role).
 * - `frameworks`: sorted by `frameworkId`. Subscribed `roles`, `suppressedRoles` (⊆ roles),
 *   `active`, per-role `minAllocatableResources` overrides, `tracked` (the per-role sorter
 *   entries: scalar quantities allocated and the number of allocations made, Mesos's DRF
 *   `allocation.count`) and offer `filters` sorted by (role, agentId, id).
 * - `roles`: the roles in the role sorter (those with at least one tracked framework), sorted.
 *   Each has its tracked `frameworks` (sorted), allocated quantities and allocation count.
 * - `weights`: role → weight, only for weights other than 1 (so equal states serialise equal).
 * - `total`: cluster scalar quantities (sum of agent totals), Mesos `totalScalarQuantities`.
 * - `quotas`: role → guarantees and limits (quota.ts), only for roles with a quota.
 *
 * Derived fields (`available`, quantities) are functions of the rest, so equal logical states
 * still have equal canonical JSON. The allocation counts are genuine history, as in Mesos: they
 * break ties between equal shares (SameShareFairness) and grow without bound.
 */
import type { Quantities, Resources } from '../resources/index.ts';

export interface AllocatorOptions {
  /** `--allocation_interval` in seconds (1 by default); offer filters last at least this long. */
  readonly allocationIntervalSeconds: number;
  /**
   * `--min_allocatable_resources`: an offer is made only if it contains at least one of these
   * quantity sets. Default `cpus:0.01|mem:32`. Empty: anything non-empty is allocatable.
   */
  readonly minAllocatableResources: readonly Quantities[];
  /** `--fair_sharing_excluded_resource_names` (sorted): ignored when computing DRF shares. */
  readonly fairnessExcludeResourceNames: readonly string[];
  /** Model only: keep allocation counts relative and at most this far apart (see counts.ts). */
  readonly countSpread?: number;
}

/** Resources a framework holds on an agent under one role (offered or allocated). */
export interface AgentAllocation {
  readonly frameworkId: string;
  readonly role: string;
  /** Unallocated form; never empty. */
  readonly resources: Resources;
}

export interface AgentState {
  readonly agentId: string;
  readonly total: Resources;
  /** total − Σ allocated (clamped as Resources subtraction is). */
  readonly available: Resources;
  /** Sorted by (frameworkId, role). */
  readonly allocated: readonly AgentAllocation[];
  /** Deactivated agents (Mesos `deactivateSlave`) keep their resources but get no offers. */
  readonly active: boolean;
}

/**
 * A refused-resources filter (Mesos `RefusedOfferFilter`): while present, the framework is not
 * offered, for `role` on `agentId`, any resources that `resources` contains. `id` is chosen by
 * the caller (e.g. the declined offer's id) and names the filter in `expireFilter`, so a stale
 * timer never removes a newer filter.
 */
export interface OfferFilter {
  readonly role: string;
  readonly agentId: string;
  readonly id: string;
  /** Unallocated form. */
  readonly resources: Resources;
}

/** A framework's entry in one role's framework sorter. */
export interface TrackedRole {
  readonly role: string;
  /** Scalar quantities offered or allocated to the framework under this role. */
  readonly allocated: Quantities;
  /** How many allocations the sorter has recorded (never decreases while tracked). */
  readonly count: number;
}

export interface FrameworkState {
  readonly frameworkId: string;
  /** Subscribed roles, sorted. */
  readonly roles: readonly string[];
  /** Sorted, ⊆ roles. */
  readonly suppressedRoles: readonly string[];
  readonly active: boolean;
  /** Per-role override of the global minimum (`FrameworkInfo.offer_filters`). */
  readonly minAllocatableResources: Readonly<Record<string, readonly Quantities[]>>;
  /** Roles the framework is tracked under (subscribed, or still holding resources), sorted. */
  readonly tracked: readonly TrackedRole[];
  /** Sorted by (role, agentId, id). */
  readonly filters: readonly OfferFilter[];
}

export interface RoleState {
  readonly role: string;
  /** Frameworks tracked under the role, sorted. Never empty. */
  readonly frameworks: readonly string[];
  /** Σ of the tracked frameworks' quantities under this role (not descendants). */
  readonly allocated: Quantities;
  readonly count: number;
}

/** Scalar limits by name; unlike Quantities a zero is kept (it forbids the name). */
export type Limits = Readonly<Record<string, number>>;

export interface Quota {
  /** Fixed-point quantities the role is guaranteed. */
  readonly guarantees: Quantities;
  /** Fixed-point caps on the role's consumption; absent names are unlimited. */
  readonly limits: Limits;
}

export interface AllocatorState {
  readonly options: AllocatorOptions;
  readonly total: Quantities;
  readonly agents: readonly AgentState[];
  readonly frameworks: readonly FrameworkState[];
  readonly roles: readonly RoleState[];
  readonly weights: Readonly<Record<string, number>>;
  /** Role → quota, only roles with a non-default quota; absent when there is none (quota.ts). */
  readonly quotas?: Readonly<Record<string, Quota>>;
}

/** Contract violations (what Mesos CHECK-fails on): unknown ids, duplicates, bad arguments. */
export class AllocatorError extends Error {
  override name = 'AllocatorError';
}

// ---------------------------------------------------------------------------------------------
// Sorted-array helpers

/** Binary search: index of `key`, or `-(insertionPoint) - 1`. */
export function search<T>(arr: readonly T[], key: string, keyOf: (t: T) => string): number {
  let lo = 0;
  let hi = arr.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keyOf(arr[mid]!);
    if (k === key) return mid;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

export function replaceAt<T>(arr: readonly T[], i: number, v: T): T[] {
  const out = arr.slice();
  out[i] = v;
  return out;
}

export function insertAt<T>(arr: readonly T[], i: number, v: T): T[] {
  const out = arr.slice(0, i);
  out.push(v);
  for (let k = i; k < arr.length; k++) out.push(arr[k]!);
  return out;
}

export function removeAt<T>(arr: readonly T[], i: number): T[] {
  return arr.slice(0, i).concat(arr.slice(i + 1));
}

/** Inserts into a sorted string array (no-op if present). */
export function insertSorted(arr: readonly string[], v: string): readonly string[] {
  const i = search(arr, v, (x) => x);
  return i >= 0 ? arr : insertAt(arr, -i - 1, v);
}

/** Removes from a sorted string array (no-op if absent). */
export function removeSorted(arr: readonly string[], v: string): readonly string[] {
  const i = search(arr, v, (x) => x);
  return i < 0 ? arr : removeAt(arr, i);
}

export function sortedUnique(list: Iterable<string>): string[] {
  return [...new Set(list)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const agentKey = (a: AgentState) => a.agentId;
const frameworkKey = (f: FrameworkState) => f.frameworkId;
const roleKey = (r: RoleState) => r.role;
const trackedKey = (t: TrackedRole) => t.role;

export function agentIndex(state: AllocatorState, agentId: string): number {
  return search(state.agents, agentId, agentKey);
}

export function frameworkIndex(state: AllocatorState, frameworkId: string): number {
  return search(state.frameworks, frameworkId, frameworkKey);
}

export function roleIndex(state: AllocatorState, role: string): number {
  return search(state.roles, role, roleKey);
}

export function getAgent(state: AllocatorState, agentId: string): AgentState | undefined {
  const i = agentIndex(state, agentId);
  return i >= 0 ? state.agents[i] : undefined;
}

export function getFramework(state: AllocatorState, frameworkId: string): FrameworkState | undefined {
  const i = frameworkIndex(state, frameworkId);
  return i >= 0 ? state.frameworks[i] : undefined;
}

export function getRole(state: AllocatorState, role: string): RoleState | undefined {
  const i = roleIndex(state, role);
  return i >= 0 ? state.roles[i] : undefined;
}

export function trackedIndex(fw: FrameworkState, role: string): number {
  return search(fw.tracked, role, trackedKey);
}

/** Index of the (frameworkId, role) entry in an agent's `allocated`, or -(insertion) - 1. */
export function allocationIndex(agent: AgentState, frameworkId: string, role: string): number {
  const arr = agent.allocated;
  let lo = 0;
  let hi = arr.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const e = arr[mid]!;
    const c = e.frameworkId < frameworkId ? -1 : e.frameworkId > frameworkId ? 1 : e.role < role ? -1 : e.role > role ? 1 : 0;
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function compareFilterKey(f: OfferFilter, role: string, agentId: string, id: string): number {
  if (f.role !== role) return f.role < role ? -1 : 1;
  if (f.agentId !== agentId) return f.agentId < agentId ? -1 : 1;
  if (f.id !== id) return f.id < id ? -1 : 1;
  return 0;
}

/** Index of the filter (role, agentId, id), or -(insertion) - 1. With id '' : first of (role, agentId). */
export function filterIndex(filters: readonly OfferFilter[], role: string, agentId: string, id: string): number {
  let lo = 0;
  let hi = filters.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareFilterKey(filters[mid]!, role, agentId, id);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}
