/**
 * An executor's calls to its agent (`POST /api/v1/executor`), in order, as over Mesos's single
 * connection. Both executors of this reference use it: the command executor (runtime.ts) and the
 * default executor (default-executor.ts), which also read their SUBSCRIBE stream's records the
 * same way (`eventOfRecord`).
 *
 * Two ways to send them (`MESOS_REF_EXECUTOR_LINK`, read from the executor's environment, which
 * it inherits from its agent; for the benchmark's comparison):
 *   pipelined  (the default) every call is written at once on one keep-alive connection, without
 *              waiting for the answers before it, as Mesos's executor library does; the agent
 *              handles a connection's requests in their arrival order (impl/http/arrival-order.ts),
 *              and still answers an UPDATE's 202 only once it is on disk, so a burst of updates
 *              shares the agent's group commit instead of paying a round trip and an fsync each.
 *   serial     the former link: one call at a time, the next sent once the previous was answered.
 */
import type { ExecutorCall, ExecutorEvent } from '../../spec/protocol/executor.ts';
import { decodeExecutorEvent, encodeExecutorCall } from '../../spec/protocol/json.ts';
import { request } from '../http/client.ts';
import { PipelinedConnection } from '../http/pipelined-connection.ts';

export const EXECUTOR_LINK_MODES = ['pipelined', 'serial'] as const;
export type ExecutorLinkMode = (typeof EXECUTOR_LINK_MODES)[number];

/** The link mode an executor's environment names; an unknown one is an error naming the variable. */
export function executorLinkMode(env: NodeJS.ProcessEnv = process.env): ExecutorLinkMode {
  const mode = env.MESOS_REF_EXECUTOR_LINK ?? 'pipelined';
  if (!(EXECUTOR_LINK_MODES as readonly string[]).includes(mode)) {
    throw new Error(`MESOS_REF_EXECUTOR_LINK must be one of ${EXECUTOR_LINK_MODES.join(', ')}, not '${mode}'`);
  }
  return mode as ExecutorLinkMode;
}

export class AgentCalls {
  private readonly outbox: { body: string; answered: () => void }[] = [];
  private posting = false;
  private readonly connection: PipelinedConnection | undefined;

  constructor(
    private readonly agentUrl: string,
    private readonly token: string | undefined,
    private readonly log: (line: string) => void,
    mode: ExecutorLinkMode = executorLinkMode(),
  ) {
    if (mode === 'pipelined') this.connection = new PipelinedConnection(this.url, 30_000);
  }

  /** The executor API's URL on the agent. */
  get url(): URL {
    return new URL('/api/v1/executor', this.agentUrl);
  }

  /** The executor's token as an `Authorization` header (none when the agent gave no token). */
  get authorization(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  /** Sends a call behind the ones before it, without waiting for its answer. */
  post(call: ExecutorCall): void {
    // `send` never rejects: a failure is logged there.
    this.send(call).catch(() => {});
  }

  /**
   * Sends a call behind the ones before it; a call that fails is logged, not retried (an
   * unacknowledged update rides on the next SUBSCRIBE). Resolves once it was answered or failed
   * (the executors do not wait for it; the benchmark does).
   */
  send(call: ExecutorCall): Promise<void> {
    if (this.connection) {
      // Written now, behind whatever is unanswered; the connection sends a call again on a new
      // connection once if the agent's end broke before answering it.
      return this.connection.request('POST', { 'Content-Type': 'application/json', Accept: 'application/json', ...this.authorization }, encodeExecutorCall(call)).then(
        (answer) => {
          if (answer.status !== 202) this.log(`Received '${answer.status}' (${answer.body.trim()}) for a call`);
        },
        (e: Error) => this.log(`Failed to send a call to the agent: ${e.message}`),
      );
    }
    return new Promise((answered) => {
      this.outbox.push({ body: encodeExecutorCall(call), answered });
      this.flush().catch((e: Error) => this.log(`Sending to the agent failed: ${e.message}`));
    });
  }

  private async flush(): Promise<void> {
    if (this.posting) return;
    this.posting = true;
    try {
      while (this.outbox.length > 0) {
        const { body, answered } = this.outbox.shift()!;
        const send = () =>
          request(this.url, {
            method: 'POST',
            body,
            headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...this.authorization },
            timeoutMs: 30_000,
          });
        try {
          // A pooled connection may have died with an agent that restarted: try a fresh one once
          // (the agent ignores an update it already has, by uuid).
          const answer = await send().catch((e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? send() : Promise.reject(e)));
          if (answer.status !== 202) this.log(`Received '${answer.status}' (${answer.body.trim()}) for a call`);
        } catch (e) {
          this.log(`Failed to send a call to the agent: ${(e as Error).message}`);
        } finally {
          answered();
        }
      }
    } finally {
      this.posting = false;
    }
  }
}

/** One record of the SUBSCRIBE stream as an event; a record that is not one is logged and skipped. */
export function eventOfRecord(text: string, log: (line: string) => void): ExecutorEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    log(`Ignoring a record that is not JSON: ${text.slice(0, 200)}`);
    return undefined;
  }
  const decoded = decodeExecutorEvent(json);
  if (decoded.ok) return decoded.value;
  log(`Ignoring an invalid event: ${decoded.error}`);
  return undefined;
}
