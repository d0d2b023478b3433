/**
 * Every invariant catches a seeded bug: a mutant of one machine, made with `provide()` here
 * (never in the product), explored until the invariant breaks. Each test asserts the invariant
 * that broke and a bound on the shortest trace, so a checker that stopped finding short traces,
 * or an invariant that stopped biting, fails.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel, readerOf } from '../../model/mesos-model.ts';
import { invariants } from '../../invariants/index.ts';
import { master, masterInternals } from '../../spec/machines/master.ts';
import { configs } from '../../model/configs.ts';
import {
  masterInventingReconciliationUpdates,
  masterKeepingTerminalResources,
  withMaster,
  agentNeverRetryingUpdates,
  negateGuard,
  replaceAction,
  agentAct,
  agentDrainingWithoutReason,
  dropSends,
} from '../support/mutants.ts';
import { agent } from '../../spec/machines/agent.ts';
import { answer, scheduler, type SchedulerContext, type SchedulerEventIn } from '../../spec/machines/scheduler.ts';
import { send } from '../../spec/machines/effects.ts';
import { enqueueActions } from 'xstate';
import {
  acknowledgeUpdate,
  executorStatusUpdate,
  executorTerminated,
  statusUpdate as agentStatusUpdate,
  subscribe as executorSubscribed,
} from '../../spec/machines/agent/executors.ts';
import type { TaskStatus } from '../../spec/protocol/common.ts';
import { deactivateAgent, markGone } from '../../spec/machines/master/operator.ts';
import { tasksOnAgent } from '../../spec/machines/master/context.ts';
import { executorOfTask } from '../../spec/machines/agent/tx.ts';
import * as allocator from '../../spec/allocator/index.ts';
import { executor } from '../../spec/machines/executor.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { ONE_TASK, TWO_SEQUENTIAL_TASKS } from '../../model/small-worlds.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';

const { handler, accept, allocate, statusUpdate, reregisterAgent, acknowledge, subscribe, registerAgent } = masterInternals;

/** The one-task world, with what a test changes in it. */
const one = (over: Partial<MesosConfig> = {}): MesosConfig => ({ ...ONE_TASK, ...over });

