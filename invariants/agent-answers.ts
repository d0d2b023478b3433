/**
 * The statuses the agent's executor API answers with (Http::executor in src/slave/http.cpp), in
 * Mesos's order, from what the agent knew before the call: an UPDATE that fails
 * validateExecutorCall is 400; any call but SUBSCRIBE while the agent recovers is 503; an unknown
 * framework or executor is 400; a token that names another executor 403; a call but SUBSCRIBE
 * from an executor that has not subscribed 403; else SUBSCRIBE 200 (its stream) and the rest 202.
 * A refusal's body is Mesos's text (a token refusal names the first claim that does not match).
 *
 * One row, restated from the agent's books and state, independent of the guards in
 * spec/machines/agent.ts, so a gate that refuses in the wrong order or with the wrong status is a
 * finding with its shortest trace.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent/types.ts';
import type { Emitted } from './world.ts';

const EXECUTOR_CALLS: ReadonlySet<string> = new Set(['SUBSCRIBE', 'UPDATE', 'MESSAGE']);

interface ExecutorCallSeen {
  readonly type: string;
  readonly framework_id?: { readonly value?: string };
  readonly executor_id?: { readonly value?: string };
  readonly principal?: { readonly fid?: string; readonly eid?: string };
  readonly update?: { readonly status?: { readonly uuid?: unknown; readonly source?: string; readonly state?: string; readonly executor_id?: { readonly value?: string } } };
}

/** validateExecutorCall's refusal of an UPDATE, as the reference words its checks in one message. */
const INVALID_UPDATE = "Failed to validate Executor::Call: 'update.status' must have a 'uuid', source SOURCE_EXECUTOR, a state other than TASK_STAGING and the call's executor id";

/** validateExecutorCall for an UPDATE: a status with a uuid, from the executor, past STAGING, naming the calling executor. */
function validUpdate(call: ExecutorCallSeen): boolean {
  const s = call.update?.status;
  if (s === undefined || typeof s.uuid !== 'string' || s.uuid === '') return false;
  if (s.source !== 'SOURCE_EXECUTOR' || s.state === 'TASK_STAGING') return false;
  return s.executor_id === undefined || s.executor_id.value === call.executor_id?.value;
}

/** The status Mesos answers `call` with, and its body (Http::executor's texts), given the agent's context and state before it. */
export function executorCallAnswer(agent: AgentContext, state: StateValue, call: ExecutorCallSeen): { readonly status: number; readonly message?: string } {
  if (call.type === 'UPDATE' && !validUpdate(call)) return { status: 400, message: INVALID_UPDATE };
  if (call.type !== 'SUBSCRIBE' && state === 'recovering') return { status: 503, message: 'Agent has not finished recovery' };
  const fid = call.framework_id?.value ?? '';
  const eid = call.executor_id?.value ?? '';
  const framework = agent.frameworks[fid];
  if (framework === undefined) return { status: 400, message: 'Framework cannot be found' };
  const executor = framework.executors[eid];
  if (executor === undefined) return { status: 400, message: 'Executor cannot be found' };
  const p = call.principal;
  if (p !== undefined && (p.fid !== fid || p.eid !== eid)) {
    // verifyExecutorClaims names the first claim that does not match the call.
    const [claim, id] = p.fid !== fid ? ['fid', `framework ID ${fid}`] : ['eid', `executor ID ${eid}`];
    const message = `Authenticated principal '{fid: ${p.fid ?? ''}, eid: ${p.eid ?? ''}}' does not contain an '${claim}' claim with the ${id}, which is set in the call`;
    return { status: 403, message };
  }
  if (call.type !== 'SUBSCRIBE' && executor.state === 'REGISTERING') return { status: 403, message: 'Executor is not subscribed' };
  return { status: call.type === 'SUBSCRIBE' ? 200 : 202 };
}

/** executorCallsAnswered == every executor call an agent takes gets one reply, with the status and the text Mesos gives. */
export function executorCallsAnswered(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], _after: unknown, state: StateValue): string | null {
  if (!EXECUTOR_CALLS.has(event.type)) return null;
  const replies = effects.filter((e) => e.type === 'reply');
  const expected = executorCallAnswer(before, state, event as ExecutorCallSeen);
  const who = `executor ${(event as ExecutorCallSeen).executor_id?.value ?? '?'}'s ${event.type}`;
  if (replies.length !== 1) return `${who} got ${replies.length} replies, not one ${expected.status}`;
  const [r] = replies;
  if (r!.status !== expected.status) return `${who} was answered ${String(r!.status)}, Mesos answers ${expected.status}`;
  if (r!.message !== expected.message) return `${who} was answered ${expected.status} '${String(r!.message ?? '')}', Mesos says '${expected.message ?? ''}'`;
  return null;
}
