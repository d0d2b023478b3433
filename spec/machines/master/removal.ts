/**
 * An agent that shuts down gracefully unregisters (src/slave/slave.cpp Slave::shutdown sends
 * UnregisterSlaveMessage; src/master/master.cpp unregisterSlave, removeSlave, _removeSlave): the
 * master removes it from the registry first (RemoveSlave: its admission, drain and deactivation
 * go with it), then from its books. Unlike an unreachable agent (markUnreachable) or a gone one
 * (markGone), every task on it ends TASK_LOST with REASON_AGENT_REMOVED, whatever its framework's
 * capabilities: _removeSlave does not tell removal causes apart. Frameworks hear FAILURE.
 */
import type { InternalMessage } from '../../protocol/internal.ts';
import { agentByAddress, masterStatus, type MasterContext } from './context.ts';
import { forgetAgent, removeAgent } from './operator.ts';
import type { Tx } from './tx.ts';

export type UnregisterEvent = Extract<InternalMessage, { type: 'UNREGISTER_AGENT' }> & { readonly from: string };

/** Mesos ignores an UnregisterSlaveMessage for an unknown agent, or from another pid than the agent's. */
export const unregistersItself = (c: MasterContext, e: UnregisterEvent): boolean => agentByAddress(c, e.from) === e.agent_id.value;

/** The agent unregistered: the registry forgets it, then the master does (its tasks TASK_LOST). */
export function unregisterAgent(tx: Tx, e: UnregisterEvent): void {
  const aid = e.agent_id.value;
  const hostname = tx.c.agents[aid]!.info.hostname;
  tx.registry((r) => {
    const { [aid]: _removed, ...admitted } = r.admitted;
    return forgetAgent({ ...r, admitted }, aid);
  });
  // Master::_removeSlave counts the removal with its reason (metrics: slave_removals/reason_unregistered).
  tx.count('slave_removals');
  tx.count('slave_removals/reason_unregistered');
  const message = `Agent ${hostname} removed: the agent unregistered`;
  removeAgent(tx, aid, (_fid, record) => masterStatus(record.task, 'TASK_LOST', 'REASON_AGENT_REMOVED', message));
}
