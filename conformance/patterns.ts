/**
 * Events as scenario patterns (format.ts), and the variables that stand for ids: `$fw<n>`,
 * `$agent<n>`, `$offer<n>`, `$uuid<n>`, numbered in order of first sight.
 */
import type { AnyEventObject } from 'xstate';
import type { EventPattern } from './format.ts';

export type IdKind = 'fw' | 'agent' | 'offer' | 'uuid';

/** Raw ids to variables, per kind, in order of first sight. */
export class Vars {
  private readonly maps: Record<IdKind, Map<string, string>> = { fw: new Map(), agent: new Map(), offer: new Map(), uuid: new Map() };

  /** The variable of `raw`, bound now if it is new. */
  bind(kind: IdKind, raw: string): string {
    const m = this.maps[kind];
    let v = m.get(raw);
    if (v === undefined) {
      v = `$${kind}${m.size}`;
      m.set(raw, v);
    }
    return v;
  }

  lookup(kind: IdKind, raw: string): string | undefined {
    return this.maps[kind].get(raw);
  }

  /** The bound variable, or `*`. */
  peek(kind: IdKind, raw: string): string {
    return this.maps[kind].get(raw) ?? '*';
  }

  snapshot(): Vars {
    const v = new Vars();
    for (const k of Object.keys(this.maps) as IdKind[]) for (const [raw, name] of this.maps[k]) v.maps[k].set(raw, name);
    return v;
  }
}

/** Scalar resources by name, summed (`{ cpus: 1, mem: 128 }`). */
export function scalars(resources: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of (resources ?? []) as { name: string; scalar?: { value: number } }[]) {
    if (r.scalar !== undefined) out[r.name] = Math.round(((out[r.name] ?? 0) + r.scalar.value) * 1000) / 1000;
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k]!]),
  );
}

/**
 * An event as a framework sees it, as a pattern; `id(kind, raw)` names each id. Null for what
 * scenarios ignore (HEARTBEAT).
 */
export function eventPattern(e: AnyEventObject, id: (kind: IdKind, raw: string) => string): EventPattern | null {
  switch (e.type) {
    case 'SUBSCRIBED':
      return { type: 'SUBSCRIBED', framework_id: id('fw', (e.subscribed as { framework_id: { value: string } }).framework_id.value) };
    case 'OFFERS':
      return {
        type: 'OFFERS',
        offers: ((e.offers as { offers?: { id: { value: string }; agent_id: { value: string }; resources?: unknown }[] }).offers ?? []).map((o) => ({
          offer_id: id('offer', o.id.value),
          agent_id: id('agent', o.agent_id.value),
          resources: scalars(o.resources),
        })),
      };
    case 'RESCIND':
      return { type: 'RESCIND', offer_id: id('offer', (e.rescind as { offer_id: { value: string } }).offer_id.value) };
    case 'UPDATE': {
      const s = (e.update as { status: { task_id: { value: string }; state: string; source?: string; reason?: string; agent_id?: { value: string }; uuid?: string } }).status;
      return {
        type: 'UPDATE',
        task_id: s.task_id.value,
        state: s.state as never,
        source: (s.source ?? 'SOURCE_MASTER') as never,
        reason: (s.reason ?? null) as never,
        agent_id: s.agent_id ? id('agent', s.agent_id.value) : null,
        uuid: s.uuid !== undefined ? id('uuid', s.uuid) : null,
      };
    }
    case 'FAILURE': {
      const f = e.failure as { agent_id?: { value: string }; executor_id?: { value: string }; status?: number };
      return { type: 'FAILURE', agent_id: f.agent_id ? id('agent', f.agent_id.value) : null, executor_id: f.executor_id?.value ?? null, status: f.status ?? null };
    }
    case 'ERROR':
      return { type: 'ERROR', message: (e.error as { message: string }).message };
    case 'MESSAGE': {
      const m = e.message as { agent_id: { value: string }; executor_id: { value: string } };
      return { type: 'MESSAGE', agent_id: id('agent', m.agent_id.value), executor_id: m.executor_id.value };
    }
    default:
      return null;
  }
}

/** Whether an observed pattern (concrete values) matches an expected one under `bindings`; binds new variables. */
export function matchPattern(expected: EventPattern, observed: EventPattern, bindings: Map<string, string>): boolean {
  const trial = new Map(bindings);
  const bound = new Set(trial.values());
  const same = (want: unknown, got: unknown): boolean => {
    if (typeof want === 'string' && want === '*') return true;
    if (typeof want === 'string' && want.startsWith('$')) {
      if (typeof got !== 'string') return false;
      const v = trial.get(want);
      if (v !== undefined) return v === got;
      if (bound.has(got)) return false; // two variables never bind one value
      trial.set(want, got);
      bound.add(got);
      return true;
    }
    if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w, i) => same(w, got[i]));
    if (want !== null && typeof want === 'object') {
      if (got === null || typeof got !== 'object') return false;
      const keys = new Set([...Object.keys(want), ...Object.keys(got as object)]);
      return [...keys].every((k) => same((want as Record<string, unknown>)[k], (got as Record<string, unknown>)[k]));
    }
    return want === got;
  };
  if (!same(expected, observed)) return false;
  for (const [k, v] of trial) bindings.set(k, v);
  return true;
}

/** The variables (`$...`) a value names, in document order, with repeats. */
export function varsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.startsWith('$')) out.push(value);
  else if (Array.isArray(value)) for (const x of value) varsIn(x, out);
  else if (value !== null && typeof value === 'object') for (const x of Object.values(value)) varsIn(x, out);
  return out;
}

/** `value` with each bound variable replaced by its value; the variables left unbound. */
export function bindVars(value: unknown, bindings: ReadonlyMap<string, string>): { value: unknown; unbound: string[] } {
  const unbound: string[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith('$')) {
      const x = bindings.get(v);
      if (x === undefined) unbound.push(v);
      return x ?? v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value), unbound };
}
