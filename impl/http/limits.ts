/**
 * Bounds a server keeps against slow or greedy clients (issue 13: 24 concurrent 16 MiB bodies
 * took a master from 143 to 519 MB; a body trickling one byte every 2 s stayed open 300 s):
 *
 *   - request bodies buffered at once, all requests together: beyond the budget a request is
 *     answered 503 with a body saying so, and its bytes are discarded as they arrive;
 *   - headers must arrive within `headersTimeoutMs`, the whole request within
 *     `requestTimeoutMs` (Node answers 408 and closes); a response stream is not limited;
 *   - connections at once from one client address: the one past the bound is closed at once.
 *
 * Loopback clients count like any other: every agent and framework of a local cluster shares
 * 127.0.0.1, so the per-client bound is set well above what a cluster of a hundred opens.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ServerLimits {
  /** Request-body bytes held in memory at once, all requests together. */
  readonly maxBufferedBodyBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxConnectionsPerClient: number;
}

const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxBufferedBodyBytes: 32 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnectionsPerClient: 1024,
};

/** The body bytes one server holds at once. */
export class BodyBudget {
  used = 0;
  /** Requests refused for the budget so far. */
  refused = 0;
  constructor(readonly max: number) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

const budgets = new WeakMap<IncomingMessage, BodyBudget>();

/** The budget a request's body is read against (none: only the per-request limit). */
export const budgetOf = (req: IncomingMessage): BodyBudget | undefined => budgets.get(req);

/** An HTTP server with the bounds above; `budget` is exposed for metrics and benchmarks. */
export function boundedServer(handler: RequestListener, limits: Partial<ServerLimits> = {}): { server: Server; budget: BodyBudget } {
  const l = { ...DEFAULT_SERVER_LIMITS, ...limits };
  const budget = new BodyBudget(l.maxBufferedBodyBytes);
  const server = createServer(
    {
      headersTimeout: l.headersTimeoutMs,
      requestTimeout: l.requestTimeoutMs,
      // Node checks the two timeouts on this period (30 s by default, longer than they are).
      connectionsCheckingInterval: Math.min(1000, l.headersTimeoutMs),
    },
    (req, res) => {
      budgets.set(req, budget);
      handler(req, res);
    },
  );
  const perClient = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? '?';
    const n = (perClient.get(client) ?? 0) + 1;
    if (n > l.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    perClient.set(client, n);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    });
  });
  return { server, budget };
}
