/**
 * Mesos's command executor (src/launcher/executor.cpp) over the v1 executor library
 * (src/executor/executor.cpp), as a statechart with two regions:
 *
 *   connection: subscribing ──SUBSCRIBED──▶ subscribed ──LINK_BROKEN (checkpointing)──▶ disconnected
 *               disconnected ──SUBSCRIBED──▶ subscribed;  disconnected ──RECOVERY_TIMEOUT──▶ exit
 *   task:       idle ──LAUNCH──▶ running ──KILL | SHUTDOWN──▶ killing
 *               running | killing ──PROCESS_EXITED──▶ exited ──ACKNOWLEDGED (terminal)──▶ exit
 *
 * The task's process is the runtime's: the machine emits `process` effects (start, SIGTERM,
 * SIGKILL) and the environment answers `{ type: 'PROCESS_EXITED', status, signal? }` (status is
 * the exit code; `signal` names the signal that killed it). Updates are kept until acknowledged
 * and sent again in the next SUBSCRIBE, with the task while none of its updates is acknowledged.
 * A link to the agent that breaks ends a non-checkpointing executor at once; a checkpointing one
 * re-subscribes until the recovery timeout. The executor ends with a `stop` effect that notifies
 * its agent with EXECUTOR_TERMINATED.
 *
 * Timers:
 *   subscribe-retry   SUBSCRIBE_RETRY, 1 s: while disconnected, periodically; while subscribing,
 *                     only after the runtime reports a failed SUBSCRIBE (SUBSCRIBE_FAILED), since
 *                     a second SUBSCRIBE in flight could make the agent drop a task it launched.
 *                     An agent that is busy (503 while it recovers) is asked again by every
 *                     executor, as the command executor's reliable registration does; one that
 *                     cannot be reached ends a non-checkpointing executor, as a broken link does;
 *                     one that rejects the SUBSCRIBE (it does not know the executor) ends any
 *                     executor
 *   recovery          RECOVERY_TIMEOUT, 15 min after the link broke (checkpointing only)
 *   escalate          ESCALATE, the kill grace period (KILL's > task's > 3 s) until SIGKILL
 *   terminal-ack      TERMINAL_ACK_TIMEOUT, 60 s fail-safe after the terminal update
 */
import { and, or, assign, cancel, emit, enqueueActions, not, raise, setup, type ParameterizedObject, type ProvidedActor } from 'xstate';
import type { TaskInfo, TaskState, TaskStatus, TaskStatusReason } from '../protocol/common.ts';
import { isTerminal } from '../protocol/common.ts';
import type { AcknowledgedEvent, ExecutorCall, ExecutorCallUpdate, ExecutorEvent, KillEvent, LaunchEvent } from '../protocol/executor.ts';
import { send, type MachineEffect } from './effects.ts';
import type { ExecutorTerminatedEvent } from './agent/types.ts';
import type { ExecutorLibraryContext, ExecutorLibraryInput } from './executor-library.ts';
import { uuidFromSeed } from '../protocol/uuid.ts';

export { executorAddress } from './agent/types.ts';

// ---------------------------------------------------------------------------------------------
// Input, context, events

export interface ExecutorInput extends ExecutorLibraryInput {
  /** Kill grace when neither KILL nor the task has a kill policy (3 s). */
  readonly killGracePeriodMs?: number;
  /** MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD (5 s); SHUTDOWN kills the task with 2 s less. */
  readonly shutdownGracePeriodMs?: number;
  /** Resubscription interval: after a failed SUBSCRIBE the executor outlives, and while disconnected (1 s). */
  readonly subscribeRetryMs?: number;
  /** MESOS_RECOVERY_TIMEOUT: how long a checkpointing executor waits for its agent (15 min). */
  readonly recoveryTimeoutMs?: number;
  /** Fail-safe exit when the terminal update is never acknowledged (60 s). */
  readonly terminalAckTimeoutMs?: number;
}

const DEFAULT_EXECUTOR_TIMEOUTS = {
  killGracePeriodMs: 3000,
  shutdownGracePeriodMs: 5000,
  subscribeRetryMs: 1000,
  recoveryTimeoutMs: 15 * 60 * 1000,
  terminalAckTimeoutMs: 60_000,
} as const;

