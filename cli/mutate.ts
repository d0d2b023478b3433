/**
 * `mesos-ref mutate`: mutation testing of the spec against the checker. Seeded, type-correct
 * mutants of spec/machines (cli/mutate/operators.ts), each run through `mesos-ref verify` on the
 * chosen configurations in a temporary copy of the tree (cli/mutate/sandbox.ts), stopping at the
 * first configuration that fails. A mutant is killed when some configuration fails, survived
 * when all hold; the score is killed / (killed + survived). Judging which survivors are
 * equivalent (no behaviour changed) is left to a reader of their diffs.
 * Exit codes: 0 the run completed, 2 bad flags.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { configs } from '../model/configs.ts';
import { candidates, diffOf, seededOrder, apply, OPERATORS, type Mutant, type Operator } from './mutate/operators.ts';
import { MutantTypechecker } from './mutate/typecheck.ts';
import { Sandbox, type VerifyRun } from './mutate/sandbox.ts';
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
}

/** The proved named configurations, cheapest first (a killed mutant usually stops at the first). */
export const DEFAULT_MUTATE_CONFIGS = ['master-failover', 'two-frameworks', 'default', 'partition'];

export interface MutantResult {
  readonly mutant: Mutant;
  readonly status: 'killed' | 'survived' | 'inconclusive';
  /** The configuration that killed it, and how (the failed properties, or the crash). */
  readonly by?: { readonly config: string; readonly properties: readonly string[]; readonly crash?: string };
  readonly runs: readonly { readonly config: string; readonly exit: number; readonly seconds: number }[];
  readonly diff: string;
}

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

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
export function drawMutants(
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

async function runMutant(box: Sandbox, text: string, m: Mutant, configNames: readonly string[], extra: readonly string[]): Promise<MutantResult> {
  const runs: { config: string; exit: number; seconds: number }[] = [];
  box.write(m.file, apply(text, m));
  try {
    let inconclusive = false;
    for (const config of configNames) {
      const r: VerifyRun = await box.verify(config, extra);
      runs.push({ config, exit: r.exit, seconds: r.seconds });
      if (r.exit === 3) inconclusive = true;
      else if (r.exit !== 0) {
        return { mutant: m, status: 'killed', by: { config, properties: r.failed, ...(r.crash ? { crash: r.crash } : {}) }, runs, diff: diffOf(text, m) };
      }
    }
    return { mutant: m, status: inconclusive ? 'inconclusive' : 'survived', runs, diff: diffOf(text, m) };
  } finally {
    box.write(m.file, text);
  }
}

export async function runMutate(f: MutateFlags, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  let seed: number;
  let count: number;
  let jobs: number;
  let configNames: string[];
  let files: string[];
  let operators: Operator[];
  let extra: string[] = [];
  try {
    seed = positiveInt(f.seed, '--seed', 0)!;
    count = positiveInt(f.count, '--count')!;
    jobs = positiveInt(f.jobs, '--jobs')!;
    configNames = f.configs
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (configNames.length === 0) throw new UsageError('--configs: expected a comma-separated list of configuration names or files');
    configNames = configNames.map((c) => {
      if (configs[c]) return c;
      if (existsSync(c)) return resolve(c);
      throw new UsageError(`--configs: '${c}' is neither a named configuration (${Object.keys(configs).join(', ')}) nor a file`);
    });
    operators = f.operators ? (f.operators.split(',').map((s) => s.trim()) as Operator[]) : [...OPERATORS];
    const unknown = operators.filter((o) => !OPERATORS.includes(o));
    if (unknown.length) throw new UsageError(`--operators: unknown ${unknown.join(', ')} (known: ${OPERATORS.join(', ')})`);
    files = f.files.split(',').flatMap((d) => tsFiles(ROOT, relative(ROOT, resolve(ROOT, d.trim()))));
    if (f.timeout !== undefined) extra = ['--timeout', String(positiveInt(f.timeout, '--timeout'))];
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`mesos-ref mutate: ${err.message}\n`);
    return 2;
  }
  const log = (s: string) => {
    if (!f.json) out(`${s}\n`);
  };
  log(`mesos-ref mutate: seed ${seed}, ${count} mutants of ${files.length} files, configurations ${configNames.map((c) => relative(process.cwd(), c) || c).join(', ')}`);
  const started = Date.now();
  const { mutants, rejected, candidates: total } = drawMutants(ROOT, files, operators, seed, count, f.list ? log : () => {});
  log(`  ${total} candidate mutations; ${mutants.length} drawn, ${rejected} type-incorrect ones skipped on the way (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (f.list) {
    for (const m of mutants) log(diffOf(readFileSync(join(ROOT, m.file), 'utf8'), m));
    return 0;
  }
  const texts = new Map(mutants.map((m) => [m.file, readFileSync(join(ROOT, m.file), 'utf8')] as const));
  const results: MutantResult[] = new Array(mutants.length);
  const boxes = Array.from({ length: Math.min(jobs, mutants.length) }, () => new Sandbox(ROOT));
  try {
    let next = 0;
    await Promise.all(
      boxes.map(async (box) => {
        while (next < mutants.length) {
          const i = next++;
          const m = mutants[i]!;
          const r = await runMutant(box, texts.get(m.file)!, m, configNames, extra);
          results[i] = r;
          const secs = r.runs.reduce((s, x) => s + x.seconds, 0).toFixed(1);
          log(
            `  [${String(i + 1).padStart(3)}/${mutants.length}] ${r.status.padEnd(12)} ${m.id}${r.by ? `  by ${relative(process.cwd(), r.by.config) || r.by.config}: ${r.by.crash ? `crash (${r.by.crash})` : r.by.properties.join(', ')}` : ''}  (${secs} s)`,
          );
        }
      }),
    );
  } finally {
    for (const box of boxes) box.remove();
  }
  const killed = results.filter((r) => r.status === 'killed').length;
  const survived = results.filter((r) => r.status === 'survived');
  const inconclusive = results.filter((r) => r.status === 'inconclusive').length;
  const score = killed + survived.length > 0 ? killed / (killed + survived.length) : 0;
  if (f.json) {
    out(`${JSON.stringify({ seed, configs: configNames, candidates: total, rejected, killed, survived: survived.length, inconclusive, score, results }, null, 2)}\n`);
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
  if (survived.length) {
    log('Survivors (judge each: equivalent, or a property the catalogue lacks):');
    for (const r of survived) log(`${r.mutant.id}\n${r.diff}\n`);
  }
  return 0;
}

export function registerMutate(program: Command): void {
  program
    .command('mutate')
    .description('mutation testing: seeded, type-correct mutants of spec/machines, each verified on the chosen configurations; killed / survived and the score')
    .option('--seed <n>', 'the seed that draws the mutants and their replacements', '1')
    .option('--count <n>', 'how many type-correct mutants', '40')
    .option('--configs <list>', 'configurations to verify each mutant on, in order (names or files)', DEFAULT_MUTATE_CONFIGS.join(','))
    .option('--files <list>', 'files or folders to mutate', 'spec/machines')
    .option('--operators <list>', `only these operators (${OPERATORS.join(', ')})`)
    .option('--jobs <n>', 'mutants run at once, each in its own temporary copy', '1')
    .option('--timeout <seconds>', "each verify run's time limit (a run that hits it is inconclusive)")
    .option('--list', 'only draw and show the mutants, run nothing')
    .option('--json', 'print the results as JSON')
    .action(async (flags: MutateFlags) => {
      process.exitCode = await runMutate(flags);
    });
}
