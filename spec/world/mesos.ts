/**
 * The Mesos world: a configuration (config.ts) turned into a System of the spec's machines.
 *
 *   master <-> agent-i          FIFO both ways (libprocess links), breaks are noticed
 *   master  -> fw-j             FIFO (the subscription stream), a break is noticed
 *   fw-j    -> master           a bag (separate HTTP requests overtake each other)
 * The loss fault drops only what Mesos delivers at least once (AT_LEAST_ONCE below).
 *   agent-i <-> agent-i/<task>  FIFO (the executor's HTTP connection); the executor notices
 *                               its agent going away
 *
 * Executor slots exist for every (agent, command task) pair and start empty: the agent spawns the
 * command executor when it launches the task. A task that names a custom executor or a group
 * runs in that executor's slot instead, one per (agent, executor id), played by the
 * framework-executor machine (a framework's own executor, or the default executor of a group).
 * Executors are addressed `<agent>/<framework id>/<executor id>`; the world maps that onto the
 * slot `<agent>/<executor id>` (the command executor's id is the task id; ids are unique in a
 * configuration).
 *
 * Faults: `agent-crash` restarts an agent from its checkpoint, `framework-failover` replaces a
 * scheduler by a new instance that resubscribes, `master-failover` replaces the master by one
 * that recovers the registry, `partition` cuts an agent off, `loss` drops one message.
 */
import { parseRemovalRateLimit } from '../protocol/removal-rate-limit.ts';
import { parseDuration } from '../protocol/duration.ts';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import type { ExecutorInfo, FrameworkInfo, FrameworkInfoCapability } from '../protocol/common.ts';
import { mustParseResources, toWire } from '../resources/index.ts';
import { agent, agentRestartInput } from '../machines/agent.ts';
import type { AgentContext, AgentFlags } from '../machines/agent.ts';
import { executor } from '../machines/executor.ts';
import { frameworkExecutor } from '../machines/executor-framework.ts';
import { RUNTIME_ONLY_EFFECTS } from '../machines/effects.ts';
import { master, masterRestartInput, type MasterContext } from '../machines/master.ts';
import type { MasterFlags, MasterInput } from '../machines/master/context.ts';
import {
  generalFramework,
  generalFrameworkRestartInput,
  type GateLie,
  type GeneralCall,
  type GeneralFrameworkContext,
  type GeneralFrameworkInput,
} from '../machines/general-framework.ts';
import { scheduler, schedulerRestartInput, type SchedulerContext, type SchedulerInput } from '../machines/scheduler.ts';
import type { ClusterTimeouts, FrameworkConfig, MesosConfig, TaskConfig } from './config.ts';
import { System, type ChannelDef, type ComponentDef } from './system.ts';
import { CAUSES, causeRecorder, noteCause } from './causes.ts';
import { intruder, intruderCalls, INTRUDER } from './intruder.ts';
import { mesosAuthentication } from './authentication.ts';
import { DEPOSED, ELECTION, ELECTION_EVENTS, election } from './election.ts';

/** Where everything is in the world, by configuration index. */
export interface MesosLayout {
  readonly master: string;
  readonly agents: readonly string[];
  readonly frameworks: readonly string[];
  /** Command executor slot of each (agent, command task). */
  readonly executors: readonly { readonly agent: string; readonly task: string; readonly slot: string; readonly framework: string }[];
  /** Slot of each (agent, custom or default executor): its tasks, and whether it runs a group. */
  readonly customExecutors: readonly CustomExecutorSlot[];
  /** Configured framework of each scheduler address, and each task's framework address. */
  readonly frameworkConfig: Readonly<Record<string, FrameworkConfig>>;
  readonly taskFramework: Readonly<Record<string, string>>;
  readonly taskConfig: Readonly<Record<string, TaskConfig>>;
  /** The election service's slot, when masters are elected (election.ts). */
  readonly election?: string;
  /** The timers that may fire while messages are in flight (MesosConfig.earlyTimers), when there are some. */
  readonly earlyTimers?: readonly string[];
}

/** Every executor's slot, command executors and custom (or default) ones alike: what a rule over all executors ranges over. */
export const everyExecutor = (l: MesosLayout): readonly (MesosLayout['executors'][number] | CustomExecutorSlot)[] => [...l.executors, ...l.customExecutors];

