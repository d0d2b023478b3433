/**
 * A configuration makes a Mesos world finite: which agents with which resources, which
 * frameworks wanting which tasks, how tasks may end, which faults may happen how often, and how
 * large the channels are. Configurations are data (JSON files or the named ones below), checked
 * by `validateConfig`, whose messages name the field at fault.
 */
import { parseResources } from '../resources/index.ts';
import { GATE_LIES, GENERAL_CALLS } from '../machines/general-framework.ts';

/** How a task's process may end, as far as the environment is concerned. */
export type TaskOutcome = 'finish' | 'fail' | 'any' | 'never' | 'stubborn';

export interface TaskConfig {
  /** Unique in the whole configuration (the command executor's id is the task id). */
  readonly id: string;
  /** Agent flag syntax, e.g. `cpus:1;mem:128`. */
  readonly resources: string;
  /** finish = exits 0, fail = exits 1, any = either, never = runs until killed, stubborn = ignores SIGTERM and runs until SIGKILL. */
  readonly outcome: TaskOutcome;
  /** Launched through this custom executor of its framework (an ExecutorInfo in the TaskInfo), not the command executor. */
  readonly executor?: string;
  /** Launched as one task group (LAUNCH_GROUP) with every task naming the same id, under Mesos's default executor of that id. */
  readonly group?: string;
  /**
   * The task's kill policy (TaskInfo.kill_policy.grace_period), in seconds; absent: none, so its
   * executor kills with its default grace (3 s for the command executor).
   */
  readonly killGracePeriodSeconds?: number;
}

export interface FrameworkConfig {
  readonly name: string;
  /** A MULTI_ROLE framework's roles; absent = the single role `*`. */
  readonly roles?: readonly string[];
  readonly partitionAware: boolean;
  readonly checkpoint: boolean;
  readonly taskKillingState?: boolean;
  /** Seconds the master keeps it after a disconnection. */
  readonly failoverTimeoutSeconds: number;
  readonly tasks: readonly TaskConfig[];
  /** The filter on declined resources. */
  readonly refuseSeconds?: number;
  /** Reconciliation after re-subscribing. */
  readonly reconcile?: 'explicit' | 'implicit' | 'none';
  /** Task ids the environment may ask this framework to kill. */
  readonly kill?: readonly string[];
  /** The environment may ask this framework to tear itself down. */
  readonly teardown?: boolean;
  /**
   * polite (default): the well-behaved scheduler of spec/machines/scheduler.ts. general: the most
   * general framework (spec/machines/general-framework.ts), which may send any of `calls`, at
   * any moment, `callBudget` times in all (its tasks are what a valid ACCEPT launches).
   */
  readonly kind?: 'polite' | 'general';
  readonly calls?: readonly string[];
  readonly callBudget?: number;
  /** A general framework may also send each call on a stale stream, without one, or as an unknown framework. */
  readonly gates?: readonly string[];
  /** Executor ids (of its tasks' `executor`) this framework may send one MESSAGE to, once it knows where they run. */
  readonly messages?: readonly string[];
  /** Executor ids (custom or a group's) whose process the environment may kill (kill -9) while they live. */
  readonly executorKills?: readonly string[];
}

export interface AgentConfig {
  /** Agent flag syntax, e.g. `cpus:4;mem:4096`. */
  readonly resources: string;
  /** How many identical agents (default 1). */
  readonly count?: number;
  /** The agent may shut down gracefully at any moment and unregister (Mesos's SIGUSR1; spec/machines/master/removal.ts). */
  readonly unregister?: boolean;
}

export interface FaultBudgets {
  /** Messages lost on lossy channels (master <-> agents, scheduler calls). */
  readonly loss: number;
  /** Agent crash and restart (recovering checkpointed state). */
  readonly agentCrash: number;
  /** A scheduler instance dies and a new one takes over with the same framework id. */
  readonly frameworkFailover: number;
  /** The master fails over to a new one that recovers the registry. */
  readonly masterFailover: number;
  /** An agent is cut off (and may heal). */
  readonly partition: number;
}

/**
 * The master's and agents' timeouts, in milliseconds (absent: Mesos's default). The model has no
 * clock, so their values change no verdict; they are what a scenario's timers wait for when a
 * cluster replays it (conformance generates with short ones, so no scenario waits minutes), and
 * the flags that cluster runs with. The offer timeout is the one whose presence the model sees:
 * Mesos has none by default, and with one the master may rescind any offer still held.
 */
