/**
 * The event an action was written for. An action the machine binds to one event type (`on:
 * { UPDATE: { actions: 'recordUpdate' } }`) is still typed with the machine's whole event union;
 * this narrows it once, where each action used to test the type again and return nothing for an
 * event it can never receive (a branch no input reaches, which branch coverage counted as
 * untaken). Binding the action to another event is a wiring bug, so it throws. (xstate's
 * `assertEvent` checks the same, but as a statement that narrows its argument: these actions
 * read the event inside one expression, `eventOf(event, 'UPDATE').update`, which it cannot.)
 */
export function eventOf<E extends { type: string }, T extends E['type']>(event: E, type: T): Extract<E, { type: T }> {
  if (event.type !== type) throw new Error(`an action written for ${type} was bound to ${event.type}`);
  return event as Extract<E, { type: T }>;
}
