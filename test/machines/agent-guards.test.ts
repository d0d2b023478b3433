/**
 * The agent's named guards, each against its negation (a mutant made with machine.provide()),
 * and determinism over long pseudo-random runs of an agent with its executors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, localKey, step, type Effect, type Local } from '../../spec/step.ts';
import { agentMachine, agentRestartInput, type AgentContext, type AgentInput } from '../../spec/machines/agent.ts';
import { executorMachine } from '../../spec/machines/executor.ts';
import type { FrameworkInfo, TaskInfo } from '../../spec/protocol/common.ts';
import { guardNames, negateGuard } from '../support/mutants.ts';

// ------------------------------------------------------------------------------------ harness

const AGENT = 'agent-0';
const MASTER = 'master';
const AGENT_ID = 'M-S0';
const INFO = { hostname: 'host-0', port: 5051, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 2 } }] };

/**
 * A tiny world: one agent, its executors (spawned and stopped through effects), FIFO delivery
 * between them, and an outbox of what the agent sent to the master.
 */
class Sim {
  agent: Local;
  readonly execs = new Map<string, Local>();
  readonly queue: { to: string; msg: AnyEventObject }[] = [];
  toMaster: AnyEventObject[] = [];
  readonly processes: (Effect & { from: string })[] = [];
  readonly persists: Effect[] = [];
  stopped = false;

  constructor(
    input: AgentInput = { self: AGENT, master: MASTER, info: INFO },
    readonly machine: AnyStateMachine = agentMachine,
    readonly executor: AnyStateMachine = executorMachine,
  ) {
    const r = initial(machine, input);
    this.agent = r.local;
    this.apply(AGENT, r.effects);
  }

  get ctx(): AgentContext {
    return this.agent.context as AgentContext;
  }

  apply(from: string, effects: readonly Effect[]): void {
    for (const e of effects) {
      switch (e.type) {
        case 'send': {
          const msg = { ...(e.msg as AnyEventObject), from };
          if (e.to === MASTER) this.toMaster.push(msg);
          else this.queue.push({ to: e.to as string, msg });
          break;
        }
        case 'spawn': {
          const r = initial(this.executor, e.input);
          this.execs.set(e.name as string, r.local);
          this.apply(e.name as string, r.effects);
          break;
        }
        case 'stop': {
          const name = (e.name as string | undefined) ?? from;
          if (name === AGENT) this.stopped = true;
          this.execs.delete(name);
          for (let i = this.queue.length - 1; i >= 0; i--) {
            if (this.queue[i]!.to === name || this.queue[i]!.msg.from === name) this.queue.splice(i, 1);
          }
          for (const n of (e.notify as { to: string; event: AnyEventObject }[] | undefined) ?? []) this.deliver(n.to, n.event);
          break;
        }
        case 'process':
          this.processes.push({ ...e, from });
          break;
        case 'persist':
          this.persists.push(e);
          break;
        default:
          throw new Error(`unexpected effect ${e.type}`);
      }
    }
  }

  deliver(to: string, event: AnyEventObject): void {
    if (to === AGENT) {
      if (this.stopped) return;
      const r = step(this.machine, this.agent, event);
      this.agent = r.local;
      this.apply(AGENT, r.effects);
    } else {
      const local = this.execs.get(to);
      if (!local) return;
      const r = step(this.executor, local, event);
      this.execs.set(to, r.local);
      this.apply(to, r.effects);
    }
  }

  /** A message from the master. */
  master(msg: AnyEventObject): this {
    this.deliver(AGENT, { ...msg, from: MASTER });
    return this;
  }

  /** Deliver agent <-> executor messages until none is in flight. */
  flush(): this {
    for (let n = 0; this.queue.length > 0; n++) {
      if (n > 1000) throw new Error('flush: no quiescence');
      const { to, msg } = this.queue.shift()!;
      this.deliver(to, msg);
    }
    return this;
  }

  fireAgent(id: string): this {
    const r = fire(this.machine, this.agent, id);
    this.agent = r.local;
    this.apply(AGENT, r.effects);
    return this;
  }

  fireExec(address: string, id: string): this {
    const r = fire(this.executor, this.execs.get(address)!, id);
    this.execs.set(address, r.local);
    this.apply(address, r.effects);
    return this;
  }

  env(address: string, event: AnyEventObject): this {
    this.deliver(address, event);
    return this;
  }

  /** The agent crashes and restarts from its checkpoint; executors see the link break first. */
  restart(): this {
    const input = agentRestartInput(this.agent.context);
    this.queue.length = 0;
    this.stopped = true;
    for (const address of [...this.execs.keys()]) this.deliver(address, { type: 'LINK_BROKEN', peer: AGENT });
    this.queue.length = 0; // sent to an agent that is not running: lost
    this.stopped = false;
    const r = initial(this.machine, input);
    this.agent = r.local;
    this.apply(AGENT, r.effects);
    return this;
  }

