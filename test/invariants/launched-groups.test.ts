/**
 * launchedGroupsDistinct: every task group the master launches names task ids distinct and new to
 * its framework. Seeded bug: a master whose group validation lets a duplicate id through (the
 * swapped check a mutation sample drew in master/groups.ts), in a world where the duplicated group
 * fits the agent, so nothing else refuses it.
 */
import { test } from 'uvu';
import type { AnyEventObject } from 'xstate';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, accept } = masterInternals;

/** A general framework whose one call is a task group naming its half-cpu task twice. */
const base = configs['refused-groups']!;
const duplicating: MesosConfig = {
  ...base,
  name: 'duplicate-group',
  frameworks: [
    { ...base.frameworks[0]!, calls: ['ACCEPT', 'ACCEPT_GROUP_DUPLICATE_TASK_ID'], callBudget: 1, tasks: [{ id: 'g1', resources: 'cpus:0.5;mem:128', outcome: 'finish' }] },
  ],
};

type Group = { type: string; launch_group?: { task_group: { tasks: { task_id: { value: string } }[] } } };
const SUFFIX = '~second';

// Validation sees the repeated id renamed; the agent gets the group with the id it was given.
const masterLettingDuplicatesThrough = withMaster({
  accept: handler<AnyEventObject & { accept: { operations?: Group[] } }>((tx, e) => {
    const operations = (e.accept.operations ?? []).map((op) => {
      if (op.type !== 'LAUNCH_GROUP' || !op.launch_group) return op;
      const seen = new Set<string>();
      const tasks = op.launch_group.task_group.tasks.map((t) => {
        const id = seen.has(t.task_id.value) ? t.task_id.value + SUFFIX : t.task_id.value;
        seen.add(t.task_id.value);
        return { ...t, task_id: { value: id } };
      });
      return { ...op, launch_group: { ...op.launch_group, task_group: { ...op.launch_group.task_group, tasks } } };
    });
    accept(tx, { ...e, accept: { ...e.accept, operations } } as never);
    for (const s of tx.steps) {
      if (s.kind !== 'effect' || s.effect.type !== 'send' || s.effect.msg.type !== 'RUN_TASK_GROUP') continue;
      const msg = s.effect.msg as unknown as { task_group: { tasks: { task_id: { value: string } }[] } };
      for (const t of msg.task_group.tasks) t.task_id = { value: t.task_id.value.replace(SUFFIX, '') };
    }
  }),
});

caughtWithin(
  test,
  'launchedGroupsDistinct',
  'a master that lets a duplicate task id through',
  duplicating,
  { master: masterLettingDuplicatesThrough },
  /with task g1 twice was launched/,
  12,
);

test.run();
