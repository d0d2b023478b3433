/**
 * Mesos's syntactic validation of API calls, with its exact messages:
 * - scheduler calls: `scheduler::call::validate` (src/master/validation.cpp), reference 1.5;
 * - executor calls: `validateExecutorCall` (src/common/validation.cpp), reference 2.1;
 * - operator calls: `master::call::validate` and the agent's `validation::agent::call::validate`;
 * - ids: `validateID` (src/common/validation.cpp), reference 0.3.
 *
 * The `parse*CallBody` helpers run the whole pipeline of an HTTP handler on a JSON body, in
 * Mesos's order and with its response texts: JSON syntax, conversion to the Call message,
 * validation, and 501 for type UNKNOWN. Everything here is pure; the HTTP host maps the result
 * to a response.
 *
 * Differences from Mesos, all unreachable from JSON input: "Not initialized" lists missing
 * fields with v1 names (Mesos validates the devolved v0 message, e.g. `slave_id`), and the
 * authenticated-principal check of SUBSCRIBE is not modelled (the reference has no
 * authentication).
 */
import type { CheckStatusInfo } from './common.ts';
import type { ExecutorCall, RawExecutorCall } from './executor.ts';
import { decodeMessage, missingRequiredFields, parseJsonText } from './json.ts';
import { SERVED_AGENT_CALLS, SERVED_MASTER_CALLS, type AgentCall, type MasterCall, type RawAgentCall, type RawMasterCall } from './operator.ts';
import type { RawSchedulerCall, SchedulerCall } from './scheduler.ts';
import { isValidUuidBase64 } from './uuid.ts';
import { utf8Encode } from './bytes.ts';

const SCHEDULER_PREFIX = 'Failed to validate scheduler::Call: ';
const EXECUTOR_PREFIX = 'Failed to validate Executor::Call: ';
const MASTER_PREFIX = 'Failed to validate master::Call: ';
const AGENT_PREFIX = 'Failed to validate agent::Call: ';

function notInitialized(name: string, call: object): string | null {
  const missing = missingRequiredFields(name, call);
  return missing.length > 0 ? `Not initialized: ${missing.join(', ')}` : null;
}

function sameId(a: { value: string } | undefined, b: { value: string } | undefined): boolean {
  // Protobuf message equality: an unset id equals an id whose value is empty.
  return (a?.value ?? '') === (b?.value ?? '');
}

// ---------------------------------------------------------------------------------------------
// Scheduler

/** Scheduler call types whose sub-message Mesos requires, with the sub-message's key (exported for its test). */
export const SCHEDULER_REQUIRED: Record<string, keyof RawSchedulerCall> = {
  ACCEPT: 'accept',
  DECLINE: 'decline',
  ACCEPT_INVERSE_OFFERS: 'accept_inverse_offers',
  DECLINE_INVERSE_OFFERS: 'decline_inverse_offers',
  KILL: 'kill',
  SHUTDOWN: 'shutdown',
  ACKNOWLEDGE: 'acknowledge',
  ACKNOWLEDGE_OPERATION_STATUS: 'acknowledge_operation_status',
  RECONCILE: 'reconcile',
  RECONCILE_OPERATIONS: 'reconcile_operations',
  MESSAGE: 'message',
  REQUEST: 'request',
  UPDATE_FRAMEWORK: 'update_framework',
};

function schedulerCallError(call: RawSchedulerCall): string | null {
  const uninitialized = notInitialized('RawSchedulerCall', call);
  if (uninitialized !== null) return uninitialized;
  if (call.type === undefined) return "Expecting 'type' to be present";

  if (call.type === 'SUBSCRIBE') {
    if (call.subscribe === undefined) return "Expecting 'subscribe' to be present";
    if (!sameId(call.subscribe.framework_info.id, call.framework_id)) {
      return "'framework_id' differs from 'subscribe.framework_info.id'";
    }
    return null;
  }

  if (call.framework_id === undefined) return "Expecting 'framework_id' to be present";

  const key = SCHEDULER_REQUIRED[call.type];
  if (key !== undefined && call[key] === undefined) return `Expecting '${key}' to be present`;

  switch (call.type) {
    case 'ACKNOWLEDGE':
      return isValidUuidBase64(call.acknowledge!.uuid) ? null : 'Not a valid UUID';
    case 'ACKNOWLEDGE_OPERATION_STATUS': {
      const ack = call.acknowledge_operation_status!;
      if (!isValidUuidBase64(ack.uuid)) return 'Not a valid UUID';
      if (ack.agent_id === undefined) return "Expecting 'agent_id' to be present";
      return null;
    }
    case 'UPDATE_FRAMEWORK':
      return sameId(call.framework_id, call.update_framework!.framework_info.id) ? null : "'framework_id' differs from 'update_framework.framework_info.id'";
    default:
      return null;
  }
}

