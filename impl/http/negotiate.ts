/**
 * Content negotiation as libprocess does it (`Request::acceptsMediaType`, reference 1.1 and 1.5):
 * an absent Accept header accepts everything; otherwise a media range accepts a type when it is
 * the type itself, `type/*` or `*\/*`, with a q-value above 0. A header sent twice arrives
 * joined with ", " (Node joins repeated Accept headers), which parses as one list.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const APPLICATION_JSON = 'application/json';
export const APPLICATION_PROTOBUF = 'application/x-protobuf';
export const APPLICATION_RECORDIO = 'application/recordio';

/** Whether an Accept header value (or headers) accepts `mediaType`. */
export function acceptsMediaType(accept: string | string[] | undefined, mediaType: string): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : accept;
  if (value === undefined || value.trim() === '') return true;
  const [type, subtype] = mediaType.toLowerCase().split('/');
  // The most specific matching range decides (RFC 7231 5.3.2); among equals, the highest q.
  let best = -1;
  let bestQ = 0;
  for (const range of value.split(',')) {
    const [head, ...params] = range.split(';').map((s) => s.trim());
    if (!head) continue;
    const [t, s] = head.toLowerCase().split('/');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((x) => x.trim());
      if (k?.toLowerCase() === 'q' && v !== undefined) {
        const n = Number(v);
        q = Number.isFinite(n) ? n : 0;
      }
    }
    const specificity = t === type && s === subtype ? 2 : t === type && s === '*' ? 1 : t === '*' && s === '*' ? 0 : -1;
    if (specificity < 0) continue;
    if (specificity > best || (specificity === best && q > bestQ)) {
      best = specificity;
      bestQ = q;
    }
  }
  return best >= 0 && bestQ > 0;
}

/** The media type of a Content-Type header without its parameters, lower-cased; undefined if absent. */
export function mediaTypeOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers['content-type'];
  if (raw === undefined) return undefined;
  return raw.split(';')[0]!.trim().toLowerCase();
}

/** A header's single value (the first if repeated). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
