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
