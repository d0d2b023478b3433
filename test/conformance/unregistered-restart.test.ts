/**
 * An agent restart the model takes before the agent learnt its id (the master's AGENT_REGISTERED
 * in flight when it crashed): the restarted agent registers as a new one and the master times the
 * old one out (FAILURE after agent_reregister_timeout). Our cluster's agents have long registered
 * when a scenario starts, so a plain kill -9 and restart brought the same agent back within a
 * second, and `transition-master.leading.REREGISTER_TIMEOUT-0` failed ("s4 FAILURE did not
 * happen within 25 s"). The scenario now says so (AGENT_RESTART `unregistered`) and the runner
 * restarts the agent without its checkpoint.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FaultStep, Scenario } from '../../conformance/index.ts';
import { runSuite, skipReason, startScenarioCluster } from '../../impl/conformance/index.ts';
import { suiteOf } from './support.ts';

const NAME = 'transition-master.leading.REREGISTER_TIMEOUT-0';
const restarts = (s: Scenario) => s.steps.filter((x): x is FaultStep => x.kind === 'fault' && x.fault.type === 'AGENT_RESTART');

test('the projection marks a restart of an agent that had not learnt its id, and only that', () => {
  const def = suiteOf('default');
  const sc = def.scenarios.find((s) => s.name === NAME)!;
  assert.ok(sc, `the default suite has ${NAME}`);
  assert.equal(
    restarts(sc).map((s) => s.fault),
    [{ type: 'AGENT_RESTART', agent: 'agent-0', unregistered: true }],
  );
  // Its trace: the agent registered, crashed with the master's answer in flight, registered anew.
  assert.match(sc.trace[0]!.action, /agent-0 -> master: REGISTER_AGENT/);
  assert.match(sc.trace[4]!.action, /agent-0 -> master: REGISTER_AGENT/);
  // A restart after the agent ran a task is one of an agent with its id.
  const registered = def.scenarios.filter((s) => restarts(s).some((x) => x.fault.type === 'AGENT_RESTART' && x.fault.unregistered === undefined));
  assert.ok(registered.length > 0, 'the default suite also restarts registered agents');
});

test('a runner that cannot restart an agent without its checkpoint skips such a scenario, naming the step', () => {
  const sc = suiteOf('default').scenarios.find((s) => s.name === NAME)!;
  assert.match(skipReason(sc, { agentRestart: true, masterRestart: true, agentRestartUnregistered: false }, 30_000)!, /needs agent-0 restarted as a new agent.*\(step s3\)/);
  assert.is(skipReason(sc, { agentRestart: true, masterRestart: true }, 30_000), null);
});

test(`${NAME} passes against our cluster at the first attempt`, async () => {
  const def = suiteOf('default');
  const lines: string[] = [];
  const r = await runSuite(
    { dir: '(memory)', manifest: def.manifest, scenarios: def.scenarios },
    { cluster: (s) => startScenarioCluster(s, {}), capabilities: { agentRestart: true, masterRestart: true }, only: [NAME], retries: 0, log: (l) => lines.push(l) },
  );
  const res = r.results[0]!;
  assert.is(res.outcome, 'passed', `${res.reason ?? ''}\n${lines.join('\n')}`);
});

test.run();
