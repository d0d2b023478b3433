/**
 * The executor's link to its agent on its own (`npm run bench -- cluster-executor-link
 * [--updates N] [--repeat N]`): a real agent (`mesos-ref agent`, group commit) under a fake
 * master that acknowledges every update, with this process as the executor of a fresh task for
 * each burst, as in
 * test/impl/agent-checkpoint-durable.test.ts. A burst of `--updates` (default 90, a group of 30's
 * STARTING, RUNNING and FINISHED) TASK_RUNNING updates is posted at once through
 * impl/executor/agent-calls.ts, once per link mode (`serial`: one call at a time, the former link;
 * `pipelined`: every call written at once on one connection), the modes taking turns for
 * `--repeat` rounds (default 5). Reported: the time from the first post to the last 202 (every
 * update on disk), its median per mode, and the ratio in the same run; the agent answers each
 * 202 only once its update's checkpoint is on disk, in either mode.
 *
 * The cluster bench's task groups pay this and more (launching the tasks, the acknowledgements
 * through the master and the scheduler); this isolates what the link itself costs.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { AgentCalls, EXECUTOR_LINK_MODES, type ExecutorLinkMode } from '../impl/executor/agent-calls.ts';
import { openRecordIO, type RecordIOStream } from '../impl/http/client.ts';
import { cleanupAgent, startAgentProcess, tempDir, type AgentProcess } from '../test/support/agent-process.ts';
import { eventually } from '../test/support/eventually.ts';
import { FakeMaster } from '../test/support/fake-master.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer, not '${args[i + 1]}'`);
  return v;
}

/** A random version-4 UUID, Base64 (as executors send them). */
function uuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString('base64');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(args: string[] = []): Promise<void> {
  const updates = arg(args, 'updates', 90);
  const repeat = arg(args, 'repeat', 5);
  const FW = 'F-link';
  const workDir = tempDir('mesos-ref-bench-executor-link-');
  const master = await FakeMaster.start({ autoAck: true });
  let agent: AgentProcess | undefined;
  const streams: RecordIOStream[] = [];
  try {
    agent = await startAgentProcess({ master: master.url, workDir, args: ['--executor-command', 'sleep 120', '--no-authenticate-http-executors'] });
    await master.waitFor((r) => r.message.type === 'REGISTER_AGENT', 15_000, 'registration');
    const api = `${agent.url}/api/v1/executor`;
    // A fresh task (and executor) for every burst: a task's stream of updates grows with each one,
    // and so would the agent's cost of the next.
    let tasks = 0;
    const freshExecutor = async () => {
      const task = `link-task-${++tasks}`;
      master.runTask({ user: 'bench', name: 'link', id: { value: FW }, checkpoint: true }, { name: task, task_id: { value: task }, command: { value: 'true' } });
      const ids = { framework_id: { value: FW }, executor_id: { value: task } };
      const events: string[] = [];
      await eventually(
        async () => {
          const s = await openRecordIO(api, JSON.stringify({ type: 'SUBSCRIBE', ...ids, subscribe: {} }), {}, { onRecord: (r) => events.push(r), onEnd: () => {} });
          if (s.status === 200) return streams.push(s);
          s.close();
          return undefined;
        },
        10_000,
        'the executor subscription',
      );
      await eventually(() => (events.some((e) => e.includes('"LAUNCH"')) ? true : undefined), 10_000, 'the task launched on the executor');
      return { task, ids };
    };
    const failures: string[] = [];
    const links = new Map(EXECUTOR_LINK_MODES.map((mode) => [mode, new AgentCalls(agent!.url, undefined, (l) => failures.push(l), mode)]));
    const times = new Map<ExecutorLinkMode, number[]>(EXECUTOR_LINK_MODES.map((m) => [m, []]));
    const order: ExecutorLinkMode[] = ['serial', 'pipelined'];
    for (let r = 0; r < repeat; r++) {
      for (const mode of order) {
        const calls = links.get(mode)!;
        const { task, ids } = await freshExecutor();
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: updates }, () =>
            calls.send({ type: 'UPDATE', ...ids, update: { status: { task_id: { value: task }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: uuid() } } }),
          ),
        );
        times.get(mode)!.push(performance.now() - t0);
      }
    }
    if (failures.length > 0) throw new Error(`calls failed: ${failures.slice(0, 3).join('; ')}`);
    console.log(
      `${updates} updates posted at once by one executor to a real agent (group commit), first post -> last 202, ${repeat} rounds per link mode, the modes taking turns:`,
    );
    for (const mode of order) {
      const t = times.get(mode)!;
      console.log(
        `  executor link ${mode.padEnd(9)} median ${median(t).toFixed(1)} ms (${t.length > 1 ? t.map((x) => x.toFixed(0)).join(', ') : ''} ms)  = ${((updates * 1000) / median(t)).toFixed(0)} updates/s`,
      );
    }
    console.log(`executor link pipelined against serial, same run: ${(median(times.get('pipelined')!) / median(times.get('serial')!)).toFixed(2)}x the time`);
  } finally {
    for (const s of streams) s.close();
    await cleanupAgent(agent, workDir);
    await master.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
