/**
 * Plain responses as libprocess writes them: a text body is `text/plain; charset=utf-8`, a JSON
 * body `application/json`, and an empty body has `Content-Length: 0`.
 */
import type { ServerResponse } from 'node:http';

const TEXT_PLAIN = 'text/plain; charset=utf-8';

/** Status, optional text body (text/plain), extra headers. */
export function respondText(res: ServerResponse, status: number, text = '', headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...(body.length > 0 ? { 'Content-Type': TEXT_PLAIN } : {}), 'Content-Length': String(body.length), ...headers });
  res.end(body);
}

/** Status and a JSON text body (already rendered, e.g. by the codec). */
export function respondJson(res: ServerResponse, status: number, json: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = Buffer.from(json, 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers });
  res.end(body);
}

/** Status and a protobuf body (application/x-protobuf). */
export function respondProtobuf(res: ServerResponse, status: number, body: Uint8Array): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/x-protobuf', 'Content-Length': String(body.length) });
  res.end(body);
}

/** libprocess's `MethodNotAllowed`: `Allow` header and "Expecting one of { 'POST' }, but received 'GET'". */
export function methodNotAllowed(res: ServerResponse, allowed: readonly string[], method: string | undefined): void {
  const body = `Expecting one of { '${allowed.join("', '")}' }${method ? `, but received '${method}'` : ''}`;
  respondText(res, 405, body, { Allow: allowed.join(', ') });
}

/**
 * 200 with a JSON body, or, when the query has `jsonp=<callback>`, that body wrapped as
 * `<callback>(<json>);` in text/javascript, as libprocess's OK(json, jsonp) answers: the Mesos web
 * UI reads agents (other origins) this way. A callback that is not a dotted JavaScript name is 400.
 */
export function respondJsonOrJsonp(res: ServerResponse, query: URLSearchParams, json: string): void {
  const callback = query.get('jsonp');
  if (callback === null) return respondJson(res, 200, json);
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(callback))
    return respondText(res, 400, `Failed to parse 'jsonp': expected a JavaScript name, got '${callback.slice(0, 64)}'\n`);
  const body = Buffer.from(`${callback}(${json});`, 'utf8');
  res.writeHead(200, { 'Content-Type': 'text/javascript', 'Content-Length': String(body.length), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}
