/**
 * Seeded uniform numbers in [0, 1) for pseudo-random test runs that replay exactly: the checker's
 * own generator (checker/random.ts), so the project has one PRNG.
 */
export { uniform as prng } from '../../checker/random.ts';
