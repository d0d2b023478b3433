/**
 * The run's report as CI reads it (JUnit XML): what did not reach its targets is a <failure>, so
 * a green report means every target was tested. A diverged scenario fails; one that diverged and
 * then passed on a new cluster passes, its earlier attempts noted; a skipped one is <skipped>, or
 * a failure under strict.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isFailure, junitXml, type ScenarioResult, type SuiteResult } from '../../impl/conformance/index.ts';

const base = { ms: 1200, happened: 3, steps: 3, notes: [] };
const passed: ScenarioResult = { ...base, name: 'state-TASK_RUNNING', outcome: 'passed', reached: ['state:TASK_RUNNING'] };
const passedOnRetry: ScenarioResult = {
  ...base,
  name: 'state-TASK_FINISHED',
  outcome: 'passed',
  reached: ['state:TASK_FINISHED'],
  attempts: 2,
  retried: ['fw-0 observed another event the model allows at s11'],
};
const diverged: ScenarioResult = {
  ...base,
  name: 'state-TASK_GONE',
  outcome: 'diverged',
  reason: 'fw-0 observed another event the model allows at s9',
  reached: ['transition:a'],
  happened: 2,
  attempts: 4,
  retried: ['one', 'two', 'three'],
};
const skipped: ScenarioResult = { ...base, name: 'state-TASK_LOST', outcome: 'skipped', ms: 0, reason: 'requires loss', reached: [], happened: 0 };
const run: SuiteResult = { results: [passed, passedOnRetry, diverged, skipped], counts: { passed: 2, failed: 0, diverged: 1, skipped: 1 }, ms: 5000 };
const targets = new Map<string, readonly string[]>([
  ['state-TASK_RUNNING', ['state:TASK_RUNNING']],
  ['state-TASK_FINISHED', ['state:TASK_FINISHED']],
  ['state-TASK_GONE', ['transition:a', 'state:TASK_GONE']],
  ['state-TASK_LOST', ['state:TASK_LOST']],
]);

/** The body of one <testcase>. */
const testcase = (xml: string, name: string): string => {
  const m = new RegExp(`<testcase [^>]*name="${name}"[^>]*>([\\s\\S]*?)</testcase>`).exec(xml);
  assert.ok(m, `a testcase ${name}`);
  return m![1]!;
};

test('a diverged scenario is a failure naming the targets it did not reach and every attempt', () => {
  const xml = junitXml('conformance.default', run, { targets });
  const body = testcase(xml, 'state-TASK_GONE');
  assert.match(body, /<failure message="diverged on all 4 attempts, targets not reached: fw-0 observed another event the model allows at s9">/);
  assert.match(body, /targets not reached: state:TASK_GONE\n/);
  assert.not.match(body, /targets not reached: transition:a/);
  assert.match(body, /attempt 3 diverged: three/);
});

test('a scenario that passed on a retry is a pass, with the earlier attempt in system-out', () => {
  const xml = junitXml('conformance.default', run, { targets });
  const body = testcase(xml, 'state-TASK_FINISHED');
  assert.not.match(body, /<failure/);
  assert.match(body, /<system-out>passed on attempt 2 of 2\nattempt 1 diverged: fw-0 observed another event the model allows at s11<\/system-out>/);
  assert.is(testcase(xml, 'state-TASK_RUNNING').trim(), '');
});

test('skipped is <skipped>, or a failure under strict; the counts follow', () => {
  const lax = junitXml('conformance.default', run, { targets });
  assert.match(testcase(lax, 'state-TASK_LOST'), /<skipped message="requires loss"\/>/);
  assert.match(lax, /<testsuites name="mesos-ref conformance" tests="4" failures="1" skipped="1" time="5.000">/);
  const strict = junitXml('conformance.default', run, { targets, strict: true });
  assert.match(testcase(strict, 'state-TASK_LOST'), /<failure message="skipped \(strict: its targets are not reached\): requires loss">[^<]*targets not reached: state:TASK_LOST/);
  assert.match(strict, /tests="4" failures="2" skipped="0"/);
  assert.equal(
    run.results.map((r) => isFailure(r, true)),
    [false, false, true, true],
  );
  assert.equal(
    run.results.map((r) => isFailure(r, false)),
    [false, false, true, false],
  );
});

test.run();
