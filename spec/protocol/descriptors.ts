/**
 * Wire descriptors: for every protocol message, its fields in proto declaration order with
 * number, type, label, default, deprecation and oneof group. The JSON codec (json.ts) and the
 * call validation are driven by this table alone.
 *
 * The TypeScript types (common.ts, scheduler.ts, ...) are the other description of the same
 * messages, and the JSON Schemas are generated from them. test/protocol/descriptors.test.ts
 * fails when this table and the schemas disagree in any field, order, type, label, default or
 * deprecation, so a field cannot be added in one place and forgotten in the other.
 *
 * Field syntax, one string per field:
 *
 *     '<number> <name>: <type>[!|[]|{}][ = <default>][ deprecated][ oneof <group>]'
 *
 * `!` required, `[]` repeated, `{}` a map with string keys; no suffix = optional. `<type>` is a
 * scalar (string bytes bool double int32 int64 uint32 uint64) or the name of an enum or message
 * below. `<default>` is a JSON literal, or an enum value name.
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

// ---------------------------------------------------------------------------------------------
// The descriptor model

/** Protobuf scalar types that occur in the Mesos v1 API. */
export const SCALAR_TYPES = ['string', 'bytes', 'bool', 'double', 'int32', 'int64', 'uint32', 'uint64'] as const;
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
// Enums

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
// Messages of mesos.v1 (include/mesos/v1/mesos.proto)

