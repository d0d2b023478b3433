/**
 * Mesos's quota scenarios (src/tests/hierarchical_allocator_tests.cpp, QUOTA_V2: guarantees
 * and limits), replayed on an allocator implementation as scenarios.ts does for the rest.
 * quota.test.ts runs them on the real allocator and checks that the quota mutants fail them.
 *
 * Mesos's `createQuota(resources)` sets the same quantities as guarantees and limits, and so
 * does `createQuota` here; `quota(guarantees, limits)` is its two-argument form.
 *
 * Ported: QuotaProvidesGuarantee, QuotaProvidesLimit, RemoveQuota,
 * MultipleFrameworksInRoleWithQuota, QuotaAllocationGranularity, DRFWithQuota,
 * QuotaAgainstStarvation, QuotaAbsentFrameworkWholeAgent, MultiQuotaAbsentFrameworks,
 * MultiQuotaWithFrameworks, QuotaSetAsideReservedResources, DisproportionateQuotaVsAllocation,
 * QuotaWithAncestorReservations, QuotaWithNestedRoleReservation,
 * QuotaHeadroomWithNestedRoleAllocation; ReservationWithinQuota adapted. Mesos's quota metrics
 * become assertions on `quotaOf` and `consumedQuota` (the allocator serves no metrics).
 *
 * Not ported:
 * - DISABLED_NestedRoleQuota, DISABLED_NestedRoleQuotaAllocateToParent,
 *   DISABLED_NestedQuotaAccounting: they set quota on a nested role, which the reference refuses
 *   (as UPDATE_QUOTA does in Mesos; the tests are disabled there too).
 * - QuotaWithNestedRoleAllocation: it expects a sub-role (`a/b`) to be offered an agent although
 *   its parent `a` has already reached its limits through that sub-role's allocation, because
 *   Mesos checks only a role's own limits (its test calls this a stopgap until hierarchical
 *   quota). The reference holds sub-roles to their top-level role's limits (allocate.ts,
 *   `quotaStages`), so that "quota limits are never exceeded" holds for the whole subtree: it
 *   offers nothing there. A deliberate difference, not a translation error.
 * - QuotaAllocationGranularityUnchoppableResource, QuotaAllocationMultipleDisk: they need MOUNT
 *   and PATH disk sources, which the resources here do not have.
 * - QuotaMetrics: about the metrics endpoint, not allocations.
 * - QuotaRoleAllocateNonQuotaResource, QuotaAccountingReserveAllocatedResources,
 *   QuotaAccountingUnreserveAllocatedResources: not yet.
 */
import * as assert from 'uvu/assert';
import type * as A from '../../spec/allocator/index.ts';
import { resources, scalarQuantities, setAllocationRole, toFixed, type ResourceEntry, type Resources } from '../../spec/resources/index.ts';
import { Cluster, expectNoOffers, expectOffers, r, type AllocatorImpl } from '../support/allocator-harness.ts';

export type Scenario = (impl: AllocatorImpl) => void;

/** Mesos `createQuota(guarantees, limits)` in flag syntax; a limit of 0 is kept (it forbids the name). */
export function quota(guarantees: string, limits = ''): A.Quota {
  const lim: Record<string, number> = {};
  for (const part of limits.split(';').filter((p) => p !== '')) {
    const [name, value] = part.split(':') as [string, string];
    lim[name] = toFixed(Number(value));
  }
  return { guarantees: guarantees === '' ? {} : scalarQuantities(r(guarantees)), limits: lim };
}

/** Mesos `createQuota(resources)`: the same quantities as guarantees and as limits. */
const createQuota = (resources: string): A.Quota => quota(resources, resources);

/**
 * QuotaProvidesGuarantee: a role with an unsatisfied guarantee gets the agents before a role
 * without quota; what it declines is held back as headroom (the other role is not offered it)
 * until the decline filter expires and it is offered again.
 */
