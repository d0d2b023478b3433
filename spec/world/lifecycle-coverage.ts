/**
 * Lifecycle coverage: which declared lifecycle transitions (spec/machines/lifecycle.ts) an
 * exploration took, read from the local transitions a System reports (each distinct one once),
 * beside the machine transitions spec/world/coverage.ts counts. A declared transition no proved
 * configuration takes is a status change nothing has checked.
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { changes, declaredFor, transitionKey, type Lifecycle, type LifecycleTransition } from '../machines/lifecycle.ts';
import type { Local } from '../step.ts';

export class LifecycleCoverage {
  private readonly taken = new Set<string>();

  /** `of` maps a machine to the lifecycles of the records it keeps. */
  constructor(private readonly of: ReadonlyMap<AnyStateMachine, readonly Lifecycle<never>[]>) {}

  observe(machine: AnyStateMachine, from: Local, event: AnyEventObject, to: Local): void {
    for (const lc of this.of.get(machine) ?? []) {
      for (const c of changes(lc, from.context as never, to.context as never, event)) for (const k of declaredFor(lc, c)) this.taken.add(k);
    }
  }

  report(): { kind: string; machine: string; total: number; taken: number; missed: (LifecycleTransition & { id: string })[] }[] {
    const seen = new Set<Lifecycle<never>>();
    const out: ReturnType<LifecycleCoverage['report']> = [];
    for (const lcs of this.of.values()) {
      for (const lc of lcs) {
        if (seen.has(lc)) continue;
        seen.add(lc);
        const missed = lc.transitions.map((t) => ({ ...t, id: transitionKey(lc.kind, t) })).filter((t) => !this.taken.has(t.id));
        out.push({ kind: lc.kind, machine: lc.machine, total: lc.transitions.length, taken: lc.transitions.length - missed.length, missed });
      }
    }
    return out;
  }
}
