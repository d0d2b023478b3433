/**
 * What the cluster page shows, kept from the operator API's SUBSCRIBE stream: the SUBSCRIBED
 * event's state, then each TASK_ADDED, TASK_UPDATED, AGENT_*, FRAMEWORK_* folded in as it comes
 * (reference 3.1). A pure reducer, so the page's logic is tested without a browser.
 */
import type { MasterEvent, MasterResponseGetAgentsAgent, MasterResponseGetFrameworksFramework, MasterResponseGetState } from '../../spec/protocol/operator.ts';
import type { Resource, Task } from '../../spec/protocol/common.ts';

export interface ClusterView {
  readonly agents: readonly MasterResponseGetAgentsAgent[];
  readonly frameworks: readonly MasterResponseGetFrameworksFramework[];
  readonly completedFrameworks: readonly MasterResponseGetFrameworksFramework[];
  /** Live tasks, then unreachable and completed ones (a finished task moves there). */
  readonly tasks: readonly Task[];
}

export const EMPTY_VIEW: ClusterView = { agents: [], frameworks: [], completedFrameworks: [], tasks: [] };

export function viewOfState(s: MasterResponseGetState): ClusterView {
  const t = s.get_tasks ?? {};
  return {
    agents: s.get_agents?.agents ?? [],
    frameworks: s.get_frameworks?.frameworks ?? [],
    completedFrameworks: s.get_frameworks?.completed_frameworks ?? [],
    tasks: [...(t.tasks ?? []), ...(t.unreachable_tasks ?? []), ...(t.completed_tasks ?? [])],
  };
}

const sameTask = (a: Task, fid: string, tid: string) => a.framework_id.value === fid && a.task_id.value === tid;
const fidOf = (f: MasterResponseGetFrameworksFramework) => f.framework_info.id?.value;
const upsert = <T>(list: readonly T[], item: T, same: (x: T) => boolean): T[] => (list.some(same) ? list.map((x) => (same(x) ? item : x)) : [...list, item]);

/** The view after one operator event; an event the page does not show (HEARTBEAT) leaves it as it was. */
export function applyEvent(v: ClusterView, e: MasterEvent): ClusterView {
  switch (e.type) {
    case 'SUBSCRIBED':
      return viewOfState(e.subscribed.get_state ?? {});
    case 'TASK_ADDED': {
      const task = e.task_added.task;
      return { ...v, tasks: upsert(v.tasks, task, (t) => sameTask(t, task.framework_id.value, task.task_id.value)) };
    }
    case 'TASK_UPDATED': {
      const { status, state, framework_id } = e.task_updated;
      return {
        ...v,
        tasks: v.tasks.map((t) => (sameTask(t, framework_id.value, status.task_id.value) ? { ...t, state, statuses: [...(t.statuses ?? []), status] } : t)),
      };
    }
    case 'AGENT_ADDED': {
      const a = e.agent_added.agent;
      return { ...v, agents: upsert(v.agents, a, (x) => x.agent_info.id?.value === a.agent_info.id?.value) };
    }
    case 'AGENT_REMOVED':
      return { ...v, agents: v.agents.filter((a) => a.agent_info.id?.value !== e.agent_removed.agent_id.value) };
    case 'FRAMEWORK_ADDED':
    case 'FRAMEWORK_UPDATED': {
      const f = e.type === 'FRAMEWORK_ADDED' ? e.framework_added.framework : e.framework_updated.framework;
      return { ...v, frameworks: upsert(v.frameworks, f, (x) => fidOf(x) === fidOf(f)) };
    }
    case 'FRAMEWORK_REMOVED': {
      const id = e.framework_removed.framework_info.id?.value;
      const gone = v.frameworks.filter((f) => fidOf(f) === id);
      return { ...v, frameworks: v.frameworks.filter((f) => fidOf(f) !== id), completedFrameworks: [...v.completedFrameworks, ...gone] };
    }
    case 'HEARTBEAT':
      return v;
  }
}

/** cpus, mem and disk of a list of resources (scalars only: what the overview adds up). */
export interface Amounts {
  cpus: number;
  mem: number;
  disk: number;
}

export function amounts(resources: readonly Resource[] | undefined): Amounts {
  const out: Amounts = { cpus: 0, mem: 0, disk: 0 };
  for (const r of resources ?? []) if ((r.name === 'cpus' || r.name === 'mem' || r.name === 'disk') && r.scalar) out[r.name] += r.scalar.value;
  return out;
}

const plus = (a: Amounts, b: Amounts): Amounts => ({ cpus: a.cpus + b.cpus, mem: a.mem + b.mem, disk: a.disk + b.disk });
const minus = (a: Amounts, b: Amounts): Amounts => ({ cpus: a.cpus - b.cpus, mem: a.mem - b.mem, disk: a.disk - b.disk });

/** Per role: what its frameworks use (allocated) and are offered; the cluster row adds what is idle. */
export interface RoleRow {
  readonly role: string;
  readonly used: Amounts;
  readonly offered: Amounts;
}

export function roleRows(v: ClusterView): RoleRow[] {
  const rows = new Map<string, RoleRow>();
  const row = (role: string) => {
    let r = rows.get(role);
    if (r === undefined) rows.set(role, (r = { role, used: amounts([]), offered: amounts([]) }));
    return r;
  };
  for (const f of v.frameworks) {
    const fallback = f.framework_info.roles?.[0] ?? f.framework_info.role ?? '*';
    for (const res of f.allocated_resources ?? []) {
      const r = row(res.allocation_info?.role ?? fallback);
      rows.set(r.role, { ...r, used: plus(r.used, amounts([res])) });
    }
    for (const res of f.offered_resources ?? []) {
      const r = row(res.allocation_info?.role ?? fallback);
      rows.set(r.role, { ...r, offered: plus(r.offered, amounts([res])) });
    }
  }
  return [...rows.values()].sort((a, b) => a.role.localeCompare(b.role));
}

/** The whole cluster: total, used, offered and idle (total less both). */
export function clusterTotals(v: ClusterView): { total: Amounts; used: Amounts; offered: Amounts; idle: Amounts } {
  let total = amounts([]);
  for (const a of v.agents) total = plus(total, amounts(a.total_resources));
  let used = amounts([]);
  let offered = amounts([]);
  for (const r of roleRows(v)) {
    used = plus(used, r.used);
    offered = plus(offered, r.offered);
  }
  return { total, used, offered, idle: minus(minus(total, used), offered) };
}

/** The executor a task runs under: its own ExecutorInfo's id, else the command executor's, named after the task (as Mesos names it). */
const executorIdOf = (t: Task): string => t.executor_id?.value ?? t.task_id.value;

/** Mesos's virtual path of a task's sandbox on its agent (`/files/browse?path=`). */
export const sandboxPath = (t: Task): string => `/frameworks/${t.framework_id.value}/executors/${executorIdOf(t)}/runs/latest`;
