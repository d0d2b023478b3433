/**
 * The named configurations. `default` is what `mesos-ref verify` proves in CI: small enough to
 * explore exhaustively in well under two minutes, yet with an agent crash, a lost message and
 * a framework failover in it. The others are larger, for the benchmark and for simulation.
 */
import { NO_FAULTS, type FrameworkConfig, type MesosConfig, type TaskConfig, type TaskOutcome } from '../spec/world/config.ts';
import {
  QUOTA_UPDATES,
  REFUSED_ACCEPTS,
  REFUSED_CONVERSIONS,
  REFUSED_EXECUTORS,
  REFUSED_GROUPS,
  REFUSED_FRAMEWORK_INFOS,
  REFUSED_OFFER_USES,
  REFUSED_OPERATIONS,
  REFUSED_OPERATOR_CONVERSIONS,
  REFUSED_OPERATOR_VOLUMES,
  REFUSED_QUOTAS,
  REFUSED_WEIGHTS,
  type GeneralCall,
} from '../spec/machines/general-framework.ts';

const task = (id: string, outcome: TaskOutcome = 'any', resources = 'cpus:1;mem:128') => ({ id, resources, outcome });

/** One most general framework with these calls and budget (and ACCEPT, so a task can finish). */
const general = (
  calls: readonly GeneralCall[],
  callBudget: number,
  tasks: readonly TaskConfig[] = [task('g1', 'finish')],
  extra: Partial<FrameworkConfig> = {},
): FrameworkConfig => ({
  name: 'fw-g',
  kind: 'general',
  partitionAware: true,
  checkpoint: true,
  failoverTimeoutSeconds: 60,
  tasks,
  calls: ['ACCEPT', ...calls],
  callBudget,
  ...extra,
});

/** Two tasks that run until killed on one custom executor `ex`, which may be killed (kill -9), of a framework that does not checkpoint. */
const customExecutorTasks = (partitionAware: boolean): FrameworkConfig => ({
  name: 'fw-a',
  partitionAware,
  checkpoint: false,
  failoverTimeoutSeconds: 60,
  tasks: [
    { ...task('x1', 'never', 'cpus:0.5;mem:128'), executor: 'ex' },
    { ...task('x2', 'never', 'cpus:0.5;mem:128'), executor: 'ex' },
  ],
  executorKills: ['ex'],
});

/** A small world for one family of calls: one agent unless told, no faults unless told. */
const family = (name: string, description: string, frameworks: FrameworkConfig[], extra: Partial<MesosConfig> = {}): MesosConfig => ({
  name,
  description,
  agents: [{ resources: 'cpus:2;mem:1024' }],
  frameworks,
  faults: NO_FAULTS,
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
  ...extra,
});

/** Two tasks of one custom executor `ex`: one exits 0, one runs until killed. */
const TWO_ON_A_CUSTOM_EXECUTOR: TaskConfig[] = [
  { ...task('x1', 'finish', 'cpus:0.5;mem:128'), executor: 'ex' },
  { ...task('x2', 'never', 'cpus:0.5;mem:128'), executor: 'ex' },
];

