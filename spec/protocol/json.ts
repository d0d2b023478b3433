/**
 * The wire codec: Mesos JSON for every protocol message, driven by the descriptors
 * (descriptors.ts). Reference section 0.1 describes the format; Mesos's implementation is
 * stout's `JSON::Protobuf` writer and `protobuf::parse` (3rdparty/stout/include/stout/protobuf.hpp).
 *
 * Rendering (`encodeMessage`):
 * - keys are proto field names, in proto declaration order;
 * - every set field is written, repeated/map fields only when non-empty, and an unset singular
 *   field that has a proto default is written with its default unless it is deprecated
 *   (so FrameworkInfo always shows `"failover_timeout":0.0,"checkpoint":false`);
 * - doubles as rapidjson writes them: integral values keep a fraction (`15.0`), exponents
 *   without `+` (`1e21`), non-finite values as bare `Infinity`/`-Infinity`/`NaN`;
 *   integers without a fraction; enums by name; bytes as the Base64 text they hold.
 * Rendering a value that does not fit its descriptor (unknown key, wrong type, unknown enum
 * value) throws: that is a programming error, not bad input.
 *
 * Parsing (`decodeMessage`), lenient like stout:
 * - unknown keys (camelCase spellings included) are ignored, JSON `null` means unset;
 * - numbers and booleans may be given as strings; doubles accept "Infinity" / "-Infinity";
 *   integer fields truncate a fraction (stout casts) but reject values out of their range
 *   (stout would wrap them silently);
 * - a scalar or object given for a repeated field counts as a one-element list, nested arrays
 *   are flattened (stout applies the same visitor to every element);
 * - an unknown enum name is dropped on an optional or repeated field and an error on a required
 *   one; bytes must be Base64 (stout's lenient decoder) and are normalised to canonical Base64;
 * - keys are visited in byte order (stout's JSON objects are std::maps), which decides which
 *   member of a proto `oneof` wins when several are given and which error is reported first;
 * - after parsing, missing required fields are reported like protobuf's
 *   `InitializationErrorString`: `Missing required fields: subscribe.framework_info.user, ...`.
 * Error texts are stout's, with the field named by its full path instead of its bare name.
 *
 * A parsed message has a key for every field that was set (in declaration order) and for no
 * other; defaults are not filled in (`withDefaults` does that). Hence
 * `decode(encode(m))` equals `withDefaults(m)`.
 */
import { base64Decode, base64Encode } from './bytes.ts';
import { ENUM_DESCRIPTORS, INTERNAL_MESSAGE_DESCRIPTORS, messageDescriptor, type FieldDescriptor, type MessageDescriptor } from './descriptors.ts';
import type { ExecutorCall, ExecutorEvent, RawExecutorCall, RawExecutorEvent } from './executor.ts';
import type { InternalMessage } from './internal.ts';
import {
  SERVED_AGENT_RESPONSES,
  SERVED_MASTER_RESPONSES,
  type AgentResponse,
  type MasterCall,
  type MasterEvent,
  type MasterResponse,
  type RawAgentCall,
  type RawAgentResponse,
  type RawMasterCall,
  type RawMasterEvent,
  type RawMasterResponse,
} from './operator.ts';
import type { RawSchedulerCall, RawSchedulerEvent, SchedulerCall, SchedulerEvent } from './scheduler.ts';

/** The result of parsing: a value, or an error message naming the offending field. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;

class DecodeError extends Error {}

// =============================================================================================
// Rendering

/** Render a message as Mesos JSON text. `name` is the message's TypeScript type name. */
export function encodeMessage(name: string, value: object): string {
  const out: string[] = [];
  writeMessage(messageDescriptor(name), value as Obj, out, '');
  return out.join('');
}

