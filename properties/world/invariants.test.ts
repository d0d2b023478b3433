/**
 * The invariant catalogue on worlds larger than the checker can exhaust: fast-check generates
 * long walks (a choice of enabled action per step, walk.ts), every `always` invariant is checked
 * after every step and every `eventually` one at quiescent states. A failure is shrunk to a
 * minimal walk and reported as a chart with its seed and replay command:
 *
 *   FC_SEED=<seed> npm test -- properties/world
 *
 * Seeds are fixed by test/run.ts (FC_SEED / FC_RUNS override). A seeded bug must make the
 * property fail and shrink, so a property that stopped biting fails too.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NO_FAULTS, validateConfig, type MesosConfig } from '../../spec/world/config.ts';
import { large, medium } from './configs.ts';
import { checkWalks, report, walker } from './walk.ts';
import { agentNeverRetryingUpdates } from '../../test/support/mutants.ts';

/** At least `n` runs, more when FC_RUNS asks for more. */
const runs = (n: number) => Math.max(n, fc.readConfigureGlobal().numRuns ?? 0);

const REPLAY = 'properties/world';

test('the property configurations are valid', () => {
  assert.equal(validateConfig(large), []);
  assert.equal(validateConfig(medium), []);
  const budgets = Object.values(large.faults);
  assert.ok(
    budgets.every((b) => b > 0),
    'every fault kind has a budget',
  );
});

test('every always-invariant holds on long walks of 5 agents, 4 frameworks, 20 tasks with every fault', () => {
  // Quiescence is rare in a world this size (the CI seed's walks reach none), so the
  // eventually-invariants are the medium configuration's business, below.
  const w = walker(large, { quiescenceEvery: 25 });
  const details = checkWalks(w, { numRuns: runs(80), maxSteps: 500 });
  if (details.failed) assert.unreachable(report(w, details, REPLAY));
  assert.ok(w.stats.steps > 5_000, `walks too short: ${w.stats.steps} steps in ${w.stats.walks} walks`);
});

test('every invariant holds on walks of 2 agents, 2 frameworks; the eventually-invariants at quiescent states', () => {
  const w = walker(medium);
  const details = checkWalks(w, { numRuns: runs(100), maxSteps: 200 });
  if (details.failed) assert.unreachable(report(w, details, REPLAY));
  // Else the eventually-invariants were never put to the test.
  assert.ok(w.stats.quiescent > 0, 'no walk reached a quiescent state');
});

// The seeded bug: an agent that never retries an unacknowledged status update. With one lost
// update, the framework never hears of it: deliveredAtQuiescence must catch it.
const mutantConfig: MesosConfig = {
  name: 'mutant',
  agents: [{ resources: 'cpus:2;mem:1024' }],
  frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'finish' }] }],
  faults: { ...NO_FAULTS, loss: 1 },
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
};

test('a seeded bug (an agent that never retries an update) fails the property and shrinks', () => {
  const mutant = agentNeverRetryingUpdates();
  const w = walker(mutantConfig, { machines: { agent: mutant } });
  const details = checkWalks(w, { numRuns: 200, maxSteps: 80 });
  assert.ok(details.failed, 'the mutant survived 200 walks');
  const choices = details.counterexample![0];
  const v = w.walk(choices)!;
  assert.is(v.invariant, 'deliveredAtQuiescence');
  assert.ok(details.numShrinks > 0, 'the counterexample was not shrunk');
  // The shortest such trace has 22 steps (test/invariants/mutants.test.ts); shrinking gets close.
  assert.ok(v.steps.length <= 40, `shrunk walk still ${v.steps.length} steps long`);
  const text = report(w, details, REPLAY);
  assert.match(text, /Invariant deliveredAtQuiescence violated/);
  assert.match(text, new RegExp(`replay: FC_SEED=${details.seed} npm test -- properties/world`));
  assert.match(text, /lost: /);
  // The same world without the bug passes the same walks.
  const clean = walker(mutantConfig);
  assert.not.ok(checkWalks(clean, { numRuns: 200, maxSteps: 80 }).failed);
});

test.run();
