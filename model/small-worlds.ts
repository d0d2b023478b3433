/**
 * The two smallest worlds, shared by the seeded bug of `verify --example`, the mutant tests and
 * the conformance runs: small enough that a broken master shows in a few hundred states. Not in
 * configs.ts, whose named configurations `verify` and the benchmark walk through.
 */
import { NO_FAULTS, type MesosConfig } from '../spec/world/config.ts';

/** One agent, one checkpointing partition-aware framework whose one task finishes; no faults. */
export const ONE_TASK: MesosConfig = {
  name: 'one-task',
  agents: [{ resources: 'cpus:2;mem:1024' }],
  frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'finish' }] }],
  faults: NO_FAULTS,
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
};

/** Two tasks that fit the agent only one after the other: the second needs the first's resources back. */
export const TWO_SEQUENTIAL_TASKS: MesosConfig = {
  ...ONE_TASK,
  name: 'sequential',
  agents: [{ resources: 'cpus:1;mem:256' }],
  frameworks: [
    {
      ...ONE_TASK.frameworks[0]!,
      tasks: [
        { id: 't1', resources: 'cpus:1;mem:128', outcome: 'finish' },
        { id: 't2', resources: 'cpus:1;mem:128', outcome: 'finish' },
      ],
    },
  ],
};
