/**
 * A framework's failover timer (Master::_exited / disconnect: `failover_timeout` after its stream
 * breaks, then the framework is removed) runs only while the framework is in the books and
 * disconnected: a re-subscription cancels it (Master::failoverFramework), and so does its removal.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import { gatePasses } from './answers.ts';
import { armedFor, type Emitted, type WorldReader } from './world.ts';

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

/**
 * frameworksRemovedWhenDue == a framework leaves the master's books only by a TEARDOWN (its own,
 * past the gate, or an operator's), its failover timer, or losing its connection with no failover
 * time (failover_timeout 0: Master::_exited removes it at once); and one that loses its connection
 * with no failover time is removed in that step, not on a timer.
 */
export function frameworksRemovedWhenDue(before: MasterContext, event: AnyEventObject, _effects: readonly Emitted[], after: MasterContext): string | null {
  for (const [fid, f] of Object.entries(before.frameworks)) {
    const noFailoverTime = Math.round((f.info.failover_timeout ?? 0) * 1000) <= 0;
    const later = after.frameworks[fid];
    const disconnected = f.connection !== null && (later === undefined || later.connection === null);
    if (later !== undefined) {
      if (disconnected && noFailoverTime) return `framework ${fid}, whose failover_timeout is ${f.info.failover_timeout ?? 0}, lost its connection and stays in the books`;
      continue;
    }
    if (event.type === 'TEARDOWN' && (event.framework_id as { value?: string } | undefined)?.value === fid && gatePasses(before, event) !== undefined) continue;
    if ((event.type === 'OPERATOR_TEARDOWN' || event.type === 'FAILOVER_TIMEOUT') && event.framework_id === fid) continue;
    if (disconnected && noFailoverTime) continue;
    return `framework ${fid} (failover_timeout ${f.info.failover_timeout ?? 0}) was removed by a step of ${event.type}`;
  }
  return null;
}
