/**
 * Mutants of machines, made the way DESIGN.md prescribes: `machine.provide()` swaps one named
 * guard or action, the source stays untouched. A guard's test proves it matters by failing
 * when the guard is negated.
 */
import { emit, enqueueActions, type AnyEventObject, type AnyStateMachine } from 'xstate';
import { agent, AGENT_VERSION, type AgentContext } from '../../spec/machines/agent.ts';
import { agentCheckpoint, sameCheckpoint } from '../../spec/machines/agent/checkpoint.ts';
import * as agentExecutors from '../../spec/machines/agent/executors.ts';
import { begin, frameworkHasTask, nextUuid, sendTo, type Tx } from '../../spec/machines/agent/tx.ts';
import { reregistration } from '../../spec/machines/agent/reports.ts';
import { commit } from '../../spec/machines/transaction.ts';
import { uuidFromSeed } from '../../spec/protocol/uuid.ts';
import { reply, send } from '../../spec/machines/effects.ts';
import { executor, type ExecutorContext } from '../../spec/machines/executor.ts';
import { master, masterInternals } from '../../spec/machines/master.ts';
import { agentByAddress } from '../../spec/machines/master/context.ts';
import { EXAMPLE_BUG } from '../../model/example.ts';
import { election } from '../../spec/world/election.ts';
import type { RunTaskMessage } from '../../spec/protocol/internal.ts';
import { scheduler } from '../../spec/machines/scheduler.ts';
import type { TaskState, TaskStatus } from '../../spec/protocol/common.ts';

const { handler } = masterInternals;

type GuardFn = (args: unknown, params: unknown) => boolean;

/** The names of every guard a machine defines in setup(). */
export function guardNames(machine: AnyStateMachine): string[] {
  return Object.keys(machine.implementations.guards ?? {}).sort();
}

/** The machine with guard `name` replaced by its negation. */
export function negateGuard<M extends AnyStateMachine>(machine: M, name: string): M {
  const original = (machine.implementations.guards as Record<string, GuardFn | undefined>)[name];
  if (typeof original !== 'function') throw new Error(`negateGuard: ${machine.id} has no guard function ${name}`);
  return machine.provide({ guards: { [name]: (args: unknown, params: unknown) => !original(args, params) } } as never) as M;
}

/** The machine with action `name` replaced (e.g. by one that does nothing). */
export function replaceAction<M extends AnyStateMachine>(machine: M, name: string, action: unknown): M {
  if (!(name in (machine.implementations.actions ?? {}))) throw new Error(`replaceAction: ${machine.id} has no action ${name}`);
  return machine.provide({ actions: { [name]: action } } as never) as M;
}

/** The master with some of its named actions replaced. */
export const withMaster = (actions: Record<string, unknown>): AnyStateMachine => master.provide({ actions } as never);

/** A master that never gives a terminal task's resources back to the allocator: `verify --example`'s seeded bug. */
export const masterKeepingTerminalResources = (): AnyStateMachine => EXAMPLE_BUG.machines().master!;

