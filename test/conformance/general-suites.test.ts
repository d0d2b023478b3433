/**
 * Suites of the configurations with a most general framework (`conformance generate --all`
 * writes one per configuration): the runner plays its lies as they are (ids no event showed, no
 * stream id), its operator calls on the operator API, and a scenario whose master fails over by
 * election says it needs elected masters. Two scenarios run against the reference cluster: an
 * operator call, and a call without a stream id (a runner that sent its own stream id would be
 * answered 202, and fail the scenario: the call is refused always).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallStep, Scenario } from '../../conformance/index.ts';
import { operatorCall, type OperatorEvent } from '../../conformance/operator-calls.ts';
import { DEFAULT_RETRIES, runScenario, runSuite, startScenarioCluster } from '../../impl/conformance/index.ts';
import { operatorEvent } from '../../impl/master/operator.ts';
import { checkScenario } from '../../conformance/check.ts';
import { errorsOf, protocolSchema, suiteOf, wellFormed } from './support.ts';

const test = suite('general-framework suites');

const calls = (s: Scenario) => s.steps.filter((x): x is CallStep => x.kind === 'call');

/** One event of each operator kind the master machine takes. */
const OPERATOR_EVENTS: OperatorEvent[] = [
  { type: 'OPERATOR_TEARDOWN', framework_id: 'fw-1' },
  { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: 'a-1' },
  { type: 'OPERATOR_DEACTIVATE_AGENT', agent_id: 'a-1' },
  { type: 'OPERATOR_REACTIVATE_AGENT', agent_id: 'a-1' },
  { type: 'OPERATOR_UPDATE_WEIGHTS', weight_infos: [{ role: 'web', weight: 2 }] },
  {
    type: 'OPERATOR_RESERVE',
    agent_id: 'a-1',
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
    source: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
  },
  { type: 'OPERATOR_UNRESERVE', agent_id: 'a-1', resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] },
  { type: 'OPERATOR_CREATE_VOLUMES', agent_id: 'a-1', volumes: [{ name: 'disk', type: 'SCALAR', scalar: { value: 8 } }] },
  { type: 'OPERATOR_DESTROY_VOLUMES', agent_id: 'a-1', volumes: [{ name: 'disk', type: 'SCALAR', scalar: { value: 8 } }] },
  { type: 'OPERATOR_UPDATE_QUOTA', quota_configs: [{ role: 'web', guarantees: { cpus: { value: 1 } } }], force: true },
  { type: 'OPERATOR_DRAIN_AGENT', agent_id: 'a-1', max_grace_period_ns: 2_500_000_000, mark_gone: true },
  { type: 'OPERATOR_DRAIN_AGENT', agent_id: 'a-1' },
];

test('each operator event is the event the reference cluster makes of its operator Call', () => {
  const schema = protocolSchema('MasterCall.json');
  const kinds = new Set<string>();
  for (const e of OPERATOR_EVENTS) {
    const call = operatorCall(e);
    kinds.add(e.type);
    assert.ok(schema(call), `${e.type}: ${errorsOf(schema)}`);
    // The cluster's TEARDOWN is its own handler (impl/master/server.ts operatorTeardown).
    const back =
      call.type === 'TEARDOWN'
        ? { type: 'OPERATOR_TEARDOWN', framework_id: (call.teardown as { framework_id: { value: string } }).framework_id.value }
        : operatorEvent(call as unknown as Parameters<typeof operatorEvent>[0], undefined);
    assert.equal(back, e, e.type);
  }
  assert.is(kinds.size, 11);
});

