/**
 * The test runner: every `*.test.ts` under test/ and properties/, run with uvu in one process.
 * uvu's own summary is not what CI reads, so the last line is ours: `N passed, N failed`.
 *
 *   npm test                 all tests
 *   npm test -- checker      only files whose path contains "checker"
 *   FC_SEED=42 FC_RUNS=1000 npm test -- properties    longer, reproducible property runs
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';

const root = resolve(import.meta.dirname, '..');
const filters = process.argv.slice(2);

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = ['test', 'properties']
  .flatMap((d) => findTests(join(root, d)))
  .filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)));

// Fixed seeds in CI; FC_SEED / FC_RUNS override for longer or different runs.
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261127;
const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;
fc.configureGlobal({ seed, ...(numRuns ? { numRuns } : {}) });

type Result = [errors: string | true, passed: number, skipped: number, total: number];
type Queue = Array<Array<string | null | (() => Promise<Result>)>>;
const g = globalThis as unknown as { UVU_DEFER: number; UVU_QUEUE: Queue; UVU_INDEX: number };
g.UVU_DEFER = 1;
g.UVU_QUEUE = [];

for (const [index, file] of files.entries()) {
  g.UVU_QUEUE.push([relative(root, file)]);
  g.UVU_INDEX = index;
  await import(pathToFileURL(file).href);
}

let passed = 0;
let failed = 0;
for (const group of g.UVU_QUEUE) {
  for (let i = 1; i < group.length; i++) {
    const run = group[i] as () => Promise<Result>;
    group[i] = async () => {
      const result = await run();
      passed += result[1];
      failed += result[3] - result[1];
      return result;
    };
  }
}

const { exec } = await import('uvu');
await exec();
console.log(`fast-check seed ${seed}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
// Servers or timers a failing test left behind must not keep CI waiting.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
