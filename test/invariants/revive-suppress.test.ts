/**
 * revivesAndSuppressionsAsAsked: a REVIVE or SUPPRESS acts on the roles it names. Its seeded bug is
 * mutate's seed-18 survivor at master.ts:1123, which revived every role when the call named some;
 * here, a master that does exactly that, caught on revive-one-role (a framework of two roles).
 */
import { test } from 'uvu';
import * as allocator from '../../spec/allocator/index.ts';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler } = masterInternals;

caughtWithin(
  test,
  'revivesAndSuppressionsAsAsked',
  'a master whose REVIVE of one role revives them all',
  configs['revive-one-role']!,
  {
    master: withMaster({
      revive: handler<{ type: 'REVIVE'; framework_id: { value: string } }>((tx, e) => tx.allocator((a) => allocator.revive(a, { frameworkId: e.framework_id.value }))),
    }),
  },
  /a REVIVE of roles \["web"\] left m-0000 suppressing \[\], Mesos \["batch"\]/,
  8,
);

test.run();
