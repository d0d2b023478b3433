/**
 * Persistent volumes: a volume is offered only to the role it was reserved for (or a role below
 * it), and never while a live task uses it (a volume that is not shared belongs to one task at a
 * time: Mesos keeps it allocated to that task until the task ends). And at quiescence each agent
 * the master is connected to has checkpointed exactly the reservations and volumes the master's
 * books give it (CHECKPOINT_RESOURCES), so a destroyed volume's directory is gone. And where a
 * framework reserves disk and creates a volume on it, some run does make the volume (the happy
 * path is required, not only possible).
 */
import type { MesosLayout } from '../spec/world/mesos.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import { dynamicPart } from '../spec/machines/master/reservations.ts';
import { connectedAgents, type Emitted, type WorldReader } from './world.ts';
import type { AnyEventObject } from 'xstate';
import type { AgentContext } from '../spec/machines/agent.ts';
import { sameJson } from '../spec/canonical.ts';
import { isTerminal } from '../spec/protocol/common.ts';
import { describeResources, equals, fromWire, isAllocatableTo, isPersistentVolume, reservationRole, type ResourceEntry } from '../spec/resources/index.ts';

/** A volume's identity on its agent: role, persistence id. */
const volumeKey = (aid: string, e: ResourceEntry) => `${aid}\u0000${reservationRole(e)}\u0000${e.disk!.persistence.id}`;

/** volumesOfferedOnlyFree == every volume in an outstanding offer is allocatable to the offer's role and used by no live task. */
export function volumesOfferedOnlyFree(m: MasterContext): string | null {
  const inUse = new Map<string, string>();
  for (const fid of Object.keys(m.frameworks).sort()) {
    for (const [tid, r] of Object.entries(m.frameworks[fid]!.tasks)) {
      if (isTerminal(r.task.state) || r.task.state === 'TASK_UNREACHABLE') continue;
      const used = fromWire(r.task.resources ?? []);
      if (used.ok) for (const e of used.value.filter(isPersistentVolume)) inUse.set(volumeKey(r.task.agent_id.value, e), `task ${tid} of framework ${fid}`);
    }
  }
  for (const id of Object.keys(m.offers).sort()) {
    const o = m.offers[id]!;
    for (const e of o.resources.filter(isPersistentVolume)) {
      if (!isAllocatableTo(e, o.role)) return `offer ${id} to role ${o.role} holds volume ${describeResources([e])}, reserved for role ${reservationRole(e)}`;
      const user = inUse.get(volumeKey(o.agent_id, e));
      if (user !== undefined) return `offer ${id} holds volume ${describeResources([e])} while ${user} uses it`;
    }
  }
  return null;
}

/**
 * checkpointedResourcesAgree == at quiescence, every agent the master is connected to has
 * checkpointed the dynamic reservations and volumes of its total in the master's books.
 */
export function checkpointedResourcesAgree(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const { name: agent, agent: a, aid } of connectedAgents(w, m)) {
    const books = dynamicPart(m.agents[aid]!.total);
    const held = fromWire(a.resources ?? []);
    if (!held.ok) return `${agent} checkpointed resources it cannot parse: ${held.error}`;
    if (!equals(held.value, books)) return `${agent} checkpointed '${describeResources(held.value)}', the master's books give it '${describeResources(books)}'`;
  }
  return null;
}

/** Where a general framework reserves disk and creates a volume on it by ACCEPT. */
export const someVolumeCreatedApplies = (l: MesosLayout): string | null =>
  Object.values(l.frameworkConfig).some((f) => (f.calls ?? []).includes('ACCEPT_RESERVE_CREATE')) ? null : 'no framework reserves disk and creates a volume in this configuration';

/** someVolumeCreated == some agent in the master's books holds a persistent volume. */
export function someVolumeCreated(w: WorldReader): string | null {
  const m = w.master();
  if (m && Object.values(m.agents).some((a) => a.total.some(isPersistentVolume))) return null;
  return 'no agent holds a persistent volume yet';
}

/**
 * reregistrationsReportResources == every REREGISTER_AGENT an agent sends carries the reservations
 * and volumes it has checkpointed (Slave::doReliableRegistration: checkpointed_resources), none
 * when it has none: a master that lost its own copy learns them from the agent.
 */
export function reregistrationsReportResources(_before: AgentContext, _event: AnyEventObject, effects: readonly Emitted[], after: AgentContext): string | null {
  for (const e of effects) {
    const msg = e.msg as { type?: string; checkpointed_resources?: unknown } | undefined;
    if (e.type !== 'send' || msg?.type !== 'REREGISTER_AGENT') continue;
    if (!sameJson(msg.checkpointed_resources ?? [], after.resources ?? [])) {
      const sent = Array.isArray(msg.checkpointed_resources) ? msg.checkpointed_resources.length : 0;
      return `the agent reregisters reporting ${sent} checkpointed resource(s), where it has checkpointed ${(after.resources ?? []).length} (other ones)`;
    }
  }
  return null;
}
