/** PARTITION_AWARE: a framework that declared it hears Mesos's precise states, never the catch-all. */
import type { TaskStatus } from '../spec/protocol/common.ts';
import type { WorldReader } from './world.ts';

/**
 * Mesos's one exception: an agent that unregistered takes its tasks with it as TASK_LOST for
 * every framework (Master::_removeSlave does not look at capabilities; master/removal.ts).
 */
const lostWithUnregisteredAgent = (s: TaskStatus): boolean =>
  s.source === 'SOURCE_MASTER' && s.reason === 'REASON_AGENT_REMOVED' && (s.message ?? '').endsWith(' removed: the agent unregistered');

/**
 * A partition-aware framework is never sent TASK_LOST (it gets TASK_DROPPED, TASK_UNREACHABLE,
 * TASK_GONE, TASK_GONE_BY_OPERATOR or TASK_UNKNOWN instead: reference 4.5), nor logs one, but
 * for a task whose agent unregistered.
 */
export function partitionAwareNeverLost(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    const s = w.scheduler(fw);
    if (!s || !(s.framework_info.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE')) continue;
    for (const e of w.channel(w.layout.master, fw)) {
      const status = e.type === 'UPDATE' ? (e.update as { status: TaskStatus }).status : null;
      if (status?.state === 'TASK_LOST' && !lostWithUnregisteredAgent(status))
        return `partition-aware ${fw} is sent TASK_LOST for ${status.task_id.value} (${status.source ?? ''} ${status.reason ?? ''})`;
    }
    for (const tid of Object.keys(s.log).sort()) {
      if (s.log[tid]!.some((u) => u.state === 'TASK_LOST')) return `partition-aware ${fw} logged TASK_LOST for ${tid}`;
    }
  }
  return null;
}
