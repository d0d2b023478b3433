/**
 * tasksOnKnownAgents (invariants/removal.ts) catches its seeded bug: a master that, when an agent
 * unregisters, forgets the agent but keeps its tasks on the books. The configuration is
 * `unregister`; the unmutated master keeps the invariant there.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';

const { handler } = masterInternals;

function verdict(machines: MachineOverrides) {
  const model = mesosModel(mesosWorld(configs['unregister']!, machines), { only: ['tasksOnKnownAgents'] });
  const r = explore(model, { maxStates: 100_000 });
  const v = r.verdicts.find((x) => x.name === 'tasksOnKnownAgents')!;
  return { v, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

/** A master that drops an unregistering agent's record and admission, and nothing else. */
const keepingTasks = withMaster({
  unregisterAgent: handler((tx, e) => {
    const aid = (e as { agent_id: { value: string } }).agent_id.value;
    tx.registry((r) => {
      const { [aid]: _removed, ...admitted } = r.admitted;
      return { ...r, admitted };
    });
    tx.setAgent(aid, undefined);
  }),
});

test("tasksOnKnownAgents catches a master that keeps an unregistered agent's tasks; the real master keeps it", () => {
  const { v, steps } = verdict({ master: keepingTasks });
  assert.is(v.status, 'violated');
  assert.ok(steps > 0 && steps <= 20, `shortest trace ${steps} steps`);
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /which the master removed/);
  assert.is(verdict({}).v.status, 'holds');
});

test.run();