export const QuotaProvidesGuarantee: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['quota-role']);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:2;mem:1024')));
  const fw2 = c.addFramework(['no-quota-role']);
  const agent1 = c.addAgent('cpus:1;mem:512');
  expectOffers(agent1.offers, [{ framework: fw1.id, agent: agent1.id, role: 'quota-role', resources: 'cpus:1;mem:512' }]);
  const agent2 = c.addAgent('cpus:1;mem:512');
  expectOffers(agent2.offers, [{ framework: fw1.id, agent: agent2.id, role: 'quota-role', resources: 'cpus:1;mem:512' }]);
  // framework1 declines agent2 for two allocation intervals: nobody gets it meanwhile.
  c.recover(agent2.offers[0]!, { id: 'd1', refuseSeconds: 2 });
  expectNoOffers(c.allocate());
  c.do((s) => impl.expireFilter(s, { frameworkId: fw1.id, role: 'quota-role', agentId: agent2.id, id: 'd1' }));
  expectOffers(c.allocate(), [{ framework: fw1.id, agent: agent2.id, role: 'quota-role', resources: 'cpus:1;mem:512' }]);
  assert.ok(fw2.offers.length === 0);
};

/**
 * QuotaProvidesLimit: a role limited to nothing is offered nothing, and a role without quota
 * takes the agent; with limits of half an agent the limited role gets exactly that half and
 * the rest goes to the other role.
 */
export const QuotaProvidesLimit: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['quota-role']);
  c.do((s) => impl.updateQuota(s, 'quota-role', quota('', 'cpus:0;mem:0;disk:0')));
  const agent1 = c.addAgent('cpus:2;mem:1024;disk:1024');
  expectNoOffers(agent1.offers);
  const fw2 = c.addFramework(['no-quota-role']);
  expectOffers(fw2.offers, [{ framework: fw2.id, agent: agent1.id, role: 'no-quota-role', resources: 'cpus:2;mem:1024;disk:1024' }]);
  c.do((s) => impl.updateQuota(s, 'quota-role', quota('', 'cpus:1;mem:512;disk:512')));
  const agent2 = c.addAgent('cpus:2;mem:1024;disk:1024');
  expectOffers(agent2.offers, [
    { framework: fw1.id, agent: agent2.id, role: 'quota-role', resources: 'cpus:1;mem:512;disk:512' },
    { framework: fw2.id, agent: agent2.id, role: 'no-quota-role', resources: 'cpus:1;mem:512;disk:512' },
  ]);
};

/**
 * QuotaAbsentFrameworkWholeAgent: a role with a guarantee but no framework still has its
 * headroom held back: the first agent (exactly the guarantee) is not offered to the role without
 * quota; once a second agent makes room, one whole agent is.
 */
export const QuotaAbsentFrameworkWholeAgent: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:2;mem:1024')));
  const fw = c.addFramework(['no-quota-role']);
  const agent1 = c.addAgent('cpus:2;mem:1024');
  expectNoOffers(agent1.offers);
  const agent2 = c.addAgent('cpus:2;mem:1024');
  expectOffers(agent2.offers, [{ framework: fw.id, agent: agent2.id, role: 'no-quota-role', resources: 'cpus:2;mem:1024' }]);
};

/**
 * MultiQuotaAbsentFrameworks: with two guarantees that together exceed the cluster, the role
 * that has a framework gets the whole agent (stage 1 gives guarantees unconditionally).
 */
const MultiQuotaAbsentFrameworks: Scenario = (impl) => {
  const c = new Cluster(impl);
  const agent = c.addAgent('cpus:2;mem:2048');
  c.do((s) => impl.updateQuota(s, 'quota-role-1', createQuota('cpus:1;mem:1024')));
  c.do((s) => impl.updateQuota(s, 'quota-role-2', createQuota('cpus:2;mem:2048')));
  const fw = c.addFramework(['quota-role-2']);
  expectOffers(fw.offers, [{ framework: fw.id, agent: agent.id, role: 'quota-role-2', resources: 'cpus:2;mem:2048' }]);
};

/**
 * ReservationWithinQuota (adapted): reservations count toward a role's consumed quota, so a
 * role whose reservation already fills its limit gets only the reservation, never unreserved
 * resources beside it.
 */
