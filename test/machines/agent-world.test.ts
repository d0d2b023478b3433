/**
 * The agent and the command executor together, checked exhaustively in a small world: a
 * scripted master (registers the agent, launches one task, acknowledges every update,
 * reconciles on re-registration, may ask for a kill), one agent that may crash once, its
 * executor whose process may exit 0 or 1, and a lossy agent -> master link. Eager timing.
 *
 * Properties: the agent's timers are always meant for the state it is in; every running
 * executor is one the agent knows; at quiescence the master has seen the task end, the agent
 * holds no pending update and has cleaned up the framework, and no executor is left running; and, since a stream that is never
 * acknowledged keeps a retry timer pending (so its states are never quiescent), also: from every
 * reachable state such an end can still be reached (checked on the explored graph).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assign, emit, setup, type AnyEventObject } from 'xstate';
import { explore } from '../../checker/explore.ts';
import type { Model, Property } from '../../checker/model.ts';
import { isTerminal, type TaskState } from '../../spec/protocol/common.ts';
import { agentMachine, agentRestartInput, type AgentContext } from '../../spec/machines/agent.ts';
import { executorMachine } from '../../spec/machines/executor.ts';
import { RUNTIME_ONLY_EFFECTS, send } from '../../spec/machines/effects.ts';
import { asModel } from '../../spec/world/as-model.ts';
import { System, type SystemDef } from '../../spec/world/system.ts';
import { agentTimerProblem } from '../support/agent-sim.ts';

const AGENT = 'agent-0';
const SLOT = 'agent-0/t1';

interface StubContext {
  readonly launched: boolean;
  readonly killed: boolean;
  /** The latest state the master learnt of t1 (from updates' latest_state). */
  readonly state: TaskState | null;
  readonly checkpoint: boolean;
}

type StubEvent = AnyEventObject & { from?: string };

/** A scripted master: just enough of one to drive an agent through a task's life. */
const stubMaster = setup({
  types: {} as { context: StubContext; events: StubEvent; input: { checkpoint: boolean } },
  guards: {
    canLaunch: ({ context }) => !context.launched,
    canKill: ({ context }) => context.launched && !context.killed && (context.state === null || !isTerminal(context.state)),
  },
  actions: {
    registered: emit(() => send(AGENT, { type: 'AGENT_REGISTERED', agent_id: { value: 'S0' } })),
    reregistered: emit(({ context }) =>
      send(AGENT, {
        type: 'AGENT_REREGISTERED',
        agent_id: { value: 'S0' },
        ...(context.launched && (context.state === null || !isTerminal(context.state))
          ? { reconciliations: [{ framework_id: { value: 'F1' }, statuses: [{ task_id: { value: 't1' }, state: context.state ?? 'TASK_STAGING' }] }] }
          : {}),
      }),
    ),
    launch: emit(({ context }) =>
      send(AGENT, {
        type: 'RUN_TASK',
        framework: { user: 'u', name: 'F1', id: { value: 'F1' }, checkpoint: context.checkpoint, capabilities: [{ type: 'TASK_KILLING_STATE' }] },
        task: { name: 't1', task_id: { value: 't1' }, agent_id: { value: 'S0' }, command: { value: 'work' } },
        launch_executor: true,
      }),
    ),
    markLaunched: assign({ launched: true }),
    kill: emit(() => send(AGENT, { type: 'KILL_TASK', framework_id: { value: 'F1' }, task_id: { value: 't1' } })),
    markKilled: assign({ killed: true }),
    record: assign(({ context, event }) => {
      const u = event.update as { latest_state?: TaskState; status: { state: TaskState } };
      const next = u.latest_state ?? u.status.state;
      // Terminal is sticky at the master too.
      return { state: context.state !== null && isTerminal(context.state) ? context.state : next };
    }),
    acknowledge: emit(({ event }) =>
      send(AGENT, {
        type: 'STATUS_UPDATE_ACK',
        agent_id: { value: 'S0' },
        framework_id: event.update.framework_id,
        task_id: event.update.status.task_id,
        uuid: event.update.uuid,
      }),
    ),
  },
}).createMachine({
  id: 'stubMaster',
  context: ({ input }) => ({ launched: false, killed: false, state: null, checkpoint: input.checkpoint }),
  on: {
    REGISTER_AGENT: { actions: 'registered' },
    REREGISTER_AGENT: { actions: 'reregistered' },
    LAUNCH: { guard: 'canLaunch', actions: ['launch', 'markLaunched'] },
    KILL: { guard: 'canKill', actions: ['kill', 'markKilled'] },
    STATUS_UPDATE: { actions: ['record', 'acknowledge'] },
  },
});

function world(checkpoint: boolean): System {
  const def: SystemDef = {
    components: [
      { name: 'master', machine: stubMaster, running: true, input: { checkpoint }, environment: [{ type: 'LAUNCH' }, { type: 'KILL' }] },
      {
        name: AGENT,
        machine: agentMachine,
        running: true,
        input: { self: AGENT, master: 'master', info: { hostname: 'h', port: 5051 } },
        restartInput: (c) => agentRestartInput(c),
      },
      {
        name: SLOT,
        machine: executorMachine,
        running: false,
        environment: [
          { type: 'PROCESS_EXITED', status: 0 },
          { type: 'PROCESS_EXITED', status: 1 },
        ],
      },
    ],
    channels: [
      { from: 'master', to: AGENT, kind: 'fifo', bound: 3, notifyOnBreak: true },
      { from: AGENT, to: 'master', kind: 'fifo', bound: 3, lossy: true, notifyOnBreak: true },
      // Re-subscription answers SUBSCRIBED plus one ACKNOWLEDGED per replayed update, at once.
      { from: AGENT, to: SLOT, kind: 'fifo', bound: 6, notifyOnBreak: true },
      { from: SLOT, to: AGENT, kind: 'fifo', bound: 3 },
    ],
    timing: 'eager',
    faults: { loss: 1, restarts: [{ name: 'agent-crash', components: [AGENT], budget: 1 }] },
    ignoredEffects: RUNTIME_ONLY_EFFECTS,
    resolve: (address) => (address.startsWith(`${AGENT}/`) ? `${AGENT}/${address.split('/').pop()}` : address),
  };
  return new System(def);
}

