/**
 * The master's operator calls that change the cluster (include/mesos/v1/master/master.proto,
 * src/master/http.cpp): MARK_AGENT_GONE, DEACTIVATE_AGENT / REACTIVATE_AGENT and UPDATE_WEIGHTS.
 * Reservations (RESERVE_RESOURCES / UNRESERVE_RESOURCES) are in reservations.ts.
 *
 * The runtime has already authenticated the operator and checked the ACLs (the machine knows no
 * principals but the one a reservation names): every event here is a call an authorized operator
 * made, answered through a `reply` effect with Mesos's status and message. What Mesos persists
 * (gone and deactivated agents, weights) goes through the registry first, as its registrar does.
 */
import type { TaskStatus, WeightInfo } from '../../protocol/common.ts';
import * as allocator from '../../allocator/index.ts';
import { validateRole } from '../../resources/index.ts';
import { reply } from '../effects.ts';
import { lostOr, masterStatus, sortedEntries, tasksOnAgent, terminal, type MasterContext, type TaskRecord } from './context.ts';
import { forgetExecutorsOn } from './executors.ts';
import type { Tx } from './tx.ts';
import { rescindOffersOn } from './rescind.ts';

export type OperatorEvent =
  /** MARK_AGENT_GONE: the agent may never come back; its tasks are GONE_BY_OPERATOR. */
  | { type: 'OPERATOR_MARK_AGENT_GONE'; agent_id: string; request?: string }
  /** DEACTIVATE_AGENT: no more offers for the agent (its tasks keep running). */
  | { type: 'OPERATOR_DEACTIVATE_AGENT'; agent_id: string; request?: string }
  /** REACTIVATE_AGENT: a deactivated agent is offered again. */
  | { type: 'OPERATOR_REACTIVATE_AGENT'; agent_id: string; request?: string }
  /** UPDATE_WEIGHTS: the roles' new weights in the DRF sorters. */
  | { type: 'OPERATOR_UPDATE_WEIGHTS'; weight_infos: readonly WeightInfo[]; request?: string };

/**
 * The master's timer ids for an agent, as master.ts names them (`ids.ping`, `ids.reregister`):
 * an agent that leaves for good leaves no timer behind (test/machines/master-operator.test.ts
 * fails if these drift).
 */
const agentTimers = (aid: string) => [`ping:${aid}`, `reregister:${aid}`];

/** Is the agent deactivated by an operator (persisted: it stays so across failovers and reregistrations)? */
export const isDeactivated = (c: MasterContext, aid: string): boolean => (c.registry.deactivated ?? []).includes(aid);

// ------------------------------------------------------------------------------------ gone

/**
 * MARK_AGENT_GONE (Master::Http::_markAgentGone, Master::markGone, __removeSlave): 200 if the
 * agent is already gone, 404 if the master does not know it; else the registry first, then a
 * registered agent is shut down and removed (its offers rescinded, its tasks GONE_BY_OPERATOR
 * or LOST, every framework told FAILURE), an unreachable agent's tasks end GONE_BY_OPERATOR.
 */
export function markAgentGone(tx: Tx, e: Extract<OperatorEvent, { type: 'OPERATOR_MARK_AGENT_GONE' }>): void {
  const aid = e.agent_id;
  const c = tx.c;
  if (c.registry.gone.includes(aid)) return tx.effect(reply(e.request, 200));
  const registered = c.agents[aid] !== undefined && !c.agents[aid]!.recovered;
  const recovered = c.agents[aid]?.recovered === true;
  const unreachable = c.registry.unreachable.includes(aid);
  if (!registered && !recovered && !unreachable) return tx.effect(reply(e.request, 404, `Agent '${aid}' not found`));
  markGone(tx, aid);
  tx.effect(reply(e.request, 200));
}

