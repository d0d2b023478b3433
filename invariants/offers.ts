/** Offers: an offer id names one offer, and is used at most once. */
import type { WorldReader } from './world.ts';

/**
 * Every offer on its way to a framework is either still outstanding under the same id, agent
 * and framework, or gone for good; no id names two different offers.
 */
export function offerIdsUsedOnce(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  const seen = new Map<string, string>();
  for (const fw of w.layout.frameworks) {
    for (const e of w.channel(w.layout.master, fw)) {
      if (e.type !== 'OFFERS') continue;
      for (const o of (e.offers?.offers ?? []) as { id: { value: string }; agent_id: { value: string }; framework_id: { value: string } }[]) {
        const id = o.id.value;
        const who = `${o.agent_id.value}/${o.framework_id.value}`;
        if (seen.has(id) && seen.get(id) !== who) return `offer id ${id} names two offers (${seen.get(id)} and ${who})`;
        seen.set(id, who);
        const live = m.offers[id];
        if (live && (live.agent_id !== o.agent_id.value || live.framework_id !== o.framework_id.value)) {
          return `offer id ${id} was sent for ${who} but the master has it for ${live.agent_id}/${live.framework_id}`;
        }
      }
    }
  }
  return null;
}
