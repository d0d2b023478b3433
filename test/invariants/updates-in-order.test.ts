/**
 * updatesInOrder per launch: a framework may launch a task again under the id of one that ended
 * (Mesos's validateUniqueTaskID looks only at the tasks the master still has), so a task id's
 * updates may start over after an end once per launch again, and only then.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { updatesInOrder } from '../../invariants/delivery.ts';
import type { WorldReader } from '../../invariants/world.ts';
import type { TaskState } from '../../spec/protocol/common.ts';

type Logged = readonly (readonly [TaskState, string])[];

/** One framework `fw-0` that launched `launched` and logged `log` of task t1, with `inFlight` updates of t1 on their way to it. */
function reader(launched: readonly string[], log: Logged, inFlight: Logged = []): WorldReader {
  const update = ([state, uuid]: readonly [TaskState, string]) => ({
    type: 'UPDATE',
    update: { status: { task_id: { value: 't1' }, state, source: 'SOURCE_EXECUTOR', uuid } },
  });
  return {
    layout: { master: 'master', frameworks: ['fw-0'] },
    scheduler: () => ({ launched, log: { t1: log.map(([state, uuid]) => ({ state, uuid })) } }),
    channel: (from: string, to: string) => (from === 'master' && to === 'fw-0' ? inFlight.map(update) : []),
  } as unknown as WorldReader;
}

const FIRST: Logged = [
  ['TASK_STARTING', 'u1'],
  ['TASK_RUNNING', 'u2'],
  ['TASK_FINISHED', 'u3'],
];
const SECOND: Logged = [
  ['TASK_STARTING', 'v1'],
  ['TASK_RUNNING', 'v2'],
  ['TASK_FAILED', 'v3'],
];

test('a task id launched again after its end: each launch in order is accepted, logged or on its way', () => {
  assert.is(updatesInOrder(reader(['t1', 't1'], [...FIRST, ...SECOND])), null);
  assert.is(updatesInOrder(reader(['t1', 't1'], FIRST, SECOND)), null);
  assert.is(updatesInOrder(reader(['t1', 't1'], [...FIRST, ...SECOND.slice(0, 1)], SECOND.slice(1))), null);
  // The agent drops a launch that reaches the old launch's command executor (MESOS-9657).
  assert.is(updatesInOrder(reader(['t1', 't1'], [...FIRST, ['TASK_DROPPED', 'v1']])), null);
});

test('updates that start over after an end without a launch again are out of order', () => {
  assert.is(updatesInOrder(reader(['t1'], [...FIRST, ...SECOND])), 'fw-0 logged t1 TASK_FINISHED then TASK_STARTING');
  assert.is(updatesInOrder(reader(['t1'], FIRST, SECOND)), 'fw-0 is sent t1 TASK_STARTING after it logged TASK_FINISHED');
  // A third run of updates for two launches.
  assert.is(updatesInOrder(reader(['t1', 't1'], [...FIRST, ...SECOND, ['TASK_RUNNING', 'w1']])), 'fw-0 logged t1 TASK_FAILED (launch 2 of t1) then TASK_RUNNING');
});

test('within a launch, and within the second, updates still move forward only', () => {
  assert.is(
    updatesInOrder(
      reader(
        ['t1'],
        [
          ['TASK_RUNNING', 'u1'],
          ['TASK_STARTING', 'u2'],
        ],
      ),
    ),
    'fw-0 logged t1 TASK_RUNNING then TASK_STARTING',
  );
  // A launch again does not excuse going back before the first one ended.
  assert.is(
    updatesInOrder(
      reader(
        ['t1', 't1'],
        [
          ['TASK_RUNNING', 'u1'],
          ['TASK_STARTING', 'u2'],
        ],
      ),
    ),
    'fw-0 logged t1 TASK_RUNNING then TASK_STARTING',
  );
  assert.is(
    updatesInOrder(reader(['t1', 't1'], [...FIRST, ['TASK_RUNNING', 'v1']], [['TASK_STARTING', 'v2']])),
    'fw-0 is sent t1 TASK_STARTING after it logged TASK_RUNNING (launch 2 of t1)',
  );
});

test.run();
