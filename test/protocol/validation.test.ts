/**
 * Every message of Mesos's call validation (src/master/validation.cpp scheduler::call::validate,
 * src/common/validation.cpp validateExecutorCall / validateID, master and agent call validation)
 * and the HTTP body pipelines.
 */
import { match } from 'ts-pattern';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RawExecutorCall } from '../../spec/protocol/executor.ts';
import type { RawSchedulerCall, SchedulerCall } from '../../spec/protocol/scheduler.ts';
import { base64Encode } from '../../spec/protocol/bytes.ts';
import { uuidFromSeed } from '../../spec/protocol/uuid.ts';
import {
  parseAgentCallBody,
  parseExecutorCallBody,
  parseMasterCallBody,
  parseSchedulerCallBody,
  SCHEDULER_REQUIRED,
  validateAgentCall,
  validateExecutorCall,
  validateId,
  validateMasterCall,
  validateSchedulerCall,
} from '../../spec/protocol/validation.ts';

const S = 'Failed to validate scheduler::Call: ';
const E = 'Failed to validate Executor::Call: ';
const fid = { value: 'f-0000' };
const fw = { user: 'u', name: 'n' };
const agent = { value: 'a' };
const task = { value: 't' };
const uuid = uuidFromSeed('a/t/1');

function sched(call: Record<string, unknown>): string | null {
  return validateSchedulerCall(call as RawSchedulerCall);
}

test('scheduler: type and SUBSCRIBE rules', () => {
  assert.is(sched({}), `${S}Expecting 'type' to be present`);
  assert.is(sched({ type: 'SUBSCRIBE' }), `${S}Expecting 'subscribe' to be present`);
  assert.is(sched({ type: 'SUBSCRIBE', subscribe: { framework_info: fw } }), null);
  assert.is(sched({ type: 'SUBSCRIBE', framework_id: fid, subscribe: { framework_info: { ...fw, id: fid } } }), null);
  assert.is(sched({ type: 'SUBSCRIBE', framework_id: fid, subscribe: { framework_info: fw } }), `${S}'framework_id' differs from 'subscribe.framework_info.id'`);
  assert.is(sched({ type: 'SUBSCRIBE', subscribe: { framework_info: { ...fw, id: fid } } }), `${S}'framework_id' differs from 'subscribe.framework_info.id'`);
  assert.is(
    sched({ type: 'SUBSCRIBE', framework_id: { value: 'x' }, subscribe: { framework_info: { ...fw, id: fid } } }),
    `${S}'framework_id' differs from 'subscribe.framework_info.id'`,
  );
  // Protobuf equality: an empty id equals an unset one.
  assert.is(sched({ type: 'SUBSCRIBE', framework_id: { value: '' }, subscribe: { framework_info: fw } }), null);
  assert.is(sched({ type: 'SUBSCRIBE', subscribe: { framework_info: {} } }), `${S}Not initialized: subscribe.framework_info.user, subscribe.framework_info.name`);
});

test('scheduler: every other call needs framework_id, then its sub-message', () => {
  for (const type of [...Object.keys(SCHEDULER_REQUIRED), 'TEARDOWN', 'REVIVE', 'SUPPRESS', 'UNKNOWN']) {
    assert.is(sched({ type }), `${S}Expecting 'framework_id' to be present`, type);
  }
  for (const [type, key] of Object.entries(SCHEDULER_REQUIRED)) {
    assert.is(sched({ type, framework_id: fid }), `${S}Expecting '${key}' to be present`, type);
  }
  for (const type of ['TEARDOWN', 'REVIVE', 'SUPPRESS', 'UNKNOWN']) assert.is(sched({ type, framework_id: fid }), null, type);
  assert.is(sched({ type: 'ACCEPT', framework_id: fid, accept: {} }), null);
  assert.is(sched({ type: 'KILL', framework_id: fid, kill: {} }), `${S}Not initialized: kill.task_id`);
});

