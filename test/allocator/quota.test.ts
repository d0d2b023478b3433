/**
 * Quota in the allocator: Mesos's quota scenarios on the real allocator, the quota mutants
 * each rejected by some of them, and the validation of `updateQuota`'s bookkeeping.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as A from '../../spec/allocator/index.ts';
import { realAllocator, r, type AllocatorImpl } from '../support/allocator-harness.ts';
import { quota, quotaScenarios } from './quota-scenarios.ts';

for (const [name, run] of Object.entries(quotaScenarios)) {
  test(`HierarchicalAllocatorTest.${name}`, () => run(realAllocator));
}

const withPolicy = (policy: Partial<A.AllocatorPolicy>): AllocatorImpl => ({
  ...realAllocator,
  allocate: (s, o) => A.allocateWith({ ...A.drfPolicy, ...policy }, s, o),
});

const mutants: Record<string, { impl: AllocatorImpl; caughtBy: string[] }> = {
  'ignores quota limits': {
    impl: withPolicy({ withinLimits: (res) => res }),
    caughtBy: ['QuotaProvidesLimit', 'ReservationCountsTowardLimit', 'DRFWithQuota', 'MultiQuotaWithFrameworks', 'QuotaAllocationGranularity', 'DisproportionateQuotaVsAllocation'],
  },
  'holds no headroom back': {
    impl: withPolicy({ spareHeadroom: (res) => res }),
    caughtBy: ['QuotaProvidesGuarantee', 'QuotaAbsentFrameworkWholeAgent', 'QuotaSetAsideReservedResources', 'QuotaWithAncestorReservations'],
  },
  'has no quota stage (guarantees wait their DRF turn)': {
    impl: { ...realAllocator, updateQuota: (s, role, q) => realAllocator.updateQuota(s, role, { ...q, guarantees: {} }) },
    caughtBy: ['QuotaProvidesGuarantee', 'GuaranteeBeatsDRF', 'MultipleFrameworksInRoleWithQuota', 'QuotaAgainstStarvation'],
  },
  'keeps a removed quota': {
    impl: { ...realAllocator, updateQuota: (s, role, q) => (q === A.DEFAULT_QUOTA ? s : realAllocator.updateQuota(s, role, q)) },
    caughtBy: ['RemoveQuota'],
  },
};

for (const [name, { impl, caughtBy }] of Object.entries(mutants)) {
  test(`quota mutant "${name}" fails ${caughtBy.join(', ')}`, () => {
    for (const scenario of caughtBy) {
      let failed = false;
      try {
        quotaScenarios[scenario]!(impl);
      } catch {
        failed = true;
      }
      assert.ok(failed, `${scenario} passed the mutant`);
    }
  });
}

test('updateQuota keeps only non-default quotas, sorted, and removes the field with the last one', () => {
  let s = A.emptyAllocator();
  s = A.updateQuota(s, 'b', quota('cpus:1'));
  s = A.updateQuota(s, 'a', quota('', 'mem:0'));
  assert.equal(Object.keys(s.quotas!), ['a', 'b']);
  assert.equal(A.quotaOf(s, 'a').limits, { mem: 0 });
  s = A.updateQuota(A.updateQuota(s, 'a', A.DEFAULT_QUOTA), 'b', A.DEFAULT_QUOTA);
  assert.is('quotas' in s, false);
});

test('consumed quota counts reservations (allocated or not) and unreserved allocations, sub-roles included', () => {
  let s = A.emptyAllocator();
  s = A.addAgent(s, { agentId: 'a1', resources: r('cpus(web):1;cpus:3;mem:100'), used: [{ frameworkId: 'f', role: 'web/x', resources: r('cpus:2;mem:10') }] });
  assert.equal(A.consumedQuota(s, 'web'), { cpus: 3000, mem: 10000 });
  assert.equal(A.consumedQuota(s, 'other'), {});
});

test('shrinking keeps at most the target; limits keep absent names, quantities drop them', () => {
  const res = r('cpus:4;mem:100;ports:[1-2]');
  assert.equal(A.shrinkToQuantities(A.quotaResources(res), { cpus: 1500 }), r('cpus:1.5'));
  assert.equal(A.shrinkToLimits(A.quotaResources(res), { cpus: 0 }), r('mem:100'));
});

test.run();
