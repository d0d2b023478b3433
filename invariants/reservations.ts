/**
 * Reservations: what is reserved for a role goes only to that role (or a role below it in the
 * hierarchy), in offers and in the tasks launched on them (Mesos `Resources::isAllocatableTo`).
 */
import type { MasterContext } from '../spec/machines/master.ts';
import { describeResources, fromWire, isAllocatableTo, reservationRole, type ResourceEntry } from '../spec/resources/index.ts';

const stray = (entries: readonly ResourceEntry[], role: string) => entries.find((e) => !isAllocatableTo(e, role));

/** reservedOnlyToRole == every outstanding offer and every live task holds only resources allocatable to its role. */
export function reservedOnlyToRole(m: MasterContext): string | null {
  for (const id of Object.keys(m.offers).sort()) {
    const o = m.offers[id]!;
    const e = stray(o.resources, o.role);
    if (e) return `offer ${id} to role ${o.role} holds ${describeResources([e])}, reserved for role ${reservationRole(e)}`;
  }
  for (const fid of Object.keys(m.frameworks).sort()) {
    for (const [tid, r] of Object.entries(m.frameworks[fid]!.tasks)) {
      const used = fromWire(r.task.resources ?? []);
      const e = used.ok ? stray(used.value, r.role) : undefined;
      if (e) return `task ${tid} of framework ${fid} in role ${r.role} uses ${describeResources([e])}, reserved for role ${reservationRole(e)}`;
    }
  }
  return null;
}
