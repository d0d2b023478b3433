/**
 * Allocator properties (random programs checked by an independent master model, and the
 * weighted DRF order of first allocations checked against a naive oracle), each with mutants
 * that the property must catch.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as A from '../../spec/allocator/index.ts';
import { allocatableTo, contains, fromFixed, mustParseResources, scalarQuantities, setAllocationRole, type Quantities } from '../../spec/resources/index.ts';
import { realAllocator, type AllocatorImpl } from '../../test/support/allocator-harness.ts';
import { programArb, runProgram } from './model.ts';

/** At least `n` runs, more when FC_RUNS asks for more. */
const runs = (n: number) => Math.max(n, fc.readConfigureGlobal().numRuns ?? 0);

// ---------------------------------------------------------------------------------------------
// 1. Safety over random programs

const safety = (impl: AllocatorImpl) =>
  fc.property(programArb, (program) => {
    const problem = runProgram(impl, program);
    if (problem !== null) throw new Error(problem);
  });

test('allocator: random programs keep every safety property', () => {
  fc.assert(safety(realAllocator), { numRuns: runs(300) });
});

// ---------------------------------------------------------------------------------------------
// 2. Weighted DRF order of the first allocations, against a naive oracle

const SHAPES = ['cpus:2;mem:1024', 'cpus:1;mem:4096', 'cpus:8;mem:512', 'cpus:4;mem:4096;gpus:1', 'cpus:0.5;mem:64'];
const FLAT_ROLES = ['r1', 'r2', 'r3', 'r4'];

interface DrfCase {
  agents: number[];
  frameworks: number[]; // role index per framework
  weights: number[]; // per role
  used: Array<{ agent: number; framework: number }>;
}

const drfCaseArb: fc.Arbitrary<DrfCase> = fc.record({
  agents: fc.array(fc.nat({ max: SHAPES.length - 1 }), { minLength: 1, maxLength: 9 }),
  frameworks: fc.array(fc.nat({ max: FLAT_ROLES.length - 1 }), { minLength: 1, maxLength: 6 }),
  weights: fc.array(fc.constantFrom(0.5, 1, 1, 2, 3), { minLength: FLAT_ROLES.length, maxLength: FLAT_ROLES.length }),
  used: fc.array(fc.record({ agent: fc.nat({ max: 20 }), framework: fc.nat({ max: 20 }) }), { maxLength: 2 }),
});

const pad = (i: number) => String(i).padStart(2, '0');

/**
 * The oracle: Mesos's DRF order restated naively. Per agent, sort every role from scratch by
 * (weighted dominant share, allocation count, name), then its frameworks by (share, count,
 * id); the first framework gets the whole agent (every shape is unreserved and allocatable).
 * Used resources count as one earlier allocation each, as Mesos's sorters record them.
 */
