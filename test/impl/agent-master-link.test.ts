/**
 * The agent's link to the master (impl/agent/master-link.ts) against a master stand-in that holds
 * its answer to the first POST: what the agent sends meanwhile waits, and goes in the next POST
 * as one batch in send order (`batch` mode), or one POST per message (`each`, the former link);
 * never two POSTs at once. The credential goes with every POST.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MasterLink, type MasterLinkMode } from '../../impl/agent/master-link.ts';
import { AGENT_MESSAGES_BATCH, parseAgentMessages } from '../../impl/http/agent-messages.ts';
import { readBody } from '../../impl/http/body.ts';
import { listen, shutdown } from '../../impl/http/listen.ts';
import { mediaTypeOf } from '../../impl/http/negotiate.ts';
import { RecordIOResponse } from '../../impl/http/recordio.ts';
import { respondText } from '../../impl/http/respond.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('the agent link to the master');

interface Post {
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly messages: string[];
}

/** A master stand-in: accepts the connection; records each POST; holds the first POST's answer until `release`. */
async function standIn() {
  const posts: Post[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  const streams: RecordIOResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const handle = async () => {
      const body = await readBody(req);
      if (req.url === '/internal/agent/connect') {
        const stream = new RecordIOResponse(res);
        streams.push(stream);
        stream.start({ 'Mesos-Agent-Connection': 'agent-conn-1.secret' });
        return;
      }
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const type = mediaTypeOf(req.headers);
      const parsed = parseAgentMessages(type === AGENT_MESSAGES_BATCH, body.ok ? body.text : '');
      posts.push({
        contentType: type,
        authorization: req.headers.authorization,
        messages: parsed.ok ? parsed.value.map((m) => `${m.type}:${(m as { agent_id?: { value: string } }).agent_id?.value ?? ''}`) : [`refused: ${parsed.error}`],
      });
      if (posts.length === 1) await held;
      inFlight -= 1;
      respondText(res, 202);
    };
    handle().catch((e: Error) => respondText(res, 500, e.message));
  });
  const { port } = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    mostInFlight: () => mostInFlight,
    release: () => release(),
    close: async () => {
      for (const s of streams) s.end();
      await shutdown(server);
    },
  };
}

async function burst(mode: MasterLinkMode | undefined): Promise<{ posts: Post[]; mostInFlight: number }> {
  const master = await standIn();
  const link = new MasterLink({
    master: master.url,
    onMessage: () => {},
    onBroken: () => {},
    log: () => {},
    authorization: { Authorization: 'Basic YWdlbnQ6c2VjcmV0' },
    ...(mode ? { mode } : {}),
  });
  try {
    link.start();
    const ids = ['a0', 'a1', 'a2', 'a3', 'a4'];
    // The first goes at once once connected; the master holds its answer while the rest are sent.
    link.send({ type: 'UNREGISTER_AGENT', agent_id: { value: ids[0]! } });
    await eventually(() => (master.posts.length === 1 ? true : undefined), 5000, 'the first POST');
    for (const id of ids.slice(1)) link.send({ type: 'UNREGISTER_AGENT', agent_id: { value: id } });
    await new Promise((r) => setTimeout(r, 50));
    assert.is(master.posts.length, 1, 'nothing more is posted while a POST is in flight');
    master.release();
    await link.drained();
    return { posts: master.posts, mostInFlight: master.mostInFlight() };
  } finally {
    link.close();
    await master.close();
  }
}

test('batch (the default): what queued behind the POST in flight goes in the next one, in send order', async () => {
  const { posts, mostInFlight } = await burst(undefined);
  assert.equal(
    posts.map((p) => p.messages),
    [['UNREGISTER_AGENT:a0'], ['UNREGISTER_AGENT:a1', 'UNREGISTER_AGENT:a2', 'UNREGISTER_AGENT:a3', 'UNREGISTER_AGENT:a4']],
  );
  assert.equal(
    posts.map((p) => p.contentType),
    ['application/json', AGENT_MESSAGES_BATCH],
    'a single message is posted as it always was',
  );
  assert.ok(
    posts.every((p) => p.authorization === 'Basic YWdlbnQ6c2VjcmV0'),
    'the credential goes with every POST',
  );
  assert.is(mostInFlight, 1);
});

test('each: one message per POST, in send order, one at a time', async () => {
  const { posts, mostInFlight } = await burst('each');
  assert.equal(
    posts.map((p) => p.messages),
    ['a0', 'a1', 'a2', 'a3', 'a4'].map((id) => [`UNREGISTER_AGENT:${id}`]),
  );
  assert.ok(posts.every((p) => p.contentType === 'application/json'));
  assert.is(mostInFlight, 1);
});

test.run();
