/**
 * Where mutants run: a temporary copy of the parts of the tree `mesos-ref verify` needs, with
 * node_modules linked, never the working tree. One file is replaced for a mutant (or every
 * mutated file by its probed form, for the reach pass) and restored after it; the copy is removed when the run ends (also on Ctrl-C).
 * For `mutate --suite` the copy also holds what `node build.mjs` and a conformance cluster need
 * (SUITE_PARTS): the copy's own build (dist/) then runs the mutated machines in its clusters.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConfigRun, ExploreRequest } from './explore-configs.ts';

/** What `cli/main.ts verify` loads from the sources (tests, bench, docs and the build stay behind). */
const PARTS = ['bin', 'checker', 'cli', 'conformance', 'impl', 'invariants', 'model', 'schemas', 'spec', 'package.json', 'tsconfig.json'];

/** What the build (build.mjs: the CLI, the executors, the pages in ui/) and a conformance cluster (examples/shell-executor.cjs, the runner's executor) need besides. */
export const SUITE_PARTS = ['build.mjs', 'ui', 'examples'];

/** What a command run in the copy printed, and how it ended (null: it was killed, `signal` says by what). */
export interface CommandRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** It printed nothing for the silence limit and was killed. */
  readonly silent: boolean;
}

const live = new Set<string>();
const running = new Set<ChildProcess>();
/** Children first (a verify still writing in a copy would make its removal fail), then the copies. */
const cleanAll = () => {
  for (const child of running) killGroup(child);
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Reported by the next run's leftovers check; never let one copy keep the others.
    }
  }
  live.clear();
};
/** Children that lead a process group of their own (the CLI's: its clusters' agents and executors are in it). */
const leaders = new WeakSet<ChildProcess>();
/** A child, and with a group leader everything in its group. */
function killGroup(child: ChildProcess): void {
  if (leaders.has(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // The group is gone already.
    }
  }
  child.kill('SIGKILL');
}
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

  constructor(
    readonly root: string,
    extraParts: readonly string[] = [],
  ) {
    hookExit();
    this.dir = mkdtempSync(join(tmpdir(), 'mesos-ref-mutate-'));
    live.add(this.dir);
    for (const part of [...PARTS, ...extraParts]) if (existsSync(join(root, part))) cpSync(join(root, part), join(this.dir, part), { recursive: true });
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

  /** `node build.mjs` in the copy: dist/ from its sources as they are now. */
  build(): Promise<CommandRun> {
    return this.command(['build.mjs'], 120_000);
  }

  /**
   * The copy's built CLI (bin/mesos-ref.mjs, so dist/) with `args`, in a process group of its own:
   * the clusters it starts go with it when it is killed, for printing nothing for `silenceMs`
   * (a mutant that hangs its in-process master hangs the runner's timers too) or at Ctrl-C.
   */
  cli(args: readonly string[], silenceMs: number): Promise<CommandRun> {
    return this.command([join('bin', 'mesos-ref.mjs'), ...args], silenceMs);
  }

  private command(argv: readonly string[], silenceMs: number): Promise<CommandRun> {
    const started = Date.now();
    return new Promise((done) => {
      const child = spawn(process.execPath, argv, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      running.add(child);
      leaders.add(child);
      let out = '';
      let err = '';
      let silent = false;
      let quiet: NodeJS.Timeout | undefined;
      const listen = () => {
        clearTimeout(quiet);
        quiet = setTimeout(() => {
          silent = true;
          killGroup(child);
        }, silenceMs);
      };
      listen();
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        listen();
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code, signal) => {
        clearTimeout(quiet);
        running.delete(child);
        done({ code, signal, stdout: out, stderr: err, seconds: (Date.now() - started) / 1000, silent });
      });
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this.dir);
  }
}