function violation(config: MesosConfig, machines: MachineOverrides, invariant: string, por = false) {
  const world = mesosWorld(config, machines);
  const model = mesosModel(world, { only: [invariant] });
  // An invariant memoised on the words it `reads` must answer as the invariant itself does on
  // every state, violating ones included: a word missing from `reads` would hide violations.
  const inv = invariants.find((i) => i.name === invariant)!;
  const prop = model.properties[0]!;
  let compared = 0;
  const onState =
    inv.reads && prop.kind !== 'sometimes' && 'explain' in prop
      ? (s: Int32Array) => {
          const memoised = prop.holds(s) ? null : prop.explain!(s);
          assert.is(memoised, inv.world!(readerOf(world, s)), `${invariant}: the memoised verdict differs from the invariant's`);
          compared++;
        }
      : undefined;
  const r = explore(model, { maxStates: 500_000, por, ...(onState ? { onState } : {}) });
  const v = r.verdicts.find((x) => x.name === invariant)!;
  if (onState) assert.ok(compared > 0);
  return { r, v, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

function caught(invariant: string, config: MesosConfig, machines: MachineOverrides, maxSteps: number) {
  test(`${invariant} catches its mutant within ${maxSteps} steps`, () => {
    const { v, steps } = violation(config, machines, invariant);
    assert.is(v.status, 'violated', `${invariant} was not violated by its mutant`);
    assert.ok(steps > 0 && steps <= maxSteps, `${invariant}: shortest trace ${steps} steps, expected at most ${maxSteps}`);
    // Partial-order reduction (--por) keeps the verdict.
    assert.is(violation(config, machines, invariant, true).v.status, 'violated', `${invariant} was not violated by its mutant with --por`);
    // The unmutated machines keep the invariant on the same configuration.
    const clean = violation(config, {}, invariant);
    assert.ok(clean.v.status === 'holds' || clean.v.status === 'reachable', `${invariant} fails without the mutant: ${clean.v.status}`);
  });
}

// The master's allocator forgets what is allocated: the agent's whole total is offered again.
caught(
  'noOverAllocation',
  TWO_SEQUENTIAL_TASKS,
  {
    master: withMaster({
      allocate: handler((tx) => {
        tx.allocator((a) => ({ ...a, agents: a.agents.map((ag) => ({ ...ag, available: ag.total })) }));
        allocate(tx);
      }),
    }),
  },
  26,
);

// The master offers every allocation twice, under two ids.
caught(
  'offersDisjoint',
  one(),
  {
    master: withMaster({
      allocate: handler((tx, e) => {
        allocate(tx);
        for (const [, o] of Object.entries(tx.c.offers)) {
          const id = `${tx.c.id}-O${tx.c.fresh.offer}`;
          tx.bump('offer');
          tx.setOffer(id, { ...o, id });
        }
        void e;
      }),
    }),
  },
  6,
);

// The master never gives a terminal task's resources back to the allocator.
caught('conservation', one(), { master: masterKeepingTerminalResources() }, 22);

// The master records the initial state again after a later one.
caught(
  'taskStatesForward',
  one(),
  {
    master: withMaster({
      statusUpdate: handler((tx, e) => {
        statusUpdate(tx, e as never);
        for (const [fid, f] of Object.entries(tx.c.frameworks)) {
          for (const [tid, r] of Object.entries(f.tasks)) {
            const statuses = [...(r.task.statuses ?? []), { task_id: r.task.task_id, state: 'TASK_STAGING' as const }];
            tx.setFramework(fid, { ...f, tasks: { ...f.tasks, [tid]: { ...r, task: { ...r.task, statuses } } } });
          }
        }
      }),
    }),
  },
  16,
);

// The master forwards every status update to every connected framework.
caught(
  'frameworkIsolation',
  one({
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [
      { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 'a1', resources: 'cpus:1;mem:128', outcome: 'finish' }] },
      { name: 'fw-b', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 'b1', resources: 'cpus:1;mem:128', outcome: 'finish' }] },
    ],
  }),
  {
    master: withMaster({
      statusUpdate: handler((tx, e) => {
        statusUpdate(tx, e as never);
        const u = (e as { update: { status: unknown; framework_id: { value: string } } }).update;
        for (const [fid, f] of Object.entries(tx.c.frameworks)) if (fid !== u.framework_id.value) tx.send(f.connection, { type: 'UPDATE', update: { status: u.status } });
      }),
    }),
  },
  20,
);

// The executor reports RUNNING before STARTING.
caught(
  'updatesInOrder',
  one(),
  {
    executor: executor.provide({
      actions: { reportStarting: executor.implementations.actions.reportRunning, reportRunning: executor.implementations.actions.reportStarting },
    } as never),
  },
  18,
);

// The master acknowledges an update to the agent as soon as it forwards it.
caught(
  'acknowledgedAfterDelivery',
  one(),
  {
    master: withMaster({
      statusUpdate: handler((tx, e) => {
        statusUpdate(tx, e as never);
        const m = e as { from: string; update: { framework_id: { value: string }; status: { task_id: { value: string }; agent_id?: { value: string } }; uuid?: string } };
        const aid = Object.keys(tx.c.agents).find((k) => tx.c.agents[k]!.address === m.from);
        if (m.update.uuid && aid)
          tx.send(m.from, { type: 'STATUS_UPDATE_ACK', agent_id: { value: aid }, framework_id: m.update.framework_id, task_id: m.update.status.task_id, uuid: m.update.uuid });
      }),
    }),
  },
  14,
);

// The master stamps a uuid on its own (reconciliation) updates.
caught(
  'noneInvented',
  one({
    frameworks: [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: true,
        failoverTimeoutSeconds: 60,
        reconcile: 'explicit',
        tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'finish' }],
      },
    ],
    faults: { ...NO_FAULTS, frameworkFailover: 1 },
  }),
  { master: masterInventingReconciliationUpdates() },
  20,
);

// The master hands out one offer id twice in one allocation (two agents).
caught(
  'offerIdsUsedOnce',
  one({ agents: [{ resources: 'cpus:2;mem:1024', count: 2 }] }),
  {
    master: withMaster({
      allocate: handler((tx, e) => {
        const fresh = tx.c.fresh;
        allocate(tx);
        // Every offer of this run went out under the first id.
        const first = `${tx.c.id}-O${fresh.offer}`;
        tx.steps.forEach((s, i) => {
          if (s.kind !== 'effect' || s.effect.type !== 'send') return;
          const msg = s.effect.msg as { type: string; offers?: { offers: { id: { value: string } }[] } };
          if (msg.type !== 'OFFERS') return;
          const offers = msg.offers!.offers.map((o) => ({ ...o, id: { value: first } }));
          tx.steps[i] = { kind: 'effect', effect: { ...s.effect, msg: { type: 'OFFERS', offers: { offers } } as { type: string } } };
        });
        void e;
      }),
    }),
  },
  8,
);

