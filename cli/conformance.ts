/**
 * `mesos-ref conformance`: conformance suites generated from the model, and their runner.
 *
 *   mesos-ref conformance generate --config NAME|FILE --out DIR [--max-states N] [--no-merge] [--agents-from URL [--connect-timeout DURATION]]
 *   mesos-ref conformance run [--suite DIR] [--master URL] [--junit FILE] [--only NAME]...
 *                             [--max-timer DURATION] [--step-timeout DURATION] [--connect-timeout DURATION]
 *                             [--retries N] [--quiet-period DURATION] [--strict | --no-strict] [--bail] [--keep-logs] [--verbose]
 *                             [--agent-restart-cmd CMD] [--agent-kill-cmd CMD] [--master-restart-cmd CMD]
 *
 * `--suite DIR` may be a directory of suites (`generate --all`): each runs in turn, then the total.
 *
 * Each subcommand is one `register...` function in SUBCOMMANDS below. Exit codes of generate: 0
 * the suite was written, 1 some reachable target could not be turned into a scenario (a bug: the
 * manifest says which and why); of run: 0 no scenario failed (and, with --strict, every target
 * of the scenarios run was reached), 1 otherwise; of both: 2 bad flags, configuration or suite
 * (the message names the field or file), an --only that selects nothing, or a --master that does
 * not answer within --connect-timeout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { generateSuite, pct, QUICK_TIMER_MS, requirementCounts, writeSuite, type Suite } from '../conformance/generate.ts';
import { externalCluster, preflightAgents, probeMaster, startScenarioCluster } from '../impl/conformance/cluster.ts';
import { hookedCluster, hookProblem, HOOK_FLAGS, type FaultHooks } from '../impl/conformance/hooks.ts';
import { junitXml, junitXmlSuites } from '../impl/conformance/junit.ts';
import { QUIET_MS, stepTimeoutFor, type ScenarioResult } from '../impl/conformance/scenario.ts';
import {
  DEFAULT_RETRIES,
  SETTLE_STEP_MS,
  loadSuite,
  runSuite,
  selectScenarios,
  SuiteError,
  suiteDirsUnder,
  suiteTargets,
  type LoadedSuite,
  type SuiteResult,
} from '../impl/conformance/suite.ts';
import type { AgentsSource, Scenario } from '../conformance/format.ts';
import { targetAgents, withAgentsOf } from '../impl/conformance/agents-from.ts';
import type { MesosConfig } from '../spec/world/config.ts';
import { configs } from '../model/configs.ts';
import { loadConfig } from '../impl/config.ts';
import { UsageError, describeConfig, durationFlag, n, positiveInt, wrap } from './common.ts';

/** The summary printed after generation (like verify's). */
export function summary(suite: Suite, dir: string): string {
  const m = suite.manifest;
  const e = m.exploration;
  const c = m.coverage;
  const out: string[] = [];
  const passes = [
    ...(e.withShortTimers
      ? [`without timers over ${e.withShortTimers.maxTimerMs / 1000} s${e.withoutLossOrPartition ? ', loss or partition' : ''}: ${n(e.withShortTimers.states)} states`]
      : []),
    ...(e.withoutLossOrPartition ? [`without loss or partition: ${n(e.withoutLossOrPartition.states)} states`] : []),
  ];
  const first = passes.length ? `; first ${passes.join(', then ')}` : '';
  out.push(
    e.complete
      ? `Exploration completed: ${n(e.states)} distinct states, ${n(e.transitions)} transitions, diameter ${e.diameter}${first} (${(suite.elapsedMs / 1000).toFixed(1)} s)`
      : `Exploration stopped at --max-states ${n(e.maxStates ?? e.states)} (depth ${e.diameter}): targets beyond it are not known${first} (${(suite.elapsedMs / 1000).toFixed(1)} s)`,
  );
  out.push(`Coverage: ${c.covered} of ${c.reachable} reachable targets covered (${pct(c.covered, c.reachable)}%), ${c.runnable} by scenarios that need nothing special`);
  for (const [kind, k] of Object.entries(c.byKind)) {
    out.push(`  ${kind.padEnd(11)} ${String(k.covered).padStart(4)} covered of ${String(k.reachable).padStart(4)} reachable (${k.defined} defined)`);
  }
  const { none, loss, partition } = requirementCounts(m);
  out.push(`Scenarios: ${m.scenarios.length} (${none} need nothing special, ${loss} need message loss, ${partition} a partition)`);
  for (const s of m.scenarios) {
    out.push(
      `  ${`${s.name} `.padEnd(66, '.')} ${String(s.steps).padStart(3)} steps, ${s.targets.length} target${s.targets.length > 1 ? 's' : ''}${s.requires.length ? `, requires ${s.requires.join(', ')}` : ''}`,
    );
  }
  const problems = m.targets.filter((t) => t.problem !== undefined);
  if (problems.length) {
    out.push(`Not covered (${problems.length}):`);
    for (const t of problems) out.push(`  ${t.id}: ${t.problem}`);
  }
  const unreachable = m.unreachable.filter((id) => !id.startsWith('transition:'));
  if (unreachable.length) {
    out.push(`Not reachable in this configuration (besides ${m.unreachable.length - unreachable.length} transitions):`);
    for (const line of wrap(unreachable, 96)) out.push(`    ${line}`);
  }
  out.push(`Wrote ${suite.files.size} files to ${dir} (a scenario per file, manifest.json, README.md)`);
  return out.join('\n');
}

