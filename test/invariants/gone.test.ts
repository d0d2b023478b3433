/**
 * goneAgentsHostNothing (invariants/gone.ts) catches its seeded bug: a master that forgets an
 * agent was marked gone when it reregisters, so the agent, restarted after a crash, is admitted
 * again with its task. The configuration is `operators` narrowed to marking the agent gone, with
 * one agent crash; the unmutated master keeps the invariant there.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';

const { handler, reregisterAgent } = masterInternals;

const config: MesosConfig = {
  ...configs['operators']!,
  name: 'gone-after-crash',
  frameworks: [{ ...configs['operators']!.frameworks[0]!, calls: ['ACCEPT', 'OPERATOR_MARK_AGENT_GONE'], callBudget: 1 }],
  faults: { ...NO_FAULTS, agentCrash: 1 },
};

function verdict(machines: MachineOverrides) {
  const model = mesosModel(mesosWorld(config, machines), { only: ['goneAgentsHostNothing'] });
  const r = explore(model, { maxStates: 200_000 });
  const v = r.verdicts.find((x) => x.name === 'goneAgentsHostNothing')!;
  return { v, steps: 'trace' in v ? v.trace.actions.length : -1, states: r.states };
}

/** A master that lets a gone agent reregister: it reads an empty gone list while it decides. */
const forgettingGone = withMaster({
  reregisterAgent: handler((tx, e) => {
    const gone = tx.c.registry.gone;
    tx.c = { ...tx.c, registry: { ...tx.c.registry, gone: [] } };
    reregisterAgent(tx, e as never);
    tx.c = { ...tx.c, registry: { ...tx.c.registry, gone } };
  }),
});

test('goneAgentsHostNothing catches a master that readmits a gone agent after its crash; the real master keeps it', () => {
  const { v, steps } = verdict({ master: forgettingGone });
  assert.is(v.status, 'violated');
  assert.ok(steps > 0 && steps <= 30, `shortest trace ${steps} steps`);
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /marked gone/);
  assert.is(verdict({}).v.status, 'holds');
});

test.run();