  /** Take (and clear) what the agent sent to the master. */
  sent(): AnyEventObject[] {
    const out = this.toMaster;
    this.toMaster = [];
    return out;
  }

  timers(): string[] {
    return this.agent.timers.map((t) => t.id);
  }

  state(): string {
    return JSON.stringify(this.agent.value);
  }
}

const fw = (id: string, extra: Partial<FrameworkInfo> = {}): FrameworkInfo => ({ user: 'u', name: id, id: { value: id }, ...extra });
const task = (id: string, extra: Partial<TaskInfo> = {}): TaskInfo => ({
  name: id,
  task_id: { value: id },
  agent_id: { value: AGENT_ID },
  command: { value: `run ${id}` },
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
  ...extra,
});
const addr = (f: string, e: string) => `${AGENT}/${f}/${e}`;

function registered(machine: AnyStateMachine = agentMachine): Sim {
  const sim = new Sim({ self: AGENT, master: MASTER, info: INFO }, machine);
  sim.master({ type: 'AGENT_REGISTERED', agent_id: { value: AGENT_ID } });
  sim.sent();
  return sim;
}

function runTask(sim: Sim, framework: FrameworkInfo, t: TaskInfo, launch_executor: boolean | undefined = true): Sim {
  return sim.master({ type: 'RUN_TASK', framework, task: t, ...(launch_executor === undefined ? {} : { launch_executor }) });
}


const pending = (sim: Sim, f = 'F1', t = 't1') => (sim.ctx.streams[f]?.[t]?.pending ?? []).map((u) => u.status.state).join();

// ------------------------------------------------------------------------------------ guards

/** For every guard, a scenario whose observable outcome changes when the guard is negated. */
const guardScenarios: Record<string, (m: AnyStateMachine) => string> = {
  hasRecoveredFrameworks: (m) => {
    const sim = registered();
    runTask(sim, fw('C', { checkpoint: true }), task('c1')).flush();
    return new Sim(agentRestartInput(sim.agent.context), m).state();
  },
  hasAgentId: (m) => new Sim(undefined, m).state(),
  fromMaster: (m) => {
    const sim = new Sim(undefined, m);
    sim.deliver(AGENT, { type: 'AGENT_REGISTERED', agent_id: { value: AGENT_ID }, from: 'impostor' });
    return sim.state();
  },
  masterLinkBroken: (m) => {
    const sim = registered(m);
    sim.deliver(AGENT, { type: 'LINK_BROKEN', peer: addr('F1', 't1') });
    return sim.state();
  },
  masterThinksDisconnected: (m) => registered(m).master({ type: 'PING', connected: false }).state(),
  sameAgentId: (m) => {
    const sim = registered(m);
    sim.deliver(AGENT, { type: 'LINK_BROKEN', peer: MASTER });
    return sim.master({ type: 'AGENT_REREGISTERED', agent_id: { value: AGENT_ID } }).state();
  },
  isValidUpdateCall: (m) => pending(runTask(registered(m), fw('F1'), task('t1')).flush()),
  callerSubscribed: (m) => pending(runTask(registered(m), fw('F1'), task('t1')).flush()),
  streamInFlight: (m) => {
    const sim = runTask(registered(m), fw('F1'), task('t1')).flush();
    sim.sent();
    sim.fireAgent('retry:F1/t1');
    return String(sim.sent().length);
  },
  executorStillRegistering: (m) => {
    const sim = runTask(registered(m), fw('F1'), task('t1'));
    sim.queue.length = 0;
    return pending(sim.fireAgent('executor-registration:F1/t1'));
  },
  executorStillTerminating: (m) => {
    const sim = runTask(registered(m), fw('F1'), task('t1')).flush();
    sim.master({ type: 'SHUTDOWN_EXECUTOR', framework_id: { value: 'F1' }, executor_id: { value: 't1' } });
    sim.queue.length = 0;
    sim.fireAgent('executor-shutdown:F1/t1');
    return String(sim.execs.size);
  },
  noFrameworks: (m) => registered(m).master({ type: 'SHUTDOWN_AGENT' }).state(),
};

test('every agent guard has a scenario', () => {
  assert.equal(Object.keys(guardScenarios).sort(), guardNames(agentMachine));
});

for (const name of Object.keys(guardScenarios).sort()) {
  test(`negating guard ${name} changes the outcome`, () => {
    const scenario = guardScenarios[name]!;
    const original = scenario(agentMachine);
    let mutant: string;
    try {
      mutant = scenario(negateGuard(agentMachine, name));
    } catch (e) {
      mutant = `threw: ${(e as Error).message}`;
    }
    assert.is.not(mutant, original);
  });
}

