/**
 * The agent's `/metrics/snapshot` as Mesos names it (docs/monitoring.md, "Agent"): gauges read
 * from the machine's context when asked, and the counters Mesos keeps (tasks reaching each
 * terminal state, executors terminated) summed from the machine's `count` effects: the machine
 * says what happened where it decides it (spec/machines/agent/executors.ts), the host only adds.
 */
import { isTerminal, TASK_STATES, type TaskState } from '../../spec/protocol/common.ts';
import type { AgentContext } from '../../spec/machines/agent.ts';
import type { AgentCounter } from '../../spec/machines/effects.ts';
import { add, EMPTY, named, scalarQuantities, unallocatedFromWire, type Resources } from '../../spec/resources/index.ts';
import { fromFixed } from '../../spec/resources/values.ts';

const parsed = unallocatedFromWire;

/** `TASK_KILLING` -> `slave/tasks_killing`. */
const metricOf = (state: TaskState) => `slave/${state.toLowerCase().replace('task_', 'tasks_')}`;

/** Every task of the context by `<fid>/<tid>`, with its state (queued tasks are staging). */
function taskStates(c: AgentContext): Map<string, TaskState> {
  const m = new Map<string, TaskState>();
  for (const [fid, f] of Object.entries(c.frameworks)) {
    for (const ex of Object.values(f.executors)) {
      for (const t of ex.queued) m.set(`${fid}/${t.task_id.value}`, 'TASK_STAGING');
      for (const [tid, t] of Object.entries(ex.launched)) m.set(`${fid}/${tid}`, t.state);
      for (const [tid, t] of Object.entries(ex.terminated)) m.set(`${fid}/${tid}`, t.state);
    }
  }
  return m;
}

export class AgentMetrics {
  /** By metric name (`slave/tasks_finished`, `slave/executors_terminated`): what the machine counted. */
  private readonly counted = new Map<string, number>();

  constructor(private readonly startTime: () => number) {}

  /** One `count` effect of the agent machine. */
  count(counter: AgentCounter): void {
    const metric = `slave/${counter}`;
    this.counted.set(metric, (this.counted.get(metric) ?? 0) + 1);
  }

  snapshot(c: AgentContext, now = Date.now() / 1000): Record<string, number> {
    const m: Record<string, number> = {};
    m['slave/uptime_secs'] = Math.max(0, Math.round((now - this.startTime()) * 1000) / 1000);
    // The status update manager is paused exactly while the agent is not registered.
    m['slave/registered'] = c.paused ? 0 : 1;
    m['slave/frameworks_active'] = Object.values(c.frameworks).filter((f) => f.state === 'RUNNING').length;
    const live = new Map<TaskState, number>();
    for (const state of taskStates(c).values()) if (!isTerminal(state)) live.set(state, (live.get(state) ?? 0) + 1);
    for (const state of TASK_STATES.filter((s) => s !== 'TASK_UNKNOWN')) {
      m[metricOf(state)] = isTerminal(state) ? (this.counted.get(metricOf(state)) ?? 0) : (live.get(state) ?? 0);
    }
    const executors = Object.values(c.frameworks).flatMap((f) => Object.values(f.executors));
    m['slave/executors_registering'] = executors.filter((e) => e.state === 'REGISTERING').length;
    m['slave/executors_running'] = executors.filter((e) => e.state === 'RUNNING').length;
    m['slave/executors_terminating'] = executors.filter((e) => e.state === 'TERMINATING').length;
    m['slave/executors_terminated'] = this.counted.get('slave/executors_terminated') ?? 0;
    // Used: what live tasks and their custom executors hold (Mesos's `usedResources`).
    let used: Resources = EMPTY;
    for (const ex of executors) {
      if (ex.state === 'TERMINATED') continue;
      if (ex.custom) used = add(used, parsed(ex.info.resources));
      for (const t of ex.queued) used = add(used, parsed(t.resources));
      for (const t of Object.values(ex.launched)) if (!isTerminal(t.state)) used = add(used, parsed(t.info.resources));
    }
    const total = parsed(c.info.resources);
    for (const name of ['cpus', 'mem', 'disk']) {
      const t = fromFixed(scalarQuantities(named(total, name))[name] ?? 0);
      const u = fromFixed(scalarQuantities(named(used, name))[name] ?? 0);
      m[`slave/${name}_total`] = t;
      m[`slave/${name}_used`] = u;
      m[`slave/${name}_percent`] = t === 0 ? 0 : u / t;
    }
    const sorted: Record<string, number> = {};
    for (const k of Object.keys(m).sort()) sorted[k] = m[k]!;
    return sorted;
  }
}
