/**
 * Fault hooks: how the runner kills and restarts the agents and the master of a cluster it does
 * not manage. Each hook is a shell command template (`--agent-restart-cmd 'ssh {host} systemctl
 * restart mesos-agent'`), its placeholders filled with shell-quoted words and run by `sh -c`.
 * A hook that exits non-zero or outlives its deadline fails the step, with its stderr; after a
 * restart the runner waits until the component is back (its operator API answers and, for an
 * agent, the master lists it active again), so the next step meets the cluster the trace expects.
 */
import { spawn } from 'node:child_process';
import { fromWire, mustParseResources, printResources } from '../../spec/resources/index.ts';
import type { AgentSetup } from '../../conformance/format.ts';
import { postJson } from '../http/client.ts';
import { listAgents } from './master-agents.ts';
import { waitForActiveAgents } from '../process/cluster.ts';
import type { RestartOptions, ScenarioCluster } from './cluster.ts';

export interface FaultHooks {
  /** Starts an agent again (after the kill hook, if given; else it must kill it too). */
  readonly agentRestart?: string;
  /** Kills an agent (kill -9: its executors keep running); without a restart hook, something else must start it again. */
  readonly agentKill?: string;
  /** Restarts the master. */
  readonly masterRestart?: string;
}

/** The placeholders each hook may use. */
export const HOOK_PLACEHOLDERS: Readonly<Record<keyof FaultHooks, readonly string[]>> = {
  agentRestart: ['agent_id', 'host', 'port', 'master'],
  agentKill: ['agent_id', 'host', 'port', 'master'],
  masterRestart: ['host', 'port', 'master'],
};

/** The hooks' flags, for messages. */
export const HOOK_FLAGS: Readonly<Record<keyof FaultHooks, string>> = {
  agentRestart: '--agent-restart-cmd',
  agentKill: '--agent-kill-cmd',
  masterRestart: '--master-restart-cmd',
};

/** Why a hook template cannot be used (an unknown or unclosed placeholder), naming its flag; null: it can. */
export function hookProblem(hook: keyof FaultHooks, template: string): string | null {
  if (template.trim() === '') return `'${HOOK_FLAGS[hook]}': expected a shell command, got an empty one`;
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!HOOK_PLACEHOLDERS[hook].includes(m[1]!)) {
      return `'${HOOK_FLAGS[hook]}': unknown placeholder '{${m[1]}}' (it may use ${HOOK_PLACEHOLDERS[hook].map((p) => `{${p}}`).join(', ')})`;
    }
  }
  return null;
}

/** A word `sh` reads back as exactly `value`: ids and host names come from the master's answers. */
export const shellWord = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** The command `sh -c` runs: every placeholder replaced by its value, shell-quoted. */
export function fillHook(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (name in values ? shellWord(values[name]!) : whole));
}

/**
 * Runs `command` with `sh -c` in its own process group; resolves when it exits 0, rejects with
 * its exit status and stderr otherwise, or (its group killed) when it runs longer than timeoutMs.
 */
export function runHook(flag: string, command: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, timeoutMs);
    const said = () => (stderr.trim() ? `; its stderr: ${stderr.trim()}` : '; it wrote nothing to stderr');
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${flag} could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`${flag} did not finish within ${timeoutMs / 1000} s (killed)${said()}`));
      else if (code === 0) resolve();
      else reject(new Error(`${flag} exited ${code ?? signal}: ${command}${said()}`));
    });
  });
}

interface MasterAgent {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly resources: string;
}

async function masterAgents(masterUrl: string): Promise<MasterAgent[]> {
  const agents = await listAgents(masterUrl, 5000);
  if (typeof agents === 'string') throw new Error(agents);
  return agents.map((a) => {
    const res = fromWire(a.resources as never);
    return { id: a.id, host: a.hostname ?? new URL(masterUrl).hostname, port: a.port ?? 5051, resources: res.ok ? printResources(res.value) : '' };
  });
}

