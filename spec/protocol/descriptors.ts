/**
 * Wire descriptors: for every protocol message, its fields in proto declaration order with
 * number, type, label, default, deprecation and oneof group. The JSON and protobuf codecs
 * (json.ts, protobuf.ts) and the call validation are driven by this table alone.
 *
 * Its source is proto/mesos-ref-v1.proto, Mesos's v1 messages field for field and number for
 * number: `npm run protos` generates wire-table.ts from it (CI checks it is fresh), and this
 * module builds the table from that. The TypeScript types (common.ts, scheduler.ts, ...) are the
 * other description of the same messages, and the JSON Schemas are generated from them: the
 * enums' values are checked against the .proto here, at load, and test/protocol/descriptors.test.ts
 * fails when the table and the schemas disagree in any field, order, type, label, default or
 * deprecation, so a field cannot be added in one place and forgotten in the other.
 *
 * Field syntax of wire-table.ts, one string per field:
 *
 *     '<number> <name>: <type>[!|[]|{}][ = <default>][ deprecated][ oneof <group>]'
 *
 * `!` required, `[]` repeated, `{}` a map with string keys; no suffix = optional. `<type>` is a
 * scalar (string bytes bool double int32 int64 uint32 uint64) or the name of an enum or message.
 * `<default>` is a JSON literal, or an enum value name.
 */
import {
  AGENT_CAPABILITY_TYPES,
  CHECK_INFO_TYPES,
  CONTAINER_TYPES,
  DISCOVERY_VISIBILITIES,
  DISK_SOURCE_TYPES,
  DOCKER_NETWORKS,
  DRAIN_STATES,
  ENVIRONMENT_VARIABLE_TYPES,
  EXECUTOR_INFO_TYPES,
  FRAMEWORK_CAPABILITY_TYPES,
  HEALTH_CHECK_TYPES,
  IMAGE_TYPES,
  IPC_MODES,
  LINUX_CAPABILITIES,
  MASTER_CAPABILITY_TYPES,
  MOUNT_PROPAGATION_MODES,
  NETWORK_PROTOCOLS,
  OFFER_OPERATION_TYPES,
  OPERATION_STATES,
  RESERVATION_TYPES,
  RLIMIT_TYPES,
  SANDBOX_PATH_TYPES,
  SECRET_TYPES,
  TASK_STATES,
  TASK_STATUS_REASONS,
  TASK_STATUS_SOURCES,
  VALUE_TYPES,
  VOLUME_MODES,
  VOLUME_SOURCE_TYPES,
} from './common.ts';
import { EXECUTOR_CALL_TYPES, EXECUTOR_EVENT_TYPES } from './executor.ts';
import { INTERNAL_MESSAGE_TYPES } from './internal.ts';
import { AGENT_CALL_TYPES, AGENT_RESPONSE_TYPES, MASTER_CALL_TYPES, MASTER_EVENT_TYPES, MASTER_RESPONSE_TYPES } from './operator.ts';
import { PSEUDOATTRIBUTE_TYPES, SCHEDULER_CALL_TYPES, SCHEDULER_EVENT_TYPES } from './scheduler.ts';
import { ENUM_NUMBERS, MESSAGE_FIELDS } from './wire-table.ts';

// ---------------------------------------------------------------------------------------------
// The descriptor model

