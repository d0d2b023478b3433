/**
 * The master's /metrics/snapshot as Mesos names its metrics (docs/monitoring.md), against a real
 * in-process master with a fake agent: cluster resources (total, used by live tasks, percent),
 * agent removals by reason, and the per-framework call and event counters.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster } from '../../impl/master/server.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { getJson, schedulerCall, subscribe } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import type { Offer } from '../../spec/protocol/common.ts';

const quiet = () => {};
type Subscribed = { subscribed: { framework_id: { value: string } } };
const metrics = async (url: string) => (await getJson(url, '/metrics/snapshot')) as Record<string, number>;
const subscribeCall = (name: string) => JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name, failover_timeout: 60 } } });

test('cpus/mem/disk total, used and percent follow a running task; per-framework calls and events count what the machine did', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: { allocationIntervalMs: 30 }, log: quiet });
  const agent = await new FakeAgent({ master: master.url, script: () => ['TASK_RUNNING'] }).start();
  const fw = await subscribe(master.url, subscribeCall('metrics fw/1'));
  try {
    let m = await metrics(master.url);
    assert.equal([m['master/cpus_total'], m['master/mem_total'], m['master/disk_total'], m['master/cpus_used'], m['master/cpus_percent']], [4, 4096, 10000, 0, 0]);
    const fid = (await fw.nextOfType<Subscribed>('SUBSCRIBED')).subscribed.framework_id.value;
    const offer = (await fw.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS')).offers.offers[0]!;
    const task = {
      name: 't1',
      task_id: { value: 't1' },
      agent_id: offer.agent_id,
      command: { value: 'true' },
      resources: [
        { name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } },
        { name: 'mem', type: 'SCALAR' as const, scalar: { value: 1024 } },
      ],
    };
    const accept = {
      type: 'ACCEPT' as const,
      framework_id: { value: fid },
      accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH' as const, launch: { task_infos: [task] } }] },
    };
    assert.is((await schedulerCall(master.url, accept, fw.streamId)).status, 202);
    await fw.nextOfType('UPDATE');
    m = await metrics(master.url);
    assert.equal([m['master/cpus_used'], m['master/cpus_percent'], m['master/mem_used'], m['master/mem_percent'], m['master/disk_used']], [1, 0.25, 1024, 0.25, 0]);
    // The name is percent-encoded, so '/' and ' ' cannot split the metric's path.
    const p = `master/frameworks/metrics%20fw%2F1/${fid}/`;
    assert.equal([m[`${p}subscribed`], m[`${p}calls/subscribe`], m[`${p}calls/accept`], m[`${p}calls/decline`], m[`${p}calls`]], [1, 1, 1, 0, 2]);
    assert.equal([m[`${p}events/subscribed`], m[`${p}events/update`], m[`${p}events/rescind`]], [1, 1, 0]);
    assert.ok(m[`${p}events/offers`]! >= 1 && m[`${p}events/heartbeat`]! >= 1);
    assert.is(
      m[`${p}events`],
      Object.entries(m)
        .filter(([k]) => k.startsWith(`${p}events/`))
        .reduce((a, [, v]) => a + v, 0),
    );
    assert.equal(master.violations, []);
  } finally {
    fw.close();
    agent.close();
    await master.close();
  }
});

test('slave_removals and its reasons: an agent that stops answering pings is removed as unhealthy', async () => {
  const master = await startMaster({ port: 0, flags: { allocationIntervalMs: 30, agentPingTimeoutMs: 40, maxAgentPingTimeouts: 2 }, log: quiet });
  const agent = await new FakeAgent({ master: master.url }).start();
  try {
    let m = await metrics(master.url);
    assert.equal([m['master/slave_removals'], m['master/slave_removals/reason_unhealthy'], m['master/cpus_total']], [0, 0, 4]);
    agent.disconnect();
    await eventually(() => master.context.registry.unreachable.includes(agent.agentId!), 3000, 'the agent to be marked unreachable');
    m = await metrics(master.url);
    assert.equal(
      [
        m['master/slave_removals'],
        m['master/slave_removals/reason_unhealthy'],
        m['master/slave_removals/reason_registered'],
        m['master/slave_removals/reason_unregistered'],
        m['master/recovery_slave_removals'],
        m['master/cpus_total'],
      ],
      [1, 1, 0, 0, 0, 0],
    );
  } finally {
    agent.close();
    await master.close();
  }
});

test.run();
