/**
 * Resources: the master never promises an agent's resources twice, and its books agree with
 * its allocator's. Each invariant reads only the master's context.
 */
import { add, clearAllocationRole, contains, EMPTY, equals, fromWire, describeResources, subtract, sum, type Resources } from '../spec/resources/index.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import { terminal } from '../spec/machines/master/context.ts';

const wire = (r: unknown): Resources => {
  const parsed = fromWire(r ?? []);
  return parsed.ok ? clearAllocationRole(parsed.value) : EMPTY;
};

/** Resources the master's books hold on an agent: its live tasks' and custom executors', then its outstanding offers'. */
function holdings(m: MasterContext, agentId: string, withOffers: boolean): { what: string; resources: Resources }[] {
  const out: { what: string; resources: Resources }[] = [];
  for (const fid of Object.keys(m.frameworks).sort()) {
    const f = m.frameworks[fid]!;
    for (const tid of Object.keys(f.tasks).sort()) {
      const t = f.tasks[tid]!.task;
      if (t.agent_id.value === agentId && !terminal(t.state)) out.push({ what: `task ${tid}`, resources: wire(t.resources) });
    }
    // A custom executor holds its own resources while it lives (counted once, however many tasks it runs).
    for (const eid of Object.keys(f.executors?.[agentId] ?? {}).sort()) out.push({ what: `executor ${eid}`, resources: wire(f.executors![agentId]![eid]!.info.resources) });
  }
  if (withOffers) {
    for (const oid of Object.keys(m.offers).sort()) {
      const o = m.offers[oid]!;
      if (o.agent_id === agentId) out.push({ what: `offer ${oid}`, resources: clearAllocationRole(o.resources) });
    }
  }
  return out;
}

/** Each holding must fit in what the earlier ones left of the agent's total: no overlap, no excess. */
function fits(m: MasterContext, withOffers: boolean): string | null {
  for (const aid of Object.keys(m.agents).sort()) {
    const total = m.agents[aid]!.total;
    let left = total;
    for (const h of holdings(m, aid, withOffers)) {
      if (!contains(left, h.resources)) {
        return `agent ${aid}: ${h.what} needs ${describeResources(h.resources)} but only ${describeResources(left)} of ${describeResources(total)} is not already promised`;
      }
      left = subtract(left, h.resources);
    }
  }
  return null;
}

/** No agent runs more than it has: its live tasks fit, disjointly, in its total. */
export const noOverAllocation = (m: MasterContext): string | null => fits(m, false);

/** No resource is in two outstanding offers, or in an offer and a live task at once. */
export const offersDisjoint = (m: MasterContext): string | null => fits(m, true);

/**
 * Conservation, per agent: total = available + allocated in the allocator, and what it
 * allocates is exactly what the master's books hold there (live tasks plus outstanding offers).
 */
export function conservation(m: MasterContext): string | null {
  for (const a of m.allocator.agents) {
    const allocated = sum(a.allocated.map((x) => clearAllocationRole(x.resources)));
    if (!equals(add(a.available, allocated), clearAllocationRole(a.total))) {
      return `agent ${a.agentId}: available ${describeResources(a.available)} + allocated ${describeResources(allocated)} != total ${describeResources(a.total)}`;
    }
    const books = sum(holdings(m, a.agentId, true).map((h) => h.resources));
    if (!equals(books, allocated)) {
      return `agent ${a.agentId}: the master's tasks and offers hold ${describeResources(books)} but the allocator has ${describeResources(allocated)} allocated`;
    }
  }
  return null;
}
