/**
 * One framework of a scenario as the runner plays it: a bare v1 scheduler connection, with no
 * scheduler logic of its own (the scenario says every call). SUBSCRIBE opens the RecordIO event
 * stream and remembers its Mesos-Stream-Id; every other call is a POST carrying that header.
 * `drop()` closes the stream from the framework's side, as a scheduler that fails over does.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { openRecordIO, postJson, type RecordIOStream } from '../http/client.ts';
import { STALE_STREAM_ID } from '../../spec/machines/general-framework.ts';

export interface FrameworkHandlers {
  /** Every event of the current subscription, parsed (JSON of a v1 scheduler Event). */
  readonly onEvent: (event: { type: string; [k: string]: unknown }) => void;
  /** The master answered a call with a status the runner did not expect, or it failed. */
  readonly onProblem: (message: string) => void;
}

/** How a scenario's call is sent (conformance/format.ts CallStep: answer, staleStream, noStream, api). */
interface CallOptions {
  /** The status the model's master answers with (default 202). */
  readonly expected?: number;
  /** The stream id presented: ours (default), a stale one, or none. */
  readonly stream?: 'own' | 'stale' | 'none';
  readonly api?: 'operator';
}

export class FrameworkConnection {
  private stream: RecordIOStream | undefined;
  private streamId: string | undefined;
  private generation = 0;

  /** Which subscription is current: a SUBSCRIBE or a drop starts another (events of older ones are ignored). */
  get subscription(): number {
    return this.generation;
  }

  constructor(
    readonly name: string,
    private readonly masterUrl: string,
    private readonly handlers: FrameworkHandlers,
  ) {}

  /**
   * Sends one call: SUBSCRIBE opens a new stream (replacing ours); any other scheduler call is a
   * POST carrying our stream id, or the one the scenario's call presents (`stream`: `stale`, one
   * that never was ours; `none`, no header); an operator call (`api: 'operator'`) is a POST to the
   * operator API. It resolves with the answer's status (undefined: a SUBSCRIBE, or no answer). An
   * answer other than `expected` is noted.
   */
  async call(call: { type: string; [k: string]: unknown }, how: CallOptions = {}): Promise<number | undefined> {
    const expected = how.expected ?? 202;
    if (call.type === 'SUBSCRIBE' && how.api === undefined) {
      await this.subscribe(`${this.masterUrl}/api/v1/scheduler`, JSON.stringify(call));
      return undefined;
    }
    const streamId = how.api === 'operator' || how.stream === 'none' ? undefined : how.stream === 'stale' ? STALE_STREAM_ID : this.streamId;
    const url = how.api === 'operator' ? `${this.masterUrl}/api/v1` : `${this.masterUrl}/api/v1/scheduler`;
    const headers: Record<string, string> = streamId !== undefined ? { 'Mesos-Stream-Id': streamId } : {};
    const what = how.api === 'operator' ? `operator ${call.type}` : call.type;
    try {
      const r = await postJson(url, JSON.stringify(call), headers, 15_000);
      if (r.status !== expected) this.handlers.onProblem(`${this.name}: ${what} answered ${r.status}${r.body ? ` (${r.body.trim().slice(0, 200)})` : ''}, expected ${expected}`);
      return r.status;
    } catch (e) {
      this.handlers.onProblem(`${this.name}: ${what} failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  private async subscribe(url: string, body: string): Promise<void> {
    this.drop();
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    try {
      const stream = await openRecordIO(
        url,
        body,
        {},
        {
          onHeaders: (status: number, headers: IncomingHttpHeaders) => {
            if (current() && status === 200) this.streamId = String(headers['mesos-stream-id'] ?? '');
          },
          onRecord: (text) => {
            if (!current()) return;
            let event: { type: string; [k: string]: unknown };
            try {
              event = JSON.parse(text) as typeof event;
            } catch {
              this.handlers.onProblem(`${this.name}: a record on the event stream is not JSON: ${text.slice(0, 200)}`);
              return;
            }
            this.handlers.onEvent(event);
          },
          onEnd: () => {
            // The master closing the stream is visible to the scenario only through what it sent.
          },
        },
      );
      if (!current()) {
        stream.close();
        return;
      }
      if (stream.status !== 200) {
        this.handlers.onProblem(`${this.name}: SUBSCRIBE answered ${stream.status}${stream.body ? ` (${stream.body.trim().slice(0, 200)})` : ''}, expected 200`);
        return;
      }
      this.stream = stream;
    } catch (e) {
      if (current()) this.handlers.onProblem(`${this.name}: SUBSCRIBE failed: ${(e as Error).message}`);
    }
  }

  /** Closes the subscription from the framework's side (a failover, or the scenario's end). */
  drop(): void {
    this.generation++;
    this.stream?.close();
    this.stream = undefined;
    this.streamId = undefined;
  }
}