// The agent never retries an unacknowledged update: one lost update stays lost.
caught(
  'deliveredAtQuiescence',
  one({ faults: { ...NO_FAULTS, loss: 1 } }),
  {
    agent: agentNeverRetryingUpdates(),
  },
  22,
);

// The master books a task but never tells the agent to run it.
caught(
  'agreeAtQuiescence',
  one(),
  {
    master: withMaster({
      accept: handler((tx, e) => {
        accept(tx, e as never);
        dropSends(tx.steps, 'RUN_TASK');
      }),
    }),
  },
  10,
);

// The master's reconciliation list on AGENT_REREGISTERED lacks the FrameworkInfo (defect 4 of
// issue 13): an agent that lost the task answers TASK_LOST, not TASK_DROPPED.
caught(
  'partitionAwareNeverLost',
  one({ faults: { ...NO_FAULTS, agentCrash: 1 } }),
  {
    master: withMaster({
      reregisterAgent: handler((tx, e) => {
        reregisterAgent(tx, e as never);
        tx.steps.forEach((s, i) => {
          if (s.kind !== 'effect' || s.effect.type !== 'send') return;
          const msg = s.effect.msg as { type: string; reconciliations?: { framework?: unknown }[] };
          if (msg.type !== 'AGENT_REREGISTERED' || !msg.reconciliations) return;
          const reconciliations = msg.reconciliations.map(({ framework: _dropped, ...r }) => r);
          tx.steps[i] = { kind: 'effect', effect: { ...s.effect, msg: { ...msg, reconciliations } as { type: string } } };
        });
      }),
    }),
  },
  12,
);

/** One framework that kills its task (which may finish, fail or be killed first). */
const killing = (taskKillingState: boolean) =>
  one({
    frameworks: [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: true,
        taskKillingState,
        failoverTimeoutSeconds: 60,
        tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'any' }],
        kill: ['t1'],
      },
    ],
  });

// The command executor announces kills with TASK_KILLING exactly to the frameworks that did not ask for it.
caught('killingOnlyWhenUnderstood', killing(false), { executor: negateGuard(executor, 'frameworkUnderstandsKilling') }, 27);

// The master recovers a framework from a reregistering agent's report but never tells the
// allocator (a failed-over master learns of fw-a from the agent before fw-a subscribes again).
caught(
  'allocatorKnowsFrameworks',
  one({ faults: { ...NO_FAULTS, masterFailover: 1 } }),
  {
    master: withMaster({
      reregisterAgent: handler((tx, e) => {
        const known = new Set(tx.c.allocator.frameworks.map((f) => f.frameworkId));
        reregisterAgent(tx, e as never);
        for (const f of tx.c.allocator.frameworks) if (!known.has(f.frameworkId)) tx.allocator((a) => allocator.removeFramework(a, f.frameworkId));
      }),
    }),
  },
  18,
);

// The master never forgets a kill it owes: the acknowledgement that removes the task leaves the kill owed.
caught(
  'killsOwedOnlyForHeldTasks',
  killing(true),
  {
    master: withMaster({
      acknowledge: handler((tx, e) => {
        const owed = Object.fromEntries(Object.entries(tx.c.agents).map(([aid, a]) => [aid, a.killed] as const));
        acknowledge(tx, e as never);
        for (const [aid, killed] of Object.entries(owed)) if (killed && tx.c.agents[aid]) tx.setAgent(aid, { ...tx.c.agents[aid], killed });
      }),
    }),
  },
  14,
);

// The agent marks an executor TERMINATED but leaves it connected.
caught(
  'terminatedExecutorsDisconnected',
  one(),
  {
    agent: replaceAction(
      agent,
      'handleExecutorTerminated',
      agentAct((tx, event) => {
        const e = event as unknown as { framework_id: { value: string }; executor_id: { value: string }; status: number };
        const ex = () => tx.c.frameworks[e.framework_id.value]?.executors[e.executor_id.value];
        const was = ex()?.connected;
        executorTerminated(tx, e.framework_id.value, e.executor_id.value, e.status);
        const after = ex();
        if (after && was) after.connected = true;
      }),
    ),
  },
  18,
);

