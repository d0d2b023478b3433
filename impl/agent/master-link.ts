/**
 * The agent's end of the master <-> agent link (docs/runtime-transport.md): one
 * `POST /internal/agent/connect` stream of internal messages from the master, and
 * `POST /internal/agent/message`s to it, one in flight at a time so the master sees the messages
 * in order, as over Mesos's single TCP link; each POST carries every message that queued while
 * the one before it was in flight (impl/http/agent-messages.ts).
 *
 * Like a libprocess link, messages sent while the connection is being set up wait for it and
 * messages sent while there is none are lost (the machine's retry timers resend what matters).
 * When an established stream ends or breaks, the link reconnects at once (then with backoff) and
 * reports it, so the machine hears `LINK_BROKEN { peer: 'master' }` and re-registers. When a
 * connection comes up after failed attempts, what the machine sent meanwhile was lost, and the
 * master may be a new one: that is reported the same way, so the machine (re-)registers at once
 * instead of at its next backoff (up to a minute), as Mesos's agent does when it detects a master.
 */
import { openRecordIO, request, type RecordIOStream } from '../http/client.ts';
import { decodeInternal, encodeInternal, type InternalMessage } from '../../spec/protocol/index.ts';
import { currentMaster, type MasterLocator } from '../zk/detector.ts';
import { AGENT_MESSAGES_BATCH, MESSAGE_IDS_HEADER, MESSAGE_ID_FIELD, agentMessagesBatch } from '../http/agent-messages.ts';

export interface MasterLinkOptions {
  /** The master's base URL, e.g. `http://127.0.0.1:5050`, or a leader detector (`--master zk://...`): the link follows the leader. */
  readonly master: string | MasterLocator;
  /** A message from the master; `id` is its trace id when the master traces (impl/host.ts). */
  readonly onMessage: (message: InternalMessage, id?: string) => void;
  /** An established connection ended, or one came up after failed attempts. */
  readonly onBroken: () => void;
  readonly log: (line: string) => void;
  /** The agent's --credential as an `Authorization` header, sent on the connection and every message. */
  readonly authorization?: Record<string, string>;
  /** `batch` (default): a POST carries every message queued behind the one in flight; `each`: one message per POST (the former link, for the bench's baseline). */
  readonly mode?: MasterLinkMode;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export type MasterLinkMode = 'batch' | 'each';

/** A message on its way to the master: its encoded body and, when the agent traces, its trace id. */
interface Outgoing {
  readonly body: string;
  readonly id?: string | undefined;
}

type LinkState = 'idle' | 'connecting' | 'connected' | 'down' | 'closed';

/** Bound on messages waiting for a connection being set up. */
const MAX_BUFFERED = 1000;

/** Bounds on one POST's batch: well under the master's 16 MiB body limit, and its body budget. */
const MAX_BATCH_MESSAGES = 256;
const MAX_BATCH_BYTES = 1024 * 1024;

export class MasterLink {
  private state: LinkState = 'idle';
  private connection: string | null = null;
  private stream: RecordIOStream | null = null;
  private buffered: Outgoing[] = [];
  private readonly outbox: (Outgoing & { connection: string })[] = [];
  private posting = false;
  private backoff: number;
  private retry: NodeJS.Timeout | undefined;
  /** Attempts failed since the last connection: messages were lost. */
  private failures = 0;
  /** The master the current connection (attempt) is to, and that attempt's number: a replaced connection's end is not news. */
  private connectedTo: string | undefined;
  private attempt = 0;

  constructor(private readonly options: MasterLinkOptions) {
    this.backoff = options.minBackoffMs ?? 100;
    if (typeof options.master !== 'string') options.master.onChange((url) => this.leaderChanged(url));
  }

  /** A new leader was detected: leave the old one (its messages are no longer the leader's), or stop waiting out a backoff. */
  private leaderChanged(url: string | undefined): void {
    if (url === undefined || url === this.connectedTo || this.state === 'closed' || this.state === 'idle') return;
    this.options.log(`Detected a new leading master at ${url}`);
    if (this.state === 'connected') {
      this.stream?.close();
      this.broken();
    } else if (this.state === 'down') {
      clearTimeout(this.retry);
      this.connect();
    }
  }

  start(): void {
    if (this.state === 'idle') this.connect();
  }

  /** Sends a message to the master (encoded now; a bad message throws here), with its trace id when the agent traces. */
  send(message: InternalMessage, id?: string): void {
    const body = encodeInternal(message);
    if (this.state === 'connected' && this.connection !== null) {
      this.outbox.push({ connection: this.connection, body, id });
      this.flush().catch((e: Error) => this.options.log(`Sending to the master failed: ${e.message}`));
    } else if (this.state === 'connecting' || this.state === 'idle') {
      if (this.buffered.length >= MAX_BUFFERED) this.buffered.shift();
      this.buffered.push({ body, id });
    } else {
      this.options.log(`Dropping ${message.type} to the master: not connected`);
    }
  }

