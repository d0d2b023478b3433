/**
 * Each invalid class the most general framework may send (issue 9: one valid value and one of
 * each invalid class per field) is refused by the master for that class: its call, built as the
 * model builds it, delivered to the master machine on a fresh offer, gets Mesos's answer and
 * message for it. A call built wrong (valid after all, or refused for another reason) fails here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import {
  buildCall,
  REFUSED_CONVERSIONS,
  REFUSED_EXECUTORS,
  REFUSED_FRAMEWORK_INFOS,
  REFUSED_GROUPS,
  QUOTA_UPDATES,
  REFUSED_OFFER_USES,
  REFUSED_OPERATIONS,
  REFUSED_OPERATOR_CONVERSIONS,
  REFUSED_OPERATOR_VOLUMES,
  REFUSED_QUOTAS,
  REFUSED_WEIGHTS,
  type GeneralCall,
  type GeneralFrameworkContext,
} from '../../spec/machines/general-framework.ts';
import { toWire, mustParseResources } from '../../spec/resources/index.ts';
import { MasterDriver, frameworkInfo } from '../support/master-driver.ts';

const info = frameworkInfo({ roles: ['web'], capabilities: [{ type: 'MULTI_ROLE' }] });

/** A master with one agent, the framework of role web subscribed and holding the agent's offer; the framework's context to build calls from. */
function withOffer() {
  const d = new MasterDriver();
  const aid = d.registerAgent('agent-0', 'cpus:2;mem:1024;disk:64');
  const session = d.subscribe('fw-g', info) as { fid: string; stream: string };
  d.fire('allocation');
  const offer = (d.sent('fw-g', 'OFFERS')[0]!.offers as { offers: { id: { value: string } }[] }).offers[0]!.id.value;
  const context = {
    framework_info: info,
    framework_id: session.fid,
    stream_id: session.stream,
    offers: [{ id: offer, agent: aid }],
    tasks: [{ task_id: 'g1', resources: toWire(mustParseResources('cpus:1;mem:128')), command: { value: 'true', shell: true } }],
    launched: [],
    seen: {},
    log: {},
    acked: null,
  } as unknown as GeneralFrameworkContext;
  return { d, session, context };
}

/** What the master answers the call of `kind`: the messages of its task updates, operation updates and HTTP replies. */
function answers(kind: GeneralCall): { tasks: string[]; operations: string[]; replies: string[]; errors: string[] } {
  const { d, session, context } = withOffer();
  const { call } = buildCall(context, kind);
  if (call.type.startsWith('OPERATOR_')) d.deliver({ ...(call as AnyEventObject), request: 'op-1' });
  else if (call.type === 'SUBSCRIBE') d.deliver({ ...call, from: 'fw-g', request: 'r' });
  else d.call('fw-g', session, call as AnyEventObject);
  const errors = d.sent('fw-g', 'ERROR').map((e) => (e.error as { message: string }).message);
  const tasks = d.sent('fw-g', 'UPDATE').map((u) => {
    const s = (u.update as { status: { state: string; reason?: string; source?: string; message?: string } }).status;
    return `${s.state} ${s.reason} ${s.source}: ${s.message}`;
  });
  const operations = d.sent('fw-g', 'UPDATE_OPERATION_STATUS').map((u) => {
    const s = (u.update_operation_status as { status: { state: string; message?: string } }).status;
    return `${s.state}: ${s.message}`;
  });
  const replies = d.replies().map((r) => `${r.status}: ${r.message ?? ''}`);
  assert.is(d.sent('agent-0', 'RUN_TASK_GROUP').length + d.sent('agent-0', 'CHECKPOINT_RESOURCES').length, 0, `${kind} changed nothing on the agent`);
  return { tasks, operations, replies, errors };
}

