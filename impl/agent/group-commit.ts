/**
 * The agent's write-ahead checkpoint with group commit.
 *
 * The machine's `persist` effect carries the whole checkpointed context, and the effects after it
 * (forwarding a status update, answering the executor 202, acknowledging) may only happen once it
 * is on disk. Writing and fsyncing each one before going on (`each`) costs a write and an fsync
 * per step, one after the other, with the event loop blocked in between. With `group` (the
 * default), a persist starts an asynchronous write+fsync, and every effect that follows it, of
 * this step or a later one, is held, in order, until the write that covers it has been fsynced
 * and renamed into place. Persists that arrive while an fsync is in flight are not written one by
 * one: the checkpoint is the whole context, so the newest of them covers them all, and it is
 * written next, in one write and one fsync; each held effect is released by the first fsync whose
 * checkpoint is at least as new as the persist before it. Durability is the same as `each`:
 * nothing leaves the agent before the checkpoint of the step that produced it is on disk.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Effect } from '../../spec/step.ts';
import { writeFileAtomic } from '../process/proc.ts';

export type CheckpointMode = 'group' | 'each';

export interface GroupCommitOptions {
  readonly path: string;
  readonly mode: CheckpointMode;
  /** Carries out an effect (the runtime's own handling). */
  readonly apply: (effect: Effect) => void;
  /** A checkpoint could not be written: the agent must not go on (Mesos CHECKs). */
  readonly fail: (error: Error) => void;
}

export class GroupCommit {
  /** The newest persisted value not yet being written, and its sequence number. */
  private latest: { value: unknown; seq: number } | undefined;
  /** The sequence number of the newest persist, and of the newest one on disk. */
  private requested = 0;
  private durable = 0;
  private writing = false;
  /** The write in flight with its continuation (while `writing`). */
  private current: Promise<void> = Promise.resolve();
  /** Effects waiting for the checkpoint of the persist before them (`needs`). */
  private readonly held: { effect: Effect; needs: number }[] = [];
  /** Callers of `whenDurable`, each with the persist it waits for. */
  private readonly waiting: { needs: number; resolve: () => void }[] = [];
  private tmpCounter = 0;
  /** The agent terminated and removed its checkpoint: later writes are dropped. */
  private discarded = false;
  /** Write+fsync rounds and persists they covered (for the bench and logs). */
  writes = 0;
  persists = 0;

  constructor(private readonly options: GroupCommitOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
  }

  /** A `persist` effect: `value` is what the checkpoint must hold before any later effect happens. */
  persist(value: unknown): void {
    if (this.discarded) return;
    this.persists++;
    if (this.options.mode === 'each') {
      this.writeSync(JSON.stringify(value));
      this.durable = ++this.requested;
      return;
    }
    this.latest = { value, seq: ++this.requested };
    this.kick();
  }

  /** Any other effect: carried out now if nothing is pending, else after the checkpoint it follows. */
  effect(effect: Effect): void {
    if (this.held.length === 0 && this.durable === this.requested) return this.options.apply(effect);
    this.held.push({ effect, needs: this.requested });
  }

  /** A checkpoint could not be written. */
  fail(error: Error): void {
    this.options.fail(error);
  }

  /**
   * Resolves once every persist so far is on disk: what the agent waits for before it answers a
   * question about its state (GET_TASKS), so that what it says is what it would recover (Mesos's
   * agent checkpoints within the step that changes its state, so no answer comes in between).
   */
  whenDurable(): Promise<void> {
    if (this.discarded || this.durable >= this.requested) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ needs: this.requested, resolve }));
  }

  /** Whether an effect is waiting for its checkpoint. */
  holds(match: (effect: Effect) => boolean): boolean {
    return this.held.some((h) => match(h.effect));
  }

  /**
   * The agent stops: the newest checkpoint is written now, synchronously (what was held is not
   * carried out: as after a crash, nobody was told of it, and recovery resends it).
   */
  flush(): void {
    if (this.discarded || !this.latest) return;
    const { value, seq } = this.latest;
    this.latest = undefined;
    this.writeSync(JSON.stringify(value));
    this.durable = seq;
  }

  /** The agent terminated: its checkpoint is removed, and no write still in flight may bring it back. */
  discard(): void {
    this.discarded = true;
    this.latest = undefined;
    for (const w of this.waiting.splice(0)) w.resolve();
    rmSync(this.options.path, { force: true });
  }

  private writeSync(text: string): void {
    writeFileAtomic(this.options.path, text);
    this.writes++;
  }

  private rename(tmp: string): void {
    try {
      renameSync(tmp, this.options.path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  private tmpPath(): string {
    return `${this.options.path}.tmp-${process.pid}-${++this.tmpCounter}`;
  }

  /** Starts writing the newest checkpoint unless a write is in flight (it is taken up when that one ends). */
  private kick(): void {
    if (this.writing || !this.latest) return;
    const { value, seq } = this.latest;
    this.latest = undefined;
    this.writing = true;
    const tmp = this.tmpPath();
    const text = JSON.stringify(value);
    this.current = this.writeAsync(tmp, text).then(
      () => {
        this.writing = false;
        if (this.discarded) {
          rmSync(tmp, { force: true });
          return;
        }
        // A synchronous flush may have written a newer one meanwhile: never rename an older one over it.
        if (this.durable >= seq) rmSync(tmp, { force: true });
        else {
          try {
            this.rename(tmp);
          } catch (e) {
            return this.fail(e as Error);
          }
          this.writes++;
          this.durable = seq;
        }
        this.release();
        this.kick();
      },
      (e: Error) => {
        this.writing = false;
        rmSync(tmp, { force: true });
        this.fail(e);
      },
    );
  }

  /** Resolves once no write is in flight: what a caller waits on instead of a guess at how long a write takes. */
  async settled(): Promise<void> {
    while (this.writing) await this.current;
  }

  private async writeAsync(tmp: string, text: string): Promise<void> {
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  /** Carries out, in order, the held effects whose checkpoint is now on disk. */
  private release(): void {
    while (this.held.length > 0 && this.held[0]!.needs <= this.durable) {
      const { effect } = this.held.shift()!;
      this.options.apply(effect);
    }
    for (let i = 0; i < this.waiting.length;) {
      if (this.waiting[i]!.needs <= this.durable) this.waiting.splice(i, 1)[0]!.resolve();
      else i++;
    }
  }
}
