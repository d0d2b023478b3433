/**
 * The master's REREGISTER_AGENT handler, step by step: the defects a kill -9 campaign found
 * (issue 13: completed tasks listed twice; the reconciliation list without the FrameworkInfo a
 * partition-aware framework's answer depends on) and the hijack of a registered agent's id.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { fire, initial, step, type Effect, type Local } from '../../spec/step.ts';
import { master, type MasterContext, type MasterInput } from '../../spec/machines/master.ts';

const AGENT_INFO = {
  hostname: 'host-0',
  port: 5051,
  resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 256 } },
  ],
};
const PA = [{ type: 'PARTITION_AWARE' }];

class M {
  local: Local;
  effects: readonly Effect[] = [];
  constructor(input: Partial<MasterInput> = {}) {
    this.local = initial(master, { id: 'm', flags: { agentPingTimeoutMs: 0 }, ...input }).local;
  }
  get ctx(): MasterContext {
    return this.local.context as MasterContext;
  }
  send(event: AnyEventObject): this {
    const r = step(master, this.local, event);
    this.local = r.local;
    this.effects = r.effects;
    return this;
  }
  fire(id: string): this {
    const r = fire(master, this.local, id);
    this.local = r.local;
    this.effects = r.effects;
    return this;
  }
  sent(type: string): AnyEventObject[] {
    return this.effects.filter((e) => e.type === 'send' && (e.msg as AnyEventObject).type === type).map((e) => ({ ...(e.msg as AnyEventObject), to: e.to, stream: e.stream }));
  }
}

/** An agent, a checkpointing framework (partition-aware or not), and task t1 launched on it. */
function launched(capabilities: { type: string }[] = PA): { m: M; aid: string; fid: string; stream: string } {
  const m = new M();
  m.send({ type: 'REGISTER_AGENT', from: 'conn-1', agent_info: AGENT_INFO, version: '1.11.0' });
  const aid = (m.sent('AGENT_REGISTERED')[0]!.agent_id as { value: string }).value;
  m.send({ type: 'SUBSCRIBE', from: 'sched-1', subscribe: { framework_info: { user: 'u', name: 'fw', checkpoint: true, capabilities } } });
  const subscribed = m.sent('SUBSCRIBED')[0]!;
  const fid = (subscribed.subscribed as { framework_id: { value: string } }).framework_id.value;
  const stream = subscribed.stream as string;
  m.fire('allocation');
  const offer = (m.sent('OFFERS')[0]!.offers as { offers: { id: { value: string } }[] }).offers[0]!;
  const task = {
    name: 't1',
    task_id: { value: 't1' },
    agent_id: { value: aid },
    command: { value: 'true' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }],
  };
  m.send({
    type: 'ACCEPT',
    from: 'req-1',
    request: 'req-1',
    stream_id: stream,
    framework_id: { value: fid },
    accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] },
  });
  assert.is(m.sent('RUN_TASK').length, 1, 'the task is sent to the agent');
  return { m, aid, fid, stream };
}

const statusUpdate = (aid: string, fid: string, state: string, uuid: string) => ({
  type: 'STATUS_UPDATE',
  from: 'conn-1',
  update: { framework_id: { value: fid }, status: { task_id: { value: 't1' }, agent_id: { value: aid }, state, source: 'SOURCE_EXECUTOR', uuid }, uuid },
});

test('a terminal task acknowledged before the agent restarted is not completed twice (defect 5)', () => {
  const { m, aid, fid, stream } = launched();
  const uuid = 'AAAAAAAAQACAAAAAAAAAAA==';
  m.send(statusUpdate(aid, fid, 'TASK_FINISHED', uuid));
  m.send({
    type: 'ACKNOWLEDGE',
    from: 'req-2',
    request: 'req-2',
    stream_id: stream,
    framework_id: { value: fid },
    acknowledge: { agent_id: { value: aid }, task_id: { value: 't1' }, uuid },
  });
  assert.equal(m.ctx.frameworks[fid]!.completed, ['t1']);
  // The acknowledgement is lost with the agent: it restarts and reports the task, unacknowledged.
  m.send({ type: 'LINK_BROKEN', peer: 'conn-1' });
  const reported = { task_id: { value: 't1' }, framework_id: { value: fid }, agent_id: { value: aid }, name: 't1', state: 'TASK_FINISHED', resources: [] };
  m.send({ type: 'REREGISTER_AGENT', from: 'conn-2', agent_info: { ...AGENT_INFO, id: { value: aid } }, tasks: [reported], version: '1.11.0' });
  assert.is(m.sent('AGENT_REREGISTERED').length, 1);
  assert.is(m.ctx.frameworks[fid]!.tasks['t1'], undefined, 'the completed task is not re-added');
  // The agent resends the terminal update; the framework acknowledges it again.
  m.send({ ...statusUpdate(aid, fid, 'TASK_FINISHED', uuid), from: 'conn-2' });
  assert.is(m.sent('UPDATE').length, 1, 'the resent update still reaches the framework');
  m.send({
    type: 'ACKNOWLEDGE',
    from: 'req-3',
    request: 'req-3',
    stream_id: stream,
    framework_id: { value: fid },
    acknowledge: { agent_id: { value: aid }, task_id: { value: 't1' }, uuid },
  });
  assert.is(m.sent('STATUS_UPDATE_ACK').length, 1, 'and its acknowledgement reaches the agent');
  assert.equal(m.ctx.frameworks[fid]!.completed, ['t1']);
});

