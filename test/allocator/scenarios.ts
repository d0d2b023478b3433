/**
 * Mesos's allocator scenarios (src/tests/hierarchical_allocator_tests.cpp), replayed on an
 * allocator implementation. Each scenario throws (an uvu assertion) when the implementation
 * behaves differently from Mesos. scenarios.test.ts runs them on the real allocator;
 * mutants.test.ts checks that deliberately broken allocators fail them.
 *
 * Where Mesos's test waits for a batch allocation (`Clock::advance(allocation_interval)`), the
 * script calls `allocate()`; where Mesos triggers one (addSlave, addFramework, revive,
 * activate), the harness or the script does.
 */
import * as assert from 'uvu/assert';
import { add, EMPTY, reserved, setAllocationRole, sum, unreserved } from '../../spec/resources/index.ts';
import { Cluster, expectNoOffers, expectOffers, r, resourcesEqual, totalsByFramework, type AllocatorImpl } from '../support/allocator-harness.ts';

export type Scenario = (impl: AllocatorImpl) => void;

/** New agents go to the role, then the framework, with the lowest dominant share. */
export const UnreservedDRF: Scenario = (impl) => {
  const c = new Cluster(impl);
  const slave1 = c.addAgent('cpus:2;mem:1024;disk:0');
  expectNoOffers(slave1.offers);
  const fw1 = c.addFramework(['role1']);
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: slave1.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);

  const fw2 = c.addFramework(['role2']);
  expectNoOffers(fw2.offers);
  const slave2 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(slave2.offers, [{ framework: fw2.id, agent: slave2.id, role: 'role2', resources: 'cpus:1;mem:512' }]);

  const slave3 = c.addAgent('cpus:3;mem:2048;disk:0');
  expectOffers(slave3.offers, [{ framework: fw2.id, agent: slave3.id, role: 'role2', resources: 'cpus:3;mem:2048' }]);

  const fw3 = c.addFramework(['role1']);
  expectNoOffers(fw3.offers);
  const slave4 = c.addAgent('cpus:4;mem:4096;disk:0');
  expectOffers(slave4.offers, [{ framework: fw3.id, agent: slave4.id, role: 'role1', resources: 'cpus:4;mem:4096' }]);

  c.addFramework(['role1']);
  const slave5 = c.addAgent('cpus:1;mem:512;disk:0');
  // framework4 has nothing, but role2 (0.36) is below role1 (0.63).
  expectOffers(slave5.offers, [{ framework: fw2.id, agent: slave5.id, role: 'role2', resources: 'cpus:1;mem:512' }]);
};

/**
 * Not one of Mesos's allocator tests (its sorter tests cover this): the *dominant* share
 * decides, not the amount allocated. role1 holds 10/12 cpus (share 0.83), role2 holds 900/1200
 * mem (0.75), so role2 gets the next agent although it holds far more in absolute terms.
 */
export const DominantShareDecides: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['role1']);
  const a1 = c.addAgent('cpus:10;mem:100');
  expectOffers(a1.offers, [{ framework: fw1.id, agent: a1.id, role: 'role1', resources: 'cpus:10;mem:100' }]);
  const fw2 = c.addFramework(['role2']);
  const a2 = c.addAgent('cpus:1;mem:900');
  expectOffers(a2.offers, [{ framework: fw2.id, agent: a2.id, role: 'role2', resources: 'cpus:1;mem:900' }]);
  const a3 = c.addAgent('cpus:1;mem:200');
  expectOffers(a3.offers, [{ framework: fw2.id, agent: a3.id, role: 'role2', resources: 'cpus:1;mem:200' }]);
};

