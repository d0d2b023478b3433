/**
 * The catalogue: every invariant of the model, with its kind. The checker turns each into a
 * property; the runtime's monitors evaluate the ones that read only the master.
 */
import { conservation, noOverAllocation, offersDisjoint } from './allocation.ts';
import { acknowledgedAfterDelivery, agreeAtQuiescence, deliveredAtQuiescence, noneInvented, updatesInOrder } from './delivery.ts';
import { answeredCall, repliesSayWhy } from './answers.ts';
import { executorCallsAnswered } from './agent-answers.ts';
import { reconciliationAnswered } from './reconciliation.ts';
import { executorMessagesForwarded, messagesDelivered, messagesForwarded, shutdownsForwarded } from './messages.ts';
import { subscriptionsJudged } from './subscriptions.ts';
import { heldOffersOutstanding, offerIdsUsedOnce, offersOnlyOnConnectedAgents, offersRenderedForCapability, offersTimeOut, politeFrameworksHoldNoOffers } from './offers.ts';
import { reservedOnlyToRole } from './reservations.ts';
import { quotaLimitsHeld, quotasPersisted } from './quota.ts';
import { checkpointedResourcesAgree, someVolumeCreated, someVolumeCreatedApplies, volumesOfferedOnlyFree, reregistrationsReportResources } from './volumes.ts';
import { goneAgentsHostNothing } from './gone.ts';
import { agentsAdmitted, registryForgetsLeftAgents } from './registry.ts';
import {
  agentsDrainWhileFrameworksStay,
  drainedAsAsked,
  drainKillsSayDraining,
  drainKillsSayDrainingApplies,
  drainsEnd,
  drainsRecordedAsAsked,
  drainStatusesAsAsked,
} from './drains.ts';
import { failoverTimersOfDisconnected, frameworksRemovedWhenDue } from './failover-timers.ts';
import { filtersExpire, filtersTimed } from './filters.ts';
import { operationsAnswered } from './operation-feedback.ts';
import { frameworkChangesToldToAgents } from './framework-updates.ts';
import { pendingUpdatesResent } from './update-resends.ts';
import { revivesAndSuppressionsAsAsked } from './revive-suppress.ts';
import { conversionsJudged } from './conversions.ts';
import { invalidOffersReturned, launchesJudged, launchExecutorAsBooked } from './launches.ts';
import { reregistrationsAnswered } from './reregistrations.ts';
import { agentRegistrationsCounted, agentRemovalsCounted, messagesCounted } from './metrics.ts';
import { weightsApplied, weightsRescindOffers } from './weights.ts';
import {
  heartbeatFollowsSubscribed,
  heartbeatsWhileSubscribed,
  pingsAnswered,
  pingsSayConnected,
  pingsSent,
  pingTimeoutsCounted,
  pingsWhileRegistered,
  pongCounted,
} from './heartbeats.ts';
import { awayAgentsTimed, removalPermitsTimed, tasksOnKnownAgents, unreachableTasksOffRegisteredAgents, unregisteredAgentsRemoved } from './removal.ts';
import { commandExecutorsDescribed, tasksDescribedAlike } from './task-descriptions.ts';
import { commandExitsReported } from './command-exits.ts';
import { partitionAwareNeverLost } from './partition-aware.ts';
import { agentsAuthenticated, agentsRecordedAsThemselves, onlyOwnersUpdate } from './impersonation.ts';
import { someTaskFinishes } from './reachability.ts';
import {
  executorFails,
  executorFailsApplies,
  executorFinishes,
  executorFinishesApplies,
  registrationTimesOut,
  registrationTimesOutApplies,
  executorKills,
  executorKillsApplies,
  faultFreeOutcomes,
  faultFreeLaunches,
  outcomeFidelity,
  reasonsAndSources,
} from './outcomes.ts';
import { executorAcksNameSentUpdates, updateIdentity } from './identity.ts';
import { frameworkIsolation, frameworksLearnTaskStates, taskStatesForward } from './tasks.ts';
import { killingOnlyWhenUnderstood } from './killing-state.ts';
import { agentsOfferedAsBooked, allocatorKnowsFrameworks, killsOwedOnlyForHeldTasks } from './books.ts';
import {
  agentFrameworksHaveExecutors,
  agentTaskStatesLatest,
  doneExecutorsRemoved,
  executorAcknowledged,
  executorAcknowledgedApplies,
  shutdownsObeyed,
  killsOfUnknownTasksDropped,
  shutdownsTold,
  runningExecutorsHoldNoQueue,
  taskEndsCounted,
  terminatedExecutorsDisconnected,
} from './agent-executors.ts';
import { executorBooksAgree, executorEndsReported, exitedExecutorForwarded, launchedGroupsDistinct, taskGroupAllOrNothing } from './executors.ts';
import { everyExecutor, type MesosLayout } from '../spec/world/mesos.ts';
import { noAgentAdmittedByDeposed, registryWritesByLeader } from './leadership.ts';
import type { ElectionContext } from '../spec/world/election.ts';
import { CAUSES } from '../spec/world/causes.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { AgentContext } from '../spec/machines/agent.ts';
import type { AnyEventObject, StateValue } from 'xstate';
import type { Emitted, Invariant, WorldReader } from './world.ts';
import type { Timer } from '../spec/step.ts';
import { masterReasonsNameTheirEvent } from './master-reasons.ts';
import { latestStateForwarded, updatesOnlyWhileRegistered } from './latest-state.ts';
import { taskLeavesCounted } from './task-ends.ts';
import { taskStatusesAppended } from './task-statuses.ts';
import { uncheckpointedTasksLostOnDisconnect } from './agent-disconnects.ts';

