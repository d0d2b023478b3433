#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` runs it): the CLI as JavaScript in dist/, so
 * `mesos-ref` starts without a TypeScript compiler. esbuild bundles of our own code (npm
 * packages stay imports, resolved from node_modules at run time):
 *
 *   dist/cli/main.js       the CLI; each command is a dynamic import, split into its own chunks
 *                          (dist/chunks/), so `mesos-ref agent` never loads the checker
 *   dist/cli/executor.cjs  the command executor on its own, one CommonJS file with its packages
 *                          inside: the agent starts one per task, and its start time is the floor
 *                          of a command task's latency (CommonJS because Node loads one file of
 *                          it about 6 ms of CPU faster than the same as an ES module, whose
 *                          loader does more per module: bench/README's start-up figures)
 *   dist/cli/default-executor.cjs  the default executor (task groups), bundled the same way
 *   dist/checker/parallel-worker.js, dist/model/mesos-model.js
 *                          what `verify --workers N` loads by path in each worker thread
 *   dist/ui/               the browser pages (ui/): the master's web UI at `/` and `mesos-ref
 *                          explore`'s page, each one minified script with Preact inside, its HTML;
 *                          one stylesheet: served from the package, nothing from a network
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const outdir = join(root, 'dist');
rmSync(outdir, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outbase: '.',
  outdir,
  logLevel: 'warning',
  legalComments: 'none',
};
// The executors bundle their packages (xstate) into one CommonJS file each: the sources' few uses
// of import.meta (impl/paths.ts, the entry's am-I-the-main-module check) read the file's own path.
const selfContained = {
  packages: undefined,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__importMetaUrl' },
  // Strict, as the ES modules it is built from were ("use strict" must come first to count).
  banner: { js: "'use strict';\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await Promise.all([
  build({ ...common, entryPoints: ['cli/main.ts'], splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
  // xstate inside, and no ES module loader at run time.
  build({ ...common, ...selfContained, entryPoints: ['cli/executor.ts', 'cli/default-executor.ts'] }),
  // Loaded by path in worker threads (verify --workers): the worker and the model it builds.
  build({ ...common, entryPoints: ['checker/parallel-worker.ts', 'model/mesos-model.ts'] }),
  // The pages: Preact (JSX) bundled and minified for the browser, one file per page.
  build({
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryPoints: { cluster: 'ui/cluster/main.tsx', explorer: 'ui/explorer/main.tsx' },
    outdir: join(outdir, 'ui'),
    logLevel: 'warning',
    legalComments: 'none',
  }),
]);
mkdirSync(join(outdir, 'ui'), { recursive: true });
// One page shell for both apps: the title and the script differ.
const page = readFileSync(join(root, 'ui', 'static', 'page.html'), 'utf8');
for (const [app, title] of [['cluster', 'master'], ['explorer', 'explore']]) {
  writeFileSync(join(outdir, 'ui', `${app}.html`), page.replace('{{title}}', title).replace('{{app}}', app));
}
copyFileSync(join(root, 'ui', 'static', 'ui.css'), join(outdir, 'ui', 'ui.css'));
