/**
 * RecordIO over HTTP (reference 0.2): a streaming response is `200`, chunked, with the *message*
 * Content-Type (`application/json`), each record framed by spec/protocol's `encodeRecord`.
 * `RecordIOResponse` writes one; `readRecordIO` reads one on the client side.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeRecord, RecordIODecoder } from '../../spec/protocol/recordio.ts';

/** A streaming response: headers on `start`, one record per `write`, `end` to close it. */
export class RecordIOResponse {
  private started = false;
  private ended = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(readonly res: ServerResponse) {
    res.on('close', () => {
      const wasEnded = this.ended;
      this.ended = true;
      if (!wasEnded) for (const l of this.closeListeners) l();
    });
  }

  /** Sends status 200 and the headers (Content-Type defaults to application/json). */
  start(headers: Record<string, string> = {}): void {
    if (this.started || this.ended) return;
    this.started = true;
    this.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', ...headers });
    // Let the client see the headers at once, before the first record.
    this.res.flushHeaders();
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** False once the stream ended (by us or by the peer). */
  get isOpen(): boolean {
    return !this.ended;
  }

  /** Writes one record (starting the response if needed). Returns false if the stream is closed. */
  write(record: string | Uint8Array): boolean {
    if (this.ended) return false;
    if (!this.started) this.start();
    this.res.write(encodeRecord(record));
    return true;
  }

  /** Ends the stream from our side; close listeners are not called. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.started) this.start();
    this.res.end();
  }

  /** Called once if the peer goes away before we end the stream. */
  onPeerClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }
}

/**
 * Reads a RecordIO response body: `onRecord` gets each record as text, `onEnd` once at the end
 * with an error if the stream broke or was malformed.
 */
export function readRecordIO(res: IncomingMessage, onRecord: (text: string) => void, onEnd: (error?: Error) => void): void {
  const decoder = new RecordIODecoder();
  let finished = false;
  const end = (e?: Error) => {
    if (finished) return;
    finished = true;
    onEnd(e);
  };
  res.on('data', (chunk: Buffer) => {
    if (finished) return;
    let records: string[];
    try {
      records = decoder.decodeText(chunk);
    } catch (e) {
      end(e as Error);
      res.destroy();
      return;
    }
    for (const r of records) {
      if (finished) return;
      onRecord(r);
    }
  });
  res.on('end', () => {
    try {
      decoder.end();
      end();
    } catch (e) {
      end(e as Error);
    }
  });
  res.on('error', (e) => end(e));
  res.on('close', () => end(new Error('stream closed')));
}
