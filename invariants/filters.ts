/**
 * An offer filter lasts as long as its framework asked (`refuse_seconds`), no longer: the master
 * arms its expiry when the allocator takes it, and the allocator drops it when that fires
 * (HierarchicalAllocatorProcess::expire). A filter nothing will ever expire keeps its resources
 * from the framework until it revives, which no safety property can see.
 */
import { type WorldReader } from './world.ts';

/** filtersExpire == every offer filter the allocator holds has its FILTER_EXPIRED armed at the master. */
export function filtersExpire(w: WorldReader): string | null {
  const m = w.master();
  const timers = w.timers?.(w.layout.master);
  if (m === null || timers === undefined) return null;
  const key = (fid: string, role: string, aid: string, id: string) => `${fid}\u0000${role}\u0000${aid}\u0000${id}`;
  const armed = new Set(
    timers.flatMap((t) =>
      t.event.type === 'FILTER_EXPIRED' ? [key(t.event.framework_id as string, t.event.role as string, t.event.agent_id as string, t.event.id as string)] : [],
    ),
  );
  for (const fw of m.allocator.frameworks) {
    for (const f of fw.filters) {
      if (!armed.has(key(fw.frameworkId, f.role, f.agentId, f.id)))
        return `framework ${fw.frameworkId}'s filter ${f.id} on agent ${f.agentId} for role ${f.role} has no expiry armed`;
    }
  }
  return null;
}
