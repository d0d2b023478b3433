/**
 * Transitions no configuration can take, each with the reason. `mesos-ref verify --all` leaves
 * them out of the union coverage it reports; everything else defined must be taken by some
 * proved configuration, or it is behaviour nothing has checked.
 */
export interface Unreachable {
  /** A transition id as spec/world/coverage.ts names it: `<state node id>|<event>|<alternative>`. */
  readonly transition: string;
  readonly reason: string;
}

export const UNREACHABLE: readonly Unreachable[] = [];
