/**
 * RecordIO: encoding, incremental decoding across arbitrary chunk boundaries, malformed input.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utf8Encode } from '../../spec/protocol/bytes.ts';
import { encodeRecord, RecordIODecoder, RecordIOError } from '../../spec/protocol/recordio.ts';

const ascii = (s: string): Uint8Array => utf8Encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Split bytes at the given cut points (sorted, deduplicated, within range). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(prev, p));
    prev = p;
  }
  return chunks;
}

test('a record is its byte length, a newline, then the bytes', () => {
  assert.is(text(encodeRecord('{"type":"HEARTBEAT"}')), '20\n{"type":"HEARTBEAT"}');
  // Length counts UTF-8 bytes, not characters.
  assert.is(text(encodeRecord('é')), '2\né');
  assert.equal(Array.from(encodeRecord(new Uint8Array([0, 10, 255]))), [51, 10, 0, 10, 255]);
});

test('any split of a stream of records decodes to the same records', () => {
  const record = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(ascii));
  fc.assert(
    fc.property(fc.array(record, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (records, cuts) => {
      const stream = concat(records.map((r) => encodeRecord(r)));
      const decoder = new RecordIODecoder();
      const out = split(stream, cuts).flatMap((chunk) => decoder.decode(chunk));
      assert.equal(
        out.map((r) => Array.from(r)),
        records.map((r) => Array.from(r)),
      );
      decoder.end();
    }),
  );
});

test('records are whole and independent of the input buffer', () => {
  const decoder = new RecordIODecoder();
  const chunk = ascii('3\nabc2\nde');
  const [first, second] = decoder.decode(chunk);
  chunk.fill(0);
  assert.is(text(first!), 'abc');
  assert.is(text(second!), 'de');
  assert.equal(decoder.decodeText(ascii('1\nx')), ['x']);
  // A zero length yields an empty record, as stout's decoder does.
  assert.equal(decoder.decodeText(ascii('0\n1\ny')), ['', 'y']);
});

test('a malformed length is an error and the decoder stays failed', () => {
  for (const bad of ['x\n', '-1\n', ' 5\n', '5 \n', '\n', '1e3\n', '123456789012345678901\n', '12345678901234567890123']) {
    const decoder = new RecordIODecoder();
    assert.throws(
      () => decoder.decode(ascii(bad)),
      (e: unknown) => e instanceof RecordIOError && /^Failed to decode length/.test((e as Error).message),
      bad,
    );
    assert.throws(() => decoder.decode(ascii('1\na')), /FAILED state/);
  }
  // The error names the header read so far.
  assert.throws(() => new RecordIODecoder().decode(ascii('12a\n')), /Failed to decode length '12a'/);
});

test('end() reports a stream cut inside a header or a record', () => {
  const inRecord = new RecordIODecoder();
  inRecord.decode(ascii('5\nab'));
  assert.throws(() => inRecord.end(), /inside a record/);
  const inHeader = new RecordIODecoder();
  inHeader.decode(ascii('1\na1'));
  assert.throws(() => inHeader.end(), /inside a record/);
  const clean = new RecordIODecoder();
  clean.decode(ascii('1\na'));
  clean.end();
});

test.run();
