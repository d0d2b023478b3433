/**
 * Drains end (DRAIN_AGENT, Master::checkAndTransitionDrainingAgent): a drain kills every task on
 * its agent, and the agent is DRAINED once none is left. A drain the operator started while the
 * agent was away is sent again when the agent reregisters (Master::___reregisterSlave sends
 * DrainSlaveMessage to any draining agent), so a drain can wait for its agent, never stall on it.
 */
import type { WorldReader } from './world.ts';

/** drainsEnd == at quiescence, no agent the master is connected to is still DRAINING. */
export function drainsEnd(w: WorldReader): string | null {
  const m = w.master();
  const draining = m?.registry.draining;
  if (!m || draining === undefined) return null;
  for (const [aid, info] of Object.entries(draining).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const a = m.agents[aid];
    if (info.state === 'DRAINING' && a && !a.recovered && a.address !== null) return `agent ${aid} is connected and still DRAINING at quiescence: its drain stalled`;
  }
  return null;
}
