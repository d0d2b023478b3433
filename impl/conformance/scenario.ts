/**
 * One scenario replayed against a live master, by the rules in ../format.ts:
 *
 *   - a `call` or `fault` step is performed as soon as every step in its `after` has happened,
 *     in file order (a call counts as happened once sent: what it causes may arrive before its
 *     HTTP answer does);
 *   - every event a framework receives (HEARTBEAT and event types scenarios ignore aside) is
 *     matched against that framework's pending `expect` steps whose `after` have happened, in
 *     file order; the first match happens and binds its variables. An event that matches none
 *     but is in a pending step's `orElse` ends the scenario as *diverged* (the master took
 *     another path the model allows); anything else is a *failure*, reported with the step
 *     expected and the event observed;
 *   - when every step has happened the runner listens on for the quiet period, and at least
 *     until the cluster has fired the trace's timers (`timersDue`): an event a framework then
 *     receives that is not in its `afterEnd` list (what the model lets it still receive; the
 *     trace ends quiescent) is a failure; so is an end the operator APIs show otherwise than one
 *     of the scenario's `endViews` (end-views.ts), and the cluster's own report of a failed check
 *     (`ScenarioCluster.selfReports`); otherwise the scenario *passed*. A step
 *     that does not happen within the step timeout is a failure, unless the step is `orNothing`
 *     (the model lets the cluster settle without it): then the scenario diverged. An event that
 *     arrives while a fault or a call is due is judged once it has been performed (a framework
 *     cannot tell an event racing its call from one after it). Events for a framework with no
 *     pending `expect` step while others' steps are still pending are not judged, and neither
 *     are events that reach a framework whose failover is due (the model lets the failover come
 *     first: a SUBSCRIBED on a stream the scenario drops at once was never delivered there).
 *
 * Before anything starts, a scenario that needs what the runner cannot arrange is *skipped* with
 * the reason: message loss or a partition, a fault the cluster cannot inject (an external
 * master's agents), or a timer longer than the runner is willing to wait for.
 */
import type { AnyEventObject } from 'xstate';
import type { EventPattern, ExpectStep, Fault, Scenario, Step, TimerNote } from '../../conformance/format.ts';
import { bindVars, eventPattern, matchPattern } from '../../conformance/patterns.ts';
import type { ScenarioCluster } from './cluster.ts';
import { FrameworkConnection } from './framework.ts';
import { postJson } from '../http/client.ts';
import { listAgents, type ListedAgent } from './master-agents.ts';
import { DEFAULT_EXECUTOR_COMMAND, withExecutorProgram } from './executor-program.ts';
import { DeclineFilters } from './decline-filters.ts';
import { HeldAcks, HOLD_ACK_MS } from './held-acks.ts';
import { restampedUpdate } from './executor-uuids.ts';
import { awaitEndView } from './end-views.ts';
import { awaitAgentActive, awaitAgentInactive, awaitAgentTasks } from './agent-crash.ts';
import { awaitAgentRecovered, awaitExecutorsStarted, holdExecutorsAway, type BoundExecutorAway } from './executors-away.ts';

export type Outcome = 'passed' | 'failed' | 'diverged' | 'skipped';

export interface Divergence {
  /** The step the runner was waiting for (or the one whose `orElse` matched). */
  readonly step: string;
  readonly framework: string;
  /** null: nothing more (an event after the scenario's last step that its `afterEnd` does not list). */
  readonly expected: EventPattern | null;
  /** What the framework observed, with ids replaced by the scenario's variables where bound. */
  readonly observed: EventPattern | null;
}

export interface ScenarioResult {
  readonly name: string;
  readonly outcome: Outcome;
  readonly ms: number;
  /** Why it failed, diverged or was skipped. */
  readonly reason?: string;
  readonly divergence?: Divergence;
  /** The targets reached (all of them when it passed). */
  readonly reached: readonly string[];
  /** Steps that happened, of all. */
  readonly happened: number;
  readonly steps: number;
  /** Calls the master did not answer as a v1 master answers a valid call (not judged). */
  readonly notes: readonly string[];
  /** Attempts made, each on a new cluster (absent: one); earlier ones diverged. */
  readonly attempts?: number;
  /** Why each earlier attempt diverged, in order. */
  readonly retried?: readonly string[];
}

export interface Capabilities {
  readonly agentRestart: boolean;
  readonly masterRestart: boolean;
  /** kill -9 of a framework's executor on an agent (absent: false; only a cluster whose agents' work dirs the runner reads). */
  readonly executorKill?: boolean;
  /**
   * An agent restarted without its checkpoint, so that it registers as a new agent (an
   * AGENT_RESTART that is `unregistered`; only a cluster whose agents' work dirs the runner
   * manages). Absent: as `agentRestart`.
   */
  readonly agentRestartUnregistered?: boolean;
}

