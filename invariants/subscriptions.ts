/**
 * Which SUBSCRIBE calls Mesos refuses (Master::subscribe and _subscribe; validation::framework::
 * validate, validateSuppressedRoles, validateUpdate in src/master/validation.cpp), restated from
 * the reference so the master's own validation (spec/machines/master/validation.ts) is judged,
 * not trusted: a refused SUBSCRIBE is answered ERROR, any other SUBSCRIBED.
 *
 * Refused: roles in the wrong field for the MULTI_ROLE capability, duplicate or invalid roles, an
 * invalid framework id, a failover_timeout no Duration holds, a framework already removed,
 * suppressed roles the framework does not have, and a known framework changing its principal.
 * (A known framework's user and checkpoint are kept silently; Mesos does not refuse them.) An
 * UPDATE_FRAMEWORK is refused (400) for the same FrameworkInfo checks, an id not the caller's, and
 * any change of principal, user or checkpoint; answeredCalls reads it (`mesosRefusesUpdate`).
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { FrameworkInfo } from '../spec/protocol/common.ts';
import { validateId } from '../spec/protocol/validation.ts';
import { validateRole } from '../spec/resources/index.ts';
import type { Emitted } from './world.ts';

/** int64 nanoseconds, in seconds: the longest Duration. */
const LONGEST_DURATION_S = 9_223_372_036.854775807;

/** validation::framework::validate: the roles in the field MULTI_ROLE names, distinct and valid; a valid id; a failover timeout a Duration holds. */
function infoInvalid(info: FrameworkInfo): boolean {
  const multiRole = (info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
  if (multiRole ? info.role !== undefined : (info.roles ?? []).length > 0) return true;
  const roles = rolesOf(info);
  if (new Set(roles).size !== roles.length || roles.some((r) => validateRole(r) !== null)) return true;
  if ((info.id?.value ?? '') !== '' && validateId(info.id!.value) !== null) return true;
  return !(Math.abs(info.failover_timeout ?? 0) <= LONGEST_DURATION_S);
}

/** A framework's roles: `roles` with the MULTI_ROLE capability, else its one `role` ('*' when unset). */
export const rolesOf = (info: FrameworkInfo): readonly string[] => ((info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE') ? (info.roles ?? []) : [info.role ?? '*']);

/** Whether Mesos refuses this SUBSCRIBE, given what the master knew. */
export function mesosRefuses(m: MasterContext, info: FrameworkInfo, frameworkId: string | undefined, suppressed: readonly string[]): boolean {
  if (infoInvalid(info)) return true;
  const roles = rolesOf(info);
  const fid = info.id?.value || frameworkId || undefined;
  if (fid !== undefined && m.completedFrameworks.includes(fid)) return true;
  if (suppressed.some((r) => !roles.includes(r))) return true;
  const old = fid === undefined ? undefined : m.frameworks[fid];
  return old !== undefined && old.info.principal !== info.principal;
}

/**
 * Whether Mesos refuses this UPDATE_FRAMEWORK of a subscribed framework (Master::updateFramework):
 * an id other than the caller's, an invalid FrameworkInfo, a changed principal, user or checkpoint
 * flag (validateUpdate), or suppressed roles the framework would not have.
 */
export function mesosRefusesUpdate(old: FrameworkInfo, fid: string, info: FrameworkInfo, suppressed: readonly string[]): boolean {
  if (info.id?.value !== undefined && info.id.value !== fid) return true;
  if (infoInvalid(info)) return true;
  if (old.principal !== info.principal || (old.user ?? '') !== (info.user ?? '') || (old.checkpoint ?? false) !== (info.checkpoint ?? false)) return true;
  return suppressed.some((r) => !rolesOf(info).includes(r));
}

/** subscriptionsJudged == a SUBSCRIBE is answered ERROR exactly when Mesos refuses it. */
export function subscriptionsJudged(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  if (event.type !== 'SUBSCRIBE') return null;
  const s = event.subscribe as { framework_info: FrameworkInfo; suppressed_roles?: readonly string[] };
  const refuse = mesosRefuses(before, s.framework_info, (event.framework_id as { value?: string } | undefined)?.value, s.suppressed_roles ?? []);
  const answer = effects.find((e) => e.type === 'send' && e.to === event.from && ['SUBSCRIBED', 'ERROR'].includes((e.msg as AnyEventObject).type));
  const got = (answer?.msg as AnyEventObject | undefined)?.type;
  if (got === undefined) return null; // answeredCalls judges a SUBSCRIBE left unanswered
  if (refuse && got === 'SUBSCRIBED') return `${event.from}'s SUBSCRIBE was accepted, but Mesos refuses it`;
  if (!refuse && got === 'ERROR')
    return `${event.from}'s SUBSCRIBE was refused (${String(((answer!.msg as AnyEventObject).error as { message?: string })?.message)}), but Mesos accepts it`;
  return null;
}
