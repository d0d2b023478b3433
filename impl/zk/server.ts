/**
 * A standalone ZooKeeper server for `mesos-ref cluster --masters N` and the tests: the jar of
 * Debian's `zookeeper` package (pulled in by `zookeeperd`) run with our own config and data dir,
 * on loopback, with the admin web server off. The package's own service is not used.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Child } from '../process/children.ts';
import { ZkSession } from './session.ts';

/** Where Debian's zookeeper package puts the server's jar (its manifest names the libraries it needs). */
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
export const INSTALL_HINT = 'apt-get install -y zookeeperd';

export class ZooKeeperMissing extends Error {
  override name = 'ZooKeeperMissing';
}

export interface ZooKeeperOptions {
  /** Its data dir (created); the config and log go there too. */
  readonly dataDir: string;
  /** Client port on 127.0.0.1 (default: a free one). */
  readonly port?: number;
  /** ZooKeeper's tick (default 500 ms): sessions may last 2 to 20 ticks. */
  readonly tickMs?: number;
  readonly jar?: string;
  /** How long to wait for it to answer (default 30 s). */
  readonly readyTimeoutMs?: number;
}

export interface ZooKeeperServer {
  readonly port: number;
  /** `127.0.0.1:port`, the servers part of a zk:// URL. */
  readonly servers: string;
  readonly child: Child;
  stop(): Promise<void>;
}

/**
 * Runs `"$@"` and ends it when its stdin, a pipe from this process, reaches end-of-file: when
 * this process is gone, even by SIGKILL (the kernel closes the pipe), so a test or cluster that
 * crashes does not leave its ZooKeeper running. A background list's stdin is /dev/null unless
 * redirected, hence fd 3. A TERM to the guard is passed on; it exits with the server's status.
 */
const PARENT_DEATH_GUARD = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- & child=$!',
  '(read -r _ <&3; kill -TERM "$child" 2>/dev/null) & watcher=$!',
  'exec 3<&-',
  'trap \'kill -TERM "$child" 2>/dev/null\' TERM INT',
  'wait "$child"; status=$?',
  'while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** `argv` under the parent-death guard (its Child must be started with `stdinPipe`). */
function guardedByParent(argv: readonly string[]): string[] {
  return ['/bin/sh', '-c', PARENT_DEATH_GUARD, 'zookeeper-guard', ...argv];
}

/** A port nobody listens on now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a server and resolves once a client session connects to it. */
export async function startZooKeeper(options: ZooKeeperOptions): Promise<ZooKeeperServer> {
  const jar = options.jar ?? ZOOKEEPER_JAR;
  if (!existsSync(jar)) throw new ZooKeeperMissing(`ZooKeeper is not installed (no ${jar}): run \`${INSTALL_HINT}\``);
  if (!existsSync('/usr/bin/java') && !process.env.JAVA_HOME) throw new ZooKeeperMissing(`ZooKeeper needs Java (no /usr/bin/java): run \`${INSTALL_HINT}\``);
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const tick = options.tickMs ?? 500;
  const config = join(options.dataDir, 'zoo.cfg');
  writeFileSync(
    config,
    [
      `tickTime=${tick}`,
      `dataDir=${join(options.dataDir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      `minSessionTimeout=${2 * tick}`,
      `maxSessionTimeout=${20 * tick}`,
      '4lw.commands.whitelist=ruok',
      '',
    ].join('\n'),
  );
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : '/usr/bin/java';
  const child = new Child('zookeeper', guardedByParent([java, '-Xmx256m', '-cp', jar, 'org.apache.zookeeper.server.ZooKeeperServerMain', config]), {
    logFile: join(options.dataDir, 'zookeeper.log'),
    detached: false,
    stdinPipe: true,
  });
  const stop = async () => {
    if (!child.hasExited) await child.stop('SIGTERM', 5000);
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.hasExited) throw new Error(`ZooKeeper exited at start: ${child.tail(5).join(' | ')} (log: ${join(options.dataDir, 'zookeeper.log')})`);
    try {
      const s = await ZkSession.connect({ servers: `127.0.0.1:${port}`, path: '/' }, { connectTimeoutMs: 1000 });
      s.close();
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`ZooKeeper did not answer on 127.0.0.1:${port} within ${options.readyTimeoutMs ?? 30_000} ms: ${(e as Error).message}`);
      }
    }
  }
  return { port, servers: `127.0.0.1:${port}`, child, stop };
}
