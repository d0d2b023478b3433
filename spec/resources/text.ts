/**
 * The text syntax of resources, as agents take them in `--resources` and masters in
 * `--min_allocatable_resources` (Mesos `Resources::fromSimpleString`, `values::parse`):
 *
 *     cpus:2;mem:1024;disk:4096;ports:[31000-32000,33000-33100];gpus(role1):1;zones:{a,b}
 *
 * - `;` separates resources (empty tokens are skipped), `:` separates name and value (exactly
 *   two non-empty parts, so `cpus::2` is accepted as Mesos's tokenizer does);
 * - `name(role)` reserves statically for `role`; no role, or `*`, is unreserved (the default
 *   role can be changed with `defaultRole`, as the agent's deprecated `--default_role`);
 * - values: a number (scalar, non-negative, rounded to thousandths; zero is allowed and yields
 *   nothing), `[a-b,c-d]` (ranges, coalesced), `{x,y}` (set); spaces inside values are ignored;
 * - the same name with two value types is an error;
 * - text that starts with `[` and parses as a JSON array is taken as the v1 JSON form
 *   (`Resource[]`), as Mesos does.
 *
 * Errors name the offending token.
 */
import { ResourcesError, resources, typeOf, validateRole, type Quantities, type ResourceEntry, type Resources } from './resources.ts';
import { formatScalar, MAX_FIXED, toFixed, type Range, type Result } from './values.ts';
import { fromWire } from './wire.ts';

export type { Result };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

type ParsedValue = { readonly scalar: number } | { readonly ranges: readonly Range[] } | { readonly set: readonly string[] };

const NUMBER = /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^\d+$/;

function bracketsMatch(text: string, open: string, close: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === open) depth++;
    else if (c === close && --depth < 0) return false;
  }
  return depth === 0;
}

/** Mesos `values::parse` restricted to the three resource value types. */
function parseValue(raw: string): Result<ParsedValue> {
  const text = raw.replaceAll(' ', '');
  if (text === '') return fail('expecting a non-empty value');
  if (!bracketsMatch(text, '{', '}') || !bracketsMatch(text, '[', ']') || !bracketsMatch(text, '(', ')')) {
    return fail('mismatched brackets');
  }
  if (text.startsWith('[')) {
    const tokens = text.split(/[[\]\-,\n]/).filter((t) => t !== '');
    if (tokens.length % 2 !== 0) return fail('expecting one or more "ranges" such as [31000-32000]');
    const out: Range[] = [];
    for (let i = 0; i < tokens.length; i += 2) {
      const [b, e] = [tokens[i]!, tokens[i + 1]!];
      if (!INTEGER.test(b) || !INTEGER.test(e)) return fail(`expecting non-negative integers in '${b}-${e}'`);
      const begin = Number(b);
      const end = Number(e);
      if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end)) return fail(`range '${b}-${e}' exceeds 2^53`);
      if (begin > end) return fail(`range begin ${begin} > end ${end}`);
      out.push([begin, end]);
    }
    return ok({ ranges: out });
  }
  if (text.includes('[')) return fail('ranges must start with [');
  if (text.startsWith('{')) {
    const items = text.split(/[{},\n]/).filter((t) => t !== '');
    if (new Set(items).size !== items.length) return fail('duplicated elements in set');
    return ok({ set: items });
  }
  if (text.includes('{')) return fail('sets must start with {');
  if (!NUMBER.test(text)) {
    if (text.startsWith('-') && NUMBER.test(text.slice(1))) return fail('negative values not supported');
    return fail('expecting a number, [ranges] or {set}');
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return fail('unsupported floating point value');
  const fixed = toFixed(value);
  if (fixed > MAX_FIXED) return fail('value too large');
  if (value !== 0 && fixed <= 0) return fail('non-zero value rounds to zero at three decimals');
  return ok({ scalar: fixed });
}

/**
 * Parses the agent flag syntax (or a JSON `Resource[]` array) into canonical Resources.
 * `defaultRole` is the role of resources written without `(role)`.
 */
export function parseResources(text: string, defaultRole = '*'): Result<Resources> {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (Array.isArray(json)) return fromWire(json, defaultRole);
  }
  const entries: ResourceEntry[] = [];
  const types = new Map<string, string>();
  for (const token of text.split(';')) {
    if (token === '') continue;
    const pair = token.split(':').filter((p) => p !== '');
    if (pair.length !== 2) return fail(`Bad value for resources, missing or extra ':' in '${token}'`);
    const [left, right] = pair as [string, string];
    let name: string;
    let role: string;
    const open = left.indexOf('(');
    if (open < 0) {
      if (left.includes(')')) return fail(`Bad value for resources, mismatched parentheses in '${token}'`);
      name = left.trim();
      role = defaultRole;
    } else {
      const close = left.indexOf(')');
      if (close < 0 || close < open || left.slice(close + 1).trim() !== '') {
        return fail(`Bad value for resources, mismatched parentheses in '${token}'`);
      }
      name = left.slice(0, open).trim();
      role = left.slice(open + 1, close).trim();
    }
    if (name === '') return fail(`Empty resource name in '${token}'`);
    const roleError = validateRole(role);
    if (roleError !== null) return fail(`Invalid role in '${token}': ${roleError}`);
    const value = parseValue(right);
    if (!value.ok) return fail(`Failed to parse resource ${name} value '${right}' in '${token}': ${value.error}`);
    const entry = {
      name,
      ...(role === '*' ? {} : { reservations: [{ type: 'STATIC' as const, role }] }),
      ...value.value,
    } as ResourceEntry;
    const type = typeOf(entry);
    const seen = types.get(name);
    if (seen !== undefined && seen !== type) {
      return fail(`Resources with the same name ('${name}') but different types are not allowed (at '${token}')`);
    }
    types.set(name, type);
    entries.push(entry);
  }
  try {
    return ok(resources(entries));
  } catch (e) {
    return fail(e instanceof ResourcesError ? e.message : String(e));
  }
}

