/**
 * JSON Schemas of the protocol messages, generated from the TypeScript types in spec/protocol
 * with typescript-json-schema, and checked in under schemas/.
 *
 * One file per named type: every message (calls, events, responses, internal messages and the
 * shared messages they contain), every discriminated union (`SchedulerCall.json` is an `anyOf`)
 * and every enum. Files refer to each other by relative `$ref` (`"$ref": "TaskInfo.json"`) and
 * carry `$id: "<Name>.json"`, so a validator that loads the directory resolves them all.
 *
 * Annotations the generator copies from JSDoc: `type: integer` + `format: int32|int64|uint32|
 * uint64` for integer fields, `format: double` for doubles, `format: byte` for Base64 bytes,
 * `default` for proto defaults, `deprecated: true` for deprecated fields. Output is stable:
 * keys sorted (except property lists, which keep proto declaration order), two-space indent,
 * trailing newline.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as TJS from 'typescript-json-schema';
import { DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR, REPO_ROOT } from './paths.ts';

export { DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR, REPO_ROOT };

/** The files whose exported types get schemas in schemas/: the protocol. */
const PROTOCOL_FILES = ['common.ts', 'scheduler.ts', 'executor.ts', 'operator.ts', 'internal.ts'].map((f) => join(REPO_ROOT, 'spec', 'protocol', f));

/** The model's own file formats (configurations, conformance scenarios), in schemas/model/. */
const MODEL_FILES = [join(REPO_ROOT, 'spec', 'world', 'config.ts'), join(REPO_ROOT, 'conformance', 'format.ts')];

/** Every schema set: where it goes under the schema directory, and the files it comes from. */
export const SCHEMA_SETS: readonly { readonly subdir: string; readonly files: readonly string[] }[] = [
  { subdir: '', files: PROTOCOL_FILES },
  { subdir: MODEL_SCHEMA_SUBDIR, files: MODEL_FILES },
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Generate every schema of some source files: file name (`TaskInfo.json`) -> schema. */
export function generateSchemas(files: readonly string[] = PROTOCOL_FILES): Record<string, object> {
  const program = TJS.getProgramFromFiles([...files], {
    strict: true,
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  } as never);
  const generator = TJS.buildGenerator(program, {
    required: true,
    noExtraProps: true,
    ref: true,
    strictNullChecks: true,
    validationKeywords: ['deprecated'],
    ignoreErrors: false,
  });
  if (!generator) throw new Error('typescript-json-schema could not compile spec/protocol');

  const roots = generator
    .getSymbols()
    .filter((s) => files.some((f) => sameFile(s.fullyQualifiedName, f)))
    .map((s) => s.name)
    .sort();
  if (roots.length === 0) throw new Error('no exported types found in spec/protocol');
  const bundle = generator.getSchemaForSymbols(roots) as JsonObject;
  const definitions = (bundle['definitions'] ?? {}) as Record<string, JsonObject>;

  const out: Record<string, object> = {};
  for (const name of Object.keys(definitions).sort()) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
      throw new Error(`unexpected schema definition name '${name}': give the type a plain name`);
    }
    const schema: JsonObject = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `${name}.json`,
      title: name,
      ...(rewrite(definitions[name]!) as JsonObject),
    };
    out[`${name}.json`] = sortKeys(schema) as object;
  }
  return out;
}

/** `"file.ts".Name` as typescript-json-schema names a symbol, against an absolute path. */
function sameFile(fullyQualifiedName: string, file: string): boolean {
  const quoted = fullyQualifiedName.match(/^"(.*)"\./);
  return quoted !== null && resolve(`${quoted[1]}.ts`) === file;
}

/** Local `#/definitions/X` refs -> `X.json`; a `@deprecated` tag (bare or with a reason) -> `deprecated: true`. */
function rewrite(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const m = /^#\/definitions\/(.+)$/.exec(value);
      if (!m) throw new Error(`unexpected $ref ${value}`);
      out[key] = `${decodeURIComponent(m[1]!)}.json`;
    } else if (key === 'deprecated') {
      out[key] = value !== false;
    } else {
      out[key] = rewrite(value);
    }
  }
  return out;
}

/** Sort object keys recursively, except the property names of a `properties` object. */
function sortKeys(node: Json, keepOrder = false): Json {
  if (Array.isArray(node)) return node.map((n) => sortKeys(n));
  if (node === null || typeof node !== 'object') return node;
  const keys = keepOrder ? Object.keys(node) : Object.keys(node).sort();
  const out: JsonObject = {};
  for (const key of keys) out[key] = sortKeys(node[key]!, !keepOrder && key === 'properties');
  return out;
}

/** The text of a schema file. */
export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Write every schema into `dir` (created if needed), removing stale `.json` files; returns the names written. */
export function writeSchemas(dir: string, files: readonly string[] = PROTOCOL_FILES): string[] {
  const schemas = generateSchemas(files);
  mkdirSync(dir, { recursive: true });
  for (const name of existingSchemaFiles(dir)) {
    if (!(name in schemas)) unlinkSync(join(dir, name));
  }
  const names = Object.keys(schemas).sort();
  for (const name of names) writeFileSync(join(dir, name), schemaText(schemas[name]!));
  return names;
}

/**
 * Names of schema files in `dir` that are missing, extra or different from what the types
 * generate now; empty when `dir` is up to date.
 */
export function staleSchemas(dir: string, schemas: Record<string, object> = generateSchemas()): string[] {
  const stale = new Set<string>();
  const present = new Set(existingSchemaFiles(dir));
  for (const [name, schema] of Object.entries(schemas)) {
    if (!present.has(name) || readFileSync(join(dir, name), 'utf8') !== schemaText(schema)) stale.add(name);
  }
  for (const name of present) if (!(name in schemas)) stale.add(name);
  return [...stale].sort();
}

function existingSchemaFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Load every schema file of a directory (file name -> schema), e.g. to hand them to a validator. */
export function readSchemas(dir: string = DEFAULT_SCHEMA_DIR): Record<string, object> {
  const out: Record<string, object> = {};
  for (const name of existingSchemaFiles(dir)) out[name] = JSON.parse(readFileSync(join(dir, name), 'utf8')) as object;
  return out;
}
