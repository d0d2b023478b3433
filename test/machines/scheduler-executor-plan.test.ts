/**
 * The polite scheduler's plan with a custom executor (WantedTask.executor, `mesos-ref run
 * --executor`): the first task on an agent pays for the executor, later ones (in the same answer,
 * or once the offer names the executor in `executor_ids`) do not; the task carries the
 * ExecutorInfo and its command as base64 `data` instead of a CommandInfo.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plan, type WantedTask } from '../../spec/machines/scheduler.ts';
import type { ExecutorInfo, Offer } from '../../spec/protocol/common.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import { parseRunFlags } from '../../cli/run.ts';

const wire = (r: string) => toWire(mustParseResources(r)) as Offer['resources'];
const executor: ExecutorInfo = { executor_id: { value: 'x' }, command: { value: 'my-executor' }, resources: wire('cpus:0.5;mem:32') };
const want = (id: string): WantedTask => ({ task_id: id, resources: wire('cpus:1;mem:64')!, command: { value: `echo ${id}`, shell: true }, executor });
const offer = (resources: string, executor_ids?: string[]): Offer => ({
  id: { value: 'o' },
  framework_id: { value: 'f' },
  agent_id: { value: 'a' },
  hostname: 'h',
  resources: wire(resources),
  ...(executor_ids ? { executor_ids: executor_ids.map((value) => ({ value })) } : {}),
});

test('the first task brings the executor`s resources, the second shares it; the command travels as data', () => {
  const tasks = plan({ tasks: [want('a'), want('b'), want('c')], launched: [] }, offer('cpus:2.5;mem:1024'));
  assert.equal(
    tasks.map((t) => t.task_id.value),
    ['a', 'b'],
  );
  assert.equal(tasks[0]!.executor, executor);
  assert.is(tasks[0]!.command, undefined);
  assert.is(Buffer.from(tasks[0]!.data!, 'base64').toString(), 'echo a');
});

test('an executor the offer names is not paid for again', () => {
  assert.is(plan({ tasks: [want('a')], launched: [] }, offer('cpus:1;mem:64')).length, 0);
  assert.is(plan({ tasks: [want('a')], launched: [] }, offer('cpus:1;mem:64', ['x'])).length, 1);
});

test('--executor: an empty command is refused, naming the flag', () => {
  const r = parseRunFlags({ master: 'http://127.0.0.1:5050', command: 'true', cpus: '0.1', mem: '32', instances: '1', name: 'n', executor: ' ' });
  assert.equal(r, { ok: false, error: "--executor: expected the executor's shell command, e.g. 'node examples/shell-executor.cjs'" });
  const ok = parseRunFlags({ master: 'http://127.0.0.1:5050', command: 'true', cpus: '0.1', mem: '32', instances: '1', name: 'n', executor: 'node x.cjs' });
  assert.ok(ok.ok && ok.options.executor === 'node x.cjs');
});

test.run();
