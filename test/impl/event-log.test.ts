/**
 * Logs a person can read: the master writes one line per framework, agent and task event, in
 * glog's format, and --log_level drops the levels below it.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster } from '../../impl/master/server.ts';
import { logger, parseLogLevel } from '../../impl/log.ts';
import { run } from '../../cli/run.ts';
import { FakeAgent } from '../support/fake-agent.ts';

test('glog lines, and --log_level drops the levels below it', () => {
  const lines: string[] = [];
  const log = logger('master', 'warning', (l) => lines.push(l));
  log.info('hidden');
  log.warning('shown');
  log.error('also shown');
  assert.is(lines.length, 2);
  assert.match(lines[0]!, /^W\d{4} \d\d:\d\d:\d\d\.\d{6} master\] shown$/);
  assert.match(lines[1]!, /^E\d{4} .* master\] also shown$/);
  assert.is(parseLogLevel('INFO'), 'info');
  assert.is(parseLogLevel('verbose'), undefined);
});

test('the master logs every framework, agent and task event, one line each', async () => {
  const events: string[] = [];
  const master = await startMaster({ port: 0, flags: { allocationIntervalMs: 50 }, log: () => {}, events: (l) => events.push(l) });
  const agent = await new FakeAgent({ master: master.url, port: 1 }).start();
  try {
    const code = await run({
      master: master.url,
      command: 'true',
      cpus: 0.1,
      mem: 32,
      instances: 2,
      name: 'logged',
      checkpoint: false,
      partitionAware: false,
      out: () => {},
      err: () => {},
    });
    assert.is(code, 0);
    const text = events.join('\n');
    assert.match(text, /^Registered agent \S+ at \S+:\d+$/m);
    assert.match(text, /^Added framework \S+ \(logged\)$/m);
    for (const t of ['logged-0', 'logged-1']) {
      assert.match(text, new RegExp(`^Added task ${t} of framework \\S+ \\(logged\\) on agent \\S+ at \\S+ in TASK_STAGING$`, 'm'));
      assert.match(text, new RegExp(`^Task ${t} of framework \\S+ is now TASK_RUNNING \\(was TASK_STAGING\\)$`, 'm'));
      assert.match(text, new RegExp(`^Task ${t} of framework \\S+ is now TASK_FINISHED \\(was TASK_RUNNING\\)$`, 'm'));
    }
    assert.match(text, /^Removed framework \S+ \(logged\)$/m);
    assert.ok(
      events.every((l) => !l.includes('\n')),
      'one line each',
    );
  } finally {
    agent.close();
    await master.close();
  }
});

test("mesos-ref master and agent refuse a bad --log_level, naming it, and take Mesos's --logging_level", () => {
  const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
  for (const args of [
    ['master', '--log_level=verbose'],
    ['agent', '--master', 'http://127.0.0.1:1', '--logging_level', 'loud'],
  ]) {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /--log_level'?: expected info, warning or error, got '(verbose|loud)'/);
  }
});

test.run();
