/**
 * An offer the master takes back (its agent is going, its resources are needed elsewhere, it was
 * held too long): the resources return to the allocator without a refusal filter, and the
 * framework is told RESCIND (Master::rescindOffer). One place, so every cause does it alike.
 */
import * as allocator from '../../allocator/index.ts';
import { sortedEntries } from './context.ts';
import type { Tx } from './tx.ts';

export function rescindOffer(tx: Tx, oid: string): void {
  const o = tx.c.offers[oid];
  if (!o) return;
  tx.setOffer(oid, undefined);
  tx.allocator((a) => allocator.recoverResources(a, { frameworkId: o.framework_id, agentId: o.agent_id, role: o.role, resources: o.resources }));
  tx.send(tx.c.frameworks[o.framework_id]?.connection ?? null, { type: 'RESCIND', rescind: { offer_id: { value: oid } } });
}

/** Every offer on an agent that is going away or stops being offered (Master::deactivate(Slave*)). */
export function rescindOffersOn(tx: Tx, aid: string): void {
  for (const [oid, o] of sortedEntries(tx.c.offers)) if (o.agent_id === aid) rescindOffer(tx, oid);
}
