/**
 * DRAIN_AGENT end to end over HTTP against a real master and a real agent process (issue 17):
 * a framework runs `sleep 60` on the agent; the operator drains it with a 1 s grace: the agent
 * kills the task (TASK_KILLED, REASON_AGENT_DRAINING), GET_AGENTS shows DRAINING then DRAINED, the agent is deactivated and
 * offered to nobody; REACTIVATE_AGENT ends the drain and the agent is offered again. Every step
 * waits on an event, never on a fixed sleep; what the master holds is read over HTTP (GET_AGENTS,
 * /metrics/snapshot), never from the in-process master's context.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { metric, operatorCall, schedulerCall, type EventStream } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import { acceptSleeper, MasterAndAgent, type Offer } from '../support/master-and-agent.ts';

const test = suite('DRAIN_AGENT end to end');

const fx = new MasterAndAgent(test);

/** The next UPDATE whose state is `state`; reliable updates on the way are acknowledged. */
async function update(stream: EventStream, fid: string, state: string, timeoutMs = 20_000): Promise<{ state: string; reason?: string; source?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = await stream.nextOfType<{ update: { status: { state: string; reason?: string; source?: string; uuid?: string; task_id: unknown; agent_id: unknown } } }>(
      'UPDATE',
      Math.max(1, deadline - Date.now()),
    );
    const s = e.update.status;
    if (s.uuid !== undefined) {
      const ack = { type: 'ACKNOWLEDGE', framework_id: { value: fid }, acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } };
      assert.is((await schedulerCall(fx.master!.url, JSON.stringify(ack), stream.streamId)).status, 202);
    }
    if (s.state === state) return s;
  }
}

const drainInfo = async (aid: string) => {
  const r = await operatorCall(fx.master!.url, '{"type":"GET_AGENTS"}');
  const agents = (r.json as { get_agents: { agents: { agent_info: { id: { value: string } }; deactivated: boolean; drain_info?: unknown }[] } }).get_agents.agents;
  const a = agents.find((x) => x.agent_info.id.value === aid)!;
  return { deactivated: a.deactivated, drain_info: a.drain_info };
};

test('drain an agent with a running task: killed, DRAINING then DRAINED, no offers; REACTIVATE_AGENT offers it again', async () => {
  const { master, aid, workDir } = await fx.start('mesos-ref-drain-', ['--resources', 'cpus:2;mem:256']);

  const stream = await fx.subscribe(
    JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'drained', failover_timeout: 3600, capabilities: [{ type: 'PARTITION_AWARE' }] } } }),
  );
  const fid = (await stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
  const o = (await stream.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS', 15_000)).offers.offers[0]!;
  const accept = acceptSleeper(fid, o, { kill_policy: { grace_period: { nanoseconds: 30e9 } } });
  assert.is((await schedulerCall(master.url, JSON.stringify(accept), stream.streamId)).status, 202);
  await update(stream, fid, 'TASK_RUNNING');

  // Bad input: 400 naming what is wrong, nothing changed.
  let r = await operatorCall(master.url, '{"type":"DRAIN_AGENT","drain_agent":{"agent_id":{"value":"nobody"}}}');
  assert.equal([r.status, r.body], [400, 'Unknown agent']);
  r = await operatorCall(master.url, '{"type":"DRAIN_AGENT"}');
  assert.is(r.status, 400);
  assert.equal(await drainInfo(aid), { deactivated: false, drain_info: undefined });

  // Drain with a 1 s grace (the task's own is 30 s; the cap itself is checked on the agent machine
  // in test/machines/agent-drain.test.ts): the agent kills the task, saying why; DRAINING.
  r = await operatorCall(master.url, JSON.stringify({ type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: aid }, max_grace_period: { seconds: 1 } } }));
  assert.equal([r.status, r.body], [200, '']);
  const draining = await drainInfo(aid);
  assert.equal(draining.deactivated, true);
  assert.equal((draining.drain_info as { state: string }).state, 'DRAINING');
  const killed = await update(stream, fid, 'TASK_KILLED');
  assert.is(killed.source, 'SOURCE_EXECUTOR');
  assert.is(killed.reason, 'REASON_AGENT_DRAINING', "the agent marks a drained task's kill");
  assert.match(readFileSync(join(workDir, 'agent.log'), 'utf8'), 'Received DrainConfig max_grace_period 1s: killing every task');
  await eventually(async () => ((await drainInfo(aid)).drain_info as { state: string } | undefined)?.state === 'DRAINED', 10_000, 'the agent to be DRAINED');
  assert.is(await metric(master.url, 'master/outstanding_offers'), 0, 'no outstanding offers');

  // REACTIVATE_AGENT ends the drain: the agent is offered again.
  r = await operatorCall(master.url, JSON.stringify({ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: aid } } }));
  assert.is(r.status, 200, r.body);
  assert.equal(await drainInfo(aid), { deactivated: false, drain_info: undefined });
  const again = (await stream.nextOfType<{ offers: { offers: Offer[] } }>('OFFERS', 15_000)).offers.offers[0]!;
  assert.is(again.agent_id.value, aid);
});

test.run();
