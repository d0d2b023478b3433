/**
 * The agent's checkpointed resources end to end, against a real master and a real agent process
 * over HTTP (Mesos's CheckpointResourcesMessage and Slave::syncCheckpointedResources): an
 * operator's RESERVE_RESOURCES and CREATE_VOLUMES reach the agent's checkpoint and make the
 * volume's directory before any task uses it; the agent restarts and still holds them;
 * DESTROY_VOLUMES deletes the directory and what was written in it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { volumePath } from '../../impl/agent/volumes.ts';
import { describeResources, fromWire } from '../../spec/resources/index.ts';
import { eventually } from '../support/eventually.ts';
import { operatorCall } from '../support/master-http.ts';
import { MasterAndAgent } from '../support/master-and-agent.ts';

const test = suite('checkpointed resources end to end');

const fx = new MasterAndAgent(test);

const RESERVATION = [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }];
const reservedDisk = { name: 'disk', type: 'SCALAR', scalar: { value: 64 }, reservations: RESERVATION };
const volume = { ...reservedDisk, disk: { persistence: { id: 'logs', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };
const AGENT_RESOURCES = 'cpus:2;mem:256;disk:256';

/** The agent's checkpointed resources as Mesos's text, read from its checkpoint file ('' for none). */
function checkpointed(workDir: string): string {
  const c = JSON.parse(readFileSync(join(workDir, 'meta', 'checkpoint.json'), 'utf8')) as { resources?: unknown[] };
  const r = fromWire(c.resources ?? []);
  return r.ok ? describeResources(r.value) : r.error;
}

async function call(url: string, body: unknown): Promise<void> {
  const r = await operatorCall(url, JSON.stringify(body));
  assert.is(r.status, 202, r.body);
}

test('CREATE_VOLUMES makes the directory and is checkpointed; the agent restarts holding it; DESTROY_VOLUMES deletes the directory and its data', async () => {
  const { master, workDir, aid } = await fx.start('mesos-ref-volume-checkpoint-', ['--resources', AGENT_RESOURCES]);
  const agent_id = { value: aid };
  const dir = volumePath(workDir, 'web', 'logs');

  await call(master.url, { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id, resources: [reservedDisk] } });
  await eventually(() => checkpointed(workDir) === 'disk(reservations: [(DYNAMIC,web,ops)]):64', 15_000, 'the reservation in the agent checkpoint');
  assert.not.ok(existsSync(dir), 'a reservation makes no volume directory');

  await call(master.url, { type: 'CREATE_VOLUMES', create_volumes: { agent_id, volumes: [volume] } });
  await eventually(() => existsSync(dir), 15_000, 'the volume directory');
  assert.is(checkpointed(workDir), 'disk(reservations: [(DYNAMIC,web,ops)])[logs:data]:64');
  writeFileSync(join(dir, 'note'), 'data to be destroyed\n');

  // The agent restarts on the same work dir: its checkpoint still holds the volume, and so does the directory.
  await fx.restartAgent(aid, ['--resources', AGENT_RESOURCES]);
  assert.is(checkpointed(workDir), 'disk(reservations: [(DYNAMIC,web,ops)])[logs:data]:64');
  assert.is(readFileSync(join(dir, 'note'), 'utf8'), 'data to be destroyed\n');

  await call(master.url, { type: 'DESTROY_VOLUMES', destroy_volumes: { agent_id, volumes: [volume] } });
  await eventually(() => !existsSync(dir), 15_000, 'the volume directory to be deleted');
  assert.is(checkpointed(workDir), 'disk(reservations: [(DYNAMIC,web,ops)]):64');
  assert.ok(existsSync(join(workDir, 'volumes', 'roles', 'web')), 'only the volume’s own directory goes');
});

test.run();
