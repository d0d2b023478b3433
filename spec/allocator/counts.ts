/**
 * Allocation counts, kept finite for the model checker.
 *
 * Mesos breaks ties between equal shares by how many allocations each client has had, and
 * those counts only grow. Every distinct count is a distinct master state, so a model in which
 * an offer is declined and re-offered forever would have infinitely many states. Counts are
 * only ever compared within a group of siblings (the frameworks of one role, the roles under one
 * parent), so subtracting the group's minimum changes no comparison; clamping the difference to
 * `spread` does, but only between clients that are `spread` allocations apart, where Mesos's
 * fairness heuristic and ours part ways. The runtime keeps Mesos's counts (no spread).
 */
import type { AllocatorState } from './state.ts';

export function normalizeCounts(state: AllocatorState, spread: number): AllocatorState {
  // Frameworks, per role.
  const minByRole = new Map<string, number>();
  for (const fw of state.frameworks) {
    for (const t of fw.tracked) minByRole.set(t.role, Math.min(minByRole.get(t.role) ?? Infinity, t.count));
  }
  let changed = false;
  const frameworks = state.frameworks.map((fw) => {
    let touched = false;
    const tracked = fw.tracked.map((t) => {
      const count = Math.min(spread, t.count - minByRole.get(t.role)!);
      if (count === t.count) return t;
      touched = true;
      return { ...t, count };
    });
    if (!touched) return fw;
    changed = true;
    return { ...fw, tracked };
  });
  // Roles, per parent.
  const parent = (role: string) => role.slice(0, Math.max(0, role.lastIndexOf('/')));
  const minByParent = new Map<string, number>();
  for (const r of state.roles) minByParent.set(parent(r.role), Math.min(minByParent.get(parent(r.role)) ?? Infinity, r.count));
  const roles = state.roles.map((r) => {
    const count = Math.min(spread, r.count - minByParent.get(parent(r.role))!);
    if (count === r.count) return r;
    changed = true;
    return { ...r, count };
  });
  return changed ? { ...state, frameworks, roles } : state;
}
