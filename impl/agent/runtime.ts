/**
 * The reference agent: spec/machines/agent.ts hosted by impl/host.ts, wired to the world.
 *
 *   master link        impl/agent/master-link.ts (docs/runtime-transport.md)
 *   executors          impl/agent/containers.ts: `spawn` starts `mesos-ref executor`, `stop`
 *                      destroys it, process exits become EXECUTOR_TERMINATED
 *   checkpoint         `persist` effects, written atomically to <work-dir>/meta/checkpoint.json
 *                      and fsynced before the step's later effects run (group commit:
 *                      impl/agent/group-commit.ts); read back as `input.recovered`
 *   HTTP               POST /api/v1/executor (Mesos's executor API, reference 2.1),
 *                      POST /api/v1 (GET_HEALTH, GET_VERSION, GET_FLAGS, GET_METRICS, GET_STATE,
 *                      GET_TASKS, GET_FRAMEWORKS, GET_EXECUTORS, GET_AGENT, GET_CONTAINERS,
 *                      LIST_FILES, READ_FILE), both also
 *                      under Mesos's /slave(1)/ prefix,
 *                      GET /state, /slave(1)/state, /health, /version, /flags,
 *                      /files/read, /files/browse
 *
 * Every HTTP status decision the machine does not make is made here from its context and state
 * value, in Mesos's order (src/slave/http.cpp `Http::executor`); a rejected request never
 * reaches the machine.
 */
import type { AnyStateMachine } from 'xstate';
import { appendFileSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Host, messageIdOf, type TraceRecord } from '../host.ts';
import { agentMachine, executorAddress, type AgentCheckpoint, type AgentContext, type AgentFlags, type AgentInput } from '../../spec/machines/agent.ts';
import { DEFAULT_AGENT_FLAGS, timerIds } from '../../spec/machines/agent/types.ts';
import { formatDuration } from '../../spec/protocol/duration.ts';
import type { AgentCounter, CountEffect, ReplyEffect, SendEffect, StopEffect, VolumeEffect } from '../../spec/machines/effects.ts';
import type { ExecutorPrincipal } from '../../spec/machines/agent/types.ts';
import type { Effect, Local } from '../../spec/step.ts';
import type { Attribute, Resource, TaskStatus } from '../../spec/protocol/common.ts';
import type { ExecutorCall, ExecutorEvent } from '../../spec/protocol/executor.ts';
import type { InternalMessage, StatusUpdate } from '../../spec/protocol/internal.ts';
import { decodeAgentCall, encodeAgentResponse, encodeExecutorEvent, parseJsonText } from '../../spec/protocol/json.ts';
import type { AgentCall } from '../../spec/protocol/operator.ts';
import { parseAgentCallBody, parseExecutorCallBody, validateAgentCall } from '../../spec/protocol/validation.ts';
import { ArrivalOrder } from '../http/arrival-order.ts';
import { readBody } from '../http/body.ts';
import { boundedServer, type ServerLimits } from '../http/limits.ts';
import { listen, shutdown } from '../http/listen.ts';
import { acceptsMediaType, APPLICATION_JSON, APPLICATION_PROTOBUF } from '../http/negotiate.ts';
import { RecordIOResponse } from '../http/recordio.ts';
import { methodNotAllowed, respondJson, respondProtobuf, respondText } from '../http/respond.ts';
import { readJsonFile } from '../process/proc.ts';
import { advertisedIp } from '../process/address.ts';
import { decodeProtobuf, encodeProtobuf } from '../../spec/protocol/protobuf.ts';
import { Containers, type ExecutorSpawnInput } from './containers.ts';
import { GroupCommit, type CheckpointMode } from './group-commit.ts';
import { ExecutorTokens } from './executor-tokens.ts';
import { applyVolumeEffect } from './volumes.ts';
import { authenticate, basicAuthorization, unauthorizedHeaders, type Credential } from '../http/auth.ts';
import { taskUser, viewableFramework, viewAgentExecutors, viewAgentState, viewFrameworks, viewAgentTasks, viewAgentV0State, type Acls } from '../http/acls.ts';
import { filesBrowse, filesRead, readSandboxFile, type FilesOptions } from './files.ts';
import { filesDownload } from './files-download.ts';
import { listFiles } from './files-list.ts';
import { dbl, renderJson } from '../http/json.ts';
import { AgentMetrics } from './metrics.ts';
import { History } from './history.ts';
import type { AgentResponseGetState, AgentResponseGetTasks } from '../../spec/protocol/operator.ts';
import { MasterLink, type MasterLinkMode } from './master-link.ts';
import { nameValues } from '../name-values.ts';
import { followMaster, type MasterFollower } from '../zk/follow.ts';
import { isZkUrl, parseZkUrl } from '../zk/url.ts';
import { agentExecutors, agentFrameworks, BUILD, getHealthResponse, getStateResponse, getTasksResponse, getVersionResponse, TaskStatuses, v0State } from './state.ts';