// ------------------------------------------------------------------------------------ determinism

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every pending timer of the agent is meant for the state it is in. */
function timerHygiene(sim: Sim): void {
  if (sim.stopped) return;
  const c = sim.ctx;
  const state = sim.state();
  for (const t of sim.agent.timers) {
    const [kind, rest] = t.id.split(':') as [string, string | undefined];
    const [f, x] = (rest ?? '').split('/') as [string, string];
    const ex = c.frameworks[f]?.executors[x];
    const ok = {
      registration: state.includes('registering'),
      'ping-timeout': state === '{"active":"running"}',
      'executor-reregistration': state === '"recovering"',
      retry: !c.paused && (c.streams[f]?.[x]?.pending.length ?? 0) > 0,
      'executor-registration': ex?.state === 'REGISTERING',
      'executor-shutdown': ex?.state === 'TERMINATING',
    }[kind];
    assert.ok(ok, `timer ${t.id} pending in ${state}`);
  }
  // And every executor component the agent believes alive exists, and vice versa.
  for (const [f, fwr] of Object.entries(c.frameworks)) {
    for (const [x, ex] of Object.entries(fwr.executors)) {
      if (ex.state === 'RUNNING') assert.ok(sim.execs.has(addr(f, x)), `running executor ${f}/${x} has a component`);
    }
  }
  for (const address of sim.execs.keys()) {
    const [, f, x] = address.split('/') as [string, string, string];
    const ex = c.frameworks[f]?.executors[x];
    assert.ok(ex !== undefined && ex.state !== 'TERMINATED', `component ${address} is known to the agent`);
  }
}

/** A pseudo-random run of an agent, its executors and a scripted master; its trace of states. */
function randomRun(seed: number, length: number): string[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let sim = new Sim();
  const trace: string[] = [];
  const frameworks = [fw('F1', { checkpoint: true }), fw('F2', { capabilities: [{ type: 'PARTITION_AWARE' }, { type: 'TASK_KILLING_STATE' }] })];
  for (let i = 0; i < length; i++) {
    if (sim.stopped) sim = new Sim();
    const r = rand();
    const f = pick(frameworks);
    const t = pick(['t1', 't2', 't3']);
    if (r < 0.3 && sim.queue.length > 0) {
      const { to, msg } = sim.queue.shift()!;
      sim.deliver(to, msg);
    } else if (r < 0.4 && sim.agent.timers.length > 0) {
      sim.fireAgent(pick(sim.agent.timers).id);
    } else if (r < 0.47 && sim.execs.size > 0) {
      const address = pick([...sim.execs.keys()].sort());
      const timers = sim.execs.get(address)!.timers;
      if (timers.length > 0) sim.fireExec(address, pick(timers).id);
      else sim.env(address, { type: 'PROCESS_EXITED', status: pick([0, 1]) });
    } else if (r < 0.55 && sim.execs.size > 0) {
      sim.env(pick([...sim.execs.keys()].sort()), { type: 'PROCESS_EXITED', status: pick([0, 1]) });
    } else if (r < 0.56) {
      sim.restart();
    } else {
      const streams = Object.entries(sim.ctx.streams).flatMap(([fid, ts]) => Object.entries(ts).map(([tid, s]) => [fid, tid, s.pending[0]?.uuid] as const));
      const messages: AnyEventObject[] = [
        { type: 'AGENT_REGISTERED', agent_id: { value: AGENT_ID } },
        { type: 'AGENT_REREGISTERED', agent_id: { value: AGENT_ID } },
        { type: 'RUN_TASK', framework: f, task: task(t), launch_executor: true },
        { type: 'RUN_TASK', framework: f, task: task(t), launch_executor: true },
        { type: 'KILL_TASK', framework_id: f.id, task_id: { value: t } },
        { type: 'PING', connected: rand() < 0.9 },
        { type: 'SHUTDOWN_FRAMEWORK', framework_id: f.id },
        { type: 'SHUTDOWN_EXECUTOR', framework_id: f.id, executor_id: { value: t } },
        { type: 'UPDATE_FRAMEWORK_AGENT', framework_id: f.id, framework_info: f },
      ];
      if (rand() < 0.02) messages.push({ type: 'SHUTDOWN_AGENT' });
      if (streams.length > 0) {
        const [fid, tid, uuid] = pick(streams);
        if (uuid !== undefined) {
          for (let k = 0; k < 4; k++) {
            messages.push({ type: 'STATUS_UPDATE_ACK', agent_id: { value: AGENT_ID }, framework_id: { value: fid }, task_id: { value: tid }, uuid });
          }
        }
      }
      if (rand() < 0.03) sim.deliver(AGENT, { type: 'LINK_BROKEN', peer: MASTER });
      else sim.master(pick(messages));
    }
    timerHygiene(sim);
    const execs = [...sim.execs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, l]) => a + localKey(l));
    trace.push(localKey(sim.agent) + execs.join() + JSON.stringify(sim.sent()) + JSON.stringify(sim.queue));
  }
  return trace;
}

test('determinism: long pseudo-random runs, run twice, give identical results', () => {
  for (const seed of [3, 11, 99]) {
    const a = randomRun(seed, 500);
    const b = randomRun(seed, 500);
    assert.equal(a, b);
    assert.ok(new Set(a).size > 50, 'the run explores more than a handful of states');
  }
});

test.run();
