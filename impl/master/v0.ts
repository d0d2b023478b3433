/**
 * The v0 JSON endpoints (reference 3.3): `/master/state` (also `/state`, `/state.json`) in Mesos's
 * hand-written shape ("slave" naming, resources as flat objects `{"cpus":1.0,"mem":128.0,...}`),
 * its parts `/master/frameworks`, `/master/slaves`, `/master/tasks`, `/master/flags`, and `/version`. Built from
 * the same reads as the operator API; rendered with `renderJson` so doubles keep a fraction.
 */
import { isTerminal, type Task, type VersionInfo } from '../../spec/protocol/common.ts';
import { getAgent, getFramework } from '../../spec/allocator/state.ts';
import { fromFixed, flatten, reservationRole, reserved, unreserved, type Resources } from '../../spec/resources/index.ts';
import { rolesOf, type MasterContext } from '../../spec/machines/master/context.ts';
import { dbl, type Dbl } from '../http/json.ts';
import { MESOS_VERSION, offeredOnAgent, offeredTo, parsed, renderOffer, sumAllocated, usedBy, usedOn, type View } from './render.ts';

/** Mesos's `model(Resources)`: cpus, disk, gpus, mem always; scalars as doubles, ranges and sets as text. */
function flatResources(r: Resources): Record<string, Dbl | string> {
  const out: Record<string, Dbl | string> = {};
  const scalars: Record<string, number> = { cpus: 0, disk: 0, gpus: 0, mem: 0 };
  const text: Record<string, string> = {};
  for (const e of flatten(r)) {
    if (e.scalar !== undefined) scalars[e.name] = (scalars[e.name] ?? 0) + fromFixed(e.scalar);
    else if (e.ranges !== undefined) text[e.name] = `[${e.ranges.map(([b, x]) => `${b}-${x}`).join(', ')}]`;
    else text[e.name] = `{${e.set!.join(', ')}}`;
  }
  for (const name of [...Object.keys(scalars), ...Object.keys(text)].sort()) {
    out[name] = name in scalars ? dbl(scalars[name]!) : text[name]!;
  }
  return out;
}

function v0Task(t: Task, role: string): Record<string, unknown> {
  return {
    id: t.task_id.value,
    name: t.name,
    framework_id: t.framework_id.value,
    executor_id: t.executor_id?.value ?? '',
    slave_id: t.agent_id.value,
    state: t.state,
    resources: flatResources(parsed(t.resources)),
    role,
    statuses: (t.statuses ?? []).map((s) => ({
      state: s.state,
      timestamp: dbl(s.timestamp ?? 0),
      ...(s.container_status ? { container_status: s.container_status } : {}),
    })),
    ...(t.user !== undefined ? { user: t.user } : {}),
  };
}

