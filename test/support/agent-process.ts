/**
 * Helpers for tests that run real agents: start `mesos-ref agent` as a process on an ephemeral
 * port with its own work dir, call its APIs, and clean everything up (the agent, its executors
 * and their tasks, the work dir) even when a test fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type HttpAnswer } from '../../impl/http/client.ts';
import { Child } from '../../impl/process/children.ts';
import { mesosRefArgv } from '../../impl/process/proc.ts';
import { killRecordedExecutors, metaDir } from '../../impl/agent/containers.ts';
import { ExecutorTokens } from '../../impl/agent/executor-tokens.ts';

export interface AgentProcess {
  readonly child: Child;
  readonly url: string;
  readonly workDir: string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts `mesos-ref agent` and resolves once it serves. */
export async function startAgentProcess(options: {
  master: string;
  workDir: string;
  port?: number;
  args?: readonly string[];
  name?: string;
  echo?: boolean;
}): Promise<AgentProcess> {
  const argv = [...mesosRefArgv(), 'agent', '--master', options.master, '--port', String(options.port ?? 0), '--work-dir', options.workDir, ...(options.args ?? [])];
  const child = new Child(options.name ?? 'agent', argv, {
    logFile: join(options.workDir, 'agent.log'),
    // In the test runner's process group: an interrupted test run takes its agents along.
    detached: false,
    ...(options.echo ? { onLine: (line: string) => console.error(`  | ${line}`) } : {}),
  });
  const m = await child.waitForLine(/^agent listening on (\S+)/, 20_000);
  return { child, url: m[1]!, workDir: options.workDir };
}

/** Stops a `mesos-ref cluster` process (SIGTERM, as Ctrl-C), kills what its agents' work dirs recorded, removes the work dir. */
export async function cleanupCluster(cluster: Child | undefined, workDir: string, agents = 1): Promise<void> {
  if (cluster && !cluster.hasExited) await cluster.stop('SIGTERM', 15_000);
  if (!workDir) return;
  for (let i = 0; i < agents; i++) killRecordedExecutors(join(workDir, `agent-${i}`));
  rmSync(workDir, { recursive: true, force: true });
}

/** Kills the agent, every executor and task it recorded, and removes the work dir. */
export async function cleanupAgent(agent: AgentProcess | undefined, workDir?: string): Promise<void> {
  if (agent && !agent.child.hasExited) await agent.child.kill();
  const dir = workDir ?? agent?.workDir;
  if (dir) {
    killRecordedExecutors(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return request(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers }, timeoutMs: 10_000 });
}

/**
 * The `Authorization` header an executor of this agent sends: a token signed with the key the
 * agent generated in its work dir, for the executor's live container (its run.json) unless
 * `claims` says otherwise. Tests use it to speak as an executor, or as an impostor.
 */
export function executorAuthorization(workDir: string, fid: string, eid: string, claims: Partial<{ fid: string; eid: string; cid: string }> = {}): Record<string, string> {
  const run = JSON.parse(readFileSync(join(metaDir(workDir, fid, eid), 'run.json'), 'utf8')) as { container_id: string };
  const tokens = ExecutorTokens.load(undefined, join(workDir, 'meta', 'jwt-secret-key'));
  return { Authorization: `Bearer ${tokens.sign({ fid, eid, cid: run.container_id, ...claims })}` };
}

/** The agent's GET_STATE response body (a string, so states compare exactly). */
export async function agentState(url: string): Promise<string> {
  const r = await postJson(`${url}/api/v1`, '{"type":"GET_STATE"}');
  if (r.status !== 200) throw new Error(`GET_STATE: ${r.status} ${r.body}`);
  return r.body;
}
