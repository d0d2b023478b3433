/**
 * A framework of a runtime property: the real scheduler client (the scheduler machine over
 * HTTP) behind its own proxy, with everything it sees and does recorded into a FwHistory.
 */
import { userInfo } from 'node:os';
import { postJson } from '../../impl/http/client.ts';
import { SchedulerClient, commandTask } from '../../impl/scheduler-client/index.ts';
import type { FrameworkInfo } from '../../spec/protocol/common.ts';
import type { SchedulerCall } from '../../spec/protocol/scheduler.ts';
import { encodeSchedulerCall } from '../../spec/protocol/json.ts';
import type { FwEvent, FwHistory, TaskCommand } from './history.ts';
import { Proxy } from './proxy.ts';

export const TASK_CPUS = 0.5;
export const TASK_MEM = 128;

export interface FrameworkOptions {
  readonly name: string;
  readonly kind: 'launch' | 'decline';
  readonly tasks: Readonly<Record<string, TaskCommand>>;
  readonly checkpoint: boolean;
  readonly partitionAware: boolean;
  readonly refuseSeconds: number;
  readonly masterUrl: string;
  readonly clock: () => number;
  /** Numbers calls across the run. */
  readonly nextCallId: () => number;
  /** Mutant: the proxy resets every ACKNOWLEDGE. */
  readonly dropAcks?: boolean;
}

export class LiveFramework {
  readonly history: FwHistory;
  private readonly callIds = new WeakMap<object, number>();
  private fid: string | undefined;
  /** ERROR events (the machine stops on one). */
  readonly errors: string[] = [];

  private constructor(
    readonly options: FrameworkOptions,
    readonly proxy: Proxy,
    readonly client: SchedulerClient,
  ) {
    this.history = {
      name: options.name,
      kind: options.kind,
      checkpoint: options.checkpoint,
      partitionAware: options.partitionAware,
      refuseSeconds: options.refuseSeconds,
      tasks: options.tasks,
      ghosts: [],
      events: [],
    };
  }

  static async start(options: FrameworkOptions): Promise<LiveFramework> {
    const proxy = await Proxy.start(options.masterUrl, { dropAcks: options.dropAcks ?? false });
    const info: FrameworkInfo = {
      user: userInfo().username,
      name: options.name,
      failover_timeout: 120,
      checkpoint: options.checkpoint,
      ...(options.partitionAware ? { capabilities: [{ type: 'PARTITION_AWARE' as const }] } : {}),
    };
    const client = new SchedulerClient({
      master: proxy.url,
      framework_info: info,
      tasks: Object.entries(options.tasks).map(([id, command]) => commandTask(id, command, TASK_CPUS, TASK_MEM)),
      refuse_seconds: options.refuseSeconds,
      reconcile: 'explicit',
      suppress_when_done: options.kind === 'launch',
      resubscribe_delay_ms: 200,
      backoff_min_ms: 100,
      backoff_max_ms: 1000,
      call_timeout_ms: 20_000,
    });
    const fw = new LiveFramework(options, proxy, client);
    fw.listen();
    return fw;
  }

  private record(e: FwEvent): void {
    this.history.events.push(e);
  }

  private listen(): void {
    const now = this.options.clock;
    this.client.on('event', (e) => {
      switch (e.type) {
        case 'SUBSCRIBED':
          this.fid = e.subscribed.framework_id.value;
          this.record({ t: now(), kind: 'subscribed', fid: this.fid });
          break;
        case 'UPDATE':
          this.record({ t: now(), kind: 'update', status: e.update.status });
          break;
        case 'OFFERS':
          this.record({ t: now(), kind: 'offers', offers: e.offers.offers ?? [] });
          break;
        case 'RESCIND':
          this.record({ t: now(), kind: 'rescind', offerId: e.rescind.offer_id.value });
          break;
        case 'ERROR':
          this.errors.push(e.error.message);
          break;
        default:
          break;
      }
    });
    this.client.on('call', (call) => {
      const id = this.options.nextCallId();
      this.callIds.set(call, id);
      this.record({ t: now(), kind: 'call', id, call });
    });
    this.client.on('answer', (r) => {
      const id = this.callIds.get(r.call);
      if (id === undefined) return;
      this.record({ t: now(), kind: 'answer', id, ...(r.status !== undefined ? { status: r.status } : {}), ...(r.error ? { error: r.error.message } : {}) });
    });
  }

  get frameworkId(): string | undefined {
    return this.fid;
  }

  /** The machine is subscribed and knows its stream. */
  get isSubscribed(): boolean {
    const v = this.client.host.local.value as unknown;
    return typeof v === 'object' && v !== null && 'subscribed' in v && this.client.context.stream_id !== undefined;
  }

  async waitSubscribed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isSubscribed) {
      if (Date.now() > deadline || this.client.isStopped) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  /** Breaks the subscription connection; the machine re-subscribes with its framework id. */
  drop(): number {
    this.record({ t: this.options.clock(), kind: 'drop' });
    return this.proxy.dropSubscriptions();
  }

  /** Asks the machine to kill a task (it calls KILL if the task is launched and not over). */
  kill(taskId: string): void {
    this.client.kill(taskId);
  }

  /**
   * A RECONCILE call made by the test on the machine's stream (explicit with `tasks`, implicit
   * with null), recorded like the machine's own calls. Resolves with the answer's status.
   */
  async reconcile(tasks: readonly string[] | null): Promise<number | undefined> {
    const streamId = this.client.context.stream_id;
    const fid = this.fid;
    if (streamId === undefined || fid === undefined) return undefined;
    const call: SchedulerCall = { type: 'RECONCILE', framework_id: { value: fid }, reconcile: { tasks: (tasks ?? []).map((t) => ({ task_id: { value: t } })) } };
    const id = this.options.nextCallId();
    this.record({ t: this.options.clock(), kind: 'call', id, call });
    try {
      const r = await postJson(new URL('/api/v1/scheduler', this.proxy.url), encodeSchedulerCall(call), { 'Mesos-Stream-Id': streamId }, 10_000);
      this.record({ t: this.options.clock(), kind: 'answer', id, status: r.status });
      return r.status;
    } catch (e) {
      this.record({ t: this.options.clock(), kind: 'answer', id, error: (e as Error).message });
      return undefined;
    }
  }

  /** Task ids the machine launched, and the latest state it saw of each. */
  get launched(): readonly string[] {
    return this.client.context.launched;
  }

  seen(taskId: string): string | undefined {
    return this.client.context.seen[taskId];
  }

  /** Removes the framework: TEARDOWN through the operator API (works whatever the client's state), then closes. */
  async teardown(masterUrl: string): Promise<void> {
    this.record({ t: this.options.clock(), kind: 'teardown' });
    await this.client.close();
    if (this.fid !== undefined) {
      try {
        await postJson(new URL('/api/v1', masterUrl), JSON.stringify({ type: 'TEARDOWN', teardown: { framework_id: { value: this.fid } } }), {}, 10_000);
      } catch {
        // the master is gone: nothing left to tear down
      }
    }
    await this.proxy.close();
  }
}
