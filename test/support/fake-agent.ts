/**
 * A minimal agent that speaks the master <-> agent transport (docs/runtime-transport.md) without
 * running anything: it connects, registers, answers RUN_TASK with scripted STATUS_UPDATEs (one
 * in flight per task, the next after its STATUS_UPDATE_ACK, as the agent's status-update stream
 * does), answers KILL_TASK with TASK_KILLED and PING with PONG, and can drop and re-open its
 * connection to re-register. For tests and benchmarks of the master; not an agent.
 */
import { randomUUID } from 'node:crypto';
import type { AgentInfo, Resource, Task, TaskInfo, TaskState, TaskStatus } from '../../spec/protocol/common.ts';
import type { InternalMessage, StatusUpdate } from '../../spec/protocol/internal.ts';
import { decodeInternal, encodeInternal, parseJsonText } from '../../spec/protocol/json.ts';
import { isTerminal } from '../../spec/protocol/common.ts';
import { openRecordIO, postJson, type RecordIOStream } from '../../impl/http/client.ts';

const FAKE_AGENT_RESOURCES: Resource[] = [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 4 } },
  { name: 'mem', type: 'SCALAR', scalar: { value: 4096 } },
  { name: 'disk', type: 'SCALAR', scalar: { value: 10000 } },
  { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } },
];

export interface FakeAgentOptions {
  /** The master's URL, e.g. http://127.0.0.1:5050. */
  readonly master: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly resources?: Resource[];
  /** The states each launched task reports, in order (default RUNNING then FINISHED). */
  readonly script?: (task: TaskInfo) => readonly TaskState[];
}

interface FakeTask {
  readonly frameworkId: string;
  readonly info: TaskInfo;
  state: TaskState;
  /** Updates not yet acknowledged, head in flight. */
  readonly queue: { state: TaskState; uuid: string; timestamp: number }[];
}

/** 16 random bytes of a version-4 UUID, Base64 (what `status.uuid` holds). */
export function randomUuidBase64(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');
}

export class FakeAgent {
  agentId: string | undefined;
  connection: string | undefined;
  /** Every message the master sent, in order. */
  readonly received: InternalMessage[] = [];
  readonly tasks = new Map<string, FakeTask>();
  private stream: RecordIOStream | undefined;
  private waiters: { pred: (m: InternalMessage) => boolean; resolve: (m: InternalMessage) => void }[] = [];
  private readonly info: AgentInfo;

  constructor(readonly options: FakeAgentOptions) {
    this.info = {
      hostname: options.hostname ?? '127.0.0.1',
      port: options.port ?? 5051,
      resources: options.resources ?? FAKE_AGENT_RESOURCES,
    };
  }

  /** Connects and registers (or re-registers, once it has an id); resolves when the master confirmed. */
  async start(): Promise<this> {
    await this.connect();
    const confirmed = this.next((m) => m.type === 'AGENT_REGISTERED' || m.type === 'AGENT_REREGISTERED');
    if (this.agentId === undefined) {
      await this.send({ type: 'REGISTER_AGENT', agent_info: this.info, version: '1.11.0' });
    } else {
      await this.send({
        type: 'REREGISTER_AGENT',
        agent_info: { ...this.info, id: { value: this.agentId } },
        tasks: [...this.tasks.values()].map((t) => this.report(t)),
        version: '1.11.0',
      });
    }
    const m = await confirmed;
    if (m.type === 'AGENT_REGISTERED' || m.type === 'AGENT_REREGISTERED') this.agentId = m.agent_id.value;
    // Resume the status-update streams: resend every head.
    for (const [tid, t] of this.tasks) if (t.queue.length > 0) this.background(this.forward(tid));
    return this;
  }

  /** Opens the connection stream (the master learns nothing until a message arrives). */
  async connect(): Promise<void> {
    this.stream = await openRecordIO(
      new URL('/internal/agent/connect', this.options.master),
      '',
      {},
      {
        onRecord: (text) => this.onRecord(text),
        onEnd: () => {
          this.stream = undefined;
        },
      },
    );
    if (this.stream.status !== 200) throw new Error(`connect: ${this.stream.status} ${this.stream.body ?? ''}`);
    this.connection = String(this.stream.headers['mesos-agent-connection']);
  }

