/**
 * A reference cluster on loopback: `mesos-ref master` and N `mesos-ref agent` processes (agents
 * on the ports after the master's, each with its own work dir under the cluster's), started in
 * order, ready once the master lists every agent; stopped in order (agents, their executors'
 * process groups, then the master). Children run in their own process groups, so a terminal's
 * Ctrl-C reaches only the cluster process, which stops them in that order.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopRecordedExecutors } from '../agent/containers.ts';
import { postJson } from '../http/client.ts';
import type { Credential } from '../http/auth.ts';
import { Child } from './children.ts';
import { mesosRefArgv } from './proc.ts';
import { startZooKeeper, type ZooKeeperServer } from '../zk/server.ts';
import { followMaster, type MasterFollower } from '../zk/follow.ts';
import { parseZkUrl } from '../zk/url.ts';

export interface ClusterOptions {
  readonly agents: number;
  readonly resources: string;
  readonly port: number;
  readonly ip: string;
  readonly workDir: string;
  /** Extra flags for every agent. */
  readonly agentArgs?: readonly string[];
  /** Extra flags for the master (its timeouts). */
  readonly masterArgs?: readonly string[];
  readonly log?: (line: string) => void;
  /** How long to wait for every agent to register. */
  readonly readyTimeoutMs?: number;
  /**
   * Generate credentials (a framework/operator principal and an agent principal, fresh secrets,
   * files mode 0600 in the work dir) and start the master with frameworks, agents and
   * state-changing operator calls authenticated, the agents with their --credential.
   */
  readonly authenticate?: boolean;
  /** Pass --insecure to the master and the agents (a non-loopback bind without authentication). */
  readonly insecure?: boolean;
  /**
   * An agent killed by a signal is started again on its port and work dir (so it recovers its
   * checkpoint), as a supervisor would: fault hooks can then restart an agent from outside by
   * killing the pid in its work dir's `agent.pid`. Without it, a dead agent stops the cluster.
   */
  readonly restartAgents?: boolean;
  /**
   * The master, killed by a signal, is started again on its port and work dir (its registry: the
   * agents and frameworks it had reregister), its pid in the work dir's `master.pid`: a fault hook
   * restarts it by killing that pid. Without it, a dead master stops the cluster. One master only.
   */
  readonly restartMaster?: boolean;
  /**
   * Highly available masters: with more than one, a ZooKeeper server (impl/zk/server.ts, data in
   * the work dir) and this many masters contending on it (the first on --port, the others on the
   * ports after the agents'); agents follow the leader through ZooKeeper.
   */
  readonly masters?: number;
  /**
   * Record every step of the master and of each agent (`--trace`) into this directory:
   * master.jsonl and agent-<i>.jsonl (a restarted process appends to its file). One master only.
   */
  readonly traceDir?: string;
}

