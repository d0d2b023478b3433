/**
 * Branch coverage of spec/machines, as V8 measures it while the checker explores (DESIGN.md
 * section 5: the proved configurations must reach nearly every branch of the machines). The
 * exploration runs in a child process with NODE_V8_COVERAGE set; c8 maps what V8 recorded
 * back to the TypeScript sources (tsx's source maps) and counts branches as istanbul does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import c8 from 'c8';
import { REPO_ROOT } from '../impl/paths.ts';

/** Set in the child that explores under V8 coverage, so it does not measure itself again. */
export const COVERAGE_CHILD = 'MESOS_REF_COVERAGE_CHILD';

export interface BranchCoverage {
  readonly covered: number;
  readonly total: number;
  readonly files: readonly { file: string; covered: number; total: number }[];
}

/** Runs this very command again under V8 coverage; its exit code and the branches of spec/machines. */
export async function underCoverage(): Promise<{ exit: number; branches: BranchCoverage }> {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-v8-'));
  try {
    // From the TypeScript sources (through tsx), whatever started this process: V8 then counts
    // spec/machines/*.ts, where a bundled CLI would count its chunks.
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli/main.ts'), ...process.argv.slice(2)], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_V8_COVERAGE: dir, [COVERAGE_CHILD]: '1' },
    });
    const exit = child.status ?? 1;
    return { exit, branches: await branchesIn(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function branchesIn(dir: string): Promise<BranchCoverage> {
  // c8 matches `include` against paths relative to the working directory: from anywhere but the
  // repository it would count no file at all (measured: 0 of 0 branches from /tmp).
  const cwd = process.cwd();
  process.chdir(REPO_ROOT);
  try {
    return await countBranches(dir);
  } finally {
    process.chdir(cwd);
  }
}

async function countBranches(dir: string): Promise<BranchCoverage> {
  // getCoverageMapFromAllCoverageFiles is public in c8's JavaScript, absent from its typings.
  const report: { getCoverageMapFromAllCoverageFiles(): Promise<any> } = new c8.Report({
    include: ['spec/machines/**'],
    exclude: [],
    reporter: [],
    tempDirectory: dir,
    reportsDirectory: dir,
    excludeNodeModules: true,
    src: [REPO_ROOT],
    resolve: '',
    omitRelative: true,
    allowExternal: false,
  }) as never;
  const map = await report.getCoverageMapFromAllCoverageFiles();
  const files = map
    .files()
    .sort()
    .map((file: string) => {
      const b = map.fileCoverageFor(file).toSummary().branches;
      return { file: file.slice(REPO_ROOT.length + 1), covered: b.covered as number, total: b.total as number };
    });
  return { covered: files.reduce((s: number, f: { covered: number }) => s + f.covered, 0), total: files.reduce((s: number, f: { total: number }) => s + f.total, 0), files };
}
