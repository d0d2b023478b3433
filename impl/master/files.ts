/**
 * The master's Files (Master::initialize attaches its log at `/master/log` when it has one:
 * --external_log_file, else the log --log_dir keeps) and the operator call LIST_FILES on them
 * (Master::Http::listFiles, Files::browse). The log is a file, and Mesos's browse lists a file as
 * nothing (`os::ls` fails on it): LIST_FILES `/master/log` is 200 with no entries, and any
 * path nothing is attached at is 404, which says what was asked for (Mesos's body is empty).
 * READ_FILE (Master::Http::readFile, FilesProcess::_read) reads the log: its size and up to 16
 * pages from an offset.
 */
import type { FileInfo } from '../../spec/protocol/operator.ts';
import { browse, readRange, resolveAttached } from '../http/files.ts';

/** The virtual path Mesos attaches the master's log at. */
const MASTER_LOG = '/master/log';

export type Listing = { ok: true; fileInfos: FileInfo[] } | { ok: false; status: 404; error: string };

/** What the master attaches: its log, when it has one. */
function masterAttachments(logFile: string | undefined): ReadonlyMap<string, string> {
  return new Map(logFile === undefined ? [] : [[MASTER_LOG, logFile]]);
}

const notFound = (requested: string) => ({ ok: false as const, status: 404 as const, error: `No such file or directory attached to this master: '${requested}'` });

/** The real path behind a requested virtual path (`file://` allowed, as path::from_uri), if any. */
function resolve(requested: string, logFile: string | undefined): string | undefined {
  const path = requested.startsWith('file://') ? requested.slice('file://'.length) : requested;
  return resolveAttached(path, masterAttachments(logFile));
}

/** LIST_FILES {path} on the master. */
export function listMasterFiles(requested: string, logFile: string | undefined): Listing {
  const resolved = resolve(requested, logFile);
  if (resolved === undefined) return notFound(requested);
  return { ok: true, fileInfos: browse(resolved, requested) };
}

/** READ_FILE {path, offset, length} on the master. */
export function readMasterFile(
  requested: string,
  offset: number,
  length: number | undefined,
  logFile: string | undefined,
): ReturnType<typeof readRange> | ReturnType<typeof notFound> {
  const resolved = resolve(requested, logFile);
  if (resolved === undefined) return notFound(requested);
  return readRange(resolved, offset, length);
}