function v0Framework(view: View, fid: string): Record<string, unknown> {
  const { ctx, obs } = view;
  const f = ctx.frameworks[fid]!;
  const connected = f.connection !== null;
  const active = connected && (getFramework(ctx.allocator, fid)?.active ?? false);
  const t = obs.frameworkTimes.get(fid);
  const roles = rolesOf(f.info);
  const multiRole = (f.info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
  return {
    id: fid,
    name: f.info.name,
    used_resources: flatResources(sumAllocated(usedBy(ctx, fid), false)),
    offered_resources: flatResources(sumAllocated(offeredTo(ctx, fid), false)),
    capabilities: (f.info.capabilities ?? []).map((c) => c.type),
    hostname: f.info.hostname ?? '',
    webui_url: f.info.webui_url ?? '',
    active,
    connected,
    recovered: !obs.subscribed.has(fid),
    user: f.info.user,
    failover_timeout: dbl(f.info.failover_timeout ?? 0),
    checkpoint: f.info.checkpoint ?? false,
    ...(multiRole ? { roles } : { role: roles[0] }),
    registered_time: dbl(t?.registered ?? 0),
    unregistered_time: dbl(!connected && t?.unregistered !== undefined ? t.unregistered : 0),
    ...(t?.reregistered !== undefined ? { reregistered_time: dbl(t.reregistered) } : {}),
    ...(f.info.principal !== undefined ? { principal: f.info.principal } : {}),
    offers: Object.keys(ctx.offers)
      .sort()
      .filter((oid) => ctx.offers[oid]!.framework_id === fid)
      .map((oid) => {
        const o = renderOffer(ctx, oid);
        return { id: oid, framework_id: fid, slave_id: o.agent_id.value, resources: flatResources(parsed(o.resources)) };
      }),
    tasks: Object.keys(f.tasks)
      .sort()
      .map((tid) => v0Task(f.tasks[tid]!.task, f.tasks[tid]!.role)),
    unreachable_tasks: Object.keys(f.unreachable)
      .sort()
      .map((tid) => v0Task(f.unreachable[tid]!.task, f.unreachable[tid]!.role)),
    completed_tasks: (obs.completedTasks.get(fid) ?? []).map((t) => v0Task(t, roles[0] ?? '*')),
    executors: [],
    ...(f.info.labels ? { labels: f.info.labels.labels ?? [] } : {}),
  };
}

function v0Slave(view: View, aid: string): Record<string, unknown> {
  const { ctx, obs } = view;
  const a = ctx.agents[aid]!;
  const t = obs.agentTimes.get(aid);
  const attributes: Record<string, unknown> = {};
  for (const attr of a.info.attributes ?? []) {
    if (attr.scalar) attributes[attr.name] = dbl(attr.scalar.value);
    else if (attr.text) attributes[attr.name] = attr.text.value;
    else if (attr.ranges) attributes[attr.name] = `[${(attr.ranges.range ?? []).map((x) => `${x.begin}-${x.end}`).join(', ')}]`;
    else if (attr.set) attributes[attr.name] = `{${(attr.set.item ?? []).join(', ')}}`;
  }
  const active = a.address !== null && (getAgent(ctx.allocator, aid)?.active ?? false);
  return {
    id: aid,
    pid: `slave(1)@${a.info.hostname}:${a.info.port ?? 5051}`,
    hostname: a.info.hostname,
    port: a.info.port ?? 5051,
    registered_time: dbl(t?.registered ?? 0),
    ...(t?.reregistered !== undefined ? { reregistered_time: dbl(t.reregistered) } : {}),
    resources: flatResources(a.total),
    used_resources: flatResources(sumAllocated(usedOn(ctx, aid), false)),
    offered_resources: flatResources(sumAllocated(offeredOnAgent(ctx, aid), false)),
    reserved_resources: reservedByRole(a.total),
    unreserved_resources: flatResources(unreserved(a.total)),
    attributes,
    active,
    deactivated: (ctx.registry.deactivated ?? []).includes(aid),
    version: MESOS_VERSION,
    capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'],
    // A draining or drained agent's DrainInfo, as GET_AGENTS gives it (readonly_handler.cpp's
    // SlaveWriter). Its estimated_drain_start_time_seconds is left out: nothing records when a drain began.
    ...(ctx.registry.draining?.[aid] ? { drain_info: ctx.registry.draining[aid] } : {}),
  };
}

/** `/version` (and GET_VERSION's version_info). */
export function versionInfo(startTime: number): VersionInfo {
  const d = new Date(startTime * 1000);
  return {
    version: MESOS_VERSION,
    build_date: d
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ''),
    build_time: Math.floor(startTime),
    build_user: 'mesos-ref',
  };
}

export function v0Version(info: VersionInfo): Record<string, unknown> {
  return { version: info.version, build_date: info.build_date, build_time: dbl(info.build_time ?? 0), build_user: info.build_user };
}

/** Mesos's `reserved_resources`: per reservation role, what is reserved for it. */
function reservedByRole(total: Resources): Record<string, Record<string, Dbl | string>> {
  const roles = [...new Set(reserved(total).map(reservationRole))].sort();
  return Object.fromEntries(roles.map((role) => [role, flatResources(reserved(total, role))]));
}