/**
 * Validate a scheduler call as the master does before acting on it. Returns null when valid,
 * else the body of Mesos's 400 response, e.g.
 * `Failed to validate scheduler::Call: Expecting 'accept' to be present`.
 * A valid call of type UNKNOWN is not a `SchedulerCall` (the master answers 501).
 */
export function validateSchedulerCall(call: RawSchedulerCall | SchedulerCall): string | null {
  const error = schedulerCallError(call as RawSchedulerCall);
  return error === null ? null : SCHEDULER_PREFIX + error;
}

// ---------------------------------------------------------------------------------------------
// Executor

function checkStatusError(check: CheckStatusInfo): string | null {
  if (check.type === undefined) return "CheckStatusInfo must specify 'type'";
  switch (check.type) {
    case 'COMMAND':
      return check.command === undefined ? "Expecting 'command' to be set for COMMAND check's status" : null;
    case 'HTTP':
      return check.http === undefined ? "Expecting 'http' to be set for HTTP check's status" : null;
    case 'TCP':
      return check.tcp === undefined ? "Expecting 'tcp' to be set for TCP check's status" : null;
    case 'UNKNOWN':
      return "'UNKNOWN' is not a valid check's status type";
  }
}

function executorCallError(call: RawExecutorCall): string | null {
  const uninitialized = notInitialized('RawExecutorCall', call);
  if (uninitialized !== null) return uninitialized;
  if (call.type === undefined) return "Expecting 'type' to be present";
  switch (call.type) {
    case 'SUBSCRIBE':
      return call.subscribe === undefined ? "Expecting 'subscribe' to be present" : null;
    case 'UPDATE': {
      if (call.update === undefined) return "Expecting 'update' to be present";
      const status = call.update.status;
      if (status.uuid === undefined) return "Expecting 'uuid' to be present";
      if (!isValidUuidBase64(status.uuid)) return 'Not a valid UUID';
      const executor = call.executor_id.value;
      const framework = call.framework_id.value;
      if (status.executor_id !== undefined && status.executor_id.value !== executor) {
        return `ExecutorID in Call: ${executor} does not match ExecutorID in TaskStatus: ${status.executor_id.value}`;
      }
      // An unset source reads as the enum's first value, SOURCE_MASTER.
      if ((status.source ?? 'SOURCE_MASTER') !== 'SOURCE_EXECUTOR') {
        return `Received Call from executor ${executor} of framework ${framework} with invalid source, expecting 'SOURCE_EXECUTOR'`;
      }
      if (status.state === 'TASK_STAGING') {
        return `Received TASK_STAGING from executor ${executor} of framework ${framework} which is not allowed`;
      }
      return status.check_status === undefined ? null : checkStatusError(status.check_status);
    }
    case 'MESSAGE':
      return call.message === undefined ? "Expecting 'message' to be present" : null;
    case 'HEARTBEAT':
    case 'UNKNOWN':
      return null;
  }
}

/**
 * Validate an executor call as the agent does. Returns null when valid, else the body of the
 * 400 response, e.g. `Failed to validate Executor::Call: Expecting 'uuid' to be present`.
 */
export function validateExecutorCall(call: RawExecutorCall | ExecutorCall): string | null {
  const error = executorCallError(call as RawExecutorCall);
  return error === null ? null : EXECUTOR_PREFIX + error;
}

// ---------------------------------------------------------------------------------------------
// Operator API

/** Master call types whose sub-message Mesos requires (among those we model). */
const MASTER_REQUIRED: Record<string, keyof RawMasterCall> = {
  GET_METRICS: 'get_metrics',
  TEARDOWN: 'teardown',
  MARK_AGENT_GONE: 'mark_agent_gone',
  UPDATE_WEIGHTS: 'update_weights',
  RESERVE_RESOURCES: 'reserve_resources',
  UNRESERVE_RESOURCES: 'unreserve_resources',
  DEACTIVATE_AGENT: 'deactivate_agent',
  REACTIVATE_AGENT: 'reactivate_agent',
  UPDATE_QUOTA: 'update_quota',
  DRAIN_AGENT: 'drain_agent',
  CREATE_VOLUMES: 'create_volumes',
  DESTROY_VOLUMES: 'destroy_volumes',
  LIST_FILES: 'list_files',
  READ_FILE: 'read_file',
};