// The agent books the tasks it launches onto a subscribed executor as TASK_STARTING, not TASK_STAGING
// (a replaced state of the last mutation sample): before the executor says anything.
caught(
  'agentTaskStatesLatest',
  one(),
  {
    agent: replaceAction(
      agent,
      'subscribeExecutor',
      agentAct((tx, event) => {
        const e = event as unknown as { framework_id: { value: string }; executor_id: { value: string }; subscribe?: object };
        executorSubscribed(tx, e.framework_id.value, e.executor_id.value, e.subscribe ?? {});
        const ex = tx.c.frameworks[e.framework_id.value]?.executors[e.executor_id.value];
        for (const [tid, r] of Object.entries(ex?.launched ?? {})) if (r.state === 'TASK_STAGING') ex!.launched[tid] = { ...r, state: 'TASK_STARTING' };
      }),
    ),
  },
  12,
);

// The polite scheduler never declines what it does not use (its DECLINE condition turned round, a
// survivor of the last sample). Two polite frameworks share an agent; the second's task needs all of
// it, so while the first's task runs it is offered what is left, which it must decline.
const declining: MesosConfig = {
  ...ONE_TASK,
  name: 'polite-declines',
  frameworks: [ONE_TASK.frameworks[0]!, { ...ONE_TASK.frameworks[0]!, name: 'fw-b', tasks: [{ id: 'b1', resources: 'cpus:2;mem:128', outcome: 'finish' }] }],
};
caught(
  'politeFrameworksHoldNoOffers',
  declining,
  {
    scheduler: replaceAction(
      scheduler,
      'answerOffers',
      enqueueActions(({ context, event, enqueue }) => {
        const c = context as SchedulerContext;
        const e = event as SchedulerEventIn;
        if (e.type !== 'OFFERS') return;
        const { calls, launched } = answer(c, e.offers.offers ?? []);
        for (const x of calls) if (x.type !== 'DECLINE') enqueue.emit(send(c.master, c.stream_id === undefined ? x : { ...x, stream_id: c.stream_id }) as never);
        enqueue.assign({ launched } as never);
      }),
    ),
  },
  40,
);

// The master marks an agent unreachable without telling its tasks' frameworks (the sampled
// survivor that deleted the TASK_UNREACHABLE send): the framework still thinks its task runs.
// (unregister-crash: the restarted agent, recovering, misses the master's reregistration timeout;
// since an agent that unregisters exits only after its UNREGISTER_AGENT is on its way, the
// unregister configuration no longer leaves its agent to that timeout.)
caught(
  'frameworksLearnTaskStates',
  configs['unregister-crash']!,
  {
    master: withMaster({
      markUnreachable: handler<{ type: 'REREGISTER_TIMEOUT'; agent_id: string }>((tx, e) => {
        masterInternals.markUnreachable(tx, e.agent_id);
        dropSends(tx.steps, 'UPDATE');
      }),
    }),
  },
  30,
);

// The master tells the framework its executor exited but keeps the executor in its books (and its
// resources allocated): the agent no longer runs it.
caught(
  'executorBooksAgree',
  configs['custom-executor']!,
  {
    master: withMaster({
      executorExited: handler<{ type: 'EXECUTOR_EXITED'; agent_id: { value: string }; framework_id: { value: string }; executor_id: { value: string }; status: number }>(
        (tx, e) => {
          const f = tx.c.frameworks[e.framework_id.value];
          if (f?.executors?.[e.agent_id.value]?.[e.executor_id.value] === undefined) return;
          tx.send(f.connection, { type: 'FAILURE', failure: { agent_id: e.agent_id, executor_id: e.executor_id, status: e.status } });
        },
      ),
    }),
  },
  40,
);

