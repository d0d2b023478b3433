/**
 * `conformance generate --agents-from URL`: the configuration's agents take the resources of the
 * master's agents (GET_AGENTS), in its order, and the manifest says where they came from. Against
 * a fake master answering GET_HEALTH and GET_AGENTS, with a one-task configuration (a few
 * thousand states whatever the resources).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Manifest } from '../../conformance/format.ts';
import { agentResources, withAgentsOf } from '../../impl/conformance/agents-from.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { modelSchema, errorsOf } from './support.ts';
import { fakeOperatorMasterForSuite } from '../support/fake-operator-master.ts';

const root = resolve(import.meta.dirname, '../..');

function generate(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'cli', 'main.ts'), 'conformance', 'generate', '--no-progress', ...args],
      { cwd: root, timeout: 120_000 },
      (err, stdout, stderr) => done({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const tiny = (count: number): MesosConfig => ({
  name: 'tiny',
  description: 'one agent, one framework with one task',
  agents: [{ resources: 'cpus:2;mem:1024', count }],
  frameworks: [{ name: 'fw-a', partitionAware: true, checkpoint: true, failoverTimeoutSeconds: 60, tasks: [{ id: 't1', resources: 'cpus:1;mem:128', outcome: 'finish' }] }],
  faults: { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 },
  channelBound: 3,
  timing: 'eager',
  master: { agentPings: false },
});

const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-agents-from-'));
writeFileSync(join(dir, 'one.json'), JSON.stringify(tiny(1)));
writeFileSync(join(dir, 'three.json'), JSON.stringify(tiny(3)));

// Two agents, listed S1 then S0: the first has GPUs and revocable cpus the model does not know.
const wire = (text: string) => toWire(mustParseResources(text));
const agents = [
  {
    agent_info: {
      id: { value: 'S1' },
      hostname: 'host-b',
      port: 5051,
      resources: [...wire('cpus:3;mem:2048;ports:[31000-31009]'), ...wire('gpus:1'), { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, revocable: {} }],
    },
  },
  { agent_info: { id: { value: 'S0' }, hostname: 'host-a', port: 5051, resources: wire('cpus:1;mem:512') } },
];

const master = fakeOperatorMasterForSuite(test, agents, dir);

test("an agent's Resource list in flag syntax, leaving out what the model does not know", () => {
  const r = agentResources(agents[0]!.agent_info.resources);
  assert.is(r.resources, 'cpus:3;mem:2048;ports:[31000-31009]');
  assert.equal(r.ignored, ['gpus: GPUs (the model has no GPU_RESOURCES capability)', 'cpus: revocable']);
  const dynamic = agentResources([{ name: 'disk', type: 'SCALAR', scalar: { value: 10 }, reservations: [{ type: 'DYNAMIC', role: 'web' }] }, ...wire('cpus(web):1')]);
  assert.is(dynamic.resources, 'cpus(web):1');
  assert.equal(dynamic.ignored, ['disk: a dynamic reservation']);
});

test("one agent of the configuration per agent of the master, in the master's order", () => {
  const given = withAgentsOf(tiny(2), master.url(), [
    { id: 'S1', hostname: 'b', resources: 'cpus:3', ignored: [] },
    { id: 'S0', hostname: 'a', resources: 'cpus:1', ignored: [] },
    { id: 'S2', hostname: 'c', resources: 'cpus:9', ignored: [] },
  ]);
  assert.type(given, 'object');
  if (typeof given === 'string') return;
  assert.equal(given.config.agents, [{ resources: 'cpus:3' }, { resources: 'cpus:1' }]);
  assert.is(given.source.unused, 1);
  assert.is(withAgentsOf(tiny(3), master.url(), []), `the configuration tiny needs 3 agents; the master at ${master.url()} has 0`);
});

test("generate --agents-from explores with the master's agents' resources and records them in the manifest", async () => {
  const out = join(dir, 'suite');
  const r = await generate('--config', join(dir, 'one.json'), '--agents-from', master.url(), '--out', out);
  assert.is(r.status, 0, r.stderr + r.stdout);
  assert.match(
    r.stdout,
    `  agents from the master at ${master.url()} (the model is explored with their resources):\n    agent-0: cpus:3;mem:2048;ports:[31000-31009] (agent S1 on host-b)\n`,
  );
  assert.match(
    r.stderr,
    `'--agents-from': agent S1: left out of its resources, the model does not know them: gpus: GPUs (the model has no GPU_RESOURCES capability); cpus: revocable\n`,
  );
  assert.match(r.stderr, `'--agents-from': the master has 2 agents, the configuration 1: the last one is not used`);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  assert.ok(modelSchema('Manifest.json')(manifest), errorsOf(modelSchema('Manifest.json')));
  assert.equal(manifest.config.agents, [{ resources: 'cpus:3;mem:2048;ports:[31000-31009]' }]);
  assert.equal(manifest.agentsFrom, {
    master: master.url(),
    agents: [
      { id: 'S1', hostname: 'host-b', resources: 'cpus:3;mem:2048;ports:[31000-31009]', ignored: ['gpus: GPUs (the model has no GPU_RESOURCES capability)', 'cpus: revocable'] },
    ],
    unused: 1,
  });
  // The scenarios' environment, and so what the runner's preflight asks of the master, is the master's agent.
  const first = JSON.parse(readFileSync(join(out, manifest.scenarios[0]!.file), 'utf8')) as { environment: { agents: { resources: string }[] } };
  assert.equal(
    first.environment.agents.map((a) => a.resources),
    ['cpus:3;mem:2048;ports:[31000-31009]'],
  );
  assert.match(readFileSync(join(out, 'README.md'), 'utf8'), `--agents-from ${master.url()}`);
});

test('too few agents, an unreachable master and a bad URL are exit 2 naming --agents-from', async () => {
  const few = await generate('--config', join(dir, 'three.json'), '--agents-from', master.url(), '--out', join(dir, 'x'));
  assert.is(few.status, 2, few.stdout);
  assert.is(few.stderr, `mesos-ref conformance generate: '--agents-from': the configuration tiny needs 3 agents; the master at ${master.url()} has 2\n`);
  const gone = await generate('--config', join(dir, 'one.json'), '--agents-from', 'http://127.0.0.1:9', '--out', join(dir, 'x'));
  assert.is(gone.status, 2, gone.stdout);
  assert.is(gone.stderr, "mesos-ref conformance generate: '--agents-from': http://127.0.0.1:9 does not answer as a Mesos master: cannot connect: ECONNREFUSED\n");
  const bad = await generate('--agents-from', 'ftp://x', '--out', join(dir, 'x'));
  assert.is(bad.status, 2);
  assert.match(bad.stderr, "'--agents-from': only http:// masters are supported");
  const all = await generate('--all', '--agents-from', master.url(), '--out', join(dir, 'x'));
  assert.is(all.status, 2);
  assert.match(all.stderr, "'--agents-from': not with --all");
});

test.run();
