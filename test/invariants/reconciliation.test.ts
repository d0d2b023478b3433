/**
 * reconciliationAnswered: a RECONCILE is answered once per task it asks about, and a task the
 * master does not book by what the master knows of its agent. Two seeded bugs: the answer for an
 * unbooked task on an agent the master no longer has says TASK_UNREACHABLE whatever the registry
 * says (the negated unreachable check of a mutation sample's survivor), the same for an agent
 * marked gone (reconcile-gone, for seed 15's survivor), and an implicit reconciliation that
 * leaves out the terminal tasks awaiting acknowledgement.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configs } from '../../model/configs.ts';
import { masterInternals, type MasterContext } from '../../spec/machines/master.ts';
import { masterStatus } from '../../spec/machines/master/context.ts';
import { isTerminal } from '../../spec/protocol/common.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import type { MachineOverrides } from '../../spec/world/mesos.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { reconciliationAnswered } from '../../invariants/reconciliation.ts';
import { withMaster } from '../support/mutants.ts';

const { handler, reconcileExplicit } = masterInternals;
type Reconcile = { type: 'RECONCILE'; framework_id: { value: string }; reconcile: { tasks?: { task_id: { value: string }; agent_id?: { value: string } }[] } };

test('an unbooked task is answered by what the master knows of the named agent', () => {
  const m = {
    frameworks: { f: { connection: 'fw', stream: 's', tasks: {}, info: { capabilities: [{ type: 'PARTITION_AWARE' }] } } },
    agents: { a1: { recovered: false } },
    registry: { unreachable: ['a2'], gone: ['a3'] },
  } as unknown as MasterContext;
  const ask = (agent: string) => ({
    type: 'RECONCILE',
    framework_id: { value: 'f' },
    stream_id: 's',
    reconcile: { tasks: [{ task_id: { value: 't' }, agent_id: { value: agent } }] },
  });
  const answer = (state: string) => [{ type: 'send', to: 'fw', msg: { type: 'UPDATE', update: { status: { task_id: { value: 't' }, state, reason: 'REASON_RECONCILIATION' } } } }];
  assert.is(reconciliationAnswered(m, ask('a1'), answer('TASK_GONE')), null);
  assert.is(reconciliationAnswered(m, ask('a2'), answer('TASK_UNREACHABLE')), null);
  assert.is(reconciliationAnswered(m, ask('a3'), answer('TASK_GONE_BY_OPERATOR')), null);
  assert.is(reconciliationAnswered(m, ask('a4'), answer('TASK_UNKNOWN')), null);
  assert.is(
    reconciliationAnswered(m, ask('a4'), answer('TASK_UNREACHABLE')),
    "f's reconciliation of t, which the master does not book, was answered TASK_UNREACHABLE; Mesos answers TASK_UNKNOWN",
  );
  assert.is(reconciliationAnswered(m, ask('a1'), []), "f's reconciliation of t got 0 answers, not one");
});

/** reconciliationAnswered catches the bug `machines` seed on `config` (test/support/seeded-bugs.ts). */
const caught = (what: string, config: MesosConfig, machines: MachineOverrides, breach: RegExp, maxSteps: number) =>
  caughtWithin(test, 'reconciliationAnswered', what, config, machines, breach, maxSteps);

/**
 * A master that answers a task it does not book, on an agent `misjudged` says, TASK_UNREACHABLE
 * (with `message`), and every other reconciliation as Mesos does.
 */
const unreachableFor = (misjudged: (c: MasterContext, aid: string) => boolean, message: string): MachineOverrides => ({
  master: withMaster({
    reconcileExplicitly: handler<Reconcile>((tx, e) => {
      const fid = e.framework_id.value;
      for (const q of e.reconcile.tasks ?? []) {
        const f = tx.c.frameworks[fid]!;
        const aid = q.agent_id?.value;
        if (f.tasks[q.task_id.value] !== undefined || aid === undefined || !misjudged(tx.c, aid)) reconcileExplicit(tx, fid, [q]);
        else {
          const status = masterStatus({ task_id: q.task_id, agent_id: { value: aid } }, 'TASK_UNREACHABLE', 'REASON_RECONCILIATION', message);
          tx.send(f.connection, { type: 'UPDATE', update: { status } });
        }
      }
    }),
  }),
});

// A task the master does not book, on an agent it does not have: always "unreachable".
caught(
  'an unknown agent answered as unreachable',
  configs['kill-races']!,
  unreachableFor((c, aid) => c.agents[aid] === undefined, 'Reconciliation: Task is unreachable'),
  /was answered TASK_UNREACHABLE; Mesos answers TASK_UNKNOWN/,
  10,
);

// Mutate's seed-15 survivor at master.ts:625, which reconcile-gone reaches: a task on an agent
// marked gone answered as unreachable.
caught(
  'a gone agent answered as unreachable',
  configs['reconcile-gone']!,
  unreachableFor((c, aid) => c.registry.gone.includes(aid), 'Reconciliation: Task is gone'),
  /g1, which the master does not book, was answered TASK_UNREACHABLE; Mesos answers TASK_GONE_BY_OPERATOR/,
  20,
);

// Implicit reconciliation answers only the live tasks: a terminal one awaiting acknowledgement is left out.
caught(
  'an implicit reconciliation that leaves out terminal tasks',
  configs['kill-races']!,
  {
    master: withMaster({
      reconcileImplicitly: handler<Reconcile>((tx, e) => {
        const f = tx.c.frameworks[e.framework_id.value]!;
        const live = Object.keys(f.tasks).filter((tid) => !isTerminal(f.tasks[tid]!.task.state));
        reconcileExplicit(
          tx,
          e.framework_id.value,
          live.map((tid) => ({ task_id: { value: tid } })),
        );
      }),
    }),
  },
  /reconciliation of \S+ got 0 answers, not one/,
  30,
);

test.run();
