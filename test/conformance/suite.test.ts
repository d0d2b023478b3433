/**
 * The conformance suite of the default configuration: it covers the reachable targets, its
 * files validate against their schemas, the manifest agrees with the scenarios, and every
 * scenario is one the model allows (replayed against the model as a runner would replay it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkScenario } from '../../conformance/check.ts';
import { generateSuite, QUICK_TIMER_MS } from '../../conformance/generate.ts';
import { CONFORMANCE_FAILOVER_TIMEOUT_SECONDS, CONFORMANCE_TIMEOUTS } from '../../conformance/timeouts.ts';
import { configs } from '../../model/configs.ts';
import type { CallStep, ExpectStep, Scenario } from '../../conformance/format.ts';
import { universe } from '../../conformance/targets.ts';
import { errorsOf, modelSchema, protocolSchema, suiteOf, wellFormed } from './support.ts';

const suite = () => suiteOf('default');

test('default: every reachable target is covered by a scenario', () => {
  const { manifest } = suite();
  const c = manifest.coverage;
  assert.ok(manifest.exploration.complete, 'the default configuration is explored exhaustively');
  console.log(
    `  conformance default: ${c.covered}/${c.reachable} reachable targets covered (${((100 * c.covered) / c.reachable).toFixed(1)}%), ${c.runnable} runnable without loss or partition; ` +
      `${manifest.scenarios.length} scenarios; transitions ${c.byKind.transition!.reachable}/${c.byKind.transition!.defined} reachable`,
  );
  assert.is(c.covered, c.reachable, JSON.stringify(manifest.targets.filter((t) => t.problem)));
  assert.ok(c.reachable >= 60, `only ${c.reachable} reachable targets`);
  // Every target of the default configuration is reachable without a lost message: the first
  // pass (without loss) finds them all, so every scenario runs on any cluster.
  assert.is(c.runnable, c.covered, `only ${c.runnable} of ${c.covered} runnable`);
  assert.ok(manifest.exploration.withoutLossOrPartition!.complete);
  assert.ok(manifest.exploration.withoutLossOrPartition!.states < manifest.exploration.states);
  // Targets of every kind.
  for (const kind of ['transition', 'state', 'reason', 'situation']) assert.ok(c.byKind[kind]!.covered > 0, `no ${kind} target covered`);
  // What a framework of the default configuration must see.
  const ids = new Set(manifest.targets.map((t) => t.id));
  for (const id of ['state:TASK_STARTING', 'state:TASK_RUNNING', 'state:TASK_FINISHED', 'situation:acknowledgedAfterDelivery', 'transition:scheduler.subscribed|OFFERS|0']) {
    assert.ok(ids.has(id), `${id} is not a target`);
  }
});

test("with Mesos's timeouts, a target reachable without long timers gets a scenario that waits for none", () => {
  const { manifest, scenarios } = generateSuite(configs.default!, { mesosTimeouts: true });
  const quick = manifest.exploration.withShortTimers!;
  assert.is(quick.maxTimerMs, QUICK_TIMER_MS);
  assert.ok(quick.complete && quick.states < manifest.exploration.withoutLossOrPartition!.states);
  // TASK_FINISHED's shortest witness overall waits for the master's 10-minute reregistration
  // timeout; the first pass finds one that does not.
  const finished = scenarios.find((x) => x.targets.some((t) => t.id === 'state:TASK_FINISHED'))!;
  assert.ok(
    finished.timers.every((t) => t.delayMs <= QUICK_TIMER_MS),
    JSON.stringify(finished.timers),
  );
  const longest = (x: Scenario) => Math.max(0, ...x.timers.map((t) => t.delayMs));
  const waiting = scenarios.filter((x) => longest(x) > QUICK_TIMER_MS);
  assert.ok(waiting.length > 0 && waiting.length < scenarios.length / 3, `${waiting.length} of ${scenarios.length} scenarios wait for a long timer`);
  assert.ok(
    scenarios.every((x) => x.environment.timeouts === undefined),
    'no timeouts of their own',
  );
});

test('by default the suite is generated with short timeouts: no scenario waits for a long timer, and each says the flags its cluster needs', () => {
  const { manifest, scenarios } = suite();
  const longest = Math.max(...scenarios.flatMap((x) => x.timers.map((t) => t.delayMs)));
  assert.ok(longest <= 10_000, `a scenario waits ${longest} ms for a timer`);
  assert.equal(manifest.config.timeouts, CONFORMANCE_TIMEOUTS);
  for (const x of scenarios) assert.equal(x.environment.timeouts, CONFORMANCE_TIMEOUTS, x.name);
  // The timers the traces wait for are the short ones (the model sets them from the configuration).
  const delays = new Set(scenarios.flatMap((x) => x.timers.map((t) => `${t.timer.replace(/:.*/, '')}=${t.delayMs}`)));
  for (const d of ['reregister=10000', 'recovery=10000', 'terminal-ack=10000', 'failover=10000']) assert.ok(delays.has(d), `${d} in ${[...delays].join(', ')}`);
  assert.ok(
    manifest.config.frameworks.every((f) => f.failoverTimeoutSeconds <= CONFORMANCE_FAILOVER_TIMEOUT_SECONDS),
    'frameworks fail over within seconds',
  );
});

test('every scenario and the manifest validate against their schemas', () => {
  const scenarioSchema = modelSchema('Scenario.json');
  for (const s of suite().scenarios) assert.ok(scenarioSchema(s), `${s.name}: ${errorsOf(scenarioSchema)}`);
  const manifestSchema = modelSchema('Manifest.json');
  assert.ok(manifestSchema(JSON.parse(suite().files.get('manifest.json')!)), errorsOf(manifestSchema));
  // What is written is what was validated.
  for (const s of suite().scenarios) assert.equal(JSON.parse(suite().files.get(`${s.name}.json`)!), s);
});

/** Variables replaced by values of the right shape (uuids are 16 bytes of Base64). */
function substitute(v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith('$')) return v.startsWith('$uuid') ? 'AAAAAAAAQACAAAAAAAAAAA==' : `value-of-${v.slice(1)}`;
  if (Array.isArray(v)) return v.map(substitute);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
  return v;
}

test('every call is a v1 scheduler Call once its variables are bound', () => {
  const callSchema = protocolSchema('SchedulerCall.json');
  let calls = 0;
  for (const s of suite().scenarios) {
    for (const step of s.steps) {
      if (step.kind !== 'call') continue;
      calls++;
      assert.ok(callSchema(substitute(step.call)), `${s.name} ${step.id} ${step.call.type}: ${errorsOf(callSchema)}`);
    }
  }
  assert.ok(calls > 0);
});

test("the manifest's covered targets are exactly the scenarios' targets", () => {
  const { manifest, scenarios } = suite();
  const byScenario = new Map<string, string>();
  for (const s of scenarios) {
    for (const t of s.targets) {
      assert.not.ok(byScenario.has(t.id), `${t.id} is in two scenarios`);
      byScenario.set(t.id, s.name);
      assert.ok(t.reachedAt >= 1 && t.reachedAt <= s.trace.length, `${s.name}: ${t.id} reached at ${t.reachedAt} of ${s.trace.length}`);
    }
    // Past its last target a trace only settles (conformance/settle.ts): no fault there.
    const last = Math.max(...s.targets.map((t) => t.reachedAt));
    assert.ok(
      s.trace.slice(last).every((l) => !l.fault),
      `${s.name}: a fault after its last target`,
    );
  }
  const covered = new Map(manifest.targets.filter((t) => t.scenario !== null).map((t) => [t.id, t.scenario!] as const));
  assert.equal(new Map([...covered].sort()), new Map([...byScenario].sort()));
  // Reachable and unreachable targets are exactly the spec's universe, each once.
  const world = suite().world;
  const all = universe(world.system.components.map((c) => c.machine)).map((t) => t.id);
  assert.equal([...manifest.targets.map((t) => t.id), ...manifest.unreachable].sort(), [...all].sort());
});

test('every scenario is well formed: ordered steps, bound variables, requirements that match its faults', () => {
  for (const s of suite().scenarios) assert.is(wellFormed(s), null, s.name);
  assert.ok(suite().scenarios.some((s) => s.steps.some((x) => x.kind === 'fault' && x.fault.type === 'AGENT_RESTART')));
  assert.ok(suite().scenarios.some((s) => s.steps.some((x) => x.kind === 'fault' && x.fault.type === 'FRAMEWORK_FAILOVER')));
  assert.ok(
    suite().scenarios.some((s) => s.steps.some((x) => x.kind === 'expect' && x.orElse.length > 0)),
    'some observation has alternatives',
  );
});

test('every scenario is consistent with the model: its calls, observations and faults replay against it', () => {
  const { world, scenarios } = suite();
  for (const s of scenarios) {
    const r = checkScenario(world, s);
    assert.ok(r.ok, `${s.name}: ${r.ok ? '' : `${r.step}: ${r.error}`}`);
  }
});

test('two frameworks: scenarios that need a lost message say so, and replay against the model', () => {
  const two = suiteOf('two-frameworks');
  const lossy = two.scenarios.filter((s) => s.requires.includes('loss'));
  assert.ok(lossy.length > 0, 'no scenario of two-frameworks needs a lost message');
  assert.ok(two.manifest.coverage.runnable < two.manifest.coverage.covered);
  for (const s of two.scenarios) {
    assert.is(wellFormed(s), null, s.name);
    const r = checkScenario(two.world, s);
    assert.ok(r.ok, `${s.name}: ${r.ok ? '' : `${r.step}: ${r.error}`}`);
  }
  // Two frameworks, two framework ids, each bound on its own stream.
  const both = two.scenarios.find((s) => s.environment.frameworks.every((f) => f.id !== undefined))!;
  assert.equal(
    both.environment.frameworks.map((f) => f.id),
    ['$fw0', '$fw1'],
  );
});

const clone = (s: Scenario): Scenario => JSON.parse(JSON.stringify(s)) as Scenario;

test('the model check rejects tampered scenarios', () => {
  const { world, scenarios } = suite();
  const finished = scenarios.find((s) => s.steps.some((x) => x.kind === 'expect' && x.event.type === 'UPDATE' && x.event.uuid !== null))!;
  const updateAt = finished.steps.findIndex((x) => x.kind === 'expect' && x.event.type === 'UPDATE' && x.event.uuid !== null);
  // Another state than the model sends.
  const wrongState = clone(finished);
  const ev = (wrongState.steps[updateAt] as ExpectStep).event as { state: string };
  ev.state = ev.state === 'TASK_KILLED' ? 'TASK_FINISHED' : 'TASK_KILLED';
  const r1 = checkScenario(world, wrongState);
  assert.not.ok(r1.ok, 'a wrong task state passed');
  assert.is(!r1.ok && r1.step, wrongState.steps[updateAt]!.id);
  // An acknowledgement of another update than the one received.
  const wrongAck = clone(finished);
  const ack = wrongAck.steps.find((x): x is CallStep => x.kind === 'call' && x.call.type === 'ACKNOWLEDGE')!;
  (ack.call.acknowledge as { uuid: string }).uuid = '$agent0';
  assert.not.ok(checkScenario(world, wrongAck).ok, 'a wrong acknowledgement passed');
  // A call the framework does not make.
  const missing = clone(finished);
  const at = missing.steps.findIndex((x) => x.kind === 'call' && x.call.type === 'ACCEPT');
  missing.steps.splice(at, 1);
  assert.not.ok(checkScenario(world, missing).ok, 'a scenario without the ACCEPT passed');
  // A variable bound twice to different values.
  const rebound = clone(scenarios.find((s) => s.steps.filter((x) => x.kind === 'expect' && x.event.type === 'SUBSCRIBED').length >= 2)!);
  const second = rebound.steps.filter((x): x is ExpectStep => x.kind === 'expect' && x.event.type === 'SUBSCRIBED')[1]!;
  (second.event as { framework_id: string }).framework_id = '$fw9';
  assert.not.ok(checkScenario(world, rebound).ok, 'a resubscription under another framework id passed');
});

test.run();
