/**
 * The v1 operator API (`POST /api/v1` on the master and on agents), packages
 * `mesos.v1.master` and `mesos.v1.agent`.
 *
 * Only the calls the reference serves have sub-messages here; the `type` enums list every call
 * Mesos knows, so an unsupported call still parses (its sub-message is dropped like any unknown
 * key) and can be answered 501. Synchronous calls are answered with a Response whose `type`
 * equals the call's; SUBSCRIBE is answered with a RecordIO stream of Events.
 *
 * Shapes as in scheduler.ts: `Raw*` are the proto messages, the unions are what code exchanges.
 * Also not modelled: `GetAgents.Agent.resource_providers` (the reference has no resource
 * providers), and the sub-messages of calls outside the `SERVED_*` lists below.
 */
import type {
  AgentID,
  AgentInfo,
  AgentInfoCapability,
  ContainerID,
  ContainerStatus,
  DrainConfig,
  DrainInfo,
  DurationInfo,
  ExecutorID,
  ExecutorInfo,
  Flag,
  FrameworkID,
  FrameworkInfo,
  InverseOffer,
  MasterInfo,
  Metric,
  Offer,
  ProtobufDuration,
  QuotaConfig,
  QuotaStatus,
  Resource,
  Role,
  Task,
  TaskState,
  TaskStatus,
  TimeInfo,
  VersionInfo,
  WeightInfo,
} from './common.ts';
import type { OfferConstraints } from './scheduler.ts';
import type { Bytes, Double, Int32, UInt32, UInt64 } from './scalars.ts';

// =============================================================================================
// Master: calls

export const MASTER_CALL_TYPES = [
  'UNKNOWN',
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'SET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_WEIGHTS',
  'UPDATE_WEIGHTS',
  'GET_MASTER',
  'SUBSCRIBE',
  'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES',
  'CREATE_VOLUMES',
  'DESTROY_VOLUMES',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'GET_MAINTENANCE_STATUS',
  'GET_MAINTENANCE_SCHEDULE',
  'UPDATE_MAINTENANCE_SCHEDULE',
  'START_MAINTENANCE',
  'STOP_MAINTENANCE',
  'DRAIN_AGENT',
  'DEACTIVATE_AGENT',
  'REACTIVATE_AGENT',
  'GET_QUOTA',
  'UPDATE_QUOTA',
  'SET_QUOTA',
  'REMOVE_QUOTA',
  'TEARDOWN',
  'MARK_AGENT_GONE',
] as const;
/** The type of a master operator call. */
export type MasterCallType = (typeof MASTER_CALL_TYPES)[number];

/** GET_METRICS parameters. Mesos requires the sub-message, even empty: `"get_metrics":{}`. */
export interface MasterCallGetMetrics {
  /** How long to wait for metrics that take time to collect. */
  timeout?: DurationInfo;
}

/** TEARDOWN parameters: the framework to remove. */
export interface MasterCallTeardown {
  framework_id: FrameworkID;
}

/** MARK_AGENT_GONE parameters: the agent to forget for good. */
export interface MasterCallMarkAgentGone {
  agent_id: AgentID;
}

/** UPDATE_WEIGHTS parameters: the new weight of each named role. */
export interface MasterCallUpdateWeights {
  weight_infos?: WeightInfo[];
}

/** RESERVE_RESOURCES parameters: reserve `resources` (from `source`, else their unreserved form) on the agent. */
export interface MasterCallReserveResources {
  agent_id: AgentID;
  source?: Resource[];
  resources?: Resource[];
}

/** UNRESERVE_RESOURCES parameters: give the reserved `resources` back to their parent role. */
export interface MasterCallUnreserveResources {
  agent_id: AgentID;
  resources?: Resource[];
}

/** CREATE_VOLUMES parameters: create persistent `volumes` on the agent's reserved disk. */
export interface MasterCallCreateVolumes {
  agent_id: AgentID;
  volumes?: Resource[];
}

/** DESTROY_VOLUMES parameters: destroy the agent's persistent `volumes` (their disk stays reserved). */
export interface MasterCallDestroyVolumes {
  agent_id: AgentID;
  volumes?: Resource[];
}

/** UPDATE_QUOTA parameters: each role's new quota; `force` skips the capacity and consumption checks. */
export interface MasterCallUpdateQuota {
  force?: boolean;
  quota_configs?: QuotaConfig[];
}

/** DRAIN_AGENT parameters: kill the agent's tasks (grace capped at `max_grace_period`), offer it no more, and with `mark_gone` forget it once drained. */
export interface MasterCallDrainAgent {
  agent_id: AgentID;
  max_grace_period?: ProtobufDuration;
  mark_gone?: boolean;
}

