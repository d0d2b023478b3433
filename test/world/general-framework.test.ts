/**
 * The most general framework in the model: its configurations are checked like any other, its
 * refused calls reach the master's refusals, and answeredCalls, judged on every master step,
 * catches a master that forgets to answer a refused call, with a short trace.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { configs } from '../../model/configs.ts';
import { GENERAL_CALLS } from '../../spec/machines/general-framework.ts';
import { NO_FAULTS, validateConfig, type MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { masterForgettingRefusals } from '../support/mutants.ts';

/** gate with a budget of one call and no failover: small enough for a test. */
const small: MesosConfig = { ...configs.gate!, faults: NO_FAULTS, frameworks: [{ ...configs.gate!.frameworks[0]!, callBudget: 1 }] };

function check(config: MesosConfig, machines: MachineOverrides = {}) {
  const world = mesosWorld(config, machines);
  const seen = new Set<string>();
  world.system.onLocalTransition = (comp, _from, event) => {
    if (world.system.components[comp]!.name === 'master') seen.add(event.type);
  };
  return { r: explore(mesosModel(world), { maxStates: 200_000 }), seen };
}

test('refused calls reach the master, and every call is answered as Mesos answers it', () => {
  const { r, seen } = check(small);
  assert.is(r.complete, true);
  for (const v of r.verdicts) assert.ok(['holds', 'reachable', 'none'].includes(v.status), `${v.name}: ${v.status}`);
  for (const type of ['SUBSCRIBE', 'REVIVE', 'UPDATE_FRAMEWORK', 'ACCEPT', 'REQUEST']) assert.ok(seen.has(type), `${type} never delivered`);
});

test('answeredCalls catches a master that forgets to answer a refused call', () => {
  const { r } = check(small, { master: masterForgettingRefusals() });
  const error = r.verdicts.find((v) => v.kind === 'error')!;
  assert.is(error.status, 'violated');
  assert.match('explanation' in error ? error.explanation : '', /answeredCalls: [A-Z_]+ from fw-0 got 0 replies, not one \(400\)/);
  assert.ok('trace' in error && error.trace.actions.length <= 8, `a short trace, got ${'trace' in error ? error.trace.actions.length : '-'} steps`);
});

test('a general framework configuration is validated field by field', () => {
  const f = small.frameworks[0]!;
  assert.equal(validateConfig({ ...small, frameworks: [{ ...f, calls: ['NOPE'] }] }), [`'frameworks[0].calls': 'NOPE' is not one of ${GENERAL_CALLS.join(', ')}`]);
  assert.equal(validateConfig({ ...small, frameworks: [{ ...f, callBudget: 0 }] }), ["'frameworks[0].callBudget': expected an integer >= 1"]);
  assert.equal(validateConfig({ ...small, frameworks: [{ ...f, gates: ['lie'] }] }), ["'frameworks[0].gates': 'lie' is not one of stale-stream, no-stream, unknown-framework"]);
  assert.equal(validateConfig({ ...small, frameworks: [{ ...f, kind: 'polite' }] }), ["'frameworks[0].calls': only a general framework has calls and a callBudget"]);
  assert.equal(validateConfig(small), []);
});

test.run();
