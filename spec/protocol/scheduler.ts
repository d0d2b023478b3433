/**
 * The v1 scheduler API (`POST /api/v1/scheduler`): calls a framework sends and the events of
 * its subscription stream (package `mesos.v1.scheduler`).
 *
 * Each direction has two shapes:
 * - `RawSchedulerCall` / `RawSchedulerEvent`: the proto message as it travels, every field
 *   optional. This is what the wire codec parses into and renders from.
 * - `SchedulerCall` / `SchedulerEvent`: discriminated unions on `type`, one member per type
 *   with its sub-message required where Mesos requires it. Machines exchange these, and
 *   `match(call).with({ type: 'ACCEPT' }, (c) => c.accept...)` narrows.
 * `validateSchedulerCall` (validation.ts) turns a raw call into a `SchedulerCall` or rejects it
 * with Mesos's message; `asSchedulerEvent` (json.ts) does the same for events.
 */
import type {
  AgentID,
  ExecutorID,
  Filters,
  FrameworkID,
  FrameworkInfo,
  InverseOffer,
  KillPolicy,
  MasterInfo,
  Offer,
  OfferID,
  OfferOperation,
  OperationID,
  OperationStatus,
  Request,
  ResourceProviderID,
  TaskID,
  TaskInfo,
  TaskStatus,
} from './common.ts';
import type { Bytes, Double, Int32 } from './scalars.ts';

// ---------------------------------------------------------------------------------------------
// Offer constraints (part of SUBSCRIBE / UPDATE_FRAMEWORK)

export const PSEUDOATTRIBUTE_TYPES = ['UNKNOWN', 'HOSTNAME', 'REGION', 'ZONE'] as const;
/** An agent property that can be constrained on although it is not an attribute. */
export type AttributeConstraintSelectorPseudoattributeType = (typeof PSEUDOATTRIBUTE_TYPES)[number];

/** Which attribute a constraint looks at: exactly one of the two (a proto `oneof`). */
export interface AttributeConstraintSelector {
  pseudoattribute_type?: AttributeConstraintSelectorPseudoattributeType;
  attribute_name?: string;
}

/** The attribute must exist. */
export interface AttributeConstraintPredicateExists {}

/** The attribute must not exist. */
export interface AttributeConstraintPredicateNotExists {}

/** The attribute must equal this text. */
export interface AttributeConstraintPredicateTextEquals {
  value: string;
}

/** The attribute must differ from this text. */
export interface AttributeConstraintPredicateTextNotEquals {
  value: string;
}

/** The attribute must match this regular expression. */
export interface AttributeConstraintPredicateTextMatches {
  regex: string;
}

/** The attribute must not match this regular expression. */
export interface AttributeConstraintPredicateTextNotMatches {
  regex: string;
}

/** The test applied to the selected attribute: exactly one of these (a proto `oneof`). */
export interface AttributeConstraintPredicate {
  exists?: AttributeConstraintPredicateExists;
  not_exists?: AttributeConstraintPredicateNotExists;
  text_equals?: AttributeConstraintPredicateTextEquals;
  text_not_equals?: AttributeConstraintPredicateTextNotEquals;
  text_matches?: AttributeConstraintPredicateTextMatches;
  text_not_matches?: AttributeConstraintPredicateTextNotMatches;
}

/** A constraint on agent attributes that offers must satisfy. */
export interface AttributeConstraint {
  selector: AttributeConstraintSelector;
  predicate: AttributeConstraintPredicate;
}

/** Constraints that must all hold (AND). */
export interface OfferConstraintsRoleConstraintsGroup {
  attribute_constraints?: AttributeConstraint[];
}

/** Groups of which at least one must hold (OR). */
export interface OfferConstraintsRoleConstraints {
  groups?: OfferConstraintsRoleConstraintsGroup[];
}

/** Per-role constraints on the agents a framework wants offers from. */
export interface OfferConstraints {
  role_constraints?: { [role: string]: OfferConstraintsRoleConstraints };
}

// ---------------------------------------------------------------------------------------------
// Calls

export const SCHEDULER_CALL_TYPES = [
  'UNKNOWN',
  'SUBSCRIBE',
  'TEARDOWN',
  'ACCEPT',
  'DECLINE',
  'ACCEPT_INVERSE_OFFERS',
  'DECLINE_INVERSE_OFFERS',
  'REVIVE',
  'KILL',
  'SHUTDOWN',
  'ACKNOWLEDGE',
  'ACKNOWLEDGE_OPERATION_STATUS',
  'RECONCILE',
  'RECONCILE_OPERATIONS',
  'MESSAGE',
  'REQUEST',
  'SUPPRESS',
  'UPDATE_FRAMEWORK',
] as const;
/** The type of a scheduler call (UNKNOWN is answered 501). */
export type SchedulerCallType = (typeof SCHEDULER_CALL_TYPES)[number];

