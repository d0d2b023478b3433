/**
 * The statuses the agent's executor API answers with (Http::executor in src/slave/http.cpp), in
 * Mesos's order, from what the agent knew before the call: an UPDATE that fails
 * validateExecutorCall is 400; any call but SUBSCRIBE while the agent recovers is 503; an unknown
 * framework or executor is 400; a token that names another executor 403; a call but SUBSCRIBE
 * from an executor that has not subscribed 403; else SUBSCRIBE 200 (its stream) and the rest 202.
 *
 * One row, restated from the agent's books and state, independent of the guards in
 * spec/machines/agent.ts, so a gate that refuses in the wrong order or with the wrong status is a
 * finding with its shortest trace.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent/types.ts';
import type { Emitted } from './answers.ts';

const EXECUTOR_CALLS: ReadonlySet<string> = new Set(['SUBSCRIBE', 'UPDATE', 'MESSAGE']);

interface ExecutorCallSeen {
  readonly type: string;
  readonly framework_id?: { readonly value?: string };
  readonly executor_id?: { readonly value?: string };
  readonly principal?: { readonly fid?: string; readonly eid?: string };
  readonly update?: { readonly status?: { readonly uuid?: unknown; readonly source?: string; readonly state?: string; readonly executor_id?: { readonly value?: string } } };
}

/** validateExecutorCall for an UPDATE: a status with a uuid, from the executor, past STAGING, naming the calling executor. */
function validUpdate(call: ExecutorCallSeen): boolean {
  const s = call.update?.status;
  if (s === undefined || typeof s.uuid !== 'string' || s.uuid === '') return false;
  if (s.source !== 'SOURCE_EXECUTOR' || s.state === 'TASK_STAGING') return false;
  return s.executor_id === undefined || s.executor_id.value === call.executor_id?.value;
}

/** The one status Mesos answers `call` with, given the agent's context and state before it. */
export function executorCallStatus(agent: AgentContext, state: StateValue, call: ExecutorCallSeen): number {
  if (call.type === 'UPDATE' && !validUpdate(call)) return 400;
  if (call.type !== 'SUBSCRIBE' && state === 'recovering') return 503;
  const framework = agent.frameworks[call.framework_id?.value ?? ''];
  if (framework === undefined) return 400;
  const executor = framework.executors[call.executor_id?.value ?? ''];
  if (executor === undefined) return 400;
  const p = call.principal;
  if (p !== undefined && (p.fid !== call.framework_id?.value || p.eid !== call.executor_id?.value)) return 403;
  if (call.type !== 'SUBSCRIBE' && executor.state === 'REGISTERING') return 403;
  return call.type === 'SUBSCRIBE' ? 200 : 202;
}

/** executorCallsAnswered == every executor call an agent takes gets one reply, with the status Mesos gives. */
export function executorCallsAnswered(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], _after: unknown, state: StateValue): string | null {
  if (!EXECUTOR_CALLS.has(event.type)) return null;
  const statuses = effects.filter((e) => e.type === 'reply').map((e) => e.status as number);
  const expected = executorCallStatus(before, state, event as ExecutorCallSeen);
  const who = `executor ${(event as ExecutorCallSeen).executor_id?.value ?? '?'}'s ${event.type}`;
  if (statuses.length !== 1) return `${who} got ${statuses.length} replies, not one ${expected}`;
  return statuses[0] === expected ? null : `${who} was answered ${statuses[0]}, Mesos answers ${expected}`;
}
