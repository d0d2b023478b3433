/**
 * The checker at scale, from the command line: `--workers`, `--expect-states` and the presizing
 * from the previous run, and `verify --symmetry` on every named configuration; verify's exit code
 * for the unexpected:
 * a configuration with nothing interchangeable runs unchanged with a one-line note (never a stack
 * trace), one with interchangeable parts gets the verdicts of the full search, and an exception
 * is exit 2 with one line (exit 1 means only "a property is violated").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { symmetryPlan } from '../../cli/verify.ts';
import { configs } from '../../model/configs.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';

const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
const cache = mkdtempSync(join(tmpdir(), 'mesos-ref-cache-'));
const env = { ...process.env, XDG_CACHE_HOME: cache };
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'verify', '--no-progress', ...args], { encoding: 'utf8', timeout: 300_000, env });
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
  assert.is(out.states, 153_993); // README's count for master-failover, unreduced (with the cause record; the scheduler kills again what it sees alive)
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

test('--workers 2 explores the same states as one worker (a bounded run, to stay fast)', () => {
  const one = JSON.parse(run('--config', 'master-failover', '--max-depth', '14', '--json').stdout);
  const two = run('--config', 'master-failover', '--max-depth', '14', '--json', '--workers', '2');
  assert.is(two.status, 3, two.stderr);
  const out = JSON.parse(two.stdout);
  assert.is(out.states, one.states);
  assert.is(out.transitions, one.transitions);
  assert.equal(
    out.verdicts.map((v: { status: string }) => v.status),
    one.verdicts.map((v: { status: string }) => v.status),
  );
  assert.is(run('--workers', '0').status, 2);
});

test('the visited set is presized from --expect-states, or from the previous complete run', () => {
  const progress = (cacheDir: string, ...args: string[]) =>
    spawnSync(process.execPath, [bin, 'verify', '--config', 'master-failover', '--max-depth', '4', ...args], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, XDG_CACHE_HOME: cacheDir },
    });
  // The complete master-failover run of an earlier test is remembered.
  assert.match(progress(cache).stderr, 'visited set presized for 153,993 states (the previous run of this configuration)');
  // A bounded run is not (its count is not the configuration's).
  const fresh = mkdtempSync(join(tmpdir(), 'mesos-ref-cache-'));
  assert.match(progress(fresh, '--expect-states', '5000').stderr, 'visited set presized for 5,000 states (--expect-states)');
  assert.not.ok(existsSync(join(fresh, 'mesos-ref', 'state-counts.json')));
  assert.is(progress(fresh, '--expect-states', 'many').status, 2);
  rmSync(fresh, { recursive: true, force: true });
});

test.after(() => rmSync(cache, { recursive: true, force: true }));

test.run();