/** `parseResources`, throwing a ResourcesError on bad input (for tests and literals). */
export function mustParseResources(text: string, defaultRole = '*'): Resources {
  const r = parseResources(text, defaultRole);
  if (!r.ok) throw new ResourcesError(r.error);
  return r.value;
}

const UNPRINTABLE = /[;:()[\]{},\s]/;

/**
 * Prints resources in the agent flag syntax; `parseResources(printResources(r))` gives `r` back.
 * Throws a ResourcesError for what the syntax cannot express: dynamic or refined reservations,
 * reservation principals or labels, allocation info, and names, roles or set items containing
 * one of `;:()[]{},` or whitespace. Order is the canonical order of `r`.
 */
export function printResources(r: Resources): string {
  return r.map(printEntry).join(';');
}

function printEntry(e: ResourceEntry): string {
  const where = `resource ${e.name}`;
  if (UNPRINTABLE.test(e.name)) throw new ResourcesError(`${where}: name cannot be written in flag syntax`);
  if (e.allocationRole !== undefined) throw new ResourcesError(`${where}: allocation info has no flag syntax`);
  let head = e.name;
  if (e.reservations !== undefined && e.reservations.length > 0) {
    const rs = e.reservations;
    const r = rs[0]!;
    if (rs.length > 1 || r.type !== 'STATIC' || r.principal !== undefined || r.labels !== undefined) {
      throw new ResourcesError(`${where}: only a single static reservation has flag syntax`);
    }
    if (UNPRINTABLE.test(r.role)) throw new ResourcesError(`${where}: role cannot be written in flag syntax`);
    head += `(${r.role})`;
  }
  let value: string;
  if (e.scalar !== undefined) value = formatScalar(e.scalar);
  else if (e.ranges !== undefined) value = `[${e.ranges.map(([b, x]) => `${b}-${x}`).join(',')}]`;
  else {
    for (const item of e.set!) {
      if (item === '' || UNPRINTABLE.test(item)) throw new ResourcesError(`${where}: set item '${item}' cannot be written in flag syntax`);
    }
    value = `{${e.set!.join(',')}}`;
  }
  return `${head}:${value}`;
}

/**
 * Mesos's human-readable rendering (`operator<<` on Resources), for messages and logs:
 * `cpus(reservations: [(STATIC,role1)]):2; ports:[31000-32000]`; `{}` when empty. Total.
 */
export function describeResources(r: Resources): string {
  if (r.length === 0) return '{}';
  return r
    .map((e) => {
      let s = e.name;
      if (e.allocationRole !== undefined) s += `(allocated: ${e.allocationRole})`;
      if (e.reservations !== undefined && e.reservations.length > 0) {
        s += `(reservations: [${e.reservations.map((x) => `(${x.type},${x.role}${x.principal !== undefined ? `,${x.principal}` : ''})`).join(',')}])`;
      }
      if (e.disk !== undefined) s += `[${e.disk.persistence.id}:${e.disk.volume.container_path}]`;
      const v = e.scalar !== undefined ? formatScalar(e.scalar) : e.ranges !== undefined ? `[${e.ranges.map(([b, x]) => `${b}-${x}`).join(', ')}]` : `{${e.set!.join(', ')}}`;
      return `${s}:${v}`;
    })
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// Quantities: `cpus:0.01;mem:32` and `--min_allocatable_resources` (`cpus:0.01|mem:32`)

/**
 * Parses resource quantities `name:number;name:number` (Mesos `ResourceQuantities::fromString`):
 * scalars only, no roles; the same name twice adds up; zero gives no key.
 */
export function parseQuantities(text: string): Result<Quantities> {
  const out: Record<string, number> = {};
  for (const token of text.split(';')) {
    if (token.trim() === '') continue;
    const pair = token.split(':');
    if (pair.length !== 2) return fail(`Bad value for resource quantities, missing or extra ':' in '${token}'`);
    const name = pair[0]!.trim();
    if (name === '' || UNPRINTABLE.test(name)) return fail(`Bad resource name in '${token}'`);
    const value = parseValue(pair[1]!);
    if (!value.ok) return fail(`Failed to parse quantity of ${name} in '${token}': ${value.error}`);
    if (!('scalar' in value.value)) return fail(`Quantities must be scalars, got '${pair[1]}' in '${token}'`);
    const v = value.value.scalar;
    if (v > 0) out[name] = (out[name] ?? 0) + v;
  }
  return ok(out);
}

/**
 * Parses `--min_allocatable_resources`: alternatives separated by `|`, each a quantity list.
 * The Mesos default is `cpus:0.01|mem:32`.
 */
export function parseMinAllocatableResources(text: string): Result<Quantities[]> {
  const out: Quantities[] = [];
  for (const alt of text.split('|')) {
    const q = parseQuantities(alt);
    if (!q.ok) return fail(q.error);
    if (Object.keys(q.value).length === 0) return fail(`Empty alternative in min_allocatable_resources '${text}'`);
    out.push(q.value);
  }
  return ok(out);
}

/** Prints quantities as `cpus:0.01;mem:32` (names sorted). */
export function printQuantities(q: Quantities): string {
  return Object.keys(q)
    .sort()
    .map((n) => `${n}:${formatScalar(q[n]!)}`)
    .join(';');
}
