/**
 * The operator API's answers (v1 `master::Response` and `master::Event` objects), built from the
 * master machine's context and the host's observations. Pure reads: nothing here decides
 * anything; the codec (`encodeMasterResponse`, `encodeMasterEvent`) renders the result.
 */
import type { AgentInfo, Flag, FrameworkInfo, MasterInfo, Offer, Resource, Role, Task, TaskStatus, TimeInfo, VersionInfo } from '../../spec/protocol/common.ts';
import { isTerminal } from '../../spec/protocol/common.ts';
import type {
  MasterEvent,
  MasterResponseGetAgents,
  MasterResponseGetAgentsAgent,
  MasterResponseGetExecutors,
  MasterResponseGetExecutorsExecutor,
  MasterResponseGetFrameworks,
  MasterResponseGetFrameworksFramework,
  MasterResponseGetMaster,
  MasterResponseGetRoles,
  MasterResponseGetWeights,
  MasterResponseGetState,
  MasterResponseGetTasks,
} from '../../spec/protocol/operator.ts';
import { getAgent, getFramework } from '../../spec/allocator/state.ts';
import { add, clearAllocationRole, EMPTY, setAllocationRole, toWire, unallocatedFromWire, type Resources } from '../../spec/resources/index.ts';
import { hasCapability, rolesOf, type MasterContext } from '../../spec/machines/master/context.ts';
import type { Change, Observations } from './observe.ts';

/** The Mesos version the reference speaks. */
export const MESOS_VERSION = '1.11.0';

export interface MasterMeta {
  readonly version: VersionInfo;
  readonly flags: readonly Flag[];
  readonly startTime: number;
  readonly electedTime: number;
}

export interface View {
  readonly ctx: MasterContext;
  readonly obs: Observations;
  readonly meta: MasterMeta;
}

// ------------------------------------------------------------------------------------ resources

/** Resources of wire `Resource[]`, unallocated (empty if they do not parse). */
export const parsed = unallocatedFromWire;

const wire = (r: Resources): Resource[] => toWire(r) as Resource[];

export const time = (seconds: number): TimeInfo => ({ nanoseconds: Math.round(seconds * 1e9) });

/** Live (non-terminal) tasks' resources on agent `aid`, per framework and role. */
export function usedOn(ctx: MasterContext, aid: string): { fid: string; role: string; resources: Resources }[] {
  const out: { fid: string; role: string; resources: Resources }[] = [];
  for (const fid of Object.keys(ctx.frameworks).sort()) {
    for (const r of Object.values(ctx.frameworks[fid]!.tasks)) {
      if (r.task.agent_id.value === aid && !isTerminal(r.task.state)) out.push({ fid, role: r.role, resources: parsed(r.task.resources) });
    }
  }
  return out;
}

export function sumAllocated(items: readonly { role: string; resources: Resources }[], withRole: boolean): Resources {
  return items.reduce<Resources>((acc, x) => add(acc, withRole ? setAllocationRole(x.resources, x.role) : x.resources), EMPTY);
}

export function offeredOnAgent(ctx: MasterContext, aid: string): { fid: string; role: string; resources: Resources }[] {
  return Object.values(ctx.offers)
    .filter((o) => o.agent_id === aid)
    .map((o) => ({ fid: o.framework_id, role: o.role, resources: clearAllocationRole(o.resources) }));
}

export function usedBy(ctx: MasterContext, fid: string): { role: string; resources: Resources }[] {
  const f = ctx.frameworks[fid];
  if (!f) return [];
  return Object.values(f.tasks)
    .filter((r) => !isTerminal(r.task.state))
    .map((r) => ({ role: r.role, resources: parsed(r.task.resources) }));
}

export function offeredTo(ctx: MasterContext, fid: string): { role: string; resources: Resources }[] {
  return Object.values(ctx.offers)
    .filter((o) => o.framework_id === fid)
    .map((o) => ({ role: o.role, resources: clearAllocationRole(o.resources) }));
}

// ------------------------------------------------------------------------------------ offers

/** An outstanding offer as the framework saw it (allocation_info only for MULTI_ROLE). */
export function renderOffer(ctx: MasterContext, oid: string): Offer {
  const o = ctx.offers[oid]!;
  const agent = ctx.agents[o.agent_id];
  const f = ctx.frameworks[o.framework_id];
  const multiRole = f ? hasCapability(f.info, 'MULTI_ROLE') : false;
  const res = multiRole ? setAllocationRole(clearAllocationRole(o.resources), o.role) : clearAllocationRole(o.resources);
  return {
    id: { value: oid },
    framework_id: { value: o.framework_id },
    agent_id: { value: o.agent_id },
    hostname: agent?.info.hostname ?? '',
    resources: wire(res),
    ...(agent?.info.attributes?.length ? { attributes: agent.info.attributes } : {}),
    ...(multiRole ? { allocation_info: { role: o.role } } : {}),
  };
}

