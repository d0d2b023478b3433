/**
 * The agent's containerizer, reduced to what executors need: a sandbox per executor run, the
 * executor process started in it (`mesos-ref executor` for a command task; a framework's custom
 * executor through `sh -c` with its CommandInfo, as Mesos's launcher runs it), in its own process
 * group so it outlives an agent restart, its end reported as a wait status, destruction with SIGKILL, and recovery after a
 * restart (which checkpointed executors are still alive, which are gone, which are orphans).
 *
 * Layout under the agent's work dir (Mesos's, trimmed):
 *   slaves/<agentId>/frameworks/<fid>/executors/<eid>/runs/<containerId>/   the sandbox
 *   slaves/<agentId>/frameworks/<fid>/executors/<eid>/runs/latest           -> <containerId>
 *   meta/executors/<fid>/<eid>/run.json    the run: container id, sandbox, executor pid
 *   meta/executors/<fid>/<eid>/task.pid    the task's pid (= its process group), by the executor
 *   meta/executors/<fid>/<eid>/tasks.pids  the default executor's tasks' pids, one a line
 *   meta/executors/<fid>/<eid>/status      the wait status the executor meant to exit with
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AgentContext, ExecutorTerminatedEvent } from '../../spec/machines/agent.ts';
import { executorAddress } from '../../spec/machines/agent.ts';
import type { VolumeMount } from '../../spec/machines/agent/volumes.ts';
import { mountVolumes } from './volumes.ts';
import { formatDuration } from '../../spec/protocol/duration.ts';
import type { CommandInfo, FrameworkInfo } from '../../spec/protocol/common.ts';
import {
  defaultExecutorArgv,
  executorArgv,
  groupExists,
  isOurProcess,
  killGroup,
  processesWhoseEnv,
  readJsonFile,
  safeSegment,
  waitStatus,
  writeFileAtomic,
} from '../process/proc.ts';

/** What the agent machine's `spawn` effect carries for a command executor (agent/executors.ts). */
export interface ExecutorSpawnInput {
  readonly self: string;
  readonly agent: string;
  readonly framework_id: { readonly value: string };
  readonly executor_id: { readonly value: string };
  readonly framework_info: FrameworkInfo;
  readonly seed: string;
  readonly shutdownGracePeriodMs?: number;
  /** The agent's --recovery_timeout, when set (MESOS_RECOVERY_TIMEOUT). */
  readonly recoveryTimeoutMs?: number;
  /** A custom executor's CommandInfo (absent for a command executor, which is `mesos-ref executor`). */
  readonly command?: CommandInfo;
  /** A task group's DEFAULT executor: `mesos-ref default-executor`, as Mesos runs its mesos-default-executor. */
  readonly default_executor?: boolean;
  /** Persistent volumes to mount in the sandbox (volumes.ts). */
  readonly volumes?: readonly VolumeMount[];
  readonly [key: string]: unknown;
}

/** How a CommandInfo runs (Mesos's launcher): `sh -c value` when `shell` (the default), else exec `value` with `arguments`. */
function commandArgv(command: CommandInfo): string[] {
  if (command.shell ?? true) return ['/bin/sh', '-c', command.value ?? ''];
  const argv = command.arguments ?? [];
  // Mesos passes `arguments` as the whole argv, argv[0] included; the program is `value`.
  return [command.value ?? '', ...argv.slice(1)];
}

/** A CommandInfo's environment (VALUE variables only: the reference has no secret store). */
function commandEnvironment(command: CommandInfo | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of command?.environment?.variables ?? []) if ((v.type ?? 'VALUE') === 'VALUE' && v.value !== undefined) out[v.name] = v.value;
  return out;
}

export interface RunRecord {
  readonly framework_id: string;
  readonly executor_id: string;
  readonly container_id: string;
  readonly directory: string;
  readonly pid: number;
  /** Seconds since the epoch. */
  readonly started: number;
  /** A framework's own executor: its tasks' processes are not recorded, its end is searched for them. */
  readonly custom?: boolean;
}

interface Run {
  readonly address: string;
  readonly record: RunRecord;
  readonly child?: ChildProcess;
  /** The process is known to be gone (reported once). */
  gone: boolean;
  /** The agent destroyed it: the `stop` effect's notification reports the end, not the exit. */
  destroyed: boolean;
}

