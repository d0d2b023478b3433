/**
 * The cause record: what the world did to each task, kept apart from every machine so that a
 * property can judge what a framework learns against what really happened (DESIGN.md section
 * 7, "the system is Mesos"). The machines never see it; only the System writes it, on the
 * environment's choices (how a process exits, a kill or teardown the user asks for) and on
 * faults. A mutant machine cannot bend it.
 *
 * It is a component of the world (a machine with no channels) so that it is part of the state
 * vector, interned and memoised like every other local state. It records only what a property
 * needs, so that it splits as few states as possible:
 *   - per task, how its process exited (status, or the signal) as the environment chose it;
 *   - per task, whether a kill or a teardown was asked for before that exit (the exit is then
 *     not the task's whole story);
 *   - which faults happened at all in the run (a function of the fault counters: no new states),
 *     and whether an executor's launch outlasted its registration timeout (under abstract timing,
 *     or where a configuration lets that timer fire early: under plain eager timing the
 *     executor's SUBSCRIBE, in flight, holds every timer back).
 * Whether a fault came before or after a task's exit is deliberately not recorded: it split
 * a third more states of `default` apart, and a property that needs a fault-free life can ask
 * for a fault-free run instead.
 */
import { assign, setup } from 'xstate';
import type { NotedAction } from './system.ts';

/** A fault, by the name of its budget in the world. */
export type FaultName = 'loss' | 'agent-crash' | 'framework-failover' | 'master-failover' | 'partition' | 'agent-unregister' | 'slow-launch';

export interface TaskCause {
  /** The exit status the environment chose for the task's process (absent: it has not exited). */
  readonly exit?: number;
  /** A KILL_REQUEST for the task came before its process exited. */
  readonly killed?: true;
  /** Its framework was asked to tear itself down before the process exited. */
  readonly teardown?: true;
  /** Its executor's process was killed (kill -9); an exit before it may have gone unreported. */
  readonly executorKilled?: true;
}

export interface CauseRecord {
  /** Faults that happened in this run, sorted, each once. */
  readonly faults: readonly FaultName[];
  /** By task id, every task of the configuration. */
  readonly tasks: Readonly<Record<string, TaskCause>>;
}

/** What the System tells the record. */
export type CauseEvent =
  | { readonly type: 'EXITED'; readonly task: string; readonly status: number; readonly group?: readonly string[] }
  | { readonly type: 'EXECUTOR_KILLED'; readonly tasks: readonly string[] }
  | { readonly type: 'KILL_REQUESTED'; readonly task: string }
  | { readonly type: 'TEARDOWN_REQUESTED'; readonly tasks: readonly string[] }
  | { readonly type: 'FAULT'; readonly fault: FaultName };

/** The component's name in the world. */
export const CAUSES = 'causes';

/** Marks `flag` on every task in `ids` that has not exited yet. */
function beforeExit(tasks: CauseRecord['tasks'], ids: readonly string[], flag: 'killed' | 'teardown'): CauseRecord['tasks'] {
  let out = tasks;
  for (const id of ids) {
    const t = tasks[id] ?? {};
    if (t.exit !== undefined || t[flag]) continue;
    out = { ...out, [id]: { ...t, [flag]: true } };
  }
  return out;
}

export const causeRecorder = setup({
  types: {} as { context: CauseRecord; events: CauseEvent; input: { readonly tasks: readonly string[] } },
  actions: {
    noteExit: assign(({ context, event }) => {
      if (event.type !== 'EXITED') return {};
      const t = context.tasks[event.task] ?? {};
      if (t.exit !== undefined) return {};
      const tasks = { ...context.tasks, [event.task]: { ...t, exit: event.status } };
      // The default executor's group policy: a failed task's group is killed.
      return { tasks: event.status !== 0 && event.group ? beforeExit(tasks, event.group, 'killed') : tasks };
    }),
    // Every task of the executor: one that exited may not have had its update out yet.
    noteExecutorKilled: assign(({ context, event }) =>
      event.type === 'EXECUTOR_KILLED'
        ? { tasks: Object.fromEntries(Object.entries(context.tasks).map(([id, t]) => [id, event.tasks.includes(id) ? { ...t, executorKilled: true as const } : t])) }
        : {},
    ),
    noteKill: assign(({ context, event }) => (event.type === 'KILL_REQUESTED' ? { tasks: beforeExit(context.tasks, [event.task], 'killed') } : {})),
    noteTeardown: assign(({ context, event }) => (event.type === 'TEARDOWN_REQUESTED' ? { tasks: beforeExit(context.tasks, event.tasks, 'teardown') } : {})),
    noteFault: assign(({ context, event }) => {
      if (event.type !== 'FAULT') return {};
      return context.faults.includes(event.fault) ? {} : { faults: [...context.faults, event.fault].sort() };
    }),
  },
}).createMachine({
  id: 'causes',
  context: ({ input }) => ({ faults: [], tasks: Object.fromEntries(input.tasks.map((t) => [t, {}])) }),
  on: {
    EXITED: { actions: 'noteExit' },
    EXECUTOR_KILLED: { actions: 'noteExecutorKilled' },
    KILL_REQUESTED: { actions: 'noteKill' },
    TEARDOWN_REQUESTED: { actions: 'noteTeardown' },
    FAULT: { actions: 'noteFault' },
  },
});

/**
 * The event the record is given for an environment choice or a fault of the Mesos world, or
 * null. `tasksOf` names a framework's tasks (by scheduler address), `executorTasksOf` a custom or
 * default executor slot's; a command executor slot is `<agent>/<task id>`, and a custom
 * executor's process exits name their task.
 */
export function noteCause(
  what: NotedAction,
  tasksOf: (framework: string) => readonly string[],
  executorTasksOf: (slot: string) => readonly string[] = () => [],
): CauseEvent | null {
  if (what.fault !== undefined)
    return what.fault === 'loss' || what.fault === 'agent-crash' || what.fault === 'framework-failover' || what.fault === 'master-failover' || what.fault === 'partition'
      ? { type: 'FAULT', fault: what.fault }
      : null;
  // The agent's registration timer fired before the executor subscribed: the environment made its launch slow.
  if (what.timer !== undefined) return what.timer.type === 'EXECUTOR_REGISTRATION_TIMEOUT' ? { type: 'FAULT', fault: 'slow-launch' } : null;
  const e = what.event;
  if (!e || what.component === undefined) return null;
  // A process that died of the executor's signal did not exit on its own: the kill is its cause.
  if (e.type === 'PROCESS_EXITED' && e.answersSignal === true) return null;
  if (e.type === 'PROCESS_EXITED' && typeof e.task_id === 'string')
    return { type: 'EXITED', task: e.task_id, status: e.status as number, ...(e.group ? { group: e.group as readonly string[] } : {}) };
  if (e.type === 'PROCESS_EXITED') return { type: 'EXITED', task: what.component.slice(what.component.indexOf('/') + 1), status: e.status as number };
  if (e.type === 'EXECUTOR_KILLED') return { type: 'EXECUTOR_KILLED', tasks: executorTasksOf(what.component) };
  if (e.type === 'KILL_REQUEST') return { type: 'KILL_REQUESTED', task: e.task_id as string };
  if (e.type === 'TEARDOWN_REQUEST') return { type: 'TEARDOWN_REQUESTED', tasks: tasksOf(what.component) };
  // An operator shuts an agent down gracefully: not a fault of the network, but it ends its tasks as one.
  if (e.type === 'UNREGISTER_REQUEST') return { type: 'FAULT', fault: 'agent-unregister' };
  return null;
}
