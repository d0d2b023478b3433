/**
 * shutdownsObeyed and runningExecutorsHoldNoQueue, each with one of mutate's seed-23 survivors as
 * its seeded bug: an agent that ignores the master's ShutdownExecutorMessage (agent.ts:276; the
 * framework's SHUTDOWN call then does nothing, and its task simply runs on), and one that queues a
 * task for an executor already running and never hands it over (agent/executors.ts:346).
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { agentIgnoringExecutorShutdowns, agentQueueingForRunningExecutors } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'shutdownsObeyed',
  'an agent that ignores ShutdownExecutorMessage',
  configs.acknowledgements!,
  { agent: agentIgnoringExecutorShutdowns() },
  /the master asked the agent to shut down m-0000's executor g1, and it is still RUNNING/,
  29,
);

caughtWithin(
  test,
  'runningExecutorsHoldNoQueue',
  'an agent that queues a task for a running executor',
  configs['custom-executor']!,
  { agent: agentQueueingForRunningExecutors() },
  /after RUN_TASK, m-0000's executor ex is RUNNING with task x2 still queued/,
  9,
);

test.run();
