/**
 * Transition coverage: every `on` and `after` transition a machine defines (each guarded
 * alternative separately), and which of them an exploration took. A transition never taken in a
 * configuration is a part of the spec that configuration does not exercise; `mesos-ref verify`
 * lists them, and conformance generation aims at the ones it takes.
 *
 * Eventless (`always`) transitions run inside a macrostep and are not observed here.
 */
import type { AnyEventObject, AnyStateMachine, AnyStateNode } from 'xstate';
import type { Local } from '../step.ts';

export interface TransitionRef {
  /** Stable id: `<state node id>|<event type>|<alternative index>`. */
  readonly id: string;
  readonly machine: string;
  readonly source: string;
  readonly event: string;
  readonly index: number;
  readonly guard?: string;
}

function describeGuard(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  if (typeof guard === 'function') return (guard as { name?: string }).name || 'inline';
  return 'guard';
}

/** Every `on`/`after` transition of the machine, in definition order. */
export function transitionsOf(machine: AnyStateMachine): TransitionRef[] {
  const out: TransitionRef[] = [];
  const visit = (node: AnyStateNode) => {
    for (const [event, defs] of node.transitions) {
      defs.forEach((d, index) => {
        const guard = describeGuard((d as { guard?: unknown }).guard);
        out.push({ id: `${node.id}|${event}|${index}`, machine: machine.id, source: node.id, event, index, ...(guard ? { guard } : {}) });
      });
    }
    for (const child of Object.values(node.states)) visit(child as AnyStateNode);
  };
  visit(machine.root);
  return out;
}

/** Records which transitions were taken, from the local transitions a System reports. */
export class Coverage {
  private readonly taken = new Set<string>();
  private readonly all = new Map<string, TransitionRef[]>();

  constructor(machines: readonly AnyStateMachine[]) {
    for (const m of machines) if (!this.all.has(m.id)) this.all.set(m.id, transitionsOf(m));
  }

  /** The transitions XState selects for this event in this local state. */
  observe(machine: AnyStateMachine, from: Local, event: AnyEventObject): void {
    const snapshot = machine.resolveState({ value: from.value, context: from.context as never });
    for (const d of machine.getTransitionData(snapshot as never, event as never)) {
      const source = (d as { source: AnyStateNode }).source;
      const defs = source.transitions.get((d as { eventType: string }).eventType) ?? [];
      const index = defs.indexOf(d as never);
      this.taken.add(`${source.id}|${(d as { eventType: string }).eventType}|${index}`);
    }
  }

  report(): { machine: string; total: number; taken: number; missed: TransitionRef[] }[] {
    return [...this.all].map(([machine, refs]) => {
      const missed = refs.filter((r) => !this.taken.has(r.id));
      return { machine, total: refs.length, taken: refs.length - missed.length, missed };
    });
  }

  has(id: string): boolean {
    return this.taken.has(id);
  }
}
