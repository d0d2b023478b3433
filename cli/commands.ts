/**
 * The table of `mesos-ref` commands: each one's name, its description for the top-level help and
 * how to load its module, which cli/main.ts imports only when that command runs. The descriptions
 * repeat what each module registers, so `--help` loads no command (test/cli/commands.test.ts
 * checks they match).
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

/** Every command: its name, its description for the top-level help, and how to load it. */
export const COMMANDS: readonly { name: string; description: string; load: () => Promise<Register> }[] = [
  { name: 'schemas', description: 'generate the JSON Schemas of the protocol messages (one file per message)', load: async () => (await import('./schemas.ts')).registerSchemas },
  { name: 'verify', description: 'explore every interleaving of a configuration and check the invariants', load: async () => (await import('./verify.ts')).registerVerify },
  {
    name: 'validate-trace',
    description: 'replay traces recorded with --trace against the spec machines and the invariants',
    load: async () => (await import('./validate-trace.ts')).registerValidateTrace,
  },
  { name: 'master', description: 'run a Mesos master: the scheduler, operator and agent APIs over HTTP', load: async () => (await import('./master.ts')).registerMaster },
  {
    name: 'agent',
    description: 'run a reference agent: registers with the master, runs command tasks through `mesos-ref executor`',
    load: async () => (await import('./agent.ts')).registerAgent,
  },
  {
    name: 'executor',
    description: 'run the command executor (started by `mesos-ref agent`, configured by its environment)',
    load: async () => (await import('./executor.ts')).registerExecutor,
  },
  {
    name: 'default-executor',
    description: 'run the default executor for task groups (started by `mesos-ref agent`, configured by its environment)',
    load: async () => (await import('./default-executor.ts')).registerDefaultExecutor,
  },
  { name: 'cluster', description: 'run a master and N agents on loopback; Ctrl-C stops them all', load: async () => (await import('./cluster.ts')).registerCluster },
  { name: 'run', description: 'run a shell command as N tasks through a master, like mesos-execute', load: async () => (await import('./run.ts')).registerRun },
  {
    name: 'conformance',
    description: 'conformance suites: scenarios generated from the model for any Mesos master',
    load: async () => (await import('./conformance.ts')).registerConformance,
  },
  {
    name: 'mutate',
    description: 'mutation testing: seeded, type-correct mutants of spec/machines, each verified on the chosen configurations; killed / survived and the score',
    load: async () => (await import('./mutate.ts')).registerMutate,
  },
  {
    name: 'explore',
    description: 'a web page to step through the state space of a configuration, or through a counterexample verify saved',
    load: async () => (await import('./explore.ts')).registerExplore,
  },
];