/** Reserved resources count towards their role's share. */
export const ReservedDRF: Scenario = (impl) => {
  const c = new Cluster(impl);
  const slave1 = c.addAgent('cpus:1;mem:512;disk:0;cpus(role1):100;mem(role1):1024;disk(role1):0');
  const fw1 = c.addFramework(['role1']);
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: slave1.id, role: 'role1', resources: 'cpus:1;mem:512;cpus(role1):100;mem(role1):1024' }]);
  const fw2 = c.addFramework(['role2']);
  const slave2 = c.addAgent('cpus:2;mem:512;disk:0');
  expectOffers(slave2.offers, [{ framework: fw2.id, agent: slave2.id, role: 'role2', resources: 'cpus:2;mem:512' }]);
  const slave3 = c.addAgent('cpus:2;mem:512;disk:0');
  expectOffers(slave3.offers, [{ framework: fw2.id, agent: slave3.id, role: 'role2', resources: 'cpus:2;mem:512' }]);
  const fw3 = c.addFramework(['role1']);
  const slave4 = c.addAgent('cpus(role1):2;mem(role1):1024;disk(role1):0');
  expectOffers(slave4.offers, [{ framework: fw3.id, agent: slave4.id, role: 'role1', resources: 'cpus(role1):2;mem(role1):1024' }]);
};

/** `--fair_sharing_excluded_resource_names=gpus`: gpus do not count in shares. */
export const DRFWithFairnessExclusion: Scenario = (impl) => {
  const c = new Cluster(impl, { fairnessExcludeResourceNames: ['gpus'] });
  const agent1 = c.addAgent('cpus:2;mem:1024;disk:0;gpus:1');
  const fw1 = c.addFramework(['role1']);
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: agent1.id, role: 'role1', resources: 'cpus:2;mem:1024;gpus:1' }]);
  const fw2 = c.addFramework(['role2']);
  const agent2 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent2.offers, [{ framework: fw2.id, agent: agent2.id, role: 'role2', resources: 'cpus:1;mem:512' }]);
  const agent3 = c.addAgent('cpus:3;mem:2048;disk:0');
  expectOffers(agent3.offers, [{ framework: fw2.id, agent: agent3.id, role: 'role2', resources: 'cpus:3;mem:2048' }]);
  const fw3 = c.addFramework(['role1']);
  const agent4 = c.addAgent('cpus:4;mem:4096;disk:0');
  expectOffers(agent4.offers, [{ framework: fw3.id, agent: agent4.id, role: 'role1', resources: 'cpus:4;mem:4096' }]);
  c.addFramework(['role1']);
  const agent5 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent5.offers, [{ framework: fw2.id, agent: agent5.id, role: 'role2', resources: 'cpus:1;mem:512' }]);
};

/** Hierarchical roles: subtrees compete by their total allocation. */
export const NestedRoleDRF: Scenario = (impl) => {
  const c = new Cluster(impl);
  const slave1 = c.addAgent('cpus:2;mem:1024;disk:0');
  const fw1 = c.addFramework(['a/b']);
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: slave1.id, role: 'a/b', resources: 'cpus:2;mem:1024' }]);
  c.addFramework(['a/c']);
  const fw3 = c.addFramework(['d/e']);
  const slave2 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(slave2.offers, [{ framework: fw3.id, agent: slave2.id, role: 'd/e', resources: 'cpus:1;mem:512' }]);
  const fw4 = c.addFramework(['d/f']);
  const slave3 = c.addAgent('cpus:2;mem:1024;disk:0');
  expectOffers(slave3.offers, [{ framework: fw4.id, agent: slave3.id, role: 'd/f', resources: 'cpus:2;mem:1024' }]);
};

/** A filter longer than the allocation interval holds until it expires. */
export const OfferFilter: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw = c.addFramework(['role']);
  const agent = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent.offers, [{ framework: fw.id, agent: agent.id, role: 'role', resources: 'cpus:1;mem:512' }]);
  const offer = agent.offers[0]!;
  assert.is(impl.offerFilterDuration(2, 1), 2);
  c.recover(offer, { id: 'o1', refuseSeconds: 2 });
  assert.is(c.state.frameworks[0]!.filters.length, 1, 'one active offer filter');
  expectNoOffers(c.allocate()); // t = 1 s: filtered
  c.do((s) => impl.expireFilter(s, { frameworkId: fw.id, role: 'role', agentId: agent.id, id: 'o1' })); // t = 2 s
  expectOffers(c.allocate(), [{ framework: fw.id, agent: agent.id, role: 'role', resources: 'cpus:1;mem:512' }]);
  assert.is(c.state.frameworks[0]!.filters.length, 0, 'no active offer filter');
};

