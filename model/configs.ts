/**
 * The named configurations. `default` is what `mesos-ref verify` proves in CI: small enough to
 * explore exhaustively in well under two minutes, yet with an agent crash, a lost message and
 * a framework failover in it. The others are larger, for the benchmark and for simulation.
 */
import type { MesosConfig } from '../spec/world/config.ts';

const task = (id: string, outcome: 'finish' | 'fail' | 'any' | 'never' = 'any', resources = 'cpus:1;mem:128') => ({ id, resources, outcome });

export const configs: Readonly<Record<string, MesosConfig>> = {
  default: {
    name: 'default',
    description: 'one agent, one checkpointing partition-aware framework with one task; one lost message, one agent crash, one framework failover',
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [
      { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')], reconcile: 'explicit' },
    ],
    faults: { loss: 1, agentCrash: 1, frameworkFailover: 1, masterFailover: 0, partition: 0 },
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: false },
  },
  'two-frameworks': {
    name: 'two-frameworks',
    description: 'the walk-through: one agent shared by two frameworks, one task each',
    agents: [{ resources: 'cpus:4;mem:4096' }],
    frameworks: [
      { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('a1', 'finish', 'cpus:2;mem:1024')] },
      { name: 'fw-b', partitionAware: false, checkpoint: false, failoverTimeoutSeconds: 0, tasks: [task('b1', 'finish', 'cpus:1;mem:2048')] },
    ],
    faults: { loss: 1, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 },
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: false },
  },
  partition: {
    name: 'partition',
    description: 'an agent partitioned and healed under a partition-aware and a non-partition-aware framework',
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [
      { name: 'fw-pa', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('p1', 'finish')], reconcile: 'explicit' },
      { name: 'fw-np', partitionAware: false, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('n1', 'finish')] },
    ],
    faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 1 },
    channelBound: 3,
    timing: 'eager',
    master: { maxAgentPingTimeouts: 2 },
  },
  'master-failover': {
    name: 'master-failover',
    description: 'the master fails over while a task runs; agents and the framework come back',
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [
      { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1')], reconcile: 'explicit', kill: ['t1'] },
    ],
    faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 1, partition: 0 },
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: false },
  },
  large: {
    name: 'large',
    description: 'two agents, two frameworks, three tasks, every fault once: for simulation and the benchmark',
    agents: [{ resources: 'cpus:2;mem:1024', count: 2 }],
    frameworks: [
      { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('a1'), task('a2')], reconcile: 'explicit', kill: ['a2'] },
      { name: 'fw-b', partitionAware: false, checkpoint: false, failoverTimeoutSeconds: 0, tasks: [task('b1')] },
    ],
    faults: { loss: 1, agentCrash: 1, frameworkFailover: 1, masterFailover: 1, partition: 1 },
    channelBound: 3,
    timing: 'eager',
    master: { maxAgentPingTimeouts: 2 },
  },
};
