/**
 * What each task of an ACCEPT's LAUNCH becomes, restated from Mesos's task validation
 * (task::internal::validateTask in src/master/validation.cpp, and the resource check of
 * Master::_accept), independent of spec/machines/master.ts: a task Mesos refuses is answered
 * TASK_ERROR with REASON_TASK_INVALID and the message validation gives; a task it accepts is sent
 * to its agent and never answered TASK_ERROR. Only command tasks are judged, on ACCEPTs of LAUNCHes
 * alone on offers the framework holds on a connected agent: an executor's checks and what
 * conversions leave of the offers are not restated, so judging stops at the first task they
 * would decide. An ACCEPT whose offers are invalid (Master::accept's validation of the offer ids)
 * launches nothing and returns the named offers the framework still held.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { OfferOperation, TaskInfo, TaskStatus } from '../spec/protocol/common.ts';
import { add, clearAllocationRole, contains, EMPTY, fromWire, isEmpty, subtract, type Resources } from '../spec/resources/index.ts';
import { validateId } from '../spec/protocol/validation.ts';
import { gatePasses } from './answers.ts';
import type { Emitted } from './world.ts';

/** The beginning of Mesos's message for a task that needs more than the offers hold (the rest names both, as Mesos prints resources). */
const TOO_MUCH = 'Total resources ';
/** Messages judged by their beginning only: the rest is a resource parser's or printer's text. */
const PREFIXES: readonly string[] = ['Task uses invalid resources: ', TOO_MUCH];

/** Why validation refuses a command task (its message, or one of PREFIXES), or null; undefined when this table does not decide. */
function launchRefusal(f: MasterContext['frameworks'][string], launched: ReadonlySet<string>, task: TaskInfo, agentId: string, remaining: Resources): string | null | undefined {
  const id = task.task_id.value;
  const invalidId = validateId(id);
  if (invalidId !== null) return invalidId;
  if (f.tasks[id] !== undefined || launched.has(id)) return `Task has duplicate ID: ${id}`;
  if (f.unreachable[id] !== undefined) return `Task reuses the ID of an unreachable task: ${id}`;
  if (task.agent_id.value !== agentId) return `Task uses invalid agent ${task.agent_id.value} while agent ${agentId} is expected`;
  const grace = task.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined && grace < 0) return "Task's 'kill_policy.grace_period' must be non-negative";
  if ((task.resources ?? []).length === 0) return 'Task uses no resources';
  const used = fromWire(task.resources ?? []);
  if (!used.ok) return 'Task uses invalid resources: ';
  if (task.executor !== undefined) return undefined;
  if (task.command === undefined) return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
  // Scalars in Mesos's fixed point: a task of 0.0004 cpus uses nothing.
  if (isEmpty(used.value)) return 'Task uses no resources';
  if (!contains(remaining, clearAllocationRole(used.value))) return TOO_MUCH;
  return null;
}

/** launchesJudged == each command task of an ACCEPT is answered TASK_ERROR exactly when Mesos's validation refuses it, with its message. */
export function launchesJudged(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  if (event.type !== 'ACCEPT') return null;
  const f = gatePasses(before, event);
  const fid = (event.framework_id as { value: string }).value;
  const accept = event.accept as { offer_ids?: readonly { value: string }[]; operations?: readonly OfferOperation[] } | undefined;
  const offerIds = (accept?.offer_ids ?? []).map((o) => o.value);
  // Invalid offers: invalidOffersReturned judges that ACCEPT.
  if (f === undefined || offersRefusal(before, fid, offerIds) !== null) return null;
  const offers = offerIds.map((id) => before.offers[id]!);
  const agentId = offers[0]!.agent_id;
  const agent = before.agents[agentId];
  const operations = accept?.operations ?? [];
  if (agent === undefined || agent.address === null || operations.some((op) => op.type !== 'LAUNCH')) return null;
  const unauthorized = (event.unauthorized ?? {}) as Readonly<Record<string, string>>;

  // Per task id, in the order the master sent them: its TASK_ERROR messages, and its RUN_TASKs.
  const errors = new Map<string, string[]>();
  const runs = new Map<string, number>();
  for (const e of effects) {
    const msg = e.msg as { type?: string; update?: { status?: TaskStatus }; task?: TaskInfo } | undefined;
    if (e.type !== 'send' || msg === undefined) continue;
    const status = msg.update?.status;
    if (msg.type === 'UPDATE' && status?.state === 'TASK_ERROR' && status.reason === 'REASON_TASK_INVALID')
      errors.set(status.task_id.value, [...(errors.get(status.task_id.value) ?? []), status.message ?? '']);
    if (msg.type === 'RUN_TASK' && e.to === agent.address && msg.task !== undefined) runs.set(msg.task.task_id.value, (runs.get(msg.task.task_id.value) ?? 0) + 1);
  }

  // What Mesos makes of each task, in order; what is left of the offers, roles aside (as Mesos compares them).
  const expected = new Map<string, { errors: string[]; runs: number }>();
  let remaining = clearAllocationRole(offers.reduce<Resources>((acc, o) => add(acc, o.resources), EMPTY));
  const launched = new Set<string>();
  for (const op of operations) {
    for (const task of op.launch?.task_infos ?? []) {
      const id = task.task_id.value;
      if (unauthorized[id] !== undefined) continue;
      const why = op.id !== undefined ? 'The `id` field cannot be set on LAUNCH operations' : launchRefusal(f, launched, task, agentId, remaining);
      if (why === undefined) return null;
      const e = expected.get(id) ?? { errors: [], runs: 0 };
      expected.set(id, e);
      if (why !== null) {
        e.errors.push(why);
        continue;
      }
      e.runs++;
      launched.add(id);
      const used = fromWire(task.resources ?? []);
      if (used.ok) remaining = subtract(remaining, clearAllocationRole(used.value));
    }
  }
  for (const [id, e] of expected) {
    const said = errors.get(id) ?? [];
    for (let i = 0; i < Math.max(e.errors.length, said.length); i++) {
      const why = e.errors[i];
      const got = said[i];
      if (why === undefined) return `task ${id} of ${fid} is valid, and was answered TASK_ERROR "${got}"`;
      const exact = !PREFIXES.includes(why);
      if (got === undefined || (exact ? got !== why : !got.startsWith(why)))
        return `task ${id} of ${fid}: Mesos answers TASK_ERROR "${why}${exact ? '' : '...'}", the master ${got === undefined ? 'did not' : `said "${got}"`}`;
    }
    if ((runs.get(id) ?? 0) !== e.runs) return `task ${id} of ${fid}: ${e.runs} valid, ${runs.get(id) ?? 0} RUN_TASK sent to ${agent.address}`;
  }
  return null;
}

