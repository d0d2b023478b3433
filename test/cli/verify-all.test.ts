/**
 * `mesos-ref verify --all` as CI runs it: named configurations proved one after the other, the
 * union coverage printed (machine and lifecycle transitions), `--min-coverage` and
 * `--min-lifecycle-coverage` exit 1 below the threshold and 2 for a bad value,
 * branches of spec/machines counted under V8 coverage. Small configurations keep it fast.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'verify', '--all', '--no-progress', ...args], { encoding: 'utf8', timeout: 300_000 });
/** The same from another working directory. */
const runIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, 'verify', '--all', '--no-progress', ...args], { encoding: 'utf8', timeout: 300_000, cwd });

test('--all proves the configurations it is given and prints the union coverage', () => {
  const r = run('--configs', 'heartbeats,declines', '--no-branches');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /heartbeats\s+\d[\d,]* states\s+[\d.]+ s {2}holds/);
  assert.match(r.stdout, /declines\s+\d[\d,]* states\s+[\d.]+ s {2}holds/);
  assert.match(r.stdout, /all machines\s+\d+ \/ \d+\s+\(\d+\.\d%\)/);
  // Lifecycle transitions beside the machines', per record kind.
  for (const kind of ['master: framework', 'master: agent', 'master: offer', 'master: task', 'agent: executor']) assert.match(r.stdout, new RegExp(`${kind}\\s+\\d+ / \\d+`));
  assert.match(r.stdout, /all lifecycles\s+\d+ \/ \d+\s+\(\d+\.\d%\)/);
});

test('--min-coverage exits 1 below the threshold, 0 at or above it, 2 for a bad value', () => {
  const below = run('--configs', 'heartbeats', '--no-branches', '--min-coverage', '99');
  assert.is(below.status, 1);
  assert.match(below.stdout, /Transition coverage \d+\.\d% is below --min-coverage 99%/);
  const lifecycles = run('--configs', 'heartbeats', '--no-branches', '--min-lifecycle-coverage', '99');
  assert.is(lifecycles.status, 1);
  assert.match(lifecycles.stdout, /Lifecycle transition coverage \d+\.\d% is below --min-lifecycle-coverage 99%/);
  assert.is(run('--configs', 'heartbeats', '--no-branches', '--min-lifecycle-coverage', '1').status, 0);
  assert.match(run('--min-lifecycle-coverage', 'x').stderr, /--min-lifecycle-coverage: expected a percentage from 0 to 100, got 'x'/);
  assert.is(run('--configs', 'heartbeats', '--no-branches', '--min-coverage', '1').status, 0);
  const bad = run('--min-coverage', '150');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--min-coverage: expected a percentage from 0 to 100, got '150'/);
  const unknown = run('--configs', 'nope');
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /--configs: no named configuration nope/);
});

test('branches of spec/machines are counted under V8 coverage, from any working directory', () => {
  // c8 matched its include against the working directory: from /tmp it counted 0 of 0 and passed.
  const r = runIn(tmpdir(), '--configs', 'heartbeats', '--min-coverage', '1');
  assert.is(r.status, 0, r.stderr);
  const m = /Branches of spec\/machines \(V8 coverage while checking, counted by c8\): (\d+) \/ (\d+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Number(m![1]) > 0 && Number(m![1]) < Number(m![2]), `covered ${m![1]} of ${m![2]}`);
  assert.match(r.stdout, /spec\/machines\/master\.ts\s+\d+ \/ \d+/);
});

test.run();