  /** Drops the connection (the master sees LINK_BROKEN). */
  disconnect(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  close(): void {
    this.disconnect();
  }

  get connected(): boolean {
    return this.stream !== undefined;
  }

  /** Posts one message on the current connection; resolves with the HTTP status. */
  /** What went wrong in the background (a forward or a PONG the master refused), for tests to read. */
  readonly failures: Error[] = [];

  /** A request nobody awaits: its failure is recorded, never an unhandled rejection. */
  private background(p: Promise<unknown>): void {
    p.catch((e: Error) => this.failures.push(e));
  }

  async send(msg: InternalMessage): Promise<number> {
    const r = await postJson(new URL('/internal/agent/message', this.options.master), encodeInternal(msg), { 'Mesos-Agent-Connection': this.connection ?? '' });
    return r.status;
  }

  /** The next message (from now on) matching `pred`. */
  next(pred: (m: InternalMessage) => boolean = () => true): Promise<InternalMessage> {
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  private onRecord(text: string): void {
    const json = parseJsonText(text);
    const m = json.ok ? decodeInternal(json.value) : json;
    if (!m.ok) throw new Error(`fake agent: undecodable message from the master: ${m.error}: ${text}`);
    const msg = m.value;
    this.received.push(msg);
    this.handle(msg);
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (w.pred(msg)) w.resolve(msg);
      else this.waiters.push(w);
    }
  }

  private handle(msg: InternalMessage): void {
    switch (msg.type) {
      case 'PING':
        this.background(this.send({ type: 'PONG' }));
        break;
      case 'RUN_TASK': {
        const script = this.options.script?.(msg.task) ?? ['TASK_RUNNING', 'TASK_FINISHED'];
        const tid = msg.task.task_id.value;
        const t: FakeTask = { frameworkId: msg.framework.id?.value ?? '', info: msg.task, state: 'TASK_STAGING', queue: [] };
        this.tasks.set(tid, t);
        for (const state of script) this.update(tid, state);
        break;
      }
      case 'KILL_TASK': {
        const t = this.tasks.get(msg.task_id.value);
        if (t && !isTerminal(t.state)) this.update(msg.task_id.value, 'TASK_KILLED');
        break;
      }
      case 'STATUS_UPDATE_ACK': {
        const t = this.tasks.get(msg.task_id.value);
        if (!t || t.queue[0]?.uuid !== msg.uuid) break;
        t.queue.shift();
        if (t.queue.length > 0) this.background(this.forward(msg.task_id.value));
        else if (isTerminal(t.state)) this.tasks.delete(msg.task_id.value);
        break;
      }
      case 'SHUTDOWN_FRAMEWORK':
        for (const [tid, t] of this.tasks) if (t.frameworkId === msg.framework_id.value) this.tasks.delete(tid);
        break;
      default:
        break;
    }
  }

  /** Queues a status update for the task; it is forwarded when it reaches the head. */
  update(tid: string, state: TaskState): void {
    const t = this.tasks.get(tid);
    if (!t) return;
    t.state = state;
    t.queue.push({ state, uuid: randomUuidBase64(), timestamp: Date.now() / 1000 });
    if (t.queue.length === 1) this.background(this.forward(tid));
  }

  private async forward(tid: string): Promise<void> {
    const t = this.tasks.get(tid);
    const head = t?.queue[0];
    if (!t || !head || !this.connected) return;
    const status: TaskStatus = {
      task_id: { value: tid },
      state: head.state,
      source: 'SOURCE_EXECUTOR',
      ...(this.agentId ? { agent_id: { value: this.agentId } } : {}),
      executor_id: { value: tid },
      timestamp: head.timestamp,
      uuid: head.uuid,
    };
    const update: StatusUpdate = {
      framework_id: { value: t.frameworkId },
      executor_id: { value: tid },
      ...(this.agentId ? { agent_id: { value: this.agentId } } : {}),
      status,
      timestamp: head.timestamp,
      uuid: head.uuid,
      latest_state: t.state,
    };
    await this.send({ type: 'STATUS_UPDATE', update }).catch(() => undefined);
  }

  private report(t: FakeTask): Task {
    return {
      name: t.info.name,
      task_id: t.info.task_id,
      framework_id: { value: t.frameworkId },
      executor_id: { value: t.info.task_id.value },
      agent_id: { value: this.agentId ?? '' },
      state: t.state,
      resources: t.info.resources ?? [],
    };
  }
}
