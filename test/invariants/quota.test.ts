/**
 * quotaLimitsHeld (invariants/quota.ts) catches its seeded bug: a master whose allocator
 * ignores quota limits offers web the whole agent after an operator limited web to one cpu.
 * The checker finds the shortest trace; the unmutated master keeps the invariant on the same
 * configuration (model/configs.ts `quota`). quotasPersisted: mutate's seed-11 survivor at
 * master/quota.ts:186 kept a cleared quota in the registry and dropped a set one; its seeded bug
 * here is a master that applies an UPDATE_QUOTA without writing it to the registry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { drfPolicy } from '../../spec/allocator/index.ts';
import { updateQuota, type QuotaEvent } from '../../spec/machines/master/quota.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';

const { handler, allocate } = masterInternals;

function verdict(machines: MachineOverrides) {
  const model = mesosModel(mesosWorld(configs['quota']!, machines), { only: ['quotaLimitsHeld'] });
  const r = explore(model, { maxStates: 100_000 });
  const v = r.verdicts.find((x) => x.name === 'quotaLimitsHeld')!;
  return { v, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

/** A master whose allocator offers past quota limits. */
const ignoringLimits = withMaster({ allocate: handler((tx) => allocate(tx, { ...drfPolicy, withinLimits: (r) => r })) });

test('quotaLimitsHeld catches a master that offers past a quota limit, within 40 steps; the real master keeps it', () => {
  const { v, steps } = verdict({ master: ignoringLimits });
  assert.is(v.status, 'violated');
  assert.ok(steps > 0 && steps <= 40, `shortest trace ${steps} steps`);
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /beyond its quota limit cpus:1/);
  assert.is(verdict({}).v.status, 'holds');
});

caughtWithin(
  test,
  'quotasPersisted',
  'a master that applies an UPDATE_QUOTA without writing it to the registry',
  configs.quota!,
  {
    master: withMaster({
      operatorUpdateQuota: handler<QuotaEvent>((tx, e) => {
        const registry = tx.c.registry;
        updateQuota(tx, e);
        tx.registry(() => registry);
      }),
    }),
  },
  /the allocator enforces quotas for \[web\], the registry holds them for \[\]/,
  4,
);

test.run();
