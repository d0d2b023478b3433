/**
 * `mesos-ref verify`: explore a configuration of the Mesos world exhaustively (or by seeded
 * random walks) and check the invariants of invariants/. Exit codes: 0 every property holds,
 * 1 a property is violated (the shortest trace is printed), 2 bad flags or configuration,
 * 3 inconclusive (a bound stopped the search: nothing is proved beyond the states explored).
 * An unexpected exception is exit 2 too, with a one-line message (the stack with --debug): exit 1
 * must only ever mean that a property is violated.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { explore, simulate, type ExploreProgress, type ExploreResult, type SimulationResult, type Trace } from '../checker/index.ts';
import { exploreParallel } from '../checker/parallel.ts';
import { mesosModel } from '../model/mesos-model.ts';
import { mermaidChart, textChart } from '../spec/world/chart.ts';
import { Coverage, type TransitionRef } from '../spec/world/coverage.ts';
import { mesosWorld, type MesosWorld } from '../spec/world/mesos.ts';
import { waitsFor } from '../spec/world/waits.ts';
import { EXAMPLE_BUG } from '../model/example.ts';
import { explainVacuous, notApplicable } from '../model/vacuity.ts';
import type { TraceFile } from '../impl/explore/session.ts';
import type { MesosConfig } from '../spec/world/config.ts';
import { generatedConfig, loadConfig } from '../impl/config.ts';
import { UsageError, describeConfig, n, positiveInt, wrap } from './common.ts';
import { runVerifyAll } from './verify-all.ts';
import { previousCount, rememberCount } from './state-counts.ts';
import { FROM_SOURCE, ownModule } from '../impl/paths.ts';

interface VerifyFlags {
  config: string;
  agents?: string;
  frameworks?: string;
  tasks?: string;
  faults?: string;
  symmetry?: boolean;
  simulate?: boolean;
  seed: string;
  depth: string;
  walks: string;
  maxStates?: string;
  maxDepth?: string;
  timeout?: string;
  json?: boolean;
  mermaid?: string;
  progress: boolean;
  all?: boolean;
  minCoverage?: string;
  minLifecycleCoverage?: string;
  branches?: boolean;
  configs?: string;
  debug?: boolean;
  expectStates?: string;
  workers?: string;
  por?: boolean;
  example?: boolean;
  saveTrace?: string;
}

function resolveConfig(f: VerifyFlags): MesosConfig {
  const generated = f.agents !== undefined || f.frameworks !== undefined || f.tasks !== undefined || f.faults !== undefined;
  const loaded = generated
    ? generatedConfig(
        positiveInt(f.agents, '--agents') ?? 1,
        positiveInt(f.frameworks, '--frameworks') ?? 1,
        positiveInt(f.tasks, '--tasks') ?? 1,
        (f.faults ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
    : loadConfig(f.config);
  if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'));
  return loaded.config;
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

function chartOf(world: MesosWorld, trace: Trace) {
  return trace.actions.map((a, i) => world.system.describe(trace.states[i]!, a));
}

function printTrace(world: MesosWorld, trace: Trace, out: string[]): void {
  out.push(textChart(chartOf(world, trace)));
}

function verdictLine(name: string, kind: string, status: string): string {
  return `  ${kind.padEnd(10)} ${`${name} `.padEnd(28, '.')} ${status}`;
}

function reportExplore(
  world: MesosWorld,
  r: ExploreResult,
  coverage: Coverage | null,
  seconds: number,
  peakRss: number,
  vacuity: ReadonlyMap<string, string> = new Map(),
): { text: string; exit: number } {
  const out: string[] = [];
  const failed = r.verdicts.filter((v) => v.status === 'violated' || v.status === 'vacuous');
  if (r.outcome === 'pass') out.push('Model checking completed: every property holds.');
  else if (r.outcome === 'fail') out.push(`Model checking found a problem: ${failed.map((v) => v.name).join(', ')}.`);
  else out.push(`Model checking stopped early (${r.stoppedBy}): it proves nothing beyond the ${n(r.states)} states explored.`);
  out.push(`  ${n(r.states)} distinct states, ${n(r.transitions)} transitions, diameter ${r.diameter}${r.symmetry ? ' (up to symmetry)' : ''}`);
  out.push(`  ${seconds.toFixed(1)} s, ${n(r.statesPerSecond)} states/s, ${r.table.bytesPerState.toFixed(1)} bytes/state (visited set + parents), peak RSS ${mb(peakRss)}`);
  out.push(`  ${n(r.quiescent)} quiescent states checked for the eventually-properties; ${n(world.system.distinctLocals)} distinct machine states`);
  if (r.por) out.push(`  partial-order reduction: ${n(r.reduced)} of the expanded states took an ample set only`);
  out.push('Properties:');
  for (const v of r.verdicts) {
    let status: string = v.status;
    if (v.status === 'reachable') status = `reachable (${v.trace.actions.length} steps)`;
    if (v.status === 'vacuous') status = 'VACUOUS: never reached, so the model is vacuous';
    if (v.status === 'violated') status = 'VIOLATED';
    out.push(verdictLine(v.name, v.kind, status));
    const why = vacuity.get(v.name);
    if (why !== undefined) for (const line of wrap([`why: ${why}`], 96)) out.push(`      ${line}`);
  }
  for (const na of notApplicable(world.layout)) out.push(verdictLine(na.name, na.kind, `not applicable (${na.why}), so not checked`));
  for (const v of r.verdicts) {
    if (v.status !== 'violated') continue;
    out.push('');
    out.push(`${v.kind === 'deadlock' ? 'Deadlock' : `Invariant ${v.name}`} violated: ${v.explanation ?? ''}`);
    out.push(`Shortest counterexample, ${v.trace.actions.length} steps:`);
    printTrace(world, v.trace, out);
    if (v.kind === 'deadlock') {
      out.push('Nothing is enabled at the deadlock, and it is not quiescent: what each component waits for, and the channels in flight:');
      for (const line of waitsFor(world.system, v.trace.states[v.trace.states.length - 1]!)) out.push(`  ${line}`);
    }
  }
  out.push(
    coverage
      ? 'Coverage: transitions taken of those defined (on/after, each guarded alternative apart)'
      : 'Coverage: not measured with --workers > 1 (machine steps run in the workers); run with --workers 1',
  );
  for (const m of coverage?.report() ?? []) {
    out.push(`  ${m.machine.padEnd(14)} ${String(m.taken).padStart(3)} / ${String(m.total).padEnd(3)}${m.missed.length ? ' never taken:' : ''}`);
    for (const line of wrap(missedSummary(m.missed), 96)) out.push(`      ${line}`);
  }
  const exit = r.outcome === 'pass' ? 0 : r.outcome === 'fail' ? 1 : 3;
  return { text: out.join('\n'), exit };
}

/** Missed transitions, grouped: `state: EVENT[guard]`, an event whose alternatives all missed once. */
function missedSummary(missed: readonly TransitionRef[]): string[] {
  const byKey = new Map<string, TransitionRef[]>();
  for (const t of missed) {
    const state = t.source.split('.').slice(1).join('.') || t.source;
    const event = t.event.startsWith('xstate.after.') ? `after ${t.event.split('.')[2]} ms` : t.event;
    const key = `${state}: ${event}`;
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  }
  return [...byKey].map(([key, ts]) => (ts.length === 1 && ts[0]!.guard ? `${key} [${ts[0]!.guard}]` : ts.length > 1 ? `${key} (${ts.length})` : key));
}

