/**
 * Deliberately broken allocators, each of which some of Mesos's scenarios must reject. A
 * mutant is the real allocator with one decision replaced (through `allocateWith` and a policy,
 * or by wrapping an operation). The test fails if a mutant passes the scenarios listed for it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as A from '../../spec/allocator/index.ts';
import { allocatableTo, scalarQuantities, unreserved } from '../../spec/resources/index.ts';
import { realAllocator, type AllocatorImpl } from '../support/allocator-harness.ts';
import { failingScenarios, scenarios } from './scenarios.ts';

const withPolicy = (policy: Partial<A.AllocatorPolicy>): AllocatorImpl => ({
  ...realAllocator,
  allocate: (s, o) => A.allocateWith({ ...A.drfPolicy, ...policy }, s, o),
});

/** Renames role separators so the role tree is flat (every role a top-level role). */
const flatRoles = (s: A.AllocatorState): A.AllocatorState => JSON.parse(JSON.stringify(s).replaceAll('/', '|'));
const unflat = <T>(x: T): T => JSON.parse(JSON.stringify(x).replaceAll('|', '/'));

const mutants: Record<string, { impl: AllocatorImpl; caughtBy: string[] }> = {
  'ignores offer filters': {
    impl: withPolicy({ isFiltered: () => false }),
    caughtBy: ['OfferFilter', 'SmallOfferFilterTimeout', 'ReviveOffers', 'SuppressAndReviveOffersWithMultiRole'],
  },
  'sorts by total allocated amount instead of dominant share': {
    impl: withPolicy({ share: (alloc) => Object.values(alloc).reduce((a, b) => a + b, 0) }),
    caughtBy: ['DominantShareDecides', 'UpdateWeight'],
  },
  'ignores role weights': {
    impl: withPolicy({ share: (alloc, total, _w, excluded) => A.dominantShare(alloc, total, 1, excluded) }),
    caughtBy: ['UpdateWeight'],
  },
  'breaks ties by name only': {
    impl: withPolicy({ compare: (a, b) => (a.share !== b.share ? a.share - b.share : a.path < b.path ? -1 : a.path > b.path ? 1 : 0) }),
    caughtBy: ['SameShareFairness'],
  },
  'ignores fair_sharing_excluded_resource_names': {
    impl: withPolicy({ share: (alloc, total, w) => A.dominantShare(alloc, total, w, []) }),
    caughtBy: ['DRFWithFairnessExclusion'],
  },
  'offers reservations to any role': {
    impl: withPolicy({ allocatableTo: (r) => r }),
    caughtBy: ['Reservations'],
  },
  'offers only unreserved resources': {
    impl: withPolicy({ allocatableTo: (r) => unreserved(r) }),
    caughtBy: ['Reservations', 'ReservedDRF', 'RecoverResources'],
  },
  "does not offer ancestors' reservations": {
    impl: withPolicy({ allocatableTo: (r, role) => allocatableTo(r, role).filter((e) => e.reservations === undefined || e.reservations.at(-1)!.role === role) }),
    caughtBy: ['OfferAncestorReservationsToDescendantChild'],
  },
  'ignores min_allocatable_resources': {
    impl: withPolicy({ allocatable: (r) => r.length > 0 }),
    caughtBy: ['Allocatable'],
  },
  'requires every min_allocatable alternative': {
    impl: withPolicy({ allocatable: (r, mins) => r.length > 0 && mins.every((q) => Object.keys(q).every((n) => (scalarQuantities(r)[n] ?? 0) >= q[n]!)) }),
    caughtBy: ['Allocatable'],
  },
  'ignores per-framework min_allocatable overrides': {
    impl: {
      ...realAllocator,
      updateFramework: (s, u) => A.updateFramework(s, { ...u, minAllocatableResources: {} }),
    },
    caughtBy: ['FrameworkMinAllocatable'],
  },
  'flat role sorter (hierarchy ignored)': {
    impl: {
      ...realAllocator,
      allocate: (s, o) => {
        const result = A.allocate(flatRoles(s), o);
        return { state: unflat(result.state), offers: unflat(result.offers) };
      },
    },
    caughtBy: ['NestedRoleDRF'],
  },
  'SUPPRESS does nothing': {
    impl: { ...realAllocator, suppress: (s) => s },
    caughtBy: ['SuppressAndReviveOffers', 'SuppressAndReviveOffersWithMultiRole'],
  },
  'REVIVE keeps the filters': {
    impl: {
      ...realAllocator,
      revive: (s, c) => {
        const kept = A.getFramework(s, c.frameworkId)!.filters;
        const after = A.revive(s, c);
        const i = A.frameworkIndex(after, c.frameworkId);
        const frameworks = after.frameworks.slice();
        frameworks[i] = { ...frameworks[i]!, filters: kept };
        return { ...after, frameworks };
      },
    },
    caughtBy: ['ReviveOffers'],
  },
  'REVIVE does not unsuppress': {
    impl: {
      ...realAllocator,
      revive: (s, c) => {
        const suppressed = A.getFramework(s, c.frameworkId)!.suppressedRoles;
        const after = A.revive(s, c);
        const i = A.frameworkIndex(after, c.frameworkId);
        const frameworks = after.frameworks.slice();
        frameworks[i] = { ...frameworks[i]!, suppressedRoles: suppressed };
        return { ...after, frameworks };
      },
    },
    caughtBy: ['SuppressAndReviveOffers', 'DeactivateAndReactivateFramework'],
  },
  'expiring a filter does nothing': {
    impl: { ...realAllocator, expireFilter: (s) => s },
    caughtBy: ['OfferFilter', 'SmallOfferFilterTimeout'],
  },
  'filter duration not raised to the allocation interval': {
    impl: {
      ...realAllocator,
      filterDuration: (_s, refuse) => (refuse === undefined ? 5 : refuse),
      offerFilterDuration: (refuse) => (refuse === undefined ? 5 : refuse),
    },
    caughtBy: ['SmallOfferFilterTimeout'],
  },
  'removeAgent leaves the allocations in the shares': {
    impl: {
      ...realAllocator,
      removeAgent: (s, id) => {
        // The agent goes, but frameworks keep being charged for it.
        const i = A.agentIndex(s, id);
        const agents = s.agents.slice();
        agents.splice(i, 1);
        return { ...s, agents, total: A.removeAgent(s, id).total };
      },
    },
    caughtBy: ['RemoveSlaveRecoverResources'],
  },
  'offers everything to the first framework, not per role': {
    impl: withPolicy({ allocatableTo: (r) => r, isFiltered: () => false }),
    caughtBy: ['Reservations', 'OfferFilter'],
  },
  'not coarse-grained: offers half of each scalar': {
    impl: {
      ...realAllocator,
      allocate: (s, o) =>
        A.allocateWith(
          {
            ...A.drfPolicy,
            allocatableTo: (r, role) => allocatableTo(r, role).map((e) => (e.scalar !== undefined && e.scalar > 1 ? { ...e, scalar: Math.floor(e.scalar / 2) } : e)),
          },
          s,
          o,
        ),
    },
    caughtBy: ['CoarseGrained', 'UnreservedDRF'],
  },
};

test('every mutant is caught by the scenarios it names', () => {
  for (const [name, m] of Object.entries(mutants)) {
    for (const s of m.caughtBy) assert.ok(s in scenarios, `unknown scenario ${s}`);
    const failed = failingScenarios(m.impl);
    const missed = m.caughtBy.filter((s) => !failed.includes(s));
    assert.equal(missed, [], `mutant '${name}' passes ${missed.join(', ')} (fails: ${failed.join(', ')})`);
  }
});

test('the real allocator passes every scenario', () => {
  assert.equal(failingScenarios(realAllocator), []);
});

test('every scenario catches at least one mutant', () => {
  const catching = new Set(Object.values(mutants).flatMap((m) => failingScenarios(m.impl)));
  const idle = Object.keys(scenarios).filter((s) => !catching.has(s));
  assert.equal(idle, []);
});

test.run();
