/**
 * The master's named guards, each against its negation (a mutant made with machine.provide()),
 * and determinism over long seeded pseudo-random runs of the master against scripted agents and
 * frameworks. The master is driven directly through spec/step.ts: a small harness plays the
 * agents and schedulers and records what the master sends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, localKey, step, type Effect, type Local } from '../../spec/step.ts';
import { master, type MasterContext, type MasterInput } from '../../spec/machines/master.ts';
import type { FrameworkInfo, TaskState } from '../../spec/protocol/common.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import { invariants } from '../../invariants/index.ts';
import { guardNames, negatedOutcome } from '../support/mutants.ts';
import { prng } from '../support/prng.ts';

// ------------------------------------------------------------------------------------ harness

const INPUT: MasterInput = { id: 'm', flags: { heartbeatIntervalMs: 0 } };

const agentInfo = (address: string, resources = 'cpus:2;mem:1024') => ({
  hostname: address,
  port: 5051,
  resources: toWire(mustParseResources(resources)),
});

const frameworkInfo = (name: string, extra: Partial<FrameworkInfo> = {}): FrameworkInfo => ({
  user: 'root',
  name,
  failover_timeout: 60,
  checkpoint: true,
  capabilities: [{ type: 'PARTITION_AWARE' }],
  ...extra,
});

const taskInfo = (id: string, agentId: string, resources = 'cpus:1;mem:128') => ({
  name: id,
  task_id: { value: id },
  agent_id: { value: agentId },
  resources: toWire(mustParseResources(resources)),
  command: { value: 'exit 0', shell: true },
});

interface Sent {
  readonly to: string;
  readonly msg: AnyEventObject;
}

/** One master, and scripted peers: what it sends is recorded, calls answer through `replies`. */
class MasterSim {
  local: Local;
  sent: Sent[] = [];
  replies: string[] = [];
  /** The count effects, as `counter` or `counter call/framework` or `task_ended fid/tid state`. */
  counts: string[] = [];
  /** Scheduler address -> its framework id and stream. */
  readonly sessions = new Map<string, { fid: string; stream: string | undefined }>();
  /** Agent address -> its agent id. */
  readonly agents = new Map<string, string>();

  constructor(
    readonly machine: AnyStateMachine = master,
    input: MasterInput = INPUT,
  ) {
    const r = initial(machine, input);
    this.local = r.local;
    this.apply(r.effects);
  }

  get ctx(): MasterContext {
    return this.local.context as MasterContext;
  }

  private apply(effects: readonly Effect[]): void {
    for (const e of effects) {
      if (e.type === 'send') {
        const msg = e.msg as AnyEventObject;
        this.sent.push({ to: e.to as string, msg: { ...msg, ...(e.stream ? { stream: e.stream } : {}), ...(e.close ? { close: true } : {}) } });
        if (msg.type === 'SUBSCRIBED') {
          const fid = (msg.subscribed as { framework_id: { value: string } }).framework_id.value;
          this.sessions.set(e.to as string, { fid, stream: e.stream as string | undefined });
        }
        if (msg.type === 'AGENT_REGISTERED' || msg.type === 'AGENT_REREGISTERED') this.agents.set(e.to as string, (msg.agent_id as { value: string }).value);
      } else if (e.type === 'reply') {
        this.replies.push(`${e.status}${e.message ? ` ${e.message}` : ''}`);
      } else if (e.type === 'count') {
        const c = e as Effect & { counter: string; call?: string; framework?: string; task?: string; state?: string };
        this.counts.push(c.counter === 'call' ? `call ${c.call}/${c.framework}` : c.counter === 'task_ended' ? `task_ended ${c.framework}/${c.task} ${c.state}` : c.counter);
      }
    }
  }

  deliver(event: AnyEventObject): this {
    const r = step(this.machine, this.local, event);
    this.local = r.local;
    this.apply(r.effects);
    return this;
  }

  /** Fires the first pending timer whose id starts with `prefix`. */
  fire(prefix: string): this {
    const t = this.local.timers.find((x) => x.id.startsWith(prefix));
    if (!t) throw new Error(`no timer ${prefix}*; pending: ${this.local.timers.map((x) => x.id).join(', ')}`);
    return this.fireId(t.id);
  }

  fireId(id: string): this {
    const r = fire(this.machine, this.local, id);
    this.local = r.local;
    this.apply(r.effects);
    return this;
  }

