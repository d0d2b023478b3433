/**
 * Canonical JSON: object keys sorted, no whitespace. Two plain-JSON values are equal exactly
 * when their canonical JSON is equal, whatever order their keys were inserted in. It is the
 * identity of local states and messages in the checker, so it must be exact and fast.
 * `undefined` object members are skipped (as JSON.stringify does); `undefined` in arrays and
 * non-JSON values (functions, Maps, class instances, NaN) are rejected: they have no place in a
 * machine's context.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (value[i] === undefined) throw new TypeError('canonicalJson: undefined in an array');
          out += (i ? ',' : '') + canonicalJson(value[i]);
        }
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonicalJson: not plain data (${proto?.constructor?.name ?? 'unknown'})`);
      }
      const keys = Object.keys(value).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  }
}

/**
 * Whether `a` and `b` have the same canonical JSON, without writing it: the same scalars (0 and
 * -0 alike), arrays of equal elements, objects with the same keys of defined members, whatever
 * their order. Values canonicalJson rejects are not judged here (they are not equal to anything,
 * not even themselves, but a non-finite number or undefined in an array); the caller's data is
 * plain JSON, as a machine's context always is.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    defined++;
    if (!sameJson(v, y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