/** DEACTIVATE_AGENT parameters: stop offering the agent's resources. */
export interface MasterCallDeactivateAgent {
  agent_id: AgentID;
}

/** REACTIVATE_AGENT parameters: offer a deactivated agent's resources again. */
export interface MasterCallReactivateAgent {
  agent_id: AgentID;
}

/** The master::Call message as it travels (sub-messages of unsupported calls omitted). */
export interface RawMasterCall {
  type?: MasterCallType;
  get_metrics?: MasterCallGetMetrics;
  list_files?: AgentCallListFiles;
  read_file?: MasterCallReadFile;
  update_weights?: MasterCallUpdateWeights;
  reserve_resources?: MasterCallReserveResources;
  unreserve_resources?: MasterCallUnreserveResources;
  create_volumes?: MasterCallCreateVolumes;
  destroy_volumes?: MasterCallDestroyVolumes;
  update_quota?: MasterCallUpdateQuota;
  drain_agent?: MasterCallDrainAgent;
  deactivate_agent?: MasterCallDeactivateAgent;
  reactivate_agent?: MasterCallReactivateAgent;
  teardown?: MasterCallTeardown;
  mark_agent_gone?: MasterCallMarkAgentGone;
}

/** GET_HEALTH. */
export interface GetHealthCall {
  type: 'GET_HEALTH';
}

/** GET_FLAGS. */
export interface GetFlagsCall {
  type: 'GET_FLAGS';
}

/** GET_VERSION. */
export interface GetVersionCall {
  type: 'GET_VERSION';
}

/** GET_METRICS. */
export interface GetMetricsCall {
  type: 'GET_METRICS';
  get_metrics: MasterCallGetMetrics;
}

/** GET_STATE: tasks, executors, frameworks and agents in one response. */
export interface GetStateCall {
  type: 'GET_STATE';
}

/** GET_AGENTS. */
export interface GetAgentsCall {
  type: 'GET_AGENTS';
}

/** GET_FRAMEWORKS. */
export interface GetFrameworksCall {
  type: 'GET_FRAMEWORKS';
}

/** GET_EXECUTORS. */
export interface GetExecutorsCall {
  type: 'GET_EXECUTORS';
}

/** GET_TASKS. */
export interface GetTasksCall {
  type: 'GET_TASKS';
}

/** GET_ROLES. */
export interface GetRolesCall {
  type: 'GET_ROLES';
}

/** GET_MASTER. */
export interface GetMasterCall {
  type: 'GET_MASTER';
}

/** SUBSCRIBE to the master's event stream. */
export interface OperatorSubscribeCall {
  type: 'SUBSCRIBE';
}

/** TEARDOWN a framework (same effect as the scheduler's TEARDOWN). */
export interface OperatorTeardownCall {
  type: 'TEARDOWN';
  teardown: MasterCallTeardown;
}

/** MARK_AGENT_GONE. */
export interface MarkAgentGoneCall {
  type: 'MARK_AGENT_GONE';
  mark_agent_gone: MasterCallMarkAgentGone;
}

/** GET_WEIGHTS. */
export interface GetWeightsCall {
  type: 'GET_WEIGHTS';
}

/** UPDATE_WEIGHTS. */
export interface UpdateWeightsCall {
  type: 'UPDATE_WEIGHTS';
  update_weights: MasterCallUpdateWeights;
}

/** RESERVE_RESOURCES: a dynamic reservation made by an operator. */
export interface ReserveResourcesCall {
  type: 'RESERVE_RESOURCES';
  reserve_resources: MasterCallReserveResources;
}

/** UNRESERVE_RESOURCES. */
export interface UnreserveResourcesCall {
  type: 'UNRESERVE_RESOURCES';
  unreserve_resources: MasterCallUnreserveResources;
}

/** CREATE_VOLUMES: persistent volumes made by an operator. */
export interface CreateVolumesCall {
  type: 'CREATE_VOLUMES';
  create_volumes: MasterCallCreateVolumes;
}

/** DESTROY_VOLUMES. */
export interface DestroyVolumesCall {
  type: 'DESTROY_VOLUMES';
  destroy_volumes: MasterCallDestroyVolumes;
}

/** DEACTIVATE_AGENT. */
export interface DeactivateAgentCall {
  type: 'DEACTIVATE_AGENT';
  deactivate_agent: MasterCallDeactivateAgent;
}