  /** Takes (and forgets) what was sent, to `to` and of `type` if given. */
  take(to?: string, type?: string): AnyEventObject[] {
    const hit = (s: Sent) => (to === undefined || s.to === to) && (type === undefined || s.msg.type === type);
    const out = this.sent.filter(hit).map((s) => s.msg);
    this.sent = this.sent.filter((s) => !hit(s));
    return out;
  }

  registerAgent(address = 'agent-0', resources?: string): string {
    this.deliver({ type: 'REGISTER_AGENT', agent_info: agentInfo(address, resources), version: '1.11.0', from: address });
    return this.agents.get(address)!;
  }

  subscribe(address = 'fw-0', info: FrameworkInfo = frameworkInfo(address), id?: string): string {
    const fi = id ? { ...info, id: { value: id } } : info;
    this.deliver({ type: 'SUBSCRIBE', ...(id ? { framework_id: { value: id } } : {}), subscribe: { framework_info: fi }, from: address });
    return this.sessions.get(address)?.fid ?? '';
  }

  /** A scheduler call from `address` on its current stream. */
  call(address: string, body: AnyEventObject, stream?: string): this {
    const s = this.sessions.get(address)!;
    return this.deliver({ ...body, framework_id: { value: s.fid }, stream_id: stream ?? s.stream, from: address });
  }

  /** The offers the master made to `address` so far (and not yet taken). */
  offersTo(address: string): { id: string; agent: string }[] {
    return this.sent
      .filter((s) => s.to === address && s.msg.type === 'OFFERS')
      .flatMap((s) => (s.msg.offers as { offers: { id: { value: string }; agent_id: { value: string } }[] }).offers)
      .map((o) => ({ id: o.id.value, agent: o.agent_id.value }));
  }

  statusUpdate(address: string, fid: string, tid: string, state: TaskState, uuid: string | undefined, latest: TaskState = state): this {
    const aid = this.agents.get(address)!;
    const status = { task_id: { value: tid }, state, source: 'SOURCE_EXECUTOR', agent_id: { value: aid }, ...(uuid ? { uuid } : {}) };
    return this.deliver({
      type: 'STATUS_UPDATE',
      update: { framework_id: { value: fid }, agent_id: { value: aid }, status, timestamp: 0, ...(uuid ? { uuid } : {}), latest_state: latest },
      from: address,
    });
  }

  /** What happened, as one comparable string. */
  outcome(): string {
    return JSON.stringify({ value: this.local.value, sent: this.sent, replies: this.replies, ctx: this.ctx, timers: this.local.timers.map((t) => t.id) });
  }
}

/** An agent, a framework, one task launched on an offer and reported RUNNING. */
function withRunningTask(machine: AnyStateMachine = master, info: FrameworkInfo = frameworkInfo('fw-0')): { sim: MasterSim; fid: string; aid: string } {
  const sim = new MasterSim(machine);
  const aid = sim.registerAgent('agent-0');
  const fid = sim.subscribe('fw-0', info);
  sim.fire('allocation');
  const [offer] = sim.offersTo('fw-0');
  sim.call('fw-0', { type: 'ACCEPT', accept: { offer_ids: [{ value: offer!.id }], operations: [{ type: 'LAUNCH', launch: { task_infos: [taskInfo('t1', aid)] } }] } });
  sim.statusUpdate('agent-0', fid, 't1', 'TASK_RUNNING', 'u-running');
  sim.sent = [];
  sim.replies = [];
  sim.counts = [];
  return { sim, fid, aid };
}

// ------------------------------------------------------------------------------------ the harness itself

test('harness: the happy path through the master alone', () => {
  const { sim, fid, aid } = withRunningTask();
  assert.is(sim.ctx.frameworks[fid]!.tasks.t1!.task.state, 'TASK_RUNNING');
  sim.call('fw-0', { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: aid }, task_id: { value: 't1' }, uuid: 'u-running' } });
  assert.equal(sim.take('agent-0', 'STATUS_UPDATE_ACK').length, 1);
  sim.statusUpdate('agent-0', fid, 't1', 'TASK_FINISHED', 'u-finished');
  assert.equal(
    sim.take('fw-0', 'UPDATE').map((e) => (e.update as { status: { state: string } }).status.state),
    ['TASK_FINISHED'],
  );
  sim.call('fw-0', { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: aid }, task_id: { value: 't1' }, uuid: 'u-finished' } });
  assert.equal(sim.ctx.frameworks[fid]!.tasks, {});
  assert.equal(sim.ctx.frameworks[fid]!.completed, ['t1']);
  assert.equal(sim.replies, ['202', '202']);
});

