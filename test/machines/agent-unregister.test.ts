/**
 * A graceful agent shutdown on the agent machine (Mesos's Slave::shutdown without a sender): an
 * agent with an id sends UNREGISTER_AGENT to its master, then shuts every framework down and
 * stops; one that never registered stops without a word to the master.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AGENT, AGENT_ID, Sim, fw, registered, runTask, task } from '../support/agent-sim.ts';

test('UNREGISTER_REQUEST when registered: UNREGISTER_AGENT to the master, frameworks shut down, stopped after the grace', () => {
  const sim = registered();
  runTask(sim, fw('F1'), task('t1')).flush();
  sim.sent();
  sim.env(AGENT, { type: 'UNREGISTER_REQUEST' });
  assert.equal(sim.sent(), [{ type: 'UNREGISTER_AGENT', agent_id: { value: AGENT_ID }, from: AGENT }]);
  assert.is(sim.state(), '"terminating"');
  sim.flush();
  sim.fireAgent('executor-shutdown:F1/t1');
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