/** REACTIVATE_AGENT. */
export interface ReactivateAgentCall {
  type: 'REACTIVATE_AGENT';
  reactivate_agent: MasterCallReactivateAgent;
}

/** GET_QUOTA. */
export interface GetQuotaCall {
  type: 'GET_QUOTA';
}

/** UPDATE_QUOTA (QUOTA_V2). */
export interface UpdateQuotaCall {
  type: 'UPDATE_QUOTA';
  update_quota: MasterCallUpdateQuota;
}

/** DRAIN_AGENT. */
export interface DrainAgentCall {
  type: 'DRAIN_AGENT';
  drain_agent: MasterCallDrainAgent;
}

/** LIST_FILES on the master: the entries of a directory attached to its Files (e.g. `/master/log`'s, a file, lists as nothing). */
export interface ListFilesCall {
  type: 'LIST_FILES';
  list_files: AgentCallListFiles;
}

/** READ_FILE's argument: a virtual path, where to start, and at most how much (capped at 16 pages). */
export interface MasterCallReadFile {
  path: string;
  offset: UInt64;
  length?: UInt64;
}

/** READ_FILE on the master: a part of a file attached to its Files (e.g. `/master/log`). */
export interface ReadFileCall {
  type: 'READ_FILE';
  read_file: MasterCallReadFile;
}

/** The master calls the reference serves: the `type`s of the `MasterCall` members. */
export const SERVED_MASTER_CALLS: readonly MasterCallType[] = [
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_MASTER',
  'SUBSCRIBE',
  'TEARDOWN',
  'MARK_AGENT_GONE',
  'GET_WEIGHTS',
  'UPDATE_WEIGHTS',
  'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES',
  'DEACTIVATE_AGENT',
  'REACTIVATE_AGENT',
  'GET_QUOTA',
  'UPDATE_QUOTA',
  'DRAIN_AGENT',
  'CREATE_VOLUMES',
  'DESTROY_VOLUMES',
  'LIST_FILES',
  'READ_FILE',
];

/** A validated master operator call the reference serves, discriminated on `type`. */
export type MasterCall =
  | GetHealthCall
  | GetFlagsCall
  | GetVersionCall
  | GetMetricsCall
  | GetStateCall
  | GetAgentsCall
  | GetFrameworksCall
  | GetExecutorsCall
  | GetTasksCall
  | GetRolesCall
  | GetMasterCall
  | OperatorSubscribeCall
  | OperatorTeardownCall
  | MarkAgentGoneCall
  | GetWeightsCall
  | UpdateWeightsCall
  | ReserveResourcesCall
  | UnreserveResourcesCall
  | DeactivateAgentCall
  | ReactivateAgentCall
  | GetQuotaCall
  | UpdateQuotaCall
  | DrainAgentCall
  | CreateVolumesCall
  | DestroyVolumesCall
  | ListFilesCall
  | ReadFileCall;

// =============================================================================================
// Master: responses

export const MASTER_RESPONSE_TYPES = [
  'UNKNOWN',
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_WEIGHTS',
  'GET_MASTER',
  'GET_MAINTENANCE_STATUS',
  'GET_MAINTENANCE_SCHEDULE',
  'GET_QUOTA',
] as const;
/** The type of a master operator response. */
export type MasterResponseType = (typeof MASTER_RESPONSE_TYPES)[number];

/** Whether the master is healthy. */
export interface MasterResponseGetHealth {
  healthy: boolean;
}

/** The master's flags. */
export interface MasterResponseGetFlags {
  flags?: Flag[];
}

/** The master's version. */
export interface MasterResponseGetVersion {
  version_info: VersionInfo;
}

/** A snapshot of the master's metrics. */
export interface MasterResponseGetMetrics {
  metrics?: Metric[];
}

/** One agent as the master knows it. */
export interface MasterResponseGetAgentsAgent {
  agent_info: AgentInfo;
  /** False while the agent is disconnected or deactivated. */
  active: boolean;
  deactivated?: boolean;
  version: string;
  pid?: string;
  registered_time?: TimeInfo;
  reregistered_time?: TimeInfo;
  total_resources?: Resource[];
  allocated_resources?: Resource[];
  offered_resources?: Resource[];
  capabilities?: AgentInfoCapability[];
  drain_info?: DrainInfo;
  estimated_drain_start_time?: TimeInfo;
}

/** Registered agents, and agents recovered from the registry that have not re-registered. */
export interface MasterResponseGetAgents {
  agents?: MasterResponseGetAgentsAgent[];
  recovered_agents?: AgentInfo[];
}

