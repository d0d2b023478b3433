/**
 * The write-ahead checkpoint under group commit (impl/agent/group-commit.ts): an update the agent
 * answered 202 is on disk, even when the agent is killed (SIGKILL) the moment the last 202 of a
 * burst arrives. Several updates are posted at once, so their checkpoints share writes; each
 * executor's 202 must still wait for the fsync that covers its own update. Run once per
 * checkpoint mode (`group`, the default, and `each`, one write+fsync per step), with the updates
 * posted on connections of their own; and once more under group commit with the updates pipelined
 * on one connection, as the executors post them (impl/executor/agent-calls.ts).
 *
 * The test is the executor (HTTP, `--no-authenticate-http-executors`); the agent runs `sleep`
 * in its place, and the fake master withholds acknowledgements, so every update stays pending.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeMaster } from '../support/fake-master.ts';
import { cleanupAgent, postJson, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { openRecordIO, type RecordIOStream } from '../../impl/http/client.ts';
import { PipelinedConnection } from '../../impl/http/pipelined-connection.ts';
import type { AgentCheckpoint } from '../../spec/machines/agent.ts';

const test = suite('agent checkpoint: acknowledged means durable');

const FW = 'F-durable';
const TASK = 'durable-task';
const BURST = 12;

/** A random version-4 UUID, Base64 (as executors send them). */
function uuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString('base64');
}

const cases = [
  { mode: 'group', pipelined: false },
  { mode: 'each', pipelined: false },
  { mode: 'group', pipelined: true },
] as const;

for (const { mode, pipelined } of cases) {
  test(`--checkpoint-mode ${mode}: ${BURST} updates at once${pipelined ? ', pipelined on one connection' : ''}, SIGKILL at the last 202: every one is in the checkpoint`, async () => {
    const workDir = tempDir(`mesos-ref-agent-durable-${mode}-`);
    const master = await FakeMaster.start({ autoAck: false });
    let agent: AgentProcess | undefined;
    let stream: RecordIOStream | undefined;
    try {
      agent = await startAgentProcess({
        master: master.url,
        workDir,
        args: ['--executor-command', 'sleep 120', '--no-authenticate-http-executors', '--checkpoint-mode', mode],
      });
      await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
      master.runTask({ user: 'tester', name: 'durable', id: { value: FW }, checkpoint: true }, { name: TASK, task_id: { value: TASK }, command: { value: 'true' } });
      const api = `${agent.url}/api/v1/executor`;
      const ids = { framework_id: { value: FW }, executor_id: { value: TASK } };
      const events: string[] = [];
      // SUBSCRIBE until the agent knows the executor (RUN_TASK may still be on its way).
      await eventually(
        async () => {
          const s = await openRecordIO(api, JSON.stringify({ type: 'SUBSCRIBE', ...ids, subscribe: {} }), {}, { onRecord: (r) => events.push(r), onEnd: () => {} });
          if (s.status === 200) return (stream = s);
          s.close();
          return undefined;
        },
        10_000,
        'the executor subscription',
      );
      await eventually(() => (events.some((e) => e.includes('"LAUNCH"')) ? true : undefined), 10_000, 'the task launched on the executor');

      const uuids = Array.from({ length: BURST }, uuid);
      const connection = pipelined ? new PipelinedConnection(new URL(api)) : undefined;
      const answers = await Promise.all(
        uuids.map(async (u) => {
          const body = JSON.stringify({ type: 'UPDATE', ...ids, update: { status: { task_id: { value: TASK }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: u } } });
          const r = connection ? await connection.request('POST', { 'Content-Type': 'application/json', Accept: 'application/json' }, body) : await postJson(api, body);
          // Killed at the first moment every update has been answered.
          if (r.status === 202 && (answered += 1) === BURST) agent!.child.signal('SIGKILL');
          return r.status;
        }),
      );
      assert.equal(answers, Array(BURST).fill(202));
      await agent.child.exited;
      connection?.close();

      const checkpoint = JSON.parse(readFileSync(join(workDir, 'meta', 'checkpoint.json'), 'utf8')) as AgentCheckpoint;
      const received = checkpoint.streams[FW]?.[TASK]?.received ?? [];
      assert.equal(
        uuids.filter((u) => !received.includes(u)),
        [],
        'acknowledged updates missing from the checkpoint',
      );
    } finally {
      stream?.close();
      await cleanupAgent(agent, workDir);
      await master.close();
    }
  });
}

let answered = 0;
test.before.each(() => {
  answered = 0;
});

test.run();
