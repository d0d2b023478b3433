/**
 * The cluster a scenario runs against. The runner needs a master URL and, for scenarios with
 * faults, a way to restart agents and the master; an external master gives only the URL, so
 * scenarios that need a fault it cannot arrange are skipped.
 *
 * `startOwnCluster` makes a fresh cluster per scenario, exactly as its `environment` says: the
 * master in this process (so tests can host a mutant machine in it), each agent a real
 * `mesos-ref agent` process with its own work dir, so that kill -9 leaves its executors running
 * and a restart recovers its checkpoint, as on a real machine.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import { metaDir, stopRecordedExecutors, type RunRecord } from '../agent/containers.ts';
import { startMaster, type MasterServer } from '../master/server.ts';
import { Child } from '../process/children.ts';
import { waitForActiveAgents } from '../process/cluster.ts';
import { killGroup, mesosRefArgv, readJsonFile } from '../process/proc.ts';
import { postJson } from '../http/client.ts';
import { listAgents } from './master-agents.ts';
import { fromWire, mustParseResources, printResources } from '../../spec/resources/index.ts';
import type { MasterFlags } from '../../spec/machines/master/context.ts';
import type { AgentSetup, Scenario } from '../../conformance/format.ts';
import type { ClusterTimeouts } from '../../spec/world/config.ts';
import { agentTimeoutFlags, masterTimeoutFlags } from '../../spec/world/mesos.ts';

export interface ScenarioCluster {
  readonly masterUrl: string;
  /**
   * kill -9 of the agent named in the scenario, then a restart on its work dir; absent: cannot.
   * `unregistered`: it comes back without its checkpoint, as a new agent (a hooked cluster cannot:
   * Capabilities.agentRestartUnregistered). `beforeStart` is awaited between the kill and the
   * start (the runner keeps the agent away while the trace does what it does before the agent's
   * next action); a cluster that cannot separate them never calls it.
   */
  readonly restartAgent?: (name: string, options?: RestartOptions) => Promise<void>;
  /** The base URL of the agent named in the scenario (its operator API), if the runner can reach it. */
  readonly agentUrl?: (name: string) => Promise<string | undefined>;
  /** Stops the master and starts it again on the same port and registry; absent: cannot. */
  readonly restartMaster?: () => Promise<void>;
  /** kill -9 of a framework's executor on the agent named in the scenario; absent: cannot. */
  readonly killExecutor?: (agent: string, frameworkId: string, executorId: string) => Promise<void>;
  /**
   * A signal to the process group of a framework's executor on the agent named in the scenario, as
   * the agent recorded it (0: only whether it is there); false when no such process is recorded
   * and running. Absent: cannot (an external master's agents).
   */
  readonly signalExecutor?: (agent: string, frameworkId: string, executorId: string, signal: NodeJS.Signals | 0) => boolean;
  /** A signal to the process of the agent named in the scenario (SIGSTOP, SIGCONT); false when it is not running. Absent: cannot. */
  readonly signalAgent?: (agent: string, signal: NodeJS.Signals) => boolean;
  /**
   * What the cluster's own checks reported so far, a line each: a step one of its machines threw
   * on (a lifecycle table, a counted metric: where Mesos aborts on a failed CHECK, the reference
   * cluster logs the step as failed and drops the event) or a master invariant it violated. The
   * runner fails a scenario that leaves any. Absent: it cannot read them (an external master).
   */
  readonly selfReports?: () => string[];
  /** Where its logs are, for failure reports. */
  readonly logDir?: string;
  stop(): Promise<void>;
}

export interface RestartOptions {
  readonly unregistered?: boolean;
  readonly beforeStart?: () => Promise<void>;
}

export interface OwnClusterOptions {
  /** The master machine to host (default spec/machines/master.ts); tests pass mutants. */
  readonly masterMachine?: AnyStateMachine;
  /**
   * The command that starts an agent, `mesos-ref agent`'s flags following it (default
   * `mesos-ref agent`); tests pass an entry point that hosts a mutant agent or executor.
   */
  readonly agentCommand?: readonly string[];
  readonly masterFlags?: Partial<MasterFlags>;
  /** Keep the work dirs and logs after stopping. */
  readonly keepLogs?: boolean;
  /** How long to wait for the agents to register. */
  readonly readyTimeoutMs?: number;
  /** The master's and agents' timeouts (a scenario's environment.timeouts); Mesos's defaults where absent. */
  readonly timeouts?: ClusterTimeouts;
}

