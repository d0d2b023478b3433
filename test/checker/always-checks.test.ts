import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore, type ExploreResult } from '../../checker/explore.ts';
import { exploreParallel } from '../../checker/parallel.ts';
import { KeyedVerdicts } from '../../checker/keyed-verdicts.ts';
import { validateModel, type Model, type Property, type PropertyGroup } from '../../checker/model.ts';
import { counterAndBit } from '../support/counter-and-bit.ts';

/**
 * The counter and bit (test/support/counter-and-bit.ts) up to 4, with two always properties of a
 * alone: p fails at a = 2, q at a = 3. With `grouped`, they share a group that answers for both.
 */
export function counterAndBitGrouped(options: { grouped?: boolean; lying?: boolean; askedP?: { n: number }; groupAsked?: { n: number } } = {}): Model {
  const reads = Int32Array.of(0);
  const askedP = options.askedP ?? { n: 0 };
  const p = (s: Int32Array) => (askedP.n++, s[0] !== 2);
  const q = (s: Int32Array) => s[0] !== 3;
  const group: PropertyGroup = {
    allHold: (s) => {
      if (options.groupAsked) options.groupAsked.n++;
      // A lying group (a seeded bug) says every member holds where one does not.
      return options.lying === true || (p(s) && q(s));
    },
  };
  const g = options.grouped === true ? { group } : {};
  const properties: Property[] = [
    { kind: 'always', name: 'p', holds: p, reads, ...g },
    { kind: 'always', name: 'q', holds: q, reads, ...g },
  ];
  return counterAndBit(properties, 4, 'counter and bit, grouped');
}

const outline = (r: ExploreResult) => r.verdicts.map((v) => `${v.name}:${v.status}${'trace' in v ? `@${v.trace.actions.length}:${v.trace.actions.join(',')}` : ''}`).join(' ');

test('groups: the same verdicts and shortest traces as asking each property, and the members asked less', () => {
  for (const stopOnViolation of [true, false]) {
    const each = { n: 0 };
    const together = { n: 0 };
    const groupAsked = { n: 0 };
    const plain = explore(counterAndBitGrouped({ askedP: each }), { stopOnViolation });
    const grouped = explore(counterAndBitGrouped({ grouped: true, askedP: together, groupAsked }), { stopOnViolation });
    assert.is(outline(grouped), outline(plain), `stopOnViolation ${stopOnViolation}`);
    assert.is(grouped.states, plain.states);
    assert.ok(groupAsked.n > 0, 'the group was asked');
    if (!stopOnViolation) {
      assert.match(outline(grouped), /p:violated@2/);
      assert.match(outline(grouped), /q:violated@3/);
    }
  }
});

test('groups: a group that says all hold where a member does not hides that violation (the explorer relies on it)', () => {
  const lying = explore(counterAndBitGrouped({ grouped: true, lying: true }), { stopOnViolation: false });
  assert.match(outline(lying), /p:holds q:holds/);
  assert.match(outline(explore(counterAndBitGrouped({ grouped: true }), { stopOnViolation: false })), /p:violated@2.*q:violated@3/);
});

test('groups: parallel workers give the same verdicts with and without them', async () => {
  const url = new URL(import.meta.url).href;
  const plain = await exploreParallel({ module: url, export: 'counterAndBitGrouped', args: [{}] }, { workers: 2, stopOnViolation: false });
  const grouped = await exploreParallel({ module: url, export: 'counterAndBitGrouped', args: [{ grouped: true }] }, { workers: 2, stopOnViolation: false });
  assert.is(outline(grouped), outline(plain));
  const lying = await exploreParallel({ module: url, export: 'counterAndBitGrouped', args: [{ grouped: true, lying: true }] }, { workers: 2, stopOnViolation: false });
  assert.match(outline(lying), /p:holds q:holds/);
});

test('groups: members that read other words than each other are refused', () => {
  const m = counterAndBitGrouped({ grouped: true });
  const [p, q] = m.properties as [Property & { kind: 'always' }, Property & { kind: 'always' }];
  const bad: Model = { ...m, properties: [p, { ...q, reads: Int32Array.of(0, 1) }] };
  assert.throws(() => validateModel(bad), /property q reads other words than the rest of its group/);
});

test('keyed verdicts: a row summary is unknown in a new row and kept in its own', () => {
  const kv = new KeyedVerdicts([0, 1], 2);
  const s = Int32Array.of(1, 2);
  const r = kv.row(s);
  assert.is(kv.summary(r), -1);
  kv.record(r, 1, 3);
  kv.recordSummary(r, 1);
  assert.is(kv.summary(r), 1);
  assert.is(kv.verdict(r, 1), 3);
  assert.is(kv.verdict(r, 0), -1);
  const r2 = kv.row(Int32Array.of(1, 3));
  assert.is(kv.summary(r2), -1);
  assert.is(kv.verdict(r2, 1), -1);
  assert.is(kv.summary(kv.row(s)), 1);
});

test.run();
