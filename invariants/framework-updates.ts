/**
 * Agents hear of a framework's changes (UpdateFrameworkMessage): when a framework the master has
 * subscribes again (Master::failoverFramework) and when an UPDATE_FRAMEWORK changes its
 * FrameworkInfo (Master::updateFramework), the master tells every agent it is connected to the
 * framework's FrameworkInfo as it now stands. An agent resends the framework's pending status
 * updates at once on it, and keeps the new FrameworkInfo (the role, the capabilities its updates
 * are shaped by); without it, the agent works from the old one until it reregisters.
 */
import type { AnyEventObject } from 'xstate';
import { sameJson } from '../spec/canonical.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { Emitted } from './world.ts';

/** The framework a step changed as agents must hear of, or undefined. */
function changedFramework(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | undefined {
  if (event.type === 'SUBSCRIBE') {
    const fid = (event.subscribe as { framework_info: { id?: { value: string } } }).framework_info.id?.value;
    const subscribed = effects.some((e) => e.type === 'send' && (e.msg as AnyEventObject | undefined)?.type === 'SUBSCRIBED');
    return subscribed && fid !== undefined && before.frameworks[fid] !== undefined ? fid : undefined;
  }
  if (event.type === 'UPDATE_FRAMEWORK' && effects.some((e) => e.type === 'reply' && e.status === 200)) return (event.framework_id as { value: string }).value;
  return undefined;
}

/** frameworkChangesToldToAgents == a resubscription or an accepted UPDATE_FRAMEWORK sends every connected agent one UpdateFrameworkMessage with the framework's FrameworkInfo as it now stands. */
export function frameworkChangesToldToAgents(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  const fid = changedFramework(before, event, effects);
  const info = fid === undefined ? undefined : after.frameworks[fid]?.info;
  if (fid === undefined || info === undefined) return null;
  for (const [aid, a] of Object.entries(before.agents)) {
    if (a.address === null) continue;
    const told = effects.filter((e) => {
      const msg = e.msg as { type?: string; framework_id?: { value: string } } | undefined;
      return e.type === 'send' && e.to === a.address && msg?.type === 'UPDATE_FRAMEWORK_AGENT' && msg.framework_id?.value === fid;
    });
    const what = event.type === 'SUBSCRIBE' ? 'resubscribed' : 'was updated';
    if (told.length !== 1) return `framework ${fid} ${what} and agent ${aid} was told ${told.length} times`;
    if (!sameJson((told[0]!.msg as { framework_info: unknown }).framework_info, info))
      return `framework ${fid} ${what} and agent ${aid} was told another FrameworkInfo than the master keeps`;
  }
  return null;
}