interface GenerateFlags {
  config: string;
  all?: boolean;
  out?: string;
  agentsFrom?: string;
  connectTimeout: string;
  maxStates?: string;
  merge: boolean;
  progress: boolean;
}

/**
 * `--all`: a suite per named configuration but `large` in `<out>/<name>`, and the union of their
 * targets. The runner plays a most general framework's calls as they are (its lies included, and
 * its operator calls on the operator API); a scenario whose master fails over by election requires
 * elected masters (`requires: ['election']`).
 */
async function runGenerateAll(f: GenerateFlags, maxStates: number | undefined): Promise<number> {
  const reachable = new Set<string>();
  const covered = new Set<string>();
  const rows: { name: string; covered: number; reachable: number; scenarios: number }[] = [];
  let exit = 0;
  for (const [name, config] of Object.entries(configs)) {
    if (name === 'large') continue;
    const suite = generateSuite(config, { ...(maxStates !== undefined ? { maxStates } : {}), merge: f.merge });
    writeSuite(join(f.out!, name), suite);
    const c = suite.manifest.coverage;
    for (const t of suite.manifest.targets) {
      reachable.add(t.id);
      if (t.scenario !== null) covered.add(t.id);
    }
    rows.push({ name, covered: c.covered, reachable: c.reachable, scenarios: suite.manifest.scenarios.length });
    if (c.covered < c.reachable) exit = 1;
    process.stdout.write(
      `  ${name.padEnd(18)} ${String(c.covered).padStart(4)} of ${String(c.reachable).padStart(4)} targets covered, ${suite.manifest.scenarios.length} scenarios (${(suite.elapsedMs / 1000).toFixed(1)} s)\n`,
    );
  }
  writeFileSync(join(f.out!, 'manifest.json'), JSON.stringify({ configurations: rows, union: { covered: covered.size, reachable: reachable.size } }, null, 2) + '\n');
  process.stdout.write(
    `Union: ${covered.size} of ${reachable.size} reachable targets covered (${pct(covered.size, reachable.size)}%) over ${rows.length} configurations; wrote ${f.out}/<configuration>/ and ${f.out}/manifest.json\n`,
  );
  return exit;
}

