import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore, type Verdict } from '../../checker/explore.ts';
import { checkTrace } from '../../checker/trace.ts';
import { twoPhaseCommit } from '../../checker/examples/two-phase-commit.ts';
import { deafToAbort, eagerTm } from './two-phase-commit-mutants.ts';

// ---------------------------------------------------------------------------------------------
// An independent, deliberately naive TwoPhase: objects, JSON strings in a Set, plain BFS.
// It shares no code with the checker or the packed model.

type RmState = 'working' | 'prepared' | 'committed' | 'aborted';
interface S2 {
  rm: RmState[];
  tm: 'init' | 'committed' | 'aborted';
  tmPrepared: boolean[];
  prepared: boolean[]; // Prepared messages
  commit: boolean;
  abort: boolean;
}

function successors(s: S2, mutant: { commitEarly?: boolean } = {}): S2[] {
  const n = s.rm.length;
  const out: S2[] = [];
  const copy = (): S2 => JSON.parse(JSON.stringify(s)) as S2;
  if (s.tm === 'init' && (mutant.commitEarly || s.tmPrepared.every(Boolean))) {
    const t = copy();
    t.tm = 'committed';
    t.commit = true;
    out.push(t);
  }
  if (s.tm === 'init') {
    const t = copy();
    t.tm = 'aborted';
    t.abort = true;
    out.push(t);
  }
  for (let r = 0; r < n; r++) {
    if (s.tm === 'init' && s.prepared[r]) {
      const t = copy();
      t.tmPrepared[r] = true;
      out.push(t);
    }
    if (s.rm[r] === 'working') {
      const t = copy();
      t.rm[r] = 'prepared';
      t.prepared[r] = true;
      out.push(t);
      const u = copy();
      u.rm[r] = 'aborted';
      out.push(u);
    }
    if (s.commit) {
      const t = copy();
      t.rm[r] = 'committed';
      out.push(t);
    }
    if (s.abort) {
      const t = copy();
      t.rm[r] = 'aborted';
      out.push(t);
    }
  }
  return out;
}

function naiveBfs(n: number, options: { commitEarly?: boolean; symmetric?: boolean } = {}) {
  const key = (s: S2): string => {
    if (!options.symmetric) return JSON.stringify(s);
    const rms = s.rm.map((st, r) => `${st}/${s.tmPrepared[r]}/${s.prepared[r]}`).sort();
    return JSON.stringify([rms, s.tm, s.commit, s.abort]);
  };
  const init: S2 = {
    rm: Array<RmState>(n).fill('working'),
    tm: 'init',
    tmPrepared: Array<boolean>(n).fill(false),
    prepared: Array<boolean>(n).fill(false),
    commit: false,
    abort: false,
  };
  const seen = new Set([key(init)]);
  let level = [init];
  let depth = 0;
  let firstInconsistent = -1;
  while (level.length > 0) {
    for (const s of level) {
      if (firstInconsistent < 0 && s.rm.includes('committed') && s.rm.includes('aborted')) firstInconsistent = depth;
    }
    const next: S2[] = [];
    for (const s of level) {
      for (const t of successors(s, options)) {
        const k = key(t);
        if (!seen.has(k)) {
          seen.add(k);
          next.push(t);
        }
      }
    }
    level = next;
    depth++;
  }
  return { states: seen.size, firstInconsistent };
}

// ---------------------------------------------------------------------------------------------

const status = (vs: Verdict[], name: string): string => vs.find((v) => v.name === name)!.status;

test('reachable states: 3 RMs -> 288, 5 -> 8,832, 7 -> 296,448', () => {
  for (const [n, count] of [
    [3, 288],
    [5, 8_832],
    [7, 296_448],
  ] as const) {
    const r = explore(twoPhaseCommit(n));
    assert.is(r.states, count, `${n} RMs`);
    assert.ok(r.complete);
    assert.is(r.outcome, 'pass');
  }
});

