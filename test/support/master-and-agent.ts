/**
 * The fixture of the end-to-end tests that run a real master in this process and one real agent
 * process beside it: start both, keep the framework streams, restart the agent, and after the
 * suite close everything and check the master saw no invariant violated. Four suites wrote these
 * same lines each (agent-unregister, drain, operator and volumes end to end). It waits on what
 * the master answers over HTTP (GET_AGENTS), as a user would, never on its machine's context.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { cleanupAgent, startAgentProcess, tempDir, type AgentProcess } from './agent-process.ts';
import { eventually } from './eventually.ts';
import { getAgents, subscribe, type AgentEntry, type EventStream } from './master-http.ts';

/** An offer as these tests read it from an OFFERS event. */
export interface Offer {
  id: { value: string };
  agent_id: { value: string };
  resources: unknown[];
}

/** The ACCEPT that launches task `t` (`sleep 60`, 1 cpu, 64 MB, plus `extra` such as a kill policy) on `offer`. */
export function acceptSleeper(fid: string, offer: Pick<Offer, 'id' | 'agent_id'>, extra: Record<string, unknown> = {}) {
  const task = {
    name: 't',
    task_id: { value: 't' },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
    ],
    command: { value: 'sleep 60', shell: true },
    ...extra,
  };
  return { type: 'ACCEPT', framework_id: { value: fid }, accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } };
}

export class MasterAndAgent {
  master: MasterServer | undefined;
  agent: AgentProcess | undefined;
  workDir = '';
  readonly streams: EventStream[] = [];

  /** Registers the clean-up on `test`, so it runs even when a test fails half way. */
  constructor(test: Test) {
    test.after(async () => {
      for (const s of this.streams) s.close();
      await cleanupAgent(this.agent, this.workDir);
      if (this.master) {
        assert.equal(this.master.violations, []);
        await this.master.close();
      }
    });
  }

  /**
   * A master that checks its invariants and allocates every 50 ms (offers come quickly), and an
   * agent with `agentArgs` in a fresh work dir named by `prefix`; resolves once the agent has
   * registered, with its id.
   */
  async start(prefix: string, agentArgs: readonly string[]): Promise<{ master: MasterServer; agent: AgentProcess; workDir: string; aid: string }> {
    this.workDir = tempDir(prefix);
    const master = (this.master = await startMaster({ port: 0, checkInvariants: true, flags: { allocationIntervalMs: 50 }, log: () => {} }));
    const agent = (this.agent = await startAgentProcess({ master: master.url, workDir: this.workDir, args: agentArgs }));
    const aid = await eventually(async () => (await getAgents(master.url)).agents[0]?.agent_info.id.value, 15_000, 'the agent to register');
    return { master, agent, workDir: this.workDir, aid };
  }

  /** A SUBSCRIBE stream to the master, closed after the suite. */
  async subscribe(call: string): Promise<EventStream> {
    const stream = await subscribe(this.master!.url, call);
    this.streams.push(stream);
    return stream;
  }

  /**
   * The agent stops and starts again on the same port and work dir, so it recovers from its
   * checkpoint and reregisters as agent `aid`: resolves once the master has seen it go and come back.
   * GET_AGENTS still lists a disconnected agent, inactive; the agent must not be deactivated by
   * an operator here, or inactive would not tell that it went.
   */
  async restartAgent(aid: string, agentArgs: readonly string[]): Promise<AgentProcess> {
    const master = this.master!;
    const port = Number(new URL(this.agent!.url).port);
    const entry = async (): Promise<AgentEntry | undefined> => (await getAgents(master.url)).agents.find((a) => a.agent_info.id.value === aid);
    assert.is((await entry())?.deactivated, false, 'restartAgent needs an agent no operator deactivated');
    await this.agent!.child.kill();
    await eventually(async () => (await entry())?.active === false, 15_000, 'the master to see the agent go');
    this.agent = await startAgentProcess({ master: master.url, workDir: this.workDir, port, args: agentArgs, name: 'agent (restarted)' });
    await eventually(async () => (await entry())?.active === true, 15_000, 'the agent to reregister');
    return this.agent;
  }
}