const GROUP_MESSAGES: Record<(typeof REFUSED_GROUPS)[number], RegExp | null> = {
  ACCEPT_GROUP_WITH_ID: /The `id` field cannot be set on LAUNCH_GROUP operations/,
  ACCEPT_GROUP_NO_EXECUTOR: /Expecting 'executor' to be present/,
  // No task, so no update: the group is dropped with nothing to report.
  ACCEPT_GROUP_EMPTY: null,
  ACCEPT_GROUP_DUPLICATE_TASK_ID: /Task 'g1' is invalid: Task has duplicate ID: g1/,
  ACCEPT_GROUP_UNTYPED_EXECUTOR: /'ExecutorInfo.type' must be set/,
  ACCEPT_GROUP_OTHER_EXECUTOR: /The `ExecutorInfo` of task 'g1' is different from executor 'group'/,
  ACCEPT_GROUP_EXECUTOR_NO_RESOURCES: /Executor 'group' uses less CPUs \(None\) than the minimum required \(0.01\)/,
  ACCEPT_GROUP_EXECUTOR_LITTLE_MEM: /Executor 'group' uses less memory \(16MB\) than the minimum required \(32MB\)/,
  ACCEPT_GROUP_EXECUTOR_NO_DISK: /Executor 'group' uses no disk/,
  ACCEPT_GROUP_TOO_MUCH: /Total resources \S.* required by task group and its executor are more than available \S/,
  ACCEPT_GROUP_UNKNOWN_EXECUTOR_TYPE: /Unknown executor type/,
  ACCEPT_GROUP_EXECUTOR_NO_MEM: /Executor 'group' uses less memory \(None\) than the minimum required \(32MB\)/,
};

test('each refused LAUNCH_GROUP class: every task TASK_ERROR, REASON_TASK_GROUP_INVALID from the master, with its message', () => {
  for (const kind of REFUSED_GROUPS) {
    const { tasks, operations, replies } = answers(kind);
    const want = GROUP_MESSAGES[kind];
    // The ACCEPT itself is accepted (202); what it asked for is refused.
    assert.equal([operations, replies], [[], ['202: ']], kind);
    if (want === null) {
      assert.equal(tasks, [], kind);
      continue;
    }
    assert.ok(tasks.length > 0, `${kind}: no task update`);
    for (const t of tasks) assert.match(t, new RegExp(`^TASK_ERROR REASON_TASK_GROUP_INVALID SOURCE_MASTER: .*${want.source}`), kind);
  }
});

const CONVERSION_MESSAGES: Record<(typeof REFUSED_CONVERSIONS)[number], RegExp> = {
  ACCEPT_RESERVE_INVALID_RESOURCE: /Invalid resources: /,
  ACCEPT_RESERVE_UNRESERVED: /Resource disk.*:32 is not dynamically reserved/,
  ACCEPT_RESERVE_OTHER_ROLE: /with role 'not-mine', but the resource was allocated to role 'web'/,
  ACCEPT_UNRESERVE_UNRESERVED: /Resource disk.*:32 is not dynamically reserved/,
  ACCEPT_UNRESERVE_VOLUME: /cannot be unreserved directly/,
  ACCEPT_CREATE_NOT_VOLUME: /Not a persistent volume: 'persistence' is not set in DiskInfo/,
  ACCEPT_CREATE_READ_ONLY: /Not a persistent volume: Read-only persistent volume not supported/,
  ACCEPT_CREATE_REPEATED_ID: /Persistence ID 'v' is not unique/,
  ACCEPT_DESTROY_MISSING: /Persistent volumes not found/,
};

test('each refused RESERVE, UNRESERVE, CREATE, DESTROY class: OPERATION_ERROR with its message, no task update', () => {
  for (const kind of REFUSED_CONVERSIONS) {
    const { tasks, operations, replies } = answers(kind);
    assert.equal([tasks, replies], [[], ['202: ']], kind);
    assert.is(operations.length, 1, kind);
    assert.match(operations[0]!, /^OPERATION_ERROR: /, kind);
    assert.match(operations[0]!, CONVERSION_MESSAGES[kind], `${kind}: ${operations[0]}`);
  }
});

