/**
 * Projection: a model trace turned into what a real cluster lets a runner do and see.
 *
 * Visible steps (everything else happens inside the cluster and is not in the scenario):
 *   - a delivery to a framework: the framework observes the event (`expect`);
 *   - a message a framework's scheduler emits: the framework sends that call (`call`);
 *   - a fault: an agent or master restart, a framework failover, a lost message, a partition
 *     (`fault`);
 * and the environment: a task's process exit becomes the task's command.
 *
 * Order (`after`): causality in the trace, restricted to visible steps. Every component and
 * message carries the set of visible steps it causally depends on; a step depends on what its
 * participants and the message it consumes depend on. Refinements make that the order a runner
 * can rely on:
 *   - an observation depends on the message it observes, not on the framework's earlier
 *     observations (the master may send events in another order in another interleaving),
 *     except that every event of a subscription stream follows its SUBSCRIBED, and events the
 *     master sent to a framework in one step arrive in that order;
 *   - a call depends on the observation that prompted it, on the framework's earlier calls and
 *     on the observations that bound the variables it names (a call emitted by a timer or an
 *     environment decision: on everything the framework saw); the framework's calls come in the
 *     order the master takes them in the trace, which may not be the order they were emitted in
 *     (they travel in a bag): a call the master takes while calls emitted before it are still in
 *     flight does not depend on them, they depend on it (`overtake`);
 *   - a fault depends on every visible step before it in the trace (the runner injects it
 *     between observations).
 * `after` lists the immediate predecessors.
 *
 * Alternatives (`orElse`): what the runner can know is the *belief*, the set of model states
 * consistent with the visible steps so far (beliefs.ts), following the scenario's environment
 * (tasks end only as their commands say). For each observation, the events the framework may
 * see next from any state of the belief's closure, other than the expected one, are its
 * alternatives; the belief then moves on by the expected event. The trace's own state must be
 * in every closure, which checks the projection.
 *
 * A task's command is `exit <status>` if its process exits in the trace (first exit), else
 * `sleep` (it runs until killed); the calls that launch it carry that command.
 *
 * Ids are variables bound on first sight: `$fw<n>`, `$agent<n>`, `$offer<n>`, `$uuid<n>`.
 */
import type { AnyEventObject } from 'xstate';
import type { Trace } from '../checker/index.ts';
import { canonicalJson } from '../spec/canonical.ts';
import { base64FromText } from '../spec/protocol/bytes.ts';
import { everyExecutor, frameworkInfoOf, OUTCOME_COMMANDS, type MesosWorld } from '../spec/world/mesos.ts';
import { timerIds as agentTimers } from '../spec/machines/agent/types.ts';
import type { System } from '../spec/world/system.ts';
import { FAULT_STEPS, type StepDescription } from '../spec/world/step-description.ts';
import type { AgentContext } from '../spec/machines/agent.ts';
import { step as stepLocal } from '../spec/step.ts';
import type { SchedulerContext } from '../spec/machines/scheduler.ts';
import type { MasterContext } from '../spec/machines/master/context.ts';
import type { AfterEnd, CallJson, ExecutorAway, ScenarioEnvironment, EventPattern, Fault, Requirement, Scenario, ScenarioTarget, Step, TimerNote, TraceLine } from './format.ts';
import { Beliefs, looseEvent, looseLabel, stateKey, type Closure } from './beliefs.ts';
import { eventPattern, varsIn, Vars, type IdKind } from './patterns.ts';
import { replayRaw, type RawTrace } from './replay.ts';
import { ownExit } from './exits.ts';
import { settledState } from './settle.ts';
import { quietAt } from './quiet-crashes.ts';
import { agentTaskView, endViews } from './operator-views.ts';
import { isOperatorEvent, operatorCall } from './operator-calls.ts';
import { NOWHERE, STALE_STREAM_ID } from '../spec/machines/general-framework.ts';
import { ELECTION } from '../spec/world/election.ts';

export interface ProjectOptions {
  /** Most states in one closure when computing alternatives (default 20,000). */
  readonly alternativesMaxStates?: number;
  /** Shared between projections of one world: closures by visible prefix. */
  readonly cache?: AlternativesCache;
}

/** Closures of belief sets, by the loose description of the visible steps that led to them. */
export type AlternativesCache = Map<string, Closure>;

export class ProjectionError extends Error {}

/** Command of a task that does not end by itself within a scenario. */
export const SLEEP_COMMAND = OUTCOME_COMMANDS.never;

/** A message in flight, mirrored: its JSON, the visible steps it depends on, the step that sent it. */
interface Tracked {
  json: string;
  hist: ReadonlySet<number>;
  sentAt: number;
  /** A framework's call: the index of its call step. */
  call?: number;
}

const union = (...sets: (ReadonlySet<number> | undefined)[]): Set<number> => {
  const out = new Set<number>();
  for (const s of sets) if (s) for (const x of s) out.add(x);
  return out;
};

/** Strips the transport's envelope from a call as the scheduler emitted it. */
export function callBody(e: AnyEventObject): Record<string, unknown> {
  const { from: _f, stream_id: _s, request, ...body } = e as Record<string, unknown>;
  // The envelope's `request` is an id; a REQUEST call's own `request` is its payload.
  return typeof request === 'object' ? { ...body, request } : body;
}