/** A filter shorter than the allocation interval still survives the next allocation (MESOS-4302). */
export const SmallOfferFilterTimeout: Scenario = (impl) => {
  const c = new Cluster(impl, { allocationIntervalSeconds: 60 });
  const fw1 = c.addFramework(['role']);
  const fw2 = c.addFramework(['role']);
  const agent1 = c.addAgent('cpus:1;mem:512;disk:0', [{ frameworkId: fw1.id, role: 'role', resources: r('cpus:1;mem:512') }]);
  expectNoOffers(agent1.offers);
  const agent2 = c.addAgent('cpus:1;mem:512;disk:0');
  expectOffers(agent2.offers, [{ framework: fw2.id, agent: agent2.id, role: 'role', resources: 'cpus:1;mem:512' }]);

  // framework2 declines for 1 s; the filter lasts max(1 s, 60 s).
  assert.is(impl.filterDuration(c.state, 1), 60);
  c.recover(agent2.offers[0]!, { id: 'o2', refuseSeconds: 1 });
  // The batch allocation at 60 s still sees the filter, so framework1 gets agent2.
  const second = c.allocate();
  expectOffers(second, [{ framework: fw1.id, agent: agent2.id, role: 'role', resources: 'cpus:1;mem:512' }]);
  c.do((s) => impl.expireFilter(s, { frameworkId: fw2.id, role: 'role', agentId: agent2.id, id: 'o2' }));
  c.recover(second[0]!);
  expectOffers(c.allocate(), [{ framework: fw2.id, agent: agent2.id, role: 'role', resources: 'cpus:1;mem:512' }]);
};

/** A framework gets all of an agent's resources in one offer, and each framework one agent. */
export const CoarseGrained: Scenario = (impl) => {
  const c = new Cluster(impl);
  const slave1 = c.addAgent('cpus:2;mem:1024;disk:0');
  const slave2 = c.addAgent('cpus:2;mem:1024;disk:0');
  const fw1 = c.addFramework(['role1']);
  expectOffers(fw1.offers, [
    { framework: fw1.id, agent: slave1.id, role: 'role1', resources: 'cpus:2;mem:1024' },
    { framework: fw1.id, agent: slave2.id, role: 'role1', resources: 'cpus:2;mem:1024' },
  ]);
  c.recoverAll(fw1.offers);
  const fw2 = c.addFramework(['role2']);
  assert.is(fw2.offers.length, 2);
  const totals = totalsByFramework(fw2.offers);
  resourcesEqual(totals[fw1.id] ?? EMPTY, setAllocationRole(r('cpus:2;mem:1024'), 'role1'), 'framework1 gets one agent');
  resourcesEqual(totals[fw2.id] ?? EMPTY, setAllocationRole(r('cpus:2;mem:1024'), 'role2'), 'framework2 gets one agent');
};

/** Equal shares alternate: ties go to the framework with fewer allocations, not the first name. */
export const SameShareFairness: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw1 = c.addFramework(['*']);
  const fw2 = c.addFramework(['*']);
  const slave = c.addAgent('cpus:2;mem:1024;disk:0');
  const counts: Record<string, number> = {};
  let offers = slave.offers;
  for (let i = 0; i < 10; i++) {
    assert.is(offers.length, 1);
    const o = offers[0]!;
    expectOffers(offers, [{ framework: o.frameworkId, agent: slave.id, role: '*', resources: 'cpus:2;mem:1024' }]);
    counts[o.frameworkId] = (counts[o.frameworkId] ?? 0) + 1;
    c.recover(o);
    offers = c.allocate();
  }
  assert.equal(counts, { [fw1.id]: 5, [fw2.id]: 5 });
};

