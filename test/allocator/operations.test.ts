import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as A from '../../spec/allocator/index.ts';
import { describeResources, equals, mustParseResources, setAllocationRole, type Resources } from '../../spec/resources/index.ts';
import type { Resource } from '../../spec/protocol/common.ts';
import { toWire } from '../../spec/resources/index.ts';

const r = mustParseResources;
const same = (a: Resources, b: Resources) => assert.ok(equals(a, b), `${describeResources(a)} ≠ ${describeResources(b)}`);

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

function cluster(): A.AllocatorState {
  let s = A.emptyAllocator();
  s = A.addAgent(s, { agentId: 'a1', resources: r('cpus:4;mem:4096;ports:[31000-32000];cpus(r1):2') });
  s = A.addAgent(s, { agentId: 'a2', resources: r('cpus:2;mem:1024') });
  s = A.addFramework(s, { frameworkId: 'f1', roles: ['r1'] });
  s = A.addFramework(s, { frameworkId: 'f2', roles: ['r2', 'r1'] });
  return s;
}

test('offerFilterDuration: Mesos clamping of refuse_seconds', () => {
  assert.is(A.offerFilterDuration(undefined, 1), 5);
  assert.is(A.offerFilterDuration(-3, 1), 5);
  assert.is(A.offerFilterDuration(Number.NaN, 1), 5);
  assert.is(A.offerFilterDuration(0, 1), null);
  assert.is(A.offerFilterDuration(1e-10, 1), null); // below a nanosecond
  assert.is(A.offerFilterDuration(0.5, 1), 1); // at least one allocation interval (MESOS-4302)
  assert.is(A.offerFilterDuration(10, 1), 10);
  assert.is(A.offerFilterDuration(2, 60), 60);
  assert.is(A.offerFilterDuration(1e12, 1), 365 * 86400);
  assert.is(A.offerFilterDuration(Number.POSITIVE_INFINITY, 1), 365 * 86400);
  assert.is(A.filterDuration(A.emptyAllocator({ allocationIntervalSeconds: 3 }), 1), 3);
});

test('defaults: min_allocatable_resources cpus:0.01|mem:32, interval 1 s', () => {
  const s = A.emptyAllocator();
  assert.equal(s.options, { allocationIntervalSeconds: 1, minAllocatableResources: [{ cpus: 10 }, { mem: 32000 }], fairnessExcludeResourceNames: [] });
});

test('every operation is pure: frozen inputs, inputs unchanged', () => {
  const s0 = deepFreeze(cluster());
  const before = JSON.stringify(s0);
  const { state: s1, offers } = A.allocate(s0);
  deepFreeze(s1);
  const o = offers.find((x) => x.agentId === 'a1')!;
  const s2 = deepFreeze(A.recoverResources(s1, { frameworkId: o.frameworkId, agentId: 'a1', role: o.role, resources: o.resources, filter: { id: 'x' } }));
  const calls: Array<() => unknown> = [
    () => A.allocate(s2, { agentOrder: ['a2', 'a1'] }),
    () => A.addAgent(s2, { agentId: 'a3', resources: r('cpus:1;mem:64'), used: [{ frameworkId: 'f1', role: 'r1', resources: r('cpus:1') }] }),
    () => A.removeAgent(s2, 'a1'),
    () => A.updateAgent(s2, { agentId: 'a1', resources: r('cpus:8;mem:8192') }),
    () => A.deactivateAgent(s2, 'a1'),
    () => A.removeFilters(s2, 'a1'),
    () => A.addFramework(s2, { frameworkId: 'f3', roles: ['r3'] }),
    () => A.removeFramework(s2, o.frameworkId),
    () => A.deactivateFramework(s2, o.frameworkId),
    () => A.activateFramework(A.deactivateFramework(s2, 'f1'), 'f1'),
    () => A.updateFramework(s2, { frameworkId: 'f2', roles: ['r3'], suppressedRoles: [] }),
    () => A.suppress(s2, { frameworkId: 'f1' }),
    () => A.revive(s2, { frameworkId: o.frameworkId }),
    () => A.expireFilter(s2, { frameworkId: o.frameworkId, role: o.role, agentId: 'a1', id: 'x' }),
    () => A.updateWeights(s2, { r1: 2 }),
  ];
  for (const call of calls) {
    const result = call();
    assert.is(JSON.stringify(JSON.parse(JSON.stringify(result))), JSON.stringify(result), 'plain JSON, no undefined');
  }
  assert.is(JSON.stringify(s0), before);
});

test('allocate: offers are sorted, in allocated form, and count as allocated', () => {
  const { state, offers } = A.allocate(cluster());
  assert.equal(
    offers.map((o) => `${o.frameworkId}/${o.role}@${o.agentId}`),
    ['f1/r1@a1', 'f2/r2@a2'],
  );
  same(offers[0]!.resources, setAllocationRole(r('cpus:4;mem:4096;ports:[31000-32000];cpus(r1):2'), 'r1'));
  same(A.offeredOrAllocated(state, 'f1', 'a1', 'r1'), r('cpus:4;mem:4096;ports:[31000-32000];cpus(r1):2'));
  assert.equal(A.getAgent(state, 'a1')!.available, []);
  assert.is(A.allocatorConsistency(state), null);
  // Nothing left: a second cycle offers nothing and returns the same state.
  const again = A.allocate(state);
  assert.equal(again.offers, []);
  assert.is(again.state, state);
});

