/**
 * The master's books of custom executors (src/master/master.cpp addExecutor / removeExecutor,
 * src/master/validation.cpp executor::internal): which framework runs which ExecutorInfo on which
 * agent, and the resources it holds. Command executors are the agent's own and never appear.
 *
 * An executor's resources come out of the offer that launched its first task (task plus
 * executor must fit), stay allocated while it lives, and go back to the allocator exactly once:
 * when the agent reports it exited (EXECUTOR_EXITED), or with its framework's books on the agent
 * (a non-checkpointing framework's agent disconnects). An agent that is removed or re-registers
 * takes its executors with it in the allocator, so the books are dropped or rebuilt there.
 */
import type { ExecutorInfo, FrameworkInfo, TaskInfo } from '../../protocol/common.ts';
import type { InternalMessage } from '../../protocol/internal.ts';
import * as allocator from '../../allocator/index.ts';
import { add, clearAllocationRole, contains, EMPTY, resourcesOf, isEmpty, setAllocationRole, type Resources } from '../../resources/index.ts';
import { canonicalJson as canonical } from '../../canonical.ts';
import { sortedEntries, type ExecutorBook, type FrameworkRecord } from './context.ts';
import type { Tx } from './tx.ts';

/** The ExecutorInfo a LAUNCH carries, with the framework id the master fills in (Master::accept). */
export function withFrameworkId(task: TaskInfo, fid: string): TaskInfo {
  if (task.executor === undefined || task.executor.framework_id !== undefined) return task;
  return { ...task, executor: { ...task.executor, framework_id: { value: fid } } };
}

/** The executor's resources in canonical form (empty when invalid: validation refused those). */
export function executorResources(info: ExecutorInfo): Resources {
  const parsed = resourcesOf(info);
  return parsed.ok ? parsed.value : EMPTY;
}

/** The framework's executor `eid` on agent `aid`, if the master knows it. */
export function executorOn(f: FrameworkRecord, aid: string, eid: string): ExecutorBook | undefined {
  return f.executors?.[aid]?.[eid];
}

const ID_INVALID = /[/\\\x00-\x1f]/;

/**
 * Mesos's executor checks for a task that names one (validation.cpp, task::internal::
 * validateExecutor and executor::internal::validate), in its order; null when the executor may
 * run the task. `extra` is what a new executor adds to the task's resources.
 */
export function executorError(f: FrameworkRecord, fid: string, aid: string, task: TaskInfo): string | null {
  const ex = task.executor;
  if (ex === undefined) return null;
  const id = ex.executor_id.value;
  if (id === '' || id === '.' || id === '..' || ID_INVALID.test(id) || id.length > 255) return `Executor ID '${id}' is invalid`;
  if (ex.framework_id !== undefined && ex.framework_id.value !== fid) {
    return `ExecutorInfo has an invalid FrameworkID (Actual: ${ex.framework_id.value} vs Expected: ${fid})`;
  }
  if (ex.shutdown_grace_period !== undefined && (ex.shutdown_grace_period.nanoseconds ?? 0) < 0) return "ExecutorInfo's 'shutdown_grace_period' must be non-negative";
  const parsed = resourcesOf(ex);
  if (!parsed.ok) return `Executor uses invalid resources: ${parsed.error}`;
  const existing = executorOn(f, aid, id);
  if (existing !== undefined && canonical(existing.info) !== canonical({ ...ex, framework_id: { value: fid } })) {
    return 'ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID';
  }
  if (ex.type !== undefined && ex.type !== 'CUSTOM') return "'ExecutorInfo.type' must be 'CUSTOM'";
  if (ex.command === undefined) return "'ExecutorInfo.command' must be set";
  return null;
}

/** What a task needs from the offer: its own resources, plus its executor's if that is new. */
export function launchNeeds(f: FrameworkRecord, aid: string, task: TaskInfo, used: Resources): Resources {
  const ex = task.executor;
  if (ex === undefined || executorOn(f, aid, ex.executor_id.value) !== undefined) return used;
  return add(used, executorResources(ex));
}

/** Whether `needs` fits in what is left of the offers (roles aside, as Mesos compares them). */
export const fitsIn = (remaining: Resources, needs: Resources): boolean => contains(clearAllocationRole(remaining), clearAllocationRole(needs));

