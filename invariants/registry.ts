/**
 * The registry leads: the master acts on an agent only once its registrar has admitted it
 * (Master::registerSlave / reregisterSlave wait for the registry operation), so every agent the
 * master holds is admitted in the registry it keeps, and none of them is recorded unreachable.
 */
import type { MasterContext } from '../spec/machines/master.ts';

/** agentsAdmitted == ∀ a ∈ agents: a ∈ registry.admitted ∧ a ∉ registry.unreachable. */
export function agentsAdmitted(m: MasterContext): string | null {
  for (const aid of Object.keys(m.agents).sort()) {
    if (m.registry.admitted[aid] === undefined) return `the master holds agent ${aid}, which its registry has not admitted`;
    if (m.registry.unreachable.includes(aid)) return `the master holds agent ${aid}, which its registry records unreachable`;
  }
  return null;
}