export interface ClusterTimeouts {
  /** Master `--agent_reregister_timeout` (10 min): agents of a failed-over master must reregister within it. */
  readonly agentReregisterTimeoutMs?: number;
  /** Master `--agent_ping_timeout` (15 s), missed `--max_agent_ping_timeouts` times before an agent is unreachable. */
  readonly agentPingTimeoutMs?: number;
  /** Agent `--executor_registration_timeout` (1 min): a launched executor must SUBSCRIBE within it. */
  readonly executorRegistrationTimeoutMs?: number;
  /** Agent `--executor_reregistration_timeout` (2 s): recovered executors must re-subscribe within it. */
  readonly executorReregistrationTimeoutMs?: number;
  /** Agent `--recovery_timeout` (15 min, MESOS_RECOVERY_TIMEOUT): a checkpointing executor waits this long for its agent. */
  readonly recoveryTimeoutMs?: number;
  /**
   * Agent `--executor_shutdown_grace_period` (5 s): SHUTDOWN to destroy for an executor whose
   * ExecutorInfo sets none (a command task without a kill policy). The model sees it: the command
   * executor kills with what is left of it after a 2 s margin, so below 5 s a SHUTDOWN during a
   * kill (3 s grace) shortens the kill.
   */
  readonly executorShutdownGracePeriodMs?: number;
  /** The command executor's fail-safe exit when its terminal update is never acknowledged (60 s; not a Mesos flag). */
  readonly executorTerminalAckTimeoutMs?: number;
  /** Master `--offer_timeout` (none): an offer a framework holds longer is rescinded (spec/machines/master/offer-timeout.ts). */
  readonly offerTimeoutMs?: number;
}

/** The timers a configuration may let fire early (the cause record knows what each one's early firing means). */
export const EARLY_TIMERS = ['EXECUTOR_REGISTRATION_TIMEOUT'] as const;
export type EarlyTimer = (typeof EARLY_TIMERS)[number];

const CLUSTER_TIMEOUT_FIELDS = [
  'agentReregisterTimeoutMs',
  'agentPingTimeoutMs',
  'executorRegistrationTimeoutMs',
  'executorReregistrationTimeoutMs',
  'recoveryTimeoutMs',
  'executorShutdownGracePeriodMs',
  'executorTerminalAckTimeoutMs',
  'offerTimeoutMs',
] as const satisfies readonly (keyof ClusterTimeouts)[];

export interface MesosConfig {
  readonly name: string;
  readonly description?: string;
  readonly agents: readonly AgentConfig[];
  readonly frameworks: readonly FrameworkConfig[];
  readonly faults: FaultBudgets;
  /** Capacity of each channel. */
  readonly channelBound: number;
  /**
   * eager: timers fire only while no message is in flight (the network is faster than any
   * timeout); abstract: any pending timer may fire at any moment.
   */
  readonly timing: 'eager' | 'abstract';
  /**
   * Under eager timing, the timers that may fire early, while messages are in flight:
   * EXECUTOR_REGISTRATION_TIMEOUT lets an executor's launch be slower than the agent's
   * registration timeout (a slow fetch or container start), so the agent may destroy an executor
   * whose SUBSCRIBE has not reached it. The cause record counts it as the fault `slow-launch`.
   */
  readonly earlyTimers?: readonly EarlyTimer[];
  /**
   * An intruder (intruder.ts) that may send `budget` calls with any identity; its presence makes
   * the world authenticated (executor tokens, agent credentials: authentication.ts). With
   * `malformed`, its calls are only the executor calls an agent refuses before it reads the
   * caller's identity or the executor's state: an UPDATE without a uuid (400 by the call's own
   * validation, or while the agent recovers) and a SUBSCRIBE naming a framework id the master never
   * assigns (400, even while the agent terminates).
   */
  readonly intruder?: { readonly budget: number; readonly malformed?: boolean };
  readonly master?: {
    /** Scheduler heartbeats (15 s in Mesos); off by default in the model: they carry no state. */
    readonly heartbeats?: boolean;
    /** `--max_agent_ping_timeouts` (5 in Mesos). */
    readonly maxAgentPingTimeouts?: number;
    /**
     * Health checks (PING / PONG and the agent's ping timeout). Default on. Without partitions
     * nothing they watch can fail, so small models turn them off.
     */
    readonly agentPings?: boolean;
    /** `--agent_removal_rate_limit` in Mesos's format, e.g. `1/10mins` (absent: no limit). */
    readonly agentRemovalRateLimit?: string;
  };
  /** The master's and agents' timeouts (Mesos's defaults where absent). */
  readonly timeouts?: ClusterTimeouts;
  /**
   * Masters elected through ZooKeeper (election.ts): `masters` in all, one leading; each master
   * failover of the fault budget is then the leader's session expiring while it goes on running.
   */
  readonly election?: { readonly masters: number };
}