async function runGenerate(f: GenerateFlags): Promise<number> {
  if (f.all) {
    let maxStates: number | undefined;
    try {
      if (f.out === undefined || f.out === '') throw new UsageError("'--out': expected a directory to write the suites to");
      if (f.agentsFrom !== undefined)
        throw new UsageError("'--agents-from': not with --all (configurations have different numbers of agents): generate one configuration at a time");
      maxStates = positiveInt(f.maxStates, '--max-states');
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`mesos-ref conformance generate: ${err.message}\n`);
      return 2;
    }
    process.stdout.write('mesos-ref conformance generate --all: a suite per named configuration but large\n');
    return runGenerateAll(f, maxStates);
  }
  let config: MesosConfig;
  let maxStates: number | undefined;
  let agentsFrom: string | undefined;
  let connectTimeoutMs: number;
  try {
    if (f.out === undefined || f.out === '') throw new UsageError("'--out': expected a directory to write the suite to");
    maxStates = positiveInt(f.maxStates, '--max-states');
    agentsFrom = masterFlag(f.agentsFrom, '--agents-from');
    connectTimeoutMs = durationFlag(f.connectTimeout, '--connect-timeout')!;
    if (connectTimeoutMs <= 0) throw new UsageError("'--connect-timeout': expected a duration above zero");
    const loaded = loadConfig(f.config);
    if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'));
    config = loaded.config;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`mesos-ref conformance generate: ${err.message}\n`);
    return 2;
  }
  let source: AgentsSource | undefined;
  if (agentsFrom !== undefined) {
    const given = await agentsFromMaster(config, agentsFrom, connectTimeoutMs);
    if (typeof given === 'string') {
      process.stderr.write(`mesos-ref conformance generate: '--agents-from': ${given}\n`);
      return 2;
    }
    ({ config, source } = given);
  }
  process.stdout.write(`mesos-ref conformance generate: ${describeConfig(config)}\n`);
  if (source) {
    process.stdout.write(`  agents from the master at ${source.master} (the model is explored with their resources):\n`);
    source.agents.forEach((a, i) => process.stdout.write(`    agent-${i}: ${a.resources} (agent ${a.id} on ${a.hostname})\n`));
  }
  const suite = generateSuite(config, {
    ...(source ? { agentsFrom: source } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
    merge: f.merge,
    ...(f.progress ? { progress: (states: number, depth: number) => process.stderr.write(`Progress: ${n(states)} states, depth ${depth}\n`) } : {}),
  });
  writeSuite(f.out, suite);
  process.stdout.write(summary(suite, f.out) + '\n');
  return suite.manifest.coverage.covered < suite.manifest.coverage.reachable ? 1 : 0;
}

/**
 * `--agents-from URL`: the configuration with the resources of the master's agents (GET_AGENTS),
 * or why not (for a message naming the flag). What the model does not know of an agent's
 * resources, and agents of the master the configuration does not use, are said on stderr.
 */
async function agentsFromMaster(config: MesosConfig, url: string, timeoutMs: number): Promise<{ config: MesosConfig; source: AgentsSource } | string> {
  const problem = await probeMaster(url, timeoutMs);
  if (problem !== null) return `${url} does not answer as a Mesos master: ${problem}`;
  const agents = await targetAgents(url, timeoutMs);
  if (typeof agents === 'string') return `${url}: ${agents}`;
  const given = withAgentsOf(config, url, agents);
  if (typeof given === 'string') return given;
  for (const a of given.source.agents) {
    if (a.ignored?.length)
      process.stderr.write(`mesos-ref conformance generate: '--agents-from': agent ${a.id}: left out of its resources, the model does not know them: ${a.ignored.join('; ')}\n`);
  }
  if (given.source.unused > 0) {
    const u = given.source.unused;
    process.stderr.write(
      `mesos-ref conformance generate: '--agents-from': the master has ${agents.length} agents, the configuration ${agents.length - u}: the last ${u === 1 ? 'one is' : `${u} are`} not used (conformance run --master wants a master with exactly the suite's agents)\n`,
    );
  }
  return given;
}

function registerGenerate(conformance: Command): void {
  conformance
    .command('generate')
    .description('explore a configuration and write a scenario per coverage target (shortest trace, projected onto the v1 scheduler API)')
    .option('--config <name|file>', 'a named configuration or a JSON file', 'default')
    .option('--all', 'a suite per named configuration but large, in <out>/<name>, and their union coverage')
    .option('--out <dir>', 'the directory to write the suite to')
    .option('--max-states <n>', 'stop exploring after this many distinct states')
    .option(
      '--agents-from <url>',
      "give the configuration's agents, in order, the resources of this master's agents (v1 GET_AGENTS): the model is explored with them, so bigger agents can mean many more states",
    )
    .option('--connect-timeout <duration>', 'an --agents-from master that does not answer within this is exit 2', '5secs')
    .addOption(new Option('--no-merge', 'one scenario per distinct witness, even when it is a prefix of another'))
    .addOption(new Option('--no-progress', 'no progress lines on stderr'))
    .action(async (flags: GenerateFlags) => {
      process.exitCode = await runGenerate(flags);
    });
}

