import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore, type ExploreProgress, type Verdict } from '../../checker/explore.ts';
import type { Model } from '../../checker/model.ts';
import { twoPhaseCommit } from '../../checker/examples/two-phase-commit.ts';
import { formatExploreResult } from '../../checker/report.ts';
import { checkTrace } from '../../checker/trace.ts';
import { chain, graphModel } from './toy.ts';

const verdict = (vs: Verdict[], name: string): Verdict => {
  const v = vs.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no verdict ${name}`);
  return v;
};
const steps = (v: Verdict): number => ('trace' in v ? v.trace.actions.length : -1);
const nodes = (v: Verdict): number[] => ('trace' in v ? v.trace.states.map((s) => s[0]!) : []);

test('an unreachable sometimes property is vacuous; a reachable one has a shortest witness', () => {
  const model = graphModel({
    edges: [...chain(3), { from: 0, to: 2 }],
    properties: [
      { kind: 'sometimes', name: 'reaches 5', holds: (s) => s[0] === 5 },
      { kind: 'sometimes', name: 'reaches 3', holds: (s) => s[0] === 3 },
    ],
  });
  const r = explore(model);
  assert.is(r.states, 4);
  assert.ok(r.complete);
  assert.is(verdict(r.verdicts, 'reaches 5').status, 'vacuous');
  assert.is(verdict(r.verdicts, 'reaches 3').status, 'reachable');
  assert.equal(nodes(verdict(r.verdicts, 'reaches 3')), [0, 2, 3]); // via the shortcut
  assert.is(r.outcome, 'fail'); // a vacuous sometimes is a failure
});

test('always: violation stops the search with a shortest trace', () => {
  // Two routes to 9: 0-1-2-3-9 and 0-5-9; BFS must report the short one.
  const model = graphModel({
    edges: [...chain(3), { from: 3, to: 9 }, { from: 0, to: 5 }, { from: 5, to: 9 }, { from: 9, to: 10 }],
    properties: [{ kind: 'always', name: 'not 9', holds: (s) => s[0] !== 9, explain: (s) => `at node ${s[0]}` }],
  });
  const r = explore(model);
  const v = verdict(r.verdicts, 'not 9');
  assert.is(v.status, 'violated');
  assert.equal(nodes(v), [0, 5, 9]);
  assert.is('explanation' in v && v.explanation, 'at node 9');
  assert.is(r.stoppedBy, 'violation');
  assert.not.ok(r.complete);
  assert.is(checkTrace(model, 'trace' in v ? v.trace : { states: [], actions: [] }), null);
  assert.match(formatExploreResult(model, r), /shortest counterexample \(2 steps\)/);
});

test('an initial state that violates always gives a zero-step trace', () => {
  const model = graphModel({ edges: chain(2), properties: [{ kind: 'always', name: 'not 0', holds: (s) => s[0] !== 0 }] });
  const v = verdict(explore(model).verdicts, 'not 0');
  assert.is(v.status, 'violated');
  assert.is(steps(v), 0);
});

test('deadlock: a terminal state the model does not call quiescent', () => {
  // 0 -> 1 -> 2 (fine end) and 0 -> 3 (stuck).
  const edges = [...chain(2), { from: 0, to: 3 }];
  const withDeadlock = explore(graphModel({ edges, quiescent: (s) => s === 2 }));
  const d = verdict(withDeadlock.verdicts, 'deadlock');
  assert.is(d.status, 'violated');
  assert.equal(nodes(d), [0, 3]);
  assert.is(withDeadlock.outcome, 'fail');

  const fine = explore(graphModel({ edges, quiescent: (s) => s === 2 || s === 3 }));
  assert.is(verdict(fine.verdicts, 'deadlock').status, 'none');
  assert.is(fine.outcome, 'pass');
  assert.is(fine.terminal, 2);

  // Without a quiescent predicate every terminal state is quiescent: no deadlock is reported,
  // but terminal and stuck states are still counted.
  const opaque = explore(graphModel({ edges }));
  assert.is(verdict(opaque.verdicts, 'deadlock').status, 'none');
  assert.is(opaque.terminal, 2);
  assert.is(opaque.stuck, 2);
  assert.is(opaque.quiescent, 2);

  const unchecked = explore(graphModel({ edges, quiescent: (s) => s === 2 }), { checkDeadlock: false });
  assert.is(verdict(unchecked.verdicts, 'deadlock').status, 'none');
});

test('eventually: checked at quiescent states only; faults do not count against quiescence', () => {
  // 0 -> 1 -> 2 with a fault 2 -> 0 (a crash that restarts); 0 -> 3 is a dead end.
  const edges = [...chain(2), { from: 2, to: 0, fault: true }, { from: 0, to: 3 }];
  const props = [{ kind: 'eventually' as const, name: 'ends at 2', holds: (s: Int32Array) => s[0] === 2, explain: (s: Int32Array) => `ended at ${s[0]}` }];
  const r = explore(graphModel({ edges, properties: props }));
  const v = verdict(r.verdicts, 'ends at 2');
  assert.is(v.status, 'violated');
  assert.equal(nodes(v), [0, 3]);
  assert.is('explanation' in v && v.explanation, 'ended at 3');

  // Without the dead end: 2 is quiescent (only a fault is enabled) though not terminal.
  const ok = explore(graphModel({ edges: edges.slice(0, 3), properties: props }));
  assert.is(verdict(ok.verdicts, 'ends at 2').status, 'holds');
  assert.is(ok.quiescent, 1);
  assert.is(ok.stuck, 1);
  assert.is(ok.terminal, 0);

  // Counting the fault as an ordinary action, nothing is ever quiescent.
  const noFaults = graphModel({ edges: edges.slice(0, 3), properties: props });
  delete noFaults.isFault;
  const none = explore(noFaults);
  assert.is(none.quiescent, 0);
});

test('stopOnViolation false: the first (shortest) violation of each property, and the search completes', () => {
  const model = graphModel({
    edges: [...chain(4), { from: 0, to: 3 }],
    properties: [
      { kind: 'always', name: 'not 3', holds: (s) => s[0] !== 3 },
      { kind: 'always', name: 'not 4', holds: (s) => s[0] !== 4 },
      { kind: 'always', name: 'not 7', holds: (s) => s[0] !== 7 },
    ],
  });
  const r = explore(model, { stopOnViolation: false });
  assert.ok(r.complete);
  assert.is(r.states, 5);
  assert.equal(nodes(verdict(r.verdicts, 'not 3')), [0, 3]);
  assert.equal(nodes(verdict(r.verdicts, 'not 4')), [0, 3, 4]);
  assert.is(verdict(r.verdicts, 'not 7').status, 'holds');
  assert.is(r.outcome, 'fail');
});

test('maxStates: incomplete, and says it proved nothing beyond', () => {
  const r = explore(twoPhaseCommit(5), { maxStates: 1000 });
  assert.is(r.states, 1000);
  assert.not.ok(r.complete);
  assert.is(r.stoppedBy, 'maxStates');
  assert.is(r.outcome, 'inconclusive');
  assert.is(verdict(r.verdicts, 'consistent').status, 'unrefuted');
  assert.match(r.summary, /proves nothing beyond/);
  // A bound the space fits in exactly is not a stop.
  const exact = explore(twoPhaseCommit(3), { maxStates: 288 });
  assert.ok(exact.complete);
  assert.is(exact.outcome, 'pass');
  assert.is(explore(twoPhaseCommit(3), { maxStates: 287 }).stoppedBy, 'maxStates');
});

test('maxDepth: incomplete when states lie beyond it, complete when none do', () => {
  const full = explore(twoPhaseCommit(3));
  assert.is(full.diameter, 10);
  const cut = explore(twoPhaseCommit(3), { maxDepth: 4 });
  assert.not.ok(cut.complete);
  assert.is(cut.stoppedBy, 'maxDepth');
  assert.is(cut.diameter, 4);
  assert.ok(cut.states < 288);
  assert.is(verdict(cut.verdicts, 'commit reachable').status, 'unreached'); // needs 8 steps
  assert.match(cut.summary, /nothing is proved about them/);
  const atDiameter = explore(twoPhaseCommit(3), { maxDepth: 10 });
  assert.ok(atDiameter.complete);
  assert.is(atDiameter.states, 288);
  assert.is(explore(twoPhaseCommit(3), { maxDepth: 9 }).stoppedBy, 'maxDepth');
  // Depth 0: only the initial state.
  assert.is(explore(twoPhaseCommit(3), { maxDepth: 0 }).states, 1);
});

test('timeout: incomplete', () => {
  const r = explore(twoPhaseCommit(7), { timeoutMs: 0 });
  assert.is(r.stoppedBy, 'timeout');
  assert.not.ok(r.complete);
  assert.ok(r.states < 296_448);
});

test('progress callback and coverage hooks', () => {
  const seen: ExploreProgress[] = [];
  let edges = 0;
  let newStates = 0;
  let maxDepthSeen = 0;
  const r = explore(twoPhaseCommit(5), {
    progressIntervalMs: 0,
    progress: (p) => seen.push(p),
    onTransition: () => edges++,
    onState: (_s, depth) => {
      newStates++;
      maxDepthSeen = Math.max(maxDepthSeen, depth);
    },
  });
  assert.ok(seen.length > 0);
  const last = seen[seen.length - 1]!;
  assert.ok(last.states <= r.states && last.transitions <= r.transitions);
  assert.ok(last.rssBytes > 0 && last.tableBytes > 0);
  assert.is(edges, r.transitions);
  assert.is(newStates, r.states);
  assert.is(maxDepthSeen, r.diameter);
});

test('result figures: bytes per state of the visited set', () => {
  const r = explore(twoPhaseCommit(5));
  assert.is(r.table.bytesPerState, r.table.bytes / r.states);
  assert.is(r.table.bytes, r.table.capacity * 12);
  assert.ok(r.statesPerSecond > 0);
});

test('several initial states: traces start from the right one', () => {
  const model = graphModel({
    initial: [10, 20],
    edges: [
      { from: 10, to: 11 },
      { from: 20, to: 21 },
      { from: 21, to: 22 },
    ],
    properties: [{ kind: 'always', name: 'not 22', holds: (s) => s[0] !== 22 }],
  });
  const r = explore(model);
  assert.equal(nodes(verdict(r.verdicts, 'not 22')), [20, 21, 22]);
  assert.is(explore(graphModel({ initial: [10, 20, 10], edges: [] })).states, 2);
});

test('wide states (odd width, several words): counts and traces', () => {
  // Three counters 0..k and a constant word: (k + 1)^3 states, width 5.
  const k = 9;
  const model: Model = {
    name: 'counters',
    width: 5,
    properties: [{ kind: 'always', name: 'not all at k', holds: (s) => !(s[0] === k && s[1] === k && s[2] === k) }],
    init: (push) => push(Int32Array.of(0, 0, 0, 7, -1)),
    actions: (s, push) => {
      for (let i = 0; i < 3; i++) if (s[i]! < k) push(i);
    },
    next: (s, a, out) => {
      if (s[a]! >= k) return false;
      out[a] = s[a]! + 1;
      return true;
    },
    formatAction: (_s, a) => `inc ${a}`,
  };
  const r = explore(model, { stopOnViolation: false });
  assert.is(r.states, (k + 1) ** 3);
  assert.is(r.diameter, 3 * k);
  const v = verdict(r.verdicts, 'not all at k');
  assert.is(steps(v), 3 * k);
  assert.is(r.transitions, 3 * k * (k + 1) ** 2);
});

test('model errors are reported clearly', () => {
  const bad = graphModel({ edges: chain(1) });
  assert.throws(() => explore(bad, { symmetry: true }), /no canonicalize/);
  const wrongWidth = { ...bad, init: (push: (s: Int32Array) => void) => push(new Int32Array(2)) };
  assert.throws(() => explore(wrongWidth), /width/);
  // A nondeterministic next is caught when a trace is rebuilt.
  let flip = 0;
  const flaky = graphModel({ edges: chain(3), properties: [{ kind: 'always', name: 'not 3', holds: (s) => s[0] !== 3 }] });
  const next = flaky.next;
  flaky.next = (s, a, out) => {
    const ok = next(s, a, out);
    if (ok && flip++ > 2) out[0] = out[0]! + 100;
    return ok;
  };
  assert.throws(() => explore(flaky), /deterministic/);
});

test.run();