export const ReservationCountsTowardLimit: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'quota-role', quota('', 'cpus:1;mem:512')));
  const fw = c.addFramework(['quota-role']);
  const agent = c.addAgent('cpus(quota-role):1;mem(quota-role):512;cpus:3;mem:1536');
  expectOffers(agent.offers, [{ framework: fw.id, agent: agent.id, role: 'quota-role', resources: 'cpus(quota-role):1;mem(quota-role):512' }]);
};

/**
 * Two frameworks of roles with equal weight compete (DRF alone would split the agents); the
 * quota role's guarantee of two agents' worth is met first, whatever the DRF order says.
 */
export const GuaranteeBeatsDRF: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fwA = c.addFramework(['a']);
  const fwB = c.addFramework(['b']);
  c.do((s) => impl.updateQuota(s, 'b', quota('cpus:2;mem:2048')));
  const a1 = c.addAgent('cpus:1;mem:1024');
  expectOffers(a1.offers, [{ framework: fwB.id, agent: a1.id, role: 'b', resources: 'cpus:1;mem:1024' }]);
  const a2 = c.addAgent('cpus:1;mem:1024');
  expectOffers(a2.offers, [{ framework: fwB.id, agent: a2.id, role: 'b', resources: 'cpus:1;mem:1024' }]);
  // Guarantee met: now DRF decides, and a (share 0) is ahead of b.
  const a3 = c.addAgent('cpus:1;mem:1024');
  expectOffers(a3.offers, [{ framework: fwA.id, agent: a3.id, role: 'a', resources: 'cpus:1;mem:1024' }]);
};

/** What the harness hands back for resources an agent was added with, as an offer to recover. */
const held = (frameworkId: string, agentId: string, role: string, resources: string): A.Offer => ({
  frameworkId,
  agentId,
  role,
  resources: setAllocationRole(r(resources), role),
});

/**
 * RemoveQuota: the quota role holds the whole cluster under its guarantee; once the quota is
 * removed (set back to the default), an agent its framework gives back goes to the role without
 * quota, and the role is no longer tracked as having quota.
 */
export const RemoveQuota: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:2;mem:1024')));
  const fw1 = c.addFramework(['quota-role']);
  const fw2 = c.addFramework(['no-quota-role']);
  const used = [{ frameworkId: fw1.id, role: 'quota-role', resources: r('cpus:1;mem:512') }];
  const agent1 = c.addAgent('cpus:1;mem:512;disk:0', used);
  expectNoOffers(agent1.offers);
  const agent2 = c.addAgent('cpus:1;mem:512;disk:0', used);
  expectNoOffers(agent2.offers);
  c.do((s) => impl.updateQuota(s, 'quota-role', impl.DEFAULT_QUOTA));
  expectNoOffers(c.allocate());
  c.recover(held(fw1.id, agent1.id, 'quota-role', 'cpus:1;mem:512'));
  expectOffers(c.allocate(), [{ framework: fw2.id, agent: agent1.id, role: 'no-quota-role', resources: 'cpus:1;mem:512' }]);
  // Mesos drops the role's quota metrics; here the role has no quota entry left.
  assert.is(c.state.quotas?.['quota-role'], undefined);
};

/**
 * MultipleFrameworksInRoleWithQuota: frameworks of one quota role share its guarantee by DRF
 * among themselves, and what one of them declines goes to the other (not to the role without
 * quota) while the guarantee is not yet met by what is left.
 */
export const MultipleFrameworksInRoleWithQuota: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1a = c.addFramework(['quota-role']);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:4;mem:2048')));
  const fw2 = c.addFramework(['no-quota-role']);
  expectNoOffers(fw2.offers);
  const agent1 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent1.offers, [{ framework: fw1a.id, agent: agent1.id, role: 'quota-role', resources: 'cpus:1;mem:512' }]);
  const fw1b = c.addFramework(['quota-role']);
  expectNoOffers(fw1b.offers);
  const agent2 = c.addAgent('cpus:2;mem:1024;disk:0');
  expectOffers(agent2.offers, [{ framework: fw1b.id, agent: agent2.id, role: 'quota-role', resources: 'cpus:2;mem:1024' }]);
  const agent3 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent3.offers, [{ framework: fw1a.id, agent: agent3.id, role: 'quota-role', resources: 'cpus:1;mem:512' }]);
  c.recover(agent3.offers[0]!, { id: 'decline', refuseSeconds: 5 });
  expectOffers(c.allocate(), [{ framework: fw1b.id, agent: agent3.id, role: 'quota-role', resources: 'cpus:1;mem:512' }]);
};