interface RunFlags {
  suite?: string;
  master?: string;
  junit?: string;
  only: string[];
  maxTimer: string;
  stepTimeout?: string;
  connectTimeout: string;
  retries: string;
  settleStep: string;
  quietPeriod: string;
  strict?: boolean;
  bail?: boolean;
  keepLogs?: boolean;
  verbose?: boolean;
  agentRestartCmd?: string;
  agentKillCmd?: string;
  masterRestartCmd?: string;
}

/** `--strict` unless told otherwise when CI is set (as CI systems set it), else off. */
const strictByDefault = (env: NodeJS.ProcessEnv = process.env): boolean => env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';

function masterFlag(value: string | undefined, flag = '--master'): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new UsageError(`'${flag}': expected a URL such as http://127.0.0.1:5050, got '${value}'`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`'${flag}': only http:// masters are supported, got '${value}'`);
  return url.origin;
}

/** The fault hooks given, each checked for unknown placeholders (exit 2 before anything runs); only with --master. */
function hooksFlags(f: RunFlags, master: string | undefined): FaultHooks {
  const given = { agentRestart: f.agentRestartCmd, agentKill: f.agentKillCmd, masterRestart: f.masterRestartCmd };
  const hooks: { -readonly [K in keyof FaultHooks]: string } = {};
  for (const [hook, template] of Object.entries(given) as [keyof FaultHooks, string | undefined][]) {
    if (template === undefined) continue;
    if (master === undefined) throw new UsageError(`'${HOOK_FLAGS[hook]}': only with --master (the runner restarts its own clusters' agents and master itself)`);
    const problem = hookProblem(hook, template);
    if (problem !== null) throw new UsageError(problem);
    hooks[hook] = template;
  }
  return hooks;
}

/** The start of a scenario's progress line: `[n/N] name ... ` (the result follows on the same line). */
const progressStart = (name: string, index: number, total: number): string => `[${index}/${total}] ${name} ... `;

/** Which faults the hooks arrange against an external master, for the run's header. */
function describeHooks(hooks: FaultHooks): string {
  const agent = hooks.agentRestart !== undefined || hooks.agentKill !== undefined;
  const master = hooks.masterRestart !== undefined;
  if (agent && master) return 'agent and master faults by the hooks';
  if (agent) return 'agent faults by the hooks; scenarios that need the master restarted are skipped';
  if (master) return 'master faults by the hook; scenarios that need agent faults are skipped';
  return 'scenarios that need agent or master faults are skipped';
}

/** The end of a scenario's progress line, and what explains anything but a plain pass. */
function resultLine(r: ScenarioResult): string {
  const label = { passed: 'PASS', failed: 'FAIL', diverged: 'DIVERGED', skipped: 'SKIP' }[r.outcome];
  const time = r.outcome === 'skipped' ? '' : ` (${(r.ms / 1000).toFixed(1)} s)`;
  const attempts = r.attempts !== undefined && r.attempts > 1 ? `, ${r.attempts} attempts` : '';
  const lines = [`${label}${time}${attempts}`];
  if (r.outcome !== 'passed') lines.push(`      ${r.reason ?? ''}`);
  if (r.divergence) {
    lines.push(`      expected (${r.divergence.step}, ${r.divergence.framework}): ${r.divergence.expected ? JSON.stringify(r.divergence.expected) : 'nothing more'}`);
    lines.push(`      observed: ${r.divergence.observed ? JSON.stringify(r.divergence.observed) : 'nothing'}`);
  }
  (r.retried ?? []).forEach((why, i) => lines.push(`      attempt ${i + 1} diverged: ${why}`));
  if (r.outcome === 'diverged' && r.reached.length > 0) lines.push(`      targets reached before it diverged: ${r.reached.join(', ')}`);
  if (r.outcome === 'failed') for (const n of r.notes) lines.push(`      note: ${n}`);
  return lines.join('\n');
}

/** A suite written by `generate`, or the default configuration's generated in memory. */
function suiteFrom(dir: string | undefined): { suite: LoadedSuite; label: string } {
  if (dir !== undefined) {
    const suite = loadSuite(dir);
    return { suite, label: `suite ${dir} (configuration ${suite.manifest.config.name}, ${suite.scenarios.length} scenarios)` };
  }
  const generated = generateSuite(configs.default!);
  return {
    suite: { dir: '(generated)', manifest: generated.manifest, scenarios: generated.scenarios },
    label: `the default configuration's suite, generated now (${generated.scenarios.length} scenarios)`,
  };
}