test('scheduler: acknowledgement UUIDs must be 16 bytes with a known version', () => {
  const ack = (u: string) => sched({ type: 'ACKNOWLEDGE', framework_id: fid, acknowledge: { agent_id: agent, task_id: task, uuid: u } });
  assert.is(ack(uuid), null);
  const bytes = (version: number, length = 16) => {
    const b = new Uint8Array(length);
    if (length > 6) b[6] = version << 4;
    return base64Encode(b);
  };
  for (const v of [1, 2, 3, 4, 5]) assert.is(ack(bytes(v)), null, `version ${v}`);
  for (const bad of [bytes(0), bytes(6), bytes(15), bytes(4, 15), bytes(4, 17), '', 'AAAA', '!!']) {
    assert.is(ack(bad), `${S}Not a valid UUID`, bad);
  }
  const opAck = (extra: Record<string, unknown>) =>
    sched({ type: 'ACKNOWLEDGE_OPERATION_STATUS', framework_id: fid, acknowledge_operation_status: { uuid, operation_id: { value: 'op' }, ...extra } });
  assert.is(opAck({ agent_id: agent }), null);
  assert.is(opAck({}), `${S}Expecting 'agent_id' to be present`);
  assert.is(opAck({ agent_id: agent, uuid: bytes(0) }), `${S}Not a valid UUID`);
});

test('scheduler: UPDATE_FRAMEWORK ids must match', () => {
  assert.is(sched({ type: 'UPDATE_FRAMEWORK', framework_id: fid, update_framework: { framework_info: { ...fw, id: fid } } }), null);
  assert.is(
    sched({ type: 'UPDATE_FRAMEWORK', framework_id: fid, update_framework: { framework_info: fw } }),
    `${S}'framework_id' differs from 'update_framework.framework_info.id'`,
  );
});

test('scheduler: the HTTP body pipeline in Mesos order, and the call narrows with ts-pattern', () => {
  const bad = parseSchedulerCallBody('{"type":');
  assert.is(bad.ok, false);
  if (!bad.ok) {
    assert.is(bad.status, 400);
    assert.ok(bad.error.startsWith('Failed to parse body into JSON: '), bad.error);
  }
  assert.equal(parseSchedulerCallBody('{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u"}}}'), {
    ok: false,
    status: 400,
    error: 'Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.name',
  });
  assert.equal(parseSchedulerCallBody('[]'), { ok: false, status: 400, error: 'Failed to convert JSON into Call protobuf: Expecting a JSON object' });
  assert.equal(parseSchedulerCallBody('{"type":"DECLINE","framework_id":{"value":"f"}}'), {
    ok: false,
    status: 400,
    error: `${S}Expecting 'decline' to be present`,
  });
  assert.equal(parseSchedulerCallBody('{"type":"UNKNOWN","framework_id":{"value":"f"}}'), { ok: false, status: 501, error: 'UNKNOWN is not implemented' });
  // The docs' REQUEST shape puts `requests` at the top level: 400.
  assert.equal(parseSchedulerCallBody('{"type":"REQUEST","framework_id":{"value":"f"},"requests":[]}'), {
    ok: false,
    status: 400,
    error: `${S}Expecting 'request' to be present`,
  });
  // The docs' ACKNOWLEDGE_OPERATION_STATUS example gives operation_id as a string: 400.
  const docsAck = parseSchedulerCallBody(
    `{"type":"ACKNOWLEDGE_OPERATION_STATUS","framework_id":{"value":"f"},"acknowledge_operation_status":{"agent_id":{"value":"a"},"uuid":"${uuid}","operation_id":"op"}}`,
  );
  assert.equal(docsAck, {
    ok: false,
    status: 400,
    error: "Failed to convert JSON into Call protobuf: Not expecting a JSON string for field 'acknowledge_operation_status.operation_id'",
  });

  const r = parseSchedulerCallBody('{"type":"ACCEPT","framework_id":{"value":"f"},"accept":{"offer_ids":[{"value":"o1"}],"filters":{"refuse_seconds":"10"}}}');
  assert.ok(r.ok);
  if (!r.ok) return;
  const describe = (call: SchedulerCall): string =>
    match(call)
      .with({ type: 'ACCEPT' }, (c) => `accept ${c.accept.offer_ids?.map((o) => o.value).join()} for ${c.framework_id.value} refusing ${c.accept.filters?.refuse_seconds}`)
      .with({ type: 'SUBSCRIBE' }, (c) => `subscribe ${c.subscribe.framework_info.name}`)
      .otherwise((c) => c.type);
  assert.is(describe(r.call), 'accept o1 for f refusing 10');
});

