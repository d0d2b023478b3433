/**
 * The order in which an executor reports a task: a task only moves forward through it, and a
 * terminal state is absorbing. UNREACHABLE, LOST and UNKNOWN are the master's word, not the
 * executor's; they sit outside the order (the one way back from them is the agent reregistering).
 */
import type { TaskState } from '../spec/protocol/common.ts';
import { isTerminal } from '../spec/protocol/common.ts';

export function rank(state: TaskState): number {
  switch (state) {
    case 'TASK_STAGING':
      return 0;
    case 'TASK_STARTING':
      return 1;
    case 'TASK_RUNNING':
      return 2;
    case 'TASK_KILLING':
      return 3;
    default:
      return isTerminal(state) ? 4 : -1;
  }
}

/** `next` may follow `prev` in one task's life. */
export function mayFollow(prev: TaskState, next: TaskState): boolean {
  if (isTerminal(prev)) return next === prev;
  const p = rank(prev);
  const n = rank(next);
  if (p < 0 || n < 0) return true; // master-generated states: reported, not ordered
  return n >= p;
}