// ------------------------------------------------------------------------------------ guards

/**
 * For every guard, a scenario whose outcome changes when the guard is negated, and what the
 * original must show (so the scenario exercises the guard's intended case, not a crash).
 */
const guardScenarios: Record<string, { run: (m: AnyStateMachine) => string; original: (outcome: string) => boolean }> = {
  // A known framework's call passes the gate; the mutant answers 400 "cannot be found".
  unknownFramework: {
    run: (m) => {
      const { sim } = withRunningTask(m);
      sim.call('fw-0', { type: 'REVIVE' });
      return sim.replies.join();
    },
    original: (o) => o === '202',
  },
  // A disconnected framework's call is 403; the mutant lets it reach the stream check (400).
  frameworkNotSubscribed: {
    run: (m) => {
      const { sim } = withRunningTask(m);
      const { stream } = sim.sessions.get('fw-0')!;
      sim.deliver({ type: 'LINK_BROKEN', peer: 'fw-0' });
      sim.call('fw-0', { type: 'REVIVE' }, stream);
      return sim.replies.join();
    },
    original: (o) => o === '403 Framework is not subscribed',
  },
  // A call on an old stream is refused; the mutant kills the task for it.
  staleStream: {
    run: (m) => {
      const { sim } = withRunningTask(m);
      sim.call('fw-0', { type: 'KILL', kill: { task_id: { value: 't1' } } }, 'not-the-stream');
      return JSON.stringify([sim.replies, sim.take('agent-0', 'KILL_TASK').length]);
    },
    original: (o) =>
      o === JSON.stringify([["400 The stream ID 'not-the-stream' included in this request didn't match the stream ID currently associated with framework ID m-0000"], 0]),
  },
  // A valid SUBSCRIBE is answered SUBSCRIBED; the mutant refuses it.
  subscribeRefused: {
    run: (m) => {
      const sim = new MasterSim(m);
      sim.subscribe('fw-0');
      return sim.sent.map((s) => s.msg.type).join();
    },
    original: (o) => o === 'SUBSCRIBED',
  },
  // RECONCILE naming a task answers for it alone; the mutant answers for every task instead.
  explicitReconcile: {
    run: (m) => {
      const { sim } = withRunningTask(m);
      sim.call('fw-0', { type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'ghost' } }] } });
      return sim
        .take('fw-0', 'UPDATE')
        .map((e) => {
          const s = (e.update as { status: { task_id: { value: string }; state: string } }).status;
          return `${s.task_id.value} ${s.state}`;
        })
        .join();
    },
    original: (o) => o === 'ghost TASK_UNKNOWN',
  },
  // The framework's stream breaking disconnects it (failover timer armed); the mutant ignores it.
  fromFramework: {
    run: (m) => {
      const { sim, fid } = withRunningTask(m);
      sim.deliver({ type: 'LINK_BROKEN', peer: 'fw-0' });
      return JSON.stringify([sim.ctx.frameworks[fid]!.connection, sim.local.timers.map((t) => t.id).filter((t) => t.startsWith('failover'))]);
    },
    original: (o) => o === JSON.stringify([null, ['failover:m-0000']]),
  },
  // The agent's link breaking rescinds its offers and starts the reregister timer; the mutant ignores it.
  fromAgent: {
    run: (m) => {
      const sim = new MasterSim(m);
      const aid = sim.registerAgent('agent-0');
      sim.subscribe('fw-0');
      sim.fire('allocation');
      sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
      return JSON.stringify([sim.ctx.agents[aid]!.address, sim.take('fw-0', 'RESCIND').length, Object.keys(sim.ctx.offers).length]);
    },
    original: (o) => o === JSON.stringify([null, 1, 0]),
  },
  // A registered agent's update is forwarded; an unknown connection's is ignored. The mutant swaps them.
  fromRegisteredAgent: {
    run: (m) => {
      const { sim, fid } = withRunningTask(m);
      sim.agents.set('impostor', sim.agents.get('agent-0')!);
      sim.statusUpdate('impostor', fid, 't1', 'TASK_FAILED', 'u-forged');
      sim.statusUpdate('agent-0', fid, 't1', 'TASK_FINISHED', 'u-finished');
      return sim
        .take('fw-0', 'UPDATE')
        .map((e) => (e.update as { status: { state: string } }).status.state)
        .join();
    },
    original: (o) => o === 'TASK_FINISHED',
  },
  // A custom executor's exit is taken for the agent it names while that agent is disconnected (a
  // restarting agent's report of the executors it destroyed), and not from an impostor while it is
  // connected. The mutant does the opposite: one FAILURE either way, so the scenario tells by who.
  exitedOnBookedAgent: {
    run: (m) => {
      const sim = new MasterSim(m);
      const aid = sim.registerAgent('agent-0');
      const fid = sim.subscribe('fw-0', frameworkInfo('fw-0'));
      sim.fire('allocation');
      const [offer] = sim.offersTo('fw-0');
      const { command: _c, ...task } = taskInfo('t1', aid);
      const executor = { executor_id: { value: 'e1' }, command: { value: 'custom' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }] };
      sim.call('fw-0', { type: 'ACCEPT', accept: { offer_ids: [{ value: offer!.id }], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ ...task, executor }] } }] } });
      const exited = (from: string) =>
        sim.deliver({ type: 'EXECUTOR_EXITED', from, agent_id: { value: aid }, framework_id: { value: fid }, executor_id: { value: 'e1' }, status: 9 });
      exited('impostor');
      const whileConnected = sim.take('fw-0', 'FAILURE').length;
      sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
      exited('agent-0');
      return JSON.stringify([whileConnected, sim.take('fw-0', 'FAILURE').length]);
    },
    original: (o) => o === JSON.stringify([0, 1]),
  },
  // An agent that did not come back within agent_reregister_timeout is marked unreachable.
  agentStillAway: {
    run: (m) => {
      const { sim, fid, aid } = withRunningTask(m);
      sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
      sim.fire('reregister:');
      return JSON.stringify([sim.ctx.registry.unreachable, Object.keys(sim.ctx.frameworks[fid]!.unreachable), aid in sim.ctx.agents]);
    },
    original: (o) => o === JSON.stringify([['m-S0'], ['t1'], false]),
  },
  // A framework that did not come back within failover_timeout is removed.
  frameworkStillDisconnected: {
    run: (m) => {
      const { sim, fid } = withRunningTask(m);
      sim.deliver({ type: 'LINK_BROKEN', peer: 'fw-0' });
      sim.fire('failover:');
      return JSON.stringify([fid in sim.ctx.frameworks, sim.ctx.completedFrameworks, sim.take('agent-0', 'SHUTDOWN_FRAMEWORK').length]);
    },
    original: (o) => o === JSON.stringify([false, ['m-0000'], 1]),
  },
  // With --authenticate_agents an agent without a principal is not admitted; the mutant admits it and refuses the authenticated one.
  agentAuthenticated: {
    run: (m) => {
      const sim = new MasterSim(m, { ...INPUT, flags: { ...INPUT.flags, authenticateAgents: true } });
      sim.deliver({ type: 'REGISTER_AGENT', agent_info: agentInfo('stranger'), version: '1.11.0', from: 'stranger' });
      sim.deliver({ type: 'REGISTER_AGENT', agent_info: agentInfo('agent-0'), version: '1.11.0', from: 'agent-0', principal: 'agent-0' });
      return JSON.stringify([Object.values(sim.ctx.agents).map((a) => a.address), sim.ctx.registry.principals]);
    },
    original: (o) => o === JSON.stringify([['agent-0'], { 'm-S0': 'agent-0' }]),
  },
  // An agent id admitted with one principal is not another's to reregister with; the mutant lets the intruder take it over.
  agentIdIsCallers: {
    run: (m) => {
      const sim = new MasterSim(m, { ...INPUT, flags: { ...INPUT.flags, authenticateAgents: true } });
      sim.deliver({ type: 'REGISTER_AGENT', agent_info: agentInfo('agent-0'), version: '1.11.0', from: 'agent-0', principal: 'agent-0' });
      sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
      const claim = { ...agentInfo('agent-0', 'cpus:64'), id: { value: 'm-S0' } };
      sim.deliver({ type: 'REREGISTER_AGENT', agent_info: claim, version: '1.11.0', from: 'intruder', principal: 'intruder' });
      return JSON.stringify([sim.ctx.agents['m-S0']!.address, sim.ctx.registry.principals]);
    },
    original: (o) => o === JSON.stringify([null, { 'm-S0': 'agent-0' }]),
  },
  // UNREGISTER_AGENT removes the agent only from its own connection; the mutant lets a stranger remove it and ignores the agent.
  unregistersItself: {
    run: (m) => {
      const sim = new MasterSim(m);
      sim.deliver({ type: 'REGISTER_AGENT', agent_info: agentInfo('agent-0'), version: '1.11.0', from: 'agent-0' });
      sim.deliver({ type: 'UNREGISTER_AGENT', agent_id: { value: 'm-S0' }, from: 'stranger' });
      const afterStranger = Object.keys(sim.ctx.agents);
      sim.deliver({ type: 'UNREGISTER_AGENT', agent_id: { value: 'm-S0' }, from: 'agent-0' });
      return JSON.stringify([afterStranger, Object.keys(sim.ctx.agents)]);
    },
    original: (o) => o === JSON.stringify([['m-S0'], []]),
  },
};

