/**
 * The wire descriptors (which drive the codec) and the JSON Schemas (generated from the
 * TypeScript types) must describe the same messages; and the checked-in schemas must be what
 * the types generate now.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_SCHEMA_DIR, generateSchemas, schemaText, staleSchemas } from '../../impl/schemas.ts';
import { ENUM_DESCRIPTORS, INTERNAL_MESSAGE_DESCRIPTORS, MESSAGES, type FieldDescriptor, type MessageDescriptor } from '../../spec/protocol/descriptors.ts';
import { INTERNAL_MESSAGE_TYPES } from '../../spec/protocol/internal.ts';
import { SCHEDULER_CALL_TYPES, SCHEDULER_EVENT_TYPES } from '../../spec/protocol/scheduler.ts';
import { EXECUTOR_CALL_TYPES, EXECUTOR_EVENT_TYPES } from '../../spec/protocol/executor.ts';
import { MASTER_CALL_TYPES, MASTER_EVENT_TYPES, SERVED_AGENT_CALLS, SERVED_AGENT_RESPONSES, SERVED_MASTER_CALLS, SERVED_MASTER_RESPONSES } from '../../spec/protocol/operator.ts';
import { disagreements, SCHEMAS, unionMembers, type Schema } from './support.ts';

function withFields(name: string, edit: (fields: FieldDescriptor[]) => FieldDescriptor[]): Record<string, MessageDescriptor> {
  const d = MESSAGES[name]!;
  const fields = edit([...d.fields]);
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  return { ...MESSAGES, [name]: { ...d, fields, byName } };
}

function editField(name: string, field: string, change: Partial<FieldDescriptor>): Record<string, MessageDescriptor> {
  return withFields(name, (fs) => fs.map((f) => (f.name === field ? { ...f, ...change } : f)));
}

test('descriptors and checked-in schemas agree', () => {
  assert.equal(disagreements(MESSAGES, ENUM_DESCRIPTORS, SCHEMAS), []);
});

test('the agreement check catches every kind of drift', () => {
  const cases: Array<[string, Record<string, MessageDescriptor>]> = [
    ['dropped field', withFields('TaskStatus', (fs) => fs.filter((f) => f.name !== 'healthy'))],
    ['swapped order', withFields('Address', (fs) => [fs[1]!, fs[0]!, fs[2]!])],
    ['required flipped', editField('TaskInfo', 'agent_id', { label: 'optional' })],
    ['int width', editField('TimeInfo', 'nanoseconds', { type: 'int32' })],
    ['double vs int', editField('Filters', 'refuse_seconds', { type: 'int64' })],
    ['bytes vs string', editField('TaskStatus', 'uuid', { type: 'string' })],
    ['default lost', editField('CommandInfo', 'shell', { default: undefined })],
    ['default changed', editField('Filters', 'refuse_seconds', { default: 6 })],
    ['deprecation', editField('FrameworkInfo', 'role', { deprecated: false })],
    ['message type', editField('Offer', 'agent_id', { type: 'FrameworkID' })],
    ['repeated vs map', editField('TaskInfo', 'limits', { label: 'repeated' })],
    ['view field', editField('RawSchedulerCall', 'accept', { type: 'SchedulerCallDecline' })],
  ];
  for (const [what, messages] of cases) {
    assert.ok(disagreements(messages, ENUM_DESCRIPTORS, SCHEMAS).length > 0, what);
  }
  const enums = { ...ENUM_DESCRIPTORS, TaskState: { name: 'TaskState', values: ['TASK_RUNNING'] } };
  assert.ok(disagreements(MESSAGES, enums, SCHEMAS).length > 0, 'enum values');
  const { TaskID: _dropped, ...withoutTaskId } = MESSAGES;
  assert.ok(disagreements(withoutTaskId, ENUM_DESCRIPTORS, SCHEMAS).length > 0, 'message without descriptor');
  const schemas: Record<string, Schema> = { ...SCHEMAS };
  delete schemas['KillPolicy.json'];
  assert.ok(disagreements(MESSAGES, ENUM_DESCRIPTORS, schemas).length > 0, 'descriptor without schema');
});

test('every scheduler and executor call/event type has a view, and operator types exist', () => {
  const typesOf = (union: string) => unionMembers(union).map((m) => SCHEMAS[`${m}.json`]!.properties.type.const as string);
  const all = (values: readonly string[]) => values.filter((v) => v !== 'UNKNOWN').sort();
  assert.equal(typesOf('SchedulerCall').sort(), all(SCHEDULER_CALL_TYPES));
  assert.equal(typesOf('SchedulerEvent').sort(), all(SCHEDULER_EVENT_TYPES));
  assert.equal(typesOf('ExecutorCall').sort(), all(EXECUTOR_CALL_TYPES));
  assert.equal(typesOf('ExecutorEvent').sort(), all(EXECUTOR_EVENT_TYPES));
  assert.equal(typesOf('MasterEvent').sort(), all(MASTER_EVENT_TYPES));
  for (const t of typesOf('MasterCall')) assert.ok(MASTER_CALL_TYPES.includes(t as never), t);
  assert.equal(typesOf('MasterCall').sort(), [...SERVED_MASTER_CALLS].sort());
  assert.equal(typesOf('MasterResponse').sort(), [...SERVED_MASTER_RESPONSES].sort());
  assert.equal(typesOf('AgentCall').sort(), [...SERVED_AGENT_CALLS].sort());
  assert.equal(typesOf('AgentResponse').sort(), [...SERVED_AGENT_RESPONSES].sort());
  assert.equal(typesOf('InternalMessage').sort(), [...INTERNAL_MESSAGE_TYPES].sort());
});

test('internal message types map to their descriptors and collide with no API type', () => {
  for (const member of unionMembers('InternalMessage')) {
    const type = SCHEMAS[`${member}.json`]!.properties.type.const as string;
    assert.is(INTERNAL_MESSAGE_DESCRIPTORS[type], member);
  }
  const apiTypes = new Set<string>();
  for (const union of ['SchedulerCall', 'SchedulerEvent', 'ExecutorCall', 'ExecutorEvent', 'MasterCall', 'MasterResponse', 'MasterEvent', 'AgentCall', 'AgentResponse']) {
    for (const m of unionMembers(union)) apiTypes.add(SCHEMAS[`${m}.json`]!.properties.type.const as string);
  }
  for (const t of [...SCHEDULER_CALL_TYPES, ...SCHEDULER_EVENT_TYPES, ...EXECUTOR_CALL_TYPES, ...EXECUTOR_EVENT_TYPES, ...MASTER_CALL_TYPES, ...MASTER_EVENT_TYPES]) {
    apiTypes.add(t);
  }
  for (const t of INTERNAL_MESSAGE_TYPES) assert.not.ok(apiTypes.has(t), t);
});

test('field numbers are unique, byNumber is sorted, defaults fit their fields', () => {
  for (const d of Object.values(MESSAGES)) {
    const numbers = d.fields.map((f) => f.number);
    assert.is(new Set(numbers).size, numbers.length, d.name);
    assert.equal(
      d.byNumber.map((f) => f.number),
      [...numbers].sort((a, b) => a - b),
      d.name,
    );
  }
  assert.is(MESSAGES.FrameworkInfo!.byName.failover_timeout!.default, 0);
  assert.is(MESSAGES.Filters!.byName.refuse_seconds!.default, 5);
  assert.is(MESSAGES.NetworkInfoIPAddress!.byName.protocol!.default, 'IPv4');
  assert.ok(MESSAGES.Resource!.byName.role!.deprecated);
  assert.is(MESSAGES.AttributeConstraintPredicate!.byName.exists!.oneof, 'predicate');
});

test('checked-in schemas are exactly what the types generate (npm run schemas:check)', () => {
  const generated = generateSchemas();
  assert.equal(staleSchemas(DEFAULT_SCHEMA_DIR, generated), []);
  // And the check can fail: a changed schema is reported.
  const name = 'TaskStatus.json';
  const changed = { ...generated, [name]: { ...generated[name], description: 'changed' } };
  assert.equal(staleSchemas(DEFAULT_SCHEMA_DIR, changed), [name]);
  const { [name]: _gone, ...fewer } = generated;
  assert.equal(staleSchemas(DEFAULT_SCHEMA_DIR, fewer), [name]);
  assert.ok(schemaText({ a: 1 }).endsWith('}\n'));
});

test.run();
