/**
 * The agent machine in a tiny synchronous world, shared by the agent's tests: one agent, its
 * executors (the real executor machine, spawned and stopped through effects), FIFO delivery
 * between them, and an outbox of what the agent sent to the master.
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, step, type Effect, type Local } from '../../spec/step.ts';
import { agentMachine, agentRestartInput, type AgentContext, type AgentInput } from '../../spec/machines/agent.ts';
import { executorMachine } from '../../spec/machines/executor.ts';
import type { FrameworkInfo, TaskInfo } from '../../spec/protocol/common.ts';

export const AGENT = 'agent-0';
export const MASTER = 'master';
export const AGENT_ID = 'M-S0';
const INFO = { hostname: 'host-0', port: 5051, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 2 } }] };

/**
 * A tiny world: one agent, its executors (spawned and stopped through effects), FIFO delivery
 * between them, and an outbox of what the agent sent to the master.
 */
export class Sim {
  agent: Local;
  readonly execs = new Map<string, Local>();
  readonly queue: { to: string; msg: AnyEventObject }[] = [];
  toMaster: AnyEventObject[] = [];
  readonly processes: (Effect & { from: string })[] = [];
  readonly persists: Effect[] = [];
  /** Volume directories the agent asked the runtime to make or delete, as `create role/id`. */
  readonly volumes: string[] = [];
  /** The agent's HTTP answers to executor calls that carried a `request`. */
  readonly replies: Effect[] = [];
  /** The agent's `count` effects, by counter (`tasks_finished`, `executors_terminated`), in order. */
  readonly counts: string[] = [];
  /** Spawns of custom executors (no machine runs them here). */
  readonly customs: { name: string; input: Record<string, unknown> }[] = [];
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
          // A custom executor is the framework's program: tests speak for it (customs records it).
          const input = e.input as { command?: unknown; default_executor?: unknown };
          if (input.command !== undefined || input.default_executor === true) {
            this.customs.push({ name: e.name as string, input: e.input as Record<string, unknown> });
            break;
          }
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
        case 'volume':
          this.volumes.push(`${e.op as string} ${e.role as string}/${e.id as string}`);
          break;
        case 'reply':
          this.replies.push(e);
          break;
        case 'count':
          this.counts.push(e.counter as string);
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

  /**
   * The agent crashes and restarts from its checkpoint; executors see the link break first.
   * `recovered` may change what the next incarnation reads back (a test's seeded bug in the
   * checkpoint's round trip).
   */
  restart(recovered: (input: AgentInput) => AgentInput = (input) => input): this {
    const input = recovered(agentRestartInput(this.agent.context));
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

export const fw = (id: string, extra: Partial<FrameworkInfo> = {}): FrameworkInfo => ({ user: 'u', name: id, id: { value: id }, ...extra });
export const task = (id: string, extra: Partial<TaskInfo> = {}): TaskInfo => ({
  name: id,
  task_id: { value: id },
  agent_id: { value: AGENT_ID },
  command: { value: `run ${id}` },
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
  ...extra,
});
export const addr = (f: string, e: string) => `${AGENT}/${f}/${e}`;

export function registered(machine: AnyStateMachine = agentMachine): Sim {
  const sim = new Sim({ self: AGENT, master: MASTER, info: INFO }, machine);
  sim.master({ type: 'AGENT_REGISTERED', agent_id: { value: AGENT_ID } });
  sim.sent();
  return sim;
}

export function runTask(sim: Sim, framework: FrameworkInfo, t: TaskInfo, launch_executor: boolean | undefined = true): Sim {
  return sim.master({ type: 'RUN_TASK', framework, task: t, ...(launch_executor === undefined ? {} : { launch_executor }) });
}

/** Why a pending timer of the agent is not meant for the state it is in, or null: every one is. */
export function agentTimerProblem(agent: Local): string | null {
  const c = agent.context as AgentContext;
  const state = JSON.stringify(agent.value);
  for (const t of agent.timers) {
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
      exit: state === '"exiting"',
    }[kind];
    if (!ok) return `timer ${t.id} pending in ${state}`;
  }
  return null;
}
