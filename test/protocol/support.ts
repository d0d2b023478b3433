/**
 * Helpers for the protocol tests (not a test file itself): the checked-in JSON Schemas, an
 * Ajv validator over them, fast-check arbitraries built from the wire descriptors, and the
 * descriptor/schema agreement check.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { readSchemas } from '../../impl/schemas.ts';
import { base64Encode } from '../../spec/protocol/bytes.ts';
import { ENUM_DESCRIPTORS, MESSAGES, type EnumDescriptor, type FieldDescriptor, type MessageDescriptor } from '../../spec/protocol/descriptors.ts';

export type Obj = Record<string, unknown>;
// Schemas are plain JSON; typed loosely on purpose.

export type Schema = Record<string, any>;

/** The checked-in schemas, by file name (`TaskInfo.json`). */
export const SCHEMAS: Record<string, Schema> = readSchemas() as Record<string, Schema>;

/** Which envelope descriptor each discriminated union's members are views of. */
const UNION_ENVELOPES: Record<string, string | null> = {
  SchedulerCall: 'RawSchedulerCall',
  SchedulerEvent: 'RawSchedulerEvent',
  ExecutorCall: 'RawExecutorCall',
  ExecutorEvent: 'RawExecutorEvent',
  MasterCall: 'RawMasterCall',
  MasterResponse: 'RawMasterResponse',
  MasterEvent: 'RawMasterEvent',
  AgentCall: 'RawAgentCall',
  AgentResponse: 'RawAgentResponse',
  InternalMessage: null, // members have descriptors of their own
};

/** Member type names of a union, from its schema. */
export function unionMembers(union: string, schemas: Record<string, Schema> = SCHEMAS): string[] {
  const s = schemas[`${union}.json`];
  if (!s?.anyOf) throw new Error(`${union}.json is not a union schema`);
  return (s.anyOf as Schema[]).map((r) => String(r.$ref).replace(/\.json$/, ''));
}

/** Every view (union member without a descriptor of its own) -> its envelope descriptor. */
export function views(schemas: Record<string, Schema> = SCHEMAS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [union, envelope] of Object.entries(UNION_ENVELOPES)) {
    if (envelope === null) continue;
    for (const member of unionMembers(union, schemas)) out[member] = envelope;
  }
  return out;
}

/** The descriptor that renders and parses a message kind (a view's envelope, else itself). */
export function descriptorFor(kind: string): string {
  return views()[kind] ?? kind;
}

// ---------------------------------------------------------------------------------------------
// Ajv

let ajv: Ajv | undefined;

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
  uint64: [0, 2 ** 64 - 1],
};

/** A validator for one schema file, with our formats checked for real. */
export function validator(file: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: true, allErrors: true });
    for (const [format, [min, max]] of Object.entries(INT_RANGES)) {
      ajv.addFormat(format, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
    }
    ajv.addFormat('double', { type: 'number', validate: () => true });
    ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
    for (const [name, schema] of Object.entries(SCHEMAS)) ajv.addSchema(schema, name);
  }
  const v = ajv.getSchema(file);
  if (!v) throw new Error(`no schema ${file}`);
  return v;
}

/** JSON Schema has no Infinity: replace non-finite numbers by 0 before validating structure. */
export function finiteCopy(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (Array.isArray(v)) return v.map(finiteCopy);
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: finiteCopy(x), enumerable: true });
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries from descriptors

const text = fc.string({ unit: 'binary', maxLength: 6 });

const doubles = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 15, 0.1, 5, 1e21, 1.5e21, 1e-7, 123456789.123, Infinity, -Infinity)).filter((d) => !Number.isNaN(d));

function intArb(type: string): fc.Arbitrary<number> {
  switch (type) {
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
      return fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1));
    case 'int64':
      return fc.oneof(fc.maxSafeInteger(), fc.constantFrom(2 ** 62, -(2 ** 63), 1724430000123456800));
    default:
      return fc.oneof(fc.maxSafeNat(), fc.constantFrom(2 ** 63, 2 ** 64 - 2 ** 11));
  }
}

function singleArb(f: FieldDescriptor, depth: number): fc.Arbitrary<unknown> {
  if (f.kind === 'message') return messageArb(f.type, Math.max(depth - 1, 0));
  if (f.kind === 'enum') return fc.constantFrom(...ENUM_DESCRIPTORS[f.type]!.values);
  switch (f.type) {
    case 'string':
      return text;
    case 'bytes':
      return fc.uint8Array({ maxLength: 18 }).map(base64Encode);
    case 'bool':
      return fc.boolean();
    case 'double':
      return doubles;
    default:
      return intArb(f.type);
  }
}

