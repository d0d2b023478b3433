/**
 * Reading request and response bodies (as text for JSON, as bytes for protobuf). Every body is small; a limit keeps
 * a misbehaving peer from filling memory.
 */
import type { IncomingMessage } from 'node:http';
import { budgetOf } from './limits.ts';

/** 16 MiB: far above any call the reference handles. */
const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export type BodyResult =
  { readonly ok: true; readonly text: string; readonly bytes: Uint8Array } | { readonly ok: false; readonly status: 413 | 400 | 503; readonly error: string };

/**
 * The whole body as UTF-8 text, or 413 past `limit` bytes, or 503 when the server's budget of
 * body bytes buffered at once (impl/http/limits.ts) is spent, or 400 if the peer aborts.
 */
export function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<BodyResult> {
  const budget = budgetOf(req);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      budget?.release(size);
      if (!r.ok) chunks.length = 0;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > limit) {
        finish({ ok: false, status: 413, error: `Request body is larger than ${limit} bytes` });
        req.resume();
        return;
      }
      if (budget && !budget.take(chunk.length)) {
        budget.refused++;
        finish({ ok: false, status: 503, error: `Server busy: ${budget.used} bytes of request bodies are buffered, the limit is ${budget.max}; retry later` });
        req.resume();
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      finish({ ok: true, text: bytes.toString('utf8'), bytes });
    });
    req.on('error', (e) => finish({ ok: false, status: 400, error: `Failed to read the request body: ${e.message}` }));
    req.on('aborted', () => finish({ ok: false, status: 400, error: 'The request was aborted' }));
  });
}
