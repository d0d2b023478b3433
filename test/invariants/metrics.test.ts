/**
 * messagesCounted: each status update, acknowledgement and framework message the master takes is
 * counted once, as valid or invalid. Mutate's seed-12 survivor at master.ts:531 deleted the count
 * of valid acknowledgements; its seeded bug here is a master that counts a valid one as invalid.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, acknowledge } = masterInternals;

caughtWithin(
  test,
  'messagesCounted',
  'a master that counts a valid acknowledgement as invalid too',
  configs.default!,
  {
    master: withMaster({
      acknowledge: handler<Parameters<typeof acknowledge>[1]>((tx, e) => {
        acknowledge(tx, e);
        tx.count('invalid_status_update_acknowledgements');
      }),
    }),
  },
  /ACKNOWLEDGE, taken by the master, was counted 2 times in valid_status_update_acknowledgements \/ invalid_status_update_acknowledgements/,
  12,
);

test.run();
