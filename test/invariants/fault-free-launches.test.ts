/**
 * faultFreeLaunches: in a run without faults every polite framework gets to launch what it wants.
 * Its seeded bug is mutate's seed-24 survivor at master.ts:285: a master that allocates once and
 * never arms its next allocation. The framework that declined the first offer, or came second,
 * waits for ever in a world at rest; every other property held, as nothing was ever launched
 * for it to judge.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterAllocatingOnce } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'faultFreeLaunches',
  'a master that allocates only once',
  configs['polite-declines']!,
  { master: masterAllocatingOnce() },
  /no fault happened and the world is at rest, yet fw-1 never launched b1/,
  34,
);

test.run();
