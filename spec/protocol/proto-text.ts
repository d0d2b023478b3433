/**
 * The .proto definitions of the v1 wire messages, written from the descriptor table and Mesos's
 * enum numbers (proto/mesos-ref-v1.proto, checked in; `npm run protos` rewrites it). Field for
 * field and number for number Mesos's include/mesos/v1 messages, under the table's flat names
 * (`RawSchedulerCall` is `mesos.v1.scheduler.Call`), so protoc and any protobuf library read the
 * reference's streams. Each enum sits in a message of its own (`TaskState.Value`), which scopes
 * its value names as Mesos's nesting does (many enums have an `UNKNOWN`).
 */
import { ENUM_NUMBERS } from './enum-numbers.ts';
import { ENUM_DESCRIPTORS, messageDescriptor, type FieldDescriptor } from './descriptors.ts';

/** The roots: what the scheduler, executor and operator APIs carry. */
export const WIRE_ROOTS = [
  'RawSchedulerCall',
  'RawSchedulerEvent',
  'RawExecutorCall',
  'RawExecutorEvent',
  'RawMasterCall',
  'RawMasterResponse',
  'RawMasterEvent',
  'RawAgentCall',
  'RawAgentResponse',
] as const;

/** Every message reachable from the roots, in a stable order (sorted by name). */
export function wireMessages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const f of messageDescriptor(name).fields) if (f.kind === 'message') visit(f.type);
  };
  WIRE_ROOTS.forEach(visit);
  return [...seen].sort();
}

const SCALAR: Record<string, string> = { string: 'string', bytes: 'bytes', bool: 'bool', double: 'double', int32: 'int32', int64: 'int64', uint32: 'uint32', uint64: 'uint64' };

function typeName(f: FieldDescriptor): string {
  return f.kind === 'enum' ? `${f.type}.Value` : f.kind === 'message' ? f.type : SCALAR[f.type]!;
}

function field(f: FieldDescriptor): string {
  const options: string[] = [];
  if (f.default !== undefined) options.push(`default = ${typeof f.default === 'string' && f.kind !== 'enum' ? JSON.stringify(f.default) : String(f.default)}`);
  if (f.deprecated) options.push('deprecated = true');
  const opts = options.length ? ` [${options.join(', ')}]` : '';
  const oneof = f.oneof ? ` // oneof ${f.oneof}` : '';
  if (f.label === 'map') return `  map<string, ${typeName(f)}> ${f.name} = ${f.number}${opts};${oneof}`;
  return `  ${f.label} ${typeName(f)} ${f.name} = ${f.number}${opts};${oneof}`;
}

export function protoText(): string {
  const messages = wireMessages();
  const enums = new Set<string>();
  for (const m of messages) for (const f of messageDescriptor(m).fields) if (f.kind === 'enum') enums.add(f.type);
  const out = [
    '// Generated from spec/protocol/descriptors.ts and spec/protocol/enum-numbers.ts by `npm run protos`; do not edit.',
    "// The messages of Mesos's v1 scheduler, executor and operator APIs, field numbers as in include/mesos/v1.",
    'syntax = "proto2";',
    '',
    'package mesos_ref.v1;',
    '',
  ];
  for (const e of [...enums].sort()) {
    out.push(`message ${e} {`, '  enum Value {');
    for (const v of ENUM_DESCRIPTORS[e]!.values) out.push(`    ${v} = ${ENUM_NUMBERS[e]![v]};`);
    out.push('  }', '}', '');
  }
  for (const m of messages) {
    out.push(`message ${m} {`);
    for (const f of messageDescriptor(m).byNumber) out.push(field(f));
    out.push('}', '');
  }
  return out.join('\n');
}