const OPERATOR_MESSAGES: Record<(typeof REFUSED_OPERATOR_CONVERSIONS)[number] | (typeof REFUSED_QUOTAS)[number] | (typeof REFUSED_WEIGHTS)[number], RegExp> = {
  OPERATOR_RESERVE_UNKNOWN_AGENT: /No agent found with specified ID/,
  OPERATOR_RESERVE_INVALID_RESOURCE: /Invalid RESERVE operation on agent .*: Invalid resources/,
  OPERATOR_RESERVE_UNRESERVED: /Invalid RESERVE operation on agent .*: Resource cpus:1 is not dynamically reserved/,
  OPERATOR_RESERVE_ALLOCATED: /the operator API only allows reservations to be made to unallocated resources/,
  OPERATOR_RESERVE_SOURCE_MISMATCH: /Source and target resources should refer to identical resource quantities/,
  OPERATOR_UNRESERVE_UNRESERVED: /Invalid UNRESERVE operation: Resource cpus:1 is not dynamically reserved/,
  OPERATOR_UNRESERVE_VOLUME: /Invalid UNRESERVE operation: .*cannot be unreserved directly/,
  OPERATOR_RESERVE_INVALID_SOURCE: /Invalid RESERVE operation on agent .*: Invalid source: /,
  OPERATOR_RESERVE_MIXED_SOURCE: /Invalid source: Mixed reservations are not supported/,
  OPERATOR_RESERVE_EMPTY_WITH_SOURCE: /Invalid resources: Resource cannot be empty/,
  OPERATOR_RESERVE_MIXED: /Invalid resources: Mixed reservations are not supported/,
  OPERATOR_UNRESERVE_INVALID_RESOURCE: /Invalid UNRESERVE operation: Invalid resources: /,
  OPERATOR_QUOTA_NO_ROLE: /Invalid QuotaConfig: 'QuotaConfig.role' must be set/,
  OPERATOR_QUOTA_HUGE_MEM: /values greater than 1 exabyte \(1099511627776\) are not supported/,
  OPERATOR_QUOTA_SUBNORMAL: /Subnormal values not supported/,
  OPERATOR_WEIGHTS_BAD_ROLE: /Failed to validate update weights request JSON: Invalid role '\/bad'/,
  OPERATOR_WEIGHTS_ZERO: /Failed to validate update weights request JSON for role 'web': Invalid weight '0'/,
  OPERATOR_WEIGHTS_NO_ROLE: /Failed to validate update weights request JSON: Invalid role '': Role names cannot be the empty string/,
  OPERATOR_QUOTA_NESTED_ROLE: /Updating quota on nested role 'web\/child' is not supported yet/,
  OPERATOR_QUOTA_BAD_ROLE: /Invalid 'QuotaConfig.role'/,
  OPERATOR_QUOTA_HUGE: /values greater than 1 trillion \(1000000000000\) are not supported/,
  OPERATOR_QUOTA_NEGATIVE: /Negative values not supported/,
  OPERATOR_QUOTA_GUARANTEE_ABOVE_LIMIT: /'QuotaConfig.guarantees' \{'cpus': 2\} is not contained within the 'QuotaConfig.limits' \{'cpus': 1\}/,
};

test('each refused operator RESERVE, UNRESERVE and UPDATE_QUOTA class: 400 with its message, the framework told nothing', () => {
  for (const kind of [...REFUSED_OPERATOR_CONVERSIONS, ...REFUSED_QUOTAS, ...REFUSED_WEIGHTS]) {
    const { tasks, operations, replies } = answers(kind);
    assert.equal([tasks, operations], [[], []], kind);
    assert.is(replies.length, 1, kind);
    assert.match(replies[0]!, /^400: /, kind);
    assert.match(replies[0]!, OPERATOR_MESSAGES[kind], `${kind}: ${replies[0]}`);
  }
});

