/**
 * A framework's failover timer (Master::_exited / disconnect: `failover_timeout` after its stream
 * breaks, then the framework is removed) runs only while the framework is in the books and
 * disconnected: a re-subscription cancels it (Master::failoverFramework), and so does its removal.
 */
import { armedFor, type WorldReader } from './world.ts';

/** failoverTimersOfDisconnected == ∀ fid: armed(master, FAILOVER_TIMEOUT(fid)) ⇒ fid ∈ frameworks ∧ frameworks[fid].connection = null. */
export function failoverTimersOfDisconnected(w: WorldReader): string | null {
  const m = w.master();
  const armed = armedFor(w, w.layout.master, 'FAILOVER_TIMEOUT', 'framework_id');
  if (m === null || armed === undefined) return null;
  for (const fid of armed) {
    const f = m.frameworks[fid];
    if (f === undefined) return `the failover timer of ${fid} runs on after the framework was removed`;
    if (f.connection !== null) return `the failover timer of ${fid} runs while the framework is subscribed`;
  }
  return null;
}
