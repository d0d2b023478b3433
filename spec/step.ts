/**
 * The step function (DESIGN.md section 4): one pure transition of one machine.
 *
 *   step(machine, local, event) -> { local', effects[], timersSet[], timersCancelled[] }
 *
 * The checker and the runtime both call it, on the same machine definitions. It wraps XState's
 * pure `machine.transition()`; XState executes nothing here. We read the actions it would have
 * executed and turn them into data:
 *
 *   - `emit(...)`                 -> an effect (e.g. `{ type: 'send', to, msg }`), in order;
 *   - a delayed `raise` / `after` -> a timer set (an existing timer with the same id is replaced);
 *   - `cancel(id)`                -> a timer cancelled.
 *
 * Assignments are already applied in the returned snapshot, and non-delayed raises were already
 * processed inside the same macrostep, so neither needs handling here.
 *
 * A local state is `{ value, context, timers }` and nothing else: its canonical JSON (`localKey`)
 * is its identity. Machines keep their context plain JSON, so this is exact.
 */
import { createActor, type AnyStateMachine, type AnyEventObject, type StateValue } from 'xstate';
import { canonicalJson } from './canonical.ts';

/** A pending delayed event of one machine. The delay is in milliseconds, as written in the machine. */
export interface Timer {
  readonly id: string;
  readonly event: AnyEventObject;
  readonly delay: number;
}

/** Everything a component is, between two steps. Timers are kept sorted by id. */
export interface Local {
  readonly value: StateValue;
  readonly context: unknown;
  readonly timers: readonly Timer[];
}

/** What a machine emitted: a message to send, a process to start, ... (the host interprets it). */
export interface Effect {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface StepResult {
  readonly local: Local;
  readonly effects: readonly Effect[];
  readonly timersSet: readonly Timer[];
  readonly timersCancelled: readonly string[];
}

interface ExecutableAction {
  type: string;
  params?: Record<string, unknown>;
}

/**
 * One reusable, inert actor scope per machine: `machine.transition(snapshot, event, scope)` with
 * a reused scope costs about a quarter of XState's exported `transition()`, which builds a new
 * actor on every call (DESIGN.md section 11).
 */
class Stepper {
  private readonly executed: ExecutableAction[] = [];
  private readonly scope: unknown;

  constructor(private readonly machine: AnyStateMachine) {
    const self = createActor(machine);
    this.scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: (action: ExecutableAction) => {
        this.executed.push(action);
      },
    };
  }

  initial(input: unknown): StepResult {
    this.executed.length = 0;
    const snapshot = this.machine.getInitialSnapshot(this.scope as never, input);
    return this.collect(snapshot, []);
  }

  step(local: Local, event: AnyEventObject): StepResult {
    this.executed.length = 0;
    const snapshot = this.machine.resolveState({ value: local.value, context: local.context as never });
    const next = this.machine.transition(snapshot, event, this.scope as never);
    return this.collect(next, local.timers);
  }

  private collect(snapshot: { value: StateValue; context: unknown; status?: string; error?: unknown }, timers: readonly Timer[]): StepResult {
    if (snapshot.status === 'error') throw snapshot.error;
    const effects: Effect[] = [];
    const timersSet: Timer[] = [];
    const timersCancelled: string[] = [];
    const pending = new Map(timers.map((t) => [t.id, t]));
    for (const action of this.executed) {
      const params = action.params ?? {};
      switch (action.type) {
        case 'xstate.emit':
          effects.push(params.event as Effect);
          break;
        case 'xstate.raise':
        case 'xstate.sendTo': {
          if (typeof params.delay !== 'number') {
            // A raise without a delay was already processed within this macrostep.
            if (action.type === 'xstate.raise') break;
            throw new Error('step: sendTo without a delay is not supported in a checked machine (no children)');
          }
          const event = params.event as AnyEventObject;
          const timer: Timer = { id: (params.id as string | undefined) ?? event.type, event, delay: params.delay };
          pending.set(timer.id, timer);
          timersSet.push(timer);
          break;
        }
        case 'xstate.cancel': {
          const id = params.sendId as string;
          if (pending.delete(id)) timersCancelled.push(id);
          break;
        }
        default:
          // assign, raise without delay, guards: already folded into the snapshot.
          break;
      }
    }
    const sorted = [...pending.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      local: { value: snapshot.value, context: snapshot.context, timers: sorted },
      effects,
      timersSet,
      timersCancelled,
    };
  }
}

const steppers = new WeakMap<AnyStateMachine, Stepper>();

function stepperOf(machine: AnyStateMachine): Stepper {
  let s = steppers.get(machine);
  if (!s) {
    s = new Stepper(machine);
    steppers.set(machine, s);
  }
  return s;
}

/** The initial local state of `machine` started with `input`, and what its entry actions emitted. */
export function initial(machine: AnyStateMachine, input?: unknown): StepResult {
  return stepperOf(machine).initial(input);
}

/** One event into one machine. Pure: the same (machine, local, event) always gives the same result. */
export function step(machine: AnyStateMachine, local: Local, event: AnyEventObject): StepResult {
  return stepperOf(machine).step(local, event);
}

/** Fires the pending timer `id`: it leaves the timer list, then its event is stepped. */
export function fire(machine: AnyStateMachine, local: Local, id: string): StepResult {
  const timer = local.timers.find((t) => t.id === id);
  if (!timer) throw new Error(`fire: no pending timer ${id}`);
  return step(machine, { ...local, timers: local.timers.filter((t) => t.id !== id) }, timer.event);
}

/** The identity of a local state: canonical JSON (sorted keys), equal iff the states are equal. */
export function localKey(local: Local): string {
  return canonicalJson(local);
}
