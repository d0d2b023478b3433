import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { canonicalJson, sameJson } from '../../spec/canonical.ts';
import { agentCheckpoint, sameCheckpoint } from '../../spec/machines/agent/checkpoint.ts';
import type { AgentContext, FrameworkRecord } from '../../spec/machines/agent/types.ts';

/** `x` rebuilt with every object's keys in reverse order (and an undefined member added): the same canonical JSON. */
function reordered(x: unknown, undefinedMember = true): unknown {
  if (Array.isArray(x)) return x.map((v) => reordered(v, undefinedMember));
  if (typeof x !== 'object' || x === null) return x;
  const out: Record<string, unknown> = undefinedMember ? { zzUndefined: undefined } : {};
  for (const k of Object.keys(x).reverse()) out[k] = reordered((x as Record<string, unknown>)[k], undefinedMember);
  return out;
}

test('sameJson: true exactly where the canonical JSON is the same (random JSON, reordered and changed)', () => {
  // -0 is left out of the generated values: JSON.stringify and canonicalJson write it as 0, and so does sameJson judge it.
  const json = fc.jsonValue({ maxDepth: 4, noNegativeZero: true } as never);
  fc.assert(
    fc.property(json, json, (a, b) => {
      assert.is(sameJson(a, b), canonicalJson(a) === canonicalJson(b));
      assert.ok(sameJson(a, reordered(a)));
      assert.ok(sameJson(reordered(a), a));
    }),
  );
});

test('sameJson: the cases canonical JSON decides', () => {
  assert.ok(sameJson({ a: 1, b: undefined }, { a: 1 }));
  assert.ok(sameJson({ a: 1 }, { b: undefined, a: 1 }));
  assert.not.ok(sameJson({ a: 1 }, { a: 1, b: 2 }));
  assert.not.ok(sameJson({ a: 1, b: 2 }, { a: 1 }));
  assert.ok(sameJson(0, -0));
  assert.not.ok(sameJson(1, '1'));
  assert.not.ok(sameJson([1, 2], [2, 1]));
  assert.not.ok(sameJson([1], { 0: 1 }));
  assert.not.ok(sameJson({ 0: 1 }, [1]));
  assert.not.ok(sameJson(null, {}));
  assert.not.ok(sameJson({ a: [] }, { a: {} }));
  assert.ok(sameJson({ a: { b: [1, { c: 2, d: 3 }] } }, { a: { b: [1, { d: 3, c: 2 }] } }));
});

test('sameCheckpoint: what an agent checkpoints changed or not, as its canonical JSON says', () => {
  const fw = (checkpoint: boolean, state: 'RUNNING' | 'TERMINATING') => ({ info: { checkpoint, name: 'f', user: 'u' }, state, executors: {} }) as unknown as FrameworkRecord;
  const base = {
    info: { hostname: 'a', id: { value: 'S0' } },
    uuids: 3,
    pingTimeoutMs: 75_000,
    paused: false,
    frameworks: { kept: fw(true, 'RUNNING'), forgotten: fw(false, 'RUNNING') },
    streams: { kept: { t1: { checkpoint: true, pending: [], received: ['u'] } }, forgotten: { t2: { checkpoint: false, pending: [], received: [] } } },
  } as unknown as AgentContext;
  const key = (c: AgentContext) => canonicalJson(agentCheckpoint(c));
  const cases: [string, AgentContext][] = [
    ['a field outside the checkpoint', { ...base, paused: true }],
    ['a framework that does not checkpoint', { ...base, frameworks: { ...base.frameworks, forgotten: fw(false, 'TERMINATING') } }],
    ['a stream that is not checkpointed', { ...base, streams: { ...base.streams, forgotten: { t2: { checkpoint: false, pending: [], received: ['v'] } } } }],
    ['the uuid counter', { ...base, uuids: 4 }],
    ['a checkpointing framework', { ...base, frameworks: { ...base.frameworks, kept: fw(true, 'TERMINATING') } }],
    ['a checkpointed stream', { ...base, streams: { ...base.streams, kept: { t1: { checkpoint: true, pending: [], received: ['u', 'w'] } } } }],
    ['a drain', { ...base, drain: { mark_gone: false } } as unknown as AgentContext],
    ['the same, keys in another order', reordered(base, false) as AgentContext],
  ];
  for (const [what, c] of cases) assert.is(sameCheckpoint(base, c), key(base) === key(c), what);
  assert.ok(sameCheckpoint(base, cases[0]![1]));
  assert.not.ok(sameCheckpoint(base, cases[3]![1]));
});

test.run();