function exec(call: Record<string, unknown>): string | null {
  return validateExecutorCall({ executor_id: { value: 'e' }, framework_id: fid, ...call } as RawExecutorCall);
}

test('executor: type, sub-messages and the UPDATE rules', () => {
  const status = (extra: Record<string, unknown>) => ({
    type: 'UPDATE',
    update: { status: { task_id: task, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid, ...extra } },
  });
  assert.is(exec({}), `${E}Expecting 'type' to be present`);
  assert.is(exec({ type: 'SUBSCRIBE' }), `${E}Expecting 'subscribe' to be present`);
  assert.is(exec({ type: 'SUBSCRIBE', subscribe: {} }), null);
  assert.is(exec({ type: 'UPDATE' }), `${E}Expecting 'update' to be present`);
  assert.is(exec({ type: 'MESSAGE' }), `${E}Expecting 'message' to be present`);
  assert.is(exec({ type: 'MESSAGE', message: { data: '' } }), null);
  assert.is(exec({ type: 'HEARTBEAT' }), null);
  assert.is(exec({ type: 'UNKNOWN' }), null);
  assert.is(exec(status({})), null);
  assert.is(exec(status({ uuid: undefined })), `${E}Expecting 'uuid' to be present`);
  assert.is(exec(status({ uuid: 'AAAA' })), `${E}Not a valid UUID`);
  assert.is(exec(status({ executor_id: { value: 'e' } })), null);
  assert.is(exec(status({ executor_id: { value: 'other' } })), `${E}ExecutorID in Call: e does not match ExecutorID in TaskStatus: other`);
  assert.is(exec(status({ source: 'SOURCE_AGENT' })), `${E}Received Call from executor e of framework f-0000 with invalid source, expecting 'SOURCE_EXECUTOR'`);
  assert.is(exec(status({ source: undefined })), `${E}Received Call from executor e of framework f-0000 with invalid source, expecting 'SOURCE_EXECUTOR'`);
  assert.is(exec(status({ state: 'TASK_STAGING' })), `${E}Received TASK_STAGING from executor e of framework f-0000 which is not allowed`);
  assert.is(exec(status({ check_status: {} })), `${E}CheckStatusInfo must specify 'type'`);
  assert.is(exec(status({ check_status: { type: 'COMMAND' } })), `${E}Expecting 'command' to be set for COMMAND check's status`);
  assert.is(exec(status({ check_status: { type: 'HTTP' } })), `${E}Expecting 'http' to be set for HTTP check's status`);
  assert.is(exec(status({ check_status: { type: 'TCP' } })), `${E}Expecting 'tcp' to be set for TCP check's status`);
  assert.is(exec(status({ check_status: { type: 'UNKNOWN' } })), `${E}'UNKNOWN' is not a valid check's status type`);
  assert.is(exec(status({ check_status: { type: 'TCP', tcp: { succeeded: true } } })), null);
  assert.is(validateExecutorCall({ type: 'HEARTBEAT' } as never), `${E}Not initialized: executor_id, framework_id`);
});

test('executor: the HTTP body pipeline', () => {
  assert.equal(parseExecutorCallBody('{"type":"HEARTBEAT"}'), {
    ok: false,
    status: 400,
    error: 'Failed to convert JSON into Call protobuf: Missing required fields: executor_id, framework_id',
  });
  const body = (status: string) => `{"executor_id":{"value":"e"},"framework_id":{"value":"f"},"type":"UPDATE","update":{"status":${status}}}`;
  assert.equal(parseExecutorCallBody(body('{"task_id":{"value":"t"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR"}')), {
    ok: false,
    status: 400,
    error: `${E}Expecting 'uuid' to be present`,
  });
  const ok = parseExecutorCallBody(body(`{"task_id":{"value":"t"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR","uuid":"${uuid}"}`));
  assert.ok(ok.ok);
  assert.equal(parseExecutorCallBody('{"executor_id":{"value":"e"},"framework_id":{"value":"f"},"type":"UNKNOWN"}'), {
    ok: false,
    status: 501,
    error: 'UNKNOWN is not implemented',
  });
});

