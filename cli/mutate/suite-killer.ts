/**
 * `mutate --suite DIR`: a generated conformance suite as a second killer. A mutant the checker
 * killed is built in its copy (node build.mjs, after the mutated file is written) and the copy's
 * own `conformance run --suite DIR --bail` replays the suite against the copy's cluster (master,
 * agents and executors all from the mutated build), a new cluster per scenario, up to the first
 * scenario that FAILs. A scenario that only diverges, on every retry, is no kill: the master took
 * another path the model allows.
 *
 * Why the CLI and not the runner's API in-process: the mutant is judged by exactly the command a
 * user runs (the built bundles, the runner's retries and skips), and in a process group of its
 * own, so a mutant that hangs its in-process master (and with it the runner's step timers) is
 * killed with its agents after SILENCE_MS without a line.
 *
 * A kill must not be timing noise of a busy machine, so a failure is confirmed: the scenario that
 * failed is run again, once more against the mutant and once against the unmutated build (a copy
 * built once for the run). Killed only when it fails again against the mutant and does not fail
 * unmutated; a failure unmutated, or a second run against the mutant that does not fail, makes the
 * verdict inconclusive (counted as not killed by the suite).
 */
import { existsSync } from 'node:fs';
import { loadSuite, suiteDirsUnder, SuiteError } from '../../impl/conformance/suite.ts';
import { UsageError } from '../common.ts';
import type { CommandRun, Sandbox } from './sandbox.ts';

/** A run printing nothing this long is hung (a scenario's step timeout is its longest timer + 15 s; the default suite's timers are at most 20 s, and a diverged scenario is retried 3 times). */
const SILENCE_MS = 5 * 60_000;

export interface SuiteVerdict {
  readonly status: 'killed' | 'survived' | 'inconclusive';
  /** The scenario that failed against the mutant (killed, or inconclusive after it failed once). */
  readonly scenario?: string;
  /** What the runner said of the failure; for inconclusive, why it is not a kill. */
  readonly reason?: string;
  /** The confirmation: the failed scenario again against the mutant, and against the unmutated build. */
  readonly again?: { readonly mutant: ScenarioOutcome; readonly unmutated: ScenarioOutcome };
  /** The run's count line (`30 passed, 0 failed, 4 diverged, 0 skipped (101.2 s)`): what a survivor went through. */
  readonly counts?: string;
  /** The scenarios that diverged on every attempt in a survivor's run: where to look first when judging it. */
  readonly diverged?: readonly string[];
  /** Build and runs, wall clock. */
  readonly seconds: number;
}

/** A scenario's outcome in a run's output, or what kept it from having one. */
export type ScenarioOutcome = 'PASS' | 'FAIL' | 'DIVERGED' | 'SKIP' | 'not run';

/** The number of scenarios in `dir` (a suite, or a directory of suites as `generate --all` writes), or a UsageError naming --suite. */
export function checkSuiteFlag(dir: string): number {
  if (!existsSync(dir)) throw new UsageError(`--suite: ${dir} does not exist`);
  try {
    const dirs = suiteDirsUnder(dir) ?? [dir];
    return dirs.reduce((n, d) => n + loadSuite(d).scenarios.length, 0);
  } catch (err) {
    if (!(err instanceof SuiteError)) throw err;
    throw new UsageError(`--suite: ${err.message.replace(/^'--suite': /, '')}`);
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The outcome of `name` in a `conformance run` output (its progress line `[i/N] name ... PASS (1.2 s)`). */
export function outcomeOf(stdout: string, name: string): ScenarioOutcome {
  const m = new RegExp(`^\\[\\d+/\\d+\\] ${escape(name)} \\.\\.\\. (PASS|FAIL|DIVERGED|SKIP)\\b`, 'm').exec(stdout);
  return (m?.[1] as ScenarioOutcome | undefined) ?? 'not run';
}

/** The first scenario that FAILed in a `conformance run` output, with the runner's first line of why. */
export function firstFailure(stdout: string): { scenario: string; reason: string } | null {
  const m = /^\[\d+\/\d+\] (\S+) \.\.\. FAIL\b.*\n {6}(.*)$/m.exec(stdout);
  return m ? { scenario: m[1]!, reason: m[2]!.trim() } : null;
}

/** The scenarios a `conformance run` output says DIVERGED (on every attempt). */
export const divergedIn = (stdout: string): string[] => [...stdout.matchAll(/^\[\d+\/\d+\] (\S+) \.\.\. DIVERGED\b/gm)].map((m) => m[1]!);

/** Why a run says nothing of the mutant: it did not end as conformance run ends (0 nothing failed, 1 something did). */
function broken(r: CommandRun, what: string): string | null {
  if (r.silent) return `${what} printed nothing for ${SILENCE_MS / 60_000} minutes and was killed`;
  if (r.code === 0 || r.code === 1) return null;
  const said = r.stderr.trim().split('\n').slice(-2).join(' | ');
  return `${what} ended with ${r.signal ?? `exit ${r.code}`}${said ? `: ${said}` : ''}`;
}

const runArgs = (suite: string, only?: string) => ['conformance', 'run', '--suite', suite, '--bail', '--no-strict', ...(only !== undefined ? ['--only', only] : [])];

/**
 * The suite's verdict on a mutant: `box` holds the mutated file already, `unmutated` a copy
 * built from the unmutated tree.
 */
export async function suiteVerdict(box: Sandbox, unmutated: Sandbox, suite: string): Promise<SuiteVerdict> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const build = await box.build();
  if (build.code !== 0) return { status: 'inconclusive', reason: `the build failed: ${build.stderr.trim().split('\n').slice(-2).join(' | ')}`, seconds: seconds() };
  const run = await box.cli(runArgs(suite), SILENCE_MS);
  const bad = broken(run, 'conformance run');
  if (bad !== null) return { status: 'inconclusive', reason: bad, seconds: seconds() };
  const failed = firstFailure(run.stdout);
  const counts = /^(\d+ passed.*)$/m.exec(run.stdout)?.[1];
  const diverged = divergedIn(run.stdout);
  if (run.code === 0 || failed === null) return { status: 'survived', ...(counts ? { counts } : {}), ...(diverged.length ? { diverged } : {}), seconds: seconds() };
  const { scenario, reason } = failed;
  const again = await box.cli(runArgs(suite, scenario), SILENCE_MS);
  const clean = await unmutated.cli(runArgs(suite, scenario), SILENCE_MS);
  const outcomes = { mutant: outcomeOf(again.stdout, scenario), unmutated: outcomeOf(clean.stdout, scenario) };
  const done = (status: SuiteVerdict['status'], why: string) => ({ status, scenario, reason: why, again: outcomes, seconds: seconds() });
  const badAgain = broken(again, 'the run again against the mutant') ?? broken(clean, 'the run against the unmutated build');
  if (badAgain !== null) return done('inconclusive', badAgain);
  if (outcomes.unmutated === 'FAIL') return done('inconclusive', `${scenario} fails against the unmutated build too: ${firstFailure(clean.stdout)?.reason ?? ''}`);
  if (outcomes.mutant !== 'FAIL') return done('inconclusive', `${scenario} failed once against the mutant, then ${outcomes.mutant}: not repeatable (${reason})`);
  return done('killed', reason);
}
