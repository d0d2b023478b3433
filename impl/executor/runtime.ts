/**
 * The command executor process (`mesos-ref executor`): spec/machines/executor.ts hosted by
 * impl/host.ts, speaking Mesos's v1 executor API to its agent.
 *
 *   SUBSCRIBE          POST /api/v1/executor, answered by a RecordIO stream of events; each event
 *                      is delivered with `from: <agent>`. A 503 or 404 answer is
 *                      SUBSCRIBE_FAILED { reason: 'busy' }, another non-200 answer 'rejected',
 *                      no answer 'unreachable'; an established stream that ends is
 *                      LINK_BROKEN { peer: <agent> }. A newer SUBSCRIBE supersedes older ones.
 *   other calls        POSTed one at a time (in order, like the v1 library's single connection);
 *                      a 503 or 404 answer is ignored, as the library does.
 *   process effects    `start`: `sh -c <value>` (or exec of value + arguments) in the sandbox, in
 *                      its own process group, output appended to the sandbox's stdout/stderr;
 *                      its exit is PROCESS_EXITED { status, signal? }. `signal`: the group gets it.
 *   stop effect        the executor exits; the wait status its machine chose is written first to
 *                      MESOS_REF_EXECUTOR_META/status for the agent.
 *
 * Environment (docs/runtime-transport.md): MESOS_AGENT_ENDPOINT, MESOS_SANDBOX / MESOS_DIRECTORY,
 * MESOS_RECOVERY_TIMEOUT, MESOS_REF_EXECUTOR_INPUT (the spawn effect's input, JSON), and
 * MESOS_REF_EXECUTOR_META (where the agent looks for the task's pid and the exit status).
 */
import type { AnyStateMachine } from 'xstate';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Host, type TraceRecord } from '../host.ts';
import { executorMachine, type ExecutorInput } from '../../spec/machines/executor.ts';
import type { SendEffect, StopEffect } from '../../spec/machines/effects.ts';
import type { Effect } from '../../spec/step.ts';
import type { CommandInfo } from '../../spec/protocol/common.ts';
import type { ExecutorCall, ExecutorEvent } from '../../spec/protocol/executor.ts';
import { encodeExecutorCall } from '../../spec/protocol/json.ts';
import { openRecordIO, type RecordIOStream } from '../http/client.ts';
import { AgentCalls, eventOfRecord } from './agent-calls.ts';
import { parseDuration } from '../../spec/protocol/duration.ts';
import { describeSignal, killGroup, signalNumber, writeFileAtomic } from '../process/proc.ts';
import { taskEnv } from './task-env.ts';

export interface ExecutorRuntimeOptions {
  readonly input: ExecutorInput;
  /** Base URL of the agent's HTTP API, e.g. `http://127.0.0.1:5051`. */
  readonly agentUrl: string;
  readonly sandbox: string;
  /** Where the task's pid and the exit status are written (optional). */
  readonly metaDir?: string;
  /** MESOS_EXECUTOR_AUTHENTICATION_TOKEN: sent as `Authorization: Bearer` on every call. */
  readonly token?: string;
  readonly trace?: string;
  readonly log?: (line: string) => void;
  /** Prints Mesos's command-executor lines (`Received SUBSCRIBED event`, ...) on stdout. */
  readonly say?: (line: string) => void;
  /** Called instead of process.exit (tests). */
  readonly exit?: (code: number) => void;
  /** The executor machine to host (testing hook: test/support/mutant-executor.ts passes seeded bugs); default spec/machines/executor.ts. */
  readonly machine?: AnyStateMachine;
}

