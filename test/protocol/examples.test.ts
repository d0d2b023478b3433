/**
 * Exact renderings: the JSON shapes of reference section 1.4 and the default-echo rules of 0.1.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FrameworkInfo, Resource } from '../../spec/protocol/common.ts';
import {
  decodeSchedulerEvent,
  encodeAgentResponse,
  encodeExecutorEvent,
  encodeInternal,
  encodeMasterResponse,
  encodeMessage,
  encodeSchedulerCall,
  encodeSchedulerEvent,
  formatDouble,
  parseJsonText,
} from '../../spec/protocol/json.ts';
import type { SchedulerEvent } from '../../spec/protocol/scheduler.ts';
import { uuidFromSeed } from '../../spec/protocol/uuid.ts';

const MID = '7f000001-1389-4e5b-9a4b-4b1d5b0c0e01';

test('SUBSCRIBED renders heartbeat_interval_seconds as 15.0 and master_info in declaration order', () => {
  const event: SchedulerEvent = {
    type: 'SUBSCRIBED',
    subscribed: {
      framework_id: { value: `${MID}-0000` },
      heartbeat_interval_seconds: 15,
      master_info: {
        id: MID,
        ip: 16777343,
        port: 5050,
        pid: 'master@127.0.0.1:5050',
        hostname: 'localhost',
        version: '1.11.0',
        address: { hostname: 'localhost', ip: '127.0.0.1', port: 5050 },
        capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
      },
    },
  };
  assert.is(
    encodeSchedulerEvent(event),
    `{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"${MID}-0000"},` +
      `"heartbeat_interval_seconds":15.0,` +
      `"master_info":{"id":"${MID}","ip":16777343,"port":5050,"pid":"master@127.0.0.1:5050",` +
      `"hostname":"localhost","version":"1.11.0",` +
      `"address":{"hostname":"localhost","ip":"127.0.0.1","port":5050},` +
      `"capabilities":[{"type":"AGENT_UPDATE"},{"type":"AGENT_DRAINING"},{"type":"QUOTA_V2"}]}}}`,
  );
});

test('OFFERS nests offers.offers, resources keep role and allocation_info', () => {
  const alloc = { role: '*' };
  const res = (name: string, value: number): Resource => ({ name, type: 'SCALAR', scalar: { value }, role: '*', allocation_info: alloc });
  const event: SchedulerEvent = {
    type: 'OFFERS',
    offers: {
      offers: [
        {
          id: { value: `${MID}-O3` },
          framework_id: { value: `${MID}-0000` },
          agent_id: { value: `${MID}-S0` },
          hostname: 'agent1',
          url: { scheme: 'http', address: { hostname: 'agent1', ip: '10.0.0.5', port: 5051 }, path: '/slave(1)' },
          resources: [res('cpus', 4), res('mem', 7680), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] }, role: '*', allocation_info: alloc }],
          attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
          executor_ids: [{ value: 't1' }],
          allocation_info: alloc,
        },
      ],
    },
  };
  assert.is(
    encodeSchedulerEvent(event),
    `{"type":"OFFERS","offers":{"offers":[{` +
      `"id":{"value":"${MID}-O3"},"framework_id":{"value":"${MID}-0000"},"agent_id":{"value":"${MID}-S0"},` +
      `"hostname":"agent1","url":{"scheme":"http","address":{"hostname":"agent1","ip":"10.0.0.5","port":5051},"path":"/slave(1)"},` +
      `"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":4.0},"role":"*","allocation_info":{"role":"*"}},` +
      `{"name":"mem","type":"SCALAR","scalar":{"value":7680.0},"role":"*","allocation_info":{"role":"*"}},` +
      `{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},"role":"*","allocation_info":{"role":"*"}}],` +
      `"attributes":[{"name":"rack","type":"TEXT","text":{"value":"r1"}}],` +
      `"executor_ids":[{"value":"t1"}],` +
      `"allocation_info":{"role":"*"}}]}}`,
  );
  // An unset (deprecated) role is not echoed.
  assert.is(encodeMessage('Resource', { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }), '{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}}');
});

test('UPDATE renders status fields in declaration order; IP addresses echo their IPv4 default', () => {
  const uuid = uuidFromSeed('S0/t1/1');
  const event: SchedulerEvent = {
    type: 'UPDATE',
    update: {
      status: {
        task_id: { value: 't1' },
        state: 'TASK_RUNNING',
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: `${MID}-S0` },
        executor_id: { value: 't1' },
        timestamp: 1724430000.123,
        uuid,
        container_status: {
          container_id: { value: 'c1' },
          network_infos: [{ ip_addresses: [{ ip_address: '10.0.0.5' }] }],
          executor_pid: 1234,
        },
      },
    },
  };
  // Reference 1.4 shows `{"ip_address":"10.0.0.5"}`, but NetworkInfo.IPAddress.protocol has the
  // proto default IPv4 and is not deprecated, so Mesos writes it.
  assert.is(
    encodeSchedulerEvent(event),
    `{"type":"UPDATE","update":{"status":{"task_id":{"value":"t1"},"state":"TASK_RUNNING",` +
      `"source":"SOURCE_EXECUTOR","agent_id":{"value":"${MID}-S0"},"executor_id":{"value":"t1"},` +
      `"timestamp":1724430000.123,"uuid":"${uuid}",` +
      `"container_status":{"container_id":{"value":"c1"},"network_infos":[{"ip_addresses":[{"protocol":"IPv4","ip_address":"10.0.0.5"}]}],"executor_pid":1234}}}}`,
  );
  const master: SchedulerEvent = {
    type: 'UPDATE',
    update: {
      status: {
        task_id: { value: 't1' },
        state: 'TASK_UNREACHABLE',
        message: 'Agent removed',
        source: 'SOURCE_MASTER',
        reason: 'REASON_AGENT_REMOVED',
        // Beyond 2^53 a JS number holds the nearest double; it is printed exactly.
        unreachable_time: { nanoseconds: 1724430000123456789 },
      },
    },
  };
  assert.is(
    encodeSchedulerEvent(master),
    '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t1"},"state":"TASK_UNREACHABLE","message":"Agent removed",' +
      '"source":"SOURCE_MASTER","reason":"REASON_AGENT_REMOVED","unreachable_time":{"nanoseconds":1724430000123456768}}}}',
  );
});

test('RESCIND, FAILURE, ERROR and HEARTBEAT shapes', () => {
  assert.is(encodeSchedulerEvent({ type: 'RESCIND', rescind: { offer_id: { value: `${MID}-O3` } } }), `{"type":"RESCIND","rescind":{"offer_id":{"value":"${MID}-O3"}}}`);
  assert.is(encodeSchedulerEvent({ type: 'FAILURE', failure: { agent_id: { value: `${MID}-S0` } } }), `{"type":"FAILURE","failure":{"agent_id":{"value":"${MID}-S0"}}}`);
  assert.is(
    encodeSchedulerEvent({ type: 'FAILURE', failure: { agent_id: { value: 'a' }, executor_id: { value: 't1' }, status: 0 } }),
    '{"type":"FAILURE","failure":{"agent_id":{"value":"a"},"executor_id":{"value":"t1"},"status":0}}',
  );
  // The message is inside `error`, not at the top level as the docs show.
  assert.is(encodeSchedulerEvent({ type: 'ERROR', error: { message: 'Framework failed over' } }), '{"type":"ERROR","error":{"message":"Framework failed over"}}');
  assert.is(encodeSchedulerEvent({ type: 'HEARTBEAT' }), '{"type":"HEARTBEAT"}');
});

test('the rendered examples parse back into the same events', () => {
  const texts = [
    `{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"},"hostname":"h","resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":4.0},"role":"*"}]}]}}`,
    '{"type":"ERROR","error":{"message":"Framework failed over"}}',
    '{"type":"HEARTBEAT"}',
  ];
  for (const text of texts) {
    const json = parseJsonText(text);
    assert.ok(json.ok);
    const decoded = decodeSchedulerEvent(json.ok ? json.value : null);
    assert.ok(decoded.ok, text);
    if (decoded.ok) assert.is(encodeSchedulerEvent(decoded.value), text);
  }
  // The docs' ERROR shape does not even parse: `message` is the MESSAGE event's sub-message.
  const docs = decodeSchedulerEvent({ type: 'ERROR', message: 'Framework failed over' });
  assert.equal(docs, { ok: false, error: "Not expecting a JSON string for field 'message'" });
  assert.equal(decodeSchedulerEvent({ type: 'ERROR' }), { ok: false, error: "Expecting 'error' to be present" });
  const docsOffers = decodeSchedulerEvent({ type: 'OFFERS', offers: [{ id: { value: 'o' } }] });
  assert.not.ok(docsOffers.ok);
});

test('unset defaulted fields are echoed unless deprecated', () => {
  const fw: FrameworkInfo = { user: 'root', name: 'fw' };
  assert.is(encodeMessage('FrameworkInfo', fw), '{"user":"root","name":"fw","failover_timeout":0.0,"checkpoint":false}');
  assert.is(
    encodeMessage('FrameworkInfo', { ...fw, role: '*', roles: ['a'], failover_timeout: 604800, checkpoint: true }),
    '{"user":"root","name":"fw","failover_timeout":604800.0,"checkpoint":true,"role":"*","roles":["a"]}',
  );
  assert.is(encodeMessage('Filters', {}), '{"refuse_seconds":5.0}');
  assert.is(encodeMessage('CommandInfo', { value: 'sleep 1' }), '{"shell":true,"value":"sleep 1"}');
  assert.is(encodeMessage('AgentInfo', { hostname: 'h' }), '{"hostname":"h","port":5051}');
  assert.is(encodeMessage('HealthCheck', {}), '{"delay_seconds":15.0,"interval_seconds":10.0,"timeout_seconds":20.0,"consecutive_failures":3,"grace_period_seconds":10.0}');
  assert.is(encodeMessage('EnvironmentVariable', { name: 'X' }), '{"name":"X","type":"VALUE"}');
  assert.is(encodeMessage('ContainerInfoDockerInfo', { image: 'i' }), '{"image":"i","network":"HOST","privileged":false}');
  assert.is(encodeMessage('LinuxInfo', {}), '{"share_cgroups":true}');
  // An empty repeated field is not written.
  assert.is(
    encodeMessage('SchedulerCallSubscribe', { framework_info: fw, suppressed_roles: [] }),
    '{"framework_info":{"user":"root","name":"fw","failover_timeout":0.0,"checkpoint":false}}',
  );
});

test('SUBSCRIBE and ACCEPT calls as a framework sends them', () => {
  assert.is(
    encodeSchedulerCall({
      type: 'SUBSCRIBE',
      subscribe: {
        framework_info: {
          user: 'root',
          name: 'fw',
          roles: ['*'],
          failover_timeout: 604800,
          checkpoint: true,
          capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }, { type: 'TASK_KILLING_STATE' }],
        },
      },
    }),
    '{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"fw","failover_timeout":604800.0,"checkpoint":true,' +
      '"roles":["*"],"capabilities":[{"type":"MULTI_ROLE"},{"type":"PARTITION_AWARE"},{"type":"TASK_KILLING_STATE"}]}}}',
  );
  assert.is(
    encodeSchedulerCall({
      type: 'ACCEPT',
      framework_id: { value: 'f' },
      accept: {
        offer_ids: [{ value: 'o1' }],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                {
                  name: 't',
                  task_id: { value: 't1' },
                  agent_id: { value: 'a' },
                  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
                  command: { value: 'exit 0' },
                },
              ],
            },
          },
        ],
      },
    }),
    '{"framework_id":{"value":"f"},"type":"ACCEPT","accept":{"offer_ids":[{"value":"o1"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[' +
      '{"name":"t","task_id":{"value":"t1"},"agent_id":{"value":"a"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}],' +
      '"command":{"shell":true,"value":"exit 0"}}]}}]}}',
  );
});

test('executor events follow the proto order: acknowledged before launch', () => {
  assert.is(
    encodeExecutorEvent({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 't' }, uuid: 'AAAAAAAAQACAAAAAAAAAAA==' } }),
    '{"type":"ACKNOWLEDGED","acknowledged":{"task_id":{"value":"t"},"uuid":"AAAAAAAAQACAAAAAAAAAAA=="}}',
  );
  assert.is(encodeExecutorEvent({ type: 'SHUTDOWN' }), '{"type":"SHUTDOWN"}');
  assert.is(
    encodeExecutorEvent({ type: 'KILL', kill: { task_id: { value: 't' }, kill_policy: { grace_period: { nanoseconds: 3000000000 } } } }),
    '{"type":"KILL","kill":{"task_id":{"value":"t"},"kill_policy":{"grace_period":{"nanoseconds":3000000000}}}}',
  );
});

test('operator responses and internal messages', () => {
  assert.is(encodeMasterResponse({ type: 'GET_HEALTH', get_health: { healthy: true } }), '{"type":"GET_HEALTH","get_health":{"healthy":true}}');
  assert.is(encodeAgentResponse({ type: 'GET_TASKS', get_tasks: {} }), '{"type":"GET_TASKS","get_tasks":{}}');
  assert.is(
    encodeMasterResponse({ type: 'GET_MASTER', get_master: { start_time: 1724430000, elected_time: 1724430001.5 } }),
    '{"type":"GET_MASTER","get_master":{"start_time":1724430000.0,"elected_time":1724430001.5}}',
  );
  assert.is(encodeInternal({ type: 'PING', connected: true }), '{"type":"PING","connected":true}');
  assert.is(
    encodeInternal({
      type: 'STATUS_UPDATE',
      update: {
        framework_id: { value: 'f' },
        status: { task_id: { value: 't' }, state: 'TASK_FINISHED' },
        timestamp: 2,
        latest_state: 'TASK_FINISHED',
      },
    }),
    '{"type":"STATUS_UPDATE","update":{"framework_id":{"value":"f"},"status":{"task_id":{"value":"t"},"state":"TASK_FINISHED"},"timestamp":2.0,"latest_state":"TASK_FINISHED"}}',
  );
});

test('doubles are written as rapidjson writes them; strings escape like rapidjson', () => {
  const cases: Array<[number, string]> = [
    [15, '15.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.1, '0.1'],
    [5e-7, '5e-7'],
    [0.000001, '0.000001'],
    [1e21, '1e21'],
    [1.5e300, '1.5e300'],
    [123456789012345680000, '123456789012345680000.0'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [NaN, 'NaN'],
  ];
  for (const [v, s] of cases) assert.is(formatDouble(v), s, String(v));
  assert.is(encodeMessage('Label', { key: 'a"b\\c\n\u0001\u001f/é' }), '{"key":"a\\"b\\\\c\\n\\u0001\\u001F/é"}');
  assert.is(encodeMessage('Label', { key: '\\u00ab' }), '{"key":"\\\\u00ab"}');
});

test('rendering refuses values that do not fit the descriptor', () => {
  assert.throws(() => encodeMessage('TaskID', { value: 'x', extra: 1 }), /has no field 'extra'/);
  assert.throws(() => encodeMessage('TaskID', { value: 5 }), /expected a string/);
  assert.throws(() => encodeMessage('TimeInfo', { nanoseconds: 1.5 }), /not a int64/);
  assert.throws(() => encodeMessage('Address', { port: 2 ** 31 }), /not a int32/);
  assert.throws(() => encodeMessage('TaskStatus', { task_id: { value: 't' }, state: 'TASK_BOGUS' }), /not a TaskState/);
  assert.throws(() => encodeMessage('ValueRanges', { range: { begin: 1, end: 2 } }), /expected an array/);
  assert.throws(() => encodeInternal({ type: 'NOPE' } as never), /internal message/);
});

test.run();
