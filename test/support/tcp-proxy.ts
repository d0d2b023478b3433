/**
 * A TCP proxy a test owns, to cut a client off a server and let it back in on cue: e.g. a
 * ZooKeeper client kept away from the server for longer than its session timeout, so the server
 * expires the session as it would on a real network partition (no server-side tricks, and the
 * client learns of the expiry the ordinary way, when it reconnects).
 *
 * While cut, every forwarded connection is destroyed and new ones are accepted and closed at once
 * (the listening port stays ours, so nothing else can take it before `restore`).
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** `127.0.0.1:port`: what a client connects to instead of the target. */
  readonly address: string;
  /** Connections forwarded so far. */
  readonly forwarded: number;
  /** Connections turned away while cut. */
  readonly refused: number;
  /** Drops every connection and turns new ones away until `restore`. */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
  let isCut = false;
  let forwarded = 0;
  let refused = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    if (isCut) {
      refused++;
      client.destroy();
      return;
    }
    forwarded++;
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    // Either side's end or failure ends the other: the client sees what it would see if the
    // server went away.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const dropAll = (): void => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    port,
    address: `127.0.0.1:${port}`,
    get forwarded() {
      return forwarded;
    },
    get refused() {
      return refused;
    },
    cut: () => {
      isCut = true;
      dropAll();
    },
    restore: () => {
      isCut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