/** libprocess's MAX_REAP_INTERVAL plus one second: what SHUTDOWN's kill leaves for reporting. */
const SHUTDOWN_MARGIN_MS = 2000;

export interface ExecutorContext extends ExecutorLibraryContext {
  /** The framework understands TASK_KILLING. */
  readonly killingState: boolean;
  readonly killGracePeriodMs: number;
  readonly shutdownGracePeriodMs: number;
  readonly subscribeRetryMs: number;
  readonly recoveryTimeoutMs: number;
  readonly terminalAckTimeoutMs: number;
  /** The one task of a command executor. */
  readonly task: TaskInfo | null;
  /** Some update was acknowledged, so the agent surely has the task. */
  readonly acknowledged: boolean;
  /** Grace period of the kill in progress (ms); 0 when none. */
  readonly grace: number;
}

type Delivered<T> = T & { readonly from?: string };

export interface ProcessExitedEvent {
  readonly type: 'PROCESS_EXITED';
  /** Exit code (meaningless when `signal` is set). */
  readonly status: number;
  /** The signal that terminated the process, e.g. `Killed`. */
  readonly signal?: string;
  /**
   * Model only: the exit answers the executor's own SIGTERM or SIGKILL (a process that runs until
   * it is killed), so it cannot happen before the executor has signalled it. The runtime never sets it.
   */
  readonly answersSignal?: boolean;
  /** Model only: the process ignores SIGTERM (`trap '' TERM`), so only the executor's SIGKILL ends it. */
  readonly ignoresSigterm?: boolean;
}

export type ExecutorTimerEvent =
  { readonly type: 'SUBSCRIBE_RETRY' } | { readonly type: 'RECOVERY_TIMEOUT' } | { readonly type: 'ESCALATE' } | { readonly type: 'TERMINAL_ACK_TIMEOUT' };

export type ExecutorMachineEvent =
  | Delivered<ExecutorEvent>
  | { readonly type: 'LINK_BROKEN'; readonly peer: string }
  /**
   * Runtime only: the SUBSCRIBE got no stream. `busy`: the agent answered 503 (recovering) or
   * 404 (its routes not up yet), which Mesos's executor library ignores and retries; `rejected`:
   * any other answer (400 for an executor it does not know), an error that ends the executor;
   * `unreachable`: no answer.
   */
  | { readonly type: 'SUBSCRIBE_FAILED'; readonly reason: 'busy' | 'rejected' | 'unreachable' }
  | ProcessExitedEvent
  | ExecutorTimerEvent;

const executorTimerIds = {
  subscribeRetry: 'subscribe-retry',
  recovery: 'recovery',
  escalate: 'escalate',
  terminalAck: 'terminal-ack',
} as const;

/** Wait statuses reported in EXECUTOR_TERMINATED. */
const EXIT_OK = 0;
const EXIT_FAILURE = 256;
const KILLED_BY_SIGKILL = 9;
const ABORTED = 6;

// ---------------------------------------------------------------------------------------------
// Helpers

function initialContext(input: ExecutorInput): ExecutorContext {
  const t = { ...DEFAULT_EXECUTOR_TIMEOUTS };
  return {
    self: input.self,
    agent: input.agent,
    framework_id: input.framework_id,
    executor_id: input.executor_id,
    checkpoint: input.framework_info.checkpoint === true,
    killingState: (input.framework_info.capabilities ?? []).some((c) => c.type === 'TASK_KILLING_STATE'),
    seed: input.seed,
    uuids: 0,
    killGracePeriodMs: input.killGracePeriodMs ?? t.killGracePeriodMs,
    shutdownGracePeriodMs: input.shutdownGracePeriodMs ?? t.shutdownGracePeriodMs,
    subscribeRetryMs: input.subscribeRetryMs ?? t.subscribeRetryMs,
    recoveryTimeoutMs: input.recoveryTimeoutMs ?? t.recoveryTimeoutMs,
    terminalAckTimeoutMs: input.terminalAckTimeoutMs ?? t.terminalAckTimeoutMs,
    subscribed: false,
    task: null,
    acknowledged: false,
    unacked: [],
    grace: 0,
  };
}

type CallBody = ExecutorCall extends infer C ? (C extends ExecutorCall ? Omit<C, 'executor_id' | 'framework_id'> : never) : never;

