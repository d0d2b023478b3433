/**
 * Task-state helpers and the shape of the discriminated unions (ts-pattern narrows them and
 * `exhaustive()` type-checks only when every member is handled).
 */
import { match } from 'ts-pattern';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTerminal, PARTITION_AWARE_TASK_STATES, TASK_STATES, TERMINAL_TASK_STATES, type TaskState } from '../../spec/protocol/common.ts';
import type { ExecutorEvent } from '../../spec/protocol/executor.ts';
import type { InternalMessage } from '../../spec/protocol/internal.ts';
import type { SchedulerEvent } from '../../spec/protocol/scheduler.ts';

test('all 14 task states; terminal exactly as Mesos isTerminalState', () => {
  assert.is(TASK_STATES.length, 14);
  const terminal = TASK_STATES.filter(isTerminal);
  assert.equal(terminal.sort(), ['TASK_DROPPED', 'TASK_ERROR', 'TASK_FAILED', 'TASK_FINISHED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_KILLED', 'TASK_LOST']);
  for (const s of ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE', 'TASK_UNKNOWN'] as TaskState[]) {
    assert.not.ok(isTerminal(s), s);
  }
  assert.is(TERMINAL_TASK_STATES.length, 8);
});

test('a framework that is not partition-aware hears TASK_LOST in place of exactly these', () => {
  assert.equal([...PARTITION_AWARE_TASK_STATES], ['TASK_DROPPED', 'TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);
});

test('unions narrow with ts-pattern and exhaustive() covers every member', () => {
  const summary = (e: SchedulerEvent): string =>
    match(e)
      .with({ type: 'SUBSCRIBED' }, (x) => `subscribed ${x.subscribed.framework_id.value}`)
      .with({ type: 'OFFERS' }, (x) => `offers ${x.offers.offers?.length ?? 0}`)
      .with({ type: 'INVERSE_OFFERS' }, () => 'inverse offers')
      .with({ type: 'RESCIND' }, (x) => `rescind ${x.rescind.offer_id.value}`)
      .with({ type: 'RESCIND_INVERSE_OFFER' }, () => 'rescind inverse')
      .with({ type: 'UPDATE' }, (x) => `update ${x.update.status.state}`)
      .with({ type: 'UPDATE_OPERATION_STATUS' }, () => 'operation')
      .with({ type: 'MESSAGE' }, (x) => `message ${x.message.data}`)
      .with({ type: 'FAILURE' }, (x) => `failure ${x.failure.agent_id?.value}`)
      .with({ type: 'ERROR' }, (x) => `error ${x.error.message}`)
      .with({ type: 'HEARTBEAT' }, () => 'heartbeat')
      .exhaustive();
  assert.is(summary({ type: 'UPDATE', update: { status: { task_id: { value: 't' }, state: 'TASK_RUNNING' } } }), 'update TASK_RUNNING');
  assert.is(summary({ type: 'HEARTBEAT' }), 'heartbeat');

  const executor = (e: ExecutorEvent): string =>
    match(e)
      .with({ type: 'LAUNCH' }, (x) => x.launch.task.task_id.value)
      .with({ type: 'KILL' }, (x) => `kill ${x.kill.task_id.value}`)
      .otherwise((x) => x.type);
  assert.is(executor({ type: 'KILL', kill: { task_id: { value: 't' } } }), 'kill t');

  const internal = (m: InternalMessage): string =>
    match(m)
      .with({ type: 'STATUS_UPDATE' }, (x) => x.update.latest_state ?? x.update.status.state)
      .with({ type: 'PING' }, (x) => String(x.connected))
      .otherwise((x) => x.type);
  assert.is(internal({ type: 'PING', connected: false }), 'false');
});

test.run();
