/**
 * Highly available masters in the model (issue 19, spec/world/election.ts): the configuration
 * ha-masters keeps every invariant proved for one master and the two of leadership
 * (invariants/leadership.ts); each of the election service's seeded bugs breaks both, with a
 * deposed master's registry write admitting the agent whose registration was on its way to it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { configs } from '../../model/configs.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { DEPOSED, ELECTION, type ElectionContext } from '../../spec/world/election.ts';
import { electionIgnoringVersion, electionWithoutClaim } from '../support/mutants.ts';

const LEADERSHIP = ['registryWritesByLeader', 'noAgentAdmittedByDeposed'];
const config = configs['ha-masters']!;

function verdicts(machines: MachineOverrides, only: readonly string[] = LEADERSHIP) {
  const model = mesosModel(mesosWorld(config, machines), { only: [...only] });
  const r = explore(model, { maxStates: 200_000 });
  return { r, of: (name: string) => r.verdicts.find((v) => v.name === name)! };
}

test('ha-masters: a leader change happens, a deposed master runs on and its registry write is fenced (the writer aborts)', () => {
  const world = mesosWorld(config);
  const sys = world.system;
  let s!: Int32Array;
  sys.init((x) => (s = x));
  const take = (pick: (label: string) => boolean) => {
    const acts: number[] = [];
    sys.actions(s, (a) => acts.push(a));
    const a = acts.find((x) => pick(sys.describe(s, x).label));
    assert.ok(a !== undefined, 'the action is enabled');
    const out = new Int32Array(sys.width);
    assert.ok(sys.next(s, a!, out));
    s = out;
  };
  // The leader's session expires with the agent's registration on its way to it.
  take((l) => l.includes('ELECT'));
  const z = () => sys.localOf(s, ELECTION)!.context as ElectionContext;
  assert.equal(z().holders, { master: "m'", [DEPOSED]: 'm' });
  assert.is(z().version, 1, 'the new leader claimed the registry node');
  assert.ok(sys.localOf(s, DEPOSED) !== null, 'the deposed master runs on');
  assert.ok(
    sys.channelEvents(s, sys.channel('agent-0', DEPOSED)!).some((m) => m.type === 'REGISTER_AGENT'),
    "the agent's registration still reaches it",
  );
  // It admits the agent: the write at its stale version fails and it aborts before answering.
  take((l) => l.startsWith(`agent-0 -> ${DEPOSED}: REGISTER_AGENT`));
  assert.is(sys.localOf(s, DEPOSED), null, 'the deposed master aborted');
  assert.is(z().version, 1, 'nothing committed');
  assert.equal(z().admissions, {});
});

test('ha-masters keeps both leadership invariants, and the invariants of one master', () => {
  const checked = [...LEADERSHIP, 'agreeAtQuiescence', 'taskStatesForward', 'deliveredAtQuiescence', 'outcomeFidelity'];
  const { r, of } = verdicts({}, checked);
  for (const name of checked) assert.is(of(name).status, 'holds', name);
  assert.ok(r.states > 10_000, `${r.states} states`);
});

for (const [name, election] of [
  ['a registry node that takes a write at any version', electionIgnoringVersion],
  ['a new leader that does not claim the registry node', electionWithoutClaim],
] as const) {
  test(`the leadership invariants catch ${name}`, () => {
    // Exploration stops at the first violation: each invariant on its own.
    for (const inv of LEADERSHIP) {
      const v = verdicts({ election }, [inv]).of(inv);
      assert.is(v.status, 'violated', inv);
      const steps = 'trace' in v ? v.trace.actions.length : -1;
      assert.ok(steps > 0 && steps <= 6, `${inv}: shortest trace ${steps} steps`);
      assert.match('explanation' in v ? (v.explanation ?? '') : '', /m'/);
    }
  });
}

test.run();
