/**
 * The guarded situation of each invariant: a predicate for the states in which the invariant
 * actually constrains something. An invariant that holds only because its situation never
 * arises is checked vacuously; a conformance suite must drive a cluster into each situation, so
 * generation (generate.ts) makes each one a target and records its shortest witness.
 *
 * One named function per invariant of invariants/index.ts, over the same WorldReader the
 * invariants read, plus the components' pending timers. Pure, like the invariants.
 */
import type { TaskState } from '../spec/protocol/common.ts';
import { isTerminal, PARTITION_AWARE_TASK_STATES } from '../spec/protocol/common.ts';
import type { StatusUpdate } from '../spec/protocol/internal.ts';
import { clearAllocationRole, isEmpty, sum } from '../spec/resources/index.ts';
import { STATUS_UPDATE_RETRY_MIN_MS } from '../spec/machines/agent.ts';
import type { Timer } from '../spec/step.ts';
import { frameworkIdOf, schedulerOf, type WorldReader } from '../invariants/world.ts';
import { rank } from '../invariants/rank.ts';

/** What a situation may read: the invariants' view of a world state, and pending timers. */
export interface SituationReader extends WorldReader {
  /** The pending timers of a component (empty when it is not running). */
  timers(name: string): readonly Timer[];
}

export interface Situation {
  /** The invariant (invariants/index.ts) whose guarded situation this is. */
  readonly invariant: string;
  /** The predicate's name. */
  readonly name: string;
  readonly description: string;
  readonly holds: (w: SituationReader) => boolean;
}

type Status = { task_id: { value: string }; state: TaskState; uuid?: string; source?: string };

const statusOf = (e: { type: string; update?: unknown }): Status | null => (e.type === 'UPDATE' ? ((e.update as { status: Status }).status ?? null) : null);

/** Live tasks the master books on each agent id. */
function liveTasksByAgent(w: SituationReader): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const m = w.master();
  if (!m) return out;
  for (const fid of Object.keys(m.frameworks).sort()) {
    const f = m.frameworks[fid]!;
    for (const tid of Object.keys(f.tasks).sort()) {
      const t = f.tasks[tid]!.task;
      if (isTerminal(t.state)) continue;
      out.set(t.agent_id.value, [...(out.get(t.agent_id.value) ?? []), tid]);
    }
  }
  return out;
}

/**
 * noOverAllocation: the master books a live task on a registered agent, so the agent's total
 * must cover what its tasks hold.
 */
function liveTaskOnAgent(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  for (const [aid, tasks] of liveTasksByAgent(w)) if (tasks.length > 0 && m.agents[aid]) return true;
  return false;
}

/**
 * offersDisjoint: on one agent, two outstanding offers, or an outstanding offer next to a live
 * task: the offered resources must not overlap each other or the task's.
 */
function offerBesideOfferOrTask(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  const offers = new Map<string, number>();
  for (const oid of Object.keys(m.offers)) offers.set(m.offers[oid]!.agent_id, (offers.get(m.offers[oid]!.agent_id) ?? 0) + 1);
  const live = liveTasksByAgent(w);
  for (const [aid, n] of offers) if (n >= 2 || (live.get(aid)?.length ?? 0) > 0) return true;
  return false;
}

/**
 * conservation: an agent whose resources are split, part of them offered or allocated and part
 * free, so total = free + offered + allocated adds up non-trivial parts.
 */
function agentPartlyPromised(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  return m.allocator.agents.some((a) => !isEmpty(a.available) && !isEmpty(sum(a.allocated.map((x) => clearAllocationRole(x.resources)))));
}

/**
 * taskStatesForward: a status update is on its way to the master about a task the master
 * already has in a later state, or in a terminal one (a retry, or a duplicate after a restart):
 * applying it must not move the task back.
 */
