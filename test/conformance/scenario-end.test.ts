/**
 * What a scenario says of its end, and how the runner judges it: the operator APIs' lists the
 * model allows once the cluster has settled (`endViews`), and when each timer of the trace was
 * set (`armedAt`), by which the runner waits for the cluster to fire it. A live cluster failing
 * each check is in the mutant catalogue (an agent that keeps a terminal task launched; one whose
 * step throws on a SHUTDOWN_FRAMEWORK its failover timer sends after the last step).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSuite, type Suite } from '../../conformance/generate.ts';
import type { Scenario } from '../../conformance/format.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { configs } from '../../model/configs.ts';
import { suiteOf } from './support.ts';

const test = suite('the end of a scenario');

const happy: MesosConfig = { ...configs.default!, name: 'happy', faults: NO_FAULTS };
let happySuite: Suite | undefined;
const happyOnce = (): Suite => (happySuite ??= generateSuite(happy));
const finished = (): Scenario => happyOnce().scenarios.find((s) => s.targets.some((t) => t.id === 'state:TASK_FINISHED'))!;

test('a finished and acknowledged task: no agent or master lists it, and its framework holds no offer (it suppressed)', () => {
  assert.equal(finished().endViews, [{ agents: { 'agent-0': [] }, tasks: [], offers: { 'fw-0': 0 } }]);
});

test('default: every scenario says what the operator APIs list at its end; a sleeping task is listed running by both', () => {
  const scenarios = suiteOf('default').scenarios;
  for (const s of scenarios) assert.ok((s.endViews ?? []).length > 0, `${s.name} has end views`);
  const running = scenarios.find((s) => s.name === 'state-TASK_RUNNING')!;
  assert.equal(running.endViews, [
    {
      agents: { 'agent-0': [{ task_id: 't1', list: 'launched', state: 'TASK_RUNNING' }] },
      tasks: [{ task_id: 't1', list: 'tasks', state: 'TASK_RUNNING' }],
      offers: { 'fw-0': 0 },
    },
  ]);
});

test("default: a framework's failover timer is set by its failover, an agent's reregistration timer by its crash", () => {
  let seen = 0;
  for (const s of suiteOf('default').scenarios) {
    for (const t of s.timers) {
      assert.ok(t.armedAt !== undefined && t.armedAt < t.trace, `${s.name}: ${t.timer} at ${t.trace} armed at ${t.armedAt}`);
      const fault = /^failover:/.test(t.timer) ? 'framework-failover' : /^reregister:/.test(t.timer) ? 'agent-crash' : undefined;
      if (fault === undefined) continue;
      seen++;
      assert.match(s.trace[t.armedAt! - 1]!.action, fault, `${s.name}: ${t.timer} armed at line ${t.armedAt}`);
    }
  }
  assert.ok(seen >= 3, `${seen} such timers`);
});

test.run();
