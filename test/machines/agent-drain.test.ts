/**
 * AGENT_DRAIN on the agent machine (spec/machines/agent/drain.ts, Slave::drain): the drain is
 * kept (checkpointed) only while the agent has frameworks, each task is killed with its grace
 * capped, the kill updates say REASON_AGENT_DRAINING (TASK_GONE_BY_OPERATOR to a partition-aware
 * framework under mark_gone), a task arriving meanwhile is dropped, the last framework's removal
 * ends the drain, and a restart replays it when recovery ends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { cappedKillPolicy } from '../../spec/machines/agent/drain.ts';
import type { AgentCheckpoint } from '../../spec/machines/agent.ts';
import type { DrainConfig, FrameworkInfo } from '../../spec/protocol/common.ts';
import { AGENT_ID, addr, fw, registered, runTask, task, type Sim } from '../support/agent-sim.ts';

const PA = [{ type: 'PARTITION_AWARE' as const }];
const drain = (sim: Sim, config: DrainConfig) => sim.master({ type: 'AGENT_DRAIN', config });
const oneSecond: DrainConfig = { max_grace_period: { nanoseconds: 1e9 }, mark_gone: false };

/** The STATUS_UPDATEs the agent sent the master, as [task, state, reason, source]. */
const updates = (msgs: AnyEventObject[]) =>
  msgs.filter((m) => m.type === 'STATUS_UPDATE').map((m) => [m.update.status.task_id.value, m.update.status.state, m.update.status.reason, m.update.status.source]);

/** The last update of task `t` the agent holds for the master (its stream waits for acknowledgements), as [state, reason, source]. */
function lastPending(sim: Sim, f: string, t: string): unknown[] {
  const pending = sim.ctx.streams[f]![t]!.pending;
  const s = pending[pending.length - 1]!.status;
  return [s.state, s.reason, s.source];
}

/** A running task t1 of `framework` whose own kill grace (30 s) is longer than the drain's. */
function running(framework: FrameworkInfo): Sim {
  const sim = registered();
  runTask(sim, framework, task('t1', { kill_policy: { grace_period: { nanoseconds: 30e9 } } })).flush();
  sim.sent();
  return sim;
}

/** The command's process ends on the executor's SIGTERM; its TASK_KILLED goes through the agent. */
const killedByExecutor = (sim: Sim) => sim.flush().env(addr('F1', 't1'), { type: 'PROCESS_EXITED', status: 0, signal: 'Terminated' }).flush();

test("kill policy: no cap keeps the task's, a cap shortens a longer grace or sets a missing one", () => {
  assert.equal(cappedKillPolicy({ grace_period: { nanoseconds: 5 } }, undefined), { grace_period: { nanoseconds: 5 } });
  assert.equal(cappedKillPolicy({ grace_period: { nanoseconds: 5 } }, { nanoseconds: 3 }), { grace_period: { nanoseconds: 3 } });
  assert.equal(cappedKillPolicy({ grace_period: { nanoseconds: 2 } }, { nanoseconds: 3 }), { grace_period: { nanoseconds: 2 } });
  assert.equal(cappedKillPolicy(undefined, { nanoseconds: 3 }), { grace_period: { nanoseconds: 3 } });
});

test('AGENT_DRAIN on an agent with no framework: nothing to drain, nothing kept', () => {
  const sim = registered();
  const before = JSON.stringify(sim.agent.context);
  drain(sim, oneSecond);
  assert.is(JSON.stringify(sim.agent.context), before);
  assert.equal(sim.sent(), []);
});