// ------------------------------------------------------------------------------------ entries

/** `GetAgents.Agent` of a registered agent. */
function agentEntry(view: View, aid: string): MasterResponseGetAgentsAgent {
  const { ctx, obs } = view;
  const a = ctx.agents[aid]!;
  const active = a.address !== null && (getAgent(ctx.allocator, aid)?.active ?? false);
  const t = obs.agentTimes.get(aid);
  const allocated = sumAllocated(usedOn(ctx, aid), true);
  const offered = sumAllocated(offeredOnAgent(ctx, aid), true);
  return {
    agent_info: a.info,
    active,
    deactivated: (ctx.registry.deactivated ?? []).includes(aid),
    ...(ctx.registry.draining?.[aid] ? { drain_info: ctx.registry.draining[aid] } : {}),
    version: MESOS_VERSION,
    pid: `slave(1)@${a.info.hostname}:${a.info.port ?? 5051}`,
    ...(t ? { registered_time: time(t.registered) } : {}),
    ...(t?.reregistered !== undefined ? { reregistered_time: time(t.reregistered) } : {}),
    total_resources: wire(a.total),
    ...(allocated.length ? { allocated_resources: wire(allocated) } : {}),
    ...(offered.length ? { offered_resources: wire(offered) } : {}),
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'HIERARCHICAL_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
  };
}

export function getAgents(view: View): MasterResponseGetAgents {
  const { ctx } = view;
  const ids = Object.keys(ctx.agents).sort();
  const agents = ids.filter((aid) => !ctx.agents[aid]!.recovered).map((aid) => agentEntry(view, aid));
  const recovered: AgentInfo[] = ids.filter((aid) => ctx.agents[aid]!.recovered).map((aid) => ctx.agents[aid]!.info);
  return { ...(agents.length ? { agents } : {}), ...(recovered.length ? { recovered_agents: recovered } : {}) };
}

/** `GetFrameworks.Framework` of a live framework. */
function frameworkEntry(view: View, fid: string): MasterResponseGetFrameworksFramework {
  const { ctx, obs } = view;
  const f = ctx.frameworks[fid]!;
  const connected = f.connection !== null;
  const active = connected && (getFramework(ctx.allocator, fid)?.active ?? false);
  const t = obs.frameworkTimes.get(fid);
  const offers = Object.keys(ctx.offers)
    .sort()
    .filter((oid) => ctx.offers[oid]!.framework_id === fid)
    .map((oid) => renderOffer(ctx, oid));
  const allocated = sumAllocated(usedBy(ctx, fid), true);
  const offered = sumAllocated(offeredTo(ctx, fid), true);
  return {
    framework_info: f.info,
    active,
    connected,
    recovered: !obs.subscribed.has(fid),
    ...(t ? { registered_time: time(t.registered) } : {}),
    ...(t?.reregistered !== undefined ? { reregistered_time: time(t.reregistered) } : {}),
    ...(t?.unregistered !== undefined && !connected ? { unregistered_time: time(t.unregistered) } : {}),
    ...(offers.length ? { offers } : {}),
    ...(allocated.length ? { allocated_resources: wire(allocated) } : {}),
    ...(offered.length ? { offered_resources: wire(offered) } : {}),
  };
}

export function getFrameworks(view: View): MasterResponseGetFrameworks {
  const { ctx, obs } = view;
  const frameworks = Object.keys(ctx.frameworks)
    .sort()
    .map((fid) => frameworkEntry(view, fid));
  const completed: MasterResponseGetFrameworksFramework[] = obs.completedFrameworks.map((c) => ({
    framework_info: c.info,
    active: false,
    connected: false,
    recovered: false,
    registered_time: time(c.registeredAt),
    unregistered_time: time(c.unregisteredAt),
  }));
  return { ...(frameworks.length ? { frameworks } : {}), ...(completed.length ? { completed_frameworks: completed } : {}) };
}

