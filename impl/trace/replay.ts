/**
 * Replaying recorded steps (`--trace`, impl/host.ts TraceRecord) against the spec machines, one
 * component at a time: the same event in the same recorded state must give the same recorded next
 * state. Each component is replayed from its own `init` record (a restarted process starts again
 * with a new one). What a step emitted and which timers it armed come back with it, for the step
 * invariants and the world trace (world.ts).
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { agent } from '../../spec/machines/agent.ts';
import { executor } from '../../spec/machines/executor.ts';
import { master } from '../../spec/machines/master.ts';
import { scheduler } from '../../spec/machines/scheduler.ts';
import { fire, initial, localKey, step, type Local, type StepResult } from '../../spec/step.ts';
import type { TraceRecord } from '../host.ts';

export const MACHINES: Readonly<Record<string, AnyStateMachine>> = { master, agent, executor, scheduler };

/** One step the spec allowed: the state before it (null for a start), the event (the timer's for a timer), and what the spec's step gave. */
export interface Replayed {
  readonly machine: AnyStateMachine;
  readonly before: Local | null;
  readonly event: AnyEventObject | null;
  readonly result: StepResult;
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

/** The components' current local states, advanced record by record; `key` names a component (its trace's component, or file and component). */
export class Replayer {
  private readonly current = new Map<string, { machine: AnyStateMachine; local: Local }>();

  get components(): string[] {
    return [...this.current.keys()];
  }

  local(key: string): Local | undefined {
    return this.current.get(key)?.local;
  }

  /** Replays one record of component `key`: the step, or why the spec does not allow it. */
  step(key: string, r: TraceRecord): { ok: true; step: Replayed } | { ok: false; message: string } {
    const machine = MACHINES[r.machine];
    if (!machine) return { ok: false, message: `unknown machine '${r.machine}' (known: ${Object.keys(MACHINES).join(', ')})` };
    let replayed: Replayed;
    try {
      if (r.kind === 'init') replayed = { machine, before: null, event: null, result: initial(machine, r.input) };
      else {
        const c = this.current.get(key);
        if (!c) return { ok: false, message: 'a step before the component was started (no init record)' };
        if (r.kind === 'timer') {
          const timer = c.local.timers.find((t) => t.id === r.timer);
          if (!timer) return { ok: false, message: `timer '${r.timer}' fires, but the spec has no such timer pending` };
          replayed = { machine, before: c.local, event: timer.event, result: fire(machine, c.local, r.timer!) };
        } else if (r.kind === 'event' && r.event) replayed = { machine, before: c.local, event: r.event, result: step(machine, c.local, r.event) };
        else return { ok: false, message: `unknown record kind '${String(r.kind)}'` };
      }
    } catch (err) {
      return { ok: false, message: `the spec rejects this step: ${(err as Error).message}` };
    }
    const key2 = localKey(replayed.result.local);
    if (key2 !== r.after) {
      const where = firstDifference(JSON.parse(key2), JSON.parse(r.after));
      const what = r.kind === 'event' ? `event ${r.event!.type}` : r.kind === 'timer' ? `timer ${r.timer}` : 'start';
      return { ok: false, message: `the spec does not allow this step (${what}): the recorded state differs at ${where}` };
    }
    this.current.set(key, { machine, local: replayed.result.local });
    return { ok: true, step: replayed };
  }
}
