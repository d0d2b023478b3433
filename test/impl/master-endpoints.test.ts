/**
 * The legacy JSON endpoints against a real master with an agent and a framework, over HTTP:
 * /state and /state.json (what /master/state serves), /master/frameworks, /master/slaves (with
 * reserved_resources per role, deactivated and drain_info), /master/tasks (400 naming a bad limit),
 * /master/flags, and /master/redirect (307 to the leader, which is this master).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { request } from '../../impl/http/client.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { getJson, operatorCall, subscribe, type EventStream } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';

const test = suite<{ master: MasterServer; agent: FakeAgent; stream: EventStream; aid: string }>('master: legacy endpoints');

test.before(async (ctx) => {
  ctx.master = await startMaster({ port: 0, checkInvariants: true, log: () => {}, flags: { allocationIntervalMs: 50, weights: { web: 2 } } });
  ctx.agent = await new FakeAgent({ master: ctx.master.url, hostname: 'endpoint-host', port: 5997 }).start();
  ctx.aid = await eventually(() => Object.keys(ctx.master.context.agents)[0], 5000, 'the agent');
  ctx.stream = await subscribe(ctx.master.url, JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'viewer' } } }));
  await ctx.stream.nextOfType('SUBSCRIBED');
});

test.after(async (ctx) => {
  ctx.stream.close();
  ctx.agent.close();
  assert.equal(ctx.master.violations, []);
  await ctx.master.close();
});

test('/state and /state.json serve /master/state', async (ctx) => {
  const state = (await getJson(ctx.master.url, '/master/state')) as { id: string; slaves: unknown[]; frameworks: unknown[] };
  for (const path of ['/state', '/state.json']) {
    const other = (await getJson(ctx.master.url, path)) as typeof state;
    assert.equal([other.id, other.slaves.length, other.frameworks.length], [state.id, 1, 1], path);
  }
});

test('/master/frameworks, /master/slaves, /master/tasks, /master/flags: the parts of /master/state', async (ctx) => {
  const fw = (await getJson(ctx.master.url, '/master/frameworks')) as { frameworks: { name: string }[]; completed_frameworks: unknown[]; unregistered_frameworks: unknown[] };
  assert.equal(
    fw.frameworks.map((f) => f.name),
    ['viewer'],
  );
  assert.equal([fw.completed_frameworks, fw.unregistered_frameworks], [[], []]);
  const r = await operatorCall(ctx.master.url, {
    type: 'RESERVE_RESOURCES',
    reserve_resources: { agent_id: { value: ctx.aid }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'web' }] }] },
  } as never);
  assert.is(r.status, 202, r.body);
  await operatorCall(ctx.master.url, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: ctx.aid } } } as never);
  const slaves = (await getJson(ctx.master.url, '/master/slaves')) as {
    slaves: { id: string; reserved_resources: Record<string, { cpus: number }>; unreserved_resources: { cpus: number }; deactivated: boolean }[];
    recovered_slaves: unknown[];
  };
  assert.is(slaves.slaves[0]!.id, ctx.aid);
  assert.is(slaves.slaves[0]!.reserved_resources.web!.cpus, 1);
  assert.is(slaves.slaves[0]!.unreserved_resources.cpus, (ctx.master.context.agents[ctx.aid]!.total.find((e) => e.name === 'cpus' && !e.reservations)!.scalar ?? 0) / 1000);
  assert.is(slaves.slaves[0]!.deactivated, true);
  // A drained agent carries its DrainInfo, as in Mesos's /master/slaves (it has no task: DRAINED at once).
  await operatorCall(ctx.master.url, { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: ctx.aid }, max_grace_period: { seconds: 2 } } } as never);
  const drained = (await getJson(ctx.master.url, '/master/slaves')) as { slaves: { drain_info?: unknown }[] };
  assert.equal(drained.slaves[0]!.drain_info, { state: 'DRAINED', config: { max_grace_period: { nanoseconds: 2e9 }, mark_gone: false } });
  assert.equal(await getJson(ctx.master.url, '/master/tasks'), { tasks: [] });
  const bad = await request(new URL('/master/tasks?limit=ten', ctx.master.url));
  assert.equal([bad.status, bad.body], [400, "Failed to parse 'limit': expected a non-negative integer, got 'ten'"]);
  const flags = (await getJson(ctx.master.url, '/master/flags')) as { flags: Record<string, string> };
  assert.is(flags.flags.weights, 'web=2');
  assert.is(flags.flags.allocation_interval, '50ms');
});

test('/master/redirect: 307 to the leading master, this one', async (ctx) => {
  const r = await request(new URL('/master/redirect', ctx.master.url));
  assert.is(r.status, 307);
  assert.is(r.headers.location, `//localhost:${ctx.master.port}`);
});

test.run();
