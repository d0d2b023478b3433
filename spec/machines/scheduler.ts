/**
 * The scheduler: a framework as a well-behaved v1 HTTP client would run it.
 *
 *   subscribing --SUBSCRIBED--> subscribed --LINK_BROKEN--> disconnected --retry--> subscribing
 *        |                          |
 *        +--------ERROR-------------+------> stopped   (failed over by another instance, removed)
 *
 * It subscribes (with its framework id after a failover or a disconnection), launches the tasks
 * its input lists on the offers that fit them, declines the rest with a filter, acknowledges
 * every update that carries a uuid and never one that does not, reconciles after
 * re-subscribing, and kills or tears down when the environment asks it to. A task it wants killed
 * that it later sees alive (its KILL overtook the ACCEPT and the master answered TASK_UNKNOWN, or
 * a reconciliation after a failover reports it running) it kills again, as a Mesos framework does.
 *
 * The same machine drives the runtime's scheduler client (impl/scheduler-client) over HTTP: its
 * calls carry `stream_id`, which the client moves into the Mesos-Stream-Id header.
 */
import { and, assign, emit, enqueueActions, setup } from 'xstate';
import type { FrameworkInfo, Offer, OfferOperation, TaskInfo, TaskState } from '../protocol/common.ts';
import { base64FromText } from '../protocol/bytes.ts';
import { isTerminal } from '../protocol/common.ts';
import type { SchedulerCall } from '../protocol/scheduler.ts';
import { add, clearAllocationRole, contains, EMPTY, fromWire, resourcesOf, subtract, type Resources } from '../resources/index.ts';
import { send } from './effects.ts';
import { eventOf } from './event-of.ts';
import { acknowledgement, fromMaster, initialRecords, ownInfo, recordUpdate, reliableUpdate } from './framework.ts';
import type { Delivered, FrameworkClientInput, FrameworkRecords, OffersEvent, SubscribedEvent, UpdateEvent } from './framework.ts';

export type { LoggedUpdate, WantedTask } from './framework.ts';

export interface SchedulerInput extends FrameworkClientInput {
  /** `refuse_seconds` of the filter on declined resources. */
  readonly refuse_seconds: number;
  /** After re-subscribing: reconcile all its non-terminal tasks (explicit) or none. */
  readonly reconcile: 'explicit' | 'implicit' | 'none';
  /** Suppress offers once every task is launched (what a well-behaved framework does). */
  readonly suppress_when_done: boolean;
  /** Wait before re-subscribing after a disconnection. */
  readonly resubscribe_delay_ms: number;
  /** What a failed-over instance recovered from its own persistent store. */
  readonly executorAgents?: Readonly<Record<string, string>>;
  /** Tasks the user asked to kill: the framework keeps wanting them dead (kept across its failover). */
  readonly kill_requested?: readonly string[];
}

export interface SchedulerContext extends Omit<SchedulerInput, keyof FrameworkRecords>, FrameworkRecords {
  /** Subscriptions completed so far (SUBSCRIBED events). */
  readonly subscriptions: number;
  /**
   * Tasks this subscription already asked the master to kill. The master remembers a kill and
   * sends it again when the agent comes back, so asking again only repeats it; a new
   * subscription (after a failover of either side) may ask again.
   */
  readonly killing: readonly string[];
  readonly kill_requested: readonly string[];
  /**
   * Where each of its custom and default executors runs (executor id -> agent id), learned from
   * its tasks' updates: what a MESSAGE to it needs. Absent until the first such update.
   */
  readonly executorAgents?: Readonly<Record<string, string>>;
  /** Executor ids it has sent its one MESSAGE to. */
  readonly messaged?: readonly string[];
  /** The MESSAGE events it received: `<executor id>:<data>`, in order. */
  readonly heard?: readonly string[];
  /** The FAILURE events naming an executor it received: `<agent id>/<executor id>:<status>`, in order. */
  readonly failures?: readonly string[];
}