test('the gate suite covers every target it reaches: its lies are sent as they are', () => {
  const { manifest, scenarios } = suiteOf('gate');
  assert.is(manifest.coverage.covered, manifest.coverage.reachable, JSON.stringify(manifest.targets.filter((t) => t.scenario === null).map((t) => t.problem)));
  const all = scenarios.flatMap(calls);
  const nobody = all.filter((c) => (c.call.framework_id as { value?: string } | undefined)?.value === 'no-such-framework');
  assert.ok(nobody.length > 0, 'a call names no-such-framework');
  for (const c of nobody) assert.ok(c.refusedAlways && c.answer !== undefined && c.answer >= 400, `${c.call.type} as an unknown framework: ${c.answer}`);
  const streamless = all.filter((c) => c.noStream);
  assert.ok(streamless.length > 0, 'some calls present no stream id');
  for (const c of streamless) {
    assert.ok(c.refusedAlways && c.answer !== undefined && c.answer >= 400, `${c.call.type} without a stream id: ${c.answer}`);
    assert.not.ok(c.staleStream);
  }
  const callSchema = protocolSchema('SchedulerCall.json');
  for (const c of all.filter((x) => !JSON.stringify(x.call).includes('"$'))) assert.ok(callSchema(c.call), `${c.call.type}: ${errorsOf(callSchema)}`);
});

test("the operators suite: the general framework's operator calls are v1 operator Calls, ids bound", () => {
  const ops = suiteOf('operators')
    .scenarios.flatMap(calls)
    .filter((c) => c.api === 'operator');
  assert.ok(ops.length > 0);
  assert.ok(new Set(ops.map((c) => c.call.type)).size >= 5, [...new Set(ops.map((c) => c.call.type))].join(', '));
  for (const c of ops) {
    assert.not.ok(c.call.type.startsWith('OPERATOR_'), c.call.type);
    assert.not.ok(c.noStream || c.staleStream, `${c.call.type}: an operator call has no stream`);
    assert.not.ok(/"(m-S|a-)\d/.test(JSON.stringify(c.call)), `${c.call.type} names a model id: ${JSON.stringify(c.call)}`);
  }
});

test('volume-in-use: an update whose message names an offer is projected (ids in texts compared masked)', () => {
  const { manifest } = suiteOf('volume-in-use');
  const dropped = manifest.targets.find((t) => t.id === 'state:TASK_DROPPED');
  assert.ok(dropped?.scenario, dropped?.problem ?? 'TASK_DROPPED is reachable');
});

test('ha-masters: a scenario whose master fails over by election requires elected masters', () => {
  const { scenarios } = suiteOf('ha-masters');
  assert.ok(scenarios.length > 0);
  for (const s of scenarios) {
    const elected = s.trace.some((l) => l.action.startsWith('zk: '));
    assert.is(s.requires.includes('election'), elected, s.name);
  }
  assert.ok(scenarios.some((s) => s.requires.includes('election')));
});

/**
 * Suites whose frameworks have several calls in flight at once, which the master takes in another
 * order in some witnesses (the polite framework's SUPPRESS and ACCEPT on an offer, too); the
 * ones other tests generate anyway, and drain's (generated in half a second).
 */
const REORDERING = ['operators', 'gate', 'drain', 'default'];

/** Every step `id` waits for, transitively. */
function waitsFor(s: Scenario, id: string): Set<string> {
  const byId = new Map(s.steps.map((x) => [x.id, x] as const));
  const out = new Set<string>();
  const todo = [...byId.get(id)!.after];
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (out.has(x)) continue;
    out.add(x);
    todo.push(...byId.get(x)!.after);
  }
  return out;
}

/**
 * Pairs of a framework's calls as the trace's master takes them: [first taken, taken later], each
 * found by its type in the trace's delivery lines (`fw-0 -> master: ACCEPT`; an operator call by
 * its model event, OPERATOR_RESERVE for RESERVE_RESOURCES), for calls whose type is the only one of its kind in the scenario
 * (its first SUBSCRIBE aside).
 */
/** The model's event of each v1 operator call type (RESERVE_RESOURCES is OPERATOR_RESERVE, ...), from the table above. */
const OPERATOR_EVENT_OF_CALL = new Map(OPERATOR_EVENTS.map((e) => [operatorCall(e).type, e.type] as const));

