/**
 * The coverage hooks' `witness()`: the shortest trace to the state a hook is looking at, so that
 * "the first edge with some feature" comes with a shortest trace taking it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/explore.ts';
import { checkTrace, type Trace } from '../../checker/trace.ts';
import { chain, graphModel } from './toy.ts';

const nodes = (t: Trace): number[] => t.states.map((s) => s[0]!);

test('onTransition: the witness of the first edge into a node is a shortest trace to its source', () => {
  // Two routes to 4: 0-1-2-3-4 and 0-5-3-4 (shorter); edge 3->4 is first generated from 3 at depth 2.
  const model = graphModel({ edges: [...chain(4), { from: 0, to: 5 }, { from: 5, to: 3 }] });
  let found: Trace | null = null;
  let calls = 0;
  explore(model, {
    onTransition: (s, a, out, witness) => {
      calls++;
      if (out[0] === 4 && found === null) {
        const t = witness();
        // The trace ends in the source; extend it by the edge itself.
        found = { states: [...t.states, Int32Array.from(out)], actions: [...t.actions, a] };
        assert.is(t.states[t.states.length - 1]![0], s[0]);
      }
    },
  });
  assert.ok(calls > 0);
  assert.ok(found !== null);
  assert.equal(nodes(found!), [0, 5, 3, 4]);
  assert.is(checkTrace(model, found!), null);
});

test('onState: the witness is the shortest trace to the state just discovered, at its depth', () => {
  const model = graphModel({ edges: [...chain(3), { from: 0, to: 2 }] });
  const seen: { node: number; depth: number; trace: number[] }[] = [];
  explore(model, { onState: (s, depth, witness) => seen.push({ node: s[0]!, depth, trace: nodes(witness()) }) });
  assert.equal(seen, [
    { node: 0, depth: 0, trace: [0] },
    { node: 1, depth: 1, trace: [0, 1] },
    { node: 2, depth: 1, trace: [0, 2] },
    { node: 3, depth: 2, trace: [0, 2, 3] },
  ]);
});

test('hooks that ignore the witness leave the exploration unchanged', () => {
  const model = graphModel({ edges: [...chain(5), { from: 1, to: 4 }] });
  const plain = explore(model);
  let edges = 0;
  const hooked = explore(model, { onTransition: () => edges++, onState: () => {} });
  assert.is(hooked.states, plain.states);
  assert.is(hooked.transitions, plain.transitions);
  assert.is(edges, plain.transitions);
});

test.run();
