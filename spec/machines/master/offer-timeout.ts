/**
 * `--offer_timeout` (Master::addOffer, Master::offerTimeout): an offer a framework holds longer
 * is rescinded and its resources go back to the allocator, without a filter. An offer that was
 * used, declined or rescinded before is gone, and its timer with it (Tx.setOffer cancels it), so
 * a timeout never touches anything but the offer it was armed for.
 */
import { offerTimerId } from './context.ts';
import type { Tx } from './tx.ts';
import { rescindOffer } from './rescind.ts';

export type OfferTimeoutEvent = { type: 'OFFER_TIMEOUT'; offer_id: string };

/** A new offer: its timeout starts now (nothing without `--offer_timeout`). */
export function armOfferTimeout(tx: Tx, oid: string): void {
  const ms = tx.c.flags.offerTimeoutMs;
  if (ms !== undefined && ms > 0) tx.timer(offerTimerId(oid), { type: 'OFFER_TIMEOUT', offer_id: oid }, ms);
}

/** The offer was held too long: RESCIND to its framework, its resources back without a filter. */
export function offerTimedOut(tx: Tx, e: OfferTimeoutEvent): void {
  rescindOffer(tx, e.offer_id);
}
