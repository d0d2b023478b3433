/**
 * Conformance scenarios for executors (issue 14), generated from the custom-executor and
 * task-group configurations and replayed against our own cluster: a MESSAGE to the framework's
 * custom executor (examples/shell-executor.cjs, started for the model's custom executor) comes
 * back echoed; a task group launches under the default executor, one task fails and the
 * executor's end reaches the framework as FAILURE status 0 (the runner holds the framework's
 * acknowledgements as the trace does); a kill -9 of the custom executor (the runner's fault step,
 * by the pid the agent records) reaches the framework as FAILURE status 9.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSuite, type Scenario } from '../../conformance/index.ts';
import { runSuite, skipReason, startScenarioCluster, type LoadedSuite } from '../../impl/conformance/index.ts';
import { configs } from '../../model/configs.ts';

const test = suite('conformance: executors');

const loaded = (name: string): LoadedSuite => {
  const s = generateSuite(configs[name]!);
  return { dir: '(memory)', manifest: s.manifest, scenarios: s.scenarios };
};

const expects = (s: Scenario, type: string) => s.steps.flatMap((st) => (st.kind === 'expect' && st.event.type === type ? [st.event] : []));

function run(suiteData: LoadedSuite, only: string[], log: (line: string) => void = () => {}) {
  return runSuite(suiteData, {
    cluster: (s) => startScenarioCluster(s, {}),
    capabilities: { agentRestart: true, masterRestart: true, executorKill: true },
    only,
    // Events of two tasks or of one group may interleave as the model allows: a diverged replay is tried again.
    retries: 3,
    log,
  });
}

test('custom-executor: the MESSAGE scenarios and the kill -9 of the executor (FAILURE status 9) pass against our cluster', async () => {
  const ce = loaded('custom-executor');
  const echo = ce.scenarios.find((s) => s.name === 'transition-scheduler.subscribed.MESSAGE-0')!;
  assert.ok(echo, 'a scenario ends with the framework hearing its executor');
  assert.equal(expects(echo, 'MESSAGE'), [{ type: 'MESSAGE', agent_id: '$agent0', executor_id: 'ex' }]);
  assert.match(JSON.stringify(echo.steps), /"type":"MESSAGE","framework_id"/);
  // Its executor subscribed and runs x2 when the runner kills it. (Scenarios whose trace kills it
  // between two of the agent's RUN_TASKs, or before it subscribed, diverge: the runner cannot
  // see those moments.)
  const killed = ce.scenarios.find((s) => s.name === 'transition-agent.active.running.STATUS_UPDATE_ACK-0')!;
  assert.equal(expects(killed, 'FAILURE'), [{ type: 'FAILURE', agent_id: '$agent0', executor_id: 'ex', status: 9 }]);
  assert.equal(
    killed.steps.flatMap((s) => (s.kind === 'fault' ? [s.fault] : [])),
    [{ type: 'EXECUTOR_KILL', agent: 'agent-0', framework: 'fw-0', executor: 'ex' }],
  );
  assert.equal(killed.requires, []);
  // Each must pass (a diverged attempt is retried on a fresh cluster, and printed). Until stop 25
  // they failed now and then with "observed an event the model does not allow": two events of one
  // read, the second judged before the call the first made due was sent (impl/conformance/scenario.ts,
  // the deferral; test/conformance/run.test.ts has the deterministic test).
  for (const name of [echo.name, 'transition-agent.active.running.FRAMEWORK_TO_EXECUTOR-0', killed.name]) {
    const lines: string[] = [];
    const k = await run(ce, [name], (l) => lines.push(l));
    const r = k.results[0]!;
    const said = `${name}: ${r.outcome} ${r.reason ?? ''}${r.divergence ? ` ${JSON.stringify(r.divergence)}` : ''}\n${lines.map((l) => `      | ${l}`).join('\n')}`;
    assert.is(r.outcome, 'passed', said);
    if ((r.retried ?? []).length > 0) console.log(`    ${name}: passed after ${r.attempts} attempts (${r.retried!.join(' | ')})`);
  }
});

test('a runner that cannot kill an executor skips the kill -9 scenario, saying so', () => {
  const killed = loaded('custom-executor').scenarios.find((s) => s.steps.some((st) => st.kind === 'fault' && st.fault.type === 'EXECUTOR_KILL'))!;
  assert.match(skipReason(killed, { agentRestart: true, masterRestart: true }, 30_000)!, /needs executor ex on agent-0 killed/);
  assert.is(skipReason(killed, { agentRestart: true, masterRestart: true, executorKill: true }, 30_000), null);
});

test('task-group: the group launches under the default executor, one task fails, the other is killed and FAILURE status 0 reaches the framework, against our cluster', async () => {
  const tg = loaded('task-group');
  const failure = tg.scenarios.find((s) => expects(s, 'FAILURE').length > 0)!;
  assert.equal(expects(failure, 'FAILURE'), [{ type: 'FAILURE', agent_id: '$agent0', executor_id: 'grp', status: 0 }]);
  assert.match(JSON.stringify(failure.steps.find((s) => s.kind === 'call' && s.call.type === 'ACCEPT')), /"LAUNCH_GROUP"/);
  // Its trace has the executor gone before the framework's first acknowledgement reaches the
  // agent: the acknowledgements wait for the FAILURE, as in the trace.
  const ack = failure.steps.find((s) => s.kind === 'call' && s.call.type === 'ACKNOWLEDGE')!;
  const failureStep = failure.steps.find((s) => s.kind === 'expect' && s.event.type === 'FAILURE')!;
  assert.ok(ack.after.includes(failureStep.id), `the first ACKNOWLEDGE is held until the FAILURE: after ${ack.after.join(', ')}`);
  const r = await run(tg, [failure.name, 'transition-agent.EXECUTOR_TERMINATED-0', 'transition-master.leading.EXECUTOR_EXITED-0']);
  assert.is(r.counts.passed, 3, r.results.map((x) => `${x.name}: ${x.outcome} ${x.reason ?? ''}`).join('\n'));
});

test.run();
