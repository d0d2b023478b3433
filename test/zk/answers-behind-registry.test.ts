/**
 * With --zk the effects of a step that writes the registry wait for ZooKeeper to commit it
 * (impl/zk/registry-store.ts), so a call's answer may come a round trip after the call was
 * delivered. The master must wait for it too, not answer 500 "did not answer" at once: a
 * SUBSCRIBE refused that way left its framework subscribed in the machine on a connection the
 * server had already forgotten (no LINK_BROKEN ever came), so that framework's SUBSCRIBED,
 * HEARTBEATs and OFFERS were dropped while the client, never told its id, subscribed as a second
 * framework that got no offers (test/zk/failover.test.ts, "every task running", once in CI).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { parseZkUrl } from '../../impl/zk/url.ts';
import type { MasterCall } from '../../spec/protocol/operator.ts';
import { eventually } from '../support/eventually.ts';
import { metric, operatorCall, subscribe } from '../support/master-http.ts';
import { testZooKeeper, type TestZooKeeper } from '../support/zookeeper.ts';

let zk: TestZooKeeper;
test.before(async () => {
  zk = await testZooKeeper();
});
test.after(async () => {
  await zk.stop();
});

async function zkMaster(log: string[]): Promise<MasterServer> {
  const p = parseZkUrl(zk.freshUrl());
  if (!p.ok) throw new Error(p.error);
  const m = await startMaster({ port: 0, zk: { url: p.url, sessionTimeoutMs: 2000 }, log: (line) => log.push(line) });
  await m.elected;
  return m;
}

type SetData = (path: string, data: Buffer, version: number) => Promise<number>;

/** Holds the master's registry writes (ZooKeeper slow to commit) until the returned function is called. */
function holdRegistryWrites(m: MasterServer): () => void {
  const session = (m as unknown as { zkRegistry: { session: { setData: SetData } } }).zkRegistry.session;
  const setData = session.setData.bind(session);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  session.setData = async (path, data, version) => {
    await released;
    return setData(path, data, version);
  };
  return release;
}

const weights: MasterCall = { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'dev', weight: 2 }] } };

test('an operator call that writes the registry is answered once the write is committed', async () => {
  const log: string[] = [];
  const m = await zkMaster(log);
  try {
    const r = await operatorCall(m.url, weights);
    assert.is(r.status, 200, `${r.status} ${r.body}; master log: ${log.join(' | ')}`);
    const w = await operatorCall(m.url, { type: 'GET_WEIGHTS' });
    assert.equal((w.json as { get_weights: { weight_infos: unknown[] } }).get_weights.weight_infos, [{ role: 'dev', weight: 2 }]);
  } finally {
    await m.close();
  }
});

test('a SUBSCRIBE that arrives while a registry write is pending gets its stream, and its framework its events', async () => {
  const log: string[] = [];
  const m = await zkMaster(log);
  try {
    const release = holdRegistryWrites(m);
    const answer = operatorCall(m.url, weights);
    await eventually(() => m.context.registry.weights?.dev === 2, 5000, 'UPDATE_WEIGHTS delivered');
    const opened = subscribe(m.url, { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'behind-a-write' } } });
    await eventually(() => Object.keys(m.context.frameworks).length === 1, 5000, 'SUBSCRIBE delivered');
    release();
    const stream = await opened;
    assert.is(stream.status, 200, `SUBSCRIBE answered ${stream.status} ${stream.body ?? ''}; master log: ${log.join(' | ')}`);
    const subscribed = await stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED');
    assert.equal(Object.keys(m.context.frameworks), [subscribed.subscribed.framework_id.value]);
    await stream.nextOfType('HEARTBEAT');
    assert.is((await answer).status, 200);
    assert.is(await metric(m.url, 'master/dropped_messages'), 0);
    stream.close();
  } finally {
    await m.close();
  }
});

test.run();
