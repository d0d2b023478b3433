/**
 * RecordIO as Mesos streams it (reference 1.1): each record is its length in bytes, a newline,
 * then that many bytes. Records arrive split anywhere across the chunks of a fetch body, so the
 * reader keeps the bytes of an unfinished record until the rest comes.
 */
export class RecordIOReader {
  private pending = new Uint8Array(0);
  private readonly decoder = new TextDecoder();

  /** The records completed by `chunk`, as text, in order; throws on a malformed length. */
  push(chunk: Uint8Array): string[] {
    const buf = new Uint8Array(this.pending.length + chunk.length);
    buf.set(this.pending);
    buf.set(chunk, this.pending.length);
    const out: string[] = [];
    let at = 0;
    for (;;) {
      const nl = buf.indexOf(10, at);
      if (nl < 0) break;
      const header = this.decoder.decode(buf.subarray(at, nl));
      if (!/^\d+$/.test(header)) throw new Error(`RecordIO: expected a record length, got '${header.slice(0, 20)}'`);
      const length = Number(header);
      if (buf.length < nl + 1 + length) break;
      out.push(this.decoder.decode(buf.subarray(nl + 1, nl + 1 + length)));
      at = nl + 1 + length;
    }
    this.pending = buf.slice(at);
    return out;
  }
}