async function runRun(f: RunFlags): Promise<number> {
  let maxTimerMs: number;
  let stepTimeoutMs: number | undefined;
  let connectTimeoutMs: number;
  let retries: number;
  let settleStepMs: number;
  let quietMs: number;
  let master: string | undefined;
  let loaded: { suite: LoadedSuite; label: string };
  let chosen: Scenario[];
  let hooks: FaultHooks;
  try {
    maxTimerMs = durationFlag(f.maxTimer, '--max-timer')!;
    stepTimeoutMs = durationFlag(f.stepTimeout, '--step-timeout');
    connectTimeoutMs = durationFlag(f.connectTimeout, '--connect-timeout')!;
    for (const [flag, ms] of [
      ['--max-timer', maxTimerMs],
      ['--step-timeout', stepTimeoutMs ?? 1],
      ['--connect-timeout', connectTimeoutMs],
    ] as const) {
      if (ms <= 0) throw new UsageError(`'${flag}': expected a duration above zero`);
    }
    retries = positiveInt(f.retries, '--retries', 0)!;
    settleStepMs = durationFlag(f.settleStep, '--settle-step')!;
    quietMs = durationFlag(f.quietPeriod, '--quiet-period')!;
    master = masterFlag(f.master);
    hooks = hooksFlags(f, master);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`mesos-ref conformance run: ${err.message}\n`);
    return 2;
  }
  // Before the suite (generating one takes a while): a wrong --master is known within seconds.
  if (master !== undefined) {
    const problem = await probeMaster(master, connectTimeoutMs);
    if (problem !== null) {
      process.stderr.write(`mesos-ref conformance run: '--master': ${master} does not answer as a Mesos master: ${problem}\n`);
      return 2;
    }
  }
  const setDirs = f.suite !== undefined ? suiteDirsUnder(f.suite) : null;
  if (setDirs !== null) return runSuiteSet(f.suite!, setDirs, f, { maxTimerMs, stepTimeoutMs, connectTimeoutMs, retries, settleStepMs, quietMs, master, hooks });
  try {
    loaded = suiteFrom(f.suite);
    const selected = selectScenarios(loaded.suite, f.only);
    if (selected.unmatched.length > 0) {
      throw new UsageError(
        `'--only': no scenario of the suite has ${selected.unmatched.map((o) => `'${o}'`).join(' or ')} in its name (none of its ${loaded.suite.scenarios.length} scenarios)`,
      );
    }
    chosen = selected.chosen;
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof SuiteError)) throw err;
    process.stderr.write(`mesos-ref conformance run: ${err.message}\n`);
    return 2;
  }
  if (master !== undefined) {
    // A scenario expects offers of exactly its agents' resources: with other agents every one would fail.
    const missing = await preflightAgents(master, chosen, connectTimeoutMs);
    if (missing !== null) {
      process.stderr.write(`mesos-ref conformance run: '--master': ${missing}\n`);
      return 2;
    }
  }
  const strict = f.strict ?? strictByDefault();
  const { suite, label } = loaded;
  const settings = { maxTimerMs, stepTimeoutMs, connectTimeoutMs, retries, settleStepMs, quietMs, master, hooks };
  process.stdout.write(`mesos-ref conformance run: ${label}\n`);
  writeRunHeader(settings, strict);
  const one = await runOneSuite(suite, chosen, f, settings, strict);
  if (f.junit) writeFileSync(f.junit, junitXml(`conformance.${suite.manifest.config.name}`, one.run, { targets: one.targetsOf, strict }));
  writeRunSummary(one, f.junit, strict, 'the suite', `${chosen.length} of ${suite.scenarios.length} scenarios run`);
  return one.run.counts.failed > 0 || (strict && one.unreached > 0) ? 1 : 0;
}

/** The run's flags, parsed. */
interface RunSettings {
  readonly maxTimerMs: number;
  readonly stepTimeoutMs: number | undefined;
  readonly connectTimeoutMs: number;
  readonly retries: number;
  readonly settleStepMs: number;
  readonly quietMs: number;
  readonly master: string | undefined;
  readonly hooks: FaultHooks;
}

