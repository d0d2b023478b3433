/**
 * `mesos-ref run --master URL --command "echo hi" [--cpus 0.1] [--mem 32] [--resources=TEXT]
 * [--env JSON] [--role ROLE] [--instances N] [--name NAME] [--checkpoint] [--partition-aware]
 * [--kill_after DURATION] [--offer_wait DURATION] [--master_timeout DURATION]`, like
 * mesos-execute: subscribes a framework (the scheduler machine, impl/scheduler-client), launches
 * N copies of the command, prints every status update as it arrives and which agent runs each
 * task, then each ended task's stdout (read from the agent's sandbox through its /files/read
 * API) and the tail of a failed task's stderr, and tears the framework down. While no offer fits
 * it says so every --offer_wait, with the largest offer seen; a master it cannot reach within
 * --master_timeout ends the run.
 * Exit codes: 0 every task finished (TASK_FINISHED), 1 otherwise, 2 bad flags.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { isTerminal, type ExecutorInfo, type FrameworkInfo, type Offer, type Resource, type TaskState } from '../spec/protocol/common.ts';
import { fromWire, parseResources, printResources, toWire } from '../spec/resources/index.ts';
import { parseDuration } from '../spec/protocol/duration.ts';
import { decodeMasterResponse, encodeMasterCall, parseJsonText } from '../spec/protocol/json.ts';
import { postJson, request } from '../impl/http/client.ts';
import type { Credential } from '../impl/http/auth.ts';
import { SchedulerClient, commandTask } from '../impl/scheduler-client/index.ts';
import type { WantedTask } from '../spec/machines/scheduler.ts';
import { followMaster, type MasterFollower } from '../impl/zk/follow.ts';
import { isZkUrl, parseZkUrl } from '../impl/zk/url.ts';

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
  resources?: string;
  env?: string;
  role?: string;
  offerWait?: string;
  masterTimeout?: string;
  principal?: string;
  secret?: string;
  executor?: string;
  group?: string;
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
  /** Each task's resources (--resources), instead of cpus and mem. */
  readonly resources?: readonly Resource[];
  /** The command's environment (--env). */
  readonly env?: Readonly<Record<string, string>>;
  /** The framework's role (--role). */
  readonly role?: string;
  /** Say that no offer fits after this long without a launch (default 10 s). */
  readonly offerWaitSeconds?: number;
  /** Give up on a master not reached within this long (default 30 s). */
  readonly masterTimeoutSeconds?: number;
  /** Ends the run like Ctrl-C (tests). */
  readonly signal?: AbortSignal;
  /** --principal and --secret (mesos-execute's): HTTP Basic credentials for the master. */
  readonly credential?: Credential;
  /** --executor: every task goes through one custom executor running this shell command. */
  readonly executor?: string;
  /** --group N: the `instances` tasks as one task group under the default executor. */
  readonly group?: boolean;
  /** Where lines go (default stdout) and notes (default stderr). */
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** Checks the flags; returns the options or a message naming the bad flag. */
export function parseRunFlags(flags: RunFlags): { ok: true; options: RunOptions } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (!flags.master) return fail("--master: required (the master's URL, e.g. http://127.0.0.1:5050)");
  let master: { origin: string };
  if (isZkUrl(flags.master)) {
    // Follow the leader ZooKeeper names (impl/zk/follow.ts), as Mesos's scheduler drivers do.
    const zk = parseZkUrl(flags.master);
    if (!zk.ok) return fail(`--master: ${zk.error}`);
    master = { origin: flags.master };
  } else {
    try {
      master = new URL(/^[a-z]+:\/\//i.test(flags.master) ? flags.master : `http://${flags.master}`);
    } catch {
      return fail(`--master: not a URL: '${flags.master}'`);
    }
    if (!(master as URL).protocol.startsWith('http:')) return fail(`--master: only http:// and zk:// masters are supported, got '${flags.master}'`);
  }
  if (flags.command === undefined || flags.command.trim() === '') return fail('--command: required (the shell command to run)');
  const number = (text: string) => (/^\s*[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : NaN);
  const cpus = number(flags.cpus);
  if (!Number.isFinite(cpus) || cpus <= 0) return fail(`--cpus: expected a positive number, got '${flags.cpus}'`);
  const mem = number(flags.mem);
  if (!Number.isFinite(mem) || mem < 0) return fail(`--mem: expected a number of MB (0 or more), got '${flags.mem}'`);
  if (!/^\s*\d+\s*$/.test(flags.instances) || Number(flags.instances) < 1) return fail(`--instances: expected a whole number of at least 1, got '${flags.instances}'`);
  let instances = Number(flags.instances);
  if (flags.group !== undefined) {
    if (!/^\s*\d+\s*$/.test(flags.group) || Number(flags.group) < 1) return fail(`--group: expected a whole number of tasks of at least 1, got '${flags.group}'`);
    if (flags.instances.trim() !== '1' && Number(flags.instances) !== Number(flags.group))
      return fail(`--group: runs ${flags.group} tasks, which --instances ${flags.instances} contradicts (leave --instances out)`);
    if (flags.executor !== undefined) return fail('--group: a task group runs under the default executor, not --executor');
    instances = Number(flags.group);
  }
  if (flags.name.trim() === '' || /[/\\\x00-\x1f]/.test(flags.name) || flags.name.length > 200) {
    return fail(`--name: expected a name without '/', '\\' or control characters, got '${flags.name}'`);
  }
  // Seconds as a number, or a Mesos duration (`10secs`, `500ms`), as mesos-execute takes them.
  const seconds = (text: string) => {
    const plain = number(text);
    if (Number.isFinite(plain)) return plain;
    const ms = parseDuration(text.trim());
    return ms === null ? NaN : ms / 1000;
  };
  const durations: Partial<Record<'killAfterSeconds' | 'offerWaitSeconds' | 'masterTimeoutSeconds', number>> = {};
  for (const [key, flag, text] of [
    ['killAfterSeconds', '--kill_after', flags.killAfter],
    ['offerWaitSeconds', '--offer_wait', flags.offerWait],
    ['masterTimeoutSeconds', '--master_timeout', flags.masterTimeout],
  ] as const) {
    if (text === undefined) continue;
    const v = seconds(text);
    if (!Number.isFinite(v) || v <= 0) return fail(`${flag}: expected a positive duration such as 10secs or a number of seconds, got '${text}'`);
    durations[key] = v;
  }
  let resources: Resource[] | undefined;
  if (flags.resources !== undefined) {
    const parsed = parseResources(flags.resources);
    if (!parsed.ok) return fail(`--resources: ${parsed.error}`);
    resources = toWire(parsed.value) as Resource[];
    if (resources.length === 0) return fail(`--resources: expected resources such as cpus:0.1;mem:32, got '${flags.resources}'`);
  }
  let env: Record<string, string> | undefined;
  if (flags.env !== undefined) {
    const parsed = parseJsonText(flags.env);
    const value = parsed.ok ? parsed.value : undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
      return fail(`--env: expected a JSON object of strings such as '{"NAME":"value"}', got '${flags.env}'`);
    }
    env = value as Record<string, string>;
  }
  if (flags.role !== undefined && !/^[\w.-][\w./-]*$/.test(flags.role)) return fail(`--role: expected a role name such as 'dev' or 'eng/web', got '${flags.role}'`);
  if (flags.executor !== undefined && flags.executor.trim() === '') return fail("--executor: expected the executor's shell command, e.g. 'node examples/shell-executor.cjs'");
  if ((flags.principal === undefined) !== (flags.secret === undefined))
    return fail(`--${flags.principal === undefined ? 'principal' : 'secret'}: required with --${flags.principal === undefined ? 'secret' : 'principal'}`);
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
      ...durations,
      ...(resources ? { resources } : {}),
      ...(env ? { env } : {}),
      ...(flags.role !== undefined ? { role: flags.role } : {}),
      ...(flags.executor !== undefined ? { executor: flags.executor } : {}),
      ...(flags.group !== undefined ? { group: true } : {}),
    },
  };
}

