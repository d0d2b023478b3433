/**
 * An executor a framework brings (a custom ExecutorInfo), or Mesos's default executor running
 * task groups (src/launcher/default_executor.cpp), as the model plays them. The runtime runs
 * real programs for these (examples/shell-executor.cjs, impl/executor/default-executor.ts); this
 * machine is what the checker explores in their place, with the behaviour both programs share:
 *
 *   live ──SUBSCRIBED──▶ (subscribed)   LAUNCH: TASK_RUNNING; LAUNCH_GROUP: TASK_STARTING each, then TASK_RUNNING each
 *        a task's process exits (environment): TASK_FINISHED or TASK_FAILED
 *        KILL: TASK_KILLED; SHUTDOWN: TASK_KILLED for every live task, exit once acknowledged
 *        MESSAGE: answered with a MESSAGE `echo:<data>` (what shell-executor.cjs does)
 *        kill -9 of the executor (environment): gone at once, status 9
 *   live ──(default executor, every task terminal and acknowledged)──▶ gone, status 0
 *
 * Group policy (the default executor): when a task of a group fails or is killed, the group's
 * other live tasks are killed (TASK_KILLED), as Mesos's default executor does.
 *
 * The environment's events carry `task_id`, so the cause record (spec/world/causes.ts) knows
 * whose process exited, and a group's `group` (its task ids) so it knows the policy kills the
 * rest. The executor ends with a `stop` effect that notifies its agent with EXECUTOR_TERMINATED.
 */
import { assign, emit, enqueueActions, setup, type ParameterizedObject, type ProvidedActor } from 'xstate';
import type { TaskInfo, TaskState, TaskStatus } from '../protocol/common.ts';
import { isTerminal } from '../protocol/common.ts';
import { base64FromText, textFromBase64 } from '../protocol/bytes.ts';
import type { AcknowledgedEvent, ExecutorCall, ExecutorEvent, KillEvent, LaunchEvent, LaunchGroupEvent } from '../protocol/executor.ts';
import { uuidFromSeed } from '../protocol/uuid.ts';
import { send, type MachineEffect } from './effects.ts';
import type { ExecutorTerminatedEvent } from './agent/types.ts';
import type { ExecutorLibraryContext, ExecutorLibraryInput } from './executor-library.ts';

export interface FrameworkExecutorInput extends ExecutorLibraryInput {
  /** The agent starts Mesos's default executor (a task group's): it leaves once its tasks are done. */
  readonly default_executor?: boolean;
}

export interface FrameworkExecutorContext extends ExecutorLibraryContext {
  readonly defaultExecutor: boolean;
  /** Every task it took, by id, with the state it last reported. */
  readonly tasks: Readonly<Record<string, TaskState>>;
  /** The task groups it took (task ids), for the group policy. */
  readonly groups: readonly (readonly string[])[];
  /** SHUTDOWN arrived: it leaves once its last update is acknowledged. */
  readonly shuttingDown: boolean;
}

export interface TaskProcessExitedEvent {
  readonly type: 'PROCESS_EXITED';
  readonly task_id: string;
  readonly status: number;
  /** The task's group (its task ids), when it runs in one. */
  readonly group?: readonly string[];
}

export type FrameworkExecutorEvent =
  | (ExecutorEvent & { readonly from?: string })
  | { readonly type: 'LINK_BROKEN'; readonly peer: string }
  | TaskProcessExitedEvent
  /** The environment kills the executor's process (kill -9). */
  | { readonly type: 'EXECUTOR_KILLED' };

/** The wait status of a process killed by SIGKILL, as the agent reports it. */
const KILLED_STATUS = 9;
const EXIT_OK = 0;

type Ctx = FrameworkExecutorContext;
type Ev = FrameworkExecutorEvent;

function call(c: Ctx, body: Record<string, unknown>): ExecutorCall {
  return { ...body, executor_id: c.executor_id, framework_id: c.framework_id } as unknown as ExecutorCall;
}

