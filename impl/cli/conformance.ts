/**
 * `mesos-ref conformance`: conformance suites generated from the model, and (later) their runner.
 *
 *   mesos-ref conformance generate --config NAME|FILE --out DIR [--max-states N] [--no-merge]
 *
 * Each subcommand is one `register...` function in SUBCOMMANDS below. Exit codes: 0 the suite was
 * written, 1 some reachable target could not be turned into a scenario (a bug: the manifest says
 * which and why), 2 bad flags or configuration (the message names the field).
 */
import { Command, Option } from 'commander';
import { generateSuite, writeSuite, type Suite } from '../../conformance/generate.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { loadConfig } from '../config.ts';

class UsageError extends Error {}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`'${flag}': expected an integer >= 1, got '${value}'`);
  return Number(value);
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (a: number, b: number) => (b === 0 ? '100.0' : ((100 * a) / b).toFixed(1));

function describeConfig(c: MesosConfig): string {
  const faults = Object.entries(c.faults)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `configuration ${c.name}${c.description ? `: ${c.description}` : ''}\n  timing ${c.timing}, channel bound ${c.channelBound}, faults: ${faults || 'none'}`;
}

/** The summary printed after generation (like verify's). */
export function summary(suite: Suite, dir: string): string {
  const m = suite.manifest;
  const e = m.exploration;
  const c = m.coverage;
  const out: string[] = [];
  const first = e.withoutLossOrPartition ? `; first without loss or partition: ${n(e.withoutLossOrPartition.states)} states` : '';
  out.push(
    e.complete
      ? `Exploration completed: ${n(e.states)} distinct states, ${n(e.transitions)} transitions, diameter ${e.diameter}${first} (${(suite.elapsedMs / 1000).toFixed(1)} s)`
      : `Exploration stopped at --max-states ${n(e.maxStates ?? e.states)} (depth ${e.diameter}): targets beyond it are not known${first} (${(suite.elapsedMs / 1000).toFixed(1)} s)`,
  );
  out.push(`Coverage: ${c.covered} of ${c.reachable} reachable targets covered (${pct(c.covered, c.reachable)}%), ${c.runnable} by scenarios that need nothing special`);
  for (const [kind, k] of Object.entries(c.byKind)) {
    out.push(`  ${kind.padEnd(11)} ${String(k.covered).padStart(4)} covered of ${String(k.reachable).padStart(4)} reachable (${k.defined} defined)`);
  }
  const loss = m.scenarios.filter((s) => s.requires.includes('loss')).length;
  const partition = m.scenarios.filter((s) => s.requires.includes('partition')).length;
  out.push(`Scenarios: ${m.scenarios.length} (${m.scenarios.length - m.scenarios.filter((s) => s.requires.length > 0).length} need nothing special, ${loss} need message loss, ${partition} a partition)`);
  for (const s of m.scenarios) {
    out.push(`  ${`${s.name} `.padEnd(66, '.')} ${String(s.steps).padStart(3)} steps, ${s.targets.length} target${s.targets.length > 1 ? 's' : ''}${s.requires.length ? `, requires ${s.requires.join(', ')}` : ''}`);
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

function wrap(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + item.length + 2 > width) {
      lines.push(line + ',');
      line = item;
    } else line = line ? `${line}, ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

interface GenerateFlags {
  config: string;
  out?: string;
  maxStates?: string;
  merge: boolean;
  progress: boolean;
}

export async function runGenerate(f: GenerateFlags): Promise<number> {
  let config: MesosConfig;
  let maxStates: number | undefined;
  try {
    if (f.out === undefined || f.out === '') throw new UsageError("'--out': expected a directory to write the suite to");
    maxStates = positiveInt(f.maxStates, '--max-states');
    const loaded = loadConfig(f.config);
    if (!loaded.ok) throw new UsageError(loaded.errors.join('\n'));
    config = loaded.config;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`mesos-ref conformance generate: ${err.message}\n`);
    return 2;
  }
  process.stdout.write(`mesos-ref conformance generate: ${describeConfig(config)}\n`);
  const suite = generateSuite(config, {
    ...(maxStates !== undefined ? { maxStates } : {}),
    merge: f.merge,
    ...(f.progress ? { progress: (states: number, depth: number) => process.stderr.write(`Progress: ${n(states)} states, depth ${depth}\n`) } : {}),
  });
  writeSuite(f.out, suite);
  process.stdout.write(summary(suite, f.out) + '\n');
  return suite.manifest.coverage.covered < suite.manifest.coverage.reachable ? 1 : 0;
}

function registerGenerate(conformance: Command): void {
  conformance
    .command('generate')
    .description('explore a configuration and write a scenario per coverage target (shortest trace, projected onto the v1 scheduler API)')
    .option('--config <name|file>', 'a named configuration or a JSON file', 'default')
    .option('--out <dir>', 'the directory to write the suite to')
    .option('--max-states <n>', 'stop exploring after this many distinct states')
    .addOption(new Option('--no-merge', 'one scenario per distinct witness, even when it is a prefix of another'))
    .addOption(new Option('--no-progress', 'no progress lines on stderr'))
    .action(async (flags: GenerateFlags) => {
      process.exitCode = await runGenerate(flags);
    });
}

/** One function per subcommand: `(conformance: Command) => void`. */
const SUBCOMMANDS: readonly ((conformance: Command) => void)[] = [registerGenerate];

export function registerConformance(program: Command): void {
  const conformance = program.command('conformance').description('conformance suites: scenarios generated from the model for any Mesos master');
  for (const register of SUBCOMMANDS) register(conformance);
}
