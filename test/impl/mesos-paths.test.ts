/**
 * Mesos's own paths and flags: the master serves the scheduler and operator APIs under /master/,
 * the agent its executor and operator APIs under /slave(1)/, both as on the short paths; the
 * master advertises --advertise_ip/--advertise_port, and a reachable address when bound to
 * 0.0.0.0; the agent reports --attributes, and takes the Mesos spellings of its flags.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { EventStream } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import { FakeMaster } from '../support/fake-master.ts';
import { cleanupAgent, postJson, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSchedulerCall } from '../../spec/protocol/json.ts';
import type { RegisterAgentMessage } from '../../spec/protocol/internal.ts';

const test = suite('Mesos paths and flags');

const masters: MasterServer[] = [];
let fake: FakeMaster | undefined;
let agent: AgentProcess | undefined;

test.after(async () => {
  for (const m of masters) await m.close();
  await cleanupAgent(agent);
  await fake?.close();
});

async function master(options: Parameters<typeof startMaster>[0]): Promise<MasterServer> {
  const m = await startMaster({ port: 0, log: () => {}, ...options });
  masters.push(m);
  return m;
}

const masterInfo = async (url: string, path: string) => {
  const r = await postJson(new URL(path, url).href, '{"type":"GET_MASTER"}');
  assert.is(r.status, 200, r.body);
  return JSON.parse(r.body).get_master.master_info as { ip: number; port: number; pid: string; address: { ip: string; port: number } };
};

test('the master serves the scheduler API at /master/api/v1/scheduler and the operator API at /master/api/v1', async () => {
  const m = await master({});
  const info = await masterInfo(m.url, '/master/api/v1');
  assert.equal(info, await masterInfo(m.url, '/api/v1'));
  const stream = await EventStream.open(m.url, '/master/api/v1/scheduler', encodeSchedulerCall({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'paths' } } }));
  try {
    assert.ok(stream.streamId, 'a Mesos-Stream-Id');
    assert.match((await stream.next(5_000)) ?? '', '"SUBSCRIBED"');
  } finally {
    stream.close();
  }
});

test('the master advertises --advertise_ip and --advertise_port in MasterInfo', async () => {
  const m = await master({ advertiseIp: '192.0.2.7', advertisePort: 6050 });
  const info = await masterInfo(m.url, '/master/api/v1');
  assert.equal(info.address, { hostname: 'localhost', ip: '192.0.2.7', port: 6050 } as never);
  assert.is(info.pid, 'master@192.0.2.7:6050');
  assert.is(info.ip, 7 * 2 ** 24 + 2 * 2 ** 16 + 0 * 2 ** 8 + 192, 'the IPv4 address in network order, as Mesos packs it');
  assert.is(info.port, 6050);
});

test('a master bound to 0.0.0.0 advertises an address other hosts can reach, not 0.0.0.0', async () => {
  const m = await master({ ip: '0.0.0.0' });
  const info = await masterInfo(`http://127.0.0.1:${m.port}`, '/master/api/v1');
  assert.not.equal(info.address.ip, '0.0.0.0');
  assert.not.match(info.pid, '0.0.0.0');
  assert.not.match(m.url, '0.0.0.0');
});

test('the agent serves /slave(1)/api/v1 and /slave(1)/api/v1/executor and reports --attributes (flags in Mesos spelling)', async () => {
  fake = await FakeMaster.start();
  const workDir = tempDir('mesos-ref-paths-');
  agent = await startAgentProcess({
    master: fake.url,
    workDir,
    args: ['--attributes', 'rack:r1;level:3;ports:[1-2];os:{a,b}', '--executor_registration_timeout=1mins', '--executor-command', 'sleep 60'],
  });
  const registered = await fake.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
  assert.equal((registered.message as RegisterAgentMessage).agent_info.attributes, [
    { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
    { name: 'level', type: 'SCALAR', scalar: { value: 3 } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }] } },
    { name: 'os', type: 'SET', set: { item: ['a', 'b'] } },
  ]);
  const health = await postJson(`${agent.url}/slave(1)/api/v1`, '{"type":"GET_HEALTH"}');
  assert.is(health.status, 200, health.body);
  assert.match(health.body, '"healthy":true');
  // The same refusal, with the same message, on both executor paths: a caller without the
  // executor's token (impl/agent/executor-tokens.ts) is not let in.
  const bad = '{"type":"SUBSCRIBE"}';
  const short = await postJson(`${agent.url}/api/v1/executor`, bad);
  const mesos = await postJson(`${agent.url}/slave(1)/api/v1/executor`, bad);
  assert.is(short.status, 401);
  assert.equal([mesos.status, mesos.body], [short.status, short.body]);
  // And it logs the framework and task events the master sends, one line each (--log_level info).
  fake.runTask({ user: 'u', name: 'logged', id: { value: 'F-log' } }, { name: 't', task_id: { value: 'task-log' }, command: { value: 'true' } });
  await eventually(
    () => {
      const log = readFileSync(join(workDir, 'agent.log'), 'utf8');
      return /^I\d{4} [\d:.]+ agent\] Added framework F-log \(logged\)$/m.test(log) && /^I\d{4} [\d:.]+ agent\] Got assigned task task-log of framework F-log$/m.test(log)
        ? true
        : undefined;
    },
    10_000,
    'the agent to log the framework and the task',
  );
});

test.run();