function exitEffect(c: Ctx, status: number): MachineEffect {
  const event: ExecutorTerminatedEvent = { type: 'EXECUTOR_TERMINATED', framework_id: c.framework_id, executor_id: c.executor_id, status };
  return { type: 'stop', notify: [{ to: c.agent, event }] };
}

/** The updates of one step: each with a fresh uuid, kept until acknowledged, sent now if subscribed. */
function reports(build: (c: Ctx, event: Ev) => readonly { task: string; state: TaskState }[]): never {
  return enqueueActions<Ctx, Ev, undefined, Ev, ProvidedActor, ParameterizedObject, ParameterizedObject, never, MachineEffect>(({ context: c, event, enqueue }) => {
    let uuids = c.uuids;
    const unacked = [...c.unacked];
    const tasks = { ...c.tasks };
    for (const r of build(c, event)) {
      const status: TaskStatus = {
        task_id: { value: r.task },
        state: r.state,
        source: 'SOURCE_EXECUTOR',
        executor_id: c.executor_id,
        uuid: uuidFromSeed(`${c.seed}#${uuids}`),
      };
      uuids += 1;
      tasks[r.task] = r.state;
      unacked.push({ status });
      if (c.subscribed) enqueue.emit(send(c.agent, call(c, { type: 'UPDATE', update: { status } })));
    }
    enqueue.assign({ uuids, unacked, tasks });
  }) as never;
}

const live = (c: Ctx, id: string) => c.tasks[id] !== undefined && !isTerminal(c.tasks[id]);
const groupOf = (c: Ctx, id: string) => c.groups.find((g) => g.includes(id)) ?? [];
/** The group's other live tasks, which the group policy kills with `id`. */
const siblingsToKill = (c: Ctx, id: string) => (c.defaultExecutor ? groupOf(c, id).filter((t) => t !== id && live(c, t)) : []);
const allDone = (c: Ctx) => Object.keys(c.tasks).length > 0 && Object.values(c.tasks).every(isTerminal) && c.unacked.length === 0;

