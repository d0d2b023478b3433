/**
 * `verify --symmetry` on every named configuration, and verify's exit code for the unexpected:
 * a configuration with nothing interchangeable runs unchanged with a one-line note (never a stack
 * trace), one with interchangeable parts gets the verdicts of the full search, and an exception
 * is exit 2 with one line (exit 1 means only "a property is violated").
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { symmetryPlan } from '../../cli/verify.ts';
import { configs } from '../../model/configs.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';

const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'verify', '--no-progress', ...args], { encoding: 'utf8', timeout: 300_000 });
const verdicts = (r: ReturnType<typeof explore>) => r.verdicts.map((v) => `${v.name}:${v.status}`);

for (const [name, config] of Object.entries(configs)) {
  if (name === 'large') continue; // not exhaustible: its reduction is checked on smaller worlds (test/world/symmetry.test.ts)
  test(`${name}: --symmetry gives the verdicts of the full search`, () => {
    const world = mesosWorld(config);
    const plan = symmetryPlan(world, true);
    const model = mesosModel(world);
    if (world.system.hasSymmetry) {
      assert.ok(plan.symmetry && plan.note === undefined);
      assert.equal(verdicts(explore(model, { symmetry: true })), verdicts(explore(mesosModel(mesosWorld(config)))));
    } else {
      // Nothing interchangeable: the search runs unreduced (the very run without --symmetry), and says so.
      assert.is(plan.symmetry, false);
      assert.is(model.canonicalize, undefined);
      assert.match(plan.note ?? '', `configuration ${name} has no interchangeable`);
    }
  });
}

test('large has interchangeable agents: --symmetry reduces it', () => {
  const world = mesosWorld(configs.large!);
  assert.equal(symmetryPlan(world, true), { symmetry: true });
  assert.equal(symmetryPlan(world, false), { symmetry: false });
});

test('verify --symmetry on a configuration with nothing symmetric: a one-line note, the full run, exit 0', () => {
  const r = run('--config', 'master-failover', '--symmetry', '--json');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, '--symmetry: configuration master-failover has no interchangeable');
  const out = JSON.parse(r.stdout);
  assert.is(out.outcome, 'pass');
  assert.is(out.states, 89_006); // README's count for master-failover, unreduced
});

test('an unexpected exception is exit 2 with one line; --debug adds the stack', () => {
  // 31 partitionable agents pass the configuration checks but not the world's limit of 30.
  const r = run('--agents', '31', '--faults', 'partition', '--max-states', '10');
  assert.is(r.status, 2, r.stderr);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, 'mesos-ref verify: internal error: system: at most 30 partitionable components');
  const d = run('--agents', '31', '--faults', 'partition', '--max-states', '10', '--debug');
  assert.is(d.status, 2);
  assert.match(d.stderr, /\n\s+at /);
});

test.run();
