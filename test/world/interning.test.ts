import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyStateMachine } from 'xstate';
import { canonicalJson } from '../../spec/canonical.ts';
import type { ComponentDef } from '../../spec/world/definition.ts';
import { Interning } from '../../spec/world/interning.ts';

/** Interning only reads a component's machine id. */
const ids = () => new Interning([{ name: 'm', machine: { id: 'machine' } as AnyStateMachine, running: true } as ComponentDef], Infinity);
const local = (context: unknown) => ({ value: 'idle', context, timers: [] });

test('interning: one id per canonical JSON, whatever order the keys were added in', () => {
  const i = ids();
  const a = i.internLocal(0, local({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }));
  assert.is(i.internLocal(0, local({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 })), a);
  assert.is(i.internLocal(0, local({ a: 1, b: { c: [1, { d: 2, e: 3 }] }, z: undefined })), a);
  assert.is.not(i.internLocal(0, local({ a: 2, b: { c: [1, { d: 2, e: 3 }] } })), a);
  assert.is(i.localJson[a], canonicalJson(local({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })));
});

test('interning: a context in canonical form is stored as it is; any other is stored in canonical form', () => {
  const i = ids();
  const inForm = { a: 1, b: [{ x: 1 }] };
  assert.is(i.locals[i.internLocal(0, local(inForm))]!.context, inForm);
  const shared = { p: 1, q: 2 };
  const outOfForm = { b: 2, a: { y: 1, x: 0 }, c: shared, d: -0, e: undefined };
  const stored = i.locals[i.internLocal(0, local(outOfForm))]!.context as Record<string, unknown>;
  assert.equal(Object.keys(stored), ['a', 'b', 'c', 'd']);
  assert.equal(Object.keys(stored.a as object), ['x', 'y']);
  assert.ok(Object.is(stored.d, 0), '-0 is stored as 0');
  assert.is(stored.c, shared, 'what is in form already is not copied');
  assert.equal(Object.keys(outOfForm), ['b', 'a', 'c', 'd', 'e'], 'the step’s own object is left alone');
  assert.is(JSON.stringify(stored), canonicalJson(outOfForm));
});

test('interning: integer-like keys out of string order (no object iterates them so) take the long way', () => {
  const i = ids();
  const id = i.internLocal(0, local({ 9: 'nine', 10: 'ten' }));
  assert.is(i.localJson[id], '{"context":{"10":"ten","9":"nine"},"timers":[],"value":"idle"}');
  assert.is(i.internLocal(0, local({ 10: 'ten', 9: 'nine' })), id);
});

test('interning: what canonical JSON refuses, interning refuses', () => {
  const i = ids();
  assert.throws(() => i.internLocal(0, local({ a: [1, undefined] })), /undefined in an array/);
  assert.throws(() => i.internLocal(0, local({ a: Infinity })), /non-finite/);
  assert.throws(() => i.internLocal(0, local({ a: new Map() })), /not plain data/);
});

test.run();
