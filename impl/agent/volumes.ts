/**
 * Persistent volumes on the agent's disk. A volume is a directory under the work dir, named as
 * Mesos names it (src/slave/paths.cpp getPersistentVolumePath: `volumes/roles/<role>/<id>`), so
 * it outlives every task and every agent restart that keeps the work dir; a task sees it at its
 * `container_path` in the sandbox, a symbolic link to that directory (Mesos bind-mounts it; a
 * link needs no privileges). What one task writes there the next task on the volume reads.
 *
 * The agent machine's `volume` effects (spec/machines/agent/volumes.ts `checkpointResources`)
 * make a volume's directory when it appears among the agent's checkpointed resources and delete
 * it, data and all, when it is gone from them (Slave::syncCheckpointedResources).
 */
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import type { VolumeMount } from '../../spec/machines/agent/volumes.ts';
import { safeSegment } from '../process/proc.ts';

/** Where the volume's data lives: `<work_dir>/volumes/roles/<role>/<persistence id>`. */
export function volumePath(workDir: string, role: string, id: string): string {
  return join(workDir, 'volumes', 'roles', safeSegment(role), safeSegment(id));
}

/** The sandbox path a volume is mounted at; throws for a path that would leave the sandbox. */
function mountPoint(sandbox: string, containerPath: string): string {
  const rel = normalize(containerPath);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith('../') || rel === '.') {
    throw new Error(`volume container_path '${containerPath}' must be a relative path inside the sandbox`);
  }
  return join(sandbox, rel);
}

/** Creates each volume's directory if new and links it into the sandbox. */
export function mountVolumes(workDir: string, sandbox: string, volumes: readonly VolumeMount[]): void {
  for (const v of volumes) {
    const target = volumePath(workDir, v.role, v.id);
    mkdirSync(target, { recursive: true });
    const at = mountPoint(sandbox, v.container_path);
    mkdirSync(join(at, '..'), { recursive: true });
    symlinkSync(target, at);
  }
}

/** A `volume` effect: make the directory (kept if it exists) or delete it with its data. Returns what it did, for the log. */
export function applyVolumeEffect(workDir: string, op: 'create' | 'delete', role: string, id: string): string {
  const path = volumePath(workDir, role, id);
  if (op === 'create') {
    mkdirSync(path, { recursive: true });
    return `Created persistent volume '${id}' at '${path}'`;
  }
  if (!existsSync(path)) return `Failed to find persistent volume '${id}' at '${path}'`;
  rmSync(path, { recursive: true, force: true });
  return `Deleting persistent volume '${id}' at '${path}'`;
}
