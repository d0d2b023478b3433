/**
 * A loopback TCP proxy in front of the master, one per framework, so a test can break that
 * framework's subscription connection the way a network does (both sides see the socket close)
 * without reaching into the client. A connection is a subscription once a request on it says
 * `"type":"SUBSCRIBE"`. As a mutant, it can also refuse every ACKNOWLEDGE (the connection is
 * reset before the master sees the request).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  subscription: boolean;
}

export class Proxy {
  private readonly pairs = new Set<Pair>();
  /** ACKNOWLEDGE requests reset so far (the mutant). */
  droppedAcks = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: { dropAcks: boolean },
  ) {}

  static async start(target: string, options: { dropAcks?: boolean } = {}): Promise<Proxy> {
    const to = new URL(target);
    let proxy: Proxy | undefined;
    const server = createServer((client) => proxy!.accept(client, to));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    proxy = new Proxy(server, `http://127.0.0.1:${port}`, { dropAcks: options.dropAcks ?? false });
    return proxy;
  }

  private accept(client: Socket, to: URL): void {
    const upstream = connect(Number(to.port), to.hostname);
    const pair: Pair = { client, upstream, subscription: false };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (/"type"\s*:\s*"SUBSCRIBE"/.test(text)) pair.subscription = true;
      if (this.options.dropAcks && /"type"\s*:\s*"ACKNOWLEDGE"/.test(text)) {
        this.droppedAcks++;
        end();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  }

  /** Breaks every subscription connection now; returns how many. */
  dropSubscriptions(): number {
    let n = 0;
    for (const p of [...this.pairs]) {
      if (!p.subscription) continue;
      n++;
      p.client.destroy();
      p.upstream.destroy();
      this.pairs.delete(p);
    }
    return n;
  }

  async close(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
