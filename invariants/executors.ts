/**
 * Executors a framework brings (custom executors and the default executor of task groups):
 * their ends reach the framework, and their task groups launch whole.
 */
import type { WorldReader } from './world.ts';
import { frameworkIdOf } from './world.ts';

/**
 * Eventually, in a run without faults: every custom or default executor that ran on an agent
 * and ended (its slot is empty again, and its framework learned where it ran from its tasks'
 * updates) reached its framework, if still subscribed, as FAILURE {agent_id, executor_id}.
 * FAILURE is not a reliable message in Mesos (a framework disconnected at the time never hears
 * it), so runs with faults are not judged.
 */
export function executorEndsReported(w: WorldReader): string | null {
  const m = w.master();
  if (!m || (w.causes?.()?.faults.length ?? 1) > 0) return null;
  for (const e of w.layout.customExecutors) {
    const s = w.scheduler(e.framework);
    const fid = frameworkIdOf(w, e.framework);
    const aid = w.agent(e.agent)?.info.id?.value;
    if (!s || fid === undefined || m.frameworks[fid]?.connection !== e.framework || aid === undefined) continue;
    if (s.executorAgents?.[e.executor] !== aid || w.stateOf(e.slot) !== null) continue;
    if (!(s.failures ?? []).some((f) => f.startsWith(`${aid}/${e.executor}:`))) return `executor ${e.executor} ended on ${e.agent}, yet ${e.framework} never heard FAILURE for it`;
  }
  return null;
}

/**
 * Always: the master knows every task of a task group or none of them (known: live, unreachable
 * or completed), since LAUNCH_GROUP launches all or nothing. A master that failed over forgets
 * completed tasks, so runs with a master failover are not judged.
 */
export function taskGroupAllOrNothing(w: WorldReader): string | null {
  const m = w.master();
  if (!m || w.causes?.()?.faults.includes('master-failover')) return null;
  const judged = new Set<string>();
  for (const e of w.layout.customExecutors) {
    if (!e.group || judged.has(e.executor)) continue;
    judged.add(e.executor);
    const fid = frameworkIdOf(w, e.framework);
    const f = fid === undefined ? undefined : m.frameworks[fid];
    if (!f) continue;
    const known = e.tasks.filter((t) => f.tasks[t] !== undefined || f.unreachable[t] !== undefined || f.completed.includes(t));
    if (known.length > 0 && known.length < e.tasks.length) return `the master knows ${known.join(', ')} of task group ${e.executor} (${e.tasks.join(', ')}), not the whole group`;
  }
  return null;
}