/**
 * The master's agent that plays scenario agent `name`: the preflight made sure the master has
 * exactly the scenario's agents, so agents with the same resources are told apart by port order,
 * the same way in every scenario.
 */
function agentFor(name: string, scenarioAgents: readonly AgentSetup[], agents: readonly MasterAgent[]): MasterAgent {
  const setup = scenarioAgents.find((a) => a.name === name);
  if (!setup) throw new Error(`the scenario names no agent '${name}'`);
  const want = printResources(mustParseResources(setup.resources));
  const k = scenarioAgents.filter((a) => printResources(mustParseResources(a.resources)) === want).indexOf(setup);
  const candidates = agents.filter((a) => a.resources === want).sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
  const agent = candidates[k];
  if (!agent) throw new Error(`the master lists no agent with resources '${want}' to play ${name}`);
  return agent;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `url`'s operator API until GET_HEALTH answers 200, or throws at `deadline`. */
async function waitForHealth(what: string, url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const r = await postJson(`${url}/api/v1`, '{"type":"GET_HEALTH"}', {}, Math.max(500, Math.min(5000, deadline - Date.now())));
      if (r.status === 200) return;
    } catch {
      // not back yet
    }
    if (Date.now() > deadline) throw new Error(`${what} at ${url} did not answer GET_HEALTH again within the step timeout`);
    await sleep(100);
  }
}

/**
 * An external master whose faults the hooks arrange: `restartAgent` when an agent hook is given,
 * `restartMaster` when the master's is. Each fault (hooks and the wait for the component to be
 * back) must finish within `timeoutMs`.
 */
export function hookedCluster(masterUrl: string, scenarioAgents: readonly AgentSetup[], hooks: FaultHooks, timeoutMs: number): ScenarioCluster {
  const master = new URL(masterUrl);
  const masterPort = master.port || '5050';
  const restartAgent = async (name: string, options: RestartOptions = {}): Promise<void> => {
    let deadline = Date.now() + timeoutMs;
    const agent = agentFor(name, scenarioAgents, await masterAgents(masterUrl));
    const values = { agent_id: agent.id, host: agent.host, port: String(agent.port), master: masterUrl };
    // With both hooks the runner keeps the agent away between them; with one it cannot.
    const separate = hooks.agentKill !== undefined && hooks.agentRestart !== undefined;
    for (const hook of ['agentKill', 'agentRestart'] as const) {
      const template = hooks[hook];
      if (hook === 'agentRestart' && separate && options.beforeStart) {
        await options.beforeStart();
        deadline = Date.now() + timeoutMs;
      }
      if (template !== undefined) await runHook(HOOK_FLAGS[hook], fillHook(template, values), Math.max(1, deadline - Date.now()));
    }
    await waitForHealth(`${name} (${agent.id})`, `http://${agent.host.includes(':') ? `[${agent.host}]` : agent.host}:${agent.port}`, deadline);
    await waitForActiveAgents(masterUrl, [agent.port], Math.max(1, deadline - Date.now()));
  };
  const restartMaster = async (): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    await runHook(HOOK_FLAGS.masterRestart, fillHook(hooks.masterRestart!, { host: master.hostname, port: masterPort, master: masterUrl }), timeoutMs);
    await waitForHealth('the master', masterUrl, deadline);
  };
  const agentUrl = async (name: string): Promise<string | undefined> => {
    try {
      const a = agentFor(name, scenarioAgents, await masterAgents(masterUrl));
      return `http://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
    } catch {
      return undefined;
    }
  };
  return {
    masterUrl,
    agentUrl,
    ...(hooks.agentRestart !== undefined || hooks.agentKill !== undefined ? { restartAgent } : {}),
    ...(hooks.masterRestart !== undefined ? { restartMaster } : {}),
    stop: async () => {},
  };
}
