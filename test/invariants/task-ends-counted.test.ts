/**
 * taskEndsCounted: each task that becomes terminal in an agent's step adds one to the agent's
 * metric of that state. Mutate's seed-11 survivor at agent/executors.ts:86 deleted the count; its
 * seeded bug here is an agent that counts a finished task as failed.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { agent } from '../../spec/machines/agent.ts';
import { executorStatusUpdate, statusUpdate } from '../../spec/machines/agent/executors.ts';
import type { ExecutorCall } from '../../spec/protocol/executor.ts';
import { agentAct, replaceAction } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'taskEndsCounted',
  'an agent that counts a finished task as failed too',
  configs.default!,
  {
    agent: replaceAction(
      agent,
      'handleExecutorUpdate',
      agentAct((tx, event) => {
        const call = event as unknown as Extract<ExecutorCall, { type: 'UPDATE' }>;
        statusUpdate(tx, executorStatusUpdate(tx, call.framework_id.value, call.update.status), 'executor');
        if (call.update.status.state === 'TASK_FINISHED') tx.count('tasks_failed');
      }),
    ),
  },
  /0 task\(s\) ended as failed in this step, and the agent counted 1 in tasks_failed/,
  14,
);

test.run();
