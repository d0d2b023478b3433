/**
 * With --authenticate_agents the running master binds an agent id to the principal it was admitted
 * with (registry.principals, guard agentIdIsCallers), as the model does: another agent's
 * credentials cannot reregister as it. A registry written before principals were recorded keeps
 * working: its ids are bound at their next registration.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openRecordIO, postJson, type RecordIOStream } from '../../impl/http/client.ts';
import { basicAuthorization, type Credential } from '../../impl/http/auth.ts';
import { Acls } from '../../impl/http/acls.ts';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { REGISTRY_FILE } from '../../impl/master/registry.ts';
import { tempDir } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('agent principals: an agent id is its principal’s in the running master');

const servers: MasterServer[] = [];
const streams: RecordIOStream[] = [];
const dirs: string[] = [];

test.after(async () => {
  for (const s of streams) s.close();
  for (const m of servers) await m.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const A: Credential = { principal: 'agent-a', secret: 'sa' };
const B: Credential = { principal: 'agent-b', secret: 'sb' };
const INFO = { hostname: 'host-0', port: 5051, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] };
const BIG = [{ name: 'cpus', type: 'SCALAR', scalar: { value: 64 } }];

async function authenticatedMaster(workDir?: string): Promise<MasterServer> {
  const m = await startMaster({
    port: 0,
    log: () => {},
    ...(workDir ? { workDir } : {}),
    security: { credentials: [A, B], acls: Acls.none, authenticateFrameworks: false, authenticateAgents: true, authenticateHttpReadonly: false, authenticateHttpReadwrite: false },
  });
  servers.push(m);
  return m;
}

/** An agent link authenticated as `who`: the messages the master sends on it, and a way to send. */
async function connectAgent(master: string, who: Credential): Promise<{ received: { type: string }[]; send: (m: object) => Promise<number>; close: () => void }> {
  const received: { type: string }[] = [];
  const auth = basicAuthorization(who);
  const s = await openRecordIO(`${master}/internal/agent/connect`, '', auth, { onRecord: (t) => received.push(JSON.parse(t)), onEnd: () => {} });
  streams.push(s);
  assert.is(s.status, 200);
  const id = String(s.headers['mesos-agent-connection']);
  return {
    received,
    close: () => s.close(),
    send: async (m) => (await postJson(`${master}/internal/agent/message`, JSON.stringify(m), { 'Mesos-Agent-Connection': id, ...auth }, 10_000)).status,
  };
}

const waitFor = (link: { received: { type: string }[] }, type: string) =>
  eventually(() => link.received.find((x) => x.type === type), 5000, `${type} to the agent`) as Promise<{ type: string; agent_id?: { value: string }; message?: string }>;

test('another principal reregistering with an agent id is shut down; the owner reregisters', async () => {
  const m = await authenticatedMaster();
  const a = await connectAgent(m.url, A);
  assert.is(await a.send({ type: 'REGISTER_AGENT', agent_info: INFO, version: '1.11.0' }), 202);
  const aid = (await waitFor(a, 'AGENT_REGISTERED')).agent_id!.value;
  assert.equal(m.context.registry.principals, { [aid]: 'agent-a' });
  const before = JSON.stringify(m.context.agents[aid]!.info);

  // Same hostname, so only the principal tells them apart; a body that claims a principal claims nothing.
  const b = await connectAgent(m.url, B);
  assert.is(await b.send({ type: 'REREGISTER_AGENT', agent_info: { ...INFO, id: { value: aid }, resources: BIG }, version: '1.11.0', principal: 'agent-a' }), 202);
  const shutdown = await waitFor(b, 'SHUTDOWN_AGENT');
  assert.match(shutdown.message ?? '', /another principal/);
  assert.not.ok(b.received.some((x) => x.type === 'AGENT_REREGISTERED'));
  assert.is(JSON.stringify(m.context.agents[aid]!.info), before, "the first agent's info is unchanged");
  assert.equal(m.context.registry.principals, { [aid]: 'agent-a' });

  // The owner, its link broken, reregisters on a new one: the same principal, so it is itself.
  a.close();
  await eventually(() => (m.context.agents[aid]!.address === null ? true : undefined), 5000, 'the broken link seen');
  const a2 = await connectAgent(m.url, A);
  assert.is(await a2.send({ type: 'REREGISTER_AGENT', agent_info: { ...INFO, id: { value: aid } }, version: '1.11.0' }), 202);
  assert.is((await waitFor(a2, 'AGENT_REREGISTERED')).agent_id!.value, aid);
});

test('a registry from before principals: an admitted id is bound at its next registration', async () => {
  const dir = tempDir('mesos-ref-principals-');
  dirs.push(dir);
  const aid = 'legacy-S0';
  writeFileSync(join(dir, REGISTRY_FILE), JSON.stringify({ admitted: { [aid]: { ...INFO, id: { value: aid } } }, unreachable: [], gone: [] }));
  const m = await authenticatedMaster(dir);
  assert.is(m.context.registry.principals, undefined);

  const a = await connectAgent(m.url, A);
  assert.is(await a.send({ type: 'REREGISTER_AGENT', agent_info: { ...INFO, id: { value: aid } }, version: '1.11.0' }), 202);
  assert.is((await waitFor(a, 'AGENT_REREGISTERED')).agent_id!.value, aid);
  assert.equal(m.context.registry.principals, { [aid]: 'agent-a' });
  const onDisk = JSON.parse(readFileSync(join(dir, REGISTRY_FILE), 'utf8')) as { principals?: Record<string, string> };
  assert.equal(onDisk.principals, { [aid]: 'agent-a' }, 'the binding is persisted');

  const b = await connectAgent(m.url, B);
  assert.is(await b.send({ type: 'REREGISTER_AGENT', agent_info: { ...INFO, id: { value: aid }, resources: BIG }, version: '1.11.0' }), 202);
  await waitFor(b, 'SHUTDOWN_AGENT');
  assert.equal(m.context.agents[aid]!.info.resources, INFO.resources, "the first agent's info is unchanged");
});

test.run();
