/**
 * CHECKPOINT_RESOURCES (Mesos's CheckpointResourcesMessage) from the master's books to the
 * agent's checkpoint: every operation that changes an agent's reservations or volumes sends the
 * agent its whole new set; the agent checkpoints it, makes a new volume's directory and deletes
 * a destroyed volume's directory (Slave::syncCheckpointedResources), keeps the set across a
 * restart and reports it when it reregisters; a reregistered agent holding another set than the
 * master's books is sent the books.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import type { AgentCheckpoint } from '../../spec/machines/agent.ts';
import { describeResources, fromWire } from '../../spec/resources/index.ts';
import { registered } from '../support/agent-sim.ts';
import { MasterDriver, agentInfo } from '../support/master-driver.ts';
import { launchCall } from '../../spec/protocol/scheduler.ts';
import type { Resource } from '../../spec/protocol/common.ts';

const RESERVATION = [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }];
const reservedDisk = (mb: number) => ({ name: 'disk', type: 'SCALAR', scalar: { value: mb }, reservations: RESERVATION });
const volume = (mb: number, id = 'v1') => ({ ...reservedDisk(mb), disk: { persistence: { id, principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } });

/** The resources of a CHECKPOINT_RESOURCES as Mesos's text ('' for none). */
function text(m: AnyEventObject): string {
  const r = fromWire((m.resources as unknown[] | undefined) ?? []);
  if (!r.ok) throw new Error(r.error);
  return describeResources(r.value);
}

function masterWithAgent() {
  const d = new MasterDriver();
  const aid = d.registerAgent('agent-0', 'cpus:2;mem:1024;disk:1024');
  /** An operator call; returns the CHECKPOINT_RESOURCES it sent the agent. */
  const op = (event: { type: string } & Record<string, unknown>) => {
    d.deliver({ ...event, agent_id: aid, request: 'op' });
    assert.equal(d.replies(), [{ status: 202 }], `${event.type} was refused`);
    return d.sent('agent-0', 'CHECKPOINT_RESOURCES');
  };
  return { d, aid, op };
}

test('RESERVE, CREATE_VOLUMES, DESTROY_VOLUMES: the agent is sent its whole set each time, checkpoints it, makes then deletes the volume directory', () => {
  const { op } = masterWithAgent();
  const reserved = op({ type: 'OPERATOR_RESERVE', resources: [reservedDisk(64)] });
  assert.equal(reserved.map(text), ['disk(reservations: [(DYNAMIC,web,ops)]):64']);
  const created = op({ type: 'OPERATOR_CREATE_VOLUMES', volumes: [volume(64)] });
  assert.equal(created.map(text), ['disk(reservations: [(DYNAMIC,web,ops)])[v1:data]:64']);
  const destroyed = op({ type: 'OPERATOR_DESTROY_VOLUMES', volumes: [volume(64)] });
  assert.equal(destroyed.map(text), ['disk(reservations: [(DYNAMIC,web,ops)]):64']);
  const unreserved = op({ type: 'OPERATOR_UNRESERVE', resources: [reservedDisk(64)] });
  assert.equal(unreserved, [{ type: 'CHECKPOINT_RESOURCES' }]);

  const sim = registered();
  const checkpointed = () => (sim.persists[sim.persists.length - 1]!.value as AgentCheckpoint).resources;
  sim.master(reserved[0]!);
  assert.equal(checkpointed(), reserved[0]!.resources);
  assert.equal(sim.volumes, []);
  sim.master(created[0]!);
  assert.equal(checkpointed(), created[0]!.resources);
  assert.equal(sim.volumes, ['create web/v1']);
  // The same set again (a resend) changes nothing.
  const persisted = sim.persists.length;
  sim.master(created[0]!);
  assert.is(sim.persists.length, persisted);
  assert.equal(sim.volumes, ['create web/v1']);
  sim.master(destroyed[0]!);
  assert.equal(checkpointed(), destroyed[0]!.resources);
  assert.equal(sim.volumes, ['create web/v1', 'delete web/v1']);
  sim.master(unreserved[0]!);
  assert.is(checkpointed(), undefined);
  assert.is(sim.ctx.resources, undefined);
  assert.equal(sim.volumes, ['create web/v1', 'delete web/v1']);
  assert.equal(sim.sent(), [], 'the agent answers nothing');
});

