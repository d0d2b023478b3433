/**
 * The shared Mesos v1 messages (package `mesos.v1`), typed exactly as Mesos renders them in JSON:
 * snake_case keys, ids as `{ value }`, enums as their v1 symbolic names, `bytes` as Base64.
 *
 * Conventions used throughout spec/protocol:
 * - a proto `required` field is a required property; `optional` and `repeated` fields are
 *   optional properties (an absent repeated field and an empty one are the same thing);
 * - `@default` records a proto default; Mesos echoes it in JSON when the field is unset unless
 *   the field is `@deprecated` (see json.ts);
 * - fields appear in proto declaration order, which is the order of keys in rendered JSON;
 * - nested proto messages are flattened into names built from their path
 *   (`TaskStatus.Reason` -> `TaskStatusReason`).
 *
 * Every enum is a `const` array (in proto declaration order) plus the string-literal union
 * derived from it; the arrays feed the wire descriptors (descriptors.ts).
 *
 * Not modelled (Mesos accepts them; our parser drops them like any unknown key): resource
 * statistics, resource providers, maintenance schedules, quota, CSI volumes and plugins,
 * `Volume.Source.csi_volume`.
 */
import type { Bytes, Double, Int32, Int64, UInt32, UInt64 } from './scalars.ts';

// ---------------------------------------------------------------------------------------------
// Identifiers

/** Identifies a framework; assigned by the master on first SUBSCRIBE (`<master id>-NNNN`). */
export interface FrameworkID {
  value: string;
}

/** Identifies an offer; assigned by the master (`<master id>-O<n>`). */
export interface OfferID {
  value: string;
}

/** Identifies an agent; assigned by the master when the agent registers (`<master id>-S<n>`). */
export interface AgentID {
  value: string;
}

/** Identifies a task; chosen by the framework, unique among the framework's live tasks. */
export interface TaskID {
  value: string;
}

/** Identifies an executor within a framework; the command executor uses the task id. */
export interface ExecutorID {
  value: string;
}

/** Identifies a container; nested containers point at their parent. */
export interface ContainerID {
  value: string;
  parent?: ContainerID;
}

/** Identifies a resource provider (not used by the reference cluster). */
export interface ResourceProviderID {
  value: string;
}

/** Identifies an offer operation chosen by the framework (operation feedback). */
export interface OperationID {
  value: string;
}

// ---------------------------------------------------------------------------------------------
// Time, addresses

/** A point in time: nanoseconds since the Unix epoch. */
export interface TimeInfo {
  nanoseconds: Int64;
}

/** A length of time in nanoseconds. */
export interface DurationInfo {
  nanoseconds: Int64;
}

/** A network endpoint; at least one of hostname and ip is expected. */
export interface Address {
  hostname?: string;
  ip?: string;
  port: Int32;
}

/** A URL split into parts (used for the agent URL in offers). */
export interface URL {
  scheme: string;
  address: Address;
  path?: string;
  query?: Parameter[];
  fragment?: string;
}

/** A window in which a machine is expected to be unavailable (maintenance). */
export interface Unavailability {
  start: TimeInfo;
  duration?: DurationInfo;
}

// ---------------------------------------------------------------------------------------------
// Frameworks

/** What a framework can handle; the master adapts its behaviour to these. */
export const FRAMEWORK_CAPABILITY_TYPES = [
  'UNKNOWN',
  'REVOCABLE_RESOURCES',
  'TASK_KILLING_STATE',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'PARTITION_AWARE',
  'MULTI_ROLE',
  'RESERVATION_REFINEMENT',
  'REGION_AWARE',
] as const;
/** A framework capability; PARTITION_AWARE, MULTI_ROLE and TASK_KILLING_STATE change semantics. */
export type FrameworkInfoCapabilityType = (typeof FRAMEWORK_CAPABILITY_TYPES)[number];

/** One capability entry of a framework, `{ "type": "PARTITION_AWARE" }`. */
export interface FrameworkInfoCapability {
  type?: FrameworkInfoCapabilityType;
}

/** Describes a framework; sent in SUBSCRIBE and UPDATE_FRAMEWORK and echoed by the master. */
export interface FrameworkInfo {
  /** The user tasks run as when the task does not say otherwise. */
  user: string;
  name: string;
  /** Absent on first subscription; set (and equal to the call's framework_id) on re-subscription. */
  id?: FrameworkID;
  /**
   * Seconds the master keeps a disconnected framework (and its tasks) before removing it.
   * @default 0
   */
  failover_timeout?: Double;
  /**
   * Whether agents checkpoint this framework's tasks and updates so they survive agent restarts.
   * @default false
   */
  checkpoint?: boolean;
  /**
   * The single role of a framework without MULTI_ROLE.
   * @default "*"
   * @deprecated use `roles` with the MULTI_ROLE capability
   */
  role?: string;
  /** The roles of a MULTI_ROLE framework. */
  roles?: string[];
  hostname?: string;
  principal?: string;
  webui_url?: string;
  capabilities?: FrameworkInfoCapability[];
  labels?: Labels;
  /** Per-role overrides of the master's minimum allocatable resources. */
  offer_filters?: { [role: string]: OfferFilters };
}

