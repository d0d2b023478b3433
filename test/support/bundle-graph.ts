/**
 * What a bundle in dist/ loads, read from esbuild's output: starting at one file, every chunk it
 * imports (statically, or dynamically when `dynamic` is set), the source modules they contain
 * (esbuild writes a `// path/to/module.ts` line before each one) and the npm packages they
 * import. `only` picks which of the entry's own dynamic imports to follow (one command of the
 * CLI's table). Used to check that a command loads only what it uses.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface Loaded {
  readonly files: string[];
  readonly modules: string[];
  readonly packages: string[];
}

// ES module imports, and the CommonJS bundles' (the executors') requires.
const IMPORT = /(?:^import\s[^'"]*?|^export\s[^'"]*?from\s*|import\(|(?<![\w$.])require\()\s*"([^"]+)"/gm;

export function loadedBy(entry: string, options: { dynamic: boolean; only?: (specifier: string) => boolean }): Loaded {
  const files = new Set<string>();
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string, top: boolean) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\/\/ ((?:[\w.-]+\/)*[\w.-]+\.ts)$/gm)) modules.add(m[1]!);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1]!;
      const dynamic = m[0].startsWith('import(');
      if (dynamic && !(top && options.only ? options.only(spec) : options.dynamic)) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec), false);
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry, true);
  return { files: [...files], modules: [...modules].sort(), packages: [...packages].sort() };
}
