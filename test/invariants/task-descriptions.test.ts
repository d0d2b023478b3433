/**
 * tasksDescribedAlike: the master's books and the agent running a task describe it alike. Seeded
 * bugs: an agent whose reregistration report loses each task's discovery info (mutate's seed-3
 * survivor at agent/reports.ts:69, and seeds 1 and 2 lost the health check the same way), so the
 * master that adopts the report books a task its framework never launched; and a master that
 * books a launch without its labels.
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

test.run();
