/**
 * uncheckpointedTasksLostOnDisconnect and pingTimeoutsCounted, each with the shape of one of
 * mutate's seed-21 survivors as its seeded bug: a master that keeps a non-checkpointing
 * framework's tasks when their agent's link breaks (master.ts:853; the agent's restart ends
 * them later by another path, which every outcome property accepts after a crash), and one that
 * counts a missed ping when the agent answered and none when it did not (master.ts:912; in a
 * partition every removal is allowed).
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterCountingAnsweredPings, masterKeepingUncheckpointedTasks } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'uncheckpointedTasksLostOnDisconnect',
  'a master that keeps the tasks of a framework that does not checkpoint when their agent’s link breaks',
  configs['crash-no-checkpoint-ends']!,
  { master: masterKeepingUncheckpointedTasks() },
  /agent m-S0's link broke and m-0000's task t1 stayed in the books, though m-0000 does not checkpoint/,
  7,
);

caughtWithin(
  test,
  'pingTimeoutsCounted',
  'a master that counts answered pings as missed',
  configs.heartbeats!,
  { master: masterCountingAnsweredPings() },
  /agent m-S0 answered its last ping, and the master counts 1 missed \(0 is due\)/,
  5,
);

test.run();
