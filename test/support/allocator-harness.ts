/**
 * A small driver that plays Mesos's HierarchicalAllocatorTest scripts against an allocator
 * implementation (the real one, or a mutant built in a test). It stands in for the master: it
 * runs an allocation after the calls after which Mesos triggers one (addSlave for that agent,
 * addFramework/activate/revive for all agents), and names agents and frameworks as the Mesos
 * test fixture does (`agent1`, `framework1`, ...), since ties are broken by name.
 */
import * as assert from 'uvu/assert';
import * as A from '../../spec/allocator/index.ts';
import { describeResources, equals, mustParseResources, setAllocationRole, sum, type Quantities, type Resources } from '../../spec/resources/index.ts';

export type AllocatorImpl = typeof A;
export const realAllocator: AllocatorImpl = A;

export const r = (text: string): Resources => mustParseResources(text);

export interface ExpectedOffer {
  readonly framework: string;
  readonly agent: string;
  readonly role: string;
  /** Flag syntax, or resources. */
  readonly resources: string | Resources;
}

export class Cluster {
  state: A.AllocatorState;
  private nextAgent = 1;
  private nextFramework = 1;
  /** Every offer made, in order, per cycle. */
  readonly history: A.Offer[][] = [];

  constructor(
    readonly impl: AllocatorImpl = realAllocator,
    options: A.AllocatorOptionsInput = {},
  ) {
    this.state = impl.emptyAllocator(options);
  }

  private check(): void {
    const problem = A.allocatorConsistency(this.state);
    if (problem !== null) assert.unreachable(`inconsistent allocator state: ${problem}`);
  }

  /** Runs one cycle (all agents, or the ones given) and returns its offers. */
  allocate(agentOrder?: readonly string[]): readonly A.Offer[] {
    const result = this.impl.allocate(this.state, agentOrder === undefined ? {} : { agentOrder });
    this.state = result.state;
    this.history.push([...result.offers]);
    this.check();
    return result.offers;
  }

  /** Mesos `addSlave` + the allocation it triggers for that agent. */
  addAgent(resources: string | Resources, used: A.UsedResources[] = []): { id: string; offers: readonly A.Offer[] } {
    const id = `agent${this.nextAgent++}`;
    this.state = this.impl.addAgent(this.state, {
      agentId: id,
      resources: typeof resources === 'string' ? r(resources) : resources,
      used,
    });
    this.check();
    return { id, offers: this.allocate([id]) };
  }

  /** Mesos `addFramework` + the allocation it triggers (when active). */
  addFramework(roles: string[], opts: { suppressed?: string[]; active?: boolean; min?: Record<string, readonly Quantities[]> } = {}): { id: string; offers: readonly A.Offer[] } {
    const id = `framework${this.nextFramework++}`;
    this.state = this.impl.addFramework(this.state, {
      frameworkId: id,
      roles,
      ...(opts.suppressed ? { suppressedRoles: opts.suppressed } : {}),
      ...(opts.active !== undefined ? { active: opts.active } : {}),
      ...(opts.min ? { minAllocatableResources: opts.min } : {}),
    });
    this.check();
    return { id, offers: opts.active === false ? [] : this.allocate() };
  }

  /** Decline / task end: give an offer back, optionally with a filter. */
  recover(offer: A.Offer, filter?: A.FilterRequest, resources: Resources = offer.resources): void {
    this.state = this.impl.recoverResources(this.state, {
      frameworkId: offer.frameworkId,
      agentId: offer.agentId,
      role: offer.role,
      resources,
      ...(filter ? { filter } : {}),
    });
    this.check();
  }

  recoverAll(offers: readonly A.Offer[], filter?: Omit<A.FilterRequest, 'id'>): void {
    for (const o of offers) this.recover(o, filter ? { id: `${o.frameworkId}/${o.agentId}/${o.role}`, ...filter } : undefined);
  }

  do(f: (s: A.AllocatorState) => A.AllocatorState): void {
    this.state = f(this.state);
    this.check();
  }
}

function render(o: { framework: string; agent: string; role: string; resources: Resources }): string {
  return `${o.framework} ${o.role}@${o.agent}: ${describeResources(o.resources)}`;
}

/** The offers are exactly the expected ones (any order). */
export function expectOffers(actual: readonly A.Offer[], expected: readonly ExpectedOffer[]): void {
  const want = expected
    .map((e) => ({
      framework: e.framework,
      agent: e.agent,
      role: e.role,
      resources: setAllocationRole(typeof e.resources === 'string' ? r(e.resources) : e.resources, e.role),
    }))
    .map(render)
    .sort();
  const got = actual.map((o) => render({ framework: o.frameworkId, agent: o.agentId, role: o.role, resources: o.resources })).sort();
  assert.equal(got, want);
}

export function expectNoOffers(actual: readonly A.Offer[]): void {
  expectOffers(actual, []);
}

/** Sum of the offers' resources per framework, as flag text without allocation info. */
export function totalsByFramework(offers: readonly A.Offer[]): Record<string, Resources> {
  const out: Record<string, Resources> = {};
  for (const o of offers) out[o.frameworkId] = sum([out[o.frameworkId] ?? [], o.resources]);
  return out;
}

export function resourcesEqual(a: Resources, b: Resources, message?: string): void {
  if (!equals(a, b)) assert.unreachable(`${message ?? 'resources differ'}: ${describeResources(a)} ≠ ${describeResources(b)}`);
}
