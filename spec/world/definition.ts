/**
 * What a system is made of (DESIGN.md section 5): its components, channels, fault budgets and
 * the options that keep its state space finite. Plain data; system.ts explains what each part
 * does in a world state.
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import type { Local } from '../step.ts';

export interface ComponentDef {
  /** The address other components send to, e.g. `master`, `agent-0`, `fw-1`, `exec-0-t1`. */
  readonly name: string;
  readonly machine: AnyStateMachine;
  /** Started in the initial state with this input; false = an empty slot until spawned. */
  readonly running: boolean;
  readonly input?: unknown;
  /**
   * The input of a restart, from the context the crash left behind (what was checkpointed). A
   * pure function of that context: it is called once per distinct local state and memoised.
   */
  readonly restartInput?: (context: unknown) => unknown;
  /** Events the environment may inject at any time; the machine's guards decide which apply. */
  readonly environment?: readonly AnyEventObject[];
  /**
   * Nondeterministic reactions: extra fields merged into a delivered event, one alternative each
   * (e.g. a framework that may accept or decline an offer). Default: one, no extra fields.
   */
  readonly choices?: (event: AnyEventObject) => readonly Record<string, unknown>[];
  /**
   * Never stopped or spawned (running from the start; only restart faults interrupt it). Partial-
   * order reduction (partial-order.ts) reduces only systems whose components are all permanent.
   */
  readonly permanent?: boolean;
}

export interface ChannelDef {
  readonly from: string;
  readonly to: string;
  /** fifo: delivered in order (a TCP connection); bag: any order (separate HTTP requests). */
  readonly kind: 'fifo' | 'bag';
  readonly bound: number;
  /**
   * The loss fault may drop its head: any message (true), or only messages of these types (the
   * ones a protocol delivers at least once; losing others on a TCP link means the link broke).
   */
  readonly lossy?: boolean | readonly string[];
  /** Loopback: a partition of either end does not cut it. */
  readonly local?: boolean;
  /** When `from` restarts or stops, `to` is told `{ type: 'LINK_BROKEN', peer: from }`. */
  readonly notifyOnBreak?: boolean;
  /**
   * The sender may send into it in 'drop' mode (dropped when full). Only partial-order reduction
   * needs to know ahead (a drop into a full channel does not commute with the receiver taking its
   * head); undeclared, the first such send compiled declares it, or is an error once a reduction
   * has relied on there being none.
   */
  readonly mayDrop?: boolean;
}

export interface RestartGroup {
  /** The budget's name, e.g. `crash`, `failover`, `master-failover`. */
  readonly name: string;
  readonly components: readonly string[];
  readonly budget: number;
}

export interface SystemDef {
  readonly components: readonly ComponentDef[];
  readonly channels: readonly ChannelDef[];
  readonly timing: 'eager' | 'abstract';
  /**
   * Timers set with a longer delay never fire (default: all fire). Not a model of Mesos: a
   * restriction for finding witnesses a real cluster replays without waiting minutes.
   */
  readonly maxTimerMs?: number;
  /**
   * Under eager timing, the timers (by event type) that may fire while messages are in flight
   * too, as under abstract timing: what a configuration lets race the network, such as an
   * executor's registration timeout against a launch the environment makes slow.
   */
  readonly earlyTimers?: readonly string[];
  readonly faults?: {
    readonly loss?: number;
    readonly restarts?: readonly RestartGroup[];
    readonly partition?: { readonly components: readonly string[]; readonly budget: number };
  };
  /** Effect types this system leaves to the runtime (ignored here). */
  readonly ignoredEffects?: readonly string[];
  /**
   * Effects handed at once to a component instead of ignored: an effect of `type` emitted by one of
   * `from` is delivered to `to` as `{ ...effect, from }` within the emitter's step (the master's
   * registry writes to the election service, election.ts). An emitter stopped in answer loses the
   * rest of its step's effects: it aborted before acting on what it could not store.
   */
  readonly effectsTo?: readonly { readonly from: readonly string[]; readonly type: string; readonly to: string }[];
  /** Components whose sends to an address they have no channel to are lost (a deposed master: those who followed it left). */
  readonly unheard?: readonly string[];
  /** Maps an address a machine sends to onto a component name (default: the address itself). */
  readonly resolve?: (address: string) => string;
  /** Fresh ids that would grow forever, kept finite by canonical renaming (see FreshIds). */
  readonly freshIds?: readonly FreshIds[];
  /**
   * Interchangeable parts, for symmetry reduction (`canonicalize`). Each group lists members;
   * each member lists the names (tokens) that make it up, in corresponding order across the
   * members: `[['agent-0'], ['agent-1']]`, or for frameworks `[['fw-0', 'a1'], ['fw-1', 'b1']]`.
   * Swapping two members renames every occurrence of their tokens in every local state, every
   * message and every component and channel name. Sound when the machines compare these names
   * only for equality and never order by them.
   */
  readonly symmetry?: readonly (readonly (readonly string[])[])[];
  /**
   * A component the System itself tells of every environment choice and every fault (a cause
   * record, which no machine can bend): `note` turns `{ component, event }` (an environment
   * event) or `{ fault, component? }` (a fault: `loss`, a restart group's name, `partition`) into
   * the event it is given at once, or null.
   */
  readonly recorder?: { readonly component: string; readonly note: (what: NotedAction) => AnyEventObject | null };
  /**
   * The transport's authentication: the message `to` gets from `from`, given what the sender
   * holds (its context: the credentials and tokens it was given). It adds who the sender proved
   * to be, so no machine can claim an identity by writing it into a message. Default: as sent.
   */
  readonly authenticate?: (from: string, to: string, context: unknown, msg: AnyEventObject) => AnyEventObject;
}

/** What a recorder is told about: an environment event of a component, a timer of it that fired, or a fault. */
export interface NotedAction {
  readonly component?: string;
  readonly event?: AnyEventObject;
  readonly timer?: AnyEventObject;
  readonly fault?: string;
}

/**
 * A family of fresh ids a machine draws from a counter (`<master>-O<n>` offer ids): ids only
 * ever compared for equality, so renaming every live one to 0..k-1 in order, and setting the
 * counter to k, gives an equivalent state (a data symmetry). Without it, every re-offer would
 * be a new state and the state space infinite.
 */
export interface FreshIds {
  /** Matches one id in canonical JSON; group 1 is everything before the number, group 2 the number. */
  readonly pattern: RegExp;
  /** The component whose context holds the counter at `context.fresh[counter]`. */
  readonly owner: string;
  readonly counter: string;
}

export interface WorldView {
  readonly components: Record<string, Local | null>;
  readonly channels: Record<string, AnyEventObject[]>;
  readonly faults: Record<string, number>;
  readonly partitioned: string[];
}

/**
 * Interning shared between worker threads: per table, an append-only log of keys that every
 * worker sees; `intern` returns a key's position, appending it if it is new. (checker/shared-log.ts
 * implements it over SharedArrayBuffers; this module knows only the shape.)
 */
export interface SharedInterner {
  intern(table: number, key: string): number;
  /** Entries in the table's log. */
  size(table: number): number;
  entry(table: number, i: number): string;
}
