/**
 * Where the package's own files are, found from the running module so that the same code works
 * from the TypeScript sources (impl/paths.ts) and from the bundles in dist/ (dist/cli/main.js,
 * dist/chunks/*.js), whose depth differs: the nearest directory above holding our package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
