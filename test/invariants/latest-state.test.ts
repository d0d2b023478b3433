/**
 * latestStateForwarded: every update an agent forwards carries the task's latest state. Its
 * seeded bug is mutate's seed-20 survivor at agent/streams.ts:49: an agent that forwards its
 * executors' updates without it. The master then books each task in the update's own state,
 * which catches up once the stream drains, so no state invariant saw it.
 * updatesOnlyWhileRegistered's is mutate's seed-22 survivor at agent/streams.ts:114: a stream
 * manager that never pauses, so an agent away from its master forwards into the void.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { agentForwardingWithoutLatestState, agentNeverPausingStreams } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'latestStateForwarded',
  'an agent that forwards updates without the latest state',
  configs.default!,
  { agent: agentForwardingWithoutLatestState() },
  /the agent forwards t1's update with latest_state absent, while it books the task TASK_STARTING/,
  11,
);

caughtWithin(
  test,
  'updatesOnlyWhileRegistered',
  'an agent whose status update manager never pauses',
  configs['custom-executor-master-failover']!,
  { agent: agentNeverPausingStreams() },
  /the agent, \{"active":"reregistering"\}, forwards x1's update on UPDATE: it is not registered/,
  12,
);

test.run();
