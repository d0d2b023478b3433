/**
 * An agent told of a framework's change resends its pending status updates at once
 * (Slave::updateFramework: "Inform task status update manager to immediately resend any pending
 * updates", taskStatusUpdateManager->resume()): every stream's oldest unacknowledged update goes to
 * the master again in that step, not on the stream's retry timer. With a framework that failed
 * over, that is what brings its updates to its new subscription without waiting out a backoff.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent.ts';
import { agentRunning, type Emitted } from './world.ts';

/** pendingUpdatesResent == an UpdateFrameworkMessage a running agent takes for a framework running on it resends the head of every stream with a pending update, once. */
export function pendingUpdatesResent(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], _after: unknown, state: StateValue): string | null {
  if (event.type !== 'UPDATE_FRAMEWORK_AGENT' || !agentRunning(state)) return null;
  const fid = (event.framework_id as { value: string }).value;
  if (before.frameworks[fid]?.state !== 'RUNNING') return null;
  const sent = effects.flatMap((e) => {
    const msg = e.msg as { type?: string; update?: { uuid?: string } } | undefined;
    return e.type === 'send' && e.to === before.master && msg?.type === 'STATUS_UPDATE' ? [msg.update?.uuid] : [];
  });
  for (const [framework, streams] of Object.entries(before.streams)) {
    for (const [task, stream] of Object.entries(streams)) {
      const head = stream.pending[0];
      if (head === undefined) continue;
      const n = sent.filter((u) => u === head.uuid).length;
      if (n !== 1) return `told of framework ${fid}'s change, the agent resent task ${task}'s pending update (of ${framework}) ${n} times, not once`;
    }
  }
  return null;
}