/** Master::addExecutor: a new executor in the books, holding its resources under `role`. */
export function addExecutor(tx: Tx, fid: string, aid: string, info: ExecutorInfo, role: string): void {
  const f = tx.c.frameworks[fid]!;
  const eid = info.executor_id.value;
  const onAgent = { ...(f.executors?.[aid] ?? {}), [eid]: { info, role } };
  tx.setFramework(fid, { ...f, executors: { ...(f.executors ?? {}), [aid]: onAgent } });
}

/** Master::removeExecutor: out of the books, its resources back to the allocator (once). */
export function removeExecutor(tx: Tx, fid: string, aid: string, eid: string): boolean {
  const f = tx.c.frameworks[fid];
  const book = f && executorOn(f, aid, eid);
  if (!f || !book) return false;
  const { [eid]: _gone, ...left } = f.executors![aid]!;
  const { [aid]: _agent, ...others } = f.executors!;
  const executors = Object.keys(left).length ? { ...others, [aid]: left } : others;
  const { executors: _old, ...rest } = f;
  tx.setFramework(fid, Object.keys(executors).length ? { ...rest, executors } : rest);
  const resources = executorResources(book.info);
  if (!isEmpty(resources) && allocator.getAgent(tx.c.allocator, aid)) {
    tx.allocator((a) =>
      allocator.recoverResources(a, { frameworkId: fid, agentId: aid, role: book.role, resources: setAllocationRole(clearAllocationRole(resources), book.role) }),
    );
  }
  return true;
}

/** Every executor of the framework on the agent leaves the books, each releasing its resources. */
export function removeExecutorsOf(tx: Tx, fid: string, aid: string): void {
  for (const [eid] of sortedEntries(tx.c.frameworks[fid]?.executors?.[aid] ?? {})) removeExecutor(tx, fid, aid, eid);
}

/** The agent is gone from the allocator (removed, unreachable): its executors leave every framework's books. */
export function forgetExecutorsOn(tx: Tx, aid: string): void {
  for (const [fid, f] of sortedEntries(tx.c.frameworks)) {
    if (!f.executors?.[aid]) continue;
    const { [aid]: _gone, ...others } = f.executors;
    const { executors: _old, ...rest } = f;
    tx.setFramework(fid, Object.keys(others).length ? { ...rest, executors: others } : rest);
  }
}

/**
 * EXECUTOR_EXITED (Master::exitedExecutor): an executor the books know leaves them and its
 * framework, if connected, hears FAILURE {agent_id, executor_id, status}. An unknown executor
 * (already removed, or a command executor) is ignored, as Mesos does.
 */
export function exitedExecutor(tx: Tx, aid: string, e: Extract<InternalMessage, { type: 'EXECUTOR_EXITED' }>): void {
  const fid = e.framework_id.value;
  if (!removeExecutor(tx, fid, aid, e.executor_id.value)) return;
  const f = tx.c.frameworks[fid];
  tx.send(f?.connection ?? null, { type: 'FAILURE', failure: { agent_id: { value: aid }, executor_id: e.executor_id, status: e.status } });
}

/**
 * A re-registering agent's `executor_infos` become the books of its executors (frameworks the
 * master knows); what they hold is returned for the allocator's `used`.
 */
export function adoptReportedExecutors(
  tx: Tx,
  aid: string,
  reported: readonly ExecutorInfo[],
  roleOf: (info: FrameworkInfo) => string,
): { frameworkId: string; role: string; resources: Resources }[] {
  forgetExecutorsOn(tx, aid);
  const used: { frameworkId: string; role: string; resources: Resources }[] = [];
  for (const info of reported) {
    const fid = info.framework_id?.value;
    const f = fid === undefined ? undefined : tx.c.frameworks[fid];
    if (fid === undefined || !f) continue;
    const role = roleOf(f.info);
    addExecutor(tx, fid, aid, info, role);
    const resources = executorResources(info);
    if (!isEmpty(resources)) used.push({ frameworkId: fid, role, resources: setAllocationRole(clearAllocationRole(resources), role) });
  }
  return used;
}

/** Executor ids of a framework on an agent, for an offer's `executor_ids`. */
export function executorIdsOn(f: FrameworkRecord, aid: string): { value: string }[] {
  return Object.keys(f.executors?.[aid] ?? {})
    .sort()
    .map((value) => ({ value }));
}