export const frameworkExecutor = setup({
  types: {} as { context: Ctx; events: Ev; input: FrameworkExecutorInput; emitted: MachineEffect },
  guards: {
    /** The process that exited is one of this executor's live tasks. */
    taskLive: ({ context, event }) => live(context, (event as TaskProcessExitedEvent).task_id),
    /** A KILL of one of its live tasks. */
    killsLiveTask: ({ context, event }) => live(context, (event as KillEvent).kill.task_id.value),
    acksPendingUpdate: ({ context, event }) => context.unacked.some((u) => u.status.uuid === (event as AcknowledgedEvent).acknowledged.uuid),
    /** The broken link is the agent's and the framework checkpoints: re-subscribe (the executor library's recovery). */
    agentGoneCheckpointing: ({ context, event }) => (event as { peer?: string }).peer === context.agent && context.checkpoint,
    agentGone: ({ context, event }) => (event as { peer?: string }).peer === context.agent,
    /** Its work is over: the default executor's every task terminal and acknowledged, or a SHUTDOWN answered. */
    workOver: ({ context }) => (context.defaultExecutor || context.shuttingDown) && (allDone(context) || (context.shuttingDown && context.unacked.length === 0)),
  },
  actions: {
    sendSubscribe: emit(({ context: c }) => send(c.agent, call(c, { type: 'SUBSCRIBE', subscribe: c.unacked.length ? { unacknowledged_updates: [...c.unacked] } : {} }))),
    markSubscribed: assign({ subscribed: true }),
    markUnsubscribed: assign({ subscribed: false }),
    runTask: reports((_c, e) => [{ task: (e as LaunchEvent).launch.task.task_id.value, state: 'TASK_RUNNING' }]),
    runGroup: enqueueActions(({ event, enqueue }) => {
      const tasks: readonly TaskInfo[] = (event as LaunchGroupEvent).launch_group.task_group.tasks ?? [];
      enqueue.assign(({ context }) => ({ groups: [...context.groups, tasks.map((t) => t.task_id.value)] }));
      enqueue('reportGroupRunning' as never);
    }) as never,
    // The default executor: TASK_STARTING for each task as it starts it, then TASK_RUNNING for each.
    reportGroupRunning: reports((_c, e) => {
      const ids = ((e as LaunchGroupEvent).launch_group.task_group.tasks ?? []).map((t) => t.task_id.value);
      return [...ids.map((task) => ({ task, state: 'TASK_STARTING' as const })), ...ids.map((task) => ({ task, state: 'TASK_RUNNING' as const }))];
    }),
    reportExit: reports((c, e) => {
      const { task_id, status } = e as TaskProcessExitedEvent;
      const failed = status !== 0;
      return [
        { task: task_id, state: failed ? 'TASK_FAILED' : 'TASK_FINISHED' },
        ...(failed ? siblingsToKill(c, task_id).map((t) => ({ task: t, state: 'TASK_KILLED' as const })) : []),
      ];
    }),
    reportKilled: reports((c, e) => {
      const id = (e as KillEvent).kill.task_id.value;
      return [id, ...siblingsToKill(c, id)].map((t) => ({ task: t, state: 'TASK_KILLED' as const }));
    }),
    killAll: reports((c) =>
      Object.keys(c.tasks)
        .sort()
        .filter((t) => live(c, t))
        .map((t) => ({ task: t, state: 'TASK_KILLED' as const })),
    ),
    markShuttingDown: assign({ shuttingDown: true }),
    dropAcknowledged: assign(({ context, event }) => ({ unacked: context.unacked.filter((u) => u.status.uuid !== (event as AcknowledgedEvent).acknowledged.uuid) })),
    echo: emit(({ context: c, event }) => {
      const data = (event as { message: { data?: string } }).message.data ?? '';
      return send(c.agent, call(c, { type: 'MESSAGE', message: { data: base64FromText(`echo:${textFromBase64(data)}`) } }));
    }),
    exit: emit(({ context }, params: { status: number }) => exitEffect(context, params.status)),
  },
}).createMachine({
  id: 'frameworkExecutor',
  context: ({ input }) => ({
    self: input.self,
    agent: input.agent,
    framework_id: input.framework_id,
    executor_id: input.executor_id,
    checkpoint: input.framework_info.checkpoint === true,
    defaultExecutor: input.default_executor === true,
    seed: input.seed,
    uuids: 0,
    subscribed: false,
    tasks: {},
    groups: [],
    unacked: [],
    shuttingDown: false,
  }),
  initial: 'live',
  states: {
    live: {
      entry: 'sendSubscribe',
      always: { guard: 'workOver', target: 'gone', actions: { type: 'exit', params: { status: EXIT_OK } } },
      on: {
        SUBSCRIBED: { actions: 'markSubscribed' },
        LAUNCH: { actions: 'runTask' },
        LAUNCH_GROUP: { actions: 'runGroup' },
        PROCESS_EXITED: { guard: 'taskLive', actions: 'reportExit' },
        KILL: { guard: 'killsLiveTask', actions: 'reportKilled' },
        SHUTDOWN: { actions: ['markShuttingDown', 'killAll'] },
        ACKNOWLEDGED: { guard: 'acksPendingUpdate', actions: 'dropAcknowledged' },
        MESSAGE: { actions: 'echo' },
        EXECUTOR_KILLED: { target: 'gone', actions: { type: 'exit', params: { status: KILLED_STATUS } } },
        LINK_BROKEN: [
          { guard: 'agentGoneCheckpointing', actions: ['markUnsubscribed', 'sendSubscribe'] },
          { guard: 'agentGone', target: 'gone', actions: { type: 'exit', params: { status: EXIT_OK } } },
        ],
      },
    },
    gone: { type: 'final' },
  },
});
