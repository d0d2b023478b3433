/**
 * A follower (impl/zk/follow.ts: agents' and `mesos-ref run`'s `--master zk://...`) whose own
 * ZooKeeper session expires opens a new one and follows the leader again, as Mesos's detector
 * does. The session is expired from the server's side: ZooKeeper is stopped and started again on
 * the same port without its data, so it answers the client's reconnection "session expired"; a
 * master that enters the new ensemble is the leader the follower then reports.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Candidacy } from '../../impl/zk/election.ts';
import { followMaster } from '../../impl/zk/follow.ts';
import { ZkSession } from '../../impl/zk/session.ts';
import { startZooKeeper, type ZooKeeperServer } from '../../impl/zk/server.ts';
import { parseZkUrl, type ZkUrl } from '../../impl/zk/url.ts';
import type { MasterInfo } from '../../spec/protocol/common.ts';

const info = (id: string, port: number): MasterInfo => ({ id, ip: 16777343, port, hostname: '127.0.0.1', address: { ip: '127.0.0.1', port }, pid: `master@127.0.0.1:${port}` });

/** Resolves when `follower` reports `url`, rejects after `ms`. */
function reports(follower: { detector: { current(): string | undefined; onChange(l: (u: string | undefined) => void): void } }, url: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (follower.detector.current() === url) return resolve();
    const timer = setTimeout(() => reject(new Error(`the follower still reports ${follower.detector.current()} after ${ms} ms, not ${url}`)), ms);
    follower.detector.onChange((u) => {
      if (u !== url) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

test('a follower whose session expires follows the leader on a new session', async () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'mesos-ref-zk-')), mkdtempSync(join(tmpdir(), 'mesos-ref-zk-'))];
  const servers: ZooKeeperServer[] = [];
  const sessions: ZkSession[] = [];
  const lines: string[] = [];
  let follower: Awaited<ReturnType<typeof followMaster>> | undefined;
  try {
    servers.push(await startZooKeeper({ dataDir: dirs[0]!, tickMs: 250 }));
    const parsed = parseZkUrl(`zk://${servers[0]!.servers}/mesos`);
    if (!parsed.ok) throw new Error(parsed.error);
    const url: ZkUrl = parsed.url;
    sessions.push(await ZkSession.connect(url));
    await Candidacy.enter(sessions[0]!, url.path, info('first', 5050));
    follower = await followMaster(url, (l) => lines.push(l), { sessionTimeoutMs: 1000, retryMs: 200 });
    await reports(follower, 'http://127.0.0.1:5050', 10_000);
    assert.is(follower.sessions, 1);

    // The ensemble forgets every session: the follower's reconnection is told it expired.
    sessions[0]!.close();
    await servers[0]!.stop();
    servers.push(await startZooKeeper({ dataDir: dirs[1]!, tickMs: 250, port: servers[0]!.port }));
    sessions.push(await ZkSession.connect(url));
    await Candidacy.enter(sessions[1]!, url.path, info('second', 5051));

    await reports(follower, 'http://127.0.0.1:5051', 30_000);
    assert.is(follower.sessions, 2, 'a second session');
    assert.ok(
      lines.some((l) => l.includes('expired; following the leader on a new session')),
      lines.join('\n'),
    );
  } finally {
    follower?.close();
    for (const s of sessions) s.close();
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test.run();
