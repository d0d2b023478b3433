import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  add,
  allocatableTo,
  clearAllocationRole,
  contains,
  containsQuantities,
  describeResources,
  equals,
  flatten,
  formatScalar,
  fromFixed,
  fromWire,
  isCanonical,
  mustParseResources,
  parseMinAllocatableResources,
  parseQuantities,
  parseResources,
  printQuantities,
  printResources,
  ranges,
  rangesDifference,
  reserved,
  resources,
  scalar,
  scalarQuantities,
  set,
  setAllocationRole,
  subtract,
  toFixed,
  toWire,
  unreserved,
  validateRole,
  type Resources,
} from '../../spec/resources/index.ts';

const r = (text: string): Resources => mustParseResources(text);
const same = (a: Resources, b: Resources) => assert.ok(equals(a, b), `${describeResources(a)} ≠ ${describeResources(b)}`);

test('fixed point: thousandths, Mesos rounding, no drift', () => {
  assert.is(toFixed(0.1), 100);
  assert.is(toFixed(0.0005), 1); // llround: halves away from zero
  assert.is(toFixed(0.00049), 0);
  assert.is(toFixed(1024), 1024000);
  assert.is(fromFixed(1500), 1.5);
  assert.is(formatScalar(100), '0.1');
  assert.is(formatScalar(2000), '2');
  assert.is(formatScalar(1), '0.001');
  same(add(r('cpus:0.1'), r('cpus:0.2')), r('cpus:0.3'));
  let acc = r('cpus:0');
  for (let i = 0; i < 10; i++) acc = add(acc, r('cpus:0.1'));
  same(acc, r('cpus:1'));
  same(r('cpus:0.1234'), r('cpus:0.123'));
  same(r('cpus:0.1235'), r('cpus:0.124'));
});

test('the canonical form: sorted entries, coalesced ranges, sorted sets, no empty entry', () => {
  const x = r('ports:[33000-33100,31000-32000,32001-32999];disk:0;zones:{b,a};cpus:2;cpus(role1):1');
  assert.equal(x, [
    { name: 'cpus', scalar: 2000 },
    { name: 'cpus', reservations: [{ type: 'STATIC', role: 'role1' }], scalar: 1000 },
    { name: 'ports', ranges: [[31000, 33100]] },
    { name: 'zones', set: ['a', 'b'] },
  ]);
  assert.ok(isCanonical(x));
  assert.equal(JSON.stringify(r('mem:1;cpus:1')), JSON.stringify(r('cpus:1;mem:1')));
  same(
    resources([
      { name: 'cpus', scalar: 500 },
      { name: 'cpus', scalar: 500 },
    ]),
    r('cpus:1'),
  );
  assert.equal(scalar('cpus', 0), []);
  assert.equal(ranges('ports', []), []);
  assert.equal(set('zones', []), []);
});

test('add and subtract, clamped as Mesos subtracts', () => {
  const a = r('cpus:2;mem:1024;ports:[31000-32000];zones:{a,b,c}');
  const b = r('cpus:0.5;ports:[31000-31009,31500-31500];zones:{b}');
  same(subtract(a, b), r('cpus:1.5;mem:1024;ports:[31010-31499,31501-32000];zones:{a,c}'));
  same(add(subtract(a, b), b), a);
  // Subtracting more than there is: the scalar disappears, never negative.
  same(subtract(r('cpus:1;mem:10'), r('cpus:3')), r('mem:10'));
  // Subtracting something absent, or of another reservation, changes nothing.
  same(subtract(r('cpus:1'), r('mem:3;cpus(role1):1;ports:[1-2]')), r('cpus:1'));
  same(subtract(r('ports:[10-20]'), r('ports:[5-12,15-15,19-30]')), r('ports:[13-14,16-18]'));
  assert.equal(rangesDifference([[1, 10]], [[0, 100]]), []);
});

test('contains and equality respect reservations and allocation roles', () => {
  const a = r('cpus:2;cpus(role1):1;ports:[1-100]');
  assert.ok(contains(a, r('cpus:1;ports:[5-7,90-100]')));
  assert.ok(contains(a, r('cpus(role1):1')));
  assert.not.ok(contains(a, r('cpus(role2):1')));
  assert.not.ok(contains(a, r('cpus:3')));
  assert.not.ok(contains(a, r('ports:[100-101]')));
  assert.not.ok(contains(r('cpus:1'), setAllocationRole(r('cpus:1'), 'x')));
  assert.ok(equals(clearAllocationRole(setAllocationRole(a, 'x')), a));
  assert.not.ok(equals(r('cpus:1'), r('cpus:1;mem:1')));
});

