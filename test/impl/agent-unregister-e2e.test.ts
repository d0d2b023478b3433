/**
 * A graceful agent shutdown end to end over HTTP against a real master and a real agent process
 * (issue 17): a framework runs `sleep 60` on the agent; the agent gets SIGUSR1 (Mesos's signal
 * for it, Slave::signaled): it unregisters, the master removes it (no longer in GET_AGENTS, the
 * registry forgets it), the framework hears TASK_LOST (REASON_AGENT_REMOVED, from the master)
 * and FAILURE {agent_id}, metric slave_removals/reason_unregistered counts it; the agent kills
 * its task and exits 0. Every step waits on an event, never on a fixed sleep. The master is asked
 * over HTTP (GET_AGENTS, /metrics/snapshot) as a user would, except for one read of its registry's
 * admitted agents, which no endpoint serves (Mesos's /registrar(1)/registry is not served here).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isAlive } from '../../impl/process/proc.ts';
import { cleanupAgent, startAgentProcess, tempDir } from '../support/agent-process.ts';
import { eventually } from '../support/eventually.ts';
import { getAgents, getJson, metric, operatorCall, schedulerCall } from '../support/master-http.ts';
import { acceptSleeper, MasterAndAgent } from '../support/master-and-agent.ts';
import { metaDir, type RunRecord } from '../../impl/agent/containers.ts';

const test = suite('graceful agent shutdown (SIGUSR1): the agent unregisters');

const fx = new MasterAndAgent(test);

test('SIGUSR1: the master removes the agent, its task is TASK_LOST (REASON_AGENT_REMOVED), FAILURE {agent_id}, reason_unregistered counted', async () => {
  const { master, agent, workDir, aid } = await fx.start('mesos-ref-unregister-', ['--resources', 'cpus:2;mem:256', '--executor_shutdown_grace_period', '1secs']);

  const stream = await fx.subscribe(
    JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'leaving', failover_timeout: 3600, capabilities: [{ type: 'PARTITION_AWARE' }] } } }),
  );
  const fid = (await stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
  const o = (await stream.nextOfType<{ offers: { offers: { id: { value: string }; agent_id: { value: string } }[] } }>('OFFERS', 15_000)).offers.offers[0]!;
  const accept = acceptSleeper(fid, o);
  assert.is((await schedulerCall(master.url, JSON.stringify(accept), stream.streamId)).status, 202);
  for (;;) {
    const s = (await stream.nextOfType<{ update: { status: { state: string; uuid?: string; task_id: unknown; agent_id: unknown } } }>('UPDATE', 20_000)).update.status;
    if (s.uuid !== undefined) {
      const ack = { type: 'ACKNOWLEDGE', framework_id: { value: fid }, acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } };
      assert.is((await schedulerCall(master.url, JSON.stringify(ack), stream.streamId)).status, 202);
    }
    if (s.state === 'TASK_RUNNING') break;
  }
  const run = JSON.parse(readFileSync(join(metaDir(workDir, fid, 't'), 'run.json'), 'utf8')) as RunRecord;
  assert.ok(isAlive(run.pid));

  const hostname = (await getAgents(master.url)).agents.find((a) => a.agent_info.id.value === aid)!.agent_info.hostname;
  assert.ok(existsSync(join(workDir, 'meta', 'checkpoint.json')));
  agent.child.signal('SIGUSR1');
  const lost = (await stream.nextOfType<{ update: { status: { state: string; reason?: string; source?: string; message?: string } } }>('UPDATE', 15_000)).update.status;
  assert.equal([lost.state, lost.reason, lost.source], ['TASK_LOST', 'REASON_AGENT_REMOVED', 'SOURCE_MASTER']);
  assert.is(lost.message, `Agent ${hostname} removed: the agent unregistered`);
  const failure = await stream.nextOfType<{ failure: { agent_id?: { value: string }; executor_id?: unknown } }>('FAILURE', 15_000);
  assert.equal(failure.failure, { agent_id: { value: aid } });

  // The master forgot it: not an agent (registered or recovered), not admitted, counted as an
  // unregistered removal. No endpoint serves the registry, so its admitted agents are read in process.
  const agents = (await operatorCall(master.url, '{"type":"GET_AGENTS"}')).json as { get_agents: { agents?: unknown[]; recovered_agents?: unknown[] } };
  assert.equal(agents.get_agents, {});
  assert.is(master.context.registry.admitted[aid], undefined);
  const metrics = (await getJson(master.url, '/metrics/snapshot')) as Record<string, number>;
  assert.equal([metrics['master/slave_removals'], metrics['master/slave_removals/reason_unregistered'], metrics['master/slave_removals/reason_unhealthy']], [1, 1, 0]);

  // The agent killed its task and stopped, its checkpoint gone (a restart is a new agent).
  const exit = await agent.child.exited;
  assert.is(exit.code, 0);
  await eventually(() => (isAlive(run.pid) ? undefined : true), 10_000, 'the task process to be killed');
  assert.not.ok(existsSync(join(workDir, 'meta', 'checkpoint.json')));
});

test('SIGUSR1 on an idle agent: it stops at once, yet its UNREGISTER_AGENT reaches the master first', async () => {
  const dir = tempDir('mesos-ref-unregister-idle-');
  const idle = await startAgentProcess({ master: fx.master!.url, workDir: dir, args: ['--resources', 'cpus:1;mem:128'] });
  try {
    const url = fx.master!.url;
    const listed = async (aid: string) => {
      const { agents, recovered } = await getAgents(url);
      return agents.some((a) => a.agent_info.id.value === aid) || recovered.some((a) => a.id?.value === aid);
    };
    const aid = await eventually(
      async () => (await getAgents(url)).agents.find((a) => a.agent_info.port === Number(new URL(idle.url).port))?.agent_info.id.value,
      15_000,
      'the idle agent to register',
    );
    idle.child.signal('SIGUSR1');
    assert.is((await idle.child.exited).code, 0);
    await eventually(async () => !(await listed(aid)), 10_000, 'the master to remove the idle agent');
    // Removed because it unregistered, not marked unreachable: no agent is unreachable (the
    // registry's unreachable list is served only as its length).
    assert.is(await metric(url, 'master/slaves_unreachable'), 0);
    assert.is(await metric(url, 'master/slave_removals/reason_unregistered'), 2, "this agent and the first test's");
  } finally {
    await cleanupAgent(idle, dir);
  }
});

test.run();
