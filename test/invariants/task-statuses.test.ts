/**
 * taskStatusesAppended: the master keeps each task's status history. Its seeded bug has the shape
 * of mutate's seed-22 survivor at master/context.ts:251, which dropped the history: a master that
 * keeps only a task's newest status (GET_TASKS and the web UI would show one line per task).
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterForgettingStatusHistory } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'taskStatusesAppended',
  'a master that keeps only the newest status of a task',
  configs['two-frameworks']!,
  { master: masterForgettingStatusHistory() },
  /task m-0000\/a1's statuses were TASK_STARTING and are TASK_RUNNING after STATUS_UPDATE/,
  19,
);

test.run();
