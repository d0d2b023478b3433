/**
 * A transaction over the master's context: a handler reads and replaces parts of the context
 * and records, in order, what it sends and which timers it sets or cancels. The machine turns
 * one transaction into one XState action (assign, then the effects in order), so a handler reads
 * like the C++ it mirrors while the context stays immutable data.
 */
import type { AnyEventObject } from 'xstate';
import type { AllocatorState } from '../../allocator/state.ts';
import { send, type MachineEffect, type MasterCounter, type SendEffect } from '../effects.ts';
import { offerTimerId, type AgentRecord, type FrameworkRecord, type MasterContext, type OfferRecord, type Registry } from './context.ts';

export type Step =
  | { readonly kind: 'effect'; readonly effect: MachineEffect }
  | { readonly kind: 'timer'; readonly id: string; readonly event: AnyEventObject; readonly delay: number }
  | { readonly kind: 'cancel'; readonly id: string };

export class Tx {
  readonly steps: Step[] = [];

  constructor(public c: MasterContext) {}

  send<M extends { readonly type: string }>(to: string | null, msg: M, extra: Partial<Pick<SendEffect, 'mode' | 'stream' | 'close'>> = {}): void {
    if (to !== null) this.steps.push({ kind: 'effect', effect: send(to, msg, extra) });
  }

  effect(effect: MachineEffect): void {
    this.steps.push({ kind: 'effect', effect });
  }

  /** One more of a metric the host keeps (spec/machines/effects.ts CountEffect). */
  count(counter: MasterCounter): void {
    this.effect({ type: 'count', counter });
  }

  /** A task leaves the books without a terminal state of its own: `state` is the one it ended in. */
  ended(fid: string, tid: string, state: string): void {
    this.effect({ type: 'count', counter: 'task_ended', framework: fid, task: tid, state });
  }

  timer(id: string, event: AnyEventObject, delay: number): void {
    this.steps.push({ kind: 'timer', id, event, delay });
  }

  cancel(id: string): void {
    this.steps.push({ kind: 'cancel', id });
  }

  setFramework(fid: string, f: FrameworkRecord | undefined): void {
    const { [fid]: _old, ...rest } = this.c.frameworks;
    this.c = { ...this.c, frameworks: f ? { ...rest, [fid]: f } : rest };
  }

  setAgent(aid: string, a: AgentRecord | undefined): void {
    const { [aid]: _old, ...rest } = this.c.agents;
    this.c = { ...this.c, agents: a ? { ...rest, [aid]: a } : rest };
  }

  setOffer(oid: string, o: OfferRecord | undefined): void {
    // An offer that leaves takes its --offer_timeout timer along: a later timeout names no other offer.
    if (o === undefined && this.c.offers[oid] !== undefined && (this.c.flags.offerTimeoutMs ?? 0) > 0) this.cancel(offerTimerId(oid));
    const { [oid]: _old, ...rest } = this.c.offers;
    this.c = { ...this.c, offers: o ? { ...rest, [oid]: o } : rest };
  }

  allocator(fn: (a: AllocatorState) => AllocatorState): void {
    this.c = { ...this.c, allocator: fn(this.c.allocator) };
  }

  /** Registry changes are persisted before the master acts on them (Mesos's registrar). */
  registry(fn: (r: Registry) => Registry): void {
    const registry = fn(this.c.registry);
    this.c = { ...this.c, registry };
    this.effect({ type: 'persist', key: 'registry', value: registry });
  }

  bump(counter: keyof MasterContext['fresh']): void {
    this.c = { ...this.c, fresh: { ...this.c.fresh, [counter]: this.c.fresh[counter] + 1 } };
  }
}