function staleUpdateForMaster(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  for (const agent of w.layout.agents) {
    for (const e of w.channel(agent, w.layout.master)) {
      if (e.type !== 'STATUS_UPDATE') continue;
      const u = e.update as StatusUpdate;
      const t = m.frameworks[u.framework_id.value]?.tasks[u.status.task_id.value]?.task;
      if (!t) continue;
      if (isTerminal(t.state) || rank(u.status.state) < rank(t.state)) return true;
    }
  }
  return false;
}

/**
 * frameworkIsolation: two or more frameworks are subscribed and an offer or a task update is on
 * its way to one of them: it must reach that framework alone.
 */
function eventAmongFrameworks(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  const subscribed = Object.values(m.frameworks).filter((f) => f.connection !== null).length;
  if (subscribed < 2) return false;
  return w.layout.frameworks.some((fw) => w.channel(w.layout.master, fw).some((e) => e.type === 'OFFERS' || e.type === 'UPDATE'));
}

/** offersRenderedForCapability: an offer is on its way to a framework. */
function offersInFlight(w: SituationReader): boolean {
  return w.layout.frameworks.some((fw) => w.channel(w.layout.master, fw).some((e) => e.type === 'OFFERS'));
}

/**
 * updatesInOrder: a reliable update the framework has already logged is delivered again (a
 * retry after a lost acknowledgement): the duplicate must not reorder the task's history.
 */
function duplicateReliableUpdate(w: SituationReader): boolean {
  for (const fw of w.layout.frameworks) {
    const s = w.scheduler(fw);
    if (!s) continue;
    for (const e of w.channel(w.layout.master, fw)) {
      const st = statusOf(e);
      if (st?.uuid !== undefined && (s.log[st.task_id.value] ?? []).some((x) => x.uuid === st.uuid)) return true;
    }
  }
  return false;
}

/**
 * acknowledgedAfterDelivery: an acknowledgement is in flight, from a framework to the master or
 * forwarded by the master to an agent: what it acknowledges must have been delivered.
 */
function acknowledgementInFlight(w: SituationReader): boolean {
  if (w.layout.frameworks.some((fw) => w.channel(fw, w.layout.master).some((e) => e.type === 'ACKNOWLEDGE'))) return true;
  return w.layout.agents.some((a) => w.channel(w.layout.master, a).some((e) => e.type === 'STATUS_UPDATE_ACK'));
}

/**
 * noneInvented: a master-generated update (reconciliation, an invalid offer, a lost agent) is on
 * its way to a framework: it must carry no uuid, so the framework never acknowledges it.
 */
function masterGeneratedUpdate(w: SituationReader): boolean {
  return w.layout.frameworks.some((fw) =>
    w.channel(w.layout.master, fw).some((e) => {
      const st = statusOf(e);
      return st !== null && (st.source === 'SOURCE_MASTER' || st.source === undefined);
    }),
  );
}

/**
 * reservedOnlyToRole: an offer is outstanding on an agent that holds reserved resources: it may
 * carry them only if its role is theirs.
 */
function offerFromReservedAgent(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  return Object.values(m.offers).some((o) => (m.agents[o.agent_id]?.total ?? []).some((e) => (e.reservations ?? []).length > 0));
}

/** quotaLimitsHeld: an offer is outstanding to a role that has a quota limit: it must fit in it. */
function offerUnderQuotaLimit(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  const quotas = m.allocator.quotas ?? {};
  return Object.values(m.offers).some((o) => Object.keys(quotas[o.role]?.limits ?? {}).length > 0);
}

/** volumesOfferedOnlyFree: an offer is outstanding on an agent that has a persistent volume: it may carry it only if no task uses it. */
function offerFromAgentWithVolume(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  return Object.values(m.offers).some((o) => (m.agents[o.agent_id]?.total ?? []).some((e) => e.disk !== undefined));
}

/** filtersExpire: the allocator holds an offer filter of some framework (a declined or partly used offer). */
function offerFiltered(w: SituationReader): boolean {
  return (w.master()?.allocator.frameworks ?? []).some((f) => f.filters.length > 0);
}

