/**
 * The persistent volumes an executor's container mounts (Mesos's containerizer mounts the
 * volumes among the executor's and its tasks' resources into the sandbox). The agent machine
 * only names them in its `spawn` effect; the runtime makes the directories (impl/agent/volumes.ts).
 */
import type { Resource } from '../../protocol/common.ts';

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