/** What a suite's run adds up to, for its summary (and a run of several suites' total). */
interface SuiteOutcome {
  readonly run: SuiteResult;
  readonly targetsOf: Map<string, string[]>;
  /** Targets reached, in the suite, aimed at by the scenarios run, aimed at and not reached. */
  readonly reached: number;
  readonly inSuite: number;
  readonly aimed: number;
  readonly unreached: number;
  readonly retriedThenPassed: number;
  /** Scenarios chosen and not run: --bail stopped the run before them. */
  readonly bailed: number;
}

function writeRunHeader(s: RunSettings, strict: boolean): void {
  process.stdout.write(
    s.master ? `  against the master at ${s.master} (${describeHooks(s.hooks)})\n` : `  against a fresh mesos-ref cluster per scenario (in-process master, agent processes)\n`,
  );
  process.stdout.write(
    `  a diverged scenario is retried up to ${s.retries} times${s.master ? '' : ' on a new cluster'}; ${strict ? 'strict: a target not reached fails the run' : 'not strict: a target not reached is reported, not failed'}\n`,
  );
}

/** The summary lines: targets reached, the JUnit file, the counts, the targets not reached. */
function writeRunSummary(o: SuiteOutcome, junit: string | undefined, strict: boolean, where: string, partial: string): void {
  const c = o.run.counts;
  if (o.bailed > 0) process.stdout.write(`Stopped at the first failure (--bail): ${o.bailed} scenario${o.bailed > 1 ? 's' : ''} not run\n`);
  process.stdout.write(`Targets reached: ${o.reached} of ${o.inSuite} targets in ${where}${o.aimed < o.inSuite ? ` (${partial}, aiming at ${o.aimed})` : ''}\n`);
  if (junit) process.stdout.write(`JUnit report: ${junit}\n`);
  process.stdout.write(
    `${c.passed} passed${o.retriedThenPassed ? ` (${o.retriedThenPassed} after retries)` : ''}, ${c.failed} failed, ${c.diverged} diverged, ${c.skipped} skipped (${(o.run.ms / 1000).toFixed(1)} s)\n`,
  );
  if (o.unreached > 0) process.stdout.write(`${strict ? 'FAILED (strict)' : 'Not strict'}: ${o.unreached} target${o.unreached > 1 ? 's' : ''} not reached\n`);
}

/** One suite's chosen scenarios, each on its own cluster (or the external master), with a progress line each. */
async function runOneSuite(suite: LoadedSuite, chosen: readonly Scenario[], f: RunFlags, s: RunSettings, strict: boolean): Promise<SuiteOutcome> {
  const { master, hooks, stepTimeoutMs } = s;
  const keepLogs = f.keepLogs === true;
  const verbose = f.verbose === true;
  let current = 0;
  const run = await runSuite(suite, {
    cluster: async (sc: Scenario) => {
      if (master)
        return hooks.agentRestart || hooks.agentKill || hooks.masterRestart
          ? hookedCluster(master, sc.environment.agents, hooks, stepTimeoutFor(sc, stepTimeoutMs))
          : externalCluster(master);
      const own = await startScenarioCluster(sc, { keepLogs });
      if (keepLogs) process.stdout.write(`  ${sc.name}: logs in ${own.logDir}\n`);
      return own;
    },
    capabilities: {
      agentRestart: master === undefined || hooks.agentRestart !== undefined || hooks.agentKill !== undefined,
      masterRestart: master === undefined || hooks.masterRestart !== undefined,
      executorKill: master === undefined,
      agentRestartUnregistered: master === undefined,
    },
    maxTimerMs: s.maxTimerMs,
    ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}),
    retries: s.retries,
    settleStepMs: s.settleStepMs,
    quietMs: s.quietMs,
    teardown: master !== undefined,
    only: f.only,
    bail: f.bail === true,
    ...(verbose ? { log: (line: string) => process.stdout.write(`${line}\n`) } : {}),
    // With --verbose the steps print between start and result, so the line is whole at the end.
    onStart: (sc, i, total) => {
      current = i;
      if (!verbose) process.stdout.write(progressStart(sc.name, i, total));
    },
    onResult: (r) => process.stdout.write(`${verbose ? progressStart(r.name, current, chosen.length) : ''}${resultLine(r)}\n`),
  });
  const targetsOf = new Map(chosen.map((sc) => [sc.name, sc.targets.map((t) => t.id)] as const));
  const reached = new Set(run.results.flatMap((r) => r.reached));
  const aimed = suiteTargets(chosen);
  return {
    run,
    targetsOf,
    reached: reached.size,
    inSuite: suiteTargets(suite.scenarios).size,
    aimed: aimed.size,
    unreached: [...aimed].filter((id) => !reached.has(id)).length,
    retriedThenPassed: run.results.filter((r) => r.outcome === 'passed' && (r.attempts ?? 1) > 1).length,
    bailed: chosen.length - run.results.length,
  };
}

