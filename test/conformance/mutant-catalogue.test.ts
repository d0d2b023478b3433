/**
 * The suite's power, measured by a catalogue of runtime mutants (test/support/runtime-mutants.ts):
 * seeded bugs of the master (hosted in the runner's process), the agent and the command executor
 * (processes started from test/support/mutant-agent.ts). Each mutant the catalogue says is killed
 * must make its listed scenario FAIL (not diverge, not skip), and that scenario must pass against
 * the correct cluster; each listed survivor must still pass its scenario, so the list stays honest.
 */
import { resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSuite, type Scenario, type Suite } from '../../conformance/index.ts';
import { runSuite, startScenarioCluster, type OwnClusterOptions, type ScenarioResult } from '../../impl/conformance/index.ts';
import { TWO_SEQUENTIAL_TASKS } from '../../model/small-worlds.ts';
import { RUNTIME_MUTANTS, type RuntimeMutant, type SuiteName } from '../support/runtime-mutants.ts';
import { suiteOf } from './support.ts';

const test = suite('runtime mutant catalogue');

const entry = resolve(import.meta.dirname, '../support/mutant-agent.ts');
let sequential: Suite | undefined;
const suites: Record<SuiteName, () => Suite> = {
  default: () => suiteOf('default'),
  declines: () => suiteOf('declines'),
  'two-sequential-tasks': () => (sequential ??= generateSuite(TWO_SEQUENTIAL_TASKS)),
};

function scenarioOf(suiteName: SuiteName, name: string): { suite: Suite; scenario: Scenario } {
  const s = suites[suiteName]();
  const scenario = s.scenarios.find((x) => x.name === name);
  if (!scenario) throw new Error(`the ${suiteName} suite has no scenario '${name}' (it has ${s.scenarios.map((x) => x.name).join(', ')})`);
  return { suite: s, scenario };
}

/** The cluster options that host `m`: the master machine, or the entry point's agent process. */
const hosting = (m: RuntimeMutant | undefined): OwnClusterOptions =>
  m === undefined ? {} : m.party === 'master' ? { masterMachine: m.machine() } : { agentCommand: [process.execPath, '--import', 'tsx', entry, `--${m.party}`, m.name] };

/**
 * One scenario on a fresh cluster. A step waits at most the scenario's longest cluster timer plus
 * 3 s (a mutant that loses an event fails then); a divergence (a race the model allows) is run
 * again, twice at most, with more time for the cluster's unseen steps, as the CLI does.
 */
async function run(suiteName: SuiteName, name: string, m?: RuntimeMutant): Promise<ScenarioResult> {
  const { suite: s, scenario } = scenarioOf(suiteName, name);
  const longest = Math.max(0, ...scenario.timers.filter((t) => t.component === 'master' || t.component.startsWith('agent-')).map((t) => t.delayMs));
  const out = await runSuite(
    { dir: '(memory)', manifest: s.manifest, scenarios: [scenario] },
    {
      cluster: (sc) => startScenarioCluster(sc, hosting(m)),
      capabilities: { agentRestart: true, masterRestart: true, executorKill: true },
      retries: 2,
      stepTimeoutMs: Math.min(longest, 10_000) + 3000,
      log: () => {},
    },
  );
  return out.results[0]!;
}

const describe = (r: ScenarioResult) => `${r.outcome}${r.reason ? `: ${r.reason}` : ''}${r.divergence ? ` ${JSON.stringify(r.divergence.observed)}` : ''}`;

test('the catalogue has at least 15 mutants of master, agent and executor, each with a verdict; at least 15 are judged', () => {
  assert.ok(RUNTIME_MUTANTS.length >= 15, `${RUNTIME_MUTANTS.length} mutants`);
  assert.equal(new Set(RUNTIME_MUTANTS.map((m) => m.name)).size, RUNTIME_MUTANTS.length, 'names are unique');
  for (const party of ['master', 'agent', 'executor'] as const)
    assert.ok(
      RUNTIME_MUTANTS.some((m) => m.party === party && m.verdict.kind === 'killed'),
      `a ${party} mutant is killed`,
    );
  // Every listed scenario exists in its suite.
  for (const m of RUNTIME_MUTANTS) if (m.verdict.kind !== 'unjudged') scenarioOf(m.verdict.suite, m.verdict.scenario);
  const judged = RUNTIME_MUTANTS.filter((m) => m.verdict.kind !== 'unjudged');
  assert.ok(judged.length >= 15, `${judged.length} judged`);
  // The report of what kills what (and what the suite cannot see), in the test log.
  for (const m of RUNTIME_MUTANTS) {
    const v = m.verdict;
    console.log(`  ${m.name} (${m.bug}): ${v.kind === 'unjudged' ? `not judged: ${v.why}` : `${v.kind} by ${v.suite}/${v.scenario}${v.kind === 'survives' ? ` (${v.why})` : ''}`}`);
  }
});

const cleanRuns = new Map<string, Promise<ScenarioResult>>();

test('every scenario the catalogue lists passes against the correct cluster', async () => {
  for (const m of RUNTIME_MUTANTS) {
    const v = m.verdict;
    if (v.kind === 'unjudged') continue;
    const key = `${v.suite}/${v.scenario}`;
    if (!cleanRuns.has(key)) cleanRuns.set(key, run(v.suite, v.scenario));
    const r = await cleanRuns.get(key)!;
    assert.is(r.outcome, 'passed', `${key} against the correct cluster: ${describe(r)}`);
  }
});

for (const m of RUNTIME_MUTANTS) {
  const v = m.verdict;
  if (v.kind === 'unjudged') continue;
  test(`${m.name} (${m.party}: ${m.bug}) ${v.kind === 'killed' ? 'fails' : 'passes'} ${v.suite}/${v.scenario}`, async () => {
    const r = await run(v.suite, v.scenario, m);
    assert.is(r.outcome, v.kind === 'killed' ? 'failed' : 'passed', describe(r));
  });
}

test.run();
