/**
 * What a framework learns matches what happened (DESIGN.md section 7: "a master that fails every
 * task is safe"). One table, one row per cause of a task status in Mesos, read two ways:
 *   - always: every (state, reason, source) a framework is sent is a row of the table, in the
 *     form its PARTITION_AWARE capability gets (reasonsAndSources);
 *   - at quiescence: the last reliable update a framework logged for a task is a row of one of
 *     the causes that happened to that task, as the world's cause record (spec/world/causes.ts)
 *     saw them (outcomeFidelity); in a run with no fault, that is exactly the row of how its
 *     process exited, and it has arrived (faultFreeOutcomes).
 * Sources: reference/mesos-semantics.md sections 2.3, 2.5, 4.4, 4.5, 6.5, 7.2, 8, and Mesos's
 * src/launcher/executor.cpp, src/slave/slave.cpp, src/master/master.cpp.
 */
import type { TaskState, TaskStatusReason, TaskStatusSource } from '../spec/protocol/common.ts';
import { isTerminal, PARTITION_AWARE_TASK_STATES, TASK_STATES } from '../spec/protocol/common.ts';
import type { CauseRecord, FaultName } from '../spec/world/causes.ts';
import type { LoggedUpdate } from '../spec/machines/scheduler.ts';
import type { MesosLayout } from '../spec/world/mesos.ts';
import { frameworkIdOf, type WorldReader } from './world.ts';

/** Why a task status is what it is. */
export type Cause =
  | 'progress' // the executor reports the task starting and running
  | 'exit-0' // the command exited 0 on its own
  | 'exit-nonzero' // the command exited non-zero on its own
  | 'kill' // the framework killed it
  | 'agent-restart' // the agent restarted: staged tasks dropped, executors that did not come back
  | 'executor-terminated' // the executor ended with the task unfinished
  | 'registration-timeout' // the executor never subscribed
  | 'invalid-offers' // the ACCEPT named offers that no longer exist
  | 'agent-disconnected' // the agent's link broke (non-checkpointing tasks, launches in flight)
  | 'agent-removed' // the agent was marked unreachable or removed
  | 'agent-reregistered' // the agent came back and reports the task's current state
  | 'agent-reconciliation' // the master believes the task is on the agent; the agent does not know it
  | 'reconciliation' // the master answers a RECONCILE
  | 'task-invalid' // the launch was invalid
  | 'framework-removed' // the framework was torn down or timed out
  | 'agent-gone' // an operator marked the agent gone (MARK_AGENT_GONE)
  | 'drain'; // an operator drained the agent (DRAIN_AGENT): the agent kills its tasks and drops new ones

/** `[partition-aware state, non-partition-aware state]`, or one state for both. */
type States = TaskState | readonly [TaskState, TaskState];

export interface OutcomeRow {
  readonly cause: Cause;
  readonly states: readonly States[];
  readonly reason?: TaskStatusReason;
  readonly source: TaskStatusSource;
}

/** A state as each kind of framework hears it: TASK_LOST in place of a partition-aware-only state. */
const asHeard = (s: TaskState): States => (PARTITION_AWARE_TASK_STATES.includes(s) ? [s, 'TASK_LOST'] : s);

/** Every state a master may report in answer to a RECONCILE (TASK_LOST only as what a partition-aware-only state becomes). */
const ANY_RECONCILED: readonly States[] = TASK_STATES.filter((s) => s !== 'TASK_LOST').map(asHeard);

/** Every state a master may report when it re-reports an agent's or its own view of a task: TASK_UNKNOWN only answers a RECONCILE for a task it does not know. */
const ANY_REPORTED: readonly States[] = TASK_STATES.filter((s) => s !== 'TASK_LOST' && s !== 'TASK_UNKNOWN').map(asHeard);

