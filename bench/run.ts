/**
 * `npm run bench`: every benchmark in bench/ (each `bench/<name>.ts` exporting
 * `async function main(args?: string[])`), one after another, a header before each.
 *
 *   npm run bench                              all of them
 *   npm run bench -- mesos-lite                only bench/mesos-lite.ts
 *   npm run bench -- mesos-lite --large        arguments that are not benchmark names go to
 *                                              the named benchmarks' main()
 *
 * Benchmarks print plain text lines (figures a README can quote); nothing here is asserted.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Main = (args?: string[]) => Promise<unknown>;

const dir = import.meta.dirname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .map((f) => basename(f, '.ts'))
  .sort();

const argv = process.argv.slice(2);
const names = argv.filter((a) => available.includes(a));
const rest = argv.filter((a) => !available.includes(a));
const selected = names.length > 0 ? names : available;
if (names.length === 0 && rest.length > 0) {
  const unknown = rest.find((a) => !a.startsWith('-'));
  console.error(
    unknown !== undefined
      ? `unknown benchmark ${unknown}; benchmarks: ${available.join(', ')}`
      : `name the benchmark ${rest.join(' ')} is for; benchmarks: ${available.join(', ')}`,
  );
  process.exit(2);
}

const machine = `node ${process.version}, ${process.platform}/${process.arch}`;
let failed = 0;
for (const name of selected) {
  const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as { main?: Main };
  console.log(`\n== bench/${name}.ts (${machine}, ${new Date().toISOString()})`);
  if (typeof mod.main !== 'function') {
    console.log(`bench/${name}.ts exports no main(); skipped`);
    continue;
  }
  const started = performance.now();
  try {
    await mod.main(rest);
  } catch (e) {
    failed++;
    console.log(`bench/${name}.ts failed: ${(e as Error).stack ?? e}`);
  }
  console.log(`== ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
process.exitCode = failed > 0 ? 1 : 0;
