/**
 * Runtime mutants: seeded bugs of the master, agent and command executor machines, each hosted
 * in a real cluster (the master in the runner's process, the agent and executor as the
 * processes test/support/mutant-agent.ts and mutant-executor.ts start) so that a conformance
 * scenario can kill it (test/conformance/mutant-catalogue.test.ts). Each is made with
 * `machine.provide()`, the source untouched; the effects-rewriting ones wrap the machine's own
 * action and change what it emits, so the bug is exactly the one named.
 */
import { emit, enqueueActions, type AnyStateMachine } from 'xstate';
import { agent, type AgentContext } from '../../spec/machines/agent.ts';
import * as agentExecutors from '../../spec/machines/agent/executors.ts';
import { executor } from '../../spec/machines/executor.ts';
import { master } from '../../spec/machines/master.ts';
import { reply, type MachineEffect, type SendEffect } from '../../spec/machines/effects.ts';
import type { TaskStatus } from '../../spec/protocol/common.ts';
import {
  agentAct,
  agentHandlingExecutorUpdates,
  agentRestampingExecutorUpdates,
  executorReporting,
  executorReusingUuids,
  masterInventingReconciliationUpdates,
  masterKeepingTerminalResources,
  masterLaunchingRunningTasks,
  replaceAction,
} from './mutants.ts';

/** What XState's enqueueActions keeps of its callback (xstate's `enqueueActions.collect`). */
type Collecting = { collect: (args: Record<string, unknown> & { enqueue: Enqueue }, params: unknown) => void };
type Enqueue = ((action: unknown) => void) & { emit: (effect: unknown) => void; [k: string]: unknown };

/**
 * The machine with every action made by `enqueueActions` (every handler of the master and the
 * agent) wrapped so that each effect it emits goes through `rewrite` first: what it returns is
 * emitted instead (none for an empty list); `after` adds effects at the end. The context it
 * assigns is left alone.
 */
export function rewritingEffects<M extends AnyStateMachine>(
  machine: M,
  rewrite: (effect: MachineEffect, event: { type: string; from?: string }) => MachineEffect[],
  only?: readonly string[],
  after: (event: { type: string; from?: string }) => MachineEffect[] = () => [],
): M {
  const actions: Record<string, unknown> = {};
  for (const [name, action] of Object.entries(machine.implementations.actions ?? {})) {
    const collect = (action as Partial<Collecting>).collect;
    if (typeof collect !== 'function' || (only && !only.includes(name))) continue;
    actions[name] = enqueueActions((args, params) => {
      const outer = args.enqueue as unknown as Enqueue;
      const event = args.event as { type: string; from?: string };
      const inner = Object.assign((a: unknown) => outer(a), outer, {
        emit: (effect: unknown) => {
          for (const e of rewrite(effect as MachineEffect, event)) outer.emit(e);
        },
      });
      collect({ ...(args as unknown as Record<string, unknown>), enqueue: inner }, params);
      for (const e of after(event)) outer.emit(e);
    });
  }
  return machine.provide({ actions } as never) as M;
}

const isSend = (e: MachineEffect, type: string): e is SendEffect => e.type === 'send' && (e as SendEffect).msg.type === type;

// ---------------------------------------------------------------------------------------------
// Master mutants (hosted in the runner's process)

/** A master that tells no framework FAILURE: an agent removed, or a custom executor gone, in silence. */
export const masterLosingFailures = (): AnyStateMachine => rewritingEffects(master, (e) => (isSend(e, 'FAILURE') ? [] : [e]));

/**
 * A master that acknowledges each reliable update to the agent as soon as it has it, before the
 * framework has acknowledged it (or even received it: its framework may be away).
 */
export const masterAcknowledgingBeforeDelivery = (): AnyStateMachine =>
  rewritingEffects(
    master,
    (e) => [e],
    ['statusUpdate'],
    (event) => {
      const u = (event as unknown as { update: { framework_id: unknown; uuid?: string; status: TaskStatus } }).update;
      const uuid = u.uuid ?? u.status.uuid;
      if (uuid === undefined || event.from === undefined) return [];
      return [
        {
          type: 'send',
          to: event.from,
          msg: { type: 'STATUS_UPDATE_ACK', agent_id: u.status.agent_id, framework_id: u.framework_id, task_id: u.status.task_id, uuid },
        } as SendEffect,
      ];
    },
  );

