/**
 * The suite's power, measured by a catalogue of runtime mutants (test/support/runtime-mutants.ts):
 * seeded bugs of the master (hosted in the runner's process), the agent and the command executor
 * (processes started from test/support/mutant-agent.ts). Every mutant must make the scenario the
 * catalogue names FAIL (not diverge, not skip), and that scenario must pass against the correct
 * cluster.
 *
 * `MUTANTS=name,name npm test -- test/conformance/mutant-catalogue` runs only those mutants (and
 * their scenarios against the correct cluster).
 */
import { resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSuite, type Scenario, type Suite } from '../../conformance/index.ts';
import { DEFAULT_RETRIES, runSuite, startScenarioCluster, type OwnClusterOptions, type ScenarioResult } from '../../impl/conformance/index.ts';
import { TWO_SEQUENTIAL_TASKS } from '../../model/small-worlds.ts';
import { RUNTIME_MUTANTS, type Killer, type RuntimeMutant, type SuiteName } from '../support/runtime-mutants.ts';
import { suiteOf } from './support.ts';

const test = suite('runtime mutant catalogue');

const entry = resolve(import.meta.dirname, '../support/mutant-agent.ts');
let sequential: Suite | undefined;
const suites: Record<SuiteName, () => Suite> = {
  default: () => suiteOf('default'),
  declines: () => suiteOf('declines'),
  'custom-executor': () => suiteOf('custom-executor'),
  'two-sequential-tasks': () => (sequential ??= generateSuite(TWO_SEQUENTIAL_TASKS)),
  gate: () => suiteOf('gate'),
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

/** How long a step may take unless the catalogue says otherwise: a mutant that loses an event fails after it. */
const STEP_TIMEOUT_MS = 4000;

/**
 * One scenario on a fresh cluster. A divergence (a race the model allows) is run again, as often
 * as the CLI does by default (DEFAULT_RETRIES), with more time for the cluster's unseen steps; a
 * failure never is. (default/transition-agent.active.running.STATUS_UPDATE_ACK-0 kills the agent
 * right after the ACCEPT, which on a loaded machine is sometimes too late for three attempts in a
 * row: the RUN_TASK got there first.)
 */
async function run(suiteName: SuiteName, name: string, stepTimeoutMs: number, m?: RuntimeMutant): Promise<ScenarioResult> {
  const { suite: s, scenario } = scenarioOf(suiteName, name);
  const out = await runSuite(
    { dir: '(memory)', manifest: s.manifest, scenarios: [scenario] },
    {
      cluster: (sc) => startScenarioCluster(sc, hosting(m)),
      capabilities: { agentRestart: true, masterRestart: true, executorKill: true },
      retries: DEFAULT_RETRIES,
      stepTimeoutMs,
      log: () => {},
    },
  );
  return out.results[0]!;
}

const key = (v: Killer) => `${v.suite}/${v.scenario}`;

const describe = (r: ScenarioResult) => `${r.outcome}${r.reason ? `: ${r.reason}` : ''}${r.divergence ? ` ${JSON.stringify(r.divergence.observed)}` : ''}`;

test('the catalogue has at least 15 mutants of master, agent and executor, each with the scenario that kills it', () => {
  assert.ok(RUNTIME_MUTANTS.length >= 15, `${RUNTIME_MUTANTS.length} mutants`);
  assert.equal(new Set(RUNTIME_MUTANTS.map((m) => m.name)).size, RUNTIME_MUTANTS.length, 'names are unique');
  for (const party of ['master', 'agent', 'executor'] as const)
    assert.ok(
      RUNTIME_MUTANTS.some((m) => m.party === party),
      `a ${party} mutant`,
    );
  // Every listed scenario exists in its suite.
  for (const m of RUNTIME_MUTANTS) scenarioOf(m.killedBy.suite, m.killedBy.scenario);
  // The report of what kills what, in the test log.
  for (const m of RUNTIME_MUTANTS) console.log(`  ${m.name} (${m.bug}): killed by ${key(m.killedBy)}`);
});

/**
 * How many scenario clusters run at once. A run mostly waits (for processes to start, for the
 * cluster's timers, for a step that a mutant never makes): the whole catalogue takes 20 s of CPU
 * in 110 s when run one at a time.
 */
const AT_ONCE = 3;

/** `fn` once fewer than AT_ONCE started runs are unfinished. */
const pool = (() => {
  let active = 0;
  const waiting: (() => void)[] = [];
  return <T>(fn: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolveRun, rejectRun) => {
      const go = () => {
        active++;
        fn()
          .then(resolveRun, rejectRun)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < AT_ONCE) go();
      else waiting.push(go);
    });
})();

const only = process.env['MUTANTS']?.split(',').filter((x) => x !== '');
for (const name of only ?? []) if (!RUNTIME_MUTANTS.some((m) => m.name === name)) throw new Error(`MUTANTS: no runtime mutant '${name}'`);
const chosen = RUNTIME_MUTANTS.filter((m) => only === undefined || only.includes(m.name));
const cleanRuns = new Map<string, Promise<ScenarioResult>>();
const mutantRuns = new Map<string, Promise<ScenarioResult>>();

// Every run queued at once (each listed scenario against the correct cluster, once; each mutant
// against its scenario); each test below waits for its own.
test.before(() => {
  for (const { killedBy: v } of chosen)
    if (!cleanRuns.has(key(v)))
      cleanRuns.set(
        key(v),
        pool(() => run(v.suite, v.scenario, v.stepTimeoutMs ?? STEP_TIMEOUT_MS)),
      );
  for (const m of chosen)
    mutantRuns.set(
      m.name,
      pool(() => run(m.killedBy.suite, m.killedBy.scenario, m.killedBy.stepTimeoutMs ?? STEP_TIMEOUT_MS, m)),
    );
});

test('every scenario the catalogue lists passes against the correct cluster', async () => {
  for (const [k, result] of cleanRuns) {
    const r = await result;
    assert.is(r.outcome, 'passed', `${k} against the correct cluster: ${describe(r)}`);
  }
});

for (const m of chosen) {
  test(`${m.name} (${m.party}: ${m.bug}) fails ${key(m.killedBy)}`, async () => {
    const r = await mutantRuns.get(m.name)!;
    assert.is(r.outcome, 'failed', describe(r));
    if (m.killedBy.reason) assert.match(r.reason ?? '', m.killedBy.reason, describe(r));
  });
}

test.run();