export interface ContainersOptions {
  readonly workDir: string;
  /** The agent's own URL (`self`) and `ip:port` (MESOS_AGENT_ENDPOINT). */
  readonly agentUrl: string;
  readonly agentEndpoint: string;
  /** argv of the executor program; default `mesos-ref executor` (impl/process/proc.ts `executorArgv`). */
  readonly executorArgv?: readonly string[];
  /** MESOS_SUBSCRIPTION_BACKOFF_MAX for checkpointing executors. */
  readonly subscriptionBackoffMaxMs: number;
  /** The executor's authentication token for a run (MESOS_EXECUTOR_AUTHENTICATION_TOKEN); none without executor authentication. */
  readonly token?: (claims: { fid: string; eid: string; cid: string }) => string;
  /** Delivers an event to the agent machine. */
  readonly deliver: (event: ExecutorTerminatedEvent) => void;
  readonly log: (line: string) => void;
}

/**
 * The wait status of an executor that is not our child (recovered after a restart) and left no
 * status of its own (meta/.../status, which our executors write as they exit). The executor is
 * its container's init here, and Mesos's containerizer reaps a recovered container from the
 * status file its init writes; with none, "the init process must have been interrupted by a
 * SIGKILL before it had a chance to write the file", and the status is W_EXITCODE(0, SIGKILL)
 * (MesosContainerizerProcess::reap): 9, what a framework's FAILURE says.
 */
const UNRECORDED_STATUS = 9;

/** How often executors the agent did not start itself (recovered ones) are checked. */
const POLL_MS = 250;

export function metaDir(workDir: string, framework: string, executor: string): string {
  return join(workDir, 'meta', 'executors', safeSegment(framework), safeSegment(executor));
}

export function runsDir(workDir: string, agentId: string, framework: string, executor: string): string {
  return join(workDir, 'slaves', safeSegment(agentId), 'frameworks', safeSegment(framework), 'executors', safeSegment(executor), 'runs');
}

