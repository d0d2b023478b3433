/**
 * A transaction: what one step of the master or the agent does, recorded in order while its
 * handler runs (effects, among them the metrics it counts; timers set; timers cancelled), and
 * the one function that turns a finished transaction into XState actions: assign the new
 * context, then every recorded step in the order the handler made it. A handler thus reads like
 * the C++ it mirrors (send, set a timer, count) while the machine stays one XState action per
 * event.
 *
 * master/tx.ts and agent/tx.ts build on this class and differ only in how `c`, the context the
 * handler works on, is changed, on purpose:
 *   - the master replaces records (`tx.setFramework`, `tx.allocator(fn)`, ...) and never copies
 *     what a step leaves alone: its context is the large one (allocator, registry, offers, every
 *     framework and agent), a step touches one or two records of it, and the checker keeps every
 *     state it has not yet expanded, so unchanged records stay shared between them. Measured with
 *     the master on a deep copy per step instead (the agent's way): `verify --config
 *     two-frameworks` peaked at 175-177 MB against 157-158 MB, `default` the same (228 MB); run
 *     times differed by less than the noise of a shared machine;
 *   - the agent's handlers (agent/executors.ts, streams.ts) are Mesos's code that mutates nested
 *     records in place (`ex.launched[id].state = ...`, `fw.executors[e].queued.splice(...)`),
 *     so they work on a private deep copy of its context (small: one agent's frameworks and
 *     executors), which is what is assigned.
 * Both contexts stay plain JSON data, and nothing here is shared or global.
 */
import type { AnyEventObject } from 'xstate';
import { send, type AgentCounter, type MachineEffect, type MasterCounter, type SendEffect } from './effects.ts';

/** One thing a transaction does besides changing the context, in the order the handler did it. */
type Step<E extends AnyEventObject = AnyEventObject> =
  | { readonly kind: 'effect'; readonly effect: MachineEffect }
  | { readonly kind: 'timer'; readonly id: string; readonly event: E; readonly delay: number }
  | { readonly kind: 'cancel'; readonly id: string };

/** The counters a machine may name in a plain `count` effect (spec/machines/effects.ts). */
type Counter = MasterCounter | AgentCounter;

/**
 * A transaction over a context `C`: the machine's timer events are `E`, the metrics it counts `K`.
 * Subclasses add the ways their context is changed.
 */
export class Transaction<C, E extends AnyEventObject = AnyEventObject, K extends Counter = Counter> {
  readonly steps: Step<E>[] = [];

  constructor(public c: C) {}

  effect(effect: MachineEffect): void {
    this.steps.push({ kind: 'effect', effect });
  }

  /** A protocol message to `to`; none where there is nobody to send it to (`null`). */
  send<M extends { readonly type: string }>(to: string | null, msg: M, extra: Partial<Pick<SendEffect, 'mode' | 'stream' | 'close'>> = {}): void {
    if (to !== null) this.effect(send(to, msg, extra));
  }

  /** One more of a metric the host keeps (spec/machines/effects.ts CountEffect). */
  count(counter: K): void {
    this.effect({ type: 'count', counter });
  }

  timer(id: string, event: E, delay: number): void {
    this.steps.push({ kind: 'timer', id, event, delay });
  }

  cancel(id: string): void {
    this.steps.push({ kind: 'cancel', id });
  }
}

/** The part of XState's `enqueueActions` helper a transaction is committed through. */
interface Enqueue<C, E extends AnyEventObject> {
  assign(assigner: () => C): void;
  emit(effect: MachineEffect): void;
  raise(event: E, options: { delay: number; id: string }): void;
  cancel(id: string): void;
}

/**
 * A finished transaction as XState actions: assign `next`, then `first` (the agent's `persist`
 * of a changed checkpoint, which must precede everything the step sends), then the steps in order.
 */
export function commit<C, E extends AnyEventObject>(enqueue: Enqueue<C, E>, next: C, steps: readonly Step<E>[], first?: MachineEffect): void {
  enqueue.assign(() => next);
  if (first !== undefined) enqueue.emit(first);
  for (const s of steps) {
    if (s.kind === 'effect') enqueue.emit(s.effect);
    else if (s.kind === 'timer') enqueue.raise(s.event, { delay: s.delay, id: s.id });
    else enqueue.cancel(s.id);
  }
}