test('per-role views', () => {
  const x = r('cpus:1;mem:10;cpus(a):2;cpus(a/b):3;cpus(c):4');
  same(unreserved(x), r('cpus:1;mem:10'));
  same(reserved(x), r('cpus(a):2;cpus(a/b):3;cpus(c):4'));
  same(reserved(x, 'a'), r('cpus(a):2'));
  same(allocatableTo(x, 'a'), r('cpus:1;mem:10;cpus(a):2'));
  same(allocatableTo(x, 'a/b/c'), r('cpus:1;mem:10;cpus(a):2;cpus(a/b):3'));
  same(allocatableTo(x, 'ab'), r('cpus:1;mem:10'));
  same(allocatableTo(x, '*'), r('cpus:1;mem:10'));
  same(flatten(x), r('cpus:10;mem:10'));
  assert.equal(scalarQuantities(x), { cpus: 10000, mem: 10000 });
});

test('quantities: min_allocatable_resources semantics', () => {
  const mins = parseMinAllocatableResources('cpus:0.01|mem:32');
  assert.equal(mins, { ok: true, value: [{ cpus: 10 }, { mem: 32000 }] });
  assert.ok(containsQuantities(r('cpus:0.005;cpus(r):0.005'), { cpus: 10 }), 'sums across reservations');
  assert.not.ok(containsQuantities(r('cpus:0.009'), { cpus: 10 }));
  assert.ok(containsQuantities(r('ports:[1-3]'), { ports: 3000 }), 'ranges count their numbers');
  assert.not.ok(containsQuantities(r('ports:[1-3]'), { ports: 4000 }));
  assert.ok(containsQuantities(r('zones:{a,b}'), { zones: 2000 }));
  assert.equal(parseQuantities('cpus:1;cpus:0.5;mem:0'), { ok: true, value: { cpus: 1500 } });
  assert.is(printQuantities({ mem: 32000, cpus: 10 }), 'cpus:0.01;mem:32');
  assert.not.ok(parseQuantities('ports:[1-2]').ok);
  assert.not.ok(parseMinAllocatableResources('cpus:1|').ok);
});

test('flag syntax: parse and print', () => {
  const text = 'cpus:2;cpus(role1):1.5;mem:1024;ports:[31000-32000];zones:{a,b}';
  assert.is(printResources(r(text)), text);
  assert.is(printResources(r(' cpus : 2 ; mem:1024;;')), 'cpus:2;mem:1024');
  assert.is(printResources(r('cpus::2')), 'cpus:2'); // Mesos's tokenizer drops empty parts
  assert.is(printResources(r('ports:[ 1-2 , 3-4 ]')), 'ports:[1-4]');
  assert.is(printResources(mustParseResources('cpus:1;mem(*):2', 'dev')), 'cpus(dev):1;mem:2');
  assert.is(printResources([]), '');
  assert.throws(() => printResources(setAllocationRole(r('cpus:1'), 'x')), /allocation info/);
  assert.throws(() => printResources(resources([{ name: 'cpus', scalar: 1, reservations: [{ type: 'DYNAMIC', role: 'x', principal: 'p' }] }])), /single static reservation/);
});

test('flag syntax: errors name the offending token', () => {
  const error = (text: string) => {
    const p = parseResources(text);
    assert.not.ok(p.ok, text);
    return p.ok ? '' : p.error;
  };
  assert.match(error('cpus:2;mem'), /'mem'/);
  assert.match(error('cpus:2;mem:1:2'), /missing or extra ':' in 'mem:1:2'/);
  assert.match(error('cpus:two'), /cpus:two/);
  assert.match(error('cpus:-1'), /negative.*'cpus:-1'|'cpus:-1'.*negative/i);
  assert.match(error('cpus(role1:1'), /mismatched parentheses in 'cpus\(role1:1'/);
  assert.match(error('cpus(/x):1'), /cpus\(\/x\):1/);
  assert.match(error('ports:[5-1]'), /ports:\[5-1\]/);
  assert.match(error('ports:[1-2'), /mismatched brackets/);
  assert.match(error('ports:[1-2,3]'), /ports:\[1-2,3\]/);
  assert.match(error('zones:{a,a}'), /duplicated/);
  assert.match(error('cpus:1;cpus:{a}'), /same name/);
  assert.match(error('cpus:0.0001'), /rounds to zero/);
  assert.match(error(':1'), /':1'/);
});

test('roles: Mesos validation rules', () => {
  assert.is(validateRole('*'), null);
  assert.is(validateRole('a/b-c'), null);
  for (const bad of ['', '/a', 'a/', 'a//b', 'a/./b', '..', 'a/*', '-a', 'a b', 'a\tb']) {
    assert.ok(validateRole(bad) !== null, bad);
  }
});