const COMMON: Record<string, readonly string[]> = {
  FrameworkID: ['1 value: string!'],
  OfferID: ['1 value: string!'],
  AgentID: ['1 value: string!'],
  TaskID: ['1 value: string!'],
  ExecutorID: ['1 value: string!'],
  ContainerID: ['1 value: string!', '2 parent: ContainerID'],
  ResourceProviderID: ['1 value: string!'],
  OperationID: ['1 value: string!'],
  TimeInfo: ['1 nanoseconds: int64!'],
  DurationInfo: ['1 nanoseconds: int64!'],
  Address: ['1 hostname: string', '2 ip: string', '3 port: int32!'],
  URL: ['1 scheme: string!', '2 address: Address!', '3 path: string', '4 query: Parameter[]', '5 fragment: string'],
  Unavailability: ['1 start: TimeInfo!', '2 duration: DurationInfo'],
  FrameworkInfoCapability: ['1 type: FrameworkInfoCapabilityType'],
  FrameworkInfo: [
    '1 user: string!',
    '2 name: string!',
    '3 id: FrameworkID',
    '4 failover_timeout: double = 0.0',
    '5 checkpoint: bool = false',
    '6 role: string = "*" deprecated',
    '12 roles: string[]',
    '7 hostname: string',
    '8 principal: string',
    '9 webui_url: string',
    '10 capabilities: FrameworkInfoCapability[]',
    '11 labels: Labels',
    '13 offer_filters: OfferFilters{}',
  ],
  CheckInfoCommand: ['1 command: CommandInfo!'],
  CheckInfoHttp: ['1 port: uint32!', '2 path: string'],
  CheckInfoTcp: ['1 port: uint32!'],
  CheckInfo: [
    '1 type: CheckInfoType',
    '2 command: CheckInfoCommand',
    '3 http: CheckInfoHttp',
    '7 tcp: CheckInfoTcp',
    '4 delay_seconds: double = 15.0',
    '5 interval_seconds: double = 10.0',
    '6 timeout_seconds: double = 20.0',
  ],
  HealthCheckHTTPCheckInfo: ['5 protocol: NetworkInfoProtocol = IPv4', '3 scheme: string', '1 port: uint32!', '2 path: string', '4 statuses: uint32[]'],
  HealthCheckTCPCheckInfo: ['2 protocol: NetworkInfoProtocol = IPv4', '1 port: uint32!'],
  HealthCheck: [
    '2 delay_seconds: double = 15.0',
    '3 interval_seconds: double = 10.0',
    '4 timeout_seconds: double = 20.0',
    '5 consecutive_failures: uint32 = 3',
    '6 grace_period_seconds: double = 10.0',
    '8 type: HealthCheckType',
    '7 command: CommandInfo',
    '1 http: HealthCheckHTTPCheckInfo',
    '9 tcp: HealthCheckTCPCheckInfo',
  ],
  KillPolicy: ['1 grace_period: DurationInfo'],
  CommandInfoURI: ['1 value: string!', '2 executable: bool', '3 extract: bool = true', '4 cache: bool', '5 output_file: string'],
  CommandInfo: ['1 uris: CommandInfoURI[]', '2 environment: Environment', '6 shell: bool = true', '3 value: string', '7 arguments: string[]', '5 user: string'],
  ExecutorInfo: [
    '15 type: ExecutorInfoType',
    '1 executor_id: ExecutorID!',
    '8 framework_id: FrameworkID',
    '7 command: CommandInfo',
    '11 container: ContainerInfo',
    '5 resources: Resource[]',
    '9 name: string',
    '10 source: string deprecated',
    '4 data: bytes',
    '12 discovery: DiscoveryInfo',
    '13 shutdown_grace_period: DurationInfo',
    '14 labels: Labels',
  ],
  DomainInfoFaultDomainRegionInfo: ['1 name: string!'],
  DomainInfoFaultDomainZoneInfo: ['1 name: string!'],
  DomainInfoFaultDomain: ['1 region: DomainInfoFaultDomainRegionInfo!', '2 zone: DomainInfoFaultDomainZoneInfo!'],
  DomainInfo: ['1 fault_domain: DomainInfoFaultDomain'],
  MasterInfoCapability: ['1 type: MasterInfoCapabilityType'],
  MasterInfo: [
    '1 id: string!',
    '2 ip: uint32!',
    '3 port: uint32! = 5050',
    '4 pid: string',
    '5 hostname: string',
    '6 version: string',
    '7 address: Address',
    '8 domain: DomainInfo',
    '9 capabilities: MasterInfoCapability[]',
  ],
  AgentInfoCapability: ['1 type: AgentInfoCapabilityType'],
  AgentInfo: ['1 hostname: string!', '8 port: int32 = 5051', '3 resources: Resource[]', '5 attributes: Attribute[]', '6 id: AgentID', '10 domain: DomainInfo'],
  ValueScalar: ['1 value: double!'],
  ValueRange: ['1 begin: uint64!', '2 end: uint64!'],
  ValueRanges: ['1 range: ValueRange[]'],
  ValueSet: ['1 item: string[]'],
  ValueText: ['1 value: string!'],
  Attribute: ['1 name: string!', '2 type: ValueType!', '3 scalar: ValueScalar', '4 ranges: ValueRanges', '6 set: ValueSet', '5 text: ValueText'],
  ResourceAllocationInfo: ['1 role: string'],
  ResourceReservationInfo: ['4 type: ResourceReservationInfoType', '3 role: string', '1 principal: string', '2 labels: Labels'],
  ResourceDiskInfoPersistence: ['1 id: string!', '2 principal: string'],
  ResourceDiskInfoSourcePath: ['1 root: string'],
  ResourceDiskInfoSourceMount: ['1 root: string'],
  ResourceDiskInfoSource: [
    '1 type: ResourceDiskInfoSourceType!',
    '2 path: ResourceDiskInfoSourcePath',
    '3 mount: ResourceDiskInfoSourceMount',
    '7 vendor: string',
    '4 id: string',
    '5 metadata: Labels',
    '6 profile: string',
  ],
  ResourceDiskInfo: ['1 persistence: ResourceDiskInfoPersistence', '2 volume: Volume', '3 source: ResourceDiskInfoSource'],
  ResourceRevocableInfo: [],
  ResourceSharedInfo: [],
  Resource: [
    '12 provider_id: ResourceProviderID',
    '1 name: string!',
    '2 type: ValueType!',
    '3 scalar: ValueScalar',
    '4 ranges: ValueRanges',
    '5 set: ValueSet',
    '6 role: string = "*" deprecated',
    '11 allocation_info: ResourceAllocationInfo',
    '8 reservation: ResourceReservationInfo',
    '13 reservations: ResourceReservationInfo[]',
    '7 disk: ResourceDiskInfo',
    '9 revocable: ResourceRevocableInfo',
    '10 shared: ResourceSharedInfo',
  ],
  OfferFiltersResourceQuantities: ['1 quantities: ValueScalar{}'],
  OfferFiltersMinAllocatableResources: ['1 quantities: OfferFiltersResourceQuantities[]'],
  OfferFilters: ['1 min_allocatable_resources: OfferFiltersMinAllocatableResources'],
  Request: ['1 agent_id: AgentID', '2 resources: Resource[]'],
  OfferOperationLaunch: ['1 task_infos: TaskInfo[]'],
  OfferOperationLaunchGroup: ['1 executor: ExecutorInfo!', '2 task_group: TaskGroupInfo!'],
  OfferOperationReserve: ['2 source: Resource[]', '1 resources: Resource[]'],
  OfferOperationUnreserve: ['1 resources: Resource[]'],
  OfferOperationCreate: ['1 volumes: Resource[]'],
  OfferOperationDestroy: ['1 volumes: Resource[]'],
  OfferOperationGrowVolume: ['1 volume: Resource!', '2 addition: Resource!'],
  OfferOperationShrinkVolume: ['1 volume: Resource!', '2 subtract: ValueScalar!'],
  OfferOperationCreateDisk: ['1 source: Resource!', '2 target_type: ResourceDiskInfoSourceType!', '3 target_profile: string'],
  OfferOperationDestroyDisk: ['1 source: Resource!'],
  OfferOperation: [
    '1 type: OfferOperationType',
    '12 id: OperationID',
    '2 launch: OfferOperationLaunch',
    '7 launch_group: OfferOperationLaunchGroup',
    '3 reserve: OfferOperationReserve',
    '4 unreserve: OfferOperationUnreserve',
    '5 create: OfferOperationCreate',
    '6 destroy: OfferOperationDestroy',
    '13 grow_volume: OfferOperationGrowVolume',
    '14 shrink_volume: OfferOperationShrinkVolume',
    '15 create_disk: OfferOperationCreateDisk',
    '16 destroy_disk: OfferOperationDestroyDisk',
  ],
  Offer: [
    '1 id: OfferID!',
    '2 framework_id: FrameworkID!',
    '3 agent_id: AgentID!',
    '4 hostname: string!',
    '8 url: URL',
    '11 domain: DomainInfo',
    '5 resources: Resource[]',
    '7 attributes: Attribute[]',
    '6 executor_ids: ExecutorID[]',
    '9 unavailability: Unavailability',
    '10 allocation_info: ResourceAllocationInfo',
  ],
  InverseOffer: ['1 id: OfferID!', '2 url: URL', '3 framework_id: FrameworkID!', '4 agent_id: AgentID', '5 unavailability: Unavailability!', '6 resources: Resource[]'],
  TaskInfo: [
    '1 name: string!',
    '2 task_id: TaskID!',
    '3 agent_id: AgentID!',
    '4 resources: Resource[]',
    '5 executor: ExecutorInfo',
    '7 command: CommandInfo',
    '9 container: ContainerInfo',
    '8 health_check: HealthCheck',
    '13 check: CheckInfo',
    '12 kill_policy: KillPolicy',
    '6 data: bytes',
    '10 labels: Labels',
    '11 discovery: DiscoveryInfo',
    '14 max_completion_time: DurationInfo',
    '15 limits: ValueScalar{}',
  ],
  TaskGroupInfo: ['1 tasks: TaskInfo[]'],
  Task: [
    '1 name: string!',
    '2 task_id: TaskID!',
    '3 framework_id: FrameworkID!',
    '4 executor_id: ExecutorID',
    '5 agent_id: AgentID!',
    '6 state: TaskState!',
    '7 resources: Resource[]',
    '8 statuses: TaskStatus[]',
    '9 status_update_state: TaskState',
    '10 status_update_uuid: bytes',
    '11 labels: Labels',
    '12 discovery: DiscoveryInfo',
    '13 container: ContainerInfo',
    '15 health_check: HealthCheck',
    '16 kill_policy: KillPolicy',
    '14 user: string',
    '17 limits: ValueScalar{}',
  ],
  TaskResourceLimitation: ['1 resources: Resource[]'],
  UUID: ['1 value: bytes!'],
  Operation: [
    '1 framework_id: FrameworkID',
    '2 agent_id: AgentID',
    '3 info: OfferOperation!',
    '4 latest_status: OperationStatus!',
    '5 statuses: OperationStatus[]',
    '6 uuid: UUID!',
  ],
  OperationStatus: [
    '1 operation_id: OperationID',
    '2 state: OperationState!',
    '3 message: string',
    '4 converted_resources: Resource[]',
    '5 uuid: UUID',
    '6 agent_id: AgentID',
    '7 resource_provider_id: ResourceProviderID',
  ],
  CheckStatusInfoCommand: ['1 exit_code: int32'],
  CheckStatusInfoHttp: ['1 status_code: uint32'],
  CheckStatusInfoTcp: ['1 succeeded: bool'],
  CheckStatusInfo: ['1 type: CheckInfoType', '2 command: CheckStatusInfoCommand', '3 http: CheckStatusInfoHttp', '4 tcp: CheckStatusInfoTcp'],
  TaskStatus: [
    '1 task_id: TaskID!',
    '2 state: TaskState!',
    '4 message: string',
    '9 source: TaskStatusSource',
    '10 reason: TaskStatusReason',
    '3 data: bytes',
    '5 agent_id: AgentID',
    '7 executor_id: ExecutorID',
    '6 timestamp: double',
    '11 uuid: bytes',
    '8 healthy: bool',
    '15 check_status: CheckStatusInfo',
    '12 labels: Labels',
    '13 container_status: ContainerStatus',
    '14 unreachable_time: TimeInfo',
    '16 limitation: TaskResourceLimitation',
  ],
  Filters: ['1 refuse_seconds: double = 5.0'],
  EnvironmentVariable: ['1 name: string!', '3 type: EnvironmentVariableType = VALUE', '2 value: string', '4 secret: Secret'],
  Environment: ['1 variables: EnvironmentVariable[]'],
  Parameter: ['1 key: string!', '2 value: string!'],
  Parameters: ['1 parameter: Parameter[]'],
  Credential: ['1 principal: string!', '2 secret: string'],
  SecretReference: ['1 name: string!', '2 key: string'],
  SecretValue: ['1 data: bytes!'],
  Secret: ['1 type: SecretType', '2 reference: SecretReference', '3 value: SecretValue'],
  ImageAppc: ['1 name: string!', '2 id: string', '3 labels: Labels'],
  ImageDocker: ['1 name: string!', '2 credential: Credential deprecated', '3 config: Secret'],
  Image: ['1 type: ImageType!', '2 appc: ImageAppc', '3 docker: ImageDocker', '4 cached: bool = true'],
  MountPropagation: ['1 mode: MountPropagationMode'],
  VolumeSourceDockerVolume: ['1 driver: string', '2 name: string!', '3 driver_options: Parameters'],
  VolumeSourceHostPath: ['1 path: string!', '2 mount_propagation: MountPropagation'],
  VolumeSourceSandboxPath: ['1 type: VolumeSourceSandboxPathType', '2 path: string!'],
  VolumeSource: [
    '1 type: VolumeSourceType',
    '2 docker_volume: VolumeSourceDockerVolume',
    '5 host_path: VolumeSourceHostPath',
    '3 sandbox_path: VolumeSourceSandboxPath',
    '4 secret: Secret',
  ],
  Volume: ['3 mode: VolumeMode!', '1 container_path: string!', '2 host_path: string', '4 image: Image', '5 source: VolumeSource'],
  NetworkInfoIPAddress: ['1 protocol: NetworkInfoProtocol = IPv4', '2 ip_address: string'],
  NetworkInfoPortMapping: ['1 host_port: uint32!', '2 container_port: uint32!', '3 protocol: string'],
  NetworkInfo: ['5 ip_addresses: NetworkInfoIPAddress[]', '6 name: string', '3 groups: string[]', '4 labels: Labels', '7 port_mappings: NetworkInfoPortMapping[]'],
  CapabilityInfo: ['1 capabilities: CapabilityInfoCapability[]'],
  SeccompInfo: ['1 profile_name: string', '2 unconfined: bool'],
  LinuxInfo: [
    '1 capability_info: CapabilityInfo deprecated',
    '2 bounding_capabilities: CapabilityInfo',
    '3 effective_capabilities: CapabilityInfo',
    '4 share_pid_namespace: bool',
    '5 seccomp: SeccompInfo',
    '6 ipc_mode: LinuxInfoIpcMode',
    '7 shm_size: uint32',
    '8 share_cgroups: bool = true',
  ],
  RLimitInfoRLimit: ['1 type: RLimitInfoRLimitType', '2 hard: uint64', '3 soft: uint64'],
  RLimitInfo: ['1 rlimits: RLimitInfoRLimit[]'],
  TTYInfoWindowSize: ['1 rows: uint32!', '2 columns: uint32!'],
  TTYInfo: ['1 window_size: TTYInfoWindowSize'],
  ContainerInfoDockerInfoPortMapping: ['1 host_port: uint32!', '2 container_port: uint32!', '3 protocol: string'],
  ContainerInfoDockerInfo: [
    '1 image: string!',
    '2 network: ContainerInfoDockerInfoNetwork = HOST',
    '3 port_mappings: ContainerInfoDockerInfoPortMapping[]',
    '4 privileged: bool = false',
    '5 parameters: Parameter[]',
    '6 force_pull_image: bool',
    '7 volume_driver: string deprecated',
  ],
  ContainerInfoMesosInfo: ['1 image: Image'],
  ContainerInfo: [
    '1 type: ContainerInfoType!',
    '2 volumes: Volume[]',
    '4 hostname: string',
    '3 docker: ContainerInfoDockerInfo',
    '5 mesos: ContainerInfoMesosInfo',
    '7 network_infos: NetworkInfo[]',
    '8 linux_info: LinuxInfo',
    '9 rlimit_info: RLimitInfo',
    '10 tty_info: TTYInfo',
  ],
  CgroupInfoNetCls: ['1 classid: uint32'],
  CgroupInfo: ['1 net_cls: CgroupInfoNetCls'],
  ContainerStatus: ['4 container_id: ContainerID', '1 network_infos: NetworkInfo[]', '2 cgroup_info: CgroupInfo', '3 executor_pid: uint32'],
  Labels: ['1 labels: Label[]'],
  Label: ['1 key: string!', '2 value: string'],
  Port: ['1 number: uint32!', '2 name: string', '3 protocol: string', '4 visibility: DiscoveryInfoVisibility', '5 labels: Labels'],
  Ports: ['1 ports: Port[]'],
  DiscoveryInfo: [
    '1 visibility: DiscoveryInfoVisibility!',
    '2 name: string',
    '3 environment: string',
    '4 location: string',
    '5 version: string',
    '6 ports: Ports',
    '7 labels: Labels',
  ],
  WeightInfo: ['1 weight: double!', '2 role: string'],
  ProtobufDuration: ['1 seconds: int64', '2 nanos: int32'],
  QuotaConfig: ['1 role: string!', '2 guarantees: ValueScalar{}', '3 limits: ValueScalar{}'],
  QuotaInfo: ['1 role: string', '2 principal: string', '3 guarantee: Resource[]'],
  QuotaStatus: ['1 infos: QuotaInfo[] deprecated', '2 configs: QuotaConfig[]'],
  VersionInfo: ['1 version: string!', '2 build_date: string', '3 build_time: double', '4 build_user: string', '5 git_sha: string', '6 git_branch: string', '7 git_tag: string'],
  Flag: ['1 name: string!', '2 value: string'],
  Role: ['1 name: string!', '2 weight: double!', '3 frameworks: FrameworkID[]', '4 resources: Resource[]'],
  Metric: ['1 name: string!', '2 value: double'],
  DrainConfig: ['1 max_grace_period: DurationInfo', '2 mark_gone: bool = false'],
  DrainInfo: ['1 state: DrainState!', '2 config: DrainConfig!'],
};