export interface AgentOptions {
  /** The master's URL (`http://127.0.0.1:5050`; `host:port` is accepted too), or `zk://host:port/path` to follow the leader ZooKeeper names. */
  readonly master: string;
  /** Total resources, v1 wire form. */
  readonly resources: readonly Resource[];
  readonly port: number;
  readonly ip: string;
  readonly workDir: string;
  /** Default: the IP. */
  readonly hostname?: string;
  /** The IP and port the agent gives the master and its executors (Mesos's --advertise_ip/--advertise_port); default: the bound ones, a wildcard bind's machine address. */
  readonly advertiseIp?: string;
  readonly advertisePort?: number;
  /** AgentInfo's attributes (--attributes). */
  readonly attributes?: readonly Attribute[];
  /** JSON lines of every step (impl/host.ts TraceRecord). */
  readonly trace?: string;
  readonly flags?: Partial<AgentFlags>;
  /** The executor program (testing hook); default `node bin/mesos-ref.mjs executor`. */
  readonly executorArgv?: readonly string[];
  readonly log?: (line: string) => void;
  /** Where one line per framework and task event goes (default: nowhere; the CLI logs them at info). */
  readonly events?: (line: string) => void;
  /**
   * Mesos's --authenticate_http_executors: executors get a signed token and the executor API
   * takes calls only with it, for the executor it names. Default on (Mesos: off): without it
   * any local process can report any task finished.
   */
  readonly authenticateHttpExecutors?: boolean;
  /** Bounds against slow or greedy clients (impl/http/limits.ts defaults). */
  readonly limits?: Partial<ServerLimits>;
  /**
   * The agent's own read endpoints (`POST /api/v1`, `/state`, `/flags`, `/files/*`) need HTTP
   * Basic credentials of `credentials` (Mesos's agent --authenticate_http_readonly); `/files/*`
   * also needs the `access_sandboxes` ACL of `acls`.
   */
  readonly readonlyAuth?: { readonly credentials: readonly Credential[]; readonly acls: Acls };
  /** Mesos's --credential: what the agent presents to the master. */
  readonly credential?: Credential;
  /** Mesos's --jwt_secret_key: the file holding the key tokens are signed with (default: one generated into the work dir). */
  readonly jwtSecretKey?: string;
  /**
   * How checkpoints reach the disk (impl/agent/group-commit.ts): `group` (default) shares one
   * write+fsync among the steps that persist while one is in flight; `each` writes and fsyncs
   * every step's before going on (the former way, kept for the bench's comparison). Either way no
   * effect of a step happens before its checkpoint is on disk.
   */
  readonly checkpointMode?: CheckpointMode;
  /**
   * How the link posts to the master (impl/agent/master-link.ts): `batch` (default) sends every
   * message queued behind the POST in flight in the next one; `each` sends one message per POST
   * (the former link, kept for the bench's comparison). Either way one POST at a time, in order.
   */
  readonly masterLinkMode?: MasterLinkMode;
  /** The agent machine to host (testing hook: test/support/mutant-agent.ts passes seeded bugs); default spec/machines/agent.ts. */
  readonly machine?: AnyStateMachine;
}

/** The endpoints `readonlyAuth` covers (the executor API has its tokens; /health stays open). */
const READONLY_PATHS = new Set([
  '/api/v1',
  '/state',
  '/state.json',
  '/slave(1)/state',
  '/slave(1)/state.json',
  '/flags',
  '/slave(1)/flags',
  '/files/read',
  '/files/read.json',
  '/files/browse',
  '/files/browse.json',
  '/files/download',
  '/files/download.json',
  '/metrics/snapshot',
]);

/** Why the agent operator calls not served answer 501. */
const NOT_SERVED_WHY =
  'the reference agent runs executors as plain processes: it has no nested or standalone containers, ' +
  'no container I/O, no resource providers, no operations and no image store, and its logging level is set at start';

/** The master's address in the agent machine (docs/runtime-transport.md). */
const MASTER = 'master';

/** Normalises `--master`: `host:port` becomes `http://host:port`. */
export function masterUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  const url = new URL(withScheme);
  return url.origin;
}

export class AgentRuntime {
  private readonly loggedFrameworks = new Set<string>();
  private readonly loggedUpdates = new Set<string>();
  /** Executor streams that asked for protobuf events. */
  private readonly protobufStreams = new WeakSet<RecordIOResponse>();
  private server: Server | undefined;
  private host: Host | undefined;
  private link: MasterLink | undefined;
  private containers: Containers | undefined;
  private readonly streams = new Map<string, RecordIOResponse>();
  /** Executor calls waiting for the machine's `reply`. */
  private readonly pending = new Map<string, { res: ServerResponse; call: ExecutorCall; address: string; protobuf: boolean }>();
  /** Each executor connection's calls go to the machine in their arrival order (they come pipelined). */
  private readonly arrival = new ArrivalOrder();
  private nextRequest = 0;
  private tokens: ExecutorTokens | undefined;
  private readonly statuses = new TaskStatuses();
  private history!: History;
  private lastContext: AgentContext | undefined;
  /** When the master last asked this agent to drain (ms since the epoch): GET_AGENT's estimated_drain_start_time. */
  private drainAskedAt: number | undefined;
  /** The registration retry timer last logged (its delay and event), so each arming is said once. */
  private loggedRetry: string | undefined;
  /** Timestamps given to agent-generated updates, so retries carry the same one. */
  private readonly stamps = new Map<string, number>();
  private readonly log: (line: string) => void;
  private readonly flags: AgentFlags;
  private startTime = 0;
  private readonly metrics = new AgentMetrics(() => this.startTime);
  private closing = false;
  private resolveStopped!: () => void;
  /** Resolves when the agent stopped (its machine stopped, or `stop()`). */
  readonly stopped: Promise<void> = new Promise((r) => (this.resolveStopped = r));
  /** The agent's own URL (`self`), once started. */
  url!: URL;

  /** With `--master zk://...`: the leader detector the link follows. */
  private follower: MasterFollower | undefined;