export type { Emitted, Invariant, WorldReader } from './world.ts';

const toFrameworks = (l: MesosLayout) => l.frameworks.map((f) => [l.master, f] as const);
/** An invariant of the election service's state. */
const ofElection = (f: (z: ElectionContext) => string | null) => (w: WorldReader) => {
  const z = w.election?.() ?? null;
  return z === null ? null : f(z);
};
const electionReads = (l: MesosLayout) => ({ components: l.election !== undefined ? [l.election] : [], channels: [] });

export const invariants: readonly Invariant[] = [
  { name: 'noOverAllocation', kind: 'always', master: noOverAllocation, description: 'no agent runs more than it has: its live tasks fit, disjointly, in its total' },
  { name: 'offersDisjoint', kind: 'always', master: offersDisjoint, description: 'no resource is in two outstanding offers, or in an offer and a live task' },
  { name: 'conservation', kind: 'always', master: conservation, description: "per agent, total = free + offered + allocated, and the allocator agrees with the master's books" },
  { name: 'reservedOnlyToRole', kind: 'always', master: reservedOnlyToRole, description: 'reserved resources are offered to, and used by, only their role and the roles below it' },
  { name: 'quotaLimitsHeld', kind: 'always', master: quotaLimitsHeld, description: "no offer takes a role's consumed quota beyond its quota limit" },
  {
    name: 'quotasPersisted',
    kind: 'always',
    master: quotasPersisted,
    description: 'the registry holds a quota for exactly the roles the allocator enforces one for: a cleared quota leaves both',
  },
  {
    name: 'weightsApplied',
    kind: 'always',
    master: weightsApplied,
    description: 'every role weighs in the allocator what the registry says, else what --weights says, else 1',
  },
  {
    name: 'volumesOfferedOnlyFree',
    kind: 'always',
    master: volumesOfferedOnlyFree,
    description: 'a persistent volume is offered only to its role, and never while a live task uses it',
  },
  { name: 'goneAgentsHostNothing', kind: 'always', master: goneAgentsHostNothing, description: 'an agent marked gone never hosts a task, an offer or a record again' },
  { name: 'agentsAdmitted', kind: 'always', master: agentsAdmitted, description: 'every agent the master holds is admitted in its registry and not recorded unreachable' },
  {
    name: 'registryForgetsLeftAgents',
    kind: 'always',
    master: registryForgetsLeftAgents,
    description: 'the registry keeps reservations, a deactivation or a drain only for an agent that may come back (admitted or unreachable)',
  },
  {
    name: 'tasksOnKnownAgents',
    kind: 'always',
    master: tasksOnKnownAgents,
    description: 'a live task at the master is on an agent it has: a removed (unregistered, unreachable, gone) agent takes its tasks along',
  },
  {
    name: 'unreachableTasksOffRegisteredAgents',
    kind: 'always',
    master: unreachableTasksOffRegisteredAgents,
    description: 'no framework holds a task as unreachable on an agent the master has registered: a returning agent brings its tasks back or erases them',
  },
  {
    name: 'tasksDescribedAlike',
    kind: 'always',
    world: tasksDescribedAlike,
    reads: (l) => ({ components: [l.master, ...l.agents], channels: [] }),
    description:
      "a task booked on an agent the master is connected to is described as that agent's TaskInfo describes it: name, labels, discovery, container, health check, kill policy, limits",
  },
  {
    name: 'commandExecutorsDescribed',
    kind: 'always',
    world: commandExecutorsDescribed,
    reads: (l) => ({ components: l.agents, channels: [] }),
    description:
      "a command executor is given its task's command URIs, environment and user, its labels, discovery info and container, and its id as source (Slave::getExecutorInfo)",
  },
  {
    name: 'taskStatesForward',
    kind: 'always',
    master: taskStatesForward,
    description: 'task states only move forward; terminal is absorbing (back from UNREACHABLE/LOST only by reregistration)',
  },
  {
    name: 'frameworkIsolation',
    kind: 'always',
    world: frameworkIsolation,
    reads: (l) => ({ components: [l.master, ...l.frameworks], channels: toFrameworks(l) }),
    description: 'a framework sees and controls only its own tasks and offers',
  },
  {
    name: 'updatesInOrder',
    kind: 'always',
    world: updatesInOrder,
    reads: (l) => ({ components: l.frameworks, channels: toFrameworks(l) }),
    description: 'reliable status updates reach a framework in order per task',
  },
  {
    name: 'acknowledgedAfterDelivery',
    kind: 'always',
    world: acknowledgedAfterDelivery,
    reads: (l) => ({
      components: [l.master, ...l.frameworks, ...l.agents],
      channels: [...l.frameworks.map((f) => [f, l.master] as const), ...l.agents.map((a) => [l.master, a] as const)],
    }),
    description: 'no status update is acknowledged before it was delivered',
  },
  {
    name: 'noneInvented',
    kind: 'always',
    world: noneInvented,
    reads: (l) => ({ components: [], channels: toFrameworks(l) }),
    description: 'only agents and executors make reliable (uuid) updates; the master never does',
  },
  {
    name: 'offerIdsUsedOnce',
    kind: 'always',
    world: offerIdsUsedOnce,
    reads: (l) => ({ components: [l.master], channels: toFrameworks(l) }),
    description: 'an offer id names one offer and is used at most once',
  },
  {
    name: 'offersRenderedForCapability',
    kind: 'always',
    world: offersRenderedForCapability,
    reads: (l) => ({ components: [l.master], channels: toFrameworks(l) }),
    description:
      'an offer on its way names its role in allocation_info, on itself and each resource, exactly when its framework has MULTI_ROLE, and the agent and framework it is booked for',
  },
  {
    name: 'heldOffersOutstanding',
    kind: 'always',
    world: heldOffersOutstanding,
    reads: (l) => ({ components: [l.master, ...l.frameworks], channels: l.frameworks.map((f) => [l.master, f] as const) }),
    description: 'an offer a most general framework holds is outstanding at the master, or its RESCIND is on the way',
  },
  {
    name: 'offersOnlyOnConnectedAgents',
    kind: 'always',
    world: offersOnlyOnConnectedAgents,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: 'every offer the master holds is on an agent it holds connected and active (a broken link or a deactivation rescinds the rest)',
  },
  {
    name: 'partitionAwareNeverLost',
    kind: 'always',
    world: partitionAwareNeverLost,
    reads: (l) => ({ components: [...l.frameworks, CAUSES], channels: toFrameworks(l) }),
    description: 'a partition-aware framework never receives TASK_LOST',
  },
  {
    name: 'onlyOwnersUpdate',
    kind: 'always',
    world: onlyOwnersUpdate,
    reads: (l) => ({ components: l.agents, channels: [] }),
    description: 'no status update is accepted except from the executor that owns the task (none the intruder forged)',
  },
  {
    name: 'agentsRecordedAsThemselves',
    kind: 'always',
    world: agentsRecordedAsThemselves,
    reads: (l) => ({ components: [l.master, ...l.agents], channels: [] }),
    description: "no agent's recorded resources change except by that agent's own registration, over its own connection",
  },
  { name: 'agentsAuthenticated', kind: 'always', master: agentsAuthenticated, description: 'with --authenticate_agents, every admitted agent was admitted with a principal' },
  {
    name: 'killingOnlyWhenUnderstood',
    kind: 'always',
    world: killingOnlyWhenUnderstood,
    reads: (l) => ({ components: l.frameworks, channels: toFrameworks(l) }),
    description: 'a framework without the TASK_KILLING_STATE capability never receives TASK_KILLING',
  },
  {
    name: 'allocatorKnowsFrameworks',
    kind: 'always',
    master: allocatorKnowsFrameworks,
    description: "the allocator tracks exactly the master's frameworks, active exactly while connected",
  },
  {
    name: 'agentsOfferedAsBooked',
    kind: 'always',
    master: agentsOfferedAsBooked,
    description: 'the allocator offers an agent exactly while the master has it connected and no disconnection, DEACTIVATE_AGENT or drain deactivated it',
  },
  {
    name: 'killsOwedOnlyForHeldTasks',
    kind: 'always',
    master: killsOwedOnlyForHeldTasks,
    description: 'a kill the master owes an agent names a task it still holds on that agent',
  },
  {
    name: 'terminatedExecutorsDisconnected',
    kind: 'always',
    world: terminatedExecutorsDisconnected,
    reads: (l) => ({ components: l.agents, channels: [] }),
    description: 'an executor the agent has seen terminate is not connected',
  },
  {
    name: 'agentFrameworksHaveExecutors',
    kind: 'always',
    world: agentFrameworksHaveExecutors,
    reads: (l) => ({ components: l.agents, channels: [] }),
    description: 'an agent keeps a framework only while an executor of it is there',
  },
  {
    name: 'agentTaskStatesLatest',
    kind: 'always',
    world: agentTaskStatesLatest,
    reads: (l) => ({ components: l.agents, channels: [] }),
    description: 'a task an agent runs is in the state of the latest update the agent took for it, or STAGING before any',
  },
  {
    name: 'doneExecutorsRemoved',
    kind: 'eventually',
    world: doneExecutorsRemoved,
    reads: (l) => ({ components: l.agents, channels: [] }),
    description: 'at quiescence an agent keeps a terminated executor only while an update of its tasks awaits acknowledgement',
  },
  {
    name: 'deliveredAtQuiescence',
    kind: 'eventually',
    world: deliveredAtQuiescence,
    description: 'at quiescence every reliable update of a live framework was delivered and acknowledged',
  },
  { name: 'agreeAtQuiescence', kind: 'eventually', world: agreeAtQuiescence, description: 'at quiescence the master and every registered agent agree on every task' },
  {
    name: 'frameworksLearnTaskStates',
    kind: 'eventually',
    world: frameworksLearnTaskStates,
    description: 'at quiescence, in a run that lost no message, every subscribed framework last saw each task the master books for it in the state the master reports',
  },
  {
    name: 'politeFrameworksHoldNoOffers',
    kind: 'eventually',
    world: politeFrameworksHoldNoOffers,
    description: 'at quiescence no offer of a polite scheduler is outstanding: it uses or declines each offer at once',
  },
  {
    name: 'checkpointedResourcesAgree',
    kind: 'eventually',
    world: checkpointedResourcesAgree,
    description: "at quiescence every agent the master is connected to has checkpointed the reservations and volumes of the master's books",
  },
  {
    name: 'heartbeatFollowsSubscribed',
    kind: 'always',
    world: heartbeatFollowsSubscribed,
    reads: (l) => ({ components: [l.master], channels: toFrameworks(l) }),
    description: "a SUBSCRIBED announces the master's heartbeat interval, and one that announces heartbeats is followed on the stream by the first HEARTBEAT",
  },
  {
    name: 'heartbeatsWhileSubscribed',
    kind: 'always',
    world: heartbeatsWhileSubscribed,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: "the master's next HEARTBEAT to a framework is due exactly while that framework is subscribed (and heartbeats are on)",
  },
  {
    name: 'failoverTimersOfDisconnected',
    kind: 'always',
    world: failoverTimersOfDisconnected,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: "a framework's failover timer runs only while the framework is in the books and disconnected",
  },
  {
    name: 'filtersExpire',
    kind: 'always',
    world: filtersExpire,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: 'every offer filter the allocator holds has its expiry armed at the master: a filter lasts as long as its framework asked',
  },
  {
    name: 'offersTimeOut',
    kind: 'always',
    world: offersTimeOut,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: "with --offer_timeout, the master's offer timeouts are armed for exactly its outstanding offers",
  },
  {
    name: 'awayAgentsTimed',
    kind: 'always',
    world: awayAgentsTimed,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: "every agent the master books as away has its reregistration timeout running, or waits in the removal limiter's line while a permit is due",
  },
  {
    name: 'removalPermitsTimed',
    kind: 'always',
    world: removalPermitsTimed,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: 'the next removal permit is due exactly while the rate limiter is in use (it granted one less than an interval ago)',
  },
  {
    name: 'pingsWhileRegistered',
    kind: 'always',
    world: pingsWhileRegistered,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: "the master's next PING to an agent is due exactly while that agent is registered (and pings are on)",
  },
  {
    name: 'drainsEnd',
    kind: 'eventually',
    world: drainsEnd,
    description: 'at quiescence no agent the master is connected to is still DRAINING: a drain ends, also one begun while its agent was away',
  },
  {
    name: 'drainedAsAsked',
    kind: 'always',
    master: drainedAsAsked,
    description: 'a drain that asked for it ends with its agent marked gone, never resting DRAINED; one that did not never takes the agent away',
  },
  {
    name: 'agentsDrainWhileFrameworksStay',
    kind: 'always',
    world: agentsDrainWhileFrameworksStay,
    reads: (l) => ({ components: l.agents, channels: [] }),
    description: "an agent's drain ends with its last framework: no agent keeps draining with no framework left",
  },
  {
    name: 'drainKillsSayDraining',
    kind: 'always',
    world: drainKillsSayDraining,
    applies: drainKillsSayDrainingApplies,
    reads: (l) => ({ components: [], channels: toFrameworks(l) }),
    description: 'where only drains kill, every TASK_KILLING, TASK_KILLED or TASK_GONE_BY_OPERATOR an agent or executor sends a framework says REASON_AGENT_DRAINING',
  },
  {
    name: 'reasonsAndSources',
    kind: 'always',
    world: reasonsAndSources,
    reads: (l) => ({ components: [], channels: toFrameworks(l) }),
    description: 'every (state, reason, source) sent to a framework is one Mesos sends, in its PARTITION_AWARE form (invariants/outcomes.ts)',
  },
  {
    name: 'updateIdentity',
    kind: 'always',
    world: updateIdentity,
    // Every holder of an update (invariants/identity.ts's sightings). Many words, but few distinct
    // contents: a step mostly moves something else (default: 7.5% of the states are new keys).
    reads: (l) => {
      const slots = everyExecutor(l);
      return {
        components: [...l.frameworks, ...l.agents, ...slots.map((e) => e.slot)],
        channels: [...l.frameworks.map((f) => [l.master, f] as const), ...l.agents.map((a) => [a, l.master] as const), ...slots.map((e) => [e.slot, e.agent] as const)],
      };
    },
    description: 'a uuid names one reliable update, and a replayed or retried update keeps its uuid (never two uuids for one update)',
  },
  {
    name: 'executorAcksNameSentUpdates',
    kind: 'always',
    world: executorAcksNameSentUpdates,
    reads: (l) => {
      const slots = everyExecutor(l);
      return { components: slots.map((e) => e.slot), channels: slots.map((e) => [e.agent, e.slot] as const) };
    },
    description: 'the agent acknowledges to an executor only updates that executor sent',
  },
  {
    name: 'commandExitsReported',
    kind: 'always',
    world: commandExitsReported,
    reads: (l) => ({ components: [], channels: l.executors.map((e) => [e.slot, e.agent] as const) }),
    description:
      "a command executor's terminal update says how its command ended, in Mesos's words: FINISHED an exit with status 0, FAILED another status or a signal it did not send, KILLED either",
  },
  {
    name: 'outcomeFidelity',
    kind: 'eventually',
    world: outcomeFidelity,
    description: "at quiescence the last update a framework learned of each task is one Mesos gives for a cause that task had (its exit, a kill, the run's faults)",
  },
  {
    name: 'faultFreeOutcomes',
    kind: 'eventually',
    world: faultFreeOutcomes,
    description: 'in a run without faults every launched task ends as its exit implies (0: FINISHED, else FAILED; killed: KILLED), by its executor',
  },
  {
    name: 'faultFreeLaunches',
    kind: 'eventually',
    world: faultFreeLaunches,
    description: 'in a run without faults every live polite framework has launched every task it wants by the time the world is at rest (the allocator offers again each interval)',
  },
  {
    name: 'someTaskFinishes',
    kind: 'sometimes',
    world: someTaskFinishes,
    reads: (l) => ({ components: l.frameworks, channels: [] }),
    description: 'some framework learns that one of its tasks finished (else the model is vacuous)',
  },
  {
    name: 'someVolumeCreated',
    kind: 'sometimes',
    world: someVolumeCreated,
    applies: someVolumeCreatedApplies,
    reads: (l) => ({ components: [l.master], channels: [] }),
    description: 'some agent holds a persistent volume (if a framework reserves disk and creates one by ACCEPT)',
  },
  {
    name: 'executorFinishes',
    kind: 'sometimes',
    world: executorFinishes,
    applies: executorFinishesApplies,
    reads: (l) => ({ components: l.frameworks, channels: [] }),
    description: "some framework learns TASK_FINISHED from its task's own executor (if a task may exit 0)",
  },
  {
    name: 'executorFails',
    kind: 'sometimes',
    world: executorFails,
    applies: executorFailsApplies,
    reads: (l) => ({ components: l.frameworks, channels: [] }),
    description: "some framework learns TASK_FAILED from its task's own executor (if a task may exit non-zero)",
  },
  {
    name: 'executorKills',
    kind: 'sometimes',
    world: executorKills,
    applies: executorKillsApplies,
    reads: (l) => ({ components: l.frameworks, channels: [] }),
    description: "some framework learns TASK_KILLED from its task's own executor (if it may kill one)",
  },
  {
    name: 'registrationTimesOut',
    kind: 'sometimes',
    world: registrationTimesOut,
    applies: registrationTimesOutApplies,
    reads: (l) => ({ components: l.frameworks, channels: [] }),
    description: "some framework learns its agent's TASK_FAILED for an executor that never registered (if the registration timer may fire early)",
  },
  {
    name: 'executorAcknowledged',
    kind: 'sometimes',
    world: executorAcknowledged,
    applies: executorAcknowledgedApplies,
    reads: (l) => ({ components: l.executors.map((e) => e.slot), channels: [] }),
    description: 'some command executor has an update acknowledged by its agent (if a polite framework launches a task)',
  },
  {
    name: 'executorEndsReported',
    kind: 'eventually',
    world: executorEndsReported,
    description: 'every custom or default executor that ran and ended reached its subscribed framework as FAILURE, unless a fault that loses FAILURE in Mesos happened',
  },
  {
    name: 'executorBooksAgree',
    kind: 'eventually',
    world: executorBooksAgree,
    description: 'at quiescence the master books on each agent it is connected to exactly the custom and default executors that agent runs',
  },
  {
    name: 'taskGroupAllOrNothing',
    kind: 'always',
    world: taskGroupAllOrNothing,
    // The master's books, the cause record (a master failover excuses it), the schedulers (their framework ids).
    reads: (l) => ({ components: [l.master, CAUSES, ...l.frameworks], channels: [] }),
    description: 'the master knows every task of a task group or none of them (LAUNCH_GROUP is atomic)',
  },
];