function writeMessage(desc: MessageDescriptor, value: Obj, out: string[], path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`cannot render ${path || desc.name}: expected an object for ${desc.name}`);
  }
  for (const key of Object.keys(value)) {
    if (!(key in desc.byName) && value[key] !== undefined) {
      throw new Error(`cannot render ${path}${key}: ${desc.name} has no field '${key}'`);
    }
  }
  out.push('{');
  let first = true;
  for (const f of desc.fields) {
    const v = value[f.name];
    const p = path + f.name;
    if (f.label === 'repeated') {
      if (v === undefined) continue;
      if (!Array.isArray(v)) throw new Error(`cannot render ${p}: expected an array`);
      if (v.length === 0) continue;
      out.push(first ? '' : ',', quote(f.name), ':[');
      v.forEach((el, i) => {
        if (i > 0) out.push(',');
        writeValue(f, el, out, `${p}[${i}]`);
      });
      out.push(']');
    } else if (f.label === 'map') {
      if (v === undefined) continue;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        throw new Error(`cannot render ${p}: expected an object (map)`);
      }
      const keys = Object.keys(v)
        .filter((k) => (v as Obj)[k] !== undefined)
        .sort(compareKeys);
      if (keys.length === 0) continue;
      out.push(first ? '' : ',', quote(f.name), ':{');
      keys.forEach((k, i) => {
        out.push(i > 0 ? ',' : '', quote(k), ':');
        writeValue(f, (v as Obj)[k], out, `${p}[${k}]`);
      });
      out.push('}');
    } else if (v !== undefined) {
      out.push(first ? '' : ',', quote(f.name), ':');
      writeValue(f, v, out, p);
    } else if (f.default !== undefined && !f.deprecated) {
      out.push(first ? '' : ',', quote(f.name), ':');
      writeValue(f, f.default, out, p);
    } else {
      continue;
    }
    first = false;
  }
  out.push('}');
}

function writeValue(f: FieldDescriptor, v: unknown, out: string[], path: string): void {
  if (f.kind === 'message') {
    writeMessage(messageDescriptor(f.type), v as Obj, out, `${path}.`);
    return;
  }
  if (f.kind === 'enum') {
    if (typeof v !== 'string' || !ENUM_DESCRIPTORS[f.type]!.values.includes(v)) {
      throw new Error(`cannot render ${path}: ${JSON.stringify(v)} is not a ${f.type}`);
    }
    out.push(quote(v));
    return;
  }
  switch (f.type) {
    case 'string':
    case 'bytes':
      if (typeof v !== 'string') throw new Error(`cannot render ${path}: expected a string`);
      out.push(quote(v));
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw new Error(`cannot render ${path}: expected a boolean`);
      out.push(v ? 'true' : 'false');
      return;
    case 'double':
      if (typeof v !== 'number') throw new Error(`cannot render ${path}: expected a number`);
      out.push(formatDouble(v));
      return;
    default:
      if (typeof v !== 'number' || !Number.isInteger(v) || !inRange(f.type, v)) {
        throw new Error(`cannot render ${path}: ${String(v)} is not a ${f.type}`);
      }
      out.push(formatInteger(v));
  }
}

