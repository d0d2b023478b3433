/**
 * What an invariant may read: a world state seen through its components' contexts and its
 * channels. The checker implements it over its compact states, the runtime's monitors over the
 * live master; both ask the same questions.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent.ts';
import type { ExecutorContext } from '../spec/machines/executor.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { SchedulerContext } from '../spec/machines/scheduler.ts';
import type { MesosLayout } from '../spec/world/mesos.ts';
import type { CauseRecord } from '../spec/world/causes.ts';
import type { ElectionContext } from '../spec/world/election.ts';
import type { Timer } from '../spec/step.ts';

/** An effect as a step emits it (what the step invariants judge). */
export interface Emitted {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface WorldReader {
  readonly layout: MesosLayout;
  master(): MasterContext | null;
  agent(name: string): AgentContext | null;
  scheduler(name: string): SchedulerContext | null;
  /** The XState state value of a component (null when it is not running). */
  stateOf(name: string): StateValue | null;
  executor(slot: string): ExecutorContext | null;
  /** The timers a component has armed (empty when it is not running); absent where timers are not visible (the runtime). */
  timers?(name: string): readonly Timer[];
  /** Messages in flight from one address to another, oldest first (any order for a bag). */
  channel(from: string, to: string): readonly AnyEventObject[];
  /** What the world did to each task (spec/world/causes.ts); absent where nothing records it (the runtime). */
  causes?(): CauseRecord | null;
  /** The election service and registry node, where masters are elected (spec/world/election.ts); absent or null elsewhere. */
  election?(): ElectionContext | null;
}

/** A named predicate: null when it holds, else what is wrong. */
export interface Invariant {
  readonly name: string;
  /** always: in every reachable state; eventually: in every quiescent state. */
  readonly kind: 'always' | 'eventually' | 'sometimes';
  readonly description: string;
  /**
   * Reads only the master: memoisable per master state, and what the runtime monitors check.
   * Exactly one of `master` and `world` is given.
   */
  readonly master?: (m: MasterContext) => string | null;
  readonly world?: (w: WorldReader) => string | null;
  /**
   * What a world invariant reads: its verdict is a function of these components' states and
   * these channels' contents, so a checker may memoise it on them.
   */
  readonly reads?: (layout: MesosLayout) => { readonly components: readonly string[]; readonly channels: readonly (readonly [string, string])[] };
  /**
   * Why the property does not apply to a configuration, else null: a `sometimes` that asks for what
   * it cannot produce (a failing task where no task may fail; its "witness" would be the initial
   * state), an `always` that judges a kind of run it is not (drain kills where other kills happen
   * too). It is then not checked there at all, and verify says so with the reason.
   */
  readonly applies?: (layout: MesosLayout) => string | null;
}

/** The framework id a scheduler address is known by (its own record, or the master's). */
export function frameworkIdOf(w: WorldReader, address: string): string | undefined {
  const own = w.scheduler(address)?.framework_id;
  if (own !== undefined) return own;
  const m = w.master();
  if (!m) return undefined;
  return Object.keys(m.frameworks).find((fid) => m.frameworks[fid]!.connection === address);
}

/** The scheduler address of a framework id, if any scheduler knows it as its own. */
export function schedulerOf(w: WorldReader, frameworkId: string): string | undefined {
  return w.layout.frameworks.find((f) => frameworkIdOf(w, f) === frameworkId);
}

/** Whom the timers of `type` a component has armed are for (the id their event names under `key`); undefined where timers are not visible. */
export function armedFor(w: WorldReader, component: string, type: string, key: string): ReadonlySet<string> | undefined {
  const timers = w.timers?.(component);
  return timers === undefined ? undefined : new Set(timers.flatMap((t) => (t.event.type === type ? [t.event[key] as string] : [])));
}

/** Whether an agent's state value is `active.running`: registered with its master, neither recovering nor terminating. */
export const agentRunning = (state: StateValue): boolean => typeof state === 'object' && (state as Record<string, unknown>).active === 'running';

/** Each running agent the master has connected (its books give that agent's address), with its id: what the cross-component agreements range over. */
export function* connectedAgents(w: WorldReader, m: MasterContext): Generator<{ readonly name: string; readonly agent: AgentContext; readonly aid: string }> {
  for (const name of w.layout.agents) {
    const agent = w.agent(name);
    const aid = agent?.info.id?.value;
    if (agent && aid !== undefined && m.agents[aid]?.address === name) yield { name, agent, aid };
  }
}
