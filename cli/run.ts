/**
 * `mesos-ref run --master URL --command "echo hi" [--cpus 0.1] [--mem 32] [--instances N]
 * [--name NAME] [--checkpoint] [--partition-aware] [--kill-after SECONDS]`, like mesos-execute:
 * subscribes a framework (the scheduler machine, impl/scheduler-client), launches N copies of the
 * command, prints every status update as it arrives, then each ended task's stdout (read from the
 * agent's sandbox through its /files/read API), and tears the framework down.
 * Exit codes: 0 every task finished (TASK_FINISHED), 1 otherwise, 2 bad flags.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { isTerminal, type FrameworkInfo, type TaskState } from '../spec/protocol/common.ts';
import { decodeMasterResponse, encodeMasterCall, parseJsonText } from '../spec/protocol/json.ts';
import { postJson, request } from '../impl/http/client.ts';
import type { Credential } from '../impl/http/auth.ts';
import { SchedulerClient, commandTask } from '../impl/scheduler-client/index.ts';

interface RunFlags {
  master?: string;
  command?: string;
  cpus: string;
  mem: string;
  instances: string;
  name: string;
  checkpoint?: boolean;
  partitionAware?: boolean;
  killAfter?: string;
  principal?: string;
  secret?: string;
}

export interface RunOptions {
  readonly master: string;
  readonly command: string;
  readonly cpus: number;
  readonly mem: number;
  readonly instances: number;
  readonly name: string;
  readonly checkpoint: boolean;
  readonly partitionAware: boolean;
  readonly killAfterSeconds?: number;
  /** --principal and --secret (mesos-execute's): HTTP Basic credentials for the master. */
  readonly credential?: Credential;
  /** Where lines go (default stdout) and notes (default stderr). */
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** Checks the flags; returns the options or a message naming the bad flag. */
export function parseRunFlags(flags: RunFlags): { ok: true; options: RunOptions } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (!flags.master) return fail("--master: required (the master's URL, e.g. http://127.0.0.1:5050)");
  let master: URL;
  try {
    master = new URL(/^[a-z]+:\/\//i.test(flags.master) ? flags.master : `http://${flags.master}`);
  } catch {
    return fail(`--master: not a URL: '${flags.master}'`);
  }
  if (master.protocol !== 'http:') return fail(`--master: only http:// masters are supported, got '${flags.master}'`);
  if (flags.command === undefined || flags.command.trim() === '') return fail('--command: required (the shell command to run)');
  const number = (text: string) => (/^\s*[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : NaN);
  const cpus = number(flags.cpus);
  if (!Number.isFinite(cpus) || cpus <= 0) return fail(`--cpus: expected a positive number, got '${flags.cpus}'`);
  const mem = number(flags.mem);
  if (!Number.isFinite(mem) || mem < 0) return fail(`--mem: expected a number of MB (0 or more), got '${flags.mem}'`);
  if (!/^\s*\d+\s*$/.test(flags.instances) || Number(flags.instances) < 1) return fail(`--instances: expected a whole number of at least 1, got '${flags.instances}'`);
  const instances = Number(flags.instances);
  if (flags.name.trim() === '' || /[/\\\x00-\x1f]/.test(flags.name) || flags.name.length > 200) {
    return fail(`--name: expected a name without '/', '\\' or control characters, got '${flags.name}'`);
  }
  let killAfterSeconds: number | undefined;
  if (flags.killAfter !== undefined) {
    killAfterSeconds = number(flags.killAfter);
    if (!Number.isFinite(killAfterSeconds) || killAfterSeconds <= 0) return fail(`--kill-after: expected a positive number of seconds, got '${flags.killAfter}'`);
  }
  if ((flags.principal === undefined) !== (flags.secret === undefined)) return fail(`--${flags.principal === undefined ? 'principal' : 'secret'}: required with --${flags.principal === undefined ? 'secret' : 'principal'}`);
  return {
    ok: true,
    options: {
      ...(flags.principal !== undefined && flags.secret !== undefined ? { credential: { principal: flags.principal, secret: flags.secret } } : {}),
      master: master.origin,
      command: flags.command,
      cpus,
      mem,
      instances,
      name: flags.name,
      checkpoint: flags.checkpoint ?? false,
      partitionAware: flags.partitionAware ?? false,
      ...(killAfterSeconds !== undefined ? { killAfterSeconds } : {}),
    },
  };
}

function taskIds(o: RunOptions): string[] {
  return o.instances === 1 ? [o.name] : Array.from({ length: o.instances }, (_, i) => `${o.name}-${i}`);
}

/** Runs the tasks to the end; resolves with the exit code. */
export async function run(o: RunOptions): Promise<number> {
  const out = o.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = o.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ids = taskIds(o);
  const capabilities: FrameworkInfo['capabilities'] = o.partitionAware ? [{ type: 'PARTITION_AWARE' }] : [];
  let user = 'root';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry: keep root
  }
  const framework: FrameworkInfo = {
    user,
    name: o.name,
    checkpoint: o.checkpoint,
    ...(capabilities.length ? { capabilities } : {}),
  };
  let unreachableNoted = 0;
  const client = new SchedulerClient({
    master: o.master,
    framework_info: framework,
    tasks: ids.map((id) => commandTask(id, o.command, o.cpus, o.mem)),
    reconcile: 'explicit',
    ...(o.credential ? { credential: o.credential } : {}),
    log: (line) => {
      // Credentials the master refuses will not become right by retrying.
      if (/SUBSCRIBE answered 401/.test(line) && errorMessage === undefined) {
        errorMessage = line.replace(/^scheduler: /, '');
        err(`${errorMessage}${o.credential ? '' : ' (pass --principal and --secret)'}`);
        unauthenticated();
        return;
      }
      // Say once in a while that the master cannot be reached; everything else is noise here.
      if (/cannot reach|SUBSCRIBE answered/.test(line) && Date.now() - unreachableNoted > 10_000) {
        unreachableNoted = Date.now();
        err(line.replace(/^scheduler: /, ''));
      }
    },
  });

  const seenUuids = new Set<string>();
  const final = new Map<string, TaskState>();
  const agents = new Map<string, string>();
  const killTimers: NodeJS.Timeout[] = [];
  let errorMessage: string | undefined;
  let interrupted = false;
  let interrupt = () => {};
  let unauthenticated = () => {};

  const done = new Promise<void>((resolve) => {
    const check = () => {
      if (final.size === ids.length || client.isStopped || interrupted) resolve();
    };
    client.on('event', (e) => {
      if (e.type === 'SUBSCRIBED') out(`Subscribed with ID ${e.subscribed.framework_id.value}`);
      else if (e.type === 'ERROR') {
        errorMessage = e.error.message;
        err(`The master refused the framework: ${e.error.message}`);
      } else if (e.type === 'UPDATE') {
        const s = e.update.status;
        const tid = s.task_id.value;
        if (!ids.includes(tid)) return;
        if (s.uuid !== undefined) {
          if (seenUuids.has(s.uuid)) return;
          seenUuids.add(s.uuid);
        }
        if (s.agent_id?.value) agents.set(tid, s.agent_id.value);
        const why = s.state !== 'TASK_FINISHED' && (s.message || s.reason) ? `  (${[s.reason, s.message].filter(Boolean).join(': ')})` : '';
        out(`${s.state}  ${tid}${why}`);
        if (s.state === 'TASK_RUNNING' && o.killAfterSeconds !== undefined) {
          const t = setTimeout(() => {
            if (!final.has(tid)) {
              out(`Killing ${tid} after ${o.killAfterSeconds} s`);
              client.kill(tid);
            }
          }, o.killAfterSeconds * 1000);
          killTimers.push(t);
        }
        if (isTerminal(s.state)) final.set(tid, s.state);
      }
      queueMicrotask(check);
    });
    client.on('stopped', check);
    unauthenticated = () => {
      interrupted = true;
      check();
    };
    interrupt = () => {
      interrupted = true;
      err('Interrupted: tearing the framework down');
      check();
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
  });

  await done;
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
  for (const t of killTimers) clearTimeout(t);

  // Each ended task's stdout, from its agent's sandbox.
  if (!interrupted && client.frameworkId !== undefined) {
    for (const tid of ids) {
      if (!final.has(tid)) continue;
      const aid = agents.get(tid);
      const text = aid ? await sandboxStdout(o.master, aid, client.frameworkId, tid) : { ok: false as const, why: 'the task never reached an agent' };
      if (text.ok) {
        out(`--- stdout of ${tid} ---`);
        if (text.data.length > 0) out(text.data.endsWith('\n') ? text.data.slice(0, -1) : text.data);
        out('---');
      } else {
        out(`(stdout of ${tid} unavailable: ${text.why})`);
      }
    }
  }

  if (!client.isStopped) {
    const answer = await client.teardown();
    if (answer && answer.status !== 202) err(`TEARDOWN answered ${answer.status ?? answer.error?.message}: ${answer.body ?? ''}`);
  }
  await client.close();
  const finished = ids.filter((id) => final.get(id) === 'TASK_FINISHED').length;
  if (errorMessage === undefined) out(`${finished} of ${ids.length} task(s) finished`);
  return finished === ids.length ? 0 : 1;
}

type Stdout = { ok: true; data: string } | { ok: false; why: string };

/** Where the agent serves its API: from the master's GET_AGENTS. */
async function agentUrl(master: string, agentId: string): Promise<string | undefined> {
  const r = await postJson(new URL('/api/v1', master), encodeMasterCall({ type: 'GET_AGENTS' }), {}, 10_000);
  if (r.status !== 200) return undefined;
  const json = parseJsonText(r.body, { nonFinite: true });
  if (!json.ok) return undefined;
  const decoded = decodeMasterResponse(json.value);
  if (!decoded.ok || decoded.value.type !== 'GET_AGENTS') return undefined;
  const agent = (decoded.value.get_agents.agents ?? []).find((a) => a.agent_info.id?.value === agentId);
  if (!agent) return undefined;
  const host = agent.agent_info.hostname;
  return `http://${host.includes(':') ? `[${host}]` : host}:${agent.agent_info.port ?? 5051}`;
}

/** The sandbox directory of the task's (command) executor in the agent's v0 state. */
function findDirectory(state: unknown, frameworkId: string, taskId: string): string | undefined {
  const s = state as Record<string, unknown>;
  const frameworks = [...((s.frameworks as unknown[]) ?? []), ...((s.completed_frameworks as unknown[]) ?? [])] as Record<string, unknown>[];
  for (const f of frameworks) {
    if (f.id !== frameworkId) continue;
    const executors = [...((f.executors as unknown[]) ?? []), ...((f.completed_executors as unknown[]) ?? [])] as Record<string, unknown>[];
    // The command executor's id is the task id; a custom executor lists the task.
    for (const e of executors) {
      const tasks = [...((e.tasks as unknown[]) ?? []), ...((e.completed_tasks as unknown[]) ?? []), ...((e.queued_tasks as unknown[]) ?? [])] as Record<string, unknown>[];
      if ((e.id === taskId || tasks.some((t) => t.id === taskId)) && typeof e.directory === 'string') return e.directory;
    }
  }
  return undefined;
}

const MAX_STDOUT = 1 << 20;

async function sandboxStdout(master: string, agentId: string, frameworkId: string, taskId: string): Promise<Stdout> {
  try {
    const url = await agentUrl(master, agentId);
    if (!url) return { ok: false, why: `the master does not know agent ${agentId}` };
    let directory: string | undefined;
    for (const path of ['/slave(1)/state', '/state']) {
      const r = await request(new URL(path, url), { timeoutMs: 10_000 });
      if (r.status !== 200) continue;
      const json = parseJsonText(r.body, { nonFinite: true });
      if (json.ok) directory = findDirectory(json.value, frameworkId, taskId);
      if (directory) break;
    }
    if (!directory) return { ok: false, why: `agent ${url} does not show a sandbox for ${taskId} (executors[].directory)` };
    let data = '';
    let offset = 0;
    while (data.length < MAX_STDOUT) {
      const q = new URLSearchParams({ path: `${directory}/stdout`, offset: String(offset) });
      const r = await request(new URL(`/files/read?${q}`, url), { timeoutMs: 10_000 });
      if (r.status === 404) return { ok: false, why: `${directory}/stdout not found on ${url}` };
      if (r.status !== 200) return { ok: false, why: `${url}/files/read answered ${r.status}: ${r.body.trim()}` };
      const json = parseJsonText(r.body);
      const chunk = json.ok ? (json.value as { data?: unknown }).data : undefined;
      if (typeof chunk !== 'string') return { ok: false, why: `${url}/files/read did not answer {data, offset}` };
      if (chunk.length === 0) break;
      data += chunk;
      offset += Buffer.byteLength(chunk, 'utf8');
    }
    return { ok: true, data };
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a shell command as N tasks through a master, like mesos-execute')
    .option('--master <url>', "the master's URL, e.g. http://127.0.0.1:5050")
    .option('--command <cmd>', 'the shell command each task runs')
    .option('--cpus <n>', 'cpus per task', '0.1')
    .option('--mem <mb>', 'memory per task in MB', '32')
    .option('--instances <n>', 'how many copies to run', '1')
    .option('--name <name>', 'framework name and task id prefix', 'mesos-ref-run')
    .option('--checkpoint', 'ask agents to checkpoint the tasks (they survive agent restarts)')
    .option('--partition-aware', 'subscribe with the PARTITION_AWARE capability')
    .option('--kill-after <seconds>', 'kill each task this long after it started running')
    .option('--principal <name>', 'authenticate to the master as this principal (with --secret)')
    .option('--secret <secret>', "the principal's secret")
    .action(async (flags: RunFlags) => {
      const parsed = parseRunFlags(flags);
      if (!parsed.ok) {
        console.error(`mesos-ref run: ${parsed.error}`);
        process.exitCode = 2;
        return;
      }
      process.exitCode = await run(parsed.options);
    });
}
