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

/**
 * registryForgetsLeftAgents == the registry keeps reservations, a deactivation or a drain only for
 * an agent that may come back (admitted, or recorded unreachable): one marked gone or unregistered
 * takes them along (Mesos's agent takes its checkpointed resources with it), or a new agent
 * admitted under that id would inherit another's reservations.
 */
export function registryForgetsLeftAgents(m: MasterContext): string | null {
  const r = m.registry;
  const known = (aid: string) => r.admitted[aid] !== undefined || r.unreachable.includes(aid);
  const kept: readonly (readonly [string, readonly string[]])[] = [
    ['reservations', Object.keys(r.reserved ?? {})],
    ['a deactivation', r.deactivated ?? []],
    ['a drain', Object.keys(r.draining ?? {})],
  ];
  for (const [what, ids] of kept) for (const aid of ids) if (!known(aid)) return `the registry keeps ${what} of agent ${aid}, which ${r.gone.includes(aid) ? 'is gone' : 'left'}`;
  return null;
}
