/**
 * Conformance scenarios for executors (issue 14), generated from the custom-executor and
 * task-group configurations and replayed against our own cluster: a MESSAGE to the framework's
 * custom executor (examples/shell-executor.cjs, started for the model's custom executor) comes
 * back echoed; a task group launches under the default executor, one task fails and the
 * executor's end reaches the master. Scenarios that need a kill -9 of an executor are skipped,
 * saying so.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSuite, type Scenario } from '../../conformance/index.ts';
import { runSuite, startScenarioCluster, type LoadedSuite } from '../../impl/conformance/index.ts';
import { configs } from '../../model/configs.ts';

const test = suite('conformance: executors');

const loaded = (name: string): LoadedSuite => {
  const s = generateSuite(configs[name]!);
  return { dir: '(memory)', manifest: s.manifest, scenarios: s.scenarios };
};

const expects = (s: Scenario, type: string) => s.steps.flatMap((st) => (st.kind === 'expect' && st.event.type === type ? [st.event] : []));

function run(suiteData: LoadedSuite, only: string[]) {
  return runSuite(suiteData, {
    cluster: (s) => startScenarioCluster(s, {}),
    capabilities: { agentRestart: true, masterRestart: true },
    only,
    // Events of two tasks or of one group may interleave as the model allows: a diverged replay is tried again.
    retries: 3,
    log: () => {},
  });
}

test('custom-executor: the MESSAGE scenarios pass against our cluster; a kill -9 of the executor is required, not diverged', async () => {
  const ce = loaded('custom-executor');
  const echo = ce.scenarios.find((s) => s.name === 'transition-scheduler.subscribed.MESSAGE-0')!;
  assert.ok(echo, 'a scenario ends with the framework hearing its executor');
  assert.equal(expects(echo, 'MESSAGE'), [{ type: 'MESSAGE', agent_id: '$agent0', executor_id: 'ex' }]);
  assert.match(JSON.stringify(echo.steps), /"type":"MESSAGE","framework_id"/);
  const killed = ce.scenarios.filter((s) => expects(s, 'FAILURE').some((f) => 'status' in f && f.status === 9));
  assert.ok(killed.length > 0 && killed.every((s) => s.requires.includes('executor-kill')), 'FAILURE status 9 follows a kill -9 the runner is told it needs');
  const r = await run(ce, [echo.name, 'transition-agent.active.running.FRAMEWORK_TO_EXECUTOR-0', killed[0]!.name]);
  assert.is(r.counts.failed + r.counts.diverged, 0, r.results.map((x) => `${x.name}: ${x.outcome} ${x.reason ?? ''}`).join('\n'));
  assert.is(r.counts.passed, 2);
  assert.is(r.counts.skipped, 1);
});

test('task-group: the group launches under the default executor and its end reaches the master, against our cluster; FAILURE status 0 is expected', async () => {
  const tg = loaded('task-group');
  const failure = tg.scenarios.find((s) => expects(s, 'FAILURE').length > 0)!;
  assert.equal(expects(failure, 'FAILURE'), [{ type: 'FAILURE', agent_id: '$agent0', executor_id: 'grp', status: 0 }]);
  assert.match(JSON.stringify(failure.steps.find((s) => s.kind === 'call' && s.call.type === 'ACCEPT')), /"LAUNCH_GROUP"/);
  // That scenario's shortest trace has the executor gone before the framework's first acknowledgement
  // reaches the agent, a race a replay cannot steer; these reach the same ends in orders it can.
  const r = await run(tg, ['transition-agent.EXECUTOR_TERMINATED-0', 'transition-master.leading.EXECUTOR_EXITED-0', 'transition-causes.EXITED-0']);
  assert.is(r.counts.failed + r.counts.diverged, 0, r.results.map((x) => `${x.name}: ${x.outcome} ${x.reason ?? ''}`).join('\n'));
  assert.is(r.counts.passed, 3);
});

test.run();