// ---------------------------------------------------------------------------------------------
// Checks and health checks

export const CHECK_INFO_TYPES = ['UNKNOWN', 'COMMAND', 'HTTP', 'TCP'] as const;
/** The kind of a general check. */
export type CheckInfoType = (typeof CHECK_INFO_TYPES)[number];

/** A check that runs a command. */
export interface CheckInfoCommand {
  command: CommandInfo;
}

/** A check that issues an HTTP GET. */
export interface CheckInfoHttp {
  port: UInt32;
  path?: string;
}

/** A check that opens a TCP connection. */
export interface CheckInfoTcp {
  port: UInt32;
}

/** A general (non-health) check whose results are reported in TaskStatus.check_status. */
export interface CheckInfo {
  type?: CheckInfoType;
  command?: CheckInfoCommand;
  http?: CheckInfoHttp;
  tcp?: CheckInfoTcp;
  /** @default 15 */
  delay_seconds?: Double;
  /** @default 10 */
  interval_seconds?: Double;
  /** @default 20 */
  timeout_seconds?: Double;
}

export const HEALTH_CHECK_TYPES = ['UNKNOWN', 'COMMAND', 'HTTP', 'TCP'] as const;
/** The kind of a health check. */
export type HealthCheckType = (typeof HEALTH_CHECK_TYPES)[number];

/** Parameters of an HTTP health check. */
export interface HealthCheckHTTPCheckInfo {
  /** @default "IPv4" */
  protocol?: NetworkInfoProtocol;
  scheme?: string;
  port: UInt32;
  path?: string;
  /** HTTP status codes counted as healthy (uint32 values). */
  statuses?: UInt32[];
}

/** Parameters of a TCP health check. */
export interface HealthCheckTCPCheckInfo {
  /** @default "IPv4" */
  protocol?: NetworkInfoProtocol;
  port: UInt32;
}

/** A health check; its results are reported as TaskStatus.healthy. */
export interface HealthCheck {
  /** @default 15 */
  delay_seconds?: Double;
  /** @default 10 */
  interval_seconds?: Double;
  /** @default 20 */
  timeout_seconds?: Double;
  /** @default 3 */
  consecutive_failures?: UInt32;
  /** @default 10 */
  grace_period_seconds?: Double;
  type?: HealthCheckType;
  command?: CommandInfo;
  http?: HealthCheckHTTPCheckInfo;
  tcp?: HealthCheckTCPCheckInfo;
}

/** How a task is killed: SIGTERM, then SIGKILL after the grace period (default 3 s). */
export interface KillPolicy {
  grace_period?: DurationInfo;
}

// ---------------------------------------------------------------------------------------------
// Commands and executors