export interface RunOptions {
  /** Skip scenarios whose trace waits for a cluster timer longer than this (default QUICK_TIMER_MS, 30 s). */
  readonly maxTimerMs?: number;
  /** A step that does not happen within this of the previous one fails the scenario (default: the longest timer the trace waits for plus 15 s). */
  readonly stepTimeoutMs?: number;
  /**
   * How long the runner listens after the last step for an event the model does not allow
   * there (default QUIET_MS; 0: it does not listen).
   */
  readonly quietMs?: number;
  /** TEARDOWN the scenario's frameworks at the end (an external master keeps them otherwise). */
  readonly teardown?: boolean;
  /**
   * Steering, for a retry after a divergence: wait this long before a call or fault whose trace
   * has actions the runner cannot see between it and the steps it comes after (an executor
   * finishing, an agent checkpointing), so that they happen first, as in the trace. 0: none.
   */
  readonly settleMs?: number;
  /**
   * How long the runner holds back each ACKNOWLEDGE of a non-terminal update, failing the
   * scenario if the task's next update arrives meanwhile (held-acks.ts; default HOLD_ACK_MS; 0:
   * it does not hold).
   */
  readonly holdAckMs?: number;
  readonly log?: (line: string) => void;
  /** The program a scenario's custom executor runs (default: examples/shell-executor.cjs; executor-program.ts). */
  readonly executorCommand?: string;
}

/** How long the runner waits for an agent to list the tasks of a crash's moment, and for the master to see it gone. */
export const WHEN_MS = 5000;

/** The default quiet period after a scenario's last step (RunOptions.quietMs). */
export const QUIET_MS = 1000;

const seconds = (ms: number) => (ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(1)} s`);

/** The timers of the trace the cluster fires (the frameworks' are the runner's own business). */
const clusterTimers = (scenario: Scenario): TimerNote[] => scenario.timers.filter((t) => !scenario.environment.frameworks.some((f) => f.name === t.component));

/** How long a step of `scenario` may take (RunOptions.stepTimeoutMs, else its longest cluster timer plus 15 s). */
export const stepTimeoutFor = (scenario: Scenario, stepTimeoutMs?: number): number => stepTimeoutMs ?? Math.max(0, ...clusterTimers(scenario).map((t) => t.delayMs)) + 15_000;

/** How long after a timer is due the runner takes it to have fired. */
const TIMER_SLACK_MS = 500;

/**
 * Timers whose firing the runner does not wait for at the end: an offer filter's expiry and the
 * allocation. What they cause is an offer, which the frameworks see (`afterEnd`) and the end
 * views wait for (end-views.ts).
 */
const OFFER_TIMERS = /^(filter:|allocation$)/;

/**
 * When the cluster has fired every timer the trace fires before its end (performance.now()):
 * each its delay after the last step that happened up to the trace line that set it (the
 * scenario's start, `t0`, for one set before any). The model fires a timer as soon as nothing is
 * in flight; a cluster, once its delay is over, maybe after the scenario's last step (a
 * framework's failover timeout): what it does then is part of the scenario's end.
 */
function timersDue(scenario: Scenario, happenedAt: ReadonlyMap<string, number>, t0: number): number {
  let due = 0;
  for (const t of clusterTimers(scenario)) {
    if (t.armedAt === undefined || OFFER_TIMERS.test(t.timer)) continue;
    let from = t0;
    for (const s of scenario.steps) if (s.trace <= t.armedAt && happenedAt.has(s.id)) from = Math.max(from, happenedAt.get(s.id)!);
    due = Math.max(due, from + t.delayMs);
  }
  return due;
}

/** How many of the cluster's self-reports a failure's reason quotes. */
const REPORTS_QUOTED = 3;

/** `result` failed by the cluster's own reports of a failed check (ScenarioCluster.selfReports). */
function selfReported<T extends { outcome: Outcome; reason?: string }>(result: T, reports: readonly string[]): T {
  const quoted = reports.slice(0, REPORTS_QUOTED).join('; ') + (reports.length > REPORTS_QUOTED ? `; and ${reports.length - REPORTS_QUOTED} more` : '');
  const why = `the cluster reported a failed check of its own: ${quoted}`;
  return { ...result, outcome: 'failed', reason: result.outcome === 'failed' && result.reason ? `${result.reason}; and ${why}` : why };
}

/** Why the runner cannot replay `scenario` with these capabilities (null: it can). */
export function skipReason(scenario: Scenario, can: Capabilities, maxTimerMs: number): string | null {
  if (scenario.requires.length > 0) return `requires ${scenario.requires.join(' and ')}, which this runner cannot arrange`;
  for (const s of scenario.steps) {
    if (s.kind !== 'fault') continue;
    if (s.fault.type === 'AGENT_RESTART' && !can.agentRestart)
      return `needs ${s.fault.agent} killed and restarted (step ${s.id}): the runner does not manage this master's agents (give --agent-restart-cmd or --agent-kill-cmd)`;
    if (s.fault.type === 'AGENT_RESTART' && s.fault.unregistered === true && !(can.agentRestartUnregistered ?? can.agentRestart))
      return `needs ${s.fault.agent} restarted as a new agent, its registration lost with the crash (step ${s.id}): the runner cannot remove an external agent's checkpoint`;
    if (s.fault.type === 'MASTER_RESTART' && !can.masterRestart)
      return `needs the master restarted (step ${s.id}): the runner does not manage this master (give --master-restart-cmd)`;
    if (s.fault.type === 'EXECUTOR_KILL' && can.executorKill !== true)
      return `needs executor ${s.fault.executor} on ${s.fault.agent} killed (step ${s.id}): the runner does not manage this master's agents`;
  }
  const long = clusterTimers(scenario).filter((t) => t.delayMs > maxTimerMs);
  if (long.length > 0) {
    const t = long.reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
    return `waits for ${t.component}'s ${t.timer} timer (${seconds(t.delayMs)}), longer than the ${seconds(maxTimerMs)} the runner waits for a timer`;
  }
  return null;
}

