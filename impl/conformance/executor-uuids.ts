/**
 * An update's uuid is the one its executor made. A v1 executor sets `status.uuid` of each UPDATE
 * call and the agent keeps it (Mesos `Slave::statusUpdate`: the update is made from the
 * executor's status, uuid included; the agent acknowledges the executor by it, and a duplicate is
 * known by it after a restart). Uuids are variables bound on first sight, so a scenario cannot
 * see another uuid put in its place; the runner's own custom executor (examples/shell-executor.cjs)
 * says which uuid it made in the status's `data`, which the agent and the master forward
 * untouched, and the runner compares.
 */

/** What examples/shell-executor.cjs puts in each update's `data` (as text, before base64), followed by the update's uuid. */
export const EXECUTOR_UUID_LABEL = 'executor-uuid:';

/** Why an UPDATE event's uuid is not the one its executor says it made (null: it is, or the executor says nothing). */
export function restampedUpdate(fw: string, event: { type: string; [k: string]: unknown }): string | null {
  if (event.type !== 'UPDATE') return null;
  const status = (event.update as { status: { task_id: { value: string }; state: string; data?: string; uuid?: string } }).status;
  if (typeof status.data !== 'string') return null;
  const text = Buffer.from(status.data, 'base64').toString('utf8');
  if (!text.startsWith(EXECUTOR_UUID_LABEL)) return null;
  const made = text.slice(EXECUTOR_UUID_LABEL.length);
  if (status.uuid === made) return null;
  return `${fw} received task ${status.task_id.value}'s ${status.state} under uuid ${status.uuid ?? '(none)'}; its executor sent it as uuid ${made}: the agent must forward an executor's update under the executor's uuid`;
}
