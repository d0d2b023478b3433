/**
 * The master keeps each task's status history as Mesos does (Master::updateTask): a status
 * the master takes is appended to the task's `statuses`, in place of the last one when it
 * repeats that one's state, and the rest of the history stays. The operator API's GET_TASKS and
 * GET_STATE, and the web UI's task page, show that history.
 *
 * A property of every distinct master step. A reregistration is left out: the returning
 * agent's report describes its tasks afresh, statuses included (Master::___reregisterSlave).
 */
import type { AnyEventObject } from 'xstate';
import { sameJson } from '../spec/canonical.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { Emitted } from './world.ts';

type History = readonly { readonly state: string }[];

/** The history of every task the master books, by `framework/task`. */
function histories(m: MasterContext): Map<string, History> {
  const out = new Map<string, History>();
  for (const [fid, f] of Object.entries(m.frameworks)) {
    for (const [tid, r] of [...Object.entries(f.tasks), ...Object.entries(f.unreachable)]) out.set(`${fid}/${tid}`, r.task.statuses ?? []);
  }
  return out;
}

const states = (h: History) => h.map((s) => s.state).join(', ') || 'none';

/** taskStatusesAppended == a booked task's history after a step is the one before, with at most one status appended or replacing a last one of its state. */
export function taskStatusesAppended(before: MasterContext, event: AnyEventObject, _effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type === 'REREGISTER_AGENT') return null;
  const now = histories(after);
  for (const [key, was] of histories(before)) {
    const is = now.get(key);
    if (is === undefined || sameJson(is, was)) continue;
    const kept =
      is.length === was.length + 1 ? was.length : is.length === was.length && is.length > 0 && is[is.length - 1]!.state === was[was.length - 1]!.state ? was.length - 1 : -1;
    const prefixKept = kept >= 0 && was.slice(0, kept).every((s, i) => sameJson(s, is[i]));
    const repeats = is.length > 1 && is[is.length - 1]!.state === is[is.length - 2]!.state;
    if (!prefixKept || repeats)
      return `task ${key}'s statuses were ${states(was)} and are ${states(is)} after ${event.type}: a status is appended, or replaces a last one of its state`;
  }
  return null;
}
