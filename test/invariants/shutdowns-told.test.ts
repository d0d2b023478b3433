/**
 * shutdownsTold: an agent that starts shutting a connected executor down tells it (SHUTDOWN), and
 * tells no executor that is not connected. The seeded bugs: an agent whose framework
 * shutdown tells none of the framework's executors, which are destroyed after their grace period
 * instead (mutate's seed-3 survivor at agent/executors.ts:246, the `connected` test turned round,
 * did that to every shutdown); and an agent that lets an executor subscribe during its framework's
 * shutdown without telling it to shut down (seed 9's survivor).
 */
import { test } from 'uvu';
import type { AnyEventObject } from 'xstate';
import { configs } from '../../model/configs.ts';
import { agent } from '../../spec/machines/agent.ts';
import { shutdownFramework, subscribe } from '../../spec/machines/agent/executors.ts';
import type { Tx } from '../../spec/machines/agent/tx.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { agentAct, replaceAction } from '../support/mutants.ts';

/** `handler`, with every SHUTDOWN it sends dropped. */
const untold = (handler: (tx: Tx, e: AnyEventObject) => void) =>
  agentAct((tx, e) => {
    handler(tx, e);
    const steps = tx.steps as { kind: string; effect?: { type: string; msg?: { type?: string } } }[];
    for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.effect?.type === 'send' && steps[i]!.effect!.msg?.type === 'SHUTDOWN') steps.splice(i, 1);
  });

caughtWithin(
  test,
  'shutdownsTold',
  "an agent whose framework shutdown tells none of the framework's executors",
  configs['kill-and-teardown']!,
  {
    agent: replaceAction(
      agent,
      'shutdownFramework',
      untold((tx, e) => shutdownFramework(tx, (e.framework_id as { value: string }).value)),
    ),
  },
  /shutdownsTold: executor \w+ of [\w-]+ began terminating while connected, and was not sent SHUTDOWN/,
  12,
);

// An executor that subscribes while its framework terminates is let in without SHUTDOWN
// (mutate's seed-9 survivor at agent/executors.ts:515 deleted that send).
caughtWithin(
  test,
  'shutdownsTold',
  "an agent that answers a SUBSCRIBE during its framework's shutdown without SHUTDOWN",
  configs['kill-and-teardown']!,
  {
    agent: replaceAction(
      agent,
      'subscribeExecutor',
      untold((tx, e) => subscribe(tx, (e.framework_id as { value: string }).value, (e.executor_id as { value: string }).value, (e.subscribe ?? {}) as never)),
    ),
  },
  /shutdownsTold: executor \w+ of [\w-]+ subscribed while ending, and was not told to shut down/,
  12,
);

test.run();