/**
 * Validate a master operator call. Returns null or `Failed to validate master::Call: ...`.
 * Calls whose sub-message we do not model (e.g. SET_LOGGING_LEVEL) pass here and are
 * answered 501 by `parseMasterCallBody`.
 */
export function validateMasterCall(call: RawMasterCall | MasterCall): string | null {
  const raw = call as RawMasterCall;
  const uninitialized = notInitialized('RawMasterCall', raw);
  if (uninitialized !== null) return MASTER_PREFIX + uninitialized;
  if (raw.type === undefined) return `${MASTER_PREFIX}Expecting 'type' to be present`;
  const key = MASTER_REQUIRED[raw.type];
  if (key !== undefined && raw[key] === undefined) return `${MASTER_PREFIX}Expecting '${key}' to be present`;
  return null;
}

/** Validate an agent operator call. Returns null or `Failed to validate agent::Call: ...`. */
export function validateAgentCall(call: RawAgentCall | AgentCall): string | null {
  const raw = call as RawAgentCall;
  if (raw.type === undefined) return `${AGENT_PREFIX}Expecting 'type' to be present`;
  if (raw.type === 'LIST_FILES' && raw.list_files === undefined) return `${AGENT_PREFIX}Expecting 'list_files' to be present`;
  if (raw.type === 'READ_FILE' && raw.read_file === undefined) return `${AGENT_PREFIX}Expecting 'read_file' to be present`;
  if (raw.type === 'GET_METRICS' && raw.get_metrics === undefined) return `${AGENT_PREFIX}Expecting 'get_metrics' to be present`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// IDs

/**
 * Mesos's rules for task, executor, framework and agent ids: non-empty, at most 255 bytes,
 * not `.` or `..`, no control characters, no `/` or `\`. Returns null or Mesos's message.
 */
export function validateId(id: string): string | null {
  if (id.length === 0) return 'ID must not be empty';
  if (utf8Encode(id).length > 255) return 'ID must not be greater than 255 characters';
  if (id === '.' || id === '..') return `'${id}' is disallowed`;

  if (/[\u0000-\u001f\u007f/\\]/.test(id)) return `'${id}' contains invalid characters`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// HTTP body pipelines

/** The outcome of handling a JSON request body: a call, or an HTTP status with Mesos's text. */
export type CallBody<T> = { ok: true; call: T } | { ok: false; status: 400 | 501; error: string };

function parseBody<T>(body: string, descriptor: string, validate: (raw: never) => string | null, unsupported: (raw: { type?: string }) => boolean): CallBody<T> {
  const json = parseJsonText(body);
  if (!json.ok) return { ok: false, status: 400, error: `Failed to parse body into JSON: ${json.error}` };
  const decoded = decodeMessage<{ type?: string }>(descriptor, json.value);
  if (!decoded.ok) {
    return { ok: false, status: 400, error: `Failed to convert JSON into Call protobuf: ${decoded.error}` };
  }
  const error = validate(decoded.value as never);
  if (error !== null) return { ok: false, status: 400, error };
  if (unsupported(decoded.value)) return { ok: false, status: 501, error: `${decoded.value.type ?? 'UNKNOWN'} is not implemented` };
  return { ok: true, call: decoded.value as T };
}

/** `POST /api/v1/scheduler` with a JSON body: the call, or 400 with Mesos's text, or 501 for UNKNOWN. */
export function parseSchedulerCallBody(body: string): CallBody<SchedulerCall> {
  return parseBody<SchedulerCall>(body, 'RawSchedulerCall', validateSchedulerCall, (c) => c.type === 'UNKNOWN');
}

/** `POST /api/v1/executor` with a JSON body. */
export function parseExecutorCallBody(body: string): CallBody<ExecutorCall> {
  return parseBody<ExecutorCall>(body, 'RawExecutorCall', validateExecutorCall, (c) => c.type === 'UNKNOWN');
}

/** `POST /api/v1` on the master with a JSON body; 501 for calls the reference does not serve. */
export function parseMasterCallBody(body: string): CallBody<MasterCall> {
  return parseBody<MasterCall>(body, 'RawMasterCall', validateMasterCall, (c) => !(SERVED_MASTER_CALLS as readonly string[]).includes(c.type!));
}

/** `POST /api/v1` on an agent with a JSON body; 501 for calls the reference does not serve. */
export function parseAgentCallBody(body: string): CallBody<AgentCall> {
  return parseBody<AgentCall>(body, 'RawAgentCall', validateAgentCall, (c) => !(SERVED_AGENT_CALLS as readonly string[]).includes(c.type!));
}
