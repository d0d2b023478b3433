/**
 * messagesForwarded: a framework's MESSAGE past the gate reaches its connected agent once,
 * unchanged. Seeded bugs: the forward deleted (a survivor of this stop's final mutation sample), and
 * the data garbled on the way.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import type { MachineOverrides } from '../../spec/world/mesos.ts';
import { withMaster } from '../support/mutants.ts';
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

test.run();