function call(c: ExecutorContext, body: CallBody): ExecutorCall {
  return { ...body, executor_id: c.executor_id, framework_id: c.framework_id } as ExecutorCall;
}

const nsToMs = (ns: number): number => Math.floor(ns / 1_000_000);

/** The grace period of a KILL: the event's kill policy, else the task's, else the default. */
function killGrace(c: ExecutorContext, event: ExecutorMachineEvent): number {
  const override = (event as KillEvent).kill?.kill_policy?.grace_period?.nanoseconds;
  if (override !== undefined) return nsToMs(override);
  const own = c.task?.kill_policy?.grace_period?.nanoseconds;
  return own === undefined ? c.killGracePeriodMs : nsToMs(own);
}

function shutdownGrace(c: ExecutorContext): number {
  return Math.max(0, c.shutdownGracePeriodMs - SHUTDOWN_MARGIN_MS);
}

interface Report {
  readonly state: TaskState;
  readonly message?: string;
  readonly reason?: TaskStatusReason;
  /** Default: the executor's task. */
  readonly task?: TaskInfo;
}

/**
 * A named action that sends a status update (createTaskStatus + forward): a fresh uuid, kept
 * until acknowledged, sent now only if subscribed.
 */
function report(build: (c: ExecutorContext, event: ExecutorMachineEvent) => Report): never {
  return enqueueActions<ExecutorContext, ExecutorMachineEvent, undefined, ExecutorMachineEvent, ProvidedActor, ParameterizedObject, ParameterizedObject, never, MachineEffect>(
    ({ context: c, event, enqueue }) => {
      const r = build(c, event);
      const task = r.task ?? c.task!;
      const status: TaskStatus = {
        task_id: task.task_id,
        state: r.state,
        ...(r.message === undefined ? {} : { message: r.message }),
        source: 'SOURCE_EXECUTOR',
        ...(r.reason === undefined ? {} : { reason: r.reason }),
        executor_id: c.executor_id,
        uuid: uuidFromSeed(`${c.seed}#${c.uuids}`),
      };
      enqueue.assign({ uuids: c.uuids + 1, unacked: [...c.unacked, { status }] });
      if (c.subscribed) enqueue.emit(send(c.agent, call(c, { type: 'UPDATE', update: { status } })));
    },
  ) as never;
}

/** The `stop` effect: the executor is gone, and its agent hears of it at once. */
function exitEffect(c: ExecutorContext, status: number): MachineEffect {
  const event: ExecutorTerminatedEvent = { type: 'EXECUTOR_TERMINATED', framework_id: c.framework_id, executor_id: c.executor_id, status };
  return { type: 'stop', notify: [{ to: c.agent, event }] };
}

/** WSTRINGIFY of the wait status, as the command executor reports it. */
function exitMessage(e: ProcessExitedEvent): string {
  return e.signal === undefined ? `Command exited with status ${e.status}` : `Command terminated with signal ${e.signal}`;
}

function ackedUpdate(c: ExecutorContext, event: ExecutorMachineEvent): ExecutorCallUpdate | undefined {
  const uuid = (event as AcknowledgedEvent).acknowledged?.uuid;
  return c.unacked.find((u) => u.status.uuid === uuid);
}

// ---------------------------------------------------------------------------------------------
// The machine

/** Leaving because the agent is gone for good: the task's process dies with the executor. */
const abandon = {
  LINK_BROKEN: { guard: and(['agentLinkBroken', not('checkpointing')]), target: '#executor.gone' },
  RECOVERY_TIMEOUT: { target: '#executor.gone' },
} as const;

