/**
 * Conformance suite generation (DESIGN.md section 9): explore a configuration, take the
 * shortest witness of every reachable coverage target (witnesses.ts), project each onto a
 * scenario (project.ts), and describe the whole in a manifest.
 *
 * A configuration with message loss or partitions is explored twice: first without them, then
 * whole. A target reachable without them gets its shortest witness from the first pass, so its
 * scenario runs on any cluster (a shortest trace overall would often use a loss as a shortcut:
 * a lost update lets a timer fire sooner); the others get theirs from the second pass and are
 * marked with what they require.
 *
 * Targets whose witnesses are the same trace share one scenario, named after the first of them
 * in the universe's order (targets.ts). A witness that is a prefix of another target's witness
 * is merged into the scenario of the shortest such longer trace (running it drives the cluster
 * through the prefix): every scenario lists its targets and how far into its trace each is
 * reached. Output is a pure function of the configuration and the options: the same
 * configuration gives byte-identical files.
 */
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Trace } from '../checker/index.ts';
import type { MesosConfig } from '../spec/world/config.ts';
import { mesosWorld, type MachineOverrides, type MesosWorld } from '../spec/world/mesos.ts';
import { System } from '../spec/world/system.ts';
import { canonicalJson } from '../spec/canonical.ts';
import type { AgentsSource, Coverage, Manifest, ManifestScenario, ManifestTarget, Requirement, Scenario, TargetKind } from './format.ts';
import { project, ProjectionError, type AlternativesCache } from './project.ts';
import { ReplayError } from './replay.ts';
import { scenarioName, universe } from './targets.ts';
import { quietCrashes, steerableCrashes } from './quiet-crashes.ts';
import { promptExits, type TaskCommand } from './prompt-exits.ts';
import { findWitnesses, type Witnesses } from './witnesses.ts';
import { withConformanceTimeouts } from './timeouts.ts';
import { settle } from './settle.ts';

export interface GenerateOptions {
  /** Bound the exploration (targets beyond it are not found; the manifest says so). */
  readonly maxStates?: number;
  /** Most states searched for one observation's alternatives (default 20,000). */
  readonly alternativesMaxStates?: number;
  /** Merge a witness that is a prefix of a longer one into its scenario (default true). */
  readonly merge?: boolean;
  /** Machines to use instead of the spec's (tests: mutants). */
  readonly machines?: MachineOverrides;
  /** Progress of the exploration, about once a second. */
  readonly progress?: (states: number, depth: number) => void;
  /**
   * A first pass lets no timer longer than this fire (default 30 s; 0: no such pass), so that a
   * target reachable without waiting minutes gets a witness a runner can replay in seconds.
   */
  readonly quickTimerMs?: number;
  /**
   * Before that pass, the same with only quiet crashes (quiet-crashes.ts: no agent or master
   * restart with a message in flight to or from it), so that a target reachable that way gets a
   * crash a runner can land on (default true; needs the short-timer pass).
   */
  readonly quietCrashes?: boolean;
  /**
   * In that quiet pass, processes end as a runner's tasks do (prompt-exits.ts: at once, or only
   * when signalled), so that no witness holds a task's exit back across a crash (default true).
   */
  readonly promptExits?: boolean;
  /**
   * Keep Mesos's timeouts (and the frameworks' failover timeouts) as the configuration has them;
   * by default the suite is generated with short ones (timeouts.ts), so no scenario waits minutes.
   */
  readonly mesosTimeouts?: boolean;
  /**
   * Carry each scenario's trace on past its last target to quiescence (settle.ts), so that it
   * expects what must follow (default true; false: scenarios end at their last target, as suites
   * did before, which tests use to show what that misses).
   */
  readonly settle?: boolean;
  /** Recorded in the manifest: the configuration's agents were given a master's agents' resources. */
  readonly agentsFrom?: AgentsSource;
}

/** The default `quickTimerMs`: what `mesos-ref conformance run` waits for by default. */
export const QUICK_TIMER_MS = 30_000;

export interface Suite {
  readonly config: MesosConfig;
  readonly scenarios: readonly Scenario[];
  readonly manifest: Manifest;
  /** Everything to write: file name -> text (scenarios, manifest.json, README.md). */
  readonly files: ReadonlyMap<string, string>;
  /** Exploration time, for the summary (not in any file). */
  readonly elapsedMs: number;
  /** The witness of a reachable target: that of the first pass (short timers, then no loss or partition, then all) that reaches it. */
  readonly witnessOf: (target: string) => Witness | undefined;
  /** The world of the configuration. */
  readonly world: MesosWorld;
}

