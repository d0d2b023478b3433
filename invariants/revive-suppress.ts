/**
 * What a REVIVE or a SUPPRESS does to the allocator (Master::revive, Master::suppress, the
 * allocator's reviveOffers and suppressOffers), restated from the call and the framework's roles.
 */
import type { AnyEventObject } from 'xstate';
import { sameJson } from '../spec/canonical.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import { gatePasses } from './answers.ts';
import { rolesOf } from './subscriptions.ts';
import type { Emitted } from './world.ts';

/**
 * revivesAndSuppressionsAsAsked == a REVIVE or SUPPRESS past the gate acts on exactly the roles it
 * names (all the framework's roles when it names none), or on none if it names a role the
 * framework does not have (Mesos drops the call): SUPPRESS adds them to the framework's suppressed
 * roles, REVIVE takes them out and drops the framework's refusal filters for them, and every other
 * role keeps its suppression and its filters (Master::revive, Master::suppress, the allocator's
 * reviveOffers and suppressOffers).
 */
export function revivesAndSuppressionsAsAsked(before: MasterContext, event: AnyEventObject, _effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'REVIVE' && event.type !== 'SUPPRESS') return null;
  const f = gatePasses(before, event);
  if (f === undefined) return null;
  const fid = (event.framework_id as { value: string }).value;
  const was = before.allocator.frameworks.find((x) => x.frameworkId === fid);
  const now = after.allocator.frameworks.find((x) => x.frameworkId === fid);
  if (was === undefined || now === undefined) return null;
  const own = rolesOf(f.info);
  const named = ((event.type === 'REVIVE' ? event.revive : event.suppress) as { roles?: readonly string[] } | undefined)?.roles ?? [];
  const roles = named.some((r) => !own.includes(r)) ? [] : named.length === 0 ? own : named;
  const suppressed = new Set(was.suppressedRoles);
  for (const r of roles) {
    if (event.type === 'SUPPRESS') suppressed.add(r);
    else suppressed.delete(r);
  }
  const want = [...suppressed].sort();
  if (!sameJson(want, [...now.suppressedRoles].sort()))
    return `a ${event.type} of roles ${JSON.stringify(named)} left ${fid} suppressing ${JSON.stringify(now.suppressedRoles)}, Mesos ${JSON.stringify(want)}`;
  if (event.type === 'REVIVE') {
    const kept = was.filters
      .filter((x) => !roles.includes(x.role))
      .map((x) => x.id)
      .sort();
    const left = now.filters.map((x) => x.id).sort();
    if (!sameJson(kept, left)) return `a REVIVE of roles ${JSON.stringify(named)} left ${fid} the filters ${JSON.stringify(left)}, Mesos ${JSON.stringify(kept)}`;
  }
  return null;
}
