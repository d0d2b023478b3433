/**
 * Durations as Mesos reads and writes them (stout/duration.hpp): flags and environment variables
 * such as `5secs`, `500ms`, `1.5mins`, `2s`, and messages such as "Executor did not register
 * within 1mins". One module for both directions, so what we print parses back.
 */

/** Milliseconds per unit, every spelling stout accepts. */
const UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  secs: 1000,
  sec: 1000,
  s: 1000,
  mins: 60_000,
  min: 60_000,
  m: 60_000,
  hrs: 3_600_000,
  hr: 3_600_000,
  h: 3_600_000,
  days: 86_400_000,
  day: 86_400_000,
  d: 86_400_000,
  weeks: 604_800_000,
  week: 604_800_000,
  w: 604_800_000,
};

/** stout's Duration syntax (`5secs`, `500ms`, `1.5mins`, `2s`) in milliseconds; null if malformed. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!m) return null;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  return Number(m[1]) * unit;
}

/** The units stout prints, largest first: a duration is printed in the largest one not above it. */
const PRINTED: readonly (readonly [ms: number, unit: string])[] = [
  [604_800_000, 'weeks'],
  [86_400_000, 'days'],
  [3_600_000, 'hrs'],
  [60_000, 'mins'],
  [1000, 'secs'],
  [1, 'ms'],
];

/** A duration as stout prints it (`2secs`, `1.5mins`, `500ms`), with 15 significant digits at most. */
export function formatDuration(ms: number): string {
  for (const [size, unit] of PRINTED) if (ms >= size) return `${Number((ms / size).toPrecision(15))}${unit}`;
  return `${Number(ms.toPrecision(15))}ms`;
}
