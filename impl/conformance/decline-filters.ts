/**
 * A timed check the model cannot make (it has no clock): resources a framework declined are not
 * offered to it again before the DECLINE's filter has run out.
 *
 * Mesos (`HierarchicalAllocatorProcess::recoverResources`, `RefusedOfferFilter`): a DECLINE
 * installs, per declined offer, a filter of that agent's declined resources for `refuse_seconds`
 * (absent or negative: 5 s; 0: none; above 365 days: 365 days), never shorter than an allocation
 * interval; until it expires, an offer to that framework on that agent whose resources the
 * declined ones contain is not made (for the declined offer's role). The master starts it when it handles the call, after the
 * runner sent it, so measured on the runner's clock from the sending, no such offer arrives
 * before `refuse_seconds` have passed. Filters also go on a REVIVE, on a framework's
 * (re)subscription or UPDATE_FRAMEWORK (which may change its roles and suppression), when the
 * framework is deactivated (a failover) and when the agent is removed or the master restarts: the
 * runner forgets a framework's windows at any of its SUBSCRIBE, UPDATE_FRAMEWORK and REVIVE
 * calls, and every window at any fault, so it only ever judges an offer Mesos would have
 * filtered. Only a DECLINE the master can have taken makes a window: of an offer the framework
 * was made and has neither used nor declined before, and not rescinded (a RESCIND that arrives
 * after the DECLINE may have raced it: the master ignores a DECLINE of an offer it no longer has).
 */

import { offerFilterDuration } from '../../spec/allocator/index.ts';
import { clearAllocationRole, contains, fromWire } from '../../spec/resources/index.ts';

/** A v1 Resource as JSON. */
type ResourceJson = { name: string; scalar?: { value: number }; ranges?: { range?: { begin: number; end: number }[] }; set?: { item?: string[] } } & Record<string, unknown>;

interface OfferJson {
  id: { value: string };
  agent_id: { value: string };
  allocation_info?: { role?: string };
  resources?: ResourceJson[];
}

/** The role an offer is made for (filters are per role): its allocation role, `*` for a framework of none. */
const roleOf = (o: OfferJson): string => o.allocation_info?.role ?? '*';

/** `Resources::contains` over v1 JSON, allocation info aside (spec/resources); resources that do not parse contain, and are contained in, nothing. */
export function containsResources(big: readonly ResourceJson[], small: readonly ResourceJson[]): boolean {
  const have = fromWire(big);
  const want = fromWire(small);
  return have.ok && want.ok && contains(clearAllocationRole(have.value), clearAllocationRole(want.value));
}

/** How long Mesos filters declined resources for `refuse_seconds` (ms; 0: no filter), as the allocator has it; the allocation interval can only lengthen it. */
export function refuseMs(refuseSeconds: unknown): number {
  return (offerFilterDuration(typeof refuseSeconds === 'number' ? refuseSeconds : undefined, 0) ?? 0) * 1000;
}

interface Window {
  readonly offer: string;
  readonly agent: string;
  readonly role: string;
  readonly resources: readonly ResourceJson[];
  readonly declinedAt: number;
  readonly ms: number;
}

export class DeclineFilters {
  /** Every offer each framework was made, by offer id (a DECLINE names them by id). */
  private readonly offers = new Map<string, Map<string, OfferJson>>();
  private readonly windows = new Map<string, Window[]>();
  /** Offers each framework has used, declined, or had rescinded: a DECLINE of one changes nothing. */
  private readonly spent = new Map<string, Set<string>>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Judges an event `fw` received: why it breaks a filter, or null. */
  onEvent(fw: string, event: { type: string; [k: string]: unknown }): string | null {
    if (event.type === 'RESCIND') {
      const id = (event.rescind as { offer_id: { value: string } }).offer_id.value;
      this.spentBy(fw).add(id);
      this.windows.set(
        fw,
        (this.windows.get(fw) ?? []).filter((w) => w.offer !== id),
      );
      return null;
    }
    if (event.type !== 'OFFERS') return null;
    const made = (event.offers as { offers?: OfferJson[] } | undefined)?.offers ?? [];
    let mine = this.offers.get(fw);
    if (!mine) this.offers.set(fw, (mine = new Map()));
    const at = this.now();
    for (const o of made) {
      mine.set(o.id.value, o);
      for (const w of this.windows.get(fw) ?? []) {
        const elapsed = at - w.declinedAt;
        if (w.agent !== o.agent_id.value || w.role !== roleOf(o) || elapsed >= w.ms || !containsResources(w.resources, o.resources ?? [])) continue;
        return (
          `${fw} was offered agent ${o.agent_id.value}'s declined resources again (offer ${o.id.value}) ${(elapsed / 1000).toFixed(2)} s after it declined them ` +
          `with a ${w.ms / 1000} s filter (refuse_seconds): the master must not offer them before it expires`
        );
      }
    }
    return null;
  }

  /** `fw` is sending `call` (before it goes out: the filter cannot start earlier). */
  onCall(fw: string, call: { type: string; [k: string]: unknown }): void {
    if (call.type === 'SUBSCRIBE' || call.type === 'REVIVE' || call.type === 'UPDATE_FRAMEWORK') {
      this.windows.delete(fw);
      return;
    }
    if (call.type === 'ACCEPT') {
      for (const { value } of (call.accept as { offer_ids?: { value: string }[] } | undefined)?.offer_ids ?? []) this.spentBy(fw).add(value);
      return;
    }
    if (call.type !== 'DECLINE') return;
    const decline = call.decline as { offer_ids?: { value: string }[]; filters?: { refuse_seconds?: unknown } } | undefined;
    const ms = refuseMs(decline?.filters?.refuse_seconds);
    const list = this.windows.get(fw) ?? [];
    for (const { value } of decline?.offer_ids ?? []) {
      const o = this.offers.get(fw)?.get(value);
      const spent = this.spentBy(fw);
      // An offer this framework was never made, or no longer has: Mesos ignores it.
      if (o && !spent.has(value) && ms > 0) list.push({ offer: value, agent: o.agent_id.value, role: roleOf(o), resources: o.resources ?? [], declinedAt: this.now(), ms });
      spent.add(value);
    }
    this.windows.set(fw, list);
  }

  private spentBy(fw: string): Set<string> {
    let s = this.spent.get(fw);
    if (!s) this.spent.set(fw, (s = new Set()));
    return s;
  }

  /** A fault: an agent or master restarted, a framework failed over; any filter may be gone. */
  onFault(): void {
    this.windows.clear();
  }
}
