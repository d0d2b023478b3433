/**
 * The world trace of a cluster (`validate-trace DIR`, or several trace files): the master's and
 * agents' traces merged in a causal order (merge.ts) and replayed step by step, as the model
 * checker walks a world: each step must be one the spec allows of its component (replay.ts), the
 * step invariants of its machine must hold of it, and every invariant the traces can judge
 * (judged.ts) must hold of the world after it, with the master and the agents read together as
 * the checker reads a world state (invariants/world.ts WorldReader).
 *
 * The master names an agent by its link (`agent-conn-<n>`, docs/runtime-transport.md), as the
 * model names it by its address: in the world, an agent the master has registered is called by
 * its link, one it has not by its trace's name. Reports name agents by their trace (`agent-0`).
 */
import type { AnyEventObject, StateValue } from 'xstate';
import { invariants, stepInvariants, type Emitted, type Invariant, type StepInvariant, type WorldReader } from '../../invariants/index.ts';
import type { AgentContext } from '../../spec/machines/agent.ts';
import type { MasterContext } from '../../spec/machines/master.ts';
import type { Local, Timer } from '../../spec/step.ts';
import type { MesosLayout } from '../../spec/world/mesos.ts';
import { readsRoles, whyNotJudged } from './judged.ts';
import { mergeTraces } from './merge.ts';
import type { Located, Read, TraceFile } from './read.ts';
import { Replayer, type Replayed } from './replay.ts';

export interface FileSummary {
  readonly path: string;
  readonly steps: number;
  readonly components: readonly string[];
}

export interface WorldVerdict {
  readonly ok: boolean;
  readonly files: readonly FileSummary[];
  /** Steps of the world trace replayed (all of them when ok), and messages matched send to receive. */
  readonly steps: number;
  readonly matched: number;
  readonly masters: number;
  readonly agents: readonly string[];
  /** The invariants judged after every step (those of them that read agents), and the step invariants. */
  readonly judged: { readonly state: readonly string[]; readonly acrossAgents: readonly string[]; readonly step: readonly string[] };
  readonly skipped: readonly { readonly name: string; readonly why: string }[];
  /** The first problem: where, which component, and what: a step the spec does not allow, or an invariant broken. */
  readonly problem?: { readonly path: string; readonly line: number; readonly component: string; readonly message: string };
}

/** A world invariant read by the checker's rules but not supplied here: a bug of judged.ts, reported as such. */
class NotRecorded extends Error {}

const STATE_INVARIANTS = invariants.map((inv) => ({ inv, why: whyNotJudged(inv) }));
const JUDGED: readonly (Invariant & { roles: { master: boolean; agents: boolean } })[] = STATE_INVARIANTS.filter((x) => x.why === null).map((x) => ({
  ...x.inv,
  roles: readsRoles(x.inv),
}));
const SKIPPED = STATE_INVARIANTS.filter((x) => x.why !== null).map((x) => ({ name: x.inv.name, why: x.why! }));

type Judge = (before: unknown, event: AnyEventObject, effects: readonly Emitted[], after: unknown, state: StateValue, armed: readonly Timer[]) => string | null;
const judge = (i: StepInvariant) => ({ name: i.name, step: i.step as Judge });
/** The step invariants of each kind of machine, as the checker's audit applies them (model/mesos-model.ts). */
const judgesOf = (steps: readonly StepInvariant[]) => ({
  master: steps.filter((i) => i.judges !== 'agents').map(judge),
  agent: steps.filter((i) => i.judges === 'agents' || i.judges === 'every machine').map(judge),
  other: steps.filter((i) => i.judges === 'every machine').map(judge),
});

/** A component of the world: its key for the replay, its name in reports, its role. */
interface Component {
  readonly key: string;
  readonly name: string;
  readonly machine: string;
}

