/**
 * The conformance suite's file formats: one `Scenario` per JSON file and one `Manifest`
 * (manifest.json). JSON Schemas are generated from these types into schemas/model/
 * (`Scenario.json`, `Manifest.json`); `mesos-ref conformance generate` writes files that
 * validate against them.
 *
 * A scenario is the shortest model trace to a coverage target, projected onto what a real
 * cluster exposes to its frameworks: the calls each framework sends, the events it must
 * observe, and the faults the runner injects, in a partial order (`after`); plus the set-up
 * (`environment`). How a runner replays one:
 *
 * 1. Start the agents of `environment.agents` (resources exactly as given) and the master; each
 *    framework of `environment.frameworks` is a scheduler client the runner drives itself.
 * 2. Steps are in trace order. A step may happen once every step named in its `after` has. The
 *    runner performs `call` steps (POST the call, after substituting variables) and `fault`
 *    steps as soon as they may happen, in file order, and matches every event a framework
 *    receives against that framework's pending `expect` steps (HEARTBEAT events are ignored):
 *    - it matches `event` of the first pending expect step of that framework whose `after` have
 *      all happened: the step happens, variables are bound;
 *    - else, if it matches a pattern in `orElse` of that step: the cluster took another path the
 *      model allows. Not a failure; the scenario ends as *diverged* (its target not reached);
 *    - else the framework observed something the model does not allow here: a *failure*.
 *    When every step has happened, the runner keeps listening for a while (at least until the
 *    cluster has fired every timer the trace fires, other than offer filters and the allocation:
 *    each its `delayMs` after the last step up to the line that set it, `armedAt`): an event a
 *    framework receives then that is not in its `afterEnd` list fails the scenario. Then it asks
 *    the master's and agents' operator APIs what they list, until that is one of `endViews`;
 *    if none within a while, the scenario fails; otherwise it *passes*. (The offers of a
 *    framework that received an offer the runner did not judge, with no step of its pending,
 *    are not compared: the model's belief does not hold that offer.) A runner that manages
 *    the cluster's processes also fails a scenario on the cluster's own report of a failed check
 *    (a step one of its machines threw on: where Mesos aborts on a failed CHECK).
 *    A step that never happens (a timeout well above the cluster's timers, e.g. 30 s) is a
 *    failure. A framework's ACKNOWLEDGE may name in `after` events that come later in the file:
 *    in the trace it reached the master only after the framework observed them, and what the
 *    agent sends next depends on when it arrives, so the runner holds it until then. So may a
 *    call the trace delivers only after an agent's crash or an executor's kill: it names that
 *    fault and what the trace observes before delivering it (a master that took it before the
 *    crash would take another path). And so may a framework's call that the trace delivers after
 *    a call the framework sent later (separate HTTP requests overtake each other): it names that
 *    one, and the runner, which sends a framework's calls one at a time, sends them in the order
 *    the master took them in the trace.
 * 3. Variables (`$fw0`, `$agent0`, `$offer0`, `$uuid0`) stand for ids the runner cannot know in
 *    advance. In a pattern, an unbound variable binds to the value observed there; a bound one
 *    must equal it; two variables never bind the same value. In a call, every variable is bound
 *    by an earlier step. `*` matches any value and binds nothing.
 * 4. A scenario whose `requires` is not empty needs something a runner may not be able to
 *    arrange (`loss`: dropping one particular message; `partition`: cutting an agent off the
 *    network); a runner that cannot skips it with that reason.
 * 5. What a trace cannot say (the model has no clock, and a uuid is bound on first sight) the
 *    runner checks as events arrive, in every scenario, and fails the scenario on:
 *    - an offer to a framework, on an agent whose resources it declined, of resources the
 *      declined ones contain, before the DECLINE's `refuse_seconds` (absent or negative: 5 s)
 *      have passed since it was sent; a REVIVE, SUBSCRIBE or UPDATE_FRAMEWORK of that framework,
 *      or any fault, ends the filter (Mesos may drop it then);
 *    - a task's next reliable update (a new uuid) arriving while the framework still holds back
 *      its ACKNOWLEDGE of the previous one: the runner holds each ACKNOWLEDGE of a non-terminal
 *      update, seen since the last fault, for a while (300 ms) before sending it;
 *    - an update whose `data` reads `executor-uuid:<uuid>` (the runner's own custom executor
 *      writes it) carrying another uuid.
 */
