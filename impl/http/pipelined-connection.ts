/**
 * HTTP/1.1 requests pipelined on one keep-alive connection: each request is written as soon as it
 * is made, without waiting for the answers before it, and the answers come back in the order the
 * requests were written (RFC 9112 §9.3.2). This is how Mesos's executor library talks to its agent
 * (libprocess's `http::Connection`: "pipelining is automatically performed"). Node's own client
 * never pipelines, hence this one; it reads the answers the reference's servers give: a status
 * line, headers, and a body sized by `Content-Length`, chunked, or ended by the connection's end.
 */
import { connect, type Socket } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAnswer } from './client.ts';

interface Waiting {
  readonly bytes: Buffer;
  readonly resolve: (answer: HttpAnswer) => void;
  readonly reject: (error: Error) => void;
  /** Sent once more already, after a connection that broke before answering it. */
  retried: boolean;
}

/** The answer being read: its head, and how its body ends. */
interface Head {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };
  readonly chunks: Buffer[];
  readonly close: boolean;
}

export class PipelinedConnection {
  private socket: Socket | undefined;
  /** Written and not yet answered, oldest first. */
  private waiting: Waiting[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private head: Head | undefined;

  constructor(
    private readonly url: URL,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Writes the request now; resolves with its answer once every earlier one was answered. */
  request(method: string, headers: Record<string, string>, body: string | Buffer): Promise<HttpAnswer> {
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const lines = [`${method} ${this.url.pathname}${this.url.search} HTTP/1.1`, `Host: ${this.url.host}`, `Content-Length: ${payload.length}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    const bytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
    return new Promise((resolve, reject) => this.write({ bytes, resolve, reject, retried: false }));
  }

  /** Closes the connection; whatever was unanswered fails. */
  close(): void {
    this.socket?.destroy(new Error('the connection was closed'));
  }

  private write(w: Waiting): void {
    const socket = this.socket ?? this.open();
    this.waiting.push(w);
    // Only a connection with an unanswered request keeps the process alive.
    socket.ref();
    socket.write(w.bytes);
  }

  private open(): Socket {
    const socket = connect({ host: this.url.hostname, port: Number(this.url.port || 80) });
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs, () => {
      if (this.waiting.length > 0) socket.destroy(new Error(`timed out after ${this.timeoutMs} ms`));
    });
    let failure: NodeJS.ErrnoException | undefined;
    socket.on('data', (data: Buffer) => {
      this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
      try {
        this.readAnswers();
      } catch (e) {
        socket.destroy(e as Error);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (failure = e));
    socket.on('close', () => this.closed(socket, failure));
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.head = undefined;
    return socket;
  }

  /**
   * The connection ended. An answer read to the connection's end is complete; the requests
   * still unanswered are written once more, in their order, on a new connection when the old one
   * was reset or closed by the server (a keep-alive connection it closed as we wrote, or a
   * restarted server; the reference's agent ignores an update it already has, by its uuid), and
   * fail otherwise (refused, timed out, garbled).
   */
  private closed(socket: Socket, failure: NodeJS.ErrnoException | undefined): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    if (this.head?.body.kind === 'close' && failure === undefined) this.answered(this.head);
    this.head = undefined;
    const unanswered = this.waiting;
    this.waiting = [];
    const again = failure === undefined || failure.code === 'ECONNRESET' || failure.code === 'EPIPE';
    const error = failure ?? new Error('the connection closed before the answer');
    for (const w of unanswered) {
      if (again && !w.retried) {
        w.retried = true;
        this.write(w);
      } else w.reject(error);
    }
  }

  private answered(head: Head): void {
    const w = this.waiting.shift();
    if (this.waiting.length === 0) this.socket?.unref();
    w?.resolve({ status: head.status, headers: head.headers, body: Buffer.concat(head.chunks).toString('utf8') });
  }

  /** Reads every complete answer in the buffer, each to the oldest unanswered request. */
  private readAnswers(): void {
    for (;;) {
      if (!this.head) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine, ...fields] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
        this.buffer = this.buffer.subarray(end + 4);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
        if (!status) throw new Error(`not an HTTP answer: ${(statusLine ?? '').slice(0, 80)}`);
        const code = Number(status[1]);
        if (code >= 100 && code < 200) continue; // an interim answer (100 Continue): the final one follows
        const headers: Record<string, string> = {};
        for (const field of fields) {
          const colon = field.indexOf(':');
          if (colon <= 0) continue;
          const name = field.slice(0, colon).trim().toLowerCase();
          const value = field.slice(colon + 1).trim();
          headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
        }
        const chunked = /(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '');
        const length = headers['content-length'];
        const body: Head['body'] = chunked
          ? { kind: 'chunked' }
          : length !== undefined
            ? { kind: 'length', left: Number(length) }
            : code === 204 || code === 304
              ? { kind: 'length', left: 0 }
              : { kind: 'close' };
        if (body.kind === 'length' && !(Number.isInteger(body.left) && body.left >= 0)) throw new Error(`bad Content-Length: ${length}`);
        this.head = { status: code, headers, body, chunks: [], close: /(^|,)\s*close\s*($|,)/i.test(headers['connection'] ?? '') };
      }
      const head = this.head;
      if (!this.readBody(head)) return;
      this.head = undefined;
      this.answered(head);
      // A server that closes after this answer never reads the requests behind it: they go again on a new connection.
      if (head.close) {
        this.socket?.end();
        return;
      }
    }
  }

  /** Moves the body's bytes from the buffer; true once the body is complete. */
  private readBody(head: Head): boolean {
    const body = head.body;
    if (body.kind === 'close') {
      head.chunks.push(this.buffer);
      this.buffer = Buffer.alloc(0);
      return false;
    }
    if (body.kind === 'length') {
      const take = Math.min(body.left, this.buffer.length);
      head.chunks.push(this.buffer.subarray(0, take));
      this.buffer = this.buffer.subarray(take);
      body.left -= take;
      return body.left === 0;
    }
    for (;;) {
      const eol = this.buffer.indexOf('\r\n');
      if (eol < 0) return false;
      const size = parseInt(this.buffer.subarray(0, eol).toString('latin1').split(';')[0]!, 16);
      if (!Number.isInteger(size) || size < 0) throw new Error('bad chunk size');
      if (size === 0) {
        // The last chunk, then trailer fields up to an empty line.
        const end = this.buffer.indexOf('\r\n\r\n', eol);
        const rest = this.buffer.subarray(eol + 2);
        if (rest.length >= 2 && rest[0] === 0x0d && rest[1] === 0x0a) {
          this.buffer = rest.subarray(2);
          return true;
        }
        if (end < 0) return false;
        this.buffer = this.buffer.subarray(end + 4);
        return true;
      }
      if (this.buffer.length < eol + 2 + size + 2) return false;
      head.chunks.push(this.buffer.subarray(eol + 2, eol + 2 + size));
      this.buffer = this.buffer.subarray(eol + 2 + size + 2);
    }
  }
}