  /** The write-ahead checkpoint: holds each step's later effects until its checkpoint is on disk. */
  private commit!: GroupCommit;

  constructor(private readonly options: AgentOptions) {
    this.log = options.log ?? ((line) => console.error(`[agent] ${line}`));
    this.flags = { ...DEFAULT_AGENT_FLAGS, ...options.flags };
  }

  get self(): string {
    return this.url.origin;
  }

  get context(): AgentContext {
    return this.host!.context as AgentContext;
  }

  get machineState(): unknown {
    return this.host!.local.value;
  }

  get checkpointPath(): string {
    return join(this.options.workDir, 'meta', 'checkpoint.json');
  }

  private get recovering(): boolean {
    return this.host?.local.value === 'recovering';
  }

  async start(): Promise<void> {
    const { workDir } = this.options;
    mkdirSync(join(workDir, 'meta'), { recursive: true });
    this.server = boundedServer((req, res) => {
      this.route(req, res).catch((e: unknown) => {
        this.log(`Error serving ${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) respondText(res, 500, 'Internal error');
        else res.end();
      });
    }, this.options.limits).server;
    const address = await listen(this.server, this.options.port, this.options.ip);
    const ip = advertisedIp(address.address, this.options.advertiseIp);
    this.url = new URL(`http://${ip.includes(':') ? `[${ip}]` : ip}:${this.options.advertisePort ?? address.port}`);
    this.startTime = Date.now() / 1000;
    if (this.options.authenticateHttpExecutors !== false) {
      this.tokens = ExecutorTokens.load(this.options.jwtSecretKey, join(workDir, 'meta', 'jwt-secret-key'));
    }
    const tokens = this.tokens;
    if (isZkUrl(this.options.master)) {
      const zk = parseZkUrl(this.options.master);
      if (!zk.ok) throw new Error(`--master: ${zk.error}`);
      this.follower = await followMaster(zk.url, this.log);
    }
    const recovered = readJsonFile<AgentCheckpoint>(this.checkpointPath);
    this.commit = new GroupCommit({
      path: this.checkpointPath,
      mode: this.options.checkpointMode ?? 'group',
      apply: (effect) => {
        try {
          this.applyEffect(effect);
        } catch (e) {
          this.log(`Failed to carry out a ${effect.type} effect: ${(e as Error).stack ?? String(e)}`);
        }
      },
      fail: (e) => {
        // Write-ahead or nothing: like Mesos (CHECK on a failed checkpoint), stop at once.
        this.log(`Failed to checkpoint to ${this.checkpointPath}: ${e.message}; aborting`);
        process.exit(1);
      },
    });
    const input: AgentInput = {
      self: this.self,
      master: MASTER,
      info: {
        hostname: this.options.hostname ?? ip,
        port: this.options.advertisePort ?? address.port,
        resources: [...this.options.resources],
        ...(this.options.attributes?.length ? { attributes: [...this.options.attributes] } : {}),
      },
      flags: this.flags,
      ...(recovered ? { recovered } : {}),
    };
    this.containers = new Containers({
      workDir,
      agentUrl: this.self,
      agentEndpoint: this.url.host,
      ...(this.options.executorArgv ? { executorArgv: this.options.executorArgv } : {}),
      subscriptionBackoffMaxMs: this.flags.executorReregistrationTimeoutMs,
      ...(tokens ? { token: (claims: { fid: string; eid: string; cid: string }) => tokens.sign(claims) } : {}),
      deliver: (event) => this.host?.send(event),
      log: this.log,
    });
    const containers = this.containers;
    this.history = new History((fw, ex) => containers.sandboxOf(this.lastContext?.info.id?.value ?? '', fw, ex));
    this.link = new MasterLink({
      master: this.follower?.detector ?? masterUrl(this.options.master),
      onMessage: (message, id) => {
        if (this.options.events) this.logMessage(message);
        this.host?.send({ ...message, from: MASTER }, id);
        // Slave::drain: every DrainSlaveMessage restarts the estimate (a recovered drain has none).
        if (message.type === 'AGENT_DRAIN' && this.lastContext?.drain) this.drainAskedAt = Date.now();
      },
      onBroken: () => this.host?.send({ type: 'LINK_BROKEN', peer: MASTER }),
      ...(this.options.credential ? { authorization: basicAuthorization(this.options.credential) } : {}),
      ...(this.options.masterLinkMode ? { mode: this.options.masterLinkMode } : {}),
      log: this.log,
    });
    this.link.start();
    const trace = this.options.trace;
    this.host = new Host(this.options.machine ?? agentMachine, input, {
      name: 'agent',
      onEffect: (effect) => this.onEffect(effect),
      onStep: (local) => {
        this.observe(local.context as AgentContext);
        this.logRegistrationRetry(local);
      },
      onError: (error, event) => this.log(`Step failed on ${event.type}: ${(error as Error).stack ?? String(error)}`),
      ...(trace ? { trace: (record: TraceRecord) => appendFileSync(trace, `${JSON.stringify(record)}\n`) } : {}),
    });
    if (recovered) this.log(`Recovered agent ${recovered.info.id?.value ?? '(no id)'} from ${this.checkpointPath}`);
    for (const event of this.containers.recover(this.context)) this.host.send(event);
  }

  /** After every step: remember what the machine forgot (history). */
  private observe(context: AgentContext): void {
    if (this.lastContext) this.history.observe(this.lastContext, context);
    this.lastContext = context;
    if (!context.drain) this.drainAskedAt = undefined;
  }

  /**
   * Says when the machine arms its next (re)registration retry, and how far away it is: the retry
   * schedule (2 s, doubling) is otherwise invisible from outside, and a test or an operator waiting
   * for the agent to come back wants to know whether a retry or the link brought it back.
   */
  private logRegistrationRetry(local: Local): void {
    const retry = local.timers.find((t) => t.id === timerIds.registration);
    const key = retry ? `${retry.delay}/${JSON.stringify(retry.event)}` : undefined;
    if (retry && key !== this.loggedRetry) this.log(`Registration retry in ${retry.delay} ms`);
    this.loggedRetry = key;
  }

  /**
   * A graceful shutdown (Mesos's SIGUSR1): the agent unregisters from its master, which removes
   * it, and shuts down every framework; `stopped` resolves once the last one is gone.
   */
  unregister(): void {
    this.host?.send({ type: 'UNREGISTER_REQUEST' });
  }

  /** Stops serving and leaves executors running (they re-subscribe to the next incarnation). */
  async stop(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.host?.stop();
    // What was persisted but not yet written goes to disk now (its effects, held, never happen).
    try {
      this.commit?.flush();
    } catch (e) {
      this.log(`Failed to checkpoint to ${this.checkpointPath} while stopping: ${(e as Error).message}`);
    }
    this.link?.close();
    this.follower?.close();
    this.containers?.close();
    for (const stream of this.streams.values()) stream.end();
    this.streams.clear();
    if (this.server) await shutdown(this.server);
    this.resolveStopped();
  }

  // ---------------------------------------------------------------------------- effects

  private onEffect(effect: Effect): void {
    if (effect.type === 'count') return this.metrics.count((effect as unknown as CountEffect).counter as AgentCounter);
    if (effect.type === 'persist') {
      try {
        this.commit.persist((effect as unknown as { value: unknown }).value);
      } catch (e) {
        this.commit.fail(e as Error);
      }
      return;
    }
    this.commit.effect(effect);
  }

  private applyEffect(effect: Effect): void {
    switch (effect.type) {
      case 'send':
        return this.onSend(effect as unknown as SendEffect);
      case 'reply':
        return this.replyEffect(effect as unknown as ReplyEffect);
      case 'volume': {
        const v = effect as unknown as VolumeEffect;
        this.log(applyVolumeEffect(this.options.workDir, v.op, v.role, v.id));
        return;
      }
      case 'spawn': {
        const { name, input } = effect as unknown as { name: string; input: ExecutorSpawnInput };
        this.containers!.launch(name, input, this.context.info.id?.value ?? 'unregistered');
        return;
      }
      case 'stop': {
        const stop = effect as unknown as StopEffect;
        if (stop.name === undefined || stop.name === this.self) {
          this.log('The agent machine stopped: shutting down');
          // It terminated (shut down by the master, or unregistered): the next start is a new
          // agent, as Mesos's Slave::finalize removes the latest meta symlink when TERMINATING.
          this.commit.discard();
          // What it said last (UNREGISTER_AGENT) reaches the master before the link closes.
          (this.link ? this.link.drained() : Promise.resolve()).then(() => this.stop()).catch((e: Error) => this.log(`Stopping the agent failed: ${e.message}`));
        } else {
          this.containers!.destroy(stop.name);
          this.streams.get(stop.name)?.end();
          this.streams.delete(stop.name);
        }
        for (const n of stop.notify ?? []) {
          if (n.to === this.self) this.host!.send(n.event);
          else this.log(`Dropping a notification for ${n.to}`);
        }
        return;
      }
      default:
        this.log(`Ignoring an effect the agent does not know: ${effect.type}`);
    }
  }

  /** One line per framework and task event the master sends (--log_level info). */
  private logMessage(m: InternalMessage): void {
    const say = this.options.events!;
    const framework = (f: { id?: { value: string }; name: string }) => {
      const id = f.id?.value ?? '';
      if (this.loggedFrameworks.has(id)) return;
      this.loggedFrameworks.add(id);
      say(`Added framework ${id} (${f.name})`);
    };
    if (m.type === 'AGENT_REGISTERED' || m.type === 'AGENT_REREGISTERED')
      say(`${m.type === 'AGENT_REGISTERED' ? 'Registered' : 'Reregistered'} with the master as agent ${m.agent_id.value}`);
    else if (m.type === 'RUN_TASK') {
      framework(m.framework);
      say(`Got assigned task ${m.task.task_id.value} of framework ${m.framework.id?.value ?? ''}`);
    } else if (m.type === 'RUN_TASK_GROUP') {
      framework(m.framework);
      say(`Got assigned task group (${(m.task_group.tasks ?? []).map((t) => t.task_id.value).join(', ')}) of framework ${m.framework.id?.value ?? ''}`);
    } else if (m.type === 'KILL_TASK') say(`Asked to kill task ${m.task_id.value} of framework ${m.framework_id.value}`);
    else if (m.type === 'AGENT_DRAIN') {
      const grace = m.config.max_grace_period?.nanoseconds;
      say(`Received DrainConfig${grace === undefined ? '' : ` max_grace_period ${grace / 1e9}s`}${m.config.mark_gone ? ', mark_gone' : ''}: killing every task`);
    } else if (m.type === 'SHUTDOWN_FRAMEWORK') {
      this.loggedFrameworks.delete(m.framework_id.value);
      say(`Asked to shut down framework ${m.framework_id.value}`);
    }
  }

  private onSend(effect: SendEffect): void {
    if (effect.to === MASTER) {
      const message = this.stamp(effect.msg as InternalMessage);
      if (message.type === 'STATUS_UPDATE' && this.options.events) {
        // A retried update is the same event: one line per uuid.
        const u = message.update;
        const key = u.uuid ?? `${u.status.task_id.value}/${u.status.state}`;
        if (!this.loggedUpdates.has(key)) {
          if (this.loggedUpdates.size >= 10_000) this.loggedUpdates.clear();
          this.loggedUpdates.add(key);
          const why = [u.status.reason, u.status.message].filter(Boolean).join(': ');
          this.options.events(`Task ${u.status.task_id.value} of framework ${u.framework_id.value} is now ${u.status.state}${why ? ` (${why})` : ''}`);
        }
      }
      this.link!.send(message, messageIdOf(effect as unknown as Effect));
      return;
    }
    const stream = this.streams.get(effect.to);
    if (!stream || !stream.isOpen) {
      this.log(`Dropping ${effect.msg.type} for ${effect.to}: no subscription stream`);
      return;
    }
    let record: string;
    try {
      record = encodeExecutorEvent(effect.msg as ExecutorEvent);
    } catch (e) {
      this.log(`Cannot render ${effect.msg.type} for ${effect.to}: ${(e as Error).message}`);
      return;
    }
    stream.write(this.protobufStreams.has(stream) ? encodeProtobuf('RawExecutorEvent', JSON.parse(record) as object) : record);
    if (effect.close) {
      stream.end();
      this.streams.delete(effect.to);
    }
  }

  /** Timestamps are the runtime's: an agent-generated update gets one when first forwarded. */
  private stamp(message: InternalMessage): InternalMessage {
    if (message.type !== 'STATUS_UPDATE') return message;
    const update: StatusUpdate = message.update;
    const uuid = update.uuid ?? update.status.uuid ?? '';
    let timestamp = update.timestamp || update.status.timestamp || this.stamps.get(uuid);
    if (!timestamp) {
      timestamp = Date.now() / 1000;
      if (this.stamps.size > 10_000) this.stamps.clear();
      this.stamps.set(uuid, timestamp);
    }
    const status: TaskStatus = { ...update.status, timestamp: update.status.timestamp ?? timestamp };
    if (status.source === 'SOURCE_AGENT') this.statuses.add(update.framework_id.value, status);
    return { ...message, update: { ...update, timestamp, status } };
  }

  // ---------------------------------------------------------------------------- HTTP

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    if (path.length > 1) path = path.replace(/\/+$/, '');
    let principal: string | undefined;
    if (this.options.readonlyAuth && READONLY_PATHS.has(path)) {
      const { credentials, acls } = this.options.readonlyAuth;
      const who = authenticate(req.headers, credentials, true);
      if (!who.ok) {
        await readBody(req);
        return respondText(res, 401, who.message, unauthorizedHeaders('mesos-agent'));
      }
      principal = who.principal;
      if (path.startsWith('/files/') && !acls.allows('access_sandboxes', who.principal, undefined)) {
        await readBody(req);
        return respondText(res, 403, `Not authorized to access sandboxes as principal '${who.principal}'`);
      }
    }
    switch (path) {
      case '/api/v1/executor':
      case '/slave(1)/api/v1/executor': // Mesos's paths, as its executor library and operators build them
        return this.executorApi(req, res);
      case '/api/v1':
      case '/slave(1)/api/v1':
        return this.operatorApi(req, res, principal);
      case '/state':
      case '/state.json':
      case '/slave(1)/state':
      case '/slave(1)/state.json':
        return this.state(res, principal);
      case '/health':
      case '/slave(1)/health':
        return respondText(res, 200);
      case '/version':
        return respondJson(res, 200, JSON.stringify({ build_date: BUILD.build_date, build_time: BUILD.build_time, build_user: BUILD.build_user, version: BUILD.version }));
      case '/flags':
      case '/slave(1)/flags':
        return respondJson(res, 200, JSON.stringify({ flags: this.flagsJson() }));
      case '/files/read':
      case '/files/read.json':
        return filesRead(url.searchParams, res, this.filesOptions());
      case '/files/browse':
      case '/files/browse.json':
        return filesBrowse(url.searchParams, res, this.filesOptions());
      case '/files/download':
      case '/files/download.json':
        return filesDownload(url.searchParams, res, this.filesOptions());
      case '/metrics/snapshot':
        return respondJson(res, 200, renderJson(Object.fromEntries(Object.entries(this.metrics.snapshot(this.context)).map(([k, v]) => [k, dbl(v)]))));
      default:
        return respondText(res, 404, `No such endpoint on this agent: '${url.pathname}'`);
    }
  }

  private filesOptions(): FilesOptions {
    return {
      sandboxRoot: join(this.options.workDir, 'slaves'),
      executorDirectory: (framework, executor) => {
        const ex = this.context.frameworks[framework]?.executors[executor];
        return ex ? this.containers!.directoryOf(this.context.info.id?.value ?? '', framework, executor) : undefined;
      },
    };
  }

  private flagsJson(): Record<string, string> {
    return {
      master: this.options.master,
      ip: this.options.ip,
      port: String(this.url.port),
      hostname: this.options.hostname ?? this.options.ip,
      work_dir: this.options.workDir,
      registration_backoff_factor: formatDuration(this.flags.registrationBackoffMs),
      executor_registration_timeout: formatDuration(this.flags.executorRegistrationTimeoutMs),
      executor_reregistration_timeout: formatDuration(this.flags.executorReregistrationTimeoutMs),
      executor_shutdown_grace_period: formatDuration(this.flags.executorShutdownGraceMs),
      recover: 'reconnect',
      http_command_executor: 'true',
    };
  }

  private state(res: ServerResponse, principal: string | undefined): void {
    if (this.recovering) return respondText(res, 503, 'Agent has not finished recovery');
    const agentId = this.context.info.id?.value ?? '';
    const text = v0State({
      context: this.context,
      machineState: this.machineState,
      url: this.url,
      startTime: this.startTime,
      masterHostname: new URL(this.follower ? (this.follower.detector.current() ?? 'http://0.0.0.0') : masterUrl(this.options.master)).hostname,
      flags: this.flagsJson(),
      directoryOf: (fw, ex) => this.containers!.directoryOf(agentId, fw, ex),
      containerOf: (fw, ex) => this.containers!.sandboxOf(agentId, fw, ex).container,
      statuses: this.statuses,
      history: this.history,
    });
    const acls = this.options.readonlyAuth?.acls;
    // With ACLs the view is filtered on the parsed JSON (a number like 1.0 then renders as 1: the same JSON value).
    respondJson(res, 200, acls ? renderJson(viewAgentV0State(acls, principal, JSON.parse(text) as Record<string, unknown>, this.usersOf())) : text);
  }

  /** Who an executor or a task runs as (taskUser: its command's user, else its executor's, else its framework's), for the view_* ACLs. */
  private usersOf() {
    const fws = this.context.frameworks;
    return {
      executor: (fid: string, eid: string) => {
        const ex = fws[fid]?.executors[eid];
        return ex ? taskUser({ executor: ex.info }, fws[fid]?.info) : fws[fid]?.info.user;
      },
      task: (fid: string, tid: string) => {
        for (const ex of Object.values(fws[fid]?.executors ?? {})) {
          const info = ex.launched[tid]?.info ?? ex.terminated[tid]?.info ?? ex.queued.find((t) => t.task_id.value === tid);
          if (info) return taskUser({ command: info.command, executor: ex.info }, fws[fid]?.info);
        }
        return undefined;
      },
    };
  }

  /** A framework's FrameworkInfo, live or completed, for the view_* ACLs. */
  private frameworkInfoOf = (id: string) => this.context.frameworks[id]?.info ?? this.history.completedFrameworks.find((f) => f.info.id?.value === id)?.info;

  /**
   * `POST /api/v1/executor`, in the order of Mesos's `Http::executor`: the runtime
   * authenticates (the executor's token) and checks the syntax; whether the call is refused
   * (400, 403, 503) or accepted is the agent machine's decision, answered by its `reply`.
   */
  private async executorApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // An executor pipelines its calls on one connection: they reach the machine in arrival order.
    const turn = this.arrival.take(req.socket);
    try {
      await this.executorCall(req, res, turn.ready);
    } finally {
      turn.done();
    }
  }

  /** One executor call, handed to the machine once `turn` says every earlier call of its connection was. */
  private async executorCall(req: IncomingMessage, res: ServerResponse, turn: Promise<void>): Promise<void> {
    const body = await readBody(req);
    let principal: ExecutorPrincipal | undefined;
    if (this.tokens) {
      const who = await this.authenticateExecutor(req.headers.authorization);
      if (!who.ok) return respondText(res, 401, who.error, { 'WWW-Authenticate': 'Bearer realm="mesos-agent-executor"' });
      principal = who.principal;
    }
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
    const contentType = req.headers['content-type'];
    if (contentType === undefined) return respondText(res, 400, "Expecting 'Content-Type' to be present");
    if (!body.ok) return respondText(res, body.status, body.error);
    if (contentType !== APPLICATION_JSON && contentType !== APPLICATION_PROTOBUF) {
      return respondText(res, 415, `Expecting 'Content-Type' of ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}`);
    }
    // A protobuf call is decoded into the JSON form: both encodings share the validation below.
    let text = body.text;
    if (contentType === APPLICATION_PROTOBUF) {
      try {
        text = JSON.stringify(decodeProtobuf('RawExecutorCall', body.bytes));
      } catch (e) {
        return respondText(res, 400, `Failed to parse body into Call protobuf: ${(e as Error).message}`);
      }
    }
    const parsed = parseExecutorCallBody(text);
    if (!parsed.ok) return respondText(res, parsed.status, parsed.error);
    const call: ExecutorCall = parsed.call;
    // Events in JSON if the executor accepts it, else in protobuf, as Mesos chooses.
    const protobuf = !acceptsMediaType(req.headers.accept, APPLICATION_JSON) && acceptsMediaType(req.headers.accept, APPLICATION_PROTOBUF);
    if (call.type === 'SUBSCRIBE' && !protobuf && !acceptsMediaType(req.headers.accept, APPLICATION_JSON)) {
      return respondText(res, 406, `Expecting 'Accept' to allow '${APPLICATION_PROTOBUF}' or '${APPLICATION_JSON}'`);
    }
    if (call.type === 'HEARTBEAT') return respondText(res, 202);
    await turn;
    if (this.closing || !this.host) return respondText(res, 503, 'Agent is terminating');
    const address = executorAddress(this.self, call.framework_id.value, call.executor_id.value);
    const request = `exec-req-${++this.nextRequest}`;
    this.pending.set(request, { res, call, address, protobuf });
    this.host.send({ ...call, from: address, request, ...(principal ? { principal } : {}) });
    // The machine's reply may be held until the step's checkpoint is on disk.
    const held = this.commit.holds((e) => e.type === 'reply' && (e as unknown as ReplyEffect).request === request);
    if (!held && this.pending.delete(request)) {
      this.log(`The agent machine did not answer ${call.type} (${request})`);
      respondText(res, 500, `The agent did not answer the ${call.type} call`);
    }
  }

  /**
   * Who holds the bearer token: its claims, if this agent signed it for a container that is
   * still the live run of the executor it names (a token outlives nothing it was issued for).
   */
  private async authenticateExecutor(authorization: string | undefined): Promise<{ ok: true; principal: ExecutorPrincipal } | { ok: false; error: string }> {
    const who = await this.tokens!.verify(authorization);
    if (!who.ok) return who;
    const { fid, eid, cid } = who.claims;
    const live = this.containers?.sandboxOf(this.lastContext?.info.id?.value ?? '', fid, eid).container;
    if (live !== cid) return { ok: false, error: `The token's container ${cid} is not the running container of executor '${eid}' of framework ${fid}` };
    return { ok: true, principal: { fid, eid } };
  }

  /** The machine's answer to an executor call: a subscription stream, or a status line. */
  private replyEffect(effect: ReplyEffect): void {
    const pending = effect.request === undefined ? undefined : this.pending.get(effect.request);
    if (!pending) return;
    this.pending.delete(effect.request!);
    const { res, call, address, protobuf } = pending;
    if (effect.status !== 200 || call.type !== 'SUBSCRIBE') {
      if (effect.status === 202 && call.type === 'UPDATE') this.statuses.add(call.framework_id.value, { ...call.update.status, source: 'SOURCE_EXECUTOR' });
      return respondText(res, effect.status, effect.message ?? '');
    }
    // The SUBSCRIBED event and whatever follows it go to this stream, in this very step.
    const stream = new RecordIOResponse(res);
    stream.start({ 'Content-Type': protobuf ? APPLICATION_PROTOBUF : APPLICATION_JSON });
    if (protobuf) this.protobufStreams.add(stream);
    // A re-SUBSCRIBE closes the executor's previous stream.
    const previous = this.streams.get(address);
    if (previous && previous !== stream) previous.end();
    this.streams.set(address, stream);
    stream.onPeerClose(() => {
      // A closed executor stream is nobody's LINK_BROKEN: the agent learns of executors
      // through their calls and their exit.
      if (this.streams.get(address) === stream) this.streams.delete(address);
    });
    const launched = this.containers!.launchedAt.get(address);
    if (launched !== undefined) {
      this.containers!.launchedAt.delete(address);
      const ms = performance.now() - launched;
      this.log(`Executor '${call.executor_id.value}' of framework ${call.framework_id.value} subscribed ${ms.toFixed(0)} ms after its launch`);
    }
  }

  /**
   * GET_CONTAINERS as Mesos's `Http::__containers` lists them: the container of each executor not
   * yet terminated, that `principal` may view (view_frameworks of its framework, view_containers
   * of the executor). The reference runs neither nested nor standalone containers, and has no
   * status or usage to report (its executors are plain processes).
   */
  private containersView(principal: string | undefined) {
    const acls = this.options.readonlyAuth?.acls;
    const agentId = this.context.info.id?.value ?? '';
    const containers = [];
    for (const [fid, fw] of Object.entries(this.context.frameworks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (acls && !viewableFramework(acls, principal, fw.info)) continue;
      for (const [eid, ex] of Object.entries(fw.executors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (acls && !acls.allows('view_containers', principal, ex.info.command?.user ?? fw.info.user)) continue;
        const container = this.containers!.sandboxOf(agentId, fid, eid).container;
        if (!container) continue;
        containers.push({
          framework_id: { value: fid },
          executor_id: { value: eid },
          ...(ex.info.name !== undefined ? { executor_name: ex.info.name } : {}),
          container_id: { value: container },
        });
      }
    }
    return containers.length ? { containers } : {};
  }

  /** `POST /api/v1`: the agent operator calls the reference serves. */
  private async operatorApi(req: IncomingMessage, res: ServerResponse, principal: string | undefined): Promise<void> {
    if (this.recovering) return respondText(res, 503, 'Agent has not finished recovery');
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
    const contentType = req.headers['content-type'];
    if (contentType === undefined) return respondText(res, 400, "Expecting 'Content-Type' to be present");
    const body = await readBody(req);
    if (!body.ok) return respondText(res, body.status, body.error);
    if (contentType !== APPLICATION_JSON && contentType !== APPLICATION_PROTOBUF) {
      return respondText(res, 415, `Expecting 'Content-Type' of ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF} or application/recordio`);
    }
    // A protobuf call is decoded into the JSON form: both encodings share the validation below.
    let text = body.text;
    if (contentType === APPLICATION_PROTOBUF) {
      try {
        text = JSON.stringify(decodeProtobuf('RawAgentCall', body.bytes));
      } catch (e) {
        return respondText(res, 400, `Failed to parse body into Call protobuf: ${(e as Error).message}`);
      }
    }
    // GET_VERSION is served though the codec has no agent response type for it.
    let type: string | undefined;
    let call: AgentCall | undefined;
    const json = parseJsonText(text);
    if (json.ok) {
      const raw = decodeAgentCall(json.value);
      if (raw.ok && validateAgentCall(raw.value) === null) type = raw.value.type;
    }
    if (type !== 'GET_VERSION') {
      const parsed = parseAgentCallBody(text);
      if (!parsed.ok && parsed.status === 501) return respondText(res, 501, `${parsed.error} by this agent: ${NOT_SERVED_WHY}`);
      if (!parsed.ok) return respondText(res, parsed.status, parsed.error);
      call = parsed.call;
      type = call.type;
    }
    // JSON if the client accepts it, else protobuf (field for field the same response), else 406.
    const protobuf = !acceptsMediaType(req.headers.accept, APPLICATION_JSON) && acceptsMediaType(req.headers.accept, APPLICATION_PROTOBUF);
    if (!protobuf && !acceptsMediaType(req.headers.accept, APPLICATION_JSON)) {
      return respondText(res, 406, `Expecting 'Accept' to allow ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF} or application/recordio`);
    }
    // What the agent says of its state is what it would recover after a crash: an answer rendered
    // now goes out once the checkpoint of this state is on disk (Mesos's agent checkpoints within
    // the step that changes its state, so no question is answered in between).
    const durable = this.commit?.whenDurable() ?? Promise.resolve();
    const answer = async (response: string) => {
      await durable;
      if (protobuf) respondProtobuf(res, 200, encodeProtobuf('RawAgentResponse', JSON.parse(response) as object));
      else respondJson(res, 200, response);
    };
    switch (type) {
      case 'GET_HEALTH':
        return answer(getHealthResponse());
      case 'GET_VERSION':
        return answer(getVersionResponse());
      case 'GET_STATE': {
        const text = getStateResponse(this.context, this.statuses, this.history);
        const acls = this.options.readonlyAuth?.acls;
        if (!acls) return answer(text);
        const r = JSON.parse(text) as { get_state: AgentResponseGetState };
        return answer(JSON.stringify({ ...r, get_state: viewAgentState(acls, principal, r.get_state, this.frameworkInfoOf) }));
      }
      case 'GET_TASKS': {
        const text = getTasksResponse(this.context, this.statuses, this.history);
        const acls = this.options.readonlyAuth?.acls;
        if (!acls) return answer(text);
        const r = JSON.parse(text) as { get_tasks: AgentResponseGetTasks };
        return answer(JSON.stringify({ ...r, get_tasks: viewAgentTasks(acls, principal, r.get_tasks, this.frameworkInfoOf) }));
      }
      case 'GET_FRAMEWORKS': {
        // Http::getFrameworks: view_frameworks, live and completed.
        const frameworks = agentFrameworks(this.context, this.history);
        const acls = this.options.readonlyAuth?.acls;
        return answer(encodeAgentResponse({ type: 'GET_FRAMEWORKS', get_frameworks: acls ? viewFrameworks(acls, principal, frameworks) : frameworks }));
      }
      case 'GET_EXECUTORS': {
        // Http::getExecutors: view_frameworks of the executor's framework, then view_executors.
        const executors = agentExecutors(this.context, this.history);
        const acls = this.options.readonlyAuth?.acls;
        return answer(encodeAgentResponse({ type: 'GET_EXECUTORS', get_executors: acls ? viewAgentExecutors(acls, principal, executors, this.frameworkInfoOf) : executors }));
      }
      case 'GET_AGENT': {
        // Http::getAgent authorizes nothing: the AgentInfo, and the drain the agent is under with when it was asked to.
        const { info, drain } = this.context;
        const asked = drain && this.drainAskedAt !== undefined ? { estimated_drain_start_time: { nanoseconds: this.drainAskedAt * 1e6 } } : {};
        return answer(encodeAgentResponse({ type: 'GET_AGENT', get_agent: { agent_info: info, ...(drain ? { drain_config: drain } : {}), ...asked } }));
      }
      case 'GET_FLAGS':
        // The same flags as /flags, sorted by name as Mesos's flags map is.
        return answer(encodeAgentResponse({ type: 'GET_FLAGS', get_flags: { flags: nameValues(this.flagsJson()) } }));
      case 'GET_METRICS':
        // The /metrics/snapshot gauges and counters; nothing takes time to collect, so `timeout` has nothing to bound.
        return answer(encodeAgentResponse({ type: 'GET_METRICS', get_metrics: { metrics: nameValues(this.metrics.snapshot(this.context)) } }));
      case 'GET_CONTAINERS':
        return answer(encodeAgentResponse({ type: 'GET_CONTAINERS', get_containers: this.containersView(principal) }));
      case 'LIST_FILES':
      case 'READ_FILE': {
        // Files::browse and Files::read authorize before they resolve: a refused principal learns nothing of the path.
        const auth = this.options.readonlyAuth;
        if (auth && !auth.acls.allows('access_sandboxes', principal, undefined)) {
          return respondText(res, 403, `Not authorized to access sandboxes as principal '${principal}'`);
        }
        if (call?.type === 'READ_FILE') {
          const { path, offset, length } = call.read_file;
          const read = readSandboxFile(path, offset, length, this.filesOptions());
          if (!read.ok) return respondText(res, read.status, read.error ?? '');
          return answer(encodeAgentResponse({ type: 'READ_FILE', read_file: { size: read.size, data: read.data.toString('base64') } }));
        }
        const path = call?.type === 'LIST_FILES' ? call.list_files.path : '';
        const listed = listFiles(path, this.filesOptions());
        if (!listed.ok) return respondText(res, listed.status, listed.error);
        return answer(encodeAgentResponse({ type: 'LIST_FILES', list_files: { file_infos: listed.fileInfos } }));
      }
      default:
        return respondText(res, 501, `${type} is not implemented by this agent: ${NOT_SERVED_WHY}`);
    }
  }
}
