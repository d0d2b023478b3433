/**
 * Where mutants run: a temporary copy of the parts of the tree `mesos-ref verify` needs, with
 * node_modules linked, never the working tree. One file is replaced for a mutant and restored
 * after it; the copy is removed when the run ends (also on Ctrl-C).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** What `cli/main.ts verify` loads from the sources (tests, bench, docs and the build stay behind). */
const PARTS = ['bin', 'checker', 'cli', 'conformance', 'impl', 'invariants', 'model', 'schemas', 'spec', 'package.json', 'tsconfig.json'];

const live = new Set<string>();
const running = new Set<ChildProcess>();
/** Children first (a verify still writing in a copy would make its removal fail), then the copies. */
const cleanAll = () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Reported by the next run's leftovers check; never let one copy keep the others.
    }
  }
  live.clear();
};
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', cleanAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanAll();
      process.exit(130);
    });
  }
}

export interface VerifyRun {
  /** 0 every property holds, 1 a violation (or an error verdict), 3 inconclusive, other: the process failed. */
  readonly exit: number;
  /** The properties that failed, from verify's own summary line. */
  readonly failed: readonly string[];
  readonly seconds: number;
  /** The last lines of stderr when the process failed outright. */
  readonly crash?: string;
}

export class Sandbox {
  readonly dir: string;

  constructor(readonly root: string) {
    hookExit();
    this.dir = mkdtempSync(join(tmpdir(), 'mesos-ref-mutate-'));
    live.add(this.dir);
    for (const part of PARTS) if (existsSync(join(root, part))) cpSync(join(root, part), join(this.dir, part), { recursive: true });
    symlinkSync(resolve(root, 'node_modules'), join(this.dir, 'node_modules'), 'dir');
  }

  write(file: string, text: string): void {
    writeFileSync(join(this.dir, file), text);
  }

  /** `mesos-ref verify --config <config>` in the sandbox. */
  verify(config: string, extra: readonly string[] = []): Promise<VerifyRun> {
    const started = Date.now();
    return new Promise((done) => {
      // From the sources through tsx: bin/ runs the build in dist/, which is the unmutated tree.
      const child = spawn(process.execPath, ['--import', 'tsx', join(this.dir, 'cli', 'main.ts'), 'verify', '--config', config, '--no-progress', ...extra], {
        cwd: this.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.add(child);
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => {
        running.delete(child);
        const exit = code ?? 1;
        const m = /Model checking found a problem: ([^\n]*)\./.exec(out);
        const failed = m ? m[1]!.split(', ') : [];
        const seconds = (Date.now() - started) / 1000;
        done({ exit, failed, seconds, ...(exit !== 0 && exit !== 3 && !m ? { crash: err.trim().split('\n').slice(-3).join(' | ') || `exit ${exit}` } : {}) });
      });
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this.dir);
  }
}