/** The task states a step changed, as `task t1 on agent agent-0: TASK_RUNNING -> TASK_STAGING`. */
function taskChanges(c: Component, before: Local | null, after: Local): string[] {
  const states = (l: Local | null): Map<string, string> => {
    const out = new Map<string, string>();
    if (l === null) return out;
    if (c.machine === 'master') {
      const m = l.context as MasterContext;
      for (const f of Object.values(m.frameworks)) {
        for (const [tid, t] of Object.entries(f.tasks)) out.set(tid, t.task.state);
        for (const [tid, t] of Object.entries(f.unreachable)) out.set(tid, t.task.state);
      }
    } else if (c.machine === 'agent') {
      const a = l.context as AgentContext;
      for (const f of Object.values(a.frameworks)) {
        for (const ex of Object.values(f.executors)) {
          for (const t of ex.queued) out.set(t.task_id.value, 'queued for its executor');
          for (const [tid, t] of Object.entries(ex.launched)) out.set(tid, t.state);
          for (const [tid, t] of Object.entries(ex.terminated)) out.set(tid, t.state);
        }
      }
    }
    return out;
  };
  const [was, is] = [states(before), states(after)];
  const where = c.machine === 'master' ? 'at the master' : `on ${c.name}`;
  return [...new Set([...was.keys(), ...is.keys()])].sort().flatMap((tid) => {
    const [a, b] = [was.get(tid) ?? 'none', is.get(tid) ?? 'gone'];
    return a === b ? [] : [`task ${tid} ${where}: ${a} -> ${b}`];
  });
}

/** What a step did, for a report: `agent-0 takes RUN_TASK (task t1 on agent-0: none -> TASK_STAGING)`. */
function describeStep(c: Component, l: Located, s: Replayed): string {
  const r = l.record;
  const what = r.kind === 'init' ? 'starts' : r.kind === 'timer' ? `fires timer ${s.event?.type ?? r.timer}` : `takes ${r.event!.type}`;
  const changes = taskChanges(c, s.before, s.result.local);
  return `${c.name} ${what} (${changes.length > 0 ? changes.join('; ') : 'no task changes state'})`;
}

