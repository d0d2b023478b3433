/**
 * Quota in the hierarchical allocator (Mesos 1.9+ QUOTA_V2: `Quota{guarantees, limits}`,
 * `HierarchicalAllocatorProcess::updateQuota`, the two stages of `__generateOffers`).
 *
 * - A role's **consumed quota** is its reservations (allocated or not) plus the unreserved
 *   resources offered or allocated to it, its sub-roles included (Mesos `quotaOfferedOrConsumed`).
 * - **Guarantees** are quantities the allocator sets aside for the role: stage 1 offers them
 *   first, and stage 2 holds back enough unreserved headroom for every unsatisfied guarantee.
 * - **Limits** cap the consumed quota: unreserved resources beyond them are never offered. A
 *   name absent from the limits is unlimited; a limit of 0 is a limit.
 *
 * Quota lives in the allocator state (`quotas`, role → Quota, only non-default entries, so equal
 * states serialise equal); the master keeps it in its registry and sets it with `updateQuota`.
 */
import {
  addQuantities,
  filter,
  isUnreserved,
  isStrictSubrole,
  reservationRole,
  resources as canonical,
  scalarQuantities,
  subtractQuantities,
  type Quantities,
  type Resources,
  type ResourceEntry,
} from '../resources/index.ts';
import type { AllocatorState, Limits, Quota } from './state.ts';

export type { Limits, Quota } from './state.ts';

export const DEFAULT_QUOTA: Quota = { guarantees: {}, limits: {} };

const isDefault = (q: Quota) => Object.keys(q.guarantees).length === 0 && Object.keys(q.limits).length === 0;

/** Mesos `updateQuota(role, quota)`: the default quota removes the entry. */
export function updateQuota(state: AllocatorState, role: string, quota: Quota): AllocatorState {
  const { [role]: _old, ...rest } = state.quotas ?? {};
  const quotas = isDefault(quota) ? rest : { ...rest, [role]: quota };
  if (Object.keys(quotas).length === 0) {
    const { quotas: _none, ...without } = state;
    return without;
  }
  return {
    ...state,
    quotas: Object.fromEntries(
      Object.keys(quotas)
        .sort()
        .map((k) => [k, quotas[k]!]),
    ),
  };
}

export function quotaOf(state: AllocatorState, role: string): Quota {
  return state.quotas?.[role] ?? DEFAULT_QUOTA;
}

/** `role` or a role below it. */
export const inSubtree = (role: string, top: string): boolean => role === top || isStrictSubrole(role, top);

/** Reserved for `top` or a role below it. */
const reservedIn = (top: string) => (e: ResourceEntry) => !isUnreserved(e) && inSubtree(reservationRole(e), top);

/**
 * Mesos's consumed quota of `role`: its (and its sub-roles') reservations on every agent,
 * allocated or not, plus the unreserved scalars offered or allocated to it or its sub-roles.
 */
export function consumedQuota(state: AllocatorState, role: string): Quantities {
  let out: Quantities = {};
  for (const agent of state.agents) {
    out = addQuantities(out, scalarQuantities(filter(agent.total, reservedIn(role))));
    for (const a of agent.allocated) if (inSubtree(a.role, role)) out = addQuantities(out, scalarQuantities(filter(a.resources, isUnreserved)));
  }
  return out;
}

/** Limits minus what is already consumed, kept at zero (a zero still forbids the name). */
export function limitsLeft(limits: Limits, consumed: Quantities): Limits {
  const out: Record<string, number> = {};
  for (const k in limits) out[k] = Math.max(0, limits[k]! - (consumed[k] ?? 0));
  return out;
}

/** Does the consumption fit within the limits (names without a limit always do)? */
export function withinLimits(limits: Limits, consumed: Quantities): boolean {
  for (const k in limits) if ((consumed[k] ?? 0) > limits[k]!) return false;
  return true;
}

/**
 * Mesos `shrinkResources(resources, ResourceQuantities target)`: at most `target` of each
 * scalar name; names absent from the target are dropped. Entries are taken in canonical order
 * (Mesos shuffles them; with one unreserved entry per name, as here, it makes no difference).
 */
export function shrinkToQuantities(r: Resources, target: Quantities): Resources {
  return shrink(r, target, false);
}

/** Mesos `shrinkResources(resources, ResourceLimits target)`: names absent from the limits are kept whole. */
export function shrinkToLimits(r: Resources, limits: Limits): Resources {
  return shrink(r, limits, true);
}

function shrink(r: Resources, target: Readonly<Record<string, number>>, keepAbsent: boolean): Resources {
  const left: Record<string, number> = { ...target };
  const out: ResourceEntry[] = [];
  for (const e of r) {
    const t = left[e.name];
    if (t === undefined) {
      if (keepAbsent) out.push(e);
      continue;
    }
    if (e.scalar === undefined || t <= 0) continue;
    const take = Math.min(e.scalar, t);
    left[e.name] = t - take;
    out.push(take === e.scalar ? e : ({ ...e, scalar: take } as ResourceEntry));
  }
  return out.length === r.length && out.every((e, i) => e === r[i]) ? r : canonical(out);
}

/** Unreserved scalars: what counts toward quota headroom and guarantees. */
export const quotaResources = (r: Resources): Resources => filter(r, (e) => e.scalar !== undefined && isUnreserved(e));

/**
 * The headroom bookkeeping of one allocation cycle (Mesos `__generateOffers`, before stage 1):
 * each quota role's consumption, the unreserved headroom its unsatisfied guarantees need, and the
 * unreserved resources nobody holds (available headroom).
 */
export interface QuotaCycle {
  readonly consumed: Map<string, Quantities>;
  required: Quantities;
  available: Quantities;
}

export function quotaCycle(state: AllocatorState): QuotaCycle | null {
  const quotas = state.quotas;
  if (quotas === undefined) return null;
  const consumed = new Map<string, Quantities>();
  let required: Quantities = {};
  for (const role of Object.keys(quotas)) {
    const c = consumedQuota(state, role);
    consumed.set(role, c);
    required = addQuantities(required, subtractQuantities(quotas[role]!.guarantees, c));
  }
  let available: Quantities = {};
  for (const agent of state.agents) available = addQuantities(available, scalarQuantities(filter(agent.available, isUnreserved)));
  return { consumed, required, available };
}