/** One framework as the master knows it. */
export interface MasterResponseGetFrameworksFramework {
  framework_info: FrameworkInfo;
  active: boolean;
  connected: boolean;
  /** Known only from agents' re-registration after a master failover. */
  recovered: boolean;
  registered_time?: TimeInfo;
  reregistered_time?: TimeInfo;
  unregistered_time?: TimeInfo;
  offers?: Offer[];
  inverse_offers?: InverseOffer[];
  allocated_resources?: Resource[];
  offered_resources?: Resource[];
  offer_constraints?: OfferConstraints;
}

/** Live and completed frameworks. */
export interface MasterResponseGetFrameworks {
  frameworks?: MasterResponseGetFrameworksFramework[];
  completed_frameworks?: MasterResponseGetFrameworksFramework[];
  /** @deprecated always empty */
  recovered_frameworks?: FrameworkInfo[];
}

/** One executor and the agent it runs on. */
export interface MasterResponseGetExecutorsExecutor {
  executor_info: ExecutorInfo;
  agent_id: AgentID;
}

/** Known executors. */
export interface MasterResponseGetExecutors {
  executors?: MasterResponseGetExecutorsExecutor[];
  /** @deprecated always empty */
  orphan_executors?: MasterResponseGetExecutorsExecutor[];
}

/** Known tasks by category. */
export interface MasterResponseGetTasks {
  /** @deprecated always empty */
  pending_tasks?: Task[];
  tasks?: Task[];
  unreachable_tasks?: Task[];
  completed_tasks?: Task[];
  /** @deprecated always empty */
  orphan_tasks?: Task[];
}

/** Known roles. */
export interface MasterResponseGetRoles {
  roles?: Role[];
}

/** The master itself. */
export interface MasterResponseGetMaster {
  master_info?: MasterInfo;
  /** Seconds since the epoch. */
  start_time?: Double;
  elected_time?: Double;
}

/** Every role's weight that differs from the default 1. */
export interface MasterResponseGetWeights {
  weight_infos?: WeightInfo[];
}

/** Every role's quota. */
export interface MasterResponseGetQuota {
  status: QuotaStatus;
}

/** Everything at once (also the payload of the operator SUBSCRIBED event). */
export interface MasterResponseGetState {
  get_tasks?: MasterResponseGetTasks;
  get_executors?: MasterResponseGetExecutors;
  get_frameworks?: MasterResponseGetFrameworks;
  get_agents?: MasterResponseGetAgents;
}

/** The master::Response message as it travels (sub-messages of unsupported calls omitted). */
export interface RawMasterResponse {
  type?: MasterResponseType;
  get_health?: MasterResponseGetHealth;
  get_flags?: MasterResponseGetFlags;
  get_version?: MasterResponseGetVersion;
  get_metrics?: MasterResponseGetMetrics;
  list_files?: AgentResponseListFiles;
  read_file?: MasterResponseReadFile;
  get_state?: MasterResponseGetState;
  get_agents?: MasterResponseGetAgents;
  get_frameworks?: MasterResponseGetFrameworks;
  get_executors?: MasterResponseGetExecutors;
  get_tasks?: MasterResponseGetTasks;
  get_roles?: MasterResponseGetRoles;
  get_weights?: MasterResponseGetWeights;
  get_master?: MasterResponseGetMaster;
  get_quota?: MasterResponseGetQuota;
}

/** GET_HEALTH response. */
export interface GetHealthResponse {
  type: 'GET_HEALTH';
  get_health: MasterResponseGetHealth;
}

/** GET_FLAGS response. */
export interface GetFlagsResponse {
  type: 'GET_FLAGS';
  get_flags: MasterResponseGetFlags;
}

/** GET_VERSION response. */
export interface GetVersionResponse {
  type: 'GET_VERSION';
  get_version: MasterResponseGetVersion;
}

/** GET_METRICS response. */
export interface GetMetricsResponse {
  type: 'GET_METRICS';
  get_metrics: MasterResponseGetMetrics;
}

/** GET_STATE response. */
export interface GetStateResponse {
  type: 'GET_STATE';
  get_state: MasterResponseGetState;
}

/** GET_AGENTS response. */
export interface GetAgentsResponse {
  type: 'GET_AGENTS';
  get_agents: MasterResponseGetAgents;
}

/** GET_FRAMEWORKS response. */
export interface GetFrameworksResponse {
  type: 'GET_FRAMEWORKS';
  get_frameworks: MasterResponseGetFrameworks;
}

