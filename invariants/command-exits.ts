/**
 * A command executor's terminal update says how its command ended, in Mesos's words: the
 * message is WSTRINGIFY of the wait status (src/launcher/executor.cpp, reaped()): "Command
 * exited with status N" for an exit, "Command terminated with signal S" for a signal. TASK_FINISHED
 * is an exit with status 0; TASK_FAILED an exit with any other status, or a signal the executor
 * did not send (a crash, the OOM killer; the model's processes die only of the executor's);
 * TASK_KILLED either. A framework reads the message to tell a crash from a kill; no state, reason
 * or source says which exit it was.
 */
import type { TaskStatus } from '../spec/protocol/common.ts';
import type { WorldReader } from './world.ts';

/** Mesos's text when a second task is launched on a command executor (it runs one). */
const SECOND_TASK = 'Attempted to run multiple tasks using a "command" executor';

const EXITED = /^Command exited with status (\d+)$/;
const SIGNALLED = /^Command terminated with signal \S.*$/;

/** What a command executor's `state` update of its own task must say, or null when `message` says it. */
function missingWording(state: TaskStatus['state'], message: string | undefined): string | null {
  const exit = EXITED.exec(message ?? '');
  switch (state) {
    case 'TASK_FINISHED':
      return exit !== null && Number(exit[1]) === 0 ? null : 'an exit with status 0';
    case 'TASK_FAILED':
      return (exit !== null && Number(exit[1]) !== 0) || SIGNALLED.test(message ?? '') ? null : 'an exit with a non-zero status or a signal';
    case 'TASK_KILLED':
      return exit !== null || SIGNALLED.test(message ?? '') ? null : 'an exit status or a signal';
    default:
      return null;
  }
}

/** commandExitsReported == every terminal UPDATE a command executor sends says how its command ended. */
export function commandExitsReported(w: WorldReader): string | null {
  for (const e of w.layout.executors) {
    for (const m of w.channel(e.slot, e.agent)) {
      if (m.type !== 'UPDATE') continue;
      const status = (m.update as { status: TaskStatus }).status;
      if (status.task_id.value !== e.task) {
        if (status.message !== SECOND_TASK) return `${e.slot} reports ${status.state} of a second task ${status.task_id.value} with message ${JSON.stringify(status.message)}`;
        continue;
      }
      const expected = missingWording(status.state, status.message);
      if (expected !== null) return `${e.slot} reports ${status.state} with message ${JSON.stringify(status.message)}, not ${expected}`;
    }
  }
  return null;
}
