/**
 * What the frameworks of one model-based run observed of a live cluster, and the catalogue's
 * invariants (invariants/) restated over those observations. Pure: no I/O, no clock. The live
 * test (model.test.ts) records a History while it drives the cluster; checker.test.ts feeds
 * hand-made histories to prove every check can fail.
 *
 * Times are milliseconds of one clock (the test process's `performance.now()`); events of a
 * framework are in the order its client saw them (its event stream is one ordered connection,
 * its calls are recorded when the scheduler machine made them).
 *
 * Every check is sound for what the real system may legitimately do: where HTTP requests,
 * separate connections or agent restarts allow a race the spec allows too, the check excuses
 * the window (each exception is written next to the rule).
 */
import type { Offer, Resource, TaskState, TaskStatus } from '../../spec/protocol/common.ts';
import { isTerminal } from '../../spec/protocol/common.ts';
import type { SchedulerCall } from '../../spec/protocol/scheduler.ts';
import { add, clearAllocationRole, contains, describeResources, EMPTY, fromWire, type Resources } from '../../spec/resources/index.ts';
import { mayFollow, rank } from '../../invariants/rank.ts';

export type TaskCommand = 'exit 0' | 'exit 1' | 'sleep 30';

export interface AgentRecord {
  readonly index: number;
  readonly id: string;
  /** The agent's `--resources`, as the offers carry them. */
  readonly total: readonly Resource[];
}

export interface AgentEvent {
  readonly t: number;
  readonly agent: number;
  /** kill: SIGKILL sent; restart: the new process serves (same work dir and port); reregistered: the master lists it active. */
  readonly kind: 'kill' | 'restart' | 'reregistered';
}

export type FwEvent =
  | { readonly t: number; readonly kind: 'subscribed'; readonly fid: string }
  /** The test dropped the subscription connection. */
  | { readonly t: number; readonly kind: 'drop' }
  | { readonly t: number; readonly kind: 'update'; readonly status: TaskStatus }
  | { readonly t: number; readonly kind: 'offers'; readonly offers: readonly Offer[] }
  | { readonly t: number; readonly kind: 'rescind'; readonly offerId: string }
  /** A call made (by the scheduler machine, or by the test for RECONCILE), numbered. */
  | { readonly t: number; readonly kind: 'call'; readonly id: number; readonly call: SchedulerCall }
  | { readonly t: number; readonly kind: 'answer'; readonly id: number; readonly status?: number; readonly error?: string }
  /** From here on the cluster is quiescent; the final reconciliations follow. */
  | { readonly t: number; readonly kind: 'quiescent' }
  | { readonly t: number; readonly kind: 'teardown' };

export interface FwHistory {
  readonly name: string;
  /** launch: wants its tasks; decline: wants nothing and declines every offer with a filter. */
  readonly kind: 'launch' | 'decline';
  readonly checkpoint: boolean;
  readonly partitionAware: boolean;
  readonly refuseSeconds: number;
  /** The tasks it wants, by id. */
  readonly tasks: Readonly<Record<string, TaskCommand>>;
  /** Task ids it reconciles that no framework ever launched. */
  readonly ghosts: string[];
  readonly events: FwEvent[];
}

export interface History {
  readonly agents: readonly AgentRecord[];
  readonly agentEvents: AgentEvent[];
  readonly frameworks: FwHistory[];
}

export interface Violation {
  /** The rule's name (stable: tests look for it). */
  readonly rule: string;
  readonly framework?: string;
  readonly task?: string;
  readonly message: string;
}

/**
 * The one open finding, an expected failure: the checks report it under its own rule, and a run
 * notes it instead of failing on it. Every other rule fails a run.
 *
 * The scheduler machine counts a task as launched when it makes the ACCEPT, whatever the answer.
 * When the subscription drops while the ACCEPT is in flight, the master answers 403 (the
 * framework is disconnected) and never learns of the task; after re-subscribing, the machine's
 * explicit reconciliation is answered TASK_UNKNOWN (TASK_LOST), which it records and ignores: the
 * task is never launched again. The scheduler would have to tell "the master never saw my
 * ACCEPT" from "the master does not know the task yet" (during a master failover), which needs
 * the agent id in its reconciliation.
 *
 * Two earlier findings are fixed in the machines and checked like any rule: a master that keeps
 * the tasks of a non-checkpointing framework on a broken agent link (rule lostNotReported; Mesos's
 * Master::exited -> removeFramework(Slave*, Framework*) sends TASK_LOST for every one), and an
 * executor that outlives its agent (model.test.ts checks no process is left behind).
 */
export const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
  refusedAcceptAbandoned: 'an ACCEPT refused while the subscription dropped is never made again (the scheduler cannot tell a refused ACCEPT from a failover)',
};

