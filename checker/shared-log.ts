/**
 * Append-only logs of strings in SharedArrayBuffers, one per table, that worker threads append
 * to and read: how models that intern values per process (local states, events) give every
 * parallel worker the same ids (checker/parallel.ts). An id is a position in a log.
 *
 * Layout of a table: a header (lock word, entry count, bytes used), the end offset of each entry,
 * and the UTF-8 bytes. Appending takes the lock (an Atomics compare-and-swap spin lock), checks
 * that no other worker appended the same key meanwhile, writes the bytes and the offset, then
 * publishes the new count. Readers read only entries below a published count, which are final.
 * Each worker keeps its own key -> id map, brought up to date whenever it looks a key up.
 *
 * Sized once (the memory is reserved, and touched only as it fills): a log that runs out of room
 * throws, naming the limit.
 */
const LOCK = 0;
const COUNT = 1;
const USED = 2;
const HEADER = 4;

export interface SharedLogBuffers {
  readonly tables: readonly { readonly meta: SharedArrayBuffer; readonly bytes: SharedArrayBuffer }[];
}

export class SharedStringLog {
  private readonly meta: Int32Array[];
  private readonly bytes: Uint8Array[];
  private readonly known: Map<string, number>[];
  private readonly seen: number[];
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  /** Fresh buffers for `tables` logs of at most `maxEntries` entries and `maxBytes` bytes each. */
  static allocate(tables: number, maxEntries = 1 << 22, maxBytes = 1 << 30): SharedLogBuffers {
    return { tables: Array.from({ length: tables }, () => ({ meta: new SharedArrayBuffer((HEADER + maxEntries + 1) * 4), bytes: new SharedArrayBuffer(maxBytes) })) };
  }

  constructor(readonly buffers: SharedLogBuffers) {
    this.meta = buffers.tables.map((t) => new Int32Array(t.meta));
    this.bytes = buffers.tables.map((t) => new Uint8Array(t.bytes));
    this.known = buffers.tables.map(() => new Map());
    this.seen = buffers.tables.map(() => 0);
  }

  size(table: number): number {
    return Atomics.load(this.meta[table]!, COUNT);
  }

  entry(table: number, i: number): string {
    const m = this.meta[table]!;
    const start = i === 0 ? 0 : m[HEADER + i]!;
    const end = m[HEADER + i + 1]!;
    // TextDecoder does not read shared memory: decode a private copy.
    return this.decoder.decode(this.bytes[table]!.slice(start, end));
  }

  intern(table: number, key: string): number {
    const known = this.known[table]!;
    let id = known.get(key);
    if (id !== undefined) return id;
    this.catchUp(table);
    id = known.get(key);
    if (id !== undefined) return id;
    const m = this.meta[table]!;
    while (Atomics.compareExchange(m, LOCK, 0, 1) !== 0) Atomics.wait(m, LOCK, 1, 1);
    try {
      this.catchUp(table);
      id = known.get(key);
      if (id !== undefined) return id;
      const encoded = this.encoder.encode(key);
      const n = m[COUNT]!;
      const used = m[USED]!;
      if (HEADER + n + 2 > m.length) throw new Error(`shared log: more than ${m.length - HEADER - 1} entries in table ${table}`);
      if (used + encoded.length > this.bytes[table]!.length) throw new Error(`shared log: more than ${this.bytes[table]!.length} bytes in table ${table}`);
      this.bytes[table]!.set(encoded, used);
      m[HEADER + n + 1] = used + encoded.length;
      m[USED] = used + encoded.length;
      Atomics.store(m, COUNT, n + 1); // publishes the entry
      known.set(key, n);
      this.seen[table] = n + 1;
      return n;
    } finally {
      Atomics.store(m, LOCK, 0);
      Atomics.notify(m, LOCK);
    }
  }

  private catchUp(table: number): void {
    const n = this.size(table);
    const known = this.known[table]!;
    for (let i = this.seen[table]!; i < n; i++) known.set(this.entry(table, i), i);
    this.seen[table] = n;
  }
}
