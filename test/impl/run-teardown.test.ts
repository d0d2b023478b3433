/**
 * `mesos-ref run` after an operator tears its framework down: it stops, says why (the master's
 * ERROR message when it resubscribes: "Framework has been removed"), and exits non-zero; it
 * does not keep resubscribing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster } from '../../impl/master/server.ts';
import { FakeAgent } from '../support/fake-agent.ts';
import { operatorCall } from '../support/master-http.ts';
import { eventually } from '../support/eventually.ts';
import { run } from '../../cli/run.ts';
import { request } from '../../impl/http/client.ts';

test('run: an operator TEARDOWN ends the run with the reason and exit 1, without resubscribing again', async () => {
  const master = await startMaster({ port: 0, flags: { allocationIntervalMs: 30 }, log: () => {} });
  // The task reports RUNNING and never ends.
  const agent = await new FakeAgent({ master: master.url, script: () => ['TASK_RUNNING'] }).start();
  const lines: string[] = [];
  try {
    const running = run({
      master: master.url,
      command: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      instances: 1,
      name: 'torn',
      checkpoint: false,
      partitionAware: false,
      masterTimeoutSeconds: 10,
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    await eventually(() => lines.includes('TASK_RUNNING  torn'), 10_000, `TASK_RUNNING (lines: ${lines.join(' | ')})`);
    const fid = Object.keys(master.context.frameworks)[0]!;
    const answer = await operatorCall(master.url, { type: 'TEARDOWN', teardown: { framework_id: { value: fid } } });
    assert.is(answer.status, 200);
    // A run that keeps resubscribing never ends: bounded by a deadline, not a sleep.
    const code = await Promise.race([running, new Promise<string>((r) => setTimeout(() => r('still running after 15 s'), 15_000).unref())]);
    assert.is(code, 1, lines.join('\n'));
    assert.ok(
      lines.some((l) => l.includes('Framework has been removed')),
      `the reason is said:\n${lines.join('\n')}`,
    );
    const metrics = JSON.parse((await request(`${master.url}/metrics/snapshot`)).body) as Record<string, number>;
    assert.ok(metrics['master/messages_reregister_framework']! <= 1, `resubscribed ${metrics['master/messages_reregister_framework']} times`);
  } finally {
    agent.close();
    await master.close();
  }
});

test.run();