/** The violations that fail a run, and the expected failures among `v`. */
export function splitExpected(v: readonly Violation[]): { unexpected: Violation[]; expected: Violation[] } {
  return { unexpected: v.filter((x) => !(x.rule in EXPECTED_FAILURES)), expected: v.filter((x) => x.rule in EXPECTED_FAILURES) };
}

export const format = (v: Violation): string => `${v.rule}${v.framework ? ` [${v.framework}${v.task ? ` ${v.task}` : ''}]` : ''}: ${v.message}`;

/** The master's word for a task it cannot vouch for; the one way out of these is the agent returning. */
const MASTER_WORD: readonly TaskState[] = ['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_UNKNOWN', 'TASK_GONE'];

/** How long after SIGKILL the master may still (legitimately) offer the agent: it learns of the death from the closed connection. */
const AGENT_DEATH_SLACK_MS = 5000;

// ------------------------------------------------------------------------------------ derived facts

function wire(r: unknown): Resources {
  const parsed = fromWire(r ?? []);
  return parsed.ok ? clearAllocationRole(parsed.value) : EMPTY;
}

export interface Launched {
  readonly fw: FwHistory;
  readonly id: string;
  readonly command: TaskCommand | undefined;
  readonly agentId: string;
  readonly resources: Resources;
  /** When the ACCEPT was made, its call number, and the master's answer (undefined: none yet). */
  readonly acceptedAt: number;
  readonly acceptCall: number;
  readonly acceptStatus: number | undefined;
}

const calls = (fw: FwHistory) => fw.events.filter((e): e is Extract<FwEvent, { kind: 'call' }> => e.kind === 'call');
const updates = (fw: FwHistory) => fw.events.filter((e): e is Extract<FwEvent, { kind: 'update' }> => e.kind === 'update');

/** Every task a framework launched (an ACCEPT with a LAUNCH naming it), first launch only. */
export function launched(fw: FwHistory): Launched[] {
  const out: Launched[] = [];
  for (const c of calls(fw)) {
    if (c.call.type !== 'ACCEPT') continue;
    for (const op of c.call.accept.operations ?? []) {
      if (op.type !== 'LAUNCH') continue;
      for (const ti of op.launch?.task_infos ?? []) {
        if (out.some((x) => x.id === ti.task_id.value)) continue;
        const acceptStatus = answerOf(fw, c.id)?.status;
        out.push({
          fw,
          id: ti.task_id.value,
          command: fw.tasks[ti.task_id.value],
          agentId: ti.agent_id.value,
          resources: wire(ti.resources),
          acceptedAt: c.t,
          acceptCall: c.id,
          acceptStatus,
        });
      }
    }
  }
  return out;
}

/** The tasks whose ACCEPT the master took (202): the ones it launched, or dropped with an update. */
const launchedAtMaster = (fw: FwHistory): Launched[] => launched(fw).filter((l) => l.acceptStatus === 202);

function answerOf(fw: FwHistory, id: number): { status?: number; error?: string; t: number } | undefined {
  return fw.events.find((e): e is Extract<FwEvent, { kind: 'answer' }> => e.kind === 'answer' && e.id === id);
}

const agentIndex = (h: History, agentId: string): number | undefined => h.agents.find((a) => a.id === agentId)?.index;

/** Whether agent `agentId` was killed or came back in (from, to]. */
function agentEventBetween(h: History, agentId: string, from: number, to: number, kinds: readonly AgentEvent['kind'][]): boolean {
  const i = agentIndex(h, agentId);
  return h.agentEvents.some((e) => e.agent === i && kinds.includes(e.kind) && e.t > from && e.t <= to);
}

/** The framework's subscription changed in (from, to]: the test dropped it, or it subscribed again (a new stream). */
const streamChangedBetween = (fw: FwHistory, from: number, to: number) => fw.events.some((e) => (e.kind === 'drop' || e.kind === 'subscribed') && e.t > from && e.t <= to);

/** The answer Mesos gives for a task the master does not know (no agent named): UNKNOWN, or LOST without PARTITION_AWARE. */
const forgottenState = (fw: FwHistory): TaskState => (fw.partitionAware ? 'TASK_UNKNOWN' : 'TASK_LOST');

const isReconciliation = (s: TaskStatus) => s.uuid === undefined && s.reason === 'REASON_RECONCILIATION';

/** KILL calls the master accepted (202), by task id: the time of the call. */
function acceptedKills(fw: FwHistory): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of calls(fw)) {
    if (c.call.type !== 'KILL') continue;
    if (answerOf(fw, c.id)?.status !== 202) continue;
    const tid = c.call.kill.task_id.value;
    if (!out.has(tid)) out.set(tid, c.t);
  }
  return out;
}

/** KILL calls made at all (whatever the answer), by task id. */
function killCalls(fw: FwHistory): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of calls(fw)) if (c.call.type === 'KILL' && !out.has(c.call.kill.task_id.value)) out.set(c.call.kill.task_id.value, c.t);
  return out;
}