for (const [label, capabilities, framework] of [
  ['partition-aware', PA, true],
  ['not partition-aware', [], true],
] as const) {
  test(`the reconciliation list carries the ${label} framework's info (defect 4)`, () => {
    const { m, aid, fid } = launched([...capabilities]);
    m.send({ type: 'LINK_BROKEN', peer: 'conn-1' });
    // The agent restarted before it got the task: it reports none.
    m.send({ type: 'REREGISTER_AGENT', from: 'conn-2', agent_info: { ...AGENT_INFO, id: { value: aid } }, version: '1.11.0' });
    const rereg = m.sent('AGENT_REREGISTERED')[0]!;
    const list = rereg.reconciliations as { framework_id: { value: string }; framework?: { capabilities?: { type: string }[] }; statuses: unknown[] }[];
    assert.is(list.length, 1);
    assert.is(list[0]!.framework_id.value, fid);
    assert.is(list[0]!.framework !== undefined, framework);
    assert.equal(list[0]!.framework!.capabilities ?? [], capabilities);
  });
}

test("a REREGISTER_AGENT from another host naming a registered agent's id is shut down, the agent unchanged", () => {
  const { m, aid } = launched();
  const before = JSON.stringify(m.ctx.agents[aid]);
  const evil = { hostname: 'evil2', port: 1, id: { value: aid }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 64 } }] };
  m.send({ type: 'REREGISTER_AGENT', from: 'conn-evil', agent_info: evil, version: '1.11.0' });
  assert.equal(
    m.sent('SHUTDOWN_AGENT').map((x) => x.to),
    ['conn-evil'],
  );
  assert.is(m.sent('AGENT_REREGISTERED').length, 0);
  assert.is(JSON.stringify(m.ctx.agents[aid]), before);
});

test("a REREGISTER_AGENT naming a connected agent's id from another connection is ignored; the agent's own is not", () => {
  const { m, aid } = launched();
  const before = JSON.stringify(m.ctx.agents[aid]);
  const claim = { ...AGENT_INFO, id: { value: aid }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 64 } }] };
  m.send({ type: 'REREGISTER_AGENT', from: 'conn-evil', agent_info: claim, version: '1.11.0' });
  assert.is(m.effects.length, 0);
  assert.is(JSON.stringify(m.ctx.agents[aid]), before);
  // The agent itself, on its own connection, may reregister.
  m.send({ type: 'REREGISTER_AGENT', from: 'conn-1', agent_info: { ...AGENT_INFO, id: { value: aid } }, version: '1.11.0' });
  assert.is(m.sent('AGENT_REREGISTERED').length, 1);
});

/**
 * A new master (after a failover) meets an agent whose task t1 of framework f-1 runs, after f-1
 * subscribed again: the registry says the agent was unreachable, or knows it (recovered), or
 * forgot it. The updates f-1 is sent when the agent reregisters.
 */
function returning(registry: MasterInput['registry']): AnyEventObject[] {
  const m = new M({ id: 'm2', registry });
  m.send({
    type: 'SUBSCRIBE',
    from: 'sched-1',
    framework_id: { value: 'f-1' },
    subscribe: { framework_info: { user: 'u', name: 'fw', checkpoint: true, capabilities: PA, id: { value: 'f-1' } } },
  });
  const task = {
    name: 't1',
    task_id: { value: 't1' },
    framework_id: { value: 'f-1' },
    agent_id: { value: 's-1' },
    state: 'TASK_RUNNING',
    resources: AGENT_INFO.resources.slice(0, 1),
  };
  m.send({
    type: 'REREGISTER_AGENT',
    from: 'conn-2',
    agent_info: { ...AGENT_INFO, id: { value: 's-1' } },
    version: '1.11.0',
    tasks: [task],
    frameworks: [{ user: 'u', name: 'fw', checkpoint: true, capabilities: PA, id: { value: 'f-1' } }],
  });
  return m.sent('UPDATE').filter((u) => u.to === 'sched-1');
}

test('a task on an agent that was unreachable or unknown comes back with REASON_AGENT_REREGISTERED; on a recovered one it does not (Master::___reregisterSlave)', () => {
  const said = (us: AnyEventObject[]) =>
    us.map((u) => {
      const s = (u.update as { status: { state: string; reason: string; message: string } }).status;
      return `${s.state} ${s.reason} ${s.message}`;
    });
  const admitted = { 's-1': { ...AGENT_INFO, id: { value: 's-1' } } } as never;
  assert.equal(said(returning({ admitted, unreachable: ['s-1'], gone: [] })), ['TASK_RUNNING REASON_AGENT_REREGISTERED Unreachable agent re-reregistered']);
  assert.equal(said(returning({ admitted: {}, unreachable: [], gone: [] })), ['TASK_RUNNING REASON_AGENT_REREGISTERED Unknown agent reregistered']);
  assert.equal(said(returning({ admitted, unreachable: [], gone: [] })), []);
});

test('an unreachable agent that comes back without a task (its launch was lost) takes the task out of the unreachable books (Master::___reregisterSlave)', () => {
  const { m, aid, fid } = launched();
  m.send({ type: 'LINK_BROKEN', peer: 'conn-1' });
  m.fire(`reregister:${aid}`);
  assert.equal(Object.keys(m.ctx.frameworks[fid]!.unreachable), ['t1'], 't1 is unreachable');
  m.send({ type: 'REREGISTER_AGENT', from: 'conn-2', agent_info: { ...AGENT_INFO, id: { value: aid } }, version: '1.11.0', tasks: [] });
  assert.equal(m.ctx.frameworks[fid]!.unreachable, {});
  assert.equal(m.ctx.frameworks[fid]!.tasks, {});
});

test.run();