test('an agent restart keeps the checkpointed resources and reports them when it reregisters', () => {
  const { op } = masterWithAgent();
  op({ type: 'OPERATOR_RESERVE', resources: [reservedDisk(64)] });
  const created = op({ type: 'OPERATOR_CREATE_VOLUMES', volumes: [volume(64)] })[0]!;
  const sim = registered();
  sim.master(created);
  sim.restart();
  assert.equal(sim.ctx.resources, created.resources);
  const rereg = sim.sent().find((m) => m.type === 'REREGISTER_AGENT')!;
  assert.equal(rereg.checkpointed_resources, created.resources);
});

test('a reregistered agent whose checkpointed set differs from the books is sent the books; one that agrees is sent nothing', () => {
  const { d, aid, op } = masterWithAgent();
  op({ type: 'OPERATOR_RESERVE', resources: [reservedDisk(64)] });
  const created = op({ type: 'OPERATOR_CREATE_VOLUMES', volumes: [volume(64)] })[0]!;
  const rereg = (checkpointed: unknown[] | undefined) => {
    d.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
    const info = { ...agentInfo('agent-0', 'cpus:2;mem:1024;disk:1024'), id: { value: aid } };
    d.deliver({ type: 'REREGISTER_AGENT', agent_info: info, version: '1.11.0', ...(checkpointed ? { checkpointed_resources: checkpointed } : {}), from: 'agent-0' });
    assert.equal(d.sent('agent-0', 'AGENT_REREGISTERED').length, 1);
    return d.sent('agent-0', 'CHECKPOINT_RESOURCES');
  };
  // It missed the CREATE (it still holds only the reservation): it gets the volume.
  assert.equal(rereg([reservedDisk(64)]).map(text), [text(created)]);
  // It missed everything: same.
  assert.equal(rereg(undefined).map(text), [text(created)]);
  // It holds the books already.
  assert.equal(rereg(created.resources as unknown[]), []);
});

test('DESTROY_VOLUMES of a volume a launched task uses: refused (400), and the agent is sent nothing', () => {
  const { d, aid, op } = masterWithAgent();
  op({ type: 'OPERATOR_RESERVE', resources: [reservedDisk(64)] });
  op({ type: 'OPERATOR_CREATE_VOLUMES', volumes: [volume(64)] });
  // A DESTROY_VOLUMES while a task uses it is refused and sends nothing.
  const web = d.subscribe('fw-web', {
    user: 'u',
    name: 'web',
    roles: ['web'],
    principal: 'ops',
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
  }) as { fid: string; stream: string };
  d.fire('allocation');
  const offer = (d.sent('fw-web', 'OFFERS')[0]!.offers as { offers: { id: { value: string } }[] }).offers[0]!;
  const allocated = (r: object) => ({ ...r, allocation_info: { role: 'web' } });
  d.call(
    'fw-web',
    web,
    launchCall(
      { value: web.fid },
      [offer.id],
      [
        {
          name: 't',
          task_id: { value: 't' },
          agent_id: { value: aid },
          resources: [allocated(volume(64)), allocated({ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } })] as Resource[],
          command: { value: 'sleep 60', shell: true },
        },
      ],
    ),
  );
  assert.equal(d.sent('agent-0', 'RUN_TASK').length, 1);
  d.deliver({ type: 'OPERATOR_DESTROY_VOLUMES', agent_id: aid, volumes: [volume(64)], request: 'op' });
  assert.equal(d.replies(), [{ status: 400, message: 'Invalid DESTROY operation: Persistent volumes in use' }]);
  assert.equal(d.sent('agent-0', 'CHECKPOINT_RESOURCES'), []);
});

test.run();
