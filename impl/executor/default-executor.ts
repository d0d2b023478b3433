/**
 * The default executor (`mesos-ref default-executor`): what the agent starts for a task group's
 * DEFAULT ExecutorInfo, speaking Mesos's v1 executor API like any framework's executor. It plays
 * the part of src/launcher/default_executor.cpp with processes instead of nested containers:
 *
 *   LAUNCH_GROUP   each task: TASK_STARTING, its command as a child process (`sh -c`, or exec of
 *                  value + arguments) in its own process group and its own sandbox
 *                  `<executor sandbox>/tasks/<task id>`, then TASK_RUNNING for the whole group
 *   a task ends    TASK_FINISHED (exit 0), TASK_KILLED (we killed it), else TASK_FAILED, with
 *                  Mesos's message ("Command exited with status 1", "Command terminated with
 *                  signal Terminated"); a task that FAILED or was KILLED kills the rest of its
 *                  group (Mesos's default restart policy for task groups)
 *   KILL           SIGTERM to the task's process group, SIGKILL after the kill policy's grace
 *                  period (3 s by default); its TASK_KILLED then kills the group
 *   SHUTDOWN       every task is killed; the executor exits when all have ended
 *   ACKNOWLEDGED   the update is forgotten; once every task has ended and every update is
 *                  acknowledged the executor exits 0 (the agent reports it; the framework gets
 *                  FAILURE, as with Mesos)
 *   disconnected   a checkpointing framework's executor re-subscribes (with its unacknowledged
 *                  updates and tasks) until MESOS_RECOVERY_TIMEOUT; any other shuts down
 *
 * The tasks' pids go to MESOS_REF_EXECUTOR_META/tasks.pids, so the agent can destroy them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskInfo, TaskState, TaskStatus } from '../../spec/protocol/common.ts';
import type { ExecutorCall, ExecutorCallUpdate, ExecutorEvent } from '../../spec/protocol/executor.ts';
import { encodeExecutorCall } from '../../spec/protocol/json.ts';
import { uuidFromSeed } from '../../spec/protocol/uuid.ts';
import { openRecordIO, type RecordIOStream } from '../http/client.ts';
import { AgentCalls, eventOfRecord } from './agent-calls.ts';
import { describeSignal, killGroup, safeSegment, writeFileAtomic } from '../process/proc.ts';
import type { ExecutorRuntimeOptions } from './runtime.ts';
import { taskEnv } from './task-env.ts';

/** Mesos's default grace period between SIGTERM and SIGKILL when no kill policy names one. */
const DEFAULT_GRACE_MS = 3000;
/** How often a disconnected checkpointing executor tries to subscribe again. */
const RESUBSCRIBE_MS = 500;
const NS_PER_MS = 1_000_000;

interface Running {
  readonly info: TaskInfo;
  /** Every task id of its group (the policy kills the others). */
  readonly group: readonly string[];
  child?: ChildProcess;
  killing: boolean;
  ended: boolean;
  escalation?: NodeJS.Timeout;
}

export interface DefaultExecutorOptions extends ExecutorRuntimeOptions {
  /** MESOS_CHECKPOINT=1: re-subscribe after a disconnection instead of shutting down. */
  readonly checkpoint: boolean;
  /** How long a checkpointing executor waits for its agent to come back (MESOS_RECOVERY_TIMEOUT). */
  readonly recoveryTimeoutMs: number;
}

export class DefaultExecutor {
  private readonly tasks = new Map<string, Running>();
  /** Updates sent and not yet acknowledged, by uuid (Mesos's unacknowledgedUpdates). */
  private readonly unacked = new Map<string, ExecutorCallUpdate>();
  private subscription: RecordIOStream | undefined;
  private subscribed = false;
  private shuttingDown = false;
  private exiting = false;
  /** No agent will acknowledge anything any more (not checkpointing, or past the recovery timeout). */
  private agentGone = false;
  private disconnectedAt: number | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly log: (line: string) => void;
  private readonly calls: AgentCalls;

  constructor(private readonly options: DefaultExecutorOptions) {
    this.log = options.log ?? ((line) => console.log(line));
    this.calls = new AgentCalls(options.agentUrl, options.token, this.log);
  }

  private get ids() {
    return { framework_id: this.options.input.framework_id, executor_id: this.options.input.executor_id };
  }

  start(): void {
    this.keepAlive = setInterval(() => {}, 1 << 30);
    this.subscribe();
  }

  // ---------------------------------------------------------------------------- agent link