/** The agent flags that set `timeouts` (`mesos-ref agent` spelling). */
export function agentTimeoutArgv(timeouts: ClusterTimeouts | undefined): string[] {
  const f = agentTimeoutFlags(timeouts);
  const ms = (v: number) => `${v}ms`;
  return [
    ...(f.executorRegistrationTimeoutMs !== undefined ? ['--executor-registration-timeout', ms(f.executorRegistrationTimeoutMs)] : []),
    ...(f.executorReregistrationTimeoutMs !== undefined ? ['--executor-reregistration-timeout', ms(f.executorReregistrationTimeoutMs)] : []),
    ...(f.recoveryTimeoutMs !== undefined ? ['--recovery-timeout', ms(f.recoveryTimeoutMs)] : []),
    ...(f.executorShutdownGraceMs !== undefined ? ['--executor-shutdown-grace-period', ms(f.executorShutdownGraceMs)] : []),
    ...(f.executorTerminalAckTimeoutMs !== undefined ? ['--executor-terminal-ack-timeout', ms(f.executorTerminalAckTimeoutMs)] : []),
  ];
}

interface OwnAgent {
  readonly setup: AgentSetup;
  readonly workDir: string;
  port: number;
  url: string | undefined;
  child: Child | undefined;
  starts: number;
}

/** A cluster of `agents` (each with the scenario's resources) around an in-process master. */
export async function startOwnCluster(agents: readonly AgentSetup[], options: OwnClusterOptions = {}): Promise<ScenarioCluster> {
  const root = mkdtempSync(join(tmpdir(), 'mesos-ref-conformance-'));
  const masterDir = join(root, 'master');
  const masterLog = join(root, 'master.log');
  const log = (line: string) => appendFileSync(masterLog, `${line}\n`);
  const startMasterOn = (port: number) =>
    startMaster({
      port,
      workDir: masterDir,
      checkInvariants: true,
      log,
      flags: { ...masterTimeoutFlags(options.timeouts), ...options.masterFlags },
      ...(options.masterMachine ? { machine: options.masterMachine } : {}),
    });
  let master: MasterServer = await startMasterOn(0);
  const masterUrl = master.url;
  const own: OwnAgent[] = agents.map((setup) => ({ setup, workDir: join(root, setup.name), port: 0, url: undefined, child: undefined, starts: 0 }));

  let stopped = false;
  const spawn = async (a: OwnAgent): Promise<void> => {
    if (stopped) throw new Error('the cluster was stopped');
    mkdirSync(a.workDir, { recursive: true });
    const argv = [
      ...(options.agentCommand ?? [...mesosRefArgv(), 'agent']),
      '--master',
      masterUrl,
      '--port',
      String(a.port),
      '--work-dir',
      a.workDir,
      '--resources',
      a.setup.resources,
      ...agentTimeoutArgv(options.timeouts),
    ];
    a.child = new Child(a.setup.name, argv, { logFile: join(root, `${a.setup.name}.${a.starts++}.log`), detached: false });
    const m = await a.child.waitForLine(/^agent listening on (\S+)/, 30_000);
    a.port = Number(new URL(m[1]!).port);
    a.url = m[1]!.replace(/\/$/, '');
  };

  const stop = async () => {
    stopped = true;
    await Promise.all(own.map((a) => (a.child && !a.child.hasExited ? a.child.stop('SIGTERM', 5000) : undefined)));
    for (const a of own) await stopRecordedExecutors(a.workDir);
    await master.close();
    if (!options.keepLogs) rmSync(root, { recursive: true, force: true });
  };

  try {
    await Promise.all(own.map(spawn));
    await waitForActiveAgents(
      masterUrl,
      own.map((a) => a.port),
      options.readyTimeoutMs ?? 30_000,
    );
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    masterUrl,
    logDir: root,
    restartAgent: async (name, restart = {}) => {
      const a = own.find((x) => x.setup.name === name);
      if (!a) throw new Error(`the scenario names no agent '${name}'`);
      if (a.child && !a.child.hasExited) await a.child.kill();
      // The model's agent crashed before it learnt its id: it checkpointed nothing yet.
      if (restart.unregistered) rmSync(join(a.workDir, 'meta', 'checkpoint.json'), { force: true });
      await restart.beforeStart?.();
      await spawn(a);
    },
    agentUrl: async (name) => own.find((x) => x.setup.name === name)?.url,
    selfReports: () => selfReportsIn(root),
    killExecutor: async (name, fid, eid) => {
      const a = own.find((x) => x.setup.name === name);
      if (!a) throw new Error(`the scenario names no agent '${name}'`);
      // The agent records the executor's pid (its process group) once it has started it; the
      // model may kill it as soon as the agent has launched it, before the runner could know.
      const file = join(metaDir(a.workDir, fid, eid), 'run.json');
      const deadline = Date.now() + 15_000;
      while (!existsSync(file)) {
        if (Date.now() > deadline) throw new Error(`executor ${eid} of ${fid} was not started on ${name} within 15 s (no ${file})`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const run = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
      if (!killGroup(run.pid, 'SIGKILL')) throw new Error(`executor ${eid} of ${fid} on ${name} (pid ${run.pid}) is not running`);
    },
    signalAgent: (name, signal) => {
      const a = own.find((x) => x.setup.name === name);
      if (!a) throw new Error(`the scenario names no agent '${name}'`);
      const pid = a.child && !a.child.hasExited ? a.child.pid : undefined;
      if (pid === undefined) return false;
      try {
        process.kill(pid, signal);
        return true;
      } catch {
        return false;
      }
    },
    signalExecutor: (name, fid, eid, signal) => {
      const a = own.find((x) => x.setup.name === name);
      if (!a) throw new Error(`the scenario names no agent '${name}'`);
      const run = readJsonFile<RunRecord>(join(metaDir(a.workDir, fid, eid), 'run.json'));
      if (run === undefined || !Number.isInteger(run.pid) || run.pid <= 1) return false;
      try {
        process.kill(-run.pid, signal);
        return true;
      } catch {
        return false;
      }
    },
    restartMaster: async () => {
      const port = master.port;
      await master.close();
      master = await startMasterOn(port);
    },
    stop,
  };
}

/** A line in which a component reports a failed check of its own (server.ts, agent and executor runtimes). */
const SELF_REPORT = /STEP FAILED|Step failed on|INVARIANT VIOLATED/;

/**
 * The self-reports in the master's and agents' logs (`master.log`, `<name>.<start>.log`) and the
 * executors' (a sandbox's `stderr`), under the cluster's root: each as `<file relative to root>: <line>`.
 */
function selfReportsIn(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // removed meanwhile (an executor's sandbox being cleaned up)
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) visit(path);
      else if (e.isFile() && (e.name === 'stderr' || (dir === root && e.name.endsWith('.log')))) {
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          continue;
        }
        for (const line of text.split('\n')) if (SELF_REPORT.test(line)) out.push(`${relative(root, path)}: ${line.trim()}`);
      }
    }
  };
  visit(root);
  return out.sort();
}

