/**
 * The CLI starts from compiled JavaScript and loads only what a command uses: `--help` and
 * `--version` load no command, `mesos-ref agent` and the executor never load the checker or a
 * TypeScript compiler, and the top-level help's descriptions are the commands' own. Reads the
 * bundles `npm test` builds first (dist/).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { COMMANDS } from '../../cli/commands.ts';
import { loadedBy } from '../support/bundle-graph.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const bin = join(ROOT, 'bin', 'mesos-ref.mjs');
const main = join(ROOT, 'dist', 'cli', 'main.js');
const DEV_ONLY = ['typescript', 'typescript-json-schema', 'tsx', 'fast-check', 'esbuild', 'uvu'];

/** The source modules and packages `mesos-ref <name>` loads (its chunk and everything it imports). */
function command(name: string) {
  return loadedBy(main, { dynamic: true, only: (spec) => spec.includes(`/${name}-`) });
}
const heavy = (modules: string[]) => modules.filter((m) => m.startsWith('checker/') || m.startsWith('model/') || m === 'impl/schemas.ts');

test('--help and --version load commander and nothing else', () => {
  const top = loadedBy(main, { dynamic: false });
  assert.equal(top.packages, ['commander']);
  assert.equal(top.modules, ['cli/commands.ts', 'cli/main.ts']);
  const v = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.is(v.status, 0, v.stderr);
  assert.is(v.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  const h = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  assert.is(h.status, 0, h.stderr);
  for (const c of COMMANDS) assert.match(h.stdout, c.name);
});

test('the agent, master, cluster and run commands and the executor load no checker and no development package', () => {
  for (const name of ['agent', 'master', 'cluster', 'run', 'executor']) {
    const loaded = command(name);
    assert.ok(loaded.modules.includes(`cli/${name}.ts`), `${name}: ${loaded.modules.join(', ')}`);
    assert.equal(heavy(loaded.modules), [], name);
    assert.equal(
      loaded.packages.filter((p) => DEV_ONLY.includes(p)),
      [],
      name,
    );
  }
  const executor = loadedBy(join(ROOT, 'dist', 'cli', 'executor.cjs'), { dynamic: true });
  assert.equal(executor.files.length, 1, 'the executor is one file');
  assert.equal(heavy(executor.modules), []);
  assert.equal(executor.packages, [], 'the executor bundles its packages');
});

test('every runtime import of the bundles is a dependency of package.json', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const all = new Set([...loadedBy(main, { dynamic: true }).packages, ...loadedBy(join(ROOT, 'dist', 'cli', 'executor.cjs'), { dynamic: true }).packages]);
  // `schemas` is a development command: it says so when typescript-json-schema is missing.
  all.delete('typescript-json-schema');
  // So is `mutate`: it mutates and typechecks the sources, which the package does not ship.
  all.delete('typescript');
  for (const p of all) assert.ok(p in pkg.dependencies, `${p} is imported at run time but is not a dependency`);
});

test('the check sees a command that loads the checker (a seeded bundle)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-bundle-'));
  mkdirSync(join(dir, 'cli'));
  mkdirSync(join(dir, 'chunks'));
  writeFileSync(join(dir, 'cli', 'main.js'), '// cli/main.ts\nimport { Command } from "commander";\nconst load = () => import("../chunks/agent-X.js");\n');
  writeFileSync(join(dir, 'chunks', 'agent-X.js'), 'import "./chunk-Y.js";\n// cli/agent.ts\n');
  writeFileSync(join(dir, 'chunks', 'chunk-Y.js'), '// checker/explore.ts\nimport ts from "typescript";\n');
  const loaded = loadedBy(join(dir, 'cli', 'main.js'), { dynamic: true, only: (s) => s.includes('/agent-') });
  assert.equal(heavy(loaded.modules), ['checker/explore.ts']);
  assert.equal(loaded.packages, ['commander', 'typescript']);
  assert.equal(loadedBy(join(dir, 'cli', 'main.js'), { dynamic: false }).modules, ['cli/main.ts']);
});

test("the top-level help's descriptions are the ones each command registers", async () => {
  for (const c of COMMANDS) {
    if (c.name === 'schemas') continue; // loads typescript-json-schema; its description is checked below from the source
    const program = new Command();
    (await c.load())(program);
    const registered = program.commands.find((x) => x.name() === c.name);
    assert.ok(registered, c.name);
    assert.is(registered!.description(), c.description, c.name);
  }
  const schemas = readFileSync(join(ROOT, 'cli', 'schemas.ts'), 'utf8');
  assert.ok(schemas.includes(`.description('${COMMANDS.find((c) => c.name === 'schemas')!.description}')`));
});

test.run();