test('allocate: agentOrder restricts and orders the visit; unknown and repeated ids are ignored', () => {
  const s = cluster();
  const only = A.allocate(s, { agentOrder: ['a2', 'zz', 'a2'] });
  assert.equal(
    only.offers.map((o) => o.agentId),
    ['a2'],
  );
  // Visiting a2 first gives it to r1 (lower name, both shares 0, counts 0); then on a1, r2
  // (share 0) takes the unreserved part and r1's reservation goes to f2, r1's framework with
  // the lower share.
  const reversed = A.allocate(s, { agentOrder: ['a2', 'a1'] });
  assert.equal(
    reversed.offers.map((o) => `${o.frameworkId}/${o.role}@${o.agentId}`),
    ['f1/r1@a2', 'f2/r1@a1', 'f2/r2@a1'],
  );
  same(reversed.offers[1]!.resources, setAllocationRole(r('cpus(r1):2'), 'r1'));
});

test('allocate: deactivated agents and frameworks, suppressed roles get nothing', () => {
  let s = A.deactivateAgent(cluster(), 'a1');
  assert.equal(
    A.allocate(s).offers.map((o) => o.agentId),
    ['a2'],
  );
  s = A.activateAgent(s, 'a1');
  s = A.deactivateFramework(s, 'f1');
  s = A.suppress(s, { frameworkId: 'f2', roles: ['r2'] });
  assert.equal(
    A.allocate(s).offers.map((o) => `${o.frameworkId}/${o.role}@${o.agentId}`),
    ['f2/r1@a1', 'f2/r1@a2'],
  );
});

test('used resources of a framework not yet added count once it is added', () => {
  let s = A.emptyAllocator();
  s = A.addAgent(s, { agentId: 'a1', resources: r('cpus:4;mem:1024'), used: [{ frameworkId: 'f1', role: 'r1', resources: setAllocationRole(r('cpus:1;mem:256'), 'r1') }] });
  same(A.getAgent(s, 'a1')!.available, r('cpus:3;mem:768'));
  assert.equal(s.roles, []);
  s = A.addFramework(s, { frameworkId: 'f1', roles: ['r1'] });
  assert.equal(A.getRole(s, 'r1'), { role: 'r1', frameworks: ['f1'], allocated: { cpus: 1000, mem: 256000 }, count: 1 });
  assert.is(A.allocatorConsistency(s), null);
  assert.is(A.frameworkShare(s, 'f1', 'r1'), 0.25);
});

test('removeFramework frees everything it holds; its roles leave the sorter', () => {
  const { state } = A.allocate(cluster());
  const s = A.removeFramework(state, 'f2');
  assert.equal(
    s.roles.map((x) => x.role),
    ['r1'],
  );
  same(A.getAgent(s, 'a2')!.available, r('cpus:2;mem:1024'));
  assert.is(A.allocatorConsistency(s), null);
});

test('updateFramework: a role left stays tracked while resources are held, then goes', () => {
  let { state: s } = A.allocate(cluster());
  s = A.updateFramework(s, { frameworkId: 'f2', roles: ['r1'], suppressedRoles: [] });
  assert.ok(A.getRole(s, 'r2') !== undefined, 'still tracked: holds a2');
  assert.is(A.allocatorConsistency(s), null);
  s = A.recoverResources(s, { frameworkId: 'f2', agentId: 'a2', role: 'r2', resources: r('cpus:2;mem:1024') });
  assert.is(A.getRole(s, 'r2'), undefined);
  assert.is(A.allocatorConsistency(s), null);
  // Unsuppressing through updateFramework revives: filters of that role go.
  s = A.updateFramework(s, { frameworkId: 'f2', roles: ['r1'], suppressedRoles: ['r1'] });
  const f1 = A.allocate(s).offers;
  assert.equal(
    f1.map((o) => o.frameworkId),
    ['f1'],
  );
});

