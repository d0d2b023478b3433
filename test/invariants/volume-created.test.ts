/**
 * someVolumeCreated: where a framework reserves disk and creates a volume on it by ACCEPT, some
 * run ends with the volume made. Its seeded bug is the one mutate's seeds 2 and 3 both left alive
 * (master/operations.ts:88, the framework-role check of a RESERVE turned round): a master that
 * refuses a framework's valid reservation, so no volume is ever created and every safety
 * property still holds. The checker calls the configuration vacuous for it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import type { OfferOperation } from '../../spec/protocol/common.ts';
import { withMaster } from '../support/mutants.ts';
import { judged } from '../support/seeded-bugs.ts';

const { handler, accept } = masterInternals;

/** A master whose ACCEPT drops the framework's RESERVE operations (OPERATION_ERROR in Mesos's words: refused). */
const refusingReservations = withMaster({
  accept: handler<Parameters<typeof accept>[1]>((tx, e) =>
    accept(tx, { ...e, accept: { ...e.accept, operations: (e.accept.operations ?? []).filter((o: OfferOperation) => o.type !== 'RESERVE') } }),
  ),
});

for (const name of ['volumes', 'volumes-operator']) {
  test(`someVolumeCreated is reached in ${name}, and vacuous under a master that refuses framework reservations`, () => {
    assert.is(judged(configs[name]!, {}, 'someVolumeCreated').status, 'reachable');
    assert.is(judged(configs[name]!, { master: refusingReservations }, 'someVolumeCreated').status, 'vacuous');
  });
}

test.run();