/** The runtime's view of the environment, as the `executor` command reads it. */
export function executorOptionsFromEnv(env: NodeJS.ProcessEnv): { ok: true; options: ExecutorRuntimeOptions } | { ok: false; error: string } {
  const raw = env['MESOS_REF_EXECUTOR_INPUT'];
  if (!raw) return { ok: false, error: 'MESOS_REF_EXECUTOR_INPUT is not set: the executor is started by an agent' };
  let input: ExecutorInput;
  try {
    input = JSON.parse(raw) as ExecutorInput;
  } catch (e) {
    return { ok: false, error: `MESOS_REF_EXECUTOR_INPUT is not JSON: ${(e as Error).message}` };
  }
  if (typeof input?.agent !== 'string' || typeof input.self !== 'string' || !input.framework_id || !input.executor_id || !input.framework_info) {
    return { ok: false, error: 'MESOS_REF_EXECUTOR_INPUT lacks self, agent, framework_id, executor_id or framework_info' };
  }
  const endpoint = env['MESOS_AGENT_ENDPOINT'];
  const agentUrl = endpoint ? `http://${endpoint}` : input.agent;
  const recovery = env['MESOS_RECOVERY_TIMEOUT'] ? parseDuration(env['MESOS_RECOVERY_TIMEOUT']) : null;
  const sandbox = env['MESOS_SANDBOX'] ?? env['MESOS_DIRECTORY'] ?? process.cwd();
  return {
    ok: true,
    options: {
      input: { ...input, ...(recovery !== null && input.recoveryTimeoutMs === undefined ? { recoveryTimeoutMs: recovery } : {}) },
      agentUrl,
      sandbox,
      ...(env['MESOS_REF_EXECUTOR_META'] ? { metaDir: env['MESOS_REF_EXECUTOR_META'] } : {}),
      ...(env['MESOS_REF_EXECUTOR_TRACE'] ? { trace: env['MESOS_REF_EXECUTOR_TRACE'] } : {}),
      ...(env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN'] ? { token: env['MESOS_EXECUTOR_AUTHENTICATION_TOKEN'] } : {}),
    },
  };
}

export class ExecutorRuntime {
  private host: Host | undefined;
  private subscription: RecordIOStream | undefined;
  private generation = 0;
  private task: ChildProcess | undefined;
  private taskExited = false;
  private keepAlive: NodeJS.Timeout | undefined;
  private exiting = false;
  private readonly log: (line: string) => void;
  private readonly calls: AgentCalls;
  private readonly say: (line: string) => void;

  constructor(private readonly options: ExecutorRuntimeOptions) {
    this.log = options.log ?? ((line) => console.error(line));
    this.calls = new AgentCalls(options.agentUrl, options.token, this.log);
    this.say = options.say ?? ((line) => console.log(line));
  }

  private get agent(): string {
    return this.options.input.agent;
  }

  start(): void {
    // Host timers do not hold the event loop: while the agent is away, nothing else would.
    this.keepAlive = setInterval(() => {}, 1 << 30);
    const trace = this.options.trace;
    this.host = new Host(this.options.machine ?? executorMachine, this.options.input, {
      name: this.options.input.self,
      onEffect: (effect) => this.onEffect(effect),
      onError: (error, event) => this.log(`Step failed on ${event.type}: ${(error as Error).stack ?? String(error)}`),
      ...(trace ? { trace: (record: TraceRecord) => appendFileSync(trace, `${JSON.stringify(record)}\n`) } : {}),
    });
  }

  private deliver(event: { type: string; [key: string]: unknown }): void {
    this.host?.send(event);
  }

  private onEffect(effect: Effect): void {
    try {
      this.applyEffect(effect);
    } catch (e) {
      this.log(`Failed to carry out a ${effect.type} effect: ${(e as Error).stack ?? String(e)}`);
    }
  }

  private applyEffect(effect: Effect): void {
    switch (effect.type) {
      case 'send': {
        const send = effect as unknown as SendEffect;
        if (send.to !== this.agent) {
          this.log(`Dropping ${send.msg.type} for ${send.to}`);
          return;
        }
        const call = this.stamp(send.msg as ExecutorCall);
        if (call.type === 'SUBSCRIBE') this.subscribe(call);
        else this.post(call);
        return;
      }
      case 'process': {
        const p = effect as unknown as { op: 'start' | 'signal'; command?: CommandInfo; signal?: NodeJS.Signals };
        if (p.op === 'start') this.startTask(p.command ?? {});
        else this.signalTask(p.signal ?? 'SIGKILL');
        return;
      }
      case 'stop': {
        const stop = effect as unknown as StopEffect;
        const status = (stop.notify?.[0]?.event as { status?: number } | undefined)?.status ?? 0;
        this.exit(status);
        return;
      }
      default:
        this.log(`Ignoring effect ${effect.type}`);
    }
  }

  /** Timestamps are the runtime's: an update gets the time it is first sent. */
  private stamp(call: ExecutorCall): ExecutorCall {
    if (call.type !== 'UPDATE' || call.update.status.timestamp !== undefined) return call;
    return { ...call, update: { ...call.update, status: { ...call.update.status, timestamp: Date.now() / 1000 } } };
  }

  // ---------------------------------------------------------------------------- agent link

  private subscribe(call: ExecutorCall): void {
    const generation = ++this.generation;
    // A newer SUBSCRIBE supersedes the stream or attempt before it.
    this.subscription?.close();
    this.subscription = undefined;
    const current = () => generation === this.generation && !this.exiting;
    let established = false;
    openRecordIO(this.calls.url, encodeExecutorCall(call), this.calls.authorization, {
      onRecord: (text) => {
        if (!current()) return;
        const event = eventOfRecord(text, this.log);
        if (!event) return;
        this.narrate(event);
        this.deliver({ ...event, from: this.agent });
      },
      onEnd: (error) => {
        if (!established || !current()) return;
        this.subscription = undefined;
        this.log(`Disconnected from the agent${error ? `: ${error.message}` : ''}`);
        this.deliver({ type: 'LINK_BROKEN', peer: this.agent });
      },
    }).then(
      (stream) => {
        if (!current()) {
          stream.close();
          return;
        }
        if (stream.status !== 200) {
          this.log(`Received '${stream.status}' (${(stream.body ?? '').trim()}) for SUBSCRIBE`);
          this.deliver({ type: 'SUBSCRIBE_FAILED', reason: stream.status === 503 || stream.status === 404 ? 'busy' : 'rejected' });
          return;
        }
        established = true;
        this.subscription = stream;
      },
      (error: Error) => {
        if (!current()) return;
        this.log(`Failed to subscribe to the agent at ${this.options.agentUrl}: ${error.message}`);
        this.deliver({ type: 'SUBSCRIBE_FAILED', reason: 'unreachable' });
      },
    );
  }

  private post(call: ExecutorCall): void {
    this.calls.post(call);
  }

  /** The lines Mesos's command executor prints on its stdout. */
  private narrate(event: ExecutorEvent): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.say('Received SUBSCRIBED event');
        this.say(`Subscribed executor on ${event.subscribed.agent_info.hostname}`);
        return;
      case 'LAUNCH':
        this.say('Received LAUNCH event');
        return;
      case 'KILL':
        this.say('Received KILL event');
        this.say(`Received kill for task ${event.kill.task_id.value}`);
        return;
      case 'ACKNOWLEDGED':
        this.say('Received ACKNOWLEDGED event');
        return;
      case 'SHUTDOWN':
        this.say('Received SHUTDOWN event');
        return;
      default:
        this.say(`Received ${event.type} event`);
    }
  }

  // ---------------------------------------------------------------------------- the task

  private startTask(command: CommandInfo): void {
    const task = this.host ? ((this.host.context as { task: { task_id: { value: string } } | null }).task?.task_id.value ?? '') : '';
    this.say(`Starting task ${task}`);
    const shell = command.shell ?? true;
    const value = command.value ?? '';
    let out: number | undefined;
    let err: number | undefined;
    try {
      out = openSync(join(this.options.sandbox, 'stdout'), 'a');
      err = openSync(join(this.options.sandbox, 'stderr'), 'a');
    } catch {
      // Not in a sandbox the agent made: share the executor's own output.
    }
    const stdio: ['ignore', number | 'inherit', number | 'inherit'] = ['ignore', out ?? 'inherit', err ?? 'inherit'];
    const [file, args, argv0] = shell ? ['/bin/sh', ['-c', value], undefined] : [value, (command.arguments ?? []).slice(1), command.arguments?.[0]];
    if (shell) this.say(`sh -c '${value}'`);
    try {
      this.task = spawn(file, args, {
        cwd: this.options.sandbox,
        env: taskEnv(command, this.options.sandbox),
        detached: true,
        stdio,
        ...(argv0 === undefined ? {} : { argv0 }),
      });
    } catch (e) {
      this.log(`Failed to launch the task: ${(e as Error).message}`);
      queueMicrotask(() => this.deliver({ type: 'PROCESS_EXITED', status: 127 }));
      return;
    } finally {
      if (out !== undefined) closeSync(out);
      if (err !== undefined) closeSync(err);
    }
    const child = this.task;
    this.taskExited = false;
    if (child.pid !== undefined) {
      this.say(`Forked command at ${child.pid}`);
      if (this.options.metaDir) writeFileAtomic(join(this.options.metaDir, 'task.pid'), String(child.pid));
    }
    child.on('error', (e) => {
      this.log(`Task process error: ${e.message}`);
      if (child.pid === undefined && !this.taskExited) {
        this.taskExited = true;
        this.deliver({ type: 'PROCESS_EXITED', status: 127 });
      }
    });
    child.on('exit', (code, signal) => {
      if (this.taskExited) return;
      this.taskExited = true;
      if (signal !== null) {
        this.say(`Command terminated with signal ${describeSignal(signal)} (pid: ${child.pid})`);
        this.deliver({ type: 'PROCESS_EXITED', status: signalNumber(signal), signal: describeSignal(signal) });
      } else {
        this.say(`Command exited with status ${code ?? 0} (pid: ${child.pid})`);
        this.deliver({ type: 'PROCESS_EXITED', status: code ?? 0 });
      }
    });
  }

  /** Signals the task's process group (the shell and everything it started). */
  private signalTask(signal: NodeJS.Signals): void {
    const pid = this.task?.pid;
    if (pid === undefined) return;
    this.say(`Sending ${signal} to process tree at pid ${pid}`);
    killGroup(pid, signal);
  }

  // ---------------------------------------------------------------------------- the end

  private exit(status: number): void {
    if (this.exiting) return;
    this.exiting = true;
    this.host?.stop();
    this.subscription?.close();
    if (this.options.metaDir) {
      try {
        writeFileAtomic(join(this.options.metaDir, 'status'), String(status));
      } catch (e) {
        this.log(`Failed to record the exit status: ${(e as Error).message}`);
      }
    }
    clearInterval(this.keepAlive);
    // The wait status the machine chose, as an exit code (the agent reads the exact one above).
    const code = status === 0 ? 0 : status % 256 === 0 ? (status >> 8) & 255 : 128 + (status & 127);
    this.log(`Executor exiting (status ${status})`);
    (this.options.exit ?? ((c: number) => process.exit(c)))(code);
  }
}