/** Protobuf scalar types that occur in the Mesos v1 API. */
const SCALAR_TYPES = ['string', 'bytes', 'bool', 'double', 'int32', 'int64', 'uint32', 'uint64'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** How many values a field holds. A map is a repeated field of key/value entries. */
export type FieldLabel = 'optional' | 'required' | 'repeated' | 'map';

/** One field of a message. */
export interface FieldDescriptor {
  readonly number: number;
  readonly name: string;
  /** A ScalarType, or the name of an enum or message in this table. */
  readonly type: string;
  readonly kind: 'scalar' | 'enum' | 'message';
  readonly label: FieldLabel;
  /** The proto default (rendered when the field is unset, unless deprecated). */
  readonly default?: string | number | boolean;
  readonly deprecated: boolean;
  /** The `oneof` group the field belongs to: setting it clears the group's other fields. */
  readonly oneof?: string;
}

/** A message: its fields in declaration order (the order of keys in rendered JSON). */
export interface MessageDescriptor {
  readonly name: string;
  readonly fields: readonly FieldDescriptor[];
  readonly byName: Readonly<Record<string, FieldDescriptor>>;
  /** The fields in field-number order (protobuf's ListFields order, used in error texts). */
  readonly byNumber: readonly FieldDescriptor[];
}

/** An enum: its value names in declaration order. */
export interface EnumDescriptor {
  readonly name: string;
  readonly values: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Enums: the .proto's, by the TypeScript value lists the types are made of

const ENUMS: Record<string, readonly string[]> = {
  // mesos.v1
  FrameworkInfoCapabilityType: FRAMEWORK_CAPABILITY_TYPES,
  CheckInfoType: CHECK_INFO_TYPES,
  HealthCheckType: HEALTH_CHECK_TYPES,
  ExecutorInfoType: EXECUTOR_INFO_TYPES,
  MasterInfoCapabilityType: MASTER_CAPABILITY_TYPES,
  AgentInfoCapabilityType: AGENT_CAPABILITY_TYPES,
  ValueType: VALUE_TYPES,
  ResourceReservationInfoType: RESERVATION_TYPES,
  ResourceDiskInfoSourceType: DISK_SOURCE_TYPES,
  OfferOperationType: OFFER_OPERATION_TYPES,
  TaskState: TASK_STATES,
  OperationState: OPERATION_STATES,
  TaskStatusSource: TASK_STATUS_SOURCES,
  TaskStatusReason: TASK_STATUS_REASONS,
  EnvironmentVariableType: ENVIRONMENT_VARIABLE_TYPES,
  SecretType: SECRET_TYPES,
  ImageType: IMAGE_TYPES,
  MountPropagationMode: MOUNT_PROPAGATION_MODES,
  VolumeMode: VOLUME_MODES,
  VolumeSourceType: VOLUME_SOURCE_TYPES,
  VolumeSourceSandboxPathType: SANDBOX_PATH_TYPES,
  NetworkInfoProtocol: NETWORK_PROTOCOLS,
  CapabilityInfoCapability: LINUX_CAPABILITIES,
  LinuxInfoIpcMode: IPC_MODES,
  RLimitInfoRLimitType: RLIMIT_TYPES,
  ContainerInfoType: CONTAINER_TYPES,
  ContainerInfoDockerInfoNetwork: DOCKER_NETWORKS,
  DiscoveryInfoVisibility: DISCOVERY_VISIBILITIES,
  DrainState: DRAIN_STATES,
  // mesos.v1.scheduler
  AttributeConstraintSelectorPseudoattributeType: PSEUDOATTRIBUTE_TYPES,
  SchedulerCallType: SCHEDULER_CALL_TYPES,
  SchedulerEventType: SCHEDULER_EVENT_TYPES,
  // mesos.v1.executor
  ExecutorCallType: EXECUTOR_CALL_TYPES,
  ExecutorEventType: EXECUTOR_EVENT_TYPES,
  // mesos.v1.master / mesos.v1.agent
  MasterCallType: MASTER_CALL_TYPES,
  MasterResponseType: MASTER_RESPONSE_TYPES,
  MasterEventType: MASTER_EVENT_TYPES,
  AgentCallType: AGENT_CALL_TYPES,
  AgentResponseType: AGENT_RESPONSE_TYPES,
  // ours
  InternalMessageType: INTERNAL_MESSAGE_TYPES,
};

// ---------------------------------------------------------------------------------------------
// Internal messages

/** Which descriptor decodes an internal message of each type. */
export const INTERNAL_MESSAGE_DESCRIPTORS: Readonly<Record<string, string>> = {
  REGISTER_AGENT: 'RegisterAgentMessage',
  REREGISTER_AGENT: 'ReregisterAgentMessage',
  AGENT_REGISTERED: 'AgentRegisteredMessage',
  AGENT_REREGISTERED: 'AgentReregisteredMessage',
  UNREGISTER_AGENT: 'UnregisterAgentMessage',
  SHUTDOWN_AGENT: 'ShutdownAgentMessage',
  PING: 'PingMessage',
  PONG: 'PongMessage',
  RUN_TASK: 'RunTaskMessage',
  RUN_TASK_GROUP: 'RunTaskGroupMessage',
  KILL_TASK: 'KillTaskMessage',
  STATUS_UPDATE: 'StatusUpdateMessage',
  STATUS_UPDATE_ACK: 'StatusUpdateAckMessage',
  SHUTDOWN_FRAMEWORK: 'ShutdownFrameworkMessage',
  SHUTDOWN_EXECUTOR: 'ShutdownExecutorMessage',
  UPDATE_FRAMEWORK_AGENT: 'UpdateFrameworkAgentMessage',
  EXECUTOR_EXITED: 'ExecutorExitedMessage',
  FRAMEWORK_TO_EXECUTOR: 'FrameworkToExecutorMessage',
  EXECUTOR_TO_FRAMEWORK: 'ExecutorToFrameworkMessage',
  AGENT_DRAIN: 'DrainAgentMessage',
  CHECKPOINT_RESOURCES: 'CheckpointResourcesMessage',
};

// ---------------------------------------------------------------------------------------------
// Building the table

const FIELD_SYNTAX = /^(\d+) ([a-z_][a-z0-9_]*): ([A-Za-z][A-Za-z0-9]*)(!|\[\]|\{\})?(?: = ("(?:[^"\\]|\\.)*"|[^\s"]+))?( deprecated)?(?: oneof ([a-z_]+))?$/;

function parseDefault(text: string): string | number | boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (/^-?\d/.test(text)) return Number(text);
  return text; // an enum value name
}

