/**
 * The agent's side of a drain (Slave::drain, Slave::updateDrainStatus in src/slave/slave.cpp):
 * while it holds a drain config (checkpointed, replayed when recovery ends) the agent drops new
 * tasks, and the TASK_KILLING / TASK_KILLED updates of its tasks say REASON_AGENT_DRAINING (and
 * TASK_GONE_BY_OPERATOR to a partition-aware framework when the drain marks the agent gone).
 * The kills themselves are `drain` in executors.ts; the config is dropped once no framework is left.
 */
import type { DurationInfo, FrameworkInfo, KillPolicy, TaskStatus } from '../../protocol/common.ts';
import { isPartitionAware, type Tx } from './tx.ts';

/** Slave::drain's calculateKillPolicy: no cap keeps the task's policy; else the smaller grace. */
export function cappedKillPolicy(policy: KillPolicy | undefined, max: DurationInfo | undefined): KillPolicy | undefined {
  if (max === undefined) return policy;
  const own = policy?.grace_period?.nanoseconds;
  if (own === undefined || own > max.nanoseconds) return { ...(policy ?? {}), grace_period: max };
  return policy;
}

/**
 * Slave::statusUpdate while draining: a TASK_KILLING or TASK_KILLED status takes the reason
 * REASON_AGENT_DRAINING whatever reason it had, and the state TASK_GONE_BY_OPERATOR when the
 * drain marks the agent gone and the framework is partition-aware. Other statuses pass as they are.
 */
export function drainingStatus(tx: Tx, framework: FrameworkInfo, status: TaskStatus): TaskStatus {
  const drain = tx.c.drain;
  if (drain === undefined || (status.state !== 'TASK_KILLING' && status.state !== 'TASK_KILLED')) return status;
  const gone = drain.mark_gone === true && isPartitionAware(framework);
  return { ...status, reason: 'REASON_AGENT_DRAINING', ...(gone ? { state: 'TASK_GONE_BY_OPERATOR' as const } : {}) };
}

/** Slave::updateDrainStatus (after a framework is removed): with no framework left the drain is over. */
export function updateDrainStatus(tx: Tx): void {
  // Set to undefined, not deleted: the machine's assign merges the new context into the old one.
  if (tx.c.drain !== undefined && Object.keys(tx.c.frameworks).length === 0) tx.c.drain = undefined;
}
