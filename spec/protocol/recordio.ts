/**
 * RecordIO framing of Mesos event streams (reference 0.2; stout's recordio.hpp): each record
 * is its length in bytes as ASCII decimal, a `\n`, then exactly that many bytes. Transport
 * chunks are unrelated to record boundaries, so the decoder is incremental.
 */
import { utf8Decode, utf8Encode } from './bytes.ts';

/** Frame one record. A string is encoded as UTF-8 and its byte length is used. */
export function encodeRecord(record: Uint8Array | string): Uint8Array {
  const body = typeof record === 'string' ? utf8Encode(record) : record;
  const header = utf8Encode(`${body.length}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** Longest accepted length header; anything longer is not a length (and would buffer forever). */
const MAX_HEADER_DIGITS = 20;

/**
 * Incremental RecordIO decoder. Feed it chunks in order with `decode`; it returns the records
 * completed by each chunk. A malformed length header is an error, after which the decoder is
 * failed for good (like stout's, it cannot find the next record). As in stout, a `0` length
 * yields an empty record.
 */
export class RecordIODecoder {
  private state: 'header' | 'record' | 'failed' = 'header';
  private header = '';
  private length = 0;
  private parts: Uint8Array[] = [];
  private received = 0;

  /** Decode another chunk; throws `RecordIOError` on a malformed length. */
  decode(chunk: Uint8Array): Uint8Array[] {
    if (this.state === 'failed') throw new RecordIOError('Decoder is in a FAILED state');
    const records: Uint8Array[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'header') {
        const c = chunk[i++]!;
        if (c !== 0x0a) {
          this.header += String.fromCharCode(c);
          if (this.header.length > MAX_HEADER_DIGITS || c < 0x30 || c > 0x39) this.fail();
          continue;
        }
        if (this.header.length === 0) this.fail();
        this.length = Number(this.header);
        if (!Number.isSafeInteger(this.length)) this.fail();
        this.header = '';
        if (this.length === 0) {
          records.push(new Uint8Array(0));
        } else {
          this.state = 'record';
          this.parts = [];
          this.received = 0;
        }
      } else {
        const take = Math.min(this.length - this.received, chunk.length - i);
        this.parts.push(chunk.subarray(i, i + take));
        this.received += take;
        i += take;
        if (this.received === this.length) {
          records.push(concat(this.parts, this.length));
          this.parts = [];
          this.state = 'header';
        }
      }
    }
    return records;
  }

  /** Decode a chunk and return the records as UTF-8 text. */
  decodeText(chunk: Uint8Array): string[] {
    return this.decode(chunk).map(utf8Decode);
  }

  /** Call at end of stream: throws if the stream stopped inside a header or record. */
  end(): void {
    if (this.state === 'failed') throw new RecordIOError('Decoder is in a FAILED state');
    if (this.state === 'record' || this.header.length > 0) {
      throw new RecordIOError('Stream ended inside a record');
    }
  }

  private fail(): never {
    const header = this.header;
    this.state = 'failed';
    throw new RecordIOError(`Failed to decode length '${header.replace('\n', '')}'`);
  }
}

/** A malformed RecordIO stream. */
export class RecordIOError extends Error {
  override name = 'RecordIOError';
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!.slice();
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
