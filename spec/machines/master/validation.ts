/**
 * What the master refuses in a FrameworkInfo, in Mesos's order and with its messages
 * (src/master/validation.cpp `framework::validate`, `validateUpdate`,
 * `validateSuppressedRoles`; src/common/roles.cpp `roles::validate`), and the task fields it
 * checks before a launch that the offer checks do not cover (`task::internal::validateKillPolicy`).
 *
 * A refusal is an answer (an ERROR event, a 400, a TASK_ERROR), never a throw: the allocator
 * below the master throws on a role it cannot hold, so nothing invalid may reach it.
 */
import type { FrameworkInfo, TaskInfo } from '../../protocol/common.ts';
import { validateId } from '../../protocol/validation.ts';
import { validateRole } from '../../resources/index.ts';
import { hasCapability } from './context.ts';

/** stout's `stringify(double)`: an ostream with its default precision of six digits. */
function cppDouble(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const exponent = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  const trim = (m: string) => (m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m);
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, e] = x.toExponential(5).split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    return `${trim(mantissa)}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return trim(x.toPrecision(6));
}

/** stout's `stringify(set<string>)`. */
const cppSet = (items: Iterable<string>): string => `{ ${[...new Set(items)].sort().join(', ')} }`;

/** The largest Duration Mesos can hold, in seconds (int64 nanoseconds). */
const MAX_DURATION_SECONDS = 9_223_372_036_854_775_807 / 1e9;

/** `validateRoles`: the right field for the capability, no duplicates, every role valid. */
function rolesError(info: FrameworkInfo): string | null {
  const multiRole = hasCapability(info, 'MULTI_ROLE');
  if (multiRole && info.role !== undefined) return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
  if (!multiRole && (info.roles ?? []).length > 0) return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable";
  if (multiRole) {
    const roles = info.roles ?? [];
    const duplicates = roles.filter((r, i) => roles.indexOf(r) !== i);
    if (duplicates.length > 0) return `'FrameworkInfo.roles' contains duplicate items: ${cppSet(duplicates)}`;
    for (const role of roles) {
      const error = validateRole(role);
      if (error !== null) return `'FrameworkInfo.roles' contains invalid role: ${error}`;
    }
    return null;
  }
  const error = validateRole(info.role ?? '*');
  return error === null ? null : `'FrameworkInfo.role' is not a valid role: ${error}`;
}

/** `framework::validate`: roles, id, failover timeout (offer filters are not modelled). */
export function frameworkInfoError(info: FrameworkInfo): string | null {
  const roles = rolesError(info);
  if (roles !== null) return roles;
  const id = info.id?.value ?? '';
  if (id !== '') {
    const error = validateId(id);
    if (error !== null) return error;
  }
  const timeout = info.failover_timeout ?? 0;
  if (!(Math.abs(timeout) <= MAX_DURATION_SECONDS)) return `The framework failover_timeout (${cppDouble(timeout)}) is invalid`;
  return null;
}

/** `validateSuppressedRoles`: a framework may only suppress roles it has. */
export function suppressedRolesError(roles: readonly string[], suppressed: readonly string[]): string | null {
  const stray = suppressed.filter((r) => !roles.includes(r));
  return stray.length === 0 ? null : `Suppressed roles ${cppSet(stray)} are not contained in the set of roles`;
}

/** `validateUpdate`: the principal, user and checkpoint of a framework never change. */
export function frameworkUpdateError(old: FrameworkInfo, next: FrameworkInfo): string | null {
  if (old.principal !== next.principal) return "Changing framework's principal is not allowed.";
  if (next.user !== old.user) return `Updating 'FrameworkInfo.user' is unsupported; attempted to update from '${old.user}' to '${next.user}'`;
  const was = old.checkpoint ?? false;
  const now = next.checkpoint ?? false;
  if (was !== now) return `Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from '${was}' to '${now}'`;
  return null;
}

/** `validateKillPolicy`: a negative grace period is refused (TASK_ERROR). */
export function killPolicyError(task: TaskInfo): string | null {
  const ns = task.kill_policy?.grace_period?.nanoseconds;
  return ns !== undefined && ns < 0 ? "Task's 'kill_policy.grace_period' must be non-negative" : null;
}
