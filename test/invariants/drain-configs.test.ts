/**
 * drainsRecordedAsAsked: a drain is recorded and sent as the operator asked. Its seeded bug is
 * mutate's seed-15 survivor at master/drain.ts:32, which kept max_grace_period only when there was
 * none; here, a master that forgets the operator's max_grace_period.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { drainAgent, type DrainEvent } from '../../spec/machines/master/drain.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler } = masterInternals;

caughtWithin(
  test,
  'drainsRecordedAsAsked',
  "a master that forgets a drain's max_grace_period",
  configs['drain-kill-policy']!,
  { master: withMaster({ operatorDrainAgent: handler((tx, { max_grace_period_ns: _, ...e }: DrainEvent) => drainAgent(tx, e)) }) },
  /agent m-S0's drain was asked with max_grace_period 1000000000 ns, mark_gone false and recorded with max_grace_period none, mark_gone false/,
  8,
);

test.run();
