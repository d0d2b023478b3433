/**
 * What a machine may emit, and nothing else (DESIGN.md section 3). The world (spec/world) and
 * the runtime hosts (impl/) interpret these; a machine never does I/O itself.
 *
 * Every delivered event is the message plus envelope fields the transport adds:
 *   - `from`: the sender's address (a component in the model; a connection id in the runtime);
 *   - for scheduler calls: `stream_id` (the Mesos-Stream-Id header) and `request` (the HTTP
 *     request to answer; absent in the model, where nobody waits for HTTP status codes);
 *   - on SUBSCRIBED: `stream` (the Mesos-Stream-Id the master chose for the connection).
 * A broken connection arrives as `{ type: 'LINK_BROKEN', peer }`.
 */

/** An envelope field a transport adds to a delivered message. */
export interface Envelope {
  readonly from: string;
}

/** A message to `to`. `mode` only matters in the model's bounded channels (see System). */
export interface SendEffect {
  readonly type: 'send';
  readonly to: string;
  readonly msg: { readonly type: string };
  readonly mode?: 'block' | 'drop' | 'empty';
  /** Envelope: the Mesos-Stream-Id of a new subscription stream (SUBSCRIBED only). */
  readonly stream?: string;
  /** Close the connection after this message (ERROR events end the stream). */
  readonly close?: boolean;
}

/** The HTTP answer to a call that carried a `request`. */
export interface ReplyEffect {
  readonly type: 'reply';
  readonly request: string | undefined;
  readonly status: number;
  readonly message?: string;
}

/** Start a component (an executor) in the slot `name`. */
export interface SpawnEffect {
  readonly type: 'spawn';
  readonly name: string;
  readonly input: unknown;
}

/** Stop `name` (default: the emitter), then deliver each notification at once. */
export interface StopEffect {
  readonly type: 'stop';
  readonly name?: string;
  readonly notify?: readonly { readonly to: string; readonly event: { readonly type: string } }[];
}

/** The task's process, for the runtime: start it, or signal it. The model ignores these. */
export interface ProcessEffect {
  readonly type: 'process';
  readonly op: 'start' | 'signal';
  readonly command?: unknown;
  readonly signal?: 'SIGTERM' | 'SIGKILL';
}

/**
 * A persistent volume's directory on the agent, for the runtime (Slave::syncCheckpointedResources):
 * make it when the volume appears among the checkpointed resources, delete it and its data when
 * the volume is gone from them (DESTROY). The role and the persistence id name the directory.
 * The model ignores these.
 */
export interface VolumeEffect {
  readonly type: 'volume';
  readonly op: 'create' | 'delete';
  readonly role: string;
  readonly id: string;
}

/** Persist this (the registry, a checkpoint) before acting on it. The model keeps it in context. */
export interface PersistEffect {
  readonly type: 'persist';
  readonly key: string;
  readonly value: unknown;
}

/** Close a connection (the end of a removed framework's subscription stream). */
export interface CloseEffect {
  readonly type: 'close';
  readonly connection: string;
}

/**
 * Something the host counts for Mesos's metrics (docs/monitoring.md), said by the machine that
 * decided it; the host names the metric and sums. `call`: a scheduler call the master accepted;
 * `task_ended`: a task left the master's books without a terminal state of its own, and this is the
 * state it ended in (what the operator API lists it as among the completed tasks).
 */
export type CountEffect =
  | { readonly type: 'count'; readonly counter: MasterCounter | AgentCounter }
  | { readonly type: 'count'; readonly counter: 'call'; readonly call: string; readonly framework: string }
  | { readonly type: 'count'; readonly counter: 'task_ended'; readonly framework: string; readonly task: string; readonly state: string };

/** The master's counters whose value is a protocol decision (the rest count deliveries, in the host). */
export type MasterCounter =
  | 'valid_status_updates'
  | 'invalid_status_updates'
  | 'valid_status_update_acknowledgements'
  | 'invalid_status_update_acknowledgements'
  | 'valid_framework_to_executor_messages'
  | 'invalid_framework_to_executor_messages'
  | 'slave_registrations'
  | 'slave_reregistrations'
  | 'slave_removals'
  | 'slave_removals/reason_unhealthy'
  | 'slave_removals/reason_unregistered'
  | 'recovery_slave_removals';

/**
 * The agent's counters (docs/monitoring.md, "Agent"): `tasks_<state>` when one of its tasks
 * reaches one of the five terminal states Mesos counts (Executor::updateTaskState; it only logs
 * the others), `executors_terminated` when an executor ends.
 */
export type AgentCounter = 'executors_terminated' | 'tasks_finished' | 'tasks_failed' | 'tasks_killed' | 'tasks_lost' | 'tasks_gone';

export type MachineEffect = SendEffect | ReplyEffect | SpawnEffect | StopEffect | ProcessEffect | VolumeEffect | PersistEffect | CloseEffect | CountEffect;

export const send = <M extends { readonly type: string }>(to: string, msg: M, extra: Partial<Pick<SendEffect, 'mode' | 'stream' | 'close'>> = {}): SendEffect => ({
  type: 'send',
  to,
  msg,
  ...extra,
});

export const reply = (request: string | undefined, status: number, message?: string): ReplyEffect => ({
  type: 'reply',
  request,
  status,
  ...(message === undefined ? {} : { message }),
});

/** The effect types only the runtime acts on; the model world ignores them. */
export const RUNTIME_ONLY_EFFECTS = ['reply', 'process', 'volume', 'persist', 'close', 'count'] as const;