export class Cluster {
  master: Child | undefined;
  masterUrl = '';
  /** With `masters` > 1: every master, the ZooKeeper server, its zk:// URL and the leader detector. */
  readonly masters: Child[] = [];
  zookeeper: ZooKeeperServer | undefined;
  zkUrl: string | undefined;
  private follower: MasterFollower | undefined;
  readonly agents: { child: Child; url: string; workDir: string }[] = [];
  /** What frameworks and operators present when the cluster authenticates (`framework`). */
  frameworkCredential: Credential | undefined;
  /** The master's --credentials file, when the cluster authenticates. */
  credentialsFile: string | undefined;
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
    // eslint-disable-next-line @typescript-eslint/no-floating-promises -- `exited` only ever resolves (impl/process/children.ts)
    child.exited.then((info) => {
      if (!this.stopping) this.resolveDied(`${child.name} exited unexpectedly (${info.signal ?? `code ${info.code}`}); see its log`);
    });
  }

  /** Starts everything; resolves once every agent is registered. Throws (after cleaning up) on failure. */
  async start(): Promise<void> {
    const { workDir } = this.options;
    mkdirSync(workDir, { recursive: true });
    const masterAuth: string[] = [];
    const agentAuth: string[] = [];
    if (this.options.authenticate) {
      const secret = () => randomBytes(18).toString('base64url');
      const framework = { principal: 'framework', secret: secret() };
      const agent = { principal: 'agent', secret: secret() };
      this.credentialsFile = join(workDir, 'credentials.json');
      writeFileSync(this.credentialsFile, JSON.stringify({ credentials: [framework, agent] }, null, 2), { mode: 0o600 });
      const agentFile = join(workDir, 'agent-credential.json');
      writeFileSync(agentFile, JSON.stringify(agent), { mode: 0o600 });
      this.frameworkCredential = framework;
      masterAuth.push('--credentials', this.credentialsFile, '--authenticate-frameworks', '--authenticate-agents', '--authenticate-http-readwrite');
      agentAuth.push('--credential', agentFile);
    }
    if (this.options.insecure) {
      masterAuth.push('--insecure');
      agentAuth.push('--insecure');
    }
    try {
      if ((this.options.masters ?? 1) > 1) return await this.startHa(masterAuth, agentAuth);
      await this.startMaster(masterAuth);
      const starting = Array.from({ length: this.options.agents }, (_, i) => this.startAgent(i, agentAuth));
      await Promise.all(starting);
      await this.waitForAgents();
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** Starts the master on its port and work dir (again, after a restart), its pid in `master.pid`. */
  private async startMaster(masterAuth: readonly string[]): Promise<void> {
    const { workDir, ip } = this.options;
    const child = new Child(
      'master',
      [
        ...mesosRefArgv(),
        'master',
        '--port',
        String(this.options.port),
        '--ip',
        ip,
        '--work-dir',
        join(workDir, 'master'),
        // The master's output goes to master.log; the master serves it at /master/log.
        '--external_log_file',
        join(workDir, 'master.log'),
        ...masterAuth,
        ...(this.options.traceDir !== undefined ? ['--trace', join(this.options.traceDir, 'master.jsonl')] : []),
        ...(this.options.masterArgs ?? []),
      ],
      { logFile: join(workDir, 'master.log') },
    );
    this.master = child;
    writeFileSync(join(workDir, 'master.pid'), `${child.process.pid}\n`);
    const m = await child.waitForLine(/listening on (http:\/\/\S+)/, 20_000);
    this.masterUrl = m[1]!;
    if (!this.options.restartMaster) return this.watch(child);
    // eslint-disable-next-line @typescript-eslint/no-floating-promises -- `exited` only ever resolves (impl/process/children.ts)
    child.exited.then((info) => {
      if (this.stopping) return;
      if (info.signal === null) return this.resolveDied(`the master exited unexpectedly (code ${info.code}); see its log`);
      this.log(`the master was killed (${info.signal}): starting it again on its port and work dir`);
      this.startMaster(masterAuth).catch((e: Error) => this.resolveDied(`the master did not start again: ${e.message}`));
    });
  }

  /** ZooKeeper, then the masters (each waits to be elected), then the agents following the leader. */
  private async startHa(masterAuth: readonly string[], agentAuth: readonly string[]): Promise<void> {
    const n = this.options.masters!;
    this.zookeeper = await startZooKeeper({ dataDir: join(this.options.workDir, 'zookeeper') });
    this.zkUrl = `zk://${this.zookeeper.servers}/mesos`;
    for (let i = 0; i < n; i++) {
      const port = i === 0 ? this.options.port : this.options.port + this.options.agents + i;
      const child = new Child(
        `master ${i}`,
        [
          ...mesosRefArgv(),
          'master',
          '--port',
          String(port),
          '--ip',
          this.options.ip,
          '--zk',
          this.zkUrl,
          '--quorum',
          String(Math.floor(n / 2) + 1),
          '--external_log_file',
          join(this.options.workDir, `master-${i}.log`),
          ...masterAuth,
          ...(this.options.masterArgs ?? []),
        ],
        { logFile: join(this.options.workDir, `master-${i}.log`) },
      );
      this.masters.push(child);
      await child.waitForLine(/listening on (http:\/\/\S+)/, 20_000);
      // A master that dies is what the others are there for: the cluster goes on while one is left.
      // eslint-disable-next-line @typescript-eslint/no-floating-promises -- `exited` only ever resolves (impl/process/children.ts)
      child.exited.then((info) => {
        if (this.stopping) return;
        const left = this.masters.filter((m) => !m.hasExited).length;
        this.log(`${child.name} exited (${info.signal ?? `code ${info.code}`}); ${left} of ${n} masters left`);
        if (left === 0) this.resolveDied('every master exited');
      });
    }
    const parsed = parseZkUrl(this.zkUrl);
    if (!parsed.ok) throw new Error(parsed.error);
    this.follower = await followMaster(parsed.url);
    this.masterUrl = (await this.follower.detector.waitForLeader()).url;
    this.master = this.masters.find((m) => m.tail(10).some((l) => l.includes(this.masterUrl))) ?? this.masters[0];
    await Promise.all(Array.from({ length: this.options.agents }, (_, i) => this.startAgent(i, agentAuth)));
    await this.waitForAgents();
  }

  /** Starts agent `i` on its port and work dir (again, after a restart), its pid in `agent.pid` there. */
  private async startAgent(i: number, agentAuth: readonly string[]): Promise<void> {
    const dir = join(this.options.workDir, `agent-${i}`);
    mkdirSync(dir, { recursive: true });
    const child = new Child(
      `agent ${i}`,
      [
        ...mesosRefArgv(),
        'agent',
        '--master',
        this.zkUrl ?? this.masterUrl,
        '--port',
        String(this.options.port + 1 + i),
        '--ip',
        this.options.ip,
        '--work-dir',
        dir,
        '--resources',
        this.options.resources,
        ...agentAuth,
        ...(this.options.traceDir !== undefined ? ['--trace', join(this.options.traceDir, `agent-${i}.jsonl`)] : []),
        ...(this.options.agentArgs ?? []),
      ],
      { logFile: join(dir, 'agent.log') },
    );
    this.agents[i] = { child, url: '', workDir: dir };
    writeFileSync(join(dir, 'agent.pid'), `${child.process.pid}\n`);
    const line = await child.waitForLine(/^agent listening on (\S+)/, 20_000);
    this.agents[i]!.url = line[1]!;
    if (this.options.restartAgents) {
      // eslint-disable-next-line @typescript-eslint/no-floating-promises -- `exited` only ever resolves (impl/process/children.ts)
      child.exited.then((info) => {
        if (this.stopping) return;
        if (info.signal === null) return this.resolveDied(`${child.name} exited unexpectedly (code ${info.code}); see its log`);
        this.log(`${child.name} was killed (${info.signal}): starting it again on its port and work dir`);
        this.startAgent(i, agentAuth).catch((e: Error) => this.resolveDied(`${child.name} did not start again: ${e.message}`));
      });
    } else this.watch(child);
  }

  /** Polls the master until every agent of the cluster is active. */
  private async waitForAgents(): Promise<void> {
    const ports = this.agents.map((a) => Number(new URL(a.url).port));
    await waitForActiveAgents(this.masterUrl, ports, this.options.readyTimeoutMs ?? 30_000);
  }

  /** Agents (SIGTERM), then their executors' process groups (SIGKILL), then the master. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.agents.filter(Boolean).map((a) => a.child.stop('SIGTERM', 5000)));
      let killed = 0;
      for (const a of this.agents.filter(Boolean)) killed += await stopRecordedExecutors(a.workDir);
      if (killed > 0) this.log(`killed ${killed} executor and task process groups and processes`);
      if (this.masters.length > 0) await Promise.all(this.masters.map((m) => m.stop('SIGTERM', 5000)));
      else await this.master?.stop('SIGTERM', 5000);
      this.follower?.close();
      await this.zookeeper?.stop();
    })();
    return this.stopping;
  }
}

/** The master's GET_AGENTS: the ids of its active agents by port (empty while it does not answer). */
async function activeAgents(masterUrl: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  try {
    const r = await postJson(`${masterUrl}/api/v1`, '{"type":"GET_AGENTS"}', {}, 5000);
    if (r.status !== 200) return out;
    const agents = (JSON.parse(r.body) as { get_agents?: { agents?: { agent_info: { port?: number; id?: { value: string } }; active: boolean }[] } }).get_agents?.agents ?? [];
    for (const x of agents) if (x.active) out.set(x.agent_info.port ?? 5051, x.agent_info.id?.value ?? '');
  } catch {
    // not answering yet
  }
  return out;
}

/** Polls `activeAgents` until an agent on each of `ports` is active; their ids by port. */
export async function waitForActiveAgents(masterUrl: string, ports: readonly number[], timeoutMs: number): Promise<Map<number, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const active = await activeAgents(masterUrl);
    if (ports.every((p) => active.has(p))) return active;
    if (Date.now() > deadline) throw new Error(`${ports.filter((p) => !active.has(p)).length} of ${ports.length} agents not active at the master within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
