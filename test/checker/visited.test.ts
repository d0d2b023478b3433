import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fingerprint, fingerprintHex } from '../../checker/fingerprint.ts';
import { FingerprintTable, NO_PARENT } from '../../checker/visited.ts';
import { FingerprintMemo } from '../../checker/memo.ts';
import { explore } from '../../checker/explore.ts';
import { twoPhaseCommit } from '../../checker/examples/two-phase-commit.ts';

const fp2 = (words: number[]): [number, number] => {
  const out = new Int32Array(2);
  fingerprint(Int32Array.from(words), 0, words.length, out);
  return [out[0]!, out[1]!];
};

test('fingerprint: deterministic, respects offset and length, never a high half of 0', () => {
  assert.equal(fp2([1, 2, 3]), fp2([1, 2, 3]));
  assert.not.equal(fp2([1, 2, 3]), fp2([1, 2, 4]));
  assert.not.equal(fp2([1, 2]), fp2([2, 1]));
  assert.not.equal(fp2([0]), fp2([0, 0])); // the length is mixed in
  const buf = Int32Array.of(9, 9, 1, 2, 3, 9);
  const out = new Int32Array(2);
  fingerprint(buf, 2, 3, out);
  assert.equal([out[0], out[1]], fp2([1, 2, 3]));
  assert.is(fingerprintHex(Int32Array.of(1, 2, 3)).length, 16);
  for (let i = 0; i < 100_000; i++) assert.ok(fp2([i, i >> 3])[1] !== 0);
});

test('fingerprint: no collisions among 300,000 structured two-word states', () => {
  const seen = new Set<string>();
  for (let a = 0; a < 600; a++) for (let b = 0; b < 500; b++) seen.add(fp2([a, b << 4]).join(':'));
  assert.is(seen.size, 300_000);
});

test('fingerprint: high halves spread evenly (a weak mixer would cluster)', () => {
  const buckets = new Int32Array(64);
  for (let i = 0; i < 64_000; i++) buckets[fp2([i, 0, 0])[1]! >>> 26]!++;
  for (const c of buckets) assert.ok(c > 800 && c < 1200, `bucket count ${c}`);
});

test('table: add, duplicates, find, parent links', () => {
  const t = new FingerprintTable({ initialCapacity: 16 });
  const a = t.add(11, 22, NO_PARENT);
  assert.ok(a >= 0);
  assert.is(t.add(11, 22, 5), -1 - a); // present: the first parent stays
  assert.is(t.parent(a), NO_PARENT);
  const b = t.add(12, 22, 22); // same high half, different low half: another state
  assert.ok(b >= 0 && b !== a);
  assert.is(t.find(12, 22), b);
  assert.is(t.find(13, 22), -1);
  assert.is(t.parent(b), 22);
  assert.equal(t.parentsOf(22).sort(), [a, b].sort());
  assert.equal(t.parentsOf(23), []);
  assert.is(t.size, 2);
});

test('table: growth keeps every entry and link; at most 16 bytes/state from 786,432 states on', () => {
  const t = new FingerprintTable();
  const out = new Int32Array(2);
  const s = new Int32Array(2);
  const n = 2_000_000;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    s[0] = i;
    fingerprint(s, 0, 2, out);
    t.ensureRoom(1);
    assert.ok(t.add(out[0]!, out[1]!, (i % 1000) + 1) >= 0);
    if (t.size >= 786_432) worst = Math.max(worst, t.bytes / t.size);
  }
  assert.is(t.size, n);
  assert.ok(t.resizes > 5);
  assert.ok(worst <= 16, `worst bytes/state ${worst}`);
  assert.ok(worst > 15, `the growth policy is not wasting less than it claims: ${worst}`);
  for (let i = 0; i < n; i += 997) {
    s[0] = i;
    fingerprint(s, 0, 2, out);
    const slot = t.find(out[0]!, out[1]!);
    assert.ok(slot >= 0);
    assert.is(t.parent(slot), (i % 1000) + 1);
  }
  s[0] = n;
  fingerprint(s, 0, 2, out);
  assert.is(t.find(out[0]!, out[1]!), -1);
});

test('table: touch does not change the table', () => {
  const t = new FingerprintTable({ initialCapacity: 64 });
  t.add(1, 2, 0);
  const before = t.data.slice();
  t.touch(Int32Array.of(2, 5, 7), 3);
  assert.equal(Array.from(t.data), Array.from(before));
});

test('presizing: a table sized for the expected states never resizes, and the count is the same', () => {
  for (const n of [1, 1000, 786_431, 786_432, 1_000_000]) {
    const t = new FingerprintTable({ expectedStates: n });
    const cap = t.capacity;
    t.ensureRoom(n);
    assert.is(t.capacity, cap, `${n} states`);
    assert.ok(t.limit >= n);
  }
  const plain = explore(twoPhaseCommit(5));
  assert.ok(plain.table.resizes > 0); // else the presized run below proves nothing
  const sized = explore(twoPhaseCommit(5), { table: { expectedStates: plain.states } });
  assert.is(sized.table.resizes, 0);
  assert.is(sized.states, plain.states);
  // A hint too small only means resizes.
  assert.is(explore(twoPhaseCommit(5), { table: { expectedStates: 10 } }).states, plain.states);
});

test('memo: stores and finds values by fingerprint, through growth and clearing', () => {
  const memo = new FingerprintMemo(1 << 12, 16);
  const keys = Array.from({ length: 3000 }, (_, i) => fp2([i, 7]));
  keys.forEach(([lo, hi], i) => {
    assert.is(memo.get(lo, hi), -1);
    memo.set(lo, hi, i % 5);
  });
  assert.is(memo.clears, 0);
  keys.forEach(([lo, hi], i) => assert.is(memo.get(lo, hi), i % 5));
  // Past its largest size it starts over: values are recomputed, never wrong.
  for (let i = 3000; i < 6000; i++) {
    const [lo, hi] = fp2([i, 7]);
    memo.set(lo, hi, 1);
  }
  assert.ok(memo.clears > 0);
  for (let i = 0; i < 6000; i++) {
    const [lo, hi] = fp2([i, 7]);
    const v = memo.get(lo, hi);
    assert.ok(v === -1 || v === (i < 3000 ? i % 5 : 1));
  }
});

test.run();