export interface CustomExecutorSlot {
  readonly agent: string;
  readonly executor: string;
  readonly slot: string;
  readonly framework: string;
  readonly tasks: readonly string[];
  readonly group: boolean;
}

export interface MesosWorld {
  readonly config: MesosConfig;
  readonly system: System;
  readonly layout: MesosLayout;
}

const MASTER_ID = 'm';

/**
 * The messages the loss fault may drop: those Mesos delivers at least once (status updates and
 * their acknowledgements, retried until acknowledged). Every other message travels on a TCP link
 * (libprocess, or the framework's HTTP connection): losing one means the link broke, which the
 * crash, failover and partition faults model with their consequences.
 */
const AT_LEAST_ONCE = ['STATUS_UPDATE', 'STATUS_UPDATE_ACK', 'UPDATE', 'ACKNOWLEDGE'] as const;

/** The most updates of one task an executor can replay at once (STARTING, RUNNING, KILLING, terminal). */
const EXECUTOR_BURST = 4;

/** The shell command standing for each outcome (the runtime and conformance runner run them). */
export const OUTCOME_COMMANDS: Readonly<Record<TaskConfig['outcome'], string>> = {
  finish: 'exit 0',
  fail: 'exit 1',
  any: 'exit 0',
  never: 'sleep 1000000',
  // An ignored signal stays ignored across exec, so sleep ignores SIGTERM too.
  stubborn: "trap '' TERM; sleep 1000000",
};

/** A process's death by the executor's SIGTERM (no step at all until the executor sends one). */
const SIGTERMED = { type: 'PROCESS_EXITED', status: 15, signal: 'Terminated', answersSignal: true } as const;
/**
 * How each outcome's process may exit: any process that has not ended yet dies of the executor's
 * SIGTERM (a `finish` task killed before it exits too, and a conformance runner's `sleep`), a
 * `never` process of nothing else, a `stubborn` one only of its SIGKILL. The signal comes first,
 * so that a shortest trace that kills a task has it die of the kill.
 */
const EXITS: Readonly<Record<TaskConfig['outcome'], readonly AnyEventObject[]>> = {
  finish: [SIGTERMED, { type: 'PROCESS_EXITED', status: 0 }],
  fail: [SIGTERMED, { type: 'PROCESS_EXITED', status: 1 }],
  any: [SIGTERMED, { type: 'PROCESS_EXITED', status: 0 }, { type: 'PROCESS_EXITED', status: 1 }],
  never: [SIGTERMED],
  stubborn: [{ type: 'PROCESS_EXITED', status: 9, signal: 'Killed', answersSignal: true, ignoresSigterm: true }],
};

/** The master flags a configuration's timeouts set (the agent ping timeout stays off when agentPings is). */
export function masterTimeoutFlags(t: ClusterTimeouts | undefined): Partial<MasterFlags> {
  return {
    ...(t?.agentReregisterTimeoutMs !== undefined ? { agentReregisterTimeoutMs: t.agentReregisterTimeoutMs } : {}),
    ...(t?.agentPingTimeoutMs !== undefined ? { agentPingTimeoutMs: t.agentPingTimeoutMs } : {}),
    ...(t?.offerTimeoutMs !== undefined ? { offerTimeoutMs: t.offerTimeoutMs } : {}),
  };
}

/** The agent flags a configuration's timeouts set. */
export function agentTimeoutFlags(t: ClusterTimeouts | undefined): Partial<AgentFlags> {
  return {
    ...(t?.executorRegistrationTimeoutMs !== undefined ? { executorRegistrationTimeoutMs: t.executorRegistrationTimeoutMs } : {}),
    ...(t?.executorReregistrationTimeoutMs !== undefined ? { executorReregistrationTimeoutMs: t.executorReregistrationTimeoutMs } : {}),
    ...(t?.recoveryTimeoutMs !== undefined ? { recoveryTimeoutMs: t.recoveryTimeoutMs } : {}),
    ...(t?.executorShutdownGracePeriodMs !== undefined ? { executorShutdownGraceMs: t.executorShutdownGracePeriodMs } : {}),
    ...(t?.executorTerminalAckTimeoutMs !== undefined ? { executorTerminalAckTimeoutMs: t.executorTerminalAckTimeoutMs } : {}),
  };
}

