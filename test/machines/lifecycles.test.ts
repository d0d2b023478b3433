/**
 * The declared lifecycles (spec/machines/master/lifecycles.ts, spec/machines/agent/lifecycle.ts):
 * the tables are well formed, the polite default configuration's status changes are all declared,
 * and a master making a status change its table does not list is caught by the checker as an
 * error verdict with a short trace (the seeded bug: tasks marked RUNNING as they are accepted).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyStateMachine } from 'xstate';
import { explore } from '../../checker/index.ts';
import { formatTrace } from '../../checker/trace.ts';
import { configs } from '../../model/configs.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { agent } from '../../spec/machines/agent.ts';
import { AGENT_LIFECYCLES } from '../../spec/machines/agent/lifecycle.ts';
import { NONE, checkStep, type Lifecycle } from '../../spec/machines/lifecycle.ts';
import { MASTER_LIFECYCLES, frameworkLifecycle } from '../../spec/machines/master/lifecycles.ts';
import type { MasterContext } from '../../spec/machines/master/context.ts';
import { LifecycleCoverage } from '../../spec/world/lifecycle-coverage.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { masterLaunchingRunningTasks } from '../support/mutants.ts';

const ALL = [...MASTER_LIFECYCLES, ...AGENT_LIFECYCLES] as readonly Lifecycle<never>[];

test('every lifecycle names only its own states, declares each transition once, and reaches every state', () => {
  for (const lc of ALL) {
    const states = new Set([NONE, ...lc.states]);
    const keys = lc.transitions.map((t) => `${t.from}|${t.to}|${t.on}`);
    assert.is(new Set(keys).size, keys.length, `${lc.kind}: a transition declared twice`);
    for (const t of lc.transitions) {
      assert.ok(states.has(t.from) && states.has(t.to), `${lc.kind}: ${t.from} -> ${t.to} names an undeclared state`);
      assert.ok(t.from !== t.to, `${lc.kind}: ${t.from} -> ${t.to} is no change`);
    }
    for (const s of lc.states) assert.ok(lc.transitions.some((t) => t.to === s) || lc.initial?.includes(s), `${lc.kind}: nothing leads to ${s}`);
    for (const t of lc.transitions) assert.ok(!/ /.test(t.on) || lc.causes?.[t.on] !== undefined, `${lc.kind}: cause '${t.on}' is not named`);
  }
});

test('checkStep lets a declared change through and throws on another, naming the record, the change and the event', () => {
  const base = { completedFrameworks: [], frameworks: {} } as unknown as MasterContext;
  const subscribed = { ...base, frameworks: { f1: { connection: 'fw-0' } } } as unknown as MasterContext;
  const gone = { ...base, completedFrameworks: ['f1'] } as unknown as MasterContext;
  checkStep([frameworkLifecycle], base, subscribed, { type: 'SUBSCRIBE' });
  checkStep([frameworkLifecycle], subscribed, gone, { type: 'TEARDOWN' });
  checkStep([frameworkLifecycle], subscribed, gone, { type: 'OPERATOR_TEARDOWN' }); // the same named cause
  assert.throws(() => checkStep([frameworkLifecycle], subscribed, gone, { type: 'PONG' }), /framework lifecycle does not allow f1 to go subscribed -> completed on PONG/);
});

test('the oldest completed framework is forgotten when another is removed past --max_completed_frameworks; a live one never vanishes', () => {
  // Found by a conformance run against a long-lived cluster: its 51st removal threw, leaving the TEARDOWN unanswered.
  const full = { completedFrameworks: ['f1'], frameworks: { f2: { connection: 'fw-0' } } } as unknown as MasterContext;
  const removed = { completedFrameworks: ['f2'], frameworks: {} } as unknown as MasterContext;
  checkStep([frameworkLifecycle], full, removed, { type: 'OPERATOR_TEARDOWN' });
  checkStep([frameworkLifecycle], full, removed, { type: 'LINK_BROKEN' }); // failover_timeout 0
  const vanished = { completedFrameworks: ['f1'], frameworks: {} } as unknown as MasterContext;
  assert.throws(() => checkStep([frameworkLifecycle], full, vanished, { type: 'TEARDOWN' }), /does not allow f2 to go subscribed -> \(none\) on TEARDOWN/);
});

/** kill-crash-no-checkpoint without its agent crash: a polite framework's whole run with a kill, quickly. */
const small: MesosConfig = { ...configs['kill-crash-no-checkpoint']!, faults: NO_FAULTS };

function check(machines: { master?: AnyStateMachine } = {}) {
  const world = mesosWorld(small, machines);
  const coverage = new LifecycleCoverage(
    new Map<AnyStateMachine, readonly Lifecycle<never>[]>([
      [world.system.components.find((c) => c.name === 'master')!.machine, MASTER_LIFECYCLES as readonly Lifecycle<never>[]],
      [agent, AGENT_LIFECYCLES as readonly Lifecycle<never>[]],
    ]),
  );
  world.system.onLocalTransition = (comp, from, event, to) => coverage.observe(world.system.components[comp]!.machine, from, event, to);
  const model = mesosModel(world);
  return { model, r: explore(model, { maxStates: 100_000 }), coverage };
}

test("a polite framework's run makes only declared status changes, and coverage counts the ones it makes", () => {
  const { r, coverage } = check();
  assert.is(r.complete, true);
  assert.is(r.verdicts.find((v) => v.kind === 'error')!.status, 'none');
  const taken = Object.fromEntries(coverage.report().map((l) => [l.kind, l.taken]));
  for (const kind of ['framework', 'agent', 'offer', 'task', 'executor']) assert.ok(taken[kind]! > 0, `no ${kind} transition taken`);
  const task = coverage.report().find((l) => l.kind === 'task')!;
  assert.ok(!task.missed.some((t) => t.id === 'task|(none)|TASK_STAGING|ACCEPT'), 'a launch is taken');
});

test('the checker reports a master making an undeclared status change as an error, with its trace', () => {
  const { model, r } = check({ master: masterLaunchingRunningTasks() });
  const error = r.verdicts.find((v) => v.kind === 'error')!;
  assert.is(error.status, 'violated');
  assert.match('explanation' in error ? error.explanation : '', /the task lifecycle does not allow \S+ to go \(none\) -> TASK_RUNNING on ACCEPT/);
  if (!('trace' in error)) throw new Error('no trace');
  assert.ok(error.trace.actions.length <= 8, `a short trace, got ${error.trace.actions.length} steps`);
  assert.match(formatTrace(model, error.trace), /fw-0 -> master: SUBSCRIBE/);
});

test.run();
