/**
 * offersTimeOut: with --offer_timeout, the master's offer timeouts are armed for exactly its
 * outstanding offers. Its seeded bug is mutate's seed-10 survivor at master.ts:275: the call that
 * arms a new offer's timeout deleted, so an offer a framework forgets is never rescinded.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { offerTimerId } from '../../spec/machines/master/context.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, allocate } = masterInternals;

caughtWithin(
  test,
  'offersTimeOut',
  'a master that arms no timeout for its offers',
  configs.operators!,
  {
    master: withMaster({
      allocate: handler((tx) => {
        const before = new Set(Object.keys(tx.c.offers));
        allocate(tx);
        for (const id of Object.keys(tx.c.offers)) if (!before.has(id)) tx.cancel(offerTimerId(id));
      }),
    }),
  },
  /offer \S+ is outstanding with no OFFER_TIMEOUT armed \(--offer_timeout 30000 ms\)/,
  6,
);

test.run();