/** `stepJudges`: the step invariants to judge (the catalogue's; a test passes a seeded one). */
export function validateWorld(files: readonly TraceFile[], wholeDirectory: boolean, stepJudges: readonly StepInvariant[] = stepInvariants): Read<WorldVerdict> {
  const judges = judgesOf(stepJudges);
  const merged = mergeTraces(files, wholeDirectory);
  if (!merged.ok) return merged;
  // Components: one per file and component recorded in it (a file of one component goes by the file's name).
  const components = new Map<string, Component>();
  const singleComponent = new Map(files.map((f) => [f, new Set(f.records.map((x) => x.record.component)).size === 1]));
  const componentOf = (l: Located): Component => {
    const key = singleComponent.get(l.file) ? l.file.label : `${l.file.label}/${l.record.component}`;
    let c = components.get(key);
    if (c === undefined) components.set(key, (c = { key, name: key, machine: l.record.machine }));
    return c;
  };
  for (const f of files) for (const l of f.records) componentOf(l);
  const masters = [...components.values()].filter((c) => c.machine === 'master');
  if (masters.length > 1)
    return { ok: false, error: `the traces hold ${masters.length} masters (${masters.map((m) => m.name).join(', ')}): a world trace has one (trace a cluster of one master)` };
  const agents = [...components.values()].filter((c) => c.machine === 'agent');

  const replayer = new Replayer();
  const localOf = (c: Component | undefined): Local | null => (c === undefined ? null : (replayer.local(c.key) ?? null));
  const masterLocal = () => localOf(masters[0]);
  // The world's name of each agent: the master's link to it once the master has it, else its trace's name.
  let agentByName = new Map<string, Component>();
  let linkNames = new Map<string, string>();
  const nameAgents = (): void => {
    const m = masterLocal()?.context as MasterContext | undefined;
    agentByName = new Map();
    linkNames = new Map();
    for (const a of agents) {
      const aid = (localOf(a)?.context as AgentContext | undefined)?.info.id?.value;
      const link = aid !== undefined ? (m?.agents[aid]?.address ?? null) : null;
      agentByName.set(link ?? a.name, a);
      if (link !== null) linkNames.set(link, a.name);
    }
  };
  const notRecorded = (what: string) => (): never => {
    throw new NotRecorded(what);
  };
  const layout = (): MesosLayout => ({
    master: 'master',
    agents: [...agentByName.keys()],
    frameworks: [],
    executors: [],
    customExecutors: [],
    frameworkConfig: {},
    taskFramework: {},
    taskConfig: {},
  });
  const localByName = (name: string): Local | null => (name === 'master' ? masterLocal() : localOf(agentByName.get(name)));
  let currentLayout = layout();
  const reader: WorldReader = {
    get layout() {
      return currentLayout;
    },
    master: () => (masterLocal()?.context as MasterContext | undefined) ?? null,
    agent: (name) => (localOf(agentByName.get(name))?.context as AgentContext | undefined) ?? null,
    scheduler: notRecorded("a framework's state"),
    executor: notRecorded("an executor's state"),
    channel: notRecorded('the messages in flight'),
    stateOf: (name) => localByName(name)?.value ?? null,
    timers: (name) => localByName(name)?.timers ?? [],
  };
  // Reports name agents by their traces, not by the master's links.
  const readable = (text: string): string => text.replace(/\bagent-conn-\d+\b/g, (link) => linkNames.get(link) ?? link);

  const stepsOf = new Map<TraceFile, number>();
  const componentsOf = new Map<TraceFile, Set<string>>();
  const summaries = (): FileSummary[] => files.map((f) => ({ path: f.path, steps: stepsOf.get(f) ?? 0, components: [...(componentsOf.get(f) ?? [])] }));
  let steps = 0;
  const verdict = (problem?: WorldVerdict['problem']): Read<WorldVerdict> => ({
    ok: true,
    value: {
      ok: problem === undefined,
      files: summaries(),
      steps,
      matched: merged.value.matched,
      masters: masters.length,
      agents: agents.map((a) => a.name),
      judged: { state: JUDGED.map((i) => i.name), acrossAgents: JUDGED.filter((i) => i.roles.agents).map((i) => i.name), step: stepJudges.map((i) => i.name) },
      skipped: SKIPPED,
      ...(problem ? { problem } : {}),
    },
  });

  for (const l of merged.value.steps) {
    const c = componentOf(l);
    const problem = (message: string) => verdict({ path: l.file.path, line: l.line, component: c.name, message });
    const replayed = replayer.step(c.key, l.record);
    if (!replayed.ok) return problem(replayed.message);
    const s = replayed.step;
    steps++;
    stepsOf.set(l.file, (stepsOf.get(l.file) ?? 0) + 1);
    if (!componentsOf.has(l.file)) componentsOf.set(l.file, new Set());
    componentsOf.get(l.file)!.add(l.record.component);
    nameAgents();
    currentLayout = layout();
    // The step invariants of the component's machine (as the checker's audit judges each step).
    if (s.before !== null && s.event !== null) {
      for (const j of c.machine === 'master' ? judges.master : c.machine === 'agent' ? judges.agent : judges.other) {
        const breach = j.step(s.before.context, s.event, s.result.effects, s.result.local.context, s.before.value, s.result.timersSet);
        if (breach !== null) return problem(`step invariant ${j.name} is violated: ${describeStep(c, l, s)}: ${readable(breach)}`);
      }
    }
    // The world after the step, for every invariant reading the component that moved.
    if (c.machine !== 'master' && c.machine !== 'agent') continue;
    for (const inv of JUDGED) {
      if (c.machine === 'master' ? !inv.roles.master : !inv.roles.agents) continue;
      let breach: string | null;
      try {
        breach = inv.master ? (reader.master() === null ? null : inv.master(reader.master()!)) : inv.world!(reader);
      } catch (e) {
        if (e instanceof NotRecorded) return problem(`invariant ${inv.name} reads ${e.message}, which the traces do not hold: it should be skipped (impl/trace/judged.ts)`);
        throw e;
      }
      if (breach !== null) return problem(`invariant ${inv.name} is violated: ${describeStep(c, l, s)}: ${readable(breach)}`);
    }
  }
  return verdict();
}