// ------------------------------------------------------------------------------------ safety

/**
 * The checks that hold at every moment of a run (they read what was observed so far). Returns
 * every violation found, in a stable order.
 */
export function checkSafety(h: History): Violation[] {
  const out: Violation[] = [];
  const seenOfferIds = new Map<string, string>();
  for (const fw of h.frameworks) {
    out.push(...noneInvented(fw), ...isolation(fw), ...acknowledgements(fw), ...forward(h, fw), ...offers(h, fw, seenOfferIds), ...filters(h, fw));
  }
  out.push(...pinnedResources(h));
  return out;
}

/** noneInvented: executor and agent updates carry a uuid, the master's never do. */
function noneInvented(fw: FwHistory): Violation[] {
  const out: Violation[] = [];
  for (const e of updates(fw)) {
    const s = e.status;
    const fromMaster = s.source === 'SOURCE_MASTER' || s.source === undefined;
    if (fromMaster && s.uuid !== undefined)
      out.push({ rule: 'noneInvented', framework: fw.name, task: s.task_id.value, message: `a master-generated ${s.state} carries uuid ${s.uuid}` });
    if (!fromMaster && s.uuid === undefined) out.push({ rule: 'noneInvented', framework: fw.name, task: s.task_id.value, message: `an ${s.source} ${s.state} carries no uuid` });
    if (isReconciliation(s) && s.source !== 'SOURCE_MASTER')
      out.push({ rule: 'noneInvented', framework: fw.name, task: s.task_id.value, message: `a reconciliation answer from ${s.source}` });
  }
  return out;
}

/** frameworkIsolation: a framework only hears of its own tasks (and the unknown ids it asked about) and only gets its own offers. */
function isolation(fw: FwHistory): Violation[] {
  const out: Violation[] = [];
  let fid: string | undefined;
  for (const e of fw.events) {
    if (e.kind === 'subscribed') {
      if (fid !== undefined && e.fid !== fid) out.push({ rule: 'frameworkIsolation', framework: fw.name, message: `re-subscribed as ${e.fid}, was ${fid}` });
      fid = e.fid;
    }
    if (e.kind === 'update') {
      const tid = e.status.task_id.value;
      if (fw.tasks[tid] === undefined && !fw.ghosts.includes(tid))
        out.push({ rule: 'frameworkIsolation', framework: fw.name, task: tid, message: `told ${e.status.state} of a task it never launched` });
    }
    if (e.kind === 'offers') {
      for (const o of e.offers) {
        if (o.framework_id.value !== fid)
          out.push({ rule: 'frameworkIsolation', framework: fw.name, message: `offer ${o.id.value} made to ${o.framework_id.value}, not to ${fid}` });
      }
    }
  }
  return out;
}

/**
 * acknowledgedAfterDelivery and the client's side of at-least-once delivery: every reliable update
 * (each copy) is followed by an ACKNOWLEDGE of its uuid; an ACKNOWLEDGE names only a uuid received.
 */
function acknowledgements(fw: FwHistory): Violation[] {
  const out: Violation[] = [];
  const received = new Set<string>();
  const key = (task: string, uuid: string) => `${task} ${uuid}`;
  fw.events.forEach((e, i) => {
    if (e.kind === 'update' && e.status.uuid !== undefined) {
      const s = e.status;
      received.add(key(s.task_id.value, s.uuid!));
      // The machine acknowledges in the step that delivers the update: once anything else
      // happened after it (or the run is over), the ACKNOWLEDGE call must be there.
      const rest = fw.events.slice(i + 1);
      const acked = rest.some(
        (x) => x.kind === 'call' && x.call.type === 'ACKNOWLEDGE' && x.call.acknowledge.task_id.value === s.task_id.value && x.call.acknowledge.uuid === s.uuid,
      );
      const settled = rest.some((x) => x.kind !== 'answer' && !(x.kind === 'call' && x.call.type === 'ACKNOWLEDGE'));
      if (!acked && settled)
        out.push({ rule: 'acknowledged', framework: fw.name, task: s.task_id.value, message: `reliable update ${s.state} (uuid ${s.uuid}) was never acknowledged` });
    }
    if (e.kind === 'call' && e.call.type === 'ACKNOWLEDGE') {
      const a = e.call.acknowledge;
      if (!received.has(key(a.task_id.value, a.uuid)))
        out.push({ rule: 'acknowledgedAfterDelivery', framework: fw.name, task: a.task_id.value, message: `acknowledges uuid ${a.uuid}, which it never received` });
    }
  });
  return out;
}

