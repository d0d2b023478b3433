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
