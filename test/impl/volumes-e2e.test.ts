/**
 * Persistent volumes end to end over HTTP, against a real master and a real agent process: one
 * ACCEPT [RESERVE, CREATE, LAUNCH] whose task writes a file in the volume; the agent restarts;
 * the volume is offered again to its role only; a second task reads the file; DESTROY then
 * UNRESERVE give the disk back to `*` and the agent deletes the volume's directory. Every step waits on an event, never on a fixed sleep.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { volumePath } from '../../impl/agent/volumes.ts';
import { eventually } from '../support/eventually.ts';
import { operatorCall, schedulerCall, type EventStream } from '../support/master-http.ts';
import { MasterAndAgent, type Offer } from '../support/master-and-agent.ts';
import { describeResources, fromWire } from '../../spec/resources/index.ts';

const test = suite('persistent volumes end to end');

const fx = new MasterAndAgent(test);

const RESERVATION = [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }];
const reserved = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value }, reservations: RESERVATION });
const volume = { ...reserved('disk', 64), disk: { persistence: { id: 'logs', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };
const AGENT_RESOURCES = 'cpus:2;mem:256;disk:256';

type Framework = { stream: EventStream; fid: string };

async function framework(role: string): Promise<Framework> {
  const info = {
    user: 'root',
    name: role,
    roles: [role],
    principal: 'ops',
    failover_timeout: 3600,
    checkpoint: true,
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
  };
  const stream = await fx.subscribe(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: info } }));
  const first = JSON.parse((await stream.next(15_000))!) as { type: string; subscribed?: { framework_id: { value: string } } };
  if (first.type !== 'SUBSCRIBED') throw new Error(`SUBSCRIBE answered ${JSON.stringify(first)}`);
  const fid = first.subscribed!.framework_id.value;
  return { stream, fid };
}

const text = (resources: unknown[]) => {
  const r = fromWire(resources);
  return r.ok ? describeResources(r.value) : r.error;
};

/** The next event of `type` that `pred` accepts; reliable updates on the way are acknowledged, offers not wanted are declined. */
async function until<T>(fw: Framework, type: string, pred: (e: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const raw = await fw.stream.next(Math.max(1, deadline - Date.now()));
    if (raw === null) throw new Error(`no ${type} in time`);
    const e = JSON.parse(raw) as { type: string; update?: { status: { task_id: unknown; agent_id: unknown; uuid?: string } }; offers?: { offers: Offer[] } };
    const s = e.update?.status;
    if (e.type === 'UPDATE' && s?.uuid !== undefined) {
      const ack = { type: 'ACKNOWLEDGE', framework_id: { value: fw.fid }, acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } };
      assert.is((await schedulerCall(fx.master!.url, JSON.stringify(ack), fw.stream.streamId)).status, 202);
    }
    if (e.type === type && pred(e as T)) return e as T;
    if (e.type === 'OFFERS') {
      const decline = { type: 'DECLINE', framework_id: { value: fw.fid }, decline: { offer_ids: e.offers!.offers.map((o) => o.id), filters: { refuse_seconds: 0.1 } } };
      await schedulerCall(fx.master!.url, JSON.stringify(decline), fw.stream.streamId);
    }
  }
}

/** Takes every event already received (updates acknowledged, offers declined), waiting for none. */
async function drain(fw: Framework): Promise<void> {
  for (;;) {
    try {
      await until(fw, 'NONE', () => false, 1);
    } catch {
      return;
    }
  }
}

const offerWith = (fw: Framework, wanted: (text: string) => boolean) =>
  until<{ offers: { offers: Offer[] } }>(fw, 'OFFERS', (e) => e.offers.offers.some((o) => wanted(text(o.resources)))).then((e) =>
    e.offers.offers.find((o) => wanted(text(o.resources)))!,
  );

async function accept(fw: Framework, o: Offer, operations: unknown[]): Promise<void> {
  const call = { type: 'ACCEPT', framework_id: { value: fw.fid }, accept: { offer_ids: [o.id], operations, filters: { refuse_seconds: 0 } } };
  const r = await schedulerCall(fx.master!.url, JSON.stringify(call), fw.stream.streamId);
  assert.is(r.status, 202, r.body);
}

type OperationUpdate = { update_operation_status: { status: { operation_id: { value: string }; state: string; message?: string } } };
const operation = (fw: Framework, id: string) => until<OperationUpdate>(fw, 'UPDATE_OPERATION_STATUS', (e) => e.update_operation_status.status.operation_id.value === id);
type Update = { update: { status: { task_id: { value: string }; state: string; message?: string } } };
const ended = (fw: Framework, task: string) =>
  until<Update>(
    fw,
    'UPDATE',
    (e) => e.update.status.task_id.value === task && ['TASK_FINISHED', 'TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED'].includes(e.update.status.state),
  );

const task = (id: string, o: Offer, command: string) => ({
  name: id,
  task_id: { value: id },
  agent_id: o.agent_id,
  resources: [reserved('cpus', 1), reserved('mem', 64), volume],
  command: { value: command, shell: true },
});