export const executorMachine = setup({
  types: {} as { context: ExecutorContext; events: ExecutorMachineEvent; input: ExecutorInput; emitted: MachineEffect },
  guards: {
    /** The framework checkpoints: the executor outlives its agent's restarts. */
    checkpointing: ({ context }) => context.checkpoint,
    /** The agent answered the failed SUBSCRIBE with 503 or 404: there, not ready. */
    agentBusy: ({ event }) => (event as { reason?: string }).reason === 'busy',
    /** The failed SUBSCRIBE got no answer at all. */
    agentUnreachable: ({ event }) => (event as { reason?: string }).reason === 'unreachable',
    /** The broken link is the one to the agent. */
    agentLinkBroken: ({ context, event }) => (event as { peer?: string }).peer === context.agent,
    /** A KILL names this executor's task (anything else is a fatal error in Mesos). */
    killTargetsTask: ({ context, event }) => (event as KillEvent).kill.task_id.value === context.task?.task_id.value,
    /** A repeated KILL can only shorten the remaining grace period. */
    killShortensGrace: ({ context, event }) => killGrace(context, event) < context.grace,
    /** So can a SHUTDOWN during a kill. */
    shutdownShortensGrace: ({ context }) => shutdownGrace(context) < context.grace,
    /** The framework has the TASK_KILLING_STATE capability: a kill is announced with TASK_KILLING. */
    frameworkUnderstandsKilling: ({ context }) => context.killingState,
    /** The process exited with status 0 on its own. */
    exitedCleanly: ({ event }) => {
      const e = event as ProcessExitedEvent;
      return e.status === 0 && e.signal === undefined;
    },
    /** The environment's exit in answer to a signal the executor has not sent: it does not happen. */
    exitedOnItsOwn: ({ event }) => (event as ProcessExitedEvent).answersSignal !== true,
    /** A process that ignores SIGTERM dies only of the SIGKILL the escalation sends. */
    needsSigkill: ({ event }) => (event as ProcessExitedEvent).ignoresSigterm === true,
    /** An acknowledgement of a pending update. */
    acksPendingUpdate: ({ context, event }) => ackedUpdate(context, event) !== undefined,
    /** An acknowledgement of a pending terminal update: the executor's work is done. */
    acksTerminalUpdate: ({ context, event }) => {
      const u = ackedUpdate(context, event);
      return u !== undefined && isTerminal(u.status.state);
    },
  },
  actions: {
    // ---------------------------------------------------------------- connection
    sendSubscribe: emit(({ context: c }) => {
      const tasks = c.task !== null && !c.acknowledged ? [c.task] : [];
      return send(
        c.agent,
        call(c, {
          type: 'SUBSCRIBE',
          subscribe: {
            ...(tasks.length ? { unacknowledged_tasks: tasks } : {}),
            ...(c.unacked.length ? { unacknowledged_updates: [...c.unacked] } : {}),
          },
        }),
      );
    }),
    armSubscribeRetry: raise({ type: 'SUBSCRIBE_RETRY' }, { id: executorTimerIds.subscribeRetry, delay: ({ context }) => context.subscribeRetryMs }),
    cancelSubscribeRetry: cancel(executorTimerIds.subscribeRetry),
    markSubscribed: assign({ subscribed: true }),
    markUnsubscribed: assign({ subscribed: false }),
    armRecoveryTimeout: raise({ type: 'RECOVERY_TIMEOUT' }, { id: executorTimerIds.recovery, delay: ({ context }) => context.recoveryTimeoutMs }),
    cancelRecoveryTimeout: cancel(executorTimerIds.recovery),

    // ---------------------------------------------------------------- the task
    takeTask: assign({ task: ({ event }) => (event as LaunchEvent).launch.task }),
    reportStarting: report(() => ({ state: 'TASK_STARTING' })),
    startProcess: emit(({ context }) => ({ type: 'process', op: 'start', command: context.task!.command }) as MachineEffect),
    reportRunning: report(() => ({ state: 'TASK_RUNNING' })),
    rejectSecondTask: report((_c, event) => ({
      state: 'TASK_FAILED',
      message: 'Attempted to run multiple tasks using a "command" executor',
      task: (event as LaunchEvent).launch.task,
    })),
    /** First KILL or SHUTDOWN: TASK_KILLING if the framework wants it, SIGTERM, escalation timer. */
    reportKilling: enqueueActions(({ check, enqueue }) => {
      if (check('frameworkUnderstandsKilling' as never)) enqueue('reportKillingState' as never);
    }) as never,
    reportKillingState: report(() => ({ state: 'TASK_KILLING' })),
    sigterm: emit({ type: 'process', op: 'signal', signal: 'SIGTERM' } as MachineEffect),
    sigkill: emit({ type: 'process', op: 'signal', signal: 'SIGKILL' } as MachineEffect),
    armKillEscalation: enqueueActions<
      ExecutorContext,
      ExecutorMachineEvent,
      undefined,
      ExecutorMachineEvent,
      ProvidedActor,
      ParameterizedObject,
      ParameterizedObject,
      never,
      MachineEffect
    >(({ context, event, enqueue }) => {
      // SHUTDOWN (and LAUNCH_GROUP, which the command executor treats as one) use the shutdown grace.
      const grace = event.type === 'KILL' ? killGrace(context, event) : shutdownGrace(context);
      enqueue.assign({ grace });
      enqueue.raise({ type: 'ESCALATE' }, { id: executorTimerIds.escalate, delay: grace });
    }) as never,
    cancelKillEscalation: cancel(executorTimerIds.escalate),
    reportFinished: report((_c, event) => ({ state: 'TASK_FINISHED', message: exitMessage(event as ProcessExitedEvent) })),
    reportFailed: report((_c, event) => ({ state: 'TASK_FAILED', message: exitMessage(event as ProcessExitedEvent) })),
    reportKilled: report((_c, event) => ({ state: 'TASK_KILLED', message: exitMessage(event as ProcessExitedEvent) })),
    armTerminalAckTimeout: raise({ type: 'TERMINAL_ACK_TIMEOUT' }, { id: executorTimerIds.terminalAck, delay: ({ context }) => context.terminalAckTimeoutMs }),
    cancelTerminalAckTimeout: cancel(executorTimerIds.terminalAck),
    dropAcknowledged: assign(({ context, event }) => {
      const uuid = (event as AcknowledgedEvent).acknowledged.uuid;
      return { unacked: context.unacked.filter((u) => u.status.uuid !== uuid), acknowledged: true };
    }),

    // ---------------------------------------------------------------- the end
    exit: emit(({ context }, params: { status: number }) => exitEffect(context, params.status)),
  },
}).createMachine({
  id: 'executor',
  context: ({ input }) => initialContext(input),
  initial: 'live',
  states: {
    live: {
      type: 'parallel',
      on: {
        // Mesos's command executor ends on the acknowledgement of any terminal update it sent.
        ACKNOWLEDGED: [
          {
            guard: 'acksTerminalUpdate',
            target: 'gone',
            actions: ['dropAcknowledged', { type: 'exit', params: { status: EXIT_OK } }],
          },
          { guard: 'acksPendingUpdate', actions: 'dropAcknowledged' },
        ],
      },
      states: {
        connection: {
          initial: 'subscribing',
          states: {
            subscribing: {
              entry: 'sendSubscribe',
              exit: 'cancelSubscribeRetry',
              on: {
                SUBSCRIBED: { target: 'subscribed' },
                // Only a checkpointing executor outlives an agent it cannot reach (Mesos's
                // executor library shuts down otherwise); a busy agent is asked again; a
                // rejection is an error the library reports and the executor ends on.
                SUBSCRIBE_FAILED: [
                  { guard: or(['agentBusy', and(['agentUnreachable', 'checkpointing'])]), actions: 'armSubscribeRetry' },
                  { target: '#executor.gone', actions: { type: 'exit', params: { status: EXIT_OK } } },
                ],
                SUBSCRIBE_RETRY: { actions: 'sendSubscribe' },
                LINK_BROKEN: { guard: and(['agentLinkBroken', 'checkpointing']), target: 'disconnected' },
              },
            },
            subscribed: {
              entry: 'markSubscribed',
              exit: 'markUnsubscribed',
              on: {
                LINK_BROKEN: { guard: and(['agentLinkBroken', 'checkpointing']), target: 'disconnected' },
              },
            },
            // Reconnecting: try again every subscribeRetryMs (the library's backoff loop) until
            // SUBSCRIBED, or give up at the recovery timeout.
            disconnected: {
              entry: ['armRecoveryTimeout', 'sendSubscribe', 'armSubscribeRetry'],
              exit: ['cancelRecoveryTimeout', 'cancelSubscribeRetry'],
              on: {
                SUBSCRIBED: { target: 'subscribed' },
                SUBSCRIBE_RETRY: { actions: ['sendSubscribe', 'armSubscribeRetry'] },
                // The agent restarted again: the SUBSCRIBE in flight is lost, the recovery clock runs on.
                LINK_BROKEN: { guard: 'agentLinkBroken', actions: 'sendSubscribe' },
              },
            },
          },
        },
        task: {
          initial: 'idle',
          states: {
            idle: {
              on: {
                LAUNCH: {
                  target: 'running',
                  actions: ['takeTask', 'reportStarting', 'startProcess', 'reportRunning'],
                },
                LAUNCH_GROUP: { target: '#executor.gone', actions: { type: 'exit', params: { status: EXIT_OK } } },
                // A kill before any launch is a fatal error in Mesos (MESOS-8297).
                KILL: { target: '#executor.gone', actions: { type: 'exit', params: { status: ABORTED } } },
                SHUTDOWN: { target: '#executor.gone', actions: { type: 'exit', params: { status: EXIT_OK } } },
                LINK_BROKEN: { ...abandon.LINK_BROKEN, actions: { type: 'exit', params: { status: EXIT_OK } } },
                RECOVERY_TIMEOUT: { ...abandon.RECOVERY_TIMEOUT, actions: { type: 'exit', params: { status: EXIT_OK } } },
              },
            },
            running: {
              on: {
                LAUNCH: { actions: 'rejectSecondTask' },
                PROCESS_EXITED: [
                  { guard: 'exitedCleanly', target: 'exited', actions: 'reportFinished' },
                  { guard: 'exitedOnItsOwn', target: 'exited', actions: 'reportFailed' },
                ],
                KILL: [
                  { guard: 'killTargetsTask', target: 'killing', actions: ['reportKilling', 'sigterm', 'armKillEscalation'] },
                  { target: '#executor.gone', actions: ['sigkill', { type: 'exit', params: { status: ABORTED } }] },
                ],
                SHUTDOWN: { target: 'killing', actions: ['reportKilling', 'sigterm', 'armKillEscalation'] },
                LAUNCH_GROUP: { target: 'killing', actions: ['reportKilling', 'sigterm', 'armKillEscalation'] },
                LINK_BROKEN: { ...abandon.LINK_BROKEN, actions: ['sigkill', { type: 'exit', params: { status: KILLED_BY_SIGKILL } }] },
                RECOVERY_TIMEOUT: { ...abandon.RECOVERY_TIMEOUT, actions: ['sigkill', { type: 'exit', params: { status: KILLED_BY_SIGKILL } }] },
              },
            },
            // SIGTERM sent; once the grace period is over, SIGKILL (launcher/executor.cpp escalated()).
            killing: {
              exit: 'cancelKillEscalation',
              initial: 'terminating',
              states: {
                terminating: {
                  on: {
                    PROCESS_EXITED: { guard: not('needsSigkill'), target: '#executor.live.task.exited', actions: 'reportKilled' },
                    ESCALATE: { target: 'escalated', actions: 'sigkill' },
                  },
                },
                escalated: {
                  on: {
                    PROCESS_EXITED: { target: '#executor.live.task.exited', actions: 'reportKilled' },
                    ESCALATE: { actions: 'sigkill' },
                  },
                },
              },
              on: {
                LAUNCH: { actions: 'rejectSecondTask' },
                KILL: { guard: 'killShortensGrace', actions: 'armKillEscalation' },
                SHUTDOWN: { guard: 'shutdownShortensGrace', actions: 'armKillEscalation' },
                LINK_BROKEN: { ...abandon.LINK_BROKEN, actions: ['sigkill', { type: 'exit', params: { status: KILLED_BY_SIGKILL } }] },
                RECOVERY_TIMEOUT: { ...abandon.RECOVERY_TIMEOUT, actions: ['sigkill', { type: 'exit', params: { status: KILLED_BY_SIGKILL } }] },
              },
            },
            exited: {
              entry: 'armTerminalAckTimeout',
              exit: 'cancelTerminalAckTimeout',
              on: {
                LAUNCH: { actions: 'rejectSecondTask' },
                TERMINAL_ACK_TIMEOUT: { target: '#executor.gone', actions: { type: 'exit', params: { status: EXIT_FAILURE } } },
                LINK_BROKEN: { ...abandon.LINK_BROKEN, actions: { type: 'exit', params: { status: EXIT_OK } } },
                RECOVERY_TIMEOUT: { ...abandon.RECOVERY_TIMEOUT, actions: { type: 'exit', params: { status: EXIT_OK } } },
              },
            },
          },
        },
      },
    },
    gone: { type: 'final' },
  },
});

/** The executor machine under the name the world uses. */
export const executor = executorMachine;
