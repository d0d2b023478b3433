/**
 * Raw HTTP helpers for exercising a master the way a hand-written client would (tests and
 * benchmarks): a SUBSCRIBE stream whose records can be awaited one by one, scheduler and
 * operator calls with exact headers. No machine runs here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { openRecordIO, postJson, request, type HttpAnswer, type RecordIOStream } from '../../impl/http/client.ts';
import { encodeMasterCall, encodeSchedulerCall, parseJsonText } from '../../spec/protocol/json.ts';
import type { MasterCall } from '../../spec/protocol/operator.ts';
import type { SchedulerCall } from '../../spec/protocol/scheduler.ts';

/** An open event stream (scheduler or operator SUBSCRIBE). */
export class EventStream {
  readonly records: string[] = [];
  ended = false;
  endError: Error | undefined;
  private cursor = 0;
  private waiters: (() => void)[] = [];
  private inner: RecordIOStream | undefined;

  static async open(url: string, path: string, body: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const s = new EventStream();
    s.inner = await openRecordIO(new URL(path, url), body, headers, {
      onRecord: (text) => {
        s.records.push(text);
        s.wake();
      },
      onEnd: (error) => {
        s.ended = true;
        s.endError = error;
        s.wake();
      },
    });
    if (s.inner.status !== 200) s.ended = true;
    return s;
  }

  get status(): number {
    return this.inner!.status;
  }

  get headers(): IncomingHttpHeaders {
    return this.inner!.headers;
  }

  get body(): string | undefined {
    return this.inner!.body;
  }

  get streamId(): string {
    return String(this.headers['mesos-stream-id'] ?? '');
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The next record not yet taken (text), or null if the stream ended first; rejects after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.cursor >= this.records.length) {
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no record within ${timeoutMs} ms (have ${this.records.length})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.records[this.cursor++]!;
  }

  /** The next record parsed as JSON whose `type` is `type` (skipping others, e.g. HEARTBEAT). */
  async nextOfType<T = Record<string, unknown>>(type: string, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.next(Math.max(1, deadline - Date.now()));
      if (text === null) throw new Error(`stream ended before a ${type} event`);
      const json = parseJsonText(text, { nonFinite: true });
      if (json.ok && (json.value as { type?: string }).type === type) return json.value as T;
    }
  }

  /** Resolves when the stream has ended (true) or after `timeoutMs` (false). */
  async waitEnd(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  close(): void {
    this.inner?.close();
    this.ended = true;
  }
}

/** A framework's SUBSCRIBE stream. */
export function subscribe(url: string, call: SchedulerCall | string, headers: Record<string, string> = {}): Promise<EventStream> {
  return EventStream.open(url, '/api/v1/scheduler', typeof call === 'string' ? call : encodeSchedulerCall(call), headers);
}

/** A scheduler call (not SUBSCRIBE) with the stream id header. */
export function schedulerCall(url: string, call: SchedulerCall | string, streamId?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return postJson(new URL('/api/v1/scheduler', url), typeof call === 'string' ? call : encodeSchedulerCall(call), {
    ...(streamId !== undefined ? { 'Mesos-Stream-Id': streamId } : {}),
    ...headers,
  });
}

/** An operator call; the answer's body parsed when it is JSON. */
export async function operatorCall(url: string, call: MasterCall | string): Promise<HttpAnswer & { json?: unknown }> {
  const r = await postJson(new URL('/api/v1', url), typeof call === 'string' ? call : encodeMasterCall(call));
  const json = r.status === 200 ? parseJsonText(r.body, { nonFinite: true }) : undefined;
  return json?.ok ? { ...r, json: json.value } : r;
}

/** GET_STATE's body, as text (to compare before and after). */
export async function stateText(url: string): Promise<string> {
  const r = await postJson(new URL('/api/v1', url), '{"type":"GET_STATE"}');
  if (r.status !== 200) throw new Error(`GET_STATE answered ${r.status}: ${r.body}`);
  return r.body;
}

/** A registered agent as GET_AGENTS lists it (the fields the tests read). */
export interface AgentEntry {
  agent_info: { id: { value: string }; hostname: string; port?: number };
  active: boolean;
  deactivated: boolean;
  drain_info?: { state: string };
  total_resources: unknown[];
}

/** GET_AGENTS: the registered agents and the recovered ones (admitted, not reregistered since a failover), each [] when none. */
export async function getAgents(url: string): Promise<{ agents: AgentEntry[]; recovered: { id?: { value: string } }[] }> {
  const r = await operatorCall(url, '{"type":"GET_AGENTS"}');
  if (r.status !== 200) throw new Error(`GET_AGENTS answered ${r.status}: ${r.body}`);
  const got = (r.json as { get_agents: { agents?: AgentEntry[]; recovered_agents?: { id?: { value: string } }[] } }).get_agents;
  return { agents: got.agents ?? [], recovered: got.recovered_agents ?? [] };
}

/** One value of the master's /metrics/snapshot (undefined when it has no such metric). */
export async function metric(url: string, name: string): Promise<number | undefined> {
  return ((await getJson(url, '/metrics/snapshot')) as Record<string, number | undefined>)[name];
}

export async function getJson(url: string, path: string): Promise<unknown> {
  const r = await request(new URL(path, url));
  if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
  const json = parseJsonText(r.body, { nonFinite: true });
  if (!json.ok) throw new Error(`GET ${path}: not JSON`);
  return json.value;
}
