/**
 * `/files/read` and `/files/browse` as src/files/files.cpp serves them, restricted to the
 * sandboxes of this agent: a path is either a real path inside `<work-dir>/slaves/` (symlinks
 * resolved; nothing may escape) or Mesos's virtual `/frameworks/<fid>/executors/<eid>/runs/latest`
 * of an executor. Anything else is 404, as an unattached path is in Mesos.
 */
import type { ServerResponse } from 'node:http';
import { realpathSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { respondJsonOrJsonp, respondText } from '../http/respond.ts';
import { dbl, renderJson } from '../http/json.ts';
import { directoryEntries, ownerName, readRange, type ReadResult } from '../http/files.ts';

export interface FilesOptions {
  /** The work dir's `slaves/` directory (may not exist yet). */
  readonly sandboxRoot: string;
  /** The sandbox of an executor, for virtual paths; undefined if unknown. */
  readonly executorDirectory: (framework: string, executor: string) => string | undefined;
}

type Resolved = { ok: true; path: string } | { ok: false; status: 400 | 404; error: string };

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Maps a requested path to a real path inside a sandbox. */
/** The 404's body: which path, and that only sandboxes are served. */
export const notFound = (requested: string): string => `No such file or directory in this agent's sandboxes: '${requested}'`;

export function resolveSandboxPath(requested: string, options: FilesOptions): Resolved {
  const path = requested.startsWith('file://') ? requested.slice('file://'.length) : requested;
  const virtual = /^\/frameworks\/([^/]+)\/executors\/([^/]+)\/runs\/latest(\/.*)?$/.exec(path.replace(/\/+$/, ''));
  let candidate: string;
  if (virtual) {
    const dir = options.executorDirectory(decodeURIComponent(virtual[1]!), decodeURIComponent(virtual[2]!));
    if (dir === undefined) return { ok: false, status: 404, error: notFound(requested) };
    candidate = join(dir, virtual[3] ?? '');
  } else {
    candidate = path;
  }
  const root = realpath(options.sandboxRoot);
  const real = realpath(candidate);
  if (root === undefined || real === undefined) return { ok: false, status: 404, error: notFound(requested) };
  if (real !== root && !real.startsWith(root + sep)) return { ok: false, status: 404, error: notFound(requested) };
  return { ok: true, path: real };
}

function parseOffset(text: string | null, name: string): { ok: true; value: number | undefined } | { ok: false; error: string } {
  if (text === null) return { ok: true, value: undefined };
  if (!/^\s*[-+]?\d+\s*$/.test(text)) return { ok: false, error: `Failed to parse ${name}: Failed to convert '${text}' to number.\n` };
  const value = Number(text);
  if (value < -1) return { ok: false, error: `Negative ${name} provided: ${value}.\n` };
  return { ok: true, value };
}

/**
 * Up to `length` bytes (default: to the end; at most MAX_READ) of a sandbox file from `offset`,
 * and the file's size, as Mesos's FilesProcess::_read: /files/read and the v1 READ_FILE share it.
 */
export function readSandboxFile(path: string, offset: number, length: number | undefined, options: FilesOptions): ReadResult | { ok: false; status: number; error?: string } {
  const file = sandboxFile(path, options, 'Cannot read a directory.\n');
  return file.ok ? readRange(file.path, offset, length) : file;
}

/** GET /files/read?path=&offset=&length= */
export function filesRead(query: URLSearchParams, res: ServerResponse, options: FilesOptions): void {
  const path = query.get('path');
  if (path === null || path === '') return respondText(res, 400, "Expecting 'path=value' in query.\n");
  const offsetArg = parseOffset(query.get('offset'), 'offset');
  if (!offsetArg.ok) return respondText(res, 400, offsetArg.error);
  const lengthArg = parseOffset(query.get('length'), 'length');
  if (!lengthArg.ok) return respondText(res, 400, lengthArg.error);
  const offset = offsetArg.value ?? -1;
  let length = lengthArg.value !== undefined && lengthArg.value > -1 ? lengthArg.value : undefined;
  let from = offset;
  // offset=-1 (or none) asks for the size only.
  if (offset === -1) {
    from = 0;
    length = 0;
  }
  const read = readSandboxFile(path, from, length, options);
  if (!read.ok) return respondText(res, read.status, read.error);
  const { size } = read;
  const data = read.data.toString('utf8');
  // stout's JSON::Object is a std::map: "data" comes before "offset".
  respondJsonOrJsonp(res, query, renderJson({ data, offset: offset === -1 ? size : offset }));
}

function modeString(stats: Stats): string {
  const type = stats.isDirectory()
    ? 'd'
    : stats.isSymbolicLink()
      ? 'l'
      : stats.isFIFO()
        ? 'p'
        : stats.isSocket()
          ? 's'
          : stats.isCharacterDevice()
            ? 'c'
            : stats.isBlockDevice()
              ? 'b'
              : '-';
  const bits = 'rwxrwxrwx';
  let out = type;
  for (let i = 0; i < 9; i++) out += stats.mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}

/**
 * A sandbox path as /files/read and /files/download take it: resolved, and stat'ed as a file.
 * The answer for anything else is Mesos's: the resolver's 4xx, 404 for a missing file, and 400
 * with `directoryError` for a directory.
 */
export function sandboxFile(
  requested: string,
  options: FilesOptions,
  directoryError: string,
): { ok: true; path: string; stats: Stats } | { ok: false; status: number; error?: string } {
  const resolved = resolveSandboxPath(requested, options);
  if (!resolved.ok) return resolved;
  let stats: Stats;
  try {
    stats = statSync(resolved.path);
  } catch {
    return { ok: false, status: 404, error: notFound(requested) };
  }
  if (stats.isDirectory()) return { ok: false, status: 400, error: directoryError };
  return { ok: true, path: resolved.path, stats };
}

/** GET /files/browse?path= */
export function filesBrowse(query: URLSearchParams, res: ServerResponse, options: FilesOptions): void {
  const path = query.get('path');
  if (path === null || path === '') return respondText(res, 400, "Expecting 'path=value' in query.\n");
  const resolved = resolveSandboxPath(path, options);
  if (!resolved.ok) return respondText(res, resolved.status, resolved.error);
  const listing = directoryEntries(resolved.path, path.replace(/\/+$/, '')).map(({ path, stats }) => ({
    gid: String(stats.gid),
    mode: modeString(stats),
    mtime: dbl(Math.floor(stats.mtimeMs / 1000)),
    nlink: stats.nlink,
    path,
    size: stats.size,
    uid: ownerName(stats.uid),
  }));
  respondJsonOrJsonp(res, query, renderJson(listing));
}
