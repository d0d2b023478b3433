/**
 * Quota set by an operator: UPDATE_QUOTA (QUOTA_V2, Master::QuotaHandler::update and _update in
 * src/master/quota_handler.cpp, quota::validate in src/master/quota.cpp, with their messages).
 *
 * Every config is validated before anything changes (400 naming the role and the field), then
 * each role's limits must hold what it already consumes and the guarantees must fit the
 * cluster, unless `force`. Then the registry first, the allocator, and Mesos's best-effort
 * rescinding: offers of the role beyond its limits, and offers of other roles until its
 * guarantees could be met. GET_QUOTA is read by the runtime from the registry (`quotaStatus`).
 */
import type { QuotaConfig, QuotaStatus, ValueScalar } from '../../protocol/common.ts';
import * as allocator from '../../allocator/index.ts';
import {
  addQuantities,
  fromFixed,
  printQuantities,
  quantitiesContain,
  scalarQuantities,
  subtractQuantities,
  toFixed,
  unreserved,
  validateRole,
  type Quantities,
} from '../../resources/index.ts';
import { reply } from '../effects.ts';
import { sortedEntries, type MasterContext } from './context.ts';
import type { Tx } from './tx.ts';
import { rescindOffer } from './rescind.ts';

export type QuotaEvent =
  /** UPDATE_QUOTA: each role's new guarantees and limits (an empty config removes the quota). */
  { type: 'OPERATOR_UPDATE_QUOTA'; quota_configs: readonly QuotaConfig[]; force?: boolean; request?: string };

/** 1 exabyte in megabytes for mem and disk, 1 trillion for the rest (quota::validate). */
const EXABYTE_MB = 1024 * 1024 * 1024 * 1024;
const OTHER_LIMIT = 1_000_000_000_000;

const show = (m: Readonly<Record<string, ValueScalar>> | undefined): string =>
  `{${Object.keys(m ?? {})
    .sort()
    .map((k) => `'${k}': ${m![k]!.value}`)
    .join(', ')}}`;

/** Mesos `validateInputScalarValue`. */
function scalarError(v: number): string | null {
  if (typeof v !== 'number' || Number.isNaN(v)) return 'NaN not supported';
  if (!Number.isFinite(v)) return 'Infinite values not supported';
  if (v !== 0 && Math.abs(v) < 2.2250738585072014e-308) return 'Subnormal values not supported';
  if (v < 0) return 'Negative values not supported';
  return null;
}

/** What Mesos answers 400 for one QuotaConfig (QuotaHandler::update, quota::validate), or null. */
function quotaConfigError(config: QuotaConfig): string | null {
  const role = config.role;
  if (typeof role !== 'string') return "Invalid QuotaConfig: 'QuotaConfig.role' must be set";
  if (role.includes('/')) return `Updating quota on nested role '${role}' is not supported yet`;
  const invalid = validateRole(role);
  if (invalid !== null) return `Invalid QuotaConfig: Invalid 'QuotaConfig.role': ${invalid}`;
  for (const [field, m] of [
    ['guarantees', config.guarantees],
    ['limits', config.limits],
  ] as const) {
    for (const [name, s] of Object.entries(m ?? {})) {
      const v = s?.value;
      const max = name === 'mem' || name === 'disk' ? EXABYTE_MB : OTHER_LIMIT;
      if (typeof v === 'number' && v > max) {
        const what = name === 'mem' || name === 'disk' ? `1 exabyte (${EXABYTE_MB})` : `1 trillion (${OTHER_LIMIT})`;
        return `Invalid QuotaConfig: Invalid 'QuotaConfig.${field}': {'${name}': ${v}} is invalid: values greater than ${what} are not supported`;
      }
    }
  }
  for (const [kind, m] of [
    ['guarantee', config.guarantees],
    ['limit', config.limits],
  ] as const) {
    for (const [name, s] of Object.entries(m ?? {})) {
      const why = scalarError(s?.value as number);
      if (why !== null) return `Invalid QuotaConfig: Invalid ${kind} configuration {'${name}': ${String(s?.value)}}: ${why}`;
    }
  }
  const q = toQuota(config);
  for (const name of Object.keys(q.guarantees)) {
    const limit = q.limits[name];
    if (limit !== undefined && q.guarantees[name]! > limit) {
      return `Invalid QuotaConfig: 'QuotaConfig.guarantees' ${show(config.guarantees)} is not contained within the 'QuotaConfig.limits' ${show(config.limits)}`;
    }
  }
  return null;
}

/** The allocator's quota of a (validated) config: fixed point, zero guarantees dropped, zero limits kept. */
function toQuota(config: QuotaConfig): allocator.Quota {
  const guarantees: Record<string, number> = {};
  const limits: Record<string, number> = {};
  for (const [name, s] of Object.entries(config.guarantees ?? {})) if (s.value > 0) guarantees[name] = toFixed(s.value);
  for (const [name, s] of Object.entries(config.limits ?? {})) limits[name] = toFixed(s.value);
  return { guarantees, limits };
}

/** The config as GET_QUOTA shows it (names sorted, fixed point back to doubles). */
function canonicalConfig(role: string, q: allocator.Quota): QuotaConfig {
  const scalars = (m: Readonly<Record<string, number>>) =>
    Object.fromEntries(
      Object.keys(m)
        .sort()
        .map((k) => [k, { value: fromFixed(m[k]!) }]),
    );
  return {
    role,
    ...(Object.keys(q.guarantees).length ? { guarantees: scalars(q.guarantees) } : {}),
    ...(Object.keys(q.limits).length ? { limits: scalars(q.limits) } : {}),
  };
}

