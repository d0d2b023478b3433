/**
 * One ZooKeeper session (node-zookeeper-client: pure JavaScript, so `npm ci` builds nothing and
 * needs no libzookeeper; the native `zookeeper` package compiles the C client at install) with
 * the few calls the election, the detector and the registry make, as promises.
 *
 * The session's end is what matters to a master: `expired` (the ensemble dropped our ephemeral
 * nodes) is reported once through `onExpired`; a connection that comes back within the
 * session timeout is not a loss.
 */
import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';
import type { ZkUrl } from './url.ts';
import { repairZooKeeperClient } from './client-fixes.ts';

repairZooKeeperClient();

export type { Stat };

/** A ZooKeeper error with its code name (NO_NODE, BAD_VERSION, NODE_EXISTS, ...). */
class ZkError extends Error {
  override name = 'ZkError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const wrap = (e: unknown, what: string): ZkError => {
  const name = (e as { name?: string }).name ?? 'ERROR';
  return new ZkError(name, `ZooKeeper ${what}: ${name}${(e as { path?: string }).path ? ` (${(e as { path?: string }).path})` : ''}`);
};

export interface ZkSessionOptions {
  /** Mesos's --zk_session_timeout (default 10 s); the server clamps it to [2, 20] ticks. */
  readonly sessionTimeoutMs?: number;
  /** How long to wait for the first connection (default 10 s). */
  readonly connectTimeoutMs?: number;
}

export class ZkSession {
  private readonly client: Client;
  private expiredHandlers: (() => void)[] = [];
  private closed = false;

  private constructor(
    readonly url: ZkUrl,
    options: ZkSessionOptions,
  ) {
    this.client = zookeeper.createClient(url.servers, { sessionTimeout: options.sessionTimeoutMs ?? 10_000, spinDelay: 200, retries: 0 });
    if (url.auth !== undefined) this.client.addAuthInfo('digest', Buffer.from(url.auth));
    this.client.on('expired', () => {
      if (this.closed) return;
      const handlers = this.expiredHandlers;
      this.expiredHandlers = [];
      for (const h of handlers) h();
    });
  }

  /** Connects; rejects with a message naming the servers if no server answers in time. */
  static connect(url: ZkUrl, options: ZkSessionOptions = {}): Promise<ZkSession> {
    const session = new ZkSession(url, options);
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        session.close();
        reject(new ZkError('CONNECTION_LOSS', `cannot reach ZooKeeper at ${url.servers} within ${timeoutMs} ms`));
      }, timeoutMs);
      session.client.once('connected', () => {
        clearTimeout(timer);
        resolve(session);
      });
      session.client.connect();
    });
  }

  /** Called once if the session expires (not after close()). */
  onExpired(handler: () => void): void {
    this.expiredHandlers.push(handler);
  }

  /** The session timeout the server granted, in ms. */
  get timeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  /** The session's id and password (a new session after an expiry has another id). */
  get credentials(): { readonly id: Buffer; readonly password: Buffer } {
    return { id: this.client.getSessionId(), password: this.client.getSessionPassword() };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  mkdirp(path: string): Promise<void> {
    return new Promise((resolve, reject) => this.client.mkdirp(path, (e) => (e ? reject(wrap(e, `mkdirp ${path}`)) : resolve())));
  }

  /** Creates an ephemeral sequential node; resolves with its full path. */
  createEphemeralSequential(path: string, data: Buffer): Promise<string> {
    return new Promise((resolve, reject) =>
      this.client.create(path, data, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, (e, created) => (e ? reject(wrap(e, `create ${path}`)) : resolve(created))),
    );
  }

  /** Creates a persistent node; false if it exists already. */
  createIfAbsent(path: string, data: Buffer): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.client.create(path, data, zookeeper.CreateMode.PERSISTENT, (e) => {
        if (!e) return resolve(true);
        const err = wrap(e, `create ${path}`);
        if (err.code === 'NODE_EXISTS') return resolve(false);
        reject(err);
      }),
    );
  }

  /** The children's names; `watch` is called once when they change. */
  children(path: string, watch?: () => void): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const done = (e: unknown, names: string[]) => (e ? reject(wrap(e, `getChildren ${path}`)) : resolve(names));
      if (watch) this.client.getChildren(path, () => watch(), done);
      else this.client.getChildren(path, done);
    });
  }

  /** A node's data and stat; `watch` is called once when it changes or is deleted. */
  data(path: string, watch?: () => void): Promise<{ data: Buffer; stat: Stat }> {
    return new Promise((resolve, reject) => {
      const done = (e: unknown, data: Buffer, stat: Stat) => (e ? reject(wrap(e, `getData ${path}`)) : resolve({ data: data ?? Buffer.alloc(0), stat }));
      if (watch) this.client.getData(path, () => watch(), done);
      else this.client.getData(path, done);
    });
  }

  /** Writes a node if its version is still `version` (ZooKeeper's compare-and-set); resolves with the new version. */
  setData(path: string, data: Buffer, version: number): Promise<number> {
    return new Promise((resolve, reject) => this.client.setData(path, data, version, (e, stat) => (e ? reject(wrap(e, `setData ${path}`)) : resolve(stat.version))));
  }

  remove(path: string): Promise<void> {
    return new Promise((resolve, reject) => this.client.remove(path, -1, (e) => (e ? reject(wrap(e, `remove ${path}`)) : resolve())));
  }
}
