/**
 * volumesOfferedOnlyFree (invariants/volumes.ts) catches its seeded bug: a master that does not
 * count a task's persistent volume as used (the volume goes back to the allocator when the task
 * launches) offers the volume again while the task still runs on it. The unmutated master keeps
 * the invariant on the same configuration, where a framework reserves disk, creates a volume,
 * launches on it, destroys it and unreserves.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { masterInternals, type MasterContext } from '../../spec/machines/master.ts';
import * as allocator from '../../spec/allocator/index.ts';
import { fromWire, isPersistentVolume, setAllocationRole } from '../../spec/resources/index.ts';
import { withMaster } from '../support/mutants.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';
import type { MesosConfig } from '../../spec/world/config.ts';

const { handler, accept } = masterInternals;

/**
 * The `volumes` configuration without its KILL: the seeded bug gives the volume back twice once
 * the task ends (the allocator throws, and the checker stops at that shallower error first).
 */
const config: MesosConfig = { ...configs['volumes']!, frameworks: configs['volumes']!.frameworks.map((f) => ({ ...f, calls: (f.calls ?? []).filter((c) => c !== 'KILL') })) };

function verdict(machines: MachineOverrides) {
  const model = mesosModel(mesosWorld(config, machines), { only: ['volumesOfferedOnlyFree'] });
  const r = explore(model, { maxStates: 200_000 });
  const v = r.verdicts.find((x) => x.name === 'volumesOfferedOnlyFree')!;
  return { v, steps: 'trace' in v ? v.trace.actions.length : -1, states: r.states };
}

/** The volumes the tasks of `c` that are still staging use, per framework, agent and role. */
function stagingVolumes(c: MasterContext) {
  return Object.entries(c.frameworks).flatMap(([fid, f]) =>
    Object.values(f.tasks)
      .filter((r) => r.task.state === 'TASK_STAGING')
      .flatMap((r) => {
        const used = fromWire(r.task.resources ?? []);
        const volumes = used.ok ? used.value.filter(isPersistentVolume) : [];
        return volumes.length ? [{ fid, aid: r.task.agent_id.value, role: r.role, volumes: setAllocationRole(volumes, r.role), key: `${fid}/${r.task.task_id.value}` }] : [];
      }),
  );
}

/** A master whose ACCEPT gives a newly launched task's volume back to the allocator, as if the task did not use it. */
const forgettingVolumesInUse = withMaster({
  accept: handler((tx, e) => {
    const before = new Set(stagingVolumes(tx.c).map((x) => x.key));
    accept(tx, e as never);
    for (const x of stagingVolumes(tx.c).filter((y) => !before.has(y.key))) {
      tx.allocator((a) => allocator.recoverResources(a, { frameworkId: x.fid, agentId: x.aid, role: x.role, resources: x.volumes }));
    }
  }),
});

test('volumesOfferedOnlyFree catches a master that offers a volume a running task uses', () => {
  const { v, steps, states } = verdict({ master: forgettingVolumesInUse });
  assert.is(v.status, 'violated', `after ${states} states`);
  assert.ok(steps > 0 && steps <= 40, `shortest trace ${steps} steps`);
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /while task g1 of framework .* uses it/);
});

test('the unmutated master keeps volumesOfferedOnlyFree where volumes are created, used, destroyed', () => {
  assert.is(verdict({}).v.status, 'holds');
  const model = mesosModel(mesosWorld(configs['volumes']!, {}), { only: ['volumesOfferedOnlyFree'] });
  assert.is(explore(model, { maxStates: 200_000 }).verdicts.find((x) => x.name === 'volumesOfferedOnlyFree')!.status, 'holds');
});

test.run();