/** An observed pattern with raw ids replaced by the variables bound to them. */
function named(p: EventPattern, bindings: ReadonlyMap<string, string>): EventPattern {
  const byValue = new Map([...bindings].map(([k, v]) => [v, k] as const));
  const walk = (x: unknown): unknown =>
    typeof x === 'string'
      ? (byValue.get(x) ?? x)
      : Array.isArray(x)
        ? x.map(walk)
        : x !== null && typeof x === 'object'
          ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v)]))
          : x;
  return walk(p) as EventPattern;
}

/**
 * Whether some agent the master lists still runs one of `frameworkIds` (its own GET_FRAMEWORKS:
 * the frameworks alone, not every task and executor GET_STATE would render);
 * an agent that does not answer, or wants credentials, is not asked.
 */
async function agentsStillRun(agents: readonly ListedAgent[], frameworkIds: readonly string[]): Promise<boolean> {
  for (const a of agents) {
    const host = a.hostname;
    if (host === undefined) continue;
    try {
      const r = await postJson(`http://${host.includes(':') ? `[${host}]` : host}:${a.port ?? 5051}/api/v1`, '{"type":"GET_FRAMEWORKS"}', {}, 5000);
      if (r.status !== 200) continue;
      const answer = JSON.parse(r.body) as { get_frameworks?: { frameworks?: { framework_info: { id?: { value: string } } }[] } };
      const held = answer.get_frameworks?.frameworks ?? [];
      if (held.some((f) => frameworkIds.includes(f.framework_info.id?.value ?? ''))) return true;
    } catch {
      // not answering: nothing to wait for there
    }
  }
  return false;
}

/**
 * The operator API's TEARDOWN of each framework (it needs no subscription, so failed-over
 * frameworks go too), then a wait until no agent has resources allocated and no agent still runs
 * one of them, so that the next scenario is offered whole agents. (The master deallocates at the
 * teardown; the agent kills the tasks after. A master restarted in between, by the next
 * scenario, would learn of them again from the agent, as a recovered framework nobody tears
 * down.) Returns what went wrong, as notes.
 */
