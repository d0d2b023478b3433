/**
 * operationsAnswered: an offer operation that names an id is answered once. Its seeded bug is
 * mutate's seed-15 survivor at master/operations.ts:311: the answer to an operation the reference
 * does not carry out (GROW_VOLUME) deleted; here, a master that drops such operations unanswered.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, accept } = masterInternals;
type AcceptEvent = Parameters<typeof accept>[1];

caughtWithin(
  test,
  'operationsAnswered',
  'a master that drops a GROW_VOLUME unanswered',
  configs['refused-operations']!,
  {
    master: withMaster({
      accept: handler((tx, e: AcceptEvent) => accept(tx, { ...e, accept: { ...e.accept, operations: (e.accept.operations ?? []).filter((op) => op.type !== 'GROW_VOLUME') } })),
    }),
  },
  /operation grow asked for feedback once and was answered nothing/,
  8,
);

test.run();