function reportSimulation(world: MesosWorld, r: SimulationResult, seconds: number): { text: string; exit: number } {
  const out: string[] = [];
  out.push(
    r.violations.length
      ? `Simulation found a problem: ${r.violations.map((v) => v.property).join(', ')}.`
      : 'Simulation found no violation (random walks prove nothing exhaustively).',
  );
  out.push(`  ${n(r.walks)} walks, ${n(r.steps)} steps, ${n(r.distinctStates)} distinct states visited, longest walk ${r.longestWalk}, ${seconds.toFixed(1)} s`);
  for (const s of r.sometimes) out.push(verdictLine(s.name, 'sometimes', s.status === 'reachable' ? `reachable (walk ${s.walk}, depth ${s.depth})` : 'not reached'));
  for (const na of notApplicable(world.layout)) out.push(verdictLine(na.name, na.kind, `not applicable (${na.why}), so not checked`));
  for (const v of r.violations) {
    out.push('');
    out.push(`Invariant ${v.property} violated on walk ${v.walk} of seed ${v.seed}, at depth ${v.depth}: ${v.explanation ?? ''}`);
    out.push(`Replay: mesos-ref verify --config ${world.config.name} --simulate --seed ${v.seed} --walks ${v.walk + 1} --depth ${v.replay.maxDepth ?? ''}`);
    printTrace(world, v.trace, out);
  }
  return { text: out.join('\n'), exit: r.violations.length ? 1 : 0 };
}