import type { TaskState, TaskStatusReason, TaskStatusSource } from '../spec/protocol/common.ts';
import type { ClusterTimeouts, MesosConfig } from '../spec/world/config.ts';

/** `$fw0`, `$agent1`, `$offer2`, `$uuid3`: an id bound on first sight. `*`: anything. */
export type Var = string;

/**
 * Something a runner must be able to arrange to run the scenario, besides a cluster, crashes and
 * restarts: lost messages, partitions, or elected masters (a leader whose session expires).
 */
export type Requirement = 'loss' | 'partition' | 'election';

export type TargetKind = 'transition' | 'state' | 'reason' | 'situation';

export interface TargetInfo {
  /** `transition:<state node id>|<event>|<alternative>`, `state:<TaskState>`, `reason:<Reason>`, `situation:<invariant>`. */
  id: string;
  kind: TargetKind;
  description: string;
}

export interface Scenario {
  format: 'mesos-ref/scenario/1';
  /** The file name without `.json`, from its first target. */
  name: string;
  /** The configuration it was generated from. */
  config: string;
  /** The targets this scenario's trace reaches, and where. */
  targets: ScenarioTarget[];
  description: string;
  requires: Requirement[];
  environment: ScenarioEnvironment;
  steps: Step[];
  /**
   * The timers that fire in the trace. The model fires pending timers in any order (it has no
   * clock), so a trace may need a long timeout to expire before a short one: a runner may skip
   * or expect divergence from scenarios whose timers it cannot make fire in this order.
   */
  timers: TimerNote[];
  /** The model trace this scenario projects, one line per action, for humans and debugging. */
  trace: TraceLine[];
  /**
   * What each framework may still observe once every step has happened (the trace ends
   * quiescent: conformance/settle.ts). A runner keeps listening for a while after the last step
   * and fails the scenario on any other event. A framework not listed is not judged there (the
   * search for what it may observe hit its bound). Absent in suites written before it.
   */
  afterEnd?: AfterEnd[];
  /**
   * What the master's and agents' operator APIs may list once the cluster has settled after the
   * last step, one view per alternative the model allows (conformance/end-views.ts). After the
   * quiet period the runner asks them until what they list equals one of these (parts it cannot
   * ask, an agent it does not know the address of, aside), and fails the scenario if none does
   * within a while. Absent when the search for them hit its bound, and in suites written before it.
   */
  endViews?: EndView[];
}

/** The operator APIs' lists at a scenario's settled end (Scenario.endViews). */
export interface EndView {
  /** Per scenario agent name, its GET_TASKS lists (completed tasks aside), sorted by task id. */
  agents: { [agent: string]: AgentTaskView[] };
  /** The master's GET_TASKS (completed tasks aside), sorted by task id. */
  tasks: MasterTaskView[];
  /** Per scenario framework name, how many offers the master's GET_FRAMEWORKS lists it holding. */
  offers: { [framework: string]: number };
}

/** A task as the master's GET_TASKS lists it. */
export interface MasterTaskView {
  task_id: string;
  /** `tasks`: known on a registered agent (a terminal one until its update is acknowledged); `unreachable`: on an unreachable agent. */
  list: 'tasks' | 'unreachable';
  state: TaskState;
}

export interface AfterEnd {
  framework: string;
  /** Every event the model lets it receive after the end without another call (HEARTBEATs aside). */
  mayObserve: EventPattern[];
}

export interface ScenarioTarget {
  id: string;
  /**
   * The target is reached after this many trace lines: once the last step whose `trace` is at
   * most this has happened (a runner that diverges later still reached it).
   */
  reachedAt: number;
}

export interface TimerNote {
  /** The trace line at which it fires. */
  trace: number;
  component: string;
  timer: string;
  /** Its delay as the machine sets it. */
  delayMs: number;
  /**
   * The trace line of the step that set it (0: set before the first), so that a runner knows by
   * when a cluster fires it: its delay after the last of its steps up to that line. Absent in
   * suites written before it.
   */
  armedAt?: number;
}

