/**
 * A task is described alike wherever it is kept: the master's books (Master::addTask) and the
 * agent running it (its TaskInfo, which it reports back on reregistration) agree on the task's
 * name and on every descriptive field the framework gave it. A report that loses a field would
 * rewrite the master's books when the agent comes back, and GET_TASKS would show a task its
 * framework never launched.
 */
import { sameJson } from '../spec/canonical.ts';
import type { WorldReader } from './world.ts';

/** The fields of a TaskInfo that Mesos's createTask copies into the Task as they are. */
const DESCRIPTIVE = ['name', 'labels', 'discovery', 'container', 'health_check', 'kill_policy', 'limits'] as const;

/**
 * tasksDescribedAlike == every task booked on an agent the master is connected to carries the
 * descriptive fields of that agent's TaskInfo. (Plain loops over the records, in the order of
 * connectedAgents, Object.entries and Object.values, without the arrays and closures of those:
 * the checker runs it on every new pair of master and agent states, and the compiler re-optimised
 * the old form of it five times in a `default` run.)
 */
export function tasksDescribedAlike(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const agent of w.layout.agents) {
    const a = w.agent(agent);
    const aid = a?.info.id?.value;
    if (!a || aid === undefined || m.agents[aid]?.address !== agent) continue;
    for (const fid in a.frameworks) {
      const books = m.frameworks[fid]?.tasks;
      const executors = a.frameworks[fid]!.executors;
      for (const eid in executors) {
        const ex = executors[eid]!;
        for (let i = 0; i < ex.queued.length; i++) {
          const breach = describedUnlike(books, aid, fid, agent, ex.queued[i]!);
          if (breach !== null) return breach;
        }
        for (const tid in ex.launched) {
          const breach = describedUnlike(books, aid, fid, agent, ex.launched[tid]!.info);
          if (breach !== null) return breach;
        }
        for (const tid in ex.terminated) {
          const breach = describedUnlike(books, aid, fid, agent, ex.terminated[tid]!.info);
          if (breach !== null) return breach;
        }
      }
    }
  }
  return null;
}

type Books = NonNullable<ReturnType<WorldReader['master']>>['frameworks'][string]['tasks'];
type AgentTaskInfo = NonNullable<ReturnType<WorldReader['agent']>>['frameworks'][string]['executors'][string]['queued'][number];

/** Where the master books the task `info` on agent `aid`: the first descriptive field they describe differently. */
function describedUnlike(books: Books | undefined, aid: string, fid: string, agent: string, info: AgentTaskInfo): string | null {
  const booked = books?.[info.task_id.value]?.task;
  if (booked === undefined || booked.agent_id.value !== aid) return null;
  for (const field of DESCRIPTIVE) {
    if (!sameJson(booked[field], info[field]))
      return `task ${info.task_id.value} of ${fid}: the master books ${field} ${JSON.stringify(booked[field])}, ${agent} runs it with ${JSON.stringify(info[field])}`;
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
