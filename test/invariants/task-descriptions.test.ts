/**
 * tasksDescribedAlike: the master's books and the agent running a task describe it alike. Seeded
 * bugs: an agent whose reregistration report loses each task's discovery info (mutate's seed-3
 * survivor at agent/reports.ts:69, and seeds 1 and 2 lost the health check the same way), so the
 * master that adopts the report books a task its framework never launched; and a master that
 * books a launch without its labels. commandExecutorsDescribed: mutate's seed-10 and seed-11
 * survivors at agent/reports.ts:40-41 gave the command executor no URIs or no environment; its
 * seeded bug here is an agent that launches command executors without their task's environment.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { AGENT_VERSION, agent } from '../../spec/machines/agent.ts';
import { reregistration } from '../../spec/machines/agent/reports.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import type { Task } from '../../spec/protocol/common.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { agentAct, replaceAction, withMaster } from '../support/mutants.ts';
import type { Tx } from '../../spec/machines/agent/tx.ts';
import { runTask } from '../../spec/machines/agent/executors.ts';
import type { RunTaskMessage } from '../../spec/protocol/internal.ts';

/** An agent whose reregistration reports its tasks without `field`. */
const reportingWithout = (field: keyof Task) =>
  replaceAction(
    agent,
    'sendReregistration',
    agentAct((tx) => {
      const message = reregistration(tx as Tx, AGENT_VERSION);
      const tasks = (message.tasks ?? []).map((t) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== field)) as unknown as Task);
      (tx as Tx).send(tx.c.master as string, { ...message, tasks });
    }),
  );

caughtWithin(
  test,
  'tasksDescribedAlike',
  "an agent whose reregistration report loses its tasks' discovery info",
  configs['described-crash']!,
  { agent: reportingWithout('discovery') },
  /task g1 of m-0000: the master books discovery undefined, agent-0 runs it with/,
  30,
);

const { handler, accept } = masterInternals;
caughtWithin(
  test,
  'tasksDescribedAlike',
  'a master that books a launch without its labels',
  configs['described-crash']!,
  {
    master: withMaster({
      accept: handler<Parameters<typeof accept>[1]>((tx, e) => {
        accept(tx, e);
        for (const [fid, f] of Object.entries(tx.c.frameworks)) {
          const tasks = Object.fromEntries(Object.entries(f.tasks).map(([tid, r]) => [tid, { ...r, task: { ...r.task, labels: undefined } }]));
          tx.setFramework(fid, { ...f, tasks });
        }
      }),
    }),
  },
  /task g1 of m-0000: the master books labels undefined, agent-0 runs it with/,
  12,
);

caughtWithin(
  test,
  'commandExecutorsDescribed',
  "an agent that starts command executors without their task's environment",
  configs['described-crash']!,
  {
    agent: replaceAction(
      agent,
      'runTask',
      agentAct((tx, event) => {
        runTask(tx as Tx, event as unknown as RunTaskMessage);
        for (const fw of Object.values((tx as Tx).c.frameworks))
          for (const ex of Object.values(fw.executors))
            if (!ex.custom && ex.info.command?.environment) ex.info = { ...ex.info, command: { ...ex.info.command, environment: undefined } };
      }),
    ),
  },
  /agent-0: command executor g1 of m-0000 has environment undefined, its task/,
  12,
);

test.run();
