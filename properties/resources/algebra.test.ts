/**
 * Properties of the resource algebra, each checked on the real implementation and shown to be
 * able to fail: every property has at least one deliberately broken algebra (a mutant, built
 * here by wrapping or replacing the real functions) that it catches.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as R from '../../spec/resources/index.ts';
import type { Reservation, ResourceEntry, Resources } from '../../spec/resources/index.ts';

// ---------------------------------------------------------------------------------------------
// Generators: small pools so identities collide often.

const reservationsArb: fc.Arbitrary<Reservation[] | undefined> = fc.constantFrom(
  undefined,
  [{ type: 'STATIC', role: 'role1' }],
  [{ type: 'STATIC', role: 'a/b' }],
  [{ type: 'DYNAMIC', role: 'role1', principal: 'ops' }],
  [
    { type: 'STATIC', role: 'a' },
    { type: 'DYNAMIC', role: 'a/b' },
  ],
);

const identityArb = (printable: boolean) =>
  fc.record({
    reservations: printable ? fc.constantFrom<Reservation[] | undefined>(undefined, [{ type: 'STATIC', role: 'role1' }], [{ type: 'STATIC', role: 'a/b' }]) : reservationsArb,
    allocationRole: printable ? fc.constant(undefined) : fc.constantFrom(undefined, 'role1'),
  });

const rangeArb = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 8 })).map(([b, len]) => [b, b + len] as const);

const entryArb = (printable: boolean): fc.Arbitrary<ResourceEntry> =>
  fc
    .tuple(
      identityArb(printable),
      fc.oneof(
        fc.record({ name: fc.constantFrom('cpus', 'mem', 'disk', 'gpus'), scalar: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(1, 100, 999, 1000, 1001)) }),
        fc.record({ name: fc.constant('ports'), ranges: fc.array(rangeArb, { maxLength: 3 }) }),
        fc.record({ name: fc.constant('zones'), set: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 }) }),
      ),
    )
    .map(([id, value]) => {
      const e: Record<string, unknown> = { ...value };
      if (id.reservations !== undefined) e.reservations = id.reservations;
      if (id.allocationRole !== undefined) e.allocationRole = id.allocationRole;
      return e as unknown as ResourceEntry;
    });

const resourcesArb = (printable = false): fc.Arbitrary<Resources> => fc.array(entryArb(printable), { maxLength: 6 }).map((es) => R.resources(es));

// ---------------------------------------------------------------------------------------------
// The algebra under test, as a swappable bundle.

interface Algebra {
  add(a: Resources, b: Resources): Resources;
  subtract(a: Resources, b: Resources): Resources;
  contains(a: Resources, b: Resources): boolean;
  equals(a: Resources, b: Resources): boolean;
  print(r: Resources): string;
  parse(text: string): Resources;
  toWire(r: Resources, f: R.WireFormat): R.WireResource[];
  fromWire(json: unknown): Resources;
  quantities(r: Resources): R.Quantities;
}

const real: Algebra = {
  add: R.add,
  subtract: R.subtract,
  contains: R.contains,
  equals: R.equals,
  print: R.printResources,
  parse: R.mustParseResources,
  toWire: R.toWire,
  fromWire: (json) => {
    const p = R.fromWire(json);
    if (!p.ok) throw new Error(p.error);
    return p.value;
  },
  quantities: R.scalarQuantities,
};

const noNegative = (r: Resources) =>
  r.every((e) => (e.scalar === undefined || e.scalar > 0) && (e.ranges === undefined || e.ranges.length > 0) && (e.set === undefined || e.set.length > 0));

const properties = (alg: Algebra) => ({
  'add is commutative': fc.property(resourcesArb(), resourcesArb(), (a, b) => alg.equals(alg.add(a, b), alg.add(b, a))),
  'add is associative': fc.property(resourcesArb(), resourcesArb(), resourcesArb(), (a, b, c) => alg.equals(alg.add(alg.add(a, b), c), alg.add(a, alg.add(b, c)))),
  'add keeps the canonical form': fc.property(resourcesArb(), resourcesArb(), (a, b) => R.isCanonical(alg.add(a, b))),
  'a + b - b == a': fc.property(resourcesArb(), resourcesArb(), (a, b) => {
    // Ranges and sets are sets (adding what is there already adds nothing), so b is made
    // disjoint from a there; scalars add up.
    const inA = (e: ResourceEntry) => a.find((x) => R.compareIdentity(x, e) === 0);
    const b2 = R.resources(
      b.map((e): ResourceEntry => {
        if (e.ranges !== undefined) return { ...e, ranges: R.rangesDifference(e.ranges, inA(e)?.ranges ?? []) };
        if (e.set !== undefined) return { ...e, set: R.setDifference(e.set, inA(e)?.set ?? []) };
        return e;
      }),
    );
    return alg.equals(alg.subtract(alg.add(a, b2), b2), a);
  }),
  'a + b contains a and b': fc.property(resourcesArb(), resourcesArb(), (a, b) => alg.contains(alg.add(a, b), a) && alg.contains(alg.add(a, b), b)),
  'contains both ways is equality': fc.property(resourcesArb(), resourcesArb(), (a, b) => {
    const c = alg.add(a, b);
    const d = alg.subtract(c, b);
    return (alg.contains(c, d) && alg.contains(d, c)) === alg.equals(c, d);
  }),
  'subtract never goes negative and stays within a': fc.property(resourcesArb(), resourcesArb(), (a, b) => {
    const d = alg.subtract(a, b);
    return noNegative(d) && R.isCanonical(d) && alg.contains(a, d);
  }),
  'if a ⊇ b then a - b + b == a': fc.property(resourcesArb(), resourcesArb(), (a, b) => {
    const c = alg.add(a, b);
    return alg.equals(alg.add(alg.subtract(c, b), b), c);
  }),
  'scalar quantities sum every scalar per name': fc.property(resourcesArb(), resourcesArb(), (a, b) => {
    const expected: Record<string, number> = {};
    for (const e of [...a, ...b]) if (e.scalar !== undefined) expected[e.name] = (expected[e.name] ?? 0) + e.scalar;
    return R.quantitiesEqual(alg.quantities(alg.add(a, b)), expected);
  }),
  'parse(print(r)) == r': fc.property(resourcesArb(true), (a) => alg.equals(alg.parse(alg.print(a)), a)),
  'fromWire(toWire(r)) == r in every format': fc.property(
    resourcesArb(),
    fc.constantFrom<R.WireFormat>('PRE_RESERVATION_REFINEMENT', 'POST_RESERVATION_REFINEMENT', 'ENDPOINT'),
    (a, format) => alg.equals(alg.fromWire(JSON.parse(JSON.stringify(alg.toWire(a, format)))), a),
  ),
  'ten times 0.1 is exactly 1 (no float drift)': fc.property(fc.integer({ min: 1, max: 50 }), (n) => {
    let acc: Resources = [];
    for (let i = 0; i < n * 10; i++) acc = alg.add(acc, R.scalar('cpus', 0.1));
    return alg.equals(acc, R.scalar('cpus', n));
  }),
});

for (const [name, property] of Object.entries(properties(real))) {
  test(`resources: ${name}`, () => {
    fc.assert(property as fc.IPropertyWithHooks<unknown[]>);
  });
}

// ---------------------------------------------------------------------------------------------
// Mutants: each must make at least one property fail, and each property must have a mutant.

const rebuild = (entries: Array<Record<string, unknown>>): Resources =>
  [...entries].sort((x, y) => R.compareIdentity(x as unknown as ResourceEntry, y as unknown as ResourceEntry)) as unknown as Resources;

const mutants: Record<string, { alg: Algebra; catches: string[] }> = {
  // Same-identity ranges and sets: keeps the left operand's value instead of the union.
  'add keeps the left value of ranges/sets': {
    alg: {
      ...real,
      add: (a, b) =>
        rebuild(
          R.add(a, b).map((e) => {
            const left = a.find((x) => R.compareIdentity(x, e) === 0);
            return e.scalar === undefined && left !== undefined ? { ...left } : { ...e };
          }),
        ),
    },
    catches: ['add is commutative', 'a + b contains a and b'],
  },
  // Double-counts the right operand's scalars.
  'add counts the right operand twice': {
    alg: {
      ...real,
      add: (a, b) =>
        rebuild(
          R.add(a, b).map((e) => {
            const z = b.find((y) => R.compareIdentity(y, e) === 0)?.scalar ?? 0;
            return e.scalar === undefined ? { ...e } : { ...e, scalar: e.scalar + z };
          }),
        ),
    },
    catches: ['add is associative', 'add is commutative'],
  },
  // Floating-point arithmetic in natural units, as a naive implementation would do it.
  'add in floating point': {
    alg: {
      ...real,
      add: (a, b) =>
        rebuild(
          R.add(a, b).map((e) => {
            if (e.scalar === undefined) return { ...e };
            const x = a.find((y) => R.compareIdentity(y, e) === 0)?.scalar ?? 0;
            const z = b.find((y) => R.compareIdentity(y, e) === 0)?.scalar ?? 0;
            return { ...e, scalar: (x / 1000 + z / 1000) * 1000 };
          }),
        ),
    },
    catches: ['add keeps the canonical form', 'ten times 0.1 is exactly 1 (no float drift)'],
  },
  // Subtraction that keeps negative remainders instead of clamping them away.
  'subtract goes negative': {
    alg: {
      ...real,
      subtract: (a, b) => {
        const out = R.subtract(a, b).map((e) => ({ ...e }) as Record<string, unknown>);
        for (const e of b) {
          const have = a.find((x) => R.compareIdentity(x, e) === 0);
          if (e.scalar !== undefined && have !== undefined && have.scalar! < e.scalar) out.push({ ...have, scalar: have.scalar! - e.scalar });
        }
        return rebuild(out);
      },
    },
    catches: ['subtract never goes negative and stays within a'],
  },
  // Subtraction by name only, ignoring reservations and allocation roles.
  'subtract ignores identity': {
    alg: { ...real, subtract: (a, b) => R.subtract(R.flatten(a), R.flatten(b)) },
    catches: ['a + b - b == a', 'if a ⊇ b then a - b + b == a'],
  },
  // contains that only looks at names.
  'contains by name': {
    alg: { ...real, contains: (a, b) => b.every((e) => a.some((x) => x.name === e.name)) },
    catches: ['contains both ways is equality'],
  },
  // Quantities that forget reserved resources.
  'quantities of unreserved only': {
    alg: { ...real, quantities: (r) => R.scalarQuantities(R.unreserved(r)) },
    catches: ['scalar quantities sum every scalar per name'],
  },
  // Printing scalars with two decimals.
  'print rounds to two decimals': {
    alg: { ...real, print: (r) => R.printResources(r).replace(/:(\d+\.\d{3})/g, (_, v: string) => `:${Number(v).toFixed(2)}`) },
    catches: ['parse(print(r)) == r'],
  },
  // Wire rendering that drops reservations.
  'toWire drops reservations': {
    alg: { ...real, toWire: (r, f) => R.toWire(R.flatten(r), f) },
    catches: ['fromWire(toWire(r)) == r in every format'],
  },
};

const covered = new Set(Object.values(mutants).flatMap((m) => m.catches));
test('resources: every property has a mutant', () => {
  for (const name of Object.keys(properties(real))) {
    if (!covered.has(name)) assert.unreachable(`no mutant for property '${name}'`);
  }
});

for (const [mutant, { alg, catches }] of Object.entries(mutants)) {
  test(`resources mutant caught: ${mutant}`, () => {
    const props = properties(alg) as unknown as Record<string, fc.IPropertyWithHooks<unknown[]>>;
    for (const name of catches) {
      const details = fc.check(props[name]!, { numRuns: 500 });
      assert.ok(details.failed, `property '${name}' did not catch mutant '${mutant}'`);
    }
  });
}

test.run();
