/**
 * Trace validation: a real master and agent record every step (`--trace`); the recorded traces
 * of a task run to the end replay against the spec step for step, and a tampered trace is
 * rejected at the line that was changed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster } from '../../impl/master/server.ts';
import { eventually } from '../support/eventually.ts';
import { cleanupAgent, startAgentProcess, type AgentProcess } from '../support/agent-process.ts';
import { SchedulerClient, commandTask } from '../../impl/scheduler-client/index.ts';
import { readTraceFile } from '../../impl/trace/read.ts';
import { validateWorld } from '../../impl/trace/world.ts';

const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-trace-'));
const masterTrace = join(dir, 'master.jsonl');
const agentTrace = join(dir, 'agent.jsonl');

let judgedFiles = 0;

/** A trace's lines judged as `validate-trace FILE` judges a file given alone (impl/trace/world.ts). */
function validateTrace(lines: readonly string[]): { ok: boolean; steps: number; problem?: { line: number; message: string } } {
  const file = join(dir, `judged-${judgedFiles++}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  const read = readTraceFile(file);
  const world = read.ok ? validateWorld([read.value], false) : read;
  if (!world.ok) return { ok: false, steps: 0, problem: { line: -1, message: world.error } };
  return { ok: world.value.ok, steps: world.value.steps, ...(world.value.problem ? { problem: world.value.problem } : {}) };
}

test.before(async () => {
  const master = await startMaster({ port: 0, trace: masterTrace, flags: { allocationIntervalMs: 50 }, log: () => {} });
  let agent: AgentProcess | undefined;
  const client = new SchedulerClient({
    master: master.url,
    framework_info: { user: 'root', name: 'traced', failover_timeout: 60 },
    tasks: [commandTask('t1', 'echo traced', 0.1, 32)],
  });
  try {
    mkdirSync(join(dir, 'agent'), { recursive: true });
    agent = await startAgentProcess({ master: master.url, workDir: join(dir, 'agent'), args: ['--resources', 'cpus:1;mem:256', '--trace', agentTrace] });
    await client.subscribed();
    await eventually(() => client.context.seen['t1'] === 'TASK_FINISHED', 30_000, 'the task to finish');
    await eventually(() => Object.keys(master.context.frameworks[client.context.framework_id!]!.tasks).length === 0, 10_000, 'the terminal ack');
  } finally {
    await client.close();
    await master.close();
    await cleanupAgent(agent, join(dir, 'agent'));
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the recorded master and agent traces replay against the spec, step for step', () => {
  for (const file of [masterTrace, agentTrace]) {
    const v = validateTrace(readFileSync(file, 'utf8').split('\n'));
    assert.ok(v.ok, `${file}: ${JSON.stringify(v.problem)}`);
    // Registration, the launch, three updates and their acknowledgements at least (the last
    // acknowledgement may still be on its way to the agent when the test stops it).
    assert.ok(v.steps >= 8, `${file}: only ${v.steps} steps`);
  }
});

test('mesos-ref validate-trace accepts them and exits 0', () => {
  const r = spawnSync(process.execPath, [bin, 'validate-trace', masterTrace, agentTrace], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, 'every one allowed by the spec');
});

test('a tampered trace is rejected at the line that was changed', () => {
  const lines = readFileSync(masterTrace, 'utf8').trimEnd().split('\n');
  // Make the master report a task state the agent never sent.
  const at = lines.findIndex((l) => l.includes('"STATUS_UPDATE"') && l.includes('TASK_RUNNING'));
  assert.ok(at > 0, 'the trace has a RUNNING update');
  const tampered = [...lines];
  tampered[at] = tampered[at]!.replace(/"TASK_RUNNING"/g, '"TASK_FAILED"');
  const file = join(dir, 'tampered.jsonl');
  writeFileSync(file, tampered.join('\n') + '\n');
  const v = validateTrace(tampered);
  assert.not.ok(v.ok);
  assert.is(v.problem!.line, at + 1);
  assert.match(v.problem!.message, 'does not allow this step');
  const r = spawnSync(process.execPath, [bin, 'validate-trace', file], { encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.match(r.stdout, `line ${at + 1}`);
});

test('a step the spec cannot take at all is reported too (a timer that is not pending)', () => {
  const lines = readFileSync(agentTrace, 'utf8').trimEnd().split('\n');
  const last = JSON.parse(lines[lines.length - 1]!) as { seq: number; component: string };
  const forged = [...lines, JSON.stringify({ seq: last.seq + 1, component: last.component, machine: 'agent', kind: 'timer', timer: 'no-such-timer', after: '{}', at: 0 })];
  const v = validateTrace(forged);
  assert.not.ok(v.ok);
  assert.is(v.problem!.line, forged.length);
  assert.match(v.problem!.message, "timer 'no-such-timer' fires");
});

test('an empty trace is exit 2, not a proof: it names the file', () => {
  const file = join(dir, 'empty.jsonl');
  writeFileSync(file, '');
  const r = spawnSync(process.execPath, [bin, 'validate-trace', file], { encoding: 'utf8' });
  assert.is(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, `'${file}': no step recorded`);
});

test.run();