/**
 * taskStatesForward and updatesInOrder over what a framework was told, per task: states move
 * forward in the executor's order, terminal is absorbing, a uuid always names the same state,
 * and the master's word (LOST, UNREACHABLE, UNKNOWN, GONE) is left only after the task's agent
 * came back. Reconciliation answers count as observations, with two rules of their own:
 *
 *  - after a terminal update (reliable, or the master's), a task may be forgotten: the answer is
 *    then TASK_UNKNOWN (TASK_LOST without PARTITION_AWARE) and is not the task's state;
 *  - reconciliation reports the last state the master forwarded, so while the framework's
 *    subscription and the task's agent were continuous since the launch, the answer is exactly
 *    the last reliable state received (STAGING before any).
 */
function forward(h: History, fw: FwHistory): Violation[] {
  const out: Violation[] = [];
  const tasks = new Map(launched(fw).map((l) => [l.id, l]));
  type Prev = { state: TaskState; t: number; master: boolean };
  const prev = new Map<string, Prev>();
  const lastReliable = new Map<string, TaskState>();
  const uuids = new Map<string, TaskState>();
  const ended = new Set<string>();
  for (const e of updates(fw)) {
    const s = e.status;
    const tid = s.task_id.value;
    const v = (rule: string, message: string) => out.push({ rule, framework: fw.name, task: tid, message: `${message} (at ${e.t.toFixed(0)} ms)` });
    if (fw.ghosts.includes(tid)) {
      if (s.state !== forgottenState(fw) || !isReconciliation(s))
        v('reconcileUnknown', `a task nobody launched is reported ${s.state} (${s.reason ?? 'no reason'}); expected ${forgottenState(fw)} REASON_RECONCILIATION`);
      continue;
    }
    if (s.uuid !== undefined) {
      const was = uuids.get(`${tid} ${s.uuid}`);
      if (was !== undefined) {
        if (was !== s.state) v('updatesInOrder', `uuid ${s.uuid} was ${was}, now ${s.state}`);
        continue; // a retry of what it has
      }
      uuids.set(`${tid} ${s.uuid}`, s.state);
    }
    const p = prev.get(tid);
    if (isReconciliation(s) && ended.has(tid) && s.state === forgottenState(fw)) continue; // forgotten
    if (isReconciliation(s)) {
      const l = tasks.get(tid);
      const accept = l ? answerOf(fw, l.acceptCall) : undefined;
      const continuous =
        l !== undefined && accept?.status === 202 && !streamChangedBetween(fw, l.acceptedAt, e.t) && !agentEventBetween(h, l.agentId, l.acceptedAt, e.t, ['kill', 'restart']);
      const expected = lastReliable.get(tid) ?? 'TASK_STAGING';
      if (continuous && !ended.has(tid) && s.state !== expected) v('reconcileLatest', `reconciliation says ${s.state}, the last reliable update received says ${expected}`);
    }
    if (p !== undefined && p.state !== s.state) {
      if (p.master && MASTER_WORD.includes(p.state)) {
        const l = tasks.get(tid);
        if (!l || !agentEventBetween(h, l.agentId, p.t, e.t, ['restart', 'reregistered']))
          v('taskStatesForward', `${p.state} (the master's word) followed by ${s.state} though its agent never came back`);
      } else if (!mayFollow(p.state, s.state)) {
        v(p.master || s.uuid === undefined ? 'taskStatesForward' : 'updatesInOrder', `${p.state} followed by ${s.state}`);
      }
    }
    prev.set(tid, { state: s.state, t: e.t, master: s.uuid === undefined });
    if (s.uuid !== undefined) lastReliable.set(tid, s.state);
    if (isTerminal(s.state)) ended.add(tid);
  }
  return out;
}

/**
 * Offers: made to this framework, of a known agent, within its total, each id once, never of an
 * agent that is down (after the master had time to see the connection close).
 */
function offers(h: History, fw: FwHistory, seenIds: Map<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const e of fw.events) {
    if (e.kind !== 'offers') continue;
    for (const o of e.offers) {
      const v = (rule: string, message: string) => out.push({ rule, framework: fw.name, message: `offer ${o.id.value} (at ${e.t.toFixed(0)} ms): ${message}` });
      const other = seenIds.get(o.id.value);
      if (other !== undefined) v('offerIdsUsedOnce', `the id was already used for ${other}`);
      seenIds.set(o.id.value, fw.name);
      const agent = h.agents.find((a) => a.id === o.agent_id.value);
      if (!agent) {
        v('offerAgent', `names agent ${o.agent_id.value}, which is not in the cluster`);
        continue;
      }
      const total = wire(agent.total);
      const r = wire(o.resources);
      if (!contains(total, r)) v('noOverAllocation', `offers ${describeResources(r)} of agent ${agent.index}, whose total is ${describeResources(total)}`);
      const kills = h.agentEvents.filter((x) => x.agent === agent.index && x.kind === 'kill' && x.t + AGENT_DEATH_SLACK_MS < e.t);
      for (const k of kills) {
        const back = h.agentEvents.some((x) => x.agent === agent.index && x.kind === 'restart' && x.t > k.t && x.t <= e.t);
        if (!back) v('offerOfDeadAgent', `agent ${agent.index} was killed at ${k.t.toFixed(0)} ms and has not restarted`);
      }
    }
  }
  return out;
}

