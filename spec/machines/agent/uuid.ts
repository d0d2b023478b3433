/**
 * Deterministic ids for the agent and the executors: a status update's uuid is a pure function
 * of a seed (fixed per component incarnation) and a counter kept in the machine's context, so a
 * run is a pure function of its inputs (DESIGN.md section 3). The bytes look like a random
 * (version 4) UUID and are rendered in standard Base64, as Mesos renders `bytes` fields.
 *
 * Stand-in until spec/protocol exports its own uuid-from-seed helper.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard Base64 (with padding) of a byte array. */
export function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >>> 18) & 63]! + B64[(n >>> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >>> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}

/** murmur3's finaliser: a strong 32-bit mixer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The 16 bytes of the `n`-th uuid of `seed`, in Base64 (24 characters). */
export function uuidFromSeed(seed: string, n: number): string {
  const text = `${seed}#${n}`;
  // FNV-1a over the UTF-16 code units, then four differently salted finalisations.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const bytes: number[] = [];
  let w = h >>> 0;
  for (let k = 0; k < 4; k++) {
    w = fmix32(w ^ Math.imul(k + 1, 0x9e3779b9) ^ text.length);
    bytes.push((w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  return base64(bytes);
}

/** A duration as stout prints it in Mesos messages: `2secs`, `1mins`, `500ms`. */
export function stringifyDuration(ms: number): string {
  const units: [number, string][] = [
    [7 * 24 * 3600 * 1000, 'weeks'],
    [24 * 3600 * 1000, 'days'],
    [3600 * 1000, 'hrs'],
    [60 * 1000, 'mins'],
    [1000, 'secs'],
    [1, 'ms'],
  ];
  for (const [size, name] of units) {
    if (ms >= size) return `${Number((ms / size).toFixed(6))}${name}`;
  }
  return `${ms}ms`;
}