/** A master that takes a framework's ACKNOWLEDGE (202) but never passes it on to the agent. */
export const masterDroppingAcknowledgements = (): AnyStateMachine => rewritingEffects(master, (e) => (isSend(e, 'STATUS_UPDATE_ACK') ? [] : [e]), ['acknowledge']);

/** A master that sends every offer twice: the same resources again under another offer id. */
export const masterOfferingTwice = (): AnyStateMachine =>
  rewritingEffects(
    master,
    (e) => {
      if (!isSend(e, 'OFFERS')) return [e];
      const msg = e.msg as unknown as { offers: { offers: { id: { value: string } }[] } };
      const again = msg.offers.offers.map((o) => ({ ...o, id: { value: `${o.id.value}-again` } }));
      return [e, { ...e, msg: { ...msg, type: 'OFFERS', offers: { offers: again } } }];
    },
    ['allocate'],
  );

/**
 * A master that forgets the filters of DECLINE and ACCEPT: the declined resources come back at
 * the next allocation. (It takes each as `refuse_seconds: 0`, no filter; a call without filters
 * gets the 5 s default, so dropping the field would change nothing.)
 */
export const masterForgettingFilters = (): AnyStateMachine => {
  const actions: Record<string, unknown> = {};
  for (const name of ['decline', 'accept']) {
    const { collect } = master.implementations.actions[name] as unknown as Collecting;
    actions[name] = enqueueActions((args, params) => {
      const call = args.event as unknown as Record<string, { filters?: unknown } | undefined>;
      const body = call[name];
      const event = body ? { ...call, [name]: { ...body, filters: { refuse_seconds: 0 } } } : call;
      collect({ ...(args as unknown as Record<string, unknown>), enqueue: args.enqueue as unknown as Enqueue, event }, params);
    });
  }
  return master.provide({ actions } as never);
};

/** A master that forwards agents' updates without their uuid: the framework cannot acknowledge them, so the agent never sends the next. */
export const masterForwardingWithoutUuids = (): AnyStateMachine =>
  rewritingEffects(
    master,
    (e) => {
      if (!isSend(e, 'UPDATE')) return [e];
      const msg = e.msg as unknown as { update: { status: TaskStatus } };
      const { uuid: _dropped, ...status } = msg.update.status;
      return [{ ...e, msg: { ...msg, type: 'UPDATE', update: { ...msg.update, status } } }];
    },
    ['statusUpdate'],
  );

/** A master that answers the calls its gate refuses (400, 403, ...) with 202 Accepted, and still does nothing with them. */
export const masterAcceptingRefusedCalls = (): AnyStateMachine =>
  master.provide({
    actions: {
      answer: emit(({ event }, params: { status: number; message?: string }) =>
        reply((event as { request?: string }).request, params.status >= 400 ? 202 : params.status, params.message),
      ),
    },
  } as never);

// ---------------------------------------------------------------------------------------------
// Agent mutants (an agent process started by test/support/mutant-agent.ts)

/** An agent that, registered again after a restart, resends none of its unacknowledged updates (it only unpauses its streams). */
export const agentNotResendingAfterRestart = (): AnyStateMachine =>
  replaceAction(
    agent,
    'resumeStreams',
    agentAct((tx) => {
      tx.c.paused = false;
    }),
  );

/** The reason REASON_EXECUTOR_TERMINATED replaced in a status (and the same status otherwise). */
const misreason = (s: TaskStatus): TaskStatus => (s.reason === 'REASON_EXECUTOR_TERMINATED' ? { ...s, reason: 'REASON_COMMAND_EXECUTOR_FAILED' } : s);

