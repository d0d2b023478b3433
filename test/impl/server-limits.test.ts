/**
 * The bounds of impl/http/limits.ts on a real master (small limits, so the test is fast): bodies
 * past the server's budget are 503 with a body saying so, and nothing changes; a request that
 * trickles in is cut off at the request timeout; connections past the per-client bound close.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('server limits');

let master: MasterServer | undefined;
const open: (ClientRequest | Socket)[] = [];

test.before(async () => {
  master = await startMaster({ port: 0, log: () => {}, limits: { maxBufferedBodyBytes: 1 << 20, headersTimeoutMs: 500, requestTimeoutMs: 1000, maxConnectionsPerClient: 8 } });
});

test.after(async () => {
  for (const o of open) o.destroy();
  await master?.close();
});

/** Starts a POST whose body is `bytes` long but only `sent` of it is written for now. */
function partial(bytes: number, sent: number): { req: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  const req = httpRequest(`${master!.url}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(bytes) } });
  open.push(req);
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  req.write(Buffer.alloc(sent, 0x20));
  return { req, answer };
}

test('bodies past the buffered-bytes budget are answered 503, and the server recovers', async () => {
  const first = partial(900_000, 700_000);
  await eventually(() => master!.bodyBudget.used >= 700_000, 5000, 'the first body to be buffered');
  const second = partial(900_000, 700_000);
  const refused = await second.answer;
  assert.is(refused.status, 503);
  assert.match(refused.body, /Server busy: \d+ bytes of request bodies are buffered, the limit is 1048576/);
  first.req.end(Buffer.alloc(200_000, 0x20));
  const done = await first.answer;
  assert.is(done.status, 400, 'the first body was read whole (and is not JSON)');
  assert.is(master!.bodyBudget.used, 0, 'everything buffered was released');
  assert.ok(master!.bodyBudget.refused >= 1);
});

test('a body trickling in is cut off at the request timeout', async () => {
  const t0 = performance.now();
  const { req, answer } = partial(1000, 1);
  const drip = setInterval(() => req.write(' '), 200);
  const closed = await answer.then(
    (a) => `status ${a.status}`,
    (e: Error) => `closed: ${e.message}`,
  );
  clearInterval(drip);
  const ms = performance.now() - t0;
  assert.ok(closed === 'status 408' || closed.startsWith('closed'), closed);
  assert.ok(ms < 3000, `cut off after ${ms.toFixed(0)} ms`);
});

test('connections past the per-client bound are closed at once', async () => {
  const url = new URL(master!.url);
  const sockets = await Promise.all(
    Array.from(
      { length: 10 },
      () =>
        new Promise<Socket>((resolve) => {
          const s = connect(Number(url.port), url.hostname, () => resolve(s));
          open.push(s);
        }),
    ),
  );
  const isClosed = (s: Socket) => s.destroyed || s.readableEnded;
  await eventually(() => sockets.filter(isClosed).length >= 2, 5000, 'two connections closed');
  const closed = sockets.filter(isClosed).length;
  assert.is(closed, 2, `${closed} of 10 closed`);
  for (const s of sockets) s.destroy();
});

test.run();
