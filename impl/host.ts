/**
 * A host runs one spec machine for real (DESIGN.md section 8): it feeds events in order through
 * the same `step` the checker uses, turns the timers the machine sets into real timeouts, and
 * hands every effect, in order, to the transport that owns it. It holds no protocol logic.
 *
 * Events are processed one at a time: an effect handler that delivers another event to this
 * host (a notification to itself, a reply that triggers a call) only queues it.
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, localKey, step, type Effect, type Local, type StepResult } from '../spec/step.ts';

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
  private readonly queue: { event: AnyEventObject | null; timer?: string }[] = [];
  private draining = false;
  private stopped = false;
  private seq = 0;

  constructor(
    readonly machine: AnyStateMachine,
    input: unknown,
    private readonly options: HostOptions,
  ) {
    const r = initial(machine, input);
    this.current = r.local;
    options.trace?.({ seq: this.seq++, component: options.name, machine: machine.id, kind: 'init', input, after: localKey(r.local), at: Date.now() });
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

  /** Delivers an event; processed at once unless the host is already inside a step. */
  send(event: AnyEventObject): void {
    if (this.stopped) return;
    this.queue.push({ event });
    this.drain();
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
        this.options.trace?.({
          seq: this.seq++,
          component: this.options.name,
          machine: this.machine.id,
          kind: item.timer !== undefined ? 'timer' : 'event',
          ...(item.timer !== undefined ? { timer: item.timer } : { event: item.event! }),
          after: localKey(r.local),
          at: Date.now(),
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