function taskIds(o: RunOptions): string[] {
  return o.instances === 1 ? [o.name] : Array.from({ length: o.instances }, (_, i) => `${o.name}-${i}`);
}

/** What the custom executor of --executor holds besides its tasks (Mesos's MIN_CPUS and MIN_MEM would be 0.01 and 32). */
const EXECUTOR_CPUS = 0.1;
const EXECUTOR_MEM = 32;
/** The default executor of --group also needs disk (Mesos refuses one without); mesos-execute gives it 32 MB. */
const EXECUTOR_DISK = 32;

/**
 * Each task as the scheduler machine wants it: the command, its environment, its resources; with
 * --executor, one custom executor (id `<name>-executor`, the environment is its) for every task,
 * which gets the command as its `data`.
 */
function wantedTasks(o: RunOptions): WantedTask[] {
  const environment = o.env ? { variables: Object.entries(o.env).map(([name, value]) => ({ name, value })) } : undefined;
  const executor: ExecutorInfo | undefined =
    o.executor === undefined
      ? undefined
      : {
          type: 'CUSTOM',
          executor_id: { value: `${o.name}-executor` },
          name: `${o.name} executor`,
          command: { value: o.executor, shell: true, ...(environment ? { environment } : {}) },
          resources: [
            { name: 'cpus', type: 'SCALAR', scalar: { value: EXECUTOR_CPUS } },
            { name: 'mem', type: 'SCALAR', scalar: { value: EXECUTOR_MEM } },
          ],
        };
  const group: ExecutorInfo | undefined = !o.group
    ? undefined
    : {
        type: 'DEFAULT',
        executor_id: { value: `${o.name}-executor` },
        name: `${o.name} default executor`,
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: EXECUTOR_CPUS } },
          { name: 'mem', type: 'SCALAR', scalar: { value: EXECUTOR_MEM } },
          { name: 'disk', type: 'SCALAR', scalar: { value: EXECUTOR_DISK } },
        ],
      };
  return taskIds(o).map((id) => {
    const base = commandTask(id, o.command, o.cpus, o.mem);
    return {
      ...base,
      ...(o.resources ? { resources: o.resources } : {}),
      command: { ...base.command, ...(environment ? { environment } : {}) },
      ...(executor ? { executor } : {}),
      ...(group ? { group } : {}),
    };
  });
}