function modelOf(sys: System, name: string): Model {
  const agentOf = (s: Int32Array) => sys.localOf(s, AGENT);
  const properties: Property[] = [
    {
      kind: 'always',
      name: 'agent timers fit its state',
      holds: (s) => timerProblem(agentOf(s)) === null,
      explain: (s) => timerProblem(agentOf(s)) ?? '',
    },
    {
      kind: 'always',
      name: 'running executors are known to the agent',
      holds: (s) => {
        const x = sys.localOf(s, SLOT);
        const a = agentOf(s);
        if (!x || !a) return true;
        const ex = (a.context as AgentContext).frameworks.F1?.executors.t1;
        return ex !== undefined && ex.state !== 'TERMINATED';
      },
    },
    {
      kind: 'eventually',
      name: 'the task ends and everything is delivered',
      holds: (s) => quiescentProblem(sys, s) === null,
      explain: (s) => quiescentProblem(sys, s) ?? '',
    },
    {
      kind: 'sometimes',
      name: 'the task finishes',
      holds: (s) => (sys.localOf(s, 'master')!.context as StubContext).state === 'TASK_FINISHED',
    },
  ];
  return { name, ...asModel(sys), properties };
}

function timerProblem(local: ReturnType<System['localOf']>): string | null {
  return local ? agentTimerProblem(local) : null;
}

function quiescentProblem(sys: System, s: Int32Array): string | null {
  const m = sys.localOf(s, 'master')!.context as StubContext;
  const a = sys.localOf(s, AGENT);
  if (!m.launched) return null;
  if (m.state === null || !isTerminal(m.state)) return `the master has t1 ${m.state ?? 'unknown'}`;
  if (a) {
    const c = a.context as AgentContext;
    for (const [f, tasks] of Object.entries(c.streams)) {
      for (const [t, stream] of Object.entries(tasks)) {
        if (stream.pending.length > 0) return `${f}/${t} still holds ${stream.pending[0]!.status.state}`;
      }
    }
    const left = Object.keys(c.frameworks);
    if (left.length > 0) return `the agent still tracks framework ${left[0]}`;
  }
  if (sys.localOf(s, SLOT)) return 'the executor is still running';
  return null;
}

/** States from which no path reaches a state where `quiescentProblem` is null (AG EF done). */
function stuckStates(sys: System, states: Map<string, Int32Array>, edges: Map<string, Set<string>>): Int32Array[] {
  const reverse = new Map<string, string[]>();
  for (const [from, tos] of edges) for (const to of tos) (reverse.get(to) ?? reverse.set(to, []).get(to)!).push(from);
  const good = new Set<string>();
  const work: string[] = [];
  for (const [key, s] of states) {
    const m = sys.localOf(s, 'master')!.context as StubContext;
    if (m.launched && quiescentProblem(sys, s) === null) {
      good.add(key);
      work.push(key);
    }
  }
  while (work.length > 0) {
    for (const prev of reverse.get(work.pop()!) ?? []) {
      if (!good.has(prev)) {
        good.add(prev);
        work.push(prev);
      }
    }
  }
  return [...states].filter(([key]) => !good.has(key)).map(([, s]) => s);
}

for (const checkpoint of [true, false]) {
  test(`exhaustive: agent + command executor, ${checkpoint ? '' : 'non-'}checkpointing framework, one crash, one lost message`, () => {
    const sys = world(checkpoint);
    const states = new Map<string, Int32Array>();
    const edges = new Map<string, Set<string>>();
    const result = explore(modelOf(sys, `agent-world-${checkpoint}`), {
      timeoutMs: 120_000,
      stopOnViolation: true,
      onState: (s) => void states.set(s.join(), s.slice()),
      onTransition: (s, _a, out) => {
        const from = s.join();
        (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(out.join());
      },
    });
    const failed = result.verdicts.filter((v) => v.status === 'violated' || v.status === 'vacuous' || v.status === 'unreached');
    const describe = failed.map((v) => {
      const trace = 'trace' in v ? v.trace : undefined;
      const steps = trace ? trace.actions.map((act, i) => sys.describe(trace.states[i]!, act).label).join('\n    ') : '';
      return `${v.name}: ${'explanation' in v ? v.explanation : v.status}\n    ${steps}`;
    });
    assert.equal(describe, []);
    assert.ok(result.complete, `exploration incomplete: ${result.summary}`);
    assert.ok(result.states > 100);
    const stuck = stuckStates(sys, states, edges);
    const example = stuck[0] ? JSON.stringify(sys.view(stuck[0])) : '';
    assert.is(stuck.length, 0, `states from which the task can no longer end cleanly, e.g. ${example}`);
  });
}

test.run();
