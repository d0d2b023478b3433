/**
 * Drains end (DRAIN_AGENT, Master::checkAndTransitionDrainingAgent): a drain kills every task on
 * its agent, and the agent is DRAINED once none is left. A drain the operator started while the
 * agent was away is sent again when the agent reregisters (Master::___reregisterSlave sends
 * DrainSlaveMessage to any draining agent), so a drain can wait for its agent, never stall on it.
 * The agent does the killing (Slave::drain), and its tasks' kill updates say why: Slave::statusUpdate
 * gives TASK_KILLING and TASK_KILLED the reason REASON_AGENT_DRAINING while the agent drains (and
 * TASK_GONE_BY_OPERATOR to a partition-aware framework when the drain marks the agent gone).
 */
import type { AnyEventObject } from 'xstate';
import { sameJson } from '../spec/canonical.ts';
import type { DrainConfig, TaskState, TaskStatusReason, TaskStatusSource } from '../spec/protocol/common.ts';
import type { MesosLayout } from '../spec/world/mesos.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { AgentContext } from '../spec/machines/agent.ts';
import type { Emitted, WorldReader } from './world.ts';

/**
 * drainsEnd == at quiescence, no agent the master is connected to is still DRAINING, unless a
 * task on it belongs to a framework that is not connected: the drain waits for that framework to
 * acknowledge its tasks' last updates (Master::checkAndTransitionDrainingAgent), as Mesos's does
 * for a framework that never comes back after a master failover.
 */
export function drainsEnd(w: WorldReader): string | null {
  const m = w.master();
  const draining = m?.registry.draining;
  if (!m || draining === undefined) return null;
  for (const [aid, info] of Object.entries(draining).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const a = m.agents[aid];
    if (info.state !== 'DRAINING' || !a || a.recovered || a.address === null) continue;
    const waitsForFramework = Object.values(m.frameworks).some((f) => f.connection === null && Object.values(f.tasks).some((t) => t.task.agent_id.value === aid));
    if (!waitsForFramework) return `agent ${aid} is connected and still DRAINING at quiescence: its drain stalled`;
  }
  return null;
}

/** The calls that kill a task other than a drain: with any of them a kill's reason is not the drain's. */
const OTHER_KILLS = ['KILL', 'SHUTDOWN', 'TEARDOWN', 'OPERATOR_TEARDOWN'];

/** Where drains are not the only kills (none may drain, or something else may kill too), why drainKillsSayDraining does not apply. */
export function drainKillsSayDrainingApplies(layout: MesosLayout): string | null {
  const configs = layout.frameworks.map((fw) => layout.frameworkConfig[fw]);
  const calls = configs.flatMap((f) => f?.calls ?? []);
  if (!calls.some((c) => c.startsWith('OPERATOR_DRAIN_AGENT'))) return 'no framework drains an agent';
  const otherKills = configs.some((f) => (f?.kill ?? []).length > 0 || f?.teardown === true || (f?.executorKills ?? []).length > 0);
  if (otherKills || calls.some((c) => OTHER_KILLS.includes(c))) return 'tasks are also killed otherwise than by the drain';
  return null;
}

const KILL_STATES: readonly TaskState[] = ['TASK_KILLING', 'TASK_KILLED', 'TASK_GONE_BY_OPERATOR'];

/** drainKillsSayDraining == where only drains kill (drainKillsSayDrainingApplies), every kill update an agent or executor sends a framework says REASON_AGENT_DRAINING. */
export function drainKillsSayDraining(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    for (const e of w.channel(w.layout.master, fw)) {
      if (e.type !== 'UPDATE') continue;
      const s = (e.update as { status: { task_id: { value: string }; state: TaskState; reason?: TaskStatusReason; source?: TaskStatusSource } }).status;
      if (s.source === 'SOURCE_MASTER' || !KILL_STATES.includes(s.state) || s.reason === 'REASON_AGENT_DRAINING') continue;
      return `${fw} is sent ${s.task_id.value} ${s.state} with ${s.reason ?? 'no reason'}, though only a drain kills in this run: a drained task's update says REASON_AGENT_DRAINING`;
    }
  }
  return null;
}

/**
 * drainedAsAsked == ∀ aid ∈ draining: (state = DRAINED ⇒ ¬mark_gone) ∧ aid ∉ gone. A drain that asked
 * for it ends with the agent marked gone, not resting DRAINED (Master::checkAndTransitionDrainingAgent);
 * one that did not never takes the agent away.
 */
