/**
 * Leader election and detection on a real ZooKeeper (impl/zk/): three masters contend with
 * `json.info_` nodes holding their MasterInfo, exactly one leads, the others redirect every API
 * (307 with the leader's address, /master/redirect too); when the leader goes, another leads and
 * recovers the registry the first committed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { request } from '../../impl/http/client.ts';
import { leaderNode, LeaderDetector } from '../../impl/zk/detector.ts';
import { ZkSession } from '../../impl/zk/session.ts';
import { parseZkUrl, type ZkUrl } from '../../impl/zk/url.ts';
import type { MasterInfo } from '../../spec/protocol/common.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { testZooKeeper, type TestZooKeeper } from '../support/zookeeper.ts';

const quiet = () => {};
let zk: TestZooKeeper;

test.before(async () => {
  zk = await testZooKeeper();
});
test.after(async () => {
  await zk.stop();
});

const zkUrl = (text: string): ZkUrl => {
  const p = parseZkUrl(text);
  if (!p.ok) throw new Error(p.error);
  return p.url;
};

async function masters(url: ZkUrl, n: number): Promise<MasterServer[]> {
  const list: MasterServer[] = [];
  // One at a time, so the first to enter leads (the lowest sequence).
  for (let i = 0; i < n; i++) list.push(await startMaster({ port: 0, log: quiet, zk: { url, sessionTimeoutMs: 2000, quorum: 2 }, flags: { allocationIntervalMs: 50 } }));
  return list;
}

/** Resolves with the first of `ms` to be elected. */
const firstElected = (ms: readonly MasterServer[]) => Promise.race(ms.map((m) => m.elected.then(() => m)));

test('three masters: one leads, with its MasterInfo in the lowest json.info_ node; the others redirect to it', async () => {
  const url = zkUrl(zk.freshUrl());
  const ms = await masters(url, 3);
  try {
    const leader = await firstElected(ms);
    assert.is(leader, ms[0]);
    const session = await ZkSession.connect(url);
    try {
      const children = (await session.children(url.path)).filter((c) => c.startsWith('json.info_')).sort();
      assert.is(children.length, 3);
      assert.ok(
        children.every((c) => /^json\.info_\d{10}$/.test(c)),
        children.join(','),
      );
      const info = JSON.parse((await session.data(`${url.path}/${children[0]}`)).data.toString()) as MasterInfo;
      assert.is(info.id, leader.id);
      assert.is(info.address?.port, leader.port);
      assert.is(info.pid, `master@127.0.0.1:${leader.port}`);
    } finally {
      session.close();
    }
    const follower = ms[1]!;
    const leaderPort = leader.port;
    const state = await request(new URL('/master/state', follower.url));
    assert.is(state.status, 307);
    assert.is(state.headers.location, `//localhost:${leaderPort}/master/state`);
    const api = await request(new URL('/api/v1/scheduler', follower.url), { method: 'POST', body: '{"type":"SUBSCRIBE"}', headers: { 'Content-Type': 'application/json' } });
    assert.is(api.status, 307);
    assert.is(api.headers.location, `//localhost:${leaderPort}/api/v1/scheduler`);
    const redirect = await request(new URL('/master/redirect', follower.url));
    assert.is(redirect.status, 307);
    assert.is(redirect.headers.location, `//localhost:${leaderPort}`);
    assert.is((await request(new URL('/health', follower.url))).status, 200);
    const flags = JSON.parse((await request(new URL('/master/flags', `http://127.0.0.1:${leaderPort}`))).body) as { flags: Record<string, string> };
    assert.is(flags.flags.zk, `zk://${url.servers}${url.path}`);
    assert.is(flags.flags.quorum, '2');
    // Following the redirect reaches the leader's state.
    const followed = await request(new URL(`http:${state.headers.location as string}`.replace('localhost', '127.0.0.1')));
    assert.is(followed.status, 200);
    assert.is((JSON.parse(followed.body) as { id: string }).id, leader.id);
  } finally {
    await Promise.all(ms.map((m) => m.close()));
  }
});

test("the leader's close elects the next master, which recovers the registry the first committed", async () => {
  const url = zkUrl(zk.freshUrl());
  const ms = await masters(url, 2);
  let agent: FakeAgent | undefined;
  try {
    const first = await firstElected(ms);
    agent = await new FakeAgent({ master: first.url }).start();
    const agentId = agent.agentId!;
    assert.ok(first.context.registry.admitted[agentId], 'admitted by the first leader');
    await first.close();
    const second = ms.find((m) => m !== first)!;
    await second.elected;
    assert.ok(second.context.registry.admitted[agentId], 'the new leader recovered the admitted agent from ZooKeeper');
    const state = await request(new URL('/master/state', second.url));
    assert.is(state.status, 200);
    assert.ok((JSON.parse(state.body) as { recovered_slaves: { id: string }[] }).recovered_slaves.some((s) => s.id === agentId));
  } finally {
    agent?.close();
    await Promise.all(ms.map((m) => m.close()));
  }
});

test('a leader whose candidacy is gone aborts, as Mesos does, and the next master leads', async () => {
  const url = zkUrl(zk.freshUrl());
  const ms = await masters(url, 2);
  const session = await ZkSession.connect(url);
  try {
    const leader = await firstElected(ms);
    const nodes = (await session.children(url.path)).filter((c) => c.startsWith('json.info_')).sort();
    await session.remove(`${url.path}/${nodes[0]}`);
    const error = await leader.stopped;
    assert.match(error?.message ?? '', /lost leadership/);
    await ms[1]!.elected;
  } finally {
    session.close();
    await Promise.all(ms.map((m) => m.close()));
  }
});

test('the leader is the lowest json.info_ sequence; other children are not candidacies', () => {
  assert.is(leaderNode(['registry', 'json.info_0000000012', 'json.info_0000000003', 'info_0000000001', 'json.info_0000000007']), 'json.info_0000000003');
  assert.is(leaderNode(['json.info_0000000010', 'json.info_0000000009']), 'json.info_0000000009');
  assert.is(leaderNode(['registry', 'json.info_x']), undefined);
});

test('a detector started by a client (agent, scheduler) sees the leader change', async () => {
  const url = zkUrl(zk.freshUrl());
  const ms = await masters(url, 2);
  const session = await ZkSession.connect(url);
  try {
    const detector = await LeaderDetector.start(session, url.path);
    const first = await detector.waitForLeader();
    assert.is(first.url, ms[0]!.url);
    const changed = new Promise<string | undefined>((resolve) => detector.onChange((u) => u !== first.url && resolve(u)));
    await ms[0]!.close();
    assert.is(await changed, ms[1]!.url);
    detector.stop();
  } finally {
    session.close();
    await Promise.all(ms.map((m) => m.close()));
  }
});

test.run();
