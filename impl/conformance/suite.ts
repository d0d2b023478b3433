/**
 * A generated suite on disk (manifest.json and one JSON file per scenario), loaded and checked
 * against schemas/model/, and replayed scenario by scenario, each against a fresh cluster.
 */
import { existsSync, readFileSync } from 'node:fs';
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
  if (!existsSync(manifestPath)) throw new SuiteError(`'--suite': ${dir} has no manifest.json (write one with mesos-ref conformance generate)`);
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

export interface SuiteRunOptions extends RunOptions {
  /** A fresh cluster for a scenario's environment (the runner's own, or the external master). */
  readonly cluster: (scenario: Scenario) => Promise<ScenarioCluster>;
  readonly capabilities: Capabilities;
  /** Only scenarios whose name contains one of these. */
  readonly only?: readonly string[];
  /** Called with each result as soon as it is known. */
  readonly onResult?: (r: ScenarioResult) => void;
}

export interface SuiteResult {
  readonly results: readonly ScenarioResult[];
  readonly counts: Readonly<Record<ScenarioResult['outcome'], number>>;
  readonly ms: number;
}

export async function runSuite(suite: LoadedSuite, options: SuiteRunOptions): Promise<SuiteResult> {
  const t0 = performance.now();
  const maxTimerMs = options.maxTimerMs ?? QUICK_TIMER_MS;
  const results: ScenarioResult[] = [];
  const chosen = suite.scenarios.filter((s) => !options.only?.length || options.only.some((o) => s.name.includes(o)));
  for (const scenario of chosen) {
    let result: ScenarioResult;
    const skip = skipReason(scenario, options.capabilities, maxTimerMs);
    if (skip !== null) {
      result = { name: scenario.name, outcome: 'skipped', ms: 0, reason: skip, reached: [], happened: 0, steps: scenario.steps.length, notes: [] };
    } else {
      const t = performance.now();
      let cluster: ScenarioCluster | undefined;
      try {
        cluster = await options.cluster(scenario);
        result = await runScenario(scenario, cluster, options);
      } catch (e) {
        result = {
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
    results.push(result);
    options.onResult?.(result);
  }
  const counts = { passed: 0, failed: 0, diverged: 0, skipped: 0 };
  for (const r of results) counts[r.outcome]++;
  return { results, counts, ms: performance.now() - t0 };
}