  /**
   * Resolves once every message handed to send() has been posted (or failed), or after
   * `timeoutMs`: a stopping agent's last word (UNREGISTER_AGENT) is not cut off by close().
   */
  async drained(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.posting || this.outbox.length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  close(): void {
    this.state = 'closed';
    clearTimeout(this.retry);
    this.stream?.close();
    this.stream = null;
    this.buffered = [];
    this.outbox.length = 0;
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const master = currentMaster(this.options.master);
    const attempt = ++this.attempt;
    this.connectedTo = master;
    if (master === undefined) {
      if (this.failures % 20 === 0) this.options.log('No leading master detected yet');
      this.failed();
      return;
    }
    const url = new URL('/internal/agent/connect', master);
    let established = false;
    openRecordIO(
      url,
      '',
      { ...this.options.authorization },
      {
        onRecord: (text) => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            this.options.log(`Ignoring a record from the master that is not JSON: ${text.slice(0, 200)}`);
            return;
          }
          // A traced master's trace id rides beside the message (impl/http/agent-messages.ts).
          let id: string | undefined;
          if (typeof json === 'object' && json !== null && MESSAGE_ID_FIELD in json) {
            const { [MESSAGE_ID_FIELD]: given, ...message } = json as Record<string, unknown>;
            if (typeof given === 'string') id = given;
            json = message;
          }
          const decoded = decodeInternal(json);
          if (!decoded.ok) {
            this.options.log(`Ignoring an invalid message from the master: ${decoded.error}`);
            return;
          }
          this.options.onMessage(decoded.value, id);
        },
        onEnd: (error) => {
          if (!established || this.state === 'closed' || attempt !== this.attempt) return;
          this.options.log(`Lost the connection to the master${error ? `: ${error.message}` : ''}`);
          this.broken();
        },
      },
    ).then(
      (stream) => {
        if (this.state === 'closed' || attempt !== this.attempt) {
          stream.close();
          return;
        }
        const id = stream.headers['mesos-agent-connection'];
        if (stream.status !== 200 || typeof id !== 'string' || id === '') {
          this.options.log(`The master refused the connection: ${stream.status} ${stream.body ?? ''}`.trim());
          stream.close();
          this.failed();
          return;
        }
        established = true;
        this.stream = stream;
        this.connection = id;
        this.state = 'connected';
        this.backoff = this.options.minBackoffMs ?? 100;
        this.options.log(`Connected to the master at ${master} as ${id}`);
        for (const m of this.buffered) this.outbox.push({ ...m, connection: id });
        this.buffered = [];
        this.flush().catch((e: Error) => this.options.log(`Sending to the master failed: ${e.message}`));
        if (this.failures > 0) {
          this.failures = 0;
          this.options.onBroken();
        }
      },
      (error: Error) => {
        if (this.state === 'closed' || attempt !== this.attempt) return;
        if (this.failures === 0 || this.failures % 20 === 0) {
          this.options.log(`Failed to connect to the master at ${master}: ${error.message}${this.failures ? ` (${this.failures} attempts)` : ''}`);
        }
        this.failed();
      },
    );
  }

  /** A connection attempt failed: what waited for it is lost; try again after the backoff. */
  private failed(): void {
    if (this.state === 'closed') return;
    this.failures += 1;
    this.state = 'down';
    this.buffered = [];
    this.retry = setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 1000);
  }

  /** An established connection ended: reconnect at once, and tell the machine. */
  private broken(): void {
    this.stream = null;
    this.connection = null;
    this.outbox.length = 0;
    this.connect();
    this.options.onBroken();
  }

  /**
   * Posts the outbox, one POST at a time so the master handles the messages in send order. In
   * `batch` mode a POST carries every message that queued behind the one before it (up to
   * MAX_BATCH_*), as a libprocess link writes its messages back to back without waiting for the
   * peer; in `each` mode, one message per POST (the former link, kept for the bench).
   */
  private async flush(): Promise<void> {
    if (this.posting) return;
    this.posting = true;
    try {
      while (this.outbox.length > 0) {
        const connection = this.connection;
        const taken = this.takeBatch();
        if (taken.length === 0 || connection === null) continue;
        const bodies = taken.map((m) => m.body);
        const batch = bodies.length > 1;
        const ids: Record<string, string> = taken.some((m) => m.id !== undefined) ? { [MESSAGE_IDS_HEADER]: taken.map((m) => m.id ?? '').join(',') } : {};
        const send = () =>
          request(new URL('/internal/agent/message', this.connectedTo), {
            method: 'POST',
            body: batch ? agentMessagesBatch(bodies) : bodies[0]!,
            headers: { 'Content-Type': batch ? AGENT_MESSAGES_BATCH : 'application/json', 'Mesos-Agent-Connection': connection, ...ids, ...this.options.authorization },
            timeoutMs: 30_000,
          });
        try {
          // A pooled connection may be stale: one retry on a fresh one.
          const answer = await send().catch((e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? send() : Promise.reject(e)));
          if (answer.status !== 202) this.options.log(`The master answered ${answer.status} to ${batch ? `${bodies.length} messages` : 'a message'}: ${answer.body.slice(0, 300)}`);
        } catch (e) {
          this.options.log(`Failed to send ${batch ? `${bodies.length} messages` : 'a message'} to the master: ${(e as Error).message}`);
        }
      }
    } finally {
      this.posting = false;
    }
  }

  /** The next POST's messages from the front of the outbox: those of the current connection, in order (one in `each` mode). */
  private takeBatch(): Outgoing[] {
    const bodies: Outgoing[] = [];
    let bytes = 0;
    const most = this.options.mode === 'each' ? 1 : MAX_BATCH_MESSAGES;
    while (this.outbox.length > 0 && bodies.length < most) {
      const { connection, body, id } = this.outbox[0]!;
      if (bodies.length > 0 && bytes + body.length > MAX_BATCH_BYTES) break;
      this.outbox.shift();
      // Queued for a connection that has since ended: lost with it.
      if (connection !== this.connection) continue;
      bodies.push({ body, id });
      bytes += body.length + 1;
    }
    return bodies;
  }
}