/** An offer's resources in Mesos's text form, and its size for "the largest offer" (cpus, then mem). */
function describeOffer(offer: Offer): { text: string; size: [number, number] } {
  // A MULTI_ROLE offer's allocation_info has no text form: what is offered is the same without it.
  const parsed = fromWire((offer.resources ?? []).map(({ allocation_info: _, ...r }) => r));
  let text = JSON.stringify(offer.resources ?? []);
  try {
    if (parsed.ok) text = printResources(parsed.value);
  } catch {
    // a resource without a text form (a volume, a disk source): keep the JSON
  }
  const scalar = (name: string) => (offer.resources ?? []).filter((r) => r.name === name).reduce((a, r) => a + (r.scalar?.value ?? 0), 0);
  return { text, size: [scalar('cpus'), scalar('mem')] };
}

/** Seconds with at most one decimal (durations people read). */
const secs = (s: number) => `${Math.round(s * 10) / 10} s`;

/** Runs the tasks to the end; resolves with the exit code. */
export async function run(o: RunOptions): Promise<number> {
  const out = o.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = o.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ids = taskIds(o);
  const tasks = wantedTasks(o);
  const capabilities: FrameworkInfo['capabilities'] = [
    ...(o.partitionAware ? [{ type: 'PARTITION_AWARE' as const }] : []),
    ...(o.role !== undefined ? [{ type: 'MULTI_ROLE' as const }] : []),
  ];
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
    ...(o.role !== undefined ? { roles: [o.role] } : {}),
    ...(capabilities.length ? { capabilities } : {}),
  };
  let unreachableNoted = 0;
  let lastUnreachable = '';
  let follower: MasterFollower | undefined;
  if (isZkUrl(o.master)) {
    const zk = parseZkUrl(o.master);
    try {
      if (!zk.ok) throw new Error(zk.error);
      follower = await followMaster(zk.url, (line) => err(line));
    } catch (e) {
      err(`--master: ${(e as Error).message}`);
      return 1;
    }
  }
  /** The master to ask now: the detected leader with --master zk://. */
  const masterNow = () => follower?.detector.current() ?? o.master;
  const client = new SchedulerClient({
    master: follower?.detector ?? o.master,
    framework_info: framework,
    tasks,
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
      if (/cannot reach|SUBSCRIBE answered/.test(line)) lastUnreachable = line.replace(/^scheduler: /, '');
      // Say once in a while that the master cannot be reached; everything else is noise here.
      if (/cannot reach|SUBSCRIBE answered/.test(line) && Date.now() - unreachableNoted > 10_000) {
        unreachableNoted = Date.now();
        err(lastUnreachable);
      }
    },
  });

  const seenUuids = new Set<string>();
  const final = new Map<string, TaskState>();
  const agents = new Map<string, string>();
  const hostnames = new Map<string, string>();
  const killTimers: NodeJS.Timeout[] = [];
  let errorMessage: string | undefined;
  let interrupted = false;
  let gaveUp = false;
  let interrupt = () => {};
  let unauthenticated = () => {};

  // Offers that did not fit: after --offer_wait without a launch, say so and name the largest.
  const offerWaitMs = (o.offerWaitSeconds ?? 10) * 1000;
  const launched = new Set<string>();
  let lastProgress = Date.now();
  let largest: { text: string; size: [number, number]; agent: string } | undefined;
  let offersSeen = 0;
  const need = tasks[0] ? describeOffer({ resources: tasks[0].resources } as Offer).text : '';
  client.on('call', (c) => {
    if (c.type !== 'ACCEPT') return;
    for (const op of c.accept.operations ?? []) for (const t of op.launch?.task_infos ?? []) launched.add(t.task_id.value);
    lastProgress = Date.now();
  });
  const offerWatch = setInterval(
    () => {
      if (launched.size === ids.length || client.frameworkId === undefined || Date.now() - lastProgress < offerWaitMs) return;
      const waited = secs((Date.now() - lastProgress) / 1000);
      if (offersSeen === 0) err(`No offer received for ${waited}: no agent has resources for this framework's role (each task needs ${need})`);
      else err(`No offer has fit for ${waited}: each task needs ${need}; the largest offer was ${largest!.text} from agent ${largest!.agent}`);
      lastProgress = Date.now();
    },
    Math.min(1000, offerWaitMs),
  );

  // A master never reached within --master_timeout ends the run.
  const masterTimeoutMs = (o.masterTimeoutSeconds ?? 30) * 1000;
  let giveUp = () => {};
  const unreachable = setTimeout(() => giveUp(), masterTimeoutMs);

  const done = new Promise<void>((resolve) => {
    const check = () => {
      if (final.size === ids.length || client.isStopped || interrupted || gaveUp) resolve();
    };
    giveUp = () => {
      gaveUp = true;
      err(`Giving up: could not subscribe to the master at ${o.master} within ${secs(masterTimeoutMs / 1000)}${lastUnreachable ? ` (last: ${lastUnreachable})` : ''}`);
      check();
    };
    client.on('event', (e) => {
      if (e.type === 'SUBSCRIBED') {
        clearTimeout(unreachable);
        lastProgress = Date.now();
        out(`Subscribed with ID ${e.subscribed.framework_id.value}`);
      } else if (e.type === 'OFFERS') {
        for (const offer of e.offers.offers ?? []) {
          offersSeen++;
          hostnames.set(offer.agent_id.value, offer.hostname);
          const d = describeOffer(offer);
          if (!largest || d.size[0] > largest.size[0] || (d.size[0] === largest.size[0] && d.size[1] > largest.size[1]))
            largest = { ...d, agent: `${offer.agent_id.value} (${offer.hostname})` };
        }
      } else if (e.type === 'ERROR') {
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
        if (s.agent_id?.value && !agents.has(tid)) {
          agents.set(tid, s.agent_id.value);
          const host = hostnames.get(s.agent_id.value);
          out(`Task ${tid} is on agent ${s.agent_id.value}${host ? ` (${host})` : ''}`);
        }
        const why = s.state !== 'TASK_FINISHED' && (s.message || s.reason) ? `  (${[s.reason, s.message].filter(Boolean).join(': ')})` : '';
        out(`${s.state}  ${tid}${why}`);
        if (s.state === 'TASK_RUNNING' && o.killAfterSeconds !== undefined) {
          const t = setTimeout(() => {
            if (!final.has(tid)) {
              out(`Killing ${tid} after ${secs(o.killAfterSeconds!)}`);
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
    o.signal?.addEventListener('abort', interrupt, { once: true });
  });

  await done;
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
  clearInterval(offerWatch);
  clearTimeout(unreachable);
  for (const t of killTimers) clearTimeout(t);
  if (gaveUp && client.frameworkId === undefined) {
    await client.close();
    follower?.close();
    return 1;
  }

  // Each ended task's stdout, and a failed one's stderr tail, from its agent's sandbox.
  if (!interrupted && client.frameworkId !== undefined) {
    for (const tid of ids) {
      if (!final.has(tid)) continue;
      const aid = agents.get(tid);
      const text = aid ? await sandboxFile(masterNow(), aid, client.frameworkId, tid, 'stdout', o.group === true) : { ok: false as const, why: 'the task never reached an agent' };
      if (text.ok) {
        out(`--- stdout of ${tid} ---`);
        if (text.data.length > 0) out(text.data.endsWith('\n') ? text.data.slice(0, -1) : text.data);
        out('---');
      } else {
        out(`(stdout of ${tid} unavailable: ${text.why})`);
      }
      if (final.get(tid) === 'TASK_FINISHED' || !aid) continue;
      const stderr = await sandboxFile(masterNow(), aid, client.frameworkId, tid, 'stderr', o.group === true);
      if (!stderr.ok) {
        out(`(stderr of ${tid} unavailable: ${stderr.why})`);
        continue;
      }
      const lines = stderr.data.replace(/\n$/, '').split('\n');
      const tail = lines.slice(-STDERR_TAIL_LINES);
      out(`--- stderr of ${tid}${lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : ''} ---`);
      if (stderr.data.length > 0) out(tail.join('\n'));
      out('---');
    }
  }

  if (!client.isStopped) {
    const answer = await client.teardown();
    if (answer && answer.status !== 202) err(`TEARDOWN answered ${answer.status ?? answer.error?.message}: ${answer.body ?? ''}`);
  }
  await client.close();
  follower?.close();
  const finished = ids.filter((id) => final.get(id) === 'TASK_FINISHED').length;
  if (errorMessage === undefined) out(`${finished} of ${ids.length} task(s) finished`);
  return finished === ids.length ? 0 : 1;
}

/** How much of a failed task's stderr is printed. */
const STDERR_TAIL_LINES = 20;

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

async function sandboxFile(master: string, agentId: string, frameworkId: string, taskId: string, file: 'stdout' | 'stderr', grouped = false): Promise<Stdout> {
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
    // A task of a group has its own sandbox under the default executor's, as in Mesos.
    if (grouped) directory = `${directory}/tasks/${taskId}`;
    let data = '';
    let offset = 0;
    while (data.length < MAX_STDOUT) {
      const q = new URLSearchParams({ path: `${directory}/${file}`, offset: String(offset) });
      const r = await request(new URL(`/files/read?${q}`, url), { timeoutMs: 10_000 });
      if (r.status === 404) return { ok: false, why: `${directory}/${file} not found on ${url}` };
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
    .option('--resources <text>', 'resources per task in Mesos syntax, e.g. "cpus:1;mem:128" (instead of --cpus and --mem)')
    .option('--env <json>', 'environment of the command, a JSON object such as \'{"NAME":"value"}\'')
    .option('--role <role>', 'the role the framework subscribes with (MULTI_ROLE)')
    .option('--instances <n>', 'how many copies to run', '1')
    .option('--name <name>', 'framework name and task id prefix', 'mesos-ref-run')
    .option('--checkpoint', 'ask agents to checkpoint the tasks (they survive agent restarts)')
    .option('--partition_aware, --partition-aware', 'subscribe with the PARTITION_AWARE capability')
    .option('--kill_after, --kill-after <duration>', 'kill each task this long after it started running (10secs, or seconds)')
    .option('--offer_wait, --offer-wait <duration>', 'say that no offer fits after this long without a launch', '10secs')
    .option('--master_timeout, --master-timeout <duration>', 'give up on a master not reached within this long', '30secs')
    .option('--principal <name>', 'authenticate to the master as this principal (with --secret)')
    .option('--secret <secret>', "the principal's secret")
    .option('--group <n>', 'run N tasks as one task group under the default executor (all or nothing; when one fails or is killed the others are killed)')
    .option('--executor <cmd>', 'launch every task through one custom executor running this shell command (it gets the --command as the task data)')
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
