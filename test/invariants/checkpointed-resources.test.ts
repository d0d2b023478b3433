/**
 * checkpointedResourcesAgree (invariants/volumes.ts) catches its seeded bug: an agent that
 * ignores CHECKPOINT_RESOURCES keeps none of the reservations and volumes the master's books
 * give it, so at quiescence (the operator has destroyed the volume and created it again) the two
 * disagree. The unmutated agent keeps the invariant on the same configuration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { agent } from '../../spec/machines/agent.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';
import { replaceAction } from '../support/mutants.ts';

function verdict(machines: MachineOverrides, por = false) {
  const model = mesosModel(mesosWorld(configs['volumes-operator']!, machines), { only: ['checkpointedResourcesAgree'] });
  const r = explore(model, { maxStates: 200_000, por });
  const v = r.verdicts.find((x) => x.name === 'checkpointedResourcesAgree')!;
  return { v, states: r.states, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

const ignoringCheckpoints = { agent: replaceAction(agent, 'checkpointResources', () => {}) };

test('checkpointedResourcesAgree catches an agent that ignores CHECKPOINT_RESOURCES, within 19 steps, with --por too', () => {
  const { v, states, steps } = verdict(ignoringCheckpoints);
  assert.is(v.status, 'violated', `after ${states} states`);
  assert.ok(steps > 0 && steps <= 19, `shortest trace ${steps} steps`);
  assert.is(verdict(ignoringCheckpoints, true).v.status, 'violated');
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /agent-0 checkpointed '\{\}', the master's books give it 'disk\(reservations: \[\(DYNAMIC,web\)\]\)\[v:data\]:32'/);
});

test('the unmutated agent keeps checkpointedResourcesAgree where an operator destroys and creates a volume', () => {
  const { v, states } = verdict({});
  assert.is(v.status, 'holds', `after ${states} states`);
});

test.run();