/** Why Mesos refuses the offers of an ACCEPT (validation::offer::validate), or null. */
function offersRefusal(before: MasterContext, fid: string, ids: readonly string[]): string | null {
  if (ids.length === 0) return 'no offers';
  if (new Set(ids).size !== ids.length) return 'an offer named twice';
  const offers = ids.map((id) => before.offers[id]);
  if (offers.some((o) => o === undefined)) return 'an offer no longer valid';
  if (offers.some((o) => o!.framework_id !== fid)) return "another framework's offer";
  if (new Set(offers.map((o) => o!.role)).size > 1) return 'offers of two roles';
  if (new Set(offers.map((o) => o!.agent_id)).size > 1) return 'offers of two agents';
  return null;
}

/** invalidOffersReturned == an ACCEPT on invalid offers launches nothing, returns the named offers its framework held, and leaves other frameworks' alone. */
export function invalidOffersReturned(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'ACCEPT' || gatePasses(before, event) === undefined) return null;
  const fid = (event.framework_id as { value: string }).value;
  const ids = ((event.accept as { offer_ids?: readonly { value: string }[] } | undefined)?.offer_ids ?? []).map((o) => o.value);
  const why = offersRefusal(before, fid, ids);
  if (why === null) return null;
  if (effects.some((e) => e.type === 'send' && (e.msg as AnyEventObject).type === 'RUN_TASK')) return `an ACCEPT on ${why} launched a task`;
  for (const id of ids) {
    const o = before.offers[id];
    if (o === undefined) continue;
    if (o.framework_id === fid && after.offers[id] !== undefined) return `an ACCEPT on ${why} kept offer ${id} of its framework outstanding`;
    if (o.framework_id !== fid && after.offers[id] === undefined) return `an ACCEPT on ${why} took offer ${id} of framework ${o.framework_id}`;
  }
  return null;
}

/**
 * launchExecutorAsBooked == every RUN_TASK the master sends says launch_executor: true for a
 * command task (its command executor is new by definition) and, for a task with its own executor,
 * exactly when the master booked that executor on the agent neither before the step nor for an
 * earlier task of it (Master::_accept: the agent launches the executor only when told to, and
 * tells the master when one it was told to launch never ran).
 */
export function launchExecutorAsBooked(before: MasterContext, _event: AnyEventObject, effects: readonly Emitted[]): string | null {
  const launched = new Set<string>();
  for (const e of effects) {
    const msg = e.msg as { type?: string; framework?: { id?: { value: string } }; task?: TaskInfo; launch_executor?: boolean } | undefined;
    if (e.type !== 'send' || msg?.type !== 'RUN_TASK' || !msg.task) continue;
    const t = msg.task;
    const fid = msg.framework?.id?.value ?? '';
    const key = t.executor === undefined ? '' : `${fid}/${t.agent_id.value}/${t.executor.executor_id.value}`;
    const booked = t.executor !== undefined && (before.frameworks[fid]?.executors?.[t.agent_id.value]?.[t.executor.executor_id.value] !== undefined || launched.has(key));
    launched.add(key);
    const due = t.executor === undefined ? true : !booked;
    if (msg.launch_executor !== due) {
      return `RUN_TASK of ${t.task_id.value} says launch_executor ${String(msg.launch_executor)}; ${t.executor === undefined ? 'a command task' : `executor ${t.executor.executor_id.value}, ${booked ? 'already' : 'not'} booked on ${t.agent_id.value},`} is due ${String(due)}`;
    }
  }
  return null;
}
