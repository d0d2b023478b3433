/**
 * A task is described alike wherever it is kept: the master's books (Master::addTask) and the
 * agent running it (its TaskInfo, which it reports back on reregistration) agree on the task's
 * name and on every descriptive field the framework gave it. A report that loses a field would
 * rewrite the master's books when the agent comes back, and GET_TASKS would show a task its
 * framework never launched.
 */
import { connectedAgents, type WorldReader } from './world.ts';

/** A value as canonical JSON (object keys sorted), so two descriptions compare by content. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  }
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

/** The fields of a TaskInfo that Mesos's createTask copies into the Task as they are. */
const DESCRIPTIVE = ['name', 'labels', 'discovery', 'container', 'health_check', 'kill_policy', 'limits'] as const;

/** tasksDescribedAlike == every task booked on an agent the master is connected to carries the descriptive fields of that agent's TaskInfo. */
export function tasksDescribedAlike(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const { name: agent, agent: a, aid } of connectedAgents(w, m)) {
    for (const [fid, fw] of Object.entries(a.frameworks)) {
      const books = m.frameworks[fid]?.tasks ?? {};
      for (const ex of Object.values(fw.executors)) {
        for (const info of [...ex.queued, ...Object.values(ex.launched).map((r) => r.info), ...Object.values(ex.terminated).map((r) => r.info)]) {
          const booked = books[info.task_id.value]?.task;
          if (booked === undefined || booked.agent_id.value !== aid) continue;
          for (const field of DESCRIPTIVE) {
            if (canonical(booked[field]) !== canonical(info[field]))
              return `task ${info.task_id.value} of ${fid}: the master books ${field} ${JSON.stringify(booked[field])}, ${agent} runs it with ${JSON.stringify(info[field])}`;
          }
        }
      }
    }
  }
  return null;
}