test('every master guard has a scenario', () => {
  assert.equal(Object.keys(guardScenarios).sort(), guardNames(master));
});

for (const name of Object.keys(guardScenarios).sort()) {
  test(`master: negating guard ${name} changes the outcome`, () => {
    const { run, original } = guardScenarios[name]!;
    const outcome = run(master);
    assert.ok(original(outcome), `the original machine: ${outcome}`);
    const mutant = negatedOutcome(master, name, run);
    assert.is.not(mutant, outcome);
  });
}

// ------------------------------------------------------------------------------------ behaviour found by the scenarios

const states = (updates: AnyEventObject[]) =>
  updates.map((e) => {
    const s = (e.update as { status: { task_id: { value: string }; state: string } }).status;
    return `${s.task_id.value} ${s.state}`;
  });

test('status_update_state is the last update forwarded: one reaching no framework does not count', () => {
  const { sim, fid } = withRunningTask();
  sim.deliver({ type: 'LINK_BROKEN', peer: 'fw-0' });
  sim.statusUpdate('agent-0', fid, 't1', 'TASK_FINISHED', 'u-finished');
  const task = sim.ctx.frameworks[fid]!.tasks.t1!.task;
  assert.equal([task.state, task.status_update_state, task.status_update_uuid], ['TASK_FINISHED', 'TASK_RUNNING', 'u-running']);
  sim.subscribe('fw-0', frameworkInfo('fw-0'), fid);
  sim.call('fw-0', { type: 'RECONCILE', reconcile: { tasks: [] } });
  assert.equal(states(sim.take('fw-0', 'UPDATE')), ['t1 TASK_RUNNING'], 'reconciliation reports what the framework was told');
  sim.statusUpdate('agent-0', fid, 't1', 'TASK_FINISHED', 'u-finished'); // the agent resends it
  assert.is(sim.ctx.frameworks[fid]!.tasks.t1!.task.status_update_uuid, 'u-finished');
});