/** offersTimeOut: an offer is outstanding at a master that times offers out (--offer_timeout). */
function offerUnderTimeout(w: SituationReader): boolean {
  const m = w.master();
  return m !== null && (m.flags.offerTimeoutMs ?? 0) > 0 && Object.keys(m.offers).length > 0;
}

/** weightsApplied: a role weighs other than 1 (an operator's UPDATE_WEIGHTS, or --weights). */
function roleWeighted(w: SituationReader): boolean {
  const m = w.master();
  return Object.keys({ ...(m?.flags.weights ?? {}), ...(m?.registry.weights ?? {}) }).length > 0;
}

/** awayAgentsTimed: the master books an agent as away (disconnected, or known only from its registry after a failover). */
function agentAway(w: SituationReader): boolean {
  return Object.values(w.master()?.agents ?? {}).some((a) => a.address === null || a.recovered);
}

/** removalPermitsTimed: the master limits its agent removals (--agent_removal_rate_limit). */
function removalsLimited(w: SituationReader): boolean {
  return w.master()?.flags.agentRemovalRateLimit !== undefined;
}

/** checkpointedResourcesAgree: an agent is on its way to new checkpointed resources (a CHECKPOINT_RESOURCES is in flight to it). */
function checkpointInFlight(w: SituationReader): boolean {
  return w.layout.agents.some((agent) => w.channel(w.layout.master, agent).some((e) => e.type === 'CHECKPOINT_RESOURCES'));
}

/** goneAgentsHostNothing: an agent has been marked gone: nothing may be on it again. */
function agentMarkedGone(w: SituationReader): boolean {
  const m = w.master();
  return !!m && m.registry.gone.length > 0;
}

/** heartbeatFollowsSubscribed: a SUBSCRIBED that announces heartbeats is on its way, its first HEARTBEAT owed behind it. */
function heartbeatsAnnounced(w: SituationReader): boolean {
  return w.layout.frameworks.some((fw) =>
    w
      .channel(w.layout.master, fw)
      .some((e) => e.type === 'SUBSCRIBED' && ((e.subscribed as { heartbeat_interval_seconds?: number } | undefined)?.heartbeat_interval_seconds ?? 0) > 0),
  );
}

/** politeFrameworksHoldNoOffers: a polite scheduler has an offer outstanding (it must use or decline it). */
function politeOfferOutstanding(w: SituationReader): boolean {
  const m = w.master();
  if (m === null) return false;
  const polite = new Set(w.layout.frameworks.filter((fw) => w.layout.frameworkConfig[fw]?.calls === undefined).map((fw) => frameworkIdOf(w, fw)));
  return Object.values(m.offers).some((o) => polite.has(o.framework_id));
}

/** executorBooksAgree: the master books a custom or default executor on an agent. */
function executorBooked(w: SituationReader): boolean {
  const m = w.master();
  return m !== null && Object.values(m.frameworks).some((f) => Object.values(f.executors ?? {}).some((byId) => Object.keys(byId).length > 0));
}

/** heartbeatsWhileSubscribed: the master's next HEARTBEAT to a subscribed framework is due (its timer armed). */
function heartbeatDue(w: SituationReader): boolean {
  const m = w.master();
  return m !== null && w.timers(w.layout.master).some((t) => t.event.type === 'HEARTBEAT_DUE' && m.frameworks[t.event.framework_id as string]?.connection != null);
}

/** failoverTimersOfDisconnected: a framework's failover timer runs (its stream broke). */
function failoverTimerRunning(w: SituationReader): boolean {
  return w.master() !== null && w.timers(w.layout.master).some((t) => t.event.type === 'FAILOVER_TIMEOUT');
}

/** pingsWhileRegistered: the master's next PING to a registered agent is due (its timer armed). */
function pingDue(w: SituationReader): boolean {
  const m = w.master();
  return m !== null && w.timers(w.layout.master).some((t) => t.event.type === 'PING_DUE' && m.agents[t.event.agent_id as string]?.recovered === false);
}