/** GET_EXECUTORS response. */
export interface GetExecutorsResponse {
  type: 'GET_EXECUTORS';
  get_executors: MasterResponseGetExecutors;
}

/** GET_TASKS response. */
export interface GetTasksResponse {
  type: 'GET_TASKS';
  get_tasks: MasterResponseGetTasks;
}

/** GET_ROLES response. */
export interface GetRolesResponse {
  type: 'GET_ROLES';
  get_roles: MasterResponseGetRoles;
}

/** GET_WEIGHTS response. */
export interface GetWeightsResponse {
  type: 'GET_WEIGHTS';
  get_weights: MasterResponseGetWeights;
}

/** GET_MASTER response. */
export interface GetMasterResponse {
  type: 'GET_MASTER';
  get_master: MasterResponseGetMaster;
}

/** GET_QUOTA response. */
export interface GetQuotaResponse {
  type: 'GET_QUOTA';
  get_quota: MasterResponseGetQuota;
}

/** LIST_FILES response of the master. */
export interface ListFilesResponse {
  type: 'LIST_FILES';
  list_files: AgentResponseListFiles;
}

/** READ_FILE: the file's size and the bytes read (Base64 in JSON). */
export interface MasterResponseReadFile {
  size: UInt64;
  data: Bytes;
}

/** READ_FILE response of the master. */
export interface ReadFileResponse {
  type: 'READ_FILE';
  read_file: MasterResponseReadFile;
}

/** The master responses modelled: the `type`s of the `MasterResponse` members. */
export const SERVED_MASTER_RESPONSES: readonly MasterResponseType[] = [
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_WEIGHTS',
  'GET_MASTER',
  'GET_QUOTA',
  'LIST_FILES',
  'READ_FILE',
];

/** A master operator response, discriminated on `type`. */
export type MasterResponse =
  | GetHealthResponse
  | GetFlagsResponse
  | GetVersionResponse
  | GetMetricsResponse
  | GetStateResponse
  | GetAgentsResponse
  | GetFrameworksResponse
  | GetExecutorsResponse
  | GetTasksResponse
  | GetRolesResponse
  | GetWeightsResponse
  | GetMasterResponse
  | GetQuotaResponse
  | ListFilesResponse
  | ReadFileResponse;

// =============================================================================================
// Master: events of the operator SUBSCRIBE stream

export const MASTER_EVENT_TYPES = [
  'UNKNOWN',
  'SUBSCRIBED',
  'TASK_ADDED',
  'TASK_UPDATED',
  'AGENT_ADDED',
  'AGENT_REMOVED',
  'FRAMEWORK_ADDED',
  'FRAMEWORK_UPDATED',
  'FRAMEWORK_REMOVED',
  'HEARTBEAT',
] as const;
/** The type of an operator event. */
export type MasterEventType = (typeof MASTER_EVENT_TYPES)[number];

/** First event: the full state, and the heartbeat interval (15.0). */
export interface MasterEventSubscribed {
  get_state?: MasterResponseGetState;
  heartbeat_interval_seconds?: Double;
}

/** A task was launched. */
export interface MasterEventTaskAdded {
  task: Task;
}

/** A task's state changed (or a check/health result changed). */
export interface MasterEventTaskUpdated {
  framework_id: FrameworkID;
  /** The status that caused the change. */
  status: TaskStatus;
  /** The task's latest state. */
  state: TaskState;
}

/** A framework subscribed for the first time. */
export interface MasterEventFrameworkAdded {
  framework: MasterResponseGetFrameworksFramework;
}

/** A framework re-subscribed, was updated, or disconnected. */
export interface MasterEventFrameworkUpdated {
  framework: MasterResponseGetFrameworksFramework;
}

/** A framework was removed. */
export interface MasterEventFrameworkRemoved {
  framework_info: FrameworkInfo;
}

/** An agent registered or re-registered. */
export interface MasterEventAgentAdded {
  agent: MasterResponseGetAgentsAgent;
}

/** An agent was removed (unregistered, unreachable or gone). */
export interface MasterEventAgentRemoved {
  agent_id: AgentID;
}

/** The master::Event message as it travels. */
export interface RawMasterEvent {
  type?: MasterEventType;
  subscribed?: MasterEventSubscribed;
  task_added?: MasterEventTaskAdded;
  task_updated?: MasterEventTaskUpdated;
  agent_added?: MasterEventAgentAdded;
  agent_removed?: MasterEventAgentRemoved;
  framework_added?: MasterEventFrameworkAdded;
  framework_updated?: MasterEventFrameworkUpdated;
  framework_removed?: MasterEventFrameworkRemoved;
}

