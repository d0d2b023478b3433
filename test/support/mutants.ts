/**
 * Mutants of machines, made the way DESIGN.md prescribes: `machine.provide()` swaps one named
 * guard or action, the source stays untouched. A guard's test proves it matters by failing
 * when the guard is negated.
 */
import type { AnyStateMachine } from 'xstate';
import { agent } from '../../spec/machines/agent.ts';
import { enqueueActions } from 'xstate';
import { master, masterInternals } from '../../spec/machines/master.ts';
import { reply } from '../../spec/machines/effects.ts';

const { handler, statusUpdate } = masterInternals;

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

/** The master with some of its named actions replaced. */
export const withMaster = (actions: Record<string, unknown>): AnyStateMachine => master.provide({ actions } as never);

/** A master that never gives a terminal task's resources back to the allocator. */
export const masterKeepingTerminalResources = (): AnyStateMachine =>
  withMaster({
    statusUpdate: handler((tx, e) => {
      const before = tx.c.allocator;
      statusUpdate(tx, e as never);
      tx.c = { ...tx.c, allocator: before };
    }),
  });

/** A master that answers an explicit reconciliation with TASK_LOST and a uuid (a reliable update it never should be). */
export const masterInventingReconciliationUpdates = (): AnyStateMachine =>
  withMaster({
    reconcileExplicitly: handler((tx, e) => {
      const call = e as { framework_id: { value: string }; reconcile: { tasks?: { task_id: { value: string } }[] } };
      const f = tx.c.frameworks[call.framework_id.value]!;
      for (const q of call.reconcile.tasks ?? []) {
        tx.send(f.connection, { type: 'UPDATE', update: { status: { task_id: q.task_id, state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION', uuid: 'AAAAAAAAQACAAAAAAAAAAA==' } } });
      }
    }),
  });

/** What `run` gives on the machine with guard `name` negated (`threw: ...` if it throws). */
export function negatedOutcome(machine: AnyStateMachine, name: string, run: (m: AnyStateMachine) => string): string {
  try {
    return run(negateGuard(machine, name));
  } catch (e) {
    return `threw: ${(e as Error).message}`;
  }
}

/** An agent that never retries an unacknowledged status update: one lost update stays lost. */
export const agentNeverRetryingUpdates = (): AnyStateMachine => replaceAction(agent, 'retryUpdate', () => {});

/** A master that forgets to answer the calls its gate refuses (400, 403): only 2xx answers go out. */
export const masterForgettingRefusals = (): AnyStateMachine =>
  withMaster({
    answer: enqueueActions(({ event, enqueue }, params: { status: number; message?: string }) => {
      if (params.status < 300) enqueue.emit(reply((event as { request?: string }).request, params.status, params.message) as never);
    }),
  });