/**
 * DRFWithQuota: once a role's guarantee is met by what its framework already runs, the rest is
 * shared by DRF as without quota, and the quota role, although its share is smaller, gets nothing
 * more (its limits equal its guarantees).
 */
export const DRFWithQuota: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:0.25;mem:128')));
  const fw1 = c.addFramework(['quota-role']);
  const fw2 = c.addFramework(['no-quota-role']);
  // Mesos's quota metrics (guarantee and limit per resource) come from the quota as set.
  assert.equal(impl.quotaOf(c.state, 'quota-role'), { guarantees: { cpus: 250, mem: 128000 }, limits: { cpus: 250, mem: 128000 } });
  const agent1 = c.addAgent('cpus:1;mem:512;disk:0', [{ frameworkId: fw1.id, role: 'quota-role', resources: r('cpus:0.25;mem:128') }]);
  expectOffers(agent1.offers, [{ framework: fw2.id, agent: agent1.id, role: 'no-quota-role', resources: 'cpus:0.75;mem:384' }]);
  // offered_or_allocated: cpus 0.25, mem 128, no disk.
  assert.equal(impl.consumedQuota(c.state, 'quota-role'), { cpus: 250, mem: 128000 });
  const agent2 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent2.offers, [{ framework: fw2.id, agent: agent2.id, role: 'no-quota-role', resources: 'cpus:1;mem:512' }]);
};

/**
 * QuotaAgainstStarvation: a framework that keeps declining with a zero filter gets the free
 * agent back at every allocation (its share is lowest), starving the other role; a guarantee for
 * the starving role makes the next allocation give it the agent.
 */
export const QuotaAgainstStarvation: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['quota-role']);
  const fw2 = c.addFramework(['no-quota-role']);
  const agent1 = c.addAgent('cpus:1;mem:512;disk:0', [{ frameworkId: fw1.id, role: 'quota-role', resources: r('cpus:1;mem:512') }]);
  expectNoOffers(agent1.offers);
  const agent2 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent2.offers, [{ framework: fw2.id, agent: agent2.id, role: 'no-quota-role', resources: 'cpus:1;mem:512' }]);
  c.recover(agent2.offers[0]!, { id: 'd1', refuseSeconds: 0 });
  const again = c.allocate();
  expectOffers(again, [{ framework: fw2.id, agent: agent2.id, role: 'no-quota-role', resources: 'cpus:1;mem:512' }]);
  c.recover(again[0]!, { id: 'd2', refuseSeconds: 0 });
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:2;mem:1024')));
  expectOffers(c.allocate(), [{ framework: fw1.id, agent: agent2.id, role: 'quota-role', resources: 'cpus:1;mem:512' }]);
};

/**
 * MultiQuotaWithFrameworks: of two quota roles, the one whose guarantee is met gets nothing of a
 * new agent (its limits are reached too), and the other gets exactly what its guarantee still
 * lacks: cpus:2;mem:2000 minus the cpus:1;mem:1024 it runs.
 */
export const MultiQuotaWithFrameworks: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'quota-role-1', createQuota('cpus:1;mem:200')));
  c.do((s) => impl.updateQuota(s, 'quota-role-2', createQuota('cpus:2;mem:2000')));
  const fw1 = c.addFramework(['quota-role-1']);
  const fw2 = c.addFramework(['quota-role-2']);
  expectNoOffers(c.addAgent('cpus:1;mem:1024;disk:0', [{ frameworkId: fw1.id, role: 'quota-role-1', resources: r('cpus:1;mem:1024') }]).offers);
  expectNoOffers(c.addAgent('cpus:1;mem:1024;disk:0', [{ frameworkId: fw2.id, role: 'quota-role-2', resources: r('cpus:1;mem:1024') }]).offers);
  const agent3 = c.addAgent('cpus:2;mem:2048');
  expectOffers(agent3.offers, [{ framework: fw2.id, agent: agent3.id, role: 'quota-role-2', resources: 'cpus:1;mem:976' }]);
};