/** SUBSCRIBED. */
export interface OperatorSubscribedEvent {
  type: 'SUBSCRIBED';
  subscribed: MasterEventSubscribed;
}

/** TASK_ADDED. */
export interface TaskAddedEvent {
  type: 'TASK_ADDED';
  task_added: MasterEventTaskAdded;
}

/** TASK_UPDATED. */
export interface TaskUpdatedEvent {
  type: 'TASK_UPDATED';
  task_updated: MasterEventTaskUpdated;
}

/** AGENT_ADDED. */
export interface AgentAddedEvent {
  type: 'AGENT_ADDED';
  agent_added: MasterEventAgentAdded;
}

/** AGENT_REMOVED. */
export interface AgentRemovedEvent {
  type: 'AGENT_REMOVED';
  agent_removed: MasterEventAgentRemoved;
}

/** FRAMEWORK_ADDED. */
export interface FrameworkAddedEvent {
  type: 'FRAMEWORK_ADDED';
  framework_added: MasterEventFrameworkAdded;
}

/** FRAMEWORK_UPDATED. */
export interface FrameworkUpdatedEvent {
  type: 'FRAMEWORK_UPDATED';
  framework_updated: MasterEventFrameworkUpdated;
}

/** FRAMEWORK_REMOVED. */
export interface FrameworkRemovedEvent {
  type: 'FRAMEWORK_REMOVED';
  framework_removed: MasterEventFrameworkRemoved;
}

/** HEARTBEAT (every 15 s). */
export interface OperatorHeartbeatEvent {
  type: 'HEARTBEAT';
}

/** An operator event, discriminated on `type`. */
export type MasterEvent =
  | OperatorSubscribedEvent
  | TaskAddedEvent
  | TaskUpdatedEvent
  | AgentAddedEvent
  | AgentRemovedEvent
  | FrameworkAddedEvent
  | FrameworkUpdatedEvent
  | FrameworkRemovedEvent
  | OperatorHeartbeatEvent;

// =============================================================================================
// Agent operator API

export const AGENT_CALL_TYPES = [
  'UNKNOWN',
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'SET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_CONTAINERS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_AGENT',
  'GET_RESOURCE_PROVIDERS',
  'LAUNCH_NESTED_CONTAINER',
  'WAIT_NESTED_CONTAINER',
  'KILL_NESTED_CONTAINER',
  'REMOVE_NESTED_CONTAINER',
  'LAUNCH_NESTED_CONTAINER_SESSION',
  'ATTACH_CONTAINER_INPUT',
  'ATTACH_CONTAINER_OUTPUT',
  'LAUNCH_CONTAINER',
  'WAIT_CONTAINER',
  'KILL_CONTAINER',
  'REMOVE_CONTAINER',
  'ADD_RESOURCE_PROVIDER_CONFIG',
  'UPDATE_RESOURCE_PROVIDER_CONFIG',
  'REMOVE_RESOURCE_PROVIDER_CONFIG',
  'MARK_RESOURCE_PROVIDER_GONE',
  'PRUNE_IMAGES',
] as const;
/** The type of an agent operator call. */
export type AgentCallType = (typeof AGENT_CALL_TYPES)[number];

/** LIST_FILES's argument: a virtual path as `/files/browse` takes it. */
export interface AgentCallListFiles {
  path: string;
}

/** READ_FILE's arguments: a virtual path as `/files/read` takes it, where to start, how much. */
export interface AgentCallReadFile {
  path: string;
  offset: UInt64;
  /** Default: to the end of the file (at most 16 pages are returned). */
  length?: UInt64;
}

/** GET_CONTAINERS's arguments (the reference runs neither nested nor standalone containers). */
export interface AgentCallGetContainers {
  show_nested?: boolean;
  show_standalone?: boolean;
}

/** The agent::Call message as it travels (sub-messages of calls not served omitted). */
export interface RawAgentCall {
  type?: AgentCallType;
  /** agent.proto's Call.GetMetrics is the master's, field for field. */
  get_metrics?: MasterCallGetMetrics;
  list_files?: AgentCallListFiles;
  read_file?: AgentCallReadFile;
  get_containers?: AgentCallGetContainers;
}

/** GET_HEALTH on an agent. */
export interface AgentGetHealthCall {
  type: 'GET_HEALTH';
}

/** GET_STATE on an agent. */
export interface AgentGetStateCall {
  type: 'GET_STATE';
}

/** GET_TASKS on an agent. */
export interface AgentGetTasksCall {
  type: 'GET_TASKS';
}

