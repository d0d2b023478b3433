/**
 * One ZooKeeper server per test file (impl/zk/server.ts: Debian's jar on a free loopback port,
 * its own data dir, removed afterwards), and a fresh znode path per test so tests do not see
 * each other's masters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooKeeper, type ZooKeeperServer } from '../../impl/zk/server.ts';

let counter = 0;

export interface TestZooKeeper {
  readonly server: ZooKeeperServer;
  /** A zk:// URL with a path no other test uses. */
  freshUrl(): string;
  stop(): Promise<void>;
}

export async function testZooKeeper(): Promise<TestZooKeeper> {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-zk-'));
  const server = await startZooKeeper({ dataDir: dir, tickMs: 250 });
  return {
    server,
    freshUrl: () => `zk://${server.servers}/mesos-${process.pid}-${++counter}`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
