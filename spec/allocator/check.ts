/**
 * Consistency of an allocator state, as a pure predicate: null when consistent, else what is
 * wrong. It restates Mesos's accounting CHECKs (`total ⊇ offeredOrAllocated` per agent) and the
 * bookkeeping this representation adds (sorted collections, derived fields equal to what they
 * summarise). Properties and invariants call it; it is not on any hot path.
 */
import { add, addQuantities, contains, equals, isCanonical, isEmpty, quantitiesEqual, scalarQuantities, subtract, type Quantities, type Resources } from '../resources/index.ts';
import { dominantShare, compareDRF, type SortKey } from './policy.ts';
import { getFramework, getRole, type AllocatorState, type FrameworkState } from './state.ts';

function sortedBy<T>(arr: readonly T[], key: (t: T) => string): boolean {
  for (let i = 1; i < arr.length; i++) if (!(key(arr[i - 1]!) < key(arr[i]!))) return false;
  return true;
}

function q(x: Quantities): string {
  return Object.keys(x)
    .sort()
    .map((k) => `${k}:${x[k]}`)
    .join(';');
}

export function allocatorConsistency(state: AllocatorState): string | null {
  if (!sortedBy(state.agents, (a) => a.agentId)) return 'agents not sorted by id';
  if (!sortedBy(state.frameworks, (f) => f.frameworkId)) return 'frameworks not sorted by id';
  if (!sortedBy(state.roles, (r) => r.role)) return 'roles not sorted';
  for (const [role, w] of Object.entries(state.weights)) {
    if (!(w > 0) || w === 1) return `weight of ${role} is ${w}`;
  }

  let total: Quantities = {};
  const held = new Map<string, Quantities>(); // `${frameworkId}\0${role}` -> quantities
  for (const agent of state.agents) {
    const where = `agent ${agent.agentId}`;
    if (!isCanonical(agent.total) || !isCanonical(agent.available)) return `${where}: resources not canonical`;
    if (agent.total.some((e) => e.allocationRole !== undefined)) return `${where}: total carries allocation info`;
    total = addQuantities(total, scalarQuantities(agent.total));
    if (!sortedBy(agent.allocated, (a) => `${a.frameworkId}\u0000${a.role}`)) return `${where}: allocations not sorted`;
    let used: Resources = [];
    for (const a of agent.allocated) {
      if (isEmpty(a.resources)) return `${where}: empty allocation for ${a.frameworkId}/${a.role}`;
      if (!isCanonical(a.resources) || a.resources.some((e) => e.allocationRole !== undefined)) {
        return `${where}: allocation of ${a.frameworkId}/${a.role} not canonical unallocated resources`;
      }
      used = add(used, a.resources);
      const key = `${a.frameworkId}\u0000${a.role}`;
      held.set(key, addQuantities(held.get(key) ?? {}, scalarQuantities(a.resources)));
    }
    if (!contains(agent.total, used)) return `${where}: offered or allocated exceeds the total`;
    if (!equals(agent.available, subtract(agent.total, used))) return `${where}: available ≠ total − allocated`;
  }
  if (!quantitiesEqual(total, state.total)) return `cluster total ${q(state.total)} ≠ Σ agents ${q(total)}`;

  const roleSums = new Map<string, Quantities>();
  const roleMembers = new Map<string, string[]>();
  for (const fw of state.frameworks) {
    const where = `framework ${fw.frameworkId}`;
    if (!sortedBy(fw.roles, (r) => r) || !sortedBy(fw.suppressedRoles, (r) => r)) return `${where}: roles not sorted`;
    if (fw.suppressedRoles.some((r) => !fw.roles.includes(r))) return `${where}: suppresses a role it is not in`;
    if (!sortedBy(fw.tracked, (t) => t.role)) return `${where}: tracked roles not sorted`;
    if (!sortedBy(fw.filters, (f) => `${f.role}\u0000${f.agentId}\u0000${f.id}`)) return `${where}: filters not sorted`;
    for (const role of fw.roles) if (!fw.tracked.some((t) => t.role === role)) return `${where}: subscribed role ${role} not tracked`;
    for (const t of fw.tracked) {
      const actual = held.get(`${fw.frameworkId}\u0000${t.role}`) ?? {};
      if (!quantitiesEqual(actual, t.allocated)) return `${where}: tracked ${q(t.allocated)} in ${t.role} ≠ held ${q(actual)}`;
      if (!fw.roles.includes(t.role) && !heldAnywhere(state, fw, t.role)) return `${where}: tracked in ${t.role} without reason`;
      roleSums.set(t.role, addQuantities(roleSums.get(t.role) ?? {}, t.allocated));
      roleMembers.set(t.role, [...(roleMembers.get(t.role) ?? []), fw.frameworkId]);
    }
    for (const f of fw.filters) {
      if (f.agentId === '' || f.id === '') return `${where}: filter with empty id`;
      if (state.agents.every((a) => a.agentId !== f.agentId)) return `${where}: filter for unknown agent ${f.agentId}`;
    }
  }
  for (const [key] of held) {
    const [frameworkId, role] = key.split('\u0000') as [string, string];
    const fw = getFramework(state, frameworkId);
    if (fw !== undefined && !fw.tracked.some((t) => t.role === role)) return `framework ${frameworkId} holds resources in ${role} untracked`;
  }
  if (state.roles.length !== roleMembers.size) return `roles ${state.roles.map((r) => r.role)} ≠ tracked roles ${[...roleMembers.keys()]}`;
  for (const r of state.roles) {
    const members = (roleMembers.get(r.role) ?? []).sort();
    if (members.join('\u0000') !== r.frameworks.join('\u0000')) return `role ${r.role}: frameworks ${r.frameworks} ≠ tracked ${members}`;
    if (!quantitiesEqual(roleSums.get(r.role) ?? {}, r.allocated)) return `role ${r.role}: allocated ≠ Σ frameworks`;
  }
  return null;
}

function heldAnywhere(state: AllocatorState, fw: FrameworkState, role: string): boolean {
  return state.agents.some((a) => a.allocated.some((x) => x.frameworkId === fw.frameworkId && x.role === role));
}

// ---------------------------------------------------------------------------------------------
// DRF order, for observation (metrics, tests). Flat view: each role on its own.

/** Weighted dominant share of a role (its own allocation, not its sub-roles'). */
export function roleShare(state: AllocatorState, role: string): number {
  const r = getRole(state, role);
  return dominantShare(r?.allocated ?? {}, state.total, state.weights[role] ?? 1, state.options.fairnessExcludeResourceNames);
}

/** Dominant share of a framework within a role. */
export function frameworkShare(state: AllocatorState, frameworkId: string, role: string): number {
  const t = getFramework(state, frameworkId)?.tracked.find((x) => x.role === role);
  return dominantShare(t?.allocated ?? {}, state.total, 1, state.options.fairnessExcludeResourceNames);
}

/** Roles in DRF order (flat roles; see allocate.ts for the tree). */
export function roleOrder(state: AllocatorState): string[] {
  const keys: SortKey[] = state.roles.map((r) => ({ share: roleShare(state, r.role), count: r.count, path: r.role }));
  return keys.sort(compareDRF).map((k) => k.path);
}
