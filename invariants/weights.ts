/**
 * An operator's UPDATE_WEIGHTS changes the shares of roles: Mesos rescinds every outstanding offer
 * when one of the updated roles has a framework, so that the next allocation follows the new
 * weights, and none otherwise (Master::_updateWeights).
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { WeightInfo } from '../spec/protocol/common.ts';
import { rolesOf } from './subscriptions.ts';
import type { Emitted } from './world.ts';

/** weightsRescindOffers == a successful UPDATE_WEIGHTS leaves no offer outstanding if an updated role has a framework, and takes none back otherwise. */
export function weightsRescindOffers(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'OPERATOR_UPDATE_WEIGHTS' || !effects.some((e) => e.type === 'reply' && e.status === 200)) return null;
  const updated = (event.weight_infos as readonly WeightInfo[]).map((w) => (w.role ?? '').trim());
  const active = Object.values(before.frameworks).some((f) => rolesOf(f.info).some((r) => updated.includes(r)));
  const kept = Object.keys(after.offers).filter((id) => before.offers[id] !== undefined);
  if (active && kept.length > 0) return `UPDATE_WEIGHTS of ${updated.join(', ')}, a role with a framework, left offer ${kept[0]} outstanding`;
  if (!active && kept.length < Object.keys(before.offers).length) return `UPDATE_WEIGHTS of ${updated.join(', ')}, roles without a framework, took offers back`;
  return null;
}

/**
 * weightsApplied == every role weighs in the allocator what the registry says (an operator's
 * UPDATE_WEIGHTS, which survives failovers), else what `--weights` says, else 1: a weight only
 * the registry holds is not the one the allocator's sorters use (Master::_updateWeights applies it
 * to the allocator once the registry took it; a recovered master applies the registry's).
 */
export function weightsApplied(m: MasterContext): string | null {
  const want: Record<string, number> = { ...(m.flags.weights ?? {}), ...(m.registry.weights ?? {}) };
  for (const role of [...new Set([...Object.keys(want), ...Object.keys(m.allocator.weights)])].sort()) {
    const used = m.allocator.weights[role] ?? 1;
    if (used !== (want[role] ?? 1)) return `role ${role} weighs ${used} in the allocator, ${want[role] ?? 1} by the registry and --weights`;
  }
  return null;
}