export interface ScenarioEnvironment {
  agents: AgentSetup[];
  frameworks: FrameworkSetup[];
  tasks: TaskSetup[];
  /**
   * The master's and agents' timeouts the trace's timers were set with (ms; absent: Mesos's
   * defaults). A runner starts its cluster with these flags; against a master it does not
   * manage, a timer longer than the runner waits for makes the scenario skipped.
   */
  timeouts?: ClusterTimeouts;
}

export interface AgentSetup {
  /** The name faults use (`agent-0`). */
  name: string;
  /** `--resources` of the agent, in agent flag syntax (`cpus:2;mem:1024`). */
  resources: string;
  /** The variable its agent id is bound to in this scenario, if the frameworks see it. */
  id?: Var;
}

export interface FrameworkSetup {
  /** The name steps use (`fw-0`). */
  name: string;
  /** The v1 FrameworkInfo its SUBSCRIBE calls carry (without `id`; see the calls). */
  framework_info: { [key: string]: unknown };
  /** The variable its framework id is bound to in this scenario, if it subscribes. */
  id?: Var;
}

export interface TaskSetup {
  /** The task id (also the command executor's id). */
  id: string;
  framework: string;
  /** In agent flag syntax (`cpus:1;mem:128`). */
  resources: string;
  /** The shell command the task runs: `exit 0`, `exit 1`, or `sleep N` (it runs until killed). */
  command: string;
  /**
   * How its process ends in the trace: an exit status, or null when it does not end by itself
   * within the scenario (the command then sleeps).
   */
  exit: number | null;
}

export type Step = CallStep | ExpectStep | FaultStep;

interface StepBase {
  /** `s1`, `s2`, ... in file order. */
  id: string;
  /** Steps that must have happened before this one (the spec's guaranteed order). */
  after: string[];
  /** The trace line (1-based) this step comes from; 0 for the calls in flight at the start. */
  trace: number;
}

/** The framework sends a v1 scheduler call. */
export interface CallStep extends StepBase {
  kind: 'call';
  framework: string;
  /**
   * A v1 scheduler `Call` as JSON (schemas/SchedulerCall.json once variables are substituted),
   * without the Mesos-Stream-Id header, which the client adds.
   */
  call: CallJson;
  /**
   * The HTTP status the model's master answers the call with on this trace (its `reply`: 202, or
   * a refusal such as 400 or 403), when the trace delivers it; absent for a SUBSCRIBE (answered
   * by its stream) and a call never delivered. Another order of deliveries may answer otherwise
   * (a call racing its framework's SUBSCRIBE), so only `refusedAlways` calls are judged by it.
   */
  answer?: number;
  /**
   * The call presents a stream id that was never the framework's (the model's `stale-stream`
   * lie), or one that another subscription of the framework had replaced when the trace's master
   * took it (a SUBSCRIBE it emitted later got there first): the runner sends it with
   * `Mesos-Stream-Id: stale-stream`.
   */
  staleStream?: true;
  /**
   * The call presents no stream id (the model's `no-stream` lie, or a call made before the
   * framework saw its SUBSCRIBED): the runner sends it without a Mesos-Stream-Id header.
   */
  noStream?: true;
  /**
   * `operator`: a v1 operator Call (POST /api/v1; schemas/MasterCall.json), which the most general
   * framework also makes, in its place among the framework's calls; absent: a scheduler Call.
   */
  api?: 'operator';
  /**
   * No order of deliveries lets a master accept the call (a stale stream id or none, a framework
   * id no framework has): the runner fails the scenario if it is answered 2xx.
   */
  refusedAlways?: true;
  /**
   * The trace's framework emits the call but it never reaches the master: the framework fails
   * over (or the master restarts) with it in flight. The runner does not send it (the step
   * happens when it is due): a master that took it would take another path than the trace's (an
   * ACCEPT launching the task the trace never launches, an ACKNOWLEDGE moving the task's updates on).
   */
  lost?: true;
}

export interface CallJson {
  type: string;
  [field: string]: unknown;
}

/** The framework observes an event on its subscription stream. */
export interface ExpectStep extends StepBase {
  kind: 'expect';
  framework: string;
  event: EventPattern;
  /**
   * Other events the model allows the framework to receive instead at this point (other
   * interleavings of the same prefix). Observing one ends the scenario as diverged.
   */
  orElse: EventPattern[];
  /** False when the search for `orElse` hit its bound: there may be more. */
  orElseComplete: boolean;
  /**
   * True when the model also lets the cluster settle without this event (it took, out of the
   * runner's sight, a path on which it is never sent): if it never comes, the scenario diverged
   * rather than failed. Absent: false.
   */
  orNothing?: boolean;
}