export type SchedulerEventIn =
  | SubscribedEvent
  | OffersEvent
  | Delivered<{ type: 'RESCIND' }>
  | UpdateEvent
  | Delivered<{ type: 'ERROR'; error: { message: string } }>
  | Delivered<{ type: 'FAILURE'; failure: { agent_id?: { value: string }; executor_id?: { value: string }; status?: number } }>
  | Delivered<{ type: 'MESSAGE'; message: { agent_id: { value: string }; executor_id: { value: string }; data: string } }>
  | Delivered<{ type: 'HEARTBEAT' }>
  | { type: 'LINK_BROKEN'; peer: string }
  | { type: 'RESUBSCRIBE_TIMER' }
  /** Environment: the user asks to kill a task, or to tear the framework down. */
  | { type: 'KILL_REQUEST'; task_id: string }
  /** Environment: the user asks to send a message to one of its custom executors. */
  | { type: 'MESSAGE_REQUEST'; executor_id: string }
  | { type: 'TEARDOWN_REQUEST' };

/** The states in which a task still runs (or is about to): a task wanted dead in one of them must be killed. */
const ALIVE: ReadonlySet<TaskState> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING']);

/** The task an UPDATE is about, as the kill actions' params. */
const taskOf = ({ event }: { event: SchedulerEventIn }): { task_id: string } => ({ task_id: eventOf(event, 'UPDATE').update.status.task_id.value });

/** The calls this scheduler makes, with the envelope the client turns into a header. */
type Outgoing = SchedulerCall & { stream_id?: string };

function call(c: SchedulerContext, body: SchedulerCall): ReturnType<typeof send> {
  const msg: Outgoing = c.stream_id === undefined ? body : { ...body, stream_id: c.stream_id };
  return send(c.master, msg);
}

function frameworkId(c: SchedulerContext): { value: string } {
  return { value: c.framework_id ?? '' };
}

function subscribeCall(c: SchedulerContext): SchedulerCall {
  const info = ownInfo(c);
  const id = c.framework_id === undefined ? undefined : info.id;
  // A framework that wants no more offers says so when it (re)subscribes: every SUBSCRIBE
  // replaces the set of suppressed roles.
  const suppressed = c.suppress_when_done && allLaunched(c) ? { suppressed_roles: rolesOf(c.framework_info) } : {};
  const subscribe = { framework_info: info, ...suppressed };
  return id ? { type: 'SUBSCRIBE', framework_id: id, subscribe } : { type: 'SUBSCRIBE', subscribe };
}

function rolesOf(info: FrameworkInfo): string[] {
  return info.roles ?? [info.role ?? '*'];
}

function allLaunched(c: SchedulerContext): boolean {
  return c.tasks.every((t) => c.launched.includes(t.task_id));
}

