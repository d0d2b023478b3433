/**
 * The master's metrics of what it takes from frameworks and agents (Master::Metrics, read at
 * /metrics/snapshot): every status update, acknowledgement and framework message it takes is
 * counted once, as valid or as invalid, and an acknowledgement or a message as valid exactly when
 * the agent it names is connected (Master::acknowledge and Master::message forward only then).
 * An operator who watches `master/invalid_status_update_acknowledgements` sees what was dropped.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { Emitted } from './world.ts';

/** The pair of counters each kind of message the master takes adds to. */
const PAIRS: Readonly<Record<string, readonly [string, string]>> = {
  STATUS_UPDATE: ['valid_status_updates', 'invalid_status_updates'],
  ACKNOWLEDGE: ['valid_status_update_acknowledgements', 'invalid_status_update_acknowledgements'],
  MESSAGE: ['valid_framework_to_executor_messages', 'invalid_framework_to_executor_messages'],
};

/** The agent id an acknowledgement or a framework message names. */
function namedAgent(event: AnyEventObject): string | undefined {
  if (event.type === 'ACKNOWLEDGE') return (event.acknowledge as { agent_id?: { value: string } } | undefined)?.agent_id?.value;
  if (event.type === 'MESSAGE') return (event.message as { agent_id?: { value: string } } | undefined)?.agent_id?.value;
  return undefined;
}

/** messagesCounted == a status update, or an accepted (202) acknowledgement or framework message, adds one to its valid or its invalid counter, valid exactly when a named agent is connected. */
export function messagesCounted(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  const pair = PAIRS[event.type];
  if (pair === undefined) return null;
  if (event.type !== 'STATUS_UPDATE' && !effects.some((e) => e.type === 'reply' && e.status === 202)) return null;
  const counted = effects.filter((e) => e.type === 'count' && pair.includes(String(e.counter))).map((e) => String(e.counter));
  if (counted.length !== 1) return `${event.type}, taken by the master, was counted ${counted.length} times in ${pair.join(' / ')}`;
  const aid = namedAgent(event);
  if (aid === undefined) return null;
  const valid = (before.agents[aid]?.address ?? null) !== null;
  return counted[0] === pair[valid ? 0 : 1] ? null : `${event.type} naming agent ${aid}, ${valid ? 'connected' : 'not connected'}, was counted in ${counted[0]}`;
}
