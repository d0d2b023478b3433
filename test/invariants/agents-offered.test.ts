/**
 * agentsOfferedAsBooked: the allocator offers an agent exactly while the master has it connected
 * and nothing deactivated it. Its seeded bug is mutate's seed-11 survivor at
 * master/operator.ts:181: REACTIVATE_AGENT of a connected agent that leaves it inactive in the
 * allocator, so its resources are never offered again.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { reactivateAgent, type OperatorEvent } from '../../spec/machines/master/operator.ts';
import * as allocator from '../../spec/allocator/index.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler } = masterInternals;

caughtWithin(
  test,
  'agentsOfferedAsBooked',
  'a master whose REACTIVATE_AGENT leaves the agent inactive in the allocator',
  configs.operators!,
  {
    master: withMaster({
      operatorReactivateAgent: handler<Extract<OperatorEvent, { type: 'OPERATOR_REACTIVATE_AGENT' }>>((tx, e) => {
        reactivateAgent(tx, e);
        tx.allocator((s) => (allocator.getAgent(s, e.agent_id) ? allocator.deactivateAgent(s, e.agent_id) : s));
      }),
    }),
  },
  /agent m-S0 is inactive in the allocator, though the master has it connected/,
  10,
);

test.run();