/** The tasks still to launch, packed greedily in input order into the offer's resources. */
export function plan(c: Pick<SchedulerContext, 'tasks' | 'launched'>, offer: Offer): TaskInfo[] {
  const parsed = resourcesOf(offer);
  if (!parsed.ok) return [];
  let left: Resources = clearAllocationRole(parsed.value);
  const out: TaskInfo[] = [];
  // Executors already on the agent (the offer says) or brought by an earlier task of this answer.
  const executors = new Set((offer.executor_ids ?? []).map((e) => e.value));
  const planned = new Set<string>();
  for (const t of c.tasks) {
    if (c.launched.includes(t.task_id) || planned.has(t.task_id)) continue;
    if (t.group !== undefined) {
      // The whole group (its members not launched yet) and its executor, or nothing.
      const gid = t.group.executor_id.value;
      const members = c.tasks.filter((m) => m.group?.executor_id.value === gid && !c.launched.includes(m.task_id));
      const parts = [executors.has(gid) ? [] : (t.group.resources ?? []), ...members.map((m) => m.resources)].map((r) => fromWire(r));
      const need = parts.every((p) => p.ok) ? parts.reduce<Resources>((sum, p) => (p.ok ? add(sum, p.value) : sum), EMPTY) : null;
      for (const m of members) planned.add(m.task_id);
      if (need === null || !contains(left, need)) continue;
      left = subtract(left, need);
      executors.add(gid);
      for (const m of members) {
        out.push({
          name: m.name ?? m.task_id,
          task_id: { value: m.task_id },
          agent_id: offer.agent_id,
          resources: [...m.resources],
          command: m.command,
          executor: m.group!,
          ...(m.kill_policy ? { kill_policy: m.kill_policy } : {}),
        });
      }
      continue;
    }
    const task = fromWire(t.resources);
    const bringsExecutor = t.executor !== undefined && !executors.has(t.executor.executor_id.value);
    const executor = bringsExecutor ? resourcesOf(t.executor!) : task;
    if (!task.ok || !executor.ok) continue;
    const need = bringsExecutor ? add(task.value, executor.value) : task.value;
    if (!contains(left, need)) continue;
    left = subtract(left, need);
    if (t.executor) executors.add(t.executor.executor_id.value);
    out.push({
      name: t.name ?? t.task_id,
      task_id: { value: t.task_id },
      agent_id: offer.agent_id,
      resources: [...t.resources],
      ...(t.executor ? { executor: t.executor, data: base64FromText(t.command.value ?? '') } : { command: t.command }),
      ...(t.kill_policy ? { kill_policy: t.kill_policy } : {}),
    });
  }
  return out;
}

/**
 * The answer to an OFFERS event: one ACCEPT per offer something fits on (an ACCEPT may only
 * combine offers of one agent), one DECLINE for the offers nothing fits on; both with the filter.
 */
export function answer(c: SchedulerContext, offers: readonly Offer[]): { calls: SchedulerCall[]; launched: string[] } {
  const filters = { refuse_seconds: c.refuse_seconds };
  const fid = frameworkId(c);
  let launched = [...c.launched];
  const calls: SchedulerCall[] = [];
  const declined = [];
  for (const offer of offers) {
    const tasks = plan({ tasks: c.tasks, launched }, offer);
    if (tasks.length === 0) {
      declined.push(offer.id);
      continue;
    }
    launched = [...launched, ...tasks.map((t) => t.task_id.value)];
    // A task group's tasks go as one LAUNCH_GROUP per executor (their TaskInfos name it; Mesos takes it from the operation).
    const single = tasks.filter((t) => t.executor?.type !== 'DEFAULT');
    const groups = new Map<string, TaskInfo[]>();
    for (const t of tasks) if (t.executor?.type === 'DEFAULT') groups.set(t.executor.executor_id.value, [...(groups.get(t.executor.executor_id.value) ?? []), t]);
    const operations: OfferOperation[] = [
      ...(single.length > 0 ? [{ type: 'LAUNCH' as const, launch: { task_infos: single } }] : []),
      ...[...groups.values()].map((g) => ({
        type: 'LAUNCH_GROUP' as const,
        launch_group: { executor: g[0]!.executor!, task_group: { tasks: g.map(({ executor: _, ...t }) => t) } },
      })),
    ];
    calls.push({ type: 'ACCEPT', framework_id: fid, accept: { offer_ids: [offer.id], operations, filters } });
  }
  if (declined.length > 0) calls.push({ type: 'DECLINE', framework_id: fid, decline: { offer_ids: declined, filters } });
  return { calls, launched };
}