function build(): { messages: Record<string, MessageDescriptor>; enums: Record<string, EnumDescriptor> } {
  const enums: Record<string, EnumDescriptor> = {};
  for (const [name, values] of Object.entries(ENUMS)) {
    if (new Set(values).size !== values.length) throw new Error(`enum ${name}: duplicate values`);
    enums[name] = { name, values };
  }
  // The .proto declares each enum's values with their numbers; the TypeScript types list them too.
  for (const [name, numbers] of Object.entries(ENUM_NUMBERS)) {
    const values = enums[name]?.values;
    if (values === undefined) throw new Error(`enum ${name} of the .proto has no TypeScript values in ENUMS`);
    if (Object.keys(numbers).join() !== values.join()) throw new Error(`enum ${name}: the .proto's values differ from the TypeScript type's`);
  }
  for (const name of Object.keys(enums)) if (!(name in ENUM_NUMBERS)) throw new Error(`enum ${name} is not declared in the .proto`);
  const raw: Record<string, readonly string[]> = {};
  for (const [name, fields] of Object.entries(MESSAGE_FIELDS)) {
    if (name in enums) throw new Error(`descriptor ${name} is an enum and a message`);
    raw[name] = fields;
  }
  const messages: Record<string, MessageDescriptor> = {};
  for (const [name, specs] of Object.entries(raw)) {
    const fields: FieldDescriptor[] = specs.map((spec) => {
      const m = FIELD_SYNTAX.exec(spec);
      if (!m) throw new Error(`descriptor ${name}: cannot parse field '${spec}'`);
      const [, num, fieldName, type, suffix, def, deprecated, oneof] = m as unknown as string[];
      const kind = (SCALAR_TYPES as readonly string[]).includes(type!) ? 'scalar' : type! in enums ? 'enum' : type! in raw ? 'message' : null;
      if (kind === null) throw new Error(`descriptor ${name}.${fieldName}: unknown type ${type}`);
      const label: FieldLabel = suffix === '!' ? 'required' : suffix === '[]' ? 'repeated' : suffix === '{}' ? 'map' : 'optional';
      const field: FieldDescriptor = {
        number: Number(num),
        name: fieldName!,
        type: type!,
        kind,
        label,
        deprecated: deprecated !== undefined,
        ...(def !== undefined ? { default: parseDefault(def) } : {}),
        ...(oneof !== undefined ? { oneof } : {}),
      };
      checkDefault(name, field, enums);
      return field;
    });
    const byName: Record<string, FieldDescriptor> = {};
    const numbers = new Set<number>();
    for (const f of fields) {
      if (f.name in byName) throw new Error(`descriptor ${name}: duplicate field ${f.name}`);
      if (numbers.has(f.number)) throw new Error(`descriptor ${name}: duplicate field number ${f.number}`);
      byName[f.name] = f;
      numbers.add(f.number);
    }
    const byNumber = [...fields].sort((a, b) => a.number - b.number);
    messages[name] = { name, fields, byName, byNumber };
  }
  return { messages, enums };
}

function checkDefault(message: string, f: FieldDescriptor, enums: Record<string, EnumDescriptor>): void {
  if (f.default === undefined) return;
  const where = `descriptor ${message}.${f.name}`;
  if (f.label === 'repeated' || f.label === 'map' || f.kind === 'message') {
    throw new Error(`${where}: only singular scalar or enum fields have defaults`);
  }
  const d = f.default;
  const ok =
    f.kind === 'enum'
      ? typeof d === 'string' && enums[f.type]!.values.includes(d)
      : f.type === 'bool'
        ? typeof d === 'boolean'
        : f.type === 'string' || f.type === 'bytes'
          ? typeof d === 'string'
          : typeof d === 'number';
  if (!ok) throw new Error(`${where}: default ${JSON.stringify(d)} does not fit type ${f.type}`);
}

const TABLE = build();

/** Every message descriptor, by TypeScript type name. */
export const MESSAGES: Readonly<Record<string, MessageDescriptor>> = TABLE.messages;

/** Every enum descriptor, by TypeScript type name. */
export const ENUM_DESCRIPTORS: Readonly<Record<string, EnumDescriptor>> = TABLE.enums;

/** The descriptor of a message; throws on an unknown name (a programming error). */
export function messageDescriptor(name: string): MessageDescriptor {
  const d = MESSAGES[name];
  if (!d) throw new Error(`no wire descriptor for message '${name}'`);
  return d;
}

/** The roots: what the scheduler, executor and operator APIs carry. */
const WIRE_ROOTS = [
  'RawSchedulerCall',
  'RawSchedulerEvent',
  'RawExecutorCall',
  'RawExecutorEvent',
  'RawMasterCall',
  'RawMasterResponse',
  'RawMasterEvent',
  'RawAgentCall',
  'RawAgentResponse',
] as const;

/** Every message reachable from the roots (what goes over the wire in protobuf), sorted by name. */
export function wireMessages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const f of messageDescriptor(name).fields) if (f.kind === 'message') visit(f.type);
  };
  WIRE_ROOTS.forEach(visit);
  return [...seen].sort();
}