function deliveredPairs(s: Scenario): [CallStep, CallStep][] {
  const pairs: [CallStep, CallStep][] = [];
  for (const fw of s.environment.frameworks.map((f) => f.name)) {
    const own = calls(s).filter((c) => c.framework === fw);
    const eventOf = (c: CallStep) => (c.api === 'operator' ? OPERATOR_EVENT_OF_CALL.get(c.call.type)! : c.call.type);
    // (A framework's first SUBSCRIBE, in flight from the start, is not tracked as a call the master takes: it keeps its place.)
    const unique = own.filter((c) => c.trace > 0 && own.filter((x) => eventOf(x) === eventOf(c)).length === 1);
    const line = (c: CallStep) => s.trace.find((l) => l.step > c.trace && l.action === `${fw} -> master: ${eventOf(c)}`)?.step;
    const taken = unique.filter((c) => line(c) !== undefined).sort((a, b) => line(a)! - line(b)!);
    for (const [i, a] of taken.entries()) for (const b of taken.slice(i + 1)) pairs.push([a, b]);
  }
  return pairs;
}

test("a framework's calls come in the order the trace's master takes them, not the order they were emitted in", () => {
  let reordered = 0;
  for (const config of REORDERING) {
    const { world, scenarios } = suiteOf(config);
    for (const s of scenarios) {
      assert.is(wellFormed(s), null, `${config}/${s.name}`);
      const r = checkScenario(world, s);
      assert.ok(r.ok, `${config}/${s.name}: ${r.ok ? '' : `${r.step}: ${r.error}`}`);
      for (const [first, later] of deliveredPairs(s)) {
        assert.not.ok(waitsFor(s, first.id).has(later.id), `${config}/${s.name}: ${first.id} ${first.call.type}, taken first, waits for ${later.id} ${later.call.type}`);
        if (first.trace > later.trace) {
          assert.ok(waitsFor(s, later.id).has(first.id), `${config}/${s.name}: ${later.id} ${later.call.type}, overtaken, does not wait for ${first.id}`);
          reordered++;
        }
      }
    }
  }
  assert.ok(reordered > 0, 'some framework emits a call the master takes after a call emitted later');
  // The operator marks the agent gone after the task's launch reached the master: its task is gone, no offer rescinded.
  const gone = suiteOf('operators').scenarios.find((x) => x.name === 'state-TASK_GONE_BY_OPERATOR')!;
  const accept = calls(gone).find((c) => c.call.type === 'ACCEPT')!;
  const markGone = calls(gone).find((c) => c.call.type === 'MARK_AGENT_GONE')!;
  assert.ok(markGone.trace < accept.trace, 'the witness emits MARK_AGENT_GONE first');
  assert.ok(waitsFor(gone, markGone.id).has(accept.id));
  assert.not.ok(waitsFor(gone, accept.id).has(markGone.id));
});

/** Runs one scenario of a suite on a fresh reference cluster, as generated or as `edit` changes it (a seeded bug of the runner's input). */
async function runOne(config: string, name: string, edit: (s: Scenario) => Scenario = (x) => x): Promise<string> {
  const s = suiteOf(config);
  const found = s.scenarios.find((x) => x.name === name);
  if (!found) throw new Error(`the ${config} suite has no ${name}`);
  const scenario = edit(found);
  const out = await runSuite(
    { dir: '(memory)', manifest: s.manifest, scenarios: [scenario] },
    { cluster: (sc) => startScenarioCluster(sc), capabilities: { agentRestart: true, masterRestart: true, executorKill: true }, retries: DEFAULT_RETRIES, log: () => {} },
  );
  const r = out.results[0]!;
  return `${r.outcome}${r.reason ? `: ${r.reason}` : ''}`;
}

