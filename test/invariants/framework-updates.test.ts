/**
 * frameworkChangesToldToAgents: a resubscription or an accepted UPDATE_FRAMEWORK is told to every
 * connected agent. Its seeded bug is mutate's seed-17 survivor at master.ts:178: a failed-over
 * framework's UpdateFrameworkMessage to its agents deleted (the agents' retries hid it from every
 * property); here, a master whose SUBSCRIBE sends none.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { dropSends, withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, subscribe } = masterInternals;
type SubscribeEvent = Parameters<typeof subscribe>[1];

caughtWithin(
  test,
  'frameworkChangesToldToAgents',
  'a master that tells no agent of a resubscription',
  configs.default!,
  {
    master: withMaster({
      subscribe: handler((tx, e: SubscribeEvent) => {
        subscribe(tx, e);
        dropSends(tx.steps, 'UPDATE_FRAMEWORK_AGENT');
      }),
    }),
  },
  /framework m-0000 resubscribed and agent m-S0 was told 0 times/,
  6,
);

test.run();
