/**
 * A tiny master that speaks the master <-> agent transport of docs/runtime-transport.md, for
 * testing agents without the real master: it registers agents, records every message, sends what
 * a test tells it to, and acknowledges status updates only when asked (or automatically).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FrameworkInfo, TaskInfo } from '../../spec/protocol/common.ts';
import type { InternalMessage, StatusUpdate } from '../../spec/protocol/internal.ts';
import { encodeInternal } from '../../spec/protocol/json.ts';
import { AGENT_MESSAGES_BATCH, parseAgentMessages } from '../../impl/http/agent-messages.ts';
import { readBody } from '../../impl/http/body.ts';
import { mediaTypeOf } from '../../impl/http/negotiate.ts';
import { listen, shutdown } from '../../impl/http/listen.ts';
import { RecordIOResponse } from '../../impl/http/recordio.ts';
import { respondText } from '../../impl/http/respond.ts';

export interface Received {
  readonly connection: string;
  readonly message: InternalMessage;
}

export interface FakeMasterOptions {
  /** Acknowledge every STATUS_UPDATE with a uuid as soon as it arrives. */
  readonly autoAck?: boolean;
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export class FakeMaster {
  readonly received: Received[] = [];
  autoAck: boolean;
  /** The master's id: agent ids are `<id>-S<n>`. */
  readonly id = `fake-${process.pid}-${Date.now().toString(36)}`;
  private readonly streams = new Map<string, RecordIOResponse>();
  private readonly agentIds = new Map<string, string>();
  private counter = 0;
  private agents = 0;
  private readonly waiters: { pred: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  private server: Server | undefined;
  url = '';

  private constructor(private readonly options: FakeMasterOptions) {
    this.autoAck = options.autoAck ?? false;
  }

  static async start(options: FakeMasterOptions = {}): Promise<FakeMaster> {
    const m = new FakeMaster(options);
    m.server = createServer((req, res) => {
      m.route(req, res).catch((e: Error) => respondText(res, 500, `fake master: ${e.message}`));
    });
    const address = await listen(m.server, options.port ?? 0, '127.0.0.1');
    m.url = `http://127.0.0.1:${address.port}`;
    return m;
  }

  async close(): Promise<void> {
    for (const s of this.streams.values()) s.end();
    this.streams.clear();
    if (this.server) await shutdown(this.server);
  }

  /** The newest open agent connection. */
  get latestConnection(): string | undefined {
    return [...this.streams.keys()].pop();
  }

  send(message: InternalMessage, connection = this.latestConnection): void {
    const stream = connection === undefined ? undefined : this.streams.get(connection);
    if (!stream) throw new Error(`fake master: no connection ${connection}`);
    stream.write(encodeInternal(message));
  }

  agentIdOf(connection = this.latestConnection): string | undefined {
    return connection === undefined ? undefined : this.agentIds.get(connection);
  }

  /** Every STATUS_UPDATE received, in arrival order (retries included). */
  updates(): StatusUpdate[] {
    return this.received.flatMap((r) => (r.message.type === 'STATUS_UPDATE' ? [r.message.update] : []));
  }

  /** Resolves with the first message (already received or future) that satisfies `pred`. */
  waitFor(pred: (r: Received) => boolean, timeoutMs = 15_000, what = 'a message'): Promise<Received> {
    const found = this.received.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (r: Received) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`fake master: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits for a STATUS_UPDATE of `task` in `state`. */
  async waitForUpdate(task: string, state: string, timeoutMs = 15_000): Promise<StatusUpdate> {
    const r = await this.waitFor(
      (x) => x.message.type === 'STATUS_UPDATE' && x.message.update.status.task_id.value === task && x.message.update.status.state === state,
      timeoutMs,
      `${state} of ${task}`,
    );
    return (r.message as Extract<InternalMessage, { type: 'STATUS_UPDATE' }>).update;
  }

  /** STATUS_UPDATE_ACK for an update, to the agent's newest connection. */
  ack(update: StatusUpdate, connection = this.latestConnection): void {
    this.send(
      {
        type: 'STATUS_UPDATE_ACK',
        agent_id: update.agent_id ?? { value: this.agentIdOf(connection) ?? '' },
        framework_id: update.framework_id,
        task_id: update.status.task_id,
        uuid: update.uuid!,
      },
      connection,
    );
  }

  /** RUN_TASK of a command task on the newest connection's agent. */
  runTask(framework: FrameworkInfo, task: Omit<TaskInfo, 'agent_id'>, connection = this.latestConnection): TaskInfo {
    const full: TaskInfo = { ...task, agent_id: { value: this.agentIdOf(connection) ?? '' } };
    this.send({ type: 'RUN_TASK', framework, task: full, launch_executor: true }, connection);
    return full;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://m').pathname;
    if (req.method === 'POST' && path === '/internal/agent/connect') {
      await readBody(req);
      const id = `agent-conn-${++this.counter}`;
      const stream = new RecordIOResponse(res);
      stream.start({ 'Mesos-Agent-Connection': id });
      this.streams.set(id, stream);
      stream.onPeerClose(() => {
        if (this.streams.get(id) === stream) this.streams.delete(id);
      });
      return;
    }
    if (req.method === 'POST' && path === '/internal/agent/message') {
      const body = await readBody(req);
      const connection = req.headers['mesos-agent-connection'];
      if (!body.ok) return respondText(res, body.status, body.error);
      if (typeof connection !== 'string' || !this.streams.has(connection)) return respondText(res, 404, 'Unknown connection');
      // One message, or the agent link's batch of them (impl/http/agent-messages.ts), in order.
      const decoded = parseAgentMessages(mediaTypeOf(req.headers) === AGENT_MESSAGES_BATCH, body.text);
      if (!decoded.ok) return respondText(res, 400, decoded.error);
      respondText(res, 202);
      for (const message of decoded.value) this.receive(connection, message);
      return;
    }
    respondText(res, 404);
  }

  private receive(connection: string, message: InternalMessage): void {
    const r: Received = { connection, message };
    this.received.push(r);
    this.options.log?.(`${connection} -> ${message.type}`);
    switch (message.type) {
      case 'REGISTER_AGENT': {
        const id = this.agentIds.get(connection) ?? `${this.id}-S${this.agents++}`;
        this.agentIds.set(connection, id);
        this.send({ type: 'AGENT_REGISTERED', agent_id: { value: id }, connection: { total_ping_timeout_seconds: 75 } }, connection);
        break;
      }
      case 'REREGISTER_AGENT': {
        const id = message.agent_info.id?.value ?? `${this.id}-S${this.agents++}`;
        this.agentIds.set(connection, id);
        this.send({ type: 'AGENT_REREGISTERED', agent_id: { value: id }, connection: { total_ping_timeout_seconds: 75 } }, connection);
        break;
      }
      case 'STATUS_UPDATE':
        if (this.autoAck && message.update.uuid !== undefined) this.ack(message.update, connection);
        break;
      default:
        break;
    }
    for (const w of [...this.waiters]) {
      if (w.pred(r)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(r);
      }
    }
  }
}
