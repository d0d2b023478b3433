/**
 * The figures of an earlier commit, measured in the same run: a benchmark compares today's code
 * with the commit before a change by running the same measurement on a checkout of that commit
 * (`git archive` into a temporary directory sharing this tree's node_modules), so the old path
 * stays callable without keeping dead code in the tree, and both sides run on the same machine
 * under the same load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * This tree's node_modules, resolved: a worktree's node_modules is often a link to the main
 * checkout's, and a checkout kept in the temporary directory must not depend on the worktree
 * that made it (removed, it left the link dangling and the baseline child without tsx).
 */
const nodeModules = (): string => realpathSync(join(ROOT, 'node_modules'));

/** A checkout of `commit` (kept between runs), or why there is none (not a git tree, unknown commit). */
export function checkout(commit: string): { dir: string } | { problem: string } {
  const dir = join(tmpdir(), `mesos-ref-baseline-${commit}`);
  if (existsSync(join(dir, 'package.json'))) {
    // A checkout kept from an earlier run may link a node_modules that is gone since.
    if (!existsSync(join(dir, 'node_modules', 'tsx'))) {
      rmSync(join(dir, 'node_modules'), { force: true });
      symlinkSync(nodeModules(), join(dir, 'node_modules'));
    }
    return { dir };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('sh', ['-c', `git -C "${ROOT}" archive ${commit} | tar -x -C "${dir}"`], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(join(dir, 'package.json'))) {
    rmSync(dir, { recursive: true, force: true });
    return { problem: `no checkout of ${commit}: ${r.stderr.trim() || 'git archive failed'}` };
  }
  symlinkSync(nodeModules(), join(dir, 'node_modules'));
  return { dir };
}

/**
 * Runs `source` (a TypeScript module, written into the checkout, importing the old code by paths
 * relative to the checkout's root) in a child process there; returns its last stdout line.
 */
export function runIn(dir: string, name: string, source: string, args: readonly string[] = []): string {
  const file = join(dir, `${name}.bench-child.ts`);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`baseline ${name} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}
