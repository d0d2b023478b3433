/**
 * `mesos-ref verify --all`: prove every named configuration but `large`, one after the other,
 * and report what they exercise together: the union of the transitions of every machine they
 * took (and, under V8 coverage, the branches of spec/machines; see cli/branches.ts). The union
 * is the measure of what the checker has verified: a transition no proved configuration takes
 * is behaviour nothing checked. `--min-coverage P` fails (exit 1) when machine transitions or
 * branches are below P percent, `--min-lifecycle-coverage P` when lifecycle transitions are.
 */
import type { AnyStateMachine } from 'xstate';
import { explore } from '../checker/index.ts';
import { configs } from '../model/configs.ts';
import { mesosModel } from '../model/mesos-model.ts';
import { UNREACHABLE, unreachableProperties } from '../model/unreachable.ts';
import { agent } from '../spec/machines/agent.ts';
import { executor } from '../spec/machines/executor.ts';
import { generalFramework } from '../spec/machines/general-framework.ts';
import { master } from '../spec/machines/master.ts';
import { scheduler } from '../spec/machines/scheduler.ts';
import { Coverage } from '../spec/world/coverage.ts';
import { LifecycleCoverage } from '../spec/world/lifecycle-coverage.ts';
import type { Lifecycle } from '../spec/machines/lifecycle.ts';
import { MASTER_LIFECYCLES } from '../spec/machines/master/lifecycles.ts';
import { AGENT_LIFECYCLES } from '../spec/machines/agent/lifecycle.ts';
import { mesosWorld } from '../spec/world/mesos.ts';
import { COVERAGE_CHILD, underCoverage } from './branches.ts';
import { n, wrap } from './common.ts';

export interface AllResult {
  readonly configs: readonly { name: string; outcome: string; states: number; seconds: number }[];
  readonly transitions: { readonly taken: number; readonly total: number; readonly unreachable: number };
  /** Declared lifecycle transitions (spec/machines/lifecycle.ts) taken, of those declared, listed unreachable ones aside. */
  readonly lifecycles: { readonly taken: number; readonly total: number; readonly unreachable: number };
  readonly exit: number;
}

const pct = (taken: number, total: number) => (total === 0 ? 100 : (100 * taken) / total);

/** Proves each configuration, printing a line per configuration, then the union coverage. */
function verifyAll(out: (line: string) => void, options: { timeoutSeconds?: number; only?: readonly string[] } = {}): AllResult {
  const union = new Coverage([master, agent, scheduler, generalFramework, executor]);
  const lifecycles = new LifecycleCoverage(
    new Map<AnyStateMachine, readonly Lifecycle<never>[]>([
      [master, MASTER_LIFECYCLES as readonly Lifecycle<never>[]],
      [agent, AGENT_LIFECYCLES as readonly Lifecycle<never>[]],
    ]),
  );
  const rows: AllResult['configs'][number][] = [];
  let exit = 0;
  const names = options.only ?? Object.keys(configs).filter((name) => name !== 'large');
  out(`mesos-ref verify --all: ${names.length} configurations (${options.only ? names.join(', ') : 'all but large'})`);
  for (const name of names) {
    const world = mesosWorld(configs[name]!);
    world.system.onLocalTransition = (comp, from, event, to) => {
      const machine = world.system.components[comp]!.machine;
      union.observe(machine, from, event);
      lifecycles.observe(machine, from, event, to);
    };
    const started = Date.now();
    const r = explore(mesosModel(world, { extra: unreachableProperties() }), options.timeoutSeconds ? { timeoutMs: options.timeoutSeconds * 1000 } : {});
    const seconds = (Date.now() - started) / 1000;
    const failed = r.verdicts.filter((v) => v.status === 'violated' || v.status === 'vacuous').map((v) => v.name);
    const outcome = r.outcome === 'pass' ? 'holds' : r.outcome === 'fail' ? `FAILS: ${failed.join(', ')}` : `INCONCLUSIVE (${r.stoppedBy})`;
    if (r.outcome !== 'pass') exit = Math.max(exit, r.outcome === 'fail' ? 1 : 3);
    rows.push({ name, outcome, states: r.states, seconds });
    out(`  ${name.padEnd(18)} ${n(r.states).padStart(11)} states ${seconds.toFixed(1).padStart(7)} s  ${outcome}`);
  }
  const total = rows.reduce((s, r) => s + r.seconds, 0);
  out(`  ${'total'.padEnd(18)} ${n(rows.reduce((s, r) => s + r.states, 0)).padStart(11)} states ${total.toFixed(1).padStart(7)} s`);

  const excused = new Set(UNREACHABLE.map((u) => u.transition));
  let taken = 0;
  let defined = 0;
  let unreachable = 0;
  out('Union coverage: transitions taken of those defined (listed unreachable ones aside, model/unreachable.ts)');
  for (const m of union.report()) {
    const missed = m.missed.filter((t) => !excused.has(t.id));
    const listed = m.total - m.taken - missed.length;
    taken += m.taken;
    defined += m.total;
    unreachable += listed;
    out(
      `  ${m.machine.padEnd(17)} ${String(m.taken).padStart(3)} / ${String(m.total - listed).padEnd(3)} (${pct(m.taken, m.total - listed).toFixed(1)}%)${listed ? `, ${listed} unreachable` : ''}${missed.length ? '; never taken:' : ''}`,
    );
    for (const line of wrap(
      missed.map((t) => `${t.source.split('.').slice(1).join('.') || t.source}: ${t.event}${t.guard ? ` [${t.guard}]` : ''}`),
      96,
    ))
      out(`      ${line}`);
  }
  out(`  ${'all machines'.padEnd(17)} ${String(taken).padStart(3)} / ${String(defined - unreachable).padEnd(3)} (${pct(taken, defined - unreachable).toFixed(1)}%)`);

  let lcTaken = 0;
  let lcDeclared = 0;
  let lcUnreachable = 0;
  out('Lifecycle transitions taken of those declared (spec/machines/master/lifecycles.ts, spec/machines/agent/lifecycle.ts)');
  for (const l of lifecycles.report()) {
    const missed = l.missed.filter((t) => !excused.has(t.id));
    const listed = l.missed.length - missed.length;
    lcTaken += l.taken;
    lcDeclared += l.total;
    lcUnreachable += listed;
    out(
      `  ${`${l.machine}: ${l.kind}`.padEnd(17)} ${String(l.taken).padStart(3)} / ${String(l.total - listed).padEnd(3)} (${pct(l.taken, l.total - listed).toFixed(1)}%)${listed ? `, ${listed} unreachable` : ''}${missed.length ? '; never taken:' : ''}`,
    );
    for (const line of wrap(
      missed.map((t) => `${t.from} -> ${t.to} on ${t.on}`),
      96,
    ))
      out(`      ${line}`);
  }
  out(
    `  ${'all lifecycles'.padEnd(17)} ${String(lcTaken).padStart(3)} / ${String(lcDeclared - lcUnreachable).padEnd(3)} (${pct(lcTaken, lcDeclared - lcUnreachable).toFixed(1)}%)`,
  );
  return { configs: rows, transitions: { taken, total: defined, unreachable }, lifecycles: { taken: lcTaken, total: lcDeclared, unreachable: lcUnreachable }, exit };
}

