/**
 * Deterministic UUIDs and the Base64 rules they depend on.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { base64Decode, base64Encode, base64FromText, textFromBase64, utf8Decode, utf8Encode } from '../../spec/protocol/bytes.ts';
import { isValidUuidBase64, murmur3x86_128, uuidBase64ToText, uuidBytesFromSeed, uuidFromSeed, uuidText } from '../../spec/protocol/uuid.ts';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** The 128-bit hash as the reference implementations print it (h4..h1, most significant first). */
const asNumber = (b: Uint8Array): string => hex(b.slice().reverse());

test('MurmurHash3 x86_128 matches published test vectors', () => {
  // PeterScott/murmur3 test.c vectors (as quoted in the mmh3 test-suite).
  assert.is(asNumber(murmur3x86_128(utf8Encode('Hello, world!'), 123)), '9e37c886a41621625a1aacd761c9129e');
  assert.is(asNumber(murmur3x86_128(utf8Encode(''), 123)), '26f3e79926f3e79926f3e799fedc5245');
  // Longer inputs (full 16-byte blocks plus a tail), checked against the reference C code.
  assert.is(asNumber(murmur3x86_128(utf8Encode('The quick brown fox jumps over the lazy dog'))), 'e5e91d2c5d7bf66cecee2c672f1583c3');
  assert.is(asNumber(murmur3x86_128(utf8Encode('0123456789abcdef0123456789abcdef01234567'))), 'c4a78ff3e7551f398fd2a2f8af1393aa');
  assert.is(asNumber(murmur3x86_128(new Uint8Array(0))), '0'.repeat(32));
});

test('uuidFromSeed: deterministic, 16 bytes, version 4, RFC 4122 variant, accepted by Mesos', () => {
  assert.is(uuidFromSeed('agent-1/task-1/0'), uuidFromSeed('agent-1/task-1/0'));
  assert.is.not(uuidFromSeed('agent-1/task-1/0'), uuidFromSeed('agent-1/task-1/1'));
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (seed) => {
      const b64 = uuidFromSeed(seed);
      assert.is(b64.length, 24);
      assert.ok(b64.endsWith('=='));
      const d = base64Decode(b64);
      assert.ok(d.ok);
      const bytes = d.ok ? d.bytes : new Uint8Array();
      assert.equal(Array.from(bytes), Array.from(uuidBytesFromSeed(seed)));
      assert.is(bytes[6]! >> 4, 4);
      assert.is(bytes[8]! >> 6, 2);
      assert.ok(isValidUuidBase64(b64));
      const t = uuidText(seed);
      assert.match(t, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.is(t.replace(/-/g, ''), hex(bytes));
      assert.is(uuidBase64ToText(b64), t);
    }),
  );
  const seeds = Array.from({ length: 5000 }, (_, i) => `S0/t${i % 50}/${i}`);
  assert.is(new Set(seeds.map(uuidFromSeed)).size, seeds.length);
  assert.is(uuidBase64ToText('AAAA'), null);
});

test('Base64: standard alphabet with padding out, stout-lenient in', () => {
  assert.is(base64Encode(utf8Encode('')), '');
  assert.is(base64Encode(utf8Encode('f')), 'Zg==');
  assert.is(base64Encode(utf8Encode('fo')), 'Zm8=');
  assert.is(base64Encode(utf8Encode('foo')), 'Zm9v');
  assert.is(base64Encode(new Uint8Array([251, 255])), '+/8=');
  assert.is(base64FromText('héllo'), 'aMOpbGxv');
  assert.is(textFromBase64('aMOpbGxv'), 'héllo');
  const dec = (s: string) => {
    const r = base64Decode(s);
    return r.ok ? utf8Decode(r.bytes) : `error: ${r.error}`;
  };
  assert.is(dec('Zm9v'), 'foo');
  assert.is(dec('Zm8'), 'fo'); // padding not required
  assert.is(dec('Zm8=garbage'), 'fo'); // decoding stops at the first '='
  assert.is(dec(' Zm\n9v\t'), 'foo'); // whitespace skipped
  assert.is(dec('Zm9v!'), "error: Invalid character '!'");
  assert.is(dec('Zm9v_'), "error: Invalid character '_'");
  assert.throws(() => textFromBase64('%%'), /Invalid character/);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const r = base64Decode(base64Encode(bytes));
      assert.ok(r.ok);
      if (r.ok) assert.equal(Array.from(r.bytes), Array.from(bytes));
    }),
  );
});

test('UTF-8 agrees with TextEncoder / TextDecoder', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const mine = utf8Encode(s);
      assert.equal(Array.from(mine), Array.from(new TextEncoder().encode(s)));
      assert.is(utf8Decode(mine), new TextDecoder().decode(mine));
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 16 }), (b) => {
      assert.is(utf8Decode(b), new TextDecoder().decode(b));
    }),
  );
});

test.run();