test('the naive BFS agrees on 3 and 4 RMs, with and without symmetry', () => {
  for (const n of [3, 4]) {
    assert.is(explore(twoPhaseCommit(n)).states, naiveBfs(n).states, `${n} RMs`);
    assert.is(explore(twoPhaseCommit(n), { symmetry: true }).states, naiveBfs(n, { symmetric: true }).states, `${n} RMs, symmetric`);
  }
  assert.is(naiveBfs(3).states, 288);
});

test('verdicts of the correct protocol', () => {
  const r = explore(twoPhaseCommit(3));
  assert.is(status(r.verdicts, 'consistent'), 'holds');
  assert.is(status(r.verdicts, 'commit reachable'), 'reachable');
  assert.is(status(r.verdicts, 'abort reachable'), 'reachable');
  assert.is(status(r.verdicts, 'all decided'), 'holds');
  assert.is(status(r.verdicts, 'deadlock'), 'none');
  // No faults and no stuttering actions: the quiescent states are the terminal ones.
  assert.ok(r.quiescent > 0);
  assert.is(r.quiescent, r.terminal);
  // Shortest commit: each RM prepares, the TM receives each Prepared, commits, one RM receives.
  const commit = r.verdicts.find((v) => v.name === 'commit reachable')!;
  assert.ok('trace' in commit);
  if ('trace' in commit) {
    assert.is(commit.trace.actions.length, 3 + 3 + 1 + 1);
    assert.is(checkTrace(twoPhaseCommit(3), commit.trace), null);
  }
});

test('an eager TM breaks consistency; the counterexample is a shortest one', () => {
  for (const n of [3, 4]) {
    const mutant = eagerTm(n);
    const r = explore(mutant);
    const v = r.verdicts.find((x) => x.name === 'consistent')!;
    assert.is(v.status, 'violated');
    assert.is(r.outcome, 'fail');
    assert.is(r.stoppedBy, 'violation');
    assert.not.ok(r.complete);
    const expected = naiveBfs(n, { commitEarly: true }).firstInconsistent;
    assert.is(expected, 3);
    if (v.status === 'violated') {
      assert.is(v.trace.actions.length, expected);
      assert.is(checkTrace(mutant, v.trace), null);
      const last = v.trace.states[v.trace.states.length - 1]!;
      assert.not.ok(mutant.properties[0]!.holds(last));
      assert.match(v.explanation ?? '', /committed while RMs .* aborted/);
    }
  }
});

test('RMs deaf to Abort: "all decided" fails at a quiescent state, shortest trace', () => {
  const mutant = deafToAbort(3);
  const r = explore(mutant);
  const v = r.verdicts.find((x) => x.name === 'all decided')!;
  assert.is(v.status, 'violated');
  if (v.status === 'violated') {
    // A quiescent state needs the TM decided (TMAbort is enabled while it is in init) and no RM
    // working (a working RM can prepare): at least n + 1 steps. n + 1 suffice: one RM prepares,
    // the others choose to abort, the TM aborts; the prepared RM never learns it.
    assert.is(v.trace.actions.length, 3 + 1);
    assert.is(checkTrace(mutant, v.trace), null);
    assert.match(v.explanation ?? '', /quiescent with TM aborted/);
  }
  // The run stopped at the violation: consistency was not refuted, and not proved either.
  assert.is(status(r.verdicts, 'consistent'), 'unrefuted');
  assert.is(r.stoppedBy, 'violation');
});

test('with stopOnViolation off the correct model passes and the mutant fails', () => {
  // Guards against a mutant helper that accidentally does nothing.
  const base = explore(twoPhaseCommit(3), { stopOnViolation: false });
  const deaf = explore(deafToAbort(3), { stopOnViolation: false });
  assert.is(base.outcome, 'pass');
  assert.is(deaf.outcome, 'fail');
  assert.ok(deaf.states < base.states);
});

test.run();