/** An agent whose updates for the tasks of an executor that terminated say REASON_COMMAND_EXECUTOR_FAILED, not REASON_EXECUTOR_TERMINATED. */
export const agentMisreasoningExecutorTermination = (): AnyStateMachine =>
  replaceAction(
    agent,
    'handleExecutorTerminated',
    agentAct((tx, event) => {
      const e = event as unknown as { framework_id: { value: string }; executor_id: { value: string }; status: number };
      agentExecutors.executorTerminated(tx, e.framework_id.value, e.executor_id.value, e.status);
      // The stream keeps what it resends; the step sends what goes out now.
      for (const tasks of Object.values((tx.c as AgentContext).streams)) for (const stream of Object.values(tasks)) for (const u of stream.pending) u.status = misreason(u.status);
      for (const s of tx.steps) {
        if (s.kind === 'effect' && isSend(s.effect, 'STATUS_UPDATE')) {
          const msg = s.effect.msg as unknown as { update: { status: TaskStatus } };
          msg.update = { ...msg.update, status: misreason(msg.update.status) };
        }
      }
    }),
  );

/** An agent that reports an executor's TASK_FINISHED as TASK_FAILED: a clean exit becomes a failure on the way. */
export const agentFailingFinishedTasks = (): AnyStateMachine => agentHandlingExecutorUpdates((s) => (s.state === 'TASK_FINISHED' ? { ...s, state: 'TASK_FAILED' } : s));

/** An agent that, reregistered, ignores the tasks the master says it has (AGENT_REREGISTERED): one the agent lost is never dropped. */
export const agentNotReconcilingTasks = (): AnyStateMachine => replaceAction(agent, 'reconcileTasks', () => {});

/**
 * An agent that keeps an executor's task among its launched ones once the task is terminal (as
 * well as among the terminated ones, where it belongs): a mutant `mesos-ref mutate` drew. Its
 * frameworks see every update as they should; its GET_TASKS lists the task as launched after it
 * has ended.
 */
export const agentKeepingTerminalTasksLaunched = (): AnyStateMachine =>
  agentHandlingExecutorUpdates(undefined, (tx, { framework, status }) => {
    const id = status.task_id.value;
    for (const ex of Object.values((tx.c as AgentContext).frameworks[framework]?.executors ?? {})) {
      const ended = ex.terminated[id];
      if (ended !== undefined && !(id in ex.launched)) (ex.launched as Record<string, typeof ended>)[id] = ended;
    }
  });

/**
 * An agent whose SHUTDOWN_FRAMEWORK handler has its guard negated (a mutant `mesos-ref mutate`
 * drew): it ignores a framework it runs, and on one it does not know it sets the state of nothing,
 * so the step throws. The cluster drops the event and logs the failed step; only its own report
 * says so.
 */
export const agentCrashingOnUnknownFrameworkShutdown = (): AnyStateMachine =>
  replaceAction(
    agent,
    'shutdownFramework',
    agentAct((tx, event) => {
      const fw = (tx.c as AgentContext).frameworks[(event as unknown as { framework_id: { value: string } }).framework_id.value];
      if (!(!fw || fw.state === 'TERMINATING')) return;
      (fw as unknown as { state: string }).state = 'TERMINATING';
    }),
  );

// ---------------------------------------------------------------------------------------------
// Command executor mutants (an executor process started by test/support/mutant-executor.ts)

/** The command executor reports TASK_RUNNING where TASK_STARTING belongs and TASK_STARTING after it: one task's updates reordered. */
export const executorReorderingUpdates = (): AnyStateMachine =>
  executorReporting('reportStarting', 'TASK_RUNNING').provide({
    actions: { reportRunning: executorReporting('reportRunning', 'TASK_STARTING').implementations.actions!['reportRunning'] },
  } as never);

/** The command executor says nothing when its task exits 0: the agent, seeing it exit, makes the task's terminal update. */
export const executorSilentOnExit = (): AnyStateMachine => replaceAction(executor, 'reportFinished', () => {});

/** The command executor never says TASK_STARTING. */
export const executorSkippingStarting = (): AnyStateMachine => replaceAction(executor, 'reportStarting', () => {});

// ---------------------------------------------------------------------------------------------
// The catalogue

export type Party = 'master' | 'agent' | 'executor';

/**
 * The scenario that kills a mutant: it FAILS against the mutant and passes against the correct
 * cluster (the bar: the suite kills every mutant of the catalogue). `stepTimeoutMs`: how
 * long a step may take, where the scenario waits for a timer longer than a second (the catalogue
 * test's default is short, so that a mutant that loses an event fails soon).
 */
export interface Killer {
  readonly suite: SuiteName;
  readonly scenario: string;
  readonly stepTimeoutMs?: number;
  /** What the failure must say, where a runner check (not a path) is what kills: so no other failure passes for it. */
  readonly reason?: RegExp;
}

