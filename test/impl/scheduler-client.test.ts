/**
 * The scheduler client (the scheduler machine over HTTP) and `mesos-ref run` against a real
 * master on loopback: tasks to the end with acknowledgements, kill, teardown, re-subscription
 * with the same framework id after the master goes away, backoff while it is unreachable; then
 * `run` with a fake agent, and once with the real `mesos-ref agent` when it exists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster } from '../../impl/master/server.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { operatorCall } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import { SchedulerClient, commandTask } from '../../impl/scheduler-client/index.ts';
import { parseRunFlags, run } from '../../cli/run.ts';
import type { SchedulerEvent } from '../../spec/protocol/scheduler.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FAST = { allocationIntervalMs: 30 };
const quiet = () => {};
const fw = (name: string, failover = 60) => ({ user: 'root', name, failover_timeout: failover });

test('launches its tasks, acknowledges every update, emits every event, tears down', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  const agent = await new FakeAgent({ master: master.url }).start();
  const client = new SchedulerClient({ master: master.url, framework_info: fw('three'), tasks: ['a', 'b', 'c'].map((t) => commandTask(t, 'true', 0.5, 64)) });
  const events: SchedulerEvent[] = [];
  client.on('event', (e) => events.push(e));
  try {
    const fid = await client.subscribed();
    assert.match(fid, new RegExp(`^${master.id}-0000$`));
    await eventually(() => ['a', 'b', 'c'].every((t) => client.context.seen[t] === 'TASK_FINISHED'), 5000, 'three finished tasks');
    await eventually(() => agent.tasks.size === 0, 2000, 'every update acknowledged at the agent');
    assert.is(events[0]!.type, 'SUBSCRIBED');
    assert.is(events[1]!.type, 'HEARTBEAT');
    assert.ok(events.some((e) => e.type === 'OFFERS'));
    assert.is(events.filter((e) => e.type === 'UPDATE').length, 6);
    assert.equal(Object.keys(client.context.log).sort(), ['a', 'b', 'c']);
    const answer = await client.teardown();
    assert.is(answer?.status, 202);
    assert.ok(client.isStopped);
    await eventually(() => master.context.completedFrameworks.includes(fid), 2000, 'the framework removed');
    assert.equal(master.violations, []);
  } finally {
    await client.close();
    agent.close();
    await master.close();
  }
});

test('kill() asks the machine to kill a running task', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  const agent = await new FakeAgent({ master: master.url, script: () => ['TASK_RUNNING'] }).start();
  const client = new SchedulerClient({ master: master.url, framework_info: fw('killer'), tasks: [commandTask('forever', 'sleep 1000', 0.5, 64)] });
  try {
    await eventually(() => client.context.seen['forever'] === 'TASK_RUNNING', 5000, 'the task to run');
    client.kill('forever');
    await eventually(() => client.context.seen['forever'] === 'TASK_KILLED', 3000, 'TASK_KILLED');
    assert.ok(agent.received.some((m) => m.type === 'KILL_TASK'));
  } finally {
    await client.close();
    agent.close();
    await master.close();
  }
});

test('a master that goes away: LINK_BROKEN, backoff, re-subscription with the same framework id', async () => {
  const first = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  const port = first.port;
  const client = new SchedulerClient({
    master: first.url,
    framework_info: fw('persistent', 3600),
    tasks: [],
    resubscribe_delay_ms: 20,
    backoff_min_ms: 20,
    backoff_max_ms: 200,
  });
  let disconnections = 0;
  const at: number[] = [];
  client.on('disconnected', () => {
    disconnections++;
    at.push(performance.now());
  });
  try {
    const fid = await client.subscribed();
    await first.close();
    await eventually(() => disconnections >= 1, 2000, 'the broken stream to be noticed');
    // Unreachable for a while: attempts back off (20 ms doubling to 200 ms, each wait jittered to
    // 0.5-1x), so the fifth disconnection comes at least (20 + 40 + 80) / 2 ms after the first;
    // without backoff, a few ms (16 ms measured).
    await eventually(() => disconnections >= 5, 10_000, 'four more attempts');
    const took = at[4]! - at[0]!;
    assert.ok(took >= 70, `five disconnections in ${took.toFixed(0)} ms: no backoff`);
    const second = await startMaster({ port, checkInvariants: true, flags: FAST, log: quiet });
    try {
      await eventually(() => client.context.subscriptions === 2, 3000, 'the re-subscription');
      assert.is(client.frameworkId, fid);
      const fws = (await operatorCall(second.url, { type: 'GET_FRAMEWORKS' })).json as {
        get_frameworks: { frameworks: { framework_info: { id: { value: string } }; connected: boolean }[] };
      };
      assert.equal(
        fws.get_frameworks.frameworks.map((f) => [f.framework_info.id.value, f.connected]),
        [[fid, true]],
      );
    } finally {
      await client.close();
      await second.close();
    }
  } finally {
    await client.close();
  }
});

test('an ERROR from the master stops the machine', async () => {
  const master = await startMaster({ port: 0, flags: FAST, log: quiet });
  const client = new SchedulerClient({ master: master.url, framework_info: { ...fw('bad'), roles: ['x'] }, tasks: [] });
  try {
    await new Promise<void>((r) => client.once('stopped', () => r()));
    assert.ok(client.isStopped);
  } finally {
    await client.close();
    await master.close();
  }
});

// ------------------------------------------------------------------------------------ mesos-ref run

test('run: flags are checked and a bad one is named', () => {
  const base = { master: 'http://127.0.0.1:5050', command: 'true', cpus: '0.1', mem: '32', instances: '1', name: 'n' };
  assert.ok(parseRunFlags(base).ok);
  assert.ok(parseRunFlags({ ...base, killAfter: '10secs', resources: 'cpus:1;mem:64', env: '{"A":"b"}', role: 'eng/web', offerWait: '500ms', masterTimeout: '2' } as never).ok);
  const cases: [Partial<typeof base> & { killAfter?: string; resources?: string; env?: string; role?: string; offerWait?: string; masterTimeout?: string }, string][] = [
    [{ master: undefined }, '--master'],
    [{ master: 'ftp://x' }, '--master'],
    [{ command: '' }, '--command'],
    [{ cpus: '0' }, '--cpus'],
    [{ cpus: 'lots' }, '--cpus'],
    [{ mem: '-1' }, '--mem'],
    [{ instances: '0' }, '--instances'],
    [{ instances: '1.5' }, '--instances'],
    [{ name: 'a/b' }, '--name'],
    [{ killAfter: 'soon' }, '--kill_after'],
    [{ resources: 'cpus:lots' }, '--resources'],
    [{ env: '{"A":1}' }, '--env'],
    [{ env: '[]' }, '--env'],
    [{ role: '' }, '--role'],
    [{ offerWait: '-1' }, '--offer_wait'],
    [{ masterTimeout: 'never' }, '--master_timeout'],
  ];
  for (const [patch, flag] of cases) {
    const r = parseRunFlags({ ...base, ...patch } as Parameters<typeof parseRunFlags>[0]);
    assert.ok(!r.ok && r.error.startsWith(flag), `${JSON.stringify(patch)} -> ${r.ok ? 'ok' : r.error}`);
  }
});

test('run: the CLI exits 2 on a bad flag', async () => {
  const child = spawn(process.execPath, ['bin/mesos-ref.mjs', 'run', '--master', 'http://127.0.0.1:1', '--command', 'true', '--cpus', 'x'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.is(code, 2);
  assert.match(stderr, /--cpus/);
});

test('run: N tasks through a fake agent, updates printed, stdout unavailable noted, exit 0; a failure exits 1', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  const agent = await new FakeAgent({ master: master.url, port: 1 }).start();
  try {
    const lines: string[] = [];
    const options = {
      master: master.url,
      command: 'echo hi',
      cpus: 0.1,
      mem: 32,
      instances: 3,
      name: 'job',
      checkpoint: false,
      partitionAware: true,
      out: (l: string) => lines.push(l),
      err: quiet,
    };
    assert.is(await run(options), 0, lines.join('\n'));
    for (const t of ['job-0', 'job-1', 'job-2']) {
      assert.ok(lines.includes(`TASK_RUNNING  ${t}`), lines.join('\n'));
      assert.ok(lines.includes(`TASK_FINISHED  ${t}`));
      assert.ok(lines.some((l) => l.startsWith(`(stdout of ${t} unavailable:`)));
    }
    assert.match(lines[0]!, /^Subscribed with ID /);
    assert.is(lines[lines.length - 1], '3 of 3 task(s) finished');
    await eventually(() => master.context.completedFrameworks.length === 1, 2000, 'the teardown');

    const failing = new FakeAgent({ master: master.url, script: () => ['TASK_RUNNING', 'TASK_FAILED'] });
    agent.close();
    await failing.start();
    const lines2: string[] = [];
    assert.is(await run({ ...options, instances: 1, name: 'bad', out: (l: string) => lines2.push(l) }), 1);
    assert.ok(lines2.includes('TASK_FAILED  bad'), lines2.join('\n'));
    failing.close();
    assert.equal(master.violations, []);
  } finally {
    agent.close();
    await master.close();
  }
});

test('run: a master it cannot reach ends the run after --master_timeout, saying so', async () => {
  const port = await freePort();
  const lines: string[] = [];
  const t0 = Date.now();
  const code = await run({
    master: `http://127.0.0.1:${port}`,
    command: 'true',
    cpus: 0.1,
    mem: 32,
    instances: 1,
    name: 'nowhere',
    checkpoint: false,
    partitionAware: false,
    masterTimeoutSeconds: 1,
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  assert.is(code, 1);
  assert.ok(Date.now() - t0 < 10_000, 'bounded');
  assert.ok(
    lines.some((l) => l.startsWith(`Giving up: could not subscribe to the master at http://127.0.0.1:${port} within 1 s`)),
    lines.join('\n'),
  );
  assert.ok(
    lines.every((l) => !/\d\.\d{3,} ms/.test(l)),
    `durations rounded:\n${lines.join('\n')}`,
  );
});

test('run: while no offer fits, it says so and names the largest offer', async () => {
  const master = await startMaster({ port: 0, flags: FAST, log: quiet });
  const agent = await new FakeAgent({ master: master.url, port: 1 }).start();
  const stop = new AbortController();
  try {
    const lines: string[] = [];
    const running = run({
      master: master.url,
      command: 'true',
      cpus: 100,
      mem: 32,
      instances: 1,
      name: 'huge',
      checkpoint: false,
      partitionAware: false,
      offerWaitSeconds: 0.3,
      signal: stop.signal,
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    await eventually(() => lines.some((l) => l.startsWith('No offer has fit for ')), 10_000, `the note (lines: ${lines.join(' | ')})`);
    const note = lines.find((l) => l.startsWith('No offer has fit for '))!;
    assert.match(note, /each task needs cpus:100\b.*mem:32\b/);
    assert.match(note, /the largest offer was cpus:\S+/);
    stop.abort();
    assert.is(await running, 1);
  } finally {
    agent.close();
    await master.close();
  }
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('run: a real task through the real `mesos-ref agent`', async () => {
  const master = await startMaster({ port: 0, checkInvariants: true, flags: FAST, log: quiet });
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-agent-'));
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    child = spawn(process.execPath, ['bin/mesos-ref.mjs', 'agent', '--master', master.url, '--port', String(port), '--work-dir', dir, '--resources', 'cpus:2;mem:1024'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await eventually(() => Object.values(master.context.agents).some((a) => a.address !== null), 15_000, `the agent to register (agent said: ${output})`);
    const lines: string[] = [];
    const resources = [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 0.2 } }];
    const code = await run({
      master: master.url,
      command: 'echo hello-from-a-real-task $GREETING',
      cpus: 0.1,
      mem: 32,
      resources,
      env: { GREETING: 'from-env' },
      instances: 1,
      name: 'real',
      checkpoint: false,
      partitionAware: false,
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    assert.is(code, 0, lines.join('\n'));
    assert.ok(lines.includes('TASK_FINISHED  real'), lines.join('\n'));
    assert.ok(
      lines.some((l) => l.includes('hello-from-a-real-task from-env')),
      `stdout printed:\n${lines.join('\n')}`,
    );
    assert.ok(
      lines.some((l) => /^Task real is on agent \S+ \(\S+\)$/.test(l)),
      lines.join('\n'),
    );
    const failed: string[] = [];
    const code2 = await run({
      master: master.url,
      command: 'for i in $(seq 30); do echo line-$i >&2; done; exit 3',
      cpus: 0.1,
      mem: 32,
      instances: 1,
      name: 'failing',
      checkpoint: false,
      partitionAware: false,
      out: (l) => failed.push(l),
      err: (l) => failed.push(l),
    });
    assert.is(code2, 1);
    // The task's 30 lines and what the executor adds after them: the last 20 lines.
    const at = failed.findIndex((l) => /^--- stderr of failing \(last 20 of \d+ lines\) ---$/.test(l));
    assert.ok(at >= 0, failed.join('\n'));
    const tail = failed[at + 1]!.split('\n');
    assert.is(tail.length, 20);
    assert.ok(tail.includes('line-30') && !tail.includes('line-1'), failed[at + 1]);
    assert.equal(master.violations, []);
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await master.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
