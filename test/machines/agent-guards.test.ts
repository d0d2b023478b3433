/**
 * The agent's named guards, each against its negation (a mutant made with machine.provide()),
 * and determinism over long pseudo-random runs of an agent with its executors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { localKey } from '../../spec/step.ts';
import { agentMachine, agentRestartInput } from '../../spec/machines/agent.ts';
import { guardNames, negatedOutcome } from '../support/mutants.ts';
import { prng } from '../support/prng.ts';
import { AGENT, AGENT_ID, MASTER, Sim, addr, agentTimerProblem, fw, registered, runTask, task } from '../support/agent-sim.ts';

const pending = (sim: Sim, f = 'F1', t = 't1') => (sim.ctx.streams[f]?.[t]?.pending ?? []).map((u) => u.status.state).join();

/** An executor call answered over HTTP (a `request`), optionally with a token's claims: the answers, in order. */
function answers(m: AnyStateMachine, call: { framework: string; executor: string; principal?: { fid: string; eid: string } }): string {
  const sim = runTask(registered(m), fw('F1'), task('t1')).flush();
  sim.deliver(AGENT, {
    type: 'UPDATE',
    framework_id: { value: call.framework },
    executor_id: { value: call.executor },
    update: { status: { task_id: { value: 't1' }, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', uuid: 'AAAAAAAAQACAAAAAAAAAAA==' } },
    from: addr(call.framework, call.executor),
    request: 'req-1',
    ...(call.principal ? { principal: call.principal } : {}),
  });
  return JSON.stringify(sim.replies) + pending(sim);
}

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
  callerFrameworkKnown: (m) => answers(m, { framework: 'F9', executor: 't1' }),
  callerExecutorKnown: (m) => answers(m, { framework: 'F1', executor: 't9' }),
  callerHoldsItsToken: (m) => answers(m, { framework: 'F1', executor: 't1', principal: { fid: 'F1', eid: 't2' } }),
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
  unregistered: (m) => registered(m).env(AGENT, { type: 'UNREGISTER_REQUEST' }).state(),
};

test('every agent guard has a scenario', () => {
  assert.equal(Object.keys(guardScenarios).sort(), guardNames(agentMachine));
});

for (const name of Object.keys(guardScenarios).sort()) {
  test(`negating guard ${name} changes the outcome`, () => {
    const scenario = guardScenarios[name]!;
    const original = scenario(agentMachine);
    const mutant = negatedOutcome(agentMachine, name, scenario);
    assert.is.not(mutant, original);
  });
}

// ------------------------------------------------------------------------------------ determinism

/** Every pending timer of the agent is meant for the state it is in. */
function timerHygiene(sim: Sim): void {
  if (sim.stopped) return;
  const c = sim.ctx;
  const problem = agentTimerProblem(sim.agent);
  assert.ok(problem === null, problem ?? '');
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