/** An operator's dynamic reservation of `text` for `role` (principal `ops`), as Mesos's `pushReservation`. */
const dynamicallyReserved = (text: string, role: string): Resources =>
  resources(r(text).map((e): ResourceEntry => ({ ...e, reservations: [...(e.reservations ?? []), { type: 'DYNAMIC', role, principal: 'ops' }] })));

/**
 * QuotaSetAsideReservedResources: resources reserved for another role do not count as headroom
 * for a guarantee. The quota role gets the one unreserved agent (exactly its guarantee); when it
 * declines it, the role without quota is offered only its own reservation, never that agent, and
 * once both decline nothing is offered.
 */
export const QuotaSetAsideReservedResources: Scenario = (impl) => {
  const c = new Cluster(impl);
  const agent1 = c.addAgent('cpus:4;mem:512;disk:0');
  expectNoOffers(agent1.offers);
  const agent2 = c.addAgent('cpus:4;mem:512;disk:0');
  expectNoOffers(agent2.offers);
  // The operator's RESERVE on agent2's available resources (Mesos `updateAvailable`) becomes the
  // agent's new total here, as the master's RESERVE_RESOURCES does.
  const reservedForOther = dynamicallyReserved('cpus:4;mem:512', 'no-quota-role');
  c.do((s) => impl.updateAgent(s, { agentId: agent2.id, resources: reservedForOther }));
  // Mesos sets the quota just after adding the framework, before the allocation that triggers
  // runs; set first or second, the quota role gets all of agent1, which is its guarantee.
  const fw1 = c.addFramework(['quota-role']);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:4;mem:512')));
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: agent1.id, role: 'quota-role', resources: 'cpus:4;mem:512' }]);
  c.recover(fw1.offers[0]!, { id: 'long1', refuseSeconds: 10 });
  expectNoOffers(c.allocate());
  const fw2 = c.addFramework(['no-quota-role']);
  expectOffers(fw2.offers, [{ framework: fw2.id, agent: agent2.id, role: 'no-quota-role', resources: reservedForOther }]);
  c.recover(fw2.offers[0]!, { id: 'long2', refuseSeconds: 10 });
  expectNoOffers(c.allocate());
};

/**
 * QuotaWithAncestorReservations (MESOS-8604): a reservation of `a` offered to `a/b` counts as
 * allocated, not as unallocated reservations, in the headroom; of two new agents each the size
 * of the guarantee, one is held back for the quota role without a framework and the other is
 * offered to the role without quota (Mesos accepts either agent).
 */
export const QuotaWithAncestorReservations: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:1;mem:1024')));
  const agent1 = c.addAgent('cpus(a):1;mem(a):1024');
  expectNoOffers(agent1.offers);
  const fw1 = c.addFramework(['a/b']);
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: agent1.id, role: 'a/b', resources: 'cpus(a):1;mem(a):1024' }]);
  const fw2 = c.addFramework(['no-quota-role']);
  expectNoOffers(fw2.offers);
  const agent2 = c.addAgent('cpus:1;mem:1024');
  const agent3 = c.addAgent('cpus:1;mem:1024');
  const offers = [...agent2.offers, ...agent3.offers];
  assert.is(offers.length, 1, 'one allocation, of one of the two agents');
  const agent = offers[0]!.agentId;
  assert.ok(agent === agent2.id || agent === agent3.id);
  expectOffers(offers, [{ framework: fw2.id, agent, role: 'no-quota-role', resources: 'cpus:1;mem:1024' }]);
};

/**
 * QuotaAllocationGranularity: a guarantee smaller than an agent is offered exactly (quota
 * offers are fine-grained), and the rest of the agent goes to the role without quota.
 */
export const QuotaAllocationGranularity: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['quota-role']);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:0.5;mem:200')));
  const agent = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent.offers, [{ framework: fw1.id, agent: agent.id, role: 'quota-role', resources: 'cpus:0.5;mem:200' }]);
  const fw2 = c.addFramework(['no-quota-role']);
  expectOffers(fw2.offers, [{ framework: fw2.id, agent: agent.id, role: 'no-quota-role', resources: 'cpus:0.5;mem:312' }]);
};

