/**
 * A reference cluster on loopback: `mesos-ref master` and N `mesos-ref agent` processes (agents
 * on the ports after the master's, each with its own work dir under the cluster's), started in
 * order, ready once the master lists every agent; stopped in order (agents, their executors'
 * process groups, then the master). Children run in their own process groups, so a terminal's
 * Ctrl-C reaches only the cluster process, which stops them in that order.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { killRecordedExecutors } from '../agent/containers.ts';
import { postJson, request } from '../http/client.ts';
import { Child } from './children.ts';
import { mesosRefArgv } from './proc.ts';

export interface ClusterOptions {
  readonly agents: number;
  readonly resources: string;
  readonly port: number;
  readonly ip: string;
  readonly workDir: string;
  /** Extra flags for every agent. */
  readonly agentArgs?: readonly string[];
  readonly log?: (line: string) => void;
  /** How long to wait for every agent to register. */
  readonly readyTimeoutMs?: number;
}

export class Cluster {
  master: Child | undefined;
  masterUrl = '';
  readonly agents: { child: Child; url: string; workDir: string }[] = [];
  private stopping: Promise<void> | undefined;
  /** Resolves with a message if a process of the cluster dies while it is up. */
  readonly died: Promise<string>;
  private resolveDied!: (message: string) => void;

  constructor(private readonly options: ClusterOptions) {
    this.died = new Promise((r) => (this.resolveDied = r));
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private watch(child: Child): void {
    void child.exited.then((info) => {
      if (!this.stopping) this.resolveDied(`${child.name} exited unexpectedly (${info.signal ?? `code ${info.code}`}); see its log`);
    });
  }

  /** Starts everything; resolves once every agent is registered. Throws (after cleaning up) on failure. */
  async start(): Promise<void> {
    const { workDir, ip } = this.options;
    mkdirSync(workDir, { recursive: true });
    try {
      this.master = new Child('master', [...mesosRefArgv(), 'master', '--port', String(this.options.port), '--ip', ip, '--work-dir', join(workDir, 'master')], {
        logFile: join(workDir, 'master.log'),
      });
      const m = await this.master.waitForLine(/listening on (http:\/\/\S+)/, 20_000);
      this.masterUrl = m[1]!;
      this.watch(this.master);
      const starting = Array.from({ length: this.options.agents }, async (_, i) => {
        const dir = join(workDir, `agent-${i}`);
        mkdirSync(dir, { recursive: true });
        const child = new Child(
          `agent ${i}`,
          [
            ...mesosRefArgv(),
            'agent',
            '--master',
            this.masterUrl,
            '--port',
            String(this.options.port + 1 + i),
            '--ip',
            ip,
            '--work-dir',
            dir,
            '--resources',
            this.options.resources,
            ...(this.options.agentArgs ?? []),
          ],
          { logFile: join(dir, 'agent.log') },
        );
        this.agents[i] = { child, url: '', workDir: dir };
        const line = await child.waitForLine(/^agent listening on (\S+)/, 20_000);
        this.agents[i]!.url = line[1]!;
        this.watch(child);
      });
      await Promise.all(starting);
      await this.waitForAgents();
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** Polls the master's GET_AGENTS until every agent of the cluster is registered. */
  private async waitForAgents(): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 30_000);
    const wanted = new Set(this.agents.map((a) => Number(new URL(a.url).port)));
    for (;;) {
      const registered = await this.registeredPorts();
      if ([...wanted].every((p) => registered.has(p))) return;
      if (Date.now() > deadline) throw new Error(`only ${registered.size} of ${wanted.size} agents registered within ${(this.options.readyTimeoutMs ?? 30_000) / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async registeredPorts(): Promise<Set<number>> {
    const ports = new Set<number>();
    try {
      const r = await postJson(`${this.masterUrl}/api/v1`, '{"type":"GET_AGENTS"}', {}, 5000);
      if (r.status === 200) {
        const agents = (JSON.parse(r.body) as { get_agents?: { agents?: { agent_info: { port?: number } }[] } }).get_agents?.agents ?? [];
        for (const a of agents) ports.add(a.agent_info.port ?? 5051);
        return ports;
      }
      const v0 = await request(`${this.masterUrl}/master/state`, { timeoutMs: 5000 });
      if (v0.status === 200) {
        for (const s of (JSON.parse(v0.body) as { slaves?: { port?: number; pid?: string }[] }).slaves ?? []) {
          const port = s.port ?? Number(/:(\d+)$/.exec(s.pid ?? '')?.[1]);
          if (port) ports.add(port);
        }
      }
    } catch {
      // The master is not answering yet.
    }
    return ports;
  }

  /** Agents (SIGTERM), then their executors' process groups (SIGKILL), then the master. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.agents.filter(Boolean).map((a) => a.child.stop('SIGTERM', 5000)));
      let killed = 0;
      for (const a of this.agents.filter(Boolean)) killed += killRecordedExecutors(a.workDir);
      if (killed > 0) this.log(`killed ${killed} executor and task process groups`);
      await this.master?.stop('SIGTERM', 5000);
    })();
    return this.stopping;
  }
}