/** A double as rapidjson writes it: shortest round-trip digits, a fraction when integral. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  if (s.includes('e')) return s.replace('e+', 'e');
  return s.includes('.') ? s : `${s}.0`;
}

/** An integral number in plain digits; beyond 2^53 the exact value of the double (as Mesos prints int64s). */
function formatInteger(v: number): string {
  if (Object.is(v, -0)) return '0';
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

/** A JSON string as rapidjson writes it (control characters as upper-case \u00XX). */
function quote(s: string): string {
  return JSON.stringify(s).replace(/\\(\\|u00[0-9a-f]{2})/g, (m: string, g: string) => (g === '\\' ? m : `\\${g.toUpperCase().replace('U', 'u')}`));
}

// =============================================================================================
// Parsing

/** Parse JSON text. With `nonFinite`, bare Infinity/-Infinity/NaN (as Mesos writes them) are read too. */
export function parseJsonText(text: string, options: { nonFinite?: boolean } = {}): Decoded<unknown> {
  try {
    return { ok: true, value: JSON.parse(options.nonFinite ? quoteNonFinite(text) : text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** Turn bare Infinity / -Infinity / NaN tokens outside strings into strings. */
function quoteNonFinite(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const m = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9));
    if (m) {
      out += `"${m[1]}"`;
      i += m[1]!.length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** Parse a JSON value (already parsed from text) as a message of the given type. */
export function decodeMessage<T = Obj>(name: string, json: unknown): Decoded<T> {
  const desc = messageDescriptor(name);
  if (!isPlainObject(json)) return { ok: false, error: 'Expecting a JSON object' };
  try {
    const value = parseObject(desc, json, '');
    const missing = missingRequiredFields(name, value);
    if (missing.length > 0) return { ok: false, error: `Missing required fields: ${missing.join(', ')}` };
    return { ok: true, value: value as T };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e.message };
    throw e;
  }
}

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Byte order of UTF-8 strings (std::string's order), for keys given in UTF-16. */
function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function parseObject(desc: MessageDescriptor, json: Obj, path: string): Obj {
  const acc: Obj = {};
  for (const key of Object.keys(json).sort(compareKeys)) {
    const f = desc.byName[key];
    if (f) applyValue(desc, acc, f, json[key], path);
  }
  // Keys in declaration order, so parsed messages read like rendered ones.
  const ordered: Obj = {};
  for (const f of desc.fields) if (acc[f.name] !== undefined) ordered[f.name] = acc[f.name];
  return ordered;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, number, boolean
}

/** Apply one JSON value to a field of the message under construction (stout's Parser). */
function applyValue(desc: MessageDescriptor, acc: Obj, f: FieldDescriptor, v: unknown, path: string): void {
  const p = path + f.name;
  if (v === null || v === undefined) return;
  const repeated = f.label === 'repeated' || f.label === 'map';
  if (Array.isArray(v)) {
    if (!repeated) throw new DecodeError(`Not expecting a JSON array for field '${p}'`);
    for (const el of v) applyValue(desc, acc, f, el, path);
    return;
  }
  if (f.label === 'map') {
    if (!isPlainObject(v)) throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
    const map = (acc[f.name] as Obj | undefined) ?? {};
    for (const key of Object.keys(v).sort(compareKeys)) {
      const entry = v[key];
      if (entry === null || entry === undefined) continue;
      const parsed = parseSingle(f, entry, `${p}[${key}]`);
      if (parsed !== DROP) setOwn(map, key, parsed);
    }
    acc[f.name] = map;
    return;
  }
  if (f.label === 'repeated') {
    const list = (acc[f.name] as unknown[] | undefined) ?? [];
    const parsed = parseSingle(f, v, `${p}[${list.length}]`);
    if (parsed !== DROP) list.push(parsed);
    if (list.length > 0) acc[f.name] = list;
    return;
  }
  const parsed = parseSingle(f, v, p);
  if (parsed === DROP) return;
  acc[f.name] = parsed;
  if (f.oneof !== undefined) {
    // Setting one member of a oneof clears the others (protobuf semantics).
    for (const g of desc.fields) if (g !== f && g.oneof === f.oneof) delete acc[g.name];
  }
}

const DROP = Symbol('drop');

/** Set a property even if its name is `__proto__` (map keys are arbitrary strings). */
function setOwn(obj: Obj, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Parse one (non-array) JSON value for a field; DROP means "leave unset". */
function parseSingle(f: FieldDescriptor, v: unknown, p: string): unknown {
  if (f.kind === 'message') {
    if (!isPlainObject(v)) throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
    return parseObject(messageDescriptor(f.type), v, `${p}.`);
  }
  if (isPlainObject(v)) throw new DecodeError(`Not expecting a JSON object for field '${p}'`);
  if (f.kind === 'enum') {
    if (typeof v !== 'string') throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
    if (ENUM_DESCRIPTORS[f.type]!.values.includes(v)) return v;
    if (f.label === 'required') throw new DecodeError(`Failed to find enum for '${v}' for field '${p}'`);
    return DROP; // proto2: an unknown value of an optional enum leaves the field unset
  }
  switch (f.type) {
    case 'string':
      if (typeof v !== 'string') throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
      return v;
    case 'bytes': {
      if (typeof v !== 'string') throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
      const d = base64Decode(v);
      if (!d.ok) throw new DecodeError(`Failed to base64 decode bytes field '${p}': ${d.error}`);
      return base64Encode(d.bytes);
    }
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') {
        const t = v.trim();
        if (t === 'true' || t === 'false') return t === 'true';
        throw new DecodeError(`Failed to parse '${v}' as a JSON boolean for field '${p}'`);
      }
      throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
    case 'double': {
      if (typeof v === 'number') return v;
      if (typeof v !== 'string') throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
      if (v === 'Infinity') return Infinity;
      if (v === '-Infinity') return -Infinity;
      return numberFromString(v, p);
    }
    default: {
      // Integer types.
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'string') n = numberFromString(v, p);
      else throw new DecodeError(`Not expecting a JSON ${jsonKind(v)} for field '${p}'`);
      n = Math.trunc(n);
      if (Object.is(n, -0)) n = 0;
      if (!inRange(f.type, n)) throw new DecodeError(`Value ${formatInteger(n)} is out of range of ${f.type} for field '${p}'`);
      return n;
    }
  }
}

function numberFromString(s: string, p: string): number {
  const t = s.trim();
  const n = /^[-+0-9.eE]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(n)) throw new DecodeError(`Failed to parse '${s}' as a JSON number for field '${p}'`);
  return n;
}

const RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63],
  uint64: [0, 2 ** 64],
};

function inRange(type: string, n: number): boolean {
  const r = RANGES[type];
  if (!r) return false;
  // 2^63 and 2^64 are the first doubles past the limits; anything below them rounds into range.
  return type === 'int64' || type === 'uint64' ? n >= r[0] && n < r[1] : n >= r[0] && n <= r[1];
}

// =============================================================================================
// Required fields and defaults

/**
 * Paths of unset required fields, in protobuf's order: a message's own missing fields in
 * declaration order, then those inside its set sub-messages in field-number order, with
 * `name[i].` for repeated fields (and map entries, whose value is field `value`).
 */
export function missingRequiredFields(name: string, value: object): string[] {
  const out: string[] = [];
  collectMissing(messageDescriptor(name), value as Obj, '', out);
  return out;
}

function collectMissing(desc: MessageDescriptor, msg: Obj, prefix: string, out: string[]): void {
  for (const f of desc.fields) {
    if (f.label === 'required' && msg[f.name] === undefined) out.push(prefix + f.name);
  }
  for (const f of desc.byNumber) {
    const v = msg[f.name];
    if (f.kind !== 'message' || v === undefined) continue;
    const sub = messageDescriptor(f.type);
    if (f.label === 'repeated') {
      (v as Obj[]).forEach((m, i) => collectMissing(sub, m, `${prefix}${f.name}[${i}].`, out));
    } else if (f.label === 'map') {
      Object.keys(v as Obj)
        .sort(compareKeys)
        .forEach((k, i) => collectMissing(sub, (v as Obj)[k] as Obj, `${prefix}${f.name}[${i}].value.`, out));
    } else {
      collectMissing(sub, v as Obj, `${prefix}${f.name}.`, out);
    }
  }
}

/**
 * A deep copy with every unset, non-deprecated defaulted field filled in (and empty repeated
 * fields removed): exactly what parsing the rendered message gives back.
 */
export function withDefaults<T extends object>(name: string, value: T): T {
  return fill(messageDescriptor(name), value as Obj) as T;
}

function fill(desc: MessageDescriptor, msg: Obj): Obj {
  const out: Obj = {};
  for (const f of desc.fields) {
    const v = msg[f.name];
    if (f.label === 'repeated') {
      if (Array.isArray(v) && v.length > 0) out[f.name] = v.map((el) => fillValue(f, el));
    } else if (f.label === 'map') {
      const keys = v === undefined ? [] : Object.keys(v as Obj).filter((k) => (v as Obj)[k] !== undefined);
      if (keys.length > 0) {
        const m: Obj = {};
        for (const k of keys.sort(compareKeys)) setOwn(m, k, fillValue(f, (v as Obj)[k]));
        out[f.name] = m;
      }
    } else if (v !== undefined) {
      out[f.name] = fillValue(f, v);
    } else if (f.default !== undefined && !f.deprecated) {
      out[f.name] = f.default;
    }
  }
  return out;
}

function fillValue(f: FieldDescriptor, v: unknown): unknown {
  if (f.kind === 'message') return fill(messageDescriptor(f.type), v as Obj);
  if (f.type === 'bytes' && typeof v === 'string') {
    const d = base64Decode(v);
    return d.ok ? base64Encode(d.bytes) : v;
  }
  if (typeof v === 'number' && Object.is(v, -0) && f.type !== 'double') return 0;
  return v;
}

// =============================================================================================
// Envelopes: narrowing a raw message to the union member its `type` names

/**
 * Check that a raw envelope (a Call, Event or Response) names its type and carries the
 * sub-message of that type when the envelope has one (`OFFERS` -> `offers`). Returns an error
 * text or null. This is the generic rule; scheduler, executor and operator calls have Mesos's
 * own rules in validation.ts.
 */
function checkEnvelope(name: string, raw: Obj, served?: readonly string[]): string | null {
  const desc = messageDescriptor(name);
  const type = raw['type'];
  if (type === undefined) return "Expecting 'type' to be present";
  if (type === 'UNKNOWN') return "Unknown 'type'";
  if (served !== undefined && !served.includes(String(type))) return `Unsupported 'type' ${String(type)}`;
  const sub = String(type).toLowerCase();
  if (sub in desc.byName && desc.byName[sub]!.kind === 'message' && raw[sub] === undefined) {
    return `Expecting '${sub}' to be present`;
  }
  return null;
}

function decodeEnvelope<T>(name: string, json: unknown, served?: readonly string[]): Decoded<T> {
  const r = decodeMessage<Obj>(name, json);
  if (!r.ok) return r;
  const error = checkEnvelope(name, r.value, served);
  return error === null ? { ok: true, value: r.value as T } : { ok: false, error };
}

// =============================================================================================
// Typed entry points

/** Render a scheduler call (validated or raw). */
export function encodeSchedulerCall(call: SchedulerCall | RawSchedulerCall): string {
  return encodeMessage('RawSchedulerCall', call);
}

/** Parse a scheduler call; validate it with `validateSchedulerCall` before use. */
export function decodeSchedulerCall(json: unknown): Decoded<RawSchedulerCall> {
  return decodeMessage<RawSchedulerCall>('RawSchedulerCall', json);
}

/** Render a scheduler event. */
export function encodeSchedulerEvent(event: SchedulerEvent | RawSchedulerEvent): string {
  return encodeMessage('RawSchedulerEvent', event);
}

/** Parse a scheduler event (client side) and narrow it to its type. */
export function decodeSchedulerEvent(json: unknown): Decoded<SchedulerEvent> {
  return decodeEnvelope<SchedulerEvent>('RawSchedulerEvent', json);
}

/** Render an executor call. */
export function encodeExecutorCall(call: ExecutorCall | RawExecutorCall): string {
  return encodeMessage('RawExecutorCall', call);
}

/** Render an executor event. */
export function encodeExecutorEvent(event: ExecutorEvent | RawExecutorEvent): string {
  return encodeMessage('RawExecutorEvent', event);
}

/** Parse an executor event (executor side) and narrow it to its type. */
export function decodeExecutorEvent(json: unknown): Decoded<ExecutorEvent> {
  return decodeEnvelope<ExecutorEvent>('RawExecutorEvent', json);
}

/** Render a master operator call. */
export function encodeMasterCall(call: MasterCall | RawMasterCall): string {
  return encodeMessage('RawMasterCall', call);
}

/** Render a master operator response. */
export function encodeMasterResponse(response: MasterResponse | RawMasterResponse): string {
  return encodeMessage('RawMasterResponse', response);
}

/** Parse a master operator response and narrow it to its type. */
export function decodeMasterResponse(json: unknown): Decoded<MasterResponse> {
  return decodeEnvelope<MasterResponse>('RawMasterResponse', json, SERVED_MASTER_RESPONSES);
}

/** Render an operator event. */
export function encodeMasterEvent(event: MasterEvent | RawMasterEvent): string {
  return encodeMessage('RawMasterEvent', event);
}

/** Parse an agent operator call; validate it with `validateAgentCall` before use. */
export function decodeAgentCall(json: unknown): Decoded<RawAgentCall> {
  return decodeMessage<RawAgentCall>('RawAgentCall', json);
}

/** Render an agent operator response. */
export function encodeAgentResponse(response: AgentResponse | RawAgentResponse): string {
  return encodeMessage('RawAgentResponse', response);
}

/** Parse an agent operator response and narrow it to its type. */
export function decodeAgentResponse(json: unknown): Decoded<AgentResponse> {
  return decodeEnvelope<AgentResponse>('RawAgentResponse', json, SERVED_AGENT_RESPONSES);
}

/** Render a master <-> agent message. */
export function encodeInternal(message: InternalMessage): string {
  const name = INTERNAL_MESSAGE_DESCRIPTORS[(message as { type: string }).type];
  if (!name) throw new Error(`cannot render internal message of type ${JSON.stringify(message.type)}`);
  return encodeMessage(name, message);
}

/** Parse a master <-> agent message, dispatching on its `type`. */
export function decodeInternal(json: unknown): Decoded<InternalMessage> {
  if (!isPlainObject(json)) return { ok: false, error: 'Expecting a JSON object' };
  const type = json['type'];
  if (type === undefined || type === null) return { ok: false, error: "Expecting 'type' to be present" };
  const name = typeof type === 'string' ? INTERNAL_MESSAGE_DESCRIPTORS[type] : undefined;
  if (!name) return { ok: false, error: `Unknown internal message type ${JSON.stringify(type)}` };
  return decodeMessage<InternalMessage>(name, json);
}
