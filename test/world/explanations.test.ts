/**
 * The explanations of item 3 of issue 18, each on a seeded bug: a deadlock (channels of one
 * message, where the master's offer fills its channel to the framework) lists what every component
 * waits for and the full channel; a vacuous `sometimes` (a task bigger than its agent, so no offer
 * ever fits) names the first step of its witness never enabled, ACCEPT.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { EXAMPLE_BUG } from '../../model/example.ts';
import { explainVacuous } from '../../model/vacuity.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
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
  assert.equal(vacuous, ['someTaskFinishes', 'executorFinishes']);
  const why = explainVacuous(() => mesosWorld(tooBig), vacuous);
  assert.is(
    why.get('someTaskFinishes'),
    'the first step of its witness never enabled is step 4 of 9, ACCEPT from a framework to the master (enabled before it: SUBSCRIBE, SUBSCRIBED, OFFERS)',
  );
  // A task that fits: every step of the witness is enabled.
  const fits = explainVacuous(() => mesosWorld(base), ['someTaskFinishes']);
  assert.match(fits.get('someTaskFinishes')!, /^every step of its witness was enabled/);
});

test.run();
