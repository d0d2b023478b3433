/**
 * A task is described alike wherever it is kept: the master's books (Master::addTask) and the
 * agent running it (its TaskInfo, which it reports back on reregistration) agree on the task's
 * name and on every descriptive field the framework gave it. A report that loses a field would
 * rewrite the master's books when the agent comes back, and GET_TASKS would show a task its
 * framework never launched.
 */
import { sameJson } from '../spec/canonical.ts';
import { connectedAgents, type WorldReader } from './world.ts';

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
            if (!sameJson(booked[field], info[field]))
              return `task ${info.task_id.value} of ${fid}: the master books ${field} ${JSON.stringify(booked[field])}, ${agent} runs it with ${JSON.stringify(info[field])}`;
          }
        }
      }
    }
  }
  return null;
}

/**
 * commandExecutorsDescribed == a command executor is given what its task's command says of the
 * environment it runs in: its URIs, environment variables and user, and the task's labels,
 * discovery info and container, with the task's id as its source (Slave::getExecutorInfo copies
 * them into the ExecutorInfo the agent launches). An executor without them runs the task without
 * its fetched files or variables, and is described differently from its task.
 */
export function commandExecutorsDescribed(w: WorldReader): string | null {
  for (const name of w.layout.agents) {
    const a = w.agent(name);
    if (!a) continue;
    for (const [fid, fw] of Object.entries(a.frameworks)) {
      for (const [eid, ex] of Object.entries(fw.executors)) {
        if (ex.custom) continue;
        const task = [...ex.queued, ...Object.values(ex.launched).map((r) => r.info), ...Object.values(ex.terminated).map((r) => r.info)][0];
        if (task === undefined) continue;
        for (const field of ['uris', 'environment', 'user'] as const) {
          if (!sameJson(ex.info.command?.[field], task.command?.[field]))
            return `${name}: command executor ${eid} of ${fid} has ${field} ${JSON.stringify(ex.info.command?.[field])}, its task ${JSON.stringify(task.command?.[field])}`;
        }
        for (const field of ['labels', 'discovery', 'container'] as const) {
          if (!sameJson(ex.info[field], task[field]))
            return `${name}: command executor ${eid} of ${fid} has ${field} ${JSON.stringify(ex.info[field])}, its task ${JSON.stringify(task[field])}`;
        }
        if (ex.info.source !== task.task_id.value) return `${name}: command executor ${eid} of ${fid} has source ${String(ex.info.source)}, not its task's id`;
      }
    }
  }
  return null;
}
