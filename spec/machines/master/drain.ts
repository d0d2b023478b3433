/**
 * DRAIN_AGENT (Master::Http::_drainAgent, Master::checkAndTransitionDrainingAgent in
 * src/master/master.cpp): the agent is DRAINING (persisted, and deactivated: no more offers, so
 * no new launches), each of its tasks is killed with the task's kill policy capped at
 * `max_grace_period` (Slave::drain's calculateKillPolicy), and once no task is left on the agent
 * it is DRAINED, or with `mark_gone` marked gone (MARK_AGENT_GONE's path).
 *
 * Mesos sends the agent a DrainSlaveMessage and the agent kills its tasks, marking their
 * updates REASON_AGENT_DRAINING. Here the master sends one KILL_TASK per task with the capped
 * kill policy (the agent machine knows no drain), so the updates carry the executor's reason.
 * An agent drained while it was away is told again when it reregisters (`resumeDrain`).
 */
import type { DrainInfo, DurationInfo, KillPolicy } from '../../protocol/common.ts';
import * as allocator from '../../allocator/index.ts';
import { reply } from '../effects.ts';
import { sortedEntries, tasksOnAgent, terminal } from './context.ts';
import { markGone } from './operator.ts';
import { rescindOffersOn } from './rescind.ts';
import type { Tx } from './tx.ts';

export type DrainEvent =
  /** DRAIN_AGENT; `max_grace_period` in nanoseconds (from google.protobuf.Duration). */
  { type: 'OPERATOR_DRAIN_AGENT'; agent_id: string; max_grace_period_ns?: number; mark_gone?: boolean; request?: string };

/** Slave::drain's calculateKillPolicy: no cap keeps the task's policy; else the smaller grace. */
export function cappedKillPolicy(policy: KillPolicy | undefined, max: DurationInfo | undefined): KillPolicy | undefined {
  if (max === undefined) return policy;
  const own = policy?.grace_period?.nanoseconds;
  if (own === undefined || own > max.nanoseconds) return { ...(policy ?? {}), grace_period: max };
  return policy;
}

/** DRAIN_AGENT: 400 for an unknown agent, 409 while it is being marked gone; else 200. */
export function drainAgent(tx: Tx, e: DrainEvent): void {
  const aid = e.agent_id;
  const c = tx.c;
  if (c.registry.gone.includes(aid) || (!c.agents[aid] && !c.registry.unreachable.includes(aid))) return tx.effect(reply(e.request, 400, 'Unknown agent'));
  const max: DurationInfo | undefined = e.max_grace_period_ns !== undefined ? { nanoseconds: e.max_grace_period_ns } : undefined;
  const info: DrainInfo = { state: 'DRAINING', config: { ...(max ? { max_grace_period: max } : {}), mark_gone: e.mark_gone === true } };
  tx.registry((r) => ({
    ...r,
    draining: Object.fromEntries(sortedEntries({ ...(r.draining ?? {}), [aid]: info })),
    deactivated: [...new Set([...(r.deactivated ?? []), aid])].sort(),
  }));
  const a = tx.c.agents[aid];
  if (a && !a.recovered && a.address !== null) {
    tx.allocator((s) => (allocator.getAgent(s, aid) ? allocator.deactivateAgent(s, aid) : s));
    rescindOffersOn(tx, aid);
    killLiveTasks(tx, aid, a.address, max);
  }
  checkDrained(tx, aid);
  tx.effect(reply(e.request, 200));
}

/** The drain's kills: each live task on the agent, its kill policy capped (Slave::drain). */
function killLiveTasks(tx: Tx, aid: string, address: string, max: DurationInfo | undefined): void {
  for (const { fid, record } of tasksOnAgent(tx.c, aid)) {
    if (terminal(record.task.state)) continue;
    const policy = cappedKillPolicy(record.task.kill_policy, max);
    tx.send(address, { type: 'KILL_TASK', framework_id: { value: fid }, task_id: record.task.task_id, ...(policy ? { kill_policy: policy } : {}) });
  }
}

/**
 * A draining agent (DRAINING or DRAINED) that reregisters is sent the drain again, whatever its
 * state (Master::___reregisterSlave and __registerSlave send DrainSlaveMessage): the tasks it
 * reports are killed again, so a drain begun while the agent was away, or whose kills the agent
 * missed, still ends.
 */
export function resumeDrain(tx: Tx, aid: string, address: string): void {
  const info = tx.c.registry.draining?.[aid];
  if (info !== undefined) killLiveTasks(tx, aid, address, info.config.max_grace_period);
}

/**
 * Master::checkAndTransitionDrainingAgent: a DRAINING agent the master knows, with no task left
 * on it, becomes DRAINED (persisted), or is marked gone when the drain asked for it. Called after
 * every step of the master (master.ts `handler`), so whatever removed the last task triggers it.
 */
export function checkDrained(tx: Tx, only?: string): void {
  const draining = tx.c.registry.draining;
  if (draining === undefined) return;
  for (const [aid, info] of sortedEntries(draining)) {
    if (only !== undefined && aid !== only) continue;
    if (info.state !== 'DRAINING') continue;
    const a = tx.c.agents[aid];
    if (!a || a.recovered || a.address === null) continue;
    if (tasksOnAgent(tx.c, aid).length > 0) continue;
    if (info.config.mark_gone === true) markGone(tx, aid);
    else tx.registry((r) => ({ ...r, draining: { ...r.draining, [aid]: { ...info, state: 'DRAINED' } } }));
  }
}
