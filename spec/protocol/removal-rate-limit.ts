/**
 * `--agent_removal_rate_limit`'s text (src/master/main.cpp builds a RateLimiter of
 * <permits>/<duration> from it, or exits with its message). The flag's format, read where the
 * master's flags are read (cli/master.ts, the model's world); the master machine gets the parsed
 * limit (spec/machines/master/removal-limiter.ts).
 */

/** `permits` removals per `durationMs`. */
export interface RemovalRateLimit {
  readonly permits: number;
  readonly durationMs: number;
}

/** `1/10mins`-style flag text -> the limit, or Mesos's message (src/master/main.cpp). `parseDuration` reads Mesos durations. */
export function parseRemovalRateLimit(text: string, parseDuration: (s: string) => number | null): { ok: true; value: RemovalRateLimit } | { ok: false; error: string } {
  const format = `Invalid agent_removal_rate_limit: ${text}. Format is <Number of agents>/<Duration>`;
  const tokens = text.split('/').filter((t) => t !== '');
  if (tokens.length !== 2) return { ok: false, error: format };
  const permits = /^[+-]?\d+$/.test(tokens[0]!.trim()) ? Number(tokens[0]) : NaN;
  if (!Number.isSafeInteger(permits)) return { ok: false, error: `${format}: Failed to convert '${tokens[0]}' to number` };
  if (permits <= 0) return { ok: false, error: `${format}: the number of agents must be positive` };
  const durationMs = parseDuration(tokens[1]!);
  if (durationMs === null || durationMs <= 0) return { ok: false, error: `${format}: Invalid duration '${tokens[1]}'` };
  return { ok: true, value: { permits, durationMs } };
}