test('RESERVE, CREATE, LAUNCH writes in the volume; after an agent restart the volume is offered to web only and the next task reads it; DESTROY, UNRESERVE give it back to *', async () => {
  const { master, workDir, aid } = await fx.start('mesos-ref-volumes-', ['--resources', AGENT_RESOURCES]);
  const web = await framework('web');

  // One ACCEPT: reserve, create the volume, launch a task that writes in it.
  const first = await offerWith(web, (t) => t.includes('disk'));
  await accept(web, first, [
    { type: 'RESERVE', id: { value: 'reserve' }, reserve: { resources: [reserved('cpus', 1), reserved('mem', 64), reserved('disk', 64)] } },
    { type: 'CREATE', id: { value: 'create' }, create: { volumes: [volume] } },
    { type: 'LAUNCH', launch: { task_infos: [task('writer', first, 'echo written-by-the-first-task > data/note')] } },
  ]);
  assert.is((await operation(web, 'reserve')).update_operation_status.status.state, 'OPERATION_FINISHED');
  assert.is((await operation(web, 'create')).update_operation_status.status.state, 'OPERATION_FINISHED');
  assert.is((await ended(web, 'writer')).update.status.state, 'TASK_FINISHED');
  assert.is(readFileSync(join(volumePath(workDir, 'web', 'logs'), 'note'), 'utf8'), 'written-by-the-first-task\n');
  // web wants nothing for now: what it holds goes back, and another role may be offered the agent.
  assert.is((await schedulerCall(master.url, JSON.stringify({ type: 'SUPPRESS', framework_id: { value: web.fid } }), web.stream.streamId)).status, 202);

  // The agent restarts (same work dir and port); its reservations and the volume are still its own.
  await fx.restartAgent(aid, ['--resources', AGENT_RESOURCES]);
  const agents = (await operatorCall(master.url, '{"type":"GET_AGENTS"}')).json as { get_agents: { agents: { total_resources: unknown[] }[] } };
  assert.is(
    text(agents.get_agents.agents[0]!.total_resources),
    'cpus:1; cpus(reservations: [(DYNAMIC,web,ops)]):1; disk:192; disk(reservations: [(DYNAMIC,web,ops)])[logs:data]:64; mem:192; mem(reservations: [(DYNAMIC,web,ops)]):64',
  );

  // Another role is offered only the unreserved part; web gets the volume and reads what the first task wrote.
  const batch = await framework('batch');
  const toBatch = await until<{ offers: { offers: Offer[] } }>(batch, 'OFFERS', () => true);
  assert.equal(
    toBatch.offers.offers.map((o) => text(o.resources)),
    ['cpus(allocated: batch):1; disk(allocated: batch):192; mem(allocated: batch):192'],
  );
  // batch declines for long; web revives and is offered the volume.
  const decline = { type: 'DECLINE', framework_id: { value: batch.fid }, decline: { offer_ids: toBatch.offers.offers.map((o) => o.id), filters: { refuse_seconds: 3600 } } };
  assert.is((await schedulerCall(master.url, JSON.stringify(decline), batch.stream.streamId)).status, 202);
  // What web was sent before the restart (offers since rescinded) is read and left behind.
  await drain(web);
  assert.is((await schedulerCall(master.url, JSON.stringify({ type: 'REVIVE', framework_id: { value: web.fid } }), web.stream.streamId)).status, 202);
  const again = await offerWith(web, (t) => t.includes('[logs:data]'));
  await accept(web, again, [{ type: 'LAUNCH', launch: { task_infos: [task('reader', again, 'test "$(cat data/note)" = written-by-the-first-task')] } }]);
  const read = (await ended(web, 'reader')).update.status;
  assert.is(read.state, 'TASK_FINISHED', `the second task read the first task’s file: ${read.message ?? ''}`);

  // DESTROY then UNRESERVE: the disk, cpus and mem go back to *.
  const last = await offerWith(web, (t) => t.includes('[logs:data]'));
  await accept(web, last, [
    { type: 'DESTROY', id: { value: 'destroy' }, destroy: { volumes: [volume] } },
    { type: 'UNRESERVE', id: { value: 'unreserve' }, unreserve: { resources: [reserved('cpus', 1), reserved('mem', 64), reserved('disk', 64)] } },
  ]);
  assert.is((await operation(web, 'destroy')).update_operation_status.status.state, 'OPERATION_FINISHED');
  assert.is((await operation(web, 'unreserve')).update_operation_status.status.state, 'OPERATION_FINISHED');
  const after = (await operatorCall(master.url, '{"type":"GET_AGENTS"}')).json as { get_agents: { agents: { total_resources: unknown[] }[] } };
  assert.is(text(after.get_agents.agents[0]!.total_resources), 'cpus:2; disk:256; mem:256');
  // The agent deletes the destroyed volume's directory and the data in it (CHECKPOINT_RESOURCES).
  await eventually(() => !existsSync(volumePath(workDir, 'web', 'logs')), 15_000, 'the volume directory to be deleted');
  assert.ok(existsSync(workDir));
});

test.run();
