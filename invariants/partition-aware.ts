/** PARTITION_AWARE: a framework that declared it hears Mesos's precise states, never the catch-all. */
import type { TaskStatus } from '../spec/protocol/common.ts';
import type { WorldReader } from './world.ts';

/**
 * The TASK_LOST Mesos still sends a partition-aware framework: when an agent disconnects, the
 * master removes every framework that does not checkpoint from that agent and sends its tasks
 * TASK_LOST, SOURCE_MASTER, REASON_SLAVE_DISCONNECTED whatever the framework's capabilities
 * (src/master/master.cpp: `Master::exited` -> `removeFramework(Slave*, Framework*)`).
 */
const lostOnDisconnect = (checkpoints: boolean, u: { source?: string; reason?: string }) =>
  !checkpoints && u.source === 'SOURCE_MASTER' && u.reason === 'REASON_AGENT_DISCONNECTED';

/**
 * And an agent that unregistered takes its tasks with it as TASK_LOST for every framework
 * (Master::_removeSlave does not look at capabilities; master/removal.ts): allowed only in a run
 * where an agent did unregister, as the cause record says (the runtime keeps no record: there the
 * reason alone is judged).
 */
const lostWithUnregisteredAgent = (w: WorldReader, s: { source?: string; reason?: string }): boolean =>
  s.source === 'SOURCE_MASTER' && s.reason === 'REASON_AGENT_REMOVED' && (w.causes?.()?.faults.includes('agent-unregister') ?? true);

/**
 * A partition-aware framework is never sent TASK_LOST (it gets TASK_DROPPED, TASK_UNREACHABLE,
 * TASK_GONE, TASK_GONE_BY_OPERATOR or TASK_UNKNOWN instead: reference 4.5), nor logs one, except
 * a framework without checkpointing whose agent disconnected (`lostOnDisconnect`) and a task
 * whose agent unregistered (`lostWithUnregisteredAgent`).
 */
export function partitionAwareNeverLost(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    const s = w.scheduler(fw);
    if (!s || !(s.framework_info.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE')) continue;
    const checkpoints = s.framework_info.checkpoint === true;
    for (const e of w.channel(w.layout.master, fw)) {
      const status = e.type === 'UPDATE' ? (e.update as { status: TaskStatus }).status : null;
      if (status?.state === 'TASK_LOST' && !lostOnDisconnect(checkpoints, status) && !lostWithUnregisteredAgent(w, status))
        return `partition-aware ${fw} is sent TASK_LOST for ${status.task_id.value} (${status.source ?? ''} ${status.reason ?? ''})`;
    }
    for (const tid of Object.keys(s.log).sort()) {
      if (s.log[tid]!.some((u) => u.state === 'TASK_LOST' && !lostOnDisconnect(checkpoints, u) && !lostWithUnregisteredAgent(w, u)))
        return `partition-aware ${fw} logged TASK_LOST for ${tid}`;
    }
  }
  return null;
}
