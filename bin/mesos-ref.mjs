#!/usr/bin/env node
// The CLI as compiled JavaScript (dist/, built by `npm run build`, which `npm ci` runs through
// `prepare`): no TypeScript compiler is loaded at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('mesos-ref: dist/cli/main.js is missing: run `npm run build` (npm ci runs it)');
  process.exit(2);
}
await import(main.href);