const KINDS: readonly TargetKind[] = ['transition', 'state', 'reason', 'situation'];

const traceKey = (t: Trace): string => t.actions.join(',');

/** A target's witness: a trace of `world.system`. */
export interface Witness {
  readonly world: MesosWorld;
  readonly trace: Trace;
}

/** The configuration without the faults a runner cannot arrange everywhere (null if it has none). */
function arrangeable(config: MesosConfig): MesosConfig | null {
  if (config.faults.loss === 0 && config.faults.partition === 0) return null;
  return { ...config, faults: { ...config.faults, loss: 0, partition: 0 } };
}

/** The world in which no timer longer than `ms` fires (its own System: its own memo tables). */
function withMaxTimer(w: MesosWorld, ms: number): MesosWorld {
  return { ...w, system: new System({ ...w.system.def, maxTimerMs: ms }) };
}

/** A world state as its System-independent contents (bags in any order), to compare across Systems. */
function contentKey(sys: System, s: Int32Array): string {
  const v = sys.view(s);
  const channels = Object.fromEntries(Object.entries(v.channels).map(([name, evs]) => [name, evs.map((e) => canonicalJson(e)).sort()]));
  return canonicalJson({ ...v, channels });
}

/**
 * A trace of another System (`from`: a pass's own) taken again in `w`, whose enabled actions
 * include the trace's. Each step is matched by the state it leads to, not by its code: an action
 * names a bag item by its position, and positions follow the order in which each System interned
 * the events, which two passes that explore differently do not share.
 */
function reexecute(w: MesosWorld, trace: Trace, from: System): Trace {
  const sys = w.system;
  let state: Int32Array | undefined;
  sys.init((s) => (state ??= Int32Array.from(s)));
  const states = [state!];
  const actions: number[] = [];
  const out = new Int32Array(sys.width);
  const acts: number[] = [];
  trace.actions.forEach((a, i) => {
    const cur = states[i]!;
    const want = contentKey(from, trace.states[i + 1]!);
    let taken = sys.next(cur, a, out) && contentKey(sys, out) === want ? a : -1;
    if (taken < 0) {
      acts.length = 0;
      sys.actions(cur, (b) => acts.push(b));
      taken = acts.find((b) => b !== a && sys.next(cur, b, out) && contentKey(sys, out) === want) ?? -1;
    }
    if (taken < 0) throw new Error(`conformance: step ${i} of a pass's witness (${from.describe(trace.states[i]!, a).label}) has no counterpart in the full world`);
    actions.push(taken);
    states.push(Int32Array.from(out));
  });
  return { states, actions };
}

