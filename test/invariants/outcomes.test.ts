/**
 * The properties that say the system is Mesos (invariants/outcomes.ts, identity.ts) each catch a
 * mutant from issue 10's list: a task state, reason or uuid replaced, the executor's update path
 * cut. Each test asserts the shortest trace's bound (or the vacuous verdict of a `sometimes`)
 * and that the unmutated machines keep the property on the same configuration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { NO_FAULTS, type FrameworkConfig, type MesosConfig, type TaskConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { agent } from '../../spec/machines/agent.ts';
import { partitionAwareNeverLost } from '../../invariants/partition-aware.ts';
import type { WorldReader } from '../../invariants/world.ts';
import type { FaultName } from '../../spec/world/causes.ts';
import { configs } from '../../model/configs.ts';
import {
  agentKillingUnderOneUuid,
  agentNotAcknowledgingReplays,
  agentRestampingExecutorUpdates,
  agentTimingOutAsTerminated,
  executorReplayingUnderNewUuids,
  executorReporting,
  executorReusingUuids,
  masterMisreportingInvalidOffers,
  replaceAction,
} from '../support/mutants.ts';

const fw = (tasks: TaskConfig[], over: Partial<FrameworkConfig> = {}): FrameworkConfig => ({
  name: 'fw-a',
  partitionAware: true,
  checkpoint: true,
  failoverTimeoutSeconds: 60,
  tasks,
  ...over,
});

const one = (over: Partial<MesosConfig> = {}, outcome: TaskConfig['outcome'] = 'finish', framework: Partial<FrameworkConfig> = {}): MesosConfig => ({
  name: 'mutant',
  agents: [{ resources: 'cpus:2;mem:1024' }],
  frameworks: [fw([{ id: 't1', resources: 'cpus:1;mem:128', outcome }], framework)],
  faults: NO_FAULTS,
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
  ...over,
});

function verdict(config: MesosConfig, machines: MachineOverrides, invariant: string, maxDepth?: number) {
  const r = explore(mesosModel(mesosWorld(config, machines), { only: [invariant] }), { maxStates: 500_000, ...(maxDepth === undefined ? {} : { maxDepth }) });
  const v = r.verdicts.find((x) => x.name === invariant)!;
  return { v, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

/**
 * The unmutated machines keep the property: everywhere, or (`cleanDepth`, for a world too large to
 * explore whole in a test) within that many steps, well beyond the mutant's trace.
 */
function holdsWithoutMutant(invariant: string, config: MesosConfig, cleanDepth?: number) {
  const clean = verdict(config, {}, invariant, cleanDepth).v;
  const ok = cleanDepth === undefined ? clean.status === 'holds' || clean.status === 'reachable' : clean.status === 'unrefuted' || clean.status === 'holds';
  assert.ok(ok, `${invariant} fails without the mutant: ${clean.status}`);
}

/** An always- or eventually-property is violated by its mutant within `maxSteps`. */
function caught(invariant: string, what: string, config: MesosConfig, machines: MachineOverrides, maxSteps: number, cleanDepth?: number) {
  test(`${invariant} catches ${what} within ${maxSteps} steps`, () => {
    const { v, steps } = verdict(config, machines, invariant);
    assert.is(v.status, 'violated', `${invariant} was not violated by its mutant`);
    assert.ok(steps > 0 && steps <= maxSteps, `${invariant}: shortest trace ${steps} steps, expected at most ${maxSteps}`);
    holdsWithoutMutant(invariant, config, cleanDepth);
  });
}

/** A sometimes-property is never reached under its mutant: the checker calls the model vacuous. */
function neverReached(invariant: string, what: string, config: MesosConfig, machines: MachineOverrides) {
  test(`${invariant} is vacuous under ${what}`, () => {
    assert.is(verdict(config, machines, invariant).v.status, 'vacuous');
    holdsWithoutMutant(invariant, config);
  });
}

// 1. Outcome fidelity: a clean exit reported as TASK_FAILED (a task state replaced by another).
caught('outcomeFidelity', 'a clean exit reported as TASK_FAILED', one(), { executor: executorReporting('reportFinished', 'TASK_FAILED') }, 32);

// 2. Fault-free liveness: a clean exit reported as TASK_KILLING; the task then ends only by the agent's fallback.
caught('faultFreeOutcomes', 'a clean exit reported as TASK_KILLING', one(), { executor: executorReporting('reportFinished', 'TASK_KILLING') }, 37);

// 2. The happy path is required: the executor -> agent -> framework path cut (the agent ignores every UPDATE call).
neverReached('executorFinishes', "an agent that drops its executors' updates", one(), { agent: replaceAction(agent, 'handleExecutorUpdate', () => {}) });
neverReached('executorFails', 'a failing exit reported as TASK_FINISHED', one({}, 'fail'), { executor: executorReporting('reportFailed', 'TASK_FINISHED') });
neverReached('executorKills', 'a kill reported as TASK_FAILED', one({}, 'any', { kill: ['t1'] }), { executor: executorReporting('reportKilled', 'TASK_FAILED') });