async function runVerify(f: VerifyFlags): Promise<number> {
  if (f.all) return runVerifyAll(f);
  try {
    return await verify(f);
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`mesos-ref verify: internal error: ${e?.message ?? String(err)}${f.debug ? `\n${e?.stack ?? ''}` : ' (--debug prints the stack)'}\n`);
    return 2;
  }
}

/**
 * Whether to reduce by symmetry: only when asked and the world has interchangeable parts. A
 * configuration with none runs unchanged, with a note saying so (`note` is then set).
 */
/** One worker unless asked: see README (Speed) for what two workers gain on two cores. */
const DEFAULT_WORKERS = 1;

export function symmetryPlan(world: MesosWorld, requested: boolean): { symmetry: boolean; note?: string } {
  if (!requested) return { symmetry: false };
  if (world.system.hasSymmetry) return { symmetry: true };
  return {
    symmetry: false,
    note: `--symmetry: configuration ${world.config.name} has no interchangeable agents (equal resources) or frameworks (equal settings and tasks); exploring it without reduction`,
  };
}

async function verify(f: VerifyFlags): Promise<number> {
  let config: MesosConfig;
  let maxStates: number | undefined;
  let maxDepth: number | undefined;
  let timeout: number | undefined;
  let seed = 1;
  let depth = 200;
  let walks = 1000;
  let expectStates: number | undefined;
  let workers = 1;
  try {
    if (f.example && (f.config !== 'default' || f.agents !== undefined || f.frameworks !== undefined || f.tasks !== undefined || f.faults !== undefined))
      throw new UsageError('--example: the seeded bug comes with its own configuration; drop --config, --agents, --frameworks, --tasks and --faults');
    config = f.example ? EXAMPLE_BUG.config : resolveConfig(f);
    maxStates = positiveInt(f.maxStates, '--max-states');
    maxDepth = positiveInt(f.maxDepth, '--max-depth');
    timeout = positiveInt(f.timeout, '--timeout');
    seed = positiveInt(f.seed, '--seed', 0)!;
    depth = positiveInt(f.depth, '--depth')!;
    walks = positiveInt(f.walks, '--walks')!;
    expectStates = positiveInt(f.expectStates, '--expect-states');
    workers = positiveInt(f.workers, '--workers') ?? DEFAULT_WORKERS;
    if (f.por && workers > 1) throw new UsageError('--por: partial-order reduction runs with one worker (--workers 1)');
    if (f.por && f.simulate) throw new UsageError('--por: partial-order reduction is for the exhaustive search, not --simulate');
    if (f.por && f.symmetry) throw new UsageError('--por: partial-order reduction and --symmetry cannot be combined');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`mesos-ref verify: ${err.message}\n`);
    return 2;
  }
  const world = mesosWorld(config, f.example ? EXAMPLE_BUG.machines() : {});
  const model = mesosModel(world);
  const coverage = new Coverage(world.system.components.map((c) => c.machine));
  world.system.onLocalTransition = (comp, from, event) => coverage.observe(world.system.components[comp]!.machine, from, event);
  if (!f.json) process.stdout.write(`mesos-ref verify: ${describeConfig(config)}\n`);
  if (!f.json && f.example) process.stdout.write(`mesos-ref verify --example: a seeded bug (${EXAMPLE_BUG.name}): ${EXAMPLE_BUG.bug}\n`);
  const plan = symmetryPlan(world, f.symmetry === true);
  if (plan.note) process.stderr.write(`mesos-ref verify: ${plan.note}\n`);
  let peakRss = 0;
  const started = Date.now();
  const progressLine = (text: string) => {
    if (f.progress && !f.json) process.stderr.write(`Progress: ${text}\n`);
  };

  let result: { text: string; exit: number };
  let failing: Trace | undefined;
  let failingName = '';
  let failingExplanation: string | undefined;
  let json: unknown;
  if (f.simulate) {
    const r = simulate(model, { seed, walks, maxDepth: depth, ...(timeout ? { timeMs: timeout * 1000 } : {}) });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    result = reportSimulation(world, r, (Date.now() - started) / 1000);
    failing = r.violations[0]?.trace;
    failingName = r.violations[0]?.property ?? '';
    failingExplanation = r.violations[0]?.explanation;
    json = {
      mode: 'simulate',
      config,
      seed: r.seed,
      walks: r.walks,
      steps: r.steps,
      distinctStates: r.distinctStates,
      violations: r.violations.map((v) => ({ property: v.property, seed: v.seed, walk: v.walk, depth: v.depth, explanation: v.explanation, trace: traceJson(world, v.trace) })),
    };
  } else {
    const countKey = { config, symmetry: plan.symmetry, por: f.por === true };
    const previous = expectStates === undefined ? previousCount(countKey) : undefined;
    const hint = expectStates ?? previous;
    if (hint !== undefined)
      progressLine(`visited set presized for ${n(hint)} states (${expectStates !== undefined ? '--expect-states' : 'the previous run of this configuration'})`);
    const options = {
      ...(hint !== undefined ? { table: { expectedStates: hint } } : {}),
      ...(maxStates ? { maxStates } : {}),
      ...(maxDepth ? { maxDepth } : {}),
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
      symmetry: plan.symmetry,
      por: f.por === true,
      progress: (p: ExploreProgress) => {
        peakRss = Math.max(peakRss, p.rssBytes);
        progressLine(`${n(p.states)} states, ${n(p.statesPerSecond)} states/s, queue ${n(p.queue)}, depth ${p.depth}, ${mb(p.rssBytes)}`);
      },
    };
    // Machine steps run in the workers, out of this thread's sight: no coverage with workers.
    if (workers > 1) world.system.onLocalTransition = undefined;
    const r =
      workers > 1
        ? await exploreParallel(
            { module: ownModule('model/mesos-model'), export: 'mesosModelOf', args: [config] },
            { ...options, workers, model, ...(FROM_SOURCE ? {} : { workerModule: ownModule('checker/parallel-worker') }) },
          )
        : explore(model, options);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (r.complete) rememberCount(countKey, r.states);
    const vacuous = r.verdicts.filter((v) => v.status === 'vacuous').map((v) => v.name);
    const vacuity = vacuous.length ? explainVacuous(() => mesosWorld(config, f.example ? EXAMPLE_BUG.machines() : {}), vacuous) : new Map<string, string>();
    result = reportExplore(world, r, workers > 1 ? null : coverage, (Date.now() - started) / 1000, peakRss, vacuity);
    const violated = r.verdicts.find((v) => v.status === 'violated');
    if (violated && 'trace' in violated) {
      failing = violated.trace;
      failingName = violated.name;
      failingExplanation = 'explanation' in violated ? violated.explanation : undefined;
    }
    json = {
      mode: 'explore',
      config,
      outcome: r.outcome,
      complete: r.complete,
      stoppedBy: r.stoppedBy,
      states: r.states,
      transitions: r.transitions,
      diameter: r.diameter,
      seconds: (Date.now() - started) / 1000,
      statesPerSecond: r.statesPerSecond,
      ...(r.por ? { por: { reducedStates: r.reduced } } : {}),
      bytesPerState: r.table.bytesPerState,
      peakRssBytes: peakRss,
      verdicts: [
        ...r.verdicts.map((v) => ({
          name: v.name,
          kind: v.kind,
          status: v.status,
          ...('explanation' in v && v.explanation ? { explanation: v.explanation } : {}),
          ...(vacuity.has(v.name) ? { why: vacuity.get(v.name) } : {}),
          ...('trace' in v ? { trace: traceJson(world, v.trace) } : {}),
        })),
        ...notApplicable(world.layout).map((na) => ({ name: na.name, kind: na.kind, status: 'not applicable', why: na.why })),
      ],
      coverage: (workers > 1 ? [] : coverage.report()).map((m) => ({ machine: m.machine, total: m.total, taken: m.taken, missed: m.missed.map((t) => t.id) })),
    };
  }
  if (f.mermaid && failing) writeFileSync(f.mermaid, mermaidChart(chartOf(world, failing), `${failingName} in ${config.name}`));
  const saved = failing ? saveTrace(f, model, config, failing, failingName, failingExplanation) : undefined;
  if (f.json) process.stdout.write(JSON.stringify(saved ? { ...(json as object), traceFile: saved } : json, null, 2) + '\n');
  else process.stdout.write(result.text + '\n' + (saved ? `Step through it in a browser: mesos-ref explore --trace ${saved}\n` : ''));
  return result.exit;
}

