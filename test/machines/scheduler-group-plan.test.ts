/**
 * The polite scheduler's plan with a task group (WantedTask.group, `mesos-ref run --group N`):
 * the whole group and its default executor fit on one offer or nothing is launched, and the
 * answer is one LAUNCH_GROUP naming the executor; `--group` flags are checked.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answer, plan, type SchedulerContext, type WantedTask } from '../../spec/machines/scheduler.ts';
import type { ExecutorInfo, Offer } from '../../spec/protocol/common.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import { parseRunFlags } from '../../cli/run.ts';

const wire = (r: string) => toWire(mustParseResources(r)) as Offer['resources'];
const group: ExecutorInfo = { type: 'DEFAULT', executor_id: { value: 'g' }, resources: wire('cpus:0.5;mem:32;disk:32') };
const want = (id: string): WantedTask => ({ task_id: id, resources: wire('cpus:1;mem:64')!, command: { value: `echo ${id}`, shell: true }, group });
const offer = (resources: string): Offer => ({ id: { value: 'o' }, framework_id: { value: 'f' }, agent_id: { value: 'a' }, hostname: 'h', resources: wire(resources) });

test('all of the group and its executor, or nothing', () => {
  const tasks = [want('a'), want('b'), want('c')];
  assert.is(plan({ tasks, launched: [] }, offer('cpus:3;mem:1024;disk:100')).length, 0);
  const all = plan({ tasks, launched: [] }, offer('cpus:3.5;mem:1024;disk:100'));
  assert.equal(
    all.map((t) => [t.task_id.value, t.executor?.executor_id.value, t.command?.value]),
    [
      ['a', 'g', 'echo a'],
      ['b', 'g', 'echo b'],
      ['c', 'g', 'echo c'],
    ],
  );
});

test('the answer is one LAUNCH_GROUP with the executor, its tasks without one', () => {
  const c = { tasks: [want('a'), want('b')], launched: [], refuse_seconds: 5, framework_id: 'f' } as unknown as SchedulerContext;
  const { calls, launched } = answer(c, [offer('cpus:4;mem:1024;disk:100')]);
  assert.equal(launched, ['a', 'b']);
  const ops = (calls[0]!.type === 'ACCEPT' ? calls[0]!.accept.operations : undefined) ?? [];
  assert.equal(
    ops.map((o) => o.type),
    ['LAUNCH_GROUP'],
  );
  assert.equal(ops[0]!.launch_group!.executor, group);
  assert.equal(
    ops[0]!.launch_group!.task_group.tasks!.map((t) => [t.task_id.value, t.executor]),
    [
      ['a', undefined],
      ['b', undefined],
    ],
  );
});

test('--group: a count, not with --executor, not against --instances; it sets the number of tasks', () => {
  const flags = { master: 'http://127.0.0.1:5050', command: 'true', cpus: '0.1', mem: '32', instances: '1', name: 'n' };
  assert.equal(parseRunFlags({ ...flags, group: 'x' }), { ok: false, error: "--group: expected a whole number of tasks of at least 1, got 'x'" });
  assert.equal(parseRunFlags({ ...flags, group: '2', executor: 'e' }), { ok: false, error: '--group: a task group runs under the default executor, not --executor' });
  assert.equal(parseRunFlags({ ...flags, group: '2', instances: '3' }), { ok: false, error: '--group: runs 2 tasks, which --instances 3 contradicts (leave --instances out)' });
  const ok = parseRunFlags({ ...flags, group: '3' });
  assert.ok(ok.ok && ok.options.group === true && ok.options.instances === 3);
});

test.run();
