/**
 * Two repairs to node-zookeeper-client 1.1.3's connection manager, applied once on import (the
 * library is otherwise right for us: pure JavaScript, the whole ZooKeeper API we use). Its reader
 * throws from a socket 'data' handler when a frame does not parse, which kills the process (open
 * upstream as issues #23 and #70 of alexguan/node-zookeeper-client); we saw it when a session
 * was closed while its connect was still answered (the answer is then read as a reply). And it
 * keeps a half-read frame across reconnections, so the next connection's first frame is read
 * from the middle of the old one. Here: a frame that does not parse drops the connection (the
 * library reconnects, or stops if closing), and a new connection starts with an empty buffer.
 */
import { createRequire } from 'node:module';

interface ConnectionManagerLike {
  pendingBuffer: Buffer | null;
  socket?: { destroy(): void };
  onSocketData(buffer: Buffer): void;
  onSocketConnected(...args: unknown[]): void;
}

let applied = false;

export function repairZooKeeperClient(): void {
  if (applied) return;
  applied = true;
  const require = createRequire(import.meta.url);
  const proto = (require('node-zookeeper-client/lib/ConnectionManager.js') as { prototype: ConnectionManagerLike }).prototype;
  const onData = proto.onSocketData;
  proto.onSocketData = function (this: ConnectionManagerLike, buffer: Buffer) {
    try {
      onData.call(this, buffer);
    } catch {
      this.pendingBuffer = null;
      this.socket?.destroy();
    }
  };
  const onConnected = proto.onSocketConnected;
  proto.onSocketConnected = function (this: ConnectionManagerLike, ...args: unknown[]) {
    this.pendingBuffer = null;
    onConnected.apply(this, args);
  };
}
