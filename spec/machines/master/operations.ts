/**
 * The answer to an ACCEPT operation the reference master does not carry out (anything but
 * LAUNCH and LAUNCH_GROUP: RESERVE, UNRESERVE, CREATE, DESTROY, GROW_VOLUME, SHRINK_VOLUME,
 * CREATE_DISK, DESTROY_DISK, UNKNOWN). It is never skipped in silence: an operation with an
 * `id` asked for feedback, and gets OPERATION_ERROR as Mesos gives a failed operation
 * (Master::_accept); one without an id has no feedback channel in Mesos either, and its
 * resources simply stay in the offer's leftovers, which go back to the allocator.
 *
 * One function, one case per operation type, so an implementation of an operation replaces
 * its case and nothing else.
 */
import type { OfferOperation } from '../../protocol/common.ts';
import type { Tx } from './tx.ts';

export function answerUnimplemented(tx: Tx, fid: string, aid: string, op: OfferOperation): void {
  const type = op.type ?? 'UNKNOWN';
  const message = ((): string => {
    switch (type) {
      case 'RESERVE':
      case 'UNRESERVE':
      case 'CREATE':
      case 'DESTROY':
      case 'GROW_VOLUME':
      case 'SHRINK_VOLUME':
      case 'CREATE_DISK':
      case 'DESTROY_DISK':
        return `Operation ${type} is not supported by the reference master`;
      case 'UNKNOWN':
        return 'Unknown offer operation';
      case 'LAUNCH':
      case 'LAUNCH_GROUP':
        throw new Error(`answerUnimplemented: ${type} is implemented`);
    }
  })();
  if (op.id === undefined) return;
  const f = tx.c.frameworks[fid]!;
  tx.send(f.connection, {
    type: 'UPDATE_OPERATION_STATUS',
    update_operation_status: { status: { operation_id: op.id, state: 'OPERATION_ERROR', message, agent_id: { value: aid } } },
  });
}
