/**
 * The Mesos model: exhaustive exploration of named configurations (states, time, states/s,
 * bytes/state, peak RSS) against the same runs on the baseline commit's code (bench/baseline.ts),
 * the reduction symmetry gives, and what memoising the XState step
 * buys (hit rate, and the cost of a memoised world transition against the XState step it
 * replaces, measured on the same transitions in the same process).
 *
 *   npm run bench -- mesos [default symmetric partition ...] [--no-baseline] [--rounds=N]
 *   npm run bench -- mesos all          every named configuration but large
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { explore, type ExploreResult } from '../checker/index.ts';
import { exploreParallel } from '../checker/parallel.ts';
import { checkout, runIn } from './baseline.ts';
import { mesosModel } from '../model/mesos-model.ts';
import { step } from '../spec/step.ts';
import { configs } from '../model/configs.ts';
import type { MesosConfig } from '../spec/world/config.ts';
import { mesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, decodeAction } from '../spec/world/system.ts';

/** Two interchangeable agents and two interchangeable frameworks, one task each. */
const symmetric: MesosConfig = {
  name: 'symmetric',
  description: 'two equal agents, two frameworks equal but for names, one task each',
  agents: [{ resources: 'cpus:1;mem:256', count: 2 }],
  frameworks: ['a', 'b'].map((x) => ({
    name: `fw-${x}`,
    partitionAware: true,
    checkpoint: true,
    failoverTimeoutSeconds: 60,
    tasks: [{ id: `${x}1`, resources: 'cpus:1;mem:128', outcome: 'finish' as const }],
  })),
  faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 },
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
};

const all: Record<string, MesosConfig> = { ...configs, symmetric };

/** Main's head before the fourth round of work on the Mesos world's cost per state (issue 11): its figures are the baseline. */
const BASELINE = '8f0e3bf76f4e926d8fd7d4a1eb80dd8037655394';

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}x`;

/** How a run explores: today's options (the baseline knows only symmetry). */
interface Variant {
  symmetry?: boolean;
  workers?: number;
  por?: boolean;
}

interface Figures {
  states: number;
  transitions: number;
  ms: number;
  /** CPU time of the exploration (all threads of the process): steadier than wall time on a shared machine. */
  cpuMs: number;
  statesPerSecond: number;
  bytesPerState: number;
  peakRssMiB: number;
  outcome: string;
  complete: boolean;
  stoppedBy: string;
  verdicts: string;
}

/** In the child process: one exploration, its figures as one JSON line. */
async function measure(config: MesosConfig, v: Variant): Promise<Figures> {
  const cpu = process.cpuUsage();
  const options = { symmetry: v.symmetry === true, por: v.por === true, timeoutMs: 300_000 };
  const r =
    (v.workers ?? 1) > 1
      ? await exploreParallel({ module: new URL('../model/mesos-model.ts', import.meta.url).href, export: 'mesosModelOf', args: [config] }, { ...options, workers: v.workers! })
      : explore(mesosModel(mesosWorld(config)), options);
  const used = process.cpuUsage(cpu);
  return figures(r, (used.user + used.system) / 1000);
}

function figures(r: ExploreResult, cpuMs: number): Figures {
  return {
    cpuMs,
    states: r.states,
    transitions: r.transitions,
    ms: r.elapsedMs,
    statesPerSecond: r.statesPerSecond,
    bytesPerState: r.table.bytesPerState,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    outcome: r.outcome,
    complete: r.complete,
    stoppedBy: r.stoppedBy,
    verdicts: r.verdicts.map((x) => `${x.name}:${x.status}`).join(','),
  };
}

/** Today's code, in a child process of its own (so its peak RSS is its own). */
function today(config: MesosConfig, v: Variant): Figures {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(config), JSON.stringify(v)], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`mesos bench ${config.name} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures;
}

