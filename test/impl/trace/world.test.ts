/**
 * The world trace of a real cluster: `mesos-ref cluster --trace DIR` records the master and its
 * agents, a task runs to TASK_FINISHED, and `mesos-ref validate-trace DIR` merges the traces in
 * causal order and judges them clean. A seeded bug no single trace shows (an agent that runs a
 * task described otherwise than the master booked it, each trace replaying step for step) is
 * exit 1 naming the task, its change of state and the invariant; an empty, cut or incomplete
 * recording is exit 2 naming the file and line.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Child } from '../../../impl/process/children.ts';
import { mesosRefArgv } from '../../../impl/process/proc.ts';
import type { TraceRecord } from '../../../impl/host.ts';
import { readTraceFile, type TraceFile } from '../../../impl/trace/read.ts';
import { mergeTraces } from '../../../impl/trace/merge.ts';
import { validateWorld } from '../../../impl/trace/world.ts';
import { stepInvariants, type StepInvariant } from '../../../invariants/index.ts';
import { cleanupCluster, tempDir } from '../../support/agent-process.ts';
import { freePorts } from '../../support/free-ports.ts';
import { reRecord } from './re-record.ts';

const test = suite('validate-trace DIR: the world trace of a cluster');

let cluster: Child | undefined;
let workDir = '';
const scratch = mkdtempSync(join(tmpdir(), 'mesos-ref-world-trace-'));
const traces = join(scratch, 'trace');

const validate = (...args: string[]) => {
  const [node, ...bin] = mesosRefArgv();
  return spawnSync(node!, [...bin, 'validate-trace', ...args], { encoding: 'utf8', timeout: 30_000 });
};
const linesOf = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');
/** A copy of the recorded traces to break. */
const copy = (name: string): string => {
  const dir = join(scratch, name);
  cpSync(traces, dir, { recursive: true });
  return dir;
};
const read = (path: string): TraceFile => {
  const r = readTraceFile(path);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

test.before(async () => {
  workDir = tempDir('mesos-ref-world-trace-cluster-');
  const port = await freePorts(2);
  const argv = [...mesosRefArgv(), 'cluster', '--agents', '1', '--port', String(port), '--work-dir', workDir, '--no-authenticate', '--trace', traces];
  cluster = new Child('cluster', argv, { detached: false });
  await cluster.waitForLine(/^ready$/, 40_000);
  const out: string[] = [];
  const run = new Child('run', [...mesosRefArgv(), 'run', '--master', `http://127.0.0.1:${port}`, '--command', 'echo traced'], { onLine: (l) => out.push(l), detached: false });
  const ran = await Promise.race([run.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`run hung: ${out.join('\n')}`)), 30_000))]);
  assert.is(ran.code, 0, out.join('\n'));
  assert.match(out.join('\n'), /TASK_FINISHED/);
  cluster.signal('SIGINT');
  const exit = await Promise.race([cluster.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('cluster did not stop')), 20_000))]);
  assert.is(exit.code, 0);
});

test.after(async () => {
  await cleanupCluster(cluster, workDir);
  rmSync(scratch, { recursive: true, force: true });
});

