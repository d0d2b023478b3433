/**
 * `/files/download` as src/files/files.cpp serves it: the whole file, streamed, as
 * `application/octet-stream` with `Content-Disposition: attachment; filename=<basename>`; 400 for
 * a missing `path` or a directory, 404 for a path outside the sandboxes or absent. Mesos guesses
 * a mime type from a few extensions; the reference always answers octet-stream, the type Mesos
 * falls back to, so a download is never rendered by a browser.
 */
import type { ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { respondText } from '../http/respond.ts';
import { sandboxFile, type FilesOptions } from './files.ts';

/** GET /files/download?path= */
export function filesDownload(query: URLSearchParams, res: ServerResponse, options: FilesOptions): void {
  const path = query.get('path');
  if (path === null || path === '') return respondText(res, 400, "Expecting 'path=value' in query.\n");
  const resolved = sandboxFile(path, options, 'Cannot download a directory.\n');
  if (!resolved.ok) return respondText(res, resolved.status, resolved.error);
  const { stats } = resolved;
  const stream = createReadStream(resolved.path);
  stream.once('error', (e) => {
    if (!res.headersSent) respondText(res, 500, `Failed to read file at '${resolved.path}': ${e.message}.\n`);
    else res.destroy();
  });
  stream.once('open', () => {
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename=${basename(resolved.path)}`,
      'Content-Length': String(stats.size),
    });
    stream.pipe(res);
  });
}
