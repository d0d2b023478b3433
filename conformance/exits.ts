/**
 * Which process exits a scenario's environment lets happen, one rule for generation (settle.ts,
 * beliefs.ts) and for checking a scenario against the model (check.ts): a task's command exits by
 * itself only with the status the environment gives it, and a task that sleeps never exits by itself.
 */
import type { MesosWorld } from '../spec/world/mesos.ts';
import type { StepDescription } from '../spec/world/step-description.ts';

/**
 * The task whose command exits by itself in step `d`, and its status: a command executor's slot
 * is its task's; a custom or default executor's process exit names its task. An exit in answer to
 * the executor's kill signal is not the command's own.
 */
export function ownExit(world: MesosWorld, d: StepDescription): { task: string; status: number } | undefined {
  if (d.kind !== 'environment' || d.message.type !== 'PROCESS_EXITED' || d.message.answersSignal === true) return undefined;
  const task = typeof d.message.task_id === 'string' ? d.message.task_id : world.layout.executors.find((e) => e.slot === d.component)?.task;
  return task === undefined ? undefined : { task, status: d.message.status as number };
}

/** An exit of a task's own that the environment does not let happen: another status, or any exit of a task that sleeps (absent or null). */
export function wrongExit(world: MesosWorld, d: StepDescription, exits: ReadonlyMap<string, number | null>): boolean {
  const exit = ownExit(world, d);
  return exit !== undefined && exit.status !== exits.get(exit.task);
}