async function tearDown(masterUrl: string, frameworkIds: readonly string[]): Promise<string[]> {
  const notes: string[] = [];
  for (const id of frameworkIds) {
    try {
      const r = await postJson(`${masterUrl}/api/v1`, JSON.stringify({ type: 'TEARDOWN', teardown: { framework_id: { value: id } } }), {}, 15_000);
      if (r.status !== 200) notes.push(`operator TEARDOWN of ${id} answered ${r.status} ${r.body.trim().slice(0, 200)}`);
    } catch (e) {
      notes.push(`operator TEARDOWN of ${id} failed: ${(e as Error).message}`);
    }
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    // Not answering: try again until the deadline.
    const agents = await listAgents(masterUrl, 5000);
    if (typeof agents !== 'string' && agents.every((a) => a.allocatedResources.length === 0) && !(await agentsStillRun(agents, frameworkIds))) return notes;
    if (Date.now() > deadline)
      return [...notes, 'resources were still allocated, or tasks still running on an agent, 30 s after the teardown: the next scenario may be offered less'];
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Replays one scenario against `cluster` (already started for it). */
export async function runScenario(scenario: Scenario, cluster: ScenarioCluster, options: RunOptions = {}): Promise<ScenarioResult> {
  const t0 = performance.now();
  const stepTimeoutMs = stepTimeoutFor(scenario, options.stepTimeoutMs);
  const steps = scenario.steps;
  const happened = new Set<string>();
  const bindings = new Map<string, string>();
  const notes: string[] = [];

  let finish!: (r: Omit<ScenarioResult, 'name' | 'ms' | 'reached' | 'happened' | 'steps' | 'notes'>) => void;
  const finished = new Promise<Omit<ScenarioResult, 'name' | 'ms' | 'reached' | 'happened' | 'steps' | 'notes'>>((r) => (finish = r));
  let done = false;
  const end = (r: Parameters<typeof finish>[0]) => {
    if (done) return;
    done = true;
    finish(r);
  };

  let timer: NodeJS.Timeout | undefined;
  const armTimeout = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const waiting = steps.find((s) => !happened.has(s.id));
      const exp = waiting?.kind === 'expect' ? waiting : undefined;
      // An event the model lets the cluster settle without: it took another path, out of sight.
      const spared = steps.find((s): s is ExpectStep => s.kind === 'expect' && s.orNothing === true && ready(s));
      if (spared) {
        return end({
          outcome: 'diverged',
          reason: `step ${spared.id} did not happen within ${seconds(stepTimeoutMs)}, and the model lets the cluster settle without it (another path, out of the runner's sight)`,
          divergence: { step: spared.id, framework: spared.framework, expected: spared.event, observed: null },
        });
      }
      end({
        outcome: 'failed',
        reason: `step ${waiting?.id ?? '?'} did not happen within ${seconds(stepTimeoutMs)}${exp ? `: ${exp.framework} expected ${JSON.stringify(exp.event)}` : ''}`,
        ...(exp ? { divergence: { step: exp.id, framework: exp.framework, expected: exp.event, observed: null } } : {}),
      });
    }, stepTimeoutMs);
  };

  // Trace lines some step stands for; the others are what the cluster does out of the runner's sight.
  const projected = new Set(steps.map((x) => x.trace));
  const hasUnseenActionsBefore = (s: Step): boolean => {
    const before = s.after.map((id) => steps.find((x) => x.id === id)!);
    const from = Math.max(0, ...before.map((x) => x.trace));
    // A call the trace's master took after a call its framework emitted later (format.ts) goes
    // once that one has: what the trace does unseen after that one, up to the next step the
    // runner sees, may come before it.
    const overtaken = s.kind === 'call' && before.some((x) => x.kind === 'call' && x.framework === s.framework && x.trace > s.trace);
    const to = overtaken ? Math.min(...[...projected].filter((line) => line > from), scenario.trace.length + 1) : s.trace;
    for (let line = from + 1; line < to; line++) if (!projected.has(line)) return true;
    return false;
  };
  const ready = (s: Step) => !happened.has(s.id) && s.after.every((a) => happened.has(a));
  // After the last step: what each framework may still receive (a framework not listed is not judged).
  const afterEnd = new Map((scenario.afterEnd ?? []).map((a) => [a.framework, a.mayObserve] as const));
  const quietMs = options.quietMs ?? QUIET_MS;
  let quiet = false;
  /** Agents kept away after a crash until these steps have happened (AGENT_RESTART.startAfter). */
  const gates: { ids: readonly string[]; open: () => void }[] = [];
  const openGates = (all: boolean) => {
    for (const g of gates.splice(0)) {
      if (all || g.ids.every((id) => happened.has(id))) g.open();
      else gates.push(g);
    }
  };
  /** Frameworks that received an OFFERS or RESCIND the runner did not judge (no step of theirs pending, or their failover due). */
  const offersUnjudged = new Set<string>();
  /** When each step happened (performance.now()). */
  const happenedAt = new Map<string, number>();
  const mark = (s: Step) => {
    happened.add(s.id);
    happenedAt.set(s.id, performance.now());
    openGates(false);
    armTimeout();
    if (happened.size < steps.length) return;
    if (quietMs <= 0) return end({ outcome: 'passed' });
    // Listen on: the consequences of the last steps must be only what the model allows.
    quiet = true;
    clearTimeout(timer);
    // The trace's timers fire before its end; the cluster's fire when their delay is over.
    const listen = Math.max(quietMs, timersDue(scenario, happenedAt, t0) + TIMER_SLACK_MS - performance.now());
    options.log?.(`  every step happened; listening ${Math.round(listen)} ms for events the model does not allow`);
    timer = setTimeout(() => {
      settledEnd().then(end, (e: Error) => end({ outcome: 'failed', reason: `the runner could not ask the operator APIs: ${e.message}` }));
    }, listen);
  };
  /** The scenario's end once the quiet period is over: passed, unless the operator APIs list what the model does not allow (end-views.ts). */
  const settledEnd = async (): Promise<Parameters<typeof finish>[0]> => {
    const views = scenario.endViews;
    if (views === undefined || views.length === 0) return { outcome: 'passed' };
    const agentUrls = new Map<string, string>();
    for (const a of scenario.environment.agents) {
      const url = await cluster.agentUrl?.(a.name);
      if (url !== undefined) agentUrls.set(a.name, url);
    }
    // The offers of a framework that received offers the runner did not judge are not compared.
    const frameworkIds = new Map(
      scenario.environment.frameworks.flatMap((f) => (f.id !== undefined && bindings.has(f.id) && !offersUnjudged.has(f.name) ? [[f.name, bindings.get(f.id)!] as const] : [])),
    );
    options.log?.(`  asking the operator APIs for what the model allows at the end`);
    const wrong = await awaitEndView(views, cluster.masterUrl, agentUrls, frameworkIds);
    return wrong === null ? { outcome: 'passed' } : { outcome: 'failed', reason: wrong };
  };

  // Checks of what a framework receives that bind no variable (timed, or against what the
  // runner's own executor says it sent): judged as each event arrives.
  const filters = new DeclineFilters();
  const acks = new HeldAcks();
  const holdAckMs = options.holdAckMs ?? HOLD_ACK_MS;
  const broken = (fw: string, event: AnyEventObject): string | null => filters.onEvent(fw, event) ?? acks.onEvent(fw, event) ?? restampedUpdate(fw, event);

  const frameworks = new Map<string, FrameworkConnection>();
  const connection = (name: string): FrameworkConnection => {
    let c = frameworks.get(name);
    if (!c) {
      c = new FrameworkConnection(name, cluster.masterUrl, {
        onEvent: (e) => observe(name, e),
        onProblem: (m) => notes.push(m),
      });
      frameworks.set(name, c);
    }
    return c;
  };

  /**
   * Events that arrived while a fault or call was due, with the subscription they came on, judged
   * once it has been performed; those of a subscription the framework has since replaced are
   * dropped unread (a SUBSCRIBE the model lost to a master restart may have been answered on the
   * old stream before the kill: the framework subscribing again never reads it).
   */
  const deferred: [string, AnyEventObject, number | undefined][] = [];
  const judgeDeferred = () => {
    for (const [fw, e, on] of deferred.splice(0)) {
      if (on === frameworks.get(fw)?.subscription) observe(fw, e);
      else options.log?.(`  ${fw}: ${e.type} came on a subscription since replaced: not read`);
    }
  };
  const observe = (fw: string, event: AnyEventObject) => {
    if (done) return;
    const seen = eventPattern(event, (_kind, raw) => raw);
    if (seen === null) return;
    const why = broken(fw, event);
    // (No divergence record: its `expected` is a step's event, and no step is wrong here; the reason names what came.)
    if (why !== null) return end({ outcome: 'failed', reason: why });
    if (quiet) {
      const allowed = afterEnd.get(fw);
      if (allowed === undefined || allowed.some((p) => matchPattern(p, seen, new Map(bindings)))) return;
      const last = steps[steps.length - 1]!;
      end({
        outcome: 'failed',
        reason: `${fw} observed an event the model does not allow after the scenario's last step${allowed.length ? ` (it allows ${allowed.map((p) => JSON.stringify(p)).join(', ')})` : ' (it allows none)'}`,
        divergence: { step: last.id, framework: fw, expected: null, observed: named(seen, bindings) },
      });
      return;
    }
    const pending = steps.filter((s): s is ExpectStep => s.kind === 'expect' && s.framework === fw && !happened.has(s.id));
    // (Unjudged, an offer is one the model's belief does not hold: the end leaves its framework's offers unjudged too.)
    const unjudged = () => (seen.type === 'OFFERS' || seen.type === 'RESCIND' ? offersUnjudged.add(fw) : undefined);
    if (pending.length === 0) return void unjudged(); // beyond this framework's part of the scenario
    // The framework is about to fail over: the model lets that happen before this delivery.
    if (steps.some((s) => s.kind === 'fault' && s.fault.type === 'FRAMEWORK_FAILOVER' && s.fault.framework === fw && ready(s))) return void unjudged();
    // Another step is due: the runner performs it before it looks at what arrived meanwhile (an
    // event racing a fault or call may be one the scenario expects after it; the framework cannot
    // tell). A call is due between the event that makes it ready and its sending, a microtask
    // later: two events of one read (a custom executor's kill -9 fails both its tasks at once)
    // are judged one after the other, the second before the acknowledgement of the first is sent.
    if (steps.some((s) => s.kind !== 'expect' && ready(s))) {
      deferred.push([fw, event, frameworks.get(fw)?.subscription]);
      return;
    }
    for (const s of pending) {
      if (!ready(s)) continue;
      if (matchPattern(s.event, seen, bindings)) {
        options.log?.(`  ${s.id} ${fw} observed ${event.type}`);
        mark(s);
        advance();
        return;
      }
    }
    const first = pending.find(ready) ?? pending[0]!;
    for (const s of pending) {
      if (s.orElse.some((alt) => matchPattern(alt, seen, new Map(bindings)))) {
        end({
          outcome: 'diverged',
          reason: `${fw} observed another event the model allows at ${s.id}`,
          divergence: { step: s.id, framework: fw, expected: s.event, observed: named(seen, bindings) },
        });
        return;
      }
    }
    end({
      outcome: 'failed',
      reason: `${fw} observed an event the model does not allow while waiting for ${first.id}`,
      divergence: { step: first.id, framework: fw, expected: first.event, observed: named(seen, bindings) },
    });
  };

  /**
   * Performs every ready call and fault step, in file order, one at a time: calls to `advance`
   * queue up behind the step being performed (a restart takes a while), and the scenario ends
   * only after it.
   */
  let performing: Promise<void> = Promise.resolve();
  // advanceNow ends the scenario on any error: the chain never rejects, and the end awaits it.
  const advance = (): void => {
    performing = performing.then(advanceNow);
  };
  /** SIGCONTs of executors stopped while their agent was away, all sent by the scenario's end. */
  const releases: (() => void)[] = [];
  /** The crash's executorsAway with their frameworks' ids (an unbound one is noted and left alone). */
  const boundExecutorsAway = (s: Step, f: Extract<Fault, { type: 'AGENT_RESTART' }>): BoundExecutorAway[] =>
    (f.executorsAway ?? []).flatMap((e) => {
      const v = scenario.environment.frameworks.find((x) => x.name === e.framework)?.id;
      const frameworkId = v === undefined ? undefined : bindings.get(v);
      if (frameworkId === undefined) {
        notes.push(`step ${s.id}: ${e.framework}'s id is not bound at the crash: executor ${e.executor} left alone`);
        return [];
      }
      return [{ ...e, frameworkId }];
    });
  /** Agents being started again after a crash (their starts wait for `startAfter`), by name. */
  const starting = new Map<string, Promise<void>>();
  /**
   * An agent's crash: once it lists the model's tasks at the crash (`when`), kill -9; once the
   * master has seen it go, the step happened; the agent starts again, in the background, once
   * `startAfter` have happened (the steps after the crash go on meanwhile).
   */
  const crashAgent = async (s: Step, f: Extract<Fault, { type: 'AGENT_RESTART' }>): Promise<void> => {
    await starting.get(f.agent);
    const url = await cluster.agentUrl?.(f.agent);
    if (f.when && url !== undefined) {
      const late = await awaitAgentTasks(url, f.when, Math.min(stepTimeoutMs, WHEN_MS));
      if (late !== null) notes.push(`step ${s.id}: ${late}`);
      if (done) return;
    }
    // Executors the trace does not let come back while the agent is away (executors-away.ts).
    const signal = cluster.signalExecutor;
    const away = signal === undefined ? [] : boundExecutorsAway(s, f);
    if (signal !== undefined && away.length > 0) {
      const late = await awaitExecutorsStarted(signal, f.agent, away, Math.min(stepTimeoutMs, WHEN_MS));
      if (late !== null) notes.push(`step ${s.id}: ${late}`);
      if (done) return;
    }
    let held: ReturnType<typeof holdExecutorsAway> | undefined;
    options.log?.(`  ${s.id} fault AGENT_RESTART ${f.agent}`);
    let killed!: () => void;
    const wasKilled = new Promise<void>((r) => (killed = r));
    const gate = new Promise<void>((open) => {
      if (f.startAfter?.length) gates.push({ ids: f.startAfter, open });
      else open();
    });
    const restart = cluster.restartAgent!(f.agent, {
      ...(f.unregistered === true ? { unregistered: true } : {}),
      beforeStart: async () => {
        if (url !== undefined) {
          const slow = await awaitAgentInactive(cluster.masterUrl, url, WHEN_MS);
          if (slow !== null) notes.push(`step ${s.id}: ${slow}`);
        }
        if (signal !== undefined && away.length > 0) {
          held = holdExecutorsAway(signal, f.agent, away);
          releases.push(held.release);
          notes.push(...held.notes.map((n) => `step ${s.id}: ${n}`));
          options.log?.(`  ${s.id}: ${away.map((e) => `executor ${e.executor} ${e.does === 'exit' ? 'killed' : 'stopped'}`).join(', ')} while ${f.agent} is away`);
        }
        killed();
        if (f.startAfter?.length) options.log?.(`  ${s.id}: ${f.agent} starts again after ${f.startAfter.join(', ')}`);
        await gate;
      },
    });
    const started = restart.then(
      async () => {
        killed();
        // A silent executor goes on once the agent has given up on it (its recovery is over).
        if (held === undefined || !away.some((e) => e.does === 'silent')) return;
        const back = await cluster.agentUrl?.(f.agent);
        const slow = back === undefined ? null : await awaitAgentRecovered(back, stepTimeoutMs);
        if (slow !== null) notes.push(`step ${s.id}: ${slow}`);
        held.release();
      },
      (e: Error) => {
        killed();
        end({ outcome: 'failed', reason: `the runner could not perform a step: ${e.message}` });
      },
    );
    starting.set(f.agent, started);
    await wasKilled;
    mark(s);
    filters.onFault();
    acks.onFault();
    judgeDeferred();
  };
  const advanceNow = async (): Promise<void> => {
    try {
      for (;;) {
        if (done) return;
        const s = steps.find((x) => x.kind !== 'expect' && ready(x));
        if (!s) return;
        // (A crash that says what the agent lists at its moment waits for that instead: a timer
        // before it would only let the agent run past it.)
        const observable = s.kind === 'fault' && s.fault.type === 'AGENT_RESTART' && s.fault.when !== undefined;
        if ((options.settleMs ?? 0) > 0 && !observable && hasUnseenActionsBefore(s)) {
          options.log?.(`  ${s.id}: waiting ${options.settleMs} ms for what the trace does unseen before it`);
          await new Promise((r) => setTimeout(r, options.settleMs));
          if (done) return;
        }
        // A step the trace takes once a crashed agent is back waits until the master lists it so.
        const back = steps.find((x) => x.kind === 'fault' && x.fault.type === 'AGENT_RESTART' && happened.has(x.id) && x.fault.backBefore?.includes(s.id));
        // (Not while the agent is still kept away: what it waits for may be a step behind this one.)
        if (back?.kind === 'fault' && back.fault.type === 'AGENT_RESTART' && (back.fault.startAfter ?? []).every((id) => happened.has(id))) {
          const agent = back.fault.agent;
          await starting.get(agent);
          const url = await cluster.agentUrl?.(agent);
          if (url !== undefined) {
            const slow = await awaitAgentActive(cluster.masterUrl, url, stepTimeoutMs);
            if (slow !== null) notes.push(`step ${s.id}: ${slow}`);
          }
          if (done) return;
        }
        if (s.kind === 'call') {
          const { value, unbound } = bindVars(s.call, bindings);
          const call = value as { type: string };
          if (unbound.length > 0) {
            end({ outcome: 'failed', reason: `step ${s.id}: ${unbound.join(', ')} not bound by the steps before it (a malformed scenario)` });
            return;
          }
          if (s.lost) {
            // Emitted, but lost with its framework's connection (or the master) in the trace.
            options.log?.(`  ${s.id} ${s.framework} does not send ${call.type}: the trace loses it in flight`);
            mark(s);
            judgeDeferred();
            continue;
          }
          const hold = acks.holdFor(s.framework, call, holdAckMs);
          if (hold > 0) {
            options.log?.(`  ${s.id}: ${s.framework} holds its ACKNOWLEDGE ${hold} ms`);
            acks.hold(s.framework, call);
            await new Promise((r) => setTimeout(r, hold));
            if (done) return;
          }
          filters.onCall(s.framework, call);
          acks.onCall(s.framework, call);
          options.log?.(`  ${s.id} ${s.framework} sends ${call.type}`);
          mark(s);
          // Sent (a SUBSCRIBE replaces the stream at once), then what arrived meanwhile is judged.
          const sending = connection(s.framework).call(withExecutorProgram(call, options.executorCommand ?? DEFAULT_EXECUTOR_COMMAND), {
            ...(s.answer !== undefined ? { expected: s.answer } : {}),
            stream: s.staleStream ? 'stale' : s.noStream ? 'none' : 'own',
            ...(s.api ? { api: s.api } : {}),
          });
          judgeDeferred();
          const status = await sending;
          // A refused call changes no event: its answer is the only sign of how the master judged it.
          if (s.refusedAlways && status !== undefined && status < 300) {
            end({
              outcome: 'failed',
              reason: `step ${s.id}: ${s.framework}'s ${call.type} was answered ${status}; no master accepts it (the model answers ${s.answer ?? 'a refusal'})`,
            });
            return;
          }
        } else if (s.kind === 'fault' && s.fault.type === 'AGENT_RESTART') {
          await crashAgent(s, s.fault);
        } else if (s.kind === 'fault') {
          const f = s.fault;
          options.log?.(`  ${s.id} fault ${f.type}${'agent' in f ? ` ${f.agent}` : ''}${'framework' in f ? ` ${f.framework}` : ''}`);
          mark(s);
          filters.onFault();
          acks.onFault();
          judgeDeferred();
          if (f.type === 'FRAMEWORK_FAILOVER') connection(f.framework).drop();
          else if (f.type === 'MASTER_RESTART') await cluster.restartMaster!();
          else if (f.type === 'EXECUTOR_KILL') {
            const id = scenario.environment.frameworks.find((x) => x.name === f.framework)?.id;
            const fid = id === undefined ? undefined : bindings.get(id);
            if (fid === undefined) throw new Error(`step ${s.id}: ${f.framework}'s id is not bound yet`);
            await cluster.killExecutor!(f.agent, fid, f.executor);
          } else throw new Error(`fault ${f.type} cannot be arranged (the scenario should have been skipped)`);
        }
      }
    } catch (e) {
      end({ outcome: 'failed', reason: `the runner could not perform a step: ${(e as Error).message}` });
    }
  };

  // Agents the trace leaves idle until a crash that loses what reaches them meanwhile: stopped
  // from the start (the kill -9 of a stopped process loses what it had not read).
  for (const s of steps) {
    if (s.kind !== 'fault' || s.fault.type !== 'AGENT_RESTART' || s.fault.idleUntil !== true || cluster.signalAgent === undefined) continue;
    const agent = s.fault.agent;
    if (cluster.signalAgent(agent, 'SIGSTOP')) {
      options.log?.(`  ${agent} stopped until ${s.id}: the trace's agent does nothing before it`);
      releases.push(() => cluster.signalAgent?.(agent, 'SIGCONT'));
    } else notes.push(`step ${s.id}: ${agent} was not running to be stopped until the crash`);
  }
  armTimeout();
  advance();
  const result = await finished;
  const ms = performance.now() - t0;
  clearTimeout(timer);
  // Agents kept away start again, so that the cluster stops whole.
  openGates(true);
  // The bound is cleared once they have: a pending 30 s timer would keep the process alive after the run.
  let startsGaveUp: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(starting.values()), new Promise((r) => (startsGaveUp = setTimeout(r, 30_000)))]);
  clearTimeout(startsGaveUp);
  // Stopped agents and executors go on, so that the cluster stops whole.
  for (const release of releases) release();
  // A master that never answers a SUBSCRIBE must not hold the run forever.
  let gaveUp: NodeJS.Timeout | undefined;
  await Promise.race([performing, new Promise((r) => (gaveUp = setTimeout(r, 30_000)))]);
  clearTimeout(gaveUp);
  for (const c of frameworks.values()) c.drop();
  if (options.teardown) {
    const ids = scenario.environment.frameworks.flatMap((f) => (f.id !== undefined && bindings.has(f.id) ? [bindings.get(f.id)!] : []));
    notes.push(...(await tearDown(cluster.masterUrl, ids)));
  }
  // A target is reached once every step up to its trace line has happened.
  const reached = (line: number) => steps.every((s) => s.trace > line || happened.has(s.id));
  // What the cluster's own checks reported (a step its machine threw on): a failure whatever the frameworks saw.
  const reports = cluster.selfReports?.() ?? [];
  const judged = reports.length === 0 ? result : selfReported(result, reports);
  return {
    name: scenario.name,
    ...judged,
    ms,
    reached: scenario.targets.filter((t) => reached(t.reachedAt)).map((t) => t.id),
    happened: happened.size,
    steps: steps.length,
    notes,
  };
}
