/**
 * The cluster page's logic without a browser: RecordIO records split anywhere across chunks (the
 * page reads its stream with spec/protocol/recordio.ts),
 * and the view folded from operator events (reference 3.1) as the page folds them.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordIODecoder } from '../../spec/protocol/recordio.ts';
import { applyEvent, clusterTotals, EMPTY_VIEW, roleRows, sandboxPath } from '../../ui/cluster/view.ts';
import type { MasterEvent } from '../../spec/protocol/operator.ts';

const test = suite('cluster page: RecordIO and the view');

test('RecordIO: records cut at every byte come out whole, multi-byte characters included', () => {
  const records = ['{"type":"HEARTBEAT"}', '{"name":"héllo ✓"}'];
  const bytes = new TextEncoder().encode(records.map((r) => `${new TextEncoder().encode(r).length}\n${r}`).join(''));
  for (let cut = 0; cut <= bytes.length; cut++) {
    const reader = new RecordIODecoder();
    assert.equal([...reader.decodeText(bytes.subarray(0, cut)), ...reader.decodeText(bytes.subarray(cut))], records, `cut at ${cut}`);
  }
  assert.throws(() => new RecordIODecoder().decodeText(new TextEncoder().encode('x1\n{}')), /decode length/);
});

const cpus = (value: number, role?: string) => ({ name: 'cpus', type: 'SCALAR' as const, scalar: { value }, ...(role ? { allocation_info: { role } } : {}) });

test('the view: SUBSCRIBED, TASK_ADDED, TASK_UPDATED appends to the history, FRAMEWORK_REMOVED completes it', () => {
  const events: MasterEvent[] = [
    {
      type: 'SUBSCRIBED',
      subscribed: {
        get_state: {
          get_agents: { agents: [{ agent_info: { id: { value: 'A1' }, hostname: 'h', port: 5051 }, active: true, version: '1.11.0', total_resources: [cpus(4)] }] },
          get_frameworks: {
            frameworks: [
              {
                framework_info: { id: { value: 'F1' }, name: 'web', user: 'u', roles: ['web'] },
                active: true,
                connected: true,
                recovered: false,
                allocated_resources: [cpus(1, 'web')],
                offered_resources: [cpus(2, 'web')],
              },
            ],
          },
        },
      },
    },
    {
      type: 'TASK_ADDED',
      task_added: { task: { name: 't', task_id: { value: 'T1' }, framework_id: { value: 'F1' }, agent_id: { value: 'A1' }, state: 'TASK_STAGING', resources: [] } },
    },
    { type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'F1' }, state: 'TASK_RUNNING', status: { task_id: { value: 'T1' }, state: 'TASK_RUNNING' } } },
    { type: 'HEARTBEAT' },
    { type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'F1' }, state: 'TASK_FINISHED', status: { task_id: { value: 'T1' }, state: 'TASK_FINISHED' } } },
  ];
  const v = events.reduce(applyEvent, EMPTY_VIEW);
  assert.is(v.tasks.length, 1);
  assert.is(v.tasks[0]!.state, 'TASK_FINISHED');
  assert.equal(
    v.tasks[0]!.statuses!.map((s) => s.state),
    ['TASK_RUNNING', 'TASK_FINISHED'],
  );
  assert.is(sandboxPath(v.tasks[0]!), '/frameworks/F1/executors/T1/runs/latest');
  assert.equal(roleRows(v), [{ role: 'web', used: { cpus: 1, mem: 0, disk: 0 }, offered: { cpus: 2, mem: 0, disk: 0 } }]);
  assert.equal(clusterTotals(v).idle, { cpus: 1, mem: 0, disk: 0 });
  const removed = applyEvent(v, { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { id: { value: 'F1' }, name: 'web', user: 'u' } } });
  assert.is(removed.frameworks.length, 0);
  assert.is(removed.completedFrameworks.length, 1);
  assert.is(applyEvent(v, { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'A1' } } }).agents.length, 0);
});

test.run();