/** Values for one field (a list for repeated fields, a dictionary for maps). */
function fieldArb(f: FieldDescriptor, depth: number): fc.Arbitrary<unknown> {
  const single = singleArb(f, depth);
  if (f.label === 'repeated') return fc.array(single, { maxLength: depth > 0 ? 2 : 1 });
  if (f.label === 'map') return fc.dictionary(text, single, { maxKeys: 2 });
  return single;
}

const memo = new Map<string, fc.Arbitrary<Obj>>();

/**
 * Arbitrary values of a message. Required fields are always present; optional ones may be; at
 * depth 0 optional sub-messages are left out so values stay small. At most one member of each
 * `oneof` is set. `overrides` replaces the arbitrary of some fields (e.g. a constant `type`).
 */
export function messageArb(name: string, depth: number, overrides: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Obj> {
  const key = `${name}@${depth}`;
  const plain = Object.keys(overrides).length === 0;
  if (plain && memo.has(key)) return memo.get(key)!;
  const desc: MessageDescriptor = MESSAGES[name]!;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  const oneofs = new Map<string, FieldDescriptor[]>();
  for (const f of desc.fields) {
    if (f.oneof !== undefined) {
      oneofs.set(f.oneof, [...(oneofs.get(f.oneof) ?? []), f]);
      continue;
    }
    if (f.label !== 'required' && f.kind === 'message' && depth === 0) continue;
    model[f.name] = overrides[f.name] ?? fieldArb(f, depth);
    if (f.label === 'required') required.push(f.name);
  }
  let arb: fc.Arbitrary<Obj> = fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Obj>;
  for (const members of oneofs.values()) {
    const choice = fc.option(fc.oneof(...members.map((m) => fieldArb(m, depth).map((v) => [m.name, v] as const))), { nil: undefined });
    arb = fc.tuple(arb, choice).map(([o, c]) => (c === undefined ? o : { ...o, [c[0]]: c[1] }));
  }
  if (plain) memo.set(key, arb);
  return arb;
}

/**
 * Arbitrary values of a message kind named like its schema: a descriptor message (with its
 * `type` fixed to the schema's constant, for internal messages) or a view of an envelope.
 */
export function kindArb(kind: string, depth = 2): fc.Arbitrary<Obj> {
  const schema = SCHEMAS[`${kind}.json`];
  if (!schema) throw new Error(`no schema for ${kind}`);
  const typeConst = schema.properties?.type?.const as string | undefined;
  const overrides: Record<string, fc.Arbitrary<unknown>> = typeConst === undefined ? {} : { type: fc.constant(typeConst) };
  const envelope = views()[kind];
  if (envelope === undefined) return messageArb(kind, depth, overrides);
  const desc = MESSAGES[envelope]!;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const prop of Object.keys(schema.properties ?? {})) {
    model[prop] = prop === 'type' ? fc.constant(typeConst) : fieldArb(desc.byName[prop]!, depth);
  }
  return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] }) as fc.Arbitrary<Obj>;
}

// ---------------------------------------------------------------------------------------------
// Descriptor / schema agreement

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

/** Why a property schema does not describe a single value of the field's type, or null. */
function singleMismatch(f: FieldDescriptor, s: Schema | undefined, schemas: Record<string, Schema>, enums: Record<string, EnumDescriptor>, inArray: boolean): string | null {
  if (!s) return 'no schema';
  if (f.kind === 'message') return s.$ref === `${f.type}.json` ? null : `expected $ref ${f.type}.json, got ${JSON.stringify(s)}`;
  if (f.kind === 'enum') {
    const values = enums[f.type]?.values ?? [];
    if (s.const !== undefined) return values.includes(s.const) ? null : `const ${s.const} is not a ${f.type}`;
    if (s.$ref !== undefined) {
      if (s.$ref !== `${f.type}.json`) return `expected $ref ${f.type}.json, got ${s.$ref}`;
      const e = schemas[s.$ref];
      return e && sameSet(e.enum ?? [], values) ? null : `enum ${f.type} values differ from ${s.$ref}`;
    }
    return s.type === 'string' && sameSet(s.enum ?? [], values) ? null : `inline enum differs from ${f.type}`;
  }
  switch (f.type) {
    case 'string':
      return s.type === 'string' && s.format === undefined ? null : `expected a plain string, got ${JSON.stringify(s)}`;
    case 'bytes':
      return s.type === 'string' && (s.format === 'byte' || inArray) ? null : `expected format byte, got ${JSON.stringify(s)}`;
    case 'bool':
      return s.type === 'boolean' ? null : `expected boolean, got ${JSON.stringify(s)}`;
    case 'double':
      return s.type === 'number' && (s.format === 'double' || inArray) ? null : `expected a double, got ${JSON.stringify(s)}`;
    default:
      // Array items of an alias lose their annotations in typescript-json-schema (scalars.ts).
      if (inArray && s.type === 'number' && s.format === undefined) return null;
      return s.type === 'integer' && s.format === f.type ? null : `expected integer/${f.type}, got ${JSON.stringify(s)}`;
  }
}

