/**
 * reservedOnlyToRole (invariants/reservations.ts) catches its seeded bug: a master whose
 * allocator ignores reservations offers what is reserved for `web` to a framework of role
 * `batch`. The checker finds the shortest trace; the unmutated master keeps the invariant on
 * the same configuration, where the agent has a reservation and two roles compete for it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { drfPolicy } from '../../spec/allocator/index.ts';
import { withMaster } from '../support/mutants.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';

const { handler, allocate } = masterInternals;

function verdict(config: MesosConfig, machines: MachineOverrides) {
  const model = mesosModel(mesosWorld(config, machines), { only: ['reservedOnlyToRole'] });
  const r = explore(model, { maxStates: 200_000 });
  const v = r.verdicts.find((x) => x.name === 'reservedOnlyToRole')!;
  return { v, steps: 'trace' in v ? v.trace.actions.length : -1, states: r.states };
}

/** A master whose allocator offers every role everything, reserved or not. */
const ignoringReservations = withMaster({ allocate: handler((tx) => allocate(tx, { ...drfPolicy, allocatableTo: (r) => r })) });

test('reservedOnlyToRole catches a master that offers reserved resources to another role, within 7 steps', () => {
  const config = configs['reservation']!;
  const { v, steps } = verdict(config, { master: ignoringReservations });
  assert.is(v.status, 'violated');
  assert.ok(steps > 0 && steps <= 7, `shortest trace ${steps} steps`);
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /reserved for role web/);
  const clean = verdict(config, {});
  assert.is(clean.v.status, 'holds');
});

test('without a reservation the seeded bug is invisible: the invariant reads reservations, not offers in general', () => {
  const config: MesosConfig = { ...configs['reservation']!, agents: [{ resources: 'cpus:2;mem:1024' }], faults: NO_FAULTS };
  assert.is(verdict(config, { master: ignoringReservations }).v.status, 'holds');
});

test.run();
