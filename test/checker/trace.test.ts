import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/explore.ts';
import { fingerprint } from '../../checker/fingerprint.ts';
import { A_TM_COMMIT } from '../../checker/examples/two-phase-commit.ts';
import { checkTrace, formatTrace, traceToJson } from '../../checker/trace.ts';
import { graphModel } from './toy.ts';
import { eagerTm } from './two-phase-commit-mutants.ts';

test('formatTrace and traceToJson', () => {
  const model = eagerTm(3);
  const v = explore(model).verdicts.find((x) => x.name === 'consistent')!;
  if (!('trace' in v)) throw new Error('expected a trace');
  const text = formatTrace(model, v.trace);
  const lines = text.split('\n');
  assert.is(lines.length, 3);
  assert.match(lines[0]!, /^1\. /);
  assert.ok(text.includes('TMCommit'));
  const withStates = formatTrace(model, v.trace, { states: true });
  assert.match(withStates, /initial .*"tm":"init"/);
  const json = traceToJson(model, v.trace);
  assert.is(json.steps, 3);
  assert.is(json.transitions.length, 3);
  assert.equal(json.initial, { rm: ['working', 'working', 'working'], tm: 'init', tmPrepared: [], msgs: [] });
  const last = json.transitions[2]!;
  assert.is(last.step, 3);
  assert.is(last.label, model.formatAction(v.trace.states[2]!, v.trace.actions[2]!));
  assert.ok((last.state as { rm: string[] }).rm.includes('committed'));
  assert.ok((last.state as { rm: string[] }).rm.includes('aborted'));
  JSON.stringify(json); // serialisable
  assert.is(formatTrace(model, { states: [new Int32Array(2)], actions: [] }), '(an initial state)');
});

test('checkTrace rejects a trace that is not an execution', () => {
  const model = eagerTm(3);
  const v = explore(model).verdicts.find((x) => x.name === 'consistent')!;
  if (!('trace' in v)) throw new Error('expected a trace');
  assert.is(checkTrace(model, v.trace), null);
  const forged = { states: v.trace.states.map((s) => Int32Array.from(s)), actions: [...v.trace.actions] };
  forged.states[2]![0] = forged.states[2]![0]! ^ 1;
  assert.match(checkTrace(model, forged) ?? '', /step 2/);
  const wrongAction = { states: v.trace.states, actions: [A_TM_COMMIT + 1000, ...v.trace.actions.slice(1)] };
  assert.match(checkTrace(model, wrongAction) ?? '', /step 1/);
});

test('trace rebuild resolves parent links shared by two states (same high fingerprint half)', () => {
  // Find two one-word states whose fingerprints share the high half (a birthday search).
  const out = new Int32Array(2);
  const byHi = new Map<number, number>();
  let pair: [number, number] | null = null;
  for (let i = 1; pair === null && i < 3_000_000; i++) {
    fingerprint(Int32Array.of(i), 0, 1, out);
    const other = byHi.get(out[1]!);
    if (other !== undefined) pair = [other, i];
    else byHi.set(out[1]!, i);
  }
  if (pair === null) throw new Error('no collision found');
  const [a, b] = pair;
  const target = -7;
  // 0 -> b is listed first, so b is stored first; only a leads on to the target. Both a and b
  // are at depth 1, so the target's parent link names both.
  for (const first of [b, a]) {
    const second = first === a ? b : a;
    const model = graphModel({
      edges: [
        { from: 0, to: first },
        { from: 0, to: second },
        { from: b, to: 5 },
        { from: a, to: target },
      ],
      properties: [{ kind: 'always', name: 'not target', holds: (s) => s[0] !== target }],
    });
    const v = explore(model).verdicts[0]!;
    assert.is(v.status, 'violated');
    if ('trace' in v)
      assert.equal(
        v.trace.states.map((s) => s[0]),
        [0, a, target],
      );
  }
  // A deeper false candidate: b at depth 2 (via 9), a at depth 1; the target hangs off a.
  const model = graphModel({
    edges: [
      { from: 0, to: 9 },
      { from: 9, to: b },
      { from: 0, to: a },
      { from: a, to: 3 },
      { from: 3, to: target },
      { from: b, to: 4 },
    ],
    properties: [{ kind: 'always', name: 'not target', holds: (s) => s[0] !== target }],
  });
  const v = explore(model).verdicts[0]!;
  if ('trace' in v)
    assert.equal(
      v.trace.states.map((s) => s[0]),
      [0, a, 3, target],
    );
  else assert.unreachable('expected a violation');
});

test.run();