test('explicit reconciliation: a task on an unreachable agent is not a known task', () => {
  const { sim } = withRunningTask(master, frameworkInfo('fw-0'));
  sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  sim.fire('reregister:');
  sim.take();
  sim.call('fw-0', { type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 't1' }, agent_id: { value: 'm-S0' } }, { task_id: { value: 't1' } }] } });
  assert.equal(states(sim.take('fw-0', 'UPDATE')), ['t1 TASK_UNREACHABLE', 't1 TASK_UNKNOWN']);
  sim.call('fw-0', { type: 'RECONCILE', reconcile: { tasks: [] } });
  assert.equal(sim.take('fw-0', 'UPDATE'), [], 'implicit reconciliation skips unreachable tasks');
});

test('a KILL the agent may have missed is sent again when it reregisters, until the task is gone', () => {
  const { sim, fid, aid } = withRunningTask();
  sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  sim.call('fw-0', { type: 'KILL', kill: { task_id: { value: 't1' } } });
  assert.equal(sim.take('agent-0', 'KILL_TASK'), []);
  assert.equal(sim.ctx.agents[aid]!.killed, [`${fid}/t1`]);
  const running = {
    name: 't1',
    task_id: { value: 't1' },
    framework_id: { value: fid },
    agent_id: { value: aid },
    state: 'TASK_RUNNING',
    resources: toWire(mustParseResources('cpus:1;mem:128')),
  };
  sim.deliver({
    type: 'REREGISTER_AGENT',
    agent_info: { ...agentInfo('agent-0'), id: { value: aid } },
    tasks: [running],
    frameworks: [{ ...frameworkInfo('fw-0'), id: { value: fid } }],
    from: 'agent-0',
  });
  assert.equal(
    sim.take('agent-0').map((m) => m.type),
    ['AGENT_REREGISTERED', 'KILL_TASK'],
  );
  sim.statusUpdate('agent-0', fid, 't1', 'TASK_KILLED', 'u-killed');
  sim.call('fw-0', { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: aid }, task_id: { value: 't1' }, uuid: 'u-killed' } });
  assert.is(sim.ctx.agents[aid]!.killed, undefined);
});