/** The same measurement on the baseline commit's code. */
const BASELINE_CHILD = `
import { explore } from './checker/index.ts';
import { mesosModel } from './model/mesos-model.ts';
import { mesosWorld } from './spec/world/mesos.ts';
const [config, v] = process.argv.slice(2).map((x) => JSON.parse(x));
const cpu = process.cpuUsage();
const r = explore(mesosModel(mesosWorld(config)), { symmetry: v.symmetry === true, timeoutMs: 300_000 });
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, states: r.states, transitions: r.transitions, ms: r.elapsedMs, statesPerSecond: r.statesPerSecond, bytesPerState: r.table.bytesPerState,
  peakRssMiB: process.resourceUsage().maxRSS / 1024, outcome: r.outcome, complete: r.complete, stoppedBy: r.stoppedBy, verdicts: r.verdicts.map((x) => x.name + ':' + x.status).join(',') }));
`;

function baseline(dir: string, config: MesosConfig, v: Variant): Figures {
  return JSON.parse(runIn(dir, 'mesos', BASELINE_CHILD, [JSON.stringify(config), JSON.stringify({ symmetry: v.symmetry === true })])) as Figures;
}

/** The faster of two runs of the same thing. */
const best = (a: Figures | undefined, b: Figures): Figures => (a === undefined || b.ms < a.ms ? b : a);

function line(name: string, r: Figures): string {
  return `  ${name.padEnd(30)} ${n(r.states).padStart(11)} states ${(r.ms / 1000).toFixed(1).padStart(6)} s ${n(r.statesPerSecond).padStart(8)} states/s ${n((r.states * 1000) / r.cpuMs).padStart(8)} per CPU-s ${r.bytesPerState.toFixed(1).padStart(5)} B/state  peak RSS ${n(r.peakRssMiB).padStart(5)} MiB  ${r.outcome}${r.complete ? '' : ` (stopped: ${r.stoppedBy})`}`;
}

/** Memoisation: replay a sample of explored transitions with the memo warm, then the XState steps they stand for. */
function memoisation(config: MesosConfig): string[] {
  const world = mesosWorld(config);
  const sys = world.system;
  const sample: { s: Int32Array; a: number }[] = [];
  let seen = 0;
  explore(mesosModel(world), {
    onTransition: (s, a) => {
      if (sample.length < 50_000 && (seen++ & 7) === 0) sample.push({ s: s.slice(), a });
    },
  });
  const lookups = sys.stats.steps;
  const calls = sys.stats.xstateCalls;
  // Only deliveries, timers and environment events step a machine.
  const stepping = sample.filter(({ a }) => decodeAction(a).kind <= ActionKind.Environment);
  const out = new Int32Array(sys.width);
  const repeat = 20;
  let t = performance.now();
  for (let k = 0; k < repeat; k++) for (const { s, a } of stepping) sys.next(s, a, out);
  const memoUs = ((performance.now() - t) * 1000) / (repeat * stepping.length);
  // The same transitions' machine steps through XState, which the memo avoids.
  const jobs = stepping.flatMap(({ s, a }) => {
    const info = sys.describe(s, a);
    const comp = info.component!;
    const local = sys.localOf(s, comp);
    if (!local || !info.event) return [];
    return [{ machine: sys.components[sys.comp(comp)]!.machine, local, event: info.event }];
  });
  t = performance.now();
  for (const j of jobs) {
    try {
      step(j.machine, j.local, j.event);
    } catch {
      // A timer's event on a state that left it: not part of the comparison.
    }
  }
  const xstateUs = ((performance.now() - t) * 1000) / jobs.length;
  return [
    `memoisation on ${config.name}: ${n(lookups)} world steps asked for, ${n(calls)} ran XState (hit rate ${((1 - calls / lookups) * 100).toFixed(2)}%)`,
    `  a memoised world transition ${memoUs.toFixed(2)} us; the XState step it replaces ${xstateUs.toFixed(1)} us (${(xstateUs / memoUs).toFixed(0)}x), over ${n(stepping.length)} sampled transitions`,
  ];
}

