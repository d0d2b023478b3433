/**
 * model/unreachable.ts: every listed transition exists in its machine, and each backing
 * property bites: it reports the message its transition needs as soon as one is in flight.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { UNREACHABLE, unreachableProperties } from '../../model/unreachable.ts';
import { configs } from '../../model/configs.ts';
import { agent } from '../../spec/machines/agent.ts';
import { executor } from '../../spec/machines/executor.ts';
import { master } from '../../spec/machines/master.ts';
import { scheduler } from '../../spec/machines/scheduler.ts';
import { transitionsOf } from '../../spec/world/coverage.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { election, type ElectionContext } from '../../spec/world/election.ts';
import type { WorldReader } from '../../invariants/index.ts';

test('every listed transition is one a machine defines', () => {
  const ids = new Set([master, agent, executor, scheduler, election].flatMap((m) => transitionsOf(m).map((t) => t.id)));
  for (const u of UNREACHABLE) assert.ok(ids.has(u.transition), `${u.transition} is not a transition`);
});

test('each backing property reports its precondition once it holds, and nothing in a quiet world', () => {
  const { layout } = mesosWorld(configs.default!);
  const e = layout.executors[0]!;
  const fw = layout.frameworks[0]!;
  const reader = (from: string, to: string, msgs: AnyEventObject[], task: string | null = null, framework: unknown = null): WorldReader => ({
    layout,
    master: () => null,
    agent: () => null,
    scheduler: () => null,
    executor: () => null,
    stateOf: (name) => (name === e.slot && task !== null ? { live: { connection: 'subscribed', task } } : name === fw ? (framework as never) : null),
    channel: (f, t) => (f === from && t === to ? msgs : []),
  });
  // An agent in `state` with this context and these messages from the master.
  const a = layout.agents[0]!;
  const agentReader = (state: string, context: unknown, msgs: AnyEventObject[] = []): WorldReader => ({
    ...reader(layout.master, a, msgs),
    agent: (name) => (name === a ? (context as never) : null),
    stateOf: (name) => (name === a ? state : null),
  });
  const withId = { info: { id: { value: 'S0' } }, frameworks: { F0: { state: 'TERMINATING' } } };
  const launch = { type: 'LAUNCH' };
  const kill = (task: string) => ({ type: 'KILL', kill: { task_id: { value: task } } });
  // Each property, the state that reaches its precondition, and what it must then say.
  const cases: [string, WorldReader, string][] = [
    ['|LAUNCH_GROUP|', reader(e.agent, e.slot, [{ type: 'LAUNCH_GROUP' }]), 'LAUNCH_GROUP in flight'],
    ['.running|LAUNCH|', reader(e.agent, e.slot, [launch], 'running'), 'a second LAUNCH'],
    ['.killing|LAUNCH|', reader(e.agent, e.slot, [launch, launch], 'idle'), 'a second LAUNCH'],
    ['.exited|LAUNCH|', reader(e.agent, e.slot, [launch], 'exited'), 'a second LAUNCH'],
    ['.idle|KILL|', reader(e.agent, e.slot, [kill(e.task)], 'idle'), 'which has no task'],
    ['.running|KILL|1', reader(e.agent, e.slot, [kill('other')], 'running'), 'KILL of other'],
    ['scheduler.subscribed|ERROR|', reader(layout.master, fw, [{ type: 'ERROR' }], null, { subscribed: 'idle' }), 'which is subscribed'],
    ['|SUBSCRIBE_FAILED|', reader(e.agent, e.slot, [{ type: 'SUBSCRIBE_FAILED' }]), 'SUBSCRIBE_FAILED in flight'],
    ['|SUBSCRIBE_RETRY|', reader(e.agent, e.slot, [{ type: 'SUBSCRIBE_FAILED' }]), 'SUBSCRIBE_FAILED in flight'],
    ['agent.terminating|SHUTDOWN_FRAMEWORK|', agentReader('terminating', { ...withId, frameworks: { F0: { state: 'RUNNING' } } }), 'framework F0 is RUNNING'],
    ['agent.terminating|SHUTDOWN_EXECUTOR|', agentReader('terminating', { ...withId, frameworks: { F0: { state: 'RUNNING' } } }), 'framework F0 is RUNNING'],
    ['agent.recovering|SHUTDOWN_AGENT|', agentReader('recovering', withId, [{ type: 'SHUTDOWN_AGENT' }]), 'which is recovering'],
    ['agent.recovering|UNREGISTER_REQUEST|1', agentReader('recovering', { info: {}, frameworks: {} }), 'without an agent id'],
  ];
  const quiet = reader('x', 'y', [{ type: 'NOTHING' }]);
  // What the agent and executor do every run: a LAUNCH to an idle executor, then a KILL of its task behind it.
  // and a refused SUBSCRIBE's ERROR to a scheduler still subscribing.
  const ordinary = [
    reader(e.agent, e.slot, [launch, kill(e.task)], 'idle'),
    reader(e.agent, e.slot, [kill(e.task)], 'running'),
    reader(layout.master, fw, [{ type: 'ERROR' }], null, 'subscribing'),
    // A terminating agent whose frameworks are all terminating, a SHUTDOWN_AGENT to a running
    // agent, a recovering agent with an id.
    agentReader('terminating', withId, [{ type: 'SHUTDOWN_FRAMEWORK' }]),
    agentReader({ active: 'running' } as never, { ...withId, frameworks: { F0: { state: 'RUNNING' } } }, [{ type: 'SHUTDOWN_AGENT' }]),
    agentReader('recovering', withId),
  ];
  for (const p of unreachableProperties()) {
    assert.is(p.world!(quiet), null, p.name);
    for (const w of ordinary) assert.is(p.world!(w), null, p.name);
    if (p.name.includes('election|persist|')) {
      // A leader whose host holds an older version than the node's: its next write would fail.
      const stale = { seen: { master: 1 }, version: 2 } as unknown as ElectionContext;
      assert.match(p.world!({ ...quiet, election: () => stale }) ?? '', 'holds version 1', p.name);
      continue;
    }
    const c = cases.find(([id]) => p.name.includes(id));
    assert.ok(c, `${p.name} has no case`);
    assert.match(p.world!(c![1]) ?? '', c![2], p.name);
  }
});

test.run();