test('against the reference cluster: an operator DEACTIVATE_AGENT, and a call without a stream id, pass', async () => {
  const deactivate = suiteOf('operators').scenarios.find((x) => x.name === 'transition-master.leading.OPERATOR_DEACTIVATE_AGENT-0')!;
  assert.ok(calls(deactivate).some((c) => c.api === 'operator' && c.call.type === 'DEACTIVATE_AGENT' && c.answer === 200));
  assert.is(await runOne('operators', deactivate.name), 'passed');
  const streamless = suiteOf('gate').scenarios.find((x) => x.name === 'transition-master.leading.ACCEPT_INVERSE_OFFERS-1')!;
  assert.ok(calls(streamless).some((c) => c.noStream && c.answer === 403));
  assert.is(await runOne('gate', streamless.name), 'passed');
});

/** The scenario with `flag` taken off every call that has it: a seeded bug of the runner's input. */
function withoutCallFlag(sc: Scenario, flag: 'staleStream'): Scenario {
  return { ...sc, steps: sc.steps.map((x) => (x.kind === 'call' && x[flag] ? (Object.fromEntries(Object.entries(x).filter(([k]) => k !== flag)) as typeof x) : x)) };
}

test('against the reference cluster: a MARK_AGENT_GONE the trace delivers after an ACCEPT emitted later takes the task, and passes', async () => {
  assert.is(await runOne('operators', 'state-TASK_GONE_BY_OPERATOR'), 'passed');
});

test("teardown: a call its framework's later SUBSCRIBE overtook presents a stale stream id, and the cluster refuses it as the model's master did", async () => {
  const sc = suiteOf('teardown').scenarios.find((x) => x.name === 'transition-master.leading.TEARDOWN-2')!;
  const teardown = calls(sc).find((c) => c.call.type === 'TEARDOWN')!;
  const resubscribe = calls(sc).find((c) => c.call.type === 'SUBSCRIBE' && c.trace > teardown.trace)!;
  assert.ok(waitsFor(sc, teardown.id).has(resubscribe.id), 'the TEARDOWN goes after the SUBSCRIBE that overtook it');
  assert.ok(teardown.staleStream && teardown.refusedAlways && teardown.answer === 400, JSON.stringify(teardown));
  // Sent on the new stream, the TEARDOWN would remove the framework, and the OFFERS would never come (the seeded bug).
  assert.is(await runOne('teardown', sc.name), 'passed');
  const onNewStream = await runOne('teardown', sc.name, (x) => withoutCallFlag(x, 'staleStream'));
  assert.not.ok(onNewStream.startsWith('passed'), onNewStream);
});

test("a retry waits before a call the trace delivers after one emitted later, for what the trace does unseen meanwhile (the task's executor subscribing)", async () => {
  // The operator drains the agent after the task's launch reached the master and its executor
  // subscribed; sent at once, the drain reaches the agent before the executor and the task is
  // gone (TASK_GONE_BY_OPERATOR), which the model allows but this scenario does not reach.
  const sc = suiteOf('drain').scenarios.find((x) => x.name === 'transition-executor.live.task.killing.terminating.PROCESS_EXITED-0')!;
  const drain = calls(sc).find((c) => c.call.type === 'DRAIN_AGENT')!;
  const accept = calls(sc).find((c) => c.call.type === 'ACCEPT')!;
  assert.ok(drain.trace < accept.trace && waitsFor(sc, drain.id).has(accept.id), 'the DRAIN_AGENT, emitted first, goes after the ACCEPT');
  const cluster = await startScenarioCluster(sc);
  const lines: string[] = [];
  try {
    // More than a retry's (200 ms more each): the executor subscribes well within it, even on a loaded machine.
    const r = await runScenario(sc, cluster, { settleMs: 1000, log: (l) => lines.push(l) });
    assert.ok(
      lines.some((l) => l.includes(`${drain.id}: waiting`)),
      lines.join('\n'),
    );
    assert.is(r.outcome, 'passed', `${r.reason ?? ''}\n${lines.join('\n')}`);
  } finally {
    await cluster.stop();
  }
});

test.run();