/**
 * Filters: after a DECLINE with refuse_seconds accepted by the master, the same agent's resources
 * (or fewer) are not offered to the framework again within the filter, unless the framework was
 * disconnected (deactivation clears filters) or the agent left (its filters are removed).
 */
function filters(h: History, fw: FwHistory): Violation[] {
  const out: Violation[] = [];
  const received = new Map<string, { o: Offer; t: number }>();
  const rescinded = new Map<string, number>();
  for (const e of fw.events) {
    if (e.kind === 'offers') for (const o of e.offers) received.set(o.id.value, { o, t: e.t });
    if (e.kind === 'rescind') rescinded.set(e.offerId, e.t);
  }
  for (const c of calls(fw)) {
    if (c.call.type !== 'DECLINE') continue;
    if (answerOf(fw, c.id)?.status !== 202) continue;
    const seconds = c.call.decline.filters?.refuse_seconds ?? 5;
    if (!(seconds > 0)) continue;
    for (const oid of c.call.decline.offer_ids ?? []) {
      const d = received.get(oid.value);
      if (!d || (rescinded.get(oid.value) ?? Infinity) <= c.t) continue;
      const declined = wire(d.o.resources);
      for (const e of fw.events) {
        if (e.kind !== 'offers' || e.t <= c.t || e.t >= c.t + seconds * 1000 - 100) continue;
        if (streamChangedBetween(fw, c.t, e.t) || agentEventBetween(h, d.o.agent_id.value, c.t - AGENT_DEATH_SLACK_MS, e.t, ['kill', 'restart', 'reregistered'])) continue;
        for (const o of e.offers) {
          if (o.agent_id.value !== d.o.agent_id.value || !contains(declined, wire(o.resources))) continue;
          out.push({
            rule: 'declineFilter',
            framework: fw.name,
            message: `declined ${oid.value} at ${c.t.toFixed(0)} ms for ${seconds} s, yet offer ${o.id.value} of the same agent (${describeResources(wire(o.resources))}) came ${(e.t - c.t).toFixed(0)} ms later`,
          });
        }
      }
    }
  }
  return out;
}

/**
 * offersDisjoint / noOverAllocation as the frameworks can see them: an offer never includes
 * resources of a task that is certainly still holding them. A task certainly holds its resources
 *
 *  - for its own framework, from its first executor update until that framework is told it
 *    ended, while the framework stayed subscribed and the agent alive (the master releases a
 *    task when it hears it ended and forwards that on the same stream, before any new offer);
 *  - for every framework, while a `sleep 30` task is running and was neither killed nor torn
 *    down nor on a killed agent, and less than 29 s have passed since its ACCEPT.
 */