test('AGENT_DRAIN: checkpointed, the task killed with its grace capped, its TASK_KILLED says REASON_AGENT_DRAINING; the last framework gone ends the drain', () => {
  const sim = running(fw('F1', { checkpoint: true }));
  drain(sim, oneSecond);
  assert.equal(sim.ctx.drain, oneSecond);
  assert.equal((sim.persists[sim.persists.length - 1]!.value as AgentCheckpoint).drain, oneSecond);
  const kill = sim.queue.find((q) => q.msg.type === 'KILL')!;
  assert.equal(kill.msg.kill, { task_id: { value: 't1' }, kill_policy: { grace_period: { nanoseconds: 1e9 } } });
  killedByExecutor(sim);
  assert.equal(lastPending(sim, 'F1', 't1'), ['TASK_KILLED', 'REASON_AGENT_DRAINING', 'SOURCE_EXECUTOR']);
  // A second AGENT_DRAIN (the master's, after a reregistration) finds nothing left to kill.
  const pending = sim.ctx.streams.F1!.t1!.pending.length;
  drain(sim, oneSecond);
  assert.is(sim.ctx.streams.F1!.t1!.pending.length, pending);
  // The executor exits after its task; once every update is acknowledged the framework goes, and the drain with it.
  for (let i = 0; i < pending; i++) {
    const head = sim.ctx.streams.F1!.t1!.pending[0]!;
    sim.master({ type: 'STATUS_UPDATE_ACK', agent_id: { value: AGENT_ID }, framework_id: { value: 'F1' }, task_id: { value: 't1' }, uuid: head.uuid });
  }
  sim.flush();
  assert.equal(sim.ctx.frameworks, {});
  assert.is(sim.ctx.drain, undefined);
  assert.is((sim.persists[sim.persists.length - 1]!.value as AgentCheckpoint).drain, undefined);
});

test('AGENT_DRAIN with mark_gone: a partition-aware framework hears TASK_GONE_BY_OPERATOR, another TASK_KILLED', () => {
  for (const [caps, state] of [
    [PA, 'TASK_GONE_BY_OPERATOR'],
    [[], 'TASK_KILLED'],
  ] as const) {
    const sim = running(fw('F1', { capabilities: [...caps] }));
    drain(sim, { mark_gone: true });
    const kill = sim.queue.find((q) => q.msg.type === 'KILL')!;
    assert.equal(kill.msg.kill.kill_policy, { grace_period: { nanoseconds: 30e9 } }, 'no cap: the task keeps its own grace');
    killedByExecutor(sim);
    assert.equal(lastPending(sim, 'F1', 't1'), [state, 'REASON_AGENT_DRAINING', 'SOURCE_EXECUTOR']);
  }
});

test('a task queued when the drain comes is killed by the agent, REASON_AGENT_DRAINING; a task arriving later is dropped', () => {
  const sim = registered();
  runTask(sim, fw('F1', { capabilities: PA }), task('t1'));
  sim.queue.length = 0; // the executor has not subscribed: t1 stays queued
  drain(sim, oneSecond);
  runTask(sim, fw('F1', { capabilities: PA }), task('t2'));
  runTask(sim, fw('F2'), task('u1'));
  assert.equal(updates(sim.sent()), [
    ['t1', 'TASK_KILLED', 'REASON_AGENT_DRAINING', 'SOURCE_AGENT'],
    ['t2', 'TASK_DROPPED', 'REASON_AGENT_DRAINING', 'SOURCE_AGENT'],
    ['u1', 'TASK_LOST', 'REASON_AGENT_DRAINING', 'SOURCE_AGENT'],
  ]);
  assert.ok(sim.toMaster.length === 0);
  assert.equal(Object.keys(sim.ctx.frameworks), ['F1'], "the dropped task's new framework is not kept");
  assert.ok(sim.ctx.drain);
});

test('restart: the checkpointed drain comes back and is replayed when recovery ends', () => {
  const sim = running(fw('F1', { checkpoint: true }));
  drain(sim, oneSecond);
  sim.queue.length = 0; // the KILL is lost with the crash
  sim.restart();
  assert.equal(sim.ctx.drain, oneSecond);
  sim.fireExec(addr('F1', 't1'), 'subscribe-retry').flush();
  assert.is(sim.ctx.frameworks.F1!.executors.t1!.state, 'RUNNING');
  sim.fireAgent('executor-reregistration');
  const kill = sim.queue.find((q) => q.msg.type === 'KILL')!;
  assert.equal(kill.msg.kill, { task_id: { value: 't1' }, kill_policy: { grace_period: { nanoseconds: 1e9 } } });
});

test('restart: a drain whose frameworks were not checkpointed is over (no framework comes back)', () => {
  const sim = running(fw('F1', { checkpoint: false }));
  drain(sim, oneSecond);
  sim.queue.length = 0;
  sim.restart();
  assert.is(sim.ctx.drain, undefined);
  assert.equal(sim.ctx.frameworks, {});
});

test.run();
