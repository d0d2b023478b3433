/**
 * Calls the trace loses (issue 16): a framework that fails over with a call in flight never has it
 * reach the master, so the runner does not send it. Before, the runner sent every call its
 * framework emitted, and a master that took it took another path than the trace's: an ACCEPT
 * launched the task the trace never launches (transition-scheduler.subscribed.UPDATE-6), an
 * ACKNOWLEDGE moved the task's updates on (situation-updatesInOrder).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallStep, Scenario } from '../../conformance/index.ts';
import { runSuite, startScenarioCluster } from '../../impl/conformance/index.ts';
import { suiteOf } from './support.ts';

const NAME = 'transition-scheduler.subscribed.UPDATE-6';

const runFirstAttempt = async (sc: Scenario) => {
  const lines: string[] = [];
  const r = await runSuite(
    { dir: '(memory)', manifest: suiteOf('default').manifest, scenarios: [sc] },
    { cluster: (s) => startScenarioCluster(s, {}), capabilities: { agentRestart: true, masterRestart: true }, only: [sc.name], retries: 0, log: (l) => lines.push(l) },
  );
  return { result: r.results[0]!, lines };
};

test('a call in flight when its framework fails over is lost: the ACCEPT of UPDATE-6 and the ACKNOWLEDGE of updatesInOrder', () => {
  const lost = (name: string) =>
    suiteOf('default')
      .scenarios.find((s) => s.name === name)!
      .steps.filter((x): x is CallStep => x.kind === 'call' && x.lost === true)
      .map((x) => x.call.type);
  assert.ok(lost(NAME).includes('ACCEPT'), `lost: ${lost(NAME).join(', ')}`);
  assert.ok(lost('situation-updatesInOrder').includes('ACKNOWLEDGE'));
  assert.equal(lost('state-TASK_RUNNING'), [], 'a call the trace delivers is never lost');
});

test(`${NAME} passes at the first attempt; seeded bug: a runner that sends the lost ACCEPT launches the task the trace never launches`, async () => {
  const sc = suiteOf('default').scenarios.find((s) => s.name === NAME)!;
  const { result, lines } = await runFirstAttempt(sc);
  assert.is(result.outcome, 'passed', `${result.reason ?? ''}\n${lines.join('\n')}`);
  const sent: Scenario = { ...sc, steps: sc.steps.map((x) => (x.kind === 'call' && x.lost ? (({ lost: _l, ...rest }) => rest)(x) : x)) };
  const wrong = await runFirstAttempt(sent);
  // The master reconciles the launched task (TASK_STAGING) where the trace's knows none (TASK_UNKNOWN).
  assert.is(wrong.result.outcome, 'diverged', `${wrong.result.reason ?? ''}\n${wrong.lines.join('\n')}`);
});

test.run();
