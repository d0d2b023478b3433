/**
 * `--agent_removal_rate_limit` (src/master/main.cpp builds a RateLimiter of <permits>/<duration>;
 * SlaveObserver::markUnreachable and Master::recoveredSlavesTimeout acquire a permit before an
 * agent is marked unreachable). Time in the spec is the world's timers, so the limiter is state
 * and one timer: a permit is free unless one was granted less than duration/permits ago (the
 * timer `removal-permit` runs meanwhile); agents that need one wait in order. A pong or a
 * reregistration takes a waiting agent out of the line (Mesos discards its acquire); when the
 * timer fires, the first agent still waiting is removed and the limiter cools down again.
 */
import type { RemovalLimiter } from './context.ts';
import type { RemovalRateLimit } from '../../protocol/removal-rate-limit.ts';
import type { Tx } from './tx.ts';

export type RemovalPermitEvent = { type: 'REMOVAL_PERMIT' };

export const REMOVAL_PERMIT_TIMER = 'removal-permit';

/** How long after a permit the next one is granted: Mesos's RateLimiter hands out one every duration/permits. */
const permitIntervalMs = (limit: RemovalRateLimit): number => limit.durationMs / limit.permits;

/** The context's assign merges: an idle limiter is written as `removals: undefined` (canonical encodings omit it). */
const setLimiter = (tx: Tx, removals: RemovalLimiter | undefined): void => {
  tx.c = { ...tx.c, removals };
};

/**
 * The agent needs removing: true if it may go now (no limit, or a free permit, which starts the
 * interval), false if it waits in line for the timer (or already does).
 */
export function acquireRemovalPermit(tx: Tx, aid: string): boolean {
  const limit = tx.c.flags.agentRemovalRateLimit;
  if (limit === undefined) return true;
  const limiter = tx.c.removals;
  if (limiter === undefined) {
    setLimiter(tx, { waiting: [] });
    tx.timer(REMOVAL_PERMIT_TIMER, { type: 'REMOVAL_PERMIT' }, permitIntervalMs(limit));
    return true;
  }
  if (!limiter.waiting.includes(aid)) setLimiter(tx, { waiting: [...limiter.waiting, aid] });
  return false;
}

/** A pong or a reregistration: the agent no longer needs removing (SlaveObserver::pong discards the acquire). */
export function cancelRemoval(tx: Tx, aid: string): void {
  const limiter = tx.c.removals;
  if (limiter === undefined || !limiter.waiting.includes(aid)) return;
  setLimiter(tx, { waiting: limiter.waiting.filter((x) => x !== aid) });
}

/**
 * The interval ended: the first waiting agent the master still has gets the permit (and the
 * interval starts again), or the limiter is idle. Returns the agent to remove now.
 */
export function grantRemovalPermit(tx: Tx): string | undefined {
  const limiter = tx.c.removals;
  const limit = tx.c.flags.agentRemovalRateLimit;
  if (limiter === undefined || limit === undefined) return undefined;
  const [next, ...rest] = limiter.waiting.filter((aid) => tx.c.agents[aid] !== undefined);
  if (next === undefined) {
    setLimiter(tx, undefined);
    return undefined;
  }
  setLimiter(tx, { waiting: rest });
  tx.timer(REMOVAL_PERMIT_TIMER, { type: 'REMOVAL_PERMIT' }, permitIntervalMs(limit));
  return next;
}