// ---------------------------------------------------------------------------------------------
// mesos.v1.scheduler (include/mesos/v1/scheduler/scheduler.proto)

const SCHEDULER: Record<string, readonly string[]> = {
  AttributeConstraintSelector: ['1 pseudoattribute_type: AttributeConstraintSelectorPseudoattributeType oneof selector', '2 attribute_name: string oneof selector'],
  AttributeConstraintPredicateExists: [],
  AttributeConstraintPredicateNotExists: [],
  AttributeConstraintPredicateTextEquals: ['1 value: string!'],
  AttributeConstraintPredicateTextNotEquals: ['1 value: string!'],
  AttributeConstraintPredicateTextMatches: ['1 regex: string!'],
  AttributeConstraintPredicateTextNotMatches: ['1 regex: string!'],
  AttributeConstraintPredicate: [
    '1 exists: AttributeConstraintPredicateExists oneof predicate',
    '2 not_exists: AttributeConstraintPredicateNotExists oneof predicate',
    '3 text_equals: AttributeConstraintPredicateTextEquals oneof predicate',
    '4 text_not_equals: AttributeConstraintPredicateTextNotEquals oneof predicate',
    '5 text_matches: AttributeConstraintPredicateTextMatches oneof predicate',
    '6 text_not_matches: AttributeConstraintPredicateTextNotMatches oneof predicate',
  ],
  AttributeConstraint: ['1 selector: AttributeConstraintSelector!', '2 predicate: AttributeConstraintPredicate!'],
  OfferConstraintsRoleConstraintsGroup: ['1 attribute_constraints: AttributeConstraint[]'],
  OfferConstraintsRoleConstraints: ['1 groups: OfferConstraintsRoleConstraintsGroup[]'],
  OfferConstraints: ['1 role_constraints: OfferConstraintsRoleConstraints{}'],

  SchedulerCallSubscribe: ['1 framework_info: FrameworkInfo!', '2 suppressed_roles: string[]', '3 offer_constraints: OfferConstraints'],
  SchedulerCallAccept: ['1 offer_ids: OfferID[]', '2 operations: OfferOperation[]', '3 filters: Filters'],
  SchedulerCallDecline: ['1 offer_ids: OfferID[]', '2 filters: Filters'],
  SchedulerCallAcceptInverseOffers: ['1 inverse_offer_ids: OfferID[]', '2 filters: Filters'],
  SchedulerCallDeclineInverseOffers: ['1 inverse_offer_ids: OfferID[]', '2 filters: Filters'],
  SchedulerCallRevive: ['1 roles: string[]'],
  SchedulerCallKill: ['1 task_id: TaskID!', '2 agent_id: AgentID', '3 kill_policy: KillPolicy'],
  SchedulerCallShutdown: ['1 executor_id: ExecutorID!', '2 agent_id: AgentID!'],
  SchedulerCallAcknowledge: ['1 agent_id: AgentID!', '2 task_id: TaskID!', '3 uuid: bytes!'],
  SchedulerCallAcknowledgeOperationStatus: ['1 agent_id: AgentID', '2 resource_provider_id: ResourceProviderID', '3 uuid: bytes!', '4 operation_id: OperationID!'],
  SchedulerCallReconcileTask: ['1 task_id: TaskID!', '2 agent_id: AgentID'],
  SchedulerCallReconcile: ['1 tasks: SchedulerCallReconcileTask[]'],
  SchedulerCallReconcileOperationsOperation: ['1 operation_id: OperationID!', '2 agent_id: AgentID', '3 resource_provider_id: ResourceProviderID'],
  SchedulerCallReconcileOperations: ['1 operations: SchedulerCallReconcileOperationsOperation[]'],
  SchedulerCallMessage: ['1 agent_id: AgentID!', '2 executor_id: ExecutorID!', '3 data: bytes!'],
  SchedulerCallRequest: ['1 requests: Request[]'],
  SchedulerCallSuppress: ['1 roles: string[]'],
  SchedulerCallUpdateFramework: ['1 framework_info: FrameworkInfo!', '2 suppressed_roles: string[]', '3 offer_constraints: OfferConstraints'],
  RawSchedulerCall: [
    '1 framework_id: FrameworkID',
    '2 type: SchedulerCallType',
    '3 subscribe: SchedulerCallSubscribe',
    '4 accept: SchedulerCallAccept',
    '5 decline: SchedulerCallDecline',
    '13 accept_inverse_offers: SchedulerCallAcceptInverseOffers',
    '14 decline_inverse_offers: SchedulerCallDeclineInverseOffers',
    '15 revive: SchedulerCallRevive',
    '6 kill: SchedulerCallKill',
    '7 shutdown: SchedulerCallShutdown',
    '8 acknowledge: SchedulerCallAcknowledge',
    '17 acknowledge_operation_status: SchedulerCallAcknowledgeOperationStatus',
    '9 reconcile: SchedulerCallReconcile',
    '18 reconcile_operations: SchedulerCallReconcileOperations',
    '10 message: SchedulerCallMessage',
    '11 request: SchedulerCallRequest',
    '16 suppress: SchedulerCallSuppress',
    '19 update_framework: SchedulerCallUpdateFramework',
  ],

  SchedulerEventSubscribed: ['1 framework_id: FrameworkID!', '2 heartbeat_interval_seconds: double', '3 master_info: MasterInfo'],
  SchedulerEventOffers: ['1 offers: Offer[]'],
  SchedulerEventInverseOffers: ['1 inverse_offers: InverseOffer[]'],
  SchedulerEventRescind: ['1 offer_id: OfferID!'],
  SchedulerEventRescindInverseOffer: ['1 inverse_offer_id: OfferID!'],
  SchedulerEventUpdate: ['1 status: TaskStatus!'],
  SchedulerEventUpdateOperationStatus: ['1 status: OperationStatus!'],
  SchedulerEventMessage: ['1 agent_id: AgentID!', '2 executor_id: ExecutorID!', '3 data: bytes!'],
  SchedulerEventFailure: ['1 agent_id: AgentID', '2 executor_id: ExecutorID', '3 status: int32'],
  SchedulerEventError: ['1 message: string!'],
  RawSchedulerEvent: [
    '1 type: SchedulerEventType',
    '2 subscribed: SchedulerEventSubscribed',
    '3 offers: SchedulerEventOffers',
    '9 inverse_offers: SchedulerEventInverseOffers',
    '4 rescind: SchedulerEventRescind',
    '10 rescind_inverse_offer: SchedulerEventRescindInverseOffer',
    '5 update: SchedulerEventUpdate',
    '11 update_operation_status: SchedulerEventUpdateOperationStatus',
    '6 message: SchedulerEventMessage',
    '7 failure: SchedulerEventFailure',
    '8 error: SchedulerEventError',
  ],
};

