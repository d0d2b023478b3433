/**
 * The scheduler client: the scheduler machine (spec/machines/scheduler.ts) in a Host, talking
 * the v1 scheduler API to a master over HTTP. The machine decides what to call and when; this
 * file carries the calls and the events:
 *
 *   - SUBSCRIBE opens the event stream (RecordIO); each event is delivered to the machine with
 *     `from: 'master'` and `stream` = the Mesos-Stream-Id response header;
 *   - every other call is its own POST, its `stream_id` moved into the Mesos-Stream-Id header;
 *   - a stream that closes or fails is `LINK_BROKEN { peer: 'master' }` (the machine
 *     re-subscribes after its delay); connection attempts back off exponentially while the
 *     master cannot be reached;
 *   - `kill(taskId)` and `teardown()` are the machine's environment events.
 */
import { EventEmitter } from 'node:events';
import type { AnyEventObject } from 'xstate';
import { Host, type TraceRecord } from '../host.ts';
import type { Effect } from '../../spec/step.ts';
import type { SendEffect } from '../../spec/machines/effects.ts';
import { scheduler, type SchedulerContext, type SchedulerInput, type WantedTask } from '../../spec/machines/scheduler.ts';
import type { FrameworkInfo } from '../../spec/protocol/common.ts';
import type { SchedulerCall, SchedulerEvent } from '../../spec/protocol/scheduler.ts';
import { decodeSchedulerEvent, encodeSchedulerCall, parseJsonText } from '../../spec/protocol/json.ts';
import { openRecordIO, postJson, type HttpAnswer, type RecordIOStream } from '../http/client.ts';
import { basicAuthorization, type Credential } from '../http/auth.ts';
import { currentMaster, type MasterLocator } from '../zk/detector.ts';

export interface SchedulerClientOptions {
  /** The master's URL, e.g. http://127.0.0.1:5050, or a leader detector (`--master zk://...`): the client follows the leader. */
  readonly master: string | MasterLocator;
  readonly framework_info: FrameworkInfo;
  /** The tasks to launch, once each. */
  readonly tasks: readonly WantedTask[];
  /** Resubscribe with this id (a failed-over scheduler). */
  readonly framework_id?: string;
  /** refuse_seconds of the filter on declined offers (default 5). */
  readonly refuse_seconds?: number;
  /** Reconcile after re-subscribing (default explicit). */
  readonly reconcile?: SchedulerInput['reconcile'];
  /** Suppress offers once every task is launched (default true). */
  readonly suppress_when_done?: boolean;
  /** The machine's wait before re-subscribing after a disconnection (default 1000 ms). */
  readonly resubscribe_delay_ms?: number;
  /** Connection backoff: first wait and cap (defaults 500 ms and 15 s, as Mesos suggests). */
  readonly backoff_min_ms?: number;
  readonly backoff_max_ms?: number;
  /** Timeout of each non-SUBSCRIBE call (default 75 s). */
  readonly call_timeout_ms?: number;
  readonly trace?: (record: TraceRecord) => void;
  readonly log?: (line: string) => void;
  /** Sent as HTTP Basic on every call (a master with --authenticate-frameworks needs it). */
  readonly credential?: Credential;
}

/** The answer to a call the client posted. */
export interface CallResult {
  readonly call: SchedulerCall;
  readonly status?: number;
  readonly body?: string;
  readonly error?: Error;
  readonly ms: number;
}

export interface SchedulerClientEvents {
  /** Every event received on the stream, before the machine sees it. */
  event: [SchedulerEvent];
  /** Every call the machine made, when it is sent. */
  call: [SchedulerCall];
  /** Every call's outcome. */
  answer: [CallResult];
  /** The stream opened (status 200) or closed. */
  connected: [string];
  disconnected: [Error | undefined];
  /** The machine reached `stopped` (ERROR from the master, or teardown). */
  stopped: [];
}

const MASTER = 'master';

export class SchedulerClient extends EventEmitter<SchedulerClientEvents> {
  readonly host: Host;
  private stream: RecordIOStream | undefined;
  /** Each SUBSCRIBE gets a generation; only the current one's stream talks to the machine. */
  private generation = 0;
  private failures = 0;
  private nextAttemptAt = 0;
  private pendingSubscribe: { body: SchedulerCall; timer: NodeJS.Timeout } | undefined;
  private closed = false;
  private readonly inflight = new Set<Promise<CallResult>>();
  private readonly log: (line: string) => void;
  private wasStopped = false;
  private lastTeardown: Promise<CallResult> | undefined;
  /** Like an open socket, a client keeps the process alive until it is closed. */
  private readonly keepAlive = setInterval(() => {}, 1 << 30);