/** Offer ids are `<master>-O<n>`; the model renames those, so nothing else may look like one. */
const OFFER_ID_LIKE = /-O\d/;

export const NO_FAULTS: FaultBudgets = { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 };

/** Field-naming problems with a configuration; empty when it is usable. */
export function validateConfig(raw: unknown): string[] {
  const errors: string[] = [];
  const c = raw as Partial<MesosConfig> | null;
  if (typeof c !== 'object' || c === null) return ['configuration: expected an object'];
  if (typeof c.name !== 'string' || c.name === '') errors.push("'name': expected a non-empty string");
  const int = (v: unknown, field: string, min = 0) => {
    if (!Number.isInteger(v) || (v as number) < min) errors.push(`'${field}': expected an integer >= ${min}`);
  };
  if (!Array.isArray(c.agents) || c.agents.length === 0) errors.push("'agents': expected a non-empty array");
  (c.agents ?? []).forEach((a, i) => {
    const r = parseResources(a?.resources ?? '');
    if (!r.ok) errors.push(`'agents[${i}].resources': ${r.error}`);
    if (a?.count !== undefined) int(a.count, `agents[${i}].count`, 1);
  });
  if (!Array.isArray(c.frameworks) || c.frameworks.length === 0) errors.push("'frameworks': expected a non-empty array");
  const taskIds = new Set<string>();
  const executorOwners = new Map<string, string>();
  (c.frameworks ?? []).forEach((f, i) => {
    const at = `frameworks[${i}]`;
    if (typeof f?.name !== 'string' || f.name === '') errors.push(`'${at}.name': expected a non-empty string`);
    else if (OFFER_ID_LIKE.test(f.name)) errors.push(`'${at}.name': '${f.name}' looks like an offer id (-O<digits>), which the model renames`);
    if (typeof f?.partitionAware !== 'boolean') errors.push(`'${at}.partitionAware': expected a boolean`);
    if (typeof f?.checkpoint !== 'boolean') errors.push(`'${at}.checkpoint': expected a boolean`);
    if (typeof f?.failoverTimeoutSeconds !== 'number' || f.failoverTimeoutSeconds < 0) errors.push(`'${at}.failoverTimeoutSeconds': expected a number >= 0`);
    if (f?.refuseSeconds !== undefined && typeof f.refuseSeconds !== 'number') errors.push(`'${at}.refuseSeconds': expected a number`);
    if (f?.reconcile !== undefined && !['explicit', 'implicit', 'none'].includes(f.reconcile)) errors.push(`'${at}.reconcile': expected explicit, implicit or none`);
    if (!Array.isArray(f?.tasks)) errors.push(`'${at}.tasks': expected an array`);
    (f?.tasks ?? []).forEach((t, j) => {
      const tat = `${at}.tasks[${j}]`;
      if (typeof t?.id !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(t.id) || t.id === '.' || t.id === '..')
        errors.push(`'${tat}.id': expected a task id of letters, digits, '.', '_' or '-'`);
      else if (OFFER_ID_LIKE.test(t.id)) errors.push(`'${tat}.id': '${t.id}' looks like an offer id (-O<digits>), which the model renames`);
      else if (taskIds.has(t.id)) errors.push(`'${tat}.id': task id '${t.id}' is used twice`);
      else taskIds.add(t.id);
      const r = parseResources(t?.resources ?? '');
      if (!r.ok) errors.push(`'${tat}.resources': ${r.error}`);
      if (!['finish', 'fail', 'any', 'never', 'stubborn'].includes(t?.outcome as string)) errors.push(`'${tat}.outcome': expected finish, fail, any, never or stubborn`);
      if (t?.killGracePeriodSeconds !== undefined && !(typeof t.killGracePeriodSeconds === 'number' && Number.isFinite(t.killGracePeriodSeconds) && t.killGracePeriodSeconds >= 0))
        errors.push(`'${tat}.killGracePeriodSeconds': expected a number of seconds >= 0`);
    });
    if (f?.kind !== undefined && f.kind !== 'polite' && f.kind !== 'general') errors.push(`'${at}.kind': expected polite or general`);
    if (f?.kind === 'general') {
      if (!Array.isArray(f.calls) || f.calls.length === 0) errors.push(`'${at}.calls': a general framework needs a non-empty list of calls`);
      for (const k of f.calls ?? []) if (!(GENERAL_CALLS as readonly string[]).includes(k)) errors.push(`'${at}.calls': '${k}' is not one of ${GENERAL_CALLS.join(', ')}`);
      int(f.callBudget, `${at}.callBudget`, 1);
      for (const g of f.gates ?? []) if (!(GATE_LIES as readonly string[]).includes(g)) errors.push(`'${at}.gates': '${g}' is not one of ${GATE_LIES.join(', ')}`);
      if ((f.tasks ?? []).length === 0) errors.push(`'${at}.tasks': a general framework needs a task for its valid ACCEPT`);
    } else if (f?.calls !== undefined || f?.callBudget !== undefined || f?.gates !== undefined) errors.push(`'${at}.calls': only a general framework has calls and a callBudget`);
    for (const k of f?.kill ?? []) if (!(f?.tasks ?? []).some((t) => t.id === k)) errors.push(`'${at}.kill': '${k}' is not one of this framework's tasks`);
    errors.push(...executorErrors(f, at, taskIds, executorOwners));
  });
  const faults = c.faults as Partial<FaultBudgets> | undefined;
  if (typeof faults !== 'object' || faults === null) errors.push("'faults': expected an object");
  else for (const k of Object.keys(NO_FAULTS) as (keyof FaultBudgets)[]) int(faults[k], `faults.${k}`);
  int(c.channelBound, 'channelBound', 1);
  if (c.timing !== 'eager' && c.timing !== 'abstract') errors.push("'timing': expected eager or abstract");
  if (c.earlyTimers !== undefined) {
    if (!Array.isArray(c.earlyTimers)) errors.push(`'earlyTimers': expected an array of ${EARLY_TIMERS.join(', ')}`);
    else
      c.earlyTimers.forEach((t, i) => {
        if (!(EARLY_TIMERS as readonly unknown[]).includes(t)) errors.push(`'earlyTimers[${i}]': expected one of ${EARLY_TIMERS.join(', ')}`);
      });
  }
  if (c.intruder !== undefined) int(c.intruder?.budget, 'intruder.budget', 1);
  if (c.intruder?.malformed !== undefined && typeof c.intruder.malformed !== 'boolean') errors.push("'intruder.malformed': expected a boolean");
  if (c.election !== undefined) int(c.election?.masters, 'election.masters', 2);
  if (c.master?.maxAgentPingTimeouts !== undefined) int(c.master.maxAgentPingTimeouts, 'master.maxAgentPingTimeouts', 1);
  for (const k of CLUSTER_TIMEOUT_FIELDS) if (c.timeouts?.[k] !== undefined) int(c.timeouts[k], `timeouts.${k}`, 1);
  if (c.master?.agentPings === false && (c.faults as FaultBudgets | undefined)?.partition) errors.push("'master.agentPings': a partition needs health checks to be noticed");
  return errors;
}