/** Master::markGone for a known agent: the registry first, then the agent leaves for good (also a drain's `mark_gone`). */
export function markGone(tx: Tx, aid: string): void {
  const c = tx.c;
  const registered = c.agents[aid] !== undefined && !c.agents[aid]!.recovered;
  const recovered = c.agents[aid]?.recovered === true;
  tx.registry((r) => {
    const { [aid]: _admitted, ...admitted } = r.admitted;
    return forgetAgent({ ...r, admitted, unreachable: r.unreachable.filter((x) => x !== aid), gone: [...r.gone, aid].sort() }, aid);
  });
  const message = 'Agent has been marked gone';
  if (registered) {
    tx.send(c.agents[aid]!.address, { type: 'SHUTDOWN_AGENT', message });
    removeAgent(tx, aid, (fid, record) => goneStatus(tx.c, fid, record, message));
  } else if (recovered) {
    // Mesos has no task metadata for a recovered agent: nothing to tell (MESOS-9739).
    tx.setAgent(aid, undefined);
    for (const id of agentTimers(aid)) tx.cancel(id);
  } else {
    for (const [fid, f] of sortedEntries(tx.c.frameworks)) {
      for (const [tid, record] of sortedEntries(f.unreachable)) {
        if (record.task.agent_id.value !== aid) continue;
        const status = goneStatus(tx.c, fid, record, message);
        const { [tid]: _done, ...rest } = tx.c.frameworks[fid]!.unreachable;
        const now = tx.c.frameworks[fid]!;
        tx.setFramework(fid, { ...now, unreachable: rest, completed: [...now.completed, tid].sort() });
        if (!terminal(record.task.state)) tx.ended(fid, tid, status.state);
        tx.send(now.connection, { type: 'UPDATE', update: { status } });
      }
    }
  }
}

/** TASK_GONE_BY_OPERATOR for a partition-aware framework, else TASK_LOST (REASON_AGENT_REMOVED). */
function goneStatus(c: MasterContext, fid: string, record: TaskRecord, message: string) {
  const info = c.frameworks[fid]!.info;
  const state = lostOr(info, 'TASK_GONE_BY_OPERATOR');
  return masterStatus(record.task, state, state === 'TASK_LOST' ? 'REASON_AGENT_REMOVED' : 'REASON_AGENT_REMOVED_BY_OPERATOR', message);
}

/**
 * Master::__removeSlave without an unreachable time (and Master::_removeSlave, for an agent that
 * unregistered: master/removal.ts): the allocator forgets the agent first (so nothing it held is
 * offered again), its tasks end with `statusOf` and leave the books, its offers are rescinded,
 * and every framework hears FAILURE { agent_id } (sendSlaveLost).
 */
export function removeAgent(tx: Tx, aid: string, statusOf: (fid: string, record: TaskRecord) => TaskStatus): void {
  tx.allocator((a) => (allocator.getAgent(a, aid) ? allocator.removeAgent(a, aid) : a));
  // Its custom executors leave the books with it (their resources left with the agent's).
  forgetExecutorsOn(tx, aid);
  for (const { fid, tid, record } of tasksOnAgent(tx.c, aid)) {
    const f = tx.c.frameworks[fid]!;
    const { [tid]: _done, ...tasks } = f.tasks;
    tx.setFramework(fid, { ...f, tasks, completed: [...f.completed, tid].sort() });
    // A task that already ended told its framework so; the others end now.
    if (terminal(record.task.state)) continue;
    const status = statusOf(fid, record);
    tx.ended(fid, tid, status.state);
    tx.send(f.connection, { type: 'UPDATE', update: { status } });
  }
  for (const [oid, o] of sortedEntries(tx.c.offers)) {
    if (o.agent_id !== aid) continue;
    tx.setOffer(oid, undefined);
    tx.send(tx.c.frameworks[o.framework_id]?.connection ?? null, { type: 'RESCIND', rescind: { offer_id: { value: oid } } });
  }
  tx.setAgent(aid, undefined);
  for (const id of agentTimers(aid)) tx.cancel(id);
  for (const [, f] of sortedEntries(tx.c.frameworks)) tx.send(f.connection, { type: 'FAILURE', failure: { agent_id: { value: aid } } });
}

// ------------------------------------------------------------------------------------ deactivation

/** A drain ends when the agent is reactivated or gone (Master::Http::_reactivateAgent erases the drain info). */
/**
 * What the registry keeps of an agent that leaves for good (marked gone, or unregistered): its
 * drain, its deactivation and its reservations and volumes go with it (Mesos's agent takes its
 * checkpointed resources with it; a new agent on that host is a new id).
 */
export const forgetAgent = <R extends MasterContext['registry']>(r: R, aid: string): R => withoutReserved(withoutDrain(withoutDeactivated(r, aid), aid), aid);

function withoutReserved<R extends MasterContext['registry']>(r: R, aid: string): R {
  if (r.reserved?.[aid] === undefined) return r;
  const { [aid]: _gone, ...left } = r.reserved;
  const { reserved: _r, ...rest } = r;
  return (Object.keys(left).length ? { ...rest, reserved: left } : rest) as R;
}

function withoutDrain<R extends MasterContext['registry']>(r: R, aid: string): R {
  if (r.draining?.[aid] === undefined) return r;
  const { [aid]: _gone, ...left } = r.draining;
  const { draining: _d, ...rest } = r;
  return (Object.keys(left).length ? { ...rest, draining: left } : rest) as R;
}

