/**
 * filtersExpire: every offer filter the allocator holds has its expiry armed. Its seeded bug is
 * mutate's seed-4 survivor at master.ts:1134: the FILTER_EXPIRED handler's call to the allocator
 * deleted, so a filter outlives its timer and the declined resources never come back.
 * filtersTimed: a filter lasts the call's refuse_seconds. Mutate's seed-15 survivor at
 * master.ts:319 armed it for 1.001 s a second; here, a master that keeps an ACCEPT's leftovers
 * twice as long as asked.
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
  'filtersExpire',
  'a master whose expired filters stay in the allocator',
  configs.declines!,
  { master: withMaster({ expireFilter: handler(() => {}) }) },
  /framework m-0000's filter \S+ on agent m-S0 for role \S+ has no expiry armed/,
  12,
);

caughtWithin(
  test,
  'filtersTimed',
  "a master that keeps an ACCEPT's leftovers twice as long as refuse_seconds says",
  configs.declines!,
  {
    master: withMaster({
      accept: handler((tx, e: AcceptEvent) => accept(tx, { ...e, accept: { ...e.accept, filters: { refuse_seconds: 2 * (e.accept.filters?.refuse_seconds ?? 5) } } })),
    }),
  },
  /an ACCEPT with refuse_seconds 5 armed filter filter:m-0000:\S+ for 10000 ms, Mesos keeps it 5000 ms/,
  8,
);

test.run();
