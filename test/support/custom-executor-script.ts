/**
 * The third-party executor the end-to-end tests run: examples/shell-executor.cjs (plain Node,
 * none of our modules), copied next to the test's cluster so its path has no surprises.
 */
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SHELL_EXECUTOR = resolve(import.meta.dirname, '../../examples/shell-executor.cjs');

/** Copies the executor program to `dir`; returns its path. */
export function writeCustomExecutor(dir: string): string {
  const path = join(dir, 'my-executor.cjs');
  copyFileSync(SHELL_EXECUTOR, path);
  return path;
}
