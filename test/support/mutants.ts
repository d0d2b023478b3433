/**
 * Mutants of machines, made the way DESIGN.md prescribes: `machine.provide()` swaps one named
 * guard or action, the source stays untouched. A guard's test proves it matters by failing
 * when the guard is negated.
 */
import type { AnyStateMachine } from 'xstate';

type GuardFn = (args: unknown, params: unknown) => boolean;

/** The names of every guard a machine defines in setup(). */
export function guardNames(machine: AnyStateMachine): string[] {
  return Object.keys(machine.implementations.guards ?? {}).sort();
}

/** The machine with guard `name` replaced by its negation. */
export function negateGuard<M extends AnyStateMachine>(machine: M, name: string): M {
  const original = (machine.implementations.guards as Record<string, GuardFn | undefined>)[name];
  if (typeof original !== 'function') throw new Error(`negateGuard: ${machine.id} has no guard function ${name}`);
  return machine.provide({ guards: { [name]: (args: unknown, params: unknown) => !original(args, params) } } as never) as M;
}

/** The machine with action `name` replaced (e.g. by one that does nothing). */
export function replaceAction<M extends AnyStateMachine>(machine: M, name: string, action: unknown): M {
  if (!(name in (machine.implementations.actions ?? {}))) throw new Error(`replaceAction: ${machine.id} has no action ${name}`);
  return machine.provide({ actions: { [name]: action } } as never) as M;
}
