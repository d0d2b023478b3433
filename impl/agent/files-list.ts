/**
 * The agent operator call LIST_FILES, as src/slave/http.cpp serves it through `Files::browse`:
 * the entries of a sandbox directory as mesos.proto's FileInfo, sorted by path, each path being
 * the virtual path asked for joined with the entry's name. The path is resolved exactly as
 * `/files/browse` resolves it (files.ts), so the two never disagree on what an operator may see.
 * A file (not a directory) lists as nothing, as `os::ls` fails on it in Mesos.
 */
import type { Stats } from 'node:fs';
import type { FileInfo } from '../../spec/protocol/operator.ts';
import { directoryEntries, ownerName, resolveSandboxPath, type FilesOptions } from './files.ts';

export type Listing = { ok: true; fileInfos: FileInfo[] } | { ok: false; status: 400 | 404; error: string };

/** mesos's `protobuf::createFileInfo`: mtime in whole seconds (st_mtime), as nanoseconds. */
function fileInfo(path: string, stats: Stats): FileInfo {
  return {
    path,
    nlink: stats.nlink,
    size: stats.size,
    mtime: { nanoseconds: Math.floor(stats.mtimeMs / 1000) * 1e9 },
    mode: stats.mode,
    uid: ownerName(stats.uid),
    gid: String(stats.gid),
  };
}

/** LIST_FILES {path}: 404 (with a body saying why) for a path outside the sandboxes or absent. */
export function listFiles(requested: string, options: FilesOptions): Listing {
  const resolved = resolveSandboxPath(requested, options);
  if (!resolved.ok) return resolved;
  const shown = (requested.startsWith('file://') ? requested.slice('file://'.length) : requested).replace(/\/+$/, '');
  const fileInfos = directoryEntries(resolved.path, shown).map(({ path, stats }) => fileInfo(path, stats));
  return { ok: true, fileInfos };
}
