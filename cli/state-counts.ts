/**
 * The state count of the previous complete run of each configuration, remembered so that the
 * next `mesos-ref verify` of it presizes its visited set (no resize: at 2PC-9 resizing was 3.5 s
 * of 15 s). A hint, never a result: a stale or missing entry costs a resize or some memory.
 *
 * Kept in `$XDG_CACHE_HOME/mesos-ref/state-counts.json` (default `~/.cache/...`), keyed by a hash
 * of the configuration and the options that change the count (symmetry, partial-order reduction).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MesosConfig } from '../spec/world/config.ts';
import { canonicalJson } from '../spec/canonical.ts';

export interface CountKey {
  readonly config: MesosConfig;
  readonly symmetry: boolean;
  readonly por: boolean;
}

function countsFile(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'mesos-ref', 'state-counts.json');
}

const keyOf = (k: CountKey): string => createHash('sha256').update(canonicalJson(k)).digest('hex').slice(0, 24);

function readAll(): Record<string, number> {
  try {
    const data = JSON.parse(readFileSync(countsFile(), 'utf8')) as unknown;
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, number>) : {};
  } catch {
    return {}; // none yet, or unreadable: no hint
  }
}

export function previousCount(k: CountKey): number | undefined {
  const v = readAll()[keyOf(k)];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Remembers a complete run's count; a cache that cannot be written is not an error. */
export function rememberCount(k: CountKey, states: number): void {
  try {
    const file = countsFile();
    const all = readAll();
    all[keyOf(k)] = states;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all));
    renameSync(tmp, file);
  } catch {
    // read-only home, full disk: the next run resizes as it always did
  }
}
