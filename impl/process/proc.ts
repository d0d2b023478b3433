/**
 * Child-process helpers for the runtime: the `mesos-ref` command line of this checkout, process
 * groups and their signals, wait statuses as Mesos reports them, stout's duration syntax, and
 * atomic file writes. No protocol logic lives here.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, resolve } from 'node:path';
import { REPO_ROOT } from '../paths.ts';

/** `node bin/mesos-ref.mjs`: the CLI of this checkout, as an argv prefix. */
export function mesosRefArgv(): [string, ...string[]] {
  return [process.execPath, resolve(REPO_ROOT, 'bin', 'mesos-ref.mjs')];
}

/**
 * `mesos-ref executor` as the agent starts it: node running the executor's own bundle
 * (dist/cli/executor.cjs, built by `npm run build`), the same command without loading the rest
 * of the CLI or any TypeScript compiler: its start is most of a command task's latency.
 */
export function executorArgv(): string[] {
  return [process.execPath, resolve(REPO_ROOT, 'dist', 'cli', 'executor.cjs')];
}

/** `mesos-ref default-executor` as the agent starts it for a task group: its own bundle too (dist/cli/default-executor.cjs). */
export function defaultExecutorArgv(): string[] {
  return [process.execPath, resolve(REPO_ROOT, 'dist', 'cli', 'default-executor.cjs')];
}

/** Whether a process with this pid exists (a zombie counts as alive until reaped). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is alive and still the process we started, told by an entry of the environment it
 * was started with (`NAME=value`), so a reused pid is never mistaken for ours. Where
 * /proc/<pid>/environ cannot be read (another OS), liveness alone decides.
 */
export function isOurProcess(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return !(code === 'ENOENT' || code === 'ESRCH');
  }
  return environ.split('\0').includes(marker);
}

/** Whether a process group `pgid` has a member (a zombie counts until reaped). */
export function groupExists(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process found by `processesWhoseEnv`: its pid and its process group. */
export interface FoundProcess {
  readonly pid: number;
  readonly pgid: number;
}

/**
 * Every process (ours to read) one of whose environment entries satisfies `matches`, found in
 * /proc; null where there is no /proc (another OS). A task inherits its executor's environment
 * (MESOS_SANDBOX, by Mesos's contract), wherever it moved its process group to, so this finds
 * what process-group bookkeeping misses: a task a shell left behind, one spawned after the last
 * pid was written down.
 */
export function processesWhoseEnv(matches: (entry: string) => boolean): FoundProcess[] | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((x) => /^\d+$/.test(x));
  } catch {
    return null;
  }
  const out: FoundProcess[] = [];
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    let environ: string;
    let stat: string;
    try {
      environ = readFileSync(`/proc/${p}/environ`, 'latin1');
      stat = readFileSync(`/proc/${p}/stat`, 'latin1');
    } catch {
      continue; // gone, or another user's
    }
    if (!environ.split('\0').some(matches)) continue;
    // stat is `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
    const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    out.push({ pid, pgid: Number.isInteger(pgid) ? pgid : pid });
  }
  return out;
}

/** Sends `signal` to the process group `pgid`; false if there is no such group. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The number of a signal name (`SIGKILL` -> 9). */
export function signalNumber(signal: string): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

/** A wait status from Node's exit event: `256 * code` for an exit, the signal number if killed. */
export function waitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal !== null) return signalNumber(signal);
  return (code ?? 0) * 256;
}

/** strsignal(3) on Linux, which Mesos's WSTRINGIFY prints: `Terminated`, `Killed`, ... */
const STRSIGNAL: Record<string, string> = {
  SIGHUP: 'Hangup',
  SIGINT: 'Interrupt',
  SIGQUIT: 'Quit',
  SIGILL: 'Illegal instruction',
  SIGTRAP: 'Trace/breakpoint trap',
  SIGABRT: 'Aborted',
  SIGBUS: 'Bus error',
  SIGFPE: 'Floating point exception',
  SIGKILL: 'Killed',
  SIGUSR1: 'User defined signal 1',
  SIGSEGV: 'Segmentation fault',
  SIGUSR2: 'User defined signal 2',
  SIGPIPE: 'Broken pipe',
  SIGALRM: 'Alarm clock',
  SIGTERM: 'Terminated',
  SIGSTKFLT: 'Stack fault',
  SIGCHLD: 'Child exited',
  SIGCONT: 'Continued',
  SIGSTOP: 'Stopped (signal)',
  SIGTSTP: 'Stopped',
  SIGTTIN: 'Stopped (tty input)',
  SIGTTOU: 'Stopped (tty output)',
  SIGURG: 'Urgent I/O condition',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'File size limit exceeded',
  SIGVTALRM: 'Virtual timer expired',
  SIGPROF: 'Profiling timer expired',
  SIGWINCH: 'Window changed',
  SIGIO: 'I/O possible',
  SIGPWR: 'Power failure',
  SIGSYS: 'Bad system call',
};

export function describeSignal(signal: string): string {
  return STRSIGNAL[signal] ?? `Unknown signal ${signalNumber(signal)}`;
}

// ------------------------------------------------------------------------------ files

/** Writes `data` to `path` atomically and durably: a temporary file, fsync, rename. */
export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The parsed JSON at `path`, or undefined if it is missing or unreadable. */
export function readJsonFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** A path segment for an id: ids are validated by the master, but never trust a path. */
export function safeSegment(id: string): string {
  if (id === '' || id === '.' || id === '..' || /[/\\\u0000]/.test(id)) return encodeURIComponent(id).replace(/\./g, '%2E') || '%00';
  return id;
}
