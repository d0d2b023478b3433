/**
 * Byte helpers for the protocol: UTF-8 (the standard TextEncoder/TextDecoder) and Base64,
 * pure (no Buffer, no node: imports).
 *
 * Base64 decoding follows stout's `base64::decode`, which Mesos uses for every `bytes` field
 * of JSON input: standard alphabet; whitespace is skipped; decoding stops at the first `=`
 * (padding is neither required nor checked); any other character outside the alphabet is an
 * error `Invalid character '<c>'`. A trailing single sextet is dropped, as stout does.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Standard Base64 with padding. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Whitespace as C's `isspace` sees it. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Decode Base64 leniently, like stout; returns the bytes or an error message. */
export function base64Decode(text: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d /* = */) break;
    if (isSpace(c)) continue;
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0) return { ok: false, error: `Invalid character '${text[i]}'` };
    acc = (acc << 6) | v;
    n++;
    if (n === 4) {
      out.push((acc >> 16) & 255, (acc >> 8) & 255, acc & 255);
      acc = 0;
      n = 0;
    }
  }
  if (n === 2) out.push((acc >> 4) & 255);
  else if (n === 3) out.push((acc >> 10) & 255, (acc >> 2) & 255);
  return { ok: true, bytes: Uint8Array.from(out) };
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder('utf-8');

/** UTF-8 encoding of a string (lone surrogates become U+FFFD). */
export function utf8Encode(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** UTF-8 decoding (invalid sequences become U+FFFD, per the WHATWG decoder). */
export function utf8Decode(bytes: Uint8Array): string {
  return DECODER.decode(bytes);
}

/** Base64 of a string's UTF-8 bytes (handy for `data` fields). */
export function base64FromText(text: string): string {
  return base64Encode(utf8Encode(text));
}

/** The UTF-8 text a Base64 string encodes; throws on invalid Base64. */
export function textFromBase64(b64: string): string {
  const r = base64Decode(b64);
  if (!r.ok) throw new Error(r.error);
  return utf8Decode(r.bytes);
}