export function drainedAsAsked(m: MasterContext): string | null {
  for (const [aid, info] of Object.entries(m.registry.draining ?? {})) {
    if (info.state === 'DRAINED' && info.config.mark_gone === true) return `agent ${aid} rests DRAINED though its drain asked for it to be marked gone`;
    if (m.registry.gone.includes(aid)) return `agent ${aid} is marked gone while its drain is still recorded (${info.state}, mark_gone ${info.config.mark_gone === true})`;
  }
  return null;
}

/** agentsDrainWhileFrameworksStay == ∀ agents: drain ≠ none ⇒ frameworks ≠ ∅. The agent's drain ends with its last framework (Slave::updateDrainStatus). */
export function agentsDrainWhileFrameworksStay(w: WorldReader): string | null {
  for (const name of w.layout.agents) {
    const a = w.agent(name);
    if (a?.drain !== undefined && Object.keys(a.frameworks).length === 0) return `${name} keeps draining with no framework left: its drain should have ended`;
  }
  return null;
}

/**
 * drainsRecordedAsAsked == a DRAIN_AGENT the master answers 200 records the operator's
 * max_grace_period and mark_gone for the agent (DrainConfig, Master::Http::_drainAgent), and every
 * drain the master sends the agent in that step carries them: the agent caps each kill's grace
 * with the one and the master forgets the agent by the other.
 */
export function drainsRecordedAsAsked(_before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'OPERATOR_DRAIN_AGENT' || !effects.some((e) => e.type === 'reply' && e.status === 200)) return null;
  const ns = event.max_grace_period_ns as number | undefined;
  const asked: DrainConfig = { ...(ns !== undefined ? { max_grace_period: { nanoseconds: ns } } : {}), mark_gone: event.mark_gone === true };
  const said = (c: DrainConfig) => `max_grace_period ${c.max_grace_period === undefined ? 'none' : `${c.max_grace_period.nanoseconds} ns`}, mark_gone ${c.mark_gone === true}`;
  const aid = event.agent_id as string;
  // (A drain with nothing to wait for may end, and the agent be gone, within the step.)
  const recorded = after.registry.draining?.[aid]?.config;
  if (recorded !== undefined && !sameJson(recorded, asked)) return `agent ${aid}'s drain was asked with ${said(asked)} and recorded with ${said(recorded)}`;
  for (const e of effects) {
    const msg = e.msg as { type?: string; config?: DrainConfig } | undefined;
    if (e.type === 'send' && msg?.type === 'AGENT_DRAIN' && !sameJson(msg.config, asked))
      return `agent ${aid}'s drain was asked with ${said(asked)} and sent with ${said(msg.config!)}`;
  }
  return null;
}

/**
 * drainStatusesAsAsked == every TASK_KILLING, TASK_KILLED or TASK_GONE_BY_OPERATOR an agent takes
 * into its status update streams while it drains says REASON_AGENT_DRAINING, and is
 * TASK_GONE_BY_OPERATOR exactly when the drain marks the agent gone and the framework is
 * partition-aware (Slave::statusUpdate rewrites the kill updates of a draining agent).
 */
export function drainStatusesAsAsked(before: AgentContext, _event: AnyEventObject, _effects: readonly Emitted[], after: AgentContext): string | null {
  const drain = after.drain;
  if (drain === undefined) return null;
  for (const [fid, streams] of Object.entries(after.streams)) {
    const info = after.frameworks[fid]?.info ?? before.frameworks[fid]?.info;
    const gone = drain.mark_gone === true && (info?.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE');
    for (const [tid, stream] of Object.entries(streams)) {
      const known = new Set((before.streams[fid]?.[tid]?.pending ?? []).map((u) => u.uuid));
      for (const u of stream.pending) {
        const state = u.status.state;
        if (known.has(u.uuid) || (state !== 'TASK_KILLING' && state !== 'TASK_KILLED' && state !== 'TASK_GONE_BY_OPERATOR')) continue;
        if (u.status.reason !== 'REASON_AGENT_DRAINING')
          return `the draining agent takes ${fid}'s ${tid} ${state} with ${u.status.reason ?? 'no reason'}, not REASON_AGENT_DRAINING`;
        if ((state === 'TASK_GONE_BY_OPERATOR') !== gone) {
          return `the draining agent takes ${fid}'s ${tid} ${state}, where the drain ${drain.mark_gone === true ? 'marks the agent gone' : 'does not mark the agent gone'} and ${fid} is ${gone || drain.mark_gone !== true ? '' : 'not '}partition-aware`;
        }
      }
    }
  }
  return null;
}