  constructor(readonly options: SchedulerClientOptions) {
    super();
    this.log = options.log ?? (() => {});
    const input: SchedulerInput = {
      self: 'scheduler',
      master: MASTER,
      // An authenticated framework names its principal, as Mesos's drivers do.
      framework_info:
        options.credential && options.framework_info.principal === undefined ? { ...options.framework_info, principal: options.credential.principal } : options.framework_info,
      ...(options.framework_id !== undefined ? { framework_id: options.framework_id } : {}),
      tasks: options.tasks,
      refuse_seconds: options.refuse_seconds ?? 5,
      reconcile: options.reconcile ?? 'explicit',
      suppress_when_done: options.suppress_when_done ?? true,
      resubscribe_delay_ms: options.resubscribe_delay_ms ?? 1000,
    };
    // The host starts the machine at once; its first SUBSCRIBE is carried out right away.
    this.host = new Host(scheduler, input, {
      name: 'scheduler',
      onEffect: (e) => this.onEffect(e),
      onStep: (local) => {
        if (!this.wasStopped && local.value === 'stopped') {
          this.wasStopped = true;
          queueMicrotask(() => this.emit('stopped'));
        }
      },
      ...(options.trace ? { trace: options.trace } : {}),
      onError: (error, event) => this.log(`scheduler: step failed on ${JSON.stringify(event)}: ${(error as Error).message}`),
    });
    if (typeof options.master !== 'string') options.master.onChange((url) => this.leaderChanged(url));
  }

  /** The master the current stream is to (a detected leader's URL). */
  private streamMaster: string | undefined;

  /** A new leader was detected: a stream to another master is over (the machine re-subscribes), and a wait for the backoff ends. */
  private leaderChanged(url: string | undefined): void {
    if (this.closed || url === undefined || url === this.streamMaster) return;
    this.log(`scheduler: detected a new leading master at ${url}`);
    this.failures = 0;
    this.nextAttemptAt = 0;
    if (this.stream) {
      const gen = this.generation;
      this.stream.close();
      this.stream = undefined;
      this.broken(gen, new Error(`the leading master is now ${url}`));
    } else if (this.pendingSubscribe) this.subscribe(this.pendingSubscribe.body);
  }

  get context(): SchedulerContext {
    return this.host.context as SchedulerContext;
  }

  get frameworkId(): string | undefined {
    return this.context.framework_id;
  }

  get isStopped(): boolean {
    return this.wasStopped;
  }

  /** Resolves when the machine is subscribed (SUBSCRIBED received). */
  subscribed(): Promise<string> {
    if (this.context.stream_id !== undefined && this.context.framework_id !== undefined) return Promise.resolve(this.context.framework_id);
    return new Promise((resolve) => {
      const on = (e: SchedulerEvent) => {
        if (e.type !== 'SUBSCRIBED') return;
        this.off('event', on);
        // The machine records it right after listeners ran.
        queueMicrotask(() => resolve(e.subscribed.framework_id.value));
      };
      this.on('event', on);
    });
  }

  /** Asks the machine to kill a task (ignored unless it is launched and not terminal). */
  kill(taskId: string): void {
    this.host.send({ type: 'KILL_REQUEST', task_id: taskId });
  }

  /** Asks the machine to tear the framework down; resolves with the TEARDOWN call's answer, if one was made. */
  async teardown(): Promise<CallResult | undefined> {
    this.lastTeardown = undefined;
    this.host.send({ type: 'TEARDOWN_REQUEST' });
    return this.lastTeardown;
  }

  /** Stops the machine and drops the stream; waits for calls still in flight (bounded). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.host.stop();
    if (this.pendingSubscribe) clearTimeout(this.pendingSubscribe.timer);
    this.pendingSubscribe = undefined;
    this.generation++;
    this.stream?.close();
    this.stream = undefined;
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  // ---------------------------------------------------------------------------------- effects

  private onEffect(effect: Effect): void {
    if (effect.type !== 'send') {
      this.log(`scheduler: ignoring a '${effect.type}' effect`);
      return;
    }
    const e = effect as unknown as SendEffect;
    const msg = e.msg as SchedulerCall & { stream_id?: string };
    const { stream_id: streamId, ...call } = msg;
    this.emit('call', call as SchedulerCall);
    if (call.type === 'SUBSCRIBE') this.subscribe(call as SchedulerCall);
    else {
      const p = this.post(call as SchedulerCall, streamId);
      if (call.type === 'TEARDOWN') this.lastTeardown = p;
    }
  }

  /** Opens the event stream now, or after the backoff if the master was unreachable. */
  private subscribe(body: SchedulerCall): void {
    if (this.closed) return;
    // A new SUBSCRIBE replaces an attempt still in progress (the machine retries every 2 s).
    const gen = ++this.generation;
    this.stream?.close();
    this.stream = undefined;
    if (this.pendingSubscribe) clearTimeout(this.pendingSubscribe.timer);
    const wait = Math.max(0, this.nextAttemptAt - Date.now());
    const timer = setTimeout(() => {
      this.pendingSubscribe = undefined;
      this.open(body, gen).catch((e: Error) => this.log(`scheduler: SUBSCRIBE failed: ${e.message}`));
    }, wait);
    this.pendingSubscribe = { body, timer };
  }