/** The runner injects a fault. */
export interface FaultStep extends StepBase {
  kind: 'fault';
  fault: Fault;
}

export type Fault =
  /**
   * kill -9 the agent, then restart it on the same work directory (it recovers its checkpoint).
   * `unregistered`: the model's agent had not learnt its id when it crashed (the master's
   * AGENT_REGISTERED was in flight), so it comes back as a new agent and the master times the old
   * one out. A real agent has long learnt its id when a scenario starts: the runner makes it come
   * back without one by removing its checkpoint (it holds nothing else before a registration).
   */
  | {
      type: 'AGENT_RESTART';
      agent: string;
      unregistered?: true;
      /**
       * The tasks the agent has at the crash, as its operator API's GET_TASKS lists them (queued,
       * launched, terminated; completed ones aside): the runner injects the crash once the agent
       * shows exactly these (a crash whose moment the runner cannot see otherwise: after a
       * RUN_TASK reached the agent, before its executor subscribed), or gives up waiting after a
       * while and injects it anyway. Absent for a crash with a message in flight to or from the
       * agent (its list changes as soon as that arrives), and in suites written before it.
       */
      when?: AgentTaskView[];
      /**
       * Steps the trace takes after the crash and before the restarted agent does anything (a
       * master timer that fires while it is away, a call the master gets meanwhile): the runner
       * starts the agent again only once they have happened. Absent: at once.
       */
      startAfter?: string[];
      /**
       * The agent's executors the trace does not let come back while it is away and recovering
       * (absent: none; they come back as real ones do, by retrying their subscription). `exit`:
       * the executor ends before it reaches the agent again (its recovery or terminal-ack timer
       * fires; the runner kills it while the agent is down, as the real one's timers are as long as
       * the master's wait for the agent). `silent`: it is alive but does not subscribe before the
       * agent's executor reregistration timeout fires (the runner stops it, SIGSTOP, from the kill
       * until the agent has finished recovering, when the agent has destroyed it).
       */
      executorsAway?: ExecutorAway[];
      /**
       * The agent takes part in nothing in the trace from before the scenario's first step until
       * the crash, which loses what was sent to it meanwhile (a RUN_TASK in flight): the runner
       * stops it (SIGSTOP) when the scenario starts, so that what reaches it stays unread as in
       * the trace, and the crash's kill -9 loses it. Absent: the agent runs until the crash.
       */
      idleUntil?: true;
      /**
       * The runner's steps (calls, faults) the trace takes only after the restarted agent is back
       * (the master took its REREGISTER_AGENT): the runner performs them once the master lists
       * the agent active again. Absent: none.
       */
      backBefore?: string[];
    }
  /** Restart the master (it recovers its registry); frameworks and agents reconnect. */
  | { type: 'MASTER_RESTART' }
  /** Drop the framework's subscription connection; a new instance resubscribes with the same id (a later call step). */
  | { type: 'FRAMEWORK_FAILOVER'; framework: string }
  /**
   * kill -9 of a framework's custom or default executor process on the agent (the agent records
   * its pid in meta/executors/<framework id>/<executor id>/run.json); `framework` names the
   * scenario's framework, whose id the runner has bound by then.
   */
  | { type: 'EXECUTOR_KILL'; agent: string; framework: string; executor: string }
  /** Drop one message in flight (requires `loss`). */
  | { type: 'MESSAGE_LOSS'; from: string; to: string; message: string }
  /** Cut the agent off the network (requires `partition`). */
  | { type: 'PARTITION'; agent: string }
  /** Reconnect a partitioned agent (requires `partition`). */
  | { type: 'HEAL'; agent: string };

/** An executor of a crashed agent and what it does while the agent is away (AGENT_RESTART.executorsAway). */
export interface ExecutorAway {
  /** The scenario's framework (its id is bound by then). */
  framework: string;
  /** The executor's id (a command executor's is its task's id). */
  executor: string;
  does: 'exit' | 'silent';
}