/** The suites the catalogue uses: a named configuration's, or the two-sequential-tasks small world's (model/small-worlds.ts). */
export type SuiteName = 'default' | 'declines' | 'custom-executor' | 'two-sequential-tasks' | 'gate';

export interface RuntimeMutant {
  readonly name: string;
  /** Which process hosts the mutated machine. */
  readonly party: Party;
  readonly machine: () => AnyStateMachine;
  readonly bug: string;
  readonly killedBy: Killer;
}

const killed = (suite: SuiteName, scenario: string, stepTimeoutMs?: number): Killer => ({ suite, scenario, ...(stepTimeoutMs ? { stepTimeoutMs } : {}) });

export const RUNTIME_MUTANTS: readonly RuntimeMutant[] = [
  {
    name: 'master-keeping-terminal-resources',
    party: 'master',
    machine: masterKeepingTerminalResources,
    bug: "forgets to release a terminal task's resources",
    // The second offer may wait for the 5 s filter of the first ACCEPT.
    killedBy: killed('two-sequential-tasks', 'situation-taskStatesForward', 8000),
  },
  { name: 'master-offering-twice', party: 'master', machine: masterOfferingTwice, bug: 'offers the same resources twice', killedBy: killed('default', 'state-TASK_RUNNING') },
  {
    name: 'master-dropping-acknowledgements',
    party: 'master',
    machine: masterDroppingAcknowledgements,
    bug: "never passes a framework's acknowledgement on to the agent",
    killedBy: killed('default', 'state-TASK_RUNNING'),
  },
  {
    name: 'master-forwarding-without-uuids',
    party: 'master',
    machine: masterForwardingWithoutUuids,
    bug: 'forwards a reliable update without its uuid',
    killedBy: killed('default', 'state-TASK_RUNNING'),
  },
  {
    name: 'master-inventing-reconciliation-updates',
    party: 'master',
    machine: masterInventingReconciliationUpdates,
    bug: 'answers explicit reconciliation with a reliable TASK_LOST',
    killedBy: killed('default', 'state-TASK_STAGING'),
  },
  {
    name: 'master-launching-running-tasks',
    party: 'master',
    machine: masterLaunchingRunningTasks,
    bug: 'records a launched task as TASK_RUNNING, skipping TASK_STAGING',
    killedBy: killed('default', 'transition-master.leading.RECONCILE-4'),
  },
  {
    name: 'agent-not-resending-after-restart',
    party: 'agent',
    machine: agentNotResendingAfterRestart,
    bug: 'resends no unacknowledged update after an agent restart',
    killedBy: killed('default', 'transition-agent.active.running.STATUS_UPDATE_ACK-0'),
  },
  {
    name: 'agent-failing-finished-tasks',
    party: 'agent',
    machine: agentFailingFinishedTasks,
    bug: 'a clean exit reported as another state (by the agent)',
    killedBy: killed('default', 'transition-causes.EXITED-0'),
  },
  {
    name: 'agent-not-reconciling-tasks',
    party: 'agent',
    machine: agentNotReconcilingTasks,
    bug: 'ignores the tasks the master lists when it reregisters',
    killedBy: killed('default', 'transition-agent.active.running.STATUS_UPDATE_ACK-0'),
  },
  {
    name: 'agent-keeping-terminal-tasks-launched',
    party: 'agent',
    machine: agentKeepingTerminalTasksLaunched,
    bug: 'keeps a terminal task among its launched ones (only its GET_TASKS shows it)',
    killedBy: { suite: 'default', scenario: 'transition-executor.live.ACKNOWLEDGED-0', reason: /operator APIs showed what the model does not allow/ },
  },
  {
    name: 'agent-crashing-on-unknown-framework-shutdown',
    party: 'agent',
    machine: agentCrashingOnUnknownFrameworkShutdown,
    bug: "a step that throws on SHUTDOWN_FRAMEWORK of a framework it does not know (reported only in the agent's log)",
    killedBy: { suite: 'default', scenario: 'transition-agent.active.running.SHUTDOWN_FRAMEWORK-0', reason: /failed check of its own/ },
  },
  {
    name: 'executor-silent-on-exit',
    party: 'executor',
    machine: executorSilentOnExit,
    bug: "says nothing of its task's clean exit",
    killedBy: killed('default', 'transition-causes.EXITED-0'),
  },
  {
    name: 'executor-reporting-clean-exit-as-failed',
    party: 'executor',
    machine: () => executorReporting('reportFinished', 'TASK_FAILED'),
    bug: 'a clean exit reported as another state (by the executor)',
    killedBy: killed('default', 'transition-causes.EXITED-0'),
  },
  {
    name: 'executor-reordering-updates',
    party: 'executor',
    machine: executorReorderingUpdates,
    bug: 'reorders the updates of a task',
    killedBy: killed('default', 'state-TASK_RUNNING'),
  },
  {
    name: 'executor-reusing-uuids',
    party: 'executor',
    machine: executorReusingUuids,
    bug: "sends TASK_RUNNING under TASK_STARTING's uuid",
    killedBy: killed('default', 'state-TASK_RUNNING'),
  },
  {
    name: 'executor-skipping-starting',
    party: 'executor',
    machine: executorSkippingStarting,
    bug: 'never reports TASK_STARTING',
    killedBy: killed('default', 'state-TASK_RUNNING'),
  },
  {
    name: 'master-forgetting-filters',
    party: 'master',
    machine: masterForgettingFilters,
    bug: 'forgets the filter of a DECLINE (and an ACCEPT)',
    // The declined resources come back at the next allocation, 1 s later; the runner times the
    // DECLINE's 5 s filter (impl/conformance/decline-filters.ts). The correct run waits for it.
    killedBy: { ...killed('declines', 'transition-master.leading.FILTER_EXPIRED-0', 8000), reason: /declined resources again .* filter \(refuse_seconds\)/ },
  },
  {
    name: 'master-acknowledging-before-delivery',
    party: 'master',
    machine: masterAcknowledgingBeforeDelivery,
    bug: 'acknowledges an update to the agent before the framework did',
    // The runner holds its ACKNOWLEDGE of TASK_STARTING (impl/conformance/held-acks.ts); the
    // agent, acknowledged early, sends TASK_RUNNING meanwhile.
    killedBy: { ...killed('default', 'state-TASK_RUNNING'), reason: /into withholding its ACKNOWLEDGE/ },
  },
  {
    name: 'agent-restamping-executor-updates',
    party: 'agent',
    machine: agentRestampingExecutorUpdates,
    bug: "forwards an executor's update under a uuid of its own",
    // The runner's custom executor names the uuid it made in each update's data
    // (impl/conformance/executor-uuids.ts).
    killedBy: { ...killed('custom-executor', 'state-TASK_RUNNING'), reason: /its executor sent it as uuid/ },
  },
  {
    name: 'master-accepting-refused-calls',
    party: 'master',
    machine: masterAcceptingRefusedCalls,
    bug: 'answers a refused call 202',
    // The gate suite's SUPPRESS under a stale stream id: no master accepts it (refusedAlways), the
    // runner presents the stale id and fails the scenario on a 2xx answer.
    killedBy: killed('gate', 'transition-master.leading.SUPPRESS-2'),
  },
  {
    name: 'master-losing-failures',
    party: 'master',
    machine: masterLosingFailures,
    bug: 'loses the FAILURE event',
    killedBy: killed('custom-executor', 'transition-agent.active.running.STATUS_UPDATE_ACK-0'),
  },
  {
    name: 'agent-misreasoning-executor-termination',
    party: 'agent',
    machine: agentMisreasoningExecutorTermination,
    bug: 'a wrong reason on executor termination',
    killedBy: killed('custom-executor', 'transition-agent.active.running.STATUS_UPDATE_ACK-0'),
  },
];

/** The mutant named `name` of `party` (for the entry points); a clear error for a name not in the catalogue. */
export function runtimeMutant(name: string, party: Party): RuntimeMutant {
  const m = RUNTIME_MUTANTS.find((x) => x.name === name);
  if (!m) throw new Error(`no runtime mutant '${name}' (test/support/runtime-mutants.ts lists ${RUNTIME_MUTANTS.map((x) => x.name).join(', ')})`);
  if (m.party !== party) throw new Error(`runtime mutant '${name}' mutates the ${m.party}, not the ${party}`);
  return m;
}
