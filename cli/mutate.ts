/**
 * `mesos-ref mutate`: mutation testing of the spec against the checker. Seeded, type-correct
 * mutants of spec/machines (cli/mutate/operators.ts), each explored as `mesos-ref verify` does on
 * the chosen configurations in a temporary copy of the tree (cli/mutate/sandbox.ts), stopping at
 * the first configuration that fails. A mutant is killed when some configuration fails, survived
 * when all hold; the score is killed / (killed + survived). Judging which survivors are
 * equivalent (no behaviour changed) is left to a reader of their diffs.
 * What makes a run affordable, without changing any verdict:
 *   - a reach pass first explores each configuration once on the unmutated tree with a probe at
 *     every mutant's place (cli/mutate/probes.ts): a configuration that never evaluates a
 *     mutant's place cannot kill it, so the mutant runs only where it is reached (and a mutant
 *     no configuration reaches survives without a run);
 *   - a mutant's configurations run in one process (cli/mutate/explore-configs.ts);
 *   - they run in order of kills per second, as measured so far in this run (the reach pass's
 *     time and each configuration's kills), so a killed mutant usually stops at the first;
 *   - `--jobs N` runs N mutants at once, each in its own copy.
 * With `--suite DIR`, each mutant the checker kills is also run against a generated conformance
 * suite (cli/mutate/suite-killer.ts): how many of the checker's kills the suite sees too.
 * Exit codes: 0 the run completed, 2 bad flags.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../impl/paths.ts';
import type { Command } from 'commander';
import { configs } from '../model/configs.ts';
import { candidates, diffOf, seededOrder, apply, OPERATORS, type Mutant, type Operator } from './mutate/operators.ts';
import { MutantTypechecker } from './mutate/typecheck.ts';
import { Sandbox, SUITE_PARTS } from './mutate/sandbox.ts';
import { checkSuiteFlag, suiteVerdict, type SuiteVerdict } from './mutate/suite-killer.ts';
import { withProbes } from './mutate/probes.ts';
import { UsageError, positiveInt } from './common.ts';

interface MutateFlags {
  seed: string;
  count: string;
  configs: string;
  files: string;
  operators?: string;
  jobs: string;
  timeout?: string;
  json?: boolean;
  list?: boolean;
  /** Commander's `--no-reach`: every mutant runs every configuration. */
  reach?: boolean;
  /** Keep the configurations in the order given instead of by kills per second. */
  inOrder?: boolean;
  /** Only these mutants of the seed's sample (ids as the report prints them): re-running survivors. */
  only?: string;
  /** A conformance suite (or a directory of them) each mutant the checker kills is run against too. */
  suite?: string;
}

/** `--configs all`: what `verify --all` proves (every named configuration but `large`). */
const ALL_CONFIGS = 'all';

/** Where a run starts before it has measured anything: the configuration that killed most in the first measured sample. */
const FIRST = ['master-failover'];

export interface MutantResult {
  readonly mutant: Mutant;
  readonly status: 'killed' | 'survived' | 'inconclusive';
  /** The configuration that killed it, and how (the failed properties, or the crash). */
  readonly by?: { readonly config: string; readonly properties: readonly string[]; readonly crash?: string };
  readonly runs: readonly { readonly config: string; readonly exit: number; readonly seconds: number }[];
  /** The configurations that never evaluate the mutant's place (the reach pass), so were not run. */
  readonly unreached: readonly string[];
  readonly diff: string;
  /** With --suite, for a mutant the checker killed: the suite's verdict. */
  readonly suite?: SuiteVerdict;
}

/** The repository: mutants are drawn from its TypeScript sources and run with its dev dependencies (tsx, typescript). */
const ROOT = REPO_ROOT;

/** Why mutation testing cannot run here (an installed package has no sources and no dev dependencies), or null. */
function notACheckout(): string | null {
  if (!existsSync(join(ROOT, 'spec', 'machines')) || !existsSync(join(ROOT, 'node_modules', 'tsx'))) {
    return `mutates the TypeScript sources of a checkout with its dev dependencies, and ${ROOT} has none (clone the repository and run npm ci there)`;
  }
  return null;
}

function tsFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) throw new UsageError(`--files: ${dir} does not exist`);
  if (statSync(abs).isFile()) return [dir];
  return readdirSync(abs)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(join(root, p)).isDirectory() ? tsFiles(root, p) : p.endsWith('.ts') ? [p] : [];
    });
}

