/**
 * A graceful agent shutdown on the agent machine (Mesos's Slave::shutdown without a sender): an
 * agent with an id sends UNREGISTER_AGENT to its master, then shuts every framework down and
 * exits (a timer: the model's network carries the unregistration first); one that never
 * registered stops without a word to the master.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AGENT, AGENT_ID, Sim, fw, registered, runTask, task } from '../support/agent-sim.ts';

test('UNREGISTER_REQUEST when registered: UNREGISTER_AGENT to the master, frameworks shut down, exiting after the grace, stopped on its exit timer', () => {
  const sim = registered();
  runTask(sim, fw('F1'), task('t1')).flush();
  sim.sent();
  sim.env(AGENT, { type: 'UNREGISTER_REQUEST' });
  assert.equal(sim.sent(), [{ type: 'UNREGISTER_AGENT', agent_id: { value: AGENT_ID }, from: AGENT }]);
  assert.is(sim.state(), '"terminating"');
  sim.flush();
  sim.fireAgent('executor-shutdown:F1/t1');
  assert.is(sim.state(), '"exiting"');
  assert.not.ok(sim.stopped);
  sim.fireAgent('exit');
  assert.is(sim.state(), '"stopped"');
  assert.ok(sim.stopped);
});

test('UNREGISTER_REQUEST with no framework: UNREGISTER_AGENT, then exiting, not stopped in the same step (a stop would clear the channel it is on)', () => {
  const sim = registered();
  sim.sent();
  sim.env(AGENT, { type: 'UNREGISTER_REQUEST' });
  assert.equal(sim.sent(), [{ type: 'UNREGISTER_AGENT', agent_id: { value: AGENT_ID }, from: AGENT }]);
  assert.is(sim.state(), '"exiting"');
  assert.not.ok(sim.stopped);
  sim.fireAgent('exit');
  assert.ok(sim.stopped);
});

test('SHUTDOWN_AGENT from the master with no framework: stopped at once (nothing left to tell it)', () => {
  const sim = registered();
  sim.master({ type: 'SHUTDOWN_AGENT' });
  assert.is(sim.state(), '"stopped"');
  assert.ok(sim.stopped);
});

test('UNREGISTER_REQUEST before registration: no message, stopped at once', () => {
  const sim = new Sim();
  sim.sent();
  sim.env(AGENT, { type: 'UNREGISTER_REQUEST' });
  assert.equal(sim.sent(), []);
  assert.is(sim.state(), '"stopped"');
});

test.run();
