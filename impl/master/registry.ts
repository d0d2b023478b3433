/**
 * The master's registry on disk (Mesos's replicated log, reduced to one file): every `persist`
 * effect with key `registry` is written to `<work-dir>/registry.json` before the host acts on
 * anything else the step emitted, atomically (write a temporary file, fsync, rename).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../process/proc.ts';
import { join } from 'node:path';
import type { Registry } from '../../spec/machines/master/context.ts';

export const REGISTRY_FILE = 'registry.json';

/** The registry file exists but cannot be used (a configuration error). */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** The registry in `dir`, or undefined if there is none yet. Throws with the file named if it is malformed. */
export function loadRegistry(dir: string): Registry | undefined {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, REGISTRY_FILE);
  if (!existsSync(path)) return undefined;
  return parseRegistry(readFileSync(path, 'utf8'), path);
}

/** A registry's stored text (a file's, or a ZooKeeper node's: impl/zk/registry-store.ts); throws naming `where` if it is malformed. */
export function parseRegistry(text: string, where: string): Registry {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RegistryError(`${where}: not JSON (${(e as Error).message})`);
  }
  const r = raw as Partial<Registry> | null;
  const isIdList = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (typeof r !== 'object' || r === null || typeof r.admitted !== 'object' || r.admitted === null || Array.isArray(r.admitted) || !isIdList(r.unreachable) || !isIdList(r.gone)) {
    throw new RegistryError(`${where}: expected {"admitted": {...}, "unreachable": [...], "gone": [...]}`);
  }
  for (const [aid, info] of Object.entries(r.admitted)) {
    if (typeof info !== 'object' || info === null || typeof (info as { hostname?: unknown }).hostname !== 'string') {
      throw new RegistryError(`${where}: admitted.${aid}: expected an AgentInfo with a hostname`);
    }
  }
  return r as Registry;
}

export function saveRegistry(dir: string, registry: unknown): void {
  writeFileAtomic(join(dir, REGISTRY_FILE), `${JSON.stringify(registry)}\n`);
}
