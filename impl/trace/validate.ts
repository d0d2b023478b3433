/**
 * Trace validation: a master's or agent's recorded steps (`--trace FILE`, one JSON line per
 * step) replayed against the spec machines. Every step must be one the spec allows: the same
 * event in the same recorded state gives the same recorded next state, and the master's
 * invariants hold after each step. The first step that differs is reported.
 *
 * A trace may interleave several components (a master and its executors...): each is replayed
 * from its own `init` record.
 */
import type { AnyStateMachine } from 'xstate';
import { agent } from '../../spec/machines/agent.ts';
import { executor } from '../../spec/machines/executor.ts';
import { master, type MasterContext } from '../../spec/machines/master.ts';
import { scheduler } from '../../spec/machines/scheduler.ts';
import { fire, initial, localKey, step, type Local } from '../../spec/step.ts';
import { invariants } from '../../invariants/index.ts';
import type { TraceRecord } from '../host.ts';

const MACHINES: Readonly<Record<string, AnyStateMachine>> = { master, agent, executor, scheduler };

export interface TraceVerdict {
  readonly ok: boolean;
  readonly steps: number;
  readonly components: readonly string[];
  /** The first problem: which line, which component, what differs. */
  readonly problem?: { readonly line: number; readonly component: string; readonly message: string };
}

/** The first path at which two JSON values differ, for the report. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || '(root)'}: spec ${JSON.stringify(a)?.slice(0, 120)}, trace ${JSON.stringify(b)?.slice(0, 120)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return path;
}

export function validateTrace(lines: readonly string[]): TraceVerdict {
  const current = new Map<string, { machine: AnyStateMachine; local: Local }>();
  const masterInvariants = invariants.filter((i) => i.master);
  let steps = 0;
  const fail = (line: number, component: string, message: string): TraceVerdict => ({ ok: false, steps, components: [...current.keys()], problem: { line, component, message } });
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    let r: TraceRecord;
    try {
      r = JSON.parse(text) as TraceRecord;
    } catch {
      return fail(i + 1, '?', 'not a JSON trace record');
    }
    const machine = MACHINES[r.machine];
    if (!machine) return fail(i + 1, r.component, `unknown machine '${r.machine}' (known: ${Object.keys(MACHINES).join(', ')})`);
    let next: Local;
    try {
      if (r.kind === 'init') next = initial(machine, r.input).local;
      else {
        const c = current.get(r.component);
        if (!c) return fail(i + 1, r.component, 'a step before the component was started (no init record)');
        if (r.kind === 'timer') {
          if (!c.local.timers.some((t) => t.id === r.timer)) return fail(i + 1, r.component, `timer '${r.timer}' fires, but the spec has no such timer pending`);
          next = fire(machine, c.local, r.timer!).local;
        } else if (r.kind === 'event' && r.event) next = step(machine, c.local, r.event).local;
        else return fail(i + 1, r.component, `unknown record kind '${String(r.kind)}'`);
      }
    } catch (err) {
      return fail(i + 1, r.component, `the spec rejects this step: ${(err as Error).message}`);
    }
    const key = localKey(next);
    if (key !== r.after) {
      const where = firstDifference(JSON.parse(key), JSON.parse(r.after));
      const what = r.kind === 'event' ? `event ${r.event!.type}` : r.kind === 'timer' ? `timer ${r.timer}` : 'start';
      return fail(i + 1, r.component, `the spec does not allow this step (${what}): the recorded state differs at ${where}`);
    }
    current.set(r.component, { machine, local: next });
    steps++;
    if (machine === master) {
      for (const inv of masterInvariants) {
        const v = inv.master!(next.context as MasterContext);
        if (v !== null) return fail(i + 1, r.component, `invariant ${inv.name} is violated: ${v}`);
      }
    }
  }
  return { ok: true, steps, components: [...current.keys()] };
}
