/**
 * The Mesos agent (src/slave/slave.cpp, src/slave/task_status_update_manager.cpp) as a statechart.
 *
 *   starting ─┬─▶ recovering ──(executor re-registration timeout)──▶ detecting
 *             └─▶ detecting ─┬─▶ active.registering   ──AGENT_REGISTERED──▶   active.running
 *                            └─▶ active.reregistering ──AGENT_REREGISTERED──▶ active.running
 *   active.running ──(ping timeout | PING{connected:false} | master link broken)──▶ active.reregistering
 *   recovering | active ──SHUTDOWN_AGENT | UNREGISTER_REQUEST──▶ terminating ──(no framework left)──▶ stopped
 *   (UNREGISTER_REQUEST, a graceful shutdown, first sends UNREGISTER_AGENT when the agent has an id;
 *   then the agent, its frameworks gone, is `exiting` until AGENT_EXIT: it stops after what it sent)
 *
 * `recovering` is Mesos's reconnect phase after a restart with checkpointed executors (a
 * checkpointed drain is replayed when it ends); in
 * `active` the agent takes tasks from the master (Mesos accepts them while disconnected too);
 * status updates flow to the master only in `running` (the stream manager is paused elsewhere).
 *
 * Frameworks, executors, tasks and streams are records in the context (agent/types.ts); the
 * handlers that maintain them are in agent/executors.ts and agent/streams.ts and work on a
 * transaction (agent/tx.ts) that `act` below turns into assign / emit / raise / cancel.
 * Whenever a step changes the checkpointed part of the context, it first emits
 * `persist('agent', checkpoint)`, so the runtime writes ahead of every message it sends.
 *
 * Timers (ids in agent/types.ts `timerIds`):
 *   registration                       REGISTRATION_RETRY, 2 s doubling to 60 s
 *   ping-timeout                       PING_TIMEOUT, the master's total ping timeout (75 s)
 *   retry:<fw>/<task>                  STATUS_UPDATE_RETRY, 10 s doubling to 10 min
 *   executor-registration:<fw>/<ex>    EXECUTOR_REGISTRATION_TIMEOUT, 1 min
 *   executor-shutdown:<fw>/<ex>        EXECUTOR_SHUTDOWN_TIMEOUT, the shutdown grace (5 s)
 *   executor-reregistration            EXECUTOR_REREGISTRATION_TIMEOUT, 2 s (recovering only)
 *   exit                               AGENT_EXIT, 0 s (exiting only: the process's teardown)
 */
import { and, assign, cancel, emit, enqueueActions, not, raise, setup, type ParameterizedObject, type ProvidedActor } from 'xstate';
import type { TaskStatus } from '../protocol/common.ts';
import type { ExecutorCall } from '../protocol/executor.ts';
import type {
  AgentRegisteredMessage,
  AgentReregisteredMessage,
  CheckpointResourcesMessage,
  DrainAgentMessage,
  FrameworkToExecutorMessage,
  KillTaskMessage,
  PingMessage,
  RunTaskGroupMessage,
  RunTaskMessage,
  ShutdownExecutorMessage,
  ShutdownFrameworkMessage,
  StatusUpdateAckMessage,
  UpdateFrameworkAgentMessage,
} from '../protocol/internal.ts';
import { reply, send, type MachineEffect } from './effects.ts';
import { agentCheckpoint, initialAgentContext, sameCheckpoint } from './agent/checkpoint.ts';
import * as ex from './agent/executors.ts';
import { reregistration } from './agent/reports.ts';
import { pauseStreams, resumeStreams, streamHasPending, streamRetry } from './agent/streams.ts';
import { checkpointResources } from './agent/volumes.ts';
import { begin, sendTo, type Tx } from './agent/tx.ts';
import { commit } from './transaction.ts';
import { checkStep } from './lifecycle.ts';
import { AGENT_LIFECYCLES } from './agent/lifecycle.ts';
import {
  REGISTER_RETRY_MAX_MS,
  timerIds,
  type AgentContext,
  type AgentEvent,
  type AgentInput,
  type AgentTimerEvent,
  type Delivered,
  type ExecutorTerminatedEvent,
  type LinkBrokenEvent,
} from './agent/types.ts';