test('a SUBSCRIBE on a connection another framework holds takes the connection from it', () => {
  const sim = new MasterSim();
  const first = sim.subscribe('fw-0');
  const second = sim.subscribe('fw-0');
  assert.is.not(first, second, 'without an id, each SUBSCRIBE is a new framework');
  assert.is(sim.ctx.frameworks[first]!.connection, null);
  assert.is(sim.ctx.frameworks[second]!.connection, 'fw-0');
  assert.ok(
    sim.local.timers.some((t) => t.id === `failover:${first}`),
    'the first one waits for its failover timeout',
  );
});

// ------------------------------------------------------------------------------------ determinism

/** What an agent's executors may report next for a task in `state`. */
const NEXT: Partial<Record<TaskState, readonly TaskState[]>> = {
  TASK_STAGING: ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED', 'TASK_KILLED'],
  TASK_STARTING: ['TASK_RUNNING', 'TASK_FAILED'],
  TASK_RUNNING: ['TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED'],
  TASK_KILLING: ['TASK_KILLED'],
};

const MASTER_INVARIANTS = invariants.filter((i) => i.master);

/**
 * A pseudo-random run of the master against two scripted agents and two scripted frameworks:
 * registrations, subscriptions, offers accepted and declined, status updates that move forward,
 * acknowledgements, kills, reconciliations, broken links and every timer. Returns the trace of
 * (local state, what was sent) after each step; the master-only invariants hold throughout.
 */