/** Writes the counterexample for `mesos-ref explore --trace` (impl/explore/session.ts): --save-trace, else a new temporary file. */
function saveTrace(f: VerifyFlags, model: ReturnType<typeof mesosModel>, config: MesosConfig, trace: Trace, property: string, explanation: string | undefined): string {
  const file = f.saveTrace ?? join(mkdtempSync(join(tmpdir(), 'mesos-ref-trace-')), `${config.name}-${property}.json`);
  const data: TraceFile = {
    version: 1,
    config,
    ...(f.example ? { example: EXAMPLE_BUG.name } : {}),
    property,
    ...(explanation ? { explanation } : {}),
    actions: trace.actions,
    labels: trace.actions.map((a, i) => model.formatAction(trace.states[i]!, a)),
  };
  writeFileSync(file, JSON.stringify(data, null, 1) + '\n');
  return file;
}

function traceJson(world: MesosWorld, trace: Trace) {
  return trace.actions.map((a, i) => {
    const info = world.system.describe(trace.states[i]!, a);
    return {
      step: i + 1,
      action: info.label,
      ...(info.channel ? { channel: info.channel } : {}),
      ...(info.component ? { component: info.component } : {}),
      fault: info.fault,
      ...(info.event ? { event: info.event } : {}),
    };
  });
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('explore every interleaving of a configuration and check the invariants')
    .option('--config <name|file>', 'a named configuration or a JSON file', 'default')
    .option('--agents <n>', 'generate a configuration: number of agents')
    .option('--frameworks <n>', 'generate a configuration: number of frameworks')
    .option('--tasks <n>', 'generate a configuration: tasks per framework')
    .option('--faults <list>', 'generate a configuration: faults, any of loss,crash,failover,master-failover,partition')
    .option('--symmetry', 'reduce by symmetry over interchangeable agents and frameworks')
    .option('--por', 'partial-order reduction: explore one ample set of independent, invisible steps where the world allows (one worker, no --symmetry)')
    .option('--simulate', 'seeded random walks instead of an exhaustive search')
    .option('--seed <n>', 'simulation seed', '1')
    .option('--depth <n>', 'simulation: steps per walk', '200')
    .option('--walks <n>', 'simulation: number of walks', '1000')
    .option('--max-states <n>', 'stop after this many distinct states')
    .option('--max-depth <n>', 'explore at most this deep')
    .option('--timeout <seconds>', 'stop after this long')
    .option('--all', 'prove every named configuration but large and report their union coverage')
    .option('--min-coverage <percent>', 'with --all: exit 1 when the union coverage (transitions, branches) is below this')
    .option('--min-lifecycle-coverage <percent>', 'with --all: exit 1 when the union coverage of declared lifecycle transitions is below this')
    .option('--configs <names>', 'with --all: only these named configurations (comma-separated)')
    .addOption(new Option('--no-branches', 'with --all: do not measure the branches of spec/machines (no V8 coverage child)'))
    .option('--json', 'print the result (and any trace) as JSON')
    .option('--mermaid <file>', 'write the counterexample as a Mermaid sequence diagram')
    .option('--example', `verify a built-in seeded bug (${EXAMPLE_BUG.name}) and print its counterexample`)
    .option('--save-trace <file>', 'where to save a counterexample for mesos-ref explore --trace (default: a new temporary file)')
    .addOption(new Option('--no-progress', 'no progress lines on stderr'))
    .option('--workers <n>', `worker threads sharing one visited set (default ${DEFAULT_WORKERS}; coverage is measured with one)`)
    .option('--expect-states <n>', 'presize the visited set for about this many states (default: the count of the previous complete run of the same configuration)')
    .option('--debug', 'print the stack of an unexpected error')
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
}