/** Subscribe (or re-subscribe) and open the event stream. */
export interface SchedulerCallSubscribe {
  framework_info: FrameworkInfo;
  /** Roles to subscribe to in suppressed state (replaces the previous set). */
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}

/** Use offers: run the operations; leftover resources are declined with `filters`. */
export interface SchedulerCallAccept {
  offer_ids?: OfferID[];
  operations?: OfferOperation[];
  filters?: Filters;
}

/** Give offers back; without `filters` the default 5 s refusal applies. */
export interface SchedulerCallDecline {
  offer_ids?: OfferID[];
  filters?: Filters;
}

/** Accept inverse offers (maintenance). */
export interface SchedulerCallAcceptInverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}

/** Decline inverse offers (maintenance). */
export interface SchedulerCallDeclineInverseOffers {
  inverse_offer_ids?: OfferID[];
  filters?: Filters;
}

/** Clear filters and unsuppress the given roles (all subscribed roles when empty). */
export interface SchedulerCallRevive {
  roles?: string[];
}

/** Kill a task. */
export interface SchedulerCallKill {
  task_id: TaskID;
  agent_id?: AgentID;
  /** Overrides the task's kill policy for this kill. */
  kill_policy?: KillPolicy;
}

/** Shut down a custom executor. */
export interface SchedulerCallShutdown {
  executor_id: ExecutorID;
  agent_id: AgentID;
}

/** Acknowledge a reliable status update (one that carried a uuid). */
export interface SchedulerCallAcknowledge {
  agent_id: AgentID;
  task_id: TaskID;
  /** The update's uuid: 16 bytes, Base64. */
  uuid: Bytes;
}

/** Acknowledge an operation status update. */
export interface SchedulerCallAcknowledgeOperationStatus {
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
  uuid: Bytes;
  operation_id: OperationID;
}

/** A task to reconcile explicitly. */
export interface SchedulerCallReconcileTask {
  task_id: TaskID;
  agent_id?: AgentID;
}

/** Ask for the latest state of tasks; an empty list means all the framework's tasks. */
export interface SchedulerCallReconcile {
  tasks?: SchedulerCallReconcileTask[];
}

/** An operation to reconcile. */
export interface SchedulerCallReconcileOperationsOperation {
  operation_id: OperationID;
  agent_id?: AgentID;
  resource_provider_id?: ResourceProviderID;
}

/** Ask for the latest state of operations. */
export interface SchedulerCallReconcileOperations {
  operations?: SchedulerCallReconcileOperationsOperation[];
}

/** Send opaque data to an executor (unreliable). */
export interface SchedulerCallMessage {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Bytes;
}

/** Request resources (ignored by the built-in allocator). */
export interface SchedulerCallRequest {
  requests?: Request[];
}

/** Stop offers for the given roles (all subscribed roles when empty). */
export interface SchedulerCallSuppress {
  roles?: string[];
}

/** Change the framework's info, suppressed roles and constraints; answered synchronously. */
export interface SchedulerCallUpdateFramework {
  framework_info: FrameworkInfo;
  suppressed_roles?: string[];
  offer_constraints?: OfferConstraints;
}

/** The scheduler::Call message as it travels: every field optional. */
export interface RawSchedulerCall {
  framework_id?: FrameworkID;
  type?: SchedulerCallType;
  subscribe?: SchedulerCallSubscribe;
  accept?: SchedulerCallAccept;
  decline?: SchedulerCallDecline;
  accept_inverse_offers?: SchedulerCallAcceptInverseOffers;
  decline_inverse_offers?: SchedulerCallDeclineInverseOffers;
  revive?: SchedulerCallRevive;
  kill?: SchedulerCallKill;
  shutdown?: SchedulerCallShutdown;
  acknowledge?: SchedulerCallAcknowledge;
  acknowledge_operation_status?: SchedulerCallAcknowledgeOperationStatus;
  reconcile?: SchedulerCallReconcile;
  reconcile_operations?: SchedulerCallReconcileOperations;
  message?: SchedulerCallMessage;
  request?: SchedulerCallRequest;
  suppress?: SchedulerCallSuppress;
  update_framework?: SchedulerCallUpdateFramework;
}

/** SUBSCRIBE: `framework_id`, if present, must equal `subscribe.framework_info.id`. */
export interface SubscribeCall {
  type: 'SUBSCRIBE';
  framework_id?: FrameworkID;
  subscribe: SchedulerCallSubscribe;
}

