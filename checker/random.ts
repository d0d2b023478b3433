/**
 * A small seeded PRNG (sfc32, Chris Doty-Humphrey's Small Fast Counting generator) for
 * simulation. Never Math.random: a (seed, stream) pair always gives the same sequence, which is
 * what makes a random walk replayable from its seed and walk number.
 */

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` selects an independent sequence for the same seed (the walk number). */
  constructor(seed: number, stream = 0) {
    this.a = splitmix32(seed | 0);
    this.b = splitmix32((stream | 0) ^ 0x5bd1e995);
    this.c = splitmix32(this.a ^ Math.imul(this.b, 0x27d4eb2d));
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n) for 0 < n <= 2^32 (multiply-shift; bias below 2^-32 * n). */
  below(n: number): number {
    return Math.floor(this.next() * n * 2.3283064365386963e-10);
  }
}

/** Seeded uniform numbers in [0, 1): the same generator as a function, for shuffles and test runs. */
export function uniform(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next() / 2 ** 32;
}
