/**
 * reregistrationsAnswered: a returning agent is readmitted on its link, told to shut down when
 * gone or another host's, and ignored only while its id is connected elsewhere. Its seeded bug is
 * mutate's seed-11 survivor at master.ts:715 (the connected-elsewhere check turned round): a master
 * that ignores an agent it has disconnected, which then retries for ever.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import type { InternalMessage } from '../../spec/protocol/internal.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, reregisterAgent } = masterInternals;
type Reregistration = Extract<InternalMessage, { type: 'REREGISTER_AGENT' }> & { from: string };

caughtWithin(
  test,
  'reregistrationsAnswered',
  'a master that ignores an agent it has disconnected',
  configs['agent-restarts']!,
  {
    master: withMaster({
      reregisterAgent: handler<Reregistration>((tx, e) => {
        if (tx.c.agents[e.agent_info.id?.value ?? '']?.address === null) return;
        reregisterAgent(tx, e);
      }),
    }),
  },
  /agent m-S0 came back on agent-0 and was not answered AGENT_REREGISTERED/,
  12,
);

test.run();
