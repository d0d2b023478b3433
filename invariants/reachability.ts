/** Reachability: a model in which nothing ever finishes proves its invariants vacuously. */
import { isTerminal } from '../spec/protocol/common.ts';
import type { WorldReader } from './world.ts';

/** Some framework has logged a terminal update of one of its tasks. (Null = reached.) */
export function someTaskFinishes(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    const log = w.scheduler(fw)?.log ?? {};
    for (const tid of Object.keys(log)) if (log[tid]!.some((e) => isTerminal(e.state))) return null;
  }
  return 'no framework has logged a terminal update yet';
}