test('wire: renders v1 Resource JSON in the formats Mesos uses', () => {
  const x = r('cpus:4;ports:[31000-32000];zones:{a};mem(role1):512');
  assert.equal(toWire(x), [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 4 }, role: '*' },
    { name: 'mem', type: 'SCALAR', scalar: { value: 512 }, role: 'role1' },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] }, role: '*' },
    { name: 'zones', type: 'SET', set: { item: ['a'] }, role: '*' },
  ]);
  assert.equal(toWire(setAllocationRole(r('mem(role1):512'), 'role1'), 'POST_RESERVATION_REFINEMENT'), [
    {
      name: 'mem',
      type: 'SCALAR',
      scalar: { value: 512 },
      allocation_info: { role: 'role1' },
      reservations: [{ type: 'STATIC', role: 'role1' }],
    },
  ]);
  assert.equal(toWire(r('mem(role1):512'), 'ENDPOINT')[0], {
    name: 'mem',
    type: 'SCALAR',
    scalar: { value: 512 },
    role: 'role1',
    reservations: [{ type: 'STATIC', role: 'role1' }],
  });
  const dynamic = resources([{ name: 'cpus', scalar: 1000, reservations: [{ type: 'DYNAMIC', role: 'r', principal: 'ops' }] }]);
  assert.equal(toWire(dynamic)[0], { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'r', reservation: { principal: 'ops' } });
});

test('wire: parses both reservation formats, leniently where stout is', () => {
  const pre = fromWire([
    { name: 'cpus', type: 'SCALAR', scalar: { value: '4.0' }, role: '*', unknown_field: 1 },
    { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'r', reservation: { principal: 'ops' } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 512 }, role: 'role1', allocation_info: { role: 'role1' } },
    { name: 'disk', type: 'SCALAR', scalar: { value: 0 } },
  ]);
  assert.ok(pre.ok);
  if (!pre.ok) return;
  assert.equal(pre.value, [
    { name: 'cpus', scalar: 4000 },
    { name: 'cpus', reservations: [{ type: 'DYNAMIC', role: 'r', principal: 'ops' }], scalar: 1000 },
    { name: 'mem', reservations: [{ type: 'STATIC', role: 'role1' }], allocationRole: 'role1', scalar: 512000 },
  ]);
  const post = fromWire(toWire(pre.value, 'POST_RESERVATION_REFINEMENT'));
  assert.ok(post.ok && equals(post.value, pre.value));
  const endpoint = fromWire(toWire(pre.value, 'ENDPOINT'));
  assert.ok(endpoint.ok && equals(endpoint.value, pre.value));
  const merged = fromWire([
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1, end: 5 }] } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 6, end: 9 }] } },
  ]);
  assert.ok(merged.ok && equals(merged.value, r('ports:[1-9]')));
  const json = parseResources('[{"name":"cpus","type":"SCALAR","scalar":{"value":2}}]', 'dev');
  assert.ok(json.ok && equals(json.value, r('cpus(dev):2')));
});

test('wire: errors name the index and field', () => {
  const error = (json: unknown) => {
    const p = fromWire(json);
    assert.not.ok(p.ok);
    return p.ok ? '' : p.error;
  };
  assert.match(error({}), /expected an array/);
  assert.match(error([{ type: 'SCALAR', scalar: { value: 1 } }]), /resources\[0\]\.name/);
  assert.match(error([{ name: 'cpus', type: 'TEXT' }]), /resources\[0\]\.type/);
  assert.match(error([{ name: 'cpus', type: 'SCALAR', ranges: { range: [] } }]), /resources\[0\]/);
  assert.match(error([{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }]), /resources\[0\]\.scalar\.value/);
  assert.match(error([{ name: 'cpus', type: 'SCALAR', scalar: { value: 'x' } }]), /resources\[0\]\.scalar\.value/);
  assert.match(
    error([
      {
        name: 'p',
        type: 'RANGES',
        ranges: {
          range: [
            { begin: 1, end: 5 },
            { begin: 5, end: 6 },
          ],
        },
      },
    ]),
    /overlapping/,
  );
  assert.match(error([{ name: 's', type: 'SET', set: { item: ['a', 'a'] } }]), /duplicated/);
  assert.match(error([{ name: 'c', type: 'SCALAR', scalar: { value: 1 }, role: 'a//b' }]), /resources\[0\]\.role/);
  assert.match(error([{ name: 'c', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ role: 'r' }] }]), /reservations\[0\]\.type/);
});

test('resources() rejects invalid entries', () => {
  assert.throws(() => resources([{ name: 'cpus', scalar: 0.5 }]), /thousandths/);
  assert.throws(() => resources([{ name: '', scalar: 1 }]), /empty resource name/);
  assert.throws(() => resources([{ name: 'p', ranges: [[5, 1]] }]), /begin 5 > end 1/);
  assert.throws(() => resources([{ name: 'c', scalar: 1, reservations: [{ type: 'STATIC', role: '*' }] }]), /'\*'/);
});

test.run();