const withoutDeactivated = <R extends MasterContext['registry']>(r: R, aid: string): R => {
  if (!(r.deactivated ?? []).includes(aid)) return r;
  const left = r.deactivated!.filter((x) => x !== aid);
  const { deactivated: _d, ...rest } = r;
  return (left.length ? { ...rest, deactivated: left } : rest) as R;
};

/** DEACTIVATE_AGENT (Master::Http::_deactivateAgent): 400 for an agent the master does not know. */
export function deactivateAgent(tx: Tx, e: Extract<OperatorEvent, { type: 'OPERATOR_DEACTIVATE_AGENT' }>): void {
  const aid = e.agent_id;
  if (!tx.c.agents[aid] && !tx.c.registry.unreachable.includes(aid)) return tx.effect(reply(e.request, 400, 'Unknown agent'));
  if (!isDeactivated(tx.c, aid)) tx.registry((r) => ({ ...r, deactivated: [...(r.deactivated ?? []), aid].sort() }));
  const a = tx.c.agents[aid];
  if (a && !a.recovered) {
    tx.allocator((s) => (allocator.getAgent(s, aid) ? allocator.deactivateAgent(s, aid) : s));
    rescindOffersOn(tx, aid);
  }
  tx.effect(reply(e.request, 200));
}

/** REACTIVATE_AGENT (Master::Http::_reactivateAgent): 400 unless deactivated; a connected agent is offered again. */
export function reactivateAgent(tx: Tx, e: Extract<OperatorEvent, { type: 'OPERATOR_REACTIVATE_AGENT' }>): void {
  const aid = e.agent_id;
  if (!isDeactivated(tx.c, aid)) return tx.effect(reply(e.request, 400, 'Agent is not deactivated'));
  tx.registry((r) => withoutDrain(withoutDeactivated(r, aid), aid));
  const a = tx.c.agents[aid];
  if (!a) return tx.effect(reply(e.request, 409, 'Agent removed while processing the call'));
  // A disconnected agent is reactivated when it reregisters.
  if (a.address !== null && !a.recovered) tx.allocator((s) => (allocator.getAgent(s, aid) ? allocator.activateAgent(s, aid) : s));
  tx.effect(reply(e.request, 200));
}

// ------------------------------------------------------------------------------------ weights

/** The role a WeightInfo names, as Mesos reads it (trimmed; absent is empty, which validation refuses). */
const weightRole = (w: WeightInfo): string => (w.role ?? '').trim();

/** Mesos's refusal of one WeightInfo (Master::WeightsHandler::_updateWeights), or null. */
function weightError(w: WeightInfo): string | null {
  const role = weightRole(w);
  const invalid = validateRole(role);
  if (invalid !== null) return `Failed to validate update weights request JSON: Invalid role '${role}': ${invalid}`;
  if (!(w.weight > 0)) return `Failed to validate update weights request JSON for role '${role}': Invalid weight '${w.weight}': Weights must be positive`;
  return null;
}

/**
 * UPDATE_WEIGHTS: every entry is validated before anything changes (400 names the role), then
 * the registry, then the allocator; if a changed role has frameworks, every outstanding offer is
 * rescinded so the next allocation runs with the new weights (WeightsHandler::rescindOffers).
 */
export function updateWeights(tx: Tx, e: Extract<OperatorEvent, { type: 'OPERATOR_UPDATE_WEIGHTS' }>): void {
  for (const w of e.weight_infos) {
    const why = weightError(w);
    if (why !== null) return tx.effect(reply(e.request, 400, why));
  }
  const weights: Record<string, number> = {};
  for (const w of e.weight_infos) weights[weightRole(w)] = w.weight;
  tx.registry((r) => ({ ...r, weights: { ...(r.weights ?? {}), ...weights } }));
  tx.allocator((a) => allocator.updateWeights(a, weights));
  const active = Object.keys(weights).some((role) => (allocator.getRole(tx.c.allocator, role)?.frameworks.length ?? 0) > 0);
  if (active) for (const [aid] of sortedEntries(tx.c.agents)) rescindOffersOn(tx, aid);
  tx.effect(reply(e.request, 200));
}

/** The weights the master starts with: `--weights`, overridden by what operators persisted. */
export function initialWeights(flags: Readonly<Record<string, number>> | undefined, registry: MasterContext['registry']): Record<string, number> {
  return { ...(flags ?? {}), ...(registry.weights ?? {}) };
}
