/**
 * Quota limits: the allocator never offers a role unreserved resources that take its consumed
 * quota (reservations plus unreserved resources offered or allocated, sub-roles included)
 * beyond its limits. Stated on offers because consumption may exceed a limit without an
 * allocation breaking it: an operator may lower a limit with `force`, or reserve beyond it
 * (Mesos checks neither against quota); then the master rescinds and offers no more of it.
 */
import type { MasterContext } from '../spec/machines/master.ts';
import { consumedQuota, inSubtree } from '../spec/allocator/index.ts';
import { formatScalar, isUnreserved } from '../spec/resources/index.ts';

/** quotaLimitsHeld == ∀ role with a limit on name n: some offer to the role holds unreserved n ⇒ consumed(role)[n] ≤ limit[n]. */
export function quotaLimitsHeld(m: MasterContext): string | null {
  const quotas = m.allocator.quotas ?? {};
  for (const role of Object.keys(quotas)) {
    const limits = quotas[role]!.limits;
    const consumed = consumedQuota(m.allocator, role);
    for (const name of Object.keys(limits)) {
      if ((consumed[name] ?? 0) <= limits[name]!) continue;
      const offer = Object.keys(m.offers)
        .sort()
        .find((id) => inSubtree(m.offers[id]!.role, role) && m.offers[id]!.resources.some((e) => e.name === name && isUnreserved(e)));
      if (offer !== undefined)
        return `offer ${offer} takes role ${role} to ${name}:${formatScalar(consumed[name]!)}, beyond its quota limit ${name}:${formatScalar(limits[name]!)}`;
    }
  }
  return null;
}

/**
 * quotasPersisted == the registry holds a quota for exactly the roles the allocator enforces one
 * for: an UPDATE_QUOTA is written to the registry before it is applied, and one that clears a
 * role's guarantees and limits removes the role's entry (Master::QuotaHandler, RegistryOperation
 * UpdateQuota). A quota only the allocator has is lost at the next failover; one only the
 * registry has comes back from the dead.
 */
export function quotasPersisted(m: MasterContext): string | null {
  const enforced = Object.keys(m.allocator.quotas ?? {}).sort();
  const persisted = Object.keys(m.registry.quotas ?? {}).sort();
  if (enforced.join() === persisted.join()) return null;
  return `the allocator enforces quotas for [${enforced.join(', ')}], the registry holds them for [${persisted.join(', ')}]`;
}
