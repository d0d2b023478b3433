/**
 * The operator calls that change the cluster, on their way into the master machine: who may
 * make them (the `--acls`, Mesos's local authorizer) and the machine event each becomes. Every
 * decision about the cluster is the machine's (spec/machines/master/operator.ts and
 * reservations.ts); this file only knows principals, which the machine does not.
 */
import type { MasterCall } from '../../spec/protocol/operator.ts';
import type { QuotaStatus } from '../../spec/protocol/common.ts';
import type { MasterEvent } from '../../spec/machines/master.ts';
import { fromWire, reservationRole } from '../../spec/resources/index.ts';
import type { Acls } from '../http/acls.ts';

type ChangingCall = Extract<
  MasterCall,
  {
    type:
      | 'MARK_AGENT_GONE'
      | 'DEACTIVATE_AGENT'
      | 'REACTIVATE_AGENT'
      | 'UPDATE_WEIGHTS'
      | 'RESERVE_RESOURCES'
      | 'UNRESERVE_RESOURCES'
      | 'UPDATE_QUOTA'
      | 'DRAIN_AGENT'
      | 'CREATE_VOLUMES'
      | 'DESTROY_VOLUMES';
  }
>;

const as = (principal: string | undefined) => (principal === undefined ? 'without a principal' : `as principal '${principal}'`);

/** The reservation roles (RESERVE) or reserver principals (UNRESERVE) a call's resources name; none if they do not parse (the machine answers 400). */
function reservations(json: readonly unknown[] | undefined): { roles: string[]; principals: (string | undefined)[] } {
  const parsed = fromWire(json ?? []);
  if (!parsed.ok) return { roles: [], principals: [] };
  const reserved = parsed.value.filter((e) => (e.reservations ?? []).length > 0);
  return {
    roles: [...new Set(reserved.map(reservationRole))].sort(),
    principals: [...new Set(reserved.map((e) => e.reservations![e.reservations!.length - 1]!.principal))],
  };
}

/** The principals that created the volumes a call names (Mesos's destroy_volumes ACL object: creator_principals). */
export function creators(json: readonly unknown[] | undefined): (string | undefined)[] {
  const parsed = fromWire(json ?? []);
  if (!parsed.ok) return [];
  return [...new Set(parsed.value.filter((e) => e.disk !== undefined).map((e) => e.disk!.persistence.principal))];
}

/** Mesos answers 403 when the authorizer says no; the reference says which ACL refused. */
export function operatorRefusal(acls: Acls, call: ChangingCall, principal: string | undefined): string | null {
  switch (call.type) {
    case 'MARK_AGENT_GONE':
      return acls.allows('mark_agents_gone', principal, undefined) ? null : `Not authorized to mark agents gone ${as(principal)}`;
    case 'DEACTIVATE_AGENT':
      return acls.allows('deactivate_agents', principal, undefined) ? null : `Not authorized to deactivate agents ${as(principal)}`;
    case 'REACTIVATE_AGENT':
      return acls.allows('reactivate_agents', principal, undefined) ? null : `Not authorized to reactivate agents ${as(principal)}`;
    case 'UPDATE_WEIGHTS': {
      const denied = (call.update_weights.weight_infos ?? []).map((w) => (w.role ?? '').trim()).filter((r) => !acls.allows('update_weights', principal, r));
      return denied.length === 0 ? null : `Not authorized to update the weights of roles '${denied.join(',')}' ${as(principal)}`;
    }
    case 'RESERVE_RESOURCES': {
      const denied = reservations(call.reserve_resources.resources).roles.filter((r) => !acls.allows('reserve_resources', principal, r));
      return denied.length === 0 ? null : `Not authorized to reserve resources for roles '${denied.join(',')}' ${as(principal)}`;
    }
    case 'DRAIN_AGENT':
      // Mesos asks the drain_agents ACL, and mark_agents_gone too when the drain marks the agent gone.
      if (!acls.allows('drain_agents', principal, undefined)) return `Not authorized to drain agents ${as(principal)}`;
      return call.drain_agent.mark_gone === true && !acls.allows('mark_agents_gone', principal, undefined) ? `Not authorized to mark agents gone ${as(principal)}` : null;
    case 'UPDATE_QUOTA': {
      // Mesos's UPDATE_QUOTA_WITH_CONFIG action, judged by the `update_quotas` ACL per role.
      const denied = (call.update_quota.quota_configs ?? []).map((q) => q.role).filter((r) => !acls.allows('update_quotas', principal, r));
      return denied.length === 0 ? null : `Not authorized to update the quota of roles '${denied.join(',')}' ${as(principal)}`;
    }
    case 'CREATE_VOLUMES': {
      const denied = reservations(call.create_volumes.volumes).roles.filter((r) => !acls.allows('create_volumes', principal, r));
      return denied.length === 0 ? null : `Not authorized to create volumes for roles '${denied.join(',')}' ${as(principal)}`;
    }
    case 'DESTROY_VOLUMES': {
      const denied = creators(call.destroy_volumes.volumes).filter((p) => !acls.allows('destroy_volumes', principal, p));
      return denied.length === 0 ? null : `Not authorized to destroy volumes created by '${denied.map((p) => p ?? '').join(',')}' ${as(principal)}`;
    }
    case 'UNRESERVE_RESOURCES': {
      const denied = reservations(call.unreserve_resources.resources).principals.filter((p) => !acls.allows('unreserve_resources', principal, p));
      return denied.length === 0 ? null : `Not authorized to unreserve resources reserved by '${denied.map((p) => p ?? '').join(',')}' ${as(principal)}`;
    }
  }
}

