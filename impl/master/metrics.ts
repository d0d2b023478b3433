/**
 * `/metrics/snapshot` and GET_METRICS (reference 3.3). Gauges are read from the machine's context
 * when asked; counters are kept here, by the host, from what it delivers and what the steps do
 * (the machine's context never counts anything).
 */
import { TASK_STATES, isTerminal } from '../../spec/protocol/common.ts';
import { getAgent, getFramework } from '../../spec/allocator/state.ts';
import type { MasterContext } from '../../spec/machines/master/context.ts';
import type { Observations } from './observe.ts';
import { liveTaskStates } from './v0.ts';
import { parsed } from './render.ts';
import { add, EMPTY, named, scalarQuantities, type Resources } from '../../spec/resources/resources.ts';
import { fromFixed } from '../../spec/resources/values.ts';

/** Mesos's names for the `master/messages_*` counter of each delivered call or message. */
const MESSAGE_COUNTERS: Readonly<Record<string, string>> = {
  // Scheduler calls (SUBSCRIBE is register or reregister, decided by the caller).
  TEARDOWN: 'messages_unregister_framework',
  ACCEPT: 'messages_launch_tasks',
  DECLINE: 'messages_decline_offers',
  REVIVE: 'messages_revive_offers',
  SUPPRESS: 'messages_suppress_offers',
  KILL: 'messages_kill_task',
  ACKNOWLEDGE: 'messages_status_update_acknowledgement',
  RECONCILE: 'messages_reconcile_tasks',
  MESSAGE: 'messages_framework_to_executor',
  REQUEST: 'messages_resource_request',
  SHUTDOWN: 'messages_shutdown_executor',
  // Agent messages.
  REGISTER_AGENT: 'messages_register_slave',
  REREGISTER_AGENT: 'messages_reregister_slave',
  UNREGISTER_AGENT: 'messages_unregister_slave',
  STATUS_UPDATE: 'messages_status_update',
  EXECUTOR_EXITED: 'messages_exited_executor',
  EXECUTOR_TO_FRAMEWORK: 'messages_executor_to_framework',
};

const ALWAYS_SHOWN = [
  'messages_register_framework',
  'messages_reregister_framework',
  ...Object.values(MESSAGE_COUNTERS),
  'valid_status_updates',
  'invalid_status_updates',
  'valid_status_update_acknowledgements',
  'invalid_status_update_acknowledgements',
  'slave_registrations',
  'slave_reregistrations',
  'slave_removals',
  // Mesos's three reasons; this reference only ever removes an unhealthy agent (marked unreachable).
  'slave_removals/reason_registered',
  'slave_removals/reason_unhealthy',
  'slave_removals/reason_unregistered',
  'recovery_slave_removals',
  'dropped_messages',
  'invalid_framework_to_executor_messages',
  'valid_framework_to_executor_messages',
];

export class Counters {
  private readonly values = new Map<string, number>(ALWAYS_SHOWN.map((n) => [n, 0]));

  inc(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  /** Counts one delivered scheduler call or agent message under Mesos's name. */
  message(type: string, resubscribe = false): void {
    if (type === 'SUBSCRIBE') this.inc(resubscribe ? 'messages_reregister_framework' : 'messages_register_framework');
    else this.inc(MESSAGE_COUNTERS[type] ?? `messages_${type.toLowerCase()}`);
  }

  entries(): [string, number][] {
    return [...this.values];
  }
}

/** The flat `{"master/...": value}` snapshot. */
export function snapshot(ctx: MasterContext, obs: Observations, counters: Counters, now = Date.now() / 1000): Record<string, number> {
  const m: Record<string, number> = {};
  m['master/elected'] = 1;
  m['master/uptime_secs'] = Math.max(0, Math.round((now - obs.startTime) * 1000) / 1000);
  const agents = Object.values(ctx.agents).filter((a) => !a.recovered);
  const connected = agents.filter((a) => a.address !== null);
  const active = Object.keys(ctx.agents).filter((aid) => !ctx.agents[aid]!.recovered && ctx.agents[aid]!.address !== null && getAgent(ctx.allocator, aid)?.active);
  m['master/slaves_connected'] = connected.length;
  m['master/slaves_disconnected'] = agents.length - connected.length;
  m['master/slaves_active'] = active.length;
  m['master/slaves_inactive'] = agents.length - active.length;
  m['master/slaves_unreachable'] = ctx.registry.unreachable.length;
  m['master/recovered_slaves'] = Object.values(ctx.agents).filter((a) => a.recovered).length;
  const fids = Object.keys(ctx.frameworks);
  const fConnected = fids.filter((fid) => ctx.frameworks[fid]!.connection !== null);
  const fActive = fConnected.filter((fid) => getFramework(ctx.allocator, fid)?.active);
  m['master/frameworks_connected'] = fConnected.length;
  m['master/frameworks_disconnected'] = fids.length - fConnected.length;
  m['master/frameworks_active'] = fActive.length;
  m['master/frameworks_inactive'] = fids.length - fActive.length;
  const live = liveTaskStates(ctx);
  // Every state but TASK_UNKNOWN, which only reconciliation reports (Mesos has no metric for it).
  for (const state of TASK_STATES.filter((s) => s !== 'TASK_UNKNOWN')) {
    const name = `master/${state.toLowerCase()}`.replace('master/task_', 'master/tasks_');
    m[name] = isTerminal(state) ? (obs.terminalCounts.get(state) ?? 0) : (live.get(state) ?? 0);
  }
  m['master/outstanding_offers'] = Object.keys(ctx.offers).length;
  Object.assign(m, resourceGauges(ctx));
  for (const [name, value] of counters.entries()) m[`master/${name}`] = value;
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(m).sort()) sorted[k] = m[k]!;
  return sorted;
}

/**
 * `master/{cpus,mem,disk}_{total,used,percent}` as Mesos's `_resources_total` and `_resources_used`:
 * over every registered agent (connected or not), its total, and what its live tasks and custom
 * executors use (offered resources are not used).
 */
function resourceGauges(ctx: MasterContext): Record<string, number> {
  let total: Resources = EMPTY;
  let used: Resources = EMPTY;
  for (const [aid, a] of Object.entries(ctx.agents)) {
    if (a.recovered) continue;
    total = add(total, getAgent(ctx.allocator, aid)?.total ?? parsed(a.info.resources));
    for (const f of Object.values(ctx.frameworks)) {
      for (const r of Object.values(f.tasks)) if (r.task.agent_id.value === aid && !isTerminal(r.task.state)) used = add(used, parsed(r.task.resources));
      for (const e of Object.values(f.executors?.[aid] ?? {})) used = add(used, parsed(e.info.resources));
    }
  }
  const m: Record<string, number> = {};
  for (const name of ['cpus', 'mem', 'disk']) {
    const t = fromFixed(scalarQuantities(named(total, name))[name] ?? 0);
    const u = fromFixed(scalarQuantities(named(used, name))[name] ?? 0);
    m[`master/${name}_total`] = t;
    m[`master/${name}_used`] = u;
    m[`master/${name}_percent`] = t === 0 ? 0 : u / t;
  }
  return m;
}