export const OUTCOMES: readonly OutcomeRow[] = [
  { cause: 'progress', states: ['TASK_STARTING', 'TASK_RUNNING'], source: 'SOURCE_EXECUTOR' },
  { cause: 'exit-0', states: ['TASK_FINISHED'], source: 'SOURCE_EXECUTOR' },
  { cause: 'exit-nonzero', states: ['TASK_FAILED'], source: 'SOURCE_EXECUTOR' },
  { cause: 'kill', states: ['TASK_KILLING', 'TASK_KILLED'], source: 'SOURCE_EXECUTOR' },
  { cause: 'kill', states: ['TASK_KILLED'], reason: 'REASON_TASK_KILLED_DURING_LAUNCH', source: 'SOURCE_AGENT' },
  { cause: 'kill', states: [['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_EXECUTOR_TERMINATED', source: 'SOURCE_AGENT' },
  { cause: 'agent-restart', states: [['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_AGENT_RESTARTED', source: 'SOURCE_AGENT' },
  { cause: 'agent-restart', states: [['TASK_GONE', 'TASK_LOST']], reason: 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT', source: 'SOURCE_AGENT' },
  { cause: 'executor-terminated', states: ['TASK_FAILED', ['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_EXECUTOR_TERMINATED', source: 'SOURCE_AGENT' },
  { cause: 'registration-timeout', states: ['TASK_FAILED'], reason: 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', source: 'SOURCE_AGENT' },
  // A task that comes for the executor the agent is destroying is dropped (Slave::run), and a kill of it finds no executor (Slave::killTask).
  { cause: 'registration-timeout', states: [['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_EXECUTOR_TERMINATED', source: 'SOURCE_AGENT' },
  { cause: 'invalid-offers', states: [['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_INVALID_OFFERS', source: 'SOURCE_MASTER' },
  { cause: 'agent-disconnected', states: [['TASK_DROPPED', 'TASK_LOST'], 'TASK_LOST'], reason: 'REASON_AGENT_DISCONNECTED', source: 'SOURCE_MASTER' },
  { cause: 'agent-removed', states: [['TASK_DROPPED', 'TASK_LOST'], ['TASK_UNREACHABLE', 'TASK_LOST'], 'TASK_LOST'], reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER' },
  { cause: 'agent-reregistered', states: ANY_REPORTED, reason: 'REASON_AGENT_REREGISTERED', source: 'SOURCE_MASTER' },
  { cause: 'agent-reconciliation', states: [['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_RECONCILIATION', source: 'SOURCE_AGENT' },
  { cause: 'reconciliation', states: ANY_RECONCILED, reason: 'REASON_RECONCILIATION', source: 'SOURCE_MASTER' },
  { cause: 'task-invalid', states: ['TASK_ERROR'], reason: 'REASON_TASK_INVALID', source: 'SOURCE_MASTER' },
  // Every task of an invalid LAUNCH_GROUP (Master::accept).
  { cause: 'task-invalid', states: ['TASK_ERROR'], reason: 'REASON_TASK_GROUP_INVALID', source: 'SOURCE_MASTER' },
  { cause: 'task-invalid', states: [['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_TASK_INVALID', source: 'SOURCE_AGENT' },
  { cause: 'framework-removed', states: ['TASK_KILLED'], reason: 'REASON_FRAMEWORK_REMOVED', source: 'SOURCE_MASTER' },
  // A framework that is not partition-aware hears TASK_LOST with REASON_AGENT_REMOVED (the agent-removed row).
  { cause: 'agent-gone', states: ['TASK_GONE_BY_OPERATOR'], reason: 'REASON_AGENT_REMOVED_BY_OPERATOR', source: 'SOURCE_MASTER' },
  // While an agent drains its kill updates say so (GONE_BY_OPERATOR to a partition-aware framework under mark_gone), and it drops new tasks.
  { cause: 'drain', states: ['TASK_KILLING', 'TASK_KILLED', ['TASK_GONE_BY_OPERATOR', 'TASK_KILLED']], reason: 'REASON_AGENT_DRAINING', source: 'SOURCE_EXECUTOR' },
  { cause: 'drain', states: ['TASK_KILLED', ['TASK_GONE_BY_OPERATOR', 'TASK_KILLED']], reason: 'REASON_AGENT_DRAINING', source: 'SOURCE_AGENT' },
  { cause: 'drain', states: [['TASK_DROPPED', 'TASK_LOST']], reason: 'REASON_AGENT_DRAINING', source: 'SOURCE_AGENT' },
];

/** The causes each fault of the world can set off (on top of the task's own exit and kill). */
const FAULT_CAUSES: Readonly<Record<FaultName, readonly Cause[]>> = {
  loss: [],
  'agent-crash': [
    'agent-restart',
    'executor-terminated',
    'registration-timeout',
    'agent-disconnected',
    'agent-reregistered',
    'agent-reconciliation',
    'invalid-offers',
    'reconciliation',
  ],
  partition: ['agent-removed', 'agent-reregistered', 'agent-reconciliation', 'agent-disconnected', 'executor-terminated', 'invalid-offers', 'reconciliation'],
  'master-failover': ['agent-reregistered', 'agent-reconciliation', 'invalid-offers', 'reconciliation'],
  'framework-failover': ['reconciliation', 'framework-removed', 'invalid-offers'],
  // A graceful shutdown: removed by the master (or unreachable, if the word was lost with the link).
  'agent-unregister': ['kill', 'agent-removed', 'agent-disconnected', 'executor-terminated', 'invalid-offers', 'reconciliation'],
  // The agent destroys an executor that has not subscribed when its registration timer fires.
  'slow-launch': ['registration-timeout'],
};

const stateFor = (s: States, partitionAware: boolean): TaskState => (typeof s === 'string' ? s : s[partitionAware ? 0 : 1]);

/** Whether `row` says (state, reason, source) to a framework with this capability. */
function says(row: OutcomeRow, state: TaskState, reason: TaskStatusReason | undefined, source: TaskStatusSource | undefined, partitionAware: boolean): boolean {
  return row.source === source && row.reason === reason && row.states.some((s) => stateFor(s, partitionAware) === state);
}

const describe = (state: string, reason: string | undefined, source: string | undefined) => `(${state}, ${reason ?? 'no reason'}, ${source ?? 'no source'})`;

const partitionAwareOf = (w: WorldReader, fw: string) => w.layout.frameworkConfig[fw]?.partitionAware === true;

/**
 * Always: every update on its way to a framework is one Mesos emits, with the state its
 * PARTITION_AWARE capability gets (a partition-aware framework never hears TASK_LOST, the others
 * never hear DROPPED, GONE, UNREACHABLE, GONE_BY_OPERATOR or UNKNOWN).
 */
export function reasonsAndSources(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    const pa = partitionAwareOf(w, fw);
    for (const e of w.channel(w.layout.master, fw)) {
      if (e.type !== 'UPDATE') continue;
      const s = (e.update as { status: { task_id: { value: string }; state: TaskState; reason?: TaskStatusReason; source?: TaskStatusSource } }).status;
      if (!OUTCOMES.some((row) => says(row, s.state, s.reason, s.source, pa))) {
        return `${fw}${pa ? ' (partition-aware)' : ''} is sent ${s.task_id.value} ${describe(s.state, s.reason, s.source)}, which Mesos never sends it`;
      }
    }
  }
  return null;
}

/** The causes that may explain what a framework learned of task `tid`, by the cause record. */
function causesOf(record: CauseRecord, tid: string): Cause[] {
  const t = record.tasks[tid] ?? {};
  const out: Cause[] = ['progress'];
  if (t.exit !== undefined) out.push(t.exit === 0 ? 'exit-0' : 'exit-nonzero');
  if (t.killed) out.push('kill');
  if (t.teardown) out.push('kill', 'framework-removed');
  if (t.executorKilled) out.push('executor-terminated');
  for (const f of record.faults) out.push(...FAULT_CAUSES[f]);
  return out;
}

/** The live frameworks' launched tasks, with what each logged last. */
function launchedTasks(w: WorldReader): { fw: string; tid: string; pa: boolean; last: LoggedUpdate | undefined }[] {
  const m = w.master();
  const out: { fw: string; tid: string; pa: boolean; last: LoggedUpdate | undefined }[] = [];
  for (const fw of w.layout.frameworks) {
    const s = w.scheduler(fw);
    const fid = frameworkIdOf(w, fw);
    if (!s || !m || fid === undefined || m.frameworks[fid]?.connection !== fw) continue;
    // A most general framework's `launched` includes launches Mesos refuses (invalid tasks,
    // stale offers): only a polite framework's launches must end as their exits imply.
    if ((w.layout.frameworkConfig[fw]?.kind ?? 'polite') !== 'polite') continue;
    for (const tid of s.launched) {
      const log = s.log[tid] ?? [];
      out.push({ fw, tid, pa: partitionAwareOf(w, fw), last: log[log.length - 1] });
    }
  }
  return out;
}

/**
 * At quiescence: the last reliable update a live framework logged for each of its tasks is one
 * Mesos gives for a cause that happened to that task (its exit, a kill, the faults of the run).
 */
export function outcomeFidelity(w: WorldReader): string | null {
  const record = w.causes?.();
  if (!record) return null;
  for (const { fw, tid, pa, last } of launchedTasks(w)) {
    if (!last) continue;
    const causes = causesOf(record, tid);
    const explained = OUTCOMES.some((row) => causes.includes(row.cause) && says(row, last.state, last.reason, last.source, pa));
    if (!explained) {
      return `${fw} last learned ${tid} ${describe(last.state, last.reason, last.source)}, which no cause of its explains (${causes.filter((c) => c !== 'progress').join(', ') || 'nothing happened to it'}; faults: ${record.faults.join(', ') || 'none'})`;
    }
  }
  return null;
}

/**
 * At quiescence of a run with no fault and no teardown: every task a live framework launched
 * has reached the end its cause implies, through its executor's own update: exit 0 is
 * TASK_FINISHED, another exit TASK_FAILED, a kill TASK_KILLED (or, if the process exited first,
 * its exit's state); a process that never exits leaves the task TASK_RUNNING.
 */
export function faultFreeOutcomes(w: WorldReader): string | null {
  const record = w.causes?.();
  if (!record || record.faults.length > 0) return null;
  for (const { fw, tid, pa, last } of launchedTasks(w)) {
    const t = record.tasks[tid] ?? {};
    if (t.teardown) continue;
    // An executor killed under a task ends it (the environment's choice, not a fault); one that
    // had exited may end either way, its update being lost with the executor.
    const ended: Cause[] = t.executorKilled ? ['executor-terminated'] : [];
    const allowed: Cause[] =
      t.exit === undefined
        ? t.killed
          ? ['kill', ...ended]
          : ended.length
            ? ended
            : ['progress']
        : [t.exit === 0 ? 'exit-0' : 'exit-nonzero', ...(t.killed ? (['kill'] as const) : []), ...ended];
    const wanted =
      allowed.includes('executor-terminated') && t.exit === undefined
        ? 'TASK_FAILED'
        : allowed.includes('progress')
          ? 'TASK_RUNNING'
          : allowed.includes('kill') && t.exit === undefined
            ? 'TASK_KILLED'
            : t.exit === 0
              ? 'TASK_FINISHED'
              : 'TASK_FAILED';
    const ok =
      last !== undefined &&
      (allowed.includes('progress') ? last.state === 'TASK_RUNNING' : isTerminal(last.state)) &&
      OUTCOMES.some((row) => allowed.includes(row.cause) && says(row, last.state, last.reason, last.source, pa));
    if (!ok) {
      const what = t.exit === undefined ? (t.killed ? 'was killed before its process exited' : 'never exited') : `exited ${t.exit}${t.killed ? ' (a kill was asked for)' : ''}`;
      return `no fault happened and ${tid} ${what}, yet ${fw} ${last ? `last learned ${describe(last.state, last.reason, last.source)}` : 'learned nothing reliable of it'} (expected ${wanted})`;
    }
  }
  return null;
}

/**
 * At quiescence of a run with no fault: every live polite framework has launched every task its
 * configuration asks for. The allocator offers again each allocation interval what a framework
 * declined or left (Mesos's periodic batch allocation), so a master that offers once and never
 * again, or loses what it should offer, leaves a framework waiting for ever in a world that is
 * otherwise at rest. Not where a role has quota (a guarantee may hold the resources for its
 * role), nor while an offer is outstanding at rest (a most general framework may hold one for
 * ever, and Mesos lets it, without --offer_timeout).
 */
export function faultFreeLaunches(w: WorldReader): string | null {
  const record = w.causes?.();
  const m = w.master();
  if (!record || record.faults.length > 0 || !m || Object.keys(m.allocator.quotas ?? {}).length > 0 || Object.keys(m.offers).length > 0) return null;
  for (const fw of w.layout.frameworks) {
    const config = w.layout.frameworkConfig[fw];
    const s = w.scheduler(fw);
    const fid = frameworkIdOf(w, fw);
    if (!config || (config.kind ?? 'polite') !== 'polite' || !s || fid === undefined || m.frameworks[fid]?.connection !== fw) continue;
    const waiting = config.tasks.filter((t) => !s.launched.includes(t.id)).map((t) => t.id);
    if (waiting.length > 0) return `no fault happened and the world is at rest, yet ${fw} never launched ${waiting.join(', ')}`;
  }
  return null;
}

/**
 * Sometimes: some framework logs an update of one of its tasks that `matches` (`missing` until
 * then); reached at once where `applies` says the configuration allows none.
 */
function someFrameworkLogs(matches: (e: LoggedUpdate) => boolean, applies: (l: MesosLayout) => string | null, missing: string) {
  return (w: WorldReader): string | null => {
    if (applies(w.layout) !== null) return null;
    for (const fw of w.layout.frameworks) {
      const log = w.scheduler(fw)?.log ?? {};
      for (const tid of Object.keys(log)) if (log[tid]!.some(matches)) return null;
    }
    return missing;
  };
}

/** Sometimes: a framework logs `state` of one of its tasks from that task's own executor. */
const executorReports = (state: TaskState, applies: (l: MesosLayout) => string | null) =>
  someFrameworkLogs(
    (e) => e.state === state && e.source === 'SOURCE_EXECUTOR' && e.reason === undefined,
    applies,
    `no framework has learned ${state} from a task's own executor yet`,
  );

/** Polite frameworks only: a most general framework logs no source, and may never launch validly. */
const politeFrameworks = (l: MesosLayout) => Object.values(l.frameworkConfig).filter((f) => (f.kind ?? 'polite') === 'polite');
const someOutcome = (outcomes: readonly string[]) => (l: MesosLayout) => politeFrameworks(l).some((f) => f.tasks.some((t) => outcomes.includes(t.outcome)));
const someKill = (l: MesosLayout) => politeFrameworks(l).some((f) => (f.kill ?? []).length > 0);
const unless = (applies: (l: MesosLayout) => boolean, why: string) => (l: MesosLayout) => (applies(l) ? null : why);

/** Where each outcome's normal path applies: the configuration allows that outcome (the catalogue's `applies`). */
export const executorFinishesApplies = unless(someOutcome(['finish', 'any']), 'no task of a polite framework may exit 0 in this configuration');
export const executorFailsApplies = unless(someOutcome(['fail', 'any']), 'no task of a polite framework may exit non-zero in this configuration');
export const executorKillsApplies = unless(someKill, 'no polite framework kills a task in this configuration');
export const registrationTimesOutApplies = unless(
  (l) => (l.earlyTimers ?? []).includes('EXECUTOR_REGISTRATION_TIMEOUT') && politeFrameworks(l).some((f) => f.tasks.length > 0),
  'the registration timer fires only once no message is in flight in this configuration, by when the executor has subscribed (earlyTimers)',
);

/** The normal path of each outcome the configuration allows (null at once where it allows none). */
export const executorFinishes = executorReports('TASK_FINISHED', executorFinishesApplies);
export const executorFails = executorReports('TASK_FAILED', executorFailsApplies);
export const executorKills = executorReports('TASK_KILLED', executorKillsApplies);

/**
 * Sometimes, where the registration timer may fire early: a framework logs the agent's
 * TASK_FAILED for an executor that never subscribed (Slave::registerExecutorTimeout).
 */
export const registrationTimesOut = someFrameworkLogs(
  (e) => e.state === 'TASK_FAILED' && e.reason === 'REASON_EXECUTOR_REGISTRATION_TIMEOUT' && e.source === 'SOURCE_AGENT',
  registrationTimesOutApplies,
  'no framework has learned that an executor of its never registered yet',
);
