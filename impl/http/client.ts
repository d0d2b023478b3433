/**
 * A small HTTP client over node:http for the runtime's own processes (scheduler client, agents,
 * tests): one request with a text body and the whole answer, or one streaming request whose
 * RecordIO records are handed over as they arrive.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { readRecordIO } from './recordio.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Give up after this long (default 75 s, what Mesos recommends for scheduler calls). */
  readonly timeoutMs?: number;
}

/**
 * A keep-alive socket the server closed while it sat in the pool fails the next request with
 * ECONNRESET before the server saw it; such a request is sent once more on a fresh socket
 * (what Node's documentation recommends).
 */
function staleSocket(req: { reusedSocket?: boolean }, e: NodeJS.ErrnoException): boolean {
  return req.reusedSocket === true && (e.code === 'ECONNRESET' || e.code === 'EPIPE');
}

/** One request; resolves with status, headers and body text; rejects on connection errors. */
export function request(url: string | URL, options: RequestOptions = {}, retried = false): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
    const req = httpRequest(
      url,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { ...(body !== undefined ? { 'Content-Length': String(body.length) } : {}), ...(options.headers ?? {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 75_000, () => req.destroy(new Error(`timed out after ${options.timeoutMs ?? 75_000} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!retried && staleSocket(req, e)) request(url, options, true).then(resolve, reject);
      else reject(e);
    });
    req.end(body);
  });
}

/** POST a JSON text body. */
export function postJson(url: string | URL, json: string, headers: Record<string, string> = {}, timeoutMs?: number): Promise<HttpAnswer> {
  return request(url, { method: 'POST', body: json, headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, ...(timeoutMs ? { timeoutMs } : {}) });
}

/** An open streaming response. */
export interface RecordIOStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body, if the answer was not 200 (then no record ever arrives). */
  readonly body?: string;
  /** Closes the stream from our side; `onEnd` is not called afterwards. */
  close(): void;
}

export interface StreamHandlers {
  /** Called with the answer's status and headers before any record (and before the promise resolves). */
  readonly onHeaders?: (status: number, headers: IncomingHttpHeaders) => void;
  readonly onRecord: (text: string) => void;
  /** The stream ended or broke (not called after `close()`). */
  readonly onEnd: (error?: Error) => void;
}

/**
 * POSTs `json` and, on `200`, reads the answer as a RecordIO stream. Resolves once the headers
 * arrived (records may follow at any time); rejects on connection errors.
 */
export function openRecordIO(url: string | URL, json: string, headers: Record<string, string>, handlers: StreamHandlers, retried = false): Promise<RecordIOStream> {
  return new Promise((resolve, reject) => {
    let closed = false;
    const body = Buffer.from(json, 'utf8');
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(body.length), ...headers },
    });
    let settled = false;
    const close = () => {
      closed = true;
      req.destroy();
    };
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!settled) {
        settled = true;
        if (!retried && staleSocket(req, e)) openRecordIO(url, json, headers, handlers, true).then(resolve, reject);
        else reject(e);
      }
    });
    req.on('response', (res: IncomingMessage) => {
      settled = true;
      const status = res.statusCode ?? 0;
      handlers.onHeaders?.(status, res.headers);
      if (status !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), close }));
        res.on('error', () => resolve({ status, headers: res.headers, body: '', close }));
        return;
      }
      resolve({ status, headers: res.headers, close });
      readRecordIO(
        res,
        (text) => {
          if (!closed) handlers.onRecord(text);
        },
        (error) => {
          if (!closed) {
            closed = true;
            handlers.onEnd(error);
          }
        },
      );
    });
    req.end(body);
  });
}
