/**
 * Symmetry reduction over interchangeable agents and frameworks: fewer states, the same verdict
 * for every property, and the same shortest counterexample length for a seeded bug.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { agentNeverRetryingUpdates } from '../support/mutants.ts';

const fw = (name: string, task: string) => ({
  name,
  partitionAware: true,
  checkpoint: true,
  failoverTimeoutSeconds: 60,
  tasks: [{ id: task, resources: 'cpus:1;mem:128', outcome: 'finish' as const }],
});
const twoAgents: MesosConfig = {
  name: 'two-agents',
  agents: [{ resources: 'cpus:1;mem:256', count: 2 }],
  frameworks: [fw('fw-a', 'a1')],
  faults: NO_FAULTS,
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
};
const twoFrameworks: MesosConfig = { ...twoAgents, name: 'two-frameworks', agents: [{ resources: 'cpus:2;mem:512' }], frameworks: [fw('fw-a', 'a1'), fw('fw-b', 'b1')] };

function both(config: MesosConfig, machines: MachineOverrides = {}, only?: string[]) {
  const run = (symmetry: boolean) => explore(mesosModel(mesosWorld(config, machines), only ? { only } : {}), { symmetry });
  return { plain: run(false), reduced: run(true) };
}

for (const config of [twoAgents, twoFrameworks]) {
  test(`${config.name}: symmetry keeps every verdict and explores fewer states`, () => {
    const { plain, reduced } = both(config);
    assert.equal(
      reduced.verdicts.map((v) => `${v.name}:${v.status}`),
      plain.verdicts.map((v) => `${v.name}:${v.status}`),
    );
    assert.is(plain.outcome, 'pass');
    assert.ok(reduced.states * 1.8 < plain.states, `${reduced.states} states with symmetry, ${plain.states} without`);
    assert.is(reduced.diameter, plain.diameter);
  });
}

test('a seeded bug is found with and without symmetry, at the same shortest depth', () => {
  const mutant = { agent: agentNeverRetryingUpdates() };
  const { plain, reduced } = both({ ...twoAgents, faults: { ...NO_FAULTS, loss: 1 } }, mutant, ['deliveredAtQuiescence']);
  const p = plain.verdicts.find((v) => v.name === 'deliveredAtQuiescence')!;
  const r = reduced.verdicts.find((v) => v.name === 'deliveredAtQuiescence')!;
  assert.is(p.status, 'violated');
  assert.is(r.status, 'violated');
  assert.is('trace' in r && r.trace.actions.length, 'trace' in p && p.trace.actions.length);
});

test.run();