export const scheduler = setup({
  types: {} as { context: SchedulerContext; events: SchedulerEventIn; input: SchedulerInput },
  guards: {
    /** SUBSCRIBED after a failover or disconnection: the framework already had an id. */
    hadFrameworkId: ({ context }) => context.framework_id !== undefined,
    reconcilesAfterResubscribe: ({ context }) => context.reconcile !== 'none',
    fromMaster: (args) => fromMaster(args),
    reliableUpdate: (args) => reliableUpdate(args),
    /**
     * A master-generated update (no uuid: reconciliation, partition, invalid offers) about a task
     * the framework was reliably told has ended: the master merely forgot the task (a
     * reconciliation answered after the terminal update was acknowledged says TASK_UNKNOWN), so
     * it must not make the task look alive again.
     */
    endedReliably: ({ context, event }) => {
      if (event.type !== 'UPDATE' || event.update.status.uuid !== undefined) return false;
      const logged = context.log[event.update.status.task_id.value] ?? [];
      const last = logged[logged.length - 1];
      return last !== undefined && isTerminal(last.state);
    },
    allLaunched: ({ context }) => allLaunched(context),
    suppressesWhenDone: ({ context }) => context.suppress_when_done,
    /** A launched task not known to have ended, not yet asked to be killed on this subscription. */
    /** One MESSAGE per executor, once an update said where it runs. */
    messageable: ({ context }, params: { executor_id: string }) =>
      context.executorAgents?.[params.executor_id] !== undefined && !(context.messaged ?? []).includes(params.executor_id),
    /** A FAILURE that names an executor (one naming only an agent says the agent was lost). */
    executorFailure: ({ event }) => event.type === 'FAILURE' && event.failure?.executor_id !== undefined,
    killable: ({ context }, params: { task_id: string }) =>
      context.launched.includes(params.task_id) && !isTerminal(context.seen[params.task_id] ?? 'TASK_STAGING') && !context.killing.includes(params.task_id),
    /** A kill to remember for later: not remembered yet, and of a task not known to have ended. */
    killToRemember: ({ context }, params: { task_id: string }) => !context.kill_requested.includes(params.task_id) && !isTerminal(context.seen[params.task_id] ?? 'TASK_STAGING'),
    /** The update shows alive a task the user wants killed, and no kill of it is outstanding on this subscription. */
    wantedKilledButAlive: ({ context, event }) =>
      event.type === 'UPDATE' &&
      ALIVE.has(event.update.status.state) &&
      context.kill_requested.includes(event.update.status.task_id.value) &&
      !context.killing.includes(event.update.status.task_id.value),
    /**
     * The master says, without a uuid, that a task it was asked to kill is not alive (TASK_UNKNOWN
     * when the KILL overtook the ACCEPT, TASK_LOST for a framework that is not partition-aware):
     * that kill found nothing, so the task must be killed again if it turns up.
     */
    /**
     * The master dropped a launch of a task it still wants (its offer was gone by the time the
     * ACCEPT arrived: rescinded for quota, timed out, its agent removed): the task never ran, so
     * it is launched again, on a later offer.
     */
    droppedLaunch: ({ context, event }) =>
      event.type === 'UPDATE' &&
      event.update.status.uuid === undefined &&
      event.update.status.reason === 'REASON_INVALID_OFFERS' &&
      context.launched.includes(event.update.status.task_id.value) &&
      !context.kill_requested.includes(event.update.status.task_id.value),
    killFoundNothing: ({ context, event }) =>
      event.type === 'UPDATE' && event.update.status.uuid === undefined && !ALIVE.has(event.update.status.state) && context.killing.includes(event.update.status.task_id.value),
  },
  actions: {
    subscribe: emit(({ context }) => call({ ...context, stream_id: undefined }, subscribeCall(context))),
    recordSubscription: assign(({ context, event }) => {
      const e = eventOf(event, 'SUBSCRIBED');
      return { framework_id: e.subscribed.framework_id.value, stream_id: e.stream, subscriptions: context.subscriptions + 1, killing: [] };
    }),
    reconcile: emit(({ context }) => {
      const open = context.launched.filter((t) => !isTerminal(context.seen[t] ?? 'TASK_STAGING'));
      const tasks = context.reconcile === 'explicit' ? open.map((t) => ({ task_id: { value: t } })) : [];
      return call(context, { type: 'RECONCILE', framework_id: frameworkId(context), reconcile: { tasks } });
    }),
    answerOffers: enqueueActions(({ context, event, enqueue }) => {
      const { calls, launched } = answer(context, eventOf(event, 'OFFERS').offers.offers ?? []);
      for (const c of calls) enqueue.emit(call(context, c));
      enqueue.assign({ launched });
    }),
    recordUpdate: assign(({ context, event }) => recordUpdate(context, eventOf(event, 'UPDATE').update.status, true)),
    acknowledge: emit(({ context, event }) => call(context, acknowledgement(frameworkId(context), eventOf(event, 'UPDATE').update.status))),
    suppress: emit(({ context }) => call(context, { type: 'SUPPRESS', framework_id: frameworkId(context) })),
    /** A framework with work again asks for offers again: REVIVE undoes its SUPPRESS (and its DECLINE filters), as Mesos frameworks do. */
    revive: emit(({ context }) => call(context, { type: 'REVIVE', framework_id: frameworkId(context) })),
    relaunch: assign(({ context, event }) => ({ launched: context.launched.filter((t) => t !== eventOf(event, 'UPDATE').update.status.task_id.value) })),
    kill: emit(({ context }, params: { task_id: string }) => call(context, { type: 'KILL', framework_id: frameworkId(context), kill: { task_id: { value: params.task_id } } })),
    rememberKill: assign(({ context }, params: { task_id: string }) => ({ killing: [...context.killing, params.task_id].sort() })),
    forgetKill: assign(({ context }, params: { task_id: string }) => ({ killing: context.killing.filter((t) => t !== params.task_id) })),
    wantKilled: assign(({ context }, params: { task_id: string }) =>
      context.kill_requested.includes(params.task_id) ? {} : { kill_requested: [...context.kill_requested, params.task_id].sort() },
    ),
    teardown: emit(({ context }) => call(context, { type: 'TEARDOWN', framework_id: frameworkId(context) })),
    /** An update of a task under its own executor tells it where that executor runs. */
    recordExecutorAgent: assign(({ context, event }) => {
      const s = eventOf(event, 'UPDATE').update.status;
      const wanted = context.tasks.find((t) => t.task_id === s.task_id.value);
      const exId = (wanted?.executor ?? wanted?.group)?.executor_id.value;
      if (exId === undefined || s.agent_id === undefined || context.executorAgents?.[exId] === s.agent_id.value) return {};
      return { executorAgents: { ...context.executorAgents, [exId]: s.agent_id.value } };
    }),
    message: emit(({ context }, params: { executor_id: string }) =>
      call(context, {
        type: 'MESSAGE',
        framework_id: frameworkId(context),
        message: {
          agent_id: { value: context.executorAgents![params.executor_id]! },
          executor_id: { value: params.executor_id },
          data: base64FromText(`hello ${params.executor_id}`),
        },
      }),
    ),
    rememberMessage: assign(({ context }, params: { executor_id: string }) => ({ messaged: [...(context.messaged ?? []), params.executor_id].sort() })),
    // Only what its own executors say (a MESSAGE naming any other executor is noise to it).
    recordMessage: assign(({ context, event }) => {
      const { message } = eventOf(event, 'MESSAGE');
      const exId = message?.executor_id?.value;
      if (exId === undefined || !context.tasks.some((t) => (t.executor ?? t.group)?.executor_id.value === exId)) return {};
      return { heard: [...(context.heard ?? []), `${exId}:${message.data}`] };
    }),
    recordFailure: assign(({ context, event }) => {
      const f = eventOf(event, 'FAILURE').failure;
      return { failures: [...(context.failures ?? []), `${f.agent_id?.value ?? ''}/${f.executor_id!.value}:${f.status ?? ''}`] };
    }),
    forgetStream: assign({ stream_id: undefined }),
  },
  delays: {
    resubscribeDelay: ({ context }) => context.resubscribe_delay_ms,
  },
}).createMachine({
  id: 'scheduler',
  context: ({ input }) => ({
    ...input,
    ...initialRecords(input),
    subscriptions: 0,
    killing: [],
    kill_requested: input.kill_requested ?? [],
  }),
  initial: 'subscribing',
  states: {
    subscribing: {
      // SUBSCRIBE is one HTTP request whose response is the stream: it is not retried while in
      // flight (a blind retry would open a second subscription); a failed connection is
      // LINK_BROKEN, and the scheduler subscribes again after its delay.
      entry: 'subscribe',
      on: {
        SUBSCRIBED: [
          { guard: and(['hadFrameworkId', 'reconcilesAfterResubscribe']), target: 'subscribed', actions: ['recordSubscription', 'reconcile'] },
          { target: 'subscribed', actions: 'recordSubscription' },
        ],
        ERROR: 'stopped',
        LINK_BROKEN: { guard: 'fromMaster', target: 'disconnected' },
      },
    },
    subscribed: {
      initial: 'checking',
      states: {
        checking: { always: [{ guard: 'allLaunched', target: 'idle' }, { target: 'launching' }] },
        launching: {
          always: [
            { guard: and(['allLaunched', 'suppressesWhenDone']), target: 'idle', actions: 'suppress' },
            { guard: 'allLaunched', target: 'idle' },
          ],
        },
        idle: {},
      },
      on: {
        // The answer to a retried SUBSCRIBE: the master's latest subscription is the current one
        // (the runtime client only ever hears the newest stream), so calls move to its stream.
        SUBSCRIBED: { actions: 'recordSubscription' },
        OFFERS: { actions: 'answerOffers' },
        UPDATE: [
          {
            guard: and(['reliableUpdate', 'wantedKilledButAlive']),
            actions: ['recordUpdate', 'recordExecutorAgent', 'acknowledge', { type: 'kill', params: taskOf }, { type: 'rememberKill', params: taskOf }],
          },
          { guard: 'reliableUpdate', actions: ['recordUpdate', 'recordExecutorAgent', 'acknowledge'] },
          { guard: 'endedReliably' },
          { guard: 'wantedKilledButAlive', actions: ['recordUpdate', { type: 'kill', params: taskOf }, { type: 'rememberKill', params: taskOf }] },
          { guard: 'killFoundNothing', actions: ['recordUpdate', { type: 'forgetKill', params: taskOf }] },
          { guard: 'droppedLaunch', target: '.launching', actions: ['recordUpdate', 'relaunch', 'revive'] },
          { actions: 'recordUpdate' },
        ],
        MESSAGE: { actions: 'recordMessage' },
        FAILURE: { guard: 'executorFailure', actions: 'recordFailure' },
        MESSAGE_REQUEST: {
          guard: { type: 'messageable', params: ({ event }) => event },
          actions: [
            { type: 'message', params: ({ event }) => event },
            { type: 'rememberMessage', params: ({ event }) => event },
          ],
        },
        ERROR: 'stopped',
        LINK_BROKEN: { guard: 'fromMaster', target: 'disconnected', actions: 'forgetStream' },
        KILL_REQUEST: [
          {
            guard: { type: 'killable', params: ({ event }) => event },
            actions: [
              { type: 'wantKilled', params: ({ event }) => event },
              { type: 'kill', params: ({ event }) => event },
              { type: 'rememberKill', params: ({ event }) => event },
            ],
          },
          // Not launched yet, or already being killed: remembered, so the task is killed when it shows up alive.
          { guard: { type: 'killToRemember', params: ({ event }) => event }, actions: { type: 'wantKilled', params: ({ event }) => event } },
        ],
        TEARDOWN_REQUEST: { target: 'stopped', actions: 'teardown' },
      },
    },
    disconnected: {
      after: { resubscribeDelay: 'subscribing' },
    },
    stopped: {},
  },
});

/**
 * What a failed-over instance starts from: what a framework keeps in its own persistent store
 * (its framework id, the tasks it launched and their last known states), not its connection.
 */
export function schedulerRestartInput(context: SchedulerContext): SchedulerInput {
  // What it heard on the old stream stays with the old instance.
  const { subscriptions: _n, stream_id: _id, killing: _k, messaged: _m, heard: _h, failures: _f, ...input } = context;
  return input;
}