function pinnedResources(h: History): Violation[] {
  const out: Violation[] = [];
  interface Pin {
    readonly l: Launched;
    /** Held as its own framework sees it. */
    readonly ownFrom: number;
    readonly ownTo: number;
    /** Held as every framework sees it (running sleeps). */
    readonly allFrom: number;
    readonly allTo: number;
  }
  const pins: Pin[] = [];
  for (const fw of h.frameworks) {
    const kills = killCalls(fw);
    const teardown = fw.events.find((e) => e.kind === 'teardown')?.t ?? Infinity;
    for (const l of launchedAtMaster(fw)) {
      const ups = updates(fw).filter((e) => e.status.task_id.value === l.id);
      const first = ups.find((e) => e.status.uuid !== undefined && rank(e.status.state) >= 1 && rank(e.status.state) <= 2);
      if (!first) continue;
      const endSeen = ups.find((e) => e.t >= first.t && isTerminal(e.status.state))?.t ?? Infinity;
      const i = agentIndex(h, l.agentId);
      const agentKill = h.agentEvents.find((x) => x.agent === i && x.kind === 'kill' && x.t > l.acceptedAt)?.t ?? Infinity;
      const drop = fw.events.find((e) => (e.kind === 'drop' || e.kind === 'subscribed') && e.t > l.acceptedAt)?.t ?? Infinity;
      const running = ups.find((e) => e.status.uuid !== undefined && e.status.state === 'TASK_RUNNING');
      const sleeping = l.command === 'sleep 30' && running !== undefined;
      pins.push({
        l,
        ownFrom: first.t,
        ownTo: Math.min(endSeen, agentKill, drop, teardown),
        allFrom: sleeping ? running.t : Infinity,
        allTo: sleeping ? Math.min(endSeen, agentKill, teardown, kills.get(l.id) ?? Infinity, l.acceptedAt + 29_000) : -Infinity,
      });
    }
  }
  for (const fw of h.frameworks) {
    for (const e of fw.events) {
      if (e.kind !== 'offers') continue;
      for (const o of e.offers) {
        const agent = h.agents.find((a) => a.id === o.agent_id.value);
        if (!agent) continue;
        let held = EMPTY;
        const who: string[] = [];
        for (const p of pins) {
          if (p.l.agentId !== o.agent_id.value) continue;
          const own = p.l.fw === fw && e.t > p.ownFrom && e.t < p.ownTo;
          const all = e.t > p.allFrom && e.t < p.allTo;
          if (!own && !all) continue;
          held = add(held, p.l.resources);
          who.push(`${p.l.fw.name}/${p.l.id}`);
        }
        if (who.length === 0) continue;
        const total = wire(agent.total);
        if (!contains(total, add(held, wire(o.resources)))) {
          out.push({
            rule: 'offersDisjoint',
            framework: fw.name,
            message: `offer ${o.id.value} (at ${e.t.toFixed(0)} ms) of agent ${agent.index} gives ${describeResources(wire(o.resources))} while ${who.join(', ')} still hold ${describeResources(held)} of ${describeResources(total)}`,
          });
        }
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------ eventually

export interface TaskFate {
  readonly l: Launched;
  /** The task must end by itself (exit) or was killed (a KILL the master accepted). */
  readonly mustEnd: boolean;
  readonly killed: boolean;
  /** Its agent was killed between its launch and its end. */
  readonly agentKilled: boolean;
  /** The states of the distinct reliable updates received, in order. */
  readonly reliable: TaskState[];
  readonly reliableSources: (string | undefined)[];
  /**
   * A task of a framework that does not checkpoint, on an agent killed after its launch, that
   * the master let go of: it said TASK_LOST for the disconnection, or (the framework was
   * disconnected then, so that update went nowhere, as in Mesos) reconciliation says it does
   * not know the task. Nothing more is to be heard of it.
   */
  readonly gone: boolean;
  /** Such a task the master did not let go of (rule lostNotReported). */
  readonly orphaned: boolean;
  /** The last state the framework was told (reliable or the master's, forgotten answers aside). */
  readonly last: TaskState | undefined;
}

export function fates(h: History, fw: FwHistory): TaskFate[] {
  const kills = acceptedKills(fw);
  return launchedAtMaster(fw).map((l) => {
    const ups = updates(fw).filter((e) => e.status.task_id.value === l.id);
    const reliable: TaskState[] = [];
    const sources: (string | undefined)[] = [];
    const uuids = new Set<string>();
    let last: TaskState | undefined;
    let endedAt = Infinity;
    for (const e of ups) {
      const s = e.status;
      if (s.uuid !== undefined) {
        if (uuids.has(s.uuid)) continue;
        uuids.add(s.uuid);
        reliable.push(s.state);
        sources.push(s.source);
      }
      if (isReconciliation(s) && last !== undefined && isTerminal(last) && s.state === forgottenState(fw)) continue;
      last = s.state;
      if (isTerminal(s.state) && endedAt === Infinity) endedAt = e.t;
    }
    const killed = kills.has(l.id);
    const agentKilled = agentEventBetween(h, l.agentId, l.acceptedAt, endedAt, ['kill']);
    const i = agentIndex(h, l.agentId);
    const agentKill = h.agentEvents.find((e) => e.agent === i && e.kind === 'kill' && e.t > l.acceptedAt)?.t;
    const lostWithAgent = !fw.checkpoint && agentKill !== undefined;
    const letGo = ups.some(
      (e) =>
        e.status.uuid === undefined &&
        (e.status.reason === 'REASON_AGENT_DISCONNECTED' || (isReconciliation(e.status) && e.t > agentKill! && e.status.state === forgottenState(fw))),
    );
    const gone = lostWithAgent && letGo;
    const orphaned = lostWithAgent && !letGo;
    return { l, mustEnd: l.command !== 'sleep 30' || killed, killed, agentKilled, reliable, reliableSources: sources, gone, orphaned, last };
  });
}

/**
 * The eventually-properties, to be evaluated once the cluster had time to settle (every agent
 * up again): every task that ends by itself or was killed has ended, and if its agent kept it
 * (checkpointing, or never killed) the framework holds its terminal update reliably, with no
 * update missing before it; a task that exits undisturbed reports exactly STARTING, RUNNING,
 * FINISHED (exit 0) or FAILED (exit 1); a `sleep` never killed is RUNNING (or ended: its agent
 * died without checkpointing); every call was answered; every reliable update was
 * acknowledged with 202. With
 * `launchAll` (everything wanted fits in the cluster at once), every task wanted was launched.
 */
export function checkEventually(h: History, options: { launchAll?: boolean } = {}): Violation[] {
  const out: Violation[] = [];
  for (const fw of h.frameworks) {
    if (options.launchAll && fw.kind === 'launch') {
      // Everything wanted fits in the cluster at once: offers must have come for all of it, and
      // the master must have taken the ACCEPT.
      const done = new Set(launchedAtMaster(fw).map((l) => l.id));
      const refused = new Map(
        launched(fw)
          .filter((l) => l.acceptStatus !== 202 && answerOf(fw, l.acceptCall) !== undefined)
          .map((l) => [l.id, l.acceptStatus]),
      );
      for (const t of Object.keys(fw.tasks).filter((x) => !done.has(x))) {
        if (!refused.has(t)) out.push({ rule: 'eventuallyLaunched', framework: fw.name, task: t, message: 'never launched, though every task wanted fits in the cluster' });
        else
          out.push({
            rule: 'refusedAcceptAbandoned',
            framework: fw.name,
            task: t,
            message: `its ACCEPT was answered ${refused.get(t) ?? 'nothing'} and the framework never launched it again (an expected failure: EXPECTED_FAILURES)`,
          });
      }
    }
    for (const f of fates(h, fw)) {
      const v = (rule: string, message: string) => out.push({ rule, framework: fw.name, task: f.l.id, message });
      const what = `${f.l.command ?? '?'}${f.killed ? ', killed' : ''}${f.agentKilled ? ', agent killed' : ''}`;
      if (f.gone) continue;
      if (f.mustEnd && (f.last === undefined || !isTerminal(f.last)) && f.orphaned) {
        v('lostNotReported', `(${what}) is still ${f.last ?? 'without any update'}: its agent died, its framework does not checkpoint, and the master never said TASK_LOST`);
        continue;
      }
      if (f.mustEnd && (f.last === undefined || !isTerminal(f.last))) {
        v('eventuallyTerminal', `(${what}) is still ${f.last ?? 'without any update'}; reliable updates: ${f.reliable.join(', ') || 'none'}`);
        continue;
      }
      if (!f.mustEnd && f.last !== 'TASK_RUNNING' && !(f.last !== undefined && isTerminal(f.last))) {
        v('eventuallyRunning', `(${what}) is ${f.last ?? 'without any update'}`);
        continue;
      }
      const kept = fw.checkpoint || !f.agentKilled;
      const lastReliable = f.reliable[f.reliable.length - 1];
      if (f.mustEnd && kept && f.reliable.length > 0 && !isTerminal(lastReliable!)) {
        v('deliveredAfterRestart', `(${what}) ended (${f.last}) but its agent never delivered a terminal update: reliable updates ${f.reliable.join(', ')}`);
      }
      if (kept && f.reliable.length > 0) {
        // No update missing before one received: the command executor reports STARTING, then RUNNING, then how it ended.
        const fromExecutor = f.reliable.filter((_, i) => f.reliableSources[i] === 'SOURCE_EXECUTOR');
        const has = (s: TaskState) => fromExecutor.includes(s);
        const endedByExit = fromExecutor.some((s) => s === 'TASK_FINISHED' || s === 'TASK_FAILED');
        if ((has('TASK_RUNNING') || endedByExit) && !has('TASK_STARTING'))
          v('deliveredAfterRestart', `(${what}) executor updates ${fromExecutor.join(', ')}: TASK_STARTING missing`);
        if (endedByExit && !has('TASK_RUNNING')) v('deliveredAfterRestart', `(${what}) executor updates ${fromExecutor.join(', ')}: TASK_RUNNING missing`);
      }
      if (!f.killed && !f.agentKilled && f.l.command !== undefined && f.l.command !== 'sleep 30' && answerOf(fw, f.l.acceptCall)?.status === 202) {
        const expected = ['TASK_STARTING', 'TASK_RUNNING', f.l.command === 'exit 0' ? 'TASK_FINISHED' : 'TASK_FAILED'];
        if (f.reliable.join() !== expected.join()) v('exitReported', `\`${f.l.command}\` reported ${f.reliable.join(', ') || 'nothing'} reliably, expected ${expected.join(', ')}`);
      }
    }
    // Every call answered (or failed): what the checks read of the master's answers is complete.
    const answered = new Set(fw.events.flatMap((e) => (e.kind === 'answer' ? [e.id] : [])));
    for (const c of calls(fw))
      if (c.call.type !== 'SUBSCRIBE' && !answered.has(c.id))
        out.push({ rule: 'callAnswered', framework: fw.name, message: `call #${c.id} ${c.call.type} (at ${c.t.toFixed(0)} ms) has no answer` });
    // Every reliable update acknowledged, and the master took the acknowledgement.
    const acked = new Set<string>();
    for (const c of calls(fw)) {
      if (c.call.type !== 'ACKNOWLEDGE') continue;
      if (answerOf(fw, c.id)?.status === 202) acked.add(`${c.call.acknowledge.task_id.value} ${c.call.acknowledge.uuid}`);
    }
    const reported = new Set<string>();
    for (const e of updates(fw)) {
      const s = e.status;
      if (s.uuid === undefined) continue;
      const key = `${s.task_id.value} ${s.uuid}`;
      if (acked.has(key) || reported.has(key)) continue;
      reported.add(key);
      out.push({ rule: 'acknowledged', framework: fw.name, task: s.task_id.value, message: `${s.state} (uuid ${s.uuid}) has no acknowledgement the master answered 202` });
    }
  }
  return out;
}

/**
 * At quiescence (after the `quiescent` marker): explicit reconciliation of a task reports its
 * last reliable state, or TASK_UNKNOWN/TASK_LOST once it ended and was acknowledged (or the
 * master dropped it); implicit reconciliation reports exactly the tasks still alive, each with
 * its last reliable state; an id never launched is TASK_UNKNOWN/TASK_LOST.
 */
export function checkQuiescent(h: History, options: { now: number }): Violation[] {
  const out: Violation[] = [];
  for (const fw of h.frameworks) {
    const mark = fw.events.findIndex((e) => e.kind === 'quiescent');
    if (mark < 0) continue;
    const before: FwHistory = { ...fw, events: fw.events.slice(0, mark) };
    const fateOf = new Map(fates(h, before).map((f) => [f.l.id, f]));
    const after = fw.events.slice(mark + 1);
    const recon = after.filter((e): e is Extract<FwEvent, { kind: 'call' }> => e.kind === 'call' && e.call.type === 'RECONCILE');
    const answered = (c: Extract<FwEvent, { kind: 'call' }>) => answerOf(fw, c.id)?.status === 202;
    const answers = after.filter((e): e is Extract<FwEvent, { kind: 'update' }> => e.kind === 'update' && isReconciliation(e.status));
    const expectedOf = (tid: string): TaskState | null => {
      const f = fateOf.get(tid);
      if (!f) return forgottenState(fw);
      if (f.gone) return forgottenState(fw);
      if (f.last !== undefined && isTerminal(f.last)) return forgottenState(fw);
      // A sleep may finish by itself 30 s after its launch: no exact claim near then.
      if (f.l.command === 'sleep 30' && options.now - f.l.acceptedAt > 25_000) return null;
      return f.reliable[f.reliable.length - 1] ?? 'TASK_STAGING';
    };
    const explicit = recon.find((c) => c.call.type === 'RECONCILE' && (c.call.reconcile.tasks ?? []).length > 0);
    if (explicit && answered(explicit) && explicit.call.type === 'RECONCILE') {
      for (const q of explicit.call.reconcile.tasks ?? []) {
        const tid = q.task_id.value;
        const a = answers.filter((e) => e.status.task_id.value === tid);
        const expected = expectedOf(tid);
        if (a.length === 0) out.push({ rule: 'reconcileAnswered', framework: fw.name, task: tid, message: 'explicit reconciliation at quiescence got no answer' });
        else if (expected !== null && a[0]!.status.state !== expected)
          out.push({
            rule: 'reconcileLatest',
            framework: fw.name,
            task: tid,
            message: `at quiescence reconciliation says ${a[0]!.status.state}, expected ${expected} (last told ${fateOf.get(tid)?.last ?? 'nothing'})`,
          });
      }
    }
    // The driver asks implicitly only once every explicit answer arrived: the answers after the implicit call are its own.
    const implicit = recon.find((c) => c.call.type === 'RECONCILE' && (c.call.reconcile.tasks ?? []).length === 0);
    if (implicit && answered(implicit)) {
      // No claim on a sleep about to end by itself.
      const tolerated = (tid: string) => expectedOf(tid) === null;
      const alive = [...fateOf.values()]
        .filter((f) => !(f.last !== undefined && isTerminal(f.last)) && !f.gone && !tolerated(f.l.id))
        .map((f) => f.l.id)
        .sort();
      const got = answers.filter((e) => e.t >= implicit.t);
      const ids = got
        .map((e) => e.status.task_id.value)
        .filter((t) => !tolerated(t))
        .sort();
      if (ids.join() !== alive.join())
        out.push({
          rule: 'reconcileImplicit',
          framework: fw.name,
          message: `implicit reconciliation at quiescence reported [${ids.join(', ')}], the tasks alive are [${alive.join(', ')}]`,
        });
      for (const e of got) {
        const expected = expectedOf(e.status.task_id.value);
        if (expected !== null && e.status.state !== expected)
          out.push({
            rule: 'reconcileLatest',
            framework: fw.name,
            task: e.status.task_id.value,
            message: `implicit reconciliation at quiescence says ${e.status.state}, expected ${expected}`,
          });
      }
    }
  }
  return out;
}
