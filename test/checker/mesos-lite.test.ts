/**
 * MesosLite (../shared/anchors) through the checker: exact state counts against TLC, every
 * property holding, and mutants of the master (made with `master.provide`) caught with shortest
 * counterexamples.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assign } from 'xstate';
import { explore, type ExploreResult, type Verdict } from '../../checker/explore.ts';
import { checkTrace } from '../../checker/trace.ts';
import { LAUNCHED, master, terminal, type AgentContext, type FrameworkContext, type MasterContext } from '../../checker/examples/mesos-lite/machines.ts';
import { mesosLiteModel } from '../../checker/examples/mesos-lite/model.ts';
import { mesosLiteInvariants } from '../../checker/examples/mesos-lite/system.ts';

const verdict = (r: ExploreResult, name: string): Verdict => {
  const v = r.verdicts.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no verdict ${name}`);
  return v;
};
const steps = (v: Verdict): number => ('trace' in v ? v.trace.actions.length : -1);

// TLC's distinct states (anchors README, CPUS=2, QSZ=2, MAXCRASH=1, RETX=0).
const TLC: Array<[A: number, F: number, T: number, states: number]> = [
  [1, 1, 1, 2_951],
  [2, 1, 1, 10_877],
  [3, 1, 1, 28_948],
  [1, 1, 2, 786_579],
];

for (const [A, F, T, states] of TLC) {
  test(`A,F,T=${A},${F},${T}: exactly TLC's ${states.toLocaleString('en-US')} states; every property holds, no deadlock`, () => {
    const r = explore(mesosLiteModel({ A, F, T }));
    assert.is(r.states, states);
    assert.ok(r.complete);
    assert.is(r.outcome, 'pass', r.summary);
    for (const name of ['NoOverAllocation', 'AgentCapacity', 'NoResurrection', 'EndOK']) assert.is(verdict(r, name).status, 'holds', name);
    assert.is(verdict(r, 'deadlock').status, 'none');
    // Quiescent states exist (EndOK is not checked vacuously).
    assert.ok(r.quiescent > 0);
  });
}

test('the memoised properties agree with plain evaluations on every state of A,F,T=2,1,1', () => {
  const model = mesosLiteModel({ A: 2, F: 1, T: 1 });
  const sys = model.system;
  const p = model.params;
  const plain = mesosLiteInvariants(sys, p);
  const endOK = (s: Int32Array): boolean => {
    const m = sys.localOf(s, 'master')!.context as MasterContext;
    const agents = Array.from({ length: p.A }, (_, a) => sys.localOf(s, `agent-${a}`)!.context as AgentContext);
    const fws = Array.from({ length: p.F }, (_, f) => sys.localOf(s, `fw-${f}`)!.context as FrameworkContext);
    for (let t = 0; t < p.F * p.T; t++) {
      if (!terminal(m.mstate[t]!) || m.mpend[t] !== 0) return false;
      if (agents.some((c) => c.on[t] !== 0)) return false;
      if (fws[Math.floor(t / p.T)]!.fst[t % p.T] !== m.mstate[t]) return false;
    }
    return m.alloc.every((x) => x === 0) && m.offered.every((x) => x === 0);
  };
  const byName = new Map(model.properties.map((q) => [q.name, q]));
  let checked = 0;
  let ends = 0;
  explore(model, {
    onState: (s) => {
      checked++;
      for (const [name, f] of Object.entries(plain)) assert.is(byName.get(name)!.holds(s), f(s), name);
      const e = endOK(s);
      if (e) ends++;
      assert.is(byName.get('EndOK')!.holds(s), e, 'EndOK');
    },
  });
  assert.is(checked, 10_877);
  assert.ok(ends > 0);
});

// ---------------------------------------------------------------------------------- mutants

const set = (xs: readonly number[], i: number, v: number): number[] => xs.map((x, j) => (j === i ? v : x));
const indexOf = (address: string): number => Number(address.slice(address.lastIndexOf('-') + 1));
interface Delivered {
  from: string;
  x: number;
  y: number;
  z: number;
}

test('mutant: the master forgets to release cpus on a terminal update -> EndOK fails, 15 steps', () => {
  const forgetful = master.provide({
    actions: {
      applyUpdate: assign(({ context: c, event }) => {
        const e = event as unknown as Delivered;
        const a = indexOf(e.from);
        const apply = c.tagent[e.x] === a + 1 && !terminal(c.mstate[e.x]!) && e.y > c.mstate[e.x]!;
        return apply ? { mstate: set(c.mstate, e.x, e.y) } : {}; // alloc stays
      }),
    },
  });
  const model = mesosLiteModel({ A: 1, F: 1, T: 1 }, { master: forgetful });
  const r = explore(model, { stopOnViolation: false });
  assert.is(r.outcome, 'fail');
  const v = verdict(r, 'EndOK');
  assert.is(v.status, 'violated');
  // Offer, accept, RUN, the task ends, RUNNING and then FINISHED each go agent -> master ->
  // framework -> master -> agent: 15 steps, and the cpu is still allocated.
  assert.is(steps(v), 15);
  assert.ok('trace' in v && checkTrace(model, v.trace) === null);
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /alloc \[1\]/);
  for (const name of ['NoOverAllocation', 'AgentCapacity', 'NoResurrection']) assert.is(verdict(r, name).status, 'holds', name);
});

test('mutant: the master launches on a rescinded offer -> NoOverAllocation fails in 6 steps, EndOK in 5', () => {
  // On an ACCEPT whose offer was rescinded (the agent re-registered meanwhile), allocate as if it
  // were valid instead of answering TASK_LOST.
  const stale = master.provide({
    actions: {
      launchLost: assign(({ context: c, event }) => {
        const e = event as unknown as Delivered;
        const f = indexOf(e.from);
        return {
          accepted: set(c.accepted, f, c.accepted[f]! + 1),
          alloc: set(c.alloc, e.x, c.alloc[e.x]! + 1),
          mstate: set(c.mstate, e.y, LAUNCHED),
          tagent: set(c.tagent, e.y, e.x + 1),
        };
      }),
    },
  });
  const model = mesosLiteModel({ A: 1, F: 1, T: 1 }, { master: stale });
  const r = explore(model, { stopOnViolation: false });
  const over = verdict(r, 'NoOverAllocation');
  assert.is(over.status, 'violated');
  // offer, deliver it (accept), crash, REREG (rescinds), offer again, the stale ACCEPT arrives.
  assert.is(steps(over), 6);
  assert.ok('trace' in over && checkTrace(model, over.trace) === null);
  const labels = 'trace' in over ? over.trace.actions.map((a, i) => model.formatAction(over.trace.states[i]!, a)) : [];
  assert.ok(
    labels.some((l) => /crash/.test(l)),
    labels.join('\n'),
  );
  // Without the second offer the launched task never runs: stuck, not EndOK.
  assert.is(steps(verdict(r, 'EndOK')), 5);
  // With the default stopOnViolation the run stops at a first violation.
  const first = explore(model);
  assert.is(first.stoppedBy, 'violation');
});

test.run();
