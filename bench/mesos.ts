/**
 * The Mesos model: exhaustive exploration of named configurations (states, time, states/s,
 * bytes/state, peak RSS), the reduction symmetry gives, and what memoising the XState step
 * buys (hit rate, and the cost of a memoised world transition against the XState step it
 * replaces, measured on the same transitions in the same process).
 *
 *   npm run bench -- mesos [default symmetric partition ...]
 *   npm run bench -- mesos all          every named configuration but large
 */
import { explore, type ExploreResult } from '../checker/index.ts';
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
  frameworks: ['a', 'b'].map((x) => ({ name: `fw-${x}`, partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: `${x}1`, resources: 'cpus:1;mem:128', outcome: 'finish' as const }] })),
  faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 },
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
};

const all: Record<string, MesosConfig> = { ...configs, symmetric };

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const mib = (b: number) => `${Math.round(b / 1048576)} MiB`;

function run(config: MesosConfig, symmetry: boolean): { r: ExploreResult; peak: number } {
  const world = mesosWorld(config);
  let peak = process.memoryUsage().rss;
  const r = explore(mesosModel(world), { symmetry, timeoutMs: 300_000, progress: (p) => (peak = Math.max(peak, p.rssBytes)) });
  return { r, peak: Math.max(peak, process.memoryUsage().rss) };
}

function line(name: string, r: ExploreResult, peak: number): string {
  return `${name.padEnd(32)} ${n(r.states).padStart(11)} states ${(r.elapsedMs / 1000).toFixed(1).padStart(6)} s ${n(r.statesPerSecond).padStart(8)} states/s ${r.table.bytesPerState.toFixed(1).padStart(5)} B/state  peak RSS ${mib(peak).padStart(8)}  ${r.outcome}${r.complete ? '' : ` (stopped: ${r.stoppedBy})`}`;
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
  const names = args[0] === 'all' ? Object.keys(configs).filter((x) => x !== 'large') : args.length ? args : ['default', 'two-frameworks', 'symmetric'];
  console.log('Mesos model, exhaustive BFS, one core');
  for (const name of names) {
    const config = all[name];
    if (!config) {
      console.log(`unknown configuration ${name} (known: ${Object.keys(all).join(', ')})`);
      continue;
    }
    const plain = run(config, false);
    console.log(line(name, plain.r, plain.peak));
    if (mesosWorld(config).system.hasSymmetry) {
      const reduced = run(config, true);
      console.log(line(`${name} with symmetry`, reduced.r, reduced.peak));
      console.log(`  symmetry: ${(plain.r.states / reduced.r.states).toFixed(2)}x fewer states, verdicts ${plain.r.outcome === reduced.r.outcome ? 'identical' : 'DIFFERENT'}`);
    }
  }
  for (const line of memoisation(configs.default!)) console.log(line);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
