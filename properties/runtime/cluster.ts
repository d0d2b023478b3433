/**
 * The live cluster the runtime properties drive: a real `mesos-ref master` (checking its own
 * invariants) and real `mesos-ref agent` processes on ephemeral loopback ports, each agent with
 * its own work dir. Agents can be killed with SIGKILL and restarted on the same port with the
 * same work dir. Every process line that reports a broken invariant or a failed step is kept.
 * `stop()` takes everything down (agents, their executors' process groups, the master, the
 * work dirs), and is safe to call twice; an exit hook does the same if the runner dies.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killRecordedExecutors } from '../../impl/agent/containers.ts';
import { Child } from '../../impl/process/children.ts';
import { waitForActiveAgents } from '../../impl/process/cluster.ts';
import { mesosRefArgv } from '../../impl/process/proc.ts';
import type { Resource } from '../../spec/protocol/common.ts';
import { parseResources, toWire } from '../../spec/resources/index.ts';

export const AGENT_RESOURCES = 'cpus:2;mem:1024';

export interface LiveAgent {
  readonly index: number;
  readonly workDir: string;
  port: number;
  url: string;
  id: string;
  child: Child | undefined;
  readonly total: Resource[];
}

/** Lines of the processes' output that are findings whatever the test does. */
const ALARM = /INVARIANT VIOLATED|STEP FAILED|Step failed/;

export class LiveCluster {
  master: Child | undefined;
  masterUrl = '';
  readonly agents: LiveAgent[] = [];
  /** Alarming lines, with the process that printed them. */
  readonly alarms: string[] = [];
  /** Executor and task processes of this cluster still alive after it stopped (then killed). */
  readonly leaked: string[] = [];
  private readonly root = mkdtempSync(join(tmpdir(), 'mesos-ref-props-'));
  private stopped = false;
  private readonly onExit = () => this.killEverythingSync();
  private agentStarts = 0;

  constructor(private readonly options: { agents: number; log?: (line: string) => void }) {}

  private watch(name: string) {
    return (line: string) => {
      if (ALARM.test(line)) this.alarms.push(`${name}: ${line}`);
    };
  }

  async start(): Promise<void> {
    process.once('exit', this.onExit);
    try {
      // RUNTIME_TRACE=1: the master appends every step to master.trace.jsonl (kept with KEEP_RUNTIME_LOGS=1).
      const trace = process.env.RUNTIME_TRACE === '1' ? ['--trace', join(this.root, 'master.trace.jsonl')] : [];
      this.master = new Child('master', [...mesosRefArgv(), 'master', '--port', '0', '--check-invariants', ...trace], {
        logFile: join(this.root, 'master.log'),
        detached: false,
        onLine: this.watch('master'),
      });
      this.masterUrl = (await this.master.waitForLine(/listening on (http:\/\/\S+)/, 30_000))[1]!;
      const total = toWire((parseResources(AGENT_RESOURCES) as { ok: true; value: Parameters<typeof toWire>[0] }).value) as Resource[];
      for (let i = 0; i < this.options.agents; i++) {
        const workDir = join(this.root, `agent-${i}`);
        this.agents.push({ index: i, workDir, port: 0, url: '', id: '', child: undefined, total });
      }
      await Promise.all(this.agents.map((a) => this.spawnAgent(a)));
      await this.waitRegistered(this.agents, 30_000);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  get logDir(): string {
    return this.root;
  }

  private async spawnAgent(a: LiveAgent): Promise<void> {
    const n = this.agentStarts++;
    const child = new Child(
      `agent ${a.index}`,
      [...mesosRefArgv(), 'agent', '--master', this.masterUrl, '--port', String(a.port), '--work-dir', a.workDir, '--resources', AGENT_RESOURCES],
      { logFile: join(this.root, `agent-${a.index}.${n}.log`), detached: false, onLine: this.watch(`agent ${a.index}`) },
    );
    a.child = child;
    const m = await child.waitForLine(/^agent listening on (\S+)/, 30_000);
    a.url = m[1]!;
    a.port = Number(new URL(a.url).port);
  }

  /** Waits until the master lists every agent given as active; records their ids. */
  async waitRegistered(agents: readonly LiveAgent[], timeoutMs: number): Promise<void> {
    let active: Map<number, string>;
    try {
      active = await waitForActiveAgents(
        this.masterUrl,
        agents.map((a) => a.port),
        timeoutMs,
      );
    } catch (e) {
      throw new Error(`agents ${agents.map((a) => a.index).join(', ')}: ${(e as Error).message} (logs in ${this.root})`);
    }
    for (const a of agents) {
      const id = active.get(a.port)!;
      if (a.id !== '' && a.id !== id) throw new Error(`agent ${a.index} came back as ${id}, it was ${a.id} (same work dir)`);
      a.id = id;
    }
  }

  isUp(i: number): boolean {
    const c = this.agents[i]!.child;
    return c !== undefined && !c.hasExited;
  }

  /** kill -9 of agent i (its executors keep running, in their own process groups). */
  async killAgent(i: number): Promise<void> {
    const a = this.agents[i]!;
    if (a.child && !a.child.hasExited) await a.child.kill();
  }

  /** Starts agent i again on its port with its work dir; resolves once it serves. */
  async restartAgent(i: number): Promise<void> {
    const a = this.agents[i]!;
    if (this.isUp(i)) return;
    await this.spawnAgent(a);
  }

  private killEverythingSync(): void {
    for (const a of this.agents) {
      try {
        a.child?.process.kill('SIGKILL');
      } catch {
        // gone
      }
      killRecordedExecutors(a.workDir);
    }
    try {
      this.master?.process.kill('SIGKILL');
    } catch {
      // gone
    }
  }

  /**
   * Processes started for this cluster's executors and tasks (their environment names a
   * directory under its root), by pid: `pid name MESOS_DIRECTORY`.
   */
  ours(): { pid: number; what: string }[] {
    const out: { pid: number; what: string }[] = [];
    let pids: string[] = [];
    try {
      pids = readdirSync('/proc').filter((x) => /^\d+$/.test(x));
    } catch {
      return out; // not Linux: nothing to look at
    }
    for (const p of pids) {
      let env: string[];
      try {
        env = readFileSync(`/proc/${p}/environ`, 'latin1').split('\0');
      } catch {
        continue;
      }
      const dir = env.find((e) => e.startsWith('MESOS_DIRECTORY=') || e.startsWith('MESOS_SANDBOX='));
      if (!dir || !dir.includes(this.root)) continue;
      const checkpoint = env.find((e) => e.startsWith('MESOS_CHECKPOINT=')) ?? '';
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${p}/cmdline`, 'latin1').split('\0').join(' ').trim();
      } catch {
        continue;
      }
      out.push({ pid: Number(p), what: `${cmd.slice(-60)} (${checkpoint || 'task'}; ${dir.slice(dir.indexOf('/executors/') + 11).split('/')[0]})` });
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.agents.map((a) => (a.child && !a.child.hasExited ? a.child.stop('SIGTERM', 5000) : undefined)));
    for (const a of this.agents) killRecordedExecutors(a.workDir);
    // Executors whose agent is gone end by themselves (or were killed above, recorded); give them a moment.
    const deadline = Date.now() + 3000;
    while (this.ours().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const p of this.ours()) {
      this.leaked.push(`pid ${p.pid}: ${p.what}`);
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await this.master?.stop('SIGTERM', 5000);
    process.off('exit', this.onExit);
    if (!process.env.KEEP_RUNTIME_LOGS) rmSync(this.root, { recursive: true, force: true });
    else this.options.log?.(`logs kept in ${this.root}`);
  }
}
