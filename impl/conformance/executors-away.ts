/**
 * What a crashed agent's executors do while it is away (AGENT_RESTART.executorsAway). A real
 * executor whose agent crashed retries its subscription until the agent is back, and the agent,
 * recovering, waits for it: left alone it always comes back. The model also lets it not come back,
 * and a scenario whose trace says so is steered there:
 *
 *   - `exit` (the trace's executor gives up on the agent, its recovery timer firing, or its
 *     terminal-ack timer): kill -9 of its process group while the agent is down. Its own timer is
 *     as long as the master's wait for the agent (conformance/timeouts.ts), so waiting for it would
 *     race the master marking the agent unreachable, which the trace does not do;
 *   - `silent` (alive, but the agent's executor reregistration timeout fires before it
 *     subscribes): SIGSTOP of its process group while the agent is down, SIGCONT once the agent
 *     has finished recovering (its operator API answers again), by when the agent has destroyed it
 *     (the destroy is a SIGKILL, which a stopped process takes).
 */
import type { ExecutorAway } from '../../conformance/format.ts';
import { postJson } from '../http/client.ts';
import type { ScenarioCluster } from './cluster.ts';

/** An executor of the scenario with its framework's id bound. */
export interface BoundExecutorAway extends ExecutorAway {
  readonly frameworkId: string;
}

type Signal = NonNullable<ScenarioCluster['signalExecutor']>;

/**
 * Waits until every executor the trace has alive at the crash has a process the agent recorded
 * (the model's executor exists once the agent has launched it: a crash before the real one started
 * would leave nothing to come back); null when they have, else why it gave up.
 */
export async function awaitExecutorsStarted(signal: Signal, agent: string, away: readonly BoundExecutorAway[], timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = away.filter((e) => !signal(agent, e.frameworkId, e.executor, 0));
    if (missing.length === 0) return null;
    if (Date.now() > deadline) return `executor ${missing.map((e) => e.executor).join(', ')} had no process on ${agent} within ${timeoutMs} ms of the crash's moment`;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * With the agent down: kills the executors that exit, stops the silent ones. Returns the silent
 * ones' release (SIGCONT), and notes for what it could not do.
 */
export function holdExecutorsAway(signal: Signal, agent: string, away: readonly BoundExecutorAway[]): { release: () => void; notes: string[] } {
  const notes: string[] = [];
  const stopped: BoundExecutorAway[] = [];
  for (const e of away) {
    const sent = signal(agent, e.frameworkId, e.executor, e.does === 'exit' ? 'SIGKILL' : 'SIGSTOP');
    if (!sent) notes.push(`executor ${e.executor} on ${agent} was not running when the trace has it ${e.does === 'exit' ? 'exit' : 'stay silent'} while the agent is away`);
    else if (e.does === 'silent') stopped.push(e);
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      for (const e of stopped) signal(agent, e.frameworkId, e.executor, 'SIGCONT');
    },
    notes,
  };
}

/** Waits until the agent at `agentUrl` has finished recovering (its operator API answers GET_HEALTH 200); null when it has, else why it gave up. */
export async function awaitAgentRecovered(agentUrl: string, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const r = await postJson(`${agentUrl}/api/v1`, '{"type":"GET_HEALTH"}', {}, 2000);
      if (r.status === 200) return null;
      last = `GET_HEALTH answered ${r.status}`;
    } catch (e) {
      last = `GET_HEALTH failed: ${(e as Error).message}`;
    }
    if (Date.now() > deadline) return `the agent at ${agentUrl} had not finished recovering within ${timeoutMs} ms (last: ${last})`;
    await new Promise((r) => setTimeout(r, 20));
  }
}