/** drainsEnd: a drain is under way on an agent the master is connected to; it must end. */
function connectedAgentDraining(w: SituationReader): boolean {
  const m = w.master();
  return (
    !!m && Object.entries(m.registry.draining ?? {}).some(([aid, info]) => info.state === 'DRAINING' && m.agents[aid]?.address !== null && m.agents[aid]?.address !== undefined)
  );
}

/** drainKillsSayDraining: a kill update (TASK_KILLING, TASK_KILLED, TASK_GONE_BY_OPERATOR) from an agent or executor is on its way to a framework. */
function agentKillUpdateInFlight(w: SituationReader): boolean {
  return w.layout.frameworks.some((fw) =>
    w.channel(w.layout.master, fw).some((e) => {
      const st = statusOf(e);
      return st !== null && st.source !== 'SOURCE_MASTER' && st.source !== undefined && ['TASK_KILLING', 'TASK_KILLED', 'TASK_GONE_BY_OPERATOR'].includes(st.state);
    }),
  );
}

/** tasksOnKnownAgents: an agent's UNREGISTER_AGENT is on its way to a master that books a live task on it. */
function agentUnregistersUnderTask(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  return w.layout.agents.some((agent) =>
    w.channel(agent, w.layout.master).some((e) => {
      if (e.type !== 'UNREGISTER_AGENT') return false;
      const aid = (e.agent_id as { value: string }).value;
      return Object.values(m.frameworks).some((f) => Object.values(f.tasks).some((r) => r.task.agent_id.value === aid));
    }),
  );
}

/** unreachableTasksOffRegisteredAgents: an agent's REREGISTER_AGENT is on its way to a master that holds one of its tasks as unreachable. */
function unreachableAgentReturning(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  return w.layout.agents.some((agent) =>
    w.channel(agent, w.layout.master).some((e) => {
      if (e.type !== 'REREGISTER_AGENT') return false;
      const aid = (e.agent_info as { id?: { value: string } } | undefined)?.id?.value;
      return Object.values(m.frameworks).some((f) => Object.values(f.unreachable).some((r) => r.task.agent_id.value === aid));
    }),
  );
}

/**
 * offerIdsUsedOnce: a framework's ACCEPT or DECLINE names an offer that is no longer valid (it
 * was rescinded, discarded on failover, or already used): the id must not name another offer.
 */
function callNamesInvalidOffer(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  for (const fw of w.layout.frameworks) {
    for (const e of w.channel(fw, w.layout.master)) {
      const ids =
        e.type === 'ACCEPT'
          ? ((e.accept as { offer_ids?: { value: string }[] }).offer_ids ?? [])
          : e.type === 'DECLINE'
            ? ((e.decline as { offer_ids?: { value: string }[] }).offer_ids ?? [])
            : [];
      if (ids.some((o) => !m.offers[o.value])) return true;
    }
  }
  return false;
}

/**
 * deliveredAtQuiescence: a reliable update reached its framework (again) only because the agent
 * retried it: the framework has logged it, it is still the unacknowledged head of its agent's
 * stream, that stream's retry timer has backed off (it was forwarded at least twice), and no
 * copy of it is in flight any more.
 */
function updateDeliveredAfterRetry(w: SituationReader): boolean {
  for (const agent of w.layout.agents) {
    const ctx = w.agent(agent);
    if (!ctx) continue;
    const backedOff = new Set(
      w.timers(agent).flatMap((t) => {
        const e = t.event as { type: string; framework?: string; task?: string; interval?: number };
        return e.type === 'STATUS_UPDATE_RETRY' && (e.interval ?? 0) > STATUS_UPDATE_RETRY_MIN_MS ? [`${e.framework}/${e.task}`] : [];
      }),
    );
    for (const fid of Object.keys(ctx.streams).sort()) {
      const fw = schedulerOf(w, fid);
      if (!fw) continue;
      for (const tid of Object.keys(ctx.streams[fid]!).sort()) {
        const head = ctx.streams[fid]![tid]!.pending[0];
        if (!head || !backedOff.has(`${fid}/${tid}`)) continue;
        if (!(w.scheduler(fw)?.log[tid] ?? []).some((x) => x.uuid === head.uuid)) continue;
        const inFlight =
          w.channel(agent, w.layout.master).some((e) => e.type === 'STATUS_UPDATE' && (e.update as StatusUpdate).uuid === head.uuid) ||
          w.channel(w.layout.master, fw).some((e) => statusOf(e)?.uuid === head.uuid);
        if (!inFlight) return true;
      }
    }
  }
  return false;
}

