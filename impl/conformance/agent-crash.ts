/**
 * When the runner crashes an agent: the model's crash is one step between two others of the
 * agent's, and the runner cannot see the agent's steps, only ask it. Before the kill it waits
 * until the agent's operator API (GET_TASKS) lists exactly the tasks the model's agent had at
 * the crash (`AGENT_RESTART.when`: after a RUN_TASK reached it, while its executor is still
 * starting, say); after the kill, until the master's GET_AGENTS says the agent is gone (the
 * model's crash tells the master at once: LINK_BROKEN), so that the calls and observations that
 * follow meet a master that knows.
 */
import type { AgentTaskView } from '../../conformance/format.ts';
import { postJson } from '../http/client.ts';
import { listAgents } from './master-agents.ts';

interface WireTask {
  task_id?: { value?: string };
  state?: string;
}
interface WireTasks {
  get_tasks?: { queued_tasks?: WireTask[]; launched_tasks?: WireTask[]; terminated_tasks?: WireTask[] };
}

/** The tasks an agent's GET_TASKS answer lists (completed ones aside), as the scenario writes them. */
export function taskView(answer: WireTasks): AgentTaskView[] {
  const t = answer.get_tasks ?? {};
  const of = (list: AgentTaskView['list'], tasks: WireTask[] | undefined): AgentTaskView[] =>
    (tasks ?? []).map((x) => ({ task_id: x.task_id?.value ?? '', list, state: (x.state ?? 'TASK_STAGING') as AgentTaskView['state'] }));
  return [...of('queued', t.queued_tasks), ...of('launched', t.launched_tasks), ...of('terminated', t.terminated_tasks)].sort((a, b) =>
    a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : 0,
  );
}

const same = (a: readonly AgentTaskView[], b: readonly AgentTaskView[]) =>
  a.length === b.length && a.every((x, i) => x.task_id === b[i]!.task_id && x.list === b[i]!.list && x.state === b[i]!.state);

const describe = (v: readonly AgentTaskView[]) => (v.length === 0 ? 'no tasks' : v.map((x) => `${x.task_id} ${x.list} ${x.state}`).join(', '));

/** How often the runner asks (a command executor starts in a few hundred ms: the window to land in). */
export const POLL_MS = 5;

/**
 * Waits until the agent at `agentUrl` lists exactly `want`; null when it did, else why it gave
 * up after `timeoutMs` (what it listed last), for the scenario's notes.
 */
export async function awaitAgentTasks(agentUrl: string, want: readonly AgentTaskView[], timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const r = await postJson(`${agentUrl}/api/v1`, '{"type":"GET_TASKS"}', {}, 2000);
      if (r.status === 200) {
        const seen = taskView(JSON.parse(r.body) as WireTasks);
        if (same(seen, want)) return null;
        last = describe(seen);
      } else last = `GET_TASKS answered ${r.status}`;
    } catch (e) {
      last = `GET_TASKS failed: ${(e as Error).message}`;
    }
    if (Date.now() > deadline) return `the agent never listed ${describe(want)} within ${timeoutMs} ms (last: ${last}); crashed it anyway`;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Polls the master's agents until the agent at `agentUrl` is listed active (or not); null when it is, else `why` after `timeoutMs`. */
async function awaitAgentListed(masterUrl: string, agentUrl: string, active: boolean, timeoutMs: number, why: string): Promise<string | null> {
  const port = Number(new URL(agentUrl).port);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const agents = await listAgents(masterUrl, 2000);
    if (typeof agents !== 'string' && agents.some((a) => a.port === port && a.active) === active) return null;
    if (Date.now() > deadline) return why;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the master no longer lists the agent at `agentUrl` as active; null when it did, else why it gave up. */
export function awaitAgentInactive(masterUrl: string, agentUrl: string, timeoutMs: number): Promise<string | null> {
  return awaitAgentListed(masterUrl, agentUrl, false, timeoutMs, `the master still listed the agent at ${agentUrl} as active ${timeoutMs} ms after it was killed`);
}

/** Waits until the master lists the agent at `agentUrl` as active again (it has reregistered); null when it did, else why it gave up. */
export function awaitAgentActive(masterUrl: string, agentUrl: string, timeoutMs: number): Promise<string | null> {
  return awaitAgentListed(masterUrl, agentUrl, true, timeoutMs, `the master did not list the agent at ${agentUrl} as active again within ${timeoutMs} ms`);
}
