/**
 * Every call the master receives gets exactly one answer, with the status Mesos gives
 * (reference 1.5, Master::Http::scheduler): a SUBSCRIBE its stream's first event (SUBSCRIBED,
 * or one ERROR and the stream closes); any other scheduler call one HTTP reply, 400 for an
 * unknown framework, 403 for one not subscribed, 400 for another stream (each with Mesos's
 * text), else 202 (for UPDATE_FRAMEWORK, answered synchronously, 400 exactly when Mesos's
 * rules restated in invariants/subscriptions.ts refuse it, else 200); an operator call the status its row in
 * invariants/operator-answers.ts gives (a valid UPDATE_QUOTA or UPDATE_WEIGHTS 200, an unknown
 * agent 400 or 404, ...).
 *
 * A property of a step, not of a state: the model's world judges every distinct master step
 * with it (System.audit), so a call left unanswered is a finding with its shortest trace.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import { SCHEDULER_CALL_TYPES } from '../spec/protocol/scheduler.ts';
import { answeredOperatorCall } from './operator-answers.ts';
import type { Emitted } from './world.ts';
import { mesosRefusesUpdate } from './subscriptions.ts';
import type { FrameworkInfo } from '../spec/protocol/common.ts';

const CALLS: ReadonlySet<string> = new Set(SCHEDULER_CALL_TYPES.filter((t) => t !== 'UNKNOWN' && t !== 'SUBSCRIBE'));

/** The framework whose call passes the master's gate (known, subscribed, on its own stream), or undefined. */
export function gatePasses(before: MasterContext, call: AnyEventObject): MasterContext['frameworks'][string] | undefined {
  const f = before.frameworks[(call.framework_id as { value?: string } | undefined)?.value ?? ''];
  return f !== undefined && f.connection !== null && f.stream === call.stream_id ? f : undefined;
}

/** The statuses Mesos may answer this call with, given what the master knew before it, and the gate's text for a refusal. */
function mesosAnswer(before: MasterContext, call: AnyEventObject): { readonly statuses: readonly number[]; readonly message?: string } {
  const fid = (call.framework_id as { value?: string } | undefined)?.value ?? '';
  const f = before.frameworks[fid];
  if (!f) return { statuses: [400], message: 'Framework cannot be found' };
  if (f.connection === null) return { statuses: [403], message: 'Framework is not subscribed' };
  if (f.stream !== call.stream_id) {
    // Master::Http::scheduler's two texts: no Mesos-Stream-Id header at all, or another stream's.
    const message =
      call.stream_id === undefined
        ? "All non-subscribe calls should include the 'Mesos-Stream-Id' header"
        : `The stream ID '${String(call.stream_id)}' included in this request didn't match the stream ID currently associated with framework ID ${fid}`;
    return { statuses: [400], message };
  }
  if (call.type !== 'UPDATE_FRAMEWORK') return { statuses: [202] };
  const u = call.update_framework as { framework_info: FrameworkInfo; suppressed_roles?: readonly string[] };
  return { statuses: mesosRefusesUpdate(f.info, fid, u.framework_info, u.suppressed_roles ?? []) ? [400] : [200] };
}

export function answeredCall(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  const replies = effects.filter((e) => e.type === 'reply');
  if (event.type === 'SUBSCRIBE') {
    const answers = effects.filter((e) => e.type === 'send' && e.to === event.from && ['SUBSCRIBED', 'ERROR'].includes((e.msg as AnyEventObject).type));
    if (answers.length !== 1 || replies.length !== 0)
      return `SUBSCRIBE from ${event.from} got ${answers.length} stream answers and ${replies.length} replies, not one SUBSCRIBED or ERROR`;
    const [answer] = answers;
    if ((answer!.msg as AnyEventObject).type === 'ERROR' && answer!.close !== true) return `SUBSCRIBE from ${event.from} was refused without closing its stream`;
    return null;
  }
  const operator = answeredOperatorCall(
    before,
    event,
    replies.map((r) => r.status as number),
  );
  if (operator !== undefined) return operator;
  if (!CALLS.has(event.type)) return null;
  const { statuses: allowed, message } = mesosAnswer(before, event);
  if (replies.length !== 1) return `${event.type} from ${event.from} got ${replies.length} replies, not one (${allowed.join(' or ')})`;
  const status = replies[0]!.status as number;
  if (!allowed.includes(status)) return `${event.type} from ${event.from} was answered ${status}, Mesos answers ${allowed.join(' or ')}`;
  if (message !== undefined && replies[0]!.message !== message)
    return `${event.type} from ${event.from} was answered ${status} '${String(replies[0]!.message ?? '')}', Mesos says '${message}'`;
  return null;
}

/**
 * Every answer says what it means: a refusal (4xx, 5xx) carries the reason Mesos writes in its
 * body, and a success carries no error text (Mesos's OK and Accepted have empty bodies). Judged
 * on the steps of every machine that answers requests (the master's calls, the agent's executor
 * API), so a reply that lost its message, or an error text on a success, is a finding.
 */
export function repliesSayWhy(_before: unknown, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  for (const e of effects) {
    if (e.type !== 'reply') continue;
    const status = e.status as number;
    const message = e.message as string | undefined;
    if (status >= 400 && (typeof message !== 'string' || message.length === 0)) return `${event.type} was refused ${status} without saying why`;
    if (status < 400 && message !== undefined) return `${event.type} was answered ${status} with the error text '${message}'`;
  }
  return null;
}
