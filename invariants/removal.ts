/**
 * Removed agents: whichever way an agent leaves the master (it unregistered, was marked
 * unreachable, or gone), its tasks leave the master's live books with it (Mesos's
 * __removeSlave and _removeSlave remove every task of the agent), so a live task record always
 * names an agent the master has.
 */
import type { MasterContext } from '../spec/machines/master.ts';

/** tasksOnKnownAgents == ∀ f, t ∈ f.tasks: t.agent_id ∈ agents. */
export function tasksOnKnownAgents(m: MasterContext): string | null {
  for (const fid of Object.keys(m.frameworks).sort()) {
    for (const [tid, r] of Object.entries(m.frameworks[fid]!.tasks)) {
      if (m.agents[r.task.agent_id.value] === undefined) return `task ${tid} of framework ${fid} is on agent ${r.task.agent_id.value}, which the master removed`;
    }
  }
  return null;
}

/**
 * unreachableTasksOffRegisteredAgents == no framework's books hold a task as unreachable on an
 * agent the master has registered: an agent that comes back reports its tasks, which are live
 * again, and the records of those it did not report are erased (Master::___reregisterSlave erases
 * the agent's whole slaves.unreachableTasks entry), so a reconciliation no longer answers
 * TASK_UNREACHABLE for them.
 */
export function unreachableTasksOffRegisteredAgents(m: MasterContext): string | null {
  for (const fid of Object.keys(m.frameworks).sort()) {
    for (const [tid, r] of Object.entries(m.frameworks[fid]!.unreachable)) {
      const a = m.agents[r.task.agent_id.value];
      if (a !== undefined && !a.recovered) return `framework ${fid} holds task ${tid} as unreachable on agent ${r.task.agent_id.value}, which the master has registered`;
    }
  }
  return null;
}
