/**
 * `mesos-ref verify` as a user runs it: the default configuration is proved, bad input exits 2
 * naming the field, a vacuous configuration fails with exit 1, a bounded run exits 3.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configs } from '../../model/configs.ts';

const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'verify', '--no-progress', ...args], { encoding: 'utf8', timeout: 300_000 });
const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-verify-'));

test('the default configuration is proved: every property holds, nothing is vacuous', () => {
  const r = run('--json');
  assert.is(r.status, 0, r.stderr + r.stdout.slice(0, 2000));
  const out = JSON.parse(r.stdout);
  assert.is(out.outcome, 'pass');
  assert.ok(out.complete);
  assert.ok(out.states > 10_000, `only ${out.states} states`);
  // 'not applicable': a sometimes the configuration cannot produce (executorFails: no task may fail), or an
  // always about a kind of run it is not (drainKillsSayDraining: nothing drains), not checked.
  for (const v of out.verdicts) assert.ok(['holds', 'reachable', 'none', 'not applicable'].includes(v.status), `${v.name}: ${v.status}`);
  assert.equal(
    out.verdicts.filter((v: { status: string }) => v.status === 'not applicable').map((v: { name: string }) => v.name),
    ['drainKillsSayDraining', 'someVolumeCreated', 'executorFails', 'executorKills', 'registrationTimesOut'],
  );
  // The faults the issue asks for are in it.
  assert.ok(out.config.faults.loss >= 1 && out.config.faults.agentCrash >= 1 && out.config.faults.frameworkFailover >= 1);
});

test('a configuration file with a bad field exits 2 and names the field', () => {
  const bad = { ...configs.default, channelBound: 0, frameworks: [{ ...configs.default!.frameworks[0]!, tasks: [{ id: 't1', resources: 'cpus:x', outcome: 'finish' }] }] };
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify(bad));
  const r = run('--config', file);
  assert.is(r.status, 2);
  assert.match(r.stderr, "'frameworks[0].tasks[0].resources'");
  assert.match(r.stderr, "'channelBound'");
});

test('bad flags exit 2 naming the flag', () => {
  const r = run('--max-states', 'lots');
  assert.is(r.status, 2);
  assert.match(r.stderr, "'--max-states'");
  const f = run('--agents', '1', '--faults', 'loss,meteor');
  assert.is(f.status, 2);
  assert.match(f.stderr, "unknown fault 'meteor'");
});

test('a configuration in which no task ever ends fails as vacuous, with exit 1', () => {
  const vacuous = {
    ...configs.default,
    name: 'vacuous',
    faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 },
    frameworks: [{ ...configs.default!.frameworks[0]!, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'never' }] }],
  };
  const file = join(dir, 'vacuous.json');
  writeFileSync(file, JSON.stringify(vacuous));
  const r = run('--config', file);
  assert.is(r.status, 1, r.stdout);
  assert.match(r.stdout, 'someTaskFinishes');
  assert.match(r.stdout, 'VACUOUS');
});

test('a bounded run says it proves nothing beyond what it explored, with exit 3', () => {
  const r = run('--max-states', '500');
  assert.is(r.status, 3);
  assert.match(r.stdout, 'proves nothing beyond');
});

test.run();
