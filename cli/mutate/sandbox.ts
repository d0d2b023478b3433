/**
 * Where mutants run: a temporary copy of the parts of the tree `mesos-ref verify` needs, with
 * node_modules linked, never the working tree. One file is replaced for a mutant (or every
 * mutated file by its probed form, for the reach pass) and restored after it; the copy is removed when the run ends (also on Ctrl-C).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConfigRun, ExploreRequest } from './explore-configs.ts';

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

  /**
   * The configurations explored one after the other in one process (explore-configs.ts), one
   * result per configuration run; a process that dies outright (out of memory, a crash at load)
   * adds a run with exit 2 for the configuration it was on.
   */
  explore(request: ExploreRequest): Promise<ConfigRun[]> {
    const started = Date.now();
    return new Promise((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(this.dir, 'cli', 'mutate', 'explore-configs.ts'), JSON.stringify(request)], {
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
        const runs = out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as ConfigRun);
        const last = runs[runs.length - 1];
        const finished = last !== undefined && (runs.length === request.configs.length || (request.stopAtFailure && last.exit !== 0 && last.exit !== 3));
        if (!finished) {
          const config = request.configs[runs.length] ?? request.configs[request.configs.length - 1]!;
          const spent = runs.reduce((s, r) => s + r.seconds, 0);
          runs.push({
            config,
            exit: 2,
            failed: [],
            states: 0,
            seconds: (Date.now() - started) / 1000 - spent,
            reached: [],
            crash: err.trim().split('\n').slice(-3).join(' | ') || `exit ${code}`,
          });
        }
        done(runs);
      });
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this.dir);
  }
}
