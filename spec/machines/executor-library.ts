/**
 * What every executor the model plays (the command executor, executor.ts; a framework's or the
 * default executor, executor-framework.ts) is given and keeps of the v1 executor library
 * (src/executor/executor.cpp): where it runs, the seed of its status update uuids, whether it
 * is subscribed, and the updates the agent has not acknowledged. One definition, so that the
 * agent starts either kind alike and the two cannot drift apart.
 */
import type { ExecutorID, FrameworkID, FrameworkInfo } from '../protocol/common.ts';
import type { ExecutorCallUpdate } from '../protocol/executor.ts';

/** What the agent gives an executor it starts. */
export interface ExecutorLibraryInput {
  /** This executor's address: `${agent}/${frameworkId}/${executorId}`. */
  readonly self: string;
  /** The agent's address. */
  readonly agent: string;
  readonly framework_id: FrameworkID;
  readonly executor_id: ExecutorID;
  /** `checkpoint` and the TASK_KILLING_STATE capability matter here. */
  readonly framework_info: FrameworkInfo;
  /** Seed of this incarnation's status update uuids. */
  readonly seed: string;
}

/** What an executor keeps of its library while it runs. */
export interface ExecutorLibraryContext {
  readonly self: string;
  readonly agent: string;
  readonly framework_id: FrameworkID;
  readonly executor_id: ExecutorID;
  /** The framework checkpoints: a broken link to the agent is survived (the executor re-subscribes), not the end. */
  readonly checkpoint: boolean;
  readonly seed: string;
  /** Status update uuids made so far (the next one is made from `seed` and this count). */
  readonly uuids: number;
  /** The library's state is SUBSCRIBED: UPDATE calls go out (else they wait for SUBSCRIBE). */
  readonly subscribed: boolean;
  /** Updates sent and not yet acknowledged, in sending order. */
  readonly unacked: readonly ExecutorCallUpdate[];
}