export { agentCheckpoint, agentRestartInput } from './agent/checkpoint.ts';
export { commandExecutorInfo } from './agent/reports.ts';
export { DEFAULT_AGENT_FLAGS, STATUS_UPDATE_RETRY_MAX_MS, STATUS_UPDATE_RETRY_MIN_MS, executorAddress, timerIds } from './agent/types.ts';
export type {
  AgentCheckpoint,
  AgentContext,
  AgentEvent,
  AgentFlags,
  AgentInput,
  AgentTimerEvent,
  ExecutorRecord,
  ExecutorTerminatedEvent,
  FrameworkRecord,
  LinkBrokenEvent,
  StreamRecord,
  TaskRecord,
} from './agent/types.ts';

/** The version the agent reports when it (re)registers. */
export const AGENT_VERSION = '1.11.0';

type Call<T extends ExecutorCall['type']> = Extract<ExecutorCall, { type: T }>;
type Ev<T> = T & { readonly from?: string };

/**
 * A named action that runs a handler on a transaction and commits it: the new context, a
 * `persist` first if the checkpoint changed, then the handler's effects and timers in order.
 */
function act(handler: (tx: Tx, event: AgentEvent) => void): never {
  // Typed loosely (`never` fits every slot of setup's action map): the machine's own action and
  // guard unions would make this helper's type circular.
  return enqueueActions<AgentContext, AgentEvent, undefined, AgentEvent, ProvidedActor, ParameterizedObject, ParameterizedObject, never, MachineEffect>(
    ({ context, event, enqueue }) => {
      const tx = begin(context);
      handler(tx, event);
      const next = tx.c as AgentContext;
      // Every status change of an executor must be one its lifecycle declares.
      checkStep(AGENT_LIFECYCLES, context, next, event);
      const persist = sameCheckpoint(context, next) ? undefined : { type: 'persist' as const, key: 'agent', value: agentCheckpoint(next) };
      commit<AgentContext, AgentEvent>(enqueue, next, tx.steps, persist);
    },
  ) as never;
}

const registrationRetry = (backoff: number): AgentTimerEvent => ({ type: 'REGISTRATION_RETRY', backoff });

/**
 * The HTTP answer to an executor call. Every call is answered, as the master answers every
 * scheduler call: a call that came without a request (the model's executors) has its answer
 * dropped by the host, and the answer is still there for the properties to judge.
 */
const answer = (status: number, message?: string) =>
  enqueueActions<AgentContext, AgentEvent, undefined, AgentEvent, ProvidedActor, ParameterizedObject, ParameterizedObject, never, MachineEffect>(({ event, enqueue }) => {
    enqueue.emit(reply((event as Delivered).request, status, message));
  }) as never;

/**
 * The executor API's gate (src/slave/http.cpp `Http::executor`), in Mesos's order after the
 * call's own validation: an unknown framework or executor is 400, a caller whose token names
 * another executor 403 (`verifyExecutorClaims`). A refused call is answered and changes nothing.
 */
const executorCallGate = [
  { guard: not('callerFrameworkKnown'), actions: 'refuseUnknownFramework' },
  { guard: not('callerExecutorKnown'), actions: 'refuseUnknownExecutor' },
  { guard: not('callerHoldsItsToken'), actions: 'refuseForeignToken' },
] as const;

/** Calls other than SUBSCRIBE also need a subscribed caller (403 "Executor is not subscribed"). */
const subscribedCallGate = [...executorCallGate, { guard: not('callerSubscribed'), actions: 'refuseUnsubscribed' }] as const;

/** A graceful shutdown: unregister if the master gave an id, then terminate every framework (Slave::shutdown). */
const unregistering = [{ guard: 'hasAgentId', target: '#agent.terminating', actions: ['sendUnregistration', 'noteUnregistration'] }, { target: '#agent.terminating' }] as const;

