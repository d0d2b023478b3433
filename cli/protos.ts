/**
 * `npm run protos` (`-- --check`): generates spec/protocol/wire-table.ts, the descriptor table
 * the codecs read, from proto/mesos-ref-v1.proto, its source; with --check, exits 1 if the
 * checked-in table is not what the .proto gives.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { REPO_ROOT } from '../impl/paths.ts';
import { parseProto, type ProtoField } from './proto-source.ts';

const PROTO_FILE = join(REPO_ROOT, 'proto', 'mesos-ref-v1.proto');
export const WIRE_TABLE_FILE = join(REPO_ROOT, 'spec', 'protocol', 'wire-table.ts');

/** A field in the descriptor syntax of spec/protocol/descriptors.ts. */
function descriptorSyntax(f: ProtoField): string {
  const suffix = f.label === 'required' ? '!' : f.label === 'repeated' ? '[]' : f.label === 'map' ? '{}' : '';
  const def = f.default === undefined ? '' : ` = ${f.default}`;
  return `${f.number} ${f.name}: ${f.type}${suffix}${def}${f.deprecated ? ' deprecated' : ''}${f.oneof !== undefined ? ` oneof ${f.oneof}` : ''}`;
}

/** A single-quoted TypeScript string literal. */
const quoted = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The text of spec/protocol/wire-table.ts for a .proto source, formatted as the repository formats TypeScript. */
export async function wireTableText(source: string): Promise<string> {
  const proto = parseProto(source);
  const text = [
    '// Generated from proto/mesos-ref-v1.proto by `npm run protos`; do not edit (edit the .proto).',
    '',
    "/** Each enum's values and wire numbers, in declaration order. */",
    'export const ENUM_NUMBERS: Readonly<Record<string, Readonly<Record<string, number>>>> = {',
    ...proto.enums.map((e) => `  ${e.name}: { ${e.values.map(([v, n]) => `${v}: ${n}`).join(', ')} },`),
    '};',
    '',
    "/** Each message's fields in declaration order, in the field syntax of descriptors.ts. */",
    'export const MESSAGE_FIELDS: Readonly<Record<string, readonly string[]>> = {',
    ...proto.messages.map((m) => `  ${m.name}: [${m.fields.map((f) => quoted(descriptorSyntax(f))).join(', ')}],`),
    '};',
    '',
  ].join('\n');
  const config = (await prettier.resolveConfig(WIRE_TABLE_FILE)) ?? {};
  return prettier.format(text, { ...config, filepath: WIRE_TABLE_FILE });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await wireTableText(readFileSync(PROTO_FILE, 'utf8'));
  const current = existsSync(WIRE_TABLE_FILE) ? readFileSync(WIRE_TABLE_FILE, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.log(`stale: ${WIRE_TABLE_FILE}; run npm run protos`);
      process.exitCode = 1;
    } else console.log('spec/protocol/wire-table.ts is what proto/mesos-ref-v1.proto gives');
  } else {
    writeFileSync(WIRE_TABLE_FILE, text);
    console.log(`wrote ${WIRE_TABLE_FILE}`);
  }
}
