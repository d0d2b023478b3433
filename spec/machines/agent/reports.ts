/**
 * What the agent says about its executors and tasks: the ExecutorInfo it generates for a
 * command task (Slave::getExecutorInfo) and the Task records it reports when re-registering
 * (protobuf::createTask).
 */
import type { ExecutorInfo, FrameworkInfo, Resource, Task, TaskInfo, TaskState } from '../../protocol/common.ts';
import { agentId, type MTask, type Tx } from './tx.ts';
import { MAX_REAP_INTERVAL_MS } from './types.ts';
import { createTask } from '../task-record.ts';
import type { ReregisterAgentMessage } from '../../protocol/internal.ts';

export const NS_PER_MS = 1_000_000;

function commandName(task: TaskInfo): string {
  const command = task.command ?? {};
  const clip = (s: string, open: string, close: string) => (s.length > 15 ? `${open}${s.slice(0, 12)}...${close}` : `${open}${s}${close}`);
  if (command.shell ?? true) {
    return command.value === undefined ? '(Command: NO COMMAND)' : `(Command: ${clip(command.value, "sh -c '", "')")}`;
  }
  if (command.value === undefined) return '(Command: NO EXECUTABLE)';
  return `(Command: ${clip([command.value, ...(command.arguments ?? [])].join(', '), '[', '])')}`;
}

/** Slave::getExecutorInfo for a command task: executor id = task id, overhead cpus 0.1 / mem 32. */
export function commandExecutorInfo(framework: FrameworkInfo, task: TaskInfo): ExecutorInfo {
  const id = task.task_id.value;
  const role = (task.resources ?? []).find((r) => r.allocation_info !== undefined)?.allocation_info;
  const overhead = (name: string, value: number): Resource => ({
    name,
    type: 'SCALAR',
    scalar: { value },
    ...(role === undefined ? {} : { allocation_info: role }),
  });
  const command = task.command ?? {};
  const grace = task.kill_policy?.grace_period?.nanoseconds;
  return {
    executor_id: { value: id },
    ...(framework.id === undefined ? {} : { framework_id: framework.id }),
    command: {
      ...(command.uris === undefined ? {} : { uris: command.uris }),
      ...(command.environment === undefined ? {} : { environment: command.environment }),
      shell: false,
      value: 'mesos-executor',
      arguments: ['mesos-executor'],
      ...(command.user === undefined ? {} : { user: command.user }),
    },
    ...(task.container === undefined ? {} : { container: task.container }),
    resources: [overhead('cpus', 0.1), overhead('mem', 32)],
    name: `Command Executor (Task: ${id}) ${commandName(task)}`,
    source: id,
    ...(task.discovery === undefined ? {} : { discovery: task.discovery }),
    // The agent leaves the executor time to report TASK_KILLED after the task's own grace.
    ...(grace === undefined ? {} : { shutdown_grace_period: { nanoseconds: grace + 2 * MAX_REAP_INTERVAL_MS * NS_PER_MS } }),
    ...(task.labels === undefined ? {} : { labels: task.labels }),
  };
}

/** protobuf::createTask: the agent's report of a task (re-registration). */
export function taskReport(tx: Tx, framework: string, info: TaskInfo, state: TaskState, record?: MTask): Task {
  return {
    ...createTask(info, framework, (info.agent_id ?? agentId(tx)).value, state),
    ...(record?.status_update_state === undefined ? {} : { status_update_state: record.status_update_state }),
    ...(record?.status_update_uuid === undefined ? {} : { status_update_uuid: record.status_update_uuid }),
  };
}

/** Every task the agent knows, for REREGISTER_AGENT: queued as STAGING, launched, terminated. */
function reportedTasks(tx: Tx): Task[] {
  const out: Task[] = [];
  for (const fwId of Object.keys(tx.c.frameworks).sort()) {
    const fw = tx.c.frameworks[fwId]!;
    for (const exId of Object.keys(fw.executors).sort()) {
      const ex = fw.executors[exId]!;
      for (const id of Object.keys(ex.launched).sort()) out.push(taskReport(tx, fwId, ex.launched[id]!.info, ex.launched[id]!.state, ex.launched[id]));
      for (const id of Object.keys(ex.terminated).sort()) out.push(taskReport(tx, fwId, ex.terminated[id]!.info, ex.terminated[id]!.state, ex.terminated[id]));
      for (const info of ex.queued) out.push(taskReport(tx, fwId, info, 'TASK_STAGING'));
    }
  }
  return out;
}

/**
 * The custom executors the agent reports when re-registering (ReregisterSlaveMessage's
 * `executor_infos`): the master rebuilds its books of them, resources included. Command
 * executors are the agent's own and never reported, nor are terminated ones. Neither are those
 * that did not reregister in time: the step that ends recovery destroys them, and here their
 * ends come within that step, before the master reads this message (Mesos's asynchronous
 * destroy ends them after it, and its ExitedExecutorMessage removes them from the books then).
 */
function reportedExecutors(tx: Tx): ExecutorInfo[] {
  const out: ExecutorInfo[] = [];
  for (const fwId of Object.keys(tx.c.frameworks).sort()) {
    const fw = tx.c.frameworks[fwId]!;
    for (const exId of Object.keys(fw.executors).sort()) {
      const ex = fw.executors[exId]!;
      if (ex.custom && ex.state !== 'TERMINATED' && ex.termination?.reason !== 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT') out.push(ex.info as ExecutorInfo);
    }
  }
  return out;
}

/** REREGISTER_AGENT: who the agent is, and every framework, executor, task and checkpointed resource it has. */
export function reregistration(tx: Tx, version: string): ReregisterAgentMessage {
  const frameworks = Object.keys(tx.c.frameworks)
    .sort()
    .map((id) => tx.c.frameworks[id]!.info);
  const tasks = reportedTasks(tx);
  const executors = reportedExecutors(tx);
  return {
    type: 'REREGISTER_AGENT',
    agent_info: tx.c.info,
    ...(tasks.length ? { tasks } : {}),
    ...(executors.length ? { executor_infos: executors } : {}),
    ...(frameworks.length ? { frameworks } : {}),
    ...(tx.c.resources ? { checkpointed_resources: tx.c.resources } : {}),
    version,
  };
}