test('filters: ids name them; deactivation, revive and agent removal clear them', () => {
  const { state, offers } = A.allocate(cluster());
  const o = offers[0]!;
  let s = A.recoverResources(state, { frameworkId: 'f1', agentId: 'a1', role: 'r1', resources: o.resources, filter: { id: 'o1', refuseSeconds: 100 } });
  assert.equal(
    A.getFramework(s, 'f1')!.filters.map((f) => f.id),
    ['o1'],
  );
  assert.is(A.expireFilter(s, { frameworkId: 'f1', role: 'r1', agentId: 'a1', id: 'stale' }), s);
  assert.equal(
    A.allocate(s).offers.map((x) => `${x.frameworkId}@${x.agentId}`),
    ['f2@a1'],
  );
  assert.equal(A.getFramework(A.deactivateFramework(s, 'f1'), 'f1')!.filters, []);
  assert.equal(A.getFramework(A.revive(s, { frameworkId: 'f1' }), 'f1')!.filters, []);
  assert.equal(A.getFramework(A.removeAgent(s, 'a1'), 'f1')!.filters, []);
  // refuse_seconds 0: no filter at all.
  s = A.recoverResources(state, { frameworkId: 'f1', agentId: 'a1', role: 'r1', resources: o.resources, filter: { id: 'o1', refuseSeconds: 0 } });
  assert.equal(A.getFramework(s, 'f1')!.filters, []);
  // A filter covers subsets of what was declined only: more resources are offered.
  s = A.recoverResources(A.removeFramework(state, 'f2'), { frameworkId: 'f1', agentId: 'a1', role: 'r1', resources: setAllocationRole(r('cpus:1'), 'r1'), filter: { id: 'o2' } });
  assert.equal(A.allocate(s, { agentOrder: ['a1'] }).offers, []);
  s = A.recoverResources(s, { frameworkId: 'f1', agentId: 'a1', role: 'r1', resources: r('mem:1') });
  const more = A.allocate(s, { agentOrder: ['a1'] }).offers;
  assert.equal(
    more.map((x) => `${x.frameworkId}@${x.agentId}`),
    ['f1@a1'],
  );
  same(more[0]!.resources, setAllocationRole(r('cpus:1;mem:1'), 'r1'));
});

test('updateAgent changes the total; allocations stay', () => {
  const { state } = A.allocate(cluster());
  const s = A.updateAgent(state, { agentId: 'a2', resources: r('cpus:3;mem:2048') });
  same(A.getAgent(s, 'a2')!.available, r('cpus:1;mem:1024'));
  assert.equal(s.total, { cpus: 9000, mem: 6144000 });
  assert.is(A.updateAgent(s, { agentId: 'a2', resources: r('cpus:3;mem:2048') }), s);
  assert.is(A.allocatorConsistency(s), null);
});

test('weights: positive, 1 is the default and not stored', () => {
  let s = A.updateWeights(A.emptyAllocator(), { r1: 2, r2: 1 });
  assert.equal(s.weights, { r1: 2 });
  s = A.updateWeights(s, { r1: 1 });
  assert.equal(s.weights, {});
  assert.throws(() => A.updateWeights(s, { r1: 0 }), /positive/);
  assert.throws(() => A.updateWeights(s, { r1: -1 }), /positive/);
});

test('contract violations throw AllocatorError; tolerated calls are no-ops', () => {
  const s = cluster();
  const isAllocatorError = (e: unknown) => e instanceof A.AllocatorError;
  assert.throws(() => A.addAgent(s, { agentId: 'a1', resources: [] }), isAllocatorError);
  assert.throws(() => A.addFramework(s, { frameworkId: 'f1', roles: [] }), isAllocatorError);
  assert.throws(() => A.addFramework(s, { frameworkId: 'f9', roles: ['a//b'] }), /slashes/);
  assert.throws(() => A.addFramework(s, { frameworkId: 'f9', roles: ['x'], suppressedRoles: ['y'] }), /not one of its roles/);
  assert.throws(() => A.removeFramework(s, 'nope'), /Unknown framework/);
  assert.throws(() => A.removeAgent(s, 'nope'), /Unknown agent/);
  assert.throws(() => A.suppress(s, { frameworkId: 'f1', roles: ['r2'] }), /not a role/);
  assert.throws(() => A.recoverResources(s, { frameworkId: 'f1', agentId: 'a1', role: 'r1', resources: r('cpus:1') }), /does not hold/);
  assert.throws(() => A.recoverResources(s, { frameworkId: 'f1', agentId: 'a1', role: 'r1', resources: setAllocationRole(r('cpus:1'), 'r2') }), /allocated to r2/);
  assert.throws(() => A.addAgent(s, { agentId: 'a9', resources: r('cpus:1'), used: [{ frameworkId: 'f1', role: 'r1', resources: r('cpus:2') }] }), /exceed its total/);
  const held = A.allocate(s).state;
  assert.throws(() => A.updateAgent(held, { agentId: 'a2', resources: r('cpus:1;mem:1024') }), /does not contain/);
  assert.is(A.recoverResources(s, { frameworkId: 'f1', agentId: 'gone', role: 'r1', resources: r('cpus:1') }), s);
  assert.is(A.recoverResources(s, { frameworkId: 'gone', agentId: 'a1', role: 'r1', resources: r('cpus:1') }), s);
  assert.is(A.expireFilter(s, { frameworkId: 'gone', role: 'r1', agentId: 'a1', id: 'x' }), s);
});

test('roles and shares for observation', () => {
  let { state: s } = A.allocate(cluster());
  s = A.updateWeights(s, { r1: 4 });
  assert.ok(A.roleShare(s, 'r1') < A.roleShare(s, 'r2'));
  assert.equal(A.roleOrder(s), ['r1', 'r2']);
});

test('wire: toWire output is a spec/protocol Resource', () => {
  const resources: Resource[] = toWire(r('cpus:1;ports:[1-2];zones:{a};mem(r1):5'), 'ENDPOINT');
  assert.is(resources.length, 4);
});

test.run();
