/**
 * launchExecutorAsBooked: RUN_TASK's launch_executor says whether the agent must start the
 * executor. Its seeded bug stands for mutate's seed-23 survivor at master.ts:465, which turned the
 * flag round: a master that tells the agent not to launch a command task's executor.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterWithholdingLaunchExecutor } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'launchExecutorAsBooked',
  'a master that says launch_executor false for a command task',
  configs.default!,
  { master: masterWithholdingLaunchExecutor() },
  /RUN_TASK of t1 says launch_executor false; a command task is due true/,
  6,
);

test.run();
