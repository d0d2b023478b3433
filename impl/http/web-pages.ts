/**
 * The browser pages built from ui/ into dist/ui (build.mjs): the master's web UI and the
 * explorer's page. Served by name from that one directory, read once and kept (a few tens of
 * kilobytes); a name with anything but letters, digits, dots and dashes is 404, so no request
 * reaches outside it.
 */
import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import { respondText } from './respond.ts';

const PAGES_DIR = join(REPO_ROOT, 'dist', 'ui');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

const cache = new Map<string, Buffer>();

/** Answers with the built file `name` of dist/ui (GET and HEAD), or 404 saying why. */
export function servePage(res: ServerResponse, name: string, method: string | undefined): void {
  const type = TYPES[extname(name)];
  if (!/^[\w-]+(\.[\w-]+)*$/.test(name) || type === undefined) return respondText(res, 404, `No such page: '${name}'`);
  let body = cache.get(name);
  if (body === undefined) {
    try {
      body = readFileSync(join(PAGES_DIR, name));
    } catch {
      return respondText(res, 404, `${name}: the browser pages are not built (no ${join(PAGES_DIR, name)}): run npm run build`);
    }
    cache.set(name, body);
  }
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(body.length), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  res.end(method === 'HEAD' ? undefined : body);
}
