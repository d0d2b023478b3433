/**
 * Lifecycles through a real master on loopback, with a fake agent that speaks the master <-> agent
 * transport (docs/runtime-transport.md): a task from offer to acknowledged TASK_FINISHED with the
 * operator event stream watching; framework disconnection and failover with the same framework
 * id; failover_timeout expiry; a master restart recovering the registry from --work-dir.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assign } from 'xstate';
import { startMaster } from '../../impl/master/server.ts';
import { master as masterMachine } from '../../spec/machines/master.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { EventStream, getJson, operatorCall, schedulerCall, subscribe } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import type { Offer, TaskStatus } from '../../spec/protocol/common.ts';

const FAST = { allocationIntervalMs: 30 };
const quiet = () => {};

type Subscribed = { subscribed: { framework_id: { value: string } } };

const subscribeCall = (name: string, failover: number, fid?: string) =>
  JSON.stringify({
    type: 'SUBSCRIBE',
    ...(fid ? { framework_id: { value: fid } } : {}),
    subscribe: { framework_info: { user: 'root', name, failover_timeout: failover, ...(fid ? { id: { value: fid } } : {}) } },
  });

const launch = (fid: string, offer: Offer, taskId: string) => ({
  type: 'ACCEPT' as const,
  framework_id: { value: fid },
  accept: {
    offer_ids: [offer.id],
    operations: [
      {
        type: 'LAUNCH' as const,
        launch: {
          task_infos: [
            {
              name: taskId,
              task_id: { value: taskId },
              agent_id: offer.agent_id,
              resources: [
                { name: 'cpus', type: 'SCALAR' as const, scalar: { value: 0.5 } },
                { name: 'mem', type: 'SCALAR' as const, scalar: { value: 64 } },
              ],
              command: { value: 'true' },
            },
          ],
        },
      },
    ],
    filters: { refuse_seconds: 0.05 },
  },
});

const ack = (fid: string, s: TaskStatus) => ({
  type: 'ACKNOWLEDGE' as const,
  framework_id: { value: fid },
  acknowledge: { agent_id: s.agent_id!, task_id: s.task_id, uuid: s.uuid! },
});

test('a task from offer to acknowledged TASK_FINISHED; operator events, metrics and books agree', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  const events = await EventStream.open(master.url, '/api/v1', '{"type":"SUBSCRIBE"}');
  try {
    assert.is(events.status, 200);
    assert.is(events.headers['content-type'], 'application/json');
    const first = await events.nextOfType<{ subscribed: { get_state: unknown; heartbeat_interval_seconds: number } }>('SUBSCRIBED');
    assert.is(first.subscribed.heartbeat_interval_seconds, 15);
    assert.match(events.records[0]!, /"heartbeat_interval_seconds":15\.0\}\}$/);
    assert.is(events.records[1], '{"type":"HEARTBEAT"}');

    const agent = await new FakeAgent({ master: master.url }).start();
    const added = await events.nextOfType<{ agent_added: { agent: { agent_info: { id: { value: string } } } } }>('AGENT_ADDED');
    assert.is(added.agent_added.agent.agent_info.id.value, agent.agentId);

    const fw = await subscribe(master.url, subscribeCall('lifecycle', 60));
    const fid = (await fw.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value;
    assert.is(
      (await events.nextOfType<{ framework_added: { framework: { framework_info: { id: { value: string } } } } }>('FRAMEWORK_ADDED')).framework_added.framework.framework_info.id
        .value,
      fid,
    );
    const offers = await fw.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS');
    const offer = offers.offers.offers[0]!;
    assert.is(offer.agent_id.value, agent.agentId);

    const r = await schedulerCall(master.url, launch(fid, offer, 't1'), fw.streamId);
    assert.equal([r.status, r.body], [202, '']);
    const taskAdded = await events.nextOfType<{ task_added: { task: { task_id: { value: string }; state: string } } }>('TASK_ADDED');
    assert.equal([taskAdded.task_added.task.task_id.value, taskAdded.task_added.task.state], ['t1', 'TASK_STAGING']);

    for (const state of ['TASK_RUNNING', 'TASK_FINISHED']) {
      const u = await fw.nextOfType<{ update: { status: TaskStatus } }>('UPDATE');
      assert.is(u.update.status.state, state);
      assert.ok(u.update.status.uuid, 'reliable updates carry a uuid');
      const updated = await events.nextOfType<{ task_updated: { state: string; framework_id: { value: string } } }>('TASK_UPDATED');
      assert.equal([updated.task_updated.state, updated.task_updated.framework_id.value], [state, fid]);
      assert.is((await schedulerCall(master.url, ack(fid, u.update.status), fw.streamId)).status, 202);
    }
    await eventually(() => agent.tasks.size === 0, 2000, 'the agent to see both acknowledgements');
    await eventually(() => master.context.frameworks[fid]!.completed.includes('t1'), 2000, 'the task to complete');

    const tasks = (await operatorCall(master.url, { type: 'GET_TASKS' })).json as { get_tasks: { tasks?: unknown[]; completed_tasks: { state: string }[] } };
    assert.is(tasks.get_tasks.tasks, undefined);
    assert.is(tasks.get_tasks.completed_tasks[0]!.state, 'TASK_FINISHED');
    const m = (await getJson(master.url, '/metrics/snapshot')) as Record<string, number>;
    assert.equal(
      [
        m['master/tasks_finished'],
        m['master/valid_status_updates'],
        m['master/valid_status_update_acknowledgements'],
        m['master/messages_launch_tasks'],
        m['master/slave_registrations'],
        m['master/messages_register_framework'],
      ],
      [1, 2, 2, 1, 1, 1],
    );
    fw.close();
    agent.close();
    assert.equal(master.violations, []);
  } finally {
    events.close();
    await master.close();
  }
});

test('disconnect, then failover within failover_timeout keeps the framework id; a second SUBSCRIBE fails the first over', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  try {
    const first = await subscribe(master.url, subscribeCall('failover', 60));
    const fid = (await first.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value;
    const oldStream = first.streamId;
    first.close();
    await eventually(() => master.context.frameworks[fid]?.connection === null, 2000, 'the disconnection');
    const fws = (await operatorCall(master.url, { type: 'GET_FRAMEWORKS' })).json as { get_frameworks: { frameworks: { connected: boolean; active: boolean }[] } };
    assert.equal([fws.get_frameworks.frameworks[0]!.connected, fws.get_frameworks.frameworks[0]!.active], [false, false]);
    const call = { type: 'RECONCILE' as const, framework_id: { value: fid }, reconcile: { tasks: [] } };
    assert.equal(await schedulerCall(master.url, call, oldStream).then((r) => [r.status, r.body]), [403, 'Framework is not subscribed']);

    const second = await subscribe(master.url, subscribeCall('failover', 60, fid));
    const again = await second.nextOfType<Subscribed>('SUBSCRIBED');
    assert.is(again.subscribed.framework_id.value, fid);
    assert.is.not(second.streamId, oldStream);
    assert.is((await schedulerCall(master.url, call, second.streamId)).status, 202);
    assert.is((await schedulerCall(master.url, call, oldStream)).status, 400);

    // A third instance takes over while the second is connected: the second gets ERROR and is closed.
    const third = await subscribe(master.url, subscribeCall('failover', 60, fid));
    assert.is((await third.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value, fid);
    const error = await second.nextOfType<{ error: { message: string } }>('ERROR');
    assert.is(error.error.message, 'Framework failed over');
    assert.ok(await second.waitEnd(2000));
    third.close();
    assert.equal(master.violations, []);
  } finally {
    await master.close();
  }
});

test('failover_timeout expiry removes the framework; resubscribing is refused with ERROR', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  try {
    const s = await subscribe(master.url, subscribeCall('short', 0.2));
    const fid = (await s.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value;
    s.close();
    await eventually(() => master.context.completedFrameworks.includes(fid), 3000, 'removal after failover_timeout');
    const back = await subscribe(master.url, subscribeCall('short', 0.2, fid));
    assert.is(back.status, 200);
    assert.is((await back.nextOfType<{ error: { message: string } }>('ERROR')).error.message, 'Framework has been removed');
    assert.ok(await back.waitEnd(2000));
  } finally {
    await master.close();
  }
});

test('a master restarted on its --work-dir recovers the registry: agents show as recovered until they reregister', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-master-'));
  try {
    const first = await startMaster({ port: 0, workDir: dir, checkInvariants: true, flags: FAST, log: quiet });
    const agent = await new FakeAgent({ master: first.url, script: () => ['TASK_RUNNING'] }).start();
    const fw = await subscribe(first.url, subscribeCall('survivor', 3600));
    const fid = (await fw.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value;
    const offer = (await fw.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS')).offers.offers[0]!;
    await schedulerCall(first.url, launch(fid, offer, 'long'), fw.streamId);
    const running = await fw.nextOfType<{ update: { status: TaskStatus } }>('UPDATE');
    await schedulerCall(first.url, ack(fid, running.update.status), fw.streamId);
    const registry = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { admitted: Record<string, { hostname: string }> };
    assert.equal(Object.keys(registry.admitted), [agent.agentId]);
    const port = first.port;
    fw.close();
    agent.close();
    await first.close();

    const second = await startMaster({ port, workDir: dir, checkInvariants: true, flags: FAST, log: quiet });
    try {
      assert.is.not(second.id, first.id);
      const agents = (await operatorCall(second.url, { type: 'GET_AGENTS' })).json as { get_agents: { agents?: unknown[]; recovered_agents: { id: { value: string } }[] } };
      assert.is(agents.get_agents.agents, undefined);
      assert.equal(
        agents.get_agents.recovered_agents.map((a) => a.id.value),
        [agent.agentId],
      );
      const v0 = (await getJson(second.url, '/master/state')) as { recovered_slaves: { id: string }[]; slaves: unknown[] };
      assert.equal([v0.recovered_slaves.map((s) => s.id), v0.slaves.length], [[agent.agentId], 0]);

      // The agent comes back with its id and its running task: registered again, task re-added.
      const back = new FakeAgent({ master: second.url });
      back.agentId = agent.agentId;
      for (const [tid, t] of agent.tasks) back.tasks.set(tid, { ...t, queue: [] });
      await back.start();
      const after = (await operatorCall(second.url, { type: 'GET_AGENTS' })).json as {
        get_agents: { agents: { agent_info: { id: { value: string } } }[]; recovered_agents?: unknown[] };
      };
      assert.equal(
        after.get_agents.agents.map((a) => a.agent_info.id.value),
        [agent.agentId],
      );
      assert.is(after.get_agents.recovered_agents, undefined);
      const fws = (await operatorCall(second.url, { type: 'GET_FRAMEWORKS' })).json as {
        get_frameworks: { frameworks: { framework_info: { id: { value: string } }; recovered: boolean }[] };
      };
      assert.equal(
        fws.get_frameworks.frameworks.map((f) => [f.framework_info.id.value, f.recovered]),
        [[fid, true]],
      );
      const tasks = (await operatorCall(second.url, { type: 'GET_TASKS' })).json as { get_tasks: { tasks: { task_id: { value: string }; state: string }[] } };
      assert.equal(
        tasks.get_tasks.tasks.map((t) => [t.task_id.value, t.state]),
        [['long', 'TASK_RUNNING']],
      );
      // The framework resubscribes to the new master with its id and learns about its task.
      const fw2 = await subscribe(second.url, subscribeCall('survivor', 3600, fid));
      assert.is((await fw2.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value, fid);
      const rec = await schedulerCall(second.url, { type: 'RECONCILE', framework_id: { value: fid }, reconcile: { tasks: [{ task_id: { value: 'long' } }] } }, fw2.streamId);
      assert.is(rec.status, 202);
      const u = await fw2.nextOfType<{ update: { status: TaskStatus } }>('UPDATE');
      assert.equal([u.update.status.task_id.value, u.update.status.state, u.update.status.reason], ['long', 'TASK_RUNNING', 'REASON_RECONCILIATION']);
      fw2.close();
      back.close();
      assert.equal(second.violations, []);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an agent that stops answering pings is removed; it comes back by reregistering; operator events follow', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: { ...FAST, agentPingTimeoutMs: 40, maxAgentPingTimeouts: 2 }, log: quiet });
  const events = await EventStream.open(master.url, '/api/v1', '{"type":"SUBSCRIBE"}');
  try {
    await events.nextOfType('SUBSCRIBED');
    const fw = await subscribe(master.url, subscribeCall('watcher', 60));
    const fid = (await fw.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value;
    await events.nextOfType('FRAMEWORK_ADDED');
    const agent = await new FakeAgent({ master: master.url }).start();
    await events.nextOfType('AGENT_ADDED');
    agent.disconnect();
    const removed = await events.nextOfType<{ agent_removed: { agent_id: { value: string } } }>('AGENT_REMOVED', 3000);
    assert.is(removed.agent_removed.agent_id.value, agent.agentId);
    const failure = await fw.nextOfType<{ failure: { agent_id: { value: string } } }>('FAILURE', 3000);
    assert.is(failure.failure.agent_id.value, agent.agentId);
    let m = (await getJson(master.url, '/metrics/snapshot')) as Record<string, number>;
    assert.equal([m['master/slave_removals'], m['master/slaves_unreachable'], m['master/slaves_connected']], [1, 1, 0]);

    await agent.start();
    await events.nextOfType('AGENT_ADDED');
    m = (await getJson(master.url, '/metrics/snapshot')) as Record<string, number>;
    assert.equal([m['master/slave_reregistrations'], m['master/slaves_unreachable'], m['master/slaves_connected']], [1, 0, 1]);

    // The framework disconnects (FRAMEWORK_UPDATED), then is torn down (FRAMEWORK_REMOVED).
    fw.close();
    const updated = await events.nextOfType<{ framework_updated: { framework: { connected: boolean; active: boolean } } }>('FRAMEWORK_UPDATED');
    assert.equal([updated.framework_updated.framework.connected, updated.framework_updated.framework.active], [false, false]);
    assert.is((await operatorCall(master.url, { type: 'TEARDOWN', teardown: { framework_id: { value: fid } } })).status, 200);
    const gone = await events.nextOfType<{ framework_removed: { framework_info: { id: { value: string } } } }>('FRAMEWORK_REMOVED');
    assert.is(gone.framework_removed.framework_info.id.value, fid);
    agent.close();
    assert.equal(master.violations, []);
  } finally {
    events.close();
    await master.close();
  }
});

test('--check-invariants reports a violation loudly, with the event that caused it (a mutant master)', async () => {
  // The mutant forgets declined offers without giving their resources back to the allocator.
  const mutant = masterMachine.provide({ actions: { decline: assign({ offers: () => ({}) }) as never } });
  const lines: string[] = [];
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: (l) => lines.push(l), machine: mutant });
  const agent = await new FakeAgent({ master: master.url }).start();
  try {
    const fw = await subscribe(master.url, subscribeCall('decliner', 60));
    const fid = (await fw.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value;
    const offer = (await fw.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS')).offers.offers[0]!;
    assert.equal(master.violations, []);
    await schedulerCall(master.url, { type: 'DECLINE', framework_id: { value: fid }, decline: { offer_ids: [offer.id] } }, fw.streamId);
    assert.ok(master.violations.length > 0, 'a violation is reported');
    assert.match(master.violations[0]!, /^INVARIANT VIOLATED: conservation: .*after \{.*"type":"DECLINE"/);
    assert.ok(lines.some((l) => l.includes('INVARIANT VIOLATED: conservation')));
    fw.close();
  } finally {
    agent.close();
    await master.close();
  }
});

test('--trace writes one JSON line per step', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-trace-'));
  try {
    const file = join(dir, 'trace.jsonl');
    const master = await startMaster({ port: 0, trace: file, flags: FAST, log: quiet });
    const s = await subscribe(master.url, subscribeCall('traced', 0));
    await s.nextOfType('SUBSCRIBED');
    s.close();
    await eventually(() => master.context.completedFrameworks.length === 1, 2000, 'removal');
    await master.close();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; kind: string; component: string; event?: { type: string } });
    assert.is(lines[0]!.kind, 'init');
    assert.ok(lines.every((l, i) => l.seq === i && l.component === 'master'));
    assert.ok(lines.some((l) => l.event?.type === 'SUBSCRIBE'));
    assert.ok(lines.some((l) => l.event?.type === 'LINK_BROKEN'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
