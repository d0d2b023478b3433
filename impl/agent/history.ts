/**
 * What the agent remembers after its machine forgets it: completed tasks (terminal and
 * acknowledged), completed executors (their sandbox stays on disk) and completed frameworks, for
 * `/state` and the operator API, as Mesos keeps them (bounded: 150 completed executors per
 * framework, 50 completed frameworks; src/slave/constants.hpp). The machine drops these records
 * because nothing in the protocol depends on them; this is bookkeeping for humans and tools.
 * Not checkpointed: a restarted agent starts with an empty history, like Mesos's.
 */
import type { AgentContext, ExecutorRecord } from '../../spec/machines/agent.ts';
import type { ExecutorInfo, FrameworkInfo, TaskInfo, TaskState } from '../../spec/protocol/common.ts';

const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK = 150;
const MAX_COMPLETED_FRAMEWORKS = 50;

export interface CompletedTask {
  readonly info: TaskInfo;
  readonly state: TaskState;
}

export interface CompletedExecutor {
  readonly info: ExecutorInfo;
  readonly directory: string;
  readonly container: string;
  /** Tasks that completed while it ran, then the ones it had when it went. */
  readonly tasks: readonly CompletedTask[];
}

export interface CompletedFramework {
  readonly info: FrameworkInfo;
  readonly executors: readonly CompletedExecutor[];
}

function tasksOf(ex: ExecutorRecord): CompletedTask[] {
  return [
    ...ex.queued.map((info) => ({ info, state: 'TASK_STAGING' as TaskState })),
    ...Object.values(ex.launched).map((t) => ({ info: t.info, state: t.state })),
    ...Object.values(ex.terminated).map((t) => ({ info: t.info, state: t.state })),
  ];
}

export class History {
  /** framework -> executor -> tasks completed while the executor is still known. */
  private readonly completedTasks = new Map<string, Map<string, CompletedTask[]>>();
  /** framework -> completed executors (oldest first). */
  private readonly completedExecutors = new Map<string, CompletedExecutor[]>();
  private readonly frameworks: CompletedFramework[] = [];

  constructor(private readonly sandbox: (framework: string, executor: string) => { directory: string; container: string }) {}

  /** Compares two consecutive contexts and records what the second one forgot. */
  observe(before: AgentContext, after: AgentContext): void {
    if (before === after) return;
    for (const [fwId, fw] of Object.entries(before.frameworks)) {
      const nextFw = after.frameworks[fwId];
      for (const [exId, ex] of Object.entries(fw.executors)) {
        const nextEx = nextFw?.executors[exId];
        if (nextEx) {
          for (const [taskId, t] of Object.entries(ex.terminated)) {
            if (!(taskId in nextEx.terminated)) this.taskCompleted(fwId, exId, { info: t.info, state: t.state });
          }
          continue;
        }
        const earlier = this.completedTasks.get(fwId)?.get(exId) ?? [];
        this.completedTasks.get(fwId)?.delete(exId);
        const { directory, container } = this.sandbox(fwId, exId);
        const list = this.completedExecutors.get(fwId) ?? [];
        list.push({ info: ex.info, directory, container, tasks: [...earlier, ...tasksOf(ex)] });
        if (list.length > MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK) list.shift();
        this.completedExecutors.set(fwId, list);
      }
      if (!nextFw) {
        this.frameworks.push({ info: fw.info, executors: this.completedExecutors.get(fwId) ?? [] });
        if (this.frameworks.length > MAX_COMPLETED_FRAMEWORKS) this.frameworks.shift();
        this.completedExecutors.delete(fwId);
        this.completedTasks.delete(fwId);
      }
    }
  }

  private taskCompleted(framework: string, executor: string, task: CompletedTask): void {
    let byExecutor = this.completedTasks.get(framework);
    if (!byExecutor) this.completedTasks.set(framework, (byExecutor = new Map()));
    byExecutor.set(executor, [...(byExecutor.get(executor) ?? []), task]);
  }

  /** Tasks of a live executor that completed (terminal and acknowledged). */
  tasksCompletedBy(framework: string, executor: string): readonly CompletedTask[] {
    return this.completedTasks.get(framework)?.get(executor) ?? [];
  }

  /** Completed executors of a framework the agent still has. */
  executorsCompletedIn(framework: string): readonly CompletedExecutor[] {
    return this.completedExecutors.get(framework) ?? [];
  }

  get completedFrameworks(): readonly CompletedFramework[] {
    return this.frameworks;
  }
}
