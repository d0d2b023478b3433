/**
 * The scheduler's named guards, each against its negation (a mutant made with
 * machine.provide()), and determinism over long seeded pseudo-random runs of a scheduler fed by
 * a scripted master. The scheduler is driven directly through spec/step.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, localKey, step, type Effect, type Local } from '../../spec/step.ts';
import { scheduler, schedulerRestartInput, type SchedulerContext, type SchedulerInput } from '../../spec/machines/scheduler.ts';
import type { TaskState } from '../../spec/protocol/common.ts';
import { isTerminal, TASK_STATES } from '../../spec/protocol/common.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import { guardNames, negatedOutcome } from '../support/mutants.ts';
import { prng } from '../support/prng.ts';

// ------------------------------------------------------------------------------------ harness

const wanted = (id: string, resources = 'cpus:1;mem:128') => ({
  task_id: id,
  resources: toWire(mustParseResources(resources)) as SchedulerInput['tasks'][number]['resources'],
  command: { value: 'exit 0', shell: true },
});

const INPUT: SchedulerInput = {
  self: 'fw-0',
  master: 'master',
  framework_info: { user: 'root', name: 'fw', failover_timeout: 60, checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] },
  tasks: [wanted('t1'), wanted('t2', 'cpus:2;mem:128')],
  refuse_seconds: 5,
  reconcile: 'explicit',
  suppress_when_done: true,
  resubscribe_delay_ms: 1000,
};

/** One task under a custom executor `ex`. */
const EXECUTOR_INPUT: SchedulerInput = {
  ...INPUT,
  tasks: [
    {
      ...wanted('x1'),
      executor: { type: 'CUSTOM', executor_id: { value: 'ex' }, command: { value: 'my-executor' }, resources: toWire(mustParseResources('cpus:0.1;mem:32')) as never },
    },
  ],
};

/** A failed-over instance that had launched t1 and seen it RUNNING. */
const FAILED_OVER: SchedulerInput = { ...INPUT, framework_id: 'F', launched: ['t1'], seen: { t1: 'TASK_RUNNING' } };

class SchedulerSim {
  local: Local;
  /** The calls it made, in order (without `from`). */
  calls: AnyEventObject[] = [];

  constructor(
    readonly machine: AnyStateMachine = scheduler,
    input: SchedulerInput = INPUT,
  ) {
    const r = initial(machine, input);
    this.local = r.local;
    this.apply(r.effects);
  }

  get ctx(): SchedulerContext {
    return this.local.context as SchedulerContext;
  }

  private apply(effects: readonly Effect[]): void {
    for (const e of effects) {
      if (e.type !== 'send' || e.to !== 'master') throw new Error(`unexpected effect ${JSON.stringify(e)}`);
      this.calls.push(e.msg as AnyEventObject);
    }
  }

  deliver(event: AnyEventObject): this {
    const r = step(this.machine, this.local, event);
    this.local = r.local;
    this.apply(r.effects);
    return this;
  }

  /** An event on the subscription stream. */
  event(msg: AnyEventObject): this {
    return this.deliver({ ...msg, from: 'master' });
  }

  subscribed(fid = 'F', stream = 'S1'): this {
    return this.event({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: fid } }, stream });
  }

  offers(...offers: { id: string; agent?: string; resources?: string }[]): this {
    return this.event({
      type: 'OFFERS',
      offers: {
        offers: offers.map((o) => ({
          id: { value: o.id },
          framework_id: { value: this.ctx.framework_id ?? '' },
          agent_id: { value: o.agent ?? 'A0' },
          hostname: o.agent ?? 'A0',
          resources: toWire(mustParseResources(o.resources ?? 'cpus:4;mem:1024')),
        })),
      },
    });
  }

  update(tid: string, state: TaskState, uuid?: string): this {
    return this.event({ type: 'UPDATE', update: { status: { task_id: { value: tid }, state, agent_id: { value: 'A0' }, ...(uuid ? { uuid } : {}) } } });
  }

  fire(prefix: string): this {
    const t = this.local.timers.find((x) => x.id.startsWith(prefix));
    if (!t) throw new Error(`no timer ${prefix}*; pending: ${this.local.timers.map((x) => x.id).join(', ')}`);
    const r = fire(this.machine, this.local, t.id);
    this.local = r.local;
    this.apply(r.effects);
    return this;
  }

  types(): string {
    return this.calls.map((c) => c.type).join();
  }

  state(): string {
    return JSON.stringify(this.local.value);
  }
}

// ------------------------------------------------------------------------------------ the harness itself

