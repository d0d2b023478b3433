import { Rng } from '../../checker/random.ts';

/**
 * Seeded uniform numbers in [0, 1) for pseudo-random test runs that replay exactly: the checker's
 * own generator (checker/random.ts), so the project has one PRNG.
 */
export function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next() / 2 ** 32;
}