/**
 * The invariants of elected masters (invariants/leadership.ts), checked in worlds that elect
 * them (a configuration's `election`): the model adds them there. They have no conformance
 * situation: the runner's cluster cannot fail a ZooKeeper session over at a chosen step
 * (test/zk/failover.test.ts runs the real thing).
 */
export const electionInvariants: readonly Invariant[] = [
  {
    name: 'registryWritesByLeader',
    kind: 'always',
    world: ofElection(registryWritesByLeader),
    reads: electionReads,
    description: 'every committed registry write comes from the master that leads (no two masters act on the registry as leader at once)',
  },
  {
    name: 'noAgentAdmittedByDeposed',
    kind: 'always',
    world: ofElection(noAgentAdmittedByDeposed),
    reads: electionReads,
    description: "no agent is admitted to the registry by a deposed leader's write",
  },
];

/**
 * A property of every step of a machine: what it knew before, the event, what it emitted, what it
 * knows after, the state it was in before, and the timers the step armed. Most judge the master's
 * steps (the default); some judge the agents' (`before` and `after` are then an agent's context),
 * a few every machine's.
 */
type StepJudge<C> = (before: C, event: AnyEventObject, effects: readonly Emitted[], after: C, state: StateValue, armed: readonly Timer[]) => string | null;