/** Reservations are offered only to their role; unreserved resources to anyone. */
export const Reservations: Scenario = (impl) => {
  const c = new Cluster(impl);
  const slave1 = c.addAgent('cpus(role1):2;mem(role1):1024;disk(role1):0');
  const slave2 = c.addAgent('cpus(role2):2;mem(role2):1024;cpus:1;mem:1024;disk:0');
  c.addAgent('cpus(role3):1;mem(role3):1024;disk(role3):0'); // no framework in role3: never offered
  const fw1 = c.addFramework(['role1']);
  expectOffers(fw1.offers, [
    { framework: fw1.id, agent: slave1.id, role: 'role1', resources: 'cpus(role1):2;mem(role1):1024' },
    { framework: fw1.id, agent: slave2.id, role: 'role1', resources: unreserved(r('cpus(role2):2;mem(role2):1024;cpus:1;mem:1024')) },
  ]);
  const fw2 = c.addFramework(['role2']);
  expectOffers(fw2.offers, [{ framework: fw2.id, agent: slave2.id, role: 'role2', resources: reserved(r('cpus(role2):2;mem(role2):1024;cpus:1;mem:1024'), 'role2') }]);
};

/** A role is offered its ancestors' reservations too. */
export const OfferAncestorReservationsToDescendantChild: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw = c.addFramework(['a/b/c']);
  const agent1 = c.addAgent('cpus(a):1;mem(a):512;disk(a):0;');
  expectOffers(agent1.offers, [{ framework: fw.id, agent: agent1.id, role: 'a/b/c', resources: 'cpus(a):1;mem(a):512' }]);
  const agent2 = c.addAgent('cpus:2;mem:1024;disk:0;cpus(a/b):4;mem(a/b):2048;disk(a/b):0');
  expectOffers(agent2.offers, [{ framework: fw.id, agent: agent2.id, role: 'a/b/c', resources: 'cpus:2;mem:1024;cpus(a/b):4;mem(a/b):2048' }]);
};

/** Recovered resources, reserved or not, are offered again at the next allocation. */
export const RecoverResources: Scenario = (impl) => {
  const c = new Cluster(impl);
  const slave = c.addAgent('cpus(role1):1;mem(role1):200;cpus:1;mem:200;disk:0');
  const fw = c.addFramework(['role1']);
  const all = 'cpus(role1):1;mem(role1):200;cpus:1;mem:200';
  expectOffers(fw.offers, [{ framework: fw.id, agent: slave.id, role: 'role1', resources: all }]);
  const offer = fw.offers[0]!;
  const reservedPart = setAllocationRole(reserved(r(all), 'role1'), 'role1');
  const unreservedPart = setAllocationRole(unreserved(r(all)), 'role1');
  c.recover(offer, undefined, reservedPart);
  expectOffers(c.allocate(), [{ framework: fw.id, agent: slave.id, role: 'role1', resources: reserved(r(all), 'role1') }]);
  c.recover(offer, undefined, unreservedPart);
  expectOffers(c.allocate(), [{ framework: fw.id, agent: slave.id, role: 'role1', resources: unreserved(r(all)) }]);
};

/** min_allocatable_resources `cpus:0.01|mem:32`: either alternative suffices, nothing less. */
export const Allocatable: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw = c.addFramework(['role1']);
  expectNoOffers(c.addAgent('cpus:0.005;mem:16;disk:128').offers);
  const slave2 = c.addAgent('cpus:0.01;mem:16;disk:128');
  expectOffers(slave2.offers, [{ framework: fw.id, agent: slave2.id, role: 'role1', resources: 'cpus:0.01;mem:16;disk:128' }]);
  const slave3 = c.addAgent('cpus:0.005;mem:32;disk:128');
  expectOffers(slave3.offers, [{ framework: fw.id, agent: slave3.id, role: 'role1', resources: 'cpus:0.005;mem:32;disk:128' }]);
  const slave4 = c.addAgent('cpus:0.015;mem:16;cpus(role1):0.015;mem(role1):16;disk:128');
  expectOffers(slave4.offers, [{ framework: fw.id, agent: slave4.id, role: 'role1', resources: 'cpus:0.015;mem:16;cpus(role1):0.015;mem(role1):16;disk:128' }]);
};