// A drain's end with mark_gone turned round (the negated condition of this stop's sample): the agent
// of a drain that asked to be marked gone rests DRAINED, one that did not is taken away. Done after the
// steps that remove a task (before the master's own check, which then finds nothing DRAINING).
const drainEndedBackwards = (tx: Parameters<Parameters<typeof handler>[0]>[0]) => {
  for (const [aid, info] of Object.entries(tx.c.registry.draining ?? {})) {
    const a = tx.c.agents[aid];
    if (info.state !== 'DRAINING' || !a || a.recovered || a.address === null || tasksOnAgent(tx.c, aid).length > 0) continue;
    if (info.config.mark_gone !== true) markGone(tx, aid);
    else tx.registry((r) => ({ ...r, draining: { ...r.draining, [aid]: { ...info, state: 'DRAINED' } } }));
  }
};
caught(
  'drainedAsAsked',
  configs.drain!,
  {
    master: withMaster({
      acknowledge: handler((tx, e) => {
        acknowledge(tx, e as never);
        drainEndedBackwards(tx);
      }),
      statusUpdate: handler((tx, e) => {
        statusUpdate(tx, e as never);
        drainEndedBackwards(tx);
      }),
    }),
  },
  30,
);

// The agent keeps a framework record after its last executor is gone (removeFrameworkIfIdle deleted):
// the acknowledgement of the last terminal update removes the executor, and the framework stays.
caught(
  'agentFrameworksHaveExecutors',
  one(),
  {
    agent: replaceAction(
      agent,
      'acknowledgeUpdate',
      agentAct((tx, event) => {
        const e = event as unknown as { framework_id: { value: string }; task_id: { value: string }; uuid: string };
        const kept = tx.c.frameworks[e.framework_id.value];
        acknowledgeUpdate(tx, e.framework_id.value, e.task_id.value, e.uuid);
        if (kept && !tx.c.frameworks[e.framework_id.value]) tx.c.frameworks[e.framework_id.value] = { ...kept, executors: {} };
      }),
    ),
  },
  30,
);

// The agent removes its last framework but keeps its drain (updateDrainStatus deleted, a survivor
// of this stop's final sample).
caught(
  'agentsDrainWhileFrameworksStay',
  configs['operator-drain']!,
  {
    agent: replaceAction(
      agent,
      'acknowledgeUpdate',
      agentAct((tx, event) => {
        const e = event as unknown as { framework_id: { value: string }; task_id: { value: string }; uuid: string };
        const drain = tx.c.drain;
        acknowledgeUpdate(tx, e.framework_id.value, e.task_id.value, e.uuid);
        if (drain !== undefined && tx.c.drain === undefined) tx.c.drain = drain;
      }),
    ),
  },
  40,
);

// The master takes back the offers of an agent the operator deactivates, without a RESCIND:
// the general framework still holds an offer the master no longer has.
caught(
  'heldOffersOutstanding',
  configs.operators!,
  {
    master: withMaster({
      operatorDeactivateAgent: handler((tx, e) => {
        deactivateAgent(tx, e as never);
        dropSends(tx.steps, 'RESCIND');
      }),
    }),
  },
  8,
);

// The master persists an agent's admission but keeps its old copy of the registry (Tx.registry
// writing without applying): it holds an agent its own registry never admitted.
caught(
  'agentsAdmitted',
  one(),
  {
    master: withMaster({
      registerAgent: handler((tx, e) => {
        const kept = tx.c.registry;
        registerAgent(tx, e as never);
        tx.c = { ...tx.c, registry: kept };
      }),
    }),
  },
  2,
);

// The master does not send a draining agent its drain again when it reregisters: the AGENT_DRAIN
// the crashed agent missed is never repeated, and the drain stalls with the task running.
caught('drainsEnd', configs['drain-crash']!, { master: replaceAction(master, 'resumeDrain', () => {}) }, 32);

// The agent never lets go of a terminated task once its last update is acknowledged (the
// `delete ex.terminated[task]` of acknowledgeUpdate gone): its terminated executor lingers.
caught(
  'doneExecutorsRemoved',
  one(),
  {
    agent: replaceAction(
      agent,
      'acknowledgeUpdate',
      agentAct((tx, event) => {
        const e = event as unknown as { framework_id: { value: string }; task_id: { value: string }; uuid: string };
        const [fid, tid] = [e.framework_id.value, e.task_id.value];
        const before = tx.c.frameworks[fid] ? structuredClone(tx.c.frameworks[fid]) : undefined;
        const exId = before ? executorOfTask(before, tid) : null;
        acknowledgeUpdate(tx, fid, tid, e.uuid);
        const kept = exId === null ? undefined : before!.executors[exId]!;
        if (!kept || !(tid in kept.terminated)) return;
        const fw = (tx.c.frameworks[fid] ??= { ...before!, executors: {} });
        const ex = (fw.executors[exId!] ??= kept);
        ex.terminated[tid] = kept.terminated[tid]!;
      }),
    ),
  },
  32,
);

