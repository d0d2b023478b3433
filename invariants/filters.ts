/**
 * An offer filter lasts as long as its framework asked (`refuse_seconds`), no longer: the master
 * arms its expiry when the allocator takes it, and the allocator drops it when that fires
 * (HierarchicalAllocatorProcess::expire). A filter nothing will ever expire keeps its resources
 * from the framework until it revives, which no safety property can see.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { Timer } from '../spec/step.ts';
import { gatePasses } from './answers.ts';
import { type Emitted, type WorldReader } from './world.ts';

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

/** Mesos's default and longest refusal (HierarchicalAllocatorProcess::recoverResources, Filters in mesos.proto). */
const DEFAULT_REFUSE_SECONDS = 5;
const MAX_REFUSE_SECONDS = 365 * 24 * 60 * 60;

/**
 * How long Mesos keeps resources from a framework that refused them for `refuseSeconds`: the
 * default for none or a negative value, at most a year, as whole nanoseconds, never shorter than
 * an allocation interval; null for no filter at all (zero).
 */
function filterMs(refuseSeconds: number | undefined, allocationIntervalMs: number): number | null {
  const seconds = refuseSeconds === undefined || Number.isNaN(refuseSeconds) || refuseSeconds < 0 ? DEFAULT_REFUSE_SECONDS : Math.min(refuseSeconds, MAX_REFUSE_SECONDS);
  const nanos = Math.trunc(seconds * 1e9);
  return nanos === 0 ? null : Math.round(Math.max(allocationIntervalMs, nanos / 1e6));
}

/** filtersTimed == every refusal filter a DECLINE or an ACCEPT's leftovers install expires after the call's refuse_seconds, as Mesos times it. */
export function filtersTimed(
  before: MasterContext,
  event: AnyEventObject,
  _effects: readonly Emitted[],
  _after: MasterContext,
  _state: StateValue,
  armed: readonly Timer[],
): string | null {
  if ((event.type !== 'DECLINE' && event.type !== 'ACCEPT') || gatePasses(before, event) === undefined) return null;
  const refuse = ((event.type === 'DECLINE' ? event.decline : event.accept) as { filters?: { refuse_seconds?: number } } | undefined)?.filters?.refuse_seconds;
  const want = filterMs(refuse, before.flags.allocationIntervalMs);
  for (const t of armed) {
    if (t.event.type !== 'FILTER_EXPIRED') continue;
    const call = `${event.type === 'ACCEPT' ? 'an' : 'a'} ${event.type} with ${refuse === undefined ? 'no refuse_seconds' : `refuse_seconds ${refuse}`}`;
    if (want === null) return `${call} installed a filter (${t.id}): Mesos installs none`;
    if (t.delay !== want) return `${call} armed filter ${t.id} for ${t.delay} ms, Mesos keeps it ${want} ms`;
  }
  return null;
}