function oracle(c: DrfCase): Map<string, string> {
  const agents = c.agents.map((s, i) => ({ id: `agent${pad(i)}`, q: scalarQuantities(mustParseResources(SHAPES[s]!)) }));
  const total: Record<string, number> = {};
  for (const a of agents) for (const [k, v] of Object.entries(a.q)) total[k] = (total[k] ?? 0) + v;
  const share = (q: Quantities, w: number) => {
    let s = 0;
    for (const k of Object.keys(total)) s = Math.max(s, fromFixed(q[k] ?? 0) / fromFixed(total[k]!));
    return s / w;
  };
  const plus = (a: Quantities, b: Quantities) => {
    const out: Record<string, number> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const fws = c.frameworks.map((r, i) => ({ id: `framework${pad(i)}`, role: FLAT_ROLES[r]!, q: {} as Quantities, count: 0 }));
  const roles = new Map<string, { q: Quantities; count: number; w: number }>();
  for (const f of fws) roles.set(f.role, { q: {}, count: 0, w: c.weights[FLAT_ROLES.indexOf(f.role)]! });
  const usedAgents = new Set<string>();
  for (const u of c.used) {
    const a = agents[u.agent % agents.length]!;
    const f = fws[u.framework % fws.length]!;
    if (usedAgents.has(a.id)) continue;
    usedAgents.add(a.id);
    f.q = plus(f.q, a.q);
    f.count++;
    const r = roles.get(f.role)!;
    r.q = plus(r.q, a.q);
    r.count++;
  }
  const key = (s: number, count: number, name: string) => ({ s, count, name });
  const cmp = (x: ReturnType<typeof key>, y: ReturnType<typeof key>) => x.s - y.s || x.count - y.count || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  const out = new Map<string, string>();
  for (const a of agents) {
    if (usedAgents.has(a.id)) continue;
    const roleOrder = [...roles.entries()].map(([name, r]) => key(share(r.q, r.w), r.count, name)).sort(cmp);
    const role = roleOrder[0]!.name;
    const fwOrder = fws
      .filter((f) => f.role === role)
      .map((f) => key(share(f.q, 1), f.count, f.id))
      .sort(cmp);
    const f = fws.find((x) => x.id === fwOrder[0]!.name)!;
    f.q = plus(f.q, a.q);
    f.count++;
    const r = roles.get(role)!;
    r.q = plus(r.q, a.q);
    r.count++;
    out.set(a.id, f.id);
  }
  return out;
}

function firstAllocations(impl: AllocatorImpl, c: DrfCase): Map<string, string> {
  let state = impl.emptyAllocator({ minAllocatableResources: [] });
  const weights: Record<string, number> = {};
  FLAT_ROLES.forEach((r, i) => (weights[r] = c.weights[i]!));
  state = impl.updateWeights(state, weights);
  const usedAgents = new Map<number, number>();
  for (const u of c.used) {
    const a = u.agent % c.agents.length;
    if (!usedAgents.has(a)) usedAgents.set(a, u.framework % c.frameworks.length);
  }
  c.agents.forEach((s, i) => {
    const resources = mustParseResources(SHAPES[s]!);
    const user = usedAgents.get(i);
    state = impl.addAgent(state, {
      agentId: `agent${pad(i)}`,
      resources,
      used: user === undefined ? [] : [{ frameworkId: `framework${pad(user)}`, role: FLAT_ROLES[c.frameworks[user]!]!, resources }],
    });
  });
  c.frameworks.forEach((r, i) => {
    state = impl.addFramework(state, { frameworkId: `framework${pad(i)}`, roles: [FLAT_ROLES[r]!] });
  });
  const { offers } = impl.allocate(state);
  const out = new Map<string, string>();
  for (const o of offers) {
    if (out.has(o.agentId)) throw new Error(`two offers on ${o.agentId}`);
    out.set(o.agentId, o.frameworkId);
  }
  return out;
}

const drfOrder = (impl: AllocatorImpl) =>
  fc.property(drfCaseArb, (c) => {
    const want = oracle(c);
    const got = firstAllocations(impl, c);
    assert.equal([...got.entries()].sort(), [...want.entries()].sort());
  });

test('allocator: first allocations follow weighted DRF order (naive oracle)', () => {
  fc.assert(drfOrder(realAllocator), { numRuns: runs(300) });
});

// ---------------------------------------------------------------------------------------------
// 3. Determinism and canonical state

test('allocator: the same calls in a different order give the same canonical state', () => {
  fc.assert(
    fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }), (perm) => {
      const build = (order: number[]) => {
        let s = A.emptyAllocator();
        for (const i of order) {
          s = i < 3 ? A.addAgent(s, { agentId: `agent${i}`, resources: mustParseResources(SHAPES[i]!) }) : A.addFramework(s, { frameworkId: `framework${i}`, roles: ['r1', 'r2'] });
        }
        return s;
      };
      assert.is(JSON.stringify(build(perm)), JSON.stringify(build([0, 1, 2, 3, 4])));
    }),
  );
});

