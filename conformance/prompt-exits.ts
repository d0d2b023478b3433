/**
 * Process exits a runner can arrange. A scenario's task is a command: `exit <status>`, which ends
 * as soon as it starts, or `sleep`, which ends only when it is signalled; and a signalled process
 * dies as soon as it is signalled. The runner cannot hold an exit back while the cluster does
 * something else. The model's exit is an environment event that may wait any number of steps, so
 * a witness may let a task run on across an agent's crash and end after it (its executor then
 * gives up on its recovery timer with the task's end unreported): no runner replays that.
 *
 * `promptExits(world, 'exit')` keeps, of a state's actions, only its process exits when there are
 * any: every process ends as soon as it can. `promptExits(world, 'sleep')` drops the exits a
 * process makes on its own (a task that sleeps) and keeps only those that answer a signal, when
 * there are any.
 */
import type { AnyEventObject } from 'xstate';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, decodeAction } from '../spec/world/system.ts';

/** How the scenario's tasks end: `exit` at once, or `sleep` until signalled. */
export type TaskCommand = 'exit' | 'sleep';

/** `keep` for findWitnesses: a pass in which every process exit happens as soon as it can, or (`sleep`) only when signalled. */
export function promptExits(world: MesosWorld, command: TaskCommand): (s: Int32Array, actions: readonly number[]) => readonly number[] {
  const sys = world.system;
  const exitOf = (a: number): AnyEventObject | null => {
    const { kind, arg1, arg2 } = decodeAction(a);
    if (kind !== ActionKind.Environment) return null;
    const e = sys.components[arg1]!.environment?.[arg2];
    return e?.type === 'PROCESS_EXITED' ? e : null;
  };
  const prompt = command === 'exit' ? (a: number) => exitOf(a) !== null : (a: number) => exitOf(a)?.answersSignal === true;
  return (_s, actions) => {
    const exits = actions.filter(prompt);
    if (exits.length > 0) return exits;
    // No exit is due: a sleeping task's own exit never comes.
    return command === 'exit' ? actions : actions.filter((a) => exitOf(a) === null);
  };
}
