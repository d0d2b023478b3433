import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { twoPhaseCommit } from '../../checker/examples/two-phase-commit.ts';
import { Rng } from '../../checker/random.ts';
import { formatSimulationResult } from '../../checker/report.ts';
import { replayWalk, simulate } from '../../checker/simulate.ts';
import { checkTrace } from '../../checker/trace.ts';
import { chain, graphModel } from './toy.ts';
import { eagerTm } from './two-phase-commit-mutants.ts';

const sameTrace = (a: { states: Int32Array[]; actions: number[] }, b: { states: Int32Array[]; actions: number[] }): void => {
  assert.equal(a.actions, b.actions);
  assert.equal(
    a.states.map((s) => Array.from(s)),
    b.states.map((s) => Array.from(s)),
  );
};

test('Rng: deterministic per (seed, stream), different across them, in range', () => {
  const take = (r: Rng): number[] => Array.from({ length: 8 }, () => r.next());
  assert.equal(take(new Rng(42, 3)), take(new Rng(42, 3)));
  assert.not.equal(take(new Rng(42, 3)), take(new Rng(42, 4)));
  assert.not.equal(take(new Rng(42, 3)), take(new Rng(43, 3)));
  const r = new Rng(7);
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[r.below(3)]!++;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `roughly uniform: ${counts}`);
});

test('simulation finds the eager TM violation, and its seed and walk replay it exactly', () => {
  const model = eagerTm(5);
  const r = simulate(model, { seed: 2024, walks: 500, maxDepth: 50 });
  assert.is(r.stoppedBy, 'violation');
  assert.is(r.violations.length, 1);
  const v = r.violations[0]!;
  assert.is(v.property, 'consistent');
  assert.is(v.kind, 'always');
  assert.is(v.trace.actions.length, v.depth);
  assert.is(checkTrace(model, v.trace), null);
  assert.not.ok(model.properties[0]!.holds(v.trace.states[v.trace.states.length - 1]!));
  const replay = replayWalk(model, v.replay);
  sameTrace(replay.trace, v.trace);
  assert.is(replay.violation?.property, 'consistent');
  assert.is(replay.violation?.depth, v.depth);
  assert.match(formatSimulationResult(model, r), new RegExp(`walk ${v.walk} \\(seed 2024\\)`));
});

test('the correct protocol: no violation, sometimes properties reached, walks deterministic', () => {
  // 3 RMs: a uniformly random walk commits only if every RM prepares before the TM aborts.
  const model = twoPhaseCommit(3);
  const a = simulate(model, { seed: 9, walks: 500, maxDepth: 60 });
  const b = simulate(model, { seed: 9, walks: 500, maxDepth: 60 });
  assert.is(a.violations.length, 0);
  assert.is(a.stoppedBy, 'walks');
  assert.is(a.walks, 500);
  assert.is(a.steps, b.steps);
  assert.is(a.distinctStates, b.distinctStates);
  assert.ok(a.distinctStates > 100 && a.distinctStates <= 288);
  for (const s of a.sometimes) {
    assert.is(s.status, 'reachable', s.name);
    if (s.status === 'reachable') {
      assert.is(s.trace.actions.length, s.depth);
      assert.ok(model.properties.find((p) => p.name === s.name)!.holds(s.trace.states[s.depth]!));
    }
  }
  assert.match(a.summary, /proves nothing/);
  const c = simulate(model, { seed: 10, walks: 500, maxDepth: 60 });
  assert.ok(c.steps !== a.steps || c.distinctStates !== a.distinctStates);
});

test('every walk replays to the same states (replayWalk is the same walk)', () => {
  const model = twoPhaseCommit(4);
  for (let w = 0; w < 20; w++) {
    const one = replayWalk(model, { seed: 5, walk: w, maxDepth: 30 });
    const two = replayWalk(model, { seed: 5, walk: w, maxDepth: 30 });
    sameTrace(one.trace, two.trace);
    assert.is(checkTrace(model, one.trace), null);
    assert.ok(one.trace.actions.length <= 30);
  }
});

test('symmetry only changes the distinct-state count, not the walks', () => {
  const model = twoPhaseCommit(5);
  const plain = simulate(model, { seed: 3, walks: 200, maxDepth: 40 });
  const sym = simulate(model, { seed: 3, walks: 200, maxDepth: 40, symmetry: true });
  assert.is(sym.steps, plain.steps);
  assert.ok(sym.distinctStates < plain.distinctStates);
});

test('deadlock and eventually in simulation; stopOnViolation false records each property once', () => {
  const model = graphModel({
    edges: [...chain(2), { from: 0, to: 3 }, { from: 0, to: 4 }],
    quiescent: (s) => s === 2 || s === 4,
    properties: [{ kind: 'eventually', name: 'ends at 2', holds: (s) => s[0] === 2 }],
  });
  const r = simulate(model, { seed: 1, walks: 200, stopOnViolation: false });
  assert.is(r.stoppedBy, 'walks');
  const kinds = r.violations.map((v) => v.kind).sort();
  assert.equal(kinds, ['deadlock', 'eventually']);
  for (const v of r.violations) {
    const again = replayWalk(model, v.replay);
    sameTrace(again.trace, v.trace);
    assert.is(again.violation?.property, v.property);
  }
  const dead = r.violations.find((v) => v.kind === 'deadlock')!;
  assert.equal(
    dead.trace.states.map((s) => s[0]),
    [0, 3],
  );
});

test('time bound', () => {
  const r = simulate(twoPhaseCommit(5), { timeMs: 30, maxDepth: 40 });
  assert.is(r.stoppedBy, 'time');
  assert.ok(r.walks > 0);
});

test.run();