export const agentMachine = setup({
  types: {} as { context: AgentContext; events: AgentEvent; input: AgentInput; emitted: MachineEffect },
  guards: {
    /** A restart recovered executors of checkpointing frameworks: wait for them to re-subscribe. */
    hasRecoveredFrameworks: ({ context }) => Object.keys(context.frameworks).length > 0,
    /** The agent has an id, so it re-registers (after a restart, a failover, a lost master). */
    hasAgentId: ({ context }) => context.info.id !== undefined,
    /** The message comes from the master the agent follows. */
    fromMaster: ({ context, event }) => (event as { from?: string }).from === context.master,
    /** The connection that broke is the master's (executors' links are not the agent's concern). */
    masterLinkBroken: ({ context, event }) => (event as LinkBrokenEvent).peer === context.master,
    /** A PING says the master considers the agent disconnected: force re-registration. */
    masterThinksDisconnected: ({ event }) => (event as Ev<PingMessage>).connected === false,
    /** AGENT_REREGISTERED is for this agent's id. */
    sameAgentId: ({ context, event }) => (event as AgentReregisteredMessage).agent_id.value === context.info.id?.value,
    /** An UPDATE call passes the executor API's validation (validateExecutorCall). */
    isValidUpdateCall: ({ event }) => {
      const call = event as Call<'UPDATE'>;
      const status: TaskStatus | undefined = call.update?.status;
      return (
        status !== undefined &&
        typeof status.uuid === 'string' &&
        status.uuid.length > 0 &&
        status.source === 'SOURCE_EXECUTOR' &&
        status.state !== 'TASK_STAGING' &&
        (status.executor_id === undefined || status.executor_id.value === call.executor_id.value)
      );
    },
    /** The call names a framework the agent has. */
    callerFrameworkKnown: ({ context, event }) => context.frameworks[(event as ExecutorCall).framework_id.value] !== undefined,
    /** The call names an executor of that framework. */
    callerExecutorKnown: ({ context, event }) => {
      const call = event as ExecutorCall;
      return context.frameworks[call.framework_id.value]?.executors[call.executor_id.value] !== undefined;
    },
    /**
     * The caller is the executor the call names: its token's `fid` and `eid` claims are the
     * call's ids. Without authentication (no principal) every caller passes, as in Mesos.
     */
    callerHoldsItsToken: ({ event }) => {
      const call = event as ExecutorCall & Delivered;
      const p = call.principal;
      return p === undefined || (p.fid === call.framework_id.value && p.eid === call.executor_id.value);
    },
    /** The calling executor has subscribed (else HTTP 403). */
    callerSubscribed: ({ context, event }) => {
      const call = event as ExecutorCall;
      const state = context.frameworks[call.framework_id.value]?.executors[call.executor_id.value]?.state;
      return state !== undefined && state !== 'REGISTERING';
    },
    /** A status-update retry timer whose stream still has its head in flight. */
    streamInFlight: ({ context, event }) => {
      const e = event as Extract<AgentTimerEvent, { type: 'STATUS_UPDATE_RETRY' }>;
      return streamHasPending(context.streams as Tx['c']['streams'], e.framework, e.task);
    },
    /** The executor registration timeout found the executor still registering. */
    executorStillRegistering: ({ context, event }) => {
      const e = event as Extract<AgentTimerEvent, { type: 'EXECUTOR_REGISTRATION_TIMEOUT' }>;
      const fw = context.frameworks[e.framework];
      return fw?.state === 'RUNNING' && fw.executors[e.executor]?.state === 'REGISTERING';
    },
    /** The shutdown grace period ended with the executor still terminating. */
    executorStillTerminating: ({ context, event }) => {
      const e = event as Extract<AgentTimerEvent, { type: 'EXECUTOR_SHUTDOWN_TIMEOUT' }>;
      return context.frameworks[e.framework]?.executors[e.executor]?.state === 'TERMINATING';
    },
    /** Every framework is gone: a terminating agent may stop. */
    noFrameworks: ({ context }) => Object.keys(context.frameworks).length === 0,
    /** It sent its master UNREGISTER_AGENT on the way to terminating. */
    unregistered: ({ context }) => context.unregistered === true,
  },
  actions: {
    // ---------------------------------------------------------------- registration
    sendRegistration: emit(({ context }) => send(context.master, { type: 'REGISTER_AGENT', agent_info: context.info, version: AGENT_VERSION })),
    sendReregistration: act((tx) => sendTo(tx, tx.c.master, reregistration(tx, AGENT_VERSION))),
    /** The first retry: Mesos waits a random time up to twice the backoff factor; we take the bound. */
    armFirstRegistrationRetry: raise(({ context }) => registrationRetry(Math.min(2 * context.flags.registrationBackoffMs, REGISTER_RETRY_MAX_MS)), {
      id: timerIds.registration,
      delay: ({ context }) => Math.min(2 * context.flags.registrationBackoffMs, REGISTER_RETRY_MAX_MS),
    }),
    armNextRegistrationRetry: raise(({ event }) => registrationRetry(Math.min(2 * (event as { backoff: number }).backoff, REGISTER_RETRY_MAX_MS)), {
      id: timerIds.registration,
      delay: ({ event }) => Math.min(2 * (event as { backoff: number }).backoff, REGISTER_RETRY_MAX_MS),
    }),
    cancelRegistrationRetry: cancel(timerIds.registration),
    /** AGENT_REGISTERED: the id the master assigned (checkpointed) and its ping timeout. */
    adoptAgentId: act((tx, event) => {
      const e = event as Ev<AgentRegisteredMessage>;
      tx.c.info.id = e.agent_id;
      const seconds = e.connection?.total_ping_timeout_seconds;
      if (seconds !== undefined) tx.c.pingTimeoutMs = Math.trunc(seconds) * 1000;
    }),
    applyMasterConnection: assign(({ context, event }) => {
      const seconds = (event as AgentReregisteredMessage).connection?.total_ping_timeout_seconds;
      return { pingTimeoutMs: seconds === undefined ? context.pingTimeoutMs : Math.trunc(seconds) * 1000 };
    }),
    reconcileTasks: act((tx, event) => ex.reconcileTasks(tx, event as AgentReregisteredMessage)),

    // ---------------------------------------------------------------- health
    pong: emit(({ context }) => send(context.master, { type: 'PONG' })),
    /** A ping timeout of 0 means the master does not ping (a model without partitions). */
    armPingTimeout: enqueueActions(({ context, enqueue }) => {
      if (context.pingTimeoutMs > 0) enqueue.raise({ type: 'PING_TIMEOUT' }, { id: timerIds.ping, delay: context.pingTimeoutMs });
    }),
    cancelPingTimeout: cancel(timerIds.ping),
    resumeStreams: act((tx) => resumeStreams(tx)),
    pauseStreams: act((tx) => pauseStreams(tx)),

    // ---------------------------------------------------------------- master commands
    runTask: act((tx, event) => ex.runTask(tx, event as RunTaskMessage)),
    runTaskGroup: act((tx, event) => ex.runTaskGroup(tx, event as RunTaskGroupMessage)),
    killTask: act((tx, event) => ex.killTask(tx, event as KillTaskMessage)),
    /** AGENT_DRAIN: keep the config (checkpointed) and kill every task (agent/drain.ts). */
    drain: act((tx, event) => ex.drain(tx, (event as DrainAgentMessage).config)),
    /** CHECKPOINT_RESOURCES: keep the reservations and volumes; make and delete volume directories (agent/volumes.ts). */
    checkpointResources: act((tx, event) => checkpointResources(tx, event as CheckpointResourcesMessage)),
    acknowledgeUpdate: act((tx, event) => {
      const e = event as StatusUpdateAckMessage;
      ex.acknowledgeUpdate(tx, e.framework_id.value, e.task_id.value, e.uuid);
    }),
    retryUpdate: act((tx, event) => {
      const e = event as Extract<AgentTimerEvent, { type: 'STATUS_UPDATE_RETRY' }>;
      streamRetry(tx, e.framework, e.task, e.interval);
    }),
    /** UPDATE_FRAMEWORK_AGENT: new FrameworkInfo, and every pending update is resent at once. */
    updateFramework: act((tx, event) => {
      const e = event as UpdateFrameworkAgentMessage;
      if (ex.updateFramework(tx, e.framework_id.value, e.framework_info)) resumeStreams(tx);
    }),
    shutdownFramework: act((tx, event) => ex.shutdownFramework(tx, (event as ShutdownFrameworkMessage).framework_id.value)),
    shutdownExecutorOnRequest: act((tx, event) => {
      const e = event as ShutdownExecutorMessage;
      ex.shutdownExecutorOnRequest(tx, e.framework_id.value, e.executor_id.value);
    }),
    messageToExecutor: act((tx, event) => {
      const e = event as FrameworkToExecutorMessage;
      ex.messageToExecutor(tx, e.framework_id.value, e.executor_id.value, e.data);
    }),

    // ---------------------------------------------------------------- executor calls
    refuseUnknownFramework: answer(400, 'Framework cannot be found'),
    refuseUnknownExecutor: answer(400, 'Executor cannot be found'),
    refuseForeignToken: enqueueActions(({ event, enqueue }) => {
      const call = event as ExecutorCall & Delivered;
      const p = call.principal ?? {};
      const [claim, id] = p.fid !== call.framework_id.value ? ['fid', `framework ID ${call.framework_id.value}`] : ['eid', `executor ID ${call.executor_id.value}`];
      const message = `Authenticated principal '{fid: ${p.fid ?? ''}, eid: ${p.eid ?? ''}}' does not contain an '${claim}' claim with the ${id}, which is set in the call`;
      enqueue.emit(reply(call.request, 403, message));
    }),
    refuseUnsubscribed: answer(403, 'Executor is not subscribed'),
    refuseInvalidUpdate: answer(
      400,
      "Failed to validate Executor::Call: 'update.status' must have a 'uuid', source SOURCE_EXECUTOR, a state other than TASK_STAGING and the call's executor id",
    ),
    refuseWhileRecovering: answer(503, 'Agent has not finished recovery'),
    /** A SUBSCRIBE that passed the gate is answered 200: its events follow on that stream. */
    openSubscription: answer(200),
    acceptCall: answer(202),
    subscribeExecutor: act((tx, event) => {
      const call = event as Call<'SUBSCRIBE'>;
      ex.subscribe(tx, call.framework_id.value, call.executor_id.value, call.subscribe ?? {});
    }),
    refuseSubscription: act((tx, event) => {
      const call = event as Call<'SUBSCRIBE'>;
      ex.refuseSubscription(tx, call.framework_id.value, call.executor_id.value);
    }),
    handleExecutorUpdate: act((tx, event) => {
      const call = event as Call<'UPDATE'>;
      ex.statusUpdate(tx, ex.executorStatusUpdate(tx, call.framework_id.value, call.update.status), 'executor');
    }),
    messageToFramework: act((tx, event) => {
      const call = event as Call<'MESSAGE'>;
      ex.messageToFramework(tx, call.framework_id.value, call.executor_id.value, call.message.data);
    }),

    // ---------------------------------------------------------------- executor lifecycle
    handleExecutorTerminated: act((tx, event) => {
      const e = event as ExecutorTerminatedEvent;
      ex.executorTerminated(tx, e.framework_id.value, e.executor_id.value, e.status);
    }),
    failExecutorRegistration: act((tx, event) => {
      const e = event as Extract<AgentTimerEvent, { type: 'EXECUTOR_REGISTRATION_TIMEOUT' }>;
      ex.failExecutorRegistration(tx, e.framework, e.executor);
    }),
    destroyExecutor: act((tx, event) => {
      const e = event as Extract<AgentTimerEvent, { type: 'EXECUTOR_SHUTDOWN_TIMEOUT' }>;
      ex.destroyExecutor(tx, e.framework, e.executor);
    }),
    armReregistrationTimeout: raise(
      { type: 'EXECUTOR_REREGISTRATION_TIMEOUT' },
      { id: timerIds.reregistration, delay: ({ context }) => context.flags.executorReregistrationTimeoutMs },
    ),
    cancelReregistrationTimeout: cancel(timerIds.reregistration),
    destroyUnreregisteredExecutors: act((tx) => ex.destroyUnreregisteredExecutors(tx)),
    /** The end of recovery replays a checkpointed drain (Slave::_recover). */
    replayDrain: act((tx) => {
      if (tx.c.drain !== undefined) ex.drain(tx, tx.c.drain);
    }),

    // ---------------------------------------------------------------- shutdown
    shutdownAllFrameworks: act((tx) => ex.shutdownAllFrameworks(tx)),
    /** Slave::shutdown without a sender: an agent with an id tells its master it leaves for good. */
    sendUnregistration: emit(({ context }) => send(context.master, { type: 'UNREGISTER_AGENT', agent_id: context.info.id! })),
    noteUnregistration: assign({ unregistered: () => true as const }),
    armExit: raise({ type: 'AGENT_EXIT' }, { id: timerIds.exit, delay: 0 }),
    stopAgent: emit(() => ({ type: 'stop' }) as MachineEffect),
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => initialAgentContext(input),
  initial: 'starting',
  on: {
    SUBSCRIBE: [...executorCallGate, { actions: ['openSubscription', 'subscribeExecutor'] }],
    UPDATE: [{ guard: not('isValidUpdateCall'), actions: 'refuseInvalidUpdate' }, ...subscribedCallGate, { actions: ['handleExecutorUpdate', 'acceptCall'] }],
    // Mesos accepts a MESSAGE and drops it unless the agent is running (Slave::executorMessage).
    MESSAGE: [...subscribedCallGate, { actions: 'acceptCall' }],
    EXECUTOR_TERMINATED: { actions: 'handleExecutorTerminated' },
    EXECUTOR_REGISTRATION_TIMEOUT: { guard: 'executorStillRegistering', actions: 'failExecutorRegistration' },
    EXECUTOR_SHUTDOWN_TIMEOUT: { guard: 'executorStillTerminating', actions: 'destroyExecutor' },
    // The agent answers pings in every state: recovery may outlast the master's patience.
    PING: { actions: 'pong' },
  },
  states: {
    starting: {
      always: [{ guard: 'hasRecoveredFrameworks', target: 'recovering' }, { target: 'detecting' }],
    },
    recovering: {
      entry: 'armReregistrationTimeout',
      exit: 'cancelReregistrationTimeout',
      on: {
        EXECUTOR_REREGISTRATION_TIMEOUT: { target: 'detecting', actions: ['destroyUnreregisteredExecutors', 'replayDrain'] },
        // Before recovery ends the executor API answers everything but SUBSCRIBE with 503, after
        // the call's own validation (an invalid UPDATE is 400 first, as in Http::executor).
        UPDATE: [{ guard: not('isValidUpdateCall'), actions: 'refuseInvalidUpdate' }, { actions: 'refuseWhileRecovering' }],
        MESSAGE: { actions: 'refuseWhileRecovering' },
        SHUTDOWN_AGENT: { guard: 'fromMaster', target: 'terminating' },
        UNREGISTER_REQUEST: unregistering,
      },
    },
    detecting: {
      always: [{ guard: 'hasAgentId', target: 'active.reregistering' }, { target: 'active.registering' }],
    },
    active: {
      initial: 'registering',
      on: {
        RUN_TASK: { guard: 'fromMaster', actions: 'runTask' },
        RUN_TASK_GROUP: { guard: 'fromMaster', actions: 'runTaskGroup' },
        KILL_TASK: { guard: 'fromMaster', actions: 'killTask' },
        AGENT_DRAIN: { guard: 'fromMaster', actions: 'drain' },
        CHECKPOINT_RESOURCES: { guard: 'fromMaster', actions: 'checkpointResources' },
        SHUTDOWN_AGENT: { guard: 'fromMaster', target: 'terminating' },
        UNREGISTER_REQUEST: unregistering,
      },
      states: {
        registering: {
          entry: ['sendRegistration', 'armFirstRegistrationRetry'],
          exit: 'cancelRegistrationRetry',
          on: {
            REGISTRATION_RETRY: { actions: ['sendRegistration', 'armNextRegistrationRetry'] },
            AGENT_REGISTERED: { guard: 'fromMaster', target: 'running', actions: 'adoptAgentId' },
            LINK_BROKEN: { guard: 'masterLinkBroken', target: 'registering', reenter: true },
          },
        },
        reregistering: {
          entry: ['sendReregistration', 'armFirstRegistrationRetry'],
          exit: 'cancelRegistrationRetry',
          on: {
            REGISTRATION_RETRY: { actions: ['sendReregistration', 'armNextRegistrationRetry'] },
            AGENT_REREGISTERED: {
              guard: and(['fromMaster', 'sameAgentId']),
              target: 'running',
              actions: ['applyMasterConnection', 'reconcileTasks'],
            },
            LINK_BROKEN: { guard: 'masterLinkBroken', target: 'reregistering', reenter: true },
          },
        },
        running: {
          entry: ['resumeStreams', 'armPingTimeout'],
          exit: ['pauseStreams', 'cancelPingTimeout'],
          on: {
            PING: [{ guard: 'masterThinksDisconnected', target: 'reregistering', actions: 'pong' }, { actions: ['pong', 'armPingTimeout'] }],
            PING_TIMEOUT: { target: 'reregistering' },
            LINK_BROKEN: { guard: 'masterLinkBroken', target: 'reregistering' },
            AGENT_REREGISTERED: { guard: and(['fromMaster', 'sameAgentId']), actions: 'reconcileTasks' },
            STATUS_UPDATE_ACK: { actions: 'acknowledgeUpdate' },
            STATUS_UPDATE_RETRY: { guard: 'streamInFlight', actions: 'retryUpdate' },
            UPDATE_FRAMEWORK_AGENT: { actions: 'updateFramework' },
            SHUTDOWN_FRAMEWORK: { guard: 'fromMaster', actions: 'shutdownFramework' },
            SHUTDOWN_EXECUTOR: { guard: 'fromMaster', actions: 'shutdownExecutorOnRequest' },
            FRAMEWORK_TO_EXECUTOR: { actions: 'messageToExecutor' },
            MESSAGE: [...subscribedCallGate, { actions: ['messageToFramework', 'acceptCall'] }],
          },
        },
      },
    },
    terminating: {
      entry: 'shutdownAllFrameworks',
      always: [
        { guard: and(['noFrameworks', 'unregistered']), target: 'exiting' },
        { guard: 'noFrameworks', target: 'stopped', actions: 'stopAgent' },
      ],
      on: {
        SUBSCRIBE: [...executorCallGate, { actions: ['openSubscription', 'refuseSubscription'] }],
        SHUTDOWN_FRAMEWORK: { guard: 'fromMaster', actions: 'shutdownFramework' },
        SHUTDOWN_EXECUTOR: { guard: 'fromMaster', actions: 'shutdownExecutorOnRequest' },
      },
    },
    // Slave::shutdown sends UnregisterSlaveMessage, then terminate(self()) once no framework is
    // left; libprocess's socket manager still writes the message, and the agent binary deletes its
    // containerizer and the rest before it exits (slave/main.cpp). A stop here would clear the
    // agent's channels, the unregistration with them: the agent stops on a timer instead, which
    // eager timing fires only once the network has carried what it sent (abstract timing may still
    // fire it first, as a process that exits before its socket is written).
    exiting: {
      entry: 'armExit',
      on: { AGENT_EXIT: { target: 'stopped', actions: 'stopAgent' } },
    },
    stopped: { type: 'final' },
  },
});

/** The agent machine under the name the world uses. */
export const agent = agentMachine;