const EXECUTOR_MESSAGES: Record<(typeof REFUSED_EXECUTORS)[number], RegExp> = {
  ACCEPT_COMMAND_AND_EXECUTOR: /Task should have at least one \(but not both\) of CommandInfo or ExecutorInfo present/,
  ACCEPT_EXECUTOR_BAD_ID: /Executor ID 'a\/b' is invalid/,
  ACCEPT_EXECUTOR_OTHER_FRAMEWORK: /ExecutorInfo has an invalid FrameworkID \(Actual: no-such-framework vs Expected: /,
  ACCEPT_EXECUTOR_NEGATIVE_GRACE: /ExecutorInfo's 'shutdown_grace_period' must be non-negative/,
  ACCEPT_EXECUTOR_INVALID_RESOURCES: /Executor uses invalid resources/,
  ACCEPT_EXECUTOR_NOT_CUSTOM: /'ExecutorInfo.type' must be 'CUSTOM'/,
  ACCEPT_EXECUTOR_NO_COMMAND: /'ExecutorInfo.command' must be set/,
};

test('each refused custom executor class: the task TASK_ERROR, REASON_TASK_INVALID from the master, with its message', () => {
  for (const kind of REFUSED_EXECUTORS) {
    const { tasks, operations, replies } = answers(kind);
    assert.equal([operations, replies], [[], ['202: ']], kind);
    assert.is(tasks.length, 1, kind);
    assert.match(tasks[0]!, /^TASK_ERROR REASON_TASK_INVALID SOURCE_MASTER: /, kind);
    assert.match(tasks[0]!, EXECUTOR_MESSAGES[kind], `${kind}: ${tasks[0]}`);
  }
});

const FRAMEWORK_INFO_MESSAGES: Record<(typeof REFUSED_FRAMEWORK_INFOS)[number], RegExp> = {
  SUBSCRIBE_ROLE_WITH_MULTI_ROLE: /'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable/,
  SUBSCRIBE_ROLES_WITHOUT_MULTI_ROLE: /'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable/,
  SUBSCRIBE_INVALID_ROLES: /'FrameworkInfo.roles' contains invalid role/,
  SUBSCRIBE_INVALID_ID: /^'a\/b' contains invalid characters$/,
  UPDATE_FRAMEWORK_OTHER_ID: /^400: Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'/,
  UPDATE_FRAMEWORK_BAD_ROLE: /^400: Supplied FrameworkInfo is not valid: 'FrameworkInfo.roles' contains invalid role/,
  UPDATE_FRAMEWORK_STRAY_SUPPRESSED_ROLE: /^400: 'UpdateFramework' call is not valid: Suppressed roles \{ not-mine \} are not contained in the set of roles/,
  UPDATE_FRAMEWORK_USER: /^400: FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is unsupported/,
  UPDATE_FRAMEWORK_CHECKPOINT: /^400: FrameworkInfo update is not valid: Updating 'FrameworkInfo.checkpoint' is unsupported/,
};

test('each refused FrameworkInfo class: SUBSCRIBE answered ERROR, UPDATE_FRAMEWORK 400, with its message', () => {
  for (const kind of REFUSED_FRAMEWORK_INFOS) {
    const { tasks, operations, replies, errors } = answers(kind);
    assert.equal([tasks, operations], [[], []], kind);
    const said = kind.startsWith('SUBSCRIBE') ? errors : replies;
    assert.is(said.length, 1, `${kind}: ${JSON.stringify({ errors, replies })}`);
    assert.match(said[0]!, FRAMEWORK_INFO_MESSAGES[kind], `${kind}: ${said[0]}`);
  }
});

const OFFER_USE_ANSWERS: Record<(typeof REFUSED_OFFER_USES)[number], RegExp | null> = {
  ACCEPT_NO_OFFERS: /^TASK_LOST REASON_INVALID_OFFERS SOURCE_MASTER: Task launched with invalid offers: No offers specified$/,
  ACCEPT_REPEATED_OFFER: /^TASK_LOST REASON_INVALID_OFFERS SOURCE_MASTER: Task launched with invalid offers: Duplicate offer ids in the call$/,
  ACCEPT_TASK_INVALID_RESOURCE: /^TASK_ERROR REASON_TASK_INVALID SOURCE_MASTER: Task uses invalid resources: /,
  // Ignored (an offer the framework does not hold) and dropped (a role it does not have): nothing changes.
  DECLINE_STALE_OFFER: null,
  SUPPRESS_STRAY_ROLE: null,
};

test('each refused use of offers: the task LOST with REASON_INVALID_OFFERS or TASK_ERROR, or the call ignored without a change', () => {
  for (const kind of REFUSED_OFFER_USES) {
    const { d, session, context } = withOffer();
    const before = JSON.stringify([d.ctx.offers, d.ctx.allocator]);
    d.call('fw-g', session, buildCall(context, kind).call as AnyEventObject);
    const tasks = d.sent('fw-g', 'UPDATE').map((u) => {
      const s = (u.update as { status: { state: string; reason?: string; source?: string; message?: string } }).status;
      return `${s.state} ${s.reason} ${s.source}: ${s.message}`;
    });
    assert.equal(
      d.replies().map((r) => r.status),
      [202],
      kind,
    );
    const want = OFFER_USE_ANSWERS[kind];
    if (want === null) {
      assert.equal(tasks, [], kind);
      assert.is(JSON.stringify([d.ctx.offers, d.ctx.allocator]), before, `${kind} changed the offers or the allocator`);
    } else {
      assert.is(tasks.length, 1, kind);
      assert.match(tasks[0]!, want, `${kind}: ${tasks[0]}`);
    }
  }
});

const OPERATION_ANSWERS: Record<(typeof REFUSED_OPERATIONS)[number], { task?: RegExp; operation?: RegExp }> = {
  ACCEPT_LAUNCH_WITH_ID: { task: /^TASK_ERROR REASON_TASK_INVALID SOURCE_MASTER: The `id` field cannot be set on LAUNCH operations$/ },
  ACCEPT_GROW_VOLUME: { operation: /^OPERATION_ERROR: Operation GROW_VOLUME is not supported by the reference master$/ },
  ACCEPT_UNTYPED_OPERATION: { operation: /^OPERATION_ERROR: Unknown offer operation$/ },
  // Refused (the disk is not reserved) and silent: no id, so no feedback was asked for.
  ACCEPT_RESERVE_NO_ID: {},
  ACCEPT_RESERVE_INVALID_SOURCE: { operation: /^OPERATION_ERROR: Invalid source: .*value <= 0; on agent / },
  ACCEPT_RESERVE_FOREIGN_ALLOCATION: { operation: /allocated to role 'not-mine', but the framework only has roles '\{ web \}'/ },
  ACCEPT_UNRESERVE_INVALID_RESOURCE: { operation: /^OPERATION_ERROR: Invalid resources: .*value <= 0; on agent / },
  ACCEPT_CREATE_INVALID_RESOURCE: { operation: /^OPERATION_ERROR: Invalid resources: .*value <= 0; on agent / },
  ACCEPT_CREATE_NOT_DISK: { operation: /^OPERATION_ERROR: Not a persistent volume: Resource cpus.* does not have DiskInfo/ },
  ACCEPT_DESTROY_INVALID_RESOURCE: { operation: /^OPERATION_ERROR: Invalid resources: .*value <= 0; on agent / },
  ACCEPT_DESTROY_NOT_VOLUME: { operation: /^OPERATION_ERROR: Not a persistent volume: 'persistence' is not set in DiskInfo/ },
};

test('each more refused operation of an ACCEPT: its task TASK_ERROR or OPERATION_ERROR with its message, or nothing without an id', () => {
  for (const kind of REFUSED_OPERATIONS) {
    const { tasks, operations, replies } = answers(kind);
    const want = OPERATION_ANSWERS[kind];
    assert.equal(replies, ['202: '], kind);
    assert.is(tasks.length, want.task ? 1 : 0, `${kind}: ${tasks}`);
    assert.is(operations.length, want.operation ? 1 : 0, `${kind}: ${operations}`);
    if (want.task) assert.match(tasks[0]!, want.task, kind);
    if (want.operation) assert.match(operations[0]!, want.operation, kind);
  }
});

const OPERATOR_VOLUME_MESSAGES: Record<(typeof REFUSED_OPERATOR_VOLUMES)[number], RegExp> = {
  OPERATOR_CREATE_VOLUMES_UNKNOWN_AGENT: /^400: No agent found with specified ID$/,
  OPERATOR_CREATE_VOLUMES_INVALID_RESOURCE: /^400: Invalid CREATE operation on agent .*: Invalid volumes: .*value <= 0$/,
  OPERATOR_CREATE_VOLUMES_ALLOCATED: /^400: Invalid CREATE operation on agent .*: The resources are allocated to a role/,
  OPERATOR_DESTROY_VOLUMES_UNKNOWN_AGENT: /^400: No agent found with specified ID$/,
  OPERATOR_DESTROY_VOLUMES_INVALID_RESOURCE: /^400: Invalid DESTROY operation: Invalid volumes: .*value <= 0$/,
};

test('each refused operator CREATE_VOLUMES and DESTROY_VOLUMES class: 400 with its message, the framework told nothing', () => {
  for (const kind of REFUSED_OPERATOR_VOLUMES) {
    const { tasks, operations, replies } = answers(kind);
    assert.equal([tasks, operations], [[], []], kind);
    assert.is(replies.length, 1, kind);
    assert.match(replies[0]!, OPERATOR_VOLUME_MESSAGES[kind], `${kind}: ${replies[0]}`);
  }
});

const QUOTA_ANSWERS: Record<(typeof QUOTA_UPDATES)[number], RegExp> = {
  OPERATOR_QUOTA_ABOVE_CAPACITY:
    /^400: Invalid QuotaConfig: total quota guarantees 'cpus:100' exceed cluster capacity 'cpus:2;disk:64;mem:1024' \(use 'force' flag to bypass this check\)$/,
  OPERATOR_QUOTA_FORCED_ABOVE_CAPACITY: /^200: $/,
  // Nothing runs here yet, so the limit is above what web consumes.
  OPERATOR_QUOTA_BELOW_USE: /^200: $/,
  OPERATOR_QUOTA_GUARANTEE_ONLY: /^200: $/,
  OPERATOR_QUOTA_CLEAR: /^200: $/,
};

test('each quota update beyond one limit: refused above capacity unless forced, accepted otherwise; the framework told nothing', () => {
  for (const kind of QUOTA_UPDATES) {
    const { tasks, operations, replies } = answers(kind);
    assert.equal([tasks, operations], [[], []], kind);
    assert.is(replies.length, 1, kind);
    assert.match(replies[0]!, QUOTA_ANSWERS[kind], `${kind}: ${replies[0]}`);
  }
});

test('a limit below what a running task of the role consumes is refused without force', () => {
  const { d, session, context } = withOffer();
  d.call('fw-g', session, buildCall(context, 'ACCEPT').call as AnyEventObject);
  d.deliver({ ...(buildCall(context, 'OPERATOR_QUOTA_BELOW_USE').call as AnyEventObject), request: 'op-1' });
  const reply = d.replies().at(-1);
  assert.match(
    `${reply?.status}: ${reply?.message}`,
    /^400: Invalid QuotaConfig: Role 'web' is already consuming 'cpus:1;mem:128'; this is more than the requested limits 'cpus:0.5'/,
  );
});

test('a RESERVE from an explicit source, by the framework and by the operator, is carried out: the agent checkpoints the reservation', () => {
  for (const kind of ['ACCEPT_RESERVE_FROM_SOURCE', 'OPERATOR_RESERVE_FROM_SOURCE'] as const) {
    const { d, session, context } = withOffer();
    const { call } = buildCall(context, kind);
    if (kind === 'OPERATOR_RESERVE_FROM_SOURCE') d.deliver({ ...(call as AnyEventObject), request: 'op-1' });
    else d.call('fw-g', session, call as AnyEventObject);
    assert.equal(
      d.replies().map((r) => r.status),
      [202],
      kind,
    );
    assert.is(d.sent('agent-0', 'CHECKPOINT_RESOURCES').length, 1, kind);
    const operations = d.sent('fw-g', 'UPDATE_OPERATION_STATUS').map((u) => (u.update_operation_status as { status: { state: string } }).status.state);
    assert.equal(operations, kind === 'ACCEPT_RESERVE_FROM_SOURCE' ? ['OPERATION_FINISHED'] : [], kind);
  }
});

test('the wanted task keeps its kill policy on the TaskInfo a valid ACCEPT launches', () => {
  const { context } = withOffer();
  const policy = { grace_period: { nanoseconds: 5e9 } };
  const { call } = buildCall({ ...context, tasks: [{ ...context.tasks[0]!, kill_policy: policy }] }, 'ACCEPT');
  const launched = (call as { accept: { operations: { launch: { task_infos: { kill_policy?: unknown }[] } }[] } }).accept.operations[0]!.launch.task_infos[0]!;
  assert.equal(launched.kill_policy, policy);
});

test.run();
