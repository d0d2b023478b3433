/**
 * A check by withholding: the runner holds back the framework's ACKNOWLEDGE of a task's
 * non-terminal update for a while, and fails the scenario if the task's next update reaches the
 * framework before the ACKNOWLEDGE was sent.
 *
 * Mesos (src/slave/task_status_update_manager.cpp): the agent keeps one stream of reliable updates
 * per task and sends only the update at its front; the next goes out once the framework's
 * acknowledgement of the front one has come back through the master. So no reliable update of a
 * task with a new uuid can reach its framework while the framework still withholds the
 * acknowledgement of the previous one. (A retransmission has the same uuid, an update the master
 * makes has none: neither is judged.) A fault (an agent or master restart, a failover) may make a
 * new stream or leave the old one unacknowledged, so an update seen before a fault is not held
 * after it. The model has no time, so it allows any delay of a call: holding changes no path.
 */
import { isTerminal, type TaskState } from '../../spec/protocol/common.ts';

/** How long the runner holds each ACKNOWLEDGE it can judge by (RunOptions.holdAckMs). */
export const HOLD_ACK_MS = 300;

interface Seen {
  readonly fw: string;
  readonly task: string;
  readonly state: TaskState;
  /** How many faults had happened when it arrived. */
  readonly faults: number;
}

type UpdateEvent = { update: { status: { task_id: { value: string }; state: TaskState; uuid?: string } } };

export class HeldAcks {
  private faults = 0;
  /** Every reliable update the frameworks received, by uuid. */
  private readonly seen = new Map<string, Seen>();
  /** Uuids whose ACKNOWLEDGE went out. */
  private readonly acknowledged = new Set<string>();
  private held: { readonly fw: string; readonly task: string; readonly uuid: string; readonly since: number } | null = null;

  /** Judges an event `fw` received: why it breaks the held acknowledgement, or null. */
  onEvent(fw: string, event: { type: string; [k: string]: unknown }): string | null {
    if (event.type !== 'UPDATE') return null;
    const status = (event as unknown as UpdateEvent).update.status;
    const uuid = status.uuid;
    if (uuid === undefined) return null;
    const known = this.seen.has(uuid);
    if (!known) this.seen.set(uuid, { fw, task: status.task_id.value, state: status.state, faults: this.faults });
    const h = this.held;
    if (known || h === null || h.fw !== fw || h.task !== status.task_id.value || h.uuid === uuid) return null;
    return (
      `${fw} received task ${h.task}'s next update (${status.state}, uuid ${uuid}) ${((performance.now() - h.since) / 1000).toFixed(2)} s into withholding its ` +
      `ACKNOWLEDGE of uuid ${h.uuid}: an agent sends a task's next update only once the previous one is acknowledged`
    );
  }

  /** How long to hold `call` before sending it: `ms` for the ACKNOWLEDGE of a non-terminal update seen since the last fault, else 0. */
  holdFor(fw: string, call: { type: string; [k: string]: unknown }, ms: number): number {
    if (call.type !== 'ACKNOWLEDGE' || ms <= 0) return 0;
    const uuid = (call.acknowledge as { uuid?: string } | undefined)?.uuid;
    const u = uuid === undefined ? undefined : this.seen.get(uuid);
    if (!u || u.fw !== fw || isTerminal(u.state) || u.faults !== this.faults || this.acknowledged.has(uuid!)) return 0;
    return ms;
  }

  /** The runner starts holding `call` (an ACKNOWLEDGE holdFor gave time to). */
  hold(fw: string, call: { type: string; [k: string]: unknown }): void {
    const uuid = (call.acknowledge as { uuid: string }).uuid;
    this.held = { fw, task: this.seen.get(uuid)!.task, uuid, since: performance.now() };
  }

  /** `fw` sends `call` now (a held one included). */
  onCall(_fw: string, call: { type: string; [k: string]: unknown }): void {
    this.held = null;
    const uuid = call.type === 'ACKNOWLEDGE' ? (call.acknowledge as { uuid?: string } | undefined)?.uuid : undefined;
    if (uuid !== undefined) this.acknowledged.add(uuid);
  }

  onFault(): void {
    this.faults += 1;
  }
}