/** `/master/frameworks`: the frameworks part of /master/state. */
export function v0Frameworks(state: Record<string, unknown>): Record<string, unknown> {
  return { frameworks: state.frameworks, completed_frameworks: state.completed_frameworks, unregistered_frameworks: [] };
}

/** `/master/slaves`: the agents part of /master/state. */
export function v0Slaves(state: Record<string, unknown>): Record<string, unknown> {
  return { slaves: state.slaves, recovered_slaves: state.recovered_slaves };
}

/** `/master/tasks` (Mesos's defaults: limit 100, offset 0): live, unreachable and completed tasks of every framework. */
export function v0Tasks(state: Record<string, unknown>, limit = 100, offset = 0): Record<string, unknown> {
  const all: unknown[] = [];
  for (const f of [...(state.frameworks as Record<string, unknown[]>[]), ...(state.completed_frameworks as Record<string, unknown[]>[])]) {
    all.push(...(f.tasks ?? []), ...(f.unreachable_tasks ?? []), ...(f.completed_tasks ?? []));
  }
  return { tasks: all.slice(offset, offset + limit) };
}

/** `/master/state`. */
export function v0State(view: View): Record<string, unknown> {
  const { ctx, obs, meta } = view;
  const info = ctx.info;
  const ids = Object.keys(ctx.agents).sort();
  const registered = ids.filter((aid) => !ctx.agents[aid]!.recovered);
  const activated = registered.filter((aid) => ctx.agents[aid]!.address !== null).length;
  const pid = info.pid ?? `master@${info.address?.ip ?? '127.0.0.1'}:${info.port}`;
  return {
    version: meta.version.version,
    build_date: meta.version.build_date,
    build_time: dbl(meta.version.build_time ?? 0),
    build_user: meta.version.build_user,
    start_time: dbl(meta.startTime),
    elected_time: dbl(meta.electedTime),
    id: ctx.id,
    pid,
    hostname: info.hostname ?? 'localhost',
    capabilities: (info.capabilities ?? []).map((c) => c.type),
    activated_slaves: dbl(activated),
    deactivated_slaves: dbl(registered.length - activated),
    unreachable_slaves: dbl(ctx.registry.unreachable.length),
    leader: pid,
    leader_info: info,
    flags: Object.fromEntries(meta.flags.map((f) => [f.name, f.value ?? ''])),
    slaves: registered.map((aid) => v0Slave(view, aid)),
    recovered_slaves: ids
      .filter((aid) => ctx.agents[aid]!.recovered)
      .map((aid) => ({ id: aid, hostname: ctx.agents[aid]!.info.hostname, port: ctx.agents[aid]!.info.port ?? 5051, resources: flatResources(ctx.agents[aid]!.total) })),
    frameworks: Object.keys(ctx.frameworks)
      .sort()
      .map((fid) => v0Framework(view, fid)),
    completed_frameworks: obs.completedFrameworks.map((c) => ({
      id: c.info.id?.value ?? '',
      name: c.info.name,
      user: c.info.user,
      active: false,
      connected: false,
      recovered: false,
      registered_time: dbl(c.registeredAt),
      unregistered_time: dbl(c.unregisteredAt),
      completed_tasks: c.tasks.map((t) => v0Task(t, '*')),
      tasks: [],
      unreachable_tasks: [],
      offers: [],
      executors: [],
    })),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

/** Counts of live tasks per non-terminal state (the gauges). */
export function liveTaskStates(ctx: MasterContext): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of Object.values(ctx.frameworks)) {
    for (const book of [f.tasks, f.unreachable]) {
      for (const r of Object.values(book)) {
        if (isTerminal(r.task.state)) continue;
        m.set(r.task.state, (m.get(r.task.state) ?? 0) + 1);
      }
    }
  }
  return m;
}