export const configs: Readonly<Record<string, MesosConfig>> = {
  default: {
    name: 'default',
    description: 'one agent, one checkpointing partition-aware framework with one task; one lost message, one agent crash, one framework failover',
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')], reconcile: 'explicit' }],
    faults: { loss: 1, agentCrash: 1, frameworkFailover: 1, masterFailover: 0, partition: 0 },
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: false },
  },
  'two-frameworks': {
    name: 'two-frameworks',
    description: 'the walk-through: one agent shared by two frameworks, one task each',
    agents: [{ resources: 'cpus:4;mem:4096' }],
    frameworks: [
      { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('a1', 'finish', 'cpus:2;mem:1024')] },
      { name: 'fw-b', partitionAware: false, checkpoint: false, failoverTimeoutSeconds: 0, tasks: [task('b1', 'finish', 'cpus:1;mem:2048')] },
    ],
    faults: { loss: 1, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 },
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: false },
  },
  partition: {
    name: 'partition',
    description: 'an agent partitioned and healed under a partition-aware and a non-partition-aware framework',
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [
      { name: 'fw-pa', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('p1', 'finish')], reconcile: 'explicit' },
      { name: 'fw-np', partitionAware: false, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('n1', 'finish')] },
    ],
    faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 1 },
    channelBound: 3,
    timing: 'eager',
    master: { maxAgentPingTimeouts: 2 },
  },
  'master-failover': {
    name: 'master-failover',
    description: 'the master fails over while a task runs; agents and the framework come back',
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1')], reconcile: 'explicit', kill: ['t1'] }],
    faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 1, partition: 0 },
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: false },
  },
  large: {
    name: 'large',
    description: 'two agents, two frameworks, three tasks, every fault once: for simulation and the benchmark',
    agents: [{ resources: 'cpus:2;mem:1024', count: 2 }],
    frameworks: [
      { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('a1'), task('a2')], reconcile: 'explicit', kill: ['a2'] },
      { name: 'fw-b', partitionAware: false, checkpoint: false, failoverTimeoutSeconds: 0, tasks: [task('b1')] },
    ],
    faults: { loss: 1, agentCrash: 1, frameworkFailover: 1, masterFailover: 1, partition: 1 },
    channelBound: 3,
    timing: 'eager',
    master: { maxAgentPingTimeouts: 2 },
  },
  // The most general framework, one family of calls each (DESIGN.md section 5).
  'refused-calls': family('refused-calls', 'a general framework sends each SUBSCRIBE Mesos refuses and calls the gate refuses', [
    general(
      [
        'SUBSCRIBE',
        'SUBSCRIBE_EMPTY_ID',
        'SUBSCRIBE_BAD_ROLE',
        'SUBSCRIBE_DUPLICATE_ROLES',
        'SUBSCRIBE_BAD_FAILOVER_TIMEOUT',
        'SUBSCRIBE_OTHER_PRINCIPAL',
        'SUBSCRIBE_STRAY_SUPPRESSED_ROLE',
        'UPDATE_FRAMEWORK',
        'UPDATE_FRAMEWORK_PRINCIPAL',
        'OPERATOR_TEARDOWN',
      ],
      2,
    ),
  ]),
  gate: family(
    'gate',
    'a general framework sends every call on a stale stream, without one, as an unknown framework, and while it fails over',
    [
      general(
        [
          'DECLINE',
          'REVIVE',
          'SUPPRESS',
          'KILL',
          'ACKNOWLEDGE_UNKNOWN_UUID',
          'RECONCILE',
          'MESSAGE',
          'SHUTDOWN',
          'TEARDOWN',
          'UPDATE_FRAMEWORK',
          'ACCEPT_INVERSE_OFFERS',
          'DECLINE_INVERSE_OFFERS',
          'REQUEST',
          'ACKNOWLEDGE_OPERATION_STATUS',
          'RECONCILE_OPERATIONS',
        ],
        2,
        undefined,
        { gates: ['stale-stream', 'no-stream', 'unknown-framework'] },
      ),
    ],
    { faults: { ...NO_FAULTS, frameworkFailover: 1 } },
  ),
  'kill-and-teardown': family('kill-and-teardown', 'a polite framework kills its task (KILLING state on) or tears itself down; the agent and executor wind down', [
    { name: 'fw-a', partitionAware: true, checkpoint: true, taskKillingState: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'any')], kill: ['t1'], teardown: true },
  ]),
  heartbeats: family(
    'heartbeats',
    'health checks on: the master pings the agent and sends the framework heartbeats',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')] }],
    { master: { heartbeats: true } },
  ),
  declines: family('declines', 'a general framework declines with and without filters, suppresses and revives, all roles and one', [
    general(['DECLINE', 'DECLINE_NO_FILTER', 'REVIVE', 'REVIVE_ROLE', 'REVIVE_STRAY_ROLE', 'SUPPRESS', 'SUPPRESS_ROLE'], 3),
  ]),
  'task-errors': family(
    'task-errors',
    "a general framework launches on stale offers, offers of two agents, and each of Mesos's task validation failures",
    [general([...REFUSED_ACCEPTS], 2)],
    { agents: [{ resources: 'cpus:2;mem:1024', count: 2 }] },
  ),
  'kill-races': family('kill-races', 'a general framework kills its running task, unknown tasks and tasks on unknown agents, and reconciles', [
    general(['KILL', 'KILL_UNKNOWN_TASK', 'KILL_UNKNOWN_AGENT', 'RECONCILE', 'RECONCILE_KNOWN', 'RECONCILE_UNKNOWN'], 3, [task('g1', 'any')]),
  ]),
  acknowledgements: family('acknowledgements', 'a general framework acknowledges twice, with an unknown uuid, and messages and shuts down executors', [
    general(['ACKNOWLEDGE_DUPLICATE', 'ACKNOWLEDGE_UNKNOWN_UUID', 'MESSAGE', 'SHUTDOWN'], 3),
  ]),
  reservation: family(
    'reservation',
    'an agent with a cpu reserved for role web; a framework of web and one of batch each want a cpu: only web may run on the reservation',
    [
      { name: 'fw-web', roles: ['web'], partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('w1', 'finish')] },
      { name: 'fw-batch', roles: ['batch'], partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('b1', 'finish')] },
    ],
    { agents: [{ resources: 'cpus(web):1;cpus:1;mem:1024' }] },
  ),
  operators: family(
    'operators',
    "an operator marks the agent gone (or an unknown one), deactivates and reactivates it, reserves and unreserves a cpu for the role of web, sets its weight and an idle role's; offers time out",
    [
      general(
        [
          'OPERATOR_MARK_AGENT_GONE',
          'OPERATOR_MARK_UNKNOWN_AGENT_GONE',
          'OPERATOR_DEACTIVATE_AGENT',
          'OPERATOR_REACTIVATE_AGENT',
          'OPERATOR_RESERVE',
          'OPERATOR_UNRESERVE',
          'OPERATOR_UPDATE_WEIGHTS',
          'OPERATOR_UPDATE_WEIGHTS_IDLE_ROLE',
        ],
        2,
        [task('g1', 'finish')],
        { roles: ['web'] },
      ),
    ],
    { timeouts: { offerTimeoutMs: 30_000 } },
  ),
  // An intruder in an authenticated world (issue 13): executor calls with any ids and without
  // the caller's token, fake agents and another agent's id, while the real agent may crash (its
  // id is then free for a moment).
  intruder: family(
    'intruder',
    "an authenticated world with an intruder: any executor call with any ids, a fake agent, another agent's id; one agent crash",
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 }, intruder: { budget: 1 } },
  ),
  teardown: family(
    'teardown',
    'a general framework tears down or fails over and resubscribes (maybe without failover_timeout: then it is removed when its stream breaks); failover timeouts expire',
    [general(['TEARDOWN', 'SUBSCRIBE', 'SUBSCRIBE_WITHOUT_FAILOVER_TIMEOUT', 'UPDATE_FRAMEWORK'], 2)],
    { faults: { ...NO_FAULTS, frameworkFailover: 1 } },
  ),
  // Kills with an agent crash (issue 9's coverage): the executor's kill path meets the agent's
  // restart. A checkpointing framework's executor waits for the agent to recover (RECOVERY_TIMEOUT
  // while killing); a non-checkpointing one's executor ends when the agent's link breaks, in
  // whatever state its task is (idle, running, killing, exited). The task runs until killed.
  'kill-crash': family(
    'kill-crash',
    'a polite framework kills a task that runs until killed while the agent may crash; the executor waits for the agent to recover',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], kill: ['t1'] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'kill-crash-no-checkpoint': family(
    'kill-crash-no-checkpoint',
    'the same kill and agent crash for a framework that does not checkpoint: its executor ends with the link to the agent',
    [{ name: 'fw-a', partitionAware: false, checkpoint: false, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], kill: ['t1'] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // Quota (issue 17): an operator limits web to one cpu while a framework of batch competes for
  // the same agent; web's offers and tasks stay within the limit. (A guarantee here would make
  // the master rescind batch's offer, which the polite scheduler, having suppressed, never
  // recovers from: test/allocator/quota.test.ts and the e2e test cover guarantees.)
  quota: family('quota', 'an operator limits the quota of web to one cpu while a framework of batch competes for the agent', [
    general(['OPERATOR_UPDATE_QUOTA'], 1, [task('g1', 'finish')], { roles: ['web'] }),
    { name: 'fw-batch', roles: ['batch'], partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('b1', 'finish')] },
  ]),
  // Draining (issue 17): an operator drains the agent under a running task and has it marked
  // gone once drained; the agent's offers stop, the task is killed, nothing lands there again.
  drain: family('drain', 'an operator drains the agent of a general framework with mark_gone while its task runs', [general(['OPERATOR_DRAIN_AGENT'], 2, [task('g1', 'finish')])]),
  // A drain without mark_gone that the agent may be away for: the drain is sent again when it
  // reregisters, and the operator may reactivate the agent (issue 17's drain, issue 9's agent lifecycle).
  'drain-crash': family(
    'drain-crash',
    'an operator drains (keeping the agent) and may reactivate the agent of a general framework while its task runs; the agent may crash',
    [general(['OPERATOR_DRAIN_AGENT_KEEP', 'OPERATOR_REACTIVATE_AGENT'], 2, [task('g1', 'never')])],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // Executors a framework brings (issue 14): a custom executor with two tasks, a message each
  // way and a kill -9 of the executor under a running task; a task group where one task fails.
  'custom-executor': family(
    'custom-executor',
    'a custom executor runs two tasks (one exits 0, one runs on), echoes a MESSAGE from its framework, and may be killed under its running task (FAILURE status 9)',
    [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: false,
        failoverTimeoutSeconds: 60,
        tasks: TWO_ON_A_CUSTOM_EXECUTOR,
        messages: ['ex'],
        executorKills: ['ex'],
      },
    ],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }] },
  ),
  'task-group': family(
    'task-group',
    'a task group of two under the default executor, one of which exits 1: the group policy kills the other, the executor leaves, FAILURE status 0',
    [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: false,
        failoverTimeoutSeconds: 60,
        tasks: [
          { ...task('k1', 'fail', 'cpus:0.5;mem:128'), group: 'grp' },
          { ...task('k2', 'never', 'cpus:0.5;mem:128'), group: 'grp' },
        ],
      },
    ],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }] },
  ),
  'custom-executor-faults': family(
    'custom-executor-faults',
    "a checkpointing framework's custom executor runs a task and may be killed (FAILURE status 9), under one agent crash and one framework failover: where Mesos owes the FAILURE and where a fault loses it",
    [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: true,
        failoverTimeoutSeconds: 60,
        tasks: [{ ...task('x1', 'never', 'cpus:0.5;mem:128'), executor: 'ex' }],
        executorKills: ['ex'],
      },
    ],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }], faults: { loss: 0, agentCrash: 1, frameworkFailover: 1, masterFailover: 0, partition: 0 } },
  ),
  'custom-executor-kill': family(
    'custom-executor-kill',
    "a framework that does not checkpoint kills its custom executor's task or tears itself down (the executor's KILL and SHUTDOWN); its agent may crash (the executor ends with the agent's link)",
    [
      {
        name: 'fw-a',
        partitionAware: false,
        checkpoint: false,
        failoverTimeoutSeconds: 60,
        tasks: [{ ...task('x1', 'never', 'cpus:0.5;mem:128'), executor: 'ex' }],
        kill: ['x1'],
        teardown: true,
      },
    ],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }], faults: { loss: 0, agentCrash: 1, frameworkFailover: 0, masterFailover: 0, partition: 0 } },
  ),
  // Highly available masters (issue 19): two masters elected through ZooKeeper; the leader's
  // session expires at any moment (while an agent's registration is on its way to it, while a
  // task runs); the deposed leader goes on until it aborts, the registry fenced by version.
  'ha-masters': {
    name: 'ha-masters',
    description:
      "two masters elected through ZooKeeper: the leader's session expires, the standby takes over and claims the registry; the deposed leader runs on until its write fails or it notices",
    agents: [{ resources: 'cpus:2;mem:1024' }],
    frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1')], reconcile: 'explicit' }],
    faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 1, partition: 0 },
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: false },
    election: { masters: 2 },
  },
  // The scheduler's subscribing: ERROR (issue 9): a polite framework whose role Mesos refuses
  // ("a b": a role may not contain a space) is answered ERROR and stops, while another runs its task.
  'refused-role': family('refused-role', 'a polite framework subscribes with a role Mesos refuses and stops on the ERROR; another runs its task', [
    { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')] },
    { name: 'fw-b', roles: ['a b'], partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('u1', 'finish')] },
  ]),
  // The polite scheduler's relaunch (issue 9, after issue 17's finding): quota's configuration
  // with a guarantee instead of a limit. The master rescinds batch's offer to meet web's guarantee,
  // batch's ACCEPT (sent before it heard) is dropped after batch suppressed; batch revives and
  // launches again.
  'quota-guarantee': family('quota-guarantee', 'an operator guarantees web one cpu while batch holds the offer; batch, its launch dropped, revives and launches again', [
    general(['OPERATOR_GUARANTEE_QUOTA'], 1, [task('g1', 'finish')], { roles: ['web'] }),
    { name: 'fw-batch', roles: ['batch'], partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('b1', 'finish')] },
  ]),
  // Reservations and persistent volumes by ACCEPT (issue 17): a framework of web reserves disk
  // and creates a volume on it, launches its task on the volume, destroys the volume and
  // unreserves the disk, in any order the offers allow (a wrong order is OPERATION_ERROR). The
  // task runs until killed, so the volume is in use while timers fire (and a DESTROY meanwhile is refused).
  volumes: family(
    'volumes',
    'a general framework of role web reserves disk, creates a persistent volume on it, launches a task on the volume and kills it, destroys the volume and unreserves the disk',
    [general(['ACCEPT_RESERVE_CREATE', 'ACCEPT_ON_VOLUME', 'KILL', 'ACCEPT_DESTROY_UNRESERVE'], 4, [task('g1', 'never')], { roles: ['web'] })],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:64' }] },
  ),
  // A volume in use: the operator may try to destroy it under the task that runs on it, which
  // Mesos refuses ("Persistent volumes in use", validate(Destroy)).
  'volume-in-use': family(
    'volume-in-use',
    'a general framework of role web reserves disk, creates a persistent volume on it and launches a task on the volume; an operator tries to destroy the volume, before or while the task uses it',
    [general(['ACCEPT_RESERVE_CREATE', 'ACCEPT_ON_VOLUME', 'OPERATOR_DESTROY_VOLUMES'], 3, [task('g1', 'finish')], { roles: ['web'] })],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:64' }] },
  ),
  // The operator's side of volumes: DESTROY_VOLUMES and CREATE_VOLUMES on what the framework made.
  'volumes-operator': family(
    'volumes-operator',
    'a general framework of role web reserves disk and creates a persistent volume on it; an operator destroys the volume and creates it again',
    [general(['ACCEPT_RESERVE_CREATE', 'OPERATOR_DESTROY_VOLUMES', 'OPERATOR_CREATE_VOLUMES'], 3, [task('g1', 'finish')], { roles: ['web'] })],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:64' }] },
  ),
  // Agent removal (issue 17): the agent may shut down gracefully and unregister at any moment
  // (before it registers, with a task running): the master removes it, the task is LOST, nothing
  // lands there again. (With an agent crash too it is 40,000+ states: the unregistration of a
  // recovering agent is checked on the machine only.)
  unregister: family(
    'unregister',
    'the agent may shut down gracefully and unregister at any moment while a framework runs a task on it',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')] }],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }] },
  ),
  // Rate-limited agent removal (issue 17): the master fails over and the agent's reregister
  // timeout may expire before it comes back: it takes the permit of --agent_removal_rate_limit,
  // whose interval then runs out (a second agent waiting in line would double the states: the
  // waiting line is checked on the machine, test/machines/master-removal-limit.test.ts).
  'removal-limit': family(
    'removal-limit',
    'the master fails over; the agent not back in time is marked unreachable under --agent_removal_rate_limit 1/10mins, whose permit interval then runs out; the framework reconciles implicitly when it resubscribes',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')], reconcile: 'implicit' }],
    { faults: { ...NO_FAULTS, masterFailover: 1 }, master: { agentPings: false, agentRemovalRateLimit: '1/10mins' } },
  ),
  // Two agents not back in time after the failover: the second waits in the removal limiter's line
  // for the permit the first took (Master::markUnreachable through the RateLimiter).
  'removal-limit-two-agents': family(
    'removal-limit-two-agents',
    'the master fails over and neither of two agents is back in time: under --agent_removal_rate_limit 1/10mins the second waits for the next permit, or comes back while it waits',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')], reconcile: 'implicit' }],
    {
      agents: [{ resources: 'cpus:2;mem:1024', count: 2 }],
      faults: { ...NO_FAULTS, masterFailover: 1 },
      master: { agentPings: false, agentRemovalRateLimit: '1/10mins' },
    },
  ),
  // Issue 9's coverage of the master's agent lifecycle: operator calls on an agent already
  // deactivated, draining or drained, or away; each small, one family of rows each.
  'operator-drain': family('operator-drain', 'an operator drains (keeping the agent) under a running task, then reactivates it or marks it gone, draining or drained', [
    general(['OPERATOR_DRAIN_AGENT_KEEP', 'OPERATOR_MARK_AGENT_GONE', 'OPERATOR_REACTIVATE_AGENT'], 3, [task('g1', 'never')]),
  ]),
  'operator-deactivate-drain': family('operator-deactivate-drain', 'an operator deactivates the agent under a running task, then drains it with mark_gone', [
    general(['OPERATOR_DEACTIVATE_AGENT', 'OPERATOR_DRAIN_AGENT'], 3, [task('g1', 'never')]),
  ]),
  'operator-crash': family(
    'operator-crash',
    'an operator deactivates the agent or marks it gone while it may crash: it comes back deactivated, or is gone while away',
    [general(['OPERATOR_DEACTIVATE_AGENT', 'OPERATOR_MARK_AGENT_GONE'], 2, [task('g1', 'never')])],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'drain-gone-crash': family(
    'drain-gone-crash',
    'an operator drains with mark_gone the agent of a running task while the agent may crash: the task is gone by operator whether the agent is there or comes back',
    [general(['OPERATOR_DRAIN_AGENT'], 2, [task('g1', 'never')])],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'unregister-operator': family(
    'unregister-operator',
    'an operator deactivates or drains the agent, which may shut down gracefully and unregister at any moment',
    [general(['OPERATOR_DEACTIVATE_AGENT', 'OPERATOR_DRAIN_AGENT_KEEP'], 2)],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }] },
  ),
  // A recovering agent that unregisters (with an id: UNREGISTER_AGENT first), and whose
  // reregistration the master may meet after removing it.
  'unregister-crash': family(
    'unregister-crash',
    'the agent of a running task may crash once and shut down gracefully at any moment, recovering or not',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')] }],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }], faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // The executor's disconnected: LINK_BROKEN: a checkpointing executor waiting for its agent
  // sees the agent restart a second time.
  'agent-restarts': family(
    'agent-restarts',
    "the agent of a checkpointing framework's running task crashes twice: its executor, waiting to resubscribe, sees the link break again",
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')] }],
    { faults: { ...NO_FAULTS, agentCrash: 2 } },
  ),
  // The executor's killing: KILL [killShortensGrace]: the framework kills its task (3 s grace),
  // then a drain's max_grace_period of 1 s kills it again, shorter.
  'drain-kill': family('drain-kill', 'a general framework kills its running task and an operator drains the agent with a shorter grace, in either order', [
    general(['OPERATOR_DRAIN_AGENT', 'KILL'], 3, [task('g1', 'never')]),
  ]),
  // The agent's reregistering: LINK_BROKEN: the master fails over while the restarted agent
  // reregisters (and tasks the new master learns of only from the agent, dropped or gone).
  'crash-master-failover': family(
    'crash-master-failover',
    "the agent of a checkpointing framework's running task crashes once and the master fails over once, in any order",
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')] }],
    { faults: { ...NO_FAULTS, agentCrash: 1, masterFailover: 1 } },
  ),
  // What the master does with a task on a crashed agent for frameworks other than the usual
  // checkpointing partition-aware one: LOST (and back) for one not partition-aware; completed
  // with its agent's link for one that does not checkpoint.
  'crash-not-partition-aware': family(
    'crash-not-partition-aware',
    'the agent of a checkpointing framework that is not partition-aware crashes once under its running task: the task is LOST, and comes back if the agent does',
    [{ name: 'fw-a', partitionAware: false, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'crash-no-checkpoint-ends': family(
    'crash-no-checkpoint-ends',
    'the agent of a framework that does not checkpoint crashes once, maybe after the task ended and before its end was acknowledged: the master forgets the task with the link',
    [{ name: 'fw-a', partitionAware: true, checkpoint: false, failoverTimeoutSeconds: 60, tasks: [task('t1', 'any')] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // The general framework's LINK_BROKEN from the master: it resubscribes to the new leader.
  'general-master-failover': family(
    'general-master-failover',
    'the master fails over under a general framework with calls left: it resubscribes at once',
    [general(['REVIVE'], 2)],
    {
      faults: { ...NO_FAULTS, masterFailover: 1 },
    },
  ),
  // Issue 9's coverage, stop 27: rows of the agent's and tasks' lifecycles nothing above takes.
  // Operator calls before a master failover: the new master meets the agent's reregistration
  // with the registry's word that it is deactivated, draining, drained or gone.
  'operator-master-failover': family(
    'operator-master-failover',
    'an operator deactivates, drains or marks gone the agent of a running task, and the master may fail over: the agent reregisters with the new master as the registry has it',
    [general(['OPERATOR_DEACTIVATE_AGENT', 'OPERATOR_DRAIN_AGENT_KEEP', 'OPERATOR_MARK_AGENT_GONE'], 2, [task('g1', 'finish')])],
    { faults: { ...NO_FAULTS, masterFailover: 1 } },
  ),
  // The executor API's refusals of an agent that is shutting down (SUBSCRIBE with ids it does not know, another's token).
  'intruder-unregister': family(
    'intruder-unregister',
    'an authenticated world with an intruder while the agent may shut down gracefully and unregister',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')] }],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }], intruder: { budget: 1 } },
  ),
  // Tasks in TASK_KILLING when their agent leaves: it unregisters, its link breaks (no checkpoint), the master fails over.
  'killing-unregister': family(
    'killing-unregister',
    'a framework with the KILLING state kills its running task while the agent may shut down gracefully and unregister',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, taskKillingState: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], kill: ['t1'] }],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }] },
  ),
  'killing-crash-no-checkpoint': family(
    'killing-crash-no-checkpoint',
    'a framework with the KILLING state that does not checkpoint kills its running task while the agent may crash: the master forgets the killing task with the link',
    [{ name: 'fw-a', partitionAware: true, checkpoint: false, taskKillingState: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], kill: ['t1'] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'killing-master-failover': family(
    'killing-master-failover',
    'a framework with the KILLING state kills its running task (a kill policy of 5 s) while the master may fail over: the new master learns of the killing task, kill policy and all, from the agent',
    [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: true,
        taskKillingState: true,
        failoverTimeoutSeconds: 60,
        tasks: [{ ...task('t1', 'never'), killGracePeriodSeconds: 5 }],
        kill: ['t1'],
      },
    ],
    { faults: { ...NO_FAULTS, masterFailover: 1 } },
  ),
  'killing-gone': family('killing-gone', 'a general framework with the KILLING state kills its running task and an operator marks the agent gone, in either order', [
    general(['KILL', 'OPERATOR_MARK_AGENT_GONE'], 3, [task('g1', 'never')], { taskKillingState: true }),
  ]),
  // Terminal tasks not yet acknowledged when their agent leaves.
  'failed-agent-leaves': family(
    'failed-agent-leaves',
    'the task of a general framework fails; an operator may mark its agent gone, or the agent unregister, before the failure is acknowledged',
    [general(['OPERATOR_MARK_AGENT_GONE'], 2, [task('g1', 'fail')])],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }] },
  ),
  // The command executor's killing: SHUTDOWN [shutdownShortensGrace]: with the agent's
  // --executor_shutdown_grace_period at 4 s the executor's SHUTDOWN kills with 2 s (after its
  // 2 s margin), shorter than the 3 s of the kill it is in.
  'shutdown-while-killing': family(
    'shutdown-while-killing',
    "a framework kills its running task or tears itself down, in either order, under an agent whose --executor_shutdown_grace_period is 4 s: the executor's SHUTDOWN shortens the kill's grace",
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], kill: ['t1'], teardown: true }],
    // With conformance's short recovery and terminal-acknowledgement timeouts too, which the agent passes on to its executors.
    { timeouts: { executorShutdownGracePeriodMs: 4000, recoveryTimeoutMs: 10_000, executorTerminalAckTimeoutMs: 10_000 } },
  ),
  // A custom executor while the master fails over: the new master learns the executor from the
  // agent's reregistration (executor_infos), not from a launch it saw.
  'custom-executor-master-failover': family(
    'custom-executor-master-failover',
    "a custom executor runs a task while the master fails over: the new master books the executor from the agent's report",
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ ...task('x1', 'finish', 'cpus:0.5;mem:128'), executor: 'ex' }] }],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }], faults: { ...NO_FAULTS, masterFailover: 1 } },
  ),
  // A task that ignores SIGTERM: only the command executor's SIGKILL, once the grace period is over, ends it.
  'stubborn-kill': family('stubborn-kill', "a polite framework kills a task that ignores SIGTERM: the executor's SIGKILL after the grace period ends it", [
    { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'stubborn')], kill: ['t1'] },
  ]),
  // A drain with mark_gone of an agent an earlier drain left DRAINED.
  'drain-twice': family('drain-twice', 'an operator drains the agent of a general framework, keeping it, then drains it again with mark_gone', [
    general(['OPERATOR_DRAIN_AGENT_KEEP', 'OPERATOR_DRAIN_AGENT'], 3, [task('g1', 'finish')]),
  ]),
  // An operator call around a partition: the agent is marked unreachable while deactivated.
  // (With OPERATOR_MARK_AGENT_GONE too, goneAgentsHostNothing fails: an unreachable task whose
  // RUN_TASK the partition lost outlives its agent's reregistration and its marking gone; see
  // the report of issue 9, stop 27.)
  'partition-operator': family(
    'partition-operator',
    'an operator deactivates the agent of a general framework while the agent may be cut off and marked unreachable',
    [general(['OPERATOR_DEACTIVATE_AGENT'], 2, [task('g1', 'finish')])],
    { faults: { ...NO_FAULTS, partition: 1 }, master: { maxAgentPingTimeouts: 1 } },
  ),
  // What the registry keeps of an operator's calls across a master failover: the new master
  // recovers the reservation, the quota and the weight from it (master/reservations.ts, quota.ts).
  'operator-registry-failover': family(
    'operator-registry-failover',
    'an operator reserves a cpu for web, limits its quota or sets its weight, and the master may fail over: the new master recovers each from the registry',
    [general(['OPERATOR_RESERVE', 'OPERATOR_UPDATE_QUOTA', 'OPERATOR_UPDATE_WEIGHTS'], 2, [task('g1', 'finish')], { roles: ['web'] })],
    { faults: { ...NO_FAULTS, masterFailover: 1 } },
  ),
  // A framework with no failover timeout: the master removes it the moment its stream breaks,
  // and the new instance's SUBSCRIBE with the old id is refused.
  'failover-timeout-zero': family(
    'failover-timeout-zero',
    'a framework with failover_timeout 0 fails over while its task runs: the master removes it when its stream breaks, and refuses the new instance',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 0, tasks: [task('t1', 'finish')] }],
    { faults: { ...NO_FAULTS, frameworkFailover: 1 } },
  ),
  // A framework torn down while its agent is away: the agent reregisters with the framework the
  // master has completed, and is told to shut it down (Master::_reregisterSlave).
  'teardown-crash': family(
    'teardown-crash',
    'a checkpointing framework tears itself down while its agent may crash: the agent comes back with a framework the master has completed and shuts it down',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], teardown: true }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // A task in TASK_KILLING when its agent restarts: its executor, waiting for the agent, may
  // miss the reregistration (RECOVERY_TIMEOUT) and the agent reports the task gone (partition-aware)
  // or lost (not).
  'killing-crash': family(
    'killing-crash',
    'a framework with the KILLING state kills a task that runs until killed while the agent may crash: the killing task may end gone with its executor',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, taskKillingState: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], kill: ['t1'] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'killing-crash-not-partition-aware': family(
    'killing-crash-not-partition-aware',
    'the same for a framework that is not partition-aware: the killing task may end lost with its executor',
    [{ name: 'fw-a', partitionAware: false, checkpoint: true, taskKillingState: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'never')], kill: ['t1'] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // The polite scheduler declines what it cannot use: the second framework's task needs the whole
  // agent, so while the first's runs it is offered the rest, which it declines with its filter.
  'polite-declines': family('polite-declines', "two polite frameworks share an agent; the second's task needs all of it, so it declines what the first's leaves", [
    { name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('a1', 'finish')] },
    { name: 'fw-b', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('b1', 'finish', 'cpus:2;mem:128')] },
  ]),
  // A task group of one under the default executor: the group is as valid as a larger one.
  'task-group-of-one': family(
    'task-group-of-one',
    'a task group of one task under the default executor, which finishes',
    [{ name: 'fw-a', partitionAware: true, checkpoint: false, failoverTimeoutSeconds: 60, tasks: [{ ...task('k1', 'finish', 'cpus:0.5;mem:128'), group: 'grp' }] }],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }] },
  ),
  // Issue 9 item 4: the input validation of what the most general framework sends, one invalid
  // value of each class per call (general-framework.ts), each refused as Mesos refuses it.
  'refused-executors': family('refused-executors', 'a general framework launches its task with each custom executor Mesos refuses: the task is TASK_ERROR', [
    general(REFUSED_EXECUTORS, 2),
  ]),
  'refused-framework-infos': family(
    'refused-framework-infos',
    'a general framework resubscribes with each role set-up Mesos refuses, and updates its user or checkpoint flag, which Mesos refuses',
    [general(REFUSED_FRAMEWORK_INFOS, 2)],
  ),
  // A task with labels and discovery info on an agent that may crash: the agent reports both
  // when it reregisters, and gives them to the command executor (agent/reports.ts).
  'described-crash': family(
    'described-crash',
    'a general framework launches its task with labels and discovery info while the agent may crash: the agent reports them back when it reregisters',
    [general([], 1, [task('g1', 'finish')], { calls: ['ACCEPT_DESCRIBED'] })],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'refused-offer-uses': family(
    'refused-offer-uses',
    'a general framework accepts no offer, one offer twice and a task with an invalid resource, declines an offer it does not hold, suppresses a role it does not have, and kills its task with a kill policy of its own',
    [general([...REFUSED_OFFER_USES, 'KILL_WITH_POLICY'], 2, [task('g1', 'never')])],
  ),
  'refused-conversions': family(
    'refused-conversions',
    'a general framework of role web sends each RESERVE, UNRESERVE, CREATE and DESTROY Mesos refuses: each is OPERATION_ERROR',
    [general(REFUSED_CONVERSIONS, 2, [task('g1', 'finish')], { roles: ['web'] })],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:64' }] },
  ),
  'refused-operator': family(
    'refused-operator',
    "an operator sends each RESERVE_RESOURCES, UNRESERVE_RESOURCES, UPDATE_QUOTA and UPDATE_WEIGHTS Mesos answers 400 for, on a general framework's agent and role",
    [general([...REFUSED_OPERATOR_CONVERSIONS, ...REFUSED_QUOTAS, ...REFUSED_WEIGHTS], 2, [task('g1', 'finish')], { roles: ['web'] })],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:64' }] },
  ),
  // A drain kills each task with its own kill policy, capped by the drain's maximum grace period
  // (agent/drain.ts): a policy longer than the cap is shortened, a shorter one kept, none capped.
  'drain-kill-policy': family(
    'drain-kill-policy',
    "an operator drains the agent of a general framework's tasks with and without a maximum grace period shorter than a task's kill policy",
    [
      general(['OPERATOR_DRAIN_AGENT_KEEP', 'OPERATOR_DRAIN_AGENT_UNCAPPED'], 3, [
        { ...task('g1', 'never'), killGracePeriodSeconds: 5 },
        { ...task('g2', 'never'), killGracePeriodSeconds: 0.5 },
      ]),
    ],
  ),
  // Each LAUNCH_GROUP Mesos refuses: every task of the group is TASK_ERROR, REASON_TASK_GROUP_INVALID (Master::accept).
  'refused-groups': family('refused-groups', 'a general framework launches task groups Mesos refuses: each task of the group is TASK_ERROR', [general(REFUSED_GROUPS, 2)], {
    agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }],
  }),
  // Issue 9's branch coverage, stop 28: the operations of an ACCEPT and the operator's volume
  // calls Mesos refuses that refused-conversions and refused-operator leave out.
  'refused-operations': family(
    'refused-operations',
    'a general framework of role web sends a LAUNCH with an operation id, an operation the reference does not carry out and one without a type, a refused RESERVE without an id, and more refused RESERVE, UNRESERVE, CREATE and DESTROY classes; an operator sends each CREATE_VOLUMES and DESTROY_VOLUMES Mesos refuses',
    [general([...REFUSED_OPERATIONS, ...REFUSED_OPERATOR_VOLUMES], 2, [task('g1', 'finish')], { roles: ['web'] })],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:64' }] },
  ),
  // A task that reaches an agent still draining: the operator reactivates the agent while the
  // drain's kill is under way, the master offers the rest of it again, and the framework
  // launches its second task there (Slave::run: TASK_DROPPED, REASON_AGENT_DRAINING).
  'drain-relaunch': family(
    'drain-relaunch',
    'an operator drains the agent of a general framework (keeping it) and reactivates it while the drained task is being killed; the framework launches its second task on the draining agent',
    [general(['OPERATOR_DRAIN_AGENT_KEEP', 'OPERATOR_REACTIVATE_AGENT'], 4, [task('g1', 'never'), task('g2', 'finish')])],
  ),
  // Quota updates beyond one limit, with a framework of another role holding offers: guarantees
  // above the cluster refused and forced (the master rescinds the other role's offers for them), a
  // limit under what a running task consumes, a guarantee alone, and the quota removed.
  'quota-updates': family(
    'quota-updates',
    "an operator sets web's quota above the cluster (refused, then forced), under what its running task consumes, to a guarantee alone, or removes it, while a framework of batch competes for the agent",
    [
      general([...QUOTA_UPDATES], 2, [task('g1', 'never')], { roles: ['web'] }),
      { name: 'fw-batch', roles: ['batch'], partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('b1', 'finish')] },
    ],
  ),
  // An agent's removal under a framework that is not partition-aware: its tasks are LOST, and
  // their ends leave with the agent, marked gone or unregistered.
  'agent-leaves-not-partition-aware': family(
    'agent-leaves-not-partition-aware',
    'the task of a general framework that is not partition-aware runs or fails; an operator may mark its agent gone, or the agent unregister: the task is LOST',
    [general(['OPERATOR_MARK_AGENT_GONE'], 2, [task('g1', 'any')], { partitionAware: false })],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }] },
  ),
  // An operator acts on an agent the new master has only from the registry: the framework
  // names the agent of its last acknowledged update, the master fails over, and the agent is
  // marked gone, or drained with mark_gone, before it reregisters (and is shut down when it does).
  'operator-recovered-agent': family(
    'operator-recovered-agent',
    'the master fails over while or after a task runs; an operator marks the agent gone or drains it with mark_gone, maybe before the agent reregisters with the new master: an agent drained with mark_gone and no task left is gone as it reregisters',
    [general(['OPERATOR_MARK_KNOWN_AGENT_GONE', 'OPERATOR_DRAIN_KNOWN_AGENT'], 2, [task('g1', 'finish')])],
    { faults: { ...NO_FAULTS, masterFailover: 1 } },
  ),
  // A drain under a partition: the agent, draining or drained, is cut off and marked unreachable.
  'drain-partition': family(
    'drain-partition',
    'an operator drains the agent of a general framework, keeping it, while the agent may be cut off and marked unreachable, draining or drained',
    [general(['OPERATOR_DRAIN_AGENT_KEEP'], 2, [task('g1', 'never')])],
    { faults: { ...NO_FAULTS, partition: 1 }, master: { maxAgentPingTimeouts: 1 } },
  ),
  // Reservations that name their source: the framework's RESERVE of disk and the operator's
  // RESERVE_RESOURCES of a cpu, each converting the unreserved resources it names.
  'reserve-from-source': family(
    'reserve-from-source',
    'a general framework of role web reserves disk from an explicit source, and an operator reserves a cpu for web from one',
    [general(['ACCEPT_RESERVE_FROM_SOURCE', 'OPERATOR_RESERVE_FROM_SOURCE'], 2, [task('g1', 'finish')], { roles: ['web'] })],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:64' }] },
  ),
  // Issue 9's lifecycle rows: a drain with mark_gone meets the agent's other ways out.
  // A task the drain killed (TASK_GONE_BY_OPERATOR) not yet acknowledged when the agent is marked
  // gone or unregisters. (An agent that unregistered used to stop in the step that sent
  // UNREGISTER_AGENT, losing it: its link broke, and it was marked unreachable, then gone. It now
  // exits after the unregistration is on its way; gone-crash-mark takes that row.)
  'drain-gone-unregister': family(
    'drain-gone-unregister',
    "an operator drains the agent of a general framework with mark_gone, and marks it gone, while the agent may unregister: the task's TASK_GONE_BY_OPERATOR leaves the books with the agent",
    [general(['OPERATOR_DRAIN_AGENT', 'OPERATOR_MARK_KNOWN_AGENT_GONE'], 3, [task('g1', 'never')])],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }] },
  ),
  // A task the framework is killing (TASK_KILLING) when a drain with mark_gone kills it: the agent
  // reports its TASK_KILLED as TASK_GONE_BY_OPERATOR (Slave::statusUpdate while draining).
  'killing-drain': family(
    'killing-drain',
    'a general framework with the KILLING state kills its running task and an operator drains the agent with mark_gone: the task ends GONE_BY_OPERATOR',
    [general(['KILL', 'OPERATOR_DRAIN_AGENT'], 3, [task('g1', 'never')], { taskKillingState: true })],
  ),
  // A framework that does not checkpoint: its task leaves the master's books when the agent's link
  // breaks, so a drain with mark_gone of the disconnected agent marks it gone at once; a task the
  // drain killed leaves with the link or the agent's unregistration before it is acknowledged.
  'drain-crash-no-checkpoint': family(
    'drain-crash-no-checkpoint',
    'an operator drains the agent of a general framework that does not checkpoint with mark_gone, while the agent may crash or unregister',
    [general(['OPERATOR_DRAIN_KNOWN_AGENT'], 2, [task('g1', 'never')], { checkpoint: false })],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }], faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // Issue 9's last task rows: ends an agent reports after a restart (TASK_LOST or TASK_GONE once its
  // executor did not reregister, Slave::reregisterExecutorTimeout; TASK_DROPPED or TASK_LOST for a
  // task that reached an executor already terminating), still unacknowledged when the agent
  // leaves the master's books or its link breaks.
  'lost-crash-master-failover': family(
    'lost-crash-master-failover',
    'the agent of a general framework that is not partition-aware crashes and the master fails over while its task runs; an operator may mark the agent gone: the task LOST after the restart is reported to the new master, or leaves with the agent',
    [general(['OPERATOR_MARK_KNOWN_AGENT_GONE'], 2, [task('g1', 'never')], { partitionAware: false })],
    { faults: { ...NO_FAULTS, agentCrash: 1, masterFailover: 1 } },
  ),
  // The second crash breaks the link before the framework's acknowledgement of the LOST task
  // arrives (the master drops an acknowledgement for a disconnected agent), and the agent,
  // waiting for its executor, is marked unreachable first (REREGISTER_TIMEOUT).
  'lost-crash-twice': family(
    'lost-crash-twice',
    'the agent of a general framework that is not partition-aware crashes twice under its running task: the task LOST after the first restart is unacknowledged when the agent is marked unreachable',
    [general([], 1, [task('g1', 'never')], { partitionAware: false })],
    { faults: { ...NO_FAULTS, agentCrash: 2 } },
  ),
  'lost-crash-unregister': family(
    'lost-crash-unregister',
    'the agent of a general framework that is not partition-aware crashes under its running task and may shut down gracefully: the task LOST after the restart leaves the books with the unregistration',
    [general([], 1, [task('g1', 'never')], { partitionAware: false })],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }], faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'gone-crash-mark': family(
    'gone-crash-mark',
    'the agent of a partition-aware general framework crashes under its running task and an operator may mark it gone: the task GONE after the restart, or UNREACHABLE while the agent was slow to come back, leaves with the agent',
    [general(['OPERATOR_MARK_KNOWN_AGENT_GONE'], 2, [task('g1', 'never')])],
    { faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // A custom executor killed (kill -9) before its second task reaches it: the agent drops the
  // task (Slave::run, REASON_EXECUTOR_TERMINATED), and a crash of the agent before the drop is
  // acknowledged takes it from the master's books with the link (the framework does not checkpoint).
  'dropped-crash': family(
    'dropped-crash',
    'a partition-aware framework that does not checkpoint runs two tasks on its custom executor, which may be killed before the second reaches it (TASK_DROPPED); the agent may crash',
    [customExecutorTasks(true)],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }], faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  'lost-dropped-crash': family('lost-dropped-crash', 'the same for a framework that is not partition-aware: the task the agent drops is TASK_LOST', [customExecutorTasks(false)], {
    agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }],
    faults: { ...NO_FAULTS, agentCrash: 1 },
  }),
  // A crash while the agent exits after unregistering (its frameworks already gone, its
  // UNREGISTER_AGENT lost with the crash): the restarted agent reregisters without the finished
  // task the master still has STARTING or RUNNING, and answers the master's reconciliation
  // TASK_DROPPED (Slave::reregistered).
  'unregister-crash-ends': family(
    'unregister-crash-ends',
    "a partition-aware general framework's task finishes while its agent may crash once and shut down gracefully: an agent that crashes as it exits comes back without the task, which it reports dropped",
    [general([], 1, [task('g1', 'finish')])],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }], faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // The same with a kill under way: the agent that crashed as it exited reports the KILLING task
  // dropped (the task lifecycle's KILLING -> TASK_DROPPED on an agent's report).
  'killing-crash-unregister': family(
    'killing-crash-unregister',
    'a general framework with the KILLING state kills its running task while its agent may crash once and shut down gracefully: the agent that crashes as it exits reports the killing task dropped',
    [general(['KILL'], 2, [task('g1', 'never')], { taskKillingState: true })],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }], faults: { ...NO_FAULTS, agentCrash: 1 } },
  ),
  // The intruder's malformed executor calls (spec/world/intruder.ts): an UPDATE without a uuid,
  // refused by the executor API's own validation (also while the agent recovers), and a SUBSCRIBE
  // naming a framework id nobody has, refused even while the agent terminates.
  'intruder-malformed-crash': family(
    'intruder-malformed-crash',
    'an authenticated world with an intruder that sends an UPDATE without a uuid or a SUBSCRIBE of a framework nobody has; one agent crash',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')] }],
    { faults: { ...NO_FAULTS, agentCrash: 1 }, intruder: { budget: 1, malformed: true } },
  ),
  'intruder-malformed-unregister': family(
    'intruder-malformed-unregister',
    'the same intruder while the agent may shut down gracefully and unregister',
    [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [task('t1', 'finish')] }],
    { agents: [{ resources: 'cpus:2;mem:1024', unregister: true }], intruder: { budget: 1, malformed: true } },
  ),
  // A custom executor's MESSAGE that reaches an agent no longer running (here: terminating) is
  // accepted and dropped (Slave::executorMessage).
  'executor-message-unregister': family(
    'executor-message-unregister',
    'a custom executor echoes a MESSAGE of its framework while the agent may shut down gracefully: an echo that reaches the terminating agent is accepted and dropped',
    [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: false,
        failoverTimeoutSeconds: 60,
        tasks: [{ ...task('x1', 'finish', 'cpus:0.5;mem:128'), executor: 'ex' }],
        messages: ['ex'],
      },
    ],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024', unregister: true }] },
  ),
  // An explicit reconciliation of a task whose agent an operator marked gone: the master no
  // longer knows the task and answers by what it knows of the agent (Master::reconcile: "Task is
  // gone", TASK_GONE_BY_OPERATOR to a partition-aware framework).
  'reconcile-gone': family(
    'reconcile-gone',
    "an operator marks gone the agent of a partition-aware general framework's task, which the framework reconciles on that agent, before or after",
    [general(['OPERATOR_MARK_KNOWN_AGENT_GONE', 'RECONCILE_ON_KNOWN_AGENT'], 3)],
  ),
  // REVIVE and SUPPRESS of one role of a framework that has two: the other role keeps its
  // suppression and its refusal filters (the allocator's reviveOffers and suppressOffers).
  'revive-one-role': family('revive-one-role', 'a general framework of roles web and batch declines, suppresses all its roles or one, and revives one', [
    general(['DECLINE', 'SUPPRESS', 'SUPPRESS_ROLE', 'REVIVE_ROLE'], 3, [task('g1', 'finish')], { roles: ['web', 'batch'] }),
  ]),
  // A launch slower than the agent's registration timeout (Slave::registerExecutorTimeout): the
  // timer may fire while the executor's SUBSCRIBE is still in flight, so the agent destroys the
  // executor and fails its queued task; a task that comes for it after is dropped (Slave::run),
  // and a kill of that task finds no executor (Slave::killTask: dropped again, a new update).
  'slow-launch': family(
    'slow-launch',
    "a custom executor's launch may outlast the agent's registration timeout, which fails its tasks; else it runs two, one killed, and the framework may tear itself down",
    [
      {
        name: 'fw-a',
        partitionAware: true,
        checkpoint: false,
        failoverTimeoutSeconds: 60,
        tasks: TWO_ON_A_CUSTOM_EXECUTOR,
        kill: ['x2'],
        teardown: true,
      },
    ],
    { agents: [{ resources: 'cpus:2;mem:1024;disk:1024' }], earlyTimers: ['EXECUTOR_REGISTRATION_TIMEOUT'] },
  ),
};
