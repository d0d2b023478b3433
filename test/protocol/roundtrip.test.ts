/**
 * Round trips for every message kind that has a schema (every call, event, response and
 * internal message, every view of an envelope, every shared message): for arbitrary values,
 * render -> parse gives the value with its defaults filled in, re-rendering gives the same
 * text, and the value satisfies the kind's JSON Schema.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MESSAGES } from '../../spec/protocol/descriptors.ts';
import { decodeMessage, encodeMessage, parseJsonText, withDefaults } from '../../spec/protocol/json.ts';
import { descriptorFor, finiteCopy, kindArb, SCHEMAS, validator, views } from './support.ts';

const kinds = [...Object.keys(MESSAGES), ...Object.keys(views())].sort();

function roundTrip(kind: string, value: Record<string, unknown>): void {
  const name = descriptorFor(kind);
  const text = encodeMessage(name, value);
  const json = parseJsonText(text, { nonFinite: true });
  if (!json.ok) throw new Error(`${kind}: rendered text is not JSON: ${json.error}\n${text}`);
  const back = decodeMessage(name, json.value);
  if (!back.ok) throw new Error(`${kind}: rendered text does not parse: ${back.error}\n${text}`);
  const expected = withDefaults(name, value);
  assert.equal(back.value, expected, `${kind}: ${text}`);
  assert.is(encodeMessage(name, back.value), text, kind);
  const validate = validator(`${kind}.json`);
  if (!validate(finiteCopy(expected))) {
    throw new Error(`${kind}: value violates its schema: ${JSON.stringify(validate.errors)}\n${text}`);
  }
}

test('every message kind with a schema is covered', () => {
  const withProperties = Object.entries(SCHEMAS)
    .filter(([, s]) => s.type === 'object')
    .map(([file]) => file.replace(/\.json$/, ''))
    .sort();
  assert.equal(kinds, withProperties);
  assert.ok(kinds.length > 250, String(kinds.length));
});

for (const kind of kinds) {
  test(`round trip: ${kind}`, () => {
    fc.assert(fc.property(kindArb(kind), (value) => roundTrip(kind, value)));
  });
}

test('the round-trip property can fail: a dropped default or a wrong schema is noticed', () => {
  // withDefaults without the CommandInfo.shell default would not match what parsing returns.
  const text = encodeMessage('CommandInfo', { value: 'x' });
  const back = decodeMessage('CommandInfo', JSON.parse(text));
  assert.ok(back.ok);
  if (back.ok) assert.not.equal(back.value, { value: 'x' });
  // A value the schema forbids is rejected by the validator used above.
  assert.not.ok(validator('TaskID.json')({ value: 'x', extra: 1 }));
  assert.not.ok(validator('TimeInfo.json')({ nanoseconds: 1.5 }));
  assert.not.ok(validator('AcceptCall.json')({ type: 'DECLINE', framework_id: { value: 'f' }, accept: {} }));
  assert.not.ok(validator('SecretValue.json')({ data: 'not base64' }));
});

test.run();
