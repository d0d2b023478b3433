/**
 * The parent-death guard of impl/zk/server.ts: a process that started a ZooKeeper server and is
 * killed with SIGKILL (no exit handler runs) takes its server with it; a server stopped the
 * ordinary way still stops.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { startZooKeeper } from '../../impl/zk/server.ts';

const holder = resolve(import.meta.dirname, '../support/zookeeper-holder.ts');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether something accepts connections on 127.0.0.1:port. */
const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });

/** Polls `gone` until it holds (true) or the deadline passes (false). */
async function until(gone: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await gone()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

test('a process killed with SIGKILL takes its ZooKeeper server with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-zk-guard-'));
  const parent = spawn(process.execPath, ['--import', 'tsx', holder, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
    const { pid, port } = JSON.parse(line) as { pid: number; port: number };
    assert.ok(alive(pid) && (await listening(port)), 'the server runs');
    parent.kill('SIGKILL');
    assert.ok(await until(async () => !alive(pid) && !(await listening(port)), 20_000), `the server (guard pid ${pid}, port ${port}) outlived its parent`);
  } finally {
    parent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stop() still stops a guarded server', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-zk-guard-'));
  try {
    const server = await startZooKeeper({ dataDir: dir, tickMs: 250 });
    await server.stop();
    assert.ok(server.child.hasExited);
    assert.not.ok(await listening(server.port), 'nothing listens on its port');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