const EXECUTOR_ID = /^[A-Za-z0-9_.-]+$/;

/**
 * A framework's executors: each task names a custom executor or a group, not both; an id is one
 * framework's and one kind's (the world gives it one slot per agent, `<agent>/<executor id>`, so
 * it may not be a task id either); `messages` and `executorKills` name executors of its own.
 */
function executorErrors(f: Partial<FrameworkConfig> | undefined, at: string, taskIds: ReadonlySet<string>, owners: Map<string, string>): string[] {
  const errors: string[] = [];
  const own = new Map<string, 'executor' | 'group'>();
  (f?.tasks ?? []).forEach((t, j) => {
    const tat = `${at}.tasks[${j}]`;
    if (t?.executor !== undefined && t.group !== undefined) errors.push(`'${tat}.group': a task runs under its executor or in a group, not both`);
    for (const kind of ['executor', 'group'] as const) {
      const id = t?.[kind];
      if (id === undefined) continue;
      if (typeof id !== 'string' || !EXECUTOR_ID.test(id) || OFFER_ID_LIKE.test(id)) errors.push(`'${tat}.${kind}': expected an executor id of letters, digits, '.', '_' or '-'`);
      else if (taskIds.has(id)) errors.push(`'${tat}.${kind}': '${id}' is also a task id (executor slots are named by id)`);
      else if ((owners.get(id) ?? at) !== at) errors.push(`'${tat}.${kind}': executor '${id}' belongs to ${owners.get(id)}`);
      else if ((own.get(id) ?? kind) !== kind) errors.push(`'${tat}.${kind}': '${id}' is used both as a custom executor and as a group`);
      else {
        owners.set(id, at);
        own.set(id, kind);
      }
    }
  });
  for (const field of ['messages', 'executorKills'] as const) {
    for (const id of f?.[field] ?? [])
      if (!own.has(id) || (field === 'messages' && own.get(id) !== 'executor'))
        errors.push(`'${at}.${field}': '${id}' is not one of this framework's ${field === 'messages' ? 'custom ' : ''}executors`);
  }
  return errors;
}
