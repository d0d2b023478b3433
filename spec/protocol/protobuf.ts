/**
 * The v1 APIs' protobuf encoding (`application/x-protobuf`), driven by the same descriptor table
 * as the JSON codec: field numbers and types from descriptors.ts, enum numbers from
 * wire-table.ts (both from proto/mesos-ref-v1.proto). Values are in the JSON codec's form (snake_case keys, enum names, bytes as
 * Base64, 64-bit integers as numbers), so either encoding decodes to the same TypeScript value:
 * a protobuf body is turned into that form and then goes through the JSON path's validation.
 *
 * proto2 as Mesos declares it: repeated scalars are written unpacked (and read packed or not),
 * a map is a repeated entry message (key 1, value 2), an unknown field is skipped, an unknown
 * enum number is an error (the JSON form has no name for it).
 */
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from './bytes.ts';
import { ENUM_NUMBERS } from './wire-table.ts';
import { messageDescriptor, type FieldDescriptor, type MessageDescriptor } from './descriptors.ts';

type Obj = Record<string, unknown>;

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

// ---------------------------------------------------------------------------------- encoding

class Writer {
  private chunks: number[] = [];

  varint(n: bigint): void {
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      this.chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.chunks.push(Number(v));
  }

  tag(field: number, wire: number): void {
    this.varint(BigInt(field * 8 + wire));
  }

  bytes(b: Uint8Array): void {
    this.varint(BigInt(b.length));
    for (const x of b) this.chunks.push(x);
  }

  double(v: number): void {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.chunks.push(view.getUint8(i));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** `value` (the JSON codec's form of message `name`) as protobuf bytes; throws naming the field. */
export function encodeProtobuf(name: string, value: object): Uint8Array {
  const w = new Writer();
  writeMessage(w, messageDescriptor(name), value as Obj, '');
  return w.finish();
}

function writeMessage(w: Writer, desc: MessageDescriptor, value: Obj, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`cannot encode ${path || desc.name}: expected an object for ${desc.name}`);
  for (const key of Object.keys(value)) {
    if (!(key in desc.byName) && value[key] !== undefined) throw new Error(`cannot encode ${path}${key}: ${desc.name} has no field '${key}'`);
  }
  for (const f of desc.byNumber) {
    const v = value[f.name];
    if (v === undefined) continue;
    const p = path + f.name;
    if (f.label === 'repeated') {
      if (!Array.isArray(v)) throw new Error(`cannot encode ${p}: expected an array`);
      v.forEach((el, i) => writeField(w, f, el, `${p}[${i}]`));
    } else if (f.label === 'map') {
      for (const [k, el] of Object.entries(v as Obj)) {
        if (el === undefined) continue;
        const entry = new Writer();
        entry.tag(1, LENGTH);
        entry.bytes(utf8Encode(k));
        writeField(entry, { ...f, number: 2, label: 'optional' }, el, `${p}[${k}]`);
        w.tag(f.number, LENGTH);
        w.bytes(entry.finish());
      }
    } else {
      writeField(w, f, v, p);
    }
  }
}

function writeField(w: Writer, f: FieldDescriptor, v: unknown, path: string): void {
  if (f.kind === 'message') {
    const inner = new Writer();
    writeMessage(inner, messageDescriptor(f.type), v as Obj, `${path}.`);
    w.tag(f.number, LENGTH);
    w.bytes(inner.finish());
    return;
  }
  if (f.kind === 'enum') {
    const n = typeof v === 'string' ? ENUM_NUMBERS[f.type]?.[v] : undefined;
    if (n === undefined) throw new Error(`cannot encode ${path}: ${JSON.stringify(v)} is not a ${f.type}`);
    w.tag(f.number, VARINT);
    w.varint(BigInt(n));
    return;
  }
  switch (f.type) {
    case 'string':
      if (typeof v !== 'string') throw new Error(`cannot encode ${path}: expected a string`);
      w.tag(f.number, LENGTH);
      w.bytes(utf8Encode(v));
      return;
    case 'bytes': {
      const b = typeof v === 'string' ? base64Decode(v) : undefined;
      if (!b?.ok) throw new Error(`cannot encode ${path}: expected Base64 bytes`);
      w.tag(f.number, LENGTH);
      w.bytes(b.bytes);
      return;
    }
    case 'bool':
      if (typeof v !== 'boolean') throw new Error(`cannot encode ${path}: expected a boolean`);
      w.tag(f.number, VARINT);
      w.varint(v ? 1n : 0n);
      return;
    case 'double':
      if (typeof v !== 'number') throw new Error(`cannot encode ${path}: expected a number`);
      w.tag(f.number, FIXED64);
      w.double(v);
      return;
    default:
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`cannot encode ${path}: ${String(v)} is not a ${f.type}`);
      w.tag(f.number, VARINT);
      // int32 and int64 negatives are ten-byte two's complement, as protobuf writes them.
      w.varint(BigInt(v));
  }
}

// ---------------------------------------------------------------------------------- decoding

class Reader {
  pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly end = buf.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new Error('varint longer than 10 bytes');
  }

  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.take(8);
    else if (wire === LENGTH) this.take(Number(this.varint()));
    else if (wire === FIXED32) this.take(4);
    else throw new Error(`wire type ${wire} is not supported`);
  }
}

