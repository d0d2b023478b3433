/**
 * Scenarios check consequences, not only paths (conformance/settle.ts): each runs on past its
 * last target to quiescence, so it expects every task's final update at its framework and
 * acknowledges every reliable update it expects. Generated without settling (as suites were),
 * the same check finds what a scenario leaves unjudged.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSuite, type Scenario } from '../../conformance/index.ts';
import { isTerminal } from '../../spec/protocol/common.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { suiteOf } from './support.ts';

const test = suite('conformance settle');

/** One framework whose task fails (exit 1) on an agent that may crash once. */
const failing: MesosConfig = {
  name: 'failing',
  agents: [{ resources: 'cpus:1;mem:256' }],
  frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'fail' }] }],
  faults: { ...NO_FAULTS, agentCrash: 1 },
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
};

/** What `scenario` leaves unjudged: reliable updates it never acknowledges, exiting tasks whose terminal update it never expects, a fault with nothing expected after it. */
function unsettled(scenario: Scenario): string[] {
  const out: string[] = [];
  scenario.steps.forEach((s, i) => {
    if (s.kind !== 'expect' || s.event.type !== 'UPDATE' || s.event.uuid === null) return;
    const uuid = s.event.uuid;
    const acked = scenario.steps.slice(i + 1).some((c) => c.kind === 'call' && c.call.type === 'ACKNOWLEDGE' && JSON.stringify(c.call).includes(`"${uuid}"`));
    if (!acked) out.push(`${scenario.name}: ${s.id} (${s.event.state} of ${s.event.task_id}) is never acknowledged`);
  });
  const launched = (tid: string) => scenario.steps.some((s) => s.kind === 'call' && s.call.type === 'ACCEPT' && JSON.stringify(s.call).includes(`"value":"${tid}"`));
  for (const t of scenario.environment.tasks) {
    if (t.exit === null || !launched(t.id)) continue;
    const final = scenario.steps.some((s) => s.kind === 'expect' && s.event.type === 'UPDATE' && s.event.task_id === t.id && isTerminal(s.event.state));
    if (!final) out.push(`${scenario.name}: ${t.id} exits ${t.exit} but no terminal update of it is expected`);
  }
  const last = scenario.steps.at(-1);
  if (last?.kind === 'fault') out.push(`${scenario.name}: ends on its ${last.fault.type}, expecting nothing of what follows`);
  if (!scenario.afterEnd?.length) out.push(`${scenario.name}: no afterEnd: the runner cannot judge what follows the last step`);
  return out;
}

test('every scenario of the default suite runs on to quiescence: reliable updates acknowledged, exiting tasks seen terminal', () => {
  const scenarios = suiteOf('default').scenarios.filter((s) => s.requires.length === 0);
  assert.ok(scenarios.length >= 20, `${scenarios.length} scenarios`);
  assert.equal(scenarios.flatMap(unsettled), []);
  // Settling adds steps past the last target somewhere (the runner then listens on for the quiet period).
  assert.ok(
    scenarios.some((s) => s.steps.some((st) => st.trace > Math.max(...s.targets.map((t) => t.reachedAt)))),
    'some scenario has steps past its last target',
  );
});

test('a task that exits 1 is expected TASK_FAILED at its framework and acknowledged; without settling, scenarios stop short', () => {
  const settled = generateSuite(failing);
  assert.equal(settled.scenarios.flatMap(unsettled), []);
  const failed = settled.scenarios.filter((s) => s.steps.some((st) => st.kind === 'expect' && st.event.type === 'UPDATE' && st.event.state === 'TASK_FAILED'));
  assert.ok(failed.length > 0, 'some scenario expects TASK_FAILED');
  // The seeded bug: scenarios cut at their last target.
  const cut = generateSuite(failing, { settle: false });
  const missed = cut.scenarios.flatMap(unsettled);
  assert.ok(
    missed.some((m) => m.includes('expecting nothing of what follows')),
    missed.join('\n'),
  );
});

test.run();
