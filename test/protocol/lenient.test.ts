/**
 * Parsing is lenient the way stout's protobuf::parse is, and strict where it is strict
 * (reference 0.1): these cases pin both sides.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeAgentResponse,
  decodeExecutorEvent,
  decodeInternal,
  decodeMasterResponse,
  decodeMessage,
  decodeSchedulerCall,
  encodeMessage,
  parseJsonText,
  withDefaults,
} from '../../spec/protocol/json.ts';

const fw = { user: 'u', name: 'n' };

function ok(name: string, json: unknown): Record<string, unknown> {
  const r = decodeMessage(name, json);
  if (!r.ok) throw new Error(`expected ${name} to parse: ${r.error}`);
  return r.value;
}

function error(name: string, json: unknown): string {
  const r = decodeMessage(name, json);
  if (r.ok) throw new Error(`expected ${name} to be rejected: ${JSON.stringify(r.value)}`);
  return r.error;
}

test('null means unset, for singular and repeated fields and inside arrays', () => {
  assert.equal(ok('FrameworkInfo', { ...fw, roles: null, id: null, labels: null }), fw);
  assert.equal(ok('ValueSet', { item: ['a', null, 'b'] }), { item: ['a', 'b'] });
  assert.equal(ok('ValueSet', { item: [] }), {});
  // A null required field is missing.
  assert.is(error('TaskID', { value: null }), 'Missing required fields: value');
});

test('unknown keys, camelCase spellings included, are ignored', () => {
  assert.equal(ok('FrameworkInfo', { ...fw, failoverTimeout: 10, webuiUrl: 'x', bogus: { deep: [1] } }), fw);
  const call = decodeSchedulerCall({ type: 'TEARDOWN', frameworkId: { value: 'f' } });
  assert.equal(call, { ok: true, value: { type: 'TEARDOWN' } });
  // REVIVE's real field is `roles`; the docs' `role` is ignored, so all roles are revived.
  assert.equal(ok('SchedulerCallRevive', { role: 'r' }), {});
});

test('numbers and booleans may be strings; doubles accept Infinity', () => {
  assert.equal(ok('Address', { port: '5050' }), { port: 5050 });
  assert.equal(ok('Address', { port: ' 5050 ' }), { port: 5050 });
  assert.equal(ok('ValueRange', { begin: '31000', end: 32000 }), { begin: 31000, end: 32000 });
  assert.equal(ok('Filters', { refuse_seconds: '2.5' }), { refuse_seconds: 2.5 });
  assert.equal(ok('Filters', { refuse_seconds: 'Infinity' }), { refuse_seconds: Infinity });
  assert.equal(ok('Filters', { refuse_seconds: '-Infinity' }), { refuse_seconds: -Infinity });
  assert.equal(ok('FrameworkInfo', { ...fw, checkpoint: 'true', failover_timeout: '1e3' }), {
    ...fw,
    failover_timeout: 1000,
    checkpoint: true,
  });
  assert.is(error('Filters', { refuse_seconds: 'NaN' }), "Failed to parse 'NaN' as a JSON number for field 'refuse_seconds'");
  assert.is(error('Address', { port: 'fifty' }), "Failed to parse 'fifty' as a JSON number for field 'port'");
  assert.is(error('FrameworkInfo', { ...fw, checkpoint: 'yes' }), "Failed to parse 'yes' as a JSON boolean for field 'checkpoint'");
});

test('integers: a fraction is truncated (stout casts), out of range is an error', () => {
  assert.equal(ok('Address', { port: 5050.9 }), { port: 5050 });
  assert.equal(ok('Address', { port: -1.5 }), { port: -1 });
  assert.equal(ok('TimeInfo', { nanoseconds: -0.5 }), { nanoseconds: 0 });
  assert.is(error('Address', { port: 2 ** 31 }), "Value 2147483648 is out of range of int32 for field 'port'");
  assert.is(error('CheckInfoTcp', { port: -1 }), "Value -1 is out of range of uint32 for field 'port'");
  assert.is(error('TimeInfo', { nanoseconds: 2 ** 63 }), "Value 9223372036854775808 is out of range of int64 for field 'nanoseconds'");
  assert.equal(ok('TimeInfo', { nanoseconds: -(2 ** 63) }), { nanoseconds: -(2 ** 63) });
});

test('field types are enforced, errors name the field by its path', () => {
  assert.is(
    error('RawSchedulerCall', { type: 'SUBSCRIBE', subscribe: { framework_info: { ...fw, capabilities: [{ type: 5 }] } } }),
    "Not expecting a JSON number for field 'subscribe.framework_info.capabilities[0].type'",
  );
  assert.is(error('FrameworkInfo', { ...fw, user: 7 }), "Not expecting a JSON number for field 'user'");
  assert.is(error('FrameworkInfo', { ...fw, user: true }), "Not expecting a JSON boolean for field 'user'");
  assert.is(error('FrameworkInfo', { ...fw, user: {} }), "Not expecting a JSON object for field 'user'");
  assert.is(error('FrameworkInfo', { ...fw, user: ['a'] }), "Not expecting a JSON array for field 'user'");
  assert.is(error('FrameworkInfo', { ...fw, id: 'f' }), "Not expecting a JSON string for field 'id'");
  assert.is(error('FrameworkInfo', { ...fw, checkpoint: 1 }), "Not expecting a JSON number for field 'checkpoint'");
  assert.is(
    error('RawSchedulerCall', { type: 'ACCEPT', accept: { offer_ids: [{ value: 'a' }, { value: 1 }] } }),
    "Not expecting a JSON number for field 'accept.offer_ids[1].value'",
  );
  assert.is(error('TaskInfo', { limits: { cpus: 'x' } }), "Not expecting a JSON string for field 'limits[cpus]'");
  assert.is(error('TaskInfo', []), 'Expecting a JSON object');
  assert.is(error('TaskInfo', 'x'), 'Expecting a JSON object');
});

test('a single value for a repeated field is a one-element list; nested arrays flatten', () => {
  assert.equal(ok('FrameworkInfo', { ...fw, roles: '*' }), { ...fw, roles: ['*'] });
  assert.equal(ok('SchedulerCallAccept', { offer_ids: { value: 'o' } }), { offer_ids: [{ value: 'o' }] });
  assert.equal(ok('ValueSet', { item: [['a', ['b']], 'c'] }), { item: ['a', 'b', 'c'] });
});

test('enums: unknown names dropped when optional or repeated, an error when required', () => {
  assert.equal(decodeSchedulerCall({ type: 'NOT_A_CALL' }), { ok: true, value: {} });
  assert.equal(ok('FrameworkInfo', { ...fw, capabilities: [{ type: 'FUTURE' }, { type: 'MULTI_ROLE' }] }), {
    ...fw,
    capabilities: [{}, { type: 'MULTI_ROLE' }],
  });
  assert.equal(ok('CapabilityInfo', { capabilities: ['CHOWN', 'FUTURE', 'KILL'] }), { capabilities: ['CHOWN', 'KILL'] });
  assert.is(error('TaskStatus', { task_id: { value: 't' }, state: 'TASK_FUTURE' }), "Failed to find enum for 'TASK_FUTURE' for field 'state'");
  // Enum names are case-sensitive, and numbers are not accepted.
  assert.is(error('TaskStatus', { task_id: { value: 't' }, state: 'task_running' }), "Failed to find enum for 'task_running' for field 'state'");
  assert.is(error('TaskStatus', { task_id: { value: 't' }, state: 1 }), "Not expecting a JSON number for field 'state'");
});

test('bytes: Base64 decoded leniently like stout, canonical on output, invalid characters rejected', () => {
  const uuid = 'AAECAwQFRgcICQoLDA0ODw==';
  assert.equal(ok('SecretValue', { data: uuid }), { data: uuid });
  assert.equal(ok('SecretValue', { data: 'AAECAwQFRgcI\nCQoLDA0ODw' }), { data: uuid });
  assert.equal(ok('SecretValue', { data: 'aGk' }), { data: 'aGk=' });
  assert.equal(ok('SecretValue', { data: '' }), { data: '' });
  assert.is(error('SecretValue', { data: 'not base64!' }), "Failed to base64 decode bytes field 'data': Invalid character '!'");
  assert.is(error('SecretValue', { data: 'a-b_' }), "Failed to base64 decode bytes field 'data': Invalid character '-'");
  assert.is(error('SecretValue', { data: 12 }), "Not expecting a JSON number for field 'data'");
});

test('missing required fields are listed like protobuf does', () => {
  assert.is(
    error('RawSchedulerCall', { type: 'SUBSCRIBE', subscribe: { framework_info: {} } }),
    'Missing required fields: subscribe.framework_info.user, subscribe.framework_info.name',
  );
  // Own fields first (declaration order), then sub-messages by field number, with indexes.
  assert.is(
    error('TaskInfo', {
      resources: [
        { name: 'cpus', type: 'SCALAR' },
        { type: 'SCALAR', scalar: {} },
      ],
      command: { uris: [{}] },
    }),
    'Missing required fields: name, task_id, agent_id, resources[1].name, resources[1].scalar.value, command.uris[0].value',
  );
  assert.is(
    error('TaskInfo', { name: 'n', task_id: { value: 't' }, agent_id: { value: 'a' }, limits: { cpus: {}, mem: { value: 1 } } }),
    'Missing required fields: limits[0].value.value',
  );
  // The executor call requires its ids at parse time.
  assert.is(error('RawExecutorCall', { type: 'HEARTBEAT' }), 'Missing required fields: executor_id, framework_id');
});

test('oneof: several members given, the last key in byte order wins', () => {
  assert.equal(ok('AttributeConstraintSelector', { pseudoattribute_type: 'HOSTNAME', attribute_name: 'rack' }), {
    pseudoattribute_type: 'HOSTNAME',
  });
  assert.equal(ok('AttributeConstraintPredicate', { exists: {}, text_equals: { value: 'x' } }), { text_equals: { value: 'x' } });
  assert.equal(ok('AttributeConstraintPredicate', { not_exists: {} }), { not_exists: {} });
});

test('maps: JSON objects keyed by string; odd keys are just keys', () => {
  const task = { name: 'n', task_id: { value: 't' }, agent_id: { value: 'a' } };
  const parsed = ok('TaskInfo', { ...task, limits: { mem: { value: '64' }, cpus: { value: 1 }, __proto__x: null } });
  assert.equal(parsed, { ...task, limits: { cpus: { value: 1 }, mem: { value: 64 } } });
  const proto = ok('TaskInfo', JSON.parse('{"name":"n","task_id":{"value":"t"},"agent_id":{"value":"a"},"limits":{"__proto__":{"value":2}}}'));
  const limits = proto.limits as Record<string, unknown>;
  assert.equal(Object.keys(limits), ['__proto__']);
  assert.is(Object.getPrototypeOf(limits), Object.prototype);
  assert.is(encodeMessage('TaskInfo', proto), '{"name":"n","task_id":{"value":"t"},"agent_id":{"value":"a"},"limits":{"__proto__":{"value":2.0}}}');
});

test('withDefaults is what a render/parse round trip gives back', () => {
  const msg = { framework_info: { ...fw, roles: [] }, suppressed_roles: [] };
  const text = encodeMessage('SchedulerCallSubscribe', msg);
  const back = ok('SchedulerCallSubscribe', JSON.parse(text));
  assert.equal(back, withDefaults('SchedulerCallSubscribe', msg));
  assert.equal(back, { framework_info: { ...fw, failover_timeout: 0, checkpoint: false } });
});

test('JSON text: Mesos-style bare Infinity is read only when asked for', () => {
  const text = '{"refuse_seconds":Infinity,"s":"Infinity and NaN \\" -Infinity"}';
  assert.not.ok(parseJsonText(text).ok);
  const r = parseJsonText(text, { nonFinite: true });
  assert.equal(r, { ok: true, value: { refuse_seconds: 'Infinity', s: 'Infinity and NaN " -Infinity' } });
  assert.equal(ok('Filters', r.ok ? r.value : null), { refuse_seconds: Infinity });
});

test('events and internal messages decode with their envelope checks', () => {
  assert.equal(decodeExecutorEvent({ type: 'LAUNCH' }), { ok: false, error: "Expecting 'launch' to be present" });
  assert.equal(decodeExecutorEvent({}), { ok: false, error: "Expecting 'type' to be present" });
  assert.equal(decodeExecutorEvent({ type: 'SHUTDOWN' }), { ok: true, value: { type: 'SHUTDOWN' } });
  assert.equal(decodeInternal({ type: 'PONG', extra: 1 }), { ok: true, value: { type: 'PONG' } });
  assert.equal(decodeInternal({ type: 'PING' }), { ok: false, error: 'Missing required fields: connected' });
  assert.equal(decodeInternal({ type: 'SUBSCRIBE' }), { ok: false, error: 'Unknown internal message type "SUBSCRIBE"' });
  assert.equal(decodeInternal({}), { ok: false, error: "Expecting 'type' to be present" });
  assert.equal(decodeMasterResponse({ type: 'GET_MAINTENANCE_STATUS' }), { ok: false, error: "Unsupported 'type' GET_MAINTENANCE_STATUS" });
  assert.equal(decodeMasterResponse({ type: 'GET_STATE' }), { ok: false, error: "Expecting 'get_state' to be present" });
  assert.equal(decodeAgentResponse({ type: 'GET_HEALTH', get_health: { healthy: 'false' } }), {
    ok: true,
    value: { type: 'GET_HEALTH', get_health: { healthy: false } },
  });
});

test.run();
