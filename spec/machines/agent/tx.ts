/**
 * A transaction over the agent's context (spec/machines/transaction.ts): the handlers of
 * agent.ts work on a private deep copy (`tx.c`) and record what the machine must do (`tx.steps`:
 * effects to emit, timers to set or cancel, in order); `act` in agent.ts commits it. The free
 * functions below are the handlers' words for the transaction's methods.
 */
import type { AgentCounter, MachineEffect } from '../effects.ts';
import { Transaction } from '../transaction.ts';
import type { TaskState, TaskStatusReason } from '../../protocol/common.ts';
import type { ExecutorEvent } from '../../protocol/executor.ts';
import type { InternalMessage, StatusUpdate } from '../../protocol/internal.ts';
import { uuidFromSeed } from '../../protocol/uuid.ts';
import { executorAddress, type AgentContext, type AgentTimerEvent, type ExecutorRecord, type FrameworkRecord, type TaskRecord } from './types.ts';

export type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

export type MContext = DeepMutable<AgentContext>;
export type MFramework = DeepMutable<FrameworkRecord>;
export type MExecutor = DeepMutable<ExecutorRecord>;
export type MTask = DeepMutable<TaskRecord>;

export type Tx = Transaction<MContext, AgentTimerEvent, AgentCounter>;

export function begin(context: AgentContext): Tx {
  return new Transaction(clonePlain(context) as MContext);
}

/** The context as a transaction without copying it, for code that only reads (impl/agent/state.ts). */
export function reading(context: AgentContext): Tx {
  return new Transaction(context as MContext);
}

/**
 * A deep copy of plain JSON data (objects, arrays, scalars; `undefined` kept as it is): what the
 * context always is. Several times cheaper than structuredClone, which was the agent's largest
 * cost per step in a profile of the running agent.
 */
function clonePlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = clonePlain((value as Record<string, unknown>)[key]);
  return copy as T;
}

export function emit(tx: Tx, effect: MachineEffect): void {
  tx.effect(effect);
}

/** A protocol message to `to`: master <-> agent messages, or events for an executor. */
export function sendTo(tx: Tx, to: string, msg: InternalMessage | ExecutorEvent): void {
  tx.send(to, msg);
}

export function setTimer(tx: Tx, id: string, event: AgentTimerEvent, delay: number): void {
  tx.timer(id, event, delay);
}

export function cancelTimer(tx: Tx, id: string): void {
  tx.cancel(id);
}

// ------------------------------------------------------------------------------ lookups

export function agentId(tx: Tx): { value: string } {
  return tx.c.info.id ?? { value: '' };
}

export function addressOf(tx: Tx, framework: string, executor: string): string {
  return executorAddress(tx.c.self, framework, executor);
}

export function isPartitionAware(info: { capabilities?: readonly { type?: string }[] }): boolean {
  return (info.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE');
}

/** What `executorOfTask` reads of a framework: its executors' tasks (the agent's records, mutable or not). */
type TaskHolders = {
  readonly executors: Readonly<Record<string, Readonly<Pick<MExecutor, 'launched' | 'terminated'>> & { readonly queued: readonly MExecutor['queued'][number][] }>>;
};

/** Mesos's `Framework::getExecutor(TaskID)`: the executor holding the task (queued, launched or terminated). */
export function executorOfTask(fw: TaskHolders, task: string): string | null {
  for (const id of Object.keys(fw.executors).sort()) {
    const ex = fw.executors[id]!;
    if (ex.queued.some((t) => t.task_id.value === task) || task in ex.launched || task in ex.terminated) return id;
  }
  return null;
}

/** Mesos's `Framework::hasTask`. */
export function frameworkHasTask(fw: TaskHolders | undefined, task: string): boolean {
  return fw !== undefined && executorOfTask(fw, task) !== null;
}

/** Mesos's `Executor::everSentTask`. */
export function everSentTask(ex: MExecutor): boolean {
  if (Object.keys(ex.launched).length > 0) return true;
  if (Object.values(ex.terminated).some((t) => t.executor_sent)) return true;
  return ex.completed_sent;
}

/** Mesos's `Executor::incompleteTasks`. */
export function incompleteTasks(ex: MExecutor): boolean {
  return ex.queued.length > 0 || Object.keys(ex.launched).length > 0 || Object.keys(ex.terminated).length > 0;
}

// ------------------------------------------------------------------------------ updates

export function nextUuid(tx: Tx): string {
  const uuid = uuidFromSeed(`${tx.c.seed}#${tx.c.uuids}`);
  tx.c.uuids += 1;
  return uuid;
}

/** An agent-generated update (SOURCE_AGENT, fresh uuid), like protobuf::createStatusUpdate. */
export function agentUpdate(tx: Tx, framework: string, task: string, state: TaskState, message: string, reason: TaskStatusReason, executor?: string): StatusUpdate {
  const uuid = nextUuid(tx);
  const agent_id = agentId(tx);
  return {
    framework_id: { value: framework },
    ...(executor === undefined ? {} : { executor_id: { value: executor } }),
    agent_id,
    status: {
      task_id: { value: task },
      state,
      message,
      source: 'SOURCE_AGENT',
      reason,
      agent_id,
      ...(executor === undefined ? {} : { executor_id: { value: executor } }),
      uuid,
    },
    // No clock in the spec: timestamps are the runtime's to fill in.
    timestamp: 0,
    uuid,
  };
}

/** A task record created from its TaskInfo (protobuf::createTask). */
export function newTask(info: MTask['info'], state: TaskState): MTask {
  return { info, state, executor_sent: false };
}