/** A framework's per-role min_allocatable_resources overrides the global one. */
export const FrameworkMinAllocatable: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw = c.addFramework(['role1']);
  const slave = c.addAgent('cpus:0.005;mem:16;disk:128');
  expectNoOffers(slave.offers);
  c.do((s) => impl.updateFramework(s, { frameworkId: fw.id, roles: ['role1'], suppressedRoles: [], minAllocatableResources: { role1: [{ cpus: 3 }] } }));
  expectOffers(c.allocate(), [{ framework: fw.id, agent: slave.id, role: 'role1', resources: 'cpus:0.005;mem:16;disk:128' }]);
};

/** Removing an agent removes its resources from the total and from the frameworks' shares. */
export const RemoveSlaveRecoverResources: Scenario = (impl) => {
  const c = new Cluster(impl);
  const slave1 = c.addAgent('cpus:2;mem:200');
  const fw1 = c.addFramework(['role']);
  expectOffers(fw1.offers, [{ framework: fw1.id, agent: slave1.id, role: 'role', resources: 'cpus:2;mem:200' }]);
  const fw2 = c.addFramework(['role']);
  const slave2 = c.addAgent('cpus:1;mem:100');
  expectOffers(slave2.offers, [{ framework: fw2.id, agent: slave2.id, role: 'role', resources: 'cpus:1;mem:100' }]);
  c.do((s) => impl.removeAgent(s, slave1.id));
  assert.equal(c.state.total, { cpus: 1000, mem: 100000 });
  const slave3 = c.addAgent('cpus:1;mem:100');
  expectOffers(slave3.offers, [{ framework: fw1.id, agent: slave3.id, role: 'role', resources: 'cpus:1;mem:100' }]);
  // A late recovery of the removed agent's offer is a no-op.
  const before = c.state;
  c.recover(fw1.offers[0]!, { id: 'late' });
  assert.is(c.state, before);
};

