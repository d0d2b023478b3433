/**
 * A follower (impl/zk/follow.ts: agents' and `mesos-ref run`'s `--master zk://...`) whose own
 * ZooKeeper session expires opens a new one and follows the leader again, as Mesos's detector
 * does. The follower reaches ZooKeeper through a proxy the test owns (test/support/tcp-proxy.ts);
 * cutting it for longer than the session timeout the server granted makes the server expire the
 * session, as a network partition would, and the client is told so when the proxy lets it back
 * in. Then the leader goes and another master leads, which only a new session can report.
 *
 * (Expiring the session from the server's side instead, ZkSession.expire, left
 * node-zookeeper-client often never noticing, and the test then checked nothing.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Candidacy } from '../../impl/zk/election.ts';
import { followMaster } from '../../impl/zk/follow.ts';
import { ZkSession } from '../../impl/zk/session.ts';
import { parseZkUrl } from '../../impl/zk/url.ts';
import type { MasterInfo } from '../../spec/protocol/common.ts';
import { tcpProxy } from '../support/tcp-proxy.ts';
import { testZooKeeper, type TestZooKeeper } from '../support/zookeeper.ts';

let zk: TestZooKeeper;
test.before(async () => {
  zk = await testZooKeeper();
});
test.after(async () => {
  await zk.stop();
});

const info = (id: string, port: number): MasterInfo => ({ id, ip: 16777343, port, hostname: '127.0.0.1', address: { ip: '127.0.0.1', port }, pid: `master@127.0.0.1:${port}` });

type Follower = Awaited<ReturnType<typeof followMaster>>;

/** Resolves when `follower` reports `url`; rejects after `ms`, with the follower's log. */
function reports(follower: Follower, url: string, ms: number, lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (follower.detector.current() === url) return resolve();
    const timer = setTimeout(() => reject(new Error(`the follower still reports ${follower.detector.current()} after ${ms} ms, not ${url}; its log: ${lines.join(' | ')}`)), ms);
    follower.detector.onChange((u) => {
      if (u !== url) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves after `ms`. */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when `p` does; rejects after `ms` with `message()` (evaluated then, so it can carry a log). */
function within<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message())), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

test('a follower whose session expires follows the leader on a new session', async () => {
  const direct = parseZkUrl(zk.freshUrl());
  if (!direct.ok) throw new Error(direct.error);
  const proxy = await tcpProxy({ host: '127.0.0.1', port: zk.server.port });
  // The same ensemble and path, but the follower's connections go through the proxy.
  const proxied = parseZkUrl(`zk://${proxy.address}${direct.url.path}`);
  if (!proxied.ok) throw new Error(proxied.error);
  const lines: string[] = [];
  let first: ZkSession | undefined;
  let second: ZkSession | undefined;
  let follower: Follower | undefined;
  const log = (): string => `proxy forwarded ${proxy.forwarded} and refused ${proxy.refused} connections; the follower's log: ${lines.join(' | ') || '(empty)'}`;
  try {
    first = await ZkSession.connect(direct.url);
    second = await ZkSession.connect(direct.url);
    await Candidacy.enter(first, direct.url.path, info('first', 5050));
    follower = await followMaster(proxied.url, (l) => lines.push(l), { sessionTimeoutMs: 1000, retryMs: 200 });
    await reports(follower, 'http://127.0.0.1:5050', 10_000, lines);
    const session = follower.session!;
    const granted = session.timeoutMs;
    // The server clamps the timeout to [2, 20] ticks (test/support/zookeeper.ts: 250 ms ticks).
    assert.ok(granted >= 500 && granted <= 1000, `granted session timeout ${granted} ms`);
    const oldId = session.credentials.id.toString('hex');
    const expired = new Promise<void>((resolve) => session.onExpired(resolve));

    // Away from ZooKeeper well past the timeout (the server checks sessions every tick), so the
    // server expires the session; the client keeps trying to reconnect meanwhile.
    proxy.cut();
    await sleep(2 * granted + 1000);
    proxy.restore();
    await within(expired, 5_000, () => `the follower's session was not reported expired within 5 s of the proxy coming back; ${log()}`);

    // The leader changes after the follower's session is gone: only a new session hears of it.
    await Candidacy.enter(second, direct.url.path, info('second', 5051));
    first.close();
    await reports(follower, 'http://127.0.0.1:5051', 10_000, lines);
    assert.is(follower.sessions, 2, `a second session; ${log()}`);
    assert.is.not(follower.session?.credentials.id.toString('hex'), oldId, 'a new session id');
    assert.ok(
      lines.some((l) => l.includes('expired; following the leader on a new session')),
      lines.join('\n'),
    );
  } finally {
    follower?.close();
    first?.close();
    second?.close();
    await proxy.close();
  }
});

test.run();
