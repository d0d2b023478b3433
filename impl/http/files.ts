/**
 * What Mesos's Files (src/files/files.cpp) does the same way on the master and on the agent:
 * resolving a virtual path against the paths attached to it (`FilesProcess::resolve`), listing a
 * directory's entries (`FilesProcess::browse`) and describing each as mesos.proto's FileInfo
 * (`protobuf::createFileInfo`), reading a part of a file (`FilesProcess::_read`). What a host attaches is the host's: the agent's sandboxes
 * (impl/agent/files.ts), the master's log (impl/master/files.ts).
 */
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { join, sep } from 'node:path';
import type { FileInfo } from '../../spec/protocol/operator.ts';

/** The user's name for a uid, as getpwuid gives it; the number when the reference cannot tell. */
export function ownerName(uid: number): string {
  try {
    const me = userInfo();
    if (me.uid === uid) return me.username;
  } catch {
    // No passwd entry.
  }
  return String(uid);
}

/**
 * The entries of a resolved directory, sorted by name, each as `shown/<name>` with its stat
 * (Files::browse). What cannot be read lists as nothing, as `os::ls` fails in Mesos (a file, a
 * directory without permission); an entry gone before its stat is skipped, as Mesos does.
 */
export function directoryEntries(dir: string, shown: string): { path: string; stats: Stats }[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    entries = [];
  }
  const out: { path: string; stats: Stats }[] = [];
  for (const name of entries) {
    try {
      out.push({ path: `${shown}/${name}`, stats: statSync(join(dir, name)) });
    } catch {
      // Listed but gone before stat.
    }
  }
  return out;
}

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

/**
 * FilesProcess::resolve: the longest attached prefix of `virtualPath` names a real path; under a
 * directory the rest of the path is joined and must stay inside it (symlinks resolved); under a
 * file any rest is not found. Undefined when nothing is attached there or the path does not exist.
 */
export function resolveAttached(virtualPath: string, attached: ReadonlyMap<string, string>): string | undefined {
  const tokens = virtualPath.replace(/\/+$/, '').split('/');
  const suffix: string[] = [];
  while (tokens.length > 0) {
    const prefix = tokens.join('/');
    const real = attached.get(prefix);
    if (real === undefined) {
      suffix.unshift(tokens.pop()!);
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(real).isDirectory();
    } catch {
      return undefined;
    }
    if (!isDir) return suffix.length === 0 ? real : undefined;
    let resolved: string;
    try {
      resolved = realpathSync(join(real, ...suffix));
    } catch {
      return undefined;
    }
    const root = realpathSync(real);
    return resolved === root || resolved.startsWith(root + sep) ? resolved : undefined;
  }
  return undefined;
}

/** Files::browse of a resolved path: its entries as FileInfo, sorted, named under the virtual path asked for. */
export function browse(resolved: string, requested: string): FileInfo[] {
  const shown = (requested.startsWith('file://') ? requested.slice('file://'.length) : requested).replace(/\/+$/, '');
  return directoryEntries(resolved, shown).map(({ path, stats }) => fileInfo(path, stats));
}

/** 16 pages of 4 KiB: Mesos caps one read at this. */
export const MAX_READ = 16 * 4096;

export type ReadResult = { ok: true; size: number; data: Buffer } | { ok: false; status: 400 | 500; error: string };

/**
 * FilesProcess::_read of a resolved path: a directory is 400 "Cannot read a directory."; from
 * `offset`, at most `length` bytes (all that is left without one), never more than 16 pages;
 * nothing at or past the end, or for a length of 0; always the file's size.
 */
export function readRange(resolved: string, offset: number, length: number | undefined): ReadResult {
  let fd: number | undefined;
  try {
    if (statSync(resolved).isDirectory()) return { ok: false, status: 400, error: 'Cannot read a directory.\n' };
    fd = openSync(resolved, 'r');
    const size = statSync(resolved).size;
    if (offset >= size) return { ok: true, size, data: Buffer.alloc(0) };
    const want = Math.min(length ?? size - offset, MAX_READ);
    const buffer = Buffer.alloc(want);
    const n = want === 0 ? 0 : readSync(fd, buffer, 0, want, offset);
    return { ok: true, size, data: buffer.subarray(0, n) };
  } catch (e) {
    return { ok: false, status: 500, error: `Failed to open file at '${resolved}': ${(e as Error).message}.\n` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