// Not a stall: after a master failover the framework never subscribes again, so its drained
// task's TASK_KILLED is never acknowledged and the drain waits for it, as Mesos's does.
test('drainsEnd lets a drain wait for a framework that never comes back', () => {
  const f = configs['drain-crash']!.frameworks[0]!;
  const config: MesosConfig = {
    ...one({ faults: { ...NO_FAULTS, masterFailover: 1 }, master: { agentPings: false } }),
    frameworks: [{ ...f, tasks: [{ id: 'g1', resources: 'cpus:1;mem:128', outcome: 'finish' }], calls: ['ACCEPT', 'OPERATOR_DRAIN_AGENT_KEEP'], callBudget: 2 }],
  };
  const r = explore(mesosModel(mesosWorld(config), { only: ['drainsEnd'] }), { maxStates: 200_000 });
  assert.is(r.complete, true);
  assert.is(r.verdicts.find((v) => v.name === 'drainsEnd')!.status, 'holds');
});

// The agent kills its tasks on AGENT_DRAIN but keeps no drain: the kill update carries the
// executor's reason instead of REASON_AGENT_DRAINING.
caught('drainKillsSayDraining', configs['drain-crash']!, { agent: agentDrainingWithoutReason() }, 32);

// The master announces heartbeats in SUBSCRIBED and arms the timer, but sends no first HEARTBEAT.
caught(
  'heartbeatFollowsSubscribed',
  configs['heartbeats']!,
  {
    master: withMaster({
      subscribe: handler((tx, e) => {
        subscribe(tx, e as never);
        const first = tx.steps.findIndex((s) => s.kind === 'effect' && s.effect.type === 'send' && s.effect.msg.type === 'HEARTBEAT');
        if (first >= 0) tx.steps.splice(first, 1);
      }),
    }),
  },
  4,
);

// The master announces an interval off by one in its divisor (ms / 1001, a survivor of a mutation sample).
caught(
  'heartbeatFollowsSubscribed',
  configs['heartbeats']!,
  {
    master: withMaster({
      subscribe: handler((tx, e) => {
        subscribe(tx, e as never);
        for (const s of tx.steps) {
          if (s.kind !== 'effect' || s.effect.type !== 'send' || s.effect.msg.type !== 'SUBSCRIBED') continue;
          const msg = s.effect.msg as unknown as { subscribed: object };
          (s as { effect: object }).effect = { ...s.effect, msg: { ...msg, subscribed: { ...msg.subscribed, heartbeat_interval_seconds: tx.c.flags.heartbeatIntervalMs / 1001 } } };
        }
      }),
    }),
  },
  4,
);

// The agent takes an executor's updates into its streams but drops the ACKNOWLEDGED it owes the
// executor (what ackExecutor's negated guard did to every connected executor in the mutation
// sample): no executor ever learns an update was taken, and executorAcknowledged is vacuous.
test('executorAcknowledged is vacuous when the agent never acknowledges its executors', () => {
  const silent = replaceAction(
    agent,
    'handleExecutorUpdate',
    agentAct((tx, event) => {
      const call = event as unknown as { framework_id: { value: string }; update: { status: TaskStatus } };
      agentStatusUpdate(tx, executorStatusUpdate(tx, call.framework_id.value, call.update.status), 'executor');
      dropSends(tx.steps, 'ACKNOWLEDGED');
    }),
  );
  const verdict = (machines: MachineOverrides) =>
    explore(mesosModel(mesosWorld(one(), machines), { only: ['executorAcknowledged'] })).verdicts.find((v) => v.name === 'executorAcknowledged')!.status;
  assert.is(verdict({ agent: silent }), 'vacuous');
  assert.is(verdict({}), 'reachable');
});

test('a configuration in which no task ever ends is reported vacuous', () => {
  const config = one({
    frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'never' }] }],
  });
  const model = mesosModel(mesosWorld(config), { only: ['someTaskFinishes'] });
  const r = explore(model);
  assert.is(r.verdicts.find((v) => v.name === 'someTaskFinishes')!.status, 'vacuous');
  assert.is(r.outcome, 'fail');
});

test.run();
