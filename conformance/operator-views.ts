/**
 * What the master's and agents' v1 operator APIs list in a model state: the view a runner can ask
 * a live cluster for, besides what its frameworks observe. A scenario's frameworks may see
 * nothing wrong while the cluster is wrong inside (an agent that keeps a torn-down framework's
 * task running, a master that leaves a failed-over framework's offers outstanding), so each
 * scenario also says what the operator APIs may list once it has settled (`Scenario.endViews`),
 * and the runner at a crash waits for the agent to list the tasks of the crash's moment
 * (`AGENT_RESTART.when`).
 */
import { canonicalJson } from '../spec/canonical.ts';
import type { AgentContext } from '../spec/machines/agent.ts';
import type { MasterContext } from '../spec/machines/master/context.ts';
import type { SchedulerContext } from '../spec/machines/scheduler.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import type { AgentTaskView, EndView, MasterTaskView } from './format.ts';

const byTaskId = <T extends { task_id: string }>(a: T, b: T): number => (a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : 0);

/** The tasks an agent's GET_TASKS lists at this point (completed ones aside), by task id. */
export function agentTaskView(agent: AgentContext): AgentTaskView[] {
  const out: AgentTaskView[] = [];
  for (const fw of Object.values(agent.frameworks)) {
    for (const ex of Object.values(fw.executors)) {
      for (const info of ex.queued) out.push({ task_id: info.task_id.value, list: 'queued', state: 'TASK_STAGING' });
      for (const t of Object.values(ex.launched)) out.push({ task_id: t.info.task_id.value, list: 'launched', state: t.state });
      for (const t of Object.values(ex.terminated)) out.push({ task_id: t.info.task_id.value, list: 'terminated', state: t.state });
    }
  }
  return out.sort(byTaskId);
}

/** The tasks the master's GET_TASKS lists (completed ones aside), by task id. */
export function masterTaskView(master: MasterContext): MasterTaskView[] {
  const out: MasterTaskView[] = [];
  for (const f of Object.values(master.frameworks)) {
    for (const r of Object.values(f.tasks)) out.push({ task_id: r.task.task_id.value, list: 'tasks', state: r.task.state });
    for (const r of Object.values(f.unreachable)) out.push({ task_id: r.task.task_id.value, list: 'unreachable', state: r.task.state });
  }
  return out.sort(byTaskId);
}

/**
 * The operator view of state `s`, or null when the world's master is not one the runner asks
 * (elected masters: the leader is whichever the election chose).
 */
export function endView(world: MesosWorld, s: Int32Array): EndView | null {
  const sys = world.system;
  const { layout } = world;
  if (layout.election !== undefined) return null;
  const master = sys.localOf(s, layout.master)?.context as MasterContext | undefined;
  if (master?.frameworks === undefined || master.offers === undefined) return null;
  const agents: EndView['agents'] = {};
  for (const name of layout.agents) {
    const agent = sys.localOf(s, name)?.context as AgentContext | undefined;
    if (agent?.frameworks === undefined) return null;
    agents[name] = agentTaskView(agent);
  }
  const offers: EndView['offers'] = {};
  for (const name of layout.frameworks) {
    const fid = (sys.localOf(s, name)?.context as SchedulerContext | undefined)?.framework_id;
    offers[name] = fid === undefined ? 0 : Object.values(master.offers).filter((o) => o.framework_id === fid).length;
  }
  return { agents, tasks: masterTaskView(master), offers };
}

/** The distinct operator views of `states`, in a stable order; null when one of them has none. */
export function endViews(world: MesosWorld, states: readonly Int32Array[]): EndView[] | null {
  const views = new Map<string, EndView>();
  for (const s of states) {
    const v = endView(world, s);
    if (v === null) return null;
    views.set(canonicalJson(v), v);
  }
  return [...views.keys()].sort().map((k) => views.get(k)!);
}
