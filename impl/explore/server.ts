/**
 * The HTTP side of `mesos-ref explore`, on loopback only (it has no authentication, and its
 * world is a model, not a cluster):
 *
 *   GET /                       the explorer page (ui/explorer, built into dist/ui)
 *   GET /static/<file>          its script and stylesheet
 *   GET /api/state?path=a,b,c   the state after those actions from the initial state (session.ts)
 *
 * A bad `path` is 400 naming the parameter and the step; nothing here changes state.
 */
import { createServer, type Server } from 'node:http';
import { listen, shutdown } from '../http/listen.ts';
import { methodNotAllowed, respondJson, respondText } from '../http/respond.ts';
import { servePage } from '../http/web-pages.ts';
import type { ExplorerSession } from './session.ts';

export interface ExplorerServer {
  readonly url: string;
  close(): Promise<void>;
}

/** `path=` as action numbers; '' is the initial state. */
function parsePath(text: string | null): { ok: true; path: number[] } | { ok: false; error: string } {
  if (text === null || text === '') return { ok: true, path: [] };
  const parts = text.split(',');
  const bad = parts.findIndex((p) => !/^\d{1,10}$/.test(p));
  if (bad >= 0) return { ok: false, error: `'path': expected action numbers separated by commas, got '${parts[bad]!.slice(0, 32)}' at position ${bad + 1}` };
  return { ok: true, path: parts.map(Number) };
}

export async function startExplorer(session: ExplorerSession, port: number): Promise<ExplorerServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET'], req.method);
    if (url.pathname === '/' || url.pathname === '/index.html') return servePage(res, 'explorer.html', req.method);
    if (url.pathname.startsWith('/static/')) return servePage(res, url.pathname.slice('/static/'.length), req.method);
    if (url.pathname !== '/api/state') return respondText(res, 404, `No such endpoint: '${url.pathname}' (the explorer serves /api/state)`);
    const path = parsePath(url.searchParams.get('path'));
    if (!path.ok) return respondText(res, 400, path.error);
    const answer = session.state(path.path);
    if (!answer.ok) return respondText(res, 400, `'path': ${answer.error}`);
    respondJson(res, 200, JSON.stringify(answer.state));
  });
  const address = await listen(server, port, '127.0.0.1');
  return { url: `http://127.0.0.1:${address.port}`, close: () => shutdown(server) };
}