/** LIST_FILES on an agent: the entries of a sandbox directory. */
export interface AgentListFilesCall {
  type: 'LIST_FILES';
  list_files: AgentCallListFiles;
}

/** READ_FILE on an agent: bytes of a sandbox file. */
export interface AgentReadFileCall {
  type: 'READ_FILE';
  read_file: AgentCallReadFile;
}

/** GET_METRICS on an agent. Mesos requires the sub-message, even empty. */
export interface AgentGetMetricsCall {
  type: 'GET_METRICS';
  get_metrics: MasterCallGetMetrics;
}

/** GET_FLAGS on an agent. */
export interface AgentGetFlagsCall {
  type: 'GET_FLAGS';
}

/** GET_FRAMEWORKS on an agent. */
export interface AgentGetFrameworksCall {
  type: 'GET_FRAMEWORKS';
}

/** GET_EXECUTORS on an agent. */
export interface AgentGetExecutorsCall {
  type: 'GET_EXECUTORS';
}

/** GET_AGENT on an agent. */
export interface AgentGetAgentCall {
  type: 'GET_AGENT';
}

/** GET_CONTAINERS on an agent. */
export interface AgentGetContainersCall {
  type: 'GET_CONTAINERS';
  get_containers?: AgentCallGetContainers;
}

/** The agent calls the reference serves: the `type`s of the `AgentCall` members. */
export const SERVED_AGENT_CALLS: readonly AgentCallType[] = [
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_METRICS',
  'GET_STATE',
  'GET_TASKS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_AGENT',
  'GET_CONTAINERS',
  'LIST_FILES',
  'READ_FILE',
];

/** A validated agent operator call the reference serves. */
export type AgentCall =
  | AgentGetHealthCall
  | AgentGetStateCall
  | AgentGetTasksCall
  | AgentListFilesCall
  | AgentReadFileCall
  | AgentGetMetricsCall
  | AgentGetFlagsCall
  | AgentGetFrameworksCall
  | AgentGetExecutorsCall
  | AgentGetAgentCall
  | AgentGetContainersCall;

export const AGENT_RESPONSE_TYPES = [
  'UNKNOWN',
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_CONTAINERS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_AGENT',
  'GET_RESOURCE_PROVIDERS',
  'WAIT_NESTED_CONTAINER',
  'WAIT_CONTAINER',
] as const;
/** The type of an agent operator response. */
export type AgentResponseType = (typeof AGENT_RESPONSE_TYPES)[number];

/** Whether the agent is healthy. */
export interface AgentResponseGetHealth {
  healthy: boolean;
}

/** One framework known to the agent. */
export interface AgentResponseGetFrameworksFramework {
  framework_info: FrameworkInfo;
}

/** Frameworks with tasks or executors on the agent. */
export interface AgentResponseGetFrameworks {
  frameworks?: AgentResponseGetFrameworksFramework[];
  completed_frameworks?: AgentResponseGetFrameworksFramework[];
}

/** One executor on the agent. */
export interface AgentResponseGetExecutorsExecutor {
  executor_info: ExecutorInfo;
}

/** Executors on the agent. */
export interface AgentResponseGetExecutors {
  executors?: AgentResponseGetExecutorsExecutor[];
  completed_executors?: AgentResponseGetExecutorsExecutor[];
}

/** The agent's tasks by phase. */
export interface AgentResponseGetTasks {
  /** Not yet handed to an executor or containerizer. */
  pending_tasks?: Task[];
  /** Waiting for their executor to register. */
  queued_tasks?: Task[];
  /** Delivered to their executor, not terminal. */
  launched_tasks?: Task[];
  /** Terminal, terminal update not yet acknowledged. */
  terminated_tasks?: Task[];
  completed_tasks?: Task[];
}

/** mesos.proto's FileInfo: one entry of a directory listing, as stat(2) saw it. */
export interface FileInfo {
  /** The virtual path asked for, joined with the entry's name. */
  path: string;
  nlink?: Int32;
  size?: UInt64;
  mtime?: TimeInfo;
  /** st_mode: the file type and permission bits. */
  mode?: UInt32;
  /** The owner's user name, or the numeric uid when it has none. */
  uid?: string;
  /** The group's name, or the numeric gid when it has none. */
  gid?: string;
}

/** LIST_FILES: a directory's entries, sorted by path. */
export interface AgentResponseListFiles {
  file_infos?: FileInfo[];
}

/** READ_FILE: the file's size and the bytes read (Base64 in JSON). */
export interface AgentResponseReadFile {
  size: UInt64;
  data: Bytes;
}