/** A suite --bail stopped the run before: none of its chosen scenarios ran. */
function notRun(chosen: readonly Scenario[], suite: LoadedSuite): SuiteOutcome {
  const aimed = suiteTargets(chosen).size;
  return {
    run: { results: [], counts: { passed: 0, failed: 0, diverged: 0, skipped: 0 }, ms: 0 },
    targetsOf: new Map(),
    reached: 0,
    inSuite: suiteTargets(suite.scenarios).size,
    aimed,
    unreached: aimed,
    retriedThenPassed: 0,
    bailed: chosen.length,
  };
}

/**
 * `--suite DIR` where DIR holds a suite per configuration (`conformance generate --all`): each
 * suite in turn, as a single suite is run, with a header each, and the total. `--only` selects
 * across them (a suite none of whose scenarios it names is left out); the counts of targets are
 * sums over the suites (a target of two configurations counts in each).
 */
async function runSuiteSet(dir: string, dirs: readonly string[], f: RunFlags, s: RunSettings): Promise<number> {
  const runs: { suite: LoadedSuite; chosen: Scenario[] }[] = [];
  let all = 0;
  // Targets of the suites --only leaves out count among the targets in all suites, as a single suite's scenarios not run do.
  let leftOutTargets = 0;
  try {
    const unmatched = new Set(f.only);
    for (const d of dirs) {
      const suite = loadSuite(d);
      all += suite.scenarios.length;
      const selected = selectScenarios(suite, f.only);
      for (const o of f.only) if (!selected.unmatched.includes(o)) unmatched.delete(o);
      if (selected.chosen.length > 0) runs.push({ suite, chosen: selected.chosen });
      else leftOutTargets += suiteTargets(suite.scenarios).size;
    }
    if (unmatched.size > 0) {
      throw new UsageError(
        `'--only': no scenario of the ${dirs.length} suites in ${dir} has ${[...unmatched].map((o) => `'${o}'`).join(' or ')} in its name (none of their ${all} scenarios)`,
      );
    }
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof SuiteError)) throw err;
    process.stderr.write(`mesos-ref conformance run: ${err.message}\n`);
    return 2;
  }
  if (s.master !== undefined) {
    for (const { suite, chosen } of runs) {
      const missing = await preflightAgents(s.master, chosen, s.connectTimeoutMs);
      if (missing !== null) {
        process.stderr.write(`mesos-ref conformance run: '--master': suite ${suite.dir} (configuration ${suite.manifest.config.name}): ${missing}\n`);
        return 2;
      }
    }
  }
  const strict = f.strict ?? strictByDefault();
  const chosenCount = runs.reduce((a, r) => a + r.chosen.length, 0);
  const left = dirs.length - runs.length;
  process.stdout.write(
    `mesos-ref conformance run: ${dirs.length} suites in ${dir} (${runs.map((r) => r.suite.manifest.config.name).join(', ')}${left ? `; ${left} with no scenario --only selects` : ''}), ${chosenCount} scenarios\n`,
  );
  writeRunHeader(s, strict);
  const outcomes: { suite: LoadedSuite; outcome: SuiteOutcome }[] = [];
  for (const [i, { suite, chosen }] of runs.entries()) {
    if (f.bail && outcomes.some((o) => o.outcome.run.counts.failed > 0)) {
      // The suites not started count as not run, in the total's line.
      outcomes.push(...runs.slice(i).map((r) => ({ suite: r.suite, outcome: notRun(r.chosen, r.suite) })));
      break;
    }
    process.stdout.write(`== suite ${suite.dir} (configuration ${suite.manifest.config.name}, ${suite.scenarios.length} scenarios)\n`);
    const outcome = await runOneSuite(suite, chosen, f, s, strict);
    writeRunSummary(outcome, undefined, strict, 'the suite', `${chosen.length} of ${suite.scenarios.length} scenarios run`);
    outcomes.push({ suite, outcome });
  }
  if (f.junit) {
    writeFileSync(
      f.junit,
      junitXmlSuites(
        outcomes.map(({ suite, outcome }) => ({ name: `conformance.${suite.manifest.config.name}`, run: outcome.run, targets: outcome.targetsOf })),
        strict,
      ),
    );
  }
  const total = (k: keyof SuiteOutcome['run']['counts']) => outcomes.reduce((a, o) => a + o.outcome.run.counts[k], 0);
  const sum = (k: 'reached' | 'inSuite' | 'aimed' | 'unreached' | 'retriedThenPassed' | 'bailed') => outcomes.reduce((a, o) => a + o.outcome[k], 0);
  const combined: SuiteOutcome = {
    run: {
      results: outcomes.flatMap((o) => o.outcome.run.results),
      counts: { passed: total('passed'), failed: total('failed'), diverged: total('diverged'), skipped: total('skipped') },
      ms: outcomes.reduce((a, o) => a + o.outcome.run.ms, 0),
    },
    targetsOf: new Map(),
    reached: sum('reached'),
    inSuite: sum('inSuite') + leftOutTargets,
    aimed: sum('aimed'),
    unreached: sum('unreached'),
    retriedThenPassed: sum('retriedThenPassed'),
    bailed: sum('bailed'),
  };
  process.stdout.write(`== all ${dirs.length} suites\n`);
  writeRunSummary(combined, f.junit, strict, 'all suites', `${chosenCount} of ${all} scenarios run`);
  return combined.run.counts.failed > 0 || (strict && combined.unreached > 0) ? 1 : 0;
}

