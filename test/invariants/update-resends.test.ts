/**
 * pendingUpdatesResent: an agent told of a framework's change resends its pending updates at once.
 * Its seeded bug is mutate's seed-18 survivor at agent.ts:272, which resumed the streams only for
 * a framework the agent did not run; here, an agent that takes the new FrameworkInfo and resends
 * nothing (its retry timers would, later: no other property saw it).
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { agent } from '../../spec/machines/agent.ts';
import * as executors from '../../spec/machines/agent/executors.ts';
import type { UpdateFrameworkAgentMessage } from '../../spec/protocol/internal.ts';
import { agentAct, replaceAction } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'pendingUpdatesResent',
  'an agent that takes a framework update and resends nothing',
  configs.default!,
  {
    agent: replaceAction(
      agent,
      'updateFramework',
      agentAct((tx, event) => {
        const e = event as UpdateFrameworkAgentMessage;
        executors.updateFramework(tx, e.framework_id.value, e.framework_info);
      }),
    ),
  },
  /told of framework m-0000's change, the agent resent task t1's pending update \(of m-0000\) 0 times, not once/,
  16,
);

test.run();
