/**
 * `mesos-ref mutate --suite`: two mutants of the executor the checker kills, run against a
 * one-scenario suite (state-TASK_FINISHED of a one-task configuration). The one that makes the
 * command executor report TASK_FINISHED as another state is killed by that scenario, confirmed
 * against the mutant and against the unmutated build; the one that drops the update's message is
 * not (no scenario checks the message), so the summary says the suite kills 1 of the 2.
 * A --suite that holds no suite is exit 2, naming the flag, before anything runs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSuite, writeSuite } from '../../conformance/generate.ts';
import { ONE_TASK } from '../../model/small-worlds.ts';
import { candidates, seededOrder, type Mutant } from '../../cli/mutate/operators.ts';
import { runMutate } from '../../cli/mutate.ts';
import { divergedIn, firstFailure, outcomeOf } from '../../cli/mutate/suite-killer.ts';

const FILE = 'spec/machines/executor.ts';
/** The temporary copies mutate makes (sandbox.ts): the mutants' and the unmutated build's. */
const copies = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('mesos-ref-mutate-')));
const OPERATORS = 'replace-state,negate-condition';

/** The first mutant of the seed's order on the line `line` names. */
function pick(order: readonly Mutant[], text: string, line: string, operator: Mutant['operator']): number {
  const lines = text.split('\n');
  const i = order.findIndex((m) => m.operator === operator && lines[m.line - 1]!.includes(line));
  assert.ok(i >= 0, `no ${operator} mutant on a line with ${line} in ${FILE}`);
  return i;
}

/**
 * A seed whose sample has both mutants early (ids are places in the file, which changes: they are
 * found, not written down), and the count that draws them (type-incorrect ones before them only
 * make the sample reach further).
 */
function chooseMutants(): { seed: number; count: number; ids: string[] } {
  const text = readFileSync(FILE, 'utf8');
  const all = candidates(FILE, text).filter((c) => OPERATORS.split(',').includes(c.operator));
  let best: { seed: number; count: number; ids: string[] } | undefined;
  for (let seed = 1; seed <= 40; seed++) {
    const order = seededOrder(all, new Map([[FILE, text]]), seed);
    const finished = pick(order, text, "reportFinished: report((_c, event) => ({ state: 'TASK_FINISHED'", 'replace-state');
    const message = pick(order, text, 'r.message === undefined', 'negate-condition');
    const count = Math.max(finished, message) + 1;
    if (!best || count < best.count) best = { seed, count, ids: [order[finished]!.id, order[message]!.id] };
  }
  return best!;
}

test('the suite kills the mutant its scenario sees, misses the one it cannot, and says so in the summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutate-suite-test-'));
  try {
    const config = join(dir, 'one-task.json');
    writeFileSync(config, JSON.stringify(ONE_TASK));
    const suite = join(dir, 'suite');
    writeSuite(suite, generateSuite(ONE_TASK));
    // The suite cut to one scenario (its manifest lists what a run loads).
    const manifestPath = join(suite, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { scenarios: { name: string }[] };
    manifest.scenarios = manifest.scenarios.filter((s) => s.name === 'state-TASK_FINISHED');
    assert.is(manifest.scenarios.length, 1);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const { seed, count, ids } = chooseMutants();
    const copiesBefore = copies();
    const [finished, message] = ids as [string, string];
    let printed = '';
    const exit = await runMutate(
      { seed: String(seed), count: String(count), configs: config, files: FILE, operators: OPERATORS, jobs: '1', reach: false, only: ids.join(','), suite },
      (s) => (printed += s),
    );
    assert.is(exit, 0, printed);
    const lineOf = (id: string) => printed.split('\n').findIndex((l) => l.includes(`] killed       ${id}`));
    for (const id of ids) assert.ok(lineOf(id) >= 0, `the checker kills ${id}:\n${printed}`);
    const lines = printed.split('\n');
    assert.match(lines[lineOf(finished) + 1]!, /^ {10}suite: killed by state-TASK_FINISHED: /);
    assert.match(lines[lineOf(message) + 1]!, /^ {10}suite: survived /);
    assert.match(printed, /^Suite \S+: the suite kills 1 of the 2 mutants the checker killed \(50\.0 %\)$/m);
    assert.match(printed, new RegExp(`^Missed by the suite[^\\n]*\\n${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  \\(checker: `, 'm'));
    for (const n of copies()) assert.ok(copiesBefore.has(n), `left behind ${n}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the outcome of a scenario, the first failure and the diverged are read from the run output', () => {
  const out = [
    '[1/3] state-TASK_FAILED ... PASS (3.9 s)',
    '[2/3] state-TASK_RUNNING ... FAIL (1.2 s)',
    '      fw-0 observed an event the model does not allow while waiting for s8',
    '      expected (s8, fw-0): {}',
    '[3/3] state-TASK_RUNNING-1 ... DIVERGED (1.0 s)',
  ].join('\n');
  assert.equal(firstFailure(out), { scenario: 'state-TASK_RUNNING', reason: 'fw-0 observed an event the model does not allow while waiting for s8' });
  assert.is(outcomeOf(out, 'state-TASK_RUNNING'), 'FAIL');
  assert.is(outcomeOf(out, 'state-TASK_RUNNING-1'), 'DIVERGED');
  assert.is(outcomeOf(out, 'state-TASK_FAILED'), 'PASS');
  assert.is(outcomeOf(out, 'state-TASK_GONE'), 'not run');
  assert.is(firstFailure('[1/1] x ... PASS (1.0 s)'), null);
  assert.equal(divergedIn(out), ['state-TASK_RUNNING-1']);
});

test('a --suite that holds no suite is exit 2, naming the flag, before anything runs', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'mutate-suite-empty-'));
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
  let printed = '';
  try {
    assert.is(await runMutate({ seed: '1', count: '1', configs: 'default', files: FILE, jobs: '1', suite: empty }, (s) => (printed += s)), 2);
    assert.is(await runMutate({ seed: '1', count: '1', configs: 'default', files: FILE, jobs: '1', suite: join(empty, 'nope') }, (s) => (printed += s)), 2);
  } finally {
    process.stderr.write = write;
    rmSync(empty, { recursive: true, force: true });
  }
  assert.match(errors[0]!, /^mesos-ref mutate: --suite: \S+ has no manifest\.json/);
  assert.match(errors[1]!, /^mesos-ref mutate: --suite: \S+ does not exist/);
  assert.is(printed, '', 'nothing ran');
});

test.run();
