/**
 * What an ACCEPT's RESERVE, UNRESERVE, CREATE and DESTROY are answered, restated from Mesos's
 * validation (validation::operation::validate in src/master/validation.cpp, as Master::accept runs
 * it after injecting the offer's allocation role), independent of spec/machines/master/operations.ts:
 * an operation with an id that validation refuses is answered OPERATION_ERROR (OPERATION_DROPPED
 * where its agent is gone), never OPERATION_FINISHED. Only what is invalid in itself or against the
 * agent's books is restated; whether the offers still hold what a valid operation needs depends on
 * the operations before it, and a valid operation may still be refused for that.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { FrameworkInfo, OfferOperation } from '../spec/protocol/common.ts';
import { clearAllocationRole, contains, equals, flatten, fromWire, isDynamicallyReserved, isPersistentVolume, reservationRole, type Resources } from '../spec/resources/index.ts';
import { rolesOf } from './subscriptions.ts';
import type { Emitted } from './world.ts';

/** The operation's resources with the offer's role where the framework left it out; null when they do not parse. */
function parsedIn(role: string, json: readonly unknown[] | undefined): Resources | null {
  const withRole = (json ?? []).map((x) => (typeof x === 'object' && x !== null && !('allocation_info' in x) ? { ...x, allocation_info: { role } } : x));
  const r = fromWire(withRole);
  return r.ok ? r.value : null;
}

/** Why Mesos refuses `op` in an ACCEPT of `info`'s framework on an offer of `role` from an agent whose total is `total`, or null. */
export function conversionRefusal(op: OfferOperation, role: string, info: FrameworkInfo, total: Resources): string | null {
  switch (op.type) {
    case 'RESERVE': {
      const r = parsedIn(role, op.reserve?.resources);
      if (r === null) return 'resources that do not parse';
      if ((op.reserve?.source ?? []).length > 0) {
        // A re-reservation: the source and the target are the same quantities; its other checks are not restated.
        const source = parsedIn(role, op.reserve!.source);
        return source === null || r.length === 0 || !equals(flatten(source), flatten(r)) ? 'a source that is not the same quantities as the target' : null;
      }
      for (const e of r) {
        if (!isDynamicallyReserved(e)) return 'a resource not dynamically reserved';
        if (e.allocationRole !== reservationRole(e)) return 'a reservation for a role other than its allocation role';
        if (!rolesOf(info).includes(e.allocationRole!)) return 'a reservation for a role the framework does not have';
        const principal = e.reservations![e.reservations!.length - 1]!.principal;
        if (info.principal !== undefined && principal !== info.principal) return "a reservation without the framework's principal";
      }
      return null;
    }
    case 'UNRESERVE': {
      const r = parsedIn(role, op.unreserve?.resources);
      if (r === null) return 'resources that do not parse';
      return r.some((e) => !isDynamicallyReserved(e) || isPersistentVolume(e)) ? 'a resource not dynamically reserved, or a volume' : null;
    }
    case 'CREATE': {
      const r = parsedIn(role, op.create?.volumes);
      if (r === null) return 'volumes that do not parse';
      if (r.some((e) => e.name !== 'disk' || !isPersistentVolume(e) || e.disk!.volume.mode === 'RO')) return 'a volume that is not a read-write persistent volume';
      const ids = (op.create?.volumes ?? []).map((x) => (x as { disk?: { persistence?: { id?: string } } }).disk?.persistence?.id);
      if (new Set(ids).size !== ids.length) return 'a persistence id twice';
      const onAgent = total.filter(isPersistentVolume).map((e) => `${reservationRole(e)}\u0000${e.disk!.persistence.id}`);
      return r.some((e) => onAgent.includes(`${reservationRole(e)}\u0000${e.disk!.persistence.id}`)) ? 'a persistence id the agent already has for that role' : null;
    }
    case 'DESTROY': {
      const r = parsedIn(role, op.destroy?.volumes);
      if (r === null) return 'volumes that do not parse';
      if (r.some((e) => !isPersistentVolume(e))) return 'a resource that is not a volume';
      return r.some((e) => !contains(total, clearAllocationRole([e]))) ? 'a volume the agent does not have' : null;
    }
    default:
      return null;
  }
}

/** conversionsJudged == an ACCEPT's conversion with an id that Mesos refuses is never answered OPERATION_FINISHED. */
export function conversionsJudged(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  if (event.type !== 'ACCEPT') return null;
  const fid = (event.framework_id as { value?: string } | undefined)?.value ?? '';
  const f = before.frameworks[fid];
  const accept = event.accept as { offer_ids?: readonly { value: string }[]; operations?: readonly OfferOperation[] } | undefined;
  const offers = (accept?.offer_ids ?? []).map((o) => before.offers[o.value]);
  if (f === undefined || offers.length === 0 || offers.some((o) => o === undefined || o.framework_id !== fid)) return null;
  const total = before.agents[offers[0]!.agent_id]?.total ?? [];
  const finished = new Set(
    effects.flatMap((e) => {
      const status = (e.msg as { type?: string; update_operation_status?: { status?: { operation_id?: { value?: string }; state?: string } } } | undefined)?.update_operation_status
        ?.status;
      return e.type === 'send' && status?.state === 'OPERATION_FINISHED' ? [status.operation_id?.value] : [];
    }),
  );
  for (const op of accept?.operations ?? []) {
    if (op.id === undefined || !finished.has(op.id.value)) continue;
    const why = conversionRefusal(op, offers[0]!.role, f.info, total);
    if (why !== null) return `${op.type} ${op.id.value} with ${why} was answered OPERATION_FINISHED, Mesos refuses it`;
  }
  return null;
}
