/**
 * A status the master makes itself (SOURCE_MASTER) gives, in its reason, the event that made it:
 * Master::accept answers an invalid launch and a launch on stale offers or a lost agent,
 * Master::reconcile (and Master::kill, for a task it does not book) answers with REASON_RECONCILIATION, Master::___reregisterSlave re-reports a
 * returning agent's tasks with REASON_AGENT_REREGISTERED, and the agent's loss (a broken link,
 * the reregistration or ping timeout, its own UNREGISTER_AGENT, an operator's MARK_AGENT_GONE)
 * ends its tasks with REASON_AGENT_DISCONNECTED, REASON_AGENT_REMOVED or
 * REASON_AGENT_REMOVED_BY_OPERATOR (src/master/master.cpp). reasonsAndSources checks that the
 * (state, reason, source) triple is one Mesos sends; this checks that the reason is the step's.
 *
 * A property of every distinct master step.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { Emitted } from './world.ts';

/** The master events whose step may make a status with each reason. */
const REASON_EVENTS: Readonly<Record<string, readonly string[]>> = {
  REASON_TASK_INVALID: ['ACCEPT'],
  REASON_TASK_GROUP_INVALID: ['ACCEPT'],
  REASON_TASK_UNAUTHORIZED: ['ACCEPT'],
  REASON_INVALID_OFFERS: ['ACCEPT'],
  REASON_RECONCILIATION: ['RECONCILE', 'KILL'],
  REASON_AGENT_REREGISTERED: ['REREGISTER_AGENT'],
  REASON_AGENT_DISCONNECTED: ['ACCEPT', 'LINK_BROKEN'],
  REASON_AGENT_REMOVED: ['ACCEPT', 'REREGISTER_TIMEOUT', 'PING_DUE', 'REMOVAL_PERMIT', 'UNREGISTER_AGENT', 'OPERATOR_MARK_AGENT_GONE'],
  REASON_AGENT_REMOVED_BY_OPERATOR: ['OPERATOR_MARK_AGENT_GONE'],
};

type Status = { task_id: { value: string }; state: string; source?: string; reason?: string };

/** masterReasonsNameTheirEvent == every SOURCE_MASTER status the step sends has a reason REASON_EVENTS allows for its event. */
export function masterReasonsNameTheirEvent(_before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  for (const e of effects) {
    const msg = e.msg as { type?: string; update?: { status?: Status } } | undefined;
    const status = e.type === 'send' && msg?.type === 'UPDATE' ? msg.update?.status : undefined;
    if (status?.source !== 'SOURCE_MASTER') continue;
    const events = REASON_EVENTS[status.reason ?? ''];
    if (!events?.includes(event.type)) {
      return `the master's ${event.type} step tells ${String(e.to)} ${status.task_id.value} ${status.state} with ${status.reason ?? 'no reason'}, a reason Mesos gives only ${events ? `on ${events.join(', ')}` : 'never from the master'}`;
    }
  }
  return null;
}