// ---------------------------------------------------------------------------------------------
// mesos.v1.executor (include/mesos/v1/executor/executor.proto)

const EXECUTOR: Record<string, readonly string[]> = {
  ExecutorCallUpdate: ['1 status: TaskStatus!'],
  ExecutorCallSubscribe: ['1 unacknowledged_tasks: TaskInfo[]', '2 unacknowledged_updates: ExecutorCallUpdate[]'],
  ExecutorCallMessage: ['2 data: bytes!'],
  RawExecutorCall: [
    '1 executor_id: ExecutorID!',
    '2 framework_id: FrameworkID!',
    '3 type: ExecutorCallType',
    '4 subscribe: ExecutorCallSubscribe',
    '5 update: ExecutorCallUpdate',
    '6 message: ExecutorCallMessage',
  ],
  ExecutorEventSubscribed: ['1 executor_info: ExecutorInfo!', '2 framework_info: FrameworkInfo!', '3 agent_info: AgentInfo!', '4 container_id: ContainerID'],
  ExecutorEventLaunch: ['1 task: TaskInfo!'],
  ExecutorEventLaunchGroup: ['1 task_group: TaskGroupInfo!'],
  ExecutorEventKill: ['1 task_id: TaskID!', '2 kill_policy: KillPolicy'],
  ExecutorEventAcknowledged: ['1 task_id: TaskID!', '2 uuid: bytes!'],
  ExecutorEventMessage: ['1 data: bytes!'],
  ExecutorEventError: ['1 message: string!'],
  RawExecutorEvent: [
    '1 type: ExecutorEventType',
    '2 subscribed: ExecutorEventSubscribed',
    '3 acknowledged: ExecutorEventAcknowledged',
    '4 launch: ExecutorEventLaunch',
    '8 launch_group: ExecutorEventLaunchGroup',
    '5 kill: ExecutorEventKill',
    '6 message: ExecutorEventMessage',
    '7 error: ExecutorEventError',
  ],
};

