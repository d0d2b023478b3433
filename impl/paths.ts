/**
 * Where the package's own files are, found from the running module so that the same code works
 * from the TypeScript sources (impl/paths.ts) and from the bundles in dist/ (dist/cli/main.js,
 * dist/chunks/*.js), whose depth differs: the nearest directory above holding our package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mesos-ref') return dir;
    if (dirname(dir) === dir) throw new Error(`no mesos-ref package.json above ${from}`);
  }
}

/** The package root: the repository of a checkout, or the installed package's directory. */
export const REPO_ROOT = packageRoot(import.meta.dirname);

/** The checked-in JSON Schemas (`npm run schemas` writes them). */
export const DEFAULT_SCHEMA_DIR = join(REPO_ROOT, 'schemas');
export const MODEL_SCHEMA_SUBDIR = 'model';

/** Whether this code runs from the TypeScript sources (tests, tsx) or from the bundles in dist/. */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * The file URL of one of our modules that is loaded by path (a worker thread, a model the workers
 * build): `path` without extension, as in the sources; from dist/, its own bundle (build.mjs).
 */
export function ownModule(path: string): string {
  return pathToFileURL(FROM_SOURCE ? join(REPO_ROOT, `${path}.ts`) : join(REPO_ROOT, 'dist', `${path}.js`)).href;
}
