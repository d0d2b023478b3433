import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/explore.ts';
import { KeyedVerdicts } from '../../checker/keyed-verdicts.ts';
import { counterAndBit } from '../support/counter-and-bit.ts';

function counted(reads: number[] | undefined, kind: 'always' | 'sometimes' = 'always') {
  let asked = 0;
  const holds = (s: Int32Array) => {
    asked++;
    return kind === 'always' ? s[0] !== 3 : s[0] === 3;
  };
  const r = explore(counterAndBit([{ kind, name: 'p', holds, ...(reads ? { reads: Int32Array.from(reads) } : {}) }], 3), { stopOnViolation: false });
  const v = r.verdicts[0]!;
  return { r, v, asked, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

test('reads: a property is not asked again where a step moved nothing it reads; verdicts and traces are the same', () => {
  for (const kind of ['always', 'sometimes'] as const) {
    const all = counted(undefined, kind);
    const some = counted([0], kind);
    assert.is(some.r.states, all.r.states);
    assert.is(some.v.status, all.v.status, kind);
    assert.is(some.steps, 3, kind);
    assert.is(all.steps, 3, kind);
    assert.ok(some.asked < all.asked, `${kind}: asked ${some.asked} times with reads, ${all.asked} without`);
  }
});

test('reads: a word left out of them hides what the property sees there (the contract is the model’s to keep)', () => {
  // It reads a but claims to read b: every step of a is skipped, so a = 3 is only seen after a flip.
  const wrong = counted([1]);
  assert.is(wrong.v.status, 'violated');
  assert.is(wrong.steps, 4);
  assert.is(counted([0]).steps, 3);
});

test('keyed verdicts: one row per distinct key, reused while the key stands, verdicts filled in one by one', () => {
  const kv = new KeyedVerdicts([0, 2], 2);
  const s = Int32Array.of(1, 7, 2);
  const r = kv.row(s);
  assert.is(kv.verdict(r, 0), -1);
  assert.is(kv.verdict(r, 1), -1);
  kv.record(r, 1, 5);
  s[1] = 8; // not part of the key
  assert.is(kv.row(s), r);
  assert.is(kv.verdict(r, 1), 5);
  s[2] = 3;
  const r2 = kv.row(s);
  assert.is.not(r2, r);
  assert.is(kv.verdict(r2, 1), -1);
  s[2] = 2; // back to the first key: found again by its fingerprint
  assert.is(kv.row(s), r);
  assert.is(kv.size, 2);
  // A one-word key is an index.
  const one = new KeyedVerdicts([1], 1);
  const a = one.row(Int32Array.of(0, 300));
  one.record(a, 0, 0);
  assert.is.not(one.row(Int32Array.of(0, 2)), a);
  assert.is(one.row(Int32Array.of(9, 300)), a);
  assert.is(one.verdict(a, 0), 0);
});

test('keyed verdicts: a memo that fills up starts over, and its rows with it (recomputed, never wrong)', () => {
  const kv = new KeyedVerdicts([0, 1], 1, 64);
  const s = new Int32Array(2);
  for (let i = 0; i < 500; i++) {
    s[0] = i;
    const r = kv.row(s);
    const v = kv.verdict(r, 0);
    assert.ok(v === -1 || v === i % 7, `key ${i}: verdict ${v}`);
    kv.record(r, 0, i % 7);
  }
  assert.ok(kv.size < 500);
  for (let i = 0; i < 500; i++) {
    s[0] = i;
    const v = kv.verdict(kv.row(s), 0);
    assert.ok(v === -1 || v === i % 7, `key ${i} again: verdict ${v}`);
    if (v === -1) kv.record(kv.row(s), 0, i % 7);
  }
});

test.run();
