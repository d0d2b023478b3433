/**
 * messagesCounted: each status update, acknowledgement and framework message the master takes is
 * counted once, as valid or invalid. Mutate's seed-12 survivor at master.ts:531 deleted the count
 * of valid acknowledgements; its seeded bug here is a master that counts a valid one as invalid.
 * agentRemovalsCounted: mutate's seed-13 survivor at master.ts:863 deleted the count of an agent
 * removed as unhealthy; its seeded bug here counts that removal as an unregistration too.
 * agentRegistrationsCounted: seed 30's survivor at master.ts:822 deleted the count of a
 * reregistration; writing the property showed the model counted the reregistration of an agent
 * it held as registered too, which Mesos does not (Master::___reregisterSlave): both are seeded here.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { dropSteps, withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, acknowledge, markUnreachable, reregisterAgent } = masterInternals;

type Reregistration = Parameters<typeof reregisterAgent>[1];

caughtWithin(
  test,
  'messagesCounted',
  'a master that counts a valid acknowledgement as invalid too',
  configs.default!,
  {
    master: withMaster({
      acknowledge: handler<Parameters<typeof acknowledge>[1]>((tx, e) => {
        acknowledge(tx, e);
        tx.count('invalid_status_update_acknowledgements');
      }),
    }),
  },
  /ACKNOWLEDGE, taken by the master, was counted 2 times in valid_status_update_acknowledgements \/ invalid_status_update_acknowledgements/,
  12,
);

caughtWithin(
  test,
  'agentRemovalsCounted',
  'a master that counts an agent it records unreachable as unregistered too',
  configs['removal-limit']!,
  {
    master: withMaster({
      markUnreachable: handler<{ type: 'REREGISTER_TIMEOUT'; agent_id: string }>((tx, e) => {
        markUnreachable(tx, e.agent_id);
        tx.count('slave_removals/reason_unregistered');
      }),
    }),
  },
  /0 agent removal\(s\) for slave_removals\/reason_unregistered in this step, counted 1/,
  4,
);

caughtWithin(
  test,
  'agentRegistrationsCounted',
  'a master that counts the reregistration of an agent it holds as registered (a restarted agent)',
  configs.default!,
  {
    master: withMaster({
      reregisterAgent: handler<Reregistration>((tx, e) => {
        const held = tx.c.agents[e.agent_info.id!.value];
        reregisterAgent(tx, e);
        if (held && !held.recovered) tx.count('slave_reregistrations');
      }),
    }),
  },
  /REREGISTER_AGENT of .*, registered already, should count slave_reregistrations 0 time\(s\), counted 1/,
  14,
);

caughtWithin(
  test,
  'agentRegistrationsCounted',
  "a master that never counts a reregistration (seed 30's survivor)",
  configs['master-failover']!,
  {
    master: withMaster({
      reregisterAgent: handler<Reregistration>((tx, e) => {
        reregisterAgent(tx, e);
        dropSteps(tx.steps, (x) => x.kind === 'effect' && x.effect?.type === 'count' && x.effect.counter === 'slave_reregistrations');
      }),
    }),
  },
  /should count slave_reregistrations 1 time\(s\), counted 0/,
  14,
);

test.run();
