/**
 * The master's agents as its v1 operator API lists them (GET_AGENTS): the one fetch and parse
 * the runner's parts share (generate --agents-from, the preflight, the fault hooks, a
 * scenario's teardown), so that each reads the same fields the same way.
 */
import { postJson } from '../http/client.ts';

/** One agent of GET_AGENTS, the fields the runner reads (wire resources as the master gives them). */
export interface ListedAgent {
  /** Its agent id; `(agent <i>)` when the master gives none. */
  readonly id: string;
  readonly hostname: string | undefined;
  readonly port: number | undefined;
  readonly resources: readonly unknown[];
  readonly allocatedResources: readonly unknown[];
  /** Whether the master has it connected (GET_AGENTS `active`; a master that leaves it out: true). */
  readonly active: boolean;
}

interface Wire {
  get_agents?: {
    agents?: { agent_info?: { id?: { value?: string }; hostname?: string; port?: number; resources?: unknown[] }; allocated_resources?: unknown[]; active?: boolean }[];
  };
}

/** The master's agents, in its order; or what went wrong, as a sentence naming GET_AGENTS. */
export async function listAgents(masterUrl: string, timeoutMs: number): Promise<ListedAgent[] | string> {
  let body: Wire;
  try {
    const r = await postJson(`${masterUrl}/api/v1`, '{"type":"GET_AGENTS"}', {}, timeoutMs);
    if (r.status !== 200) return `GET_AGENTS answered ${r.status}${r.body ? ` (${r.body.trim().slice(0, 200)})` : ''}`;
    body = JSON.parse(r.body) as Wire;
  } catch (e) {
    return `GET_AGENTS failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  return (body.get_agents?.agents ?? []).map((a, i) => ({
    id: a.agent_info?.id?.value ?? `(agent ${i})`,
    hostname: a.agent_info?.hostname,
    port: a.agent_info?.port,
    resources: a.agent_info?.resources ?? [],
    allocatedResources: a.allocated_resources ?? [],
    active: a.active ?? true,
  }));
}
