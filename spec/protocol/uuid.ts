/**
 * UUIDs without randomness. Status updates carry a 16-byte UUID (Base64 in JSON); the machines
 * must stay pure, so they derive it from a seed string they build from their context
 * (e.g. `${agentId}/${taskId}/${counter}`): equal seeds give equal UUIDs, and distinct seeds
 * give distinct UUIDs with overwhelming probability (MurmurHash3 x86 128-bit of the seed's
 * UTF-8 bytes).
 *
 * The bytes are shaped as a version-4 (random) UUID, RFC 4122 variant, so Mesos's own check
 * (`UUID::fromBytes`: 16 bytes with a known version nibble) accepts them.
 */
import { base64Decode, base64Encode, utf8Encode } from './bytes.ts';

/** MurmurHash3_x86_128 (seed 0) of some bytes, as 16 bytes (h1..h4, little-endian each). */
export function murmur3x86_128(data: Uint8Array, seed = 0): Uint8Array {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  let h1 = seed >>> 0;
  let h2 = seed >>> 0;
  let h3 = seed >>> 0;
  let h4 = seed >>> 0;
  const len = data.length;
  const blocks = len >>> 4;
  const word = (i: number): number => (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;

  for (let b = 0; b < blocks; b++) {
    const i = b * 16;
    let k1 = word(i);
    let k2 = word(i + 4);
    let k3 = word(i + 8);
    let k4 = word(i + 12);

    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = rotl(h1, 19);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, c2);
    k2 = rotl(k2, 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
    h2 = rotl(h2, 17);
    h2 = (h2 + h3) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(k3, c3);
    k3 = rotl(k3, 17);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
    h3 = rotl(h3, 15);
    h3 = (h3 + h4) | 0;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(k4, c4);
    k4 = rotl(k4, 18);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
    h4 = rotl(h4, 13);
    h4 = (h4 + h1) | 0;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }

  // The last len % 16 bytes, little-endian into k1..k4, each mixed into its lane if present.
  const tail = blocks * 16;
  const rem = len & 15;
  const k = [0, 0, 0, 0];
  for (let j = 0; j < rem; j++) k[j >> 2]! ^= data[tail + j]! << ((j & 3) * 8);
  let [k1, k2, k3, k4] = k as [number, number, number, number];
  if (rem > 12) {
    k4 = Math.imul(k4, c4);
    k4 = rotl(k4, 18);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
  }
  if (rem > 8) {
    k3 = Math.imul(k3, c3);
    k3 = rotl(k3, 17);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
  }
  if (rem > 4) {
    k2 = Math.imul(k2, c2);
    k2 = rotl(k2, 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
  }
  if (rem > 0) {
    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }

  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2) | 0;
  h1 = (h1 + h3) | 0;
  h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2) | 0;
  h1 = (h1 + h3) | 0;
  h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;

  const out = new Uint8Array(16);
  [h1, h2, h3, h4].forEach((h, j) => {
    out[j * 4] = h & 255;
    out[j * 4 + 1] = (h >>> 8) & 255;
    out[j * 4 + 2] = (h >>> 16) & 255;
    out[j * 4 + 3] = (h >>> 24) & 255;
  });
  return out;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The 16 UUID bytes for a seed: hashed, then stamped version 4 / variant RFC 4122. */
export function uuidBytesFromSeed(seed: string): Uint8Array {
  const b = murmur3x86_128(utf8Encode(seed));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b;
}

/** The UUID for a seed as Mesos puts it in JSON: Base64 of the 16 bytes (24 characters). */
export function uuidFromSeed(seed: string): string {
  return base64Encode(uuidBytesFromSeed(seed));
}

/** The UUID for a seed in canonical text form, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`. */
export function uuidText(seed: string): string {
  return uuidBytesToText(uuidBytesFromSeed(seed));
}

/** Canonical 36-character text of 16 UUID bytes (lower-case hex). */
function uuidBytesToText(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`a UUID has 16 bytes, not ${bytes.length}`);
  const hex = Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Canonical text of a Base64 UUID (as found in `status.uuid`), or null if it is not valid. */
export function uuidBase64ToText(b64: string): string | null {
  const d = base64Decode(b64);
  return d.ok && isValidUuidBytes(d.bytes) ? uuidBytesToText(d.bytes) : null;
}

/**
 * Mesos's test for a UUID in a `bytes` field (stout `UUID::fromBytes`): exactly 16 bytes whose
 * version nibble is one boost knows (1 to 5).
 */
function isValidUuidBytes(bytes: Uint8Array): boolean {
  if (bytes.length !== 16) return false;
  const version = bytes[6]! >> 4;
  return version >= 1 && version <= 5;
}

/** The same test on a Base64 string; invalid Base64 is not a valid UUID. */
export function isValidUuidBase64(b64: string): boolean {
  const d = base64Decode(b64);
  return d.ok && isValidUuidBytes(d.bytes);
}