/** Protobuf bytes of message `name` in the JSON codec's form; throws naming the field. */
export function decodeProtobuf(name: string, bytes: Uint8Array): Obj {
  return readMessage(new Reader(bytes), messageDescriptor(name), '');
}

function readMessage(r: Reader, desc: MessageDescriptor, path: string): Obj {
  const out: Obj = {};
  const byNumber = new Map(desc.fields.map((f) => [f.number, f]));
  while (!r.done) {
    const key = r.varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    const f = byNumber.get(number);
    if (!f) {
      r.skip(wire);
      continue;
    }
    const p = path + f.name;
    if (f.label === 'map') {
      if (wire !== LENGTH) throw new Error(`cannot decode ${p}: a map entry must be length-delimited`);
      const entry = new Reader(r.take(Number(r.varint())));
      let k = '';
      let v: unknown;
      while (!entry.done) {
        const ek = entry.varint();
        const en = Number(ek >> 3n);
        if (en === 1) k = utf8Decode(entry.take(Number(entry.varint())));
        else if (en === 2) v = readValue(entry, { ...f, label: 'optional' }, Number(ek & 7n), `${p}[${k}]`);
        else entry.skip(Number(ek & 7n));
      }
      ((out[f.name] ??= {}) as Obj)[k] = v;
    } else if (f.label === 'repeated') {
      const list = (out[f.name] ??= []) as unknown[];
      if (wire === LENGTH && f.kind !== 'message' && f.type !== 'string' && f.type !== 'bytes') {
        // A packed run of numbers, booleans or enums.
        const packed = new Reader(r.take(Number(r.varint())));
        while (!packed.done) list.push(readValue(packed, f, f.type === 'double' ? FIXED64 : VARINT, `${p}[${list.length}]`));
      } else {
        list.push(readValue(r, f, wire, `${p}[${list.length}]`));
      }
    } else {
      // A repeated occurrence of a singular message merges into it, as protobuf does.
      const v = readValue(r, f, wire, p);
      out[f.name] = f.kind === 'message' && typeof out[f.name] === 'object' ? { ...(out[f.name] as Obj), ...(v as Obj) } : v;
    }
  }
  return out;
}

const expected = (p: string, what: string, wire: number) => new Error(`cannot decode ${p}: expected ${what}, got wire type ${wire}`);

function readValue(r: Reader, f: FieldDescriptor, wire: number, path: string): unknown {
  if (f.kind === 'message') {
    if (wire !== LENGTH) throw expected(path, 'a message', wire);
    return readMessage(new Reader(r.take(Number(r.varint()))), messageDescriptor(f.type), `${path}.`);
  }
  if (f.kind === 'enum') {
    if (wire !== VARINT) throw expected(path, 'an enum', wire);
    const n = Number(BigInt.asIntN(32, r.varint()));
    const name = Object.entries(ENUM_NUMBERS[f.type] ?? {}).find(([, x]) => x === n)?.[0];
    if (name === undefined) throw new Error(`cannot decode ${path}: ${n} is not a ${f.type}`);
    return name;
  }
  switch (f.type) {
    case 'string':
      if (wire !== LENGTH) throw expected(path, 'a string', wire);
      return utf8Decode(r.take(Number(r.varint())));
    case 'bytes':
      if (wire !== LENGTH) throw expected(path, 'bytes', wire);
      return base64Encode(r.take(Number(r.varint())));
    case 'bool':
      if (wire !== VARINT) throw expected(path, 'a boolean', wire);
      return r.varint() !== 0n;
    case 'double': {
      if (wire !== FIXED64) throw expected(path, 'a double', wire);
      const b = r.take(8);
      return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
    }
    default: {
      if (wire !== VARINT) throw expected(path, `a ${f.type}`, wire);
      const v = r.varint();
      if (f.type === 'int32') return Number(BigInt.asIntN(32, v));
      if (f.type === 'uint32') return Number(BigInt.asUintN(32, v));
      if (f.type === 'int64') return Number(BigInt.asIntN(64, v));
      return Number(v);
    }
  }
}
