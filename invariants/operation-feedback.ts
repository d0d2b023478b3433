/**
 * Offer operations that ask for feedback (an `id`) are answered (Master::accept and _accept in
 * src/master/master.cpp): every RESERVE, UNRESERVE, CREATE, DESTROY, or an operation of a type the
 * master does not carry out, that names an id gets exactly one UPDATE_OPERATION_STATUS for it in
 * the step that takes the ACCEPT, whatever becomes of it (applied, refused, or its agent gone); an
 * operation without an id is answered nothing. LAUNCH and LAUNCH_GROUP may not have an id: their
 * tasks answer for them.
 */
import type { AnyEventObject } from 'xstate';
import type { MasterContext } from '../spec/machines/master.ts';
import type { OfferOperation } from '../spec/protocol/common.ts';
import { gatePasses } from './answers.ts';
import type { Emitted } from './world.ts';

/** An operation's final states in one step: what the reference's master answers at once. */
const ANSWERS = new Set(['OPERATION_FINISHED', 'OPERATION_ERROR', 'OPERATION_DROPPED']);

/** operationsAnswered == ∀ op ∈ ACCEPT.operations, type ∉ {LAUNCH, LAUNCH_GROUP}: #UPDATE_OPERATION_STATUS(op.id) = (op.id set ? 1 : 0), in a final state. */
export function operationsAnswered(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  if (event.type !== 'ACCEPT') return null;
  const f = gatePasses(before, event);
  if (f === undefined) return null;
  const operations = ((event.accept as { operations?: readonly OfferOperation[] } | undefined)?.operations ?? []).filter(
    (op) => op.type !== 'LAUNCH' && op.type !== 'LAUNCH_GROUP',
  );
  const asked = new Map<string, number>();
  for (const op of operations) if (op.id !== undefined) asked.set(op.id.value, (asked.get(op.id.value) ?? 0) + 1);
  const answered = new Map<string, string[]>();
  for (const e of effects) {
    const msg = e.msg as { type?: string; update_operation_status?: { status: { operation_id?: { value: string }; state: string } } } | undefined;
    if (e.type !== 'send' || msg?.type !== 'UPDATE_OPERATION_STATUS') continue;
    const status = msg.update_operation_status!.status;
    const id = status.operation_id?.value ?? '(none)';
    if (e.to !== f.connection) return `operation ${id}'s status went to ${String(e.to)}, not to its framework`;
    answered.set(id, [...(answered.get(id) ?? []), status.state]);
  }
  for (const [id, n] of asked) {
    const states = answered.get(id) ?? [];
    if (states.length !== n) return `operation ${id} asked for feedback ${n === 1 ? 'once' : `${n} times`} and was answered ${states.length === 0 ? 'nothing' : states.join(', ')}`;
    const odd = states.find((s) => !ANSWERS.has(s));
    if (odd !== undefined) return `operation ${id} was answered ${odd}, not a final state`;
  }
  for (const id of answered.keys()) if (!asked.has(id)) return `an ACCEPT answered operation ${id}, which none of its operations named`;
  return null;
}
