/**
 * A master's operator API reduced to what a conformance runner asks before it starts: GET_AGENTS
 * answers with the given agents, any other call with an empty response of its type (GET_HEALTH
 * included). On loopback, a free port.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Test } from 'uvu';

async function fakeOperatorMaster(agents: readonly unknown[]): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const type = (JSON.parse(body || '{}') as { type?: string }).type;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(type === 'GET_AGENTS' ? { type, get_agents: { agents } } : { type }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

/**
 * A test file's fake master: started before its tests, stopped after them, when `dir` (the
 * file's scratch folder) is removed too. `url()` is its address once the tests run.
 */
export function fakeOperatorMasterForSuite(suite: Test, agents: readonly unknown[], dir: string): { url: () => string } {
  let master: { url: string; close: () => void } | undefined;
  suite.before(async () => {
    master = await fakeOperatorMaster(agents);
  });
  suite.after(() => {
    master?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { url: () => master!.url };
}