/** The union transition coverage in percent, listed unreachable transitions aside. */
const transitionPercent = (r: AllResult) => pct(r.transitions.taken, r.transitions.total - r.transitions.unreachable);

/** The union lifecycle transition coverage in percent, listed unreachable ones aside. */
const lifecyclePercent = (r: AllResult) => pct(r.lifecycles.taken, r.lifecycles.total - r.lifecycles.unreachable);

/**
 * The `--all` command: flags checked (exit 2 naming the flag), then every configuration, in a
 * child process under V8 coverage so the branches of spec/machines are counted too (the child
 * does the exploring and judges the transitions; this process judges the branches).
 */
export async function runVerifyAll(f: { minCoverage?: string; minLifecycleCoverage?: string; timeout?: string; branches?: boolean; configs?: string }): Promise<number> {
  const only = f.configs
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = (only ?? []).filter((name) => !configs[name]);
  if (unknown.length) {
    process.stderr.write(`mesos-ref verify: --configs: no named configuration ${unknown.join(', ')} (there are ${Object.keys(configs).join(', ')})\n`);
    return 2;
  }
  const min = f.minCoverage === undefined ? undefined : Number(f.minCoverage);
  if (min !== undefined && !(Number.isFinite(min) && min >= 0 && min <= 100)) {
    process.stderr.write(`mesos-ref verify: --min-coverage: expected a percentage from 0 to 100, got '${f.minCoverage}'\n`);
    return 2;
  }
  const minLifecycles = f.minLifecycleCoverage === undefined ? undefined : Number(f.minLifecycleCoverage);
  if (minLifecycles !== undefined && !(Number.isFinite(minLifecycles) && minLifecycles >= 0 && minLifecycles <= 100)) {
    process.stderr.write(`mesos-ref verify: --min-lifecycle-coverage: expected a percentage from 0 to 100, got '${f.minLifecycleCoverage}'\n`);
    return 2;
  }
  const timeout = f.timeout === undefined ? undefined : Number(f.timeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    process.stderr.write(`mesos-ref verify: --timeout: expected a positive integer, got '${f.timeout}'\n`);
    return 2;
  }
  if (f.branches !== false && !process.env[COVERAGE_CHILD]) {
    const { exit, branches } = await underCoverage();
    const got = pct(branches.covered, branches.total);
    process.stdout.write(`Branches of spec/machines (V8 coverage while checking, counted by c8): ${branches.covered} / ${branches.total} (${got.toFixed(1)}%)\n`);
    for (const b of branches.files)
      process.stdout.write(`  ${b.file.padEnd(44)} ${String(b.covered).padStart(4)} / ${String(b.total).padEnd(4)} (${pct(b.covered, b.total).toFixed(1)}%)\n`);
    if (exit !== 0) return exit;
    if (branches.total === 0) {
      process.stderr.write('mesos-ref verify: no branch of spec/machines was measured: coverage cannot be judged\n');
      return 2;
    }
    return belowMinimum('Branch coverage', got, min) ? 1 : 0;
  }
  const r = verifyAll((line) => process.stdout.write(line + '\n'), { ...(timeout ? { timeoutSeconds: timeout } : {}), ...(only ? { only } : {}) });
  if (r.exit !== 0) return r.exit;
  // Machine transitions (and branches, in the parent) meet --min-coverage; lifecycle transitions,
  // declared for every status change Mesos makes whether or not a configuration reaches it yet,
  // meet their own floor.
  const machinesBelow = belowMinimum('Transition coverage', transitionPercent(r), min);
  const lifecyclesBelow = belowMinimum('Lifecycle transition coverage', lifecyclePercent(r), minLifecycles, '--min-lifecycle-coverage');
  return machinesBelow || lifecyclesBelow ? 1 : 0;
}

function belowMinimum(what: string, got: number, min: number | undefined, flag = '--min-coverage'): boolean {
  if (min === undefined) return false;
  const below = got < min;
  process.stdout.write(`${what} ${got.toFixed(1)}% ${below ? 'is below' : 'meets'} ${flag} ${min}%\n`);
  return below;
}
