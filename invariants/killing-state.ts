/** TASK_KILLING_STATE: only a framework that declared it hears TASK_KILLING (reference 2.3). */
import type { TaskStatus } from '../spec/protocol/common.ts';
import type { WorldReader } from './world.ts';

/**
 * A framework without the TASK_KILLING_STATE capability is never sent TASK_KILLING, nor logs one:
 * the command executor announces a kill with TASK_KILLING only to frameworks that asked for it
 * (Mesos's `killingTaskStateSupported`), the others go straight from RUNNING to KILLED.
 */
export function killingOnlyWhenUnderstood(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    // The configured capability: a general framework keeps no FrameworkInfo of its own to read.
    if (w.layout.frameworkConfig[fw]?.taskKillingState) continue;
    for (const e of w.channel(w.layout.master, fw)) {
      const status = e.type === 'UPDATE' ? (e.update as { status: TaskStatus }).status : null;
      if (status?.state === 'TASK_KILLING') return `${fw}, without TASK_KILLING_STATE, is sent TASK_KILLING for ${status.task_id.value}`;
    }
    const s = w.scheduler(fw);
    for (const tid of Object.keys(s?.log ?? {}).sort()) {
      if (s!.log[tid]!.some((u) => u.state === 'TASK_KILLING')) return `${fw}, without TASK_KILLING_STATE, logged TASK_KILLING for ${tid}`;
    }
  }
  return null;
}
