/**
 * Actions of a world state as small non-negative integers (so the checker keeps them in typed
 * arrays): a kind, a component or channel, and an index (a timer, an environment event, a bag
 * position and choice).
 */
export const enum ActionKind {
  Deliver = 0,
  Timer = 1,
  Environment = 2,
  Lose = 3,
  Restart = 4,
  Partition = 5,
  Heal = 6,
}

export const KIND_BITS = 3;
export const ARG1_BITS = 10;
export const ARG1_LIMIT = 1 << ARG1_BITS;
/** Deliveries pack the bag position and the choice index into arg2. */
export const CHOICE_LIMIT = 64;
/** At most this many distinct events (a channel word holds event id + 1; actions stay int32). */
export const EVENT_LIMIT = 0x200000;

export function encodeAction(kind: ActionKind, arg1: number, arg2 = 0): number {
  return kind + arg1 * (1 << KIND_BITS) + arg2 * (1 << (KIND_BITS + ARG1_BITS));
}

export function decodeAction(a: number): { kind: ActionKind; arg1: number; arg2: number } {
  const kind = a & ((1 << KIND_BITS) - 1);
  const rest = Math.floor(a / (1 << KIND_BITS));
  return { kind, arg1: rest & (ARG1_LIMIT - 1), arg2: Math.floor(rest / ARG1_LIMIT) };
}

/** The kind of an action, without decoding the rest (the hot path). */
export function kindOf(a: number): ActionKind {
  return (a & ((1 << KIND_BITS) - 1)) as ActionKind;
}

/** Faults are the kinds from Lose on (a loss, a restart, a partition and its healing). */
export function isFaultAction(a: number): boolean {
  return kindOf(a) >= ActionKind.Lose;
}