/**
 * Whether an external master answers at all, within `timeoutMs`: the operator API's GET_HEALTH
 * (every v1 master has it). Null when it answered 200; else what went wrong, for a message that
 * names --master. Without this, a run against a wrong URL would sit silent for a step timeout
 * per scenario.
 */
export async function probeMaster(masterUrl: string, timeoutMs: number): Promise<string | null> {
  let gaveUp: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((r) => (gaveUp = setTimeout(() => r(`no answer within ${timeoutMs} ms`), timeoutMs)));
  const asked = postJson(`${masterUrl}/api/v1`, '{"type":"GET_HEALTH"}', {}, timeoutMs).then(
    (a) => (a.status === 200 ? null : `GET_HEALTH answered ${a.status}${a.body ? ` (${a.body.trim().slice(0, 200)})` : ''}`),
    (e: NodeJS.ErrnoException) => `cannot connect: ${e.code ?? e.message}`,
  );
  try {
    return await Promise.race([asked, deadline]);
  } finally {
    clearTimeout(gaveUp);
  }
}

/** A fresh cluster as `scenario.environment` says: its agents and its timeouts. */
export function startScenarioCluster(scenario: Scenario, options: OwnClusterOptions = {}): Promise<ScenarioCluster> {
  return startOwnCluster(scenario.environment.agents, { ...(scenario.environment.timeouts ? { timeouts: scenario.environment.timeouts } : {}), ...options });
}

/**
 * Whether an external master's agents can host `scenarios`: a scenario expects offers of exactly
 * its agents' resources, so the master must have exactly those agents (no fewer, no more, the same
 * resources). Null when it has; else what is missing, in the agent flag syntax to start them with.
 */
export async function preflightAgents(masterUrl: string, scenarios: readonly Scenario[], timeoutMs: number): Promise<string | null> {
  const agents = await listAgents(masterUrl, timeoutMs);
  if (typeof agents === 'string') return agents;
  const have: string[] = [];
  for (const a of agents) {
    const r = fromWire(a.resources as never);
    have.push(r.ok ? printResources(r.value) : `(resources it cannot read: ${r.error})`);
  }
  have.sort();
  const describe = (list: readonly string[]) => (list.length === 0 ? 'no agents' : `${list.length} agent${list.length > 1 ? 's' : ''} (${list.map((x) => `'${x}'`).join(', ')})`);
  const needs = new Map<string, string[]>();
  for (const sc of scenarios) {
    const want = sc.environment.agents.map((a) => printResources(mustParseResources(a.resources))).sort();
    const key = want.join('|');
    if (!needs.has(key)) needs.set(key, [sc.name]);
    else needs.get(key)!.push(sc.name);
  }
  for (const [key, names] of needs) {
    const want = key === '' ? [] : key.split('|');
    if (want.join('|') !== have.join('|')) {
      return `${names.length} scenario${names.length > 1 ? 's' : ''} (${names[0]}${names.length > 1 ? ', ...' : ''}) need ${describe(want)}; the master has ${describe(have)}: start its agents with those --resources, or generate a suite from a configuration with the agents it has`;
    }
  }
  return null;
}

/** An external master: the URL only (its agents are whatever it has). */
export function externalCluster(masterUrl: string): ScenarioCluster {
  return { masterUrl, stop: async () => {} };
}