export async function main(args: string[] = []): Promise<void> {
  const flags = args.filter((a) => a.startsWith('--'));
  for (const f of flags) if (f !== '--no-baseline' && !/^--rounds=\d+$/.test(f)) throw new Error(`mesos bench: unknown flag ${f} (flags: --no-baseline, --rounds=N)`);
  const rounds = Number(flags.find((f) => f.startsWith('--rounds='))?.slice(9) ?? 2);
  const given = args.filter((a) => !a.startsWith('--'));
  const names = given[0] === 'all' ? Object.keys(configs).filter((x) => x !== 'large') : given.length ? given : ['default', 'two-frameworks', 'master-failover', 'symmetric'];
  const base = flags.includes('--no-baseline') ? { problem: 'baseline skipped (--no-baseline)' } : checkout(BASELINE);
  console.log(
    `Mesos model, exhaustive BFS (one core unless it says workers); every run a child process; baseline: commit ${BASELINE.slice(0, 7)} (${'dir' in base ? 'measured now, same machine' : base.problem})`,
  );
  for (const name of names) {
    const config = all[name];
    if (!config) {
      console.log(`unknown configuration ${name} (known: ${Object.keys(all).join(', ')})`);
      continue;
    }
    console.log(`${name}:`);
    const variants: [string, Variant][] = [['one worker', {}]];
    if (mesosWorld(config).system.hasSymmetry) variants.push(['one worker, symmetry', { symmetry: true }]);
    variants.push(['one worker, por', { por: true }]);
    variants.push(['two workers', { workers: 2 }]);
    let plain: Figures | undefined;
    for (const [label, v] of variants) {
      // Alternated, best of `rounds` each: the machine is shared, and load comes and goes.
      let old: Figures | undefined;
      let now: Figures | undefined;
      for (let k = 0; k < rounds; k++) {
        if ('dir' in base && !v.workers && !v.por) old = best(old, baseline(base.dir, config, v));
        now = best(now, today(config, v));
      }
      if (old) console.log(line(`${label}, baseline ${BASELINE.slice(0, 7)}`, old));
      console.log(line(label, now!));
      if (old) {
        const same = old.states === now!.states && old.verdicts === now!.verdicts;
        console.log(
          `    against the baseline: states/s ${ratio(now!.statesPerSecond, old.statesPerSecond)} (per CPU-s ${ratio(old.cpuMs, now!.cpuMs)}), B/state ${ratio(now!.bytesPerState, old.bytesPerState)}; states and verdicts ${same ? 'identical' : 'DIFFERENT'}`,
        );
      }
      if (v.workers && plain)
        console.log(
          `    two workers against one: states/s ${ratio(now!.statesPerSecond, plain.statesPerSecond)} (CPU time ${ratio(now!.cpuMs, plain.cpuMs)}); states and verdicts ${plain.states === now!.states && plain.verdicts === now!.verdicts ? 'identical' : 'DIFFERENT'}`,
        );
      if (v.symmetry && plain)
        console.log(`    symmetry: ${ratio(plain.states, now!.states)} fewer states, verdicts ${plain.verdicts === now!.verdicts ? 'identical' : 'DIFFERENT'}`);
      if (v.por && plain)
        console.log(
          `    partial-order reduction: ${n(now!.states)} states with, ${n(plain.states)} without (${ratio(plain.states, now!.states)} fewer), verdicts ${plain.verdicts === now!.verdicts ? 'identical' : 'DIFFERENT'}`,
        );
      if (!v.symmetry && !v.workers && !v.por) plain = now;
    }
  }
  for (const line of memoisation(configs.default!)) console.log(line);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') console.log(JSON.stringify(await measure(JSON.parse(args[1]!) as MesosConfig, JSON.parse(args[2]!) as Variant)));
  else await main(args);
}