/** The first `count` type-correct mutants of the seed's order (each typechecked as it is drawn). */
function drawMutants(
  root: string,
  files: readonly string[],
  operators: readonly Operator[],
  seed: number,
  count: number,
  log: (s: string) => void,
): { mutants: Mutant[]; rejected: number; candidates: number } {
  const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')] as const));
  const all = files.flatMap((f) => candidates(f, texts.get(f)!)).filter((c) => operators.includes(c.operator));
  const checker = new MutantTypechecker(root, files);
  const mutants: Mutant[] = [];
  let rejected = 0;
  for (const m of seededOrder(all, texts, seed)) {
    if (mutants.length >= count) break;
    const errors = checker.errors(m.file, apply(texts.get(m.file)!, m));
    if (errors.length) {
      rejected++;
      continue;
    }
    mutants.push(m);
    log(`  drew ${m.id}`);
  }
  return { mutants, rejected, candidates: all.length };
}

/** Kills and seconds per configuration, so far in this run: the order of the next mutant's configurations. */
class Rates {
  private readonly kills = new Map<string, number>();
  private readonly seconds = new Map<string, number>();

  constructor(reachSeconds: ReadonlyMap<string, number>) {
    for (const [c, s] of reachSeconds) this.seconds.set(c, s);
  }

  record(runs: MutantResult['runs'], by: string | undefined): void {
    for (const r of runs) this.seconds.set(r.config, (this.seconds.get(r.config) ?? 0) + r.seconds);
    if (by !== undefined) this.kills.set(by, (this.kills.get(by) ?? 0) + 1);
  }

  /** Kills per second, with one kill granted to each so an unlucky start is not final. */
  rate(c: string): number {
    return ((this.kills.get(c) ?? 0) + (FIRST.includes(c) ? 2 : 1)) / Math.max(0.1, this.seconds.get(c) ?? 1);
  }

  order(configNames: readonly string[]): string[] {
    return [...configNames].sort((a, b) => this.rate(b) - this.rate(a) || configNames.indexOf(a) - configNames.indexOf(b));
  }

  table(configNames: readonly string[], shown: (c: string) => string): string[] {
    return configNames.map((c) => `    ${shown(c).padEnd(18)} ${String(this.kills.get(c) ?? 0).padStart(3)} killed in ${(this.seconds.get(c) ?? 0).toFixed(1).padStart(7)} s`);
  }
}

async function runMutant(box: Sandbox, text: string, m: Mutant, order: readonly string[], unreached: readonly string[], timeoutSeconds: number | undefined): Promise<MutantResult> {
  const diff = diffOf(text, m);
  if (order.length === 0) return { mutant: m, status: 'survived', runs: [], unreached, diff };
  box.write(m.file, apply(text, m));
  try {
    const runs = await box.explore({ configs: order, stopAtFailure: true, ...(timeoutSeconds ? { timeoutSeconds } : {}) });
    const short = runs.map((r) => ({ config: r.config, exit: r.exit, seconds: r.seconds }));
    const failing = runs.find((r) => r.exit !== 0 && r.exit !== 3);
    if (failing)
      return {
        mutant: m,
        status: 'killed',
        by: { config: failing.config, properties: failing.failed, ...(failing.crash ? { crash: failing.crash } : {}) },
        runs: short,
        unreached,
        diff,
      };
    return { mutant: m, status: runs.some((r) => r.exit === 3) ? 'inconclusive' : 'survived', runs: short, unreached, diff };
  } finally {
    box.write(m.file, text);
  }
}

/**
 * The reach pass: every configuration explored once on the unmutated tree with every mutant's
 * probe in place; which mutants each evaluates, and how long it takes. Null (and a message) if a
 * configuration fails unmutated: every mutant would then look killed.
 */
