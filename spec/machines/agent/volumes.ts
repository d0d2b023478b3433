/**
 * Persistent volumes on the agent.
 *
 * The volumes an executor's container mounts (Mesos's containerizer mounts the volumes among the
 * executor's and its tasks' resources into the sandbox): the agent machine names them in its
 * `spawn` effect; the runtime makes the directories (impl/agent/volumes.ts).
 *
 * The agent's checkpointed resources (CHECKPOINT_RESOURCES, Slave::checkpointResourceState and
 * syncCheckpointedResources): the master sends the agent's reservations and volumes whole after
 * each operation that changes them; the agent keeps them in its checkpoint and tells the runtime
 * which volume directories to make (new volumes) and to delete (volumes no longer there: a
 * DESTROY). The master refuses to destroy a volume a live task uses (operations.ts `destroyError`).
 */
import { canonicalJson } from '../../canonical.ts';
import type { Resource } from '../../protocol/common.ts';
import type { CheckpointResourcesMessage } from '../../protocol/internal.ts';
import { emit, type Tx } from './tx.ts';

/** One volume to mount: the role and persistence id name its directory, `container_path` where the sandbox sees it. */
export interface VolumeMount {
  readonly role: string;
  readonly id: string;
  readonly container_path: string;
  readonly mode: 'RW' | 'RO';
}

/** The role a resource is reserved for: its innermost reservation's, else the pre-refinement `role`. */
function reservationRole(r: Resource): string {
  const stack = r.reservations ?? [];
  return stack.length > 0 ? (stack[stack.length - 1]!.role ?? '*') : (r.role ?? '*');
}

/** The persistent volumes among `resources`, once each, in the order given. */
export function volumesOf(resources: readonly Resource[]): VolumeMount[] {
  const out: VolumeMount[] = [];
  for (const r of resources) {
    const id = r.disk?.persistence?.id;
    const path = r.disk?.volume?.container_path;
    if (id === undefined || path === undefined) continue;
    const role = reservationRole(r);
    if (out.some((v) => v.role === role && v.id === id)) continue;
    out.push({ role, id, container_path: path, mode: r.disk?.volume?.mode === 'RO' ? 'RO' : 'RW' });
  }
  return out;
}

/** A volume's directory: the role it is reserved for and its persistence id. */
interface VolumeDir {
  readonly role: string;
  readonly id: string;
}

/** The persistent volumes among `resources` (with or without a container path), once each. */
function volumeDirs(resources: readonly Resource[]): VolumeDir[] {
  const out: VolumeDir[] = [];
  for (const r of resources) {
    const id = r.disk?.persistence?.id;
    if (id === undefined) continue;
    const role = reservationRole(r);
    if (!out.some((v) => v.role === role && v.id === id)) out.push({ role, id });
  }
  return out;
}

/**
 * CHECKPOINT_RESOURCES: the same set again changes nothing (Mesos ignores it); a new set is
 * checkpointed (the `persist` the step emits comes first), then each new volume's directory is
 * made and each vanished volume's directory deleted.
 */
export function checkpointResources(tx: Tx, m: CheckpointResourcesMessage): void {
  const next = m.resources ?? [];
  const before = tx.c.resources ?? [];
  if (canonicalJson(before) === canonicalJson(next)) return;
  // `undefined`, not `delete`: the step merges the new context into the old one.
  tx.c.resources = next.length === 0 ? undefined : (next as typeof tx.c.resources);
  const had = volumeDirs(before);
  const has = volumeDirs(next);
  const inside = (list: readonly VolumeDir[], v: VolumeDir) => list.some((w) => w.role === v.role && w.id === v.id);
  for (const v of has) if (!inside(had, v)) emit(tx, { type: 'volume', op: 'create', role: v.role, id: v.id });
  for (const v of had) if (!inside(has, v)) emit(tx, { type: 'volume', op: 'delete', role: v.role, id: v.id });
}
