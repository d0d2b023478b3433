/**
 * A generated suite on disk (manifest.json and one JSON file per scenario), loaded and checked
 * against schemas/model/, and replayed scenario by scenario, each against a fresh cluster.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelSchemaErrors } from '../config.ts';
import type { Manifest, Scenario } from '../../conformance/format.ts';
import { QUICK_TIMER_MS } from '../../conformance/generate.ts';
import type { ScenarioCluster } from './cluster.ts';
import { runScenario, skipReason, type Capabilities, type RunOptions, type ScenarioResult } from './scenario.ts';

export interface LoadedSuite {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly scenarios: readonly Scenario[];
}

export class SuiteError extends Error {}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SuiteError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SuiteError(`${path} is not JSON: ${(e as Error).message}`);
  }
}

/** Reads `dir/manifest.json` and every scenario it lists; throws SuiteError naming the file and field. */
export function loadSuite(dir: string): LoadedSuite {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new SuiteError(
      `'--suite': ${dir} has no manifest.json, nor directories holding suites (write one with mesos-ref conformance generate, or one per configuration with --all)`,
    );
  }
  const manifest = readJson(manifestPath);
  const bad = modelSchemaErrors('Manifest.json', manifest);
  if (bad.length) throw new SuiteError(`${manifestPath}: ${bad.join('; ')}`);
  const scenarios = (manifest as Manifest).scenarios.map((entry) => {
    const path = join(dir, entry.file);
    const raw = readJson(path);
    const errors = modelSchemaErrors('Scenario.json', raw);
    if (errors.length) throw new SuiteError(`${path}: ${errors.join('; ')}`);
    return raw as Scenario;
  });
  return { dir, manifest: manifest as Manifest, scenarios };
}

/**
 * The suites under `dir` when it holds several, as `conformance generate --all` writes them (a
 * suite per configuration in `<dir>/<name>`, beside a manifest.json of the union that is no
 * suite's): their directories, in the order that manifest lists them, else by name. Null when
 * `dir` is a suite itself (its manifest.json has a `format`) or holds no suite directory: then
 * loadSuite says what is wrong with it.
 */
export function suiteDirsUnder(dir: string): string[] | null {
  const manifestPath = join(dir, 'manifest.json');
  let order: string[] = [];
  if (existsSync(manifestPath)) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch {
      return null;
    }
    const m = manifest as { format?: unknown; configurations?: { name?: unknown }[] } | null;
    if (typeof m !== 'object' || m === null || m.format !== undefined || !Array.isArray(m.configurations)) return null;
    order = m.configurations.map((c) => c?.name).filter((x): x is string => typeof x === 'string');
  }
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'manifest.json')))
      .map((d) => d.name)
      .sort();
  } catch {
    return null;
  }
  if (entries.length === 0) return null;
  const listed = order.filter((name) => entries.includes(name));
  return [...listed, ...entries.filter((name) => !listed.includes(name))].map((name) => join(dir, name));
}

export interface SuiteRunOptions extends RunOptions {
  /** A fresh cluster for a scenario's environment (the runner's own, or the external master). */
  readonly cluster: (scenario: Scenario) => Promise<ScenarioCluster>;
  readonly capabilities: Capabilities;
  /** Only scenarios whose name contains one of these. */
  readonly only?: readonly string[];
  /** Called before each scenario starts: its place in the run (1-based) and the run's size. */
  readonly onStart?: (scenario: Scenario, index: number, total: number) => void;
  /** Called with each result as soon as it is known. */
  readonly onResult?: (r: ScenarioResult) => void;
  /**
   * A scenario that diverges (the master took another path the model allows) is run again on a
   * new cluster, at most this many more times (default DEFAULT_RETRIES); a failure is never retried.
   */
  readonly retries?: number;
  /** How much longer each retry waits for the cluster's unseen steps (default SETTLE_STEP_MS). */
  readonly settleStepMs?: number;
  /** Stop after the first scenario that fails (`conformance run --bail`); one that only diverges does not stop the run. */
  readonly bail?: boolean;
}

