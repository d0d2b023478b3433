/**
 * A client that speaks only protobuf to the v1 APIs: a call with an `application/x-protobuf`
 * body, and a SUBSCRIBE whose RecordIO stream of protobuf events is decoded as it arrives.
 */
import { request as httpRequest } from 'node:http';
import { RecordIODecoder } from '../../spec/protocol/recordio.ts';
import { decodeProtobuf } from '../../spec/protocol/protobuf.ts';

const PROTOBUF = 'application/x-protobuf';

/** POSTs a protobuf body; the status, headers and body bytes. */
export function post(url: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'Content-Type': PROTOBUF, Accept: PROTOBUF, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A protobuf SUBSCRIBE stream: its stream id and the decoded events as they arrive. */
export function subscribe(
  url: string,
  message: 'RawSchedulerEvent' | 'RawExecutorEvent' | 'RawMasterEvent',
  body: Uint8Array,
): Promise<{ streamId: string; type: string; next: (timeoutMs: number) => Promise<Record<string, unknown>>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const queue: Record<string, unknown>[] = [];
    const waiters: ((e: Record<string, unknown>) => void)[] = [];
    const decoder = new RecordIODecoder();
    const req = httpRequest(url, { method: 'POST', headers: { 'Content-Type': PROTOBUF, Accept: PROTOBUF } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SUBSCRIBE answered ${res.statusCode}`));
      res.on('data', (c: Buffer) => {
        for (const record of decoder.decode(c)) {
          const event = decodeProtobuf(message, record);
          const w = waiters.shift();
          if (w) w(event);
          else queue.push(event);
        }
      });
      resolve({
        streamId: String(res.headers['mesos-stream-id']),
        type: String(res.headers['content-type']),
        next: (timeoutMs) =>
          new Promise((done, fail) => {
            const e = queue.shift();
            if (e) return done(e);
            const timer = setTimeout(() => fail(new Error('no event in time')), timeoutMs);
            waiters.push((x) => {
              clearTimeout(timer);
              done(x);
            });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