async function reachPass(
  box: Sandbox,
  mutants: readonly Mutant[],
  texts: ReadonlyMap<string, string>,
  configNames: readonly string[],
  log: (s: string) => void,
): Promise<{ reached: Map<string, Set<number>>; seconds: Map<string, number> } | string> {
  for (const [file, text] of texts)
    box.write(
      file,
      withProbes(
        file,
        text,
        mutants.map((mutant, index) => ({ mutant, index })).filter((x) => x.mutant.file === file),
      ),
    );
  try {
    const runs = await box.explore({ configs: configNames, stopAtFailure: false });
    const reached = new Map<string, Set<number>>();
    const seconds = new Map<string, number>();
    for (const r of runs) {
      if (r.exit !== 0) return `the unmutated tree fails ${r.config} (exit ${r.exit}${r.failed.length ? `: ${r.failed.join(', ')}` : ''}${r.crash ? `: ${r.crash}` : ''})`;
      reached.set(r.config, new Set(r.reached));
      seconds.set(r.config, r.seconds);
      log(`    ${r.config.padEnd(18)} ${r.seconds.toFixed(1).padStart(7)} s, reaches ${r.reached.length} of ${mutants.length}`);
    }
    return { reached, seconds };
  } finally {
    for (const [file, text] of texts) box.write(file, text);
  }
}

