/**
 * The registry on ZooKeeper (impl/zk/registry-store.ts): a new leader reads exactly what the old
 * one committed, whatever fields it has; once it has claimed the node, the deposed leader's next
 * write fails (and what the deposed master meant to do after it never happens), while the new
 * leader's writes go through. The seeded bug: writes that ignore the version (no fencing).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ZkRegistry } from '../../impl/zk/registry-store.ts';
import { ZkSession } from '../../impl/zk/session.ts';
import { parseZkUrl } from '../../impl/zk/url.ts';
import { testZooKeeper, type TestZooKeeper } from '../support/zookeeper.ts';

let zk: TestZooKeeper;
test.before(async () => {
  zk = await testZooKeeper();
});
test.after(async () => {
  await zk.stop();
});

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** Two leaders in turn on one path; what the deposed one's write and the effect behind it did. */
async function depose(
  unfenced: boolean,
): Promise<{ deposedFailed: string | undefined; newFailed: string | undefined; effectRan: boolean; stored: unknown; newLeaderRead: unknown }> {
  const p = parseZkUrl(zk.freshUrl());
  if (!p.ok) throw new Error(p.error);
  const [a, b] = [await ZkSession.connect(p.url), await ZkSession.connect(p.url)];
  if (unfenced) {
    // The mutant: compare-and-set turned into a blind write.
    const set = a.setData.bind(a);
    a.setData = (path, data) => set(path, data, -1);
  }
  try {
    let deposedFailed: string | undefined;
    const old = await ZkRegistry.recover(a, p.url.path, parse, (e) => (deposedFailed = e.message));
    assert.is(old.registry, undefined, 'a fresh path has no registry');
    // Fields this code never names flow through (quota, drain state, ...).
    old.store.write({ admitted: { s1: { hostname: 'h1' } }, unreachable: [], gone: [], quota: { dev: { cpus: 2 } } });
    await old.store.settled();
    let newFailed: string | undefined;
    const next = await ZkRegistry.recover(b, p.url.path, parse, (e) => (newFailed = e.message));
    let effectRan = false;
    old.store.write({ admitted: {}, unreachable: [], gone: ['s1'] });
    old.store.after(() => (effectRan = true));
    await old.store.settled();
    next.store.write({ ...next.registry, unreachable: ['s1'] });
    await next.store.settled();
    const stored = JSON.parse((await b.data(`${p.url.path}/registry`)).data.toString()) as unknown;
    return { deposedFailed, newFailed, effectRan, stored, newLeaderRead: next.registry };
  } finally {
    a.close();
    b.close();
  }
}

test("a deposed leader's write fails, what it meant to do next never happens, the new leader's writes go through", async () => {
  const r = await depose(false);
  assert.equal(r.newLeaderRead, { admitted: { s1: { hostname: 'h1' } }, unreachable: [], gone: [], quota: { dev: { cpus: 2 } } });
  assert.match(r.deposedFailed ?? '', /written by another master .*deposed/);
  assert.is(r.effectRan, false);
  assert.is(r.newFailed, undefined);
  assert.equal(r.stored, { admitted: { s1: { hostname: 'h1' } }, unreachable: ['s1'], gone: [], quota: { dev: { cpus: 2 } } });
});

test('the seeded bug (writes without the version) is caught: the deposed write lands and the master acts on it', async () => {
  const r = await depose(true);
  assert.is(r.deposedFailed, undefined);
  assert.is(r.effectRan, true);
});

test('effects wait for the write before them and keep their order', async () => {
  const p = parseZkUrl(zk.freshUrl());
  if (!p.ok) throw new Error(p.error);
  const s = await ZkSession.connect(p.url);
  try {
    const { store } = await ZkRegistry.recover(s, p.url.path, parse, (e) => assert.unreachable(e.message));
    const order: string[] = [];
    store.after(() => order.push('before'));
    assert.equal(order, ['before'], 'nothing pending: at once');
    store.write({ admitted: {}, unreachable: [], gone: [] });
    store.after(() => order.push('after-1'));
    store.after(() => order.push('after-2'));
    assert.equal(order, ['before'], 'held behind the write');
    const v = store.committedVersion;
    await store.settled();
    assert.equal(order, ['before', 'after-1', 'after-2']);
    assert.is(store.committedVersion, v + 1);
  } finally {
    s.close();
  }
});

test('a malformed registry node stops recovery with the node named', async () => {
  const p = parseZkUrl(zk.freshUrl());
  if (!p.ok) throw new Error(p.error);
  const s = await ZkSession.connect(p.url);
  try {
    await s.mkdirp(p.url.path);
    await s.createIfAbsent(`${p.url.path}/registry`, Buffer.from('{not json'));
    const { parseRegistry } = await import('../../impl/master/registry.ts');
    try {
      await ZkRegistry.recover(s, p.url.path, parseRegistry, () => {});
      assert.unreachable('recovered a malformed registry');
    } catch (e) {
      assert.match((e as Error).message, new RegExp(`zk ${p.url.path}/registry: not JSON`));
    }
  } finally {
    s.close();
  }
});

test.run();
