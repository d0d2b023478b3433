/**
 * `mesos-ref mutate` on three mutants of a small configuration: every mutant is judged killed
 * or survived, the working tree is untouched and no temporary copy is left behind. The
 * operators are checked on a snippet: each finds its mutation, and a seed always draws the same.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { candidates, seededOrder, apply, OPERATORS } from '../../cli/mutate/operators.ts';
import { REACHED_GLOBAL, withProbes } from '../../cli/mutate/probes.ts';
import { runMutate, type MutantResult } from '../../cli/mutate.ts';
import { ONE_TASK } from '../../model/small-worlds.ts';

const SNIPPET = `
export function f(c: { n: number; state: string }): string {
  if (c.n < 3) {
    c.n = c.n + 1;
  }
  const s = c.n === 2 ? 'TASK_FINISHED' : 'TASK_FAILED';
  return s === 'REASON_AGENT_RESTARTED' ? 'SOURCE_AGENT' : s;
}
`;

test('every operator finds its mutation in a snippet, and a seed draws the same mutants', () => {
  const found = candidates('x.ts', SNIPPET);
  for (const op of OPERATORS)
    assert.ok(
      found.some((c) => c.operator === op),
      `no ${op} candidate`,
    );
  const texts = new Map([['x.ts', SNIPPET]]);
  const a = seededOrder(found, texts, 42).map((m) => apply(SNIPPET, m));
  const b = seededOrder(found, texts, 42).map((m) => apply(SNIPPET, m));
  assert.equal(a, b);
  assert.not.equal(
    a,
    seededOrder(found, texts, 43).map((m) => apply(SNIPPET, m)),
  );
  for (const text of a) assert.is.not(text, SNIPPET);
});

/** The snippet's `f`, compiled and loaded. */
function load(source: string): (c: { n: number; state: string }) => string {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', js)(module, module.exports);
  return module.exports.f as (c: { n: number; state: string }) => string;
}

test("the reach pass's probes keep every value and fire exactly where the code runs", () => {
  const mutants = seededOrder(candidates('x.ts', SNIPPET), new Map([['x.ts', SNIPPET]]), 1);
  const probed = withProbes(
    'x.ts',
    SNIPPET,
    mutants.map((mutant, index) => ({ mutant, index })),
  );
  const reached = new Set<number>();
  (globalThis as Record<string, unknown>)[REACHED_GLOBAL] = reached;
  try {
    const [plain, withProbe] = [load(SNIPPET), load(probed)];
    for (const n of [0, 1, 2, 5]) assert.is(withProbe({ n, state: 'x' }), plain({ n, state: 'x' }));
    // With n = 5 the if's body, the ternary's TASK_FINISHED and SOURCE_AGENT are never evaluated.
    reached.clear();
    withProbe({ n: 5, state: 'x' });
    const skipped = [
      [SNIPPET.indexOf('c.n = c.n + 1'), SNIPPET.indexOf('c.n = c.n + 1') + 'c.n = c.n + 1;'.length],
      [SNIPPET.indexOf("'TASK_FINISHED'"), SNIPPET.indexOf("'TASK_FINISHED'") + 15],
      [SNIPPET.indexOf("'SOURCE_AGENT'"), SNIPPET.indexOf("'SOURCE_AGENT'") + 14],
    ];
    mutants.forEach((m, i) => {
      const inSkipped = skipped.some(([a, b]) => m.start >= a! && m.end <= b!);
      assert.is(reached.has(i), !inSkipped, `${m.id} (${m.original} -> ${m.replacement}): reached ${reached.has(i)}`);
    });
  } finally {
    delete (globalThis as Record<string, unknown>)[REACHED_GLOBAL];
  }
});

const treeHash = (dir: string) => {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
};

const sandboxes = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('mesos-ref-mutate-')));

test('mutate runs three mutants in a temporary copy and reports each, with the score', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutate-test-'));
  try {
    const config = join(dir, 'tiny.json');
    writeFileSync(config, JSON.stringify(ONE_TASK));
    const before = treeHash('spec/machines');
    // One file keeps the typechecking program small: the command's own default is all of spec/machines.
    const boxesBefore = sandboxes();
    let printed = '';
    const exit = await runMutate(
      { seed: '3', count: '3', configs: config, files: 'spec/machines/executor.ts', operators: 'replace-state,negate-condition,swap-comparison', jobs: '1', json: true },
      (s) => (printed += s),
    );
    assert.is(exit, 0);
    const report = JSON.parse(printed) as { killed: number; survived: number; inconclusive: number; score: number; results: MutantResult[] };
    assert.is(report.results.length, 3);
    assert.is(report.killed + report.survived + report.inconclusive, 3);
    for (const r of report.results) {
      assert.ok(['killed', 'survived'].includes(r.status), `${r.mutant.id}: ${r.status}`);
      assert.ok(r.diff.includes('\n- ') && r.diff.includes('\n+ '), 'a diff of the changed line');
      if (r.status === 'killed') assert.ok(r.by && (r.by.properties.length > 0 || r.by.crash), 'a killed mutant says what killed it');
    }
    assert.is(report.score, report.killed / (report.killed + report.survived));
    assert.is(treeHash('spec/machines'), before, 'the working tree was modified');
    for (const n of sandboxes()) assert.ok(boxesBefore.has(n), `left behind ${n}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mutate refuses an unknown configuration and an unknown operator, naming the flag', async () => {
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
  try {
    assert.is(await runMutate({ seed: '1', count: '1', configs: 'no-such-config', files: 'spec/machines', jobs: '1' }, () => {}), 2);
    assert.is(await runMutate({ seed: '1', count: '1', configs: 'default', files: 'spec/machines', operators: 'nonsense', jobs: '1' }, () => {}), 2);
    assert.is(await runMutate({ seed: '1', count: '1', configs: 'default', files: 'spec/machines/master/tx.ts', only: 'no-such-mutant', jobs: '1' }, () => {}), 2);
  } finally {
    process.stderr.write = write;
  }
  assert.match(errors[0]!, /--configs: 'no-such-config'/);
  assert.match(errors[1]!, /--operators: unknown nonsense/);
  assert.match(errors[2]!, /--only: no-such-mutant is not in the sample of seed 1 and count 1/);
});

test('the built command finds the sources of the checkout it runs from (not the bundle directory)', () => {
  const root = join(import.meta.dirname, '..', '..');
  const r = spawnSync(process.execPath, [join(root, 'bin', 'mesos-ref.mjs'), 'mutate', '--count', '1', '--list'], { encoding: 'utf8', cwd: tmpdir() });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^--- spec\/machines\/\S+\.ts:\d+$/m);
});

test.run();
