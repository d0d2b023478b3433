/**
 * No one gets in where they don't belong (issue 13): in an authenticated world with an intruder
 * (spec/world/intruder.ts), no call is accepted except from the identity it names.
 */
import type { MasterContext } from '../spec/machines/master.ts';
import { INTRUDER_UUID } from '../spec/world/intruder.ts';
import type { WorldReader } from './world.ts';

/**
 * No status update is accepted except from the executor that owns the task: no agent's stream
 * has received an update the intruder forged (its uuid is the intruder's mark).
 */
export function onlyOwnersUpdate(w: WorldReader): string | null {
  for (const a of w.layout.agents) {
    const streams = w.agent(a)?.streams ?? {};
    for (const fid of Object.keys(streams).sort())
      for (const tid of Object.keys(streams[fid]!).sort())
        if (streams[fid]![tid]!.received.includes(INTRUDER_UUID)) return `${a} accepted an update of ${fid}/${tid} the intruder forged`;
  }
  return null;
}

/**
 * No agent's recorded resources change except by that agent's own registration: whatever the
 * master records under an agent's hostname is what that agent registered, over its own connection.
 */
export function agentsRecordedAsThemselves(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const aid of Object.keys(m.agents).sort()) {
    const r = m.agents[aid]!;
    const own = w.layout.agents.includes(r.info.hostname) ? w.agent(r.info.hostname) : null;
    if (!own) continue;
    if (r.address !== null && r.address !== r.info.hostname) return `the master records ${aid} (${r.info.hostname}) over ${r.address}'s connection`;
    if (JSON.stringify(r.info.resources ?? []) !== JSON.stringify(own.info.resources ?? []))
      return `the master records ${aid} (${r.info.hostname}) with resources it never registered`;
  }
  return null;
}

/** With --authenticate_agents every agent the registry admitted was admitted with a principal. */
export function agentsAuthenticated(m: MasterContext): string | null {
  const stranger = m.flags.authenticateAgents ? Object.keys(m.registry.admitted).find((aid) => m.registry.principals?.[aid] === undefined) : undefined;
  return stranger === undefined ? null : `agent ${stranger} was admitted without authenticating`;
}