export function frameworkInfoOf(f: FrameworkConfig): FrameworkInfo {
  const capabilities: FrameworkInfoCapability[] = [];
  if (f.roles) capabilities.push({ type: 'MULTI_ROLE' });
  if (f.partitionAware) capabilities.push({ type: 'PARTITION_AWARE' });
  if (f.taskKillingState) capabilities.push({ type: 'TASK_KILLING_STATE' });
  return {
    user: 'root',
    name: f.name,
    failover_timeout: f.failoverTimeoutSeconds,
    checkpoint: f.checkpoint,
    ...(f.roles ? { roles: [...f.roles] } : {}),
    ...(capabilities.length ? { capabilities } : {}),
  };
}

/** What every custom and default executor of a configuration asks for (Mesos's default executor's figure; a group's executor must name disk). */
const EXECUTOR_RESOURCES = 'cpus:0.1;mem:32;disk:32';

/**
 * The program a configuration's custom executor runs. The model never runs it; a cluster that
 * replays a scenario runs the executor program its runner names in its place.
 */
export const CUSTOM_EXECUTOR_COMMAND = 'custom-executor';

function executorInfoOf(id: string, group: boolean): ExecutorInfo {
  const resources = toWire(mustParseResources(EXECUTOR_RESOURCES)) as ExecutorInfo['resources'];
  return group
    ? { type: 'DEFAULT', executor_id: { value: id }, resources }
    : { type: 'CUSTOM', executor_id: { value: id }, command: { value: CUSTOM_EXECUTOR_COMMAND, shell: true }, resources };
}

function schedulerInputOf(f: FrameworkConfig, self: string, masterAddress: string): SchedulerInput {
  return {
    self,
    master: masterAddress,
    framework_info: frameworkInfoOf(f),
    tasks: f.tasks.map((t) => ({
      task_id: t.id,
      resources: toWire(mustParseResources(t.resources)) as SchedulerInput['tasks'][number]['resources'],
      command: { value: OUTCOME_COMMANDS[t.outcome], shell: true },
      ...(t.executor !== undefined ? { executor: executorInfoOf(t.executor, false) } : {}),
      ...(t.group !== undefined ? { group: executorInfoOf(t.group, true) } : {}),
      ...(t.killGracePeriodSeconds !== undefined ? { kill_policy: { grace_period: { nanoseconds: Math.round(t.killGracePeriodSeconds * 1e9) } } } : {}),
    })),
    refuse_seconds: f.refuseSeconds ?? 5,
    reconcile: f.reconcile ?? 'none',
    suppress_when_done: true,
    resubscribe_delay_ms: 1000,
  };
}

/** Machines to run instead of the spec's (tests build mutants with `machine.provide()`). */
export interface MachineOverrides {
  readonly master?: AnyStateMachine;
  readonly agent?: AnyStateMachine;
  readonly scheduler?: AnyStateMachine;
  readonly executor?: AnyStateMachine;
  readonly generalFramework?: AnyStateMachine;
  /** The machine playing custom and default executors. */
  readonly frameworkExecutor?: AnyStateMachine;
  /** The election service and registry node, where masters are elected (election.ts). */
  readonly election?: AnyStateMachine;
}

/** A most general framework: each call it may make is an environment event its guard admits. */
function generalFrameworkComponent(f: FrameworkConfig, self: string, machine: AnyStateMachine | undefined): ComponentDef {
  const polite = schedulerInputOf(f, self, 'master');
  const gates = (f.gates ?? []) as GateLie[];
  const input: GeneralFrameworkInput = {
    self,
    master: 'master',
    framework_info: polite.framework_info,
    tasks: polite.tasks,
    calls: (f.calls ?? []) as GeneralCall[],
    budget: f.callBudget ?? 0,
    ...(gates.length ? { gates } : {}),
  };
  // Every call honest, and each call but SUBSCRIBE and the operator's with each lie allowed.
  const lies = (call: GeneralCall) => (call.startsWith('SUBSCRIBE') || call.startsWith('OPERATOR_') ? [] : gates);
  return {
    name: self,
    machine: machine ?? generalFramework,
    running: true,
    input,
    restartInput: (c) => generalFrameworkRestartInput(c as GeneralFrameworkContext),
    environment: input.calls.flatMap((call) => [{ type: 'CALL', call }, ...lies(call).map((gate) => ({ type: 'CALL', call, gate }))]),
  };
}

/** A configuration's `--agent_removal_rate_limit`, or a thrown error naming it. */
function removalRateLimit(text: string) {
  const r = parseRemovalRateLimit(text, parseDuration);
  if (!r.ok) throw new Error(`master.agentRemovalRateLimit: ${r.error}`);
  return r.value;
}