// A launch slower than the registration timeout (earlyTimers): the agent's own TASK_FAILED is required, and its reason is read.
const slowLaunch = one({ earlyTimers: ['EXECUTOR_REGISTRATION_TIMEOUT'] }, 'finish', { checkpoint: false });
neverReached('registrationTimesOut', 'an agent whose registration timer does nothing', slowLaunch, { agent: replaceAction(agent, 'failExecutorRegistration', () => {}) });
caught('outcomeFidelity', 'a registration timeout reported as REASON_EXECUTOR_TERMINATED', slowLaunch, { agent: agentTimingOutAsTerminated() }, 16);

// 3. Identity: uuids unique, acknowledgements name sent updates, replays keep their uuid.
caught('updateIdentity', 'an executor reusing a uuid', one(), { executor: executorReusingUuids() }, 11);
caught(
  'updateIdentity',
  'agent-made updates sharing one uuid',
  one({ agents: [{ resources: 'cpus:2;mem:1024' }] }, 'never', {
    kill: ['t1', 't2'],
    tasks: [
      { id: 't1', resources: 'cpus:1;mem:128', outcome: 'never' },
      { id: 't2', resources: 'cpus:1;mem:128', outcome: 'never' },
    ],
  }),
  { agent: agentKillingUnderOneUuid() },
  15,
  // Two killed tasks that die of their signals: 611,683 states whole, 228,078 within 30 steps.
  30,
);
caught('executorAcksNameSentUpdates', 'an agent acknowledging under its own uuid', one(), { agent: agentRestampingExecutorUpdates() }, 12);
// The example: an agent that drops its acknowledgements of the updates an executor replays after an agent restart.
caught('deliveredAtQuiescence', 'an agent never acknowledging the updates an executor replays', configs['agent-restarts']!, { agent: agentNotAcknowledgingReplays() }, 28);
caught('updateIdentity', 'an executor replaying under new uuids', one({ faults: { ...NO_FAULTS, agentCrash: 1 } }), { executor: executorReplayingUnderNewUuids() }, 14);

// 4. Reasons and sources: invalid offers answered with the reason of a kill during launch.
caught(
  'reasonsAndSources',
  'REASON_TASK_KILLED_DURING_LAUNCH for invalid offers',
  one({ faults: { ...NO_FAULTS, agentCrash: 1 } }),
  { master: masterMisreportingInvalidOffers() },
  8,
);

// Mesos sends TASK_LOST (SOURCE_MASTER, REASON_SLAVE_DISCONNECTED) to a framework that does not
// checkpoint when its agent disconnects, partition-aware or not (Master::exited ->
// removeFramework(Slave*, Framework*)); the outcome table allows it, so partitionAwareNeverLost
// must too. A partition-aware framework that checkpoints still never hears it.
test('partitionAwareNeverLost allows the TASK_LOST Mesos sends a non-checkpointing framework on agent disconnect', () => {
  const crash = one({ faults: { ...NO_FAULTS, agentCrash: 1 } }, 'never', { checkpoint: false });
  for (const invariant of ['partitionAwareNeverLost', 'outcomeFidelity']) assert.is(verdict(crash, {}, invariant).v.status, 'holds', invariant);
  const r = explore(mesosModel(mesosWorld(crash, {}), { only: ['partitionAwareNeverLost'] }), { maxStates: 500_000 });
  assert.ok(r.states > 100);
});

// An unregistering agent takes its tasks as TASK_LOST (SOURCE_MASTER, REASON_AGENT_REMOVED) for
// every framework; that exception holds only in a run where an agent did unregister, read from
// the cause record, not from the message's words.
test('partitionAwareNeverLost allows TASK_LOST with REASON_AGENT_REMOVED only after an agent unregistered', () => {
  const lost = {
    type: 'UPDATE',
    update: { status: { task_id: { value: 't1' }, state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED', message: 'any words' } },
  };
  const reader = (faults: FaultName[] | null): WorldReader =>
    ({
      layout: { master: 'master', frameworks: ['fw-0'] },
      scheduler: () => ({ framework_info: { capabilities: [{ type: 'PARTITION_AWARE' }], checkpoint: true }, log: {} }),
      channel: () => [lost],
      ...(faults ? { causes: () => ({ faults, tasks: {} }) } : {}),
    }) as unknown as WorldReader;
  assert.is(partitionAwareNeverLost(reader(['agent-unregister'])), null);
  assert.is(partitionAwareNeverLost(reader(['agent-crash'])), 'partition-aware fw-0 is sent TASK_LOST for t1 (SOURCE_MASTER REASON_AGENT_REMOVED)');
  // The runtime keeps no cause record: there the reason alone is judged.
  assert.is(partitionAwareNeverLost(reader(null)), null);
});

test.run();
