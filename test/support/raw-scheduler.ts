/**
 * A scheduler at the wire, for end-to-end tests of what the scheduler machine does not do
 * (custom executors, messages, SHUTDOWN): SUBSCRIBE opens the RecordIO event stream, every event
 * is kept, `next` waits (on the stream, not a clock) for the first event after a mark that
 * matches, and `call` posts any call on the subscription. Every reliable UPDATE is acknowledged
 * as it arrives (redeliveries too), as a well-behaved scheduler does.
 */
import { openRecordIO, postJson, type RecordIOStream } from '../../impl/http/client.ts';
import { basicAuthorization, type Credential } from '../../impl/http/auth.ts';

type Event = { type: string } & Record<string, any>;

/** An event as a failure message names it: an UPDATE with its task, state, reason and message. */
const describe = (e: Event): string => {
  if (e.type !== 'UPDATE') return e.type;
  const s = e.update.status;
  return `UPDATE(${s.task_id.value} ${s.state}${s.reason ? ` ${s.reason}` : ''}${s.message ? ` '${s.message}'` : ''})`;
};

export class RawScheduler {
  readonly events: Event[] = [];
  /** Acknowledgements the master refused (none expected). */
  readonly ackErrors: string[] = [];
  frameworkId = '';
  private streamId = '';
  private stream: RecordIOStream | undefined;
  private waiters: { from: number; match: (e: Event) => boolean; resolve: (e: Event) => void }[] = [];

  constructor(
    readonly master: string,
    private readonly credential?: Credential,
  ) {}

  private headers(): Record<string, string> {
    return this.credential ? basicAuthorization(this.credential) : {};
  }

  async subscribe(frameworkInfo: Record<string, unknown>): Promise<string> {
    this.stream = await openRecordIO(`${this.master}/api/v1/scheduler`, JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } }), this.headers(), {
      onHeaders: (_status, headers) => {
        this.streamId = String(headers['mesos-stream-id'] ?? '');
      },
      onRecord: (text) => this.received(JSON.parse(text) as Event),
      onEnd: () => {},
    });
    if (this.stream.status !== 200) throw new Error(`SUBSCRIBE: ${this.stream.status} ${this.stream.body ?? ''}`);
    const subscribed = await this.next((e) => e.type === 'SUBSCRIBED', 0);
    this.frameworkId = subscribed.subscribed.framework_id.value;
    return this.frameworkId;
  }

  private received(e: Event): void {
    this.events.push(e);
    if (e.type === 'UPDATE' && e.update.status.uuid !== undefined) this.ack(e).catch((err: Error) => this.ackErrors.push(err.message));
    const index = this.events.length - 1;
    this.waiters = this.waiters.filter((w) => {
      if (index < w.from || !w.match(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  /** The first event at index >= `from` (default: from now on) that matches; rejects after `timeoutMs`. */
  next(match: (e: Event) => boolean, from = this.events.length, timeoutMs = 30_000): Promise<Event> {
    const seen = this.events.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching event within ${timeoutMs} ms; got ${this.events.map(describe).join(', ')}${this.ackErrors.length ? `; refused acknowledgements: ${this.ackErrors.join('; ')}` : ''}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        from,
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** An UPDATE for `task` in `state`. */
  update(task: string, state: string, from?: number): Promise<Event> {
    return this.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === task && e.update.status.state === state, from);
  }

  async call(body: Record<string, unknown>): Promise<number> {
    const r = await postJson(
      `${this.master}/api/v1/scheduler`,
      JSON.stringify({ ...body, framework_id: { value: this.frameworkId } }),
      { 'Mesos-Stream-Id': this.streamId, ...this.headers() },
      10_000,
    );
    if (r.status !== 202) throw new Error(`${String(body.type)}: ${r.status} ${r.body}`);
    return r.status;
  }

  /** Acknowledges an UPDATE that carries a uuid. */
  private async ack(e: Event): Promise<void> {
    const s = e.update.status;
    if (s.uuid === undefined) return;
    await this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } });
  }

  close(): void {
    this.stream?.close();
  }
}