test('harness: subscribe, launch on an offer, acknowledge, suppress', () => {
  const sim = new SchedulerSim().subscribed('F', 'S1').offers({ id: 'O1' });
  assert.is(sim.types(), 'SUBSCRIBE,ACCEPT,SUPPRESS');
  const accept = sim.calls[1]!;
  assert.equal(accept.framework_id, { value: 'F' });
  assert.is(accept.stream_id, 'S1');
  assert.is(sim.calls[0]!.stream_id, undefined, 'SUBSCRIBE carries no stream id');
  sim.update('t1', 'TASK_RUNNING', 'u1');
  assert.equal(sim.calls.at(-1)!.acknowledge, { agent_id: { value: 'A0' }, task_id: { value: 't1' }, uuid: 'u1' });
});

// ------------------------------------------------------------------------------------ guards

/** For every guard: a scenario whose outcome changes when the guard is negated, and what the original shows. */
const guardScenarios: Record<string, { run: (m: AnyStateMachine) => string; original: string }> = {
  // A failed-over instance reconciles its open tasks once subscribed; the mutant does not.
  hadFrameworkId: {
    run: (m) => new SchedulerSim(m, FAILED_OVER).subscribed().types(),
    original: 'SUBSCRIBE,RECONCILE',
  },
  reconcilesAfterResubscribe: {
    run: (m) => {
      const sim = new SchedulerSim(m, FAILED_OVER).subscribed();
      return JSON.stringify([sim.types(), sim.calls.at(-1)!.reconcile]);
    },
    original: JSON.stringify(['SUBSCRIBE,RECONCILE', { tasks: [{ task_id: { value: 't1' } }] }]),
  },
  // The master's stream breaking disconnects (then resubscribes); the mutant stays put.
  fromMaster: {
    run: (m) => new SchedulerSim(m).subscribed().deliver({ type: 'LINK_BROKEN', peer: 'master' }).state(),
    original: '"disconnected"',
  },
  // A reliable update is acknowledged with its uuid; a master-generated one never.
  reliableUpdate: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed().offers({ id: 'O1' });
      sim.calls = [];
      sim.update('t1', 'TASK_RUNNING', 'u1').update('t2', 'TASK_LOST');
      return JSON.stringify(sim.calls);
    },
    original: JSON.stringify([
      { type: 'ACKNOWLEDGE', framework_id: { value: 'F' }, acknowledge: { agent_id: { value: 'A0' }, task_id: { value: 't1' }, uuid: 'u1' }, stream_id: 'S1' },
    ]),
  },
  // A reconciliation answer (no uuid) about a task logged as finished does not revive it.
  endedReliably: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed().offers({ id: 'O1' });
      sim.update('t1', 'TASK_FINISHED', 'u1').update('t1', 'TASK_UNKNOWN').update('t2', 'TASK_LOST');
      return JSON.stringify(sim.ctx.seen);
    },
    original: JSON.stringify({ t1: 'TASK_FINISHED', t2: 'TASK_LOST' }),
  },
  // With tasks still to launch, a fresh subscription waits for offers.
  allLaunched: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed();
      return `${sim.state()} ${sim.types()}`;
    },
    original: '{"subscribed":"launching"} SUBSCRIBE',
  },
  // Once everything is launched, a well-behaved framework suppresses offers.
  suppressesWhenDone: {
    run: (m) => new SchedulerSim(m).subscribed().offers({ id: 'O1' }).types(),
    original: 'SUBSCRIBE,ACCEPT,SUPPRESS',
  },
  // A MESSAGE goes to an executor once an update said where it runs, and only once.
  messageable: {
    run: (m) => {
      const sim = new SchedulerSim(m, EXECUTOR_INPUT).subscribed().offers({ id: 'O1' });
      sim.calls = [];
      sim.deliver({ type: 'MESSAGE_REQUEST', executor_id: 'ex' });
      sim.update('x1', 'TASK_RUNNING', 'u1');
      sim.deliver({ type: 'MESSAGE_REQUEST', executor_id: 'ex' }).deliver({ type: 'MESSAGE_REQUEST', executor_id: 'ex' });
      return JSON.stringify(sim.calls.filter((c) => c.type === 'MESSAGE').map((c) => c.message));
    },
    original: JSON.stringify([{ agent_id: { value: 'A0' }, executor_id: { value: 'ex' }, data: 'aGVsbG8gZXg=' }]),
  },
  // Only a FAILURE naming an executor is an executor's end (one naming an agent only says it was lost).
  executorFailure: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed();
      sim
        .event({ type: 'FAILURE', failure: { agent_id: { value: 'A0' } } })
        .event({ type: 'FAILURE', failure: { agent_id: { value: 'A0' }, executor_id: { value: 'ex' }, status: 9 } });
      return JSON.stringify(sim.ctx.failures);
    },
    original: JSON.stringify(['A0/ex:9']),
  },
  // Only a launched, non-terminal task is killed.
  killable: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed().offers({ id: 'O1' });
      sim.calls = [];
      sim.update('t2', 'TASK_FINISHED', 'u2');
      sim.calls = [];
      for (const t of ['t1', 't1', 't2', 'ghost']) sim.deliver({ type: 'KILL_REQUEST', task_id: t });
      return JSON.stringify(sim.calls.map((c) => `${c.type} ${(c.kill as { task_id: { value: string } }).task_id.value}`));
    },
    original: JSON.stringify(['KILL t1']),
  },
  // A kill asked for before the launch is remembered: the task is killed once it shows up alive.
  wantedKilledButAlive: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed().deliver({ type: 'KILL_REQUEST', task_id: 't1' }).offers({ id: 'O1' });
      sim.calls = [];
      sim.update('t1', 'TASK_RUNNING', 'u1');
      return sim.types();
    },
    original: 'ACKNOWLEDGE,KILL',
  },
  // A kill asked for a task not launched yet is remembered; one for a task that ended is not.
  killToRemember: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed();
      sim.deliver({ type: 'KILL_REQUEST', task_id: 't1' }).update('t2', 'TASK_FINISHED').deliver({ type: 'KILL_REQUEST', task_id: 't2' });
      return JSON.stringify(sim.ctx.kill_requested);
    },
    original: JSON.stringify(['t1']),
  },
  // The KILL overtook the ACCEPT: the master's TASK_UNKNOWN says it found nothing, so RUNNING later is killed again.
  killFoundNothing: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed().offers({ id: 'O1' });
      sim.calls = [];
      sim.deliver({ type: 'KILL_REQUEST', task_id: 't1' }).update('t1', 'TASK_UNKNOWN').update('t1', 'TASK_RUNNING', 'u1');
      return sim.types();
    },
    original: 'KILL,ACKNOWLEDGE,KILL',
  },
  // The master dropped a launch (its offer was gone): the scheduler, suppressed since everything was launched, revives and launches it again.
  droppedLaunch: {
    run: (m) => {
      const sim = new SchedulerSim(m).subscribed().offers({ id: 'O1' });
      sim.calls = [];
      sim.event({
        type: 'UPDATE',
        update: { status: { task_id: { value: 't1' }, state: 'TASK_DROPPED', source: 'SOURCE_MASTER', reason: 'REASON_INVALID_OFFERS' } },
      });
      sim.offers({ id: 'O2' });
      return sim.types();
    },
    original: 'REVIVE,ACCEPT,SUPPRESS',
  },
};

