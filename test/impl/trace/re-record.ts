/**
 * Seeded bugs of a world trace: a recorded step's event edited, and every later `after` of that
 * component recomputed by the spec, so that each component's trace still replays step for step
 * and only what the components say to each other is wrong, as when a transport delivers another
 * message than the one sent. What is left to catch it is the invariants across components.
 */
import type { TraceRecord } from '../../../impl/host.ts';
import { MACHINES } from '../../../impl/trace/replay.ts';
import { fire, initial, localKey, step, type Local } from '../../../spec/step.ts';

/** The lines of a trace with record `at` (0-based line) changed by `edit`, and each later record of its component re-recorded. */
export function reRecord(lines: readonly string[], at: number, edit: (r: TraceRecord) => TraceRecord): string[] {
  const records = lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as TraceRecord);
  const component = records[at]!.component;
  const locals = new Map<string, Local>();
  return records.map((original, i) => {
    const r = i === at ? edit(original) : original;
    if (r.component !== component) return JSON.stringify(r);
    const machine = MACHINES[r.machine]!;
    const before = locals.get(r.component);
    const next = r.kind === 'init' ? initial(machine, r.input).local : r.kind === 'timer' ? fire(machine, before!, r.timer!).local : step(machine, before!, r.event!).local;
    locals.set(r.component, next);
    return JSON.stringify(i >= at ? { ...r, after: localKey(next) } : r);
  });
}
