/**
 * Mesos's quota scenarios (src/tests/hierarchical_allocator_tests.cpp, QUOTA_V2: guarantees
 * and limits), replayed on an allocator implementation as scenarios.ts does for the rest.
 * quota.test.ts runs them on the real allocator and checks that the quota mutants fail them.
 */
import * as assert from 'uvu/assert';
import type * as A from '../../spec/allocator/index.ts';
import { scalarQuantities, toFixed } from '../../spec/resources/index.ts';
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

/**
 * QuotaProvidesGuarantee: a role with an unsatisfied guarantee gets the agents before a role
 * without quota; what it declines is held back as headroom (the other role is not offered it)
 * until the decline filter expires and it is offered again.
 */
export const QuotaProvidesGuarantee: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['quota-role']);
  c.do((s) => impl.updateQuota(s, 'quota-role', quota('cpus:2;mem:1024')));
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
  c.do((s) => impl.updateQuota(s, 'quota-role', quota('cpus:2;mem:1024')));
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
export const MultiQuotaAbsentFrameworks: Scenario = (impl) => {
  const c = new Cluster(impl);
  const agent = c.addAgent('cpus:2;mem:2048');
  c.do((s) => impl.updateQuota(s, 'quota-role-1', quota('cpus:1;mem:1024')));
  c.do((s) => impl.updateQuota(s, 'quota-role-2', quota('cpus:2;mem:2048')));
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

export const quotaScenarios: Record<string, Scenario> = {
  QuotaProvidesGuarantee,
  QuotaProvidesLimit,
  QuotaAbsentFrameworkWholeAgent,
  MultiQuotaAbsentFrameworks,
  ReservationCountsTowardLimit,
  GuaranteeBeatsDRF,
};
