/**
 * The explanations of item 3 of issue 18, each on a seeded bug: a deadlock (channels of one
 * message, where the master's offer fills its channel to the framework) lists what every component
 * waits for and the full channel; a vacuous `sometimes` (a task bigger than its agent, so no offer
 * ever fits) names the first step of its witness never enabled, ACCEPT, and so does one the
 * witness table does not name; a `sometimes` a configuration cannot produce (executorFails with no
 * task that may fail) is not applicable rather than "reachable in 0 steps", its seeded bug.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { EXAMPLE_BUG } from '../../model/example.ts';
import { explainVacuous, notApplicable } from '../../model/vacuity.ts';
import { invariants, type Invariant } from '../../invariants/index.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { configs } from '../../model/configs.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { waitsFor } from '../../spec/world/waits.ts';

const test = suite('explanations: deadlocks and vacuous sometimes');
const base = EXAMPLE_BUG.config;

test('a deadlock says what each component waits for and which channel is full', () => {
  const world = mesosWorld({ ...base, channelBound: 1 });
  const d = explore(mesosModel(world), {}).verdicts.find((v) => v.name === 'deadlock')!;
  assert.is(d.status, 'violated');
  if (!('trace' in d)) return;
  const lines = waitsFor(world.system, d.trace.states[d.trace.states.length - 1]!);
  assert.ok(lines.includes('master in leading: waits to take timer ALLOCATION_DUE (1000 ms); blocked: its channel to fw-0 is full'), lines.join('\n'));
  assert.ok(
    lines.includes('fw-0 in subscribed.launching: waits to take message OFFERS from master; blocked: what it would send does not fit in its outgoing channels'),
    lines.join('\n'),
  );
  assert.ok(lines.includes('channel master>fw-0: 1 of 1 (full), head OFFERS'), lines.join('\n'));
  // With room for two messages the same world does not deadlock: the explanation is for a real one.
  assert.is(explore(mesosModel(mesosWorld({ ...base, channelBound: 2 })), {}).verdicts.find((v) => v.name === 'deadlock')!.status, 'none');
});

test('a vacuous sometimes names the first step of its witness that was never enabled', () => {
  const tooBig: MesosConfig = { ...base, frameworks: [{ ...base.frameworks[0]!, tasks: [{ id: 't1', resources: 'cpus:4;mem:128', outcome: 'finish' }] }] };
  const vacuous = explore(mesosModel(mesosWorld(tooBig)), {})
    .verdicts.filter((v) => v.status === 'vacuous')
    .map((v) => v.name);
  assert.equal(vacuous, ['someTaskFinishes', 'executorFinishes', 'executorAcknowledged']);
  const why = explainVacuous(() => mesosWorld(tooBig), vacuous);
  assert.is(
    why.get('someTaskFinishes'),
    'the first step of its witness never enabled is step 4 of 9, ACCEPT from a framework to the master (enabled before it: SUBSCRIBE, SUBSCRIBED, OFFERS)',
  );
  // A task that fits: every step of the witness is enabled.
  const fits = explainVacuous(() => mesosWorld(base), ['someTaskFinishes']);
  assert.match(fits.get('someTaskFinishes')!, /^every step of its witness was enabled/);
});

test('a vacuous sometimes the witness table does not name still gets a why (the task path stands for its witness)', () => {
  const tooBig: MesosConfig = { ...base, frameworks: [{ ...base.frameworks[0]!, tasks: [{ id: 't1', resources: 'cpus:4;mem:128', outcome: 'finish' }] }] };
  const someTaskRuns: Invariant = {
    name: 'someTaskRuns',
    kind: 'sometimes',
    description: 'some framework learns that one of its tasks runs',
    world: (w) => (w.layout.frameworks.some((fw) => Object.values(w.scheduler(fw)?.log ?? {}).some((log) => log.some((e) => e.state === 'TASK_RUNNING'))) ? null : 'no task ran'),
  };
  const verdict = explore(mesosModel(mesosWorld(tooBig), { only: ['someTaskRuns'], extra: [someTaskRuns] }), {}).verdicts.find((v) => v.name === 'someTaskRuns')!;
  assert.is(verdict.status, 'vacuous');
  assert.is(
    explainVacuous(() => mesosWorld(tooBig), ['someTaskRuns']).get('someTaskRuns'),
    "no witness is declared for it, so a task's normal path stands for one: the first step of its witness never enabled is step 4 of 9, ACCEPT from a framework to the master (enabled before it: SUBSCRIBE, SUBSCRIBED, OFFERS)",
  );
});

test('an always that judges another kind of run is not applicable where that run is not the kind', () => {
  // drain-kill: a general framework drains its agent and also kills its task itself.
  const world = mesosWorld(configs['drain-kill']!);
  assert.equal(
    notApplicable(world.layout).filter((n) => n.kind === 'always'),
    [{ name: 'drainKillsSayDraining', kind: 'always', why: 'tasks are also killed otherwise than by the drain' }],
  );
  // The seeded bug: without its `applies`, a KILL's own TASK_KILLED breaks it.
  const unguarded: Invariant = { ...invariants.find((i) => i.name === 'drainKillsSayDraining')!, name: 'drainKillsUnguarded', applies: undefined };
  const v = explore(mesosModel(world, { only: [unguarded.name], extra: [unguarded] }), {}).verdicts.find((x) => x.name === unguarded.name)!;
  assert.is(v.status, 'violated');
});

test('a sometimes that cannot apply to a configuration is reported not applicable, not reachable in 0 steps', () => {
  // base: one task that exits 0, no kill: no task can fail and none is killed.
  const world = mesosWorld(base);
  assert.equal(notApplicable(world.layout), [
    { name: 'drainKillsSayDraining', kind: 'always', why: 'no framework drains an agent' },
    { name: 'someVolumeCreated', kind: 'sometimes', why: 'no framework reserves disk and creates a volume in this configuration' },
    { name: 'executorFails', kind: 'sometimes', why: 'no task of a polite framework may exit non-zero in this configuration' },
    { name: 'executorKills', kind: 'sometimes', why: 'no polite framework kills a task in this configuration' },
    {
      name: 'registrationTimesOut',
      kind: 'sometimes',
      why: 'the registration timer fires only once no message is in flight in this configuration, by when the executor has subscribed (earlyTimers)',
    },
  ]);
  const names = mesosModel(world).properties.map((p) => p.name);
  assert.ok(names.includes('executorFinishes') && !names.includes('executorFails') && !names.includes('executorKills'), names.join(', '));
  // The seeded bug: the same property without its `applies` "reaches" its condition in the initial state.
  const unguarded: Invariant = { ...invariants.find((i) => i.name === 'executorFails')!, name: 'executorFailsUnguarded', applies: undefined };
  const v = explore(mesosModel(mesosWorld(base), { only: [unguarded.name], extra: [unguarded] }), { maxStates: 1000 }).verdicts.find((x) => x.name === unguarded.name)!;
  assert.is(v.status, 'reachable');
  assert.is('trace' in v ? v.trace.actions.length : -1, 0);
  // A task that may fail: the property applies and is checked.
  const failing = mesosWorld({ ...base, frameworks: [{ ...base.frameworks[0]!, tasks: [{ ...base.frameworks[0]!.tasks[0]!, outcome: 'fail' }] }] });
  assert.not.ok(notApplicable(failing.layout).some((n) => n.name === 'executorFails'));
  assert.ok(mesosModel(failing).properties.some((p) => p.name === 'executorFails'));
});

test.run();