function readInt(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Every run record under a work dir's meta directory. */
function runRecords(workDir: string): { dir: string; record: RunRecord }[] {
  const root = join(workDir, 'meta', 'executors');
  const out: { dir: string; record: RunRecord }[] = [];
  if (!existsSync(root)) return out;
  for (const fw of readdirSync(root).sort()) {
    let executors: string[];
    try {
      executors = readdirSync(join(root, fw)).sort();
    } catch {
      continue;
    }
    for (const ex of executors) {
      const dir = join(root, fw, ex);
      const record = readJsonFile<RunRecord>(join(dir, 'run.json'));
      if (record && typeof record.pid === 'number') out.push({ dir, record });
    }
  }
  return out;
}

/** The environment entries that identify an executor's process and its task's. */
const executorMarker = (meta: string) => `MESOS_REF_EXECUTOR_META=${meta}`;
const taskMarker = (record: RunRecord) => `MESOS_SANDBOX=${record.directory}`;

function readTextOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Whether an environment entry marks a process of a run: its executor (its meta dir) or a task (a sandbox at or under the run's). */
function runMarked(meta: string, record: RunRecord): (entry: string) => boolean {
  const executor = executorMarker(meta);
  const sandbox = taskMarker(record);
  return (entry) => entry === executor || entry === sandbox || entry.startsWith(`${sandbox}/`);
}

/**
 * SIGKILLs what is left of a run, as Mesos destroys an executor's whole container: the executor's
 * process group and its tasks' groups while their leaders are still ours; then, if one of those
 * groups still has a member (a leader gone, a member left: `sh -c` killed while its command ran
 * on), or `sweep` asks (a custom executor, whose tasks' groups nobody records), every process
 * carrying the run's environment, and the recorded groups they are in. How many groups and
 * processes it signalled.
 */
function killRun(meta: string, record: RunRecord, sweep = false): number {
  let n = 0;
  const groups = new Set<number>([record.pid]);
  const task = readInt(join(meta, 'task.pid'));
  if (task !== undefined) groups.add(task);
  if (task !== undefined && isOurProcess(task, taskMarker(record)) && killGroup(task, 'SIGKILL')) n++;
  // The default executor runs several tasks, one process group each, listed `pid task-id` a line;
  // each task's MESOS_SANDBOX is its own, tasks/<task id> under the executor's.
  for (const line of readTextOr(join(meta, 'tasks.pids')).split('\n')) {
    const [pidText, taskId] = line.split(' ');
    const pid = Number.parseInt(pidText ?? '', 10);
    if (Number.isInteger(pid) && pid > 0) groups.add(pid);
    const marker = `MESOS_SANDBOX=${join(record.directory, 'tasks', safeSegment(taskId ?? ''))}`;
    if (Number.isInteger(pid) && pid > 0 && isOurProcess(pid, marker) && killGroup(pid, 'SIGKILL')) n++;
  }
  if (isOurProcess(record.pid, executorMarker(meta)) && killGroup(record.pid, 'SIGKILL')) n++;
  // The usual end (the executor reaped its task, then exited) leaves no group: nothing to search for.
  if (!sweep && ![...groups].some(groupExists)) return n;
  for (const p of processesWhoseEnv(runMarked(meta, record)) ?? []) {
    // A recorded group with a member of this run is this run's (a live group's id is never reused).
    if (groups.has(p.pgid) && killGroup(p.pgid, 'SIGKILL')) n++;
    else if (killPid(p.pid)) n++;
  }
  return n;
}

function killPid(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** Whether an environment entry puts a process in an executor run under `workDir` (its sandbox or its meta dir). */
function underWorkDir(workDir: string): (entry: string) => boolean {
  // The agent's paths are the work dir as it was given, relative or not.
  const prefixes = [...new Set([workDir, resolve(workDir)].map((d) => `${d.replace(/\/+$/, '')}/`))];
  return (entry) => {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    return (name === 'MESOS_SANDBOX' || name === 'MESOS_REF_EXECUTOR_META') && prefixes.some((p) => entry.startsWith(p, eq + 1));
  };
}

/**
 * SIGKILLs every executor (and its tasks) recorded under `workDir`, then every process that still
 * carries the environment of a run under it (a run whose record its agent already dropped, a task
 * started after the last record was written); returns how many groups and processes it signalled.
 * For stopping a whole agent for good (a cluster's stop), not for a live agent's executors.
 */
export function killRecordedExecutors(workDir: string): number {
  let n = 0;
  for (const { dir, record } of runRecords(workDir)) n += killRun(dir, record, true);
  for (const p of processesWhoseEnv(underWorkDir(workDir)) ?? []) if (killPid(p.pid)) n++;
  return n;
}

/**
 * `killRecordedExecutors`, then a wait (up to `timeoutMs`) until no process of the work dir is
 * left, killing any that appears meanwhile (a fork in flight while /proc was read): a stopped
 * cluster has nothing left running once this resolves, for the next test or the user's machine.
 */
export async function stopRecordedExecutors(workDir: string, timeoutMs = 5000): Promise<number> {
  let n = killRecordedExecutors(workDir);
  const killed = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A SIGKILLed process shows its environment until it is torn down: wait for it, signal it once.
    const left = processesWhoseEnv(underWorkDir(workDir)) ?? [];
    if (left.length === 0 || Date.now() > deadline) return n;
    for (const p of left) {
      if (killed.has(p.pid)) continue;
      killed.add(p.pid);
      if (killPid(p.pid)) n++;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class Containers {
  private readonly runs = new Map<string, Run>();
  /** The last run of executors that are gone (their sandboxes stay), bounded. */
  private readonly finished = new Map<string, RunRecord>();
  private poller: NodeJS.Timeout | undefined;
  /** When each executor was started and has not subscribed yet (the agent logs its start time). */
  readonly launchedAt = new Map<string, number>();

  constructor(private readonly options: ContainersOptions) {}

  /** The sandbox of an executor and its container id: its current or last run's, else `runs/latest`. */
  sandboxOf(agentId: string, framework: string, executor: string): { directory: string; container: string } {
    const address = executorAddress(this.options.agentUrl, framework, executor);
    const record = this.runs.get(address)?.record ?? this.finished.get(address) ?? readJsonFile<RunRecord>(join(metaDir(this.options.workDir, framework, executor), 'run.json'));
    if (record) return { directory: record.directory, container: record.container_id };
    return { directory: join(runsDir(this.options.workDir, agentId, framework, executor), 'latest'), container: '' };
  }

  directoryOf(agentId: string, framework: string, executor: string): string {
    return this.sandboxOf(agentId, framework, executor).directory;
  }

  /** The `spawn` effect: a sandbox, then `mesos-ref executor` in it, detached. */
  launch(address: string, input: ExecutorSpawnInput, agentId: string): void {
    const { workDir } = this.options;
    const framework = input.framework_id.value;
    const executor = input.executor_id.value;
    const containerId = randomUUID();
    const runs = runsDir(workDir, agentId, framework, executor);
    const directory = join(runs, containerId);
    const meta = metaDir(workDir, framework, executor);
    let out: number | undefined;
    let err: number | undefined;
    try {
      mkdirSync(directory, { recursive: true });
      rmSync(join(runs, 'latest'), { force: true });
      symlinkSync(containerId, join(runs, 'latest'));
      mountVolumes(workDir, directory, input.volumes ?? []);
      mkdirSync(meta, { recursive: true });
      rmSync(join(meta, 'status'), { force: true });
      rmSync(join(meta, 'task.pid'), { force: true });
      rmSync(join(meta, 'tasks.pids'), { force: true });
      out = openSync(join(directory, 'stdout'), 'a');
      err = openSync(join(directory, 'stderr'), 'a');
    } catch (e) {
      this.options.log(`Failed to prepare the sandbox of executor '${executor}' of framework ${framework}: ${(e as Error).message}`);
      if (out !== undefined) closeSync(out);
      if (err !== undefined) closeSync(err);
      this.report(framework, executor, 256);
      return;
    }
    const checkpoint = input.framework_info.checkpoint === true;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...commandEnvironment(input.command),
      MESOS_FRAMEWORK_ID: framework,
      MESOS_EXECUTOR_ID: executor,
      MESOS_DIRECTORY: directory,
      MESOS_SANDBOX: directory,
      MESOS_AGENT_ENDPOINT: this.options.agentEndpoint,
      MESOS_CHECKPOINT: checkpoint ? '1' : '0',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: formatDuration(input.shutdownGracePeriodMs ?? 5000),
      ...(checkpoint
        ? { MESOS_RECOVERY_TIMEOUT: formatDuration(input.recoveryTimeoutMs ?? 15 * 60_000), MESOS_SUBSCRIPTION_BACKOFF_MAX: formatDuration(this.options.subscriptionBackoffMaxMs) }
        : {}),
      MESOS_REF_EXECUTOR_INPUT: JSON.stringify(input),
      MESOS_REF_EXECUTOR_META: meta,
    };
    // The agent's own token must not leak to its executors (a task could then speak for them).
    delete env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN'];
    if (this.options.token) env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN'] = this.options.token({ fid: framework, eid: executor, cid: containerId });
    const argv = input.command !== undefined ? commandArgv(input.command) : input.default_executor === true ? defaultExecutorArgv() : (this.options.executorArgv ?? executorArgv());
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), { cwd: directory, env, detached: true, stdio: ['ignore', out, err] });
    } catch (e) {
      this.options.log(`Failed to launch executor '${executor}' of framework ${framework}: ${(e as Error).message}`);
      this.report(framework, executor, 256);
      return;
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const pid = child.pid ?? -1;
    const record: RunRecord = {
      framework_id: framework,
      executor_id: executor,
      container_id: containerId,
      directory,
      pid,
      started: Date.now() / 1000,
      ...(input.command !== undefined ? { custom: true } : {}),
    };
    const run: Run = { address, record, child, gone: false, destroyed: false };
    this.runs.set(address, run);
    this.launchedAt.set(address, performance.now());
    child.on('exit', (code, signal) => this.exited(run, waitStatus(code, signal)));
    child.on('error', (e) => {
      this.options.log(`Executor '${executor}' of framework ${framework}: ${e.message}`);
      if (child.pid === undefined) this.exited(run, 256);
    });
    if (pid > 0) {
      writeFileAtomic(join(meta, 'run.json'), JSON.stringify(record));
      this.options.log(`Launched executor '${executor}' of framework ${framework} with pid ${pid} in ${directory}`);
    }
  }

  /** The `stop` effect for an executor: SIGKILL its process group and its task's. */
  destroy(address: string): void {
    const run = this.runs.get(address);
    if (!run) return;
    run.destroyed = true;
    killRun(metaDir(this.options.workDir, run.record.framework_id, run.record.executor_id), run.record);
    this.options.log(`Destroyed executor '${run.record.executor_id}' of framework ${run.record.framework_id} (pid ${run.record.pid})`);
    // A recovered executor is not our child: nobody else will notice it is gone.
    if (!run.child) this.finish(run);
  }

  /**
   * After a restart: adopt checkpointed executors that are still alive (their end is noticed by
   * polling), report the others as terminated, and kill orphans (runs the checkpoint does not
   * know, like Mesos's containerizer recovery does).
   */
  recover(context: AgentContext): ExecutorTerminatedEvent[] {
    const { workDir } = this.options;
    const expected = new Map<string, { framework: string; executor: string }>();
    for (const [fw, record] of Object.entries(context.frameworks)) {
      for (const [ex, e] of Object.entries(record.executors)) {
        if (e.state !== 'TERMINATED') expected.set(`${fw}\u0000${ex}`, { framework: fw, executor: ex });
      }
    }
    const adopted = new Set<string>();
    for (const { dir, record } of runRecords(workDir)) {
      const key = `${record.framework_id}\u0000${record.executor_id}`;
      if (expected.has(key) && isOurProcess(record.pid, executorMarker(dir))) {
        const address = executorAddress(this.options.agentUrl, record.framework_id, record.executor_id);
        this.runs.set(address, { address, record, gone: false, destroyed: false });
        adopted.add(key);
        this.options.log(`Recovered executor '${record.executor_id}' of framework ${record.framework_id} (pid ${record.pid})`);
        continue;
      }
      if (!expected.has(key)) {
        if (killRun(dir, record) > 0) this.options.log(`Killed orphan executor '${record.executor_id}' of framework ${record.framework_id}`);
        rmSync(join(dir, 'run.json'), { force: true });
      }
    }
    const events: ExecutorTerminatedEvent[] = [];
    for (const [key, { framework, executor }] of expected) {
      if (adopted.has(key)) continue;
      const dir = metaDir(workDir, framework, executor);
      const status = readInt(join(dir, 'status')) ?? UNRECORDED_STATUS;
      // Its executor is gone; what it started may not be (its container goes with it).
      const record = readJsonFile<RunRecord>(join(dir, 'run.json'));
      if (record && typeof record.pid === 'number') killRun(dir, record, true);
      rmSync(join(dir, 'run.json'), { force: true });
      this.options.log(`Executor '${executor}' of framework ${framework} is gone (status ${status})`);
      events.push(terminated(framework, executor, status));
    }
    if (adopted.size > 0) this.startPolling();
    return events;
  }

  /** Stops polling; executors keep running (they outlive the agent). */
  close(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
  }

  private startPolling(): void {
    if (this.poller) return;
    this.poller = setInterval(() => {
      let watching = 0;
      for (const run of this.runs.values()) {
        if (run.child || run.gone) continue;
        watching++;
        const meta = metaDir(this.options.workDir, run.record.framework_id, run.record.executor_id);
        if (!isOurProcess(run.record.pid, executorMarker(meta))) this.exited(run, UNRECORDED_STATUS);
      }
      if (watching === 0) this.close();
    }, POLL_MS);
    this.poller.unref();
  }

  private exited(run: Run, status: number): void {
    if (run.gone) return;
    const meta = metaDir(this.options.workDir, run.record.framework_id, run.record.executor_id);
    // The executor writes the status its machine chose before it exits; a kill leaves none.
    const intended = readInt(join(meta, 'status'));
    const final = intended ?? status;
    // Mesos destroys the container when its executor ends: a task left running (its shell killed
    // under it, or a custom executor that exited without killing it) must not outlive the run.
    if (!run.destroyed) {
      const left = killRun(meta, run.record, run.record.custom === true);
      if (left > 0) this.options.log(`Killed what executor '${run.record.executor_id}' of framework ${run.record.framework_id} left running (${left} process groups or processes)`);
    }
    this.finish(run);
    if (!run.destroyed) {
      this.options.log(`Executor '${run.record.executor_id}' of framework ${run.record.framework_id} exited with status ${final}`);
      this.report(run.record.framework_id, run.record.executor_id, final);
    }
  }

  private finish(run: Run): void {
    run.gone = true;
    if (this.runs.get(run.address) === run) {
      this.runs.delete(run.address);
      this.finished.delete(run.address);
      this.finished.set(run.address, run.record);
      if (this.finished.size > 10_000) this.finished.delete(this.finished.keys().next().value!);
      const meta = metaDir(this.options.workDir, run.record.framework_id, run.record.executor_id);
      const current = readJsonFile<RunRecord>(join(meta, 'run.json'));
      if (current?.container_id === run.record.container_id) rmSync(join(meta, 'run.json'), { force: true });
    }
  }

  private report(framework: string, executor: string, status: number): void {
    this.options.deliver(terminated(framework, executor, status));
  }
}

function terminated(framework: string, executor: string, status: number): ExecutorTerminatedEvent {
  return { type: 'EXECUTOR_TERMINATED', framework_id: { value: framework }, executor_id: { value: executor }, status };
}
