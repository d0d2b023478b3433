/**
 * shutdownsObeyed and runningExecutorsHoldNoQueue, each with one of mutate's seed-23 survivors as
 * its seeded bug: an agent that ignores the master's ShutdownExecutorMessage (agent.ts:276; the
 * framework's SHUTDOWN call then does nothing, and its task simply runs on), and one that queues a
 * task for an executor already running and never hands it over (agent/executors.ts:346).
 * killsOfUnknownTasksDropped, with seed 31's survivor (stop 32): an agent that says nothing of a
 * kill of a task no executor has (agent/executors.ts:402). Only `slow-launch` reaches it: a task
 * dropped for an executor the registration timeout destroyed, then killed.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { agentIgnoringExecutorShutdowns, agentQueueingForRunningExecutors, agentSilentOnUnknownKills } from '../support/mutants.ts';
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

caughtWithin(
  test,
  'killsOfUnknownTasksDropped',
  'an agent silent on a kill of a task no executor has',
  configs['slow-launch']!,
  { agent: agentSilentOnUnknownKills() },
  /the master asked the agent to kill m-0000's task x2, which no executor has, and the agent made no TASK_DROPPED of it/,
  16,
);

test.run();
