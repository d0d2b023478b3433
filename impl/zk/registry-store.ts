/**
 * The master's registry on the ZooKeeper ensemble (in place of Mesos's replicated log): one
 * persistent node `<zk path>/registry` holding the registry as the machine persists it (JSON,
 * whatever fields it has: this file names none of them), written with ZooKeeper's versioned
 * compare-and-set.
 *
 * Fencing: a newly elected leader first rewrites the node at the version it read (its claim), so
 * every later write of a deposed leader, made at an older version, fails with BAD_VERSION and that
 * master aborts instead of acting on what it could not store. And as with the file registry,
 * nothing the master does after a registry write is seen outside before the write is committed:
 * the effects that follow a write wait for it, in order.
 */
import type { ZkSession } from './session.ts';

const REGISTRY_NODE = 'registry';

export class ZkRegistry {
  private version: number;
  /** The chain of writes and of effects waiting behind them. */
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private failed: Error | undefined;

  private constructor(
    private readonly session: ZkSession,
    readonly node: string,
    version: number,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.version = version;
  }

  /**
   * Reads the registry (undefined if none was ever written) and claims the node for this leader.
   * `parse` validates the stored text (throwing names what is wrong).
   */
  static async recover<R>(
    session: ZkSession,
    path: string,
    parse: (text: string, where: string) => R,
    onFailure: (error: Error) => void,
  ): Promise<{ store: ZkRegistry; registry: R | undefined }> {
    const node = `${path}/${REGISTRY_NODE}`;
    await session.mkdirp(path);
    await session.createIfAbsent(node, Buffer.alloc(0));
    const { data, stat } = await session.data(node);
    const text = data.toString('utf8');
    const registry = text.trim() === '' ? undefined : parse(text, `zk ${node}`);
    // The claim: the same bytes at the version read, so a deposed leader's next write fails.
    const version = await session.setData(node, data, stat.version);
    return { store: new ZkRegistry(session, node, version, onFailure), registry };
  }

  /** The node's version after the last committed write. */
  get committedVersion(): number {
    return this.version;
  }

  /** Queues a write of `registry`; effects carried through `after` from now on wait for it. */
  write(registry: unknown): void {
    const bytes = Buffer.from(`${JSON.stringify(registry)}\n`);
    this.waiting++;
    this.tail = this.tail.then(async () => {
      try {
        if (this.failed) return;
        this.version = await this.session.setData(this.node, bytes, this.version);
      } catch (e) {
        this.fail(e as Error);
      } finally {
        this.waiting--;
      }
    });
  }

  /** Runs `effect` now if no write is pending, else once every write before it is committed (never, if one failed). */
  after(effect: () => void): void {
    if (this.failed) return;
    if (this.waiting === 0) return effect();
    this.waiting++;
    this.tail = this.tail.then(() => {
      this.waiting--;
      if (!this.failed) effect();
    });
  }

  /** Resolves when every queued write and effect is done. */
  settled(): Promise<void> {
    return this.tail;
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    const code = (error as { code?: string }).code;
    this.onFailure(
      new Error(
        code === 'BAD_VERSION'
          ? `the registry at ${this.node} was written by another master (expected version ${this.version}): this master was deposed`
          : `cannot write the registry at ${this.node}: ${error.message}`,
      ),
    );
  }
}