/**
 * agreeAtQuiescence: the master and a registered agent disagree about a task of a live
 * framework (an update on its way, a task the agent has not heard of yet): they must come to
 * agree once nothing is left to happen.
 */
function masterAndAgentDisagree(w: SituationReader): boolean {
  const m = w.master();
  if (!m) return false;
  for (const fw of w.layout.frameworks) {
    const fid = frameworkIdOf(w, fw);
    const f = fid === undefined ? undefined : m.frameworks[fid];
    if (!f || f.connection !== fw) continue;
    for (const agent of w.layout.agents) {
      const a = w.agent(agent);
      const aid = a?.info.id?.value;
      if (!a || aid === undefined || m.agents[aid]?.address !== agent) continue;
      const known: Record<string, string> = {};
      for (const ex of Object.values(a.frameworks[fid!]?.executors ?? {})) {
        for (const [tid, t] of Object.entries(ex.launched)) known[tid] = t.state;
        for (const [tid, t] of Object.entries(ex.terminated)) known[tid] = t.state;
        for (const t of ex.queued) known[t.task_id.value] = 'TASK_STAGING';
      }
      for (const tid of Object.keys(f.tasks)) {
        const t = f.tasks[tid]!.task;
        if (t.agent_id.value === aid && known[tid] !== undefined && known[tid] !== t.state) return true;
      }
    }
  }
  return false;
}

/**
 * partitionAwareNeverLost: a partition-aware framework is sent one of the states that replace
 * TASK_LOST for it (dropped, unreachable, gone, gone by operator, unknown).
 */
