/**
 * Quota benchmark on Mesos's `BENCHMARK_HierarchicalAllocator_WithNonQuotaVsQuotaParam
 * .NonQuotaVsQuota` shape (reference §11.2): R roles, 2 agents `cpus:2;mem:2048;disk:2048` and
 * 2 frameworks per role; one allocation cycle that hands out every agent, timed with quota off
 * and with quota on (each role guaranteed, and limited to, its two agents' worth), then the
 * ratio quota / no quota per size (the no-quota run is the baseline, in the same process).
 *
 *   node --import tsx bench/quota.ts              roles 10, 100, 1000
 *   BENCH_ROLES=10,100 BENCH_REPEATS=5 node --import tsx bench/quota.ts
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as A from '../spec/allocator/index.ts';
import { mustParseResources, scalarQuantities } from '../spec/resources/index.ts';

function cluster(roles: number, withQuota: boolean): A.AllocatorState {
  const agent = mustParseResources('cpus:2;mem:2048;disk:2048');
  const pad = (n: number) => String(n).padStart(5, '0');
  let s = A.emptyAllocator();
  for (let r = 0; r < roles; r++) {
    const role = `role${pad(r)}`;
    for (let f = 0; f < 2; f++) s = A.addFramework(s, { frameworkId: `${role}-fw${f}`, roles: [role] });
    if (withQuota) {
      const q = scalarQuantities(mustParseResources('cpus:4;mem:4096;disk:4096'));
      s = A.updateQuota(s, role, { guarantees: q, limits: q });
    }
  }
  for (let i = 0; i < roles * 2; i++) s = A.addAgent(s, { agentId: `agent-${pad(i)}`, resources: agent });
  return s;
}

/** Best of `repeats` cycles from the same state (ms) and the offers that cycle made. */
function cycle(state: A.AllocatorState, repeats: number): { ms: number; offers: number } {
  let best = Infinity;
  let offers = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const r = A.allocate(state);
    best = Math.min(best, performance.now() - t0);
    offers = r.offers.length;
  }
  return { ms: best, offers };
}

export async function main(): Promise<void> {
  const roles = (process.env.BENCH_ROLES ?? '10,100,1000').split(',').map(Number);
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  console.log(`allocator NonQuotaVsQuota benchmark (best of ${repeats} cycles per run)`);
  cycle(cluster(50, true), 3); // warm the JIT up
  for (const r of roles) {
    const plain = cycle(cluster(r, false), repeats);
    const quota = cycle(cluster(r, true), repeats);
    console.log(
      `  ${r} roles, ${2 * r} agents, ${2 * r} frameworks: no quota ${plain.ms.toFixed(2)} ms (${plain.offers} offers), quota ${quota.ms.toFixed(2)} ms (${quota.offers} offers): ${(quota.ms / plain.ms).toFixed(2)}x`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
