/**
 * A quota guarantee makes the master rescind an offer the polite framework already answered:
 * its ACCEPT arrives after the rescind and the launch is dropped (REASON_INVALID_OFFERS), after
 * the framework, thinking everything launched, suppressed. A framework that stays suppressed never
 * runs the task (faultFreeOutcomes broken, issue 17's finding); the polite scheduler revives and
 * launches it again, as a Mesos framework with work to do revives (configuration quota-guarantee).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { configs } from '../../model/configs.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { scheduler } from '../../spec/machines/scheduler.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';

function check(machines: MachineOverrides) {
  const r = explore(mesosModel(mesosWorld(configs['quota-guarantee']!, machines), { only: ['faultFreeOutcomes'] }), { maxStates: 200_000 });
  return { states: r.states, verdict: r.verdicts.find((v) => v.name === 'faultFreeOutcomes')! };
}

test('a scheduler that never revives after a dropped launch leaves its task unlaunched for good', () => {
  const { verdict } = check({ scheduler: scheduler.provide({ guards: { droppedLaunch: () => false } }) });
  assert.is(verdict.status, 'violated');
});

test('the polite scheduler revives and launches again: every task ends as its exit implies', () => {
  const { verdict } = check({});
  assert.is(verdict.status, 'holds');
});

test.run();
