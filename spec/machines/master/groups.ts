/**
 * LAUNCH_GROUP in the master (Master::_accept, src/master/validation.cpp task::group): a task
 * group under one executor of type DEFAULT is validated as a whole, in Mesos's order, and
 * launched atomically: every task of the group enters the books in TASK_STAGING and goes to the
 * agent in one RUN_TASK_GROUP, or every task gets TASK_ERROR (REASON_TASK_GROUP_INVALID) and
 * nothing is taken from the offer.
 */
import type { ExecutorInfo, OfferOperation, TaskInfo, TaskStatus } from '../../protocol/common.ts';
import { add, clearAllocationRole, describeResources, EMPTY, resourcesOf, setAllocationRole, subtract, type Resources } from '../../resources/index.ts';
import { canonicalJson } from '../../canonical.ts';
import { masterStatus, type FrameworkRecord } from './context.ts';
import { addExecutor, executorOn, executorResources, fitsIn } from './executors.ts';
import type { Tx } from './tx.ts';

/** What the group launch needs from master.ts (passed in: the two files must not import each other). */
export interface GroupLaunchSupport {
  /** The checks every task takes (task::internal::validateTask): id, unique id, agent, kill policy, resources. */
  readonly taskFieldsError: (f: FrameworkRecord, task: TaskInfo, agentId: string) => string | null;
  /** Books a valid task in TASK_STAGING (without sending anything to the agent). */
  readonly book: (tx: Tx, fid: string, aid: string, role: string, task: TaskInfo) => void;
}

/** Mesos's MIN_CPUS and MIN_MEM (src/master/constants.hpp), which a group's executor must have. */
const MIN_CPUS = 0.01;
const MIN_MEM = 32;

/** The executor's scalar `name` as the wire says it (summed), undefined when it has none. */
function wireScalar(info: ExecutorInfo, name: string): number | undefined {
  const found = (info.resources ?? []).filter((r) => r.name === name && r.scalar !== undefined);
  return found.length ? found.reduce((s, r) => s + (r.scalar?.value ?? 0), 0) : undefined;
}

/** task::group::validate, in Mesos's order; null when the group may launch. */
function groupError(support: GroupLaunchSupport, f: FrameworkRecord, aid: string, executor: ExecutorInfo, tasks: readonly TaskInfo[], remaining: Resources): string | null {
  const seen = new Set<string>();
  for (const t of tasks) {
    const id = t.task_id.value;
    let error = support.taskFieldsError(f, t, aid);
    if (error === null && seen.has(id)) error = `Task has duplicate ID: ${id}`;
    if (error === null && t.executor === undefined) error = "'TaskInfo.executor' must be set";
    if (error !== null) return `Task '${id}' is invalid: ${error}`;
    seen.add(id);
  }
  if (executor.type === undefined) return "'ExecutorInfo.type' must be set";
  if (executor.type === 'UNKNOWN') return 'Unknown executor type';
  for (const t of tasks) {
    if (canonicalJson(t.executor) !== canonicalJson(executor)) {
      return `The \`ExecutorInfo\` of task '${t.task_id.value}' is different from executor '${executor.executor_id.value}'`;
    }
  }
  const id = executor.executor_id.value;
  const cpus = wireScalar(executor, 'cpus');
  if (cpus === undefined || cpus < MIN_CPUS) return `Executor '${id}' uses less CPUs (${cpus ?? 'None'}) than the minimum required (${MIN_CPUS})`;
  const mem = wireScalar(executor, 'mem');
  if (mem === undefined || mem < MIN_MEM) return `Executor '${id}' uses less memory (${mem === undefined ? 'None' : `${mem}MB`}) than the minimum required (${MIN_MEM}MB)`;
  if (wireScalar(executor, 'disk') === undefined) return `Executor '${id}' uses no disk`;
  let total: Resources = EMPTY;
  for (const t of tasks) {
    const r = resourcesOf(t);
    if (r.ok) total = add(total, r.value);
  }
  if (executorOn(f, aid, id) === undefined) total = add(total, executorResources(executor));
  if (!fitsIn(remaining, total))
    return `Total resources ${describeResources(total)} required by task group and its executor are more than available ${describeResources(remaining)}`;
  return null;
}

/**
 * One LAUNCH_GROUP operation: all or nothing. Returns what is left of the offers afterwards.
 * The executor's framework id is not filled in (Mesos does so only for LAUNCH).
 */
export function launchGroup(tx: Tx, support: GroupLaunchSupport, fid: string, aid: string, role: string, op: OfferOperation, remaining: Resources): Resources {
  const f = tx.c.frameworks[fid]!;
  const group = op.launch_group;
  const executor = group?.executor;
  // Each task of the group carries the group's ExecutorInfo unless it names one (Master::accept).
  const tasks = (group?.task_group.tasks ?? []).map((t) => (t.executor !== undefined || executor === undefined ? t : { ...t, executor }));
  const refuse = (reason: TaskStatus['reason'], message: string, state: TaskStatus['state'] = 'TASK_ERROR') => {
    for (const t of tasks)
      tx.send(f.connection, { type: 'UPDATE', update: { status: masterStatus({ ...t, ...(executor ? { executor_id: executor.executor_id } : {}) }, state, reason!, message) } });
    return remaining;
  };
  if (op.id !== undefined) return refuse('REASON_TASK_GROUP_INVALID', 'The `id` field cannot be set on LAUNCH_GROUP operations');
  if (executor === undefined || tasks.length === 0)
    return refuse('REASON_TASK_GROUP_INVALID', executor === undefined ? "Expecting 'executor' to be present" : 'Task group is empty');
  const error = groupError(support, f, aid, executor, tasks, remaining);
  if (error !== null) return refuse('REASON_TASK_GROUP_INVALID', error);
  const isNew = executorOn(f, aid, executor.executor_id.value) === undefined;
  let left = remaining;
  for (const t of tasks) {
    const r = resourcesOf(t);
    if (r.ok) left = subtract(left, setAllocationRole(clearAllocationRole(r.value), role));
    support.book(tx, fid, aid, role, t);
  }
  if (isNew) {
    addExecutor(tx, fid, aid, executor, role);
    left = subtract(left, setAllocationRole(clearAllocationRole(executorResources(executor)), role));
  }
  tx.send(tx.c.agents[aid]!.address, { type: 'RUN_TASK_GROUP', framework: f.info, executor, task_group: { tasks }, launch_executor: isNew });
  return left;
}
