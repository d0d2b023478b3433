/**
 * A BFS frontier: states packed in a growable Int32Array, each entry `[link, ...words]` where
 * `link` is what the state's children record as their parent link in the visited table (the
 * high half of the state's fingerprint, see checker/visited.ts). Entries are appended and read in
 * order; the explorer keeps one frontier per BFS level (the one being expanded and the next).
 */
export class Frontier {
  data: Int32Array;
  /** Number of entries. */
  length = 0;
  readonly stride: number;
  private readonly width: number;

  constructor(width: number, initialEntries = 1024) {
    this.width = width;
    this.stride = width + 1;
    this.data = new Int32Array(this.stride * Math.max(1, initialEntries));
  }

  push(link: number, s: Int32Array): void {
    let p = this.length * this.stride;
    if (p + this.stride > this.data.length) this.grow();
    const d = this.data;
    d[p++] = link;
    const w = this.width;
    for (let i = 0; i < w; i++) d[p + i] = s[i]!;
    this.length++;
  }

  /** Copy entry `i`'s state words into `s`; returns its link. */
  read(i: number, s: Int32Array): number {
    const d = this.data;
    const p = i * this.stride;
    const w = this.width;
    for (let k = 0; k < w; k++) s[k] = d[p + 1 + k]!;
    return d[p]!;
  }

  clear(): void {
    this.length = 0;
  }

  /** Give memory back when a level was much larger than the next ones will be. */
  shrinkTo(entries: number): void {
    const want = Math.max(1024, entries) * this.stride;
    if (this.data.length > 4 * want) this.data = new Int32Array(want);
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  private grow(): void {
    const next = new Int32Array(Math.max(this.data.length * 2, this.stride * 1024));
    next.set(this.data.subarray(0, this.length * this.stride));
    this.data = next;
  }
}