/** The quotas the master starts with: what operators persisted. */
export function initialQuotas(a: allocator.AllocatorState, registry: MasterContext['registry']): allocator.AllocatorState {
  let out = a;
  for (const [role, config] of sortedEntries(registry.quotas ?? {})) out = allocator.updateQuota(out, role, toQuota(config));
  return out;
}

/** GET_QUOTA: every role with a quota, as QUOTA_V2 configs and as the legacy QuotaInfo (guarantees only). */
export function quotaStatus(c: MasterContext): QuotaStatus {
  const configs = sortedEntries(c.registry.quotas ?? {}).map(([, config]) => config);
  if (configs.length === 0) return {};
  return {
    infos: configs.map((config) => ({
      role: config.role,
      ...(config.guarantees ? { guarantee: Object.entries(config.guarantees).map(([name, s]) => ({ name, type: 'SCALAR' as const, scalar: s })) } : {}),
    })),
    configs,
  };
}

const inRole = (role: string, top: string) => allocator.inSubtree(role, top);

/** Mesos RoleResourceBreakdown::consumedQuota: reservations plus unreserved resources in use (offers are not consumption). */
function consumedByTasks(c: MasterContext, role: string): Quantities {
  let offered: Quantities = {};
  for (const o of Object.values(c.offers)) if (inRole(o.role, role)) offered = addQuantities(offered, scalarQuantities(unreserved(o.resources)));
  return subtractQuantities(allocator.consumedQuota(c.allocator, role), offered);
}

/** UPDATE_QUOTA (Master::QuotaHandler::update, _update). */
export function updateQuota(tx: Tx, e: QuotaEvent): void {
  const configs = e.quota_configs;
  for (const config of configs) {
    const why = quotaConfigError(config);
    if (why !== null) return tx.effect(reply(e.request, 400, why));
  }
  const force = e.force === true;
  for (const config of configs) {
    const q = toQuota(config);
    const consumed = consumedByTasks(tx.c, config.role);
    if (!force && !allocator.withinLimits(q.limits, consumed)) {
      return tx.effect(
        reply(
          e.request,
          400,
          `Invalid QuotaConfig: Role '${config.role}' is already consuming '${printQuantities(consumed)}'; this is more than the requested limits '${printQuantities(q.limits)}' (use 'force' flag to bypass this check)`,
        ),
      );
    }
  }
  // Overcommit: the top-level guarantees (all roles here are top-level) must fit the registered agents.
  const after: Record<string, allocator.Quota> = { ...(tx.c.allocator.quotas ?? {}) };
  for (const config of configs) after[config.role] = toQuota(config);
  let guarantees: Quantities = {};
  for (const q of Object.values(after)) guarantees = addQuantities(guarantees, q.guarantees);
  let capacity: Quantities = {};
  for (const [, a] of sortedEntries(tx.c.agents)) if (!a.recovered) capacity = addQuantities(capacity, scalarQuantities(a.total));
  if (!force && !quantitiesContain(capacity, guarantees)) {
    return tx.effect(
      reply(
        e.request,
        400,
        `Invalid QuotaConfig: total quota guarantees '${printQuantities(guarantees)}' exceed cluster capacity '${printQuantities(capacity)}' (use 'force' flag to bypass this check)`,
      ),
    );
  }
  tx.registry((r) => {
    const quotas: Record<string, QuotaConfig> = { ...(r.quotas ?? {}) };
    for (const config of configs) {
      const q = toQuota(config);
      if (Object.keys(q.guarantees).length === 0 && Object.keys(q.limits).length === 0) delete quotas[config.role];
      else quotas[config.role] = canonicalConfig(config.role, q);
    }
    const { quotas: _old, ...rest } = r;
    return Object.keys(quotas).length
      ? {
          ...rest,
          quotas: Object.fromEntries(
            Object.keys(quotas)
              .sort()
              .map((k) => [k, quotas[k]!]),
          ),
        }
      : rest;
  });
  for (const config of configs) tx.allocator((a) => allocator.updateQuota(a, config.role, toQuota(config)));
  for (const config of configs) rescindForQuota(tx, config.role, toQuota(config));
  tx.effect(reply(e.request, 200));
}

/**
 * Mesos's best effort after a quota update: first the role's own offers while consumed plus
 * offered exceeds the limits, then other roles' offers until what was rescinded plus the role's
 * consumed and offered covers its guarantees.
 */
function rescindForQuota(tx: Tx, role: string, q: allocator.Quota): void {
  let consumedAndOffered = allocator.consumedQuota(tx.c.allocator, role);
  for (const [oid, o] of sortedEntries(tx.c.offers)) {
    if (allocator.withinLimits(q.limits, consumedAndOffered)) break;
    if (!inRole(o.role, role)) continue;
    consumedAndOffered = subtractQuantities(consumedAndOffered, scalarQuantities(o.resources));
    rescindOffer(tx, oid);
  }
  let rescinded: Quantities = {};
  for (const [oid, o] of sortedEntries(tx.c.offers)) {
    if (quantitiesContain(addQuantities(rescinded, consumedAndOffered), q.guarantees)) break;
    if (inRole(o.role, role)) continue;
    rescinded = addQuantities(rescinded, scalarQuantities(o.resources));
    rescindOffer(tx, oid);
  }
}
