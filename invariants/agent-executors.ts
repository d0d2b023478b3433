/** The agent's executor records: a record's flags agree with its lifecycle state. */
import type { WorldReader } from './world.ts';

/**
 * A terminated executor is not connected: nothing (a SHUTDOWN, a queued task, a message) is
 * sent to an executor the agent has seen exit (Slave::executorTerminated).
 */
export function terminatedExecutorsDisconnected(w: WorldReader): string | null {
  for (const name of w.layout.agents) {
    const a = w.agent(name);
    if (!a) continue;
    for (const fid of Object.keys(a.frameworks).sort()) {
      const executors = a.frameworks[fid]!.executors;
      for (const eid of Object.keys(executors).sort()) {
        if (executors[eid]!.state === 'TERMINATED' && executors[eid]!.connected) return `${name}: executor ${eid} of ${fid} is TERMINATED but still connected`;
      }
    }
  }
  return null;
}

/**
 * An agent keeps a framework only while it has an executor there: Slave::removeExecutor removes
 * the framework with its last executor (and a task dropped before any executor leaves none).
 */
export function agentFrameworksHaveExecutors(w: WorldReader): string | null {
  for (const name of w.layout.agents) {
    const a = w.agent(name);
    if (!a) continue;
    for (const fid of Object.keys(a.frameworks).sort()) {
      if (Object.keys(a.frameworks[fid]!.executors).length === 0) return `${name} keeps framework ${fid} with no executor left`;
    }
  }
  return null;
}
