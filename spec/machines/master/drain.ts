/**
 * DRAIN_AGENT (Master::Http::_drainAgent, Master::checkAndTransitionDrainingAgent in
 * src/master/master.cpp): the agent is DRAINING (persisted, and deactivated: no more offers, so
 * no new launches), the agent is sent AGENT_DRAIN with the drain config (Mesos's
 * DrainSlaveMessage), and once no task is left on the agent it is DRAINED, or with `mark_gone`
 * marked gone (MARK_AGENT_GONE's path).
 *
 * The agent does the killing (agent/drain.ts, Slave::drain): each task with its kill policy
 * capped at `max_grace_period`, new tasks dropped, and the tasks' TASK_KILLING / TASK_KILLED
 * updates marked REASON_AGENT_DRAINING (TASK_GONE_BY_OPERATOR to partition-aware frameworks
 * under `mark_gone`). An agent drained while it was away, or that missed the message, is sent
 * it again when it reregisters (`resumeDrain`).
 */
import type { DrainConfig, DrainInfo, DurationInfo } from '../../protocol/common.ts';
import * as allocator from '../../allocator/index.ts';
import { reply } from '../effects.ts';
import { sortedEntries, tasksOnAgent } from './context.ts';
import { markGone } from './operator.ts';
import { rescindOffersOn } from './rescind.ts';
import type { Tx } from './tx.ts';

export type DrainEvent =
  /** DRAIN_AGENT; `max_grace_period` in nanoseconds (from google.protobuf.Duration). */
  { type: 'OPERATOR_DRAIN_AGENT'; agent_id: string; max_grace_period_ns?: number; mark_gone?: boolean; request?: string };

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
    sendDrain(tx, a.address, info.config);
  }
  // Mesos checks any registered agent here, connected or not (a disconnected agent stays in
  // slaves.registered): one whose link broke with no task left is drained, or gone, at once.
  checkDrained(tx, aid, true);
  tx.effect(reply(e.request, 200));
}

/** The drain message (Mesos's DrainSlaveMessage): the agent kills its tasks itself. */
function sendDrain(tx: Tx, address: string, config: DrainConfig): void {
  tx.send(address, { type: 'AGENT_DRAIN', config });
}

/**
 * A draining agent (DRAINING or DRAINED) that reregisters is sent the drain again, whatever its
 * state (Master::___reregisterSlave and __reregisterSlave send DrainSlaveMessage): the agent
 * kills the tasks it still has, so a drain begun while the agent was away, or whose message the
 * agent missed, still ends.
 */
export function resumeDrain(tx: Tx, aid: string, address: string): void {
  const info = tx.c.registry.draining?.[aid];
  if (info !== undefined) sendDrain(tx, address, info.config);
}

/**
 * Master::checkAndTransitionDrainingAgent: a DRAINING agent the master knows, with no task left
 * on it, becomes DRAINED (persisted), or is marked gone when the drain asked for it. Called after
 * every step of the master (master.ts `handler`), so whatever removed the last task triggers it.
 * Only DRAIN_AGENT itself transitions a disconnected agent (`disconnected`): Mesos's other callers
 * (acknowledge, reregistration, UpdateSlaveMessage) act for a connected agent, and nothing calls
 * it when an agent's link breaks.
 */
export function checkDrained(tx: Tx, only?: string, disconnected = false): void {
  const draining = tx.c.registry.draining;
  if (draining === undefined) return;
  for (const [aid, info] of sortedEntries(draining)) {
    if (only !== undefined && aid !== only) continue;
    if (info.state !== 'DRAINING') continue;
    const a = tx.c.agents[aid];
    if (!a || a.recovered || (a.address === null && !disconnected)) continue;
    if (tasksOnAgent(tx.c, aid).length > 0) continue;
    if (info.config.mark_gone === true) markGone(tx, aid);
    else tx.registry((r) => ({ ...r, draining: { ...r.draining, [aid]: { ...info, state: 'DRAINED' } } }));
  }
}