/**
 * DisproportionateQuotaVsAllocation: a guarantee of cpus:4;mem:1024 on agents of cpus:2;mem:1024
 * takes all of the first agent (mem now met), and of the second only the two cpus still lacking.
 */
export const DisproportionateQuotaVsAllocation: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:4;mem:1024')));
  const fw = c.addFramework(['quota-role']);
  const agent1 = c.addAgent('cpus:2;mem:1024');
  expectOffers(agent1.offers, [{ framework: fw.id, agent: agent1.id, role: 'quota-role', resources: 'cpus:2;mem:1024' }]);
  const agent2 = c.addAgent('cpus:2;mem:1024');
  expectOffers(agent2.offers, [{ framework: fw.id, agent: agent2.id, role: 'quota-role', resources: 'cpus:2' }]);
};

/**
 * QuotaWithNestedRoleReservation (MESOS-9688): a sub-role's reservation counts toward its parent's
 * consumed quota, so the parent's framework gets only what the guarantee still lacks
 * (cpus:2;mem:200 minus a/b's cpus:1;mem:100) of an unreserved agent, and never the child's
 * reservation.
 */
const QuotaWithNestedRoleReservation: Scenario = (impl) => {
  const c = new Cluster(impl);
  c.do((s) => impl.updateQuota(s, 'a', createQuota('cpus:2;mem:200')));
  expectNoOffers(c.addAgent('cpus(a/b):1;mem(a/b):100').offers);
  const agent2 = c.addAgent('cpus:10;mem:1000');
  expectNoOffers(agent2.offers);
  const fw1 = c.addFramework(['a']);
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: agent2.id, role: 'a', resources: 'cpus:1;mem:100' }]);
};

/**
 * QuotaHeadroomWithNestedRoleAllocation: allocations to a role and to its sub-role are each
 * counted once in the headroom. With a guarantee of one agent for a role without frameworks,
 * the first new agent is held back and the second is offered, once.
 */
const QuotaHeadroomWithNestedRoleAllocation: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['a/b']);
  const agent1 = c.addAgent('cpus:1;mem:100');
  expectOffers(agent1.offers, [{ framework: fw1.id, agent: agent1.id, role: 'a/b', resources: 'cpus:1;mem:100' }]);
  const fw2 = c.addFramework(['a']);
  expectNoOffers(fw2.offers);
  const agent2 = c.addAgent('cpus:1;mem:100');
  expectOffers(agent2.offers, [{ framework: fw2.id, agent: agent2.id, role: 'a', resources: 'cpus:1;mem:100' }]);
  c.do((s) => impl.updateQuota(s, 'quota-role', createQuota('cpus:1;mem:100')));
  expectNoOffers(c.addAgent('cpus:1;mem:100').offers);
  const agent4 = c.addAgent('cpus:1;mem:100');
  // Mesos checks only that one allocation is made; whichever framework it goes to, it is all of agent4.
  assert.is(agent4.offers.length, 1);
  const { frameworkId, role } = agent4.offers[0]!;
  expectOffers(agent4.offers, [{ framework: frameworkId, agent: agent4.id, role, resources: 'cpus:1;mem:100' }]);
};

export const quotaScenarios: Record<string, Scenario> = {
  QuotaProvidesGuarantee,
  QuotaProvidesLimit,
  QuotaAbsentFrameworkWholeAgent,
  MultiQuotaAbsentFrameworks,
  ReservationCountsTowardLimit,
  GuaranteeBeatsDRF,
  RemoveQuota,
  MultipleFrameworksInRoleWithQuota,
  DRFWithQuota,
  QuotaAgainstStarvation,
  MultiQuotaWithFrameworks,
  QuotaSetAsideReservedResources,
  QuotaWithAncestorReservations,
  QuotaAllocationGranularity,
  DisproportionateQuotaVsAllocation,
  QuotaWithNestedRoleReservation,
  QuotaHeadroomWithNestedRoleAllocation,
};