/** Why a property schema does not describe the field, or null. */
function fieldMismatch(f: FieldDescriptor, s: Schema, schemas: Record<string, Schema>, enums: Record<string, EnumDescriptor>): string | null {
  if ((s.deprecated === true) !== f.deprecated) return `deprecated: schema ${s.deprecated === true}, descriptor ${f.deprecated}`;
  if (s.default !== f.default) return `default: schema ${JSON.stringify(s.default)}, descriptor ${JSON.stringify(f.default)}`;
  if (f.label === 'repeated') {
    if (s.type !== 'array') return 'expected an array';
    return singleMismatch(f, s.items, schemas, enums, true);
  }
  if (f.label === 'map') {
    if (s.type !== 'object' || typeof s.additionalProperties !== 'object') return 'expected a map object';
    return singleMismatch(f, s.additionalProperties, schemas, enums, false);
  }
  return singleMismatch(f, s, schemas, enums, false);
}

/**
 * Every disagreement between wire descriptors and JSON Schemas: missing schemas or
 * descriptors, field sets and order, required fields, types, defaults, deprecation, enum
 * values, and views that are not restrictions of their envelope.
 */
export function disagreements(messages: Record<string, MessageDescriptor>, enums: Record<string, EnumDescriptor>, schemas: Record<string, Schema>): string[] {
  const out: string[] = [];
  const viewMap = views(schemas);

  for (const [name, desc] of Object.entries(messages)) {
    const s = schemas[`${name}.json`];
    if (!s) {
      out.push(`${name}: descriptor without schema`);
      continue;
    }
    if (s.type !== 'object' || s.additionalProperties !== false) out.push(`${name}: schema is not a closed object`);
    const props = Object.keys(s.properties ?? {});
    const fields = desc.fields.map((f) => f.name);
    if (props.join(',') !== fields.join(',')) {
      out.push(`${name}: fields [${fields.join(', ')}] but schema properties [${props.join(', ')}]`);
    }
    const required = desc.fields.filter((f) => f.label === 'required').map((f) => f.name);
    if (!sameSet(required, s.required ?? [])) {
      out.push(`${name}: required [${required.join(', ')}] but schema requires [${(s.required ?? []).join(', ')}]`);
    }
    for (const f of desc.fields) {
      const p = s.properties?.[f.name];
      if (!p) continue;
      const why = fieldMismatch(f, p, schemas, enums);
      if (why !== null) out.push(`${name}.${f.name}: ${why}`);
    }
  }

  for (const [name, e] of Object.entries(enums)) {
    const s = schemas[`${name}.json`];
    if (!s) out.push(`${name}: enum without schema`);
    else if (!sameSet(s.enum ?? [], e.values)) out.push(`${name}: enum values differ from schema`);
  }

  for (const [view, envelope] of Object.entries(viewMap)) {
    const s = schemas[`${view}.json`];
    const desc = messages[envelope];
    if (!s || !desc) {
      out.push(`${view}: view of ${envelope} without schema or descriptor`);
      continue;
    }
    const typeConst = s.properties?.type?.const;
    const typeField = desc.byName['type'];
    if (typeConst === undefined || !typeField || !enums[typeField.type]?.values.includes(typeConst)) {
      out.push(`${view}: type constant ${JSON.stringify(typeConst)} is not a value of ${envelope}.type`);
    }
    for (const [prop, p] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
      const f = desc.byName[prop];
      if (!f) out.push(`${view}.${prop}: not a field of ${envelope}`);
      else {
        const why = fieldMismatch(f, p, schemas, enums);
        if (why !== null) out.push(`${view}.${prop}: ${why}`);
      }
    }
    for (const f of desc.fields) {
      if (f.label === 'required' && !(s.required ?? []).includes(f.name)) out.push(`${view}: ${f.name} must be required`);
    }
    const payload = typeof typeConst === 'string' ? typeConst.toLowerCase() : '';
    if (desc.byName[payload] && !(payload in (s.properties ?? {}))) out.push(`${view}: lacks its payload field ${payload}`);
  }

  for (const [file, s] of Object.entries(schemas)) {
    const name = file.replace(/\.json$/, '');
    if (s.type === 'object' && !(name in messages) && !(name in viewMap)) {
      out.push(`${name}: schema of a message without descriptor`);
    }
  }
  return out;
}
