/**
 * The executor's link to its agent (impl/executor/agent-calls.ts) with the agent's side of it
 * (impl/http/arrival-order.ts), over real sockets: the pipelined link writes every call at once on
 * one connection, and the calls still reach the handler's dispatch in the order they were posted,
 * though the handler awaits for a while that differs from call to call before it dispatches (as
 * the agent's does: the body, the executor token's verification). The serial link, the former
 * one, has one call in flight at a time. And the pipelined connection reads answers sized either
 * way, and sends the unanswered calls again, in order, when the server closes the connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AgentCalls, executorLinkMode, type ExecutorLinkMode } from '../../impl/executor/agent-calls.ts';
import { ArrivalOrder } from '../../impl/http/arrival-order.ts';
import { PipelinedConnection } from '../../impl/http/pipelined-connection.ts';
import { readBody } from '../../impl/http/body.ts';
import type { ExecutorCall } from '../../spec/protocol/executor.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('executor link');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Task i's TASK_RUNNING then its TASK_FINISHED, the tasks interleaved: the order an executor posts them in. */
function updates(tasks: number): ExecutorCall[] {
  const calls: ExecutorCall[] = [];
  for (let i = 0; i < tasks; i++) {
    for (const state of ['TASK_RUNNING', 'TASK_FINISHED'] as const) {
      calls.push({
        type: 'UPDATE',
        framework_id: { value: 'fw' },
        executor_id: { value: 'ex' },
        update: { status: { task_id: { value: `t${i}` }, state, source: 'SOURCE_EXECUTOR', uuid: Buffer.from(`${i}-${state}`).toString('base64') } },
      });
    }
  }
  return calls;
}

const label = (call: ExecutorCall) => (call.type === 'UPDATE' ? `${call.update.status.task_id.value} ${call.update.status.state}` : call.type);

/**
 * An agent's executor API in miniature: each call waits, before it is dispatched, a time that
 * makes a later call ready first (an even call 12 ms, an odd one none), as an awaited token
 * verification may; then it is "dispatched" (recorded) and answered 202 a few ms later, as the
 * group commit holds a 202 until the update is on disk. `ordered` takes a turn in the
 * connection's arrival order before the dispatch, as the agent does.
 */
async function agentLike(ordered: boolean) {
  const arrival = new ArrivalOrder();
  const dispatched: string[] = [];
  const connections = new Set<unknown>();
  let inFlight = 0;
  let maxInFlight = 0;
  let arrived = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    (async () => {
      const turn = arrival.take(req.socket);
      connections.add(req.socket);
      const n = arrived++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        const body = await readBody(req);
        if (!body.ok) throw new Error(body.error);
        await sleep(n % 2 === 0 ? 12 : 0);
        if (ordered) await turn.ready;
        dispatched.push(label(JSON.parse(body.text) as ExecutorCall));
      } finally {
        turn.done();
      }
      await sleep(3);
      inFlight--;
      res.writeHead(202, { 'Content-Length': '0' });
      res.end();
    })().catch((e: Error) => res.destroy(e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dispatched,
    connections: () => connections.size,
    maxInFlight: () => maxInFlight,
    idle: () => inFlight === 0,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function postAll(mode: ExecutorLinkMode, ordered: boolean, tasks = 10) {
  const agent = await agentLike(ordered);
  const logs: string[] = [];
  try {
    const calls = new AgentCalls(agent.url, undefined, (l) => logs.push(l), mode);
    const sent = updates(tasks);
    for (const call of sent) calls.post(call);
    await eventually(() => agent.dispatched.length === sent.length && agent.idle(), 10_000);
    return { sent: sent.map(label), dispatched: [...agent.dispatched], connections: agent.connections(), maxInFlight: agent.maxInFlight(), logs };
  } finally {
    await agent.close();
  }
}

test('pipelined: every call written at once on one connection, dispatched in the order posted', async () => {
  const r = await postAll('pipelined', true);
  assert.equal(r.dispatched, r.sent);
  assert.is(r.connections, 1);
  // Pipelined indeed: the server had more than one of the calls at a time.
  assert.ok(r.maxInFlight > 1, `at most ${r.maxInFlight} in flight`);
  assert.equal(r.logs, []);
});

test('serial (the former link): one call in flight at a time, in order', async () => {
  const r = await postAll('serial', true);
  assert.equal(r.dispatched, r.sent);
  assert.is(r.maxInFlight, 1);
});

test('the check above can fail: without the arrival order a pipelined burst is dispatched out of order', async () => {
  const r = await postAll('pipelined', false);
  assert.not.equal(r.dispatched, r.sent);
  // TASK_RUNNING of t0 waited 12 ms; the calls behind it passed it.
  assert.ok(r.dispatched.indexOf('t0 TASK_FINISHED') < r.dispatched.indexOf('t0 TASK_RUNNING'));
});

test('an executor environment names its link mode, or is refused naming the variable', () => {
  assert.is(executorLinkMode({}), 'pipelined');
  assert.is(executorLinkMode({ MESOS_REF_EXECUTOR_LINK: 'serial' }), 'serial');
  assert.throws(() => executorLinkMode({ MESOS_REF_EXECUTOR_LINK: 'fast' }), /MESOS_REF_EXECUTOR_LINK must be one of pipelined, serial, not 'fast'/);
});

test('pipelined connection: answers sized by Content-Length and chunked, each to its request', async () => {
  const server = createServer((req, res) => {
    (async () => {
      const body = await readBody(req);
      const text = body.ok ? body.text : '';
      // Odd ones chunked (no length), even ones with a length; answered in reverse readiness.
      await sleep(text.length % 3);
      if (Number(text) % 2) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write(`echo `);
        res.end(text);
      } else {
        res.writeHead(200, { 'Content-Length': String(`echo ${text}`.length) });
        res.end(`echo ${text}`);
      }
    })().catch((e: Error) => res.destroy(e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
  const connection = new PipelinedConnection(url, 5_000);
  try {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => connection.request('POST', { 'Content-Type': 'text/plain' }, String(i))));
    assert.equal(
      answers.map((a) => a.body),
      Array.from({ length: 12 }, (_, i) => `echo ${i}`),
    );
    assert.ok(answers.every((a) => a.status === 200));
  } finally {
    connection.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('pipelined connection: a server that closes after an answer gets the calls behind it again, in order, on a new connection', async () => {
  const seenBy = new Map<unknown, string[]>();
  const server = createServer((req, res) => {
    (async () => {
      const body = await readBody(req);
      const text = body.ok ? body.text : '';
      if (!seenBy.has(req.socket)) seenBy.set(req.socket, []);
      seenBy.get(req.socket)!.push(text);
      // The first connection's answer to '1' says it closes: the requests behind it go again.
      const closing = seenBy.size === 1 && text === '1';
      res.writeHead(202, { 'Content-Length': '0', ...(closing ? { Connection: 'close' } : {}) });
      res.end();
    })().catch((e: Error) => res.destroy(e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
  const connection = new PipelinedConnection(url, 5_000);
  try {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => connection.request('POST', {}, String(i))));
    assert.ok(answers.every((a) => a.status === 202));
    const [first, second, ...more] = [...seenBy.values()];
    assert.equal(first!.slice(0, 2), ['0', '1']);
    assert.equal(second, ['2', '3', '4', '5']);
    assert.is(more.length, 0);
  } finally {
    connection.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test.run();
