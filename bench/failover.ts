/**
 * Master failover on ZooKeeper (`npm run bench -- failover [--rounds 5] [--session 2secs]`):
 * a ZooKeeper server, three `mesos-ref master --zk` processes, one agent following the leader
 * and a framework (the scheduler client on a leader detector) with a long task. Each round:
 * kill -9 the leader (a replacement master is started, as a supervisor would), and time from the
 * kill to the new leader seen in ZooKeeper and to the framework's next SUBSCRIBED from it.
 * Baseline, in the same run: the ZooKeeper session timeout, the wait no detector can skip
 * (the dead leader's node goes only when its session expires); the ratio says what the rest
 * (election, registry recovery, resubscription) adds to it.
 *
 * Plain lines a README can quote; nothing is asserted.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandTask, SchedulerClient } from '../impl/scheduler-client/index.ts';
import { followMaster } from '../impl/zk/follow.ts';
import { parseZkUrl } from '../impl/zk/url.ts';
import { parseDuration } from '../spec/protocol/duration.ts';
import { cleanupAgent, startAgentProcess, type AgentProcess } from '../test/support/agent-process.ts';
import { startZkMasterProcess, type MasterProcess } from '../test/support/master-process.ts';
import { testZooKeeper } from '../test/support/zookeeper.ts';

const arg = (args: string[], name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(args: string[] = []): Promise<void> {
  const rounds = Number(arg(args, '--rounds', '5'));
  const session = arg(args, '--session', '2secs');
  const sessionMs = parseDuration(session);
  if (!Number.isInteger(rounds) || rounds < 1 || sessionMs === null) throw new Error('--rounds: a positive integer; --session: a duration such as 2secs');
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-bench-failover-'));
  const zk = await testZooKeeper();
  const masters: MasterProcess[] = [];
  let agent: AgentProcess | undefined;
  const zkUrl = zk.freshUrl();
  const parsed = parseZkUrl(zkUrl);
  if (!parsed.ok) throw new Error(parsed.error);
  const follower = await followMaster(parsed.url);
  const detector = follower.detector;
  let client: SchedulerClient | undefined;
  try {
    for (let i = 0; i < 3; i++) masters.push(await startZkMasterProcess(zkUrl, dir, session));
    await detector.waitForLeader();
    mkdirSync(join(dir, 'agent'));
    agent = await startAgentProcess({ master: zkUrl, workDir: join(dir, 'agent'), args: ['--log_level', 'warning'] });
    client = new SchedulerClient({
      master: detector,
      framework_info: { user: 'root', name: 'bench-failover', failover_timeout: 3600 },
      tasks: [commandTask('long', 'sleep 3600', 0.1, 32)],
      resubscribe_delay_ms: 100,
      backoff_min_ms: 100,
      backoff_max_ms: 500,
    });
    const c = client;
    await c.subscribed();
    await new Promise<void>((resolve) => c.on('event', (e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_RUNNING' && resolve()));
    const toLeader: number[] = [];
    const toSubscribed: number[] = [];
    console.log(`3 masters, 1 agent, 1 framework with a running task; --zk_session_timeout ${session}; ${rounds} rounds`);
    for (let round = 1; round <= rounds; round++) {
      const old = detector.current()!;
      const leader = masters.find((m) => m.url === old)!;
      const subscribed = new Promise<number>((resolve) => {
        const on = (e: { type: string }) => {
          if (e.type !== 'SUBSCRIBED') return;
          c.off('event', on);
          resolve(performance.now());
        };
        c.on('event', on);
      });
      const elected = new Promise<number>((resolve) => detector.onChange((u) => u !== undefined && u !== old && resolve(performance.now())));
      const t0 = performance.now();
      leader.child.signal('SIGKILL');
      await leader.child.exited;
      masters.splice(masters.indexOf(leader), 1);
      const replacement = startZkMasterProcess(zkUrl, dir, session);
      const [tLeader, tSubscribed] = await Promise.all([elected, subscribed]);
      masters.push(await replacement);
      toLeader.push(tLeader - t0);
      toSubscribed.push(tSubscribed - t0);
      console.log(`round ${round}: kill -9 -> new leader in ZooKeeper ${(tLeader - t0).toFixed(0)} ms, -> framework SUBSCRIBED ${(tSubscribed - t0).toFixed(0)} ms`);
    }
    const m = median(toSubscribed);
    console.log(`median of ${rounds}: kill -9 -> new leader ${median(toLeader).toFixed(0)} ms; kill -9 -> next SUBSCRIBED ${m.toFixed(0)} ms`);
    console.log(`baseline: ZooKeeper session timeout ${sessionMs} ms; failover / session timeout = ${(m / sessionMs).toFixed(2)}x`);
  } finally {
    await client?.close();
    follower.close();
    await cleanupAgent(agent);
    for (const m of masters) if (!m.child.hasExited) await m.child.kill();
    await zk.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
