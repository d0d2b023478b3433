/**
 * A process that starts a ZooKeeper server (impl/zk/server.ts), prints `{ pid, port }` (the
 * guard's pid, the client port) as one JSON line, and holds it until killed: test/zk/server-guard
 * kills it with SIGKILL and watches the server go. Usage: node --import tsx zookeeper-holder.ts DATA_DIR
 */
import { startZooKeeper } from '../../impl/zk/server.ts';

const server = await startZooKeeper({ dataDir: process.argv[2]!, tickMs: 250 });
process.stdout.write(`${JSON.stringify({ pid: server.child.process.pid, port: server.port })}\n`);
setInterval(() => {}, 1 << 30);
