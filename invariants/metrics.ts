/**
 * The master's metrics of what it takes from frameworks and agents (Master::Metrics, read at
 * /metrics/snapshot): every status update, acknowledgement and framework message it takes is
 * counted once, as valid or as invalid, and an acknowledgement or a message as valid only when
 * the agent it names is connected (Master::acknowledge and Master::message forward only then;
 * Mesos also counts some acknowledgements to a connected agent invalid, such as one for a task
 * with no update yet).
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

/** messagesCounted == a status update, or an accepted (202) acknowledgement or framework message, adds one to its valid or its invalid counter, valid only when a named agent is connected. */
export function messagesCounted(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  const pair = PAIRS[event.type];
  if (pair === undefined) return null;
  if (event.type !== 'STATUS_UPDATE' && !effects.some((e) => e.type === 'reply' && e.status === 202)) return null;
  const counted = effects.filter((e) => e.type === 'count' && pair.includes(String(e.counter))).map((e) => String(e.counter));
  if (counted.length !== 1) return `${event.type}, taken by the master, was counted ${counted.length} times in ${pair.join(' / ')}`;
  const aid = namedAgent(event);
  if (aid === undefined) return null;
  const connected = (before.agents[aid]?.address ?? null) !== null;
  return counted[0] === pair[0] && !connected ? `${event.type} naming agent ${aid}, not connected, was counted in ${counted[0]}` : null;
}

/**
 * agentRemovalsCounted == a step that records agents unreachable counts each as a removal for
 * `reason_unhealthy` (and as a recovery removal when it was only known from the registry), one
 * that drops an agent that unregistered counts it for `reason_unregistered`, and nothing else
 * counts a removal (Master::_markUnreachable, Master::_removeSlave).
 */
export function agentRemovalsCounted(before: MasterContext, _event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  const unhealthy = after.registry.unreachable.filter((aid) => !before.registry.unreachable.includes(aid));
  const unregistered = Object.keys(before.registry.admitted).filter(
    (aid) => after.registry.admitted[aid] === undefined && !after.registry.unreachable.includes(aid) && !after.registry.gone.includes(aid),
  );
  const expected: Readonly<Record<string, number>> = {
    slave_removals: unhealthy.length + unregistered.length,
    'slave_removals/reason_unhealthy': unhealthy.length,
    'slave_removals/reason_unregistered': unregistered.length,
    recovery_slave_removals: unhealthy.filter((aid) => before.agents[aid]?.recovered === true).length,
  };
  for (const [counter, n] of Object.entries(expected)) {
    const counted = effects.filter((e) => e.type === 'count' && e.counter === counter).length;
    if (counted !== n) return `${n} agent removal(s) for ${counter} in this step, counted ${counted}`;
  }
  return null;
}

/**
 * agentRegistrationsCounted == a REGISTER_AGENT that admits a new agent counts one
 * `slave_registrations`; a REREGISTER_AGENT answered for an agent the master did not hold as
 * registered (known only from the registry after a failover, unreachable, or unknown) counts one
 * `slave_reregistrations`, and one of a registered agent, connected or not, none
 * (Master::_registerSlave, Master::__reregisterSlave; Master::___reregisterSlave counts nothing);
 * no other step counts either.
 */
export function agentRegistrationsCounted(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  const admitted = event.type === 'REGISTER_AGENT' ? Object.keys(after.agents).filter((aid) => before.agents[aid] === undefined).length : 0;
  const aid = event.type === 'REREGISTER_AGENT' ? (event.agent_info as { id?: { value: string } } | undefined)?.id?.value : undefined;
  const answered = aid !== undefined && effects.some((e) => e.type === 'send' && (e.msg as AnyEventObject).type === 'AGENT_REREGISTERED');
  const held = aid !== undefined && before.agents[aid] !== undefined && !before.agents[aid]!.recovered;
  const expected: Readonly<Record<string, number>> = { slave_registrations: admitted, slave_reregistrations: answered && !held ? 1 : 0 };
  for (const [counter, n] of Object.entries(expected)) {
    const counted = effects.filter((e) => e.type === 'count' && e.counter === counter).length;
    if (counted !== n) return `${event.type}${aid ? ` of ${aid}` : ''}${held ? ', registered already,' : ''} should count ${counter} ${n} time(s), counted ${counted}`;
  }
  return null;
}
