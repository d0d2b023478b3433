/** A counterexample drawn as a message-sequence chart, in text and in Mermaid. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { mermaidChart, textChart } from '../../spec/world/chart.ts';
import { configs } from '../../model/configs.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { agentNeverRetryingUpdates } from '../support/mutants.ts';

// A seeded bug with a lost message in its shortest trace: the agent never retries.
const world = mesosWorld(
  { ...configs.default!, faults: { loss: 1, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 } },
  {
    agent: agentNeverRetryingUpdates(),
  },
);
const r = explore(mesosModel(world, { only: ['deliveredAtQuiescence'] }));
const v = r.verdicts.find((x) => x.name === 'deliveredAtQuiescence')!;
const steps = 'trace' in v ? v.trace.actions.map((a, i) => world.system.describe(v.trace.states[i]!, a)) : [];

test('the text chart has a lifeline per component and one numbered row per step', () => {
  assert.ok(steps.length > 0);
  const text = textChart(steps);
  const lines = text.split('\n');
  assert.is(lines.length, steps.length + 1);
  for (const name of ['master', 'agent-0', 'fw-0']) assert.match(lines[0]!, name);
  assert.match(text, /lost: STATUS_UPDATE t1 TASK_/);
  assert.match(lines[1]!, /^ ?1\. /);
});

test('the Mermaid chart is a sequence diagram with the lost message crossed out', () => {
  const m = mermaidChart(steps, 'deliveredAtQuiescence in default');
  assert.match(m, /^sequenceDiagram\n/);
  assert.match(m, /participant agent_0 as agent-0/);
  assert.match(m, /agent_0-xmaster: lost STATUS_UPDATE/);
  assert.is(m.split('\n').filter((l) => l.includes('->>') || l.includes('-x') || l.includes('Note over')).length, steps.length);
});

test.run();
