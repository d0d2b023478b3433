/** Offers: an offer id names one offer, is used at most once, and is rendered for its framework's capabilities. */
import { armedFor, frameworkIdOf, type WorldReader } from './world.ts';

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

/**
 * An offer a most general framework holds from its current subscription is one the master holds
 * for it, or the master's RESCIND of it is on its way: the master never takes an offer back
 * without telling the framework (Master::rescindOffer). Judged while the framework's stream is
 * the one the master has for it; offers of an earlier subscription are void without a RESCIND
 * (Master::failoverFramework), and offers it has used are no longer held.
 */
export function heldOffersOutstanding(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const fw of w.layout.frameworks) {
    if (w.layout.frameworkConfig[fw]?.kind !== 'general') continue;
    const g = w.scheduler(fw) as unknown as { framework_id?: string; stream_id?: string; offers?: readonly { id: string; stream?: string }[] } | null;
    const f = g?.framework_id === undefined ? undefined : m.frameworks[g.framework_id];
    if (!g || !f || f.connection !== fw || f.stream !== g.stream_id) continue;
    for (const o of g.offers ?? []) {
      if (o.stream !== g.stream_id) continue;
      const held = m.offers[o.id];
      if (held && held.framework_id === g.framework_id) continue;
      // Only an offer the master no longer holds needs its RESCIND on the way.
      const rescinded = w.channel(w.layout.master, fw).some((e) => e.type === 'RESCIND' && (e.rescind as { offer_id: { value: string } }).offer_id.value === o.id);
      if (!rescinded) return `${fw} holds offer ${o.id}, which the master took back without a RESCIND`;
    }
  }
  return null;
}

/**
 * offersOnlyOnConnectedAgents == every offer the master holds is on an agent it holds connected
 * and active: a broken link or an operator's deactivation rescinds what was offered on
 * the agent (Master::disconnect and Master::deactivate: "Remove and rescind offers"), so no
 * framework is left holding resources the master cannot launch on.
 */
export function offersOnlyOnConnectedAgents(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const o of Object.values(m.offers)) {
    const a = m.agents[o.agent_id];
    if (!a) return `offer ${o.id} is on agent ${o.agent_id}, which the master does not hold`;
    if (a.address === null) return `offer ${o.id} is on agent ${o.agent_id}, whose link is broken`;
    if ((m.registry.deactivated ?? []).includes(o.agent_id)) return `offer ${o.id} is on agent ${o.agent_id}, which is deactivated`;
  }
  return null;
}

/**
 * politeFrameworksHoldNoOffers == at quiescence no offer of a polite scheduler is outstanding:
 * it answers each offer at once, accepting what it launches and declining the rest (with its
 * filter), so it never sits on resources others could use. The polite scheduler is what
 * `mesos-ref run` drives, so this is a property of our own framework, as mesos-execute's is of
 * Mesos's: an offer it forgets holds resources until the master's offer timeout, if any.
 */
export function politeFrameworksHoldNoOffers(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const fw of w.layout.frameworks) {
    if (w.layout.frameworkConfig[fw]?.calls !== undefined) continue;
    const fid = frameworkIdOf(w, fw);
    const held = Object.values(m.offers).find((o) => o.framework_id === fid);
    if (fid !== undefined && held !== undefined) return `${fw} sits on offer ${held.id} of ${held.agent_id}: it neither used nor declined it`;
  }
  return null;
}

/**
 * offersRenderedForCapability == every offer on its way to a framework that the master still books
 * names the role it was made for in `allocation_info`, on the offer and on each of its resources,
 * exactly when the framework has the MULTI_ROLE capability (a framework without it knows one role
 * and sees neither: Master::offer, MESOS-8237), and the agent and framework it is booked for.
 */
export function offersRenderedForCapability(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const fw of w.layout.frameworks) {
    for (const e of w.channel(w.layout.master, fw)) {
      if (e.type !== 'OFFERS') continue;
      for (const o of (e.offers as { offers?: readonly RenderedOffer[] } | undefined)?.offers ?? []) {
        const booked = m.offers[o.id.value];
        const f = m.frameworks[o.framework_id.value];
        if (booked === undefined || f === undefined) continue;
        if (booked.agent_id !== o.agent_id.value || booked.framework_id !== o.framework_id.value)
          return `offer ${o.id.value} names agent ${o.agent_id.value} and framework ${o.framework_id.value}, booked for ${booked.agent_id} and ${booked.framework_id}`;
        const multi = (f.info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
        const roles = [o.allocation_info?.role, ...(o.resources ?? []).map((r) => r.allocation_info?.role)];
        if (multi && roles.some((r) => r !== booked.role))
          return `offer ${o.id.value} to a MULTI_ROLE framework does not name its role ${booked.role} on itself and every resource`;
        if (!multi && roles.some((r) => r !== undefined)) return `offer ${o.id.value} to a framework without MULTI_ROLE carries allocation_info`;
      }
    }
  }
  return null;
}

interface RenderedOffer {
  readonly id: { readonly value: string };
  readonly agent_id: { readonly value: string };
  readonly framework_id: { readonly value: string };
  readonly allocation_info?: { readonly role?: string };
  readonly resources?: readonly { readonly allocation_info?: { readonly role?: string } }[];
}

/**
 * offersTimeOut == with `--offer_timeout` set, the master's OFFER_TIMEOUT timers name exactly its
 * outstanding offers (Master::addOffer arms one per offer, removeOffer cancels it). An offer with
 * no timer is held for ever by a framework that forgets it, and the resources with it.
 */
export function offersTimeOut(w: WorldReader): string | null {
  const m = w.master();
  if (!m || !((m.flags.offerTimeoutMs ?? 0) > 0)) return null;
  const armed = armedFor(w, w.layout.master, 'OFFER_TIMEOUT', 'offer_id');
  if (armed === undefined) return null;
  for (const id of Object.keys(m.offers)) if (!armed.has(id)) return `offer ${id} is outstanding with no OFFER_TIMEOUT armed (--offer_timeout ${m.flags.offerTimeoutMs} ms)`;
  for (const id of armed) if (m.offers[id] === undefined) return `an OFFER_TIMEOUT is armed for offer ${id}, which is not outstanding`;
  return null;
}
