/**
 * Trace validation of one file: a master's or agent's recorded steps (`--trace FILE`, one JSON
 * line per step) replayed against the spec machines (replay.ts). Every step must be one the spec
 * allows, and the master's invariants hold after each step. The first step that differs is
 * reported. A trace may interleave several components (a master and its executors...): each is
 * replayed from its own `init` record. Several traces of one cluster together: world.ts.
 */
import { type MasterContext } from '../../spec/machines/master.ts';
import { invariants } from '../../invariants/index.ts';
import type { TraceRecord } from '../host.ts';
import { Replayer } from './replay.ts';

export interface TraceVerdict {
  readonly ok: boolean;
  readonly steps: number;
  readonly components: readonly string[];
  /** The first problem: which line, which component, what differs. */
  readonly problem?: { readonly line: number; readonly component: string; readonly message: string };
}

export function validateTrace(lines: readonly string[]): TraceVerdict {
  const replayer = new Replayer();
  const masterInvariants = invariants.filter((i) => i.master);
  let steps = 0;
  const fail = (line: number, component: string, message: string): TraceVerdict => ({ ok: false, steps, components: replayer.components, problem: { line, component, message } });
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    let r: TraceRecord;
    try {
      r = JSON.parse(text) as TraceRecord;
    } catch {
      return fail(i + 1, '?', 'not a JSON trace record');
    }
    const replayed = replayer.step(r.component, r);
    if (!replayed.ok) return fail(i + 1, r.component, replayed.message);
    steps++;
    if (r.machine === 'master') {
      for (const inv of masterInvariants) {
        const v = inv.master!(replayed.step.result.local.context as MasterContext);
        if (v !== null) return fail(i + 1, r.component, `invariant ${inv.name} is violated: ${v}`);
      }
    }
  }
  return { ok: true, steps, components: replayer.components };
}
