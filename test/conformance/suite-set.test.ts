/**
 * `conformance run --suite DIR` where DIR is what `conformance generate --all` writes: a suite per
 * configuration in DIR/<name> beside a manifest of their union that is no suite's. Every suite is
 * run in turn, with a header each, a total, and one JUnit file with a <testsuite> per
 * configuration. Against a fake master (GET_HEALTH, GET_AGENTS) whose agents are the suites',
 * with only scenarios that need an agent restart chosen: no hook is given, so each is skipped and
 * no cluster is started.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSuite, writeSuite } from '../../conformance/generate.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { fakeOperatorMasterForSuite } from '../support/fake-operator-master.ts';

const root = resolve(import.meta.dirname, '../..');

/** The CLI from source (no build needed), asynchronously: the fake master answers in this process. */
function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'cli', 'main.ts'), 'conformance', 'run', ...args], { cwd: root, timeout: 120_000 }, (err, stdout, stderr) =>
      done({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const tiny = (name: string): MesosConfig => ({
  name,
  description: 'one agent, one framework with one task; one agent crash',
  agents: [{ resources: 'cpus:2;mem:1024' }],
  frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'finish' }] }],
  faults: { loss: 0, agentCrash: 1, frameworkFailover: 0, masterFailover: 0, partition: 0 },
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
});

const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-suite-set-'));
const set = join(dir, 'all');
const names = ['tiny-b', 'tiny-a'];
const scenarios = new Map<string, number>();
for (const name of names) {
  const suite = generateSuite(tiny(name));
  writeSuite(join(set, name), suite);
  scenarios.set(name, suite.scenarios.length);
}
// The union manifest `--all` writes, in its order (not the directories' alphabetical one).
writeFileSync(
  join(set, 'manifest.json'),
  JSON.stringify({ configurations: names.map((name) => ({ name, covered: 0, reachable: 0, scenarios: scenarios.get(name) })), union: { covered: 0, reachable: 0 } }),
);
mkdirSync(join(dir, 'empty'));

const agents = [{ agent_info: { id: { value: 'S0' }, hostname: '127.0.0.1', port: 5051, resources: toWire(mustParseResources('cpus:2;mem:1024')) } }];
const master = fakeOperatorMasterForSuite(test, agents, dir);

test('a directory of suites runs each in turn, with a header each, the total, and a JUnit testsuite per configuration', async () => {
  const junit = join(dir, 'j.xml');
  const r = await cli('--suite', set, '--master', master.url(), '--only', 'state-TASK_GONE', '--only', 'REASON_AGENT_RESTARTED', '--junit', junit, '--no-strict');
  assert.is(r.status, 0, r.stderr + r.stdout);
  const out = r.stdout;
  const total = scenarios.get('tiny-a')! + scenarios.get('tiny-b')!;
  assert.ok(out.startsWith(`mesos-ref conformance run: 2 suites in ${set} (tiny-b, tiny-a), 4 scenarios\n`), out);
  // The manifest's order: tiny-b first.
  const b = out.indexOf(`== suite ${join(set, 'tiny-b')} (configuration tiny-b, ${scenarios.get('tiny-b')} scenarios)\n[1/2] reason-REASON_AGENT_RESTARTED ... SKIP\n`);
  const a = out.indexOf(`== suite ${join(set, 'tiny-a')} (configuration tiny-a, ${scenarios.get('tiny-a')} scenarios)\n[1/2] reason-REASON_AGENT_RESTARTED ... SKIP\n`);
  assert.ok(b > 0 && a > b, out);
  assert.match(out, /\n0 passed, 0 failed, 0 diverged, 2 skipped \(\d+\.\d s\)\n/);
  assert.match(
    out,
    new RegExp(
      `\\n== all 2 suites\\nTargets reached: 0 of \\d+ targets in all suites \\(4 of ${total} scenarios run, aiming at \\d+\\)\\nJUnit report: ${junit}\\n0 passed, 0 failed, 0 diverged, 4 skipped \\(\\d+\\.\\d s\\)\\nNot strict: \\d+ targets not reached\\n$`,
    ),
  );
  const xml = readFileSync(junit, 'utf8');
  assert.match(xml, /<testsuites name="mesos-ref conformance" tests="4" failures="0" skipped="4"/);
  assert.is(xml.match(/<testsuite /g)?.length, 2);
  assert.ok(xml.indexOf('<testsuite name="conformance.tiny-b"') < xml.indexOf('<testsuite name="conformance.tiny-a"'), xml);
});

test('--only applies across the suites: one that matches nowhere is exit 2; under --strict a skipped selection is exit 1', async () => {
  const r = await cli('--suite', set, '--master', master.url(), '--only', 'zzz');
  assert.is(r.status, 2, r.stdout);
  assert.is(
    r.stderr,
    `mesos-ref conformance run: '--only': no scenario of the 2 suites in ${set} has 'zzz' in its name (none of their ${scenarios.get('tiny-a')! + scenarios.get('tiny-b')!} scenarios)\n`,
  );
  // Under --strict, a skipped scenario's targets are not reached: exit 1.
  const strict = await cli('--suite', set, '--master', master.url(), '--only', 'state-TASK_GONE', '--strict');
  assert.is(strict.status, 1, strict.stderr + strict.stdout);
  assert.match(strict.stdout, /\n0 passed, 0 failed, 0 diverged, 2 skipped \(\d+\.\d s\)\nFAILED \(strict\): \d+ targets? not reached\n$/);
});

test('a directory with neither a manifest nor suite directories is exit 2 naming --suite', async () => {
  const r = await cli('--suite', join(dir, 'empty'), '--master', master.url());
  assert.is(r.status, 2, r.stdout);
  assert.match(r.stderr, /^mesos-ref conformance run: '--suite': .*empty has no manifest.json, nor directories holding suites/);
});

test('a single suite still runs as before', async () => {
  const r = await cli('--suite', join(set, 'tiny-a'), '--master', master.url(), '--only', 'state-TASK_GONE', '--no-strict');
  assert.is(r.status, 0, r.stderr + r.stdout);
  assert.ok(
    r.stdout.startsWith(
      `mesos-ref conformance run: suite ${join(set, 'tiny-a')} (configuration tiny-a, ${scenarios.get('tiny-a')} scenarios)\n  against the master at ${master.url()} `,
    ),
    r.stdout,
  );
  assert.not.match(r.stdout, /==/);
});

test.run();