function registerRun(conformance: Command): void {
  conformance
    .command('run')
    .description('replay a suite against a fresh mesos-ref cluster per scenario, or against any Mesos master with --master')
    .option(
      '--suite <dir>',
      "a suite written by `conformance generate`, or a directory of them (`generate --all`: each is run in turn) (default: the default configuration's, generated now)",
    )
    .option('--master <url>', "an external master to replay against (its agents must match the scenarios' environment)")
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--only <name>', 'only scenarios whose name contains this (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-timer <duration>', 'skip scenarios that wait for a cluster timer longer than this', `${QUICK_TIMER_MS / 1000}secs`)
    .option('--step-timeout <duration>', 'fail a scenario whose next step does not happen within this (default: its longest timer + 15secs)')
    .option('--connect-timeout <duration>', 'an external --master that does not answer GET_HEALTH within this is exit 2', '5secs')
    .option('--retries <n>', 'run a diverged scenario again on a new cluster at most this many more times', String(DEFAULT_RETRIES))
    .option('--settle-step <duration>', 'each retry waits this much longer before a call or fault the trace makes after steps the runner cannot see', `${SETTLE_STEP_MS}ms`)
    .option('--quiet-period <duration>', "after a scenario's last step, listen this long for an event the model does not allow there (0: do not)", `${QUIET_MS}ms`)
    .option('--strict', 'fail the run when a target of the scenarios run is not reached (default when CI is set)')
    .option('--no-strict', 'report targets not reached without failing the run')
    .option('--agent-restart-cmd <command>', 'with --master: sh -c this to restart an agent (after --agent-kill-cmd if given); placeholders {agent_id} {host} {port} {master}')
    .option('--agent-kill-cmd <command>', 'with --master: sh -c this to kill an agent (kill -9: its executors keep running); placeholders as --agent-restart-cmd')
    .option('--master-restart-cmd <command>', 'with --master: sh -c this to restart the master; placeholders {host} {port} {master}')
    .option('--bail', 'stop at the first scenario that fails (one that only diverges, after its retries, does not stop the run)')
    .option('--keep-logs', "keep each scenario cluster's work dir and logs")
    .option('--verbose', 'print every step as it happens')
    .action(async (flags: RunFlags) => {
      process.exitCode = await runRun(flags);
    });
}

/** One function per subcommand: `(conformance: Command) => void`. */
const SUBCOMMANDS: readonly ((conformance: Command) => void)[] = [registerGenerate, registerRun];

export function registerConformance(program: Command): void {
  const conformance = program.command('conformance').description('conformance suites: scenarios generated from the model for any Mesos master');
  for (const register of SUBCOMMANDS) register(conformance);
}
