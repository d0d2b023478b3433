/**
 * The agent operator call LIST_FILES, as src/slave/http.cpp serves it through `Files::browse`:
 * the entries of a sandbox directory as mesos.proto's FileInfo, sorted by path, each path being
 * the virtual path asked for joined with the entry's name. The path is resolved exactly as
 * `/files/browse` resolves it (files.ts), so the two never disagree on what an operator may see.
 * A file (not a directory) lists as nothing, as `os::ls` fails on it in Mesos.
 */
import type { FileInfo } from '../../spec/protocol/operator.ts';
import { browse } from '../http/files.ts';
import { resolveSandboxPath, type FilesOptions } from './files.ts';

export type Listing = { ok: true; fileInfos: FileInfo[] } | { ok: false; status: 400 | 404; error: string };

/** LIST_FILES {path}: 404 (with a body saying why) for a path outside the sandboxes or absent. */
export function listFiles(requested: string, options: FilesOptions): Listing {
  const resolved = resolveSandboxPath(requested, options);
  if (!resolved.ok) return resolved;
  return { ok: true, fileInfos: browse(resolved.path, requested) };
}
