/**
 * messagesForwarded: a framework's MESSAGE past the gate reaches its connected agent once,
 * unchanged, and messagesDelivered: the running agent hands it to the running executor. Seeded
 * bugs: the forward deleted (a survivor of a mutation sample), the data garbled on the way, and an
 * agent that hands a message over only while the framework terminates.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import type { MachineOverrides } from '../../spec/world/mesos.ts';
import type { AnyEventObject } from 'xstate';
import { agent } from '../../spec/machines/agent.ts';
import { executorAddress } from '../../spec/machines/agent/types.ts';
import { agentAct, replaceAction, withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler } = masterInternals;
type MessageCall = { framework_id: { value: string }; message: { agent_id: { value: string }; executor_id: { value: string }; data: string } };

/** acknowledgements without faults: a general framework MESSAGEs its task's executor. */
const messaging: MesosConfig = { ...configs.acknowledgements!, faults: NO_FAULTS };

/** The master's MESSAGE handler, with what it sends the agent (or nothing) chosen by `forward`. */
const masterForwarding = (forward: (e: MessageCall) => object | null): MachineOverrides => ({
  master: withMaster({
    frameworkMessage: handler<MessageCall>((tx, e) => {
      const a = tx.c.agents[e.message.agent_id.value];
      const msg = forward(e);
      if (msg !== null) tx.send(a?.address ?? null, msg as never);
    }),
  }),
});

caughtWithin(
  test,
  'messagesForwarded',
  'a master that drops every MESSAGE',
  messaging,
  masterForwarding(() => null),
  /was forwarded 0 times, not once/,
  20,
);

caughtWithin(
  test,
  'messagesForwarded',
  'a master that garbles a MESSAGE',
  messaging,
  masterForwarding((e) => ({
    type: 'FRAMEWORK_TO_EXECUTOR',
    agent_id: e.message.agent_id,
    framework_id: e.framework_id,
    executor_id: e.message.executor_id,
    data: `${e.message.data}!`,
  })),
  /went to \S+ as/,
  20,
);

// The agent's check turned round (mutate's seed-3 survivor at agent/executors.ts:636): a message
// is handed over only while the framework is terminating, so a running executor never gets one.
caughtWithin(
  test,
  'messagesDelivered',
  'an agent that hands a message to the executor only while its framework terminates',
  messaging,
  {
    agent: replaceAction(
      agent,
      'messageToExecutor',
      agentAct((tx, e) => {
        const m = e as AnyEventObject & MessageCall['message'] & { framework_id: { value: string } };
        const fw = tx.c.frameworks[m.framework_id.value];
        if (fw?.state === 'TERMINATING' && fw.executors[m.executor_id.value]?.state === 'RUNNING') {
          tx.send(executorAddress(tx.c.self, m.framework_id.value, m.executor_id.value), { type: 'MESSAGE', message: { data: m.data } });
        }
      }),
    ),
  },
  /messagesDelivered: a message for executor g1 of m-0000, running, was delivered 0 times/,
  30,
);

// The agent's check turned round (mutate's seed-12 survivor at agent/executors.ts:643): an
// executor's message goes to the master only while its framework terminates.
caughtWithin(
  test,
  'executorMessagesForwarded',
  "an agent that drops a running framework's executor messages",
  configs['custom-executor']!,
  {
    agent: replaceAction(
      agent,
      'messageToFramework',
      agentAct(() => {}),
    ),
  },
  /executorMessagesForwarded: executor ex's message to m-0000 was forwarded 0 times \(once to master with its data is due\)/,
  22,
);

// A master that takes a framework's SHUTDOWN and tells no agent (mutate's seed-14 survivor at
// master.ts:1143, an early return).
caughtWithin(
  test,
  'shutdownsForwarded',
  "a master that takes a framework's SHUTDOWN and tells no agent",
  configs.acknowledgements!,
  { master: withMaster({ shutdownExecutor: () => {} }) },
  /shutdownsForwarded: a SHUTDOWN of executor \S+ on m-S0 was forwarded 0 times \(once to agent-0 is due\)/,
  8,
);

test.run();
