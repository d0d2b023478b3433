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
import { transitionKey } from '../../spec/machines/lifecycle.ts';
import { MASTER_LIFECYCLES } from '../../spec/machines/master/lifecycles.ts';
import { AGENT_LIFECYCLES } from '../../spec/machines/agent/lifecycle.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { election, type ElectionContext } from '../../spec/world/election.ts';
import type { WorldReader } from '../../invariants/index.ts';

test('every listed transition is one a machine defines or a lifecycle declares', () => {
  const ids = new Set([master, agent, executor, scheduler, election].flatMap((m) => transitionsOf(m).map((t) => t.id)));
  for (const lc of [...MASTER_LIFECYCLES, ...AGENT_LIFECYCLES]) for (const t of lc.transitions) ids.add(transitionKey(lc.kind, t));
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
  const quiet = reader('x', 'y', [{ type: 'NOTHING' }]);
  // The master's books of one task, F0/T0, in `state`, for a framework that does (not) checkpoint.
  const books = (state: string, checkpoint = true, completedFrameworks: string[] = []) => ({
    frameworks: { F0: { info: { checkpoint, capabilities: [] }, tasks: { T0: { task: { state } } }, unreachable: {} } },
    completedFrameworks,
    flags: { maxCompletedFrameworks: 50 },
  });
  // The master with these books, the agent with this context and timers, and messages on these channels.
  const world = (m: unknown, agentContext: unknown, msgs: [string, string, AnyEventObject[]][], timers: unknown[] = []): WorldReader => ({
    ...quiet,
    master: () => m as never,
    agent: (name) => (name === a ? (agentContext as never) : null),
    timers: (name) => (name === a ? (timers as never) : []),
    channel: (f, t) => msgs.find(([x, y]) => x === f && y === t)?.[2] ?? [],
  });
  const update = (state: string, latest = state) => ({
    type: 'STATUS_UPDATE',
    update: { framework_id: { value: 'F0' }, status: { task_id: { value: 'T0' }, state }, latest_state: latest },
  });
  const reregister = (state: string) => ({ type: 'REREGISTER_AGENT', tasks: [{ framework_id: { value: 'F0' }, task_id: { value: 'T0' }, state }] });
  const toMaster = (...m: AnyEventObject[]): [string, string, AnyEventObject[]] => [a, layout.master, m];
  const executorIn = (state: string, extra: object = {}) => ({
    frameworks: { F0: { state: 'RUNNING', executors: { E0: { state, queued: [], launched: {}, terminated: {}, completed_sent: false, ...extra } } } },
  });
  const registrationTimer = { id: 'executor-registration:F0/E0', event: { type: 'EXECUTOR_REGISTRATION_TIMEOUT', framework: 'F0', executor: 'E0' }, delay: 60_000 };
  const shutdownExecutor = { type: 'SHUTDOWN_EXECUTOR', framework_id: { value: 'F0' }, executor_id: { value: 'E0' } };
  // The agent in `state` holding E0 of F0 in `executorState`, with these calls from the executor's slot.
  const calls = (state: unknown, executorState: string, ...m: AnyEventObject[]): WorldReader => ({
    ...world(null, { ...executorIn(executorState), info: { id: { value: 'S0' } } }, [[e.slot, a, m]]),
    stateOf: (name) => (name === a ? (state as never) : null),
  });
  const call = (type: string, principal?: object) => ({ type, framework_id: { value: 'F0' }, executor_id: { value: 'E0' }, ...(principal ? { principal } : {}) });
  // The master with framework F0 connected (or not), and a DECLINE of it on its way.
  const declining = (connection: string | null) =>
    world({ frameworks: { F0: { info: { checkpoint: true, capabilities: [] }, connection, tasks: {}, unreachable: {} } } }, null, [
      [fw, layout.master, [{ type: 'DECLINE', framework_id: { value: 'F0' } }]],
    ]);
  const running = { active: 'running' };
  const cases: [string, WorldReader, string][] = [
    ['agent.active.running|PING|', agentReader('x', null, [{ type: 'PING', connected: false }]), 'PING {connected: false} in flight'],
    ['agent.active.running|AGENT_REREGISTERED|', agentReader(running as never, withId, [{ type: 'AGENT_REREGISTERED' }]), 'which is running'],
    ['scheduler.subscribed|SUBSCRIBED|', reader(layout.master, fw, [{ type: 'SUBSCRIBED' }], null, { subscribed: 'idle' }), 'which is subscribed'],
    ['master.leading|DECLINE|1', declining(null), 'which the master has not subscribed'],
    ['agent|UPDATE|4', calls({ active: 'reregistering' }, 'REGISTERING', call('UPDATE')), 'UPDATE of F0/E0 in flight'],
    ['agent|MESSAGE|3', calls('terminating', 'REGISTERING', call('MESSAGE', { fid: 'F0', eid: 'E0' })), 'MESSAGE of F0/E0 in flight'],
    ['agent.active.running|MESSAGE|3', calls(running, 'REGISTERING', call('MESSAGE')), 'which has it REGISTERING'],
    ['task|TASK_KILLING|TASK_FINISHED|', world(books('TASK_KILLING'), null, [toMaster(update('TASK_RUNNING', 'TASK_FINISHED'))]), 'reports F0/T0 TASK_FINISHED'],
    ['task|TASK_RUNNING|TASK_STARTING|', world(books('TASK_RUNNING'), null, [toMaster(update('TASK_STARTING'))]), 'which the master has TASK_RUNNING'],
    ['task|TASK_KILLING|TASK_STARTING|', world(books('TASK_KILLING'), null, [toMaster(reregister('TASK_STARTING'))]), 'REREGISTER_AGENT from'],
    ['task|TASK_KILLING|TASK_RUNNING|', world(books('TASK_KILLING'), null, [toMaster(update('TASK_RUNNING'))]), 'which the master has TASK_KILLING'],
    ['task|TASK_UNREACHABLE|TASK_LOST|', world(books('TASK_UNREACHABLE'), null, [toMaster(reregister('TASK_LOST'))]), 'reports F0/T0 TASK_LOST'],
    ['task|TASK_LOST|TASK_DROPPED|', world(books('TASK_LOST'), null, [toMaster(reregister('TASK_DROPPED'))]), 'reports F0/T0 TASK_DROPPED'],
    ['task|TASK_LOST|TASK_GONE|', world(books('TASK_LOST'), null, [toMaster(reregister('TASK_GONE'))]), 'reports F0/T0 TASK_GONE,'],
    ['task|TASK_LOST|TASK_GONE_BY_OPERATOR|', world(books('TASK_LOST'), null, [toMaster(reregister('TASK_GONE_BY_OPERATOR'))]), 'TASK_GONE_BY_OPERATOR'],
    ['task|TASK_GONE|completed|LINK_BROKEN', world(books('TASK_GONE', false), null, []), 'does not checkpoint'],
    [
      'framework|completed|(none)|',
      world(
        books(
          'TASK_RUNNING',
          true,
          Array.from({ length: 50 }, (_, i) => `C${i}`),
        ),
        null,
        [],
      ),
      'holds 50 completed frameworks',
    ],
    ['executor|REGISTERING|TERMINATING|SHUTDOWN_EXECUTOR', world(null, executorIn('REGISTERING'), [[layout.master, a, [shutdownExecutor]]]), 'which has it REGISTERING'],
    ['executor|REGISTERING|TERMINATING|EXECUTOR_REGISTRATION_TIMEOUT', world(null, executorIn('REGISTERING'), [], [registrationTimer]), 'the network idle'],
    ['agent|EXECUTOR_REGISTRATION_TIMEOUT|0', world(null, executorIn('REGISTERING'), [], [registrationTimer]), 'the network idle'],
    // A RUNNING executor whose only task is still STAGING: the SUBSCRIBE may drop it, then shut the executor down.
    [
      'executor|RUNNING|TERMINATING|SUBSCRIBE',
      world(null, executorIn('RUNNING', { launched: { T0: { state: 'TASK_STAGING' } } }), [[e.slot, a, [{ type: 'SUBSCRIBE' }]]]),
      'no task it could not drop',
    ],
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
    // Reports in order, a LOST task of a framework that checkpoints, a SHUTDOWN_EXECUTOR to a RUNNING
    // executor, a registration timer while the executor's SUBSCRIBE is in flight, a RUNNING executor sent its task.
    world(books('TASK_RUNNING'), null, [toMaster(update('TASK_RUNNING', 'TASK_KILLING'), reregister('TASK_FINISHED'))]),
    world(books('TASK_UNREACHABLE'), null, [toMaster(reregister('TASK_RUNNING'))]),
    world(books('TASK_GONE'), null, []),
    world(null, executorIn('RUNNING', { completed_sent: true }), [[layout.master, a, [shutdownExecutor]]]),
    world(null, executorIn('REGISTERING'), [[e.slot, a, [{ type: 'SUBSCRIBE' }]]], [registrationTimer]),
    world(null, executorIn('RUNNING', { completed_sent: true }), []),
    world(null, executorIn('RUNNING', { launched: { T0: { state: 'TASK_RUNNING' } } }), []),
    // A PING of a connected agent, an AGENT_REREGISTERED to a reregistering agent, a SUBSCRIBED to a
    // subscribing scheduler, a DECLINE of a subscribed framework; calls of a subscribed executor, of
    // a registering one to a recovering agent (answered 503 first), of a caller with another's token.
    agentReader(running as never, withId, [{ type: 'PING', connected: true }]),
    agentReader({ active: 'reregistering' } as never, withId, [{ type: 'AGENT_REREGISTERED' }]),
    reader(layout.master, fw, [{ type: 'SUBSCRIBED' }], null, 'subscribing'),
    declining(fw),
    calls(running, 'RUNNING', call('UPDATE'), call('MESSAGE')),
    calls('recovering', 'REGISTERING', call('UPDATE'), call('MESSAGE')),
    calls(running, 'REGISTERING', call('UPDATE', { fid: 'F0', eid: 'other' }), call('MESSAGE', {})),
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
