/**
 * A transaction over the master's context (spec/machines/transaction.ts): a handler reads and
 * replaces parts of the context and records, in order, what it sends and counts and which timers
 * it sets or cancels. The context stays immutable data: a record is replaced, never changed.
 */
import type { AnyEventObject } from 'xstate';
import type { AllocatorState } from '../../allocator/state.ts';
import { Transaction } from '../transaction.ts';
import type { MasterCounter } from '../effects.ts';
import { offerTimerId, type AgentRecord, type FrameworkRecord, type MasterContext, type OfferRecord, type Registry } from './context.ts';

/**
 * A subclass, not a wrapper: master handlers call `tx.send`, `tx.timer`, `tx.setAgent` alike, and
 * the record-replacing methods below are what the master adds to the shared transaction.
 */
export class Tx extends Transaction<MasterContext, AnyEventObject, MasterCounter> {
  /** A task leaves the books without a terminal state of its own: `state` is the one it ended in. */
  ended(fid: string, tid: string, state: string): void {
    this.effect({ type: 'count', counter: 'task_ended', framework: fid, task: tid, state });
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