/** Where a call names an id the runner learns from an event, by the field's path. */
const ID_FIELDS: readonly [RegExp, IdKind][] = [
  [/\.framework_id\.value$/, 'fw'],
  [/\.framework_info\.id\.value$/, 'fw'],
  [/\.agent_id\.value$/, 'agent'],
  [/\.offer_ids\[\d+\]\.value$/, 'offer'],
  [/\.uuid$/, 'uuid'],
];

export interface ProjectInput {
  readonly world: MesosWorld;
  /** A trace of `world.system`. */
  readonly trace: Trace;
  /** Scenario name and the targets it covers (each reached after that many trace steps). */
  readonly name: string;
  readonly targets: readonly ScenarioTarget[];
  readonly description: string;
}

/**
 * The general framework's lies (spec/machines/general-framework.ts `lie` and `NOWHERE`): ids no
 * event ever shows, sent as they are, and the empty id (a SUBSCRIBE with `framework_info.id`
 * `""` asks to be a new framework).
 */
const LIES: ReadonlySet<string> = new Set([...Object.values(NOWHERE), '']);

/** Projects one trace onto a scenario (throws ProjectionError when it cannot). */
export function project(input: ProjectInput, options: ProjectOptions = {}): Scenario {
  const { world, trace } = input;
  const raw: RawTrace = replayRaw(world, trace);
  const sys: System = raw.system;
  const { layout } = world;
  const cache: AlternativesCache = options.cache ?? new Map();

  const comps = sys.components.map((c) => c.name);
  const channelIndex = (name: string): number => sys.channel(...(name.split('>') as [string, string]))!;
  const fromFramework = new Map(layout.frameworks.map((f) => [sys.channel(f, layout.master)!, f] as const));

  const vars = new Vars();
  /** Steps without `id` and `after` yet, with their causal histories. */
  const drafts: { step: DraftStep; hist: Set<number> }[] = [];
  const requires = new Set<Requirement>();
  const exits = new Map<string, number>();
  const timers: TimerNote[] = [];
  /** The model master's answer to each call step (by draft index) the trace delivers. */
  const answers = new Map<number, number>();
  /** Call steps (by draft index) that present a stream id never the framework's. */
  const staleStreams = new Set<number>();
  /** Call steps (by draft index) that present no stream id (the `no-stream` lie, or a call before any SUBSCRIBED). */
  const streamless = new Set<number>();
  /** Per framework, its last observation: the step that sent the event, and the scenario step. */
  const lastObserved = new Map<string, { sentAt: number; step: number }>();
  /** Per framework, the SUBSCRIBED of its current subscription stream (every later event follows it). */
  const subscribedAt = new Map<string, number>();
  /** The trace line at which each call step (by draft index) reaches the master. */
  const deliveredAt = new Map<number, number>();
  /** Calls (by draft index) the trace's framework emits and the trace loses: its connection, or the master, restarted with them in flight. */
  const lostCalls = new Set<number>();
  /** Calls (by draft index) in flight across an agent's crash or an executor's kill: sent after it, when the trace delivers them. */
  const crossing = new Set<number>();
  /** Per trace step (1-based), the components that took part in it. */
  const took: Set<number>[] = [];
  /** Per trace step (1-based), what it is. */
  const described: StepDescription[] = [];
  /** Agent restarts (by draft index): the agent's slot and the crash's trace line (startAfter is computed at the end). */
  const agentCrashes: { k: number; agent: number; at: number }[] = [];
  /** The expect step that bound each variable (a call naming it follows that step). */
  const binder = new Map<string, number>();
  // Causality: per component, per framework's calls, and the runner's, the visible steps known.
  const lanes: Set<number>[] = comps.map(() => new Set());
  const callLanes = new Map<string, Set<number>>(layout.frameworks.map((f) => [f, new Set()]));
  let runnerLane = new Set<number>();
  const channels: Tracked[][] = sys.channels.map((_, c) => sys.channelEvents(raw.initial, c).map((e) => ({ json: canonicalJson(e), hist: new Set(), sentAt: -1 })));

  // What the runner can know: the belief set after the visible steps so far.
  let belief: Int32Array[] = [trace.states[0]!];
  let prefix = '';
  let beliefComplete = true;
  const closure = (at: number): Closure => {
    let c = cache.get(prefix);
    if (!c) {
      c = beliefs.closure(belief);
      let held = c.states.length;
      for (const x of cache.values()) held += x.states.length;
      if (held > CACHE_STATES) cache.clear();
      cache.set(prefix, c);
    }
    const key = stateKey(trace.states[at]!);
    if (c.complete && !c.keys.has(key)) {
      throw new ProjectionError(`trace step ${at + 1}: the model trace leaves the states consistent with what the runner saw (a projection bug)`);
    }
    // A closure cut short at its bound may miss the trace's own state, which is consistent with
    // what the runner saw by construction: it joins, so the belief never runs out.
    if (!c.complete && !c.keys.has(key)) {
      c = { states: [...c.states, trace.states[at]!], complete: false, keys: new Set([...c.keys, key]) };
      cache.set(prefix, c);
    }
    return c;
  };

  const addStep = (step: DraftStep, hist: Set<number>): number => {
    const k = drafts.length;
    hist.add(k);
    drafts.push({ step, hist });
    runnerLane = union(runnerLane, hist);
    return k;
  };

  const substitute = (value: unknown, where: string, traceStep: number): unknown => {
    if (typeof value === 'string') {
      const kind = ID_FIELDS.find(([path]) => path.test(where))?.[1];
      if (kind === undefined) return value;
      const v = vars.lookup(kind, value);
      if (v === undefined && LIES.has(value)) return value;
      if (v === undefined) throw new ProjectionError(`trace step ${traceStep}: a call names ${value} (${where}), which no event showed the framework`);
      return v;
    }
    if (Array.isArray(value)) return value.map((x, i) => substitute(x, `${where}[${i}]`, traceStep));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, substitute(x, `${where}.${k}`, traceStep)]));
    }
    return value;
  };

  // Exit statuses first: a task's command is the same in every call that launches it.
  for (const st of raw.steps) {
    const d = sys.describeStep(st.before, st.action);
    const exit = ownExit(world, d);
    if (exit !== undefined && !exits.has(exit.task)) exits.set(exit.task, exit.status);
  }
  // What the runner can know follows the environment: tasks end only as their commands say.
  const beliefs = new Beliefs(world, options.alternativesMaxStates ?? 20_000, exits);
  const settled = settledState(world, exits);
  prefix = canonicalJson(Object.fromEntries([...exits].sort()));
  const taskCommand = (tid: string): string => {
    const status = exits.get(tid);
    return status === undefined ? SLEEP_COMMAND : `exit ${status}`;
  };

  const callJson = (e: AnyEventObject, traceStep: number): CallJson => {
    if (isOperatorEvent(e)) {
      const { request: _r, ...event } = e as typeof e & { request?: string };
      return substitute(operatorCall(event as typeof e), 'call', traceStep) as CallJson;
    }
    const body = callBody(e);
    if (body.type === 'ACCEPT') {
      type Launched = { task_id: { value: string }; command?: { value?: string }; executor?: unknown; data?: string };
      const accept = body.accept as { operations?: { launch?: { task_infos?: Launched[] }; launch_group?: { task_group: { tasks?: Launched[] } } }[] };
      for (const op of accept.operations ?? []) {
        for (const t of [...(op.launch?.task_infos ?? []), ...(op.launch_group?.task_group.tasks ?? [])]) {
          if (t.command) t.command = { ...t.command, value: taskCommand(t.task_id.value) };
          // A custom executor's task carries its command as data (what the runner's executor program runs).
          else if (t.executor !== undefined && t.data !== undefined) t.data = base64FromText(taskCommand(t.task_id.value));
        }
      }
    }
    const { type, framework_id, ...rest } = substitute(body, 'call', traceStep) as Record<string, unknown>;
    return { type: type as string, ...(framework_id !== undefined ? { framework_id } : {}), ...rest };
  };

  // The frameworks' first calls (their SUBSCRIBEs) are in flight in the initial state.
  for (const [c, fw] of fromFramework) {
    channels[c] = channels[c]!.map((m) => {
      const k = addStep({ kind: 'call', framework: fw, call: callJson(JSON.parse(m.json) as AnyEventObject, 0), trace: 0 }, new Set());
      callLanes.set(fw, union(callLanes.get(fw), drafts[k]!.hist));
      return { ...m, hist: drafts[k]!.hist };
    });
  }

  /**
   * What an agent's crash or an executor's kill follows: every visible step so far but the calls
   * still in flight to the master (and only those nothing else so far follows), which become
   * `crossing`: a real master would take a call the runner sent before the crash before it too.
   * `known` is what the crash's participants already know: a call in it is no longer in flight
   * as far as the crash goes (the crash follows it).
   */
  const beforeCrash = (known: ReadonlySet<number>): Set<number> => {
    const inFlight = new Set<number>();
    for (const c of fromFramework.keys()) for (const m of channels[c]!) if (m.call !== undefined) inFlight.add(m.call);
    // Only those no step outside the set follows (a later call of the framework the trace
    // delivered before the crash keeps the ones it follows before it too).
    const kept = new Set(inFlight);
    for (let changed = true; changed;) {
      changed = false;
      for (const k of kept) {
        if (known.has(k) || drafts.some((x, j) => j !== k && !kept.has(j) && x.hist.has(k))) {
          kept.delete(k);
          changed = true;
        }
      }
    }
    for (const k of kept) crossing.add(k);
    return union(...drafts.filter((_, j) => !kept.has(j)).map((x) => x.hist));
  };

  /** Whether step `from` waits for step `to`, through the histories as they are now (held calls' grow). */
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const todo = [from];
    while (todo.length > 0) {
      const x = todo.pop()!;
      if (x === to) return true;
      if (seen.has(x)) continue;
      seen.add(x);
      for (const y of drafts[x]!.hist) if (!seen.has(y)) todo.push(y);
    }
    return false;
  };

  /**
   * A framework's call `k` reaches the master while calls it emitted earlier are still in flight
   * on `chan`: separate HTTP requests overtake each other (spec/world/mesos.ts), and the runner
   * sends one call at a time, so it sends `k` first and those after it. `k` no longer waits for
   * them (their lane link goes); they wait for `k` and what it waits for. One that something else
   * `k` waits for follows keeps its place (waiting for `k` would be a cycle).
   */
  const overtake = (k: number, chan: number): void => {
    const own = drafts[k]!.hist;
    const overtaken = new Set(channels[chan]!.flatMap((m) => (m.call !== undefined && m.call < k && own.has(m.call) ? [m.call] : [])));
    for (let changed = true; changed;) {
      changed = false;
      for (const j of overtaken) {
        if ([...own].some((y) => y !== k && !overtaken.has(y) && reaches(y, j))) {
          overtaken.delete(j);
          changed = true;
        }
      }
    }
    for (const j of overtaken) own.delete(j);
    for (const j of overtaken) for (const y of own) drafts[j]!.hist.add(y);
  };

  raw.steps.forEach((st, i) => {
    const traceStep = i + 1;
    const { info, before, after } = st;
    const d: StepDescription = sys.describeStep(before, st.action);

    // 1. Channels: what was consumed, what was cleared, what is new.
    const cleared = new Set<number>();
    if (d.kind === 'restart' || d.kind === 'partition') for (const name of d.cleared) cleared.add(channelIndex(name));
    // A component that stops (an executor whose task ended) takes its channels with it.
    const stopped = comps.map((_, c) => before[c] !== 0 && after[c] === 0);
    sys.channels.forEach((ch, c) => {
      if (stopped[sys.comp(ch.from)] || stopped[sys.comp(ch.to)]) cleared.add(c);
    });
    // A call in flight when its framework fails over (or the master restarts) never reaches the master.
    for (const c of cleared) if (fromFramework.has(c)) for (const m of channels[c]!) if (m.call !== undefined) lostCalls.add(m.call);
    let consumed: Tracked | undefined;
    // A leader's session expiring (ELECT) fails the master over to a standby, and a deposed
    // master aborts (ABORT): a runner needs elected masters to arrange either.
    if (d.kind === 'environment' && d.component === ELECTION) requires.add('election');
    if (d.kind === 'deliver' || d.kind === 'loss') {
      const c = channelIndex(d.channel);
      const json = canonicalJson(info.event);
      const list = channels[c]!;
      const idx = list.findIndex((x) => x.json === json);
      if (idx < 0) throw new ProjectionError(`trace step ${traceStep}: ${info.label} consumes a message the projection did not track`);
      consumed = list[idx]!;
      // A framework's call reaches the master: the model's answer is its `reply` (none for a SUBSCRIBE).
      if (d.kind === 'deliver' && d.component === layout.master && consumed.call !== undefined) {
        const master = sys.components.find((x) => x.name === layout.master)!;
        const local = sys.localOf(before, layout.master)!;
        const replied = stepLocal(master.machine, local, { ...(info.event as AnyEventObject), request: 'call' }).effects.find((e) => e.type === 'reply') as
          { status?: number } | undefined;
        if (replied?.status !== undefined) answers.set(consumed.call, replied.status);
        // A call the master takes on a stream another subscription of its framework has replaced
        // (a SUBSCRIBE emitted after it overtook it): the runner, which sends it after that
        // SUBSCRIBE, presents a stale stream id too, as the model's master saw one.
        const { stream_id: stream, framework_id: fid } = info.event as { stream_id?: string; framework_id?: { value?: string } };
        const current = fid?.value === undefined ? undefined : (local.context as MasterContext).frameworks[fid.value]?.stream;
        if (stream !== undefined && typeof current === 'string' && current !== stream) staleStreams.add(consumed.call);
      }
      channels[c] = [...list.slice(0, idx), ...list.slice(idx + 1)];
      // An acknowledgement the trace delivers only after its framework observed later events is
      // held until those events: the agent sends a task's next update only once it is
      // acknowledged, so the order of what follows depends on when it arrives (a default
      // executor may end, and its FAILURE overtake the tasks' next updates, while the framework
      // still holds the first ones). The runner sends it once they have happened.
      const k = consumed.call;
      const held = k === undefined ? undefined : drafts[k]!;
      if (d.kind === 'deliver' && k !== undefined) deliveredAt.set(k, traceStep);
      // A call in flight across a crash is sent once the crash, and what the trace observes
      // before the call arrives, have happened (none of which depends on it).
      if (d.kind === 'deliver' && k !== undefined && crossing.has(k)) {
        drafts.forEach((x, j) => {
          const inFlight = x.step.kind === 'call' && !deliveredAt.has(j);
          if (j > k && !inFlight && !x.hist.has(k)) for (const y of x.hist) held!.hist.add(y);
        });
      } else if (d.kind === 'deliver' && held?.step.kind === 'call' && held.step.call.type === 'ACKNOWLEDGE') {
        const fw = held.step.framework;
        drafts.forEach((x, j) => {
          // (Never one that depends on the acknowledgement itself: that would be a cycle.)
          if (j > k! && x.step.kind === 'expect' && x.step.framework === fw && !x.hist.has(k!)) for (const y of x.hist) held.hist.add(y);
        });
      }
      if (d.kind === 'deliver' && k !== undefined && fromFramework.has(c)) overtake(k, c);
    }
    const fresh: { chan: number; pos: number; json: string }[] = [];
    const nextChannels: (Tracked | null)[][] = sys.channels.map((_, c) => {
      const remaining = cleared.has(c) ? [] : [...channels[c]!];
      return sys.channelEvents(after, c).map((e, pos) => {
        const json = canonicalJson(e);
        const idx = remaining.findIndex((x) => x.json === json);
        if (idx >= 0) return remaining.splice(idx, 1)[0]!;
        fresh.push({ chan: c, pos, json });
        return null;
      });
    });

    // 2. Participants, and the step's causal history.
    const participants = new Set<number>();
    comps.forEach((_, c) => {
      if (before[c] !== after[c]) participants.add(c);
    });
    if (d.kind !== 'loss') participants.add(sys.comp(d.component));
    took[traceStep] = participants;
    described[traceStep] = d;
    let hist = union(...[...participants].map((p) => lanes[p]), consumed?.hist);
    const sentHist = new Map<string, Set<number>>();
    const sentCall = new Map<string, number>();
    const freshKey = (f: { chan: number; pos: number }) => `${f.chan}:${f.pos}`;
    const emittedCalls = (fw: string) => fresh.filter((f) => fromFramework.get(f.chan) === fw);
    /** Call steps for what `fw` emitted, each after `base`, the framework's earlier calls and the previous one. */
    const recordCalls = (fw: string, base: Set<number>): Set<number> => {
      let h = base;
      for (const f of emittedCalls(fw)) {
        const sent = JSON.parse(f.json) as AnyEventObject;
        const call = callJson(sent, traceStep);
        const named = varsIn(call).map((v) => drafts[binder.get(v)!]?.hist);
        const k = addStep(
          { kind: 'call', framework: fw, call, ...(isOperatorEvent(sent) ? { api: 'operator' as const } : {}), trace: traceStep },
          union(h, callLanes.get(fw), ...named),
        );
        if (sent.stream_id === STALE_STREAM_ID) staleStreams.add(k);
        else if (sent.stream_id === undefined && call.type !== 'SUBSCRIBE' && !isOperatorEvent(sent)) streamless.add(k);
        h = drafts[k]!.hist;
        callLanes.set(fw, union(callLanes.get(fw), h));
        sentHist.set(freshKey(f), h);
        sentCall.set(freshKey(f), k);
      }
      return h;
    };

    if (d.kind === 'timer') timers.push({ trace: traceStep, component: d.component, timer: d.timer, delayMs: d.delayMs, armedAt: armedAt(sys, raw, i, d.component, d.timer) });

    // 3. The visible step, if this is one; the belief set follows it.
    const canonicalInfo = world.system.describe(trace.states[i]!, trace.actions[i]!);
    const visible = beliefs.visible(trace.states[i]!, trace.actions[i]!);
    const isFramework = (c: string) => layout.frameworks.includes(c);
    if (d.kind === 'deliver' && d.from === layout.master && isFramework(d.component) && visible) {
      // An observation, and the calls it prompted.
      const fw = d.component;
      const known = vars.snapshot();
      const pattern = eventPattern(info.event!, (k, r) => vars.bind(k, r))!;
      const c = closure(i);
      const loose = looseEvent(info.event!)!;
      const orElse = [...beliefs.heads(c, fw)]
        .filter(([k]) => k !== loose)
        .map(([, e]) => eventPattern(e, (k, r) => (k === 'offer' ? '*' : known.peek(k, r)))!)
        .sort((a, b) => compareStrings(canonicalJson(a), canonicalJson(b)));
      const complete = beliefComplete && c.complete;
      // The cluster may also have settled, unseen, where this event never comes.
      const chan = sys.channel(layout.master, fw)!;
      const orNothing = c.states.some((t) => world.system.channelLength(t, chan) === 0 && settled(t));
      // Events the master sent to one framework in one step arrive in that order in every run.
      const previous = lastObserved.get(fw);
      const sameBurst = previous !== undefined && consumed !== undefined && consumed.sentAt >= 0 && previous.sentAt === consumed.sentAt;
      // And every event of a subscription stream comes after its SUBSCRIBED.
      const stream = pattern.type === 'SUBSCRIBED' ? undefined : subscribedAt.get(fw);
      const k = addStep(
        { kind: 'expect', framework: fw, event: pattern, orElse, orElseComplete: complete, ...(orNothing ? { orNothing } : {}), trace: traceStep },
        union(consumed?.hist, sameBurst ? drafts[previous.step]!.hist : undefined, stream === undefined ? undefined : drafts[stream]!.hist),
      );
      lastObserved.set(fw, { sentAt: consumed?.sentAt ?? -1, step: k });
      if (pattern.type === 'SUBSCRIBED') subscribedAt.set(fw, k);
      for (const v of varsIn(pattern)) if (!binder.has(v)) binder.set(v, k);
      hist = union(hist, recordCalls(fw, drafts[k]!.hist));
      belief = beliefs.observe(c, fw, loose);
      beliefComplete = complete;
      prefix += `|O ${fw} ${loose}`;
    } else if (visible) {
      const c = closure(i);
      if (d.kind === 'restart' && isFramework(d.component)) {
        const fw = d.component;
        const k = addStep({ kind: 'fault', fault: { type: 'FRAMEWORK_FAILOVER', framework: fw }, trace: traceStep }, union(runnerLane, hist));
        hist = union(hist, recordCalls(fw, drafts[k]!.hist));
      } else if (d.kind === 'environment' && d.message.type === 'EXECUTOR_KILLED') {
        // kill -9 of a custom or default executor: the runner's fault step, like an agent restart.
        const e = layout.customExecutors.find((x) => x.slot === d.component)!;
        const k = addStep(
          { kind: 'fault', fault: { type: 'EXECUTOR_KILL', agent: e.agent, framework: e.framework, executor: e.executor }, trace: traceStep },
          union(hist, beforeCrash(hist)),
        );
        hist = union(hist, drafts[k]!.hist);
      } else if ((d.kind === 'timer' || d.kind === 'environment') && isFramework(d.component)) {
        const fw = d.component;
        hist = union(hist, recordCalls(fw, union(lanes[sys.comp(fw)])));
      } else if (FAULT_STEPS.has(d.kind)) {
        let fault: Fault;
        if (d.kind === 'restart' && d.component === layout.master) fault = { type: 'MASTER_RESTART' };
        else if (d.kind === 'restart') {
          // An agent without an id had its registration in flight: it restarts as a new agent.
          const registered = sys.localOf(before, d.component)?.context as AgentContext | undefined;
          fault = {
            type: 'AGENT_RESTART',
            agent: d.component,
            ...(registered?.info.id === undefined ? { unregistered: true as const } : {}),
            // Only a quiet crash (quiet-crashes.ts) has a moment the agent stays in: with another
            // message in flight, what it lists changes as soon as that arrives, and waiting for it
            // to list what it had before would only make the crash later still.
            ...(registered !== undefined && quietAt(sys, before, d.component) ? { when: agentTaskView(registered) } : {}),
          };
        } else if (d.kind === 'loss') {
          fault = { type: 'MESSAGE_LOSS', from: d.from, to: d.to, message: d.message.type };
          requires.add('loss');
        } else if (d.kind === 'partition') {
          fault = { type: 'PARTITION', agent: d.component };
          requires.add('partition');
        } else {
          fault = { type: 'HEAL', agent: d.component };
          requires.add('partition');
        }
        const agentCrash = fault.type === 'AGENT_RESTART';
        const k = addStep({ kind: 'fault', fault, trace: traceStep }, union(hist, agentCrash ? beforeCrash(hist) : runnerLane));
        if (fault.type === 'AGENT_RESTART') agentCrashes.push({ k, agent: sys.comp(fault.agent), at: traceStep });
        hist = union(hist, drafts[k]!.hist);
      }
      belief = beliefs.act(c, canonicalInfo);
      beliefComplete = beliefComplete && c.complete;
      prefix += `|A ${canonicalInfo.kind} ${looseLabel(canonicalInfo.label)}`;
    }
    if (visible && belief.length === 0) throw new ProjectionError(`trace step ${traceStep}: no model state is consistent with the scenario after ${info.label} (a projection bug)`);
    for (const f of fresh) {
      const fw = fromFramework.get(f.chan);
      if (fw !== undefined && !sentHist.has(freshKey(f)))
        throw new ProjectionError(`trace step ${traceStep}: ${fw} emits a call in a step the projection does not expect (${info.label})`);
    }

    // 4. Participants learn the step; new messages carry it.
    for (const p of participants) lanes[p] = union(lanes[p], hist);
    channels.forEach((_, c) => {
      const events = sys.channelEvents(after, c);
      channels[c] = nextChannels[c]!.map((x, pos) => {
        if (x) return x;
        const call = sentCall.get(`${c}:${pos}`);
        return { json: canonicalJson(events[pos]), hist: sentHist.get(`${c}:${pos}`) ?? hist, sentAt: i, ...(call !== undefined ? { call } : {}) };
      });
    });
  });

  // What a crashed agent's restart waits for: the steps that follow the crash and that the trace
  // takes before the agent's next action (a call counts where the trace delivers it), unless one of
  // them follows something the trace does only later (the agent, back, would have to do it).
  const lineOf = (j: number): number => (drafts[j]!.step.kind === 'call' ? (deliveredAt.get(j) ?? drafts[j]!.step.trace) : drafts[j]!.step.trace);
  const startAfter = new Map<number, string[]>();
  for (const { k, agent, at } of agentCrashes) {
    let back = at + 1;
    while (back < took.length && !took[back]?.has(agent)) back++;
    if (back >= took.length) continue;
    const waits = drafts.flatMap((x, j) =>
      j !== k && x.hist.has(k) && lineOf(j) < back && [...x.hist].every((y) => drafts[y]!.step.kind !== 'expect' || lineOf(y) < back) ? [j] : [],
    );
    if (waits.length > 0)
      startAfter.set(
        k,
        waits.map((j) => `s${j + 1}`),
      );
  }

  const ownProcessExit = (d: StepDescription, slot: string) => d.kind === 'environment' && d.component === slot && d.message.type === 'PROCESS_EXITED';
  // What each crashed agent's executors do while it is away: from the crash to its executor
  // reregistration timeout (the end of its recovery), an executor alive after the crash that takes
  // no part in any step is silent; one whose first part (its task's process ending aside) is its own
  // timer ending it exits; one that acts otherwise (its subscription retry) comes back, as a real
  // one does by itself.
  const executorsAway = new Map<number, ExecutorAway[]>();
  for (const { k, agent, at } of agentCrashes) {
    const name = comps[agent]!;
    const atCrash = raw.steps[at - 1]!.after;
    let end = at + 1;
    for (; end < described.length; end++) {
      const d = described[end]!;
      if ((d.kind === 'timer' && d.component === name && d.timer === agentTimers.reregistration) || (d.kind === 'restart' && d.component === name)) break;
    }
    const recovered = end < described.length && described[end]!.kind === 'timer';
    const away: ExecutorAway[] = [];
    for (const e of everyExecutor(layout)) {
      if (e.agent !== name) continue;
      const slot = sys.comp(e.slot);
      if (atCrash[slot] === 0) continue;
      const executor = 'task' in e ? e.task : e.executor;
      // Its task's own process ending is no part it plays: a real one ends as the command says,
      // whether or not the runner kills the executor.
      const first = took.findIndex((p, line) => line > at && line < end && p?.has(slot) && !ownProcessExit(described[line]!, e.slot));
      if (first < 0) {
        if (recovered) away.push({ framework: e.framework, executor, does: 'silent' });
        continue;
      }
      const d = described[first]!;
      if (d.kind === 'timer' && d.component === e.slot && raw.steps[first - 1]!.after[slot] === 0) away.push({ framework: e.framework, executor, does: 'exit' });
    }
    if (away.length > 0) executorsAway.set(k, away);
  }

  // A crash that loses messages to an agent that did nothing but register before it: the runner can
  // hold everything off it from the scenario's start (`idleUntil`; a real agent has registered
  // before). Only a crash that is not quiet needs it, and only an agent's first crash (after one,
  // it acts again as it recovers).
  const registering = (line: number, agent: string): boolean => {
    const d = described[line];
    return d?.kind === 'deliver' && d.component === agent && d.message.type === 'AGENT_REGISTERED';
  };
  const idleUntil = new Set<number>();
  for (const { k, agent, at } of agentCrashes) {
    const step = drafts[k]!.step;
    if (step.kind !== 'fault' || step.fault.type !== 'AGENT_RESTART' || step.fault.when !== undefined || step.fault.unregistered) continue;
    if (agentCrashes.some((c) => c.agent === agent && c.at < at)) continue;
    const busy = took.some((p, line) => line < at && p?.has(agent) && !registering(line, comps[agent]!));
    if (!busy) idleUntil.add(k);
  }

  // The runner's own steps (calls, faults) the trace takes after the crashed agent is back (the
  // master took its REREGISTER_AGENT), up to the agent's next crash (which waits for it too; what
  // follows that crash waits for the next return): the runner cannot see it come back but by asking the master.
  const backBefore = new Map<number, string[]>();
  for (const { k, agent, at } of agentCrashes) {
    const name = comps[agent]!;
    const nextCrash = agentCrashes.find((c) => c.agent === agent && c.at > at)?.at ?? Infinity;
    const back = described.findIndex((d, line) => line > at && line < nextCrash && d?.kind === 'deliver' && d.from === name && d.message.type === 'REREGISTER_AGENT');
    if (back < 0) continue;
    const waiting = drafts.flatMap((x, j) => (x.step.kind !== 'expect' && j !== k && x.hist.has(k) && lineOf(j) > back && lineOf(j) <= nextCrash ? [`s${j + 1}`] : []));
    if (waiting.length > 0) backBefore.set(k, waiting);
  }

  // Immediate predecessors; steps in their final shape.
  const steps: Step[] = drafts.map(({ step, hist }, y) => {
    const preds = [...hist].filter((x) => x !== y);
    const after = preds
      .filter((x) => !preds.some((z) => z !== x && drafts[z]!.hist.has(x)))
      .sort((a, b) => a - b)
      .map((x) => `s${x + 1}`);
    const id = `s${y + 1}`;
    switch (step.kind) {
      case 'call': {
        const stale = staleStreams.has(y);
        const none = streamless.has(y);
        const nobody = (step.call.framework_id as { value?: unknown } | undefined)?.value === NOWHERE.framework;
        return {
          id,
          kind: 'call',
          framework: step.framework,
          call: step.call,
          ...(answers.has(y) ? { answer: answers.get(y)! } : {}),
          ...(stale ? { staleStream: true as const } : {}),
          ...(none ? { noStream: true as const } : {}),
          ...(step.api ? { api: step.api } : {}),
          ...(stale || none || nobody ? { refusedAlways: true as const } : {}),
          ...(lostCalls.has(y) ? { lost: true as const } : {}),
          after,
          trace: step.trace,
        };
      }
      case 'expect':
        return {
          id,
          kind: 'expect',
          framework: step.framework,
          event: step.event,
          orElse: step.orElse,
          orElseComplete: step.orElseComplete,
          ...(step.orNothing ? { orNothing: true } : {}),
          after,
          trace: step.trace,
        };
      case 'fault': {
        const waits = startAfter.get(y);
        const away = executorsAway.get(y);
        const fault: Fault =
          step.fault.type === 'AGENT_RESTART'
            ? {
                ...step.fault,
                ...(waits ? { startAfter: waits } : {}),
                ...(away ? { executorsAway: away } : {}),
                ...(idleUntil.has(y) ? { idleUntil: true as const } : {}),
                ...(backBefore.has(y) ? { backBefore: backBefore.get(y)! } : {}),
              }
            : step.fault;
        return { id, kind: 'fault', fault, after, trace: step.trace };
      }
    }
  });

  // What may follow the last step: the events on their way to each framework in any state the
  // runner cannot tell from the trace's last one (nothing, once the trace has settled).
  const endClosure = closure(raw.steps.length);
  const afterEnd: AfterEnd[] = endClosure.complete
    ? layout.frameworks.map((fw) => ({
        framework: fw,
        mayObserve: [...beliefs.pending(endClosure, fw).values()]
          .map((e) => eventPattern(e, (k, r) => (k === 'offer' ? '*' : vars.peek(k, r)))!)
          .sort((a, b) => compareStrings(canonicalJson(a), canonicalJson(b))),
      }))
    : [];
  // What the operator APIs may list once the cluster has settled after it.
  const settlements = beliefs.settlements(endClosure, settled);
  const views = settlements === null || settlements.length === 0 ? null : endViews(world, settlements);

  // The environment.
  const everyState = [raw.initial, ...raw.steps.map((s) => s.after)];
  const firstSeen = <T>(name: string, read: (ctx: T) => string | undefined): string | undefined => {
    for (const s of everyState) {
      const ctx = sys.localOf(s, name)?.context as T | undefined;
      const v = ctx === undefined ? undefined : read(ctx);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const agentResources: string[] = world.config.agents.flatMap((a) => Array.from({ length: a.count ?? 1 }, () => a.resources));
  const environment: ScenarioEnvironment = {
    agents: layout.agents.map((name, i) => {
      const rawId = firstSeen<AgentContext>(name, (c) => c.info.id?.value);
      const v = rawId === undefined ? undefined : vars.lookup('agent', rawId);
      return { name, resources: agentResources[i]!, ...(v ? { id: v } : {}) };
    }),
    frameworks: layout.frameworks.map((name) => {
      const rawId = firstSeen<SchedulerContext>(name, (c) => c.framework_id);
      const v = rawId === undefined ? undefined : vars.lookup('fw', rawId);
      return { name, framework_info: frameworkInfoOf(layout.frameworkConfig[name]!) as unknown as Record<string, unknown>, ...(v ? { id: v } : {}) };
    }),
    tasks: Object.keys(layout.taskConfig).map((tid) => ({
      id: tid,
      framework: layout.taskFramework[tid]!,
      resources: layout.taskConfig[tid]!.resources,
      command: taskCommand(tid),
      exit: exits.get(tid) ?? null,
    })),
    ...(world.config.timeouts && Object.keys(world.config.timeouts).length ? { timeouts: { ...world.config.timeouts } } : {}),
  };

  return {
    format: 'mesos-ref/scenario/1',
    name: input.name,
    config: world.config.name,
    targets: input.targets.map((t) => ({ ...t })),
    description: input.description,
    requires: [...requires].sort(),
    environment,
    steps,
    timers,
    trace: raw.steps.map((s, i): TraceLine => ({ step: i + 1, action: s.info.label, fault: s.info.fault })),
    afterEnd,
    ...(views !== null ? { endViews: views } : {}),
  };
}

/**
 * The trace line at which the timer that fires at step `i` (0-based) was set: the step after
 * which it has been pending ever since (0: pending from the start). A timer set again in one step
 * while pending (its id unchanged) counts from its first setting, an earlier line.
 */
function armedAt(sys: System, raw: RawTrace, i: number, component: string, timer: string): number {
  const pending = (s: Int32Array) => sys.localOf(s, component)?.timers.some((t) => t.id === timer) ?? false;
  let line = i;
  while (line > 0 && pending(raw.steps[line - 1]!.before)) line--;
  return line;
}

type DraftStep =
  | { kind: 'call'; framework: string; call: CallJson; api?: 'operator'; trace: number }
  | { kind: 'expect'; framework: string; event: EventPattern; orElse: EventPattern[]; orElseComplete: boolean; orNothing?: boolean; trace: number }
  | { kind: 'fault'; fault: Fault; trace: number };

/** States kept in cached closures at most (closures are shared by scenarios with a common visible prefix). */
const CACHE_STATES = 400_000;

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
