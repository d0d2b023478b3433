/**
 * A host runs one spec machine for real (DESIGN.md section 8): it feeds events in order through
 * the same `step` the checker uses, turns the timers the machine sets into real timeouts, and
 * hands every effect, in order, to the transport that owns it. It holds no protocol logic.
 *
 * Events are processed one at a time: an effect handler that delivers another event to this
 * host (a notification to itself, a reply that triggers a call) only queues it.
 */
import { randomBytes } from 'node:crypto';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, localKey, step, type Effect, type Local, type StepResult } from '../spec/step.ts';

/** The trace id of each `send` effect a tracing host emitted, until the effect is dropped. */
const messageIds = new WeakMap<Effect, string>();

/**
 * The trace id of a `send` effect, when its host traces: the transport sends it along with the
 * message (the effect may be carried out after a checkpoint or a registry write, so it is looked
 * up by the effect itself).
 */
export function messageIdOf(effect: Effect): string | undefined {
  return messageIds.get(effect);
}

export type EffectHandler = (effect: Effect, host: Host) => void;

/** One executed step, as `--trace` records it (JSON lines) and `validate-trace` replays it. */
export interface TraceRecord {
  readonly seq: number;
  readonly component: string;
  /** The machine's id (`master`, `agent`, `executor`, `scheduler`): which spec replays it. */
  readonly machine: string;
  readonly kind: 'init' | 'event' | 'timer';
  /** The input (init), the event (event), or the timer's id (timer). */
  readonly input?: unknown;
  readonly event?: AnyEventObject;
  readonly timer?: string;
  /** The local state after the step, canonical JSON. */
  readonly after: string;
  /** Milliseconds since the epoch, for humans; the validator ignores it. */
  readonly at: number;
  /**
   * The id of each message the step sends (its `send` effects, in order): `<origin>:<seq>:<k>`,
   * origin drawn per process. The transport carries the id with the message, so the receiving
   * process's trace names it in `received` (docs/runtime-transport.md).
   */
  readonly sent?: readonly string[];
  /** The id of the traced message this event is (absent for calls from untraced peers, timers, link breaks). */
  readonly received?: string;
}

export interface HostOptions {
  /** The component's name in logs and traces. */
  readonly name: string;
  readonly onEffect: EffectHandler;
  /** Called after every step with the new local state (runtime invariant monitors). */
  readonly onStep?: (local: Local, event: AnyEventObject | null) => void;
  readonly trace?: (record: TraceRecord) => void;
  /** Logs a step that threw; the event is dropped and the state kept. */
  readonly onError?: (error: unknown, event: AnyEventObject) => void;
}

export class Host {
  private current: Local;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue: { event: AnyEventObject | null; timer?: string; received?: string }[] = [];
  private draining = false;
  private stopped = false;
  private seq = 0;
  /** With a trace: this host's prefix of message ids. */
  private readonly origin: string | undefined;

  constructor(
    readonly machine: AnyStateMachine,
    input: unknown,
    private readonly options: HostOptions,
  ) {
    if (options.trace) this.origin = randomBytes(6).toString('hex');
    const r = initial(machine, input);
    this.current = r.local;
    const seq = this.seq++;
    options.trace?.({ seq, component: options.name, machine: machine.id, kind: 'init', input, after: localKey(r.local), at: Date.now(), ...this.stamp(seq, r) });
    this.draining = true;
    try {
      this.apply(r, null);
    } finally {
      this.draining = false;
    }
    this.drain();
  }

  get local(): Local {
    return this.current;
  }

  get context(): unknown {
    return this.current.context;
  }

  get name(): string {
    return this.options.name;
  }

  /**
   * Delivers an event; processed at once unless the host is already inside a step. `received` is
   * the message id the sender's trace gave it (carried by the transport), recorded with the step.
   */
  send(event: AnyEventObject, received?: string): void {
    if (this.stopped) return;
    this.queue.push({ event, ...(received !== undefined ? { received } : {}) });
    this.drain();
  }

  /** Numbers the step's send effects (`sent` of its record) and says which message it took. */
  private stamp(seq: number, r: StepResult, received?: string): { sent?: string[]; received?: string } {
    const out: { sent?: string[]; received?: string } = received !== undefined ? { received } : {};
    if (this.origin === undefined) return out;
    const sent: string[] = [];
    for (const e of r.effects) {
      if (e.type !== 'send') continue;
      const id = `${this.origin}:${seq}:${sent.length}`;
      messageIds.set(e, id);
      sent.push(id);
    }
    return sent.length > 0 ? { ...out, sent } : out;
  }

  /** Stops all timers; later events are ignored. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const item = this.queue.shift()!;
        let r: StepResult;
        try {
          r = item.timer !== undefined ? fire(this.machine, this.current, item.timer) : step(this.machine, this.current, item.event!);
        } catch (err) {
          this.options.onError?.(err, item.event ?? { type: `timer ${item.timer}` });
          continue;
        }
        const seq = this.seq++;
        this.options.trace?.({
          seq,
          component: this.options.name,
          machine: this.machine.id,
          kind: item.timer !== undefined ? 'timer' : 'event',
          ...(item.timer !== undefined ? { timer: item.timer } : { event: item.event! }),
          after: localKey(r.local),
          at: Date.now(),
          ...this.stamp(seq, r, item.received),
        });
        this.apply(r, item.event);
      }
    } finally {
      this.draining = false;
    }
  }

  private apply(r: StepResult, event: AnyEventObject | null): void {
    this.current = r.local;
    for (const id of r.timersCancelled) {
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
    }
    for (const t of r.timersSet) {
      clearTimeout(this.timers.get(t.id));
      const handle = setTimeout(() => {
        this.timers.delete(t.id);
        if (this.stopped || !this.current.timers.some((x) => x.id === t.id)) return;
        this.queue.push({ event: null, timer: t.id });
        this.drain();
      }, t.delay);
      handle.unref?.();
      this.timers.set(t.id, handle);
    }
    this.options.onStep?.(this.current, event);
    for (const e of r.effects) this.options.onEffect(e, this);
  }
}