/** Generates the suite of a configuration (validated by the caller). */
export function generateSuite(asked: MesosConfig, options: GenerateOptions = {}): Suite {
  const started = performance.now();
  const config = options.mesosTimeouts ? asked : withConformanceTimeouts(asked);
  const machines = options.machines ?? {};
  const explore = (w: MesosWorld, keep?: (s: Int32Array, actions: readonly number[]) => readonly number[]) =>
    findWitnesses(w, {
      ...(keep ? { keep } : {}),
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    });
  /** A pass with quiet crashes only, its tasks ending as `command`s do (null: whenever the model lets them). */
  const quietPass = (w: MesosWorld, command: TaskCommand | null) => {
    const quiet = quietCrashes(w);
    const exits = command ? promptExits(w, command) : null;
    return explore(w, (s, actions) => {
      const kept = actions.filter((a) => quiet(s, a));
      return exits ? exits(s, kept) : kept;
    });
  };
  // First without message loss and partitions and without long timers, so that a target
  // reachable that way gets a scenario any cluster replays in seconds; then without loss and
  // partitions; then the whole configuration, for the rest.
  const easy = arrangeable(config);
  const easyWorld = easy ? mesosWorld(easy, machines) : null;
  const quickTimerMs = options.quickTimerMs ?? QUICK_TIMER_MS;
  const quickWorld = quickTimerMs > 0 ? withMaxTimer(easyWorld ?? mesosWorld(config, machines), quickTimerMs) : null;
  const quickWitnesses = quickWorld ? explore(quickWorld) : null;
  // Before that, the same with quiet crashes only (quiet-crashes.ts): a crash that loses messages
  // already sent is a race no runner wins reliably.
  // Its own System (withMaxTimer makes one): a pass hears a transition only where it computes the
  // step first, so on the quick pass's warm memo it missed half the transitions (and
  // connection.subscribed.LINK_BROKEN-0 kept a crash that lost the LAUNCH sent with SUBSCRIBED).
  const quietWorld = quickWorld && (options.quietCrashes ?? true) ? withMaxTimer(quickWorld, quickTimerMs) : null;
  // Its tasks end as a runner's commands do (prompt-exits.ts): at once, or only when signalled;
  // a target takes the shorter witness of the two.
  const prompt = options.promptExits ?? true;
  const quietWitnesses = quietWorld ? quietPass(quietWorld, prompt ? 'exit' : null) : null;
  const sleepingWorld = quietWorld && prompt ? withMaxTimer(quietWorld, quickTimerMs) : null;
  const sleepingWitnesses = sleepingWorld ? quietPass(sleepingWorld, 'sleep') : null;
  const easyWitnesses = easyWorld ? explore(easyWorld) : null;
  const world: MesosWorld = mesosWorld(config, machines);
  const witnesses: Witnesses = explore(world);
  // The quick pass only chooses witnesses: each is re-executed in the world without the timer
  // bound, so that what a framework may observe instead (orElse) is computed over everything
  // the cluster may do, long timers included.
  const base = easyWorld ?? world;
  const quickTraces = new Map([...(quickWitnesses?.traces ?? [])].map(([id, t]) => [id, reexecute(base, t, quickWorld!.system)] as const));
  const quietTraces = new Map([...(quietWitnesses?.traces ?? [])].map(([id, t]) => [id, reexecute(base, t, quietWorld!.system)] as const));
  for (const [id, t] of sleepingWitnesses?.traces ?? []) {
    const other = quietTraces.get(id);
    if (!other || t.actions.length < other.actions.length) quietTraces.set(id, reexecute(base, t, sleepingWorld!.system));
  }
  // A quick witness whose crashes a runner can land on stays (quiet ones, and loud ones it steers:
  // quiet-crashes.ts steerableCrashes); the quiet pass serves only the targets whose quick witness
  // has a crash that is a race (so that the other scenarios are the same as without it).
  const steerable = (t: Trace) => quietWitnesses === null || steerableCrashes(base, t);
  const quickQuiet = new Map([...quickTraces].filter(([, t]) => steerable(t)));
  const passes = [
    { world: base, traces: quickQuiet },
    { world: base, traces: quietTraces },
    { world: base, traces: quickTraces },
    { world: easyWorld, traces: easyWitnesses?.traces },
    { world, traces: witnesses.traces },
  ];
  const witnessOf = (id: string): Witness | undefined => {
    for (const p of passes) {
      const t = p.traces?.get(id);
      if (t) return { world: p.world!, trace: t };
    }
    return undefined;
  };
  const worldIndex = (w: MesosWorld) => passes.findIndex((p) => p.world === w);
  // A target the quiet pass serves has a witness no earlier suite had: it takes no other
  // scenario's targets along (nor rides along another), so that those stay as they were.
  const fromQuietPass = (id: string) => !quickQuiet.has(id) && quietTraces.has(id);
  const all = universe(world.system.components.map((c) => c.machine));
  const reachable = all.filter((t) => witnessOf(t.id) !== undefined);

  // Targets with the same witness share a scenario, named after the first in universe order.
  type Group = { witness: Witness; ids: string[]; quiet: boolean };
  const groups = new Map<string, Group>();
  for (const t of reachable) {
    const witness = witnessOf(t.id)!;
    const quiet = fromQuietPass(t.id);
    const key = `${worldIndex(witness.world)}|${quiet}|${traceKey(witness.trace)}`;
    const g = groups.get(key);
    if (g) g.ids.push(t.id);
    else groups.set(key, { witness, ids: [t.id], quiet });
  }
  const order = new Map(all.map((t, i) => [t.id, i] as const));
  const byId = new Map(all.map((t) => [t.id, t] as const));
  // A witness that is a prefix of a longer one (of the same world) rides along with the
  // shortest such (ties: by name).
  const hosts = [...groups.values()];
  const extends_ = (u: Group, g: Group) =>
    u.witness.world === g.witness.world &&
    u.quiet === g.quiet &&
    u.witness.trace.actions.length > g.witness.trace.actions.length &&
    g.witness.trace.actions.every((a, i) => u.witness.trace.actions[i] === a);
  const merged = new Map<Group, Group>();
  if (options.merge ?? true) {
    for (const g of hosts) {
      const longer = hosts.filter((u) => extends_(u, g) && !hosts.some((v) => extends_(v, u)));
      if (longer.length === 0) continue;
      longer.sort((u, v) => u.witness.trace.actions.length - v.witness.trace.actions.length || compare(scenarioName(u.ids[0]!), scenarioName(v.ids[0]!)));
      merged.set(g, longer[0]!);
    }
  }
  const caches = new Map<MesosWorld, AlternativesCache>();
  const scenarios: Scenario[] = [];
  const problems = new Map<string, string>();
  const scenarioOf = new Map<string, string>();
  const emit = (host: Group, riders: Group[]): boolean => {
    const ids = [host, ...riders].flatMap((h) => h.ids).sort((a, b) => order.get(a)! - order.get(b)!);
    const first = byId.get(host.ids[0]!)!;
    const name = scenarioName(first.id);
    const { world: w, trace: witness } = host.witness;
    // On past the last target to quiescence, so that the scenario checks what must follow.
    const trace = (options.settle ?? true) ? (settle(w, witness) ?? witness) : witness;
    const settled = trace.actions.length - witness.actions.length;
    const targets = ids.map((id) => ({ id, reachedAt: witnessOf(id)!.trace.actions.length }));
    const more = ids.length - 1;
    if (!caches.has(w)) caches.set(w, new Map());
    try {
      const scenario = project(
        {
          world: w,
          trace,
          name,
          targets,
          description: `Reaches ${first.description}${more > 0 ? ` (and ${more} more target${more > 1 ? 's' : ''} on the way)` : ''} in ${witness.actions.length} model steps${settled > 0 ? `, then settles in ${settled} more` : ''}.`,
        },
        { cache: caches.get(w)!, ...(options.alternativesMaxStates !== undefined ? { alternativesMaxStates: options.alternativesMaxStates } : {}) },
      );
      // Named after the configuration asked for, whichever pass found the witness.
      scenarios.push({ ...scenario, config: config.name });
      for (const id of ids) scenarioOf.set(id, name);
      return true;
    } catch (err) {
      if (!(err instanceof ProjectionError || err instanceof ReplayError)) throw err;
      for (const id of host.ids) problems.set(id, err.message);
      return false;
    }
  };
  for (const g of hosts) {
    if (merged.has(g)) continue;
    const riders = hosts.filter((h) => merged.get(h) === g);
    // If the longer trace cannot be projected, each shorter one gets its own scenario.
    if (!emit(g, riders)) for (const r of riders) emit(r, []);
  }
  scenarios.sort((a, b) => compare(a.name, b.name));

  const runnable = new Set(scenarios.filter((s) => s.requires.length === 0).map((s) => s.name));
  const targets: ManifestTarget[] = reachable.map((t) => ({
    ...t,
    scenario: scenarioOf.get(t.id) ?? null,
    steps: witnessOf(t.id)!.trace.actions.length,
    ...(problems.has(t.id) ? { problem: problems.get(t.id)! } : {}),
  }));
  const byKind: Coverage['byKind'] = {};
  for (const k of KINDS) {
    byKind[k] = {
      defined: all.filter((t) => t.kind === k).length,
      reachable: targets.filter((t) => t.kind === k).length,
      covered: targets.filter((t) => t.kind === k && t.scenario !== null).length,
    };
  }
  const coverage: Coverage = {
    reachable: targets.length,
    covered: targets.filter((t) => t.scenario !== null).length,
    runnable: targets.filter((t) => t.scenario !== null && runnable.has(t.scenario)).length,
    byKind,
  };
  const manifestScenarios: ManifestScenario[] = scenarios.map((s) => ({
    name: s.name,
    file: `${s.name}.json`,
    targets: s.targets.map((t) => t.id),
    requires: s.requires,
    steps: s.steps.length,
    traceLength: s.trace.length,
  }));
  const manifest: Manifest = {
    format: 'mesos-ref/conformance-suite/1',
    config,
    exploration: {
      complete: witnesses.exploration.complete,
      maxStates: options.maxStates ?? null,
      states: witnesses.exploration.states,
      transitions: witnesses.exploration.transitions,
      diameter: witnesses.exploration.diameter,
      ...(easyWitnesses
        ? { withoutLossOrPartition: { complete: easyWitnesses.exploration.complete, states: easyWitnesses.exploration.states, transitions: easyWitnesses.exploration.transitions } }
        : {}),
      ...(quickWitnesses
        ? {
            withShortTimers: {
              maxTimerMs: quickTimerMs,
              complete: quickWitnesses.exploration.complete,
              states: quickWitnesses.exploration.states,
              transitions: quickWitnesses.exploration.transitions,
            },
          }
        : {}),
    },
    coverage,
    targets,
    unreachable: all.filter((t) => witnessOf(t.id) === undefined).map((t) => t.id),
    scenarios: manifestScenarios,
    ...(options.agentsFrom ? { agentsFrom: options.agentsFrom } : {}),
  };
  const files = new Map<string, string>();
  for (const s of scenarios) files.set(`${s.name}.json`, json(s));
  files.set('manifest.json', json(manifest));
  files.set('README.md', readmeText(manifest));
  return { config, scenarios, manifest, files, elapsedMs: performance.now() - started, witnessOf, world };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes a suite into `dir` (created if needed), removing `.json` files of an earlier suite there. */
export function writeSuite(dir: string, suite: Suite): string[] {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.json') && !suite.files.has(f)) unlinkSync(join(dir, f));
  for (const [name, text] of suite.files) writeFileSync(join(dir, name), text);
  return [...suite.files.keys()];
}

/** `a` of `b` as a percentage with one decimal (100.0 when there is nothing to cover). */
export const pct = (a: number, b: number) => (b === 0 ? '100.0' : ((100 * a) / b).toFixed(1));

/** How many scenarios need nothing special, message loss, a partition. */
export function requirementCounts(m: Manifest): { none: number; loss: number; partition: number } {
  const count = (r: Requirement) => m.scenarios.filter((s) => s.requires.includes(r)).length;
  return { none: m.scenarios.filter((s) => s.requires.length === 0).length, loss: count('loss'), partition: count('partition') };
}

function readmeText(m: Manifest): string {
  const c = m.coverage;
  const { loss, partition } = requirementCounts(m);
  const states = m.exploration.states.toLocaleString('en-US');
  return `# Conformance suite: configuration \`${m.config.name}\`

Generated by \`mesos-ref conformance generate --config ${m.config.name}${m.agentsFrom ? ` --agents-from ${m.agentsFrom.master}` : ''}\` from an ${m.exploration.complete ? 'exhaustive' : 'incomplete (--max-states)'} exploration of
the configuration (${states} states). Each scenario is a shortest model trace to a coverage
target (a transition of a machine, a task state or reason a framework receives, an invariant's
guarded situation), without long timers, message loss or partitions wherever the target is
reachable without them, projected onto the v1 scheduler API: the calls each framework sends, the events
it must observe, the faults to inject. Targets reached on the way are listed with it.
\`manifest.json\` lists every target, the scenario covering it, and the coverage: ${c.covered} of
${c.reachable} reachable targets covered (${pct(c.covered, c.reachable)}%), ${c.runnable} by scenarios that need nothing special.${
    m.agentsFrom
      ? `\n\nThe agents' resources are those of the master at ${m.agentsFrom.master} (GET_AGENTS), in its order:\n${m.agentsFrom.agents.map((a) => `\`${a.resources}\` (agent ${a.id} on ${a.hostname}${a.ignored?.length ? `; ignored: ${a.ignored.join(', ')}` : ''})`).join(',\n')}.`
      : ''
  }

## Running them

With the mesos-ref runner, against a master and agents it starts or is given:

\`\`\`sh
npx mesos-ref conformance run --master http://127.0.0.1:5050 --suite <this directory>
\`\`\`

A runner sets up \`environment\` (agents with exactly the resources given, on work directories
that survive an AGENT_RESTART; the frameworks are its own scheduler clients), then walks
\`steps\`: it performs \`call\` and \`fault\` steps once the steps in their \`after\` have happened,
and matches each event a framework receives against that framework's pending \`expect\` steps.
Variables (\`$fw0\`, \`$agent0\`, \`$offer0\`, \`$uuid0\`) bind on first sight; \`*\` matches anything.
An event in a step's \`orElse\` means the cluster took another path the model allows: the
scenario ends *diverged* (targets reached before that point still count), not failed. Any
other event is a failure, and so is a step that never happens. \`orElse\` counts the cluster's
timers as free to fire while events wait, unread, on their way to a framework (a runner reads in
its own time).

The model has no clock: \`timers\` lists the timers a scenario's trace fires, in order. A trace
may need a long timeout (an agent's reregistration, 10 minutes) to expire before a short one;
on a real cluster such a scenario usually diverges.

Scenarios with \`requires\` need what not every cluster can arrange: \`loss\` (${loss} scenarios:
dropping one particular message) and \`partition\` (${partition}: cutting an agent off the network).
Skip them with that reason when the runner cannot. The formats are
\`schemas/model/Scenario.json\` and \`schemas/model/Manifest.json\` in the mesos-ref repository
(conformance/format.ts).
`;
}
