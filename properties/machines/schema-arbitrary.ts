/**
 * fast-check arbitraries from the checked-in JSON Schemas (schemas/*.json): well-typed values
 * whose fields come from small adversarial domains (the empty string, `.`, a slash, whitespace,
 * huge and negative and tiny numbers) mixed with values that mean something to the master under
 * test (its framework, agent, offer and task ids), so generated calls get past its lookups.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';

type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  format?: string;
};

const dir = resolve(import.meta.dirname, '../../schemas');
const cache = new Map<string, Schema>();
function load(file: string): Schema {
  let s = cache.get(file);
  if (!s) cache.set(file, (s = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Schema));
  return s;
}

const ADVERSARIAL_STRINGS = ['', '.', '..', 'a b', '/x', 'x/', '*', '-x', 'a', 'AAAAAAAAQACAAAAAAAAAAA=='];
const ADVERSARIAL_NUMBERS = [-1, 0, 0.0001, 0.0005, 1, 5, 1e6, 1e20, -1e20];

/** An arbitrary for the schema `file`; `meaningful` strings are mixed in with the adversarial ones. */
export function fromSchema(file: string, meaningful: readonly string[], maxDepth = 5): fc.Arbitrary<unknown> {
  const strings = fc.constantFrom(...ADVERSARIAL_STRINGS, ...meaningful);
  const build = (s: Schema, depth: number): fc.Arbitrary<unknown> => {
    if (s.$ref) return build(load(s.$ref), depth);
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum) return fc.constantFrom(...s.enum);
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) return fc.oneof(...alternatives.map((a) => build(a, depth)));
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case 'string':
        return strings;
      case 'integer':
        return fc.constantFrom(-1, 0, 1, 5, 1_000_000_000);
      case 'number':
        return fc.constantFrom(...ADVERSARIAL_NUMBERS);
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth <= 0 ? fc.constant([]) : fc.array(build(s.items ?? {}, depth - 1), { maxLength: 2 });
      case 'object': {
        const props = s.properties ?? {};
        const required = s.required ?? [];
        const keys = Object.keys(props).filter((k) => required.includes(k) || depth > 0);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const k of keys) record[k] = build(props[k]!, depth - 1);
        return fc.record(record, { requiredKeys: keys.filter((k) => required.includes(k)) });
      }
      default:
        return fc.constant(null);
    }
  };
  return build(load(file), maxDepth);
}
