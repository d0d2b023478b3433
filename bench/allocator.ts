/**
 * Allocator benchmark on Mesos's `HierarchicalAllocator_BENCHMARK_Test.DeclineOffers` shape
 * (reference §11.2): agents `cpus:24;mem:4096;disk:4096;ports:[31000-32000]`, each with
 * `cpus:16;mem:2014;disk:1024` and 16 ports already used by one framework (round-robin), all
 * frameworks in role `*`, and every offer declined with refuse_seconds = INT_MAX (a 365-day
 * filter) before the next cycle. Mesos loops 2×frameworks rounds; we time the first few.
 *
 * Prints, per size, the setup time, then per round the time of the declines (one
 * `recoverResources` per offer, as Mesos's benchmark calls it) and of one `allocate()` cycle,
 * and the ratio of each size's cycle time to the first size's (the baseline measured in the
 * same run).
 *
 *   node --import tsx bench/allocator.ts                 all sizes, 3 rounds
 *   BENCH_ROUNDS=5 BENCH_SIZES=1000x100,10000x1000 node --import tsx bench/allocator.ts
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as A from '../spec/allocator/index.ts';
import { add, mustParseResources, resources, setAllocationRole, type Resources } from '../spec/resources/index.ts';

interface Size {
  agents: number;
  frameworks: number;
}

const DEFAULT_SIZES: Size[] = [
  { agents: 1000, frameworks: 100 },
  { agents: 1000, frameworks: 1000 },
  { agents: 10000, frameworks: 100 },
  { agents: 10000, frameworks: 1000 },
];

const INT_MAX = 2147483647;

function parseSizes(text: string | undefined): Size[] {
  if (!text) return DEFAULT_SIZES;
  return text.split(',').map((s) => {
    const [a, f] = s.split('x').map(Number);
    return { agents: a!, frameworks: f! };
  });
}

/** 16 single ports spread over [31000, 32000], like Mesos's `fragment(createRange(31000, 32000), 16)`. */
function usedResources(): Resources {
  const ports = resources([{ name: 'ports', ranges: Array.from({ length: 16 }, (_, i) => [31000 + i * 62, 31000 + i * 62] as const) }]);
  return add(mustParseResources('cpus:16;mem:2014;disk:1024'), ports);
}

const ms = (t: number) => `${t.toFixed(1)} ms`;

interface SizeResult {
  size: Size;
  setupMs: number;
  cycles: Array<{ round: number; allocateMs: number; declineMs: number; offers: number; declined: number }>;
}

function runSize(size: Size, rounds: number): SizeResult {
  const agentResources = mustParseResources('cpus:24;mem:4096;disk:4096;ports:[31000-32000]');
  const used = usedResources();
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const frameworkIds = Array.from({ length: size.frameworks }, (_, i) => `framework-${pad(i, 5)}`);

  const t0 = performance.now();
  let state = A.emptyAllocator();
  for (const id of frameworkIds) state = A.addFramework(state, { frameworkId: id, roles: ['*'] });
  for (let i = 0; i < size.agents; i++) {
    state = A.addAgent(state, {
      agentId: `0b1e7d60-dfbc-44c9-8222-48b57eca8637-S${i}`,
      resources: agentResources,
      used: [{ frameworkId: frameworkIds[i % size.frameworks]!, role: '*', resources: setAllocationRole(used, '*') }],
    });
  }
  const setupMs = performance.now() - t0;

  const cycles: SizeResult['cycles'] = [];
  let offers: readonly A.Offer[] = [];
  let declined = 0;
  let filterId = 0;
  for (let round = 0; round < rounds; round++) {
    const d0 = performance.now();
    for (const o of offers) {
      state = A.recoverResources(state, {
        frameworkId: o.frameworkId,
        agentId: o.agentId,
        role: o.role,
        resources: o.resources,
        filter: { id: `o${filterId++}`, refuseSeconds: INT_MAX },
      });
    }
    const declineMs = performance.now() - d0;
    declined += offers.length;
    const a0 = performance.now();
    const result = A.allocate(state);
    const allocateMs = performance.now() - a0;
    state = result.state;
    offers = result.offers;
    cycles.push({ round, allocateMs, declineMs, offers: offers.length, declined });
  }
  return { size, setupMs, cycles };
}

export async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const sizes = parseSizes(process.env.BENCH_SIZES);
  console.log(`allocator DeclineOffers benchmark (${rounds} rounds per size)`);
  // Warm the JIT up so that the first (baseline) size is not charged for compilation.
  runSize({ agents: 500, frameworks: 50 }, 3);
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const result = runSize(size, rounds);
    results.push(result);
    console.log(`Using ${size.agents} agents and ${size.frameworks} frameworks: setup (add frameworks and agents) took ${ms(result.setupMs)}`);
    for (const c of result.cycles) {
      console.log(
        `  round ${c.round} allocate() took ${ms(c.allocateMs)} to make ${c.offers} offers after filtering ${c.declined} offers` +
          ` (declining the previous round's offers took ${ms(c.declineMs)})`,
      );
    }
  }
  const base = results[0]!;
  const baseCycle = base.cycles.reduce((s, c) => s + c.allocateMs, 0) / base.cycles.length;
  console.log(`\nmean allocate() per cycle, relative to ${base.size.agents}x${base.size.frameworks} (baseline ${ms(baseCycle)}):`);
  for (const r of results) {
    const mean = r.cycles.reduce((s, c) => s + c.allocateMs, 0) / r.cycles.length;
    const work = (r.size.agents / base.size.agents).toFixed(0);
    console.log(`  ${r.size.agents} agents x ${r.size.frameworks} frameworks: ${ms(mean)} per cycle, ${(mean / baseCycle).toFixed(2)}x baseline (${work}x the agents)`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