  private subscribe(): void {
    if (this.exiting) return;
    const unacknowledged_tasks = [...this.tasks.values()]
      .filter((t) => !t.ended && ![...this.unacked.values()].some((u) => u.status.task_id.value === t.info.task_id.value))
      .map((t) => t.info);
    const call: ExecutorCall = { type: 'SUBSCRIBE', ...this.ids, subscribe: { unacknowledged_tasks, unacknowledged_updates: [...this.unacked.values()] } };
    let established = false;
    openRecordIO(this.calls.url, encodeExecutorCall(call), this.calls.authorization, {
      onRecord: (text) => {
        const event = eventOfRecord(text, this.log);
        if (event) this.onEvent(event);
      },
      onEnd: (error) => {
        if (!established) return;
        this.subscription = undefined;
        this.disconnected(error?.message ?? 'the agent closed the connection');
      },
    }).then(
      (stream) => {
        if (this.exiting) return stream.close();
        if (stream.status !== 200) return this.disconnected(`the agent answered ${stream.status} to SUBSCRIBE: ${(stream.body ?? '').trim()}`);
        established = true;
        this.subscription = stream;
      },
      (error: Error) => this.disconnected(`cannot reach the agent at ${this.options.agentUrl}: ${error.message}`),
    );
  }

  /** Mesos's executor library: a non-checkpointing executor shuts down; a checkpointing one retries until the recovery timeout. */
  private disconnected(why: string): void {
    if (this.exiting) return;
    this.subscribed = false;
    this.log(`Disconnected from the agent: ${why}`);
    this.disconnectedAt ??= Date.now();
    if (!this.options.checkpoint || Date.now() - this.disconnectedAt > this.options.recoveryTimeoutMs) {
      if (this.options.checkpoint) this.log('The agent did not come back within the recovery timeout');
      this.agentGone = true;
      return this.shutdown();
    }
    setTimeout(() => this.subscribe(), RESUBSCRIBE_MS);
  }

  private send(call: ExecutorCall): void {
    if (!this.subscribed) return;
    this.calls.post(call);
  }

  // ---------------------------------------------------------------------------- events

  private onEvent(event: ExecutorEvent): void {
    this.log(`Received ${event.type} event`);
    switch (event.type) {
      case 'SUBSCRIBED':
        this.subscribed = true;
        this.disconnectedAt = undefined;
        // Updates the agent has not acknowledged go again (it drops duplicates by uuid).
        for (const update of this.unacked.values()) this.send({ type: 'UPDATE', ...this.ids, update });
        return;
      case 'LAUNCH_GROUP':
        return this.launchGroup(event.launch_group.task_group.tasks ?? []);
      case 'LAUNCH':
        // Mesos's default executor only runs task groups.
        this.log(`Ignoring LAUNCH of task ${event.launch.task.task_id.value}: the default executor runs task groups`);
        return;
      case 'KILL': {
        const grace = event.kill.kill_policy?.grace_period?.nanoseconds;
        return this.killTask(event.kill.task_id.value, grace === undefined ? undefined : Math.floor(grace / NS_PER_MS));
      }
      case 'ACKNOWLEDGED':
        this.unacked.delete(event.acknowledged.uuid);
        return this.exitIfDone();
      case 'SHUTDOWN':
        return this.shutdown();
      default:
        return;
    }
  }

  private update(task: string, state: TaskState, message?: string): void {
    const status: TaskStatus = {
      task_id: { value: task },
      state,
      source: 'SOURCE_EXECUTOR',
      executor_id: this.options.input.executor_id,
      uuid: uuidFromSeed(`${this.options.input.self}#${randomUUID()}`),
      timestamp: Date.now() / 1000,
      ...(message === undefined ? {} : { message }),
    };
    const update: ExecutorCallUpdate = { status };
    this.unacked.set(status.uuid!, update);
    this.send({ type: 'UPDATE', ...this.ids, update });
  }

  // ---------------------------------------------------------------------------- tasks

  private launchGroup(tasks: readonly TaskInfo[]): void {
    if (this.shuttingDown) return;
    const group = tasks.map((t) => t.task_id.value);
    for (const info of tasks) {
      const task: Running = { info, group, killing: false, ended: false };
      this.tasks.set(info.task_id.value, task);
      this.update(info.task_id.value, 'TASK_STARTING');
      this.startTask(task);
    }
    for (const id of group) if (!this.tasks.get(id)!.ended) this.update(id, 'TASK_RUNNING');
  }