test('operator calls: master and agent', () => {
  const M = 'Failed to validate master::Call: ';
  assert.is(validateMasterCall({}), `${M}Expecting 'type' to be present`);
  assert.is(validateMasterCall({ type: 'GET_METRICS' }), `${M}Expecting 'get_metrics' to be present`);
  assert.is(validateMasterCall({ type: 'GET_METRICS', get_metrics: {} }), null);
  assert.is(validateMasterCall({ type: 'TEARDOWN' }), `${M}Expecting 'teardown' to be present`);
  assert.is(validateMasterCall({ type: 'MARK_AGENT_GONE' }), `${M}Expecting 'mark_agent_gone' to be present`);
  assert.is(validateMasterCall({ type: 'TEARDOWN', teardown: {} } as never), `${M}Not initialized: teardown.framework_id`);
  assert.is(validateMasterCall({ type: 'GET_STATE' }), null);
  assert.equal(parseMasterCallBody('{"type":"GET_STATE"}'), { ok: true, call: { type: 'GET_STATE' } });
  assert.equal(parseMasterCallBody('{"type":"GET_MAINTENANCE_STATUS"}'), { ok: false, status: 501, error: 'GET_MAINTENANCE_STATUS is not implemented' });
  assert.equal(parseMasterCallBody('{"type":"GET_METRICS"}'), { ok: false, status: 400, error: `${M}Expecting 'get_metrics' to be present` });
  assert.equal(parseMasterCallBody('{"type":"TEARDOWN","teardown":{"framework_id":{"value":"f"}}}'), {
    ok: true,
    call: { type: 'TEARDOWN', teardown: { framework_id: { value: 'f' } } },
  });

  assert.is(validateAgentCall({}), "Failed to validate agent::Call: Expecting 'type' to be present");
  assert.is(validateAgentCall({ type: 'GET_TASKS' }), null);
  assert.equal(parseAgentCallBody('{"type":"GET_HEALTH"}'), { ok: true, call: { type: 'GET_HEALTH' } });
  assert.equal(parseAgentCallBody('{"type":"GET_CONTAINERS"}'), { ok: true, call: { type: 'GET_CONTAINERS' } });
  assert.equal(parseAgentCallBody('{"type":"LAUNCH_CONTAINER"}'), { ok: false, status: 501, error: 'LAUNCH_CONTAINER is not implemented' });
  assert.equal(parseAgentCallBody('{"type":"GET_METRICS"}'), { ok: false, status: 400, error: "Failed to validate agent::Call: Expecting 'get_metrics' to be present" });
  assert.equal(parseAgentCallBody('{"type":"READ_FILE"}'), { ok: false, status: 400, error: "Failed to validate agent::Call: Expecting 'read_file' to be present" });
  assert.equal(parseAgentCallBody('{"type":"READ_FILE","read_file":{"path":"/p","offset":3}}'), { ok: true, call: { type: 'READ_FILE', read_file: { path: '/p', offset: 3 } } });
});

test('ids: validateID rules', () => {
  assert.is(validateId('task-1.a_b'), null);
  assert.is(validateId(''), 'ID must not be empty');
  assert.is(validateId('x'.repeat(255)), null);
  assert.is(validateId('x'.repeat(256)), 'ID must not be greater than 255 characters');
  assert.is(validateId('é'.repeat(128)), 'ID must not be greater than 255 characters');
  assert.is(validateId('.'), "'.' is disallowed");
  assert.is(validateId('..'), "'..' is disallowed");
  assert.is(validateId('...'), null);
  for (const bad of ['a/b', 'a\\b', 'a\nb', 'a\u0000', 'a\u007f']) assert.is(validateId(bad), `'${bad}' contains invalid characters`);
});

test.run();
