/**
 * The master counts each task that leaves its books without a terminal state of its own (its
 * agent removed or marked gone, its framework torn down: Master::removeTask on a task still
 * running) once, in the terminal state it ended in. That count is what `master/tasks_lost`,
 * `tasks_killed`, `tasks_gone_by_operator`... and the operator API's completed tasks show
 * (impl/master/observe.ts); a task that had already ended was counted when it did. An
 * unreachable task that its returning agent does not report leaves uncounted
 * (Master::___reregisterSlave drops the agent's unreachable tasks from its books).
 *
 * A property of every distinct master step.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import { isTerminal, type TaskState } from '../spec/protocol/common.ts';
import type { Emitted } from './world.ts';

/** Every task the master books, by `framework/task`, with its state. */
function booked(m: MasterContext): Map<string, TaskState> {
  const out = new Map<string, TaskState>();
  for (const [fid, f] of Object.entries(m.frameworks)) {
    for (const [tid, r] of [...Object.entries(f.tasks), ...Object.entries(f.unreachable)]) out.set(`${fid}/${tid}`, r.task.state);
  }
  return out;
}

/** taskLeavesCounted == a task leaving the books in a non-terminal state is counted ended once, in a terminal state; no other task is counted. */
export function taskLeavesCounted(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  const counted = effects.flatMap((e) =>
    e.type === 'count' && e.counter === 'task_ended' ? [{ key: `${String(e.framework)}/${String(e.task)}`, state: e.state as TaskState }] : [],
  );
  const was = booked(before);
  const now = booked(after);
  for (const [key, state] of was) {
    const n = counted.filter((c) => c.key === key).length;
    const dropped = event.type === 'REREGISTER_AGENT' && state === 'TASK_UNREACHABLE';
    const due = !now.has(key) && !isTerminal(state) && !dropped ? 1 : 0;
    if (n !== due) return `task ${key} ${now.has(key) ? 'stays in' : 'leaves'} the master's books ${state} and is counted ended ${n} times, not ${due}`;
  }
  for (const c of counted) {
    if (!isTerminal(c.state)) return `task ${c.key} is counted ended in ${c.state}, not a terminal state`;
    if (!was.has(c.key)) return `task ${c.key} is counted ended, which the master did not book`;
  }
  return null;
}
