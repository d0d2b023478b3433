import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore, type ExploreResult } from '../../checker/explore.ts';
import { twoPhaseCommit } from '../../checker/examples/two-phase-commit.ts';
import { checkTrace } from '../../checker/trace.ts';
import { deafToAbort, eagerTm } from './two-phase-commit-mutants.ts';

/** Verdict name -> status and trace length: what symmetry must not change. */
const summary = (r: ExploreResult): string[] => r.verdicts.map((v) => `${v.name}: ${v.status}${'trace' in v ? ` in ${v.trace.actions.length}` : ''}`);

test('symmetry reduces 2PC to 80 / 314 / 920 orbits for 3 / 5 / 7 RMs', () => {
  assert.is(explore(twoPhaseCommit(3), { symmetry: true }).states, 80);
  assert.is(explore(twoPhaseCommit(5), { symmetry: true }).states, 314);
  assert.is(explore(twoPhaseCommit(7), { symmetry: true }).states, 920);
});

test('symmetry on and off give the same verdicts and the same shortest-trace lengths', () => {
  for (const model of [twoPhaseCommit(3), twoPhaseCommit(5), eagerTm(3), eagerTm(5), deafToAbort(4)]) {
    for (const stopOnViolation of [true, false]) {
      const off = explore(model, { stopOnViolation });
      const on = explore(model, { stopOnViolation, symmetry: true });
      assert.equal(summary(on), summary(off), `${model.name} stopOnViolation=${stopOnViolation}`);
      assert.is(on.outcome, off.outcome);
      assert.is(on.diameter, off.diameter);
      if (off.complete) assert.ok(on.states < off.states);
    }
  }
  // And the mutants do fail (so the comparison above compares failures too).
  assert.is(explore(eagerTm(3), { symmetry: true }).outcome, 'fail');
  assert.is(explore(deafToAbort(4), { symmetry: true }).outcome, 'fail');
});

test('with symmetry, traces are real executions of the model', () => {
  for (const model of [eagerTm(4), deafToAbort(4), twoPhaseCommit(4)]) {
    const r = explore(model, { symmetry: true, stopOnViolation: false });
    let traces = 0;
    for (const v of r.verdicts) {
      if (!('trace' in v)) continue;
      traces++;
      assert.is(checkTrace(model, v.trace), null, `${model.name}: ${v.name}`);
      const p = model.properties.find((q) => q.name === v.name)!;
      const last = v.trace.states[v.trace.states.length - 1]!;
      assert.is(p.holds(last), v.status === 'reachable', `${model.name}: ${v.name} at the end of its trace`);
    }
    assert.ok(traces >= 2);
  }
});

test('canonicalize is invariant under permuting RMs', () => {
  const model = twoPhaseCommit(4);
  const states: Int32Array[] = [];
  explore(model, { onState: (s) => void states.push(Int32Array.from(s)) });
  const canon = new Int32Array(2);
  const other = new Int32Array(2);
  // Swap RMs 0 and 2 in the packed layout.
  const swap = (s: Int32Array): Int32Array => {
    const t = Int32Array.from(s);
    const field = (w: number, shift: number, bits: number): number => (s[w]! >>> shift) & ((1 << bits) - 1);
    const put = (w: number, shift: number, bits: number, v: number): void => {
      t[w] = (t[w]! & ~(((1 << bits) - 1) << shift)) | (v << shift);
    };
    for (const [a, b] of [
      [0, 2],
      [2, 0],
    ] as const) {
      put(0, 2 * a, 2, field(0, 2 * b, 2));
      put(1, 4 + a, 1, field(1, 4 + b, 1));
      put(1, 18 + a, 1, field(1, 18 + b, 1));
    }
    return t;
  };
  let differing = 0;
  for (const s of states) {
    const t = swap(s);
    if (t[0] !== s[0] || t[1] !== s[1]) differing++;
    model.canonicalize!(s, canon);
    model.canonicalize!(t, other);
    assert.equal(Array.from(canon), Array.from(other));
  }
  assert.ok(differing > 100);
});

test.run();
