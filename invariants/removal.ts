/**
 * Removed agents: whichever way an agent leaves the master (it unregistered, was marked
 * unreachable, or gone), its tasks leave the master's live books with it (Mesos's
 * __removeSlave and _removeSlave remove every task of the agent), so a live task record always
 * names an agent the master has.
 */
import type { MasterContext } from '../spec/machines/master.ts';
import type { AnyEventObject } from 'xstate';
import { armedFor, type WorldReader } from './world.ts';

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

/**
 * unregisteredAgentsRemoved == an UNREGISTER_AGENT the master takes from the agent it names, an
 * agent in its books, leaves that agent neither in the books nor admitted in the registry
 * (Master::unregisterSlave removes it at once, its tasks TASK_LOST, rather than waiting for its
 * pings to miss).
 */
export function unregisteredAgentsRemoved(before: MasterContext, event: AnyEventObject, _effects: readonly unknown[], after: MasterContext): string | null {
  if (event.type !== 'UNREGISTER_AGENT') return null;
  const aid = (event.agent_id as { value: string }).value;
  const a = before.agents[aid];
  if (a === undefined || a.address !== event.from) return null; // Mesos ignores another pid's
  if (after.agents[aid] !== undefined) return `agent ${aid} unregistered, but the master still has it in its books`;
  if (after.registry.admitted[aid] !== undefined) return `agent ${aid} unregistered, but the master's registry still admits it`;
  return null;
}

/**
 * awayAgentsTimed == every agent the master books as away (disconnected, or known only from its
 * registry after a failover) has its agent_reregister_timeout running, or waits in the removal
 * rate limiter's line while the limiter's next permit is due (Master::markUnreachable through
 * the RateLimiter): an away agent with neither stays in the books for ever, its tasks never
 * reported lost or unreachable, which no property judged at quiescence sees (a retrying agent
 * keeps the world from settling).
 */
export function awayAgentsTimed(w: WorldReader): string | null {
  const m = w.master();
  const timers = w.timers?.(w.layout.master);
  if (!m || timers === undefined) return null;
  const reregister = armedFor(w, w.layout.master, 'REREGISTER_TIMEOUT', 'agent_id')!;
  const permitDue = timers.some((t) => t.event.type === 'REMOVAL_PERMIT');
  const waiting = m.removals?.waiting ?? [];
  for (const [aid, a] of Object.entries(m.agents)) {
    if (a.address !== null && !a.recovered) continue;
    if (reregister.has(aid) || (waiting.includes(aid) && permitDue)) continue;
    return `agent ${aid} is away, with no reregistration timeout running${waiting.includes(aid) ? ' and no removal permit due for the line it waits in' : ''}`;
  }
  return null;
}

/**
 * removalPermitsTimed == the master's next removal permit is due (REMOVAL_PERMIT armed) exactly
 * while its rate limiter is in use, that is, since it granted a permit less than an interval ago
 * (`--agent_removal_rate_limit`, Mesos's RateLimiter). A limiter that forgets its grants lets every
 * agent go at once; a permit due for an idle limiter, or none for one in use, strands the line.
 */
export function removalPermitsTimed(w: WorldReader): string | null {
  const m = w.master();
  const timers = w.timers?.(w.layout.master);
  if (!m || timers === undefined) return null;
  const due = timers.some((t) => t.event.type === 'REMOVAL_PERMIT');
  if (due && m.removals === undefined) return 'a removal permit is due while the rate limiter records no permit granted';
  if (!due && m.removals !== undefined) return `the rate limiter is in use (${m.removals.waiting.length} agents waiting) with no removal permit due`;
  return null;
}
