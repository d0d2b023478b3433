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
import { DEFAULT_RETRIES, runSuite, startScenarioCluster } from '../../impl/conformance/index.ts';
import { operatorEvent } from '../../impl/master/operator.ts';
import { errorsOf, protocolSchema, suiteOf } from './support.ts';

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

async function runOne(config: string, name: string): Promise<string> {
  const s = suiteOf(config);
  const scenario = s.scenarios.find((x) => x.name === name);
  if (!scenario) throw new Error(`the ${config} suite has no ${name}`);
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

test.run();