export async function runMutate(f: MutateFlags, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  let seed: number;
  let count: number;
  let jobs: number;
  let configNames: string[];
  let files: string[];
  let operators: Operator[];
  let timeoutSeconds: number | undefined;
  let suite: string | undefined;
  let suiteScenarios = 0;
  try {
    seed = positiveInt(f.seed, '--seed', 0)!;
    count = positiveInt(f.count, '--count')!;
    jobs = positiveInt(f.jobs, '--jobs')!;
    configNames = f.configs
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (configNames.length === 0) throw new UsageError('--configs: expected a comma-separated list of configuration names or files');
    if (configNames.length === 1 && configNames[0] === ALL_CONFIGS) configNames = Object.keys(configs).filter((c) => c !== 'large');
    configNames = configNames.map((c) => {
      if (configs[c]) return c;
      if (existsSync(c)) return resolve(c);
      throw new UsageError(`--configs: '${c}' is neither a named configuration (${Object.keys(configs).join(', ')}) nor a file`);
    });
    operators = f.operators ? (f.operators.split(',').map((s) => s.trim()) as Operator[]) : [...OPERATORS];
    const unknown = operators.filter((o) => !OPERATORS.includes(o));
    if (unknown.length) throw new UsageError(`--operators: unknown ${unknown.join(', ')} (known: ${OPERATORS.join(', ')})`);
    const why = notACheckout();
    if (why !== null) throw new UsageError(why);
    files = f.files.split(',').flatMap((d) => tsFiles(ROOT, relative(ROOT, resolve(ROOT, d.trim()))));
    timeoutSeconds = positiveInt(f.timeout, '--timeout');
    if (f.suite !== undefined) {
      suite = resolve(f.suite);
      suiteScenarios = checkSuiteFlag(suite);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`mesos-ref mutate: ${err.message}\n`);
    return 2;
  }
  const log = (s: string) => {
    if (!f.json) out(`${s}\n`);
  };
  log(`mesos-ref mutate: seed ${seed}, ${count} mutants of ${files.length} files, configurations ${configNames.map((c) => relative(process.cwd(), c) || c).join(', ')}`);
  if (suite !== undefined)
    log(`  the mutants the checker kills run against the suite ${f.suite} (${suiteScenarios} scenarios) too: built, a cluster per scenario, up to the first that fails`);
  const started = Date.now();
  const drawn = drawMutants(ROOT, files, operators, seed, count, f.list ? log : () => {});
  const { rejected, candidates: total } = drawn;
  const only = f.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const missing = (only ?? []).filter((id) => !drawn.mutants.some((m) => m.id === id));
  if (missing.length) {
    process.stderr.write(`mesos-ref mutate: --only: ${missing.join(', ')} is not in the sample of seed ${seed} and count ${count}\n`);
    return 2;
  }
  const mutants = only ? drawn.mutants.filter((m) => only.includes(m.id)) : drawn.mutants;
  log(
    `  ${total} candidate mutations; ${drawn.mutants.length} drawn${only ? ` (${mutants.length} of them run, --only)` : ''}, ${rejected} type-incorrect ones skipped on the way (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (f.list) {
    for (const m of mutants) log(diffOf(readFileSync(join(ROOT, m.file), 'utf8'), m));
    return 0;
  }
  const texts = new Map(mutants.map((m) => [m.file, readFileSync(join(ROOT, m.file), 'utf8')] as const));
  const results: MutantResult[] = new Array(mutants.length);
  const extraParts = suite !== undefined ? SUITE_PARTS : [];
  const boxes = Array.from({ length: Math.max(1, Math.min(jobs, mutants.length)) }, () => new Sandbox(ROOT, extraParts));
  // The suite's failures are confirmed against the unmutated build (suite-killer.ts): one copy, built once.
  const unmutated = suite !== undefined ? new Sandbox(ROOT, extraParts) : undefined;
  const shown = (c: string) => relative(process.cwd(), c) || c;
  try {
    if (unmutated) {
      const built = await unmutated.build();
      if (built.code !== 0) {
        process.stderr.write(`mesos-ref mutate: the unmutated tree does not build: ${built.stderr.trim()}\n`);
        return 1;
      }
    }
    let reached: Map<string, Set<number>> | null = null;
    let reachSeconds = new Map<string, number>();
    if (f.reach !== false) {
      log(`  reach pass: each configuration once, unmutated, with a probe at every mutant's place`);
      const pass = await reachPass(boxes[0]!, mutants, texts, configNames, log);
      if (typeof pass === 'string') {
        process.stderr.write(`mesos-ref mutate: ${pass}\n`);
        return 1;
      }
      reached = pass.reached;
      reachSeconds = pass.seconds;
    }
    const rates = new Rates(reachSeconds);
    let next = 0;
    await Promise.all(
      boxes.map(async (box) => {
        while (next < mutants.length) {
          const i = next++;
          const m = mutants[i]!;
          const reaching = reached ? configNames.filter((c) => reached.get(c)!.has(i)) : configNames;
          const order = f.inOrder ? reaching : rates.order(reaching);
          const checked = await runMutant(
            box,
            texts.get(m.file)!,
            m,
            order,
            configNames.filter((c) => !reaching.includes(c)),
            timeoutSeconds,
          );
          const r =
            suite !== undefined && unmutated && checked.status === 'killed' ? { ...checked, suite: await againstSuite(box, unmutated, texts.get(m.file)!, m, suite) } : checked;
          rates.record(r.runs, r.by?.config);
          results[i] = r;
          const secs = r.runs.reduce((s, x) => s + x.seconds, 0).toFixed(1);
          const what = r.by
            ? `  by ${shown(r.by.config)}: ${r.by.crash ? `crash (${r.by.crash})` : r.by.properties.join(', ')}`
            : reaching.length === 0
              ? '  (no configuration reaches it)'
              : `  (${reaching.length} of ${configNames.length} configurations reach it)`;
          log(`  [${String(i + 1).padStart(3)}/${mutants.length}] ${r.status.padEnd(12)} ${m.id}${what}  (${secs} s)`);
          if (r.suite) log(`          suite: ${suiteLine(r.suite)}  (${r.suite.seconds.toFixed(1)} s)`);
        }
      }),
    );
    log('  kills per configuration (first kills; seconds include the reach pass):');
    for (const line of rates.table(configNames, shown)) log(line);
  } finally {
    for (const box of boxes) box.remove();
    unmutated?.remove();
  }
  const killed = results.filter((r) => r.status === 'killed').length;
  const survived = results.filter((r) => r.status === 'survived');
  const inconclusive = results.filter((r) => r.status === 'inconclusive').length;
  const score = killed + survived.length > 0 ? killed / (killed + survived.length) : 0;
  const bySuite = suite !== undefined ? suiteScore(results) : undefined;
  if (f.json) {
    out(
      `${JSON.stringify({ seed, configs: configNames, candidates: total, rejected, killed, survived: survived.length, inconclusive, score, ...(bySuite ? { suite: { dir: suite, ...bySuite.counts } } : {}), results }, null, 2)}\n`,
    );
    return 0;
  }
  log(
    `Mutation score: ${killed} killed / ${killed + survived.length} = ${(100 * score).toFixed(1)} %${inconclusive ? ` (${inconclusive} inconclusive, left out)` : ''}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  const byOperator = new Map<string, [number, number]>();
  for (const r of results) {
    const k = byOperator.get(r.mutant.operator) ?? [0, 0];
    if (r.status === 'killed') k[0]++;
    if (r.status !== 'inconclusive') k[1]++;
    byOperator.set(r.mutant.operator, k);
  }
  log(`  by operator: ${[...byOperator].map(([op, [k, t]]) => `${op} ${k}/${t}`).join(', ')}`);
  const unreached = survived.filter((r) => r.unreached.length === configNames.length);
  if (f.reach !== false) log(`  ${unreached.length} of the ${survived.length} survivors are reached by no configuration (code no configuration runs)`);
  if (survived.length) {
    log('Survivors (judge each: equivalent, not reached, or a property the catalogue lacks):');
    for (const r of survived) log(`${r.mutant.id}${r.unreached.length === configNames.length ? '  (reached by no configuration)' : ''}\n${r.diff}\n`);
  }
  if (bySuite) {
    const c = bySuite.counts;
    log(
      `Suite ${f.suite}: the suite kills ${c.killed} of the ${c.of} mutants the checker killed (${(100 * c.score).toFixed(1)} %)${c.inconclusive ? `; ${c.inconclusive} inconclusive, counted as not killed` : ''}`,
    );
    if (bySuite.missed.length) {
      log('Missed by the suite (the checker kills them; judge each: a configuration the suite does not cover, an answer no scenario checks):');
      for (const r of bySuite.missed) log(`${r.mutant.id}  (checker: ${shown(r.by!.config)}; suite: ${suiteLine(r.suite!)})\n${r.diff}\n`);
    }
  }
  return 0;
}

/** The mutant's file written, the suite's verdict, the file restored (the copy's dist/ is rebuilt by the next mutant's run). */
async function againstSuite(box: Sandbox, unmutated: Sandbox, text: string, m: Mutant, suite: string): Promise<SuiteVerdict> {
  box.write(m.file, apply(text, m));
  try {
    return await suiteVerdict(box, unmutated, suite);
  } finally {
    box.write(m.file, text);
  }
}

function suiteLine(v: SuiteVerdict): string {
  if (v.status === 'killed') return `killed by ${v.scenario}: ${v.reason}`;
  if (v.status === 'survived') return `survived${v.counts ? ` (${v.counts})` : ''}${v.diverged ? `; diverged: ${v.diverged.join(', ')}` : ''}`;
  return `inconclusive: ${v.reason}`;
}

/** Of the mutants the checker killed: how many the suite kills (inconclusive ones are not), and those it does not. */
function suiteScore(results: readonly MutantResult[]): { counts: { killed: number; of: number; inconclusive: number; score: number }; missed: MutantResult[] } {
  const judged = results.filter((r) => r.status === 'killed' && r.suite !== undefined);
  const killed = judged.filter((r) => r.suite!.status === 'killed').length;
  const inconclusive = judged.filter((r) => r.suite!.status === 'inconclusive').length;
  return {
    counts: { killed, of: judged.length, inconclusive, score: judged.length ? killed / judged.length : 0 },
    missed: judged.filter((r) => r.suite!.status !== 'killed'),
  };
}

export function registerMutate(program: Command): void {
  program
    .command('mutate')
    .description('mutation testing: seeded, type-correct mutants of spec/machines, each verified on the chosen configurations; killed / survived and the score')
    .option('--seed <n>', 'the seed that draws the mutants and their replacements', '1')
    .option('--count <n>', 'how many type-correct mutants', '40')
    .option('--configs <list>', "configurations to verify each mutant on (names or files), or 'all': every one verify --all proves", ALL_CONFIGS)
    .option('--files <list>', 'files or folders to mutate', 'spec/machines')
    .option('--operators <list>', `only these operators (${OPERATORS.join(', ')})`)
    .option('--jobs <n>', 'mutants run at once, each in its own temporary copy', '1')
    .option('--timeout <seconds>', "each configuration's time limit per mutant (a run that hits it is inconclusive)")
    .option('--no-reach', 'skip the reach pass: every mutant runs every configuration')
    .option('--in-order', 'run the configurations in the order given, not by kills per second measured so far')
    .option('--only <ids>', 'only these mutants of the sample (ids as reported, comma-separated): to re-run survivors')
    .option('--suite <dir>', 'also run each mutant the checker kills against this conformance suite (conformance generate --out), on its own build: how many the suite kills too')
    .option('--list', 'only draw and show the mutants, run nothing')
    .option('--json', 'print the results as JSON')
    .action(async (flags: MutateFlags) => {
      process.exitCode = await runMutate(flags);
    });
}