function randomRun(seed: number, length: number): string[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const sim = new MasterSim();
  const infos: Record<string, FrameworkInfo> = {
    'fw-0': frameworkInfo('fw-0'),
    'fw-1': frameworkInfo('fw-1', { checkpoint: false, failover_timeout: 0, capabilities: [] }),
  };
  /** The agents' view: task id -> { agent, framework, state } for tasks the agent runs. */
  const running = new Map<string, { agent: string; fid: string; state: TaskState }>();
  let uuid = 0;
  const uuids: { fw: string; agent: string; tid: string; uuid: string }[] = [];
  const trace: string[] = [];
  const connected = (fw: string) => {
    const s = sim.sessions.get(fw);
    return s !== undefined && sim.ctx.frameworks[s.fid]?.connection === fw;
  };
  for (let i = 0; i < length; i++) {
    const r = rand();
    const fw = pick(['fw-0', 'fw-1']);
    const agent = pick(['agent-0', 'agent-1']);
    if (r < 0.06) {
      const aid = sim.agents.get(agent);
      if (aid === undefined) sim.registerAgent(agent);
      else {
        const tasks = [...running]
          .filter(([, t]) => t.agent === agent && rand() < 0.8)
          .map(([tid, t]) => ({
            name: tid,
            task_id: { value: tid },
            framework_id: { value: t.fid },
            agent_id: { value: aid },
            state: t.state,
            resources: toWire(mustParseResources('cpus:1;mem:128')),
          }));
        const frameworks = [...new Set(tasks.map((t) => t.framework_id.value))]
          .sort()
          .map((fid) => ({ ...infos[[...sim.sessions].find(([, s]) => s.fid === fid)?.[0] ?? 'fw-0']!, id: { value: fid } }));
        sim.deliver({ type: 'REREGISTER_AGENT', agent_info: { ...agentInfo(agent), id: { value: aid } }, tasks, frameworks, version: '1.11.0', from: agent });
      }
    } else if (r < 0.12) {
      const s = sim.sessions.get(fw);
      sim.subscribe(fw, infos[fw], s && rand() < 0.9 ? s.fid : undefined);
    } else if (r < 0.3 && sim.local.timers.length > 0) {
      sim.fireId(pick(sim.local.timers).id);
    } else if (r < 0.42 && connected(fw)) {
      const fid = sim.sessions.get(fw)!.fid;
      const offers = Object.values(sim.ctx.offers)
        .filter((o) => o.framework_id === fid)
        .map((o) => ({ id: o.id, agent: o.agent_id }));
      const offer = offers.length > 0 && rand() < 0.95 ? pick(offers) : { id: `m-O${Math.floor(rand() * 9)}`, agent: sim.agents.get(agent) ?? 'm-S9' };
      const tasks = ['t1', 't2', 't3', 't4']
        .filter(() => rand() < 0.35)
        .map((t) => taskInfo(`${fw}-${t}`, offer.agent, pick(['cpus:1;mem:128', 'cpus:0.5;mem:64', 'cpus:3;mem:128'])));
      const body =
        rand() < 0.8
          ? {
              type: 'ACCEPT',
              accept: { offer_ids: [{ value: offer.id }], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: pick([0, 1, 5]) } },
            }
          : { type: 'DECLINE', decline: { offer_ids: [{ value: offer.id }], filters: { refuse_seconds: pick([0, 5]) } } };
      sim.call(fw, body);
      // The agent hears of the tasks the master sent it.
      for (const s of sim.take(undefined, 'RUN_TASK') as unknown as { task: { task_id: { value: string }; agent_id: { value: string } }; framework: { id: { value: string } } }[]) {
        const at = [...sim.agents].find(([, a]) => a === s.task.agent_id.value)?.[0];
        if (at && !running.has(s.task.task_id.value)) running.set(s.task.task_id.value, { agent: at, fid: s.framework.id.value, state: 'TASK_STAGING' });
      }
    } else if (r < 0.62 && running.size > 0) {
      const [tid, t] = pick([...running].sort(([a], [b]) => (a < b ? -1 : 1)));
      const next = NEXT[t.state];
      if (next) {
        const state = pick(next);
        const u = `u${uuid++}`;
        running.set(tid, { ...t, state });
        sim.statusUpdate(t.agent, t.fid, tid, state, u, state);
        const fwAddr = [...sim.sessions].find(([, s]) => s.fid === t.fid)?.[0];
        if (fwAddr) uuids.push({ fw: fwAddr, agent: t.agent, tid, uuid: u });
      } else if (rand() < 0.5) {
        running.delete(tid);
      }
    } else if (r < 0.74 && uuids.length > 0 && connected(fw)) {
      const mine = uuids.filter((u) => u.fw === fw);
      if (mine.length > 0) {
        const u = pick(mine);
        sim.call(fw, { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: sim.agents.get(u.agent)! }, task_id: { value: u.tid }, uuid: u.uuid } });
      }
    } else if (r < 0.8 && sim.sessions.has(fw)) {
      const tid = `${fw}-${pick(['t1', 't2', 't3', 't4'])}`;
      sim.call(
        fw,
        rand() < 0.5
          ? { type: 'KILL', kill: { task_id: { value: tid } } }
          : {
              type: 'RECONCILE',
              reconcile: { tasks: rand() < 0.5 ? [] : [{ task_id: { value: tid }, ...(rand() < 0.5 ? { agent_id: { value: pick(['m-S0', 'm-S1', 'm-S7']) } } : {}) }] },
            },
      );
    } else if (r < 0.86 && sim.sessions.has(fw)) {
      sim.call(fw, pick<AnyEventObject>([{ type: 'REVIVE' }, { type: 'SUPPRESS' }, { type: 'REVIVE', revive: { roles: ['*'] } }]));
    } else if (r < 0.9 && sim.agents.has(agent)) {
      sim.deliver({ type: 'PONG', from: agent });
    } else if (r < 0.93) {
      sim.deliver({ type: 'LINK_BROKEN', peer: rand() < 0.5 ? fw : agent });
    } else if (r < 0.933 && sim.sessions.has(fw)) {
      sim.call(fw, { type: 'TEARDOWN' });
    } else {
      sim.fire('allocation');
    }
    for (const inv of MASTER_INVARIANTS) {
      const broken = inv.master!(sim.ctx);
      assert.is(broken, null, `seed ${seed}, step ${i}: ${inv.name}: ${broken}`);
    }
    // A framework told ERROR (removed, refused) starts over as a new framework.
    for (const s of sim.sent) if (s.msg.type === 'ERROR') sim.sessions.delete(s.to);
    trace.push(localKey(sim.local) + JSON.stringify(sim.sent) + sim.replies.join());
    sim.sent = [];
    sim.replies = [];
  }
  return trace;
}