/** TEARDOWN: remove the framework and kill all its tasks. */
export interface TeardownCall {
  type: 'TEARDOWN';
  framework_id: FrameworkID;
}

/** ACCEPT offers with operations. */
export interface AcceptCall {
  type: 'ACCEPT';
  framework_id: FrameworkID;
  accept: SchedulerCallAccept;
}

/** DECLINE offers. */
export interface DeclineCall {
  type: 'DECLINE';
  framework_id: FrameworkID;
  decline: SchedulerCallDecline;
}

/** ACCEPT_INVERSE_OFFERS (maintenance). */
export interface AcceptInverseOffersCall {
  type: 'ACCEPT_INVERSE_OFFERS';
  framework_id: FrameworkID;
  accept_inverse_offers: SchedulerCallAcceptInverseOffers;
}

/** DECLINE_INVERSE_OFFERS (maintenance). */
export interface DeclineInverseOffersCall {
  type: 'DECLINE_INVERSE_OFFERS';
  framework_id: FrameworkID;
  decline_inverse_offers: SchedulerCallDeclineInverseOffers;
}

/** REVIVE: the sub-message is optional (absent = all roles). */
export interface ReviveCall {
  type: 'REVIVE';
  framework_id: FrameworkID;
  revive?: SchedulerCallRevive;
}

/** KILL a task. */
export interface KillCall {
  type: 'KILL';
  framework_id: FrameworkID;
  kill: SchedulerCallKill;
}

/** SHUTDOWN an executor. */
export interface ShutdownCall {
  type: 'SHUTDOWN';
  framework_id: FrameworkID;
  shutdown: SchedulerCallShutdown;
}

/** ACKNOWLEDGE a status update. */
export interface AcknowledgeCall {
  type: 'ACKNOWLEDGE';
  framework_id: FrameworkID;
  acknowledge: SchedulerCallAcknowledge;
}

/** ACKNOWLEDGE_OPERATION_STATUS (operation feedback). */
export interface AcknowledgeOperationStatusCall {
  type: 'ACKNOWLEDGE_OPERATION_STATUS';
  framework_id: FrameworkID;
  acknowledge_operation_status: SchedulerCallAcknowledgeOperationStatus;
}

/** RECONCILE tasks. */
export interface ReconcileCall {
  type: 'RECONCILE';
  framework_id: FrameworkID;
  reconcile: SchedulerCallReconcile;
}

/** RECONCILE_OPERATIONS. */
export interface ReconcileOperationsCall {
  type: 'RECONCILE_OPERATIONS';
  framework_id: FrameworkID;
  reconcile_operations: SchedulerCallReconcileOperations;
}

/** MESSAGE to an executor. */
export interface MessageCall {
  type: 'MESSAGE';
  framework_id: FrameworkID;
  message: SchedulerCallMessage;
}

/** REQUEST resources. */
export interface RequestCall {
  type: 'REQUEST';
  framework_id: FrameworkID;
  request: SchedulerCallRequest;
}

/** SUPPRESS offers: the sub-message is optional (absent = all roles). */
export interface SuppressCall {
  type: 'SUPPRESS';
  framework_id: FrameworkID;
  suppress?: SchedulerCallSuppress;
}

/** UPDATE_FRAMEWORK: `framework_id` must equal `update_framework.framework_info.id`. */
export interface UpdateFrameworkCall {
  type: 'UPDATE_FRAMEWORK';
  framework_id: FrameworkID;
  update_framework: SchedulerCallUpdateFramework;
}

/** A validated scheduler call, discriminated on `type`. */
export type SchedulerCall =
  | SubscribeCall
  | TeardownCall
  | AcceptCall
  | DeclineCall
  | AcceptInverseOffersCall
  | DeclineInverseOffersCall
  | ReviveCall
  | KillCall
  | ShutdownCall
  | AcknowledgeCall
  | AcknowledgeOperationStatusCall
  | ReconcileCall
  | ReconcileOperationsCall
  | MessageCall
  | RequestCall
  | SuppressCall
  | UpdateFrameworkCall;