// ---------------------------------------------------------------------------------------------
// mesos.v1.master and mesos.v1.agent (include/mesos/v1/{master/master,agent/agent}.proto)

const OPERATOR: Record<string, readonly string[]> = {
  MasterCallGetMetrics: ['1 timeout: DurationInfo'],
  MasterCallTeardown: ['1 framework_id: FrameworkID!'],
  MasterCallMarkAgentGone: ['1 agent_id: AgentID!'],
  MasterCallUpdateWeights: ['1 weight_infos: WeightInfo[]'],
  MasterCallUpdateQuota: ['1 force: bool', '2 quota_configs: QuotaConfig[]'],
  MasterCallDrainAgent: ['1 agent_id: AgentID!', '2 max_grace_period: ProtobufDuration', '3 mark_gone: bool'],
  MasterCallReserveResources: ['1 agent_id: AgentID!', '3 source: Resource[]', '2 resources: Resource[]'],
  MasterCallUnreserveResources: ['1 agent_id: AgentID!', '2 resources: Resource[]'],
  MasterCallCreateVolumes: ['1 agent_id: AgentID!', '2 volumes: Resource[]'],
  MasterCallDestroyVolumes: ['1 agent_id: AgentID!', '2 volumes: Resource[]'],
  MasterCallDeactivateAgent: ['1 agent_id: AgentID!'],
  MasterCallReactivateAgent: ['1 agent_id: AgentID!'],
  RawMasterCall: [
    '1 type: MasterCallType',
    '2 get_metrics: MasterCallGetMetrics',
    '6 update_weights: MasterCallUpdateWeights',
    '7 reserve_resources: MasterCallReserveResources',
    '8 unreserve_resources: MasterCallUnreserveResources',
    '9 create_volumes: MasterCallCreateVolumes',
    '10 destroy_volumes: MasterCallDestroyVolumes',
    '20 update_quota: MasterCallUpdateQuota',
    '21 drain_agent: MasterCallDrainAgent',
    '22 deactivate_agent: MasterCallDeactivateAgent',
    '23 reactivate_agent: MasterCallReactivateAgent',
    '16 teardown: MasterCallTeardown',
    '17 mark_agent_gone: MasterCallMarkAgentGone',
  ],
  MasterResponseGetHealth: ['1 healthy: bool!'],
  MasterResponseGetFlags: ['1 flags: Flag[]'],
  MasterResponseGetVersion: ['1 version_info: VersionInfo!'],
  MasterResponseGetMetrics: ['1 metrics: Metric[]'],
  MasterResponseGetAgentsAgent: [
    '1 agent_info: AgentInfo!',
    '2 active: bool!',
    '12 deactivated: bool',
    '3 version: string!',
    '4 pid: string',
    '5 registered_time: TimeInfo',
    '6 reregistered_time: TimeInfo',
    '7 total_resources: Resource[]',
    '8 allocated_resources: Resource[]',
    '9 offered_resources: Resource[]',
    '10 capabilities: AgentInfoCapability[]',
    '13 drain_info: DrainInfo',
    '14 estimated_drain_start_time: TimeInfo',
  ],
  MasterResponseGetAgents: ['1 agents: MasterResponseGetAgentsAgent[]', '2 recovered_agents: AgentInfo[]'],
  MasterResponseGetFrameworksFramework: [
    '1 framework_info: FrameworkInfo!',
    '2 active: bool!',
    '3 connected: bool!',
    '11 recovered: bool!',
    '4 registered_time: TimeInfo',
    '5 reregistered_time: TimeInfo',
    '6 unregistered_time: TimeInfo',
    '7 offers: Offer[]',
    '8 inverse_offers: InverseOffer[]',
    '9 allocated_resources: Resource[]',
    '10 offered_resources: Resource[]',
    '12 offer_constraints: OfferConstraints',
  ],
  MasterResponseGetFrameworks: [
    '1 frameworks: MasterResponseGetFrameworksFramework[]',
    '2 completed_frameworks: MasterResponseGetFrameworksFramework[]',
    '3 recovered_frameworks: FrameworkInfo[] deprecated',
  ],
  MasterResponseGetExecutorsExecutor: ['1 executor_info: ExecutorInfo!', '2 agent_id: AgentID!'],
  MasterResponseGetExecutors: ['1 executors: MasterResponseGetExecutorsExecutor[]', '2 orphan_executors: MasterResponseGetExecutorsExecutor[] deprecated'],
  MasterResponseGetTasks: [
    '1 pending_tasks: Task[] deprecated',
    '2 tasks: Task[]',
    '5 unreachable_tasks: Task[]',
    '3 completed_tasks: Task[]',
    '4 orphan_tasks: Task[] deprecated',
  ],
  MasterResponseGetRoles: ['1 roles: Role[]'],
  MasterResponseGetWeights: ['1 weight_infos: WeightInfo[]'],
  MasterResponseGetQuota: ['1 status: QuotaStatus!'],
  MasterResponseGetMaster: ['1 master_info: MasterInfo', '2 start_time: double', '3 elected_time: double'],
  MasterResponseGetState: [
    '1 get_tasks: MasterResponseGetTasks',
    '2 get_executors: MasterResponseGetExecutors',
    '3 get_frameworks: MasterResponseGetFrameworks',
    '4 get_agents: MasterResponseGetAgents',
  ],
  RawMasterResponse: [
    '1 type: MasterResponseType',
    '2 get_health: MasterResponseGetHealth',
    '3 get_flags: MasterResponseGetFlags',
    '4 get_version: MasterResponseGetVersion',
    '5 get_metrics: MasterResponseGetMetrics',
    '9 get_state: MasterResponseGetState',
    '10 get_agents: MasterResponseGetAgents',
    '11 get_frameworks: MasterResponseGetFrameworks',
    '12 get_executors: MasterResponseGetExecutors',
    '13 get_tasks: MasterResponseGetTasks',
    '14 get_roles: MasterResponseGetRoles',
    '15 get_weights: MasterResponseGetWeights',
    '16 get_master: MasterResponseGetMaster',
    '19 get_quota: MasterResponseGetQuota',
  ],
  MasterEventSubscribed: ['1 get_state: MasterResponseGetState', '2 heartbeat_interval_seconds: double'],
  MasterEventTaskAdded: ['1 task: Task!'],
  MasterEventTaskUpdated: ['1 framework_id: FrameworkID!', '2 status: TaskStatus!', '3 state: TaskState!'],
  MasterEventFrameworkAdded: ['1 framework: MasterResponseGetFrameworksFramework!'],
  MasterEventFrameworkUpdated: ['1 framework: MasterResponseGetFrameworksFramework!'],
  MasterEventFrameworkRemoved: ['1 framework_info: FrameworkInfo!'],
  MasterEventAgentAdded: ['1 agent: MasterResponseGetAgentsAgent!'],
  MasterEventAgentRemoved: ['1 agent_id: AgentID!'],
  RawMasterEvent: [
    '1 type: MasterEventType',
    '2 subscribed: MasterEventSubscribed',
    '3 task_added: MasterEventTaskAdded',
    '4 task_updated: MasterEventTaskUpdated',
    '5 agent_added: MasterEventAgentAdded',
    '6 agent_removed: MasterEventAgentRemoved',
    '7 framework_added: MasterEventFrameworkAdded',
    '8 framework_updated: MasterEventFrameworkUpdated',
    '9 framework_removed: MasterEventFrameworkRemoved',
  ],

  AgentCallListFiles: ['1 path: string!'],
  AgentCallReadFile: ['1 path: string!', '2 offset: uint64!', '3 length: uint64'],
  AgentCallGetContainers: ['1 show_nested: bool', '2 show_standalone: bool'],
  RawAgentCall: [
    '1 type: AgentCallType',
    '2 get_metrics: MasterCallGetMetrics',
    '4 list_files: AgentCallListFiles',
    '5 read_file: AgentCallReadFile',
    '20 get_containers: AgentCallGetContainers',
  ],
  AgentResponseGetHealth: ['1 healthy: bool!'],
  AgentResponseGetFrameworksFramework: ['1 framework_info: FrameworkInfo!'],
  AgentResponseGetFrameworks: ['1 frameworks: AgentResponseGetFrameworksFramework[]', '2 completed_frameworks: AgentResponseGetFrameworksFramework[]'],
  AgentResponseGetExecutorsExecutor: ['1 executor_info: ExecutorInfo!'],
  AgentResponseGetExecutors: ['1 executors: AgentResponseGetExecutorsExecutor[]', '2 completed_executors: AgentResponseGetExecutorsExecutor[]'],
  AgentResponseGetTasks: ['1 pending_tasks: Task[]', '2 queued_tasks: Task[]', '3 launched_tasks: Task[]', '4 terminated_tasks: Task[]', '5 completed_tasks: Task[]'],
  FileInfo: ['1 path: string!', '2 nlink: int32', '3 size: uint64', '4 mtime: TimeInfo', '5 mode: uint32', '6 uid: string', '7 gid: string'],
  AgentResponseListFiles: ['1 file_infos: FileInfo[]'],
  AgentResponseReadFile: ['1 size: uint64!', '2 data: bytes!'],
  AgentResponseGetAgent: ['1 agent_info: AgentInfo', '2 drain_config: DrainConfig', '3 estimated_drain_start_time: TimeInfo'],
  AgentResponseGetContainersContainer: [
    '1 framework_id: FrameworkID',
    '2 executor_id: ExecutorID',
    '3 executor_name: string',
    '4 container_id: ContainerID!',
    '5 container_status: ContainerStatus',
  ],
  AgentResponseGetContainers: ['1 containers: AgentResponseGetContainersContainer[]'],
  AgentResponseGetState: ['1 get_tasks: AgentResponseGetTasks', '2 get_executors: AgentResponseGetExecutors', '3 get_frameworks: AgentResponseGetFrameworks'],
  RawAgentResponse: [
    '1 type: AgentResponseType',
    '2 get_health: AgentResponseGetHealth',
    '3 get_flags: MasterResponseGetFlags',
    '4 get_version: MasterResponseGetVersion',
    '5 get_metrics: MasterResponseGetMetrics',
    '7 list_files: AgentResponseListFiles',
    '8 read_file: AgentResponseReadFile',
    '9 get_state: AgentResponseGetState',
    '10 get_containers: AgentResponseGetContainers',
    '11 get_frameworks: AgentResponseGetFrameworks',
    '12 get_executors: AgentResponseGetExecutors',
    '13 get_tasks: AgentResponseGetTasks',
    '15 get_agent: AgentResponseGetAgent',
  ],
};

