/**
 * offersOnlyOnConnectedAgents, with seed 32's survivor (stop 32) as its seeded bug: a master that
 * rescinds nothing when an agent's link breaks (master.ts:848 deleted rescindOffersOn), so a
 * framework may accept resources the master cannot launch on.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterKeepingOffersOfDisconnectedAgents } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'offersOnlyOnConnectedAgents',
  'a master that keeps the offers of an agent whose link broke',
  configs.default!,
  { master: masterKeepingOffersOfDisconnectedAgents() },
  /offer m-O0 is on agent m-S0, whose link is broken/,
  12,
);

test.run();
