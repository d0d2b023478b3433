/**
 * A JSON writer for the hand-written v0 endpoints (`/master/state`, `/slave(1)/state`,
 * `/metrics/snapshot`), whose numbers Mesos writes with rapidjson: a double keeps a fraction
 * (`1.0`), an integer does not. Wrap doubles with `dbl(n)`; plain numbers are written as they are.
 * Protocol messages are rendered with spec/protocol's codec instead.
 */
import { formatDouble } from '../../spec/protocol/json.ts';

/** A number to be written as a double. */
export class Dbl {
  constructor(readonly value: number) {}
}

export const dbl = (n: number): Dbl => new Dbl(n);

/** Renders `value`; object keys keep their insertion order; undefined members are left out. */
export function renderJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(v: unknown, out: string[]): void {
  if (v instanceof Dbl) {
    out.push(formatDouble(v.value));
  } else if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? String(v) : formatDouble(v));
  } else if (typeof v === 'string' || typeof v === 'boolean') {
    out.push(JSON.stringify(v));
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((x, i) => {
      if (i > 0) out.push(',');
      write(x, out);
    });
    out.push(']');
  } else if (typeof v === 'object') {
    out.push('{');
    let first = true;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(x, out);
    }
    out.push('}');
  } else {
    out.push(JSON.stringify(String(v)));
  }
}
