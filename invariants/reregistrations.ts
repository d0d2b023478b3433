/**
 * How the master answers an agent that comes back (Master::reregisterSlave and _reregisterSlave),
 * as the model states it: an agent marked gone, or another host claiming a booked agent's id, is
 * told to shut down; any other agent is readmitted on the link it called from (and, if a drain
 * with mark_gone has nothing left on it, marked gone at once). Where Mesos compares the claimant's
 * pid and IP, the model has only links: a claim on an id whose agent is still connected on another
 * link is ignored (a restarted agent retries once the old link broke), which stands for Mesos
 * ignoring a reregistration while one is in progress. A master that ignores a returning agent
 * leaves it retrying for ever: a run that never settles, which no property judged at quiescence
 * sees.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { Emitted } from './world.ts';

/** reregistrationsAnswered == every REREGISTER_AGENT a master without agent authentication takes is answered by the rules above. */
export function reregistrationsAnswered(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'REREGISTER_AGENT' || before.flags.authenticateAgents) return null;
  const info = event.agent_info as { id?: { value: string }; hostname?: string };
  const aid = info.id?.value;
  if (aid === undefined) return null;
  const from = event.from as string;
  const sent = (type: string) => effects.some((e) => e.type === 'send' && e.to === from && (e.msg as AnyEventObject).type === type);
  const known = before.agents[aid];
  if (before.registry.gone.includes(aid) || (known !== undefined && known.info.hostname !== info.hostname)) {
    return sent('SHUTDOWN_AGENT') && !sent('AGENT_REREGISTERED') ? null : `agent ${aid} (${from}) is gone or another host's, and was not told to shut down`;
  }
  if (known !== undefined && known.address !== null && known.address !== from) {
    return sent('AGENT_REREGISTERED') ? `${from} took over agent ${aid}, connected on ${known.address}` : null;
  }
  if (!sent('AGENT_REREGISTERED')) return `agent ${aid} came back on ${from} and was not answered AGENT_REREGISTERED`;
  // A drain with mark_gone may end at once, the agent having nothing left to drain (resumeDrain).
  if (after.registry.gone.includes(aid)) return null;
  return after.agents[aid]?.address === from
    ? null
    : `agent ${aid} was answered AGENT_REREGISTERED, but the master books it on ${after.agents[aid]?.address ?? 'nothing'}, not ${from}`;
}