  private startTask(task: Running): void {
    const id = task.info.task_id.value;
    const command = task.info.command ?? {};
    const sandbox = join(this.options.sandbox, 'tasks', safeSegment(id));
    const shell = command.shell ?? true;
    const value = command.value ?? '';
    const [file, args, argv0] = shell ? ['/bin/sh', ['-c', value], undefined] : [value, (command.arguments ?? []).slice(1), command.arguments?.[0]];
    let out: number | undefined;
    let err: number | undefined;
    try {
      mkdirSync(sandbox, { recursive: true });
      out = openSync(join(sandbox, 'stdout'), 'a');
      err = openSync(join(sandbox, 'stderr'), 'a');
      task.child = spawn(file, args, { cwd: sandbox, env: taskEnv(command, sandbox), detached: true, stdio: ['ignore', out, err], ...(argv0 === undefined ? {} : { argv0 }) });
    } catch (e) {
      this.log(`Failed to launch task ${id}: ${(e as Error).message}`);
      queueMicrotask(() => this.ended(task, 'TASK_FAILED', `Failed to launch: ${(e as Error).message}`));
      return;
    } finally {
      if (out !== undefined) closeSync(out);
      if (err !== undefined) closeSync(err);
    }
    const child = task.child;
    if (child.pid !== undefined) {
      this.log(`Started task ${id} (pid ${child.pid}) in ${sandbox}`);
      if (this.options.metaDir) appendFileSync(join(this.options.metaDir, 'tasks.pids'), `${child.pid} ${id}\n`);
    }
    child.on('error', (e) => {
      if (child.pid === undefined) this.ended(task, 'TASK_FAILED', `Failed to launch: ${e.message}`);
    });
    child.on('exit', (code, signal) => {
      // Mesos's WSTRINGIFY of the wait status.
      const how = signal !== null ? `Command terminated with signal ${describeSignal(signal)}` : `Command exited with status ${code ?? 0}`;
      const state: TaskState = signal === null && code === 0 ? 'TASK_FINISHED' : task.killing ? 'TASK_KILLED' : 'TASK_FAILED';
      this.ended(task, state, how);
    });
  }

  /** DefaultExecutor::waited: report the end, apply the group policy, exit once nothing is left. */
  private ended(task: Running, state: TaskState, message: string): void {
    if (task.ended) return;
    task.ended = true;
    clearTimeout(task.escalation);
    const id = task.info.task_id.value;
    this.log(`Task ${id} completed in state ${state}: ${message}`);
    this.update(id, state, message);
    if (!this.shuttingDown && (state === 'TASK_FAILED' || state === 'TASK_KILLED')) {
      const others = task.group.filter((other) => other !== id && this.tasks.get(other)?.ended === false);
      if (others.length > 0) this.log(`Killing task group containing tasks ${task.group.join(', ')}`);
      for (const other of others) this.kill(this.tasks.get(other)!);
    }
    this.exitIfDone();
  }

  private killTask(id: string, graceMs: number | undefined): void {
    const task = this.tasks.get(id);
    if (!task || task.ended) return this.log(`Ignoring kill for task ${id}: it is not active`);
    const policy = task.info.kill_policy?.grace_period?.nanoseconds;
    this.kill(task, graceMs ?? (policy === undefined ? undefined : Math.floor(policy / NS_PER_MS)));
  }

  /** SIGTERM to the task's process group, SIGKILL after the grace period. */
  private kill(task: Running, graceMs = DEFAULT_GRACE_MS): void {
    if (task.killing || task.ended) return;
    task.killing = true;
    const pid = task.child?.pid;
    if (pid === undefined) return;
    this.log(`Killing task ${task.info.task_id.value} (pid ${pid}) with SIGTERM, SIGKILL in ${graceMs} ms`);
    killGroup(pid, 'SIGTERM');
    task.escalation = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
  }

  private shutdown(): void {
    if (this.shuttingDown) return this.exitIfDone();
    this.shuttingDown = true;
    for (const task of this.tasks.values()) this.kill(task);
    this.exitIfDone();
  }

  /** Every task ended and, while connected, every update acknowledged (DefaultExecutor::_shutdown). */
  private exitIfDone(): void {
    const active = [...this.tasks.values()].some((t) => !t.ended);
    if (active) return;
    if (this.tasks.size === 0 && !this.shuttingDown) return;
    if (this.unacked.size > 0 && !this.agentGone) return;
    this.exit();
  }

  private exit(): void {
    if (this.exiting) return;
    this.exiting = true;
    this.subscription?.close();
    clearInterval(this.keepAlive);
    if (this.options.metaDir) {
      try {
        writeFileAtomic(join(this.options.metaDir, 'status'), '0');
      } catch (e) {
        this.log(`Failed to record the exit status: ${(e as Error).message}`);
      }
    }
    this.log('Terminating after every task ended');
    (this.options.exit ?? ((c: number) => process.exit(c)))(0);
  }
}
