/**
 * A polite framework with a task that runs until killed, asked to kill it, no faults. Its KILL
 * and ACCEPT are separate HTTP requests and may overtake each other: the master, not knowing the
 * task yet, answers the KILL with TASK_UNKNOWN, then launches the task. A framework that killed
 * only once left it running forever (faultFreeOutcomes broken in 28 steps); the polite scheduler
 * now kills again when it sees the task alive.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { formatTrace } from '../../checker/trace.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { schedulerKillingOnce } from '../support/mutants.ts';

const config: MesosConfig = {
  name: 'kill-overtakes-accept',
  agents: [{ resources: 'cpus:2;mem:1024' }],
  frameworks: [
    { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'never' }], kill: ['t1'] },
  ],
  faults: NO_FAULTS,
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
};

function check(machines: MachineOverrides) {
  const model = mesosModel(mesosWorld(config, machines), { only: ['faultFreeOutcomes', 'executorKills'] });
  const r = explore(model, { maxStates: 100_000 });
  return { model, verdict: (name: string) => r.verdicts.find((v) => v.name === name)! };
}

test('a scheduler that kills only once: its KILL overtakes the ACCEPT and the task runs forever (28 steps)', () => {
  const { model, verdict } = check({ scheduler: schedulerKillingOnce() });
  const v = verdict('faultFreeOutcomes');
  assert.is(v.status, 'violated');
  if (!('trace' in v)) throw new Error('no trace');
  assert.is(v.trace.actions.length, 28);
  const lines = formatTrace(model, v.trace).split('\n');
  const at = (label: string) => lines.findIndex((l) => l.endsWith(label));
  assert.ok(at('fw-0 -> master: KILL') >= 0 && at('fw-0 -> master: KILL') < at('fw-0 -> master: ACCEPT'), 'the KILL reaches the master before the ACCEPT');
});

test('the polite scheduler kills again when it sees the task alive: every run ends TASK_KILLED', () => {
  const { verdict } = check({});
  assert.is(verdict('faultFreeOutcomes').status, 'holds');
  assert.is(verdict('executorKills').status, 'reachable');
});

test.run();
