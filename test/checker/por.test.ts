/**
 * Partial-order reduction (checker/explore.ts `por`, spec/world/partial-order.ts) on small worlds
 * where it reduces, with the seeded bugs that show each condition is needed: a visibility that
 * calls every step invisible misses a violation, and so does a search without the cycle proviso.
 * On MesosLite and the Mesos configurations the verdicts with and without reduction are the same.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assign, emit, setup, type AnyEventObject } from 'xstate';
import { explore, type ExploreOptions } from '../../checker/explore.ts';
import type { Model } from '../../checker/model.ts';
import { mesosLiteModel } from '../../checker/examples/mesos-lite/model.ts';
import { asModel } from '../../spec/world/as-model.ts';
import { System, type SystemDef, type Visibility } from '../../spec/world/system.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { configs } from '../../model/configs.ts';

type Ev = AnyEventObject & Record<string, unknown>;
const send = (to: string, msg: Ev) => ({ type: 'send' as const, to, msg });

/** Counts the TICKs it is given (up to 2). */
const worker = setup({ types: {} as { context: { n: number }; events: Ev; emitted: Ev } }).createMachine({
  id: 'porWorker',
  context: { n: 0 },
  on: { TICK: { actions: assign(({ context }) => ({ n: Math.min(context.n + 1, 2) })) } },
});

/** Bounces a PING to itself forever (the first one from its entry): always enabled, never changing anything. */
const echo = setup({
  types: {} as { context: object; events: Ev; emitted: Ev },
  actions: { bounce: emit(() => send('echo', { type: 'PING' })) },
}).createMachine({ id: 'porEcho', context: {}, entry: 'bounce', on: { PING: { actions: 'bounce' } } });

/** The hub: sends `ticks` TICKs to each target when it starts, then does nothing. */
const hub = (targets: string[], ticks: number) =>
  setup({ types: {} as { context: object; events: Ev; emitted: Ev } }).createMachine({
    id: `porHub-${targets.length}-${ticks}`,
    context: {},
    entry: targets.flatMap((t) => Array.from({ length: ticks }, () => emit(() => send(t, { type: 'TICK' })))),
  });

function world(workers: number, ticks: number, withEcho: boolean): System {
  const names = Array.from({ length: workers }, (_, i) => `w-${i}`);
  const def: SystemDef = {
    components: [
      { name: 'hub', machine: hub(names, ticks), running: true, permanent: true },
      ...(withEcho ? [{ name: 'echo', machine: echo, running: true, permanent: true }] : []),
      ...names.map((name) => ({ name, machine: worker, running: true, permanent: true })),
    ],
    channels: [
      ...(withEcho ? [{ from: 'echo', to: 'echo', kind: 'fifo' as const, bound: 1 }] : []),
      ...names.map((to) => ({ from: 'hub', to, kind: 'fifo' as const, bound: ticks })),
    ],
    timing: 'eager',
  };
  return new System(def);
}

/** The world as a Model; `bad` (over the workers' counts) is an always-property reading the workers in `reads`. */
function modelOf(sys: System, bad: (n: number[]) => boolean, reads: string[], visibility?: Visibility): Model {
  const workers = sys.components.filter((c) => c.name.startsWith('w-')).map((c) => sys.comp(c.name));
  const counts = (s: Int32Array) => workers.map((w) => (sys.locals[s[w]!]!.context as { n: number }).n);
  const read = new Set(reads.map((r) => sys.comp(r)));
  const vis: Visibility = visibility ?? { channel: () => false, sameLocal: (comp) => !read.has(comp) };
  return {
    name: 'por-toy',
    ...asModel(sys, vis),
    properties: [{ kind: 'always', name: 'good', holds: (s) => !bad(counts(s)) }],
  };
}

const run = (m: Model, o: ExploreOptions = {}) => explore(m, o);

test('independent workers: the reduced search visits a path, not the product, and keeps the verdict and the quiescent states', () => {
  const full = run(modelOf(world(4, 2, false), () => false, []));
  const reduced = run(
    modelOf(world(4, 2, false), () => false, []),
    { por: true },
  );
  // 3^4 combinations of counts; one interleaving of the eight deliveries.
  assert.is(full.states, 81);
  assert.is(reduced.states, 9);
  assert.ok(reduced.reduced > 0);
  assert.is(reduced.outcome, 'pass');
  assert.is(reduced.quiescent, full.quiescent);
});

test('a property that reads two workers keeps their interleavings: the violation is found, by a real trace (not always a shortest one)', () => {
  // Bad: w-1 went first. Only an order of the two deliveries shows it.
  const bad = (n: number[]) => n[0] === 0 && n[1] === 1;
  const full = run(modelOf(world(3, 1, false), bad, ['w-0', 'w-1']));
  const reduced = run(modelOf(world(3, 1, false), bad, ['w-0', 'w-1']), { por: true });
  assert.is(full.outcome, 'fail');
  assert.is(reduced.outcome, 'fail');
  const len = (r: typeof full) => (r.verdicts[0]!.status === 'violated' ? r.verdicts[0]!.trace.actions.length : -1);
  // The reduced search delivers to w-2 (invisible) first: one step longer than the shortest.
  assert.is(len(full), 1);
  assert.is(len(reduced), 2);
  // Explored to the end, the invisible w-2 is delivered first and once: 5 states of the 8.
  const all = { stopOnViolation: false };
  assert.is(run(modelOf(world(3, 1, false), bad, ['w-0', 'w-1']), all).states, 8);
  assert.is(run(modelOf(world(3, 1, false), bad, ['w-0', 'w-1']), { ...all, por: true }).states, 5);
});