/** Retries of a diverged scenario: the paths our own cluster takes off a trace are rare races. */
export const DEFAULT_RETRIES = 3;

/** The scenarios `only` selects (all when it is empty), and each `only` value that selects none. */
export function selectScenarios(suite: LoadedSuite, only: readonly string[] = []): { chosen: Scenario[]; unmatched: string[] } {
  const chosen = suite.scenarios.filter((s) => only.length === 0 || only.some((o) => s.name.includes(o)));
  const unmatched = only.filter((o) => !suite.scenarios.some((s) => s.name.includes(o)));
  return { chosen, unmatched };
}

/** Every target the suite's scenarios aim at. */
export const suiteTargets = (scenarios: readonly Scenario[]): Set<string> => new Set(scenarios.flatMap((s) => s.targets.map((t) => t.id)));

export interface SuiteResult {
  readonly results: readonly ScenarioResult[];
  readonly counts: Readonly<Record<ScenarioResult['outcome'], number>>;
  readonly ms: number;
}

/** How much longer each retry waits for what a trace does out of the runner's sight (RunOptions.settleMs). */
export const SETTLE_STEP_MS = 200;

/** One attempt: a new cluster, the scenario, the cluster stopped. */
async function attempt(scenario: Scenario, options: SuiteRunOptions, settleMs: number): Promise<ScenarioResult> {
  const t = performance.now();
  let cluster: ScenarioCluster | undefined;
  try {
    cluster = await options.cluster(scenario);
    return await runScenario(scenario, cluster, { ...options, settleMs });
  } catch (e) {
    return {
      name: scenario.name,
      outcome: 'failed',
      ms: performance.now() - t,
      reason: `the cluster could not be set up: ${(e as Error).message}`,
      reached: [],
      happened: 0,
      steps: scenario.steps.length,
      notes: [],
    };
  } finally {
    await cluster?.stop();
  }
}

export async function runSuite(suite: LoadedSuite, options: SuiteRunOptions): Promise<SuiteResult> {
  const t0 = performance.now();
  const maxTimerMs = options.maxTimerMs ?? QUICK_TIMER_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const results: ScenarioResult[] = [];
  const { chosen } = selectScenarios(suite, options.only);
  for (const [index, scenario] of chosen.entries()) {
    options.onStart?.(scenario, index + 1, chosen.length);
    let result: ScenarioResult;
    const skip = skipReason(scenario, options.capabilities, maxTimerMs);
    if (skip !== null) {
      result = { name: scenario.name, outcome: 'skipped', ms: 0, reason: skip, reached: [], happened: 0, steps: scenario.steps.length, notes: [] };
    } else {
      const retried: string[] = [];
      const reached = new Set<string>();
      let ms = 0;
      for (;;) {
        // Steering: the first attempt runs as fast as it can; each retry gives the cluster's unseen steps more time.
        const r = await attempt(scenario, options, retried.length * (options.settleStepMs ?? SETTLE_STEP_MS));
        ms += r.ms;
        for (const id of r.reached) reached.add(id);
        if (r.outcome !== 'diverged' || retried.length >= retries) {
          // Targets reached by an earlier attempt stay reached: that attempt took the trace up to them.
          result = { ...r, ms, reached: scenario.targets.map((x) => x.id).filter((id) => reached.has(id)), ...(retried.length ? { attempts: retried.length + 1, retried } : {}) };
          break;
        }
        retried.push(`${r.reason ?? 'diverged'}${r.divergence?.observed ? `: observed ${JSON.stringify(r.divergence.observed)}` : ''}`);
        options.log?.(`  ${scenario.name}: attempt ${retried.length} diverged (${r.reason}); again on a new cluster`);
      }
    }
    results.push(result);
    options.onResult?.(result);
    if (options.bail && result.outcome === 'failed') break;
  }
  const counts = { passed: 0, failed: 0, diverged: 0, skipped: 0 };
  for (const r of results) counts[r.outcome]++;
  return { results, counts, ms: performance.now() - t0 };
}
