/**
 * A framework's MESSAGE to one of its executors (Master::message): the master forwards it to the
 * named agent as FrameworkToExecutorMessage when that agent is connected, once, with the data as
 * sent; to an agent it does not have connected it is dropped (and counted invalid).
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import { gatePasses, type Emitted } from './answers.ts';

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
