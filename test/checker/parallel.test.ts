/**
 * Parallel workers (checker/parallel.ts): the same distinct-state counts and verdicts as one
 * worker, on models with closed-form or TLC-checked counts, and a seeded bug found with a
 * shortest counterexample. Two workers each time (the machine has two cores).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore, type ExploreResult } from '../../checker/explore.ts';
import { exploreParallel, type ModelSource } from '../../checker/parallel.ts';
import { checkTrace } from '../../checker/trace.ts';
import { mesosLiteModel } from '../../checker/examples/mesos-lite/model.ts';
import { eagerTm } from './two-phase-commit-mutants.ts';

const here = (path: string) => new URL(path, import.meta.url).href;
const twoPc = (n: number): ModelSource => ({ module: here('../../checker/examples/two-phase-commit.ts'), export: 'twoPhaseCommit', args: [n] });
const lite = (A: number, F: number, T: number): ModelSource => ({ module: here('../../checker/examples/mesos-lite/model.ts'), export: 'mesosLiteModel', args: [{ A, F, T }] });
const verdicts = (r: ExploreResult) => r.verdicts.map((v) => `${v.name}:${v.status}`);

test('two-phase commit: 5 RMs -> 8,832 and 6 RMs -> 50,816 states with two workers, as with one', async () => {
  for (const [n, count] of [
    [5, 8_832],
    [6, 50_816],
  ] as const) {
    const r = await exploreParallel(twoPc(n), { workers: 2 });
    assert.is(r.states, count, `${n} RMs`);
    assert.ok(r.complete);
    assert.is(r.outcome, 'pass');
    const one = explore((await import('../../checker/examples/two-phase-commit.ts')).twoPhaseCommit(n));
    assert.is(r.transitions, one.transitions);
    assert.is(r.diameter, one.diameter);
    assert.equal(verdicts(r), verdicts(one));
  }
});

test("MesosLite: TLC's counts (1,1,1 -> 2,951; 2,1,1 -> 10,877) with two workers sharing the interned machine states", async () => {
  for (const [A, F, T, count] of [
    [1, 1, 1, 2_951],
    [2, 1, 1, 10_877],
  ] as const) {
    const r = await exploreParallel(lite(A, F, T), { workers: 2 });
    assert.is(r.states, count, `${A},${F},${T}`);
    const one = explore(mesosLiteModel({ A, F, T }));
    assert.is(r.transitions, one.transitions);
    assert.is(r.quiescent, one.quiescent);
    assert.is(r.terminal, one.terminal);
    assert.equal(verdicts(r), verdicts(one));
  }
});

test('a seeded bug (an eager TM) is found by two workers with a shortest counterexample', async () => {
  const n = 4;
  const r = await exploreParallel({ module: here('./two-phase-commit-mutants.ts'), export: 'eagerTm', args: [n] }, { workers: 2 });
  const v = r.verdicts.find((x) => x.name === 'consistent')!;
  assert.is(v.status, 'violated');
  assert.is(r.stoppedBy, 'violation');
  const one = explore(eagerTm(n)).verdicts.find((x) => x.name === 'consistent')!;
  if (v.status === 'violated' && one.status === 'violated') {
    assert.is(v.trace.actions.length, one.trace.actions.length);
    assert.is(checkTrace(eagerTm(n), v.trace), null);
  }
});

test('bounds: maxDepth makes the run incomplete with the same states as one worker', async () => {
  const r = await exploreParallel(twoPc(5), { workers: 2, maxDepth: 6 });
  const one = explore((await import('../../checker/examples/two-phase-commit.ts')).twoPhaseCommit(5), { maxDepth: 6 });
  assert.is(r.stoppedBy, one.stoppedBy);
  assert.is(r.states, one.states);
  assert.is(r.outcome, 'inconclusive');
});

test.run();