/** The machine event a call becomes (the HTTP host adds `request`). */
export function operatorEvent(call: ChangingCall, principal: string | undefined): MasterEvent {
  switch (call.type) {
    case 'MARK_AGENT_GONE':
      return { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: call.mark_agent_gone.agent_id.value };
    case 'DEACTIVATE_AGENT':
      return { type: 'OPERATOR_DEACTIVATE_AGENT', agent_id: call.deactivate_agent.agent_id.value };
    case 'REACTIVATE_AGENT':
      return { type: 'OPERATOR_REACTIVATE_AGENT', agent_id: call.reactivate_agent.agent_id.value };
    case 'UPDATE_WEIGHTS':
      return { type: 'OPERATOR_UPDATE_WEIGHTS', weight_infos: call.update_weights.weight_infos ?? [] };
    case 'RESERVE_RESOURCES': {
      const r = call.reserve_resources;
      return {
        type: 'OPERATOR_RESERVE',
        agent_id: r.agent_id.value,
        resources: r.resources ?? [],
        ...(r.source ? { source: r.source } : {}),
        ...(principal !== undefined ? { principal } : {}),
      };
    }
    case 'DRAIN_AGENT': {
      const d = call.drain_agent;
      const g = d.max_grace_period;
      return {
        type: 'OPERATOR_DRAIN_AGENT',
        agent_id: d.agent_id.value,
        ...(g ? { max_grace_period_ns: (g.seconds ?? 0) * 1e9 + (g.nanos ?? 0) } : {}),
        ...(d.mark_gone ? { mark_gone: true } : {}),
      };
    }
    case 'UPDATE_QUOTA':
      return { type: 'OPERATOR_UPDATE_QUOTA', quota_configs: call.update_quota.quota_configs ?? [], ...(call.update_quota.force ? { force: true } : {}) };
    case 'CREATE_VOLUMES':
      return {
        type: 'OPERATOR_CREATE_VOLUMES',
        agent_id: call.create_volumes.agent_id.value,
        volumes: call.create_volumes.volumes ?? [],
        ...(principal !== undefined ? { principal } : {}),
      };
    case 'DESTROY_VOLUMES':
      return { type: 'OPERATOR_DESTROY_VOLUMES', agent_id: call.destroy_volumes.agent_id.value, volumes: call.destroy_volumes.volumes ?? [] };
    case 'UNRESERVE_RESOURCES':
      return { type: 'OPERATOR_UNRESERVE', agent_id: call.unreserve_resources.agent_id.value, resources: call.unreserve_resources.resources ?? [] };
  }
}

/** GET_QUOTA shows only the roles the `get_quotas` ACL lets the principal see (Master::QuotaHandler::_status). */
export function viewQuota(acls: Acls, principal: string | undefined, status: QuotaStatus): QuotaStatus {
  const seen = (role: string | undefined) => acls.allows('get_quotas', principal, role);
  const configs = (status.configs ?? []).filter((c) => seen(c.role));
  const infos = (status.infos ?? []).filter((i) => seen(i.role));
  return configs.length || infos.length ? { ...(infos.length ? { infos } : {}), ...(configs.length ? { configs } : {}) } : {};
}
