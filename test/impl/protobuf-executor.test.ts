/**
 * The agent's executor API in protobuf, as libmesos's executor library speaks it: an executor
 * SUBSCRIBEs to /slave(1)/api/v1/executor with a protobuf body and reads SUBSCRIBED and LAUNCH as
 * protobuf records, sends its TASK_RUNNING update in protobuf, and gets the ACKNOWLEDGED event in
 * protobuf once the master (a fake one here) acknowledged it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeMaster } from '../support/fake-master.ts';
import { agentState, cleanupAgent, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { post, subscribe } from '../support/protobuf-http.ts';
import { encodeProtobuf } from '../../spec/protocol/protobuf.ts';

const FW = 'F-pb';
const TASK = 'pb-exec-task';

test('SUBSCRIBE, LAUNCH, UPDATE and ACKNOWLEDGED in protobuf on the executor API', async () => {
  const master = await FakeMaster.start();
  let agent: AgentProcess | undefined;
  const workDir = tempDir('mesos-ref-pb-executor-');
  try {
    // The agent "starts" the executor as `sleep`: this test is the executor.
    agent = await startAgentProcess({ master: master.url, workDir, args: ['--executor-command', 'sleep 60', '--no-authenticate-http-executors'] });
    await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
    master.runTask({ user: 'u', name: 'pb', id: { value: FW }, checkpoint: true }, { name: 't', task_id: { value: TASK }, command: { value: 'true' } });
    await eventually(async () => ((await agentState(agent!.url)).includes(TASK) ? true : undefined), 10_000, 'the queued task');

    const ids = { framework_id: { value: FW }, executor_id: { value: TASK } };
    const url = `${agent.url}/slave(1)/api/v1/executor`;
    const stream = await subscribe(url, 'RawExecutorEvent', encodeProtobuf('RawExecutorCall', { type: 'SUBSCRIBE', ...ids, subscribe: {} }));
    try {
      assert.is(stream.type, 'application/x-protobuf');
      const subscribed = await stream.next(5_000);
      assert.is(subscribed['type'], 'SUBSCRIBED');
      const launch = await stream.next(5_000);
      assert.is(launch['type'], 'LAUNCH');
      assert.is((launch['launch'] as { task: { task_id: { value: string } } }).task.task_id.value, TASK);
      const uuid = 'AAAAAAAAQACAAAAAAAAAAA==';
      const r = await post(
        url,
        encodeProtobuf('RawExecutorCall', { type: 'UPDATE', ...ids, update: { status: { task_id: { value: TASK }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid } } }),
      );
      assert.is(r.status, 202, Buffer.from(r.body).toString());
      const update = await master.waitForUpdate(TASK, 'TASK_RUNNING');
      master.ack(update);
      let acked: Record<string, unknown>;
      do acked = await stream.next(5_000);
      while (acked['type'] === 'HEARTBEAT');
      assert.is(acked['type'], 'ACKNOWLEDGED');
      assert.equal(acked['acknowledged'], { task_id: { value: TASK }, uuid });
    } finally {
      stream.close();
    }
  } finally {
    await cleanupAgent(agent, workDir);
    await master.close();
  }
});

test.run();
