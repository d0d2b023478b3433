/**
 * An agent's broken link loses the tasks of frameworks that do not checkpoint (Master::disconnect
 * calls removeFramework(slave, framework) for each: "Remove the non-checkpointing frameworks'
 * tasks and executors"): their updates and processes are gone with the agent's next start. Each
 * leaves the master's books in that step, and its framework, if connected, is told TASK_LOST
 * (TASK_DROPPED... to a partition-aware one, as lostOr says) with REASON_AGENT_DISCONNECTED. A
 * checkpointing framework's tasks stay: the agent may come back with them.
 *
 * A property of every distinct master step.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import { agentByAddress } from '../spec/machines/master/context.ts';
import type { Emitted } from './world.ts';

type Status = { task_id: { value: string }; reason?: string };

/** uncheckpointedTasksLostOnDisconnect == a LINK_BROKEN of a booked agent removes exactly its non-checkpointing frameworks' tasks, each told to a connected framework with REASON_AGENT_DISCONNECTED. */
export function uncheckpointedTasksLostOnDisconnect(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'LINK_BROKEN') return null;
  const aid = agentByAddress(before, String(event.peer));
  if (aid === undefined) return null;
  for (const [fid, f] of Object.entries(before.frameworks)) {
    for (const [tid, r] of Object.entries(f.tasks)) {
      if (r.task.agent_id.value !== aid) continue;
      const stays = after.frameworks[fid]?.tasks[tid] !== undefined;
      const told = effects.some((e) => {
        const status =
          e.type === 'send' && e.to === f.connection && (e.msg as AnyEventObject).type === 'UPDATE'
            ? ((e.msg as { update: { status: Status } }).update.status as Status)
            : undefined;
        return status?.task_id.value === tid && status.reason === 'REASON_AGENT_DISCONNECTED';
      });
      if (f.info.checkpoint === true) {
        if (!stays) return `agent ${aid}'s link broke and ${fid}'s task ${tid} left the books, though ${fid} checkpoints`;
      } else if (stays) {
        return `agent ${aid}'s link broke and ${fid}'s task ${tid} stayed in the books, though ${fid} does not checkpoint`;
      } else if (f.connection !== null && !told) {
        return `agent ${aid}'s link broke and ${fid}'s task ${tid} left the books untold (REASON_AGENT_DISCONNECTED is due)`;
      }
    }
  }
  return null;
}