export function getTasks(view: View): MasterResponseGetTasks {
  const { ctx, obs } = view;
  const tasks: Task[] = [];
  const unreachable: Task[] = [];
  const completed: Task[] = [];
  for (const fid of Object.keys(ctx.frameworks).sort()) {
    const f = ctx.frameworks[fid]!;
    for (const tid of Object.keys(f.tasks).sort()) tasks.push(f.tasks[tid]!.task);
    for (const tid of Object.keys(f.unreachable).sort()) unreachable.push(f.unreachable[tid]!.task);
    completed.push(...(obs.completedTasks.get(fid) ?? []));
  }
  for (const c of obs.completedFrameworks) completed.push(...c.tasks);
  return {
    ...(tasks.length ? { tasks } : {}),
    ...(unreachable.length ? { unreachable_tasks: unreachable } : {}),
    ...(completed.length ? { completed_tasks: completed } : {}),
  };
}

/** GET_EXECUTORS: the custom executors the master knows (Mesos's Slave::executors), by framework then agent then id. */
export function getExecutors(view: View): MasterResponseGetExecutors {
  const executors: MasterResponseGetExecutorsExecutor[] = [];
  for (const fid of Object.keys(view.ctx.frameworks).sort()) {
    const byAgent = view.ctx.frameworks[fid]!.executors ?? {};
    for (const aid of Object.keys(byAgent).sort()) {
      for (const eid of Object.keys(byAgent[aid]!).sort()) executors.push({ executor_info: byAgent[aid]![eid]!.info, agent_id: { value: aid } });
    }
  }
  return executors.length ? { executors } : {};
}

export function getState(view: View): MasterResponseGetState {
  return { get_tasks: getTasks(view), get_executors: getExecutors(view), get_frameworks: getFrameworks(view), get_agents: getAgents(view) };
}

/** GET_WEIGHTS: every role whose weight is not the default 1 (from --weights or UPDATE_WEIGHTS). */
export function getWeights(view: View): MasterResponseGetWeights {
  const weights = view.ctx.allocator.weights;
  const infos = Object.keys(weights)
    .sort()
    .map((role) => ({ weight: weights[role]!, role }));
  return infos.length ? { weight_infos: infos } : {};
}

/** Roles with a framework subscribed or resources allocated, with their weights and holdings. */
export function getRoles(view: View): MasterResponseGetRoles {
  const { ctx } = view;
  const names = new Set<string>(ctx.allocator.roles.map((r) => r.role));
  for (const f of Object.values(ctx.frameworks)) for (const r of rolesOf(f.info)) names.add(r);
  const roles: Role[] = [...names].sort().map((name) => {
    const frameworks = Object.keys(ctx.frameworks)
      .sort()
      .filter((fid) => rolesOf(ctx.frameworks[fid]!.info).includes(name) || ctx.allocator.roles.find((r) => r.role === name)?.frameworks.includes(fid));
    let held: Resources = EMPTY;
    for (const fid of frameworks) {
      for (const x of [...usedBy(ctx, fid), ...offeredTo(ctx, fid)]) if (x.role === name) held = add(held, setAllocationRole(x.resources, name));
    }
    return {
      name,
      weight: ctx.allocator.weights[name] ?? 1,
      ...(frameworks.length ? { frameworks: frameworks.map((value) => ({ value })) } : {}),
      ...(held.length ? { resources: wire(held) } : {}),
    };
  });
  return roles.length ? { roles } : {};
}

export function getMaster(view: View): MasterResponseGetMaster {
  return { master_info: view.ctx.info as MasterInfo, start_time: view.meta.startTime, elected_time: view.meta.electedTime };
}

// ------------------------------------------------------------------------------------ events

/** The operator events a step's changes make (reference 3.1: TASK_UPDATED only on a new state). */
export function operatorEvents(view: View, changes: readonly Change[]): MasterEvent[] {
  const out: MasterEvent[] = [];
  for (const c of changes) {
    switch (c.kind) {
      case 'framework_added':
        out.push({ type: 'FRAMEWORK_ADDED', framework_added: { framework: frameworkEntry(view, c.fid) } });
        break;
      case 'framework_updated':
        out.push({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: frameworkEntry(view, c.fid) } });
        break;
      case 'framework_removed':
        out.push({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: c.record.info as FrameworkInfo } });
        break;
      case 'task_added':
        out.push({ type: 'TASK_ADDED', task_added: { task: c.task } });
        break;
      case 'task_updated': {
        const statuses = c.task.statuses ?? [];
        const status: TaskStatus = statuses[statuses.length - 1] ?? { task_id: c.task.task_id, state: c.task.state };
        out.push({ type: 'TASK_UPDATED', task_updated: { framework_id: c.task.framework_id, status, state: c.task.state } });
        break;
      }
      case 'agent_added':
        out.push({ type: 'AGENT_ADDED', agent_added: { agent: agentEntry(view, c.aid) } });
        break;
      case 'agent_removed':
        out.push({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: c.aid } } });
        break;
      case 'task_removed':
        break;
    }
  }
  return out;
}