export function mesosWorld(config: MesosConfig, machines: MachineOverrides = {}): MesosWorld {
  const agents: string[] = [];
  const agentResources: string[] = [];
  const agentUnregisters: boolean[] = [];
  for (const a of config.agents) {
    for (let k = 0; k < (a.count ?? 1); k++) {
      agents.push(`agent-${agents.length}`);
      agentResources.push(a.resources);
      agentUnregisters.push(a.unregister === true);
    }
  }
  const frameworks = config.frameworks.map((_, j) => `fw-${j}`);
  const frameworkConfig: Record<string, FrameworkConfig> = {};
  const taskFramework: Record<string, string> = {};
  const taskConfig: Record<string, TaskConfig> = {};
  config.frameworks.forEach((f, j) => {
    frameworkConfig[frameworks[j]!] = f;
    for (const t of f.tasks) {
      taskFramework[t.id] = frameworks[j]!;
      taskConfig[t.id] = t;
    }
  });
  const commandTasks = Object.keys(taskConfig)
    .sort()
    .filter((t) => taskConfig[t]!.executor === undefined && taskConfig[t]!.group === undefined);
  const executors = agents.flatMap((a) => commandTasks.map((t) => ({ agent: a, task: t, slot: `${a}/${t}`, framework: taskFramework[t]! })));
  const customExecutors = agents.flatMap((a) => customExecutorsOf(config, frameworks).map((e): CustomExecutorSlot => ({ ...e, agent: a, slot: `${a}/${e.executor}` })));
  const executorSlots = [...executors, ...customExecutors];

  const masterInput: MasterInput = {
    id: MASTER_ID,
    flags: {
      heartbeatIntervalMs: config.master?.heartbeats ? 15_000 : 0,
      allocationCountSpread: 2,
      ...masterTimeoutFlags(config.timeouts),
      ...(config.master?.agentPings === false ? { agentPingTimeoutMs: 0 } : {}),
      ...(config.master?.maxAgentPingTimeouts !== undefined ? { maxAgentPingTimeouts: config.master.maxAgentPingTimeouts } : {}),
      ...(config.master?.agentRemovalRateLimit !== undefined ? { agentRemovalRateLimit: removalRateLimit(config.master.agentRemovalRateLimit) } : {}),
      ...(config.intruder ? { authenticateAgents: true } : {}),
    },
  };
  const elected = config.election !== undefined;
  const components: ComponentDef[] = [
    {
      name: 'master',
      machine: machines.master ?? master,
      running: true,
      input: masterInput,
      restartInput: (c) => masterRestartInput(c as MasterContext),
    },
    ...agents.map((name, i): ComponentDef => ({
      name,
      machine: machines.agent ?? agent,
      running: true,
      input: {
        self: name,
        master: 'master',
        info: { hostname: name, port: 5051, resources: toWire(mustParseResources(agentResources[i]!)) },
        ...(config.timeouts && Object.keys(agentTimeoutFlags(config.timeouts)).length ? { flags: agentTimeoutFlags(config.timeouts) } : {}),
      },
      restartInput: (c) => agentRestartInput(c as AgentContext),
      // An operator may shut the agent down gracefully (SIGUSR1): it unregisters.
      ...(agentUnregisters[i] ? { environment: [{ type: 'UNREGISTER_REQUEST' }] } : {}),
    })),
    ...config.frameworks.map((f, j): ComponentDef => {
      if (f.kind === 'general') return generalFrameworkComponent(f, frameworks[j]!, machines.generalFramework);
      const env: AnyEventObject[] = [
        ...(f.kill ?? []).map((task_id) => ({ type: 'KILL_REQUEST', task_id })),
        ...(f.teardown ? [{ type: 'TEARDOWN_REQUEST' }] : []),
        ...(f.messages ?? []).map((executor_id) => ({ type: 'MESSAGE_REQUEST', executor_id })),
      ];
      return {
        name: frameworks[j]!,
        machine: machines.scheduler ?? scheduler,
        running: true,
        input: schedulerInputOf(f, frameworks[j]!, 'master'),
        restartInput: (c) => schedulerRestartInput(c as SchedulerContext),
        ...(env.length ? { environment: env } : {}),
      };
    }),
    // What happened to each task, for the properties that judge what frameworks learn (causes.ts).
    { name: CAUSES, machine: causeRecorder, running: true, input: { tasks: Object.keys(taskConfig).sort() } },
    ...executors.map((e): ComponentDef => ({
      name: e.slot,
      machine: machines.executor ?? executor,
      running: false,
      environment: EXITS[taskConfig[e.task]!.outcome],
    })),
    ...customExecutors.map((e): ComponentDef => ({
      name: e.slot,
      machine: machines.frameworkExecutor ?? frameworkExecutor,
      running: false,
      environment: [
        // Exits on their own only: the framework executor reports a kill at once, sending no signal.
        ...e.tasks.flatMap((t) => EXITS[taskConfig[t]!.outcome].filter((x) => x.answersSignal !== true).map((x) => ({ ...x, task_id: t, ...(e.group ? { group: e.tasks } : {}) }))),
        ...((frameworkConfig[e.framework]!.executorKills ?? []).includes(e.executor) ? [{ type: 'EXECUTOR_KILLED' }] : []),
      ],
    })),
    // Masters elected through ZooKeeper (election.ts): the service, and the slot a deposed master runs on in.
    ...(elected
      ? [
          {
            name: ELECTION,
            machine: machines.election ?? election,
            running: true,
            input: { master: masterInput, standbys: Math.min(config.election!.masters - 1, config.faults.masterFailover) },
            environment: ELECTION_EVENTS,
          },
          { name: DEPOSED, machine: machines.master ?? master, running: false },
        ]
      : []),
    // Any call with any identity it can name, within its budget (intruder.ts).
    ...(config.intruder
      ? [
          {
            name: INTRUDER,
            machine: intruder,
            running: true,
            input: { budget: config.intruder.budget },
            environment: intruderCalls(
              {
                master: 'master',
                masterId: MASTER_ID,
                agents: agents.map((a) => ({ address: a, hostname: a })),
                frameworks: frameworks.length,
                executors: Object.keys(taskConfig).sort(),
              },
              config.intruder.malformed === true,
            ),
          },
        ]
      : []),
  ];

  const bound = config.channelBound;
  const channels: ChannelDef[] = [
    ...agents.flatMap((a): ChannelDef[] => [
      { from: 'master', to: a, kind: 'fifo', bound, lossy: AT_LEAST_ONCE, notifyOnBreak: true },
      { from: a, to: 'master', kind: 'fifo', bound, lossy: AT_LEAST_ONCE, notifyOnBreak: true },
    ]),
    ...frameworks.flatMap((f): ChannelDef[] => [
      { from: 'master', to: f, kind: 'fifo', bound, lossy: AT_LEAST_ONCE, notifyOnBreak: true },
      { from: f, to: 'master', kind: 'bag', bound, lossy: AT_LEAST_ONCE, notifyOnBreak: true },
    ]),
    // On loopback, untouched by partitions. A re-subscribing executor is answered SUBSCRIBED
    // plus one ACKNOWLEDGED per update it replays, in one step: room for all of them.
    ...executorSlots.flatMap((e): ChannelDef[] => [
      { from: e.agent, to: e.slot, kind: 'fifo', bound: bound + EXECUTOR_BURST, local: true, notifyOnBreak: true },
      { from: e.slot, to: e.agent, kind: 'fifo', bound: bound + EXECUTOR_BURST, local: true },
    ]),
    // What was on its way to a leader when it was deposed still reaches it (election.ts).
    ...(elected
      ? [
          ...agents.map((a): ChannelDef => ({ from: a, to: DEPOSED, kind: 'fifo', bound, lossy: AT_LEAST_ONCE })),
          ...frameworks.map((f): ChannelDef => ({ from: f, to: DEPOSED, kind: 'bag', bound, lossy: AT_LEAST_ONCE })),
        ]
      : []),
    // The intruder's own connections: to the master (and its answers back) and to each agent's executor API.
    ...(config.intruder
      ? ([
          { from: INTRUDER, to: 'master', kind: 'fifo', bound },
          { from: 'master', to: INTRUDER, kind: 'fifo', bound },
          ...agents.map((a): ChannelDef => ({ from: INTRUDER, to: a, kind: 'fifo', bound })),
        ] satisfies ChannelDef[])
      : []),
  ];

  const system = new System({
    components,
    channels,
    timing: config.timing,
    ...(config.earlyTimers?.length ? { earlyTimers: config.earlyTimers } : {}),
    faults: {
      loss: config.faults.loss,
      restarts: [
        { name: 'agent-crash', components: agents, budget: config.faults.agentCrash },
        { name: 'framework-failover', components: frameworks, budget: config.faults.frameworkFailover },
        // With elected masters, a failover is the election's (election.ts).
        { name: 'master-failover', components: ['master'], budget: elected ? 0 : config.faults.masterFailover },
      ],
      partition: { components: agents, budget: config.faults.partition },
    },
    ignoredEffects: RUNTIME_ONLY_EFFECTS,
    ...(elected ? { effectsTo: [{ from: ['master', DEPOSED], type: 'persist', to: ELECTION }], unheard: [DEPOSED] } : {}),
    // `agent-0/<framework id>/<executor id>` lives in the slot `agent-0/<executor id>`.
    resolve: (address) => {
      const m = /^(agent-\d+)\/[^/]+\/(.+)$/.exec(address);
      return m ? `${m[1]}/${m[2]}` : address;
    },
    // Offer ids `<master>-O<n>` are compared only for equality: renamed canonically.
    freshIds: [{ pattern: /(-O)(\d+)(?=")/g, owner: 'master', counter: 'offer' }],
    symmetry: symmetryGroups(config, agents, agentResources, frameworks),
    ...(config.intruder ? { authenticate: mesosAuthentication({ master: 'master', agents, executorSlots: executorSlots.map((e) => e.slot), intruder: INTRUDER }) } : {}),
    recorder: {
      component: CAUSES,
      note: (what) =>
        noteCause(
          // A leader's session expiring is the master failing over.
          what.component === ELECTION && what.event?.type === 'ELECT' ? { fault: 'master-failover', component: 'master' } : what,
          (fw) => frameworkConfig[fw]?.tasks.map((t) => t.id) ?? [],
          (slot) => customExecutors.find((e) => e.slot === slot)?.tasks ?? [],
        ),
    },
  });

  return {
    config,
    system,
    layout: {
      master: 'master',
      agents,
      frameworks,
      executors,
      customExecutors,
      frameworkConfig,
      taskFramework,
      taskConfig,
      ...(elected ? { election: ELECTION } : {}),
      ...(config.earlyTimers?.length ? { earlyTimers: config.earlyTimers } : {}),
    },
  };
}

/** Each custom or default executor a configuration's tasks name, with its tasks (sorted by id). */
function customExecutorsOf(config: MesosConfig, frameworks: readonly string[]): Omit<CustomExecutorSlot, 'agent' | 'slot'>[] {
  const out = new Map<string, Omit<CustomExecutorSlot, 'agent' | 'slot'>>();
  config.frameworks.forEach((f, j) => {
    for (const t of f.tasks) {
      const id = t.executor ?? t.group;
      if (id === undefined) continue;
      const e = out.get(id) ?? { executor: id, framework: frameworks[j]!, tasks: [], group: t.group !== undefined };
      out.set(id, { ...e, tasks: [...e.tasks, t.id].sort() });
    }
  });
  return [...out.values()].sort((a, b) => (a.executor < b.executor ? -1 : 1));
}

/**
 * Interchangeable parts: agents with the same resources; frameworks whose configurations are
 * the same but for their name and their task ids (a member lists the scheduler's address, the
 * framework's name and its task ids, in order).
 */
function symmetryGroups(config: MesosConfig, agents: readonly string[], resources: readonly string[], frameworks: readonly string[]): string[][][] {
  const groups: string[][][] = [];
  const byResources = new Map<string, string[][]>();
  agents.forEach((a, i) => byResources.set(resources[i]!, [...(byResources.get(resources[i]!) ?? []), [a]]));
  for (const members of byResources.values()) if (members.length > 1) groups.push(members);
  const shape = (f: FrameworkConfig) =>
    JSON.stringify({
      ...f,
      name: '',
      tasks: f.tasks.map((t) => ({ ...t, id: '' })),
      kill: (f.kill ?? []).map((k) => f.tasks.findIndex((t) => t.id === k)),
    });
  const byShape = new Map<string, string[][]>();
  config.frameworks.forEach((f, j) => byShape.set(shape(f), [...(byShape.get(shape(f)) ?? []), [frameworks[j]!, f.name, ...f.tasks.map((t) => t.id)]]));
  for (const members of byShape.values()) if (members.length > 1) groups.push(members);
  return groups;
}
