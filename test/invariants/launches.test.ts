/**
 * launchesJudged: each command task of an ACCEPT is answered TASK_ERROR exactly when Mesos's task
 * validation refuses it, with its message. Its seeded bugs: mutate's seed-10 survivor at
 * master.ts:360 (a task id of 256 characters let through), and a master that reads no kill policy.
 * invalidOffersReturned: mutate's seed-11 survivor at master.ts:398 returned the other
 * frameworks' offers of a refused ACCEPT instead of its own; here, a master that keeps them.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, accept } = masterInternals;
type AcceptEvent = Parameters<typeof accept>[1];

/** A master that validates each task after `edit`, then launches the task as given. */
const validatingEdited = (edit: (task: Record<string, unknown>) => Record<string, unknown>) =>
  withMaster({
    accept: handler((tx, e: AcceptEvent) => {
      const edited = (e.accept.operations ?? []).map((op) =>
        op.launch === undefined ? op : { ...op, launch: { task_infos: (op.launch.task_infos ?? []).map((t) => edit(t as never) as never) } },
      );
      accept(tx, { ...e, accept: { ...e.accept, operations: edited } });
    }),
  });

caughtWithin(
  test,
  'launchesJudged',
  'a master that lets a task id of 256 characters through',
  configs['task-errors']!,
  { master: validatingEdited((t) => ((t.task_id as { value: string }).value.length === 256 ? { ...t, task_id: { value: 'x'.repeat(255) } } : t)) },
  /task x{256} of m-0000: Mesos answers TASK_ERROR "ID must not be greater than 255 characters", the master did not/,
  9,
);

caughtWithin(
  test,
  'launchesJudged',
  'a master that reads no kill policy',
  configs['task-errors']!,
  { master: validatingEdited(({ kill_policy: _, ...t }) => t) },
  /task g1 of m-0000: Mesos answers TASK_ERROR "Task's 'kill_policy.grace_period' must be non-negative", the master did not/,
  9,
);

caughtWithin(
  test,
  'invalidOffersReturned',
  'a master that keeps the offers of an ACCEPT on offers of two agents',
  configs['task-errors']!,
  { master: withMaster({ accept: handler((tx, e: AcceptEvent) => ((e.accept.offer_ids ?? []).length > 1 ? undefined : accept(tx, e))) }) },
  /an ACCEPT on offers of two agents kept offer m-O\d+ of its framework outstanding/,
  9,
);

test.run();
