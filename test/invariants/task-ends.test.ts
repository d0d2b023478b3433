/**
 * taskLeavesCounted: a task that leaves the master's books unended is counted ended once. Its
 * seeded bug stands for mutate's seed-20 survivor at master.ts:866 (which counted only the tasks
 * that had already ended): a master that counts none of the tasks a disconnected agent takes
 * with it, so `master/tasks_lost` and the operator API's completed tasks miss them.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterUncountingDisconnectedTasks } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'taskLeavesCounted',
  'a master that does not count the tasks a lost agent takes with it',
  configs['crash-no-checkpoint-ends']!,
  { master: masterUncountingDisconnectedTasks() },
  /task m-0000\/t1 leaves the master's books TASK_STAGING and is counted ended 0 times, not 1/,
  7,
);

test.run();
