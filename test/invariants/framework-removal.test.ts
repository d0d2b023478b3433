/**
 * frameworksRemovedWhenDue: a framework leaves the books only by a TEARDOWN, its failover timer, or
 * losing its connection with no failover time. Its seeded bug is mutate's seed-19 survivor at
 * master.ts:221, which turned the failover_timeout test round: a framework with failover time was
 * removed the moment its stream broke (its resubscription then refused), and no property said a
 * failover within the timeout keeps the framework; here, a master that always removes at once.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, removeFramework } = masterInternals;

caughtWithin(
  test,
  'frameworksRemovedWhenDue',
  'a master that removes a framework the moment its stream breaks',
  configs.default!,
  {
    master: withMaster({
      disconnectFramework: handler<{ type: 'LINK_BROKEN'; peer: string }>((tx, e) => {
        const fid = Object.keys(tx.c.frameworks).find((id) => tx.c.frameworks[id]!.connection === e.peer);
        if (fid !== undefined) removeFramework(tx, fid);
      }),
    }),
  },
  /framework m-0000 \(failover_timeout 60\) was removed by a step of LINK_BROKEN/,
  6,
);

test.run();