export const DeactivateAndReactivateFramework: Scenario = (impl) => {
  const c = new Cluster(impl);
  const agent = c.addAgent('cpus:2;mem:1024;disk:0');
  const fw = c.addFramework(['role1']);
  expectOffers(fw.offers, [{ framework: fw.id, agent: agent.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);
  c.recover(fw.offers[0]!);
  c.do((s) => impl.deactivateFramework(impl.suppress(s, { frameworkId: fw.id }), fw.id));
  expectNoOffers(c.allocate());
  c.do((s) => impl.revive(impl.activateFramework(s, fw.id), { frameworkId: fw.id }));
  expectOffers(c.allocate(), [{ framework: fw.id, agent: agent.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);
};

export const SuppressAndReviveOffers: Scenario = (impl) => {
  const c = new Cluster(impl);
  const agent = c.addAgent('cpus:2;mem:1024;disk:0');
  const fw = c.addFramework(['role1']);
  expectOffers(fw.offers, [{ framework: fw.id, agent: agent.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);
  c.do((s) => impl.revive(s, { frameworkId: fw.id })); // redundant REVIVE is fine
  expectNoOffers(c.allocate());
  c.recover(fw.offers[0]!);
  c.do((s) => impl.suppress(s, { frameworkId: fw.id }));
  expectNoOffers(c.allocate());
  c.do((s) => impl.revive(s, { frameworkId: fw.id }));
  expectOffers(c.allocate(), [{ framework: fw.id, agent: agent.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);
};

/** REVIVE clears a long filter. */
export const ReviveOffers: Scenario = (impl) => {
  const c = new Cluster(impl);
  const agent = c.addAgent('cpus:2;mem:1024;disk:0');
  const fw = c.addFramework(['role1']);
  expectOffers(fw.offers, [{ framework: fw.id, agent: agent.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);
  c.recover(fw.offers[0]!, { id: 'o1', refuseSeconds: 1000 });
  expectNoOffers(c.allocate());
  c.do((s) => impl.revive(s, { frameworkId: fw.id }));
  expectOffers(c.allocate(), [{ framework: fw.id, agent: agent.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);
};

/** Suppression and revival are per role; reviving one role leaves the other's filters. */
export const SuppressAndReviveOffersWithMultiRole: Scenario = (impl) => {
  const c = new Cluster(impl);
  const fw = c.addFramework(['role1', 'role2'], { active: true });
  c.do((s) => impl.suppress(s, { frameworkId: fw.id, roles: ['role1'] }));
  const agent = c.addAgent('cpus:2;mem:1024;disk:0');
  expectOffers(agent.offers, [{ framework: fw.id, agent: agent.id, role: 'role2', resources: 'cpus:2;mem:1024' }]);
  const day = 24 * 3600;
  c.recover(agent.offers[0]!, { id: 'o1', refuseSeconds: day });
  expectNoOffers(c.allocate());
  c.do((s) => impl.revive(s, { frameworkId: fw.id, roles: ['role1'] }));
  const offers = c.allocate();
  expectOffers(offers, [{ framework: fw.id, agent: agent.id, role: 'role1', resources: 'cpus:2;mem:1024' }]);
  c.recover(offers[0]!, { id: 'o2', refuseSeconds: day });
  expectNoOffers(c.allocate());
};

/** Role weights 1:1, 1:2 and 1:2:3 split six equal agents 3:3, 2:4 and 1:2:3. */
export const UpdateWeight: Scenario = (impl) => {
  const c = new Cluster(impl);
  const single = r('cpus:2;mem:1024');
  const times = (n: number) => sum(Array.from({ length: n }, () => single));
  for (let i = 0; i < 6; i++) c.addAgent(single);
  const fw1 = c.addFramework(['role1']);
  assert.is(fw1.offers.length, 6, 'framework1 first gets every agent');
  const fw2 = c.addFramework(['role2']);
  expectNoOffers(fw2.offers);
  c.recoverAll(fw1.offers);

  const round = (expected: Record<string, number>, recover: boolean, offers = c.allocate()) => {
    const totals = totalsByFramework(offers);
    assert.equal(Object.keys(totals).sort(), Object.keys(expected).sort());
    let all = EMPTY;
    for (const [fw, n] of Object.entries(expected)) {
      const role = offers.find((o) => o.frameworkId === fw)!.role;
      resourcesEqual(totals[fw]!, setAllocationRole(times(n), role), `${fw} gets ${n} agents`);
      all = add(all, times(n));
    }
    resourcesEqual(all, times(6), 'the allocations add up to the cluster');
    if (recover) c.recoverAll(offers);
  };

  round({ [fw1.id]: 3, [fw2.id]: 3 }, true);
  c.do((s) => impl.updateWeights(s, { role2: 2 }));
  round({ [fw1.id]: 2, [fw2.id]: 4 }, true);
  c.do((s) => impl.updateWeights(s, { role3: 3 }));
  const fw3 = c.addFramework(['role3']);
  round({ [fw1.id]: 1, [fw2.id]: 2, [fw3.id]: 3 }, false, fw3.offers);
};

export const scenarios: Record<string, Scenario> = {
  UnreservedDRF,
  DominantShareDecides,
  ReservedDRF,
  DRFWithFairnessExclusion,
  NestedRoleDRF,
  OfferFilter,
  SmallOfferFilterTimeout,
  CoarseGrained,
  SameShareFairness,
  Reservations,
  OfferAncestorReservationsToDescendantChild,
  RecoverResources,
  Allocatable,
  FrameworkMinAllocatable,
  RemoveSlaveRecoverResources,
  DeactivateAndReactivateFramework,
  SuppressAndReviveOffers,
  ReviveOffers,
  SuppressAndReviveOffersWithMultiRole,
  UpdateWeight,
};

/** Runs every scenario; returns the names of those that fail. */
export function failingScenarios(impl: AllocatorImpl): string[] {
  const failed: string[] = [];
  for (const [name, run] of Object.entries(scenarios)) {
    try {
      run(impl);
    } catch {
      failed.push(name);
    }
  }
  return failed;
}
