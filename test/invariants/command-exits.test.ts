/**
 * commandExitsReported: a command executor's terminal update says how its command ended. Its
 * seeded bug is mutate's seed-10 survivor at executor.ts:216: the exit's wording turned round,
 * so a clean exit is reported as "Command terminated with signal undefined".
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { executorReporting } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'commandExitsReported',
  'a command executor that words a clean exit as a signal',
  configs.default!,
  { executor: executorReporting('reportFinished', 'TASK_FINISHED', 'Command terminated with signal undefined') },
  /reports TASK_FINISHED with message "Command terminated with signal undefined", not an exit with status 0/,
  12,
);

caughtWithin(
  test,
  'commandExitsReported',
  'a command executor that reports a kill without saying how its command ended',
  configs['kill-and-teardown']!,
  { executor: executorReporting('reportKilled', 'TASK_KILLED') },
  /reports TASK_KILLED with message undefined, not an exit status or a signal/,
  40,
);

test.run();