test('the cluster wrote one trace per process, and validate-trace DIR judges them clean as one world', () => {
  const r = validate(traces);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, `${join(traces, 'master.jsonl')}: `);
  assert.match(r.stdout, `${join(traces, 'agent-0.jsonl')}: `);
  assert.match(r.stdout, /^world: \d+ steps of the master and 1 agent\(s\) \(agent-0\) in causal order, [1-9]\d* messages received after their sends$/m);
  assert.match(r.stdout, /^ {2}\d+ invariants hold after every step \(\d+ of them read the agents: tasksDescribedAlike, /m);
  assert.match(r.stdout, /^ {2}\d+ step invariants hold of every step of the master and the agents$/m);
  // What cannot be judged is said, with why.
  assert.match(r.stdout, /updatesInOrder.*: it reads a framework's own state/);
  assert.match(r.stdout, /agreeAtQuiescence.*: an eventually-property is judged in quiescent states/);
});

test('the merged order puts every receive after its send, whatever the clocks say', () => {
  // The agent's clock far behind the master's: ordering by time alone would put its receipts first.
  const dir = copy('skewed');
  const agentFile = join(dir, 'agent-0.jsonl');
  writeFileSync(
    agentFile,
    linesOf(agentFile)
      .map((l) => JSON.stringify({ ...(JSON.parse(l) as TraceRecord), at: 0 }))
      .join('\n') + '\n',
  );
  const files = [read(join(dir, 'agent-0.jsonl')), read(join(dir, 'master.jsonl'))];
  const merged = mergeTraces(files, true);
  assert.ok(merged.ok, merged.ok ? '' : merged.error);
  if (!merged.ok) return;
  const sentAt = new Map<string, number>();
  merged.value.steps.forEach((l, i) => l.record.sent?.forEach((id) => sentAt.set(id, i)));
  let receives = 0;
  merged.value.steps.forEach((l, i) => {
    if (l.record.received === undefined) return;
    receives++;
    assert.ok(sentAt.get(l.record.received)! < i, `${l.file.label} line ${l.line} receives ${l.record.received} before it is sent`);
  });
  assert.ok(receives >= 6, `only ${receives} receives`);
  // Both halves of the transport carry ids: the master's stream record to the agent, the agent's POST header to the master.
  for (const f of files)
    assert.ok(
      merged.value.steps.some((l) => l.file === f && l.record.received !== undefined),
      `${f.label} received no traced message`,
    );
  // Each file's own order is kept.
  for (const f of files) {
    const lines = merged.value.steps.filter((l) => l.file === f).map((l) => l.line);
    assert.equal(
      lines,
      [...lines].sort((a, b) => a - b),
    );
  }
  assert.is(validate(dir).status, 0);
});

test('seeded bug: an agent runs a task described otherwise than the master booked it: exit 1 naming the task, its change and the invariant', () => {
  const dir = copy('renamed');
  const agentFile = join(dir, 'agent-0.jsonl');
  const lines = linesOf(agentFile);
  const at = lines.findIndex((l) => l.includes('"type":"RUN_TASK"'));
  assert.ok(at > 0, 'the agent took a RUN_TASK');
  const task = (JSON.parse(lines[at]!) as { event: { task: { task_id: { value: string } } } }).event.task.task_id.value;
  // What the agent took is not what the master sent; each trace still replays step for step.
  writeFileSync(agentFile, reRecord(lines, at, (r) => ({ ...r, event: { ...r.event!, task: { ...(r.event!['task'] as object), name: 'renamed on the way' } } })).join('\n') + '\n');
  const r = validate(dir);
  assert.is(r.status, 1, r.stdout + r.stderr);
  const line = r.stdout.trim();
  assert.match(line, `${agentFile}: line ${at + 1}, agent-0: invariant tasksDescribedAlike is violated`);
  assert.match(line, `task ${task} on agent-0: none -> queued for its executor`);
  assert.match(line, 'agent-0 runs it with "renamed on the way"');
  // The agent named by its trace, not by the master's link to it.
  assert.not.match(line, /agent-conn-/);
});

test("seeded bug: a step invariant every agent's RUN_TASK breaks is judged on the agent's step, named with the step and the task", () => {
  const files = [read(join(traces, 'agent-0.jsonl')), read(join(traces, 'master.jsonl'))];
  const clean = validateWorld(files, true);
  assert.ok(clean.ok && clean.value.ok, JSON.stringify(clean));
  const seeded: StepInvariant = {
    name: 'seededNoRunTask',
    judges: 'agents',
    description: 'a seeded bug',
    step: (_before, event) => (event.type === 'RUN_TASK' ? 'a task arrived' : null),
  };
  const v = validateWorld(files, true, [...stepInvariants, seeded]);
  assert.ok(v.ok);
  if (!v.ok) return;
  assert.is(v.value.ok, false);
  assert.is(v.value.problem!.path, join(traces, 'agent-0.jsonl'));
  assert.is(v.value.problem!.component, 'agent-0');
  assert.match(
    v.value.problem!.message,
    /^step invariant seededNoRunTask is violated: agent-0 takes RUN_TASK \(task \S+ on agent-0: none -> queued for its executor\): a task arrived$/,
  );
});

test('a DIR with no trace, an empty trace, a cut last line, missing records, a receive whose send is missing: exit 2 naming the file and line', () => {
  const empty = join(scratch, 'nothing');
  cpSync(traces, empty, { recursive: true, filter: (p) => !p.endsWith('.jsonl') });
  let r = validate(empty);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, `'${empty}': no trace in it`);

  const dir = copy('empty');
  writeFileSync(join(dir, 'agent-0.jsonl'), '');
  r = validate(dir);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, `'${join(dir, 'agent-0.jsonl')}': no step recorded`);

  // A recording stopped mid-write: the last line is half a record.
  const cut = copy('cut');
  const master = join(cut, 'master.jsonl');
  const lines = linesOf(master);
  writeFileSync(master, [...lines.slice(0, -1), lines.at(-1)!.slice(0, 40)].join('\n'));
  r = validate(cut);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, `'${master}' line ${lines.length}: the trace is truncated: its last line is not complete JSON`);

  const holed = copy('holed');
  const agent = join(holed, 'agent-0.jsonl');
  const agentLines = linesOf(agent);
  writeFileSync(agent, [...agentLines.slice(0, 2), ...agentLines.slice(3)].join('\n') + '\n');
  r = validate(holed);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, `'${agent}' line 3: `);
  assert.match(r.stderr, 'records are missing');

  // The master's trace ends cleanly, but before the messages the agent's trace says it received.
  const short = copy('short');
  const shortMaster = join(short, 'master.jsonl');
  const masterLines = linesOf(shortMaster);
  const runTask = masterLines.findIndex((l) => l.includes('"type":"ACCEPT"'));
  assert.ok(runTask > 0, 'the master took an ACCEPT');
  writeFileSync(shortMaster, masterLines.slice(0, runTask).join('\n') + '\n');
  const agentTook = linesOf(join(short, 'agent-0.jsonl')).findIndex((l) => l.includes('"type":"RUN_TASK"'));
  r = validate(short);
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, `'${join(short, 'agent-0.jsonl')}' line ${agentTook + 1}: receives message `);
  assert.match(r.stderr, "its sender's trace was cut short");
  // Each refusal is one line.
  assert.is(r.stderr.trim().split('\n').length, 1);
});

test('cluster --trace refuses a directory that already holds traces (they would be merged with the new run)', () => {
  const [node, ...bin] = mesosRefArgv();
  const r = spawnSync(node!, [...bin, 'cluster', '--agents', '1', '--trace', traces], { encoding: 'utf8', timeout: 30_000 });
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /'--trace': .* already holds traces \(agent-0\.jsonl, master\.jsonl\)/);
  assert.not.match(r.stdout, /ready/);
});

test.run();
