/**
 * drainStatusesAsAsked: a draining agent's kill updates say why, in the state the drain asks for.
 * Its seeded bug has the shape of mutate's seed-25 survivor at agent/drain.ts:28: an agent whose
 * drain turns `mark_gone` round, so a partition-aware framework hears TASK_KILLED where the
 * operator asked for TASK_GONE_BY_OPERATOR (both rows of the outcome table, and both say
 * REASON_AGENT_DRAINING, so no other property saw it).
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { agentDrainingGoneTurnedRound } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'drainStatusesAsAsked',
  'an agent that drains with mark_gone turned round',
  configs.drain!,
  { agent: agentDrainingGoneTurnedRound() },
  /the draining agent takes m-0000's g1 TASK_KILLED, where the drain marks the agent gone and m-0000 is partition-aware/,
  11,
);

test.run();
