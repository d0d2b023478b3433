/**
 * `mesos-ref cluster --offer_timeout`: the cluster's master runs with it (its GET_FLAGS says so),
 * as a suite of a configuration with an offer timeout needs; a bad value is exit 2 naming the
 * flag before anything starts, as `mesos-ref master` refuses it.
 */
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../../impl/http/client.ts';
import { Child } from '../../impl/process/children.ts';
import { mesosRefArgv } from '../../impl/process/proc.ts';
import { cleanupCluster, tempDir } from '../support/agent-process.ts';
import { freePorts } from '../support/free-ports.ts';

const test = suite('mesos-ref cluster --offer_timeout');

let cluster: Child | undefined;
let workDir = '';

test.after(() => cleanupCluster(cluster, workDir));

test("the cluster's master runs with the offer timeout", async () => {
  workDir = tempDir('mesos-ref-cluster-offer-');
  const port = await freePorts(2);
  const argv = [...mesosRefArgv(), 'cluster', '--agents', '1', '--port', String(port), '--work-dir', workDir, '--no-authenticate', '--offer_timeout', '30secs'];
  cluster = new Child('cluster', argv, { detached: false });
  await cluster.waitForLine(/^ready$/, 40_000);
  const res = await request(`http://127.0.0.1:${port}/api/v1`, { method: 'POST', body: '{"type":"GET_FLAGS"}', headers: { 'Content-Type': 'application/json' } });
  const flags = (JSON.parse(res.body) as { get_flags: { flags: { name: string; value: string }[] } }).get_flags.flags;
  assert.equal(
    flags.find((f) => f.name === 'offer_timeout'),
    { name: 'offer_timeout', value: '30secs' },
  );
  cluster.signal('SIGINT');
  const exit = await Promise.race([cluster.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('cluster did not stop')), 20_000))]);
  assert.is(exit.code, 0);
});

test('a bad --offer_timeout is exit 2 naming the flag, before anything starts', () => {
  const [node, ...args] = mesosRefArgv();
  for (const [value, why] of [
    ['soon', /^error: '--offer_timeout': expected a duration such as 2secs, 1mins or 500ms, got 'soon'$/m],
    ['0secs', /^error: '--offer_timeout': expected a duration above zero, got '0secs'$/m],
  ] as const) {
    const r = spawnSync(node, [...args, 'cluster', '--agents', '1', '--offer_timeout', value], { encoding: 'utf8', timeout: 30_000 });
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, why);
    assert.not.match(r.stdout, /ready/);
  }
});

test.run();
