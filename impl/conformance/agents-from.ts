/**
 * `conformance generate --agents-from URL`: a suite for the agents a target master has. The
 * master's v1 operator API (GET_AGENTS) lists its agents and their resources; each agent of the
 * configuration, in order, takes the resources of the master's agent at the same place in its
 * list, converted to the agent flag syntax the configuration uses (`cpus:4;mem:4096;ports:[31000-32000]`).
 * What the model does not know (revocable, shared or provider resources, disk sources, dynamic
 * reservations, GPUs) is left out and said so. The generation then explores the model with those
 * resources: bigger agents fit more tasks at once, so the state space may grow.
 */
import { listAgents } from './master-agents.ts';
import { fromWire, printResources } from '../../spec/resources/index.ts';
import type { AgentConfig, MesosConfig } from '../../spec/world/config.ts';
import type { AgentsSource } from '../../conformance/format.ts';

/** One of the target master's agents: its resources in flag syntax and what was left out of them. */
export interface TargetAgent {
  readonly id: string;
  readonly hostname: string;
  readonly resources: string;
  /** `name: why` for each resource left out. */
  readonly ignored: readonly string[];
}

type WireResource = {
  name?: unknown;
  type?: unknown;
  revocable?: unknown;
  shared?: unknown;
  provider_id?: unknown;
  disk?: { source?: unknown; persistence?: unknown };
  reservation?: unknown;
  reservations?: { type?: unknown }[];
  allocation_info?: unknown;
};

/** Why the model cannot take this resource of an agent's, or null when it can. */
function unknownToModel(r: WireResource): string | null {
  const present = (v: unknown) => v !== undefined && v !== null;
  if (r.name === 'gpus') return 'GPUs (the model has no GPU_RESOURCES capability)';
  if (present(r.revocable)) return 'revocable';
  if (present(r.shared)) return 'shared';
  if (present(r.provider_id)) return 'from a resource provider';
  if (present(r.disk?.source)) return 'a disk source';
  if (present(r.disk?.persistence)) return 'a persistent volume';
  if (present(r.reservation) || (Array.isArray(r.reservations) && r.reservations.some((x) => x?.type !== 'STATIC'))) return 'a dynamic reservation';
  if (present(r.allocation_info)) return 'allocated';
  return null;
}

/**
 * An agent's `Resource` list (v1 JSON) in agent flag syntax, each resource the model does not
 * know or the syntax cannot express left out with the reason.
 */
export function agentResources(wire: unknown): { resources: string; ignored: string[] } {
  const ignored: string[] = [];
  const kept: unknown[] = [];
  for (const [i, r] of (Array.isArray(wire) ? wire : []).entries()) {
    const name = typeof (r as WireResource)?.name === 'string' ? ((r as WireResource).name as string) : `resources[${i}]`;
    const why = typeof r === 'object' && r !== null ? unknownToModel(r as WireResource) : 'not an object';
    if (why !== null) {
      ignored.push(`${name}: ${why}`);
      continue;
    }
    const one = fromWire([r]);
    if (!one.ok) {
      ignored.push(`${name}: ${one.error}`);
      continue;
    }
    try {
      printResources(one.value);
    } catch (e) {
      ignored.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    kept.push(r);
  }
  const all = fromWire(kept);
  // Each kept resource was read on its own; together they still are (fromWire adds like entries up).
  return { resources: all.ok ? printResources(all.value) : '', ignored };
}

/** The master's agents, in its order; or what went wrong (the caller names --agents-from). */
export async function targetAgents(masterUrl: string, timeoutMs: number): Promise<TargetAgent[] | string> {
  const agents = await listAgents(masterUrl, timeoutMs);
  if (typeof agents === 'string') return agents;
  return agents.map((a) => ({ id: a.id, hostname: a.hostname ?? '', ...agentResources(a.resources) }));
}

/**
 * The configuration with each of its agents (one per `count`), in order, given the resources of
 * the target's agent at the same place; a string when the target has too few agents, or an agent
 * with nothing the model knows.
 */
export function withAgentsOf(config: MesosConfig, masterUrl: string, agents: readonly TargetAgent[]): { config: MesosConfig; source: AgentsSource } | string {
  const own: AgentConfig[] = config.agents.flatMap((a) => Array.from({ length: a.count ?? 1 }, () => a));
  if (own.length > agents.length) {
    return `the configuration ${config.name} needs ${own.length} agent${own.length > 1 ? 's' : ''}; the master at ${masterUrl} has ${agents.length}`;
  }
  const used = agents.slice(0, own.length);
  const empty = used.find((a) => a.resources === '');
  if (empty) return `agent ${empty.id} of the master at ${masterUrl} has no resources the model knows (${empty.ignored.join('; ') || 'none listed'})`;
  return {
    config: {
      ...config,
      agents: own.map((a, i) => {
        const { count: _count, ...rest } = a;
        return { ...rest, resources: used[i]!.resources };
      }),
    },
    source: {
      master: masterUrl,
      agents: used.map((a) => ({ id: a.id, hostname: a.hostname, resources: a.resources, ...(a.ignored.length ? { ignored: [...a.ignored] } : {}) })),
      unused: agents.length - own.length,
    },
  };
}
