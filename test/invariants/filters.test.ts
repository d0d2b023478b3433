/**
 * filtersExpire: every offer filter the allocator holds has its expiry armed. Its seeded bug is
 * mutate's seed-4 survivor at master.ts:1134: the FILTER_EXPIRED handler's call to the allocator
 * deleted, so a filter outlives its timer and the declined resources never come back.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler } = masterInternals;

caughtWithin(
  test,
  'filtersExpire',
  'a master whose expired filters stay in the allocator',
  configs.declines!,
  { master: withMaster({ expireFilter: handler(() => {}) }) },
  /framework m-0000's filter \S+ on agent m-S0 for role \S+ has no expiry armed/,
  12,
);

test.run();
