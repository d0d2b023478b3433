/**
 * End to end: `mesos-ref cluster --agents 2` comes up (the real master, two agents), `mesos-ref
 * run --command 'echo hello'` runs a task through it to TASK_FINISHED and prints its output, and
 * SIGINT stops the whole cluster cleanly (exit 0, ports closed). Skipped, with a message, while
 * the master or run commands do not exist.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanupCluster, tempDir } from '../support/agent-process.ts';
import { request } from '../../impl/http/client.ts';
import { Child } from '../../impl/process/children.ts';
import { mesosRefArgv } from '../../impl/process/proc.ts';
import { freePorts, portFree } from '../support/free-ports.ts';

const test = suite('mesos-ref cluster');

let cluster: Child | undefined;
let workDir = '';

test.after(() => cleanupCluster(cluster, workDir, 2));

test('cluster up, a task through it, Ctrl-C down', async () => {
  workDir = tempDir('mesos-ref-cluster-');
  const port = await freePorts(3);
  const t0 = performance.now();
  cluster = new Child('cluster', [...mesosRefArgv(), 'cluster', '--agents', '2', '--port', String(port), '--work-dir', workDir], { detached: false });
  await cluster.waitForLine(/^ready$/, 40_000);
  const up = performance.now() - t0;
  const masterUrl = (await cluster.waitForLine(/^master: (\S+)$/)).at(1)!;
  assert.is(masterUrl, `http://127.0.0.1:${port}`);
  assert.is((await cluster.waitForLine(/^agent 0: (\S+)$/))[1], `http://127.0.0.1:${port + 1}`);
  assert.is((await cluster.waitForLine(/^agent 1: (\S+)$/))[1], `http://127.0.0.1:${port + 2}`);
  const agents = JSON.parse((await request(`${masterUrl}/api/v1`, { method: 'POST', body: '{"type":"GET_AGENTS"}', headers: { 'Content-Type': 'application/json' } })).body);
  assert.is(agents.get_agents.agents.length, 2);
  console.log(`    cluster of 2 agents ready in ${up.toFixed(0)} ms`);

  const credential = (await cluster.waitForLine(/^credentials: \S+ \(frameworks and operators: (--principal \S+ --secret \S+)\)$/))[1]!.split(' ');
  const lines: string[] = [];
  const run = new Child('run', [...mesosRefArgv(), 'run', '--master', masterUrl, '--command', 'echo hello', ...credential], { onLine: (l) => lines.push(l), detached: false });
  const ran = await Promise.race([run.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`run hung: ${lines.join('\n')}`)), 30_000))]);
  const out = lines.join('\n');
  assert.is(ran.code, 0, out);
  assert.match(out, /TASK_RUNNING/);
  assert.match(out, /TASK_FINISHED/);
  assert.match(out, /^hello$/m);

  cluster.signal('SIGINT');
  const exit = await Promise.race([cluster.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('cluster did not stop')), 20_000))]);
  assert.is(exit.code, 0);
  await cluster.waitForLine(/^stopped$/);
  for (const p of [port, port + 1, port + 2]) assert.ok(await portFree(p), `port ${p} still in use`);
});

test.run();