/** A master that answers an explicit reconciliation with TASK_LOST and a uuid (a reliable update it never should be). */
export const masterInventingReconciliationUpdates = (): AnyStateMachine =>
  withMaster({
    reconcileExplicitly: handler((tx, e) => {
      const call = e as { framework_id: { value: string }; reconcile: { tasks?: { task_id: { value: string } }[] } };
      const f = tx.c.frameworks[call.framework_id.value]!;
      for (const q of call.reconcile.tasks ?? []) {
        tx.send(f.connection, {
          type: 'UPDATE',
          update: { status: { task_id: q.task_id, state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION', uuid: 'AAAAAAAAQACAAAAAAAAAAA==' } },
        });
      }
    }),
  });

/** What `run` gives on the machine with guard `name` negated (`threw: ...` if it throws). */
export function negatedOutcome(machine: AnyStateMachine, name: string, run: (m: AnyStateMachine) => string): string {
  try {
    return run(negateGuard(machine, name));
  } catch (e) {
    return `threw: ${(e as Error).message}`;
  }
}

/** An agent that never retries an unacknowledged status update: one lost update stays lost. */
export const agentNeverRetryingUpdates = (): AnyStateMachine => replaceAction(agent, 'retryUpdate', () => {});

// ---------------------------------------------------------------------------------------------
// Mutants for the outcome and identity properties (invariants/outcomes.ts, identity.ts)

/** A transaction's step, as the seeded bugs edit it (spec/machines/transaction.ts Step). */
type TxStep = { readonly kind: string; readonly effect?: { readonly type: string; readonly msg?: unknown; readonly counter?: string }; readonly event?: { readonly type: string } };

/** Removes from a transaction's steps every one `drop` picks. */
export function dropSteps(steps: TxStep[], drop: (s: TxStep) => boolean): void {
  for (let i = steps.length - 1; i >= 0; i--) if (drop(steps[i]!)) steps.splice(i, 1);
}

/** Removes from a transaction's steps every message of `type` it sends: what the seeded bugs leave out. */
export function dropSends(steps: TxStep[], type: string): void {
  dropSteps(steps, (s) => s.kind === 'effect' && s.effect?.type === 'send' && (s.effect.msg as { type: string }).type === type);
}

/** Replaces every message of `type` a transaction's steps send by what `rewrite` makes of it. */
export function rewriteSends<M>(steps: TxStep[], type: string, rewrite: (msg: M) => M): void {
  steps.forEach((s, i) => {
    if (s.kind !== 'effect' || s.effect?.type !== 'send' || (s.effect.msg as { type: string }).type !== type) return;
    steps[i] = { ...s, effect: { ...s.effect, msg: rewrite(s.effect.msg as M) } };
  });
}

/**
 * An agent action made the way agent.ts makes its own (`act`): a handler on a transaction,
 * committed as assign, persist, then the effects and timers in order.
 */
export function agentAct(handler: (tx: Tx, event: AnyEventObject) => void): unknown {
  return enqueueActions(({ context, event, enqueue }) => {
    const tx = begin(context as AgentContext);
    handler(tx, event);
    const next = tx.c as AgentContext;
    const persist = sameCheckpoint(context as AgentContext, next) ? undefined : { type: 'persist' as const, key: 'agent', value: agentCheckpoint(next) };
    commit(enqueue as never, next, tx.steps, persist);
  });
}

/**
 * An agent whose handling of an executor's UPDATE call is the spec's, on the status `status`
 * makes of the executor's, then `after` (what the mutant changes in what it did).
 */
export function agentHandlingExecutorUpdates(
  status: (s: TaskStatus, tx: Tx) => TaskStatus = (s) => s,
  after: (tx: Tx, update: { framework: string; status: TaskStatus }) => void = () => {},
): AnyStateMachine {
  return replaceAction(
    agent,
    'handleExecutorUpdate',
    agentAct((tx, event) => {
      const call = event as unknown as { framework_id: { value: string }; update: { status: TaskStatus } };
      const taken = status(call.update.status, tx);
      agentExecutors.statusUpdate(tx, agentExecutors.executorStatusUpdate(tx, call.framework_id.value, taken), 'executor');
      after(tx, { framework: call.framework_id.value, status: taken });
    }),
  );
}

/**
 * An agent that kills its tasks on AGENT_DRAIN but keeps no drain config: its tasks' kill
 * updates carry the executor's reason, not REASON_AGENT_DRAINING (drainKillsSayDraining).
 */
export const agentDrainingWithoutReason = (): AnyStateMachine =>
  replaceAction(
    agent,
    'drain',
    agentAct((tx, event) => {
      agentExecutors.drain(tx, (event as unknown as { config: { mark_gone?: boolean } }).config);
      tx.c.drain = undefined;
    }),
  );

/** An agent whose drain kills with `mark_gone` turned round, while it keeps the drain it was asked for (mutate's seed-25 survivor at agent/drain.ts:28). */
export const agentDrainingGoneTurnedRound = (): AnyStateMachine =>
  replaceAction(
    agent,
    'drain',
    agentAct((tx, event) => {
      const config = (event as unknown as { config: { mark_gone?: boolean } }).config;
      agentExecutors.drain(tx, { ...config, mark_gone: config.mark_gone !== true });
      tx.c.drain = config as never;
    }),
  );

/** An agent that reregisters without its checkpointed resources (mutate's seed-25 survivor at agent/reports.ts:115 sent them only when it had none). */
export const agentReregisteringWithoutResources = (): AnyStateMachine =>
  replaceAction(
    agent,
    'sendReregistration',
    agentAct((tx) => {
      const { checkpointed_resources: _dropped, ...message } = reregistration(tx, AGENT_VERSION);
      sendTo(tx, tx.c.master, message as never);
    }),
  );

/** The executor with one of its reports replaced by a report of `state` (same uuid scheme), saying `message` if given. */
export function executorReporting(
  action: 'reportStarting' | 'reportRunning' | 'reportKillingState' | 'reportFinished' | 'reportFailed' | 'reportKilled',
  state: TaskState,
  message?: string,
): AnyStateMachine {
  return replaceAction(
    executor,
    action,
    executorReport(() => state, undefined, message),
  );
}

/** A report action like the executor's own: a fresh uuid (or the one `uuidOf` picks), kept until acknowledged. */
function executorReport(stateOf: () => TaskState, uuidOf: (c: ExecutorContext) => string = (c) => uuidFromSeed(`${c.seed}#${c.uuids}`), message?: string): unknown {
  return enqueueActions(({ context, enqueue }) => {
    const c = context as ExecutorContext;
    const status: TaskStatus = {
      task_id: c.task!.task_id,
      state: stateOf(),
      source: 'SOURCE_EXECUTOR',
      executor_id: c.executor_id,
      uuid: uuidOf(c),
      ...(message === undefined ? {} : { message }),
    };
    enqueue.assign({ uuids: c.uuids + 1, unacked: [...c.unacked, { status }] });
    if (c.subscribed) enqueue.emit(send(c.agent, { type: 'UPDATE', executor_id: c.executor_id, framework_id: c.framework_id, update: { status } }) as never);
  });
}

/** The executor sends TASK_RUNNING under TASK_STARTING's uuid: two updates, one uuid. */
export const executorReusingUuids = (): AnyStateMachine =>
  replaceAction(
    executor,
    'reportRunning',
    executorReport(
      () => 'TASK_RUNNING',
      (c) => uuidFromSeed(`${c.seed}#${Math.max(0, c.uuids - 1)}`),
    ),
  );

/** The executor re-stamps the updates it replays in SUBSCRIBE with fresh uuids: a replay becomes a new update. */
export const executorReplayingUnderNewUuids = (): AnyStateMachine =>
  replaceAction(
    executor,
    'sendSubscribe',
    emit(({ context }) => {
      const c = context as ExecutorContext;
      const updates = c.unacked.map((u, i) => ({ status: { ...u.status, uuid: uuidFromSeed(`${c.seed}/replay#${c.uuids + i}`) } }));
      const tasks = c.task !== null && !c.acknowledged ? [c.task] : [];
      return send(c.agent, {
        type: 'SUBSCRIBE',
        executor_id: c.executor_id,
        framework_id: c.framework_id,
        subscribe: { ...(tasks.length ? { unacknowledged_tasks: tasks } : {}), ...(updates.length ? { unacknowledged_updates: updates } : {}) },
      }) as never;
    }),
  );

/** The agent takes an executor's update under a uuid of its own, and acknowledges that one. */
export const agentRestampingExecutorUpdates = (): AnyStateMachine => agentHandlingExecutorUpdates((s, tx) => ({ ...s, uuid: nextUuid(tx) }));

/** The agent forwards its executors' updates without the task's latest state (mutate's seed-20 survivor at agent/streams.ts:49). */
export const agentForwardingWithoutLatestState = (): AnyStateMachine =>
  agentHandlingExecutorUpdates(undefined, (tx) =>
    rewriteSends<{ update: { latest_state?: string } }>(tx.steps, 'STATUS_UPDATE', (msg) => {
      const { latest_state: _dropped, ...update } = msg.update;
      return { ...msg, update };
    }),
  );

/** The agent ignores the master's ShutdownExecutorMessage (mutate's seed-23 survivor at agent.ts:276). */
export const agentIgnoringExecutorShutdowns = (): AnyStateMachine => replaceAction(agent, 'shutdownExecutorOnRequest', () => {});

/** The agent queues a task for an executor already running and never hands it over (mutate's seed-23 survivor at agent/executors.ts:346). */
export const agentQueueingForRunningExecutors = (): AnyStateMachine =>
  replaceAction(
    agent,
    'runTask',
    agentAct((tx, event) => {
      const m = event as unknown as RunTaskMessage;
      const eid = m.task.executor?.executor_id.value;
      const ex = eid === undefined ? undefined : (tx.c.frameworks[m.framework.id?.value ?? '']?.executors[eid] as { state: string } | undefined);
      const running = ex?.state === 'RUNNING';
      if (running) ex!.state = 'REGISTERING';
      agentExecutors.runTask(tx, m);
      if (running) ex!.state = 'RUNNING';
    }),
  );

/** The agent's stream manager never pauses: it forwards updates while it is away from its master (mutate's seed-22 survivor at agent/streams.ts:114). */
export const agentNeverPausingStreams = (): AnyStateMachine => replaceAction(agent, 'pauseStreams', () => {});

/** The agent's kill path never advances its uuid counter: every update it makes there has the same uuid. */
export const agentKillingUnderOneUuid = (): AnyStateMachine =>
  replaceAction(
    agent,
    'killTask',
    agentAct((tx, event) => {
      const n = tx.c.uuids;
      agentExecutors.killTask(tx, event as never);
      tx.c.uuids = n;
    }),
  );

/** The statuses the master's step made with reason `from` say `to` instead. */
function rewriteReasons(tx: { steps: TxStep[] }, from: string, to: TaskStatus['reason']): void {
  rewriteSends<{ update?: { status: TaskStatus } }>(tx.steps, 'UPDATE', (msg) =>
    msg.update?.status.reason === from ? { ...msg, update: { ...msg.update, status: { ...msg.update.status, reason: to } } } : msg,
  );
}

/** The master answers an ACCEPT with invalid offers with REASON_TASK_KILLED_DURING_LAUNCH instead of REASON_INVALID_OFFERS. */
export const masterMisreportingInvalidOffers = (): AnyStateMachine =>
  withMaster({
    accept: handler((tx, e) => {
      masterInternals.accept(tx, e as never);
      rewriteReasons(tx as never, 'REASON_INVALID_OFFERS', 'REASON_TASK_KILLED_DURING_LAUNCH');
    }),
  });

/** The master re-reports a returning agent's tasks with REASON_RECONCILIATION instead of REASON_AGENT_REREGISTERED (mutate's seed-20 survivor at master.ts:778). */
export const masterReregisteringAsReconciliation = (): AnyStateMachine =>
  withMaster({
    reregisterAgent: handler((tx, e) => {
      masterInternals.reregisterAgent(tx, e as never);
      rewriteReasons(tx as never, 'REASON_AGENT_REREGISTERED', 'REASON_RECONCILIATION');
    }),
  });

/** The master counts none of the tasks a disconnected agent takes out of its books (mutate's seed-20 survivor at master.ts:866 counted only those already ended). */
export const masterUncountingDisconnectedTasks = (): AnyStateMachine =>
  withMaster({
    disconnectAgent: handler<{ type: 'LINK_BROKEN'; peer: string }>((tx, e) => {
      masterInternals.disconnectAgent(tx, agentByAddress(tx.c, e.peer)!);
      dropSteps(tx.steps, (s) => s.kind === 'effect' && s.effect?.type === 'count' && s.effect.counter === 'task_ended');
    }),
  });

/** The master loses no task when an agent's link breaks, as if every framework checkpointed (mutate's seed-21 survivor at master.ts:853). */
export const masterKeepingUncheckpointedTasks = (): AnyStateMachine =>
  withMaster({
    disconnectAgent: handler<{ type: 'LINK_BROKEN'; peer: string }>((tx, e) => {
      const infos = new Map(Object.entries(tx.c.frameworks).map(([fid, f]) => [fid, f.info]));
      for (const [fid, f] of Object.entries(tx.c.frameworks)) tx.setFramework(fid, { ...f, info: { ...f.info, checkpoint: true } });
      masterInternals.disconnectAgent(tx, agentByAddress(tx.c, e.peer)!);
      for (const [fid, f] of Object.entries(tx.c.frameworks)) tx.setFramework(fid, { ...f, info: infos.get(fid)! });
    }),
  });

/** The master counts a missed ping when the agent answered and none when it did not (mutate's seed-21 survivor at master.ts:912). */
export const masterCountingAnsweredPings = (): AnyStateMachine =>
  withMaster({
    ping: handler<{ type: 'PING_DUE'; agent_id: string }>((tx, e) => {
      const a = tx.c.agents[e.agent_id];
      if (a) tx.setAgent(e.agent_id, { ...a, awaitingPong: !a.awaitingPong });
      masterInternals.ping(tx, e.agent_id);
    }),
  });

/** The master keeps only a task's newest status when one repeats the last state (mutate's seed-22 survivor at master/context.ts:251 dropped the history). */
export const masterForgettingStatusHistory = (): AnyStateMachine =>
  withMaster({
    statusUpdate: handler((tx, e) => {
      masterInternals.statusUpdate(tx, e as never);
      for (const [fid, f] of Object.entries(tx.c.frameworks)) {
        const tasks = Object.fromEntries(Object.entries(f.tasks).map(([tid, r]) => [tid, { ...r, task: { ...r.task, statuses: (r.task.statuses ?? []).slice(-1) } }]));
        tx.setFramework(fid, { ...f, tasks });
      }
    }),
  });

/** The master tells the agent not to launch a command task's executor (mutate's seed-23 survivor at master.ts:465 turned the flag round). */
export const masterWithholdingLaunchExecutor = (): AnyStateMachine =>
  withMaster({
    accept: handler((tx, e) => {
      masterInternals.accept(tx, e as never);
      rewriteSends<{ task: { executor?: unknown } }>(tx.steps, 'RUN_TASK', (msg) => (msg.task.executor === undefined ? { ...msg, launch_executor: false } : msg));
    }),
  });

/** The master allocates once and never arms its next allocation (mutate's seed-24 survivor at master.ts:285). */
export const masterAllocatingOnce = (): AnyStateMachine =>
  withMaster({
    allocate: handler((tx) => {
      masterInternals.allocate(tx);
      dropSteps(tx.steps, (s) => s.kind === 'timer' && s.event?.type === 'ALLOCATION_DUE');
    }),
  });

/** A master that forgets to answer the calls its gate refuses (400, 403): only 2xx answers go out. */
export const masterForgettingRefusals = (): AnyStateMachine =>
  withMaster({
    answer: enqueueActions(({ event, enqueue }, params: { status: number; message?: string }) => {
      if (params.status < 300) enqueue.emit(reply((event as { request?: string }).request, params.status, params.message) as never);
    }),
  });

// ---------------------------------------------------------------------------------------------
// Mutants for the impersonation properties (invariants/impersonation.ts)

/** An agent that takes an executor call without token claims as the executor's own (Mesos without the token check). */
export const agentAcceptingUnauthenticatedCalls = (): AnyStateMachine =>
  agent.provide({
    guards: {
      callerHoldsItsToken: ({ event }: { event: AnyEventObject }) => {
        const call = event as AnyEventObject & { principal?: { fid?: string; eid?: string }; framework_id: { value: string }; executor_id: { value: string } };
        const p = call.principal;
        return p?.fid === undefined || (p.fid === call.framework_id.value && p.eid === call.executor_id.value);
      },
    },
  } as never);

/** A master that lets any authenticated agent reregister with any agent id (the hijack of issue 13). */
export const masterAcceptingForeignAgentIds = (): AnyStateMachine => master.provide({ guards: { agentIdIsCallers: () => true } } as never);

/** A master that admits agents without authentication although --authenticate_agents is on. */
export const masterAdmittingUnauthenticatedAgents = (): AnyStateMachine => master.provide({ guards: { agentAuthenticated: () => true } } as never);

/** The polite scheduler before issue 9's fix: it kills a task once per subscription and never again, whatever the master answers. */
export const schedulerKillingOnce = (): AnyStateMachine => scheduler.provide({ guards: { wantedKilledButAlive: () => false, killFoundNothing: () => false } } as never);

/**
 * Seeded bugs of the election service (spec/world/election.ts), issue 19: a registry node that
 * takes a write at any version (ZooKeeper's setData with version -1), and a newly elected leader
 * that does not claim the node, so the deposed master, which keeps acting, still writes at the
 * node's version.
 */
export const electionIgnoringVersion = election.provide({ guards: { atCurrentVersion: () => true } });
export const electionWithoutClaim = election.provide({ actions: { claim: () => {} } });
/** A master that records a task as TASK_RUNNING the moment it is accepted (skipping STAGING): a status change the task lifecycle does not declare. */
export const masterLaunchingRunningTasks = (): AnyStateMachine =>
  withMaster({
    accept: handler((tx, e) => {
      masterInternals.accept(tx, e as never);
      for (const [fid, f] of Object.entries(tx.c.frameworks)) {
        const tasks = Object.fromEntries(
          Object.entries(f.tasks).map(([tid, r]) => [tid, r.task.state === 'TASK_STAGING' ? { ...r, task: { ...r.task, state: 'TASK_RUNNING' as const } } : r]),
        );
        tx.setFramework(fid, { ...f, tasks });
      }
    }),
  });

/**
 * An agent whose registration timeout fails an executor's tasks with REASON_EXECUTOR_TERMINATED,
 * the reason of an executor that ended on its own (outcomeFidelity, under a slow launch).
 */
export const agentTimingOutAsTerminated = (): AnyStateMachine =>
  replaceAction(
    agent,
    'failExecutorRegistration',
    agentAct((tx, event) => {
      const e = event as unknown as { framework: string; executor: string };
      agentExecutors.failExecutorRegistration(tx, e.framework, e.executor);
      const ex = tx.c.frameworks[e.framework]!.executors[e.executor]!;
      ex.termination = { ...ex.termination!, reason: 'REASON_EXECUTOR_TERMINATED' };
    }),
  );

/**
 * An agent that drops a kill of a task no executor of it has, saying nothing (seed 31's survivor
 * at agent/executors.ts:402 deleted the update): the framework never hears the agent lacks it.
 */
export const agentSilentOnUnknownKills = (): AnyStateMachine =>
  replaceAction(
    agent,
    'killTask',
    agentAct((tx, event) => {
      const msg = event as unknown as { framework_id: { value: string }; task_id: { value: string } };
      const fw = tx.c.frameworks[msg.framework_id.value];
      if (fw && !frameworkHasTask(fw, msg.task_id.value)) return;
      agentExecutors.killTask(tx, msg as never);
    }),
  );

/** The master keeps what it offered on an agent whose link broke, rescinding nothing (seed 32's survivor at master.ts:848). */
export const masterKeepingOffersOfDisconnectedAgents = (): AnyStateMachine =>
  withMaster({
    disconnectAgent: handler<{ type: 'LINK_BROKEN'; peer: string }>((tx, e) => {
      const aid = agentByAddress(tx.c, e.peer)!;
      const kept = Object.fromEntries(Object.entries(tx.c.offers).filter(([, o]) => o.agent_id === aid));
      tx.c = { ...tx.c, offers: Object.fromEntries(Object.entries(tx.c.offers).filter(([, o]) => o.agent_id !== aid)) };
      masterInternals.disconnectAgent(tx, aid);
      tx.c = { ...tx.c, offers: { ...tx.c.offers, ...kept } };
    }),
  });

/**
 * An agent that takes the updates an executor replays as it resubscribes (after the agent
 * restarted) but never acknowledges them to it: issue 10's example of a mutant no property
 * caught. The executor keeps them unacknowledged for ever.
 */
export const agentNotAcknowledgingReplays = (): AnyStateMachine =>
  replaceAction(
    agent,
    'subscribeExecutor',
    agentAct((tx, event) => {
      const call = event as unknown as { framework_id: { value: string }; executor_id: { value: string }; subscribe?: object };
      agentExecutors.subscribe(tx, call.framework_id.value, call.executor_id.value, call.subscribe ?? {});
      dropSends(tx.steps, 'ACKNOWLEDGED');
    }),
  );