/** GET_AGENT: the agent's AgentInfo, and the drain it is under, if any. */
export interface AgentResponseGetAgent {
  agent_info?: AgentInfo;
  drain_config?: DrainConfig;
  estimated_drain_start_time?: TimeInfo;
}

/** One container of GET_CONTAINERS: an executor's. */
export interface AgentResponseGetContainersContainer {
  framework_id?: FrameworkID;
  executor_id?: ExecutorID;
  executor_name?: string;
  container_id: ContainerID;
  container_status?: ContainerStatus;
}

/** GET_CONTAINERS: the containers the agent runs. */
export interface AgentResponseGetContainers {
  containers?: AgentResponseGetContainersContainer[];
}

/** Everything at once. */
export interface AgentResponseGetState {
  get_tasks?: AgentResponseGetTasks;
  get_executors?: AgentResponseGetExecutors;
  get_frameworks?: AgentResponseGetFrameworks;
}

/** The agent::Response message as it travels (sub-messages of unsupported calls omitted). */
export interface RawAgentResponse {
  type?: AgentResponseType;
  get_health?: AgentResponseGetHealth;
  /** agent.proto's GetFlags, GetVersion and GetMetrics are the master's, field for field. */
  get_flags?: MasterResponseGetFlags;
  get_version?: MasterResponseGetVersion;
  get_metrics?: MasterResponseGetMetrics;
  list_files?: AgentResponseListFiles;
  read_file?: AgentResponseReadFile;
  get_state?: AgentResponseGetState;
  get_containers?: AgentResponseGetContainers;
  get_frameworks?: AgentResponseGetFrameworks;
  get_executors?: AgentResponseGetExecutors;
  get_tasks?: AgentResponseGetTasks;
  get_agent?: AgentResponseGetAgent;
}

/** GET_HEALTH response of an agent. */
export interface AgentGetHealthResponse {
  type: 'GET_HEALTH';
  get_health: AgentResponseGetHealth;
}

/** GET_STATE response of an agent. */
export interface AgentGetStateResponse {
  type: 'GET_STATE';
  get_state: AgentResponseGetState;
}

/** GET_TASKS response of an agent. */
export interface AgentGetTasksResponse {
  type: 'GET_TASKS';
  get_tasks: AgentResponseGetTasks;
}

/** LIST_FILES response of an agent. */
export interface AgentListFilesResponse {
  type: 'LIST_FILES';
  list_files: AgentResponseListFiles;
}

/** GET_FLAGS response of an agent. */
export interface AgentGetFlagsResponse {
  type: 'GET_FLAGS';
  get_flags: MasterResponseGetFlags;
}

/** GET_METRICS response of an agent. */
export interface AgentGetMetricsResponse {
  type: 'GET_METRICS';
  get_metrics: MasterResponseGetMetrics;
}

/** READ_FILE response of an agent. */
export interface AgentReadFileResponse {
  type: 'READ_FILE';
  read_file: AgentResponseReadFile;
}

/** GET_FRAMEWORKS response of an agent. */
export interface AgentGetFrameworksResponse {
  type: 'GET_FRAMEWORKS';
  get_frameworks: AgentResponseGetFrameworks;
}

/** GET_EXECUTORS response of an agent. */
export interface AgentGetExecutorsResponse {
  type: 'GET_EXECUTORS';
  get_executors: AgentResponseGetExecutors;
}

/** GET_AGENT response of an agent. */
export interface AgentGetAgentResponse {
  type: 'GET_AGENT';
  get_agent: AgentResponseGetAgent;
}

/** GET_CONTAINERS response of an agent. */
export interface AgentGetContainersResponse {
  type: 'GET_CONTAINERS';
  get_containers: AgentResponseGetContainers;
}

/** The agent responses modelled: the `type`s of the `AgentResponse` members, one per served call. */
export const SERVED_AGENT_RESPONSES: readonly AgentResponseType[] = SERVED_AGENT_CALLS.filter((t): t is AgentResponseType =>
  (AGENT_RESPONSE_TYPES as readonly string[]).includes(t),
);

/** An agent operator response, discriminated on `type`. */
export type AgentResponse =
  | AgentGetHealthResponse
  | AgentGetStateResponse
  | AgentGetTasksResponse
  | AgentListFilesResponse
  | AgentGetFlagsResponse
  | AgentGetMetricsResponse
  | AgentReadFileResponse
  | AgentGetFrameworksResponse
  | AgentGetExecutorsResponse
  | AgentGetAgentResponse
  | AgentGetContainersResponse;
