/**
 * The built-in seeded bug of `mesos-ref verify --example`: a counterexample a new user can see
 * (and step through with `mesos-ref explore --trace`) without writing a mutant. The master here
 * never gives a finished task's resources back to its allocator, so once the task ends the agent's
 * resources are neither free, offered nor used by any task: `conservation` breaks. Made as
 * DESIGN.md prescribes, with `machine.provide()`; spec/machines stays untouched.
 */
import type { AnyStateMachine } from 'xstate';
import { master, masterInternals } from '../spec/machines/master.ts';
import type { MesosConfig } from '../spec/world/config.ts';
import type { MachineOverrides } from '../spec/world/mesos.ts';
import { ONE_TASK } from './small-worlds.ts';

const { handler, statusUpdate } = masterInternals;

export interface SeededBug {
  readonly name: string;
  /** What is wrong, in one sentence. */
  readonly bug: string;
  readonly config: MesosConfig;
  machines(): MachineOverrides;
}

export const EXAMPLE_BUG: SeededBug = {
  name: 'keeps-terminal-resources',
  bug: "the master never gives a finished task's resources back to the allocator",
  config: {
    ...ONE_TASK,
    name: 'example',
    description: 'one agent, one framework with one task that finishes; no faults (the world of verify --example)',
  },
  machines: () => ({
    master: master.provide({
      actions: {
        statusUpdate: handler((tx, e) => {
          const before = tx.c.allocator;
          statusUpdate(tx, e as never);
          tx.c = { ...tx.c, allocator: before };
        }),
      },
    } as never) as AnyStateMachine,
  }),
};
