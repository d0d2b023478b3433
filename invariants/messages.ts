/**
 * A framework's MESSAGE to one of its executors (Master::message): the master forwards it to the
 * named agent as FrameworkToExecutorMessage when that agent is connected, once, with the data as
 * sent; to an agent it does not have connected it is dropped (and counted invalid). The agent,
 * running, hands it to the executor as a MESSAGE event when both the framework and the executor
 * are running there, and drops it otherwise (Slave::schedulerMessage). The other way, an
 * executor's MESSAGE call the agent accepts goes to the master as ExecutorToFrameworkMessage,
 * once, when the agent is running and the framework is RUNNING on it (Slave::executorMessage).
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent/types.ts';
import { executorAddress } from '../spec/machines/agent/types.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import { gatePasses } from './answers.ts';
import { agentRunning, type Emitted } from './world.ts';

type Message = { agent_id: { value: string }; executor_id: { value: string }; data: string };

/** messagesForwarded == a MESSAGE past the gate reaches its connected agent once, unchanged, and nothing else. */
export function messagesForwarded(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  if (event.type !== 'MESSAGE' || gatePasses(before, event) === undefined) return null;
  const m = event.message as Message;
  const address = before.agents[m.agent_id.value]?.address ?? null;
  const forwards = effects.filter((e) => e.type === 'send' && (e.msg as AnyEventObject).type === 'FRAMEWORK_TO_EXECUTOR' && e.to !== null);
  if (address === null) return forwards.length === 0 ? null : `a MESSAGE for ${m.agent_id.value}, which the master has not connected, was forwarded`;
  if (forwards.length !== 1) return `a MESSAGE for executor ${m.executor_id.value} on ${m.agent_id.value} was forwarded ${forwards.length} times, not once`;
  const [f] = forwards;
  const sent = f!.msg as AnyEventObject & Message & { framework_id: { value: string } };
  const fid = (event.framework_id as { value: string }).value;
  if (f!.to !== address || sent.executor_id.value !== m.executor_id.value || sent.framework_id.value !== fid || sent.data !== m.data) {
    return `a MESSAGE for executor ${m.executor_id.value} on ${m.agent_id.value} went to ${String(f!.to)} as ${JSON.stringify({ executor_id: sent.executor_id, framework_id: sent.framework_id, data: sent.data })}`;
  }
  return null;
}

/**
 * messagesDelivered == a FRAMEWORK_TO_EXECUTOR a running agent takes reaches the executor once as
 * a MESSAGE with the data as sent, exactly when the framework and the executor are RUNNING on it.
 */
export function messagesDelivered(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], _after: unknown, state: StateValue): string | null {
  if (event.type !== 'FRAMEWORK_TO_EXECUTOR') return null;
  const m = event as AnyEventObject & Message & { framework_id: { value: string } };
  const fid = m.framework_id.value;
  const eid = m.executor_id.value;
  const fw = before.frameworks[fid];
  const running = agentRunning(state);
  const due = running && fw?.state === 'RUNNING' && fw.executors[eid]?.state === 'RUNNING';
  const delivered = effects.filter((e) => e.type === 'send' && (e.msg as AnyEventObject).type === 'MESSAGE');
  if (!due)
    return delivered.length === 0
      ? null
      : `a message for executor ${eid} of ${fid} was delivered, though ${running ? 'the executor or its framework is not running' : 'the agent is not running'}`;
  const address = executorAddress(before.self, fid, eid);
  const ok = delivered.length === 1 && delivered[0]!.to === address && (delivered[0]!.msg as { message?: { data?: string } }).message?.data === m.data;
  return ok ? null : `a message for executor ${eid} of ${fid}, running, was delivered ${delivered.length} times (once to ${address} with its data is due)`;
}

/**
 * executorMessagesForwarded == an executor's MESSAGE an agent accepts (202) goes to its master as
 * one EXECUTOR_TO_FRAMEWORK with the call's ids and data exactly when the agent is running and
 * the framework RUNNING on it, and is dropped otherwise.
 */
export function executorMessagesForwarded(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], _after: unknown, state: StateValue): string | null {
  if (event.type !== 'MESSAGE' || !effects.some((e) => e.type === 'reply' && e.status === 202)) return null;
  const fid = (event.framework_id as { value: string }).value;
  const eid = (event.executor_id as { value: string }).value;
  const data = (event.message as { data: string } | undefined)?.data;
  const running = agentRunning(state);
  const due = running && before.frameworks[fid]?.state === 'RUNNING';
  const forwards = effects.filter((e) => e.type === 'send' && (e.msg as AnyEventObject).type === 'EXECUTOR_TO_FRAMEWORK');
  if (!due)
    return forwards.length === 0
      ? null
      : `executor ${eid}'s message was forwarded, though ${running ? `framework ${fid} is not running on the agent` : 'the agent is not running'}`;
  const sent = forwards[0]?.msg as (AnyEventObject & { framework_id: { value: string }; executor_id: { value: string }; data: string }) | undefined;
  const ok = forwards.length === 1 && forwards[0]!.to === before.master && sent!.framework_id.value === fid && sent!.executor_id.value === eid && sent!.data === data;
  return ok ? null : `executor ${eid}'s message to ${fid} was forwarded ${forwards.length} times (once to ${before.master} with its data is due)`;
}

/**
 * shutdownsForwarded == a framework's SHUTDOWN of one of its executors, past the gate, reaches the
 * named agent once as SHUTDOWN_EXECUTOR with the executor and framework ids when the master has
 * that agent connected (Master::shutdown sends to a registered agent's pid; a disconnected one
 * has no link in the model, so nothing is sent, and an unknown one gets nothing in Mesos either).
 */
export function shutdownsForwarded(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  if (event.type !== 'SHUTDOWN' || gatePasses(before, event) === undefined) return null;
  const s = event.shutdown as { agent_id: { value: string }; executor_id: { value: string } };
  const fid = (event.framework_id as { value: string }).value;
  const address = before.agents[s.agent_id.value]?.address ?? null;
  const forwards = effects.filter((e) => e.type === 'send' && e.to !== null && (e.msg as AnyEventObject).type === 'SHUTDOWN_EXECUTOR');
  if (address === null) return forwards.length === 0 ? null : `a SHUTDOWN for ${s.agent_id.value}, which the master has not connected, was forwarded`;
  const sent = forwards[0]?.msg as (AnyEventObject & { executor_id: { value: string }; framework_id: { value: string } }) | undefined;
  const ok = forwards.length === 1 && forwards[0]!.to === address && sent!.executor_id.value === s.executor_id.value && sent!.framework_id.value === fid;
  return ok ? null : `a SHUTDOWN of executor ${s.executor_id.value} on ${s.agent_id.value} was forwarded ${forwards.length} times (once to ${address} is due)`;
}