test('seeded bug: a visibility that calls every step invisible misses that violation', () => {
  const bad = (n: number[]) => n[0] === 0 && n[1] === 1;
  const blind: Visibility = { channel: () => false, sameLocal: () => true };
  const r = run(modelOf(world(3, 1, false), bad, ['w-0', 'w-1'], blind), { por: true });
  assert.is(r.outcome, 'pass', 'the mutant was expected to hide the violation');
});

test('seeded bug: without the cycle proviso an always-enabled invisible loop hides the workers forever', () => {
  const bad = (n: number[]) => n[0] === 1;
  const m = () => modelOf(world(1, 1, true), bad, ['w-0']);
  assert.is(run(m()).outcome, 'fail');
  assert.is(run(m(), { por: true }).outcome, 'fail');
  const ignoring = run(m(), { por: true, porProviso: 'none' });
  assert.is(ignoring.outcome, 'pass', 'the mutant was expected to ignore w-0 forever');
});

/** A worker that answers its second TICK with a 'drop'-mode send back to the hub. */
const dropper = setup({ types: {} as { context: { n: number }; events: Ev; emitted: Ev } }).createMachine({
  id: 'porDropper',
  context: { n: 0 },
  on: {
    TICK: [
      { guard: ({ context }) => context.n === 0, actions: assign({ n: 1 }) },
      { actions: [assign({ n: 2 }), emit(() => ({ ...send('hub', { type: 'DONE' }), mode: 'drop' as const }))] },
    ],
  },
});

test("a 'drop' send into a channel the reduction assumed none drop into is an error, not a wrong verdict; declared mayDrop, it is fine", () => {
  const def = (mayDrop: boolean): SystemDef => ({
    components: [
      { name: 'hub', machine: hub(['w-0', 'w-1'], 2), running: true, permanent: true },
      { name: 'w-0', machine: worker, running: true, permanent: true },
      { name: 'w-1', machine: dropper, running: true, permanent: true },
    ],
    channels: [
      { from: 'hub', to: 'w-0', kind: 'fifo', bound: 2 },
      { from: 'hub', to: 'w-1', kind: 'fifo', bound: 2 },
      { from: 'w-1', to: 'hub', kind: 'fifo', bound: 1, ...(mayDrop ? { mayDrop: true } : {}) },
    ],
    timing: 'eager',
  });
  // The first ample set (w-0's TICK) is chosen before w-1's second TICK, the drop, is ever compiled.
  const undeclared = run(
    modelOf(new System(def(false)), () => false, []),
    { por: true },
  );
  const error = undeclared.verdicts.find((v) => v.kind === 'error')!;
  assert.is(error.status, 'violated');
  assert.match('explanation' in error ? error.explanation : '', /declare the channel mayDrop/);
  const declared = run(
    modelOf(new System(def(true)), () => false, []),
    { por: true },
  );
  assert.is(declared.outcome, 'pass');
  assert.ok(declared.states < run(modelOf(new System(def(true)), () => false, [])).states);
});

test('MesosLite: the verdicts and the quiescent states with and without reduction are the same', () => {
  for (const [A, F, T] of [
    [1, 1, 1],
    [2, 1, 1],
  ] as const) {
    const full = explore(mesosLiteModel({ A, F, T }));
    const reduced = explore(mesosLiteModel({ A, F, T }), { por: true });
    assert.equal(
      reduced.verdicts.map((v) => `${v.name}:${v.status}`),
      full.verdicts.map((v) => `${v.name}:${v.status}`),
    );
    assert.is(reduced.quiescent, full.quiescent);
    assert.ok(reduced.states <= full.states);
  }
});

test('every named Mesos configuration but large: the verdicts with and without --por agree (first 3,000 states of each)', () => {
  // The Mesos world has executors, which are spawned and stopped, and renames offer ids, so
  // partial-order.ts reduces none of its states today: the verdicts must agree all the same.
  for (const [name, config] of Object.entries(configs)) {
    if (name === 'large') continue;
    const full = explore(mesosModel(mesosWorld(config)), { maxStates: 3_000 });
    const reduced = explore(mesosModel(mesosWorld(config)), { maxStates: 3_000, por: true });
    assert.equal(
      reduced.verdicts.map((v) => `${v.name}:${v.status}`),
      full.verdicts.map((v) => `${v.name}:${v.status}`),
      name,
    );
    assert.is(reduced.states, full.states, name);
  }
});

test('por is refused with symmetry and with a model that has no ample', () => {
  const m = modelOf(world(1, 1, false), () => false, []);
  const { ample: _a, ...plain } = m;
  assert.throws(() => explore(plain as Model, { por: true }), /no ample/);
  assert.throws(() => explore({ ...m, canonicalize: (s, out) => out.set(s) }, { por: true, symmetry: true }), /cannot be combined/);
});

test.run();
