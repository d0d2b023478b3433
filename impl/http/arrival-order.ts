/**
 * A connection's requests handled in their arrival order. Node's server hands pipelined requests
 * of one connection to the handler in the order they arrived (and writes their answers in that
 * order), but a handler that awaits (a body, a token's verification) may let a later request
 * overtake an earlier one. Mesos's agent handles an executor connection's calls in order (one
 * libprocess actor, one socket), and an executor relies on it: TASK_FINISHED after TASK_RUNNING.
 *
 * `take` is called synchronously when a request arrives; its `ready` resolves once every earlier
 * request of the same connection called `done`, and `done` counts only after `ready` (a request
 * that finishes early still does not let the next one pass the one before it).
 */
export interface Turn {
  readonly ready: Promise<void>;
  readonly done: () => void;
}

export class ArrivalOrder {
  private readonly last = new WeakMap<object, Promise<void>>();

  take(connection: object): Turn {
    const ready = this.last.get(connection) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.last.set(
      connection,
      ready.then(() => mine),
    );
    return { ready, done };
  }
}
