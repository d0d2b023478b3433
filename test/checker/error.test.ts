/**
 * A step that throws is a finding (the `error` verdict), not a crash: its trace is the shortest
 * path to the state whose step threw, and the explanation names the action and the message.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { graphModel } from './toy.ts';

/** 0 -> 1 -> 2 -> 3, and the step out of 2 throws. */
function throwingAt2() {
  const model = graphModel({
    edges: [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
    ],
  });
  const next = model.next.bind(model);
  model.next = (s, a, out) => {
    if (s[0] === 2) throw new Error('the machine has no answer here');
    return next(s, a, out);
  };
  return model;
}

test('a throwing step is the error verdict, with the shortest trace to the state it came from', () => {
  const r = explore(throwingAt2());
  const v = r.verdicts.find((x) => x.kind === 'error')!;
  assert.is(v.status, 'violated');
  if (v.status !== 'violated') return;
  assert.equal(
    v.trace.states.map((s) => s[0]),
    [0, 1, 2],
  );
  assert.match(v.explanation, '2->3 threw: the machine has no answer here');
});

test('a model whose steps never throw has the error verdict none', () => {
  const r = explore(
    graphModel({
      edges: [
        { from: 0, to: 1 },
        { from: 1, to: 2 },
      ],
    }),
  );
  assert.is(r.verdicts.find((x) => x.kind === 'error')!.status, 'none');
});

test.run();
