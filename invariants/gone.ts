/**
 * Gone agents: an agent marked gone (MARK_AGENT_GONE, or a drain with `mark_gone`) may never
 * come back (Mesos: "a gone agent can never reregister"), so the master never again counts a
 * task, an unreachable task, an offer or an agent record on its id.
 */
import type { MasterContext } from '../spec/machines/master.ts';

/** goneAgentsHostNothing == ∀ a ∈ registry.gone: a ∉ agents ∧ no task, unreachable task or offer names a. */
export function goneAgentsHostNothing(m: MasterContext): string | null {
  const gone = m.registry.gone;
  if (gone.length === 0) return null;
  for (const aid of gone) {
    if (m.agents[aid] !== undefined) return `agent ${aid} was marked gone but the master has it again`;
    for (const fid of Object.keys(m.frameworks).sort()) {
      const f = m.frameworks[fid]!;
      for (const [tid, r] of Object.entries(f.tasks)) if (r.task.agent_id.value === aid) return `task ${tid} of framework ${fid} is on agent ${aid}, which was marked gone`;
      for (const [tid, r] of Object.entries(f.unreachable))
        if (r.task.agent_id.value === aid) return `unreachable task ${tid} of framework ${fid} is on agent ${aid}, which was marked gone`;
    }
    for (const id of Object.keys(m.offers).sort()) if (m.offers[id]!.agent_id === aid) return `offer ${id} is on agent ${aid}, which was marked gone`;
  }
  return null;
}