// ---------------------------------------------------------------------------------------------
// Master <-> agent messages (internal.ts; ours)

const INTERNAL: Record<string, readonly string[]> = {
  RegisterAgentMessage: [
    '1 type: InternalMessageType!',
    '2 agent_info: AgentInfo!',
    '3 checkpointed_resources: Resource[]',
    '4 version: string',
    '5 agent_capabilities: AgentInfoCapability[]',
  ],
  ReregisterAgentMessage: [
    '1 type: InternalMessageType!',
    '2 agent_info: AgentInfo!',
    '3 checkpointed_resources: Resource[]',
    '4 executor_infos: ExecutorInfo[]',
    '5 tasks: Task[]',
    '6 frameworks: FrameworkInfo[]',
    '7 version: string',
    '8 agent_capabilities: AgentInfoCapability[]',
  ],
  MasterAgentConnection: ['1 total_ping_timeout_seconds: double'],
  AgentRegisteredMessage: ['1 type: InternalMessageType!', '2 agent_id: AgentID!', '3 connection: MasterAgentConnection'],
  AgentReconcileTasks: ['1 framework_id: FrameworkID!', '2 statuses: TaskStatus[]', '3 framework: FrameworkInfo'],
  AgentReregisteredMessage: ['1 type: InternalMessageType!', '2 agent_id: AgentID!', '3 reconciliations: AgentReconcileTasks[]', '4 connection: MasterAgentConnection'],
  UnregisterAgentMessage: ['1 type: InternalMessageType!', '2 agent_id: AgentID!'],
  ShutdownAgentMessage: ['1 type: InternalMessageType!', '2 message: string'],
  PingMessage: ['1 type: InternalMessageType!', '2 connected: bool!'],
  PongMessage: ['1 type: InternalMessageType!'],
  RunTaskMessage: ['1 type: InternalMessageType!', '2 framework: FrameworkInfo!', '3 task: TaskInfo!', '4 launch_executor: bool'],
  RunTaskGroupMessage: ['1 type: InternalMessageType!', '2 framework: FrameworkInfo!', '3 executor: ExecutorInfo!', '4 task_group: TaskGroupInfo!', '5 launch_executor: bool'],
  KillTaskMessage: ['1 type: InternalMessageType!', '2 framework_id: FrameworkID!', '3 task_id: TaskID!', '4 kill_policy: KillPolicy'],
  DrainAgentMessage: ['1 type: InternalMessageType!', '2 config: DrainConfig!'],
  StatusUpdate: [
    '1 framework_id: FrameworkID!',
    '2 executor_id: ExecutorID',
    '3 agent_id: AgentID',
    '4 status: TaskStatus!',
    '5 timestamp: double!',
    '6 uuid: bytes',
    '7 latest_state: TaskState',
  ],
  StatusUpdateMessage: ['1 type: InternalMessageType!', '2 update: StatusUpdate!'],
  StatusUpdateAckMessage: ['1 type: InternalMessageType!', '2 agent_id: AgentID!', '3 framework_id: FrameworkID!', '4 task_id: TaskID!', '5 uuid: bytes!'],
  ShutdownFrameworkMessage: ['1 type: InternalMessageType!', '2 framework_id: FrameworkID!'],
  ShutdownExecutorMessage: ['1 type: InternalMessageType!', '2 executor_id: ExecutorID!', '3 framework_id: FrameworkID!'],
  UpdateFrameworkAgentMessage: ['1 type: InternalMessageType!', '2 framework_id: FrameworkID!', '3 framework_info: FrameworkInfo'],
  ExecutorExitedMessage: ['1 type: InternalMessageType!', '2 agent_id: AgentID!', '3 framework_id: FrameworkID!', '4 executor_id: ExecutorID!', '5 status: int32!'],
  FrameworkToExecutorMessage: ['1 type: InternalMessageType!', '2 agent_id: AgentID!', '3 framework_id: FrameworkID!', '4 executor_id: ExecutorID!', '5 data: bytes!'],
  ExecutorToFrameworkMessage: ['1 type: InternalMessageType!', '2 agent_id: AgentID!', '3 framework_id: FrameworkID!', '4 executor_id: ExecutorID!', '5 data: bytes!'],
};

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
  const sources = [COMMON, SCHEDULER, EXECUTOR, OPERATOR, INTERNAL];
  const raw: Record<string, readonly string[]> = {};
  for (const source of sources) {
    for (const [name, fields] of Object.entries(source)) {
      if (name in raw || name in enums) throw new Error(`descriptor ${name} defined twice`);
      raw[name] = fields;
    }
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