/** A task as an agent's GET_TASKS lists it: in which list, and its latest state there. */
export interface AgentTaskView {
  task_id: string;
  /** `queued`: waiting for its executor to subscribe; `launched`: sent to it; `terminated`: ended, updates not all acknowledged. */
  list: 'queued' | 'launched' | 'terminated';
  state: TaskState;
}

export type EventPattern = SubscribedPattern | OffersPattern | RescindPattern | UpdatePattern | FailurePattern | ErrorPattern | MessagePattern;

export interface SubscribedPattern {
  type: 'SUBSCRIBED';
  framework_id: Var;
}

export interface OffersPattern {
  type: 'OFFERS';
  /** The offers, in order. */
  offers: OfferPattern[];
}

export interface OfferPattern {
  offer_id: Var;
  agent_id: Var;
  /** Scalar resources offered, by name (`{ "cpus": 2, "mem": 1024 }`); others are not checked. */
  resources: { [name: string]: number };
}

export interface RescindPattern {
  type: 'RESCIND';
  offer_id: Var;
}

export interface UpdatePattern {
  type: 'UPDATE';
  task_id: string;
  state: TaskState;
  source: TaskStatusSource;
  /** null: the status has no reason. */
  reason: TaskStatusReason | null;
  /** null: the status names no agent. */
  agent_id: Var | null;
  /** A reliable update (must be acknowledged) carries a uuid; null: it carries none. */
  uuid: Var | null;
}

export interface FailurePattern {
  type: 'FAILURE';
  agent_id: Var | null;
  executor_id: string | null;
  status: number | null;
}

export interface ErrorPattern {
  type: 'ERROR';
  message: string;
}

export interface MessagePattern {
  type: 'MESSAGE';
  agent_id: Var;
  executor_id: string;
}

export interface TraceLine {
  step: number;
  /** The model's label of the action (ids as the model names them). */
  action: string;
  fault: boolean;
}

export interface Manifest {
  format: 'mesos-ref/conformance-suite/1';
  config: MesosConfig;
  exploration: {
    /** False when --max-states stopped it: targets beyond are unknown. */
    complete: boolean;
    maxStates: number | null;
    states: number;
    transitions: number;
    diameter: number;
    /**
     * The first pass, without message loss or partitions (when the configuration has them):
     * targets it reaches get scenarios that require neither.
     */
    withoutLossOrPartition?: { complete: boolean; states: number; transitions: number };
    /**
     * The very first pass: also without timers longer than `maxTimerMs` firing, so that targets
     * it reaches get scenarios a runner replays without waiting minutes.
     */
    withShortTimers?: { maxTimerMs: number; complete: boolean; states: number; transitions: number };
  };
  coverage: Coverage;
  /** Every reachable target, with the scenario that covers it (null: none could be written). */
  targets: ManifestTarget[];
  /** Targets the spec defines that no exploration step reached in this configuration. */
  unreachable: string[];
  scenarios: ManifestScenario[];
  /**
   * Where the agents' resources came from when they are not the configuration's own
   * (`conformance generate --agents-from URL`): the configuration's agents, in order, were given
   * those of the master's agents, in the order it listed them; `config.agents` holds the result.
   */
  agentsFrom?: AgentsSource;
}

export interface AgentsSource {
  /** The master asked (its v1 operator API, GET_AGENTS). */
  master: string;
  /** The master's agents the configuration's agents took the resources of, in order. */
  agents: { id: string; hostname: string; resources: string; ignored?: string[] }[];
  /** How many more agents the master has than the configuration (their resources are not used). */
  unused: number;
}

export interface Coverage {
  /** Reachable targets (every target an exploration step reached). */
  reachable: number;
  /** Reachable targets with a scenario. */
  covered: number;
  /** Covered by a scenario that requires nothing (runnable on any cluster). */
  runnable: number;
  /** Per kind: defined by the spec, reachable here, covered. */
  byKind: { [kind: string]: { defined: number; reachable: number; covered: number } };
}

export interface ManifestTarget extends TargetInfo {
  scenario: string | null;
  /** Length of its shortest trace. */
  steps: number;
  /** Why no scenario covers it. */
  problem?: string;
}

export interface ManifestScenario {
  name: string;
  file: string;
  targets: string[];
  requires: Requirement[];
  /** Calls, expectations, faults. */
  steps: number;
  traceLength: number;
}
