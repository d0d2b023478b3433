/**
 * The intruder (spec/world/intruder.ts) in an authenticated world: the impersonation invariants
 * hold against every call it can make, and each catches its seeded mutant (an agent or master
 * that takes a caller for someone it is not).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { configs } from '../../model/configs.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { validateConfig } from '../../spec/world/config.ts';
import { mesosAuthentication } from '../../spec/world/authentication.ts';
import { INTRUDER, intruderCalls } from '../../spec/world/intruder.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { agentAcceptingUnauthenticatedCalls, masterAcceptingForeignAgentIds, masterAdmittingUnauthenticatedAgents } from '../support/mutants.ts';

const PROPERTIES = ['onlyOwnersUpdate', 'agentsRecordedAsThemselves', 'agentsAuthenticated'];

function verdict(machines: MachineOverrides, invariant: string) {
  const r = explore(mesosModel(mesosWorld(configs.intruder!, machines), { only: [invariant] }));
  const v = r.verdicts.find((x) => x.name === invariant)!;
  return { r, v, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

test('the impersonation invariants hold against every call the intruder can make', () => {
  const r = explore(mesosModel(mesosWorld(configs.intruder!), { only: PROPERTIES }));
  assert.is(r.outcome, 'pass');
  for (const name of PROPERTIES) assert.is(r.verdicts.find((v) => v.name === name)!.status, 'holds', name);
});

const caught = (invariant: string, what: string, machines: () => MachineOverrides, maxSteps: number) =>
  test(`${invariant} catches ${what} within ${maxSteps} steps`, () => {
    const { v, steps } = verdict(machines(), invariant);
    assert.is(v.status, 'violated', `${invariant} was not violated by its mutant`);
    assert.ok(steps > 0 && steps <= maxSteps, `${invariant}: shortest trace ${steps} steps, expected at most ${maxSteps}`);
  });

caught('onlyOwnersUpdate', 'an agent accepting an unauthenticated executor UPDATE', () => ({ agent: agentAcceptingUnauthenticatedCalls() }), 14);
caught('agentsRecordedAsThemselves', 'a master accepting a reregistration from another identity', () => ({ master: masterAcceptingForeignAgentIds() }), 4);
caught('agentsAuthenticated', 'a master admitting an unauthenticated agent', () => ({ master: masterAdmittingUnauthenticatedAgents() }), 4);

test('identity comes from the transport: what a sender writes as its principal is overwritten', () => {
  const auth = mesosAuthentication({ master: 'master', agents: ['agent-0'], executorSlots: ['agent-0/t1'], intruder: INTRUDER });
  const executor = { framework_id: { value: 'm-0000' }, executor_id: { value: 't1' } };
  const claimed = { type: 'UPDATE', from: 'agent-0/t1', principal: { fid: 'm-0001', eid: 't2' } };
  assert.equal(auth('agent-0/t1', 'agent-0', executor, claimed).principal, { fid: 'm-0000', eid: 't1' });
  assert.is(auth('agent-0', 'master', {}, { type: 'REREGISTER_AGENT', from: 'agent-0', principal: 'agent-1' }).principal, 'agent-0');
  // The intruder without a credential: no claims to an agent, no principal to the master.
  const bare = auth(INTRUDER, 'agent-0', { budget: 1 }, { type: 'UPDATE', from: INTRUDER, credential: 'none', principal: { fid: 'm-0000', eid: 't1' } });
  assert.equal(bare, { type: 'UPDATE', from: INTRUDER, principal: {} });
  assert.is(auth(INTRUDER, 'master', { budget: 1 }, { type: 'REGISTER_AGENT', from: INTRUDER, credential: 'none', principal: 'agent-0' }).principal, undefined);
  assert.is(auth(INTRUDER, 'master', { budget: 1 }, { type: 'REGISTER_AGENT', from: INTRUDER, credential: 'own' }).principal, INTRUDER);
});

test("the intruder's domain: every executor call, each agent id claimed with each agent's hostname, with and without its credential", () => {
  const calls = intruderCalls({ master: 'master', masterId: 'm', agents: [{ address: 'agent-0', hostname: 'agent-0' }], frameworks: 1, executors: ['t1'] });
  assert.is(calls.length, 2 * 3 * 2 + 2 + 2);
  assert.ok(calls.some((c) => c.msg.type === 'UPDATE' && c.to === 'agent-0' && c.credential === 'none'));
  assert.ok(calls.some((c) => c.msg.type === 'REREGISTER_AGENT' && (c.msg.agent_info as { id: { value: string } }).id.value === 'm-S0'));
});

test('the malformed intruder: only an UPDATE without a uuid per framework id and executor, and a SUBSCRIBE of a framework id the master never assigns, each with and without its credential', () => {
  const calls = intruderCalls({ master: 'master', masterId: 'm', agents: [{ address: 'agent-0', hostname: 'agent-0' }], frameworks: 1, executors: ['t1'] }, true);
  assert.is(calls.length, 2 * 1 * 2 + 2);
  const updates = calls.filter((c) => c.msg.type === 'UPDATE');
  assert.is(updates.length, 4);
  assert.ok(updates.every((c) => (c.msg.update as { status: { uuid?: string } }).status.uuid === undefined));
  const subscribes = calls.filter((c) => c.msg.type === 'SUBSCRIBE');
  assert.equal(
    subscribes.map((c) => (c.msg.framework_id as { value: string }).value),
    ['m-0001', 'm-0001'],
  );
  assert.ok(calls.every((c) => c.to === 'agent-0'));
});

test("a configuration's intruder budget is checked, naming the field", () => {
  assert.ok(validateConfig({ ...configs.intruder!, intruder: { budget: 0 } }).includes("'intruder.budget': expected an integer >= 1"));
  assert.equal(validateConfig(configs.intruder!), []);
  assert.ok(validateConfig({ ...configs.intruder!, intruder: { budget: 1, malformed: 'yes' as never } }).includes("'intruder.malformed': expected a boolean"));
  assert.equal(validateConfig(configs['intruder-malformed-crash']!), []);
});

test.run();
