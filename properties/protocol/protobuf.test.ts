/**
 * The protobuf codec against the JSON codec, for every message of the v1 APIs in the descriptor
 * table: a value encoded to protobuf and decoded renders the same JSON as the value itself, and
 * protobuf bytes decoded and re-encoded are the same bytes. Known encodings pin the field and
 * enum numbers to Mesos's. A mutant encoder (repeated fields written in reverse order) is caught.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ENUM_DESCRIPTORS, MESSAGES, messageDescriptor, type FieldDescriptor } from '../../spec/protocol/descriptors.ts';
import { ENUM_NUMBERS } from '../../spec/protocol/wire-table.ts';
import { encodeMessage } from '../../spec/protocol/json.ts';
import { decodeProtobuf, encodeProtobuf } from '../../spec/protocol/protobuf.ts';
import { base64Encode } from '../../spec/protocol/bytes.ts';
import { wireMessages } from '../../spec/protocol/descriptors.ts';

/** The messages on the v1 wire: what the scheduler, executor and operator APIs carry, and everything inside them (sorted). */
const WIRE = wireMessages();

const RUNS = Number(process.env['FC_RUNS'] ?? 20);

/** A value of message `name` in the JSON codec's form, nesting at most `depth` levels. */
function messageArb(name: string, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const desc = messageDescriptor(name);
  const fields = depth <= 0 ? desc.fields.filter((f) => f.kind !== 'message') : desc.fields;
  const entries: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) {
    const one = valueArb(f, depth - 1);
    entries[f.name] =
      f.label === 'repeated'
        ? fc.array(one, { minLength: 1, maxLength: 3 })
        : f.label === 'map'
          ? fc.dictionary(fc.string({ maxLength: 5 }), one, { minKeys: 1, maxKeys: 2 })
          : one;
  }
  return fc.record(entries, { requiredKeys: [] });
}

function valueArb(f: FieldDescriptor, depth: number): fc.Arbitrary<unknown> {
  if (f.kind === 'message') return fc.constant(null).chain(() => messageArb(f.type, depth));
  if (f.kind === 'enum') return fc.constantFrom(...ENUM_DESCRIPTORS[f.type]!.values);
  switch (f.type) {
    case 'string':
      return fc.string({ maxLength: 8, unit: 'binary' });
    case 'bytes':
      return fc.uint8Array({ maxLength: 8 }).map(base64Encode);
    case 'bool':
      return fc.boolean();
    case 'double':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
      return fc.maxSafeInteger();
    default:
      return fc.maxSafeNat();
  }
}

/** Both round trips for every wire message; `encode` is the codec under test. */
function roundTrips(encode: typeof encodeProtobuf, names: readonly string[]): void {
  for (const name of names) {
    fc.assert(
      fc.property(messageArb(name, 2), (v) => {
        const bytes = encode(name, v);
        const back = decodeProtobuf(name, bytes);
        assert.is(encodeMessage(name, back), encodeMessage(name, v), `${name}: JSON -> protobuf -> JSON`);
        assert.equal([...encode(name, back)], [...bytes], `${name}: protobuf -> JSON -> protobuf`);
      }),
      { numRuns: RUNS, seed: Number(process.env['FC_SEED'] ?? 20261127) },
    );
  }
}

test(`every one of the ${WIRE.length} wire messages round-trips through protobuf both ways`, () => {
  roundTrips(encodeProtobuf, WIRE);
});

test('every value of every wire enum has its Mesos number', () => {
  const enums = new Set<string>();
  for (const name of WIRE) for (const f of MESSAGES[name]!.fields) if (f.kind === 'enum') enums.add(f.type);
  for (const e of enums) for (const v of ENUM_DESCRIPTORS[e]!.values) assert.ok(ENUM_NUMBERS[e]?.[v] !== undefined, `${e}.${v}`);
});

test("known encodings: Mesos's field and enum numbers", () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  // Call { type: SUBSCRIBE (1) = field 2; subscribe = field 3 { framework_info = 1 { user = 1, name = 2 } } }
  assert.is(hex(encodeProtobuf('RawSchedulerCall', { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } })), '10011a080a060a017512016e');
  // TaskStatus { task_id = 1 { value = 1 }, state = 2: TASK_RUNNING = 1; TASK_STAGING = 6 }
  assert.is(hex(encodeProtobuf('TaskStatus', { task_id: { value: 't' }, state: 'TASK_RUNNING' })), '0a030a01741001');
  assert.is(hex(encodeProtobuf('TaskStatus', { task_id: { value: 't' }, state: 'TASK_STAGING' })), '0a030a01741006');
  // A negative int32 is ten bytes, as protobuf writes it; unknown fields are skipped on decode.
  assert.equal(decodeProtobuf('TaskStatus', Uint8Array.from([0x0a, 0x03, 0x0a, 0x01, 0x74, 0xf8, 0x07, 0x05])), { task_id: { value: 't' } });
});

test('a mutant encoder that writes repeated fields in reverse is caught', () => {
  const reversed = (name: string, v: object): Uint8Array => {
    const flip = (x: unknown): unknown =>
      Array.isArray(x) ? [...x].reverse().map(flip) : typeof x === 'object' && x !== null ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, flip(y)])) : x;
    return encodeProtobuf(name, flip(v) as object);
  };
  let caught = false;
  try {
    roundTrips(reversed, ['RawSchedulerCall', 'Offer', 'TaskInfo']);
  } catch {
    caught = true;
  }
  assert.ok(caught, 'the reversed encoder passed the round trip');
});

test.run();
