/**
 * The model's operator events as the v1 operator Calls that cause them (POST /api/v1,
 * include/mesos/v1/master/master.proto). The most general framework also plays the operator:
 * its OPERATOR_* events reach the model's master on the framework's channel, and a runner makes
 * the same change with the Call this file writes. It is the inverse of the reference cluster's
 * impl/master/operator.ts `operatorEvent` (and of its TEARDOWN): test/conformance's
 * operator-calls test sends each back through that and expects the event it started from.
 */
import type { MasterEvent } from '../spec/machines/master.ts';
import type { CallJson } from './format.ts';

/** A master event an operator causes. */
export type OperatorEvent = Extract<MasterEvent, { type: `OPERATOR_${string}` }>;

export const isOperatorEvent = (e: { type: string }): e is OperatorEvent => e.type.startsWith('OPERATOR_');

const agent = (id: string) => ({ agent_id: { value: id } });

/** The v1 operator Call (JSON) an operator makes to cause `e`. */
export function operatorCall(e: OperatorEvent): CallJson {
  switch (e.type) {
    case 'OPERATOR_TEARDOWN':
      return { type: 'TEARDOWN', teardown: { framework_id: { value: e.framework_id } } };
    case 'OPERATOR_MARK_AGENT_GONE':
      return { type: 'MARK_AGENT_GONE', mark_agent_gone: agent(e.agent_id) };
    case 'OPERATOR_DEACTIVATE_AGENT':
      return { type: 'DEACTIVATE_AGENT', deactivate_agent: agent(e.agent_id) };
    case 'OPERATOR_REACTIVATE_AGENT':
      return { type: 'REACTIVATE_AGENT', reactivate_agent: agent(e.agent_id) };
    case 'OPERATOR_UPDATE_WEIGHTS':
      return { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: e.weight_infos } };
    case 'OPERATOR_RESERVE':
      return { type: 'RESERVE_RESOURCES', reserve_resources: { ...agent(e.agent_id), ...(e.source ? { source: e.source } : {}), resources: e.resources } };
    case 'OPERATOR_UNRESERVE':
      return { type: 'UNRESERVE_RESOURCES', unreserve_resources: { ...agent(e.agent_id), resources: e.resources } };
    case 'OPERATOR_CREATE_VOLUMES':
      return { type: 'CREATE_VOLUMES', create_volumes: { ...agent(e.agent_id), volumes: e.volumes } };
    case 'OPERATOR_DESTROY_VOLUMES':
      return { type: 'DESTROY_VOLUMES', destroy_volumes: { ...agent(e.agent_id), volumes: e.volumes } };
    case 'OPERATOR_UPDATE_QUOTA':
      return { type: 'UPDATE_QUOTA', update_quota: { ...(e.force ? { force: true } : {}), quota_configs: e.quota_configs } };
    case 'OPERATOR_DRAIN_AGENT': {
      const ns = e.max_grace_period_ns;
      const grace = ns === undefined ? {} : { max_grace_period: { seconds: Math.floor(ns / 1e9), ...(ns % 1e9 ? { nanos: ns % 1e9 } : {}) } };
      return { type: 'DRAIN_AGENT', drain_agent: { ...agent(e.agent_id), ...grace, ...(e.mark_gone ? { mark_gone: true } : {}) } };
    }
  }
}
