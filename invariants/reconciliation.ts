/**
 * Reconciliation answers (Master::reconcile in src/master/master.cpp; reference, "Task
 * reconciliation"): a framework asks the master what it knows of its tasks, and the master answers
 * from its books alone, with REASON_RECONCILIATION.
 *
 * - Implicit (no task named): one answer per task the master books for the framework.
 * - Explicit: one answer per named task the master books; for a task it does not book, the
 *   answer says what it knows of the named agent: still registered TASK_GONE (the agent would have
 *   reported it), recorded unreachable TASK_UNREACHABLE, marked gone TASK_GONE_BY_OPERATOR, never
 *   heard of TASK_UNKNOWN; no answer while that agent (or, with no agent named, any agent) is
 *   recovered from the registry and not yet reregistered. A framework without PARTITION_AWARE
 *   gets TASK_LOST in place of each of those four.
 *
 * A property of the step that takes the call, judged on every distinct master step.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { TaskState } from '../spec/protocol/common.ts';
import { gatePasses } from './answers.ts';
import type { Emitted } from './world.ts';

type Query = { task_id: { value: string }; agent_id?: { value: string } };
type Answer = { task_id: { value: string }; state: TaskState; reason?: string };

/** The answer Mesos gives for a task the master does not book, or null for none yet. */
function unbookedAnswer(m: MasterContext, partitionAware: boolean, q: Query): TaskState | null {
  const aid = q.agent_id?.value;
  const waiting = aid !== undefined ? m.agents[aid]?.recovered === true : Object.values(m.agents).some((a) => a.recovered);
  if (waiting) return null;
  let precise: TaskState = 'TASK_UNKNOWN';
  if (aid !== undefined && m.agents[aid] !== undefined) precise = 'TASK_GONE';
  else if (aid !== undefined && m.registry.unreachable.includes(aid)) precise = 'TASK_UNREACHABLE';
  else if (aid !== undefined && m.registry.gone.includes(aid)) precise = 'TASK_GONE_BY_OPERATOR';
  return partitionAware ? precise : 'TASK_LOST';
}

export function reconciliationAnswered(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  if (event.type !== 'RECONCILE') return null;
  const fid = (event.framework_id as { value?: string } | undefined)?.value ?? '';
  const f = gatePasses(before, event);
  // Refused at the gate (answeredCalls judges the refusal): nothing is reconciled.
  if (f === undefined) return null;
  const answers = effects.flatMap((e) => {
    const status =
      e.type === 'send' && e.to === f.connection && (e.msg as AnyEventObject).type === 'UPDATE' ? ((e.msg as AnyEventObject).update as { status: Answer }).status : null;
    return status !== null && status.reason === 'REASON_RECONCILIATION' ? [status] : [];
  });
  const queries = ((event.reconcile as { tasks?: readonly Query[] } | undefined)?.tasks ?? []) as readonly Query[];
  const partitionAware = (f.info.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE');
  const expected = new Map<string, TaskState | 'booked' | null>();
  if (queries.length === 0) for (const tid of Object.keys(f.tasks)) expected.set(tid, 'booked');
  for (const q of queries) expected.set(q.task_id.value, f.tasks[q.task_id.value] !== undefined ? 'booked' : unbookedAnswer(before, partitionAware, q));
  for (const a of answers) {
    const tid = a.task_id.value;
    if (!expected.has(tid)) return `${fid}'s reconciliation was answered for ${tid}, which it neither named nor has`;
    const want = expected.get(tid);
    if (want === null) return `${fid}'s reconciliation of ${tid} was answered ${a.state} while its agent is still to reregister`;
    if (want !== 'booked' && a.state !== want) return `${fid}'s reconciliation of ${tid}, which the master does not book, was answered ${a.state}; Mesos answers ${want}`;
  }
  for (const [tid, want] of expected) {
    const n = answers.filter((a) => a.task_id.value === tid).length;
    if (want !== null && n !== 1) return `${fid}'s reconciliation of ${tid} got ${n} answers, not one`;
  }
  return null;
}