test('determinism: long pseudo-random runs of the master, run twice, give identical results', () => {
  for (const seed of [1, 7, 42]) {
    const a = randomRun(seed, 600);
    const b = randomRun(seed, 600);
    assert.equal(a, b);
    assert.ok(new Set(a).size > 200, `seed ${seed}: the run explores more than a handful of states (${new Set(a).size})`);
  }
});

test('determinism: the same local state and event always give the same step', () => {
  const { sim, fid } = withRunningTask();
  const event = {
    type: 'STATUS_UPDATE',
    update: { framework_id: { value: fid }, status: { task_id: { value: 't1' }, state: 'TASK_FINISHED', uuid: 'u' }, uuid: 'u', timestamp: 0, latest_state: 'TASK_FINISHED' },
    from: 'agent-0',
  };
  const once = step(master, sim.local, event);
  const twice = step(master, JSON.parse(JSON.stringify(sim.local)) as Local, event);
  assert.equal(localKey(once.local), localKey(twice.local));
  assert.equal(once.effects, twice.effects);
});

// ------------------------------------------------------------------------------------ what the master counts

test('counts: the master says what the metrics count (accepted calls, valid and invalid updates, acks, messages, registrations)', () => {
  const sim = new MasterSim();
  sim.registerAgent('agent-0');
  const fid = sim.subscribe('fw-0');
  assert.equal(sim.counts, ['slave_registrations', `call SUBSCRIBE/${fid}`]);
  sim.counts = [];
  const { sim: run } = withRunningTask();
  run.agents.set('impostor', run.agents.get('agent-0')!);
  run.statusUpdate('impostor', fid, 't1', 'TASK_FAILED', 'u-forged');
  run.statusUpdate('agent-0', fid, 't1', 'TASK_FINISHED', 'u-finished');
  run.call('fw-0', { type: 'MESSAGE', message: { agent_id: { value: 'm-S9' }, executor_id: { value: 'e' }, data: '' } });
  run.call('fw-0', { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'm-S9' }, task_id: { value: 't1' }, uuid: 'u-finished' } });
  run.call('fw-0', { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'm-S0' }, task_id: { value: 't1' }, uuid: 'u-finished' } });
  run.call('fw-0', { type: 'KILL', kill: { task_id: { value: 't1' } } }, 'a-stale-stream');
  assert.equal(run.counts, [
    'invalid_status_updates',
    'valid_status_updates',
    `call MESSAGE/${fid}`,
    'invalid_framework_to_executor_messages',
    `call ACKNOWLEDGE/${fid}`,
    'invalid_status_update_acknowledgements',
    `call ACKNOWLEDGE/${fid}`,
    'valid_status_update_acknowledgements',
  ]);
});

test('counts: a task that leaves the books without a terminal state ends as the machine says (KILLED with its framework, LOST with its agent)', () => {
  const { sim, fid } = withRunningTask();
  sim.call('fw-0', { type: 'TEARDOWN' });
  assert.ok(sim.counts.includes(`task_ended ${fid}/t1 TASK_KILLED`), sim.counts.join());
  const lost = withRunningTask(master, frameworkInfo('fw-0', { checkpoint: false }));
  lost.sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  assert.equal(
    lost.sim.counts.filter((c) => c.startsWith('task_ended')),
    [`task_ended ${lost.fid}/t1 TASK_LOST`],
  );
});

test('counts: an agent marked unreachable is a removal (reason unhealthy)', () => {
  const { sim } = withRunningTask();
  sim.deliver({ type: 'LINK_BROKEN', peer: 'agent-0' });
  sim.fire('reregister:');
  assert.equal(sim.counts, ['slave_removals', 'slave_removals/reason_unhealthy']);
});

test.run();
