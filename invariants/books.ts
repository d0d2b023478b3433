/**
 * The master's side books agree with its main books: what it tells the allocator about
 * frameworks, and the kills it still owes agents, follow the frameworks and tasks it holds.
 * Each reads only the master's context.
 */
import type { MasterContext } from '../spec/machines/master.ts';

/**
 * The allocator tracks exactly the frameworks the master holds (subscribed, disconnected within
 * their failover timeout, or recovered from an agent's report), active exactly while connected:
 * a framework the allocator does not know is never offered to, and its resources are not
 * counted in its role's share.
 */
export function allocatorKnowsFrameworks(m: MasterContext): string | null {
  const tracked = new Map(m.allocator.frameworks.map((f) => [f.frameworkId, f.active] as const));
  for (const fid of Object.keys(m.frameworks).sort()) {
    const active = tracked.get(fid);
    if (active === undefined) return `framework ${fid} is in the master's books but not in the allocator`;
    const connected = m.frameworks[fid]!.connection !== null;
    if (active !== connected) return `framework ${fid} is ${connected ? 'connected' : 'disconnected'} but ${active ? 'active' : 'inactive'} in the allocator`;
  }
  for (const fid of tracked.keys()) if (!m.frameworks[fid]) return `the allocator tracks framework ${fid}, which the master no longer holds`;
  return null;
}

/**
 * The allocator offers an agent's resources exactly while the master has the agent connected and
 * nothing deactivated it (Master::deactivate on a disconnection, the operator's DEACTIVATE_AGENT
 * and DRAIN_AGENT, kept in the registry until REACTIVATE_AGENT): an agent active in the allocator
 * that should not be gets offers for resources it cannot run; one inactive that should be is
 * never offered again.
 */
export function agentsOfferedAsBooked(m: MasterContext): string | null {
  const deactivated = new Set(m.registry.deactivated ?? []);
  for (const a of m.allocator.agents) {
    const booked = m.agents[a.agentId];
    if (booked === undefined) continue;
    const due = booked.address !== null && !booked.recovered && !deactivated.has(a.agentId);
    if (a.active !== due)
      return `agent ${a.agentId} is ${a.active ? 'active' : 'inactive'} in the allocator, though the master has it ${booked.address === null ? 'disconnected' : 'connected'}${deactivated.has(a.agentId) ? ' and deactivated' : ''}`;
  }
  return null;
}

/**
 * A kill the master still owes an agent (to resend when it reregisters, Mesos's
 * `Slave::killedTasks`) names a task the master holds on that agent, reachable or not: once the
 * task leaves the books the kill is forgotten, or a later task reusing the id would be killed.
 */
export function killsOwedOnlyForHeldTasks(m: MasterContext): string | null {
  for (const aid of Object.keys(m.agents).sort()) {
    for (const key of m.agents[aid]!.killed ?? []) {
      const slash = key.indexOf('/');
      const f = m.frameworks[key.slice(0, slash)];
      const tid = key.slice(slash + 1);
      const record = f?.tasks[tid] ?? f?.unreachable[tid];
      if (!record || record.task.agent_id.value !== aid) return `agent ${aid} is owed a kill of ${key}, a task the master no longer holds there`;
    }
  }
  return null;
}