// ---------------------------------------------------------------------------------------------
// Mutants

const withPolicy = (policy: Partial<A.AllocatorPolicy>): AllocatorImpl => ({
  ...realAllocator,
  allocate: (s, o) => A.allocateWith({ ...A.drfPolicy, ...policy }, s, o),
});

const mutants: Record<string, { impl: AllocatorImpl; caughtBy: 'safety' | 'drf' }> = {
  'ignores offer filters': { impl: withPolicy({ isFiltered: () => false }), caughtBy: 'safety' },
  'SUPPRESS does nothing': { impl: { ...realAllocator, suppress: (s) => s }, caughtBy: 'safety' },
  'offers reservations to any role': { impl: withPolicy({ allocatableTo: (r) => r }), caughtBy: 'safety' },
  'forgets what it offered (offers it again)': {
    impl: {
      ...realAllocator,
      allocate: (s, o) => {
        const result = A.allocate(s, o);
        return { offers: result.offers, state: s };
      },
    },
    caughtBy: 'safety',
  },
  'offers the agent total instead of what is available': {
    impl: {
      ...realAllocator,
      allocate: (s, o) => {
        const result = A.allocate(s, o);
        const offers = result.offers.map((x) => {
          const agent = A.getAgent(s, x.agentId)!;
          return { ...x, resources: setAllocationRole(allocatableTo(agent.total, x.role), x.role) };
        });
        return { ...result, offers };
      },
    },
    caughtBy: 'safety',
  },
  'offers to inactive frameworks': {
    // Deactivation that only clears the filters and leaves the framework in its sorters.
    impl: {
      ...realAllocator,
      deactivateFramework: (s, id) => {
        const i = A.frameworkIndex(s, id);
        const frameworks = s.frameworks.slice();
        frameworks[i] = { ...frameworks[i]!, filters: [] };
        return { ...s, frameworks };
      },
    },
    caughtBy: 'safety',
  },
  'sorts by total allocation instead of dominant share': {
    impl: withPolicy({ share: (alloc) => Object.values(alloc).reduce((a, b) => a + b, 0) }),
    caughtBy: 'drf',
  },
  'ignores role weights': {
    impl: withPolicy({ share: (alloc, total, _w, excluded) => A.dominantShare(alloc, total, 1, excluded) }),
    caughtBy: 'drf',
  },
  'breaks ties by name only (no allocation count)': {
    impl: withPolicy({ compare: (a, b) => (a.share !== b.share ? a.share - b.share : a.path < b.path ? -1 : a.path > b.path ? 1 : 0) }),
    caughtBy: 'drf',
  },
  'largest share first': {
    impl: withPolicy({ compare: (a, b) => -A.compareDRF(a, b) }),
    caughtBy: 'drf',
  },
};

for (const [name, m] of Object.entries(mutants)) {
  test(`allocator mutant caught by the ${m.caughtBy} property: ${name}`, () => {
    const details = m.caughtBy === 'safety' ? fc.check(safety(m.impl), { numRuns: 500 }) : fc.check(drfOrder(m.impl), { numRuns: 500 });
    assert.ok(details.failed, `mutant '${name}' survived`);
  });
}

// Sanity: the oracle's inputs are what the allocator sees.
test('allocator: oracle and allocator agree on a hand-made case', () => {
  const c: DrfCase = { agents: [0, 0, 0, 0, 0, 0], frameworks: [0, 1], weights: [1, 2, 1, 1], used: [] };
  const got = firstAllocations(realAllocator, c);
  assert.equal([...got.values()].filter((f) => f === 'framework00').length, 2);
  assert.equal([...got.values()].filter((f) => f === 'framework01').length, 4);
  assert.equal(oracle(c), got);
  assert.ok(contains(mustParseResources('cpus:2;mem:1024'), mustParseResources('cpus:1')));
});

test.run();
