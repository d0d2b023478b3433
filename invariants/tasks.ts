/** Tasks: their states only move forward, and each framework sees and controls only its own. */
import type { MasterContext } from '../spec/machines/master.ts';
import { reportedState } from '../spec/machines/master/context.ts';
import { mayFollow } from './rank.ts';
import { frameworkIdOf, type WorldReader } from './world.ts';

/**
 * In the master's books every task's status history moves forward and stays terminal once
 * terminal; the one way back from UNREACHABLE or LOST is the agent reregistering (the task is
 * then re-added from the agent's report, with a fresh history).
 */
export function taskStatesForward(m: MasterContext): string | null {
  for (const fid of Object.keys(m.frameworks).sort()) {
    const f = m.frameworks[fid]!;
    for (const book of [f.tasks, f.unreachable]) {
      for (const tid of Object.keys(book).sort()) {
        const t = book[tid]!.task;
        const history = (t.statuses ?? []).map((s) => s.state);
        for (let i = 1; i < history.length; i++) {
          if (!mayFollow(history[i - 1]!, history[i]!)) return `task ${tid}: ${history[i - 1]} followed by ${history[i]}`;
        }
        const last = history[history.length - 1];
        if (last !== undefined && !mayFollow(last, t.state)) return `task ${tid}: state ${t.state} after status ${last}`;
      }
    }
  }
  return null;
}

/**
 * A framework is only offered to for itself and only hears of its own tasks; every task the
 * master books under a framework is one that framework launched.
 */
export function frameworkIsolation(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    const fid = frameworkIdOf(w, fw);
    for (const e of w.channel(w.layout.master, fw)) {
      if (e.type === 'OFFERS') {
        for (const o of (e.offers?.offers ?? []) as { id: { value: string }; framework_id: { value: string } }[]) {
          if (o.framework_id.value !== fid) return `${fw} (${fid}) is sent offer ${o.id.value} made to ${o.framework_id.value}`;
        }
      }
      if (e.type === 'UPDATE') {
        const tid = (e.update as { status: { task_id: { value: string } } }).status.task_id.value;
        if (w.layout.taskFramework[tid] !== undefined && w.layout.taskFramework[tid] !== fw) return `${fw} is sent an update of ${tid}, a task of ${w.layout.taskFramework[tid]}`;
      }
    }
  }
  const m = w.master();
  if (m) {
    for (const fid of Object.keys(m.frameworks).sort()) {
      const owner = w.layout.frameworks.find((fw) => frameworkIdOf(w, fw) === fid);
      if (owner === undefined) continue;
      for (const tid of Object.keys(m.frameworks[fid]!.tasks)) {
        if (w.layout.taskFramework[tid] !== owner) return `the master books task ${tid} under ${fid} (${owner}), which did not launch it`;
      }
    }
  }
  return null;
}

/**
 * frameworksLearnTaskStates == at quiescence, in a run that lost no message, every subscribed
 * framework last saw each task the master books for it (on a registered or an unreachable agent)
 * in the state the master last reported: a change of a task's state at the master reaches its
 * framework, as a forwarded update or one the master makes (Master::markUnreachable,
 * removeSlave, ... each send one). A lost message may leave a framework behind until it
 * reconciles, which Mesos does not make it do; so may a master failover, where the new master
 * drops the updates of tasks that come back before their framework subscribes again: a framework
 * that does not reconcile after subscribing is not judged in such a run.
 */
export function frameworksLearnTaskStates(w: WorldReader): string | null {
  const m = w.master();
  const faults = w.causes?.()?.faults ?? [];
  if (!m || faults.includes('loss')) return null;
  for (const fw of w.layout.frameworks) {
    if (faults.includes('master-failover') && (w.layout.frameworkConfig[fw]?.reconcile ?? 'none') === 'none') continue;
    const s = w.scheduler(fw);
    const fid = s?.framework_id;
    const f = fid === undefined ? undefined : m.frameworks[fid];
    if (!s || !f || f.connection !== fw) continue;
    // A task on an unreachable agent is reported in the state the master gave it (TASK_UNREACHABLE,
    // or TASK_LOST); a reconciliation that did not name its agent (a KILL's) is answered
    // TASK_UNKNOWN, the master's "task is unknown, agent is unknown" (Master::_reconcileTasks, case 6).
    const reported = [
      ...Object.entries(f.tasks).map(([tid, r]) => [tid, reportedState(r.task)] as const),
      ...Object.entries(f.unreachable ?? {}).map(([tid, r]) => [tid, r.task.state] as const),
    ];
    for (const [tid, state] of reported) {
      if (f.unreachable?.[tid] !== undefined && s.seen[tid] === 'TASK_UNKNOWN') continue;
      if (s.seen[tid] !== state) return `${fw} last saw ${tid} ${s.seen[tid] ?? 'in no state'}, but the master reports it ${state}`;
    }
  }
  return null;
}
