/**
 * `--agent_removal_rate_limit` against an in-process master over HTTP: two agents (raw agent
 * connections that never answer a PING) miss their pings; with 1/1500ms the first is marked
 * unreachable at once, the second only when the next permit is free (never earlier: timers do
 * not fire early), and GET_FLAGS shows the flag. Waits on the master's state, no fixed sleep.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openRecordIO, postJson, type RecordIOStream } from '../../impl/http/client.ts';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('--agent_removal_rate_limit');

const servers: MasterServer[] = [];
const streams: RecordIOStream[] = [];
test.after(async () => {
  for (const s of streams) s.close();
  for (const m of servers) await m.close();
});

test('two silent agents: the first is removed at once, the second waits for the next permit', async () => {
  const m = await startMaster({
    port: 0,
    log: () => {},
    checkInvariants: true,
    flags: { allocationIntervalMs: 50, agentPingTimeoutMs: 100, maxAgentPingTimeouts: 1, agentRemovalRateLimit: { permits: 1, durationMs: 1500 } },
  });
  servers.push(m);
  const flags = JSON.parse((await postJson(`${m.url}/api/v1`, '{"type":"GET_FLAGS"}', {}, 10_000)).body) as { get_flags: { flags: { name: string; value: string }[] } };
  assert.equal(
    flags.get_flags.flags.find((f) => f.name === 'agent_removal_rate_limit'),
    { name: 'agent_removal_rate_limit', value: '1/1.5secs' },
  );
  const ids: string[] = [];
  for (const host of ['host-0', 'host-1']) {
    const link = await openRecordIO(`${m.url}/internal/agent/connect`, '', {}, { onRecord: () => {}, onEnd: () => {} });
    streams.push(link);
    const info = { hostname: host, port: 5051, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] };
    await postJson(
      `${m.url}/internal/agent/message`,
      JSON.stringify({ type: 'REGISTER_AGENT', agent_info: info, version: '1.11.0' }),
      { 'Mesos-Agent-Connection': String(link.headers['mesos-agent-connection']) },
      10_000,
    );
    ids.push(await eventually(() => Object.keys(m.context.agents).find((a) => !ids.includes(a)), 5000, `${host} to register`));
  }
  const first = await eventually(() => m.context.registry.unreachable[0], 10_000, 'a first agent to be marked unreachable');
  const firstAt = Date.now();
  assert.equal(m.context.registry.unreachable, [first], 'the second waits for a permit');
  const second = ids.find((a) => a !== first)!;
  await eventually(() => (m.context.registry.unreachable.includes(second) ? true : undefined), 10_000, 'the second agent to be marked unreachable');
  assert.ok(Date.now() - firstAt >= 1000, `the second removal came ${Date.now() - firstAt} ms after the first`);
  assert.equal(m.violations, []);
});

test.run();
