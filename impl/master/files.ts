/**
 * The master's Files (Master::initialize attaches its log at `/master/log` when it has one:
 * --external_log_file, else the log --log_dir keeps) and the operator call LIST_FILES on them
 * (Master::Http::listFiles, Files::browse). The log is a file, and Mesos's browse lists a file as
 * nothing (`os::ls` fails on it): LIST_FILES `/master/log` is 200 with no entries, and any
 * path nothing is attached at is 404, which says what was asked for (Mesos's body is empty).
 */
import type { FileInfo } from '../../spec/protocol/operator.ts';
import { browse, resolveAttached } from '../http/files.ts';

/** The virtual path Mesos attaches the master's log at. */
export const MASTER_LOG = '/master/log';

export type Listing = { ok: true; fileInfos: FileInfo[] } | { ok: false; status: 404; error: string };

/** What the master attaches: its log, when it has one. */
export function masterAttachments(logFile: string | undefined): ReadonlyMap<string, string> {
  return new Map(logFile === undefined ? [] : [[MASTER_LOG, logFile]]);
}

/** LIST_FILES {path} on the master. */
export function listMasterFiles(requested: string, logFile: string | undefined): Listing {
  const path = requested.startsWith('file://') ? requested.slice('file://'.length) : requested;
  const resolved = resolveAttached(path, masterAttachments(logFile));
  if (resolved === undefined) return { ok: false, status: 404, error: `No such file or directory attached to this master: '${requested}'` };
  return { ok: true, fileInfos: browse(resolved, requested) };
}