/** The call frameworks send most: ACCEPT `offers` with one LAUNCH of `tasks`, and a refusal filter. */
export function launchCall(frameworkId: FrameworkID, offers: readonly OfferID[], tasks: readonly TaskInfo[], filters?: Filters): AcceptCall {
  return {
    type: 'ACCEPT',
    framework_id: frameworkId,
    accept: { offer_ids: [...offers], operations: [{ type: 'LAUNCH', launch: { task_infos: [...tasks] } }], ...(filters ? { filters } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// Events

export const SCHEDULER_EVENT_TYPES = [
  'UNKNOWN',
  'SUBSCRIBED',
  'OFFERS',
  'INVERSE_OFFERS',
  'RESCIND',
  'RESCIND_INVERSE_OFFER',
  'UPDATE',
  'UPDATE_OPERATION_STATUS',
  'MESSAGE',
  'FAILURE',
  'ERROR',
  'HEARTBEAT',
] as const;
/** The type of a scheduler event. */
export type SchedulerEventType = (typeof SCHEDULER_EVENT_TYPES)[number];

/** First event of a successful (re)subscription. */
export interface SchedulerEventSubscribed {
  framework_id: FrameworkID;
  /** 15.0 in Mesos; a client should reconnect after missing several heartbeats. */
  heartbeat_interval_seconds?: Double;
  master_info?: MasterInfo;
}

/** New offers (note the nesting: the event's `offers` holds `offers`). */
export interface SchedulerEventOffers {
  offers?: Offer[];
}

/** New inverse offers. */
export interface SchedulerEventInverseOffers {
  inverse_offers?: InverseOffer[];
}

/** An offer is no longer valid. */
export interface SchedulerEventRescind {
  offer_id: OfferID;
}

/** An inverse offer is no longer valid. */
export interface SchedulerEventRescindInverseOffer {
  inverse_offer_id: OfferID;
}

/** A task status update. */
export interface SchedulerEventUpdate {
  status: TaskStatus;
}

/** An operation status update. */
export interface SchedulerEventUpdateOperationStatus {
  status: OperationStatus;
}

/** Opaque data from an executor (unreliable). */
export interface SchedulerEventMessage {
  agent_id: AgentID;
  executor_id: ExecutorID;
  data: Bytes;
}

/** An agent was lost (agent_id only) or an executor exited (with executor_id and status). */
export interface SchedulerEventFailure {
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  /** The executor's wait status. */
  status?: Int32;
}

/** A fatal error; the master closes the stream after it. */
export interface SchedulerEventError {
  message: string;
}

/** The scheduler::Event message as it travels: every field optional. */
export interface RawSchedulerEvent {
  type?: SchedulerEventType;
  subscribed?: SchedulerEventSubscribed;
  offers?: SchedulerEventOffers;
  inverse_offers?: SchedulerEventInverseOffers;
  rescind?: SchedulerEventRescind;
  rescind_inverse_offer?: SchedulerEventRescindInverseOffer;
  update?: SchedulerEventUpdate;
  update_operation_status?: SchedulerEventUpdateOperationStatus;
  message?: SchedulerEventMessage;
  failure?: SchedulerEventFailure;
  error?: SchedulerEventError;
}

/** SUBSCRIBED. */
export interface SubscribedEvent {
  type: 'SUBSCRIBED';
  subscribed: SchedulerEventSubscribed;
}

/** OFFERS. */
export interface OffersEvent {
  type: 'OFFERS';
  offers: SchedulerEventOffers;
}

/** INVERSE_OFFERS. */
export interface InverseOffersEvent {
  type: 'INVERSE_OFFERS';
  inverse_offers: SchedulerEventInverseOffers;
}

/** RESCIND. */
export interface RescindEvent {
  type: 'RESCIND';
  rescind: SchedulerEventRescind;
}

/** RESCIND_INVERSE_OFFER. */
export interface RescindInverseOfferEvent {
  type: 'RESCIND_INVERSE_OFFER';
  rescind_inverse_offer: SchedulerEventRescindInverseOffer;
}

/** UPDATE. */
export interface UpdateEvent {
  type: 'UPDATE';
  update: SchedulerEventUpdate;
}

/** UPDATE_OPERATION_STATUS. */
export interface UpdateOperationStatusEvent {
  type: 'UPDATE_OPERATION_STATUS';
  update_operation_status: SchedulerEventUpdateOperationStatus;
}

/** MESSAGE from an executor. */
export interface SchedulerMessageEvent {
  type: 'MESSAGE';
  message: SchedulerEventMessage;
}

/** FAILURE. */
export interface FailureEvent {
  type: 'FAILURE';
  failure: SchedulerEventFailure;
}

/** ERROR (`error.message`, not a top-level message as the docs show). */
export interface SchedulerErrorEvent {
  type: 'ERROR';
  error: SchedulerEventError;
}

/** HEARTBEAT: no payload. */
export interface HeartbeatEvent {
  type: 'HEARTBEAT';
}

/** A scheduler event, discriminated on `type`. */
export type SchedulerEvent =
  | SubscribedEvent
  | OffersEvent
  | InverseOffersEvent
  | RescindEvent
  | RescindInverseOfferEvent
  | UpdateEvent
  | UpdateOperationStatusEvent
  | SchedulerMessageEvent
  | FailureEvent
  | SchedulerErrorEvent
  | HeartbeatEvent;