/** A file the fetcher downloads into the sandbox before the command starts. */
export interface CommandInfoURI {
  value: string;
  executable?: boolean;
  /** @default true */
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

/** A command to run: through `sh -c value` when `shell`, else exec of `value` with `arguments`. */
export interface CommandInfo {
  uris?: CommandInfoURI[];
  environment?: Environment;
  /** @default true */
  shell?: boolean;
  value?: string;
  arguments?: string[];
  user?: string;
}

export const EXECUTOR_INFO_TYPES = ['UNKNOWN', 'DEFAULT', 'CUSTOM'] as const;
/** DEFAULT is Mesos's built-in executor for task groups; CUSTOM is the framework's own. */
export type ExecutorInfoType = (typeof EXECUTOR_INFO_TYPES)[number];

/** Describes an executor. Command tasks get a generated one (executor id = task id). */
export interface ExecutorInfo {
  type?: ExecutorInfoType;
  executor_id: ExecutorID;
  framework_id?: FrameworkID;
  command?: CommandInfo;
  container?: ContainerInfo;
  resources?: Resource[];
  name?: string;
  /** @deprecated since Mesos 1.0 */
  source?: string;
  data?: Bytes;
  discovery?: DiscoveryInfo;
  shutdown_grace_period?: DurationInfo;
  labels?: Labels;
}

// ---------------------------------------------------------------------------------------------
// Masters and agents

/** The region of a fault domain. */
export interface DomainInfoFaultDomainRegionInfo {
  name: string;
}

/** The zone of a fault domain. */
export interface DomainInfoFaultDomainZoneInfo {
  name: string;
}

/** A region/zone pair. */
export interface DomainInfoFaultDomain {
  region: DomainInfoFaultDomainRegionInfo;
  zone: DomainInfoFaultDomainZoneInfo;
}

/** Where a master or agent sits (fault domain). */
export interface DomainInfo {
  fault_domain?: DomainInfoFaultDomain;
}

export const MASTER_CAPABILITY_TYPES = ['UNKNOWN', 'AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'] as const;
/** A feature the master supports. */
export type MasterInfoCapabilityType = (typeof MASTER_CAPABILITY_TYPES)[number];

/** One master capability entry. */
export interface MasterInfoCapability {
  type?: MasterInfoCapabilityType;
}

/** Describes the leading master (sent in SUBSCRIBED and GET_MASTER). */
export interface MasterInfo {
  /** A random UUID string chosen when the master process starts. */
  id: string;
  /** IPv4 address as a uint32 in network byte order. */
  ip: UInt32;
  /** @default 5050 */
  port: UInt32;
  /** The libprocess pid, e.g. `master@127.0.0.1:5050`. */
  pid?: string;
  hostname?: string;
  version?: string;
  address?: Address;
  domain?: DomainInfo;
  capabilities?: MasterInfoCapability[];
}

export const AGENT_CAPABILITY_TYPES = [
  'UNKNOWN',
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'RESOURCE_PROVIDER',
  'RESIZE_VOLUME',
  'AGENT_OPERATION_FEEDBACK',
  'AGENT_DRAINING',
  'TASK_RESOURCE_LIMITS',
] as const;
/** A feature an agent supports. */
export type AgentInfoCapabilityType = (typeof AGENT_CAPABILITY_TYPES)[number];

/** One agent capability entry (AgentInfo itself has no capabilities field). */
export interface AgentInfoCapability {
  type?: AgentInfoCapabilityType;
}

/** Describes an agent: where it is and what it offers. */
export interface AgentInfo {
  hostname: string;
  /** @default 5051 */
  port?: Int32;
  resources?: Resource[];
  attributes?: Attribute[];
  /** Absent until the master assigns one at first registration. */
  id?: AgentID;
  domain?: DomainInfo;
}

// ---------------------------------------------------------------------------------------------
// Values, attributes, resources

export const VALUE_TYPES = ['SCALAR', 'RANGES', 'SET', 'TEXT'] as const;
/** The shape of a resource or attribute value. */
export type ValueType = (typeof VALUE_TYPES)[number];

/** A floating-point quantity (Mesos rounds scalar arithmetic to 3 decimal places). */
export interface ValueScalar {
  value: Double;
}

/** An inclusive range of integers, e.g. ports 31000-32000. */
export interface ValueRange {
  begin: UInt64;
  end: UInt64;
}

/** A list of ranges. */
export interface ValueRanges {
  range?: ValueRange[];
}

/** A set of strings. */
export interface ValueSet {
  item?: string[];
}

/** A text value (attributes only). */
export interface ValueText {
  value: string;
}

/** An agent attribute: a named value frameworks can match on. */
export interface Attribute {
  name: string;
  type: ValueType;
  scalar?: ValueScalar;
  ranges?: ValueRanges;
  set?: ValueSet;
  text?: ValueText;
}

/** The role a resource is allocated to (in offers and task resources of MULTI_ROLE frameworks). */
export interface ResourceAllocationInfo {
  role?: string;
}

export const RESERVATION_TYPES = ['UNKNOWN', 'STATIC', 'DYNAMIC'] as const;
/** Static reservations come from agent flags; dynamic ones from RESERVE operations. */
export type ResourceReservationInfoType = (typeof RESERVATION_TYPES)[number];

/** One level of a reservation. */
export interface ResourceReservationInfo {
  type?: ResourceReservationInfoType;
  role?: string;
  principal?: string;
  labels?: Labels;
}

/** The persistent-volume id of a disk resource. */
export interface ResourceDiskInfoPersistence {
  id: string;
  principal?: string;
}

export const DISK_SOURCE_TYPES = ['UNKNOWN', 'PATH', 'MOUNT', 'BLOCK', 'RAW'] as const;
/** The kind of a disk resource's backing storage. */
export type ResourceDiskInfoSourceType = (typeof DISK_SOURCE_TYPES)[number];

/** A PATH disk source. */
export interface ResourceDiskInfoSourcePath {
  root?: string;
}

/** A MOUNT disk source. */
export interface ResourceDiskInfoSourceMount {
  root?: string;
}

/** Where a disk resource comes from. */
export interface ResourceDiskInfoSource {
  type: ResourceDiskInfoSourceType;
  path?: ResourceDiskInfoSourcePath;
  mount?: ResourceDiskInfoSourceMount;
  vendor?: string;
  id?: string;
  metadata?: Labels;
  profile?: string;
}

/** Disk-specific resource details: persistence, mount point and source. */
export interface ResourceDiskInfo {
  persistence?: ResourceDiskInfoPersistence;
  volume?: Volume;
  source?: ResourceDiskInfoSource;
}

/** Marks a resource as revocable (no fields). */
export interface ResourceRevocableInfo {}

/** Marks a resource as shared (no fields). */
export interface ResourceSharedInfo {}

/** A named quantity of something an agent has (cpus, mem, disk, ports, gpus...). */
export interface Resource {
  provider_id?: ResourceProviderID;
  name: string;
  type: ValueType;
  scalar?: ValueScalar;
  ranges?: ValueRanges;
  set?: ValueSet;
  /**
   * Pre-refinement reservation role; "*" means unreserved.
   * @default "*"
   * @deprecated use `reservations`
   */
  role?: string;
  allocation_info?: ResourceAllocationInfo;
  /** Pre-refinement reservation details. */
  reservation?: ResourceReservationInfo;
  /** Reservation stack, outermost first (refinement format). */
  reservations?: ResourceReservationInfo[];
  disk?: ResourceDiskInfo;
  revocable?: ResourceRevocableInfo;
  shared?: ResourceSharedInfo;
}

// ---------------------------------------------------------------------------------------------
// Offers

/** A quantity per resource name. */
export interface OfferFiltersResourceQuantities {
  quantities?: { [name: string]: ValueScalar };
}

/** Offers smaller than all of these quantities are not made. */
export interface OfferFiltersMinAllocatableResources {
  quantities?: OfferFiltersResourceQuantities[];
}

/** A framework's per-role offer filtering. */
export interface OfferFilters {
  min_allocatable_resources?: OfferFiltersMinAllocatableResources;
}

/** A resource request (REQUEST calls; ignored by the built-in allocator). */
export interface Request {
  agent_id?: AgentID;
  resources?: Resource[];
}

export const OFFER_OPERATION_TYPES = [
  'UNKNOWN',
  'LAUNCH',
  'LAUNCH_GROUP',
  'RESERVE',
  'UNRESERVE',
  'CREATE',
  'DESTROY',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'CREATE_DISK',
  'DESTROY_DISK',
] as const;
/** What an ACCEPT does with offered resources. */
export type OfferOperationType = (typeof OFFER_OPERATION_TYPES)[number];

/** Launch tasks, each with its command or executor. */
export interface OfferOperationLaunch {
  task_infos?: TaskInfo[];
}

/** Launch a group of tasks under one (DEFAULT) executor. */
export interface OfferOperationLaunchGroup {
  executor: ExecutorInfo;
  task_group: TaskGroupInfo;
}

/** Dynamically reserve resources. */
export interface OfferOperationReserve {
  source?: Resource[];
  resources?: Resource[];
}

/** Release dynamically reserved resources. */
export interface OfferOperationUnreserve {
  resources?: Resource[];
}

/** Create persistent volumes. */
export interface OfferOperationCreate {
  volumes?: Resource[];
}

/** Destroy persistent volumes. */
export interface OfferOperationDestroy {
  volumes?: Resource[];
}

/** Grow a persistent volume. */
export interface OfferOperationGrowVolume {
  volume: Resource;
  addition: Resource;
}

/** Shrink a persistent volume. */
export interface OfferOperationShrinkVolume {
  volume: Resource;
  subtract: ValueScalar;
}

/** Turn a RAW disk into a MOUNT or BLOCK disk. */
export interface OfferOperationCreateDisk {
  source: Resource;
  target_type: ResourceDiskInfoSourceType;
  target_profile?: string;
}

/** Turn a MOUNT or BLOCK disk back into RAW. */
export interface OfferOperationDestroyDisk {
  source: Resource;
}

/**
 * One operation of an ACCEPT call. The wire shape allows any combination of sub-messages;
 * the master reads the one named by `type`.
 */
export interface OfferOperation {
  type?: OfferOperationType;
  /** Operation feedback id; must not be set on LAUNCH / LAUNCH_GROUP. */
  id?: OperationID;
  launch?: OfferOperationLaunch;
  launch_group?: OfferOperationLaunchGroup;
  reserve?: OfferOperationReserve;
  unreserve?: OfferOperationUnreserve;
  create?: OfferOperationCreate;
  destroy?: OfferOperationDestroy;
  grow_volume?: OfferOperationGrowVolume;
  shrink_volume?: OfferOperationShrinkVolume;
  create_disk?: OfferOperationCreateDisk;
  destroy_disk?: OfferOperationDestroyDisk;
}

/** Resources of one agent offered to one framework in one role. */
export interface Offer {
  id: OfferID;
  framework_id: FrameworkID;
  agent_id: AgentID;
  hostname: string;
  url?: URL;
  domain?: DomainInfo;
  resources?: Resource[];
  attributes?: Attribute[];
  /** This framework's executors already running on the agent. */
  executor_ids?: ExecutorID[];
  unavailability?: Unavailability;
  /** Present only for MULTI_ROLE frameworks. */
  allocation_info?: ResourceAllocationInfo;
}

/** A request to give resources back for maintenance. */
export interface InverseOffer {
  id: OfferID;
  url?: URL;
  framework_id: FrameworkID;
  agent_id?: AgentID;
  unavailability: Unavailability;
  resources?: Resource[];
}

// ---------------------------------------------------------------------------------------------
// Tasks

/** A task a framework asks to launch: exactly one of `command` and `executor`. */
export interface TaskInfo {
  name: string;
  task_id: TaskID;
  /** Must equal the agent of the offers used. */
  agent_id: AgentID;
  resources?: Resource[];
  executor?: ExecutorInfo;
  command?: CommandInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  check?: CheckInfo;
  kill_policy?: KillPolicy;
  data?: Bytes;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  max_completion_time?: DurationInfo;
  /** Resource limits above the request (cpus, mem only). */
  limits?: { [name: string]: ValueScalar };
}

/** Tasks launched together under one executor. */
export interface TaskGroupInfo {
  tasks?: TaskInfo[];
}

/** The master's or agent's record of a task (operator API, re-registration). */
export interface Task {
  name: string;
  task_id: TaskID;
  framework_id: FrameworkID;
  executor_id?: ExecutorID;
  agent_id: AgentID;
  /** The latest state known. */
  state: TaskState;
  resources?: Resource[];
  /** Status history (consecutive duplicates of a state collapsed). */
  statuses?: TaskStatus[];
  /** State of the latest reliable update forwarded to the framework. */
  status_update_state?: TaskState;
  status_update_uuid?: Bytes;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  kill_policy?: KillPolicy;
  user?: string;
  limits?: { [name: string]: ValueScalar };
}

/** All task states, in proto declaration order. */
export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;
/** The state of a task (reference section 4.1). */
export type TaskState = (typeof TASK_STATES)[number];

/** What Mesos says of one task state, for the lists below to be filtered from TASK_STATES. */
interface TaskStateTraits {
  /** Mesos's `isTerminalState` accepts it: TASK_LOST counts, UNREACHABLE and UNKNOWN do not. */
  readonly terminal: boolean;
  /** Sent only to a partition-aware framework; any other framework is sent TASK_LOST in its place (reference 4.5). */
  readonly partitionAwareOnly: boolean;
}

/** A Record over TaskState, so that a state added to TASK_STATES does not compile until it is described here. */
const TASK_STATE_TRAITS: Readonly<Record<TaskState, TaskStateTraits>> = {
  TASK_STAGING: { terminal: false, partitionAwareOnly: false },
  TASK_STARTING: { terminal: false, partitionAwareOnly: false },
  TASK_RUNNING: { terminal: false, partitionAwareOnly: false },
  TASK_KILLING: { terminal: false, partitionAwareOnly: false },
  TASK_FINISHED: { terminal: true, partitionAwareOnly: false },
  TASK_FAILED: { terminal: true, partitionAwareOnly: false },
  TASK_KILLED: { terminal: true, partitionAwareOnly: false },
  TASK_ERROR: { terminal: true, partitionAwareOnly: false },
  TASK_LOST: { terminal: true, partitionAwareOnly: false },
  TASK_DROPPED: { terminal: true, partitionAwareOnly: true },
  TASK_UNREACHABLE: { terminal: false, partitionAwareOnly: true },
  TASK_GONE: { terminal: true, partitionAwareOnly: true },
  TASK_GONE_BY_OPERATOR: { terminal: true, partitionAwareOnly: true },
  TASK_UNKNOWN: { terminal: false, partitionAwareOnly: true },
};

/** The states Mesos's `isTerminalState` accepts. */
export const TERMINAL_TASK_STATES: readonly TaskState[] = TASK_STATES.filter((s) => TASK_STATE_TRAITS[s].terminal);

/** The states that replace TASK_LOST for a partition-aware framework (dropped, unreachable, gone, gone by operator, unknown). */
export const PARTITION_AWARE_TASK_STATES: readonly TaskState[] = TASK_STATES.filter((s) => TASK_STATE_TRAITS[s].partitionAwareOnly);

/** Whether a task in this state is finished for good (its resources are released). */
export function isTerminal(state: TaskState): boolean {
  return TERMINAL_TASK_STATES.includes(state);
}

/** Resources whose limit a task exceeded. */
export interface TaskResourceLimitation {
  resources?: Resource[];
}

/** A UUID as a message: its 16 bytes in Base64. */
export interface UUID {
  value: Bytes;
}

/** An offer operation with feedback (operator API, not used by the reference cluster). */
export interface Operation {
  framework_id?: FrameworkID;
  agent_id?: AgentID;
  info: OfferOperation;
  latest_status: OperationStatus;
  statuses?: OperationStatus[];
  uuid: UUID;
}

export const OPERATION_STATES = [
  'OPERATION_UNSUPPORTED',
  'OPERATION_PENDING',
  'OPERATION_FINISHED',
  'OPERATION_FAILED',
  'OPERATION_ERROR',
  'OPERATION_DROPPED',
  'OPERATION_UNREACHABLE',
  'OPERATION_GONE_BY_OPERATOR',
  'OPERATION_RECOVERING',
  'OPERATION_UNKNOWN',
] as const;
/** The state of an operation with feedback. */
export type OperationState = (typeof OPERATION_STATES)[number];

/** A status update for an operation. */
export interface OperationStatus {
  operation_id?: OperationID;
  state: OperationState;
  message?: string;
  converted_resources?: Resource[];
  uuid?: UUID;
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
}

/** Result of a command check. */
export interface CheckStatusInfoCommand {
  exit_code?: Int32;
}

/** Result of an HTTP check. */
export interface CheckStatusInfoHttp {
  status_code?: UInt32;
}

/** Result of a TCP check. */
export interface CheckStatusInfoTcp {
  succeeded?: boolean;
}

/** The latest result of a task's general check. */
export interface CheckStatusInfo {
  type?: CheckInfoType;
  command?: CheckStatusInfoCommand;
  http?: CheckStatusInfoHttp;
  tcp?: CheckStatusInfoTcp;
}

/** Who generated a status update. */
export const TASK_STATUS_SOURCES = ['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR'] as const;
/** The origin of a status update. */
export type TaskStatusSource = (typeof TASK_STATUS_SOURCES)[number];

/** Every reason of the v1 proto, in declaration order (reference section 4.4 says who sends which). */
export const TASK_STATUS_REASONS = [
  'REASON_COMMAND_EXECUTOR_FAILED',
  'REASON_CONTAINER_LAUNCH_FAILED',
  'REASON_CONTAINER_LIMITATION',
  'REASON_CONTAINER_LIMITATION_DISK',
  'REASON_CONTAINER_LIMITATION_MEMORY',
  'REASON_CONTAINER_PREEMPTED',
  'REASON_CONTAINER_UPDATE_FAILED',
  'REASON_MAX_COMPLETION_TIME_REACHED',
  'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_TERMINATED',
  'REASON_EXECUTOR_UNREGISTERED',
  'REASON_FRAMEWORK_REMOVED',
  'REASON_GC_ERROR',
  'REASON_INVALID_FRAMEWORKID',
  'REASON_INVALID_OFFERS',
  'REASON_IO_SWITCHBOARD_EXITED',
  'REASON_MASTER_DISCONNECTED',
  'REASON_RECONCILIATION',
  'REASON_RESOURCES_UNKNOWN',
  'REASON_AGENT_DISCONNECTED',
  'REASON_AGENT_DRAINING',
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_REMOVED_BY_OPERATOR',
  'REASON_AGENT_REREGISTERED',
  'REASON_AGENT_RESTARTED',
  'REASON_AGENT_UNKNOWN',
  'REASON_TASK_KILLED_DURING_LAUNCH',
  'REASON_TASK_CHECK_STATUS_UPDATED',
  'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
  'REASON_TASK_GROUP_INVALID',
  'REASON_TASK_GROUP_UNAUTHORIZED',
  'REASON_TASK_INVALID',
  'REASON_TASK_UNAUTHORIZED',
  'REASON_TASK_UNKNOWN',
] as const;
/** Why a task reached its state. */
export type TaskStatusReason = (typeof TASK_STATUS_REASONS)[number];

/** A task status update. Reliable (must be acknowledged) exactly when `uuid` is set. */
export interface TaskStatus {
  task_id: TaskID;
  state: TaskState;
  message?: string;
  source?: TaskStatusSource;
  reason?: TaskStatusReason;
  data?: Bytes;
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  /** Seconds since the epoch (a double). */
  timestamp?: Double;
  /** 16 bytes, Base64; present only on reliable (agent/executor) updates. */
  uuid?: Bytes;
  healthy?: boolean;
  check_status?: CheckStatusInfo;
  labels?: Labels;
  container_status?: ContainerStatus;
  /** When the agent was marked unreachable (partition-related updates). */
  unreachable_time?: TimeInfo;
  limitation?: TaskResourceLimitation;
}

/** How long declined or unused offered resources stay filtered. */
export interface Filters {
  /**
   * Seconds; negative means the default, 0 means no filter.
   * @default 5
   */
  refuse_seconds?: Double;
}

// ---------------------------------------------------------------------------------------------
// Environment, secrets, images

export const ENVIRONMENT_VARIABLE_TYPES = ['UNKNOWN', 'VALUE', 'SECRET'] as const;
/** Whether an environment variable holds a value or a secret. */
export type EnvironmentVariableType = (typeof ENVIRONMENT_VARIABLE_TYPES)[number];

/** One environment variable. */
export interface EnvironmentVariable {
  name: string;
  /** @default "VALUE" */
  type?: EnvironmentVariableType;
  value?: string;
  secret?: Secret;
}

/** Environment variables of a command. */
export interface Environment {
  variables?: EnvironmentVariable[];
}

/** A key/value pair. */
export interface Parameter {
  key: string;
  value: string;
}

/** A list of key/value pairs. */
export interface Parameters {
  parameter?: Parameter[];
}

/** A principal and its secret. */
export interface Credential {
  principal: string;
  secret?: string;
}

export const SECRET_TYPES = ['UNKNOWN', 'REFERENCE', 'VALUE'] as const;
/** Whether a secret is given by reference or by value. */
export type SecretType = (typeof SECRET_TYPES)[number];

/** A reference to a secret in a secret store. */
export interface SecretReference {
  name: string;
  key?: string;
}

/** A secret given inline. */
export interface SecretValue {
  data: Bytes;
}

/** A secret. */
export interface Secret {
  type?: SecretType;
  reference?: SecretReference;
  value?: SecretValue;
}

export const IMAGE_TYPES = ['APPC', 'DOCKER'] as const;
/** A container image format. */
export type ImageType = (typeof IMAGE_TYPES)[number];

/** An AppC image. */
export interface ImageAppc {
  name: string;
  id?: string;
  labels?: Labels;
}

/** A Docker image. */
export interface ImageDocker {
  name: string;
  /** @deprecated since Mesos 1.3 */
  credential?: Credential;
  config?: Secret;
}

/** A container image. */
export interface Image {
  type: ImageType;
  appc?: ImageAppc;
  docker?: ImageDocker;
  /** @default true */
  cached?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Volumes

export const MOUNT_PROPAGATION_MODES = ['UNKNOWN', 'HOST_TO_CONTAINER', 'BIDIRECTIONAL'] as const;
/** How mounts propagate between host and container. */
export type MountPropagationMode = (typeof MOUNT_PROPAGATION_MODES)[number];

/** Mount propagation of a host-path volume. */
export interface MountPropagation {
  mode?: MountPropagationMode;
}

export const VOLUME_MODES = ['RW', 'RO'] as const;
/** Read-write or read-only. */
export type VolumeMode = (typeof VOLUME_MODES)[number];

export const VOLUME_SOURCE_TYPES = ['UNKNOWN', 'DOCKER_VOLUME', 'HOST_PATH', 'SANDBOX_PATH', 'SECRET', 'CSI_VOLUME'] as const;
/** Where a volume comes from. */
export type VolumeSourceType = (typeof VOLUME_SOURCE_TYPES)[number];

/** A Docker volume-driver volume. */
export interface VolumeSourceDockerVolume {
  driver?: string;
  name: string;
  driver_options?: Parameters;
}

/** A path on the host. */
export interface VolumeSourceHostPath {
  path: string;
  mount_propagation?: MountPropagation;
}

export const SANDBOX_PATH_TYPES = ['UNKNOWN', 'SELF', 'PARENT'] as const;
/** Whose sandbox a sandbox-path volume refers to. */
export type VolumeSourceSandboxPathType = (typeof SANDBOX_PATH_TYPES)[number];

/** A path in this or the parent container's sandbox. */
export interface VolumeSourceSandboxPath {
  type?: VolumeSourceSandboxPathType;
  path: string;
}

/** The source of a volume (CSI volumes are not modelled). */
export interface VolumeSource {
  type?: VolumeSourceType;
  docker_volume?: VolumeSourceDockerVolume;
  host_path?: VolumeSourceHostPath;
  sandbox_path?: VolumeSourceSandboxPath;
  secret?: Secret;
}

/** A volume mounted into a container. */
export interface Volume {
  mode: VolumeMode;
  container_path: string;
  host_path?: string;
  image?: Image;
  source?: VolumeSource;
}

// ---------------------------------------------------------------------------------------------
// Networking and containers

export const NETWORK_PROTOCOLS = ['IPv4', 'IPv6'] as const;
/** An IP protocol version. */
export type NetworkInfoProtocol = (typeof NETWORK_PROTOCOLS)[number];

/** One IP address of a container (the protocol defaults to IPv4 and is always echoed). */
export interface NetworkInfoIPAddress {
  /** @default "IPv4" */
  protocol?: NetworkInfoProtocol;
  ip_address?: string;
}

/** A port mapping of a container network. */
export interface NetworkInfoPortMapping {
  host_port: UInt32;
  container_port: UInt32;
  protocol?: string;
}

/** A network a container joins. */
export interface NetworkInfo {
  ip_addresses?: NetworkInfoIPAddress[];
  name?: string;
  groups?: string[];
  labels?: Labels;
  port_mappings?: NetworkInfoPortMapping[];
}

export const LINUX_CAPABILITIES = [
  'UNKNOWN',
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
] as const;
/** A Linux capability. */
export type CapabilityInfoCapability = (typeof LINUX_CAPABILITIES)[number];

/** A set of Linux capabilities. */
export interface CapabilityInfo {
  capabilities?: CapabilityInfoCapability[];
}

/** A seccomp profile. */
export interface SeccompInfo {
  profile_name?: string;
  unconfined?: boolean;
}

export const IPC_MODES = ['UNKNOWN', 'PRIVATE', 'SHARE_PARENT'] as const;
/** IPC namespace mode. */
export type LinuxInfoIpcMode = (typeof IPC_MODES)[number];

/** Linux-specific container settings. */
export interface LinuxInfo {
  /** @deprecated use bounding_capabilities / effective_capabilities */
  capability_info?: CapabilityInfo;
  bounding_capabilities?: CapabilityInfo;
  effective_capabilities?: CapabilityInfo;
  share_pid_namespace?: boolean;
  seccomp?: SeccompInfo;
  ipc_mode?: LinuxInfoIpcMode;
  shm_size?: UInt32;
  /** @default true */
  share_cgroups?: boolean;
}

export const RLIMIT_TYPES = [
  'UNKNOWN',
  'RLMT_AS',
  'RLMT_CORE',
  'RLMT_CPU',
  'RLMT_DATA',
  'RLMT_FSIZE',
  'RLMT_LOCKS',
  'RLMT_MEMLOCK',
  'RLMT_MSGQUEUE',
  'RLMT_NICE',
  'RLMT_NOFILE',
  'RLMT_NPROC',
  'RLMT_RSS',
  'RLMT_RTPRIO',
  'RLMT_RTTIME',
  'RLMT_SIGPENDING',
  'RLMT_STACK',
] as const;
/** A POSIX resource limit. */
export type RLimitInfoRLimitType = (typeof RLIMIT_TYPES)[number];

/** One resource limit (unset hard/soft = unlimited). */
export interface RLimitInfoRLimit {
  type?: RLimitInfoRLimitType;
  hard?: UInt64;
  soft?: UInt64;
}

/** POSIX resource limits of a container. */
export interface RLimitInfo {
  rlimits?: RLimitInfoRLimit[];
}

/** Terminal size. */
export interface TTYInfoWindowSize {
  rows: UInt32;
  columns: UInt32;
}

/** Allocate a TTY for the container. */
export interface TTYInfo {
  window_size?: TTYInfoWindowSize;
}

export const CONTAINER_TYPES = ['DOCKER', 'MESOS'] as const;
/** The containerizer to use. */
export type ContainerInfoType = (typeof CONTAINER_TYPES)[number];

export const DOCKER_NETWORKS = ['HOST', 'BRIDGE', 'NONE', 'USER'] as const;
/** Docker network mode. */
export type ContainerInfoDockerInfoNetwork = (typeof DOCKER_NETWORKS)[number];

/** A Docker port mapping. */
export interface ContainerInfoDockerInfoPortMapping {
  host_port: UInt32;
  container_port: UInt32;
  protocol?: string;
}

/** Docker-containerizer settings. */
export interface ContainerInfoDockerInfo {
  image: string;
  /** @default "HOST" */
  network?: ContainerInfoDockerInfoNetwork;
  port_mappings?: ContainerInfoDockerInfoPortMapping[];
  /** @default false */
  privileged?: boolean;
  parameters?: Parameter[];
  force_pull_image?: boolean;
  /** @deprecated since Mesos 1.0 */
  volume_driver?: string;
}

/** Mesos-containerizer settings. */
export interface ContainerInfoMesosInfo {
  image?: Image;
}

/** How to containerize a task or executor. */
export interface ContainerInfo {
  type: ContainerInfoType;
  volumes?: Volume[];
  hostname?: string;
  docker?: ContainerInfoDockerInfo;
  mesos?: ContainerInfoMesosInfo;
  network_infos?: NetworkInfo[];
  linux_info?: LinuxInfo;
  rlimit_info?: RLimitInfo;
  tty_info?: TTYInfo;
}

/** The net_cls cgroup of a container. */
export interface CgroupInfoNetCls {
  classid?: UInt32;
}

/** Cgroup details of a container. */
export interface CgroupInfo {
  net_cls?: CgroupInfoNetCls;
}

/** Runtime facts about a task's container, attached to status updates by the agent. */
export interface ContainerStatus {
  container_id?: ContainerID;
  network_infos?: NetworkInfo[];
  cgroup_info?: CgroupInfo;
  executor_pid?: UInt32;
}

// ---------------------------------------------------------------------------------------------
// Labels, discovery

/** Free-form key/value metadata. */
export interface Labels {
  labels?: Label[];
}

/** One label. */
export interface Label {
  key: string;
  value?: string;
}

/** A named port for service discovery. */
export interface Port {
  number: UInt32;
  name?: string;
  protocol?: string;
  visibility?: DiscoveryInfoVisibility;
  labels?: Labels;
}

/** A list of ports. */
export interface Ports {
  ports?: Port[];
}

export const DISCOVERY_VISIBILITIES = ['FRAMEWORK', 'CLUSTER', 'EXTERNAL'] as const;
/** Who may discover a service. */
export type DiscoveryInfoVisibility = (typeof DISCOVERY_VISIBILITIES)[number];

/** Service-discovery metadata of a task or executor. */
export interface DiscoveryInfo {
  visibility: DiscoveryInfoVisibility;
  name?: string;
  environment?: string;
  location?: string;
  version?: string;
  ports?: Ports;
  labels?: Labels;
}

// ---------------------------------------------------------------------------------------------
// Operator-facing records

/** A role's weight. */
export interface WeightInfo {
  weight: Double;
  role?: string;
}

/** google.protobuf.Duration (DRAIN_AGENT's `max_grace_period`): whole seconds and nanoseconds. */
export interface ProtobufDuration {
  seconds?: Int64;
  nanos?: Int32;
}

/** A role's quota (QUOTA_V2, `mesos.v1.quota.QuotaConfig`): guaranteed and maximal scalar quantities by resource name. */
export interface QuotaConfig {
  role: string;
  guarantees?: { [name: string]: ValueScalar };
  limits?: { [name: string]: ValueScalar };
}

/** The pre-QUOTA_V2 view of a quota (`mesos.v1.quota.QuotaInfo`), still in GET_QUOTA's answer: its guarantees as scalar resources. */
export interface QuotaInfo {
  role?: string;
  principal?: string;
  guarantee?: Resource[];
}

/** Every role's quota (`mesos.v1.quota.QuotaStatus`). */
export interface QuotaStatus {
  /** @deprecated */
  infos?: QuotaInfo[];
  configs?: QuotaConfig[];
}

/** Build information of a master or agent. */
export interface VersionInfo {
  version: string;
  build_date?: string;
  /** Seconds since the epoch. */
  build_time?: Double;
  build_user?: string;
  git_sha?: string;
  git_branch?: string;
  git_tag?: string;
}

/** One command-line flag and its value. */
export interface Flag {
  name: string;
  value?: string;
}

/** A role as the operator API reports it. */
export interface Role {
  name: string;
  weight: Double;
  frameworks?: FrameworkID[];
  resources?: Resource[];
}

/** One metric. */
export interface Metric {
  name: string;
  value?: Double;
}

export const DRAIN_STATES = ['UNKNOWN', 'DRAINING', 'DRAINED'] as const;
/** Progress of an agent drain. */
export type DrainState = (typeof DRAIN_STATES)[number];

/** How an agent is drained. */
export interface DrainConfig {
  max_grace_period?: DurationInfo;
  /** @default false */
  mark_gone?: boolean;
}

/** An agent's drain status. */
export interface DrainInfo {
  state: DrainState;
  config: DrainConfig;
}