function partitionAwareLossReported(w: SituationReader): boolean {
  return w.layout.frameworks.some((fw) => {
    const s = w.scheduler(fw);
    if (!s || !(s.framework_info.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE')) return false;
    return w.channel(w.layout.master, fw).some((e) => {
      const state = statusOf(e)?.state;
      return state !== undefined && PARTITION_AWARE_TASK_STATES.includes(state);
    });
  });
}

/** executorEndsReported: an executor a framework learned the place of (from its tasks' updates) is gone. */
function frameworkExecutorEnded(w: SituationReader): boolean {
  return w.layout.customExecutors.some((e) => w.scheduler(e.framework)?.executorAgents?.[e.executor] !== undefined && w.stateOf(e.slot) === null);
}

/** taskGroupAllOrNothing: the master knows some task of a group (live, unreachable or completed). */
function groupLaunched(w: SituationReader): boolean {
  const m = w.master();
  return w.layout.customExecutors.some((e) => {
    const fid = e.group ? frameworkIdOf(w, e.framework) : undefined;
    const f = fid === undefined ? undefined : m?.frameworks[fid];
    return f !== undefined && e.tasks.some((t) => f.tasks[t] !== undefined || f.unreachable[t] !== undefined || f.completed.includes(t));
  });
}

/** someTaskFinishes: a framework has logged a terminal update of one of its tasks. */
function terminalUpdateLogged(w: SituationReader): boolean {
  return w.layout.frameworks.some((fw) => Object.values(w.scheduler(fw)?.log ?? {}).some((entries) => entries.some((e) => isTerminal(e.state))));
}

/** executorAcksNameSentUpdates: the agent's acknowledgement is on its way to an executor. */
function acknowledgementToExecutor(w: SituationReader): boolean {
  return w.layout.executors.some((e) => w.channel(e.agent, e.slot).some((m) => m.type === 'ACKNOWLEDGED'));
}

/** A situation without its invariant: a witness that several invariants of the catalogue share. */
type Witness = Omit<Situation, 'invariant'>;

// The witnesses several invariants share, one definition each. An invariant reuses a witness the
// suites already have so that adding it changes no scenario (a new witness would absorb shorter
// ones the runner's tests name).
const MASTER_GENERATED_UPDATE: Witness = { name: 'masterGeneratedUpdate', description: 'a master-generated update is on its way to a framework', holds: masterGeneratedUpdate };
const AGENT_DRAINING: Witness = { name: 'connectedAgentDraining', description: 'an agent the master is connected to is being drained', holds: connectedAgentDraining };
const LIVE_TASK_ON_AGENT: Witness = { name: 'liveTaskOnAgent', description: 'a live task is booked on a registered agent', holds: liveTaskOnAgent };
const ACKNOWLEDGEMENT_IN_FLIGHT: Witness = {
  name: 'acknowledgementInFlight',
  description: 'an update reached a framework (its acknowledgement is in flight)',
  holds: acknowledgementInFlight,
};
const ACKNOWLEDGEMENT_TO_EXECUTOR: Witness = {
  name: 'acknowledgementToExecutor',
  description: "the agent accepted an executor's update (its acknowledgement is on its way)",
  holds: acknowledgementToExecutor,
};
const CALL_NAMES_INVALID_OFFER: Witness = { name: 'callNamesInvalidOffer', description: 'a call names an offer that is no longer valid', holds: callNamesInvalidOffer };
const AGENT_AWAY: Witness = { name: 'agentAway', description: 'the master books an agent as away: disconnected, or known only from its registry', holds: agentAway };
const TERMINAL_UPDATE_LOGGED: Witness = { name: 'terminalUpdateLogged', description: 'a framework logs a terminal update', holds: terminalUpdateLogged };
const OFFER_UNDER_QUOTA_LIMIT: Witness = {
  name: 'offerUnderQuotaLimit',
  description: 'an offer is outstanding to a role that has a quota limit',
  holds: offerUnderQuotaLimit,
};
const AGENT_MARKED_GONE: Witness = { name: 'agentMarkedGone', description: 'an agent has been marked gone', holds: agentMarkedGone };
const CHECKPOINT_IN_FLIGHT: Witness = { name: 'checkpointInFlight', description: 'a CHECKPOINT_RESOURCES is on its way to an agent', holds: checkpointInFlight };

/** One situation per invariant of the catalogue, in the catalogue's order. */
export const situations: readonly Situation[] = [
  { invariant: 'noOverAllocation', ...LIVE_TASK_ON_AGENT },
  {
    invariant: 'offersDisjoint',
    name: 'offerBesideOfferOrTask',
    description: 'two outstanding offers on one agent, or an offer next to a live task',
    holds: offerBesideOfferOrTask,
  },
  { invariant: 'conservation', name: 'agentPartlyPromised', description: 'an agent is part free, part offered or allocated', holds: agentPartlyPromised },
  {
    invariant: 'reservedOnlyToRole',
    name: 'offerFromReservedAgent',
    description: 'an offer is outstanding on an agent that holds reserved resources',
    holds: offerFromReservedAgent,
  },
  { invariant: 'quotaLimitsHeld', ...OFFER_UNDER_QUOTA_LIMIT },
  { invariant: 'quotasPersisted', ...OFFER_UNDER_QUOTA_LIMIT },
  { invariant: 'weightsApplied', name: 'roleWeighted', description: 'a role weighs other than 1, by an operator or --weights', holds: roleWeighted },
  {
    invariant: 'volumesOfferedOnlyFree',
    name: 'offerFromAgentWithVolume',
    description: 'an offer is outstanding on an agent that has a persistent volume',
    holds: offerFromAgentWithVolume,
  },
  { invariant: 'goneAgentsHostNothing', ...AGENT_MARKED_GONE },
  { invariant: 'agentsAdmitted', ...LIVE_TASK_ON_AGENT },
  { invariant: 'registryForgetsLeftAgents', ...AGENT_MARKED_GONE },
  {
    invariant: 'tasksOnKnownAgents',
    name: 'agentUnregistersUnderTask',
    description: 'an agent unregisters while the master books a live task on it',
    holds: agentUnregistersUnderTask,
  },
  {
    invariant: 'unreachableTasksOffRegisteredAgents',
    name: 'unreachableAgentReturning',
    description: 'an agent reregisters with a master that holds one of its tasks as unreachable',
    holds: unreachableAgentReturning,
  },
  { invariant: 'tasksDescribedAlike', ...LIVE_TASK_ON_AGENT },
  { invariant: 'commandExecutorsDescribed', ...LIVE_TASK_ON_AGENT },
  {
    invariant: 'taskStatesForward',
    name: 'staleUpdateForMaster',
    description: 'an update reaches the master about a task it has in a later or terminal state',
    holds: staleUpdateForMaster,
  },
  {
    invariant: 'frameworkIsolation',
    name: 'eventAmongFrameworks',
    description: 'an offer or update is on its way to one of several subscribed frameworks',
    holds: eventAmongFrameworks,
  },
  {
    invariant: 'updatesInOrder',
    name: 'duplicateReliableUpdate',
    description: 'a reliable update the framework already logged is delivered again',
    holds: duplicateReliableUpdate,
  },
  { invariant: 'acknowledgedAfterDelivery', ...ACKNOWLEDGEMENT_IN_FLIGHT },
  { invariant: 'noneInvented', ...MASTER_GENERATED_UPDATE },
  { invariant: 'offerIdsUsedOnce', ...CALL_NAMES_INVALID_OFFER },
  { invariant: 'offersRenderedForCapability', name: 'offersInFlight', description: 'an offer is on its way to a framework', holds: offersInFlight },
  // An offer a framework held went stale: the call names it (no scenario changes).
  { invariant: 'heldOffersOutstanding', ...CALL_NAMES_INVALID_OFFER },
  // Where offers must have been rescinded: an agent away.
  { invariant: 'offersOnlyOnConnectedAgents', ...AGENT_AWAY },
  {
    invariant: 'partitionAwareNeverLost',
    name: 'partitionAwareLossReported',
    description: 'a partition-aware framework is sent the state that replaces TASK_LOST for it',
    holds: partitionAwareLossReported,
  },
  // The impersonation properties reuse witnesses the suites already have (no scenario changes):
  // an update the agent accepted, and an agent the master books a task on.
  { invariant: 'onlyOwnersUpdate', ...ACKNOWLEDGEMENT_TO_EXECUTOR },
  { invariant: 'agentsRecordedAsThemselves', ...LIVE_TASK_ON_AGENT },
  { invariant: 'agentsAuthenticated', ...LIVE_TASK_ON_AGENT },
  // Issue 10's gap properties reuse witnesses the suites already have too (no scenario changes).
  { invariant: 'killingOnlyWhenUnderstood', ...ACKNOWLEDGEMENT_IN_FLIGHT },
  { invariant: 'allocatorKnowsFrameworks', ...LIVE_TASK_ON_AGENT },
  { invariant: 'agentsOfferedAsBooked', ...LIVE_TASK_ON_AGENT },
  { invariant: 'killsOwedOnlyForHeldTasks', ...LIVE_TASK_ON_AGENT },
  { invariant: 'terminatedExecutorsDisconnected', ...ACKNOWLEDGEMENT_TO_EXECUTOR },
  { invariant: 'agentFrameworksHaveExecutors', ...ACKNOWLEDGEMENT_TO_EXECUTOR },
  { invariant: 'agentTaskStatesLatest', ...LIVE_TASK_ON_AGENT },
  { invariant: 'doneExecutorsRemoved', ...ACKNOWLEDGEMENT_TO_EXECUTOR },
  {
    invariant: 'deliveredAtQuiescence',
    name: 'updateDeliveredAfterRetry',
    description: 'a reliable update is delivered only after the agent retried it',
    holds: updateDeliveredAfterRetry,
  },
  { invariant: 'agreeAtQuiescence', name: 'masterAndAgentDisagree', description: 'the master and an agent disagree about a task for a while', holds: masterAndAgentDisagree },
  { invariant: 'frameworksLearnTaskStates', ...MASTER_GENERATED_UPDATE },
  {
    invariant: 'politeFrameworksHoldNoOffers',
    name: 'politeOfferOutstanding',
    description: 'a polite scheduler has an offer outstanding',
    holds: politeOfferOutstanding,
  },
  { invariant: 'checkpointedResourcesAgree', ...CHECKPOINT_IN_FLIGHT },
  {
    invariant: 'heartbeatFollowsSubscribed',
    name: 'heartbeatsAnnounced',
    description: 'a SUBSCRIBED that announces a heartbeat interval is on its way to a framework',
    holds: heartbeatsAnnounced,
  },
  {
    invariant: 'heartbeatsWhileSubscribed',
    name: 'heartbeatDue',
    description: "the master's next HEARTBEAT to a subscribed framework is due",
    holds: heartbeatDue,
  },
  { invariant: 'failoverTimersOfDisconnected', name: 'failoverTimerRunning', description: "a framework's failover timer runs", holds: failoverTimerRunning },
  { invariant: 'filtersExpire', name: 'offerFiltered', description: 'the allocator holds an offer filter of a framework', holds: offerFiltered },
  { invariant: 'offersTimeOut', name: 'offerUnderTimeout', description: 'an offer is outstanding at a master with an offer timeout', holds: offerUnderTimeout },
  { invariant: 'awayAgentsTimed', ...AGENT_AWAY },
  { invariant: 'removalPermitsTimed', name: 'removalsLimited', description: 'the master limits the rate of its agent removals', holds: removalsLimited },
  { invariant: 'pingsWhileRegistered', name: 'pingDue', description: "the master's next PING to a registered agent is due", holds: pingDue },
  { invariant: 'drainsEnd', ...AGENT_DRAINING },
  { invariant: 'drainedAsAsked', ...AGENT_DRAINING },
  { invariant: 'agentsDrainWhileFrameworksStay', ...AGENT_DRAINING },
  {
    invariant: 'drainKillsSayDraining',
    name: 'agentKillUpdateInFlight',
    description: 'a kill update from an agent or executor is on its way to a framework',
    holds: agentKillUpdateInFlight,
  },
  // The newer properties reuse witnesses the suites already have too (no scenario changes).
  { invariant: 'reasonsAndSources', ...ACKNOWLEDGEMENT_IN_FLIGHT },
  { invariant: 'updateIdentity', ...ACKNOWLEDGEMENT_IN_FLIGHT },
  { invariant: 'executorAcksNameSentUpdates', ...ACKNOWLEDGEMENT_TO_EXECUTOR },
  { invariant: 'commandExitsReported', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'outcomeFidelity', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'faultFreeOutcomes', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'faultFreeLaunches', ...LIVE_TASK_ON_AGENT },
  { invariant: 'someTaskFinishes', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'someVolumeCreated', ...CHECKPOINT_IN_FLIGHT },
  { invariant: 'executorFinishes', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'executorFails', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'executorKills', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'registrationTimesOut', ...TERMINAL_UPDATE_LOGGED },
  { invariant: 'executorAcknowledged', ...ACKNOWLEDGEMENT_TO_EXECUTOR },
  { invariant: 'executorEndsReported', name: 'frameworkExecutorEnded', description: "a framework's custom or default executor ran and has ended", holds: frameworkExecutorEnded },
  { invariant: 'executorBooksAgree', name: 'executorBooked', description: 'the master books a custom or default executor on an agent', holds: executorBooked },
  { invariant: 'taskGroupAllOrNothing', name: 'groupLaunched', description: 'the master knows a task of a task group', holds: groupLaunched },
];