  private async open(body: SchedulerCall, gen: number): Promise<void> {
    let stream: RecordIOStream;
    const master = currentMaster(this.options.master);
    this.streamMaster = master;
    try {
      if (master === undefined) throw new Error('no leading master detected yet');
      stream = await openRecordIO(new URL('/api/v1/scheduler', master), encodeSchedulerCall(body), this.authorization, {
        onHeaders: (_status, headers) => {
          if (gen === this.generation) this.streamId = String(headers['mesos-stream-id'] ?? '');
        },
        onRecord: (text) => this.onRecord(text, gen),
        onEnd: (error) => this.onStreamEnd(gen, error),
      });
    } catch (e) {
      if (gen !== this.generation) return;
      this.backoff();
      this.log(`scheduler: cannot reach ${master ?? 'a master'}: ${(e as Error).message}; next attempt in ${Math.max(0, Math.round(this.nextAttemptAt - Date.now()))} ms`);
      this.broken(gen, e as Error);
      return;
    }
    if (gen !== this.generation) {
      stream.close();
      return;
    }
    if (stream.status !== 200) {
      this.backoff();
      this.log(`scheduler: SUBSCRIBE answered ${stream.status}: ${stream.body ?? ''}`);
      this.broken(gen, new Error(`SUBSCRIBE answered ${stream.status}: ${stream.body ?? ''}`));
      return;
    }
    this.stream = stream;
    this.emit('connected', this.streamId);
  }

  private streamId = '';

  private onRecord(text: string, gen: number): void {
    if (gen !== this.generation || this.closed) return;
    const json = parseJsonText(text, { nonFinite: true });
    const decoded = json.ok ? decodeSchedulerEvent(json.value) : json;
    if (!decoded.ok) {
      this.log(`scheduler: undecodable event (${decoded.error}): ${text.slice(0, 200)}`);
      return;
    }
    const event = decoded.value;
    if (event.type === 'SUBSCRIBED') {
      this.failures = 0;
      this.nextAttemptAt = 0;
    }
    this.emit('event', event);
    this.host.send({ ...event, from: MASTER, stream: this.streamId } as AnyEventObject);
  }

  private onStreamEnd(gen: number, error: Error | undefined): void {
    if (gen !== this.generation || this.closed) return;
    this.stream = undefined;
    this.broken(gen, error);
  }

  private broken(gen: number, error: Error | undefined): void {
    if (gen !== this.generation || this.closed) return;
    this.emit('disconnected', error);
    this.host.send({ type: 'LINK_BROKEN', peer: MASTER });
  }

  /** Exponential backoff with jitter: min * 2^failures, capped, times [0.5, 1). */
  private backoff(): void {
    const min = this.options.backoff_min_ms ?? 500;
    const max = this.options.backoff_max_ms ?? 15_000;
    const wait = Math.min(max, min * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.failures++;
    this.nextAttemptAt = Date.now() + wait;
  }

  private get authorization(): Record<string, string> {
    return this.options.credential ? basicAuthorization(this.options.credential) : {};
  }

  private post(call: SchedulerCall, streamId: string | undefined): Promise<CallResult> {
    const t0 = performance.now();
    const p = postJson(
      new URL('/api/v1/scheduler', this.streamMaster ?? currentMaster(this.options.master) ?? 'http://0.0.0.0:0'),
      encodeSchedulerCall(call),
      { ...(streamId !== undefined ? { 'Mesos-Stream-Id': streamId } : {}), ...this.authorization },
      this.options.call_timeout_ms,
    ).then(
      (r: HttpAnswer): CallResult => ({ call, status: r.status, body: r.body, ms: performance.now() - t0 }),
      (error: Error): CallResult => ({ call, error, ms: performance.now() - t0 }),
    );
    this.inflight.add(p);
    // eslint-disable-next-line @typescript-eslint/no-floating-promises -- `p` only ever resolves: a failure is its `error` field
    p.then((result) => {
      this.inflight.delete(p);
      if (result.error) this.log(`scheduler: ${call.type} failed: ${result.error.message}`);
      else if (result.status !== 202 && result.status !== 200) this.log(`scheduler: ${call.type} answered ${result.status}: ${result.body}`);
      this.emit('answer', result);
    });
    return p;
  }
}