test('every scheduler guard has a scenario', () => {
  assert.equal(Object.keys(guardScenarios).sort(), guardNames(scheduler));
});

for (const name of Object.keys(guardScenarios).sort()) {
  test(`scheduler: negating guard ${name} changes the outcome`, () => {
    const { run, original } = guardScenarios[name]!;
    assert.is(run(scheduler), original, 'the original machine');
    const mutant = negatedOutcome(scheduler, name, run);
    assert.is.not(mutant, original);
  });
}

// ------------------------------------------------------------------------------------ behaviour found by the scenarios

test('a second SUBSCRIBED replaces the stream the calls carry', () => {
  const sim = new SchedulerSim();
  assert.is(sim.types(), 'SUBSCRIBE');
  sim.subscribed('F', 'S1').subscribed('F', 'S2').offers({ id: 'O1' });
  assert.is(sim.ctx.stream_id, 'S2');
  assert.is(sim.calls.find((c) => c.type === 'ACCEPT')!.stream_id, 'S2', 'the master only accepts calls on its current stream');
  assert.is(sim.ctx.subscriptions, 2);
});

// ------------------------------------------------------------------------------------ determinism

/**
 * A pseudo-random run of a scheduler against a scripted master: subscriptions, offers, rescinds,
 * reliable and master-generated updates, errors, broken links, timers, kill and teardown
 * requests, and failovers (a new instance from schedulerRestartInput). Along the way: no
 * SUBSCRIBE carries a stream id, every other call carries the current one, only updates with a
 * uuid are acknowledged (with that uuid), and no task is launched twice.
 */
