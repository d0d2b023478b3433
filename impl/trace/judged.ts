/**
 * Which invariants a world trace (world.ts) can judge, and why each other one is not judged.
 *
 * A cluster's traces hold the master's and the agents' local states after every step, in a
 * causal order. They do not hold: the frameworks (external HTTP clients, not traced: the master's
 * trace stands for what they sent and were sent, but not for when a framework took an event),
 * the executors (separate processes, not traced by the cluster), the messages in flight (what was
 * sent and not yet taken is not reconstructed), the model's record of faults, or quiescence.
 * What an invariant reads comes from its `reads` (invariants/world.ts), asked of a layout with
 * one of each kind of component, so an invariant that starts reading a framework is skipped
 * with the reason rather than judged against an empty list of frameworks.
 */
import type { Invariant } from '../../invariants/index.ts';
import { CAUSES } from '../../spec/world/causes.ts';
import type { MesosLayout } from '../../spec/world/mesos.ts';

const PROBE: MesosLayout = {
  master: 'master',
  agents: ['agent'],
  frameworks: ['framework'],
  executors: [{ agent: 'agent', task: 't', slot: 'agent/t', framework: 'framework' }],
  customExecutors: [{ agent: 'agent', executor: 'e', slot: 'agent/e', framework: 'framework', tasks: ['u'], group: false }],
  frameworkConfig: {},
  taskFramework: { t: 'framework', u: 'framework' },
  taskConfig: {},
};

const ROLE: Readonly<Record<string, string>> = { master: 'master', agent: 'agent', framework: 'framework', 'agent/t': 'executor', 'agent/e': 'executor', [CAUSES]: 'causes' };

/**
 * World invariants that read only masters and agents, but by a convention of the model that a
 * cluster does not follow: judged here they would hold without having looked.
 */
const MODEL_CONVENTIONS: Readonly<Record<string, string>> = {
  agentsRecordedAsThemselves:
    "it finds an agent by the master's link to it named as the agent's hostname, the model's convention; a cluster's links are agent-conn-<n> and its agents share one hostname",
};

/** Why the world trace cannot judge `inv`, or null when it judges it after every step. */
export function whyNotJudged(inv: Invariant): string | null {
  if (inv.kind === 'eventually') return 'an eventually-property is judged in quiescent states (nothing in flight, nothing left to do), which a recorded run does not show';
  if (inv.kind === 'sometimes') return 'a sometimes-property asks whether some run of the model reaches a state, not what one run did';
  if (inv.master) return null;
  const convention = MODEL_CONVENTIONS[inv.name];
  if (convention !== undefined) return convention;
  if (!inv.reads) return 'it does not say what it reads';
  const reads = inv.reads(PROBE);
  const roles = new Set(reads.components.map((c) => ROLE[c] ?? c));
  if (roles.has('framework')) return "it reads a framework's own state: frameworks are HTTP clients outside the cluster, not traced";
  if (roles.has('executor')) return "it reads an executor's own state: executors are not traced (the agent's trace records what it hears from them)";
  if (roles.has('causes')) return "it reads the model's record of faults, which a real run does not keep";
  const channel = reads.channels.map(([from, to]) => [ROLE[from] ?? from, ROLE[to] ?? to] as const);
  if (channel.some(([from, to]) => from === 'framework' || to === 'framework')) {
    return "it reads the messages in flight between the master and a framework: when a framework takes the master's events is not recorded";
  }
  if (channel.some(([from, to]) => from === 'executor' || to === 'executor')) return 'it reads the messages in flight between an agent and its executors, which are not traced';
  if (channel.length > 0) return 'it reads the messages in flight between the master and the agents, which the world trace does not reconstruct';
  if (inv.applies) return 'it applies to some configurations of the model only, and a cluster has none';
  return null;
}

/** The components a judged world invariant reads: whether a step of the master or of an agent can change its verdict. */
export function readsRoles(inv: Invariant): { master: boolean; agents: boolean } {
  if (inv.master) return { master: true, agents: false };
  const reads = inv.reads!(PROBE).components;
  return { master: reads.includes('master'), agents: reads.includes('agent') };
}
