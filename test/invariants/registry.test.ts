/**
 * registryForgetsLeftAgents: the registry keeps reservations, a deactivation or a drain only for
 * an agent that may come back. Its seeded bug: a master that marks an agent gone and keeps the
 * reservations an operator made on it, which a new agent under that id would inherit.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { markAgentGone, type OperatorEvent } from '../../spec/machines/master/operator.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler } = masterInternals;

caughtWithin(
  test,
  'registryForgetsLeftAgents',
  'a master that marks an agent gone and keeps its reservations',
  configs.operators!,
  {
    master: withMaster({
      operatorMarkAgentGone: handler<Extract<OperatorEvent, { type: 'OPERATOR_MARK_AGENT_GONE' }>>((tx, e) => {
        const reserved = tx.c.registry.reserved;
        markAgentGone(tx, e);
        if (reserved !== undefined) tx.registry((r) => ({ ...r, reserved }));
      }),
    }),
  },
  /the registry keeps reservations of agent m-S0, which is gone/,
  14,
);

test.run();