function randomRun(seed: number, length: number): string[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let sim = new SchedulerSim(scheduler, { ...INPUT, tasks: [wanted('t1'), wanted('t2', 'cpus:2;mem:128'), wanted('t3', 'cpus:0.5;mem:64')] });
  const trace: string[] = [];
  const launchedEver: string[] = [];
  let offer = 0;
  let uuid = 0;
  for (let i = 0; i < length; i++) {
    const r = rand();
    const before = sim.ctx;
    const lastUpdate: { uuid?: string } = {};
    const n = sim.calls.length;
    let restarted = false;
    if (r < 0.08) {
      sim.subscribed(before.framework_id ?? pick(['F', 'G']), `S${i}`);
    } else if (r < 0.25) {
      const k = 1 + Math.floor(rand() * 3);
      sim.offers(
        ...Array.from({ length: k }, () => ({
          id: `O${offer++}`,
          agent: pick(['A0', 'A1']),
          resources: pick(['cpus:1;mem:128', 'cpus:4;mem:1024', 'cpus:0.5;mem:64', 'cpus:2;mem:128']),
        })),
      );
    } else if (r < 0.5) {
      const u = rand() < 0.7 ? `u${uuid++}` : undefined;
      if (u) lastUpdate.uuid = u;
      sim.update(pick(['t1', 't2', 't3', 'ghost']), pick(TASK_STATES), u);
    } else if (r < 0.55) {
      sim.event(pick<AnyEventObject>([{ type: 'RESCIND' }, { type: 'FAILURE' }, { type: 'HEARTBEAT' }, { type: 'MESSAGE' }]));
    } else if (r < 0.56) {
      sim.event({ type: 'ERROR', error: { message: 'Framework failed over' } });
    } else if (r < 0.63) {
      sim.deliver({ type: 'LINK_BROKEN', peer: rand() < 0.8 ? 'master' : 'agent-0' });
    } else if (r < 0.8 && sim.local.timers.length > 0) {
      sim.fire(pick(sim.local.timers).id);
    } else if (r < 0.9) {
      sim.deliver({ type: 'KILL_REQUEST', task_id: pick(['t1', 't2', 't3', 'ghost']) });
    } else if (r < 0.905) {
      sim.deliver({ type: 'TEARDOWN_REQUEST' });
    } else if (r < 0.95) {
      sim = new SchedulerSim(scheduler, schedulerRestartInput(sim.ctx));
      restarted = true;
    }
    const made = restarted ? sim.calls : sim.calls.slice(n);
    // What it sent in this step obeys the protocol.
    for (const c of made) {
      if (c.type === 'SUBSCRIBE') assert.is(c.stream_id, undefined, `seed ${seed}, step ${i}: SUBSCRIBE with a stream id`);
      else assert.is(c.stream_id, sim.ctx.stream_id, `seed ${seed}, step ${i}: ${c.type} on another stream`);
      if (c.type === 'ACKNOWLEDGE') {
        assert.ok(lastUpdate.uuid !== undefined, `seed ${seed}, step ${i}: acknowledged an update without uuid`);
        assert.is((c.acknowledge as { uuid: string }).uuid, lastUpdate.uuid);
      }
      if (c.type === 'ACCEPT') {
        for (const op of (c.accept as { operations: { launch: { task_infos: { task_id: { value: string } }[] } }[] }).operations) {
          for (const t of op.launch.task_infos) {
            assert.not.ok(launchedEver.includes(t.task_id.value), `seed ${seed}, step ${i}: ${t.task_id.value} launched twice`);
            launchedEver.push(t.task_id.value);
          }
        }
      }
    }
    // It never kills a task it believes ended (its belief after the step: an update showing a task alive again may make it kill).
    for (const c of made) {
      if (c.type === 'KILL') assert.not.ok(isTerminal(sim.ctx.seen[(c.kill as { task_id: { value: string } }).task_id.value] ?? 'TASK_STAGING'));
    }
    trace.push(localKey(sim.local) + JSON.stringify(made));
  }
  return trace;
}

test('determinism: long pseudo-random runs of the scheduler, run twice, give identical results', () => {
  for (const seed of [2, 13, 77]) {
    const a = randomRun(seed, 800);
    const b = randomRun(seed, 800);
    assert.equal(a, b);
    assert.ok(new Set(a).size > 100, `seed ${seed}: the run explores more than a handful of states (${new Set(a).size})`);
  }
});

test('determinism: the same local state and event always give the same step', () => {
  const sim = new SchedulerSim().subscribed();
  const event = {
    type: 'OFFERS',
    offers: {
      offers: [{ id: { value: 'O1' }, framework_id: { value: 'F' }, agent_id: { value: 'A0' }, hostname: 'A0', resources: toWire(mustParseResources('cpus:4;mem:1024')) }],
    },
    from: 'master',
  };
  const once = step(scheduler, sim.local, event);
  const twice = step(scheduler, JSON.parse(JSON.stringify(sim.local)) as Local, event);
  assert.equal(localKey(once.local), localKey(twice.local));
  assert.equal(once.effects, twice.effects);
});

test.run();
