/**
 * failoverTimersOfDisconnected: a framework's failover timer runs only while the framework is in
 * the books and disconnected. Two seeded bugs, from a mutation sample's survivors: a
 * re-subscription that leaves the timer running (its cancel deleted), and a removal that leaves it.
 */
import { test } from 'uvu';
import { ONE_TASK } from '../../model/small-worlds.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import type { MachineOverrides } from '../../spec/world/mesos.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { withMaster } from '../support/mutants.ts';

const { handler, subscribe, removeFramework } = masterInternals;

/** One task; its scheduler fails over once (its stream breaks, it subscribes again). */
const failingOver: MesosConfig = { ...ONE_TASK, faults: { ...NO_FAULTS, frameworkFailover: 1 } };

const armFailover = (tx: Parameters<Parameters<typeof handler>[0]>[0], fid: string) => tx.timer(`failover:${fid}`, { type: 'FAILOVER_TIMEOUT', framework_id: fid }, 60_000);

/** failoverTimersOfDisconnected catches the bug `machines` seed (test/support/seeded-bugs.ts). */
const caught = (what: string, machines: MachineOverrides, breach: RegExp, maxSteps: number) =>
  caughtWithin(test, 'failoverTimersOfDisconnected', what, failingOver, machines, breach, maxSteps);

// A known framework subscribes again and its failover timer keeps running.
caught(
  'a re-subscription that leaves the failover timer running',
  {
    master: withMaster({
      subscribe: handler<Parameters<typeof subscribe>[1]>((tx, e) => {
        const fid = e.subscribe.framework_info.id?.value || e.framework_id?.value;
        const known = fid !== undefined && tx.c.frameworks[fid] !== undefined;
        subscribe(tx, e);
        if (known) armFailover(tx, fid!);
      }),
    }),
  },
  /the failover timer of \S+ runs while the framework is subscribed/,
  20,
);

// The failover timeout removes the framework and arms its timer again.
caught(
  'a removal that leaves the failover timer running',
  {
    master: withMaster({
      failoverTimeout: handler<{ type: 'FAILOVER_TIMEOUT'; framework_id: string }>((tx, e) => {
        removeFramework(tx, e.framework_id);
        armFailover(tx, e.framework_id);
      }),
    }),
  },
  /the failover timer of \S+ runs on after the framework was removed/,
  30,
);

test.run();
