/**
 * Heartbeats (Master::subscribe starts the framework's Heartbeater, which sends one HEARTBEAT at
 * once and then one per `heartbeat_interval_seconds`): a scheduler that announced an interval in
 * SUBSCRIBED counts on a first HEARTBEAT to know its stream is alive, so it comes right behind.
 */
import type { WorldReader } from './world.ts';

/** heartbeatFollowsSubscribed == ∀ fw, i: chan[fw][i] = SUBSCRIBED(interval > 0) ⇒ chan[fw][i+1] = HEARTBEAT (both leave in one step, FIFO). */
export function heartbeatFollowsSubscribed(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    const events = w.channel(w.layout.master, fw);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.type !== 'SUBSCRIBED' || !((e.subscribed as { heartbeat_interval_seconds?: number } | undefined)?.heartbeat_interval_seconds ?? 0)) continue;
      const next = events[i + 1];
      if (next?.type !== 'HEARTBEAT') return `${fw} was sent SUBSCRIBED with a heartbeat interval, followed by ${next ? next.type : 'nothing'} instead of its first HEARTBEAT`;
    }
  }
  return null;
}
