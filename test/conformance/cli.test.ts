/**
 * `mesos-ref conformance generate` as a user runs it: it writes the suite and prints the
 * coverage; the files are byte for byte the library's (two runs, two processes, same bytes);
 * bad flags and configurations exit 2 naming the field.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configs } from '../../model/configs.ts';
import { suiteOf } from './support.ts';

const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'conformance', 'generate', '--no-progress', ...args], { encoding: 'utf8', timeout: 300_000 });
const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-conformance-'));

test('generate writes the default suite, prints the coverage, and is deterministic', () => {
  const out = join(dir, 'suite');
  writeFileSync(join(dir, 'stale.json'), '{}');
  const r = run('--config', 'default', '--out', out);
  assert.is(r.status, 0, r.stderr + r.stdout);
  const suite = suiteOf('default');
  const c = suite.manifest.coverage;
  assert.match(r.stdout, `Coverage: ${c.covered} of ${c.reachable} reachable targets covered`);
  assert.match(r.stdout, 'Exploration completed');
  assert.match(r.stdout, `Scenarios: ${suite.scenarios.length}`);
  // Byte-identical to the library's run in this process.
  assert.equal(readdirSync(out).sort(), [...suite.files.keys()].sort());
  for (const [name, text] of suite.files) assert.is(readFileSync(join(out, name), 'utf8'), text, name);
  assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /conformance run/);
});

test('generate rewrites a directory, dropping scenarios of an earlier suite', () => {
  const out = join(dir, 'again');
  const first = run('--config', 'default', '--out', out, '--max-states', '2000');
  assert.is(first.status, 0, first.stderr);
  assert.match(first.stdout, 'Exploration stopped at --max-states 2,000');
  writeFileSync(join(out, 'old-scenario.json'), '{}');
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.is(manifest.exploration.complete, false);
  assert.is(manifest.exploration.maxStates, 2000);
  const second = run('--config', 'default', '--out', out, '--max-states', '2000');
  assert.is(second.status, 0);
  assert.not.ok(readdirSync(out).includes('old-scenario.json'));
});

test('bad flags and configurations exit 2 naming the field', () => {
  const noOut = run('--config', 'default');
  assert.is(noOut.status, 2);
  assert.match(noOut.stderr, "'--out'");
  const badMax = run('--out', join(dir, 'x'), '--max-states', 'lots');
  assert.is(badMax.status, 2);
  assert.match(badMax.stderr, "'--max-states'");
  const unknown = run('--out', join(dir, 'x'), '--config', 'no-such-config');
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, "'--config'");
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ ...configs.default, channelBound: 0 }));
  const bad = run('--out', join(dir, 'x'), '--config', file);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, "'channelBound'");
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