export type StepInvariant = {
  readonly name: string;
  readonly description: string;
} & ({ readonly judges?: 'master' | 'every machine'; readonly step: StepJudge<MasterContext> } | { readonly judges: 'agents'; readonly step: StepJudge<AgentContext> });

export const stepInvariants: readonly StepInvariant[] = [
  { name: 'answeredCalls', step: answeredCall, description: 'every call the master receives gets exactly one answer, with the status Mesos gives' },
  {
    name: 'repliesSayWhy',
    judges: 'every machine',
    step: repliesSayWhy,
    description: 'a refused call is answered with the reason (a non-empty message), a successful one with no error text',
  },
  {
    name: 'subscriptionsJudged',
    step: subscriptionsJudged,
    description:
      "a SUBSCRIBE is refused (ERROR) exactly when Mesos refuses it: the FrameworkInfo's roles, id or failover timeout, a removed framework, stray suppressed roles, a changed principal",
  },
  {
    name: 'launchedGroupsDistinct',
    step: launchedGroupsDistinct,
    description: 'every task group the master launches names task ids distinct and new to its framework (task::group::validate)',
  },
  {
    name: 'messagesForwarded',
    step: messagesForwarded,
    description: "a framework's MESSAGE past the gate reaches the executor's agent once, unchanged, if the master has that agent connected",
  },
  {
    name: 'shutdownsForwarded',
    step: shutdownsForwarded,
    description: "a framework's SHUTDOWN of an executor reaches the named agent once as SHUTDOWN_EXECUTOR when the master has it connected, and nothing is sent otherwise",
  },
  {
    name: 'messagesDelivered',
    judges: 'agents',
    step: messagesDelivered,
    description: "a framework's message a running agent takes reaches the executor once, unchanged, exactly when the framework and the executor run there",
  },
  {
    name: 'executorMessagesForwarded',
    judges: 'agents',
    step: executorMessagesForwarded,
    description:
      "an executor's MESSAGE an agent accepts goes to the master once, unchanged, exactly when the agent runs and the framework is RUNNING there (Slave::executorMessage)",
  },
  {
    name: 'reconciliationAnswered',
    step: reconciliationAnswered,
    description:
      'a RECONCILE is answered once per task it asks about (implicit: every booked task), and a task the master does not book by what it knows of the agent (GONE, UNREACHABLE, GONE_BY_OPERATOR, UNKNOWN; LOST without PARTITION_AWARE)',
  },
  {
    name: 'pongCounted',
    step: pongCounted,
    description: 'a PONG from a registered agent clears the ping it answers: the agent has missed none (SlaveObserver::pong)',
  },
  {
    name: 'taskEndsCounted',
    judges: 'agents',
    step: taskEndsCounted,
    description:
      "each task that becomes FINISHED, FAILED, KILLED, LOST or GONE in an agent's step adds one to the agent's metric of that state, and nothing else counts one (Executor::updateTaskState)",
  },
  {
    name: 'messagesCounted',
    step: messagesCounted,
    description: 'each status update, acknowledgement and framework message the master takes adds one to its valid or invalid metric, valid only when a named agent is connected',
  },
  {
    name: 'agentRemovalsCounted',
    step: agentRemovalsCounted,
    description:
      'an agent recorded unreachable counts as a removal for reason_unhealthy (and a recovery removal if only known from the registry), one that unregistered for reason_unregistered, and nothing else counts one',
  },
  {
    name: 'agentRegistrationsCounted',
    step: agentRegistrationsCounted,
    description:
      'a new agent counts one slave_registrations; a reregistration answered for an agent the master did not hold as registered (recovered from the registry, unreachable, unknown) one slave_reregistrations, of a registered one none; nothing else counts either',
  },
  {
    name: 'pingsSayConnected',
    step: pingsSayConnected,
    description: 'every PING the master sends says whether the master has the agent connected on that link',
  },
  {
    name: 'pingsAnswered',
    judges: 'agents',
    step: pingsAnswered,
    description: "an agent answers its master's PING with one PONG, and re-registers on it exactly when registered and told the master thinks it disconnected (Slave::ping)",
  },
  {
    name: 'executorCallsAnswered',
    judges: 'agents',
    step: executorCallsAnswered,
    description:
      "every call an agent's executor API takes gets one reply with the status Mesos gives: 400 invalid or unknown, 503 while recovering, 403 another's token or not subscribed, else 200 or 202",
  },
  {
    name: 'shutdownsTold',
    judges: 'agents',
    step: shutdownsTold,
    description: 'an agent that starts shutting an executor down sends it SHUTDOWN exactly when it is connected, and never SHUTDOWN to one that is not',
  },
  {
    name: 'unregisteredAgentsRemoved',
    step: unregisteredAgentsRemoved,
    description: "an agent's own UNREGISTER_AGENT leaves it neither in the master's books nor admitted in its registry (Master::unregisterSlave)",
  },
  {
    name: 'launchesJudged',
    step: launchesJudged,
    description: "each command task of an ACCEPT is answered TASK_ERROR exactly when Mesos's task validation refuses it, with its message, and otherwise goes to its agent",
  },
  {
    name: 'filtersTimed',
    step: filtersTimed,
    description:
      "every refusal filter a DECLINE or an ACCEPT's leftovers install lasts the call's refuse_seconds (5 s when absent or negative, at most a year, at least an allocation interval; none for 0)",
  },
  {
    name: 'operationsAnswered',
    step: operationsAnswered,
    description:
      'every offer operation but a launch that names an id is answered one UPDATE_OPERATION_STATUS in a final state in the step that takes its ACCEPT; one without an id, nothing',
  },
  {
    name: 'drainsRecordedAsAsked',
    step: drainsRecordedAsAsked,
    description: "a DRAIN_AGENT answered 200 records the operator's max_grace_period and mark_gone, and every drain the master sends the agent then carries them",
  },
  {
    name: 'frameworkChangesToldToAgents',
    step: frameworkChangesToldToAgents,
    description:
      'a resubscription or an accepted UPDATE_FRAMEWORK sends every agent the master is connected to one UpdateFrameworkMessage with the FrameworkInfo the master now keeps',
  },
  {
    name: 'pendingUpdatesResent',
    judges: 'agents',
    step: pendingUpdatesResent,
    description: "an UpdateFrameworkMessage a running agent takes for a framework running there resends every stream's oldest pending update at once",
  },
  {
    name: 'revivesAndSuppressionsAsAsked',
    step: revivesAndSuppressionsAsAsked,
    description:
      "a REVIVE or SUPPRESS acts on exactly the roles it names (all when none, nothing when one is not the framework's): SUPPRESS suppresses them, REVIVE lifts their suppression and drops their filters, other roles keep theirs",
  },
  {
    name: 'frameworksRemovedWhenDue',
    step: frameworksRemovedWhenDue,
    description: 'a framework leaves the books only by a TEARDOWN, its failover timer, or losing its connection with failover_timeout 0, in which case it leaves in that step',
  },
  {
    name: 'invalidOffersReturned',
    step: invalidOffersReturned,
    description: "an ACCEPT on invalid offers launches nothing, returns the named offers its framework held, and leaves other frameworks' offers alone",
  },
  {
    name: 'reregistrationsAnswered',
    step: reregistrationsAnswered,
    description:
      "a returning agent is readmitted on its link, told to shut down when gone or another host's, ignored only while its id is connected on another link (the model's links standing for Mesos's pids)",
  },
  {
    name: 'conversionsJudged',
    step: conversionsJudged,
    description: "an ACCEPT's RESERVE, UNRESERVE, CREATE or DESTROY that Mesos's validation refuses is never answered OPERATION_FINISHED",
  },
  {
    name: 'weightsRescindOffers',
    step: weightsRescindOffers,
    description: "an operator's UPDATE_WEIGHTS rescinds every outstanding offer when an updated role has a framework, and none otherwise (Master::_updateWeights)",
  },
  {
    name: 'exitedExecutorForwarded',
    step: exitedExecutorForwarded,
    description:
      "an executor's exit reported by a registered agent, for an executor in the books of a connected framework, reaches that framework once as FAILURE; no other step sends FAILURE",
  },
  {
    name: 'latestStateForwarded',
    judges: 'agents',
    step: latestStateForwarded,
    description:
      'every status update an agent forwards to its master carries the state the agent books the task in as latest_state, and none for a task it does not book (Slave::forward)',
  },
  {
    name: 'taskLeavesCounted',
    step: taskLeavesCounted,
    description:
      "a task that leaves the master's books without a terminal state of its own (agent removed or gone, framework torn down) is counted ended once, in a terminal state; no other task is",
  },
  {
    name: 'uncheckpointedTasksLostOnDisconnect',
    step: uncheckpointedTasksLostOnDisconnect,
    description:
      "an agent's broken link takes out of the master's books exactly the tasks of frameworks that do not checkpoint, each told to its connected framework with REASON_AGENT_DISCONNECTED (Master::disconnect)",
  },
  {
    name: 'pingTimeoutsCounted',
    step: pingTimeoutsCounted,
    description:
      'a ping without a pong counts one more miss in a row, one answered resets the count, and the agent is marked unreachable only when the count reaches max_agent_ping_timeouts',
  },
  {
    name: 'taskStatusesAppended',
    step: taskStatusesAppended,
    description:
      "a status the master takes is appended to its task's history, in place of the last one when it repeats that state, and the rest of the history stays (Master::updateTask)",
  },
  {
    name: 'launchExecutorAsBooked',
    step: launchExecutorAsBooked,
    description:
      'every RUN_TASK says launch_executor: true for a command task, and for a task with its own executor exactly when the master did not book that executor on the agent (Master::_accept)',
  },
  {
    name: 'shutdownsObeyed',
    judges: 'agents',
    step: shutdownsObeyed,
    description: 'a ShutdownExecutorMessage for an executor the agent is starting or running leaves it TERMINATING or gone (Slave::shutdownExecutor)',
  },
  {
    name: 'killsOfUnknownTasksDropped',
    judges: 'agents',
    step: killsOfUnknownTasksDropped,
    description:
      "a KILL_TASK for a task of a running framework that no executor on the agent has makes a new update of it: the agent's TASK_DROPPED (TASK_LOST if not partition-aware), REASON_EXECUTOR_TERMINATED",
  },
  {
    name: 'runningExecutorsHoldNoQueue',
    judges: 'agents',
    step: runningExecutorsHoldNoQueue,
    description: 'an executor an agent has RUNNING holds no queued task: a task for a running executor is handed to it at once (Slave::run)',
  },
  {
    name: 'updatesOnlyWhileRegistered',
    judges: 'agents',
    step: updatesOnlyWhileRegistered,
    description: 'an agent forwards status updates to its master only while registered, or in the step its (re)registration is answered (Slave::forward)',
  },
  {
    name: 'drainStatusesAsAsked',
    judges: 'agents',
    step: drainStatusesAsAsked,
    description:
      'every kill update a draining agent takes says REASON_AGENT_DRAINING, and is TASK_GONE_BY_OPERATOR exactly when the drain marks the agent gone and the framework is partition-aware (Slave::statusUpdate)',
  },
  {
    name: 'reregistrationsReportResources',
    judges: 'agents',
    step: reregistrationsReportResources,
    description: 'every REREGISTER_AGENT carries the reservations and volumes the agent has checkpointed, none when it has none (Slave::doReliableRegistration)',
  },
  {
    name: 'pingsSent',
    step: pingsSent,
    description: 'a ping that comes due for an agent the master keeps sends it one PING, to the address the master has for it (SlaveObserver::ping)',
  },
  {
    name: 'masterReasonsNameTheirEvent',
    step: masterReasonsNameTheirEvent,
    description:
      "every status the master makes itself gives the reason of the step's event: invalid launches and stale offers on ACCEPT, RECONCILIATION on RECONCILE, AGENT_REREGISTERED on a reregistration, the agent's loss on its link, timers, UNREGISTER_AGENT or MARK_AGENT_GONE",
  },
];

export function invariant(name: string): Invariant {
  const i = [...invariants, ...electionInvariants].find((x) => x.name === name);
  if (!i) throw new Error(`no invariant named ${name}`);
  return i;
}
