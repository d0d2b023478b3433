/**
 * The master process (DESIGN.md section 8): the master machine (spec/machines/master.ts) in a
 * Host, behind HTTP. This file validates syntax, routes, renders and counts; every protocol
 * decision is the machine's.
 *
 *   POST /api/v1/scheduler      scheduler API (reference 1.1, 1.5); SUBSCRIBE is a RecordIO stream
 *                               (also at Mesos's own path, /master/api/v1/scheduler)
 *   POST /api/v1                operator API (reference 3.1); SUBSCRIBE is a RecordIO stream
 *                               (also at /master/api/v1)
 *   POST /internal/agent/...    the master <-> agent transport of docs/runtime-transport.md
 *   GET  /master/state, /metrics/snapshot, /health, /master/health, /version (reference 3.3)
 *   POST /master/teardown       frameworkId=<id> (v0 form of the operator TEARDOWN)
 *   GET  /, /static/<file>      the web UI (ui/cluster, built into dist/ui)
 *
 * Envelopes (spec/machines/effects.ts, docs/runtime-transport.md): a SUBSCRIBE is delivered as
 * `{ ...call, from: 'sched-<n>' }`, any other call as `{ ...call, from: 'req-<n>', request:
 * 'req-<n>', stream_id }` and answered by the machine's `reply` effect; an agent's message as
 * `{ ...message, from: 'agent-conn-<n>' }`; a stream that breaks as `LINK_BROKEN { peer }`.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { hostname as osHostname } from 'node:os';
import { advertisedIp, isWildcard } from '../process/address.ts';
import { describeChange } from './event-log.ts';
import { decodeProtobuf, encodeProtobuf } from '../../spec/protocol/protobuf.ts';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { Host, messageIdOf, type TraceRecord } from '../host.ts';
import type { Effect } from '../../spec/step.ts';
import { master } from '../../spec/machines/master.ts';
import type { CloseEffect, CountEffect, PersistEffect, ReplyEffect, SendEffect } from '../../spec/machines/effects.ts';
import { DEFAULT_MASTER_FLAGS, type MasterContext, type MasterFlags, type MasterInput, type Registry } from '../../spec/machines/master/context.ts';
import type { Flag, FrameworkInfo, MasterInfo, TaskState } from '../../spec/protocol/common.ts';
import type { MasterCall, MasterEvent as OperatorEvent, MasterResponse } from '../../spec/protocol/operator.ts';
import { encodeInternal, encodeMasterEvent, encodeMasterResponse, encodeSchedulerEvent } from '../../spec/protocol/json.ts';
import { parseMasterCallBody, parseSchedulerCallBody } from '../../spec/protocol/validation.ts';
import { invariants } from '../../invariants/index.ts';
import {
  APPLICATION_JSON,
  APPLICATION_PROTOBUF,
  APPLICATION_RECORDIO,
  RecordIOResponse,
  acceptsMediaType,
  header,
  listen,
  mediaTypeOf,
  methodNotAllowed,
  readBody,
  renderJson,
  respondJson,
  respondProtobuf,
  respondText,
  shutdown,
  dbl,
} from '../http/index.ts';
import { Acls, unauthorizedLaunches, unauthorizedOperations as unauthorizedOps, viewExecutors, viewFrameworks, viewState, viewTasks, viewV0State } from '../http/acls.ts';
import { boundedServer, type BodyBudget, type ServerLimits } from '../http/limits.ts';
import { AGENT_MESSAGES_BATCH, MESSAGE_IDS_HEADER, MESSAGE_ID_FIELD, parseAgentMessages } from '../http/agent-messages.ts';
import { nameValues } from '../name-values.ts';
import { servePage } from '../http/web-pages.ts';
import { authenticate, unauthorizedHeaders, type Credential } from '../http/auth.ts';
import { diff, Observations, type Change } from './observe.ts';
import { Counters, snapshot } from './metrics.ts';
import { FrameworkCounters } from './framework-metrics.ts';
import { loadRegistry, parseRegistry, saveRegistry } from './registry.ts';
import { MasterElection, type MasterZkOptions } from '../zk/master-election.ts';
import type { ZkRegistry } from '../zk/registry-store.ts';
import {
  getAgents,
  getExecutors,
  getFrameworks,
  getMaster,
  getRoles,
  getState,
  getTasks,
  getWeights,
  MESOS_VERSION,
  operatorEvents,
  type MasterMeta,
  type View,
} from './render.ts';
import { listMasterFiles, readMasterFile } from './files.ts';
import { operatorEvent, operatorRefusal, viewQuota } from './operator.ts';
import { quotaStatus } from '../../spec/machines/master/quota.ts';
import { v0Frameworks, v0Slaves, v0State, v0Tasks, v0Version, versionInfo } from './v0.ts';
import { formatDuration } from '../../spec/protocol/duration.ts';

export interface MasterOptions {
  /** Port to listen on (default 5050; 0 picks a free one). */
  readonly port?: number;
  /** Address to bind (default 127.0.0.1: loopback only). */
  readonly ip?: string;
  /** Hostname in MasterInfo (default `localhost` on loopback, else the machine's name). */
  readonly hostname?: string;
  /** IP and port in MasterInfo (Mesos's --advertise_ip/--advertise_port); default: the bound ones, a wildcard bind's machine address. */
  readonly advertiseIp?: string;
  readonly advertisePort?: number;
  /** Where the registry lives; without it the registry is kept in memory only. */
  readonly workDir?: string;
  /** Evaluate the master invariants after every step and log violations. */
  readonly checkInvariants?: boolean;
  /** Append every step as one JSON line (TraceRecord) to this file. */
  readonly trace?: string;
  /** Machine flags (timeouts, intervals), Mesos's defaults otherwise. */
  readonly flags?: Partial<MasterFlags>;
  /** The master id (default: a fresh random UUID, as Mesos draws one per process). */
  readonly id?: string;
  /** Where log lines go (default: stderr). */
  readonly log?: (line: string) => void;
  /**
   * Mesos's --external_log_file: the master's log as something else writes it (the cluster
   * sends the master's output there); attached at the virtual path `/master/log` (files.ts).
   */
  readonly externalLogFile?: string;
  /** Where one line per framework, agent and task event goes (impl/master/event-log.ts; default: nowhere, the CLI logs them at info). */
  readonly events?: (line: string) => void;
  /** Called with the time the host spent on each delivered call (benchmarks). */
  readonly onCallHandled?: (type: string, ms: number) => void;
  /** The machine to host (default: spec/machines/master.ts); tests pass mutants of it. */
  readonly machine?: AnyStateMachine;
  /** Bounds against slow or greedy clients (impl/http/limits.ts defaults). */
  readonly limits?: Partial<ServerLimits>;
  /** Authentication and authorization (default: none, as Mesos's defaults). */
  readonly security?: MasterSecurity;
  /**
   * Mesos's --zk: contend for leadership on ZooKeeper and keep the registry there (impl/zk/);
   * until elected the master redirects the APIs to the leader. Without it the master leads alone.
   */
  readonly zk?: MasterZkOptions;
}

/** Mesos's --credentials, --authenticate_* and --acls. */
export interface MasterSecurity {
  readonly credentials: readonly Credential[];
  /** Scheduler API calls need credentials (Mesos's --authenticate_frameworks / --authenticate_http_frameworks). */
  readonly authenticateFrameworks: boolean;
  /** The agent link needs the agent's --credential. */
  readonly authenticateAgents: boolean;
  /** Read-only operator endpoints (GET_* calls, /master/state, /metrics/snapshot). */
  readonly authenticateHttpReadonly: boolean;
  /** Operator endpoints that change state (TEARDOWN, /master/teardown). */
  readonly authenticateHttpReadwrite: boolean;
  readonly acls: Acls;
}

const NO_SECURITY: MasterSecurity = {
  credentials: [],
  authenticateFrameworks: false,
  authenticateAgents: false,
  authenticateHttpReadonly: false,
  authenticateHttpReadwrite: false,
  acls: Acls.none,
};

/** Is anything authenticated? (A non-loopback bind requires it.) */
export const authenticates = (s: MasterSecurity | undefined): boolean =>
  s !== undefined && (s.authenticateFrameworks || s.authenticateAgents || s.authenticateHttpReadonly || s.authenticateHttpReadwrite);

export interface MasterServer {
  readonly url: string;
  readonly ip: string;
  readonly port: number;
  readonly id: string;
  readonly host: Host;
  readonly context: MasterContext;
  /** Invariant violations seen so far (with --check-invariants). */
  readonly violations: readonly string[];
  readonly counters: Counters;
  readonly bodyBudget: BodyBudget;
  /** Resolves when the master stopped (closed, or a fatal error such as a failed registry write). */
  readonly stopped: Promise<Error | undefined>;
  /** Resolves when this master leads (at once without --zk); never if it stops first. */
  readonly elected: Promise<void>;
  close(): Promise<void>;
}

const HEARTBEAT_SECONDS = 15;
const MAX_OPERATOR_SUBSCRIBERS = 1000;
const NOT_ACCEPTABLE = "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'";
const UNSUPPORTED_MEDIA = "Expecting 'Content-Type' of application/json or application/x-protobuf";
const NO_CONTENT_TYPE = "Expecting 'Content-Type' to be present";

/** An IPv4 address as MasterInfo's uint32 in network byte order (127.0.0.1 -> 16777343). */
function ipToUint32(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  return (parts[0]! | (parts[1]! << 8) | (parts[2]! << 16) | (parts[3]! << 24)) >>> 0;
}

interface Connection {
  readonly kind: 'scheduler' | 'agent';
  /** A scheduler that asked for protobuf events (Accept: application/x-protobuf). */
  readonly protobuf?: boolean;
  readonly stream: RecordIOResponse;
  closedByMaster: boolean;
  /** An agent connection's secret: messages on it must present it (connection ids are guessable). */
  readonly secret?: string;
  /** The principal an agent connection authenticated as (--authenticate_agents): every message on it is that principal's. */
  readonly principal?: string;
}

const sameSecret = (a: string, b: string) => a.length === b.length && a.length > 0 && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Starts a master; resolves once it listens. */
export async function startMaster(options: MasterOptions = {}): Promise<MasterServer> {
  const runtime = new MasterRuntime(options);
  await runtime.start();
  return runtime;
}

class MasterRuntime implements MasterServer {
  readonly ip: string;
  port = 0;
  readonly id: string;
  host!: Host;
  readonly counters = new Counters();
  readonly frameworkCounters = new FrameworkCounters();
  readonly violations: string[] = [];
  readonly stopped: Promise<Error | undefined>;

  private readonly server: Server;
  private readonly obs: Observations;
  private meta!: MasterMeta;
  private readonly log: (line: string) => void;
  private readonly connections = new Map<string, Connection>();
  private readonly pending = new Map<string, ServerResponse>();
  private readonly subscribers = new Map<string, { stream: RecordIOResponse; timer: NodeJS.Timeout; protobuf?: boolean }>();
  private nextSched = 0;
  private nextAgentConn = 0;
  private nextRequest = 0;
  private nextSubscriber = 0;
  private prev: MasterContext | undefined;
  private traceStream: WriteStream | undefined;
  private closing = false;
  private fatalError: Error | undefined;
  private resolveStopped!: (e: Error | undefined) => void;
  readonly elected: Promise<void>;
  private resolveElected!: () => void;
  /** With --zk: the election, and once elected the registry on the ensemble. */
  private election: MasterElection | undefined;
  private zkRegistry: ZkRegistry | undefined;

  private readonly security: MasterSecurity;
  /** Request-body bytes buffered at once (impl/http/limits.ts). */
  readonly bodyBudget: BodyBudget;

  constructor(private readonly options: MasterOptions) {
    this.security = options.security ?? NO_SECURITY;
    this.obs = new Observations(options.flags?.maxCompletedFrameworks ?? DEFAULT_MASTER_FLAGS.maxCompletedFrameworks);
    this.ip = options.ip ?? '127.0.0.1';
    this.id = options.id ?? randomUUID();
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    const bounded = boundedServer((req, res) => {
      this.route(req, res).catch((e: unknown) => {
        this.log(`master: error handling ${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) respondText(res, 500, 'Internal error');
        else res.end();
      });
    }, options.limits);
    this.server = bounded.server;
    this.bodyBudget = bounded.budget;
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
    this.elected = new Promise((resolve) => (this.resolveElected = resolve));
  }

  get url(): string {
    const ip = isWildcard(this.ip) ? advertisedIp(this.ip) : this.ip;
    return `http://${ip.includes(':') ? `[${ip}]` : ip}:${this.port}`;
  }

  get context(): MasterContext {
    return this.host.context as MasterContext;
  }

  private get view(): View {
    return { ctx: this.context, obs: this.obs, meta: this.meta };
  }

  async start(): Promise<void> {
    // The registry first: a master that cannot read it must not start (with --zk it is read once elected).
    const registry: Registry | undefined = this.options.workDir && !this.options.zk ? loadRegistry(this.options.workDir) : undefined;
    const address = await listen(this.server, this.options.port ?? 5050, this.ip);
    this.port = address.port;
    const hostname = this.options.hostname ?? (this.ip === '127.0.0.1' || this.ip === 'localhost' ? 'localhost' : osHostname());
    const ip = advertisedIp(this.ip, this.options.advertiseIp);
    const port = this.options.advertisePort ?? this.port;
    const info: MasterInfo = {
      id: this.id,
      ip: ipToUint32(ip),
      port,
      pid: `master@${ip}:${port}`,
      hostname,
      version: MESOS_VERSION,
      address: { hostname, ip, port },
      capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
    };
    // With --authenticate_agents the machine binds agent ids to principals (guard agentIdIsCallers).
    const flags: MasterFlags = { ...DEFAULT_MASTER_FLAGS, ...(this.options.flags ?? {}), ...(this.security.authenticateAgents ? { authenticateAgents: true } : {}) };
    const now = Date.now() / 1000;
    this.meta = { version: versionInfo(now), flags: this.flagList(flags), startTime: now, electedTime: now };
    if (this.options.trace) this.traceStream = createWriteStream(this.options.trace, { flags: 'a' });
    if (!this.options.zk) return this.lead({ id: this.id, info, flags, ...(registry ? { registry } : {}) });
    // With --zk: contend, redirect until elected, then recover the registry from the ensemble and lead.
    const election = await MasterElection.enter(this.options.zk, info, (line) => this.log(`master: ${line}`)).catch(async (e: Error) => {
      await shutdown(this.server);
      throw e;
    });
    this.election = election;
    election.onLost((why) => this.fatal(new Error(`lost leadership: ${why}`)));
    election
      .lead(parseRegistry, (error) => this.fatal(error))
      .then(
        ({ store, registry: recovered }) => {
          if (this.closing) return;
          this.zkRegistry = store;
          this.meta = { ...this.meta, electedTime: Date.now() / 1000 };
          (this.options.events ?? this.log)(`Elected leader (${election.candidacy.node}); registry recovered from ZooKeeper at version ${store.committedVersion}`);
          this.lead({ id: this.id, info, flags, ...(recovered ? { registry: recovered } : {}) });
        },
        (e: Error) => this.fatal(new Error(`cannot lead: ${e.message}`)),
      );
  }

  /** Starts the master machine: at once without --zk, once elected with it. */
  private lead(input: MasterInput): void {
    this.host = new Host(this.options.machine ?? master, input, {
      name: 'master',
      onEffect: (effect) => this.onEffect(effect),
      onStep: (local, event) => this.onStep(local.context as MasterContext, event),
      ...(this.traceStream ? { trace: (r: TraceRecord) => this.traceStream!.write(`${JSON.stringify(r)}\n`) } : {}),
      onError: (error, event) => this.log(`master: STEP FAILED on ${JSON.stringify(event)}: ${(error as Error).stack ?? String(error)}`),
    });
    this.resolveElected();
  }

  private flagList(flags: MasterFlags): Flag[] {
    const list: Flag[] = [
      { name: 'port', value: String(this.port) },
      { name: 'ip', value: this.ip },
      { name: 'work_dir', value: this.options.workDir ?? '' },
      { name: 'registry', value: this.options.workDir || this.options.zk ? 'replicated_log' : 'in_memory' },
      ...(this.options.zk ? [{ name: 'zk', value: `zk://${this.options.zk.url.servers}${this.options.zk.url.path}` }] : []),
      ...(this.options.zk ? [{ name: 'zk_session_timeout', value: formatDuration(this.options.zk.sessionTimeoutMs ?? 10_000) }] : []),
      ...(this.options.zk?.quorum !== undefined ? [{ name: 'quorum', value: String(this.options.zk.quorum) }] : []),
      { name: 'allocation_interval', value: formatDuration(flags.allocationIntervalMs) },
      { name: 'agent_ping_timeout', value: formatDuration(flags.agentPingTimeoutMs) },
      { name: 'max_agent_ping_timeouts', value: String(flags.maxAgentPingTimeouts) },
      { name: 'agent_reregister_timeout', value: formatDuration(flags.agentReregisterTimeoutMs) },
      { name: 'max_completed_frameworks', value: String(flags.maxCompletedFrameworks) },
      { name: 'check_invariants', value: String(this.options.checkInvariants ?? false) },
      ...(this.options.externalLogFile !== undefined ? [{ name: 'external_log_file', value: this.options.externalLogFile }] : []),
      ...(flags.offerTimeoutMs !== undefined ? [{ name: 'offer_timeout', value: formatDuration(flags.offerTimeoutMs) }] : []),
      ...(flags.agentRemovalRateLimit !== undefined
        ? [{ name: 'agent_removal_rate_limit', value: `${flags.agentRemovalRateLimit.permits}/${formatDuration(flags.agentRemovalRateLimit.durationMs)}` }]
        : []),
      ...(flags.weights && Object.keys(flags.weights).length
        ? [
            {
              name: 'weights',
              value: Object.keys(flags.weights)
                .sort()
                .map((r) => `${r}=${flags.weights![r]}`)
                .join(','),
            },
          ]
        : []),
    ];
    return list.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.host?.stop();
    for (const s of this.subscribers.values()) clearInterval(s.timer);
    this.subscribers.clear();
    for (const c of this.connections.values()) {
      c.closedByMaster = true;
      c.stream.end();
    }
    this.connections.clear();
    for (const res of this.pending.values()) respondText(res, 503, 'Master is shutting down');
    this.pending.clear();
    this.election?.close();
    await shutdown(this.server);
    await new Promise<void>((resolve) => (this.traceStream ? this.traceStream.end(() => resolve()) : resolve()));
    this.resolveStopped(this.fatalError);
  }

  private fatal(error: Error): void {
    this.log(`master: FATAL: ${error.message}; stopping`);
    this.fatalError ??= error;
    this.close().catch((e: Error) => this.log(`master: closing after the fatal error failed: ${e.message}`));
  }

  // ---------------------------------------------------------------------------------- steps

  private onStep(next: MasterContext, event: AnyEventObject | null): void {
    const prev = this.prev;
    this.prev = next;
    if (prev === undefined) return;
    const changes = diff(prev, next);
    if (changes.length > 0) {
      if (this.options.events) for (const c of changes) this.options.events(describeChange(c, next));
      this.obs.apply(changes);
      if (this.subscribers.size > 0) this.publish(changes, next);
    }
    if (this.options.checkInvariants && prev !== next) this.checkInvariants(next, event);
  }

  /**
   * The machine said what to count (spec/machines/effects.ts CountEffect); the host names it. An
   * accepted SUBSCRIBE counts for its framework only: messages_(re)register_framework count on receipt.
   */
  private count(e: CountEffect): void {
    switch (e.counter) {
      case 'call':
        this.frameworkCounters.call(e.framework, e.call);
        if (e.call !== 'SUBSCRIBE') this.counters.message(e.call);
        break;
      case 'task_ended':
        this.obs.ended(e.framework, e.task, e.state as TaskState);
        break;
      default:
        this.counters.inc(e.counter);
    }
  }

  private checkInvariants(ctx: MasterContext, event: AnyEventObject | null): void {
    for (const inv of invariants) {
      if (!inv.master) continue;
      let violation: string | null;
      try {
        violation = inv.master(ctx);
      } catch (e) {
        violation = `the invariant threw: ${(e as Error).message}`;
      }
      if (violation === null) continue;
      const line = `INVARIANT VIOLATED: ${inv.name}: ${violation}; after ${event ? JSON.stringify(event) : 'a timer'}`;
      this.violations.push(line);
      this.log(`\n!!!!!!!! ${line}\n`);
    }
  }

  /** Delivers one event; returns the time the host spent on it. */
  private deliver(event: AnyEventObject, received?: string): number {
    const t0 = performance.now();
    this.host.send(event, received);
    const ms = performance.now() - t0;
    this.options.onCallHandled?.(event.type, ms);
    return ms;
  }

  // ---------------------------------------------------------------------------------- effects

  private onEffect(effect: Effect): void {
    if (effect.type === 'count') return this.count(effect as unknown as CountEffect);
    // On ZooKeeper a registry write is asynchronous: what follows it waits until it is committed.
    if (this.zkRegistry) {
      if (effect.type === 'persist' && (effect as unknown as PersistEffect).key === 'registry') this.zkRegistry.write((effect as unknown as PersistEffect).value);
      else this.zkRegistry.after(() => this.carryOut(effect));
      return;
    }
    this.carryOut(effect);
  }

  private carryOut(effect: Effect): void {
    switch (effect.type) {
      case 'send':
        this.sendEffect(effect as unknown as SendEffect);
        break;
      case 'reply':
        this.replyEffect(effect as unknown as ReplyEffect);
        break;
      case 'persist':
        this.persistEffect(effect as unknown as PersistEffect);
        break;
      case 'close':
        this.closeConnection((effect as unknown as CloseEffect).connection);
        break;
      default:
        this.log(`master: ignoring a '${effect.type}' effect`);
    }
  }

  private sendEffect(e: SendEffect): void {
    const conn = this.connections.get(e.to);
    if (!conn || !conn.stream.isOpen) {
      this.counters.inc('dropped_messages');
      return;
    }
    let text: string;
    try {
      text = conn.kind === 'scheduler' ? encodeSchedulerEvent(e.msg as never) : encodeInternal(e.msg as never);
    } catch (err) {
      this.log(`master: cannot render ${e.msg.type} for ${e.to}: ${(err as Error).message}`);
      this.counters.inc('dropped_messages');
      return;
    }
    if (conn.kind === 'scheduler') {
      const fid = FrameworkCounters.frameworkOn(this.view.ctx, e.to);
      if (fid !== undefined) this.frameworkCounters.event(fid, e.msg.type);
    }
    if (conn.kind === 'scheduler' && !conn.stream.isStarted) {
      // A refused SUBSCRIBE has no stream of its own; Mesos still sends the header.
      conn.stream.start({ 'Mesos-Stream-Id': e.stream ?? randomUUID(), ...(conn.protobuf ? { 'Content-Type': APPLICATION_PROTOBUF } : {}) });
    }
    // A traced master's message to an agent carries its trace id (docs/runtime-transport.md), which the agent's trace records on receipt.
    const id = conn.kind === 'agent' ? messageIdOf(e as unknown as Effect) : undefined;
    if (id !== undefined) text = JSON.stringify({ ...(JSON.parse(text) as object), [MESSAGE_ID_FIELD]: id });
    conn.stream.write(conn.protobuf ? encodeProtobuf('RawSchedulerEvent', JSON.parse(text) as object) : text);
    if (e.close) this.closeConnection(e.to);
  }

  private replyEffect(e: ReplyEffect): void {
    if (e.request === undefined) return;
    const res = this.pending.get(e.request);
    if (!res) return;
    this.pending.delete(e.request);
    respondText(res, e.status, e.message ?? '');
  }

  private persistEffect(e: PersistEffect): void {
    if (e.key !== 'registry' || !this.options.workDir) return;
    try {
      saveRegistry(this.options.workDir, e.value);
    } catch (err) {
      // Mesos's registrar failing is fatal: the master must not act on what it could not store.
      this.fatal(new Error(`cannot write the registry: ${(err as Error).message}`));
    }
  }

  private closeConnection(id: string): void {
    const conn = this.connections.get(id);
    if (!conn) return;
    conn.closedByMaster = true;
    this.connections.delete(id);
    conn.stream.end();
  }

  private linkBroken(id: string): void {
    const conn = this.connections.get(id);
    if (!conn || conn.closedByMaster) return;
    this.connections.delete(id);
    if (!this.closing) this.deliver({ type: 'LINK_BROKEN', peer: id });
  }

  // ---------------------------------------------------------------------------------- routing

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (this.closing) return respondText(res, 503, 'Master is shutting down');
    if (!this.host && path !== '/health' && path !== '/master/health' && path !== '/version') return this.redirect(req, res);
    switch (path) {
      case '/api/v1/scheduler':
      case '/master/api/v1/scheduler': // Mesos's path: what libmesos's scheduler library and mesos-execute build
        return this.schedulerApi(req, res);
      case '/api/v1':
      case '/master/api/v1':
        return this.operatorApi(req, res);
      case '/internal/agent/connect':
        return this.agentConnect(req, res);
      case '/internal/agent/message':
        return this.agentMessage(req, res);
      case '/master/state':
      case '/master/state.json':
      case '/state':
      case '/state.json':
        return this.get(req, res, (who) => respondJson(res, 200, renderJson(viewV0State(this.security.acls, who, v0State(this.view)))), 'readonly');
      case '/master/frameworks':
        return this.get(req, res, (who) => respondJson(res, 200, renderJson(v0Frameworks(viewV0State(this.security.acls, who, v0State(this.view))))), 'readonly');
      case '/master/slaves':
        return this.get(req, res, (who) => respondJson(res, 200, renderJson(v0Slaves(viewV0State(this.security.acls, who, v0State(this.view))))), 'readonly');
      case '/master/tasks':
        return this.get(req, res, (who) => this.v0TasksAnswer(req, res, who), 'readonly');
      case '/master/flags':
        return this.get(req, res, () => respondJson(res, 200, renderJson({ flags: Object.fromEntries(this.meta.flags.map((f) => [f.name, f.value ?? ''])) })), 'readonly');
      case '/master/redirect':
        // The leader (this master) answers 307 to its own address, as Mesos does.
        return this.get(req, res, () => {
          res.writeHead(307, { Location: `//${this.context.info.hostname ?? 'localhost'}:${this.context.info.port}`, 'Content-Length': '0' });
          res.end();
        });
      case '/metrics/snapshot':
        return this.get(req, res, () => respondJson(res, 200, renderJson(this.metricsSnapshot())), 'readonly');
      case '/health':
      case '/master/health':
        return this.get(req, res, () => respondText(res, 200));
      case '/version':
        return this.get(req, res, () => respondJson(res, 200, renderJson(v0Version(this.meta.version))));
      case '/master/teardown':
        return this.v0Teardown(req, res);
      // The web UI (ui/cluster): the page and its files; what it shows comes from the operator API.
      case '/':
      case '/index.html':
        return this.get(req, res, () => servePage(res, 'cluster.html', req.method));
      default:
        if (path.startsWith('/static/')) return this.get(req, res, () => servePage(res, path.slice('/static/'.length), req.method));
        await readBody(req);
        return respondText(res, 404, `No such endpoint on this master: '${path}'`);
    }
  }

  /**
   * A master that does not lead (--zk, not elected): every endpoint but /health and /version
   * answers 307 with the leader's address and the same path (scheme-relative, as Mesos's
   * `Master::Http::redirect`), or 503 while no leader is known. /master/redirect gives the bare address.
   */
  private async redirect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await readBody(req);
    const leader = this.election?.leader;
    if (!leader || leader.node === this.election?.candidacy.node) return respondText(res, 503, 'No leader elected');
    const host = leader.info.hostname ?? leader.info.address?.ip ?? '127.0.0.1';
    const port = leader.info.address?.port ?? leader.info.port;
    const path = (req.url ?? '/').split('?')[0] === '/master/redirect' ? '' : (req.url ?? '/');
    res.writeHead(307, { Location: `//${host}:${port}${path}`, 'Content-Length': '0' });
    res.end();
  }

  /** A GET endpoint; `answer` is given the principal the request authenticated as (for the view_* ACLs). */
  private async get(req: IncomingMessage, res: ServerResponse, answer: (principal: string | undefined) => void, access?: 'readonly'): Promise<void> {
    await readBody(req);
    const who = access ? this.principal(req, res, 'readonly') : { name: undefined };
    if (who === null) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET'], req.method);
    answer(who.name);
  }

  /** A framework's FrameworkInfo by id, live or completed (the view_tasks object). */
  private readonly frameworkInfoOf = (id: string): FrameworkInfo | undefined =>
    this.context.frameworks[id]?.info ?? this.obs.completedFrameworks.find((c) => c.info.id?.value === id)?.info;

  /**
   * Authentication of an HTTP request for one class of endpoint, as libprocess does it before
   * the handler runs: the principal (undefined when none is required and none was given), or
   * null once a 401 was answered.
   */
  private principal(req: IncomingMessage, res: ServerResponse, kind: 'framework' | 'agent' | 'readonly' | 'readwrite'): { name: string | undefined } | null {
    const s = this.security;
    const required = { framework: s.authenticateFrameworks, agent: s.authenticateAgents, readonly: s.authenticateHttpReadonly, readwrite: s.authenticateHttpReadwrite }[kind];
    const who = authenticate(req.headers, s.credentials, required);
    if (who.ok) return { name: who.principal };
    this.counters.inc('http_authentication_failures');
    respondText(res, 401, who.message, unauthorizedHeaders(kind === 'agent' ? 'mesos-agent' : 'mesos'));
    return null;
  }

  /**
   * `/master/tasks?limit=&offset=`: bad numbers are 400 naming the parameter, as Mesos's numify
   * errors do; only the tasks `principal` may see (view_frameworks, view_tasks), as Master::Http::_tasks.
   */
  private v0TasksAnswer(req: IncomingMessage, res: ServerResponse, principal: string | undefined): void {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const number = (name: string, fallback: number): number | string => {
      const text = query.get(name);
      if (text === null) return fallback;
      return /^\d+$/.test(text) ? Number(text) : `Failed to parse '${name}': expected a non-negative integer, got '${text}'`;
    };
    const limit = number('limit', 100);
    const offset = number('offset', 0);
    if (typeof limit === 'string') return respondText(res, 400, limit);
    if (typeof offset === 'string') return respondText(res, 400, offset);
    respondJson(res, 200, renderJson(v0Tasks(viewV0State(this.security.acls, principal, v0State(this.view)), limit, offset)));
  }

  private metrics(): Record<string, number> {
    const m = { ...snapshot(this.view.ctx, this.obs, this.counters), ...this.frameworkCounters.snapshot(this.view.ctx) };
    return Object.fromEntries(
      Object.keys(m)
        .sort()
        .map((k) => [k, m[k]!]),
    );
  }

  private metricsSnapshot(): Record<string, unknown> {
    const m = this.metrics();
    return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, dbl(v)]));
  }

  /** Method, body and Content-Type checks shared by both v1 APIs, in Mesos's order. */
  /**
   * The call's body as JSON text: a protobuf body (application/x-protobuf) is decoded into the
   * JSON form first, so both encodings go through the same validation. A framework call is
   * authenticated here; which operator calls need credentials depends on the call.
   */
  private async jsonBody(req: IncomingMessage, res: ServerResponse, access: 'framework' | 'operator'): Promise<string | null> {
    const body = await readBody(req);
    // Which operator calls need credentials depends on the call: checked once it is parsed.
    if (access === 'framework' && this.principal(req, res, 'framework') === null) return null;
    if (req.method !== 'POST') {
      methodNotAllowed(res, ['POST'], req.method);
      return null;
    }
    if (!body.ok) {
      respondText(res, body.status, body.error);
      return null;
    }
    const type = mediaTypeOf(req.headers);
    if (type === undefined) {
      respondText(res, 400, NO_CONTENT_TYPE);
      return null;
    }
    if (type === APPLICATION_PROTOBUF) {
      try {
        return JSON.stringify(decodeProtobuf(access === 'framework' ? 'RawSchedulerCall' : 'RawMasterCall', body.bytes));
      } catch (e) {
        respondText(res, 400, `Failed to parse body into Call protobuf: ${(e as Error).message}`);
        return null;
      }
    }
    if (type !== APPLICATION_JSON) {
      respondText(res, 415, UNSUPPORTED_MEDIA);
      return null;
    }
    return body.text;
  }

  // ---------------------------------------------------------------------------------- scheduler API

  private async schedulerApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await this.jsonBody(req, res, 'framework');
    if (text === null) return;
    const parsed = parseSchedulerCallBody(text);
    if (!parsed.ok) return respondText(res, parsed.status, parsed.error);
    let call = parsed.call;
    const principal = this.principal(req, res, 'framework')!.name;
    const streamId = header(req.headers, 'mesos-stream-id');
    if (call.type === 'SUBSCRIBE') {
      // As Mesos decides: JSON if the client accepts it, else protobuf, else 406.
      const protobuf = !acceptsMediaType(req.headers.accept, APPLICATION_JSON) && acceptsMediaType(req.headers.accept, APPLICATION_PROTOBUF);
      if (!protobuf && !acceptsMediaType(req.headers.accept, APPLICATION_JSON)) return respondText(res, 406, NOT_ACCEPTABLE);
      if (streamId !== undefined) return respondText(res, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      const info = call.subscribe.framework_info;
      if (principal !== undefined && info.principal !== undefined && info.principal !== principal) {
        return respondText(res, 400, `Authenticated principal '${principal}' does not match principal '${info.principal}' set in \`FrameworkInfo\``);
      }
      // An authenticated framework is its principal's (Mesos fills FrameworkInfo.principal in).
      if (principal !== undefined && info.principal === undefined) call = { ...call, subscribe: { ...call.subscribe, framework_info: { ...info, principal } } };
      const refusal = this.subscribeRefusal(call.subscribe.framework_info, principal);
      if (refusal !== null) return this.refuseSubscribe(res, refusal);
      const id = `sched-${++this.nextSched}`;
      const stream = new RecordIOResponse(res);
      this.connections.set(id, { kind: 'scheduler', stream, closedByMaster: false, protobuf });
      stream.onPeerClose(() => this.linkBroken(id));
      this.counters.message('SUBSCRIBE', call.framework_id !== undefined);
      this.deliver({ ...call, from: id });
      this.afterEffects(() => {
        if (!stream.isStarted && this.connections.has(id)) {
          this.connections.delete(id);
          this.log(`master: the machine did not answer SUBSCRIBE on ${id}`);
          respondText(res, 500, 'The master did not answer the subscription');
        }
      });
      return;
    }
    const owner = this.context.frameworks[call.framework_id.value]?.info.principal;
    if (principal !== undefined && owner !== principal) {
      return respondText(res, 400, `Authenticated principal '${principal}' does not match principal '${owner ?? ''}' set in \`FrameworkInfo\``);
    }
    const request = `req-${++this.nextRequest}`;
    this.pending.set(request, res);
    // run_tasks: the tasks the ACLs deny are the machine's to answer with TASK_ERROR, in Mesos's order.
    const unauthorized = unauthorizedLaunches(this.security.acls, call, this.context.frameworks[call.framework_id.value]?.info);
    const unauthorizedOperations = unauthorizedOps(this.security.acls, call, this.context.frameworks[call.framework_id.value]?.info);
    this.deliver({
      ...call,
      from: request,
      request,
      ...(streamId !== undefined ? { stream_id: streamId } : {}),
      ...(unauthorized ? { unauthorized } : {}),
      ...(unauthorizedOperations ? { unauthorizedOperations } : {}),
    });
    this.unanswered(request, call.type);
  }

  /**
   * What Mesos's `Master::subscribe` refuses for who the caller is, before the machine sees the
   * call: roles the ACLs do not grant (authorization comes first in Mesos). Taking over another
   * principal's framework is the machine's to refuse (subscribeError: FrameworkInfo.principal may not change).
   */
  private subscribeRefusal(info: { principal?: string; role?: string; roles?: string[] }, principal: string | undefined): string | null {
    const roles = info.roles ?? [info.role ?? '*'];
    const denied = roles.filter((r) => !this.security.acls.allows('register_frameworks', principal, r));
    if (denied.length > 0) {
      return `Not authorized to use roles '${denied.join(',')}' ${principal === undefined ? 'without a principal' : `with principal '${principal}'`}`;
    }
    return null;
  }

  /** A refused SUBSCRIBE, as Mesos answers one: 200, one ERROR event, the stream closed. */
  private refuseSubscribe(res: ServerResponse, message: string): void {
    const stream = new RecordIOResponse(res);
    stream.start({ 'Mesos-Stream-Id': randomUUID() });
    stream.write(encodeSchedulerEvent({ type: 'ERROR', error: { message } }));
    stream.end();
  }

  /** A call the machine did not answer is a bug in the machine: say so, loudly. */
  private unanswered(request: string, type: string): void {
    this.afterEffects(() => {
      const res = this.pending.get(request);
      if (!res) return;
      this.pending.delete(request);
      this.log(`master: the machine did not answer ${type} (${request})`);
      respondText(res, 500, `The master did not answer the ${type} call`);
    });
  }

  /**
   * Runs `check` once the effects of what was just delivered are carried out: at once, or with
   * --zk behind the registry write they wait for (onEffect). Judging a call unanswered before
   * then answered it 500 while the machine went on: a SUBSCRIBE so refused left its framework
   * subscribed on a connection forgotten here, its events dropped and no LINK_BROKEN to come.
   */
  private afterEffects(check: () => void): void {
    if (this.zkRegistry) this.zkRegistry.after(check);
    else check();
  }

  // ---------------------------------------------------------------------------------- operator API

  private async operatorApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await this.jsonBody(req, res, 'operator');
    if (text === null) return;
    const parsed = parseMasterCallBody(text);
    if (!parsed.ok) return respondText(res, parsed.status, parsed.error);
    const call: MasterCall = parsed.call;
    const who = this.principal(req, res, call.type.startsWith('GET_') || call.type === 'SUBSCRIBE' ? 'readonly' : 'readwrite');
    if (who === null) return;
    const accept = req.headers.accept;
    if (call.type === 'SUBSCRIBE') {
      const json = acceptsMediaType(accept, APPLICATION_JSON);
      const protobuf = !json && acceptsMediaType(accept, APPLICATION_PROTOBUF);
      const recordio = !json && !protobuf && acceptsMediaType(accept, APPLICATION_RECORDIO) && acceptsMediaType(req.headers['message-accept'], APPLICATION_JSON);
      if (!json && !protobuf && !recordio) return respondText(res, 406, NOT_ACCEPTABLE);
      return this.operatorSubscribe(res, recordio, protobuf, who.name);
    }
    // JSON if the client accepts it, else protobuf (field for field the same response), else 406.
    const protobuf = !acceptsMediaType(accept, APPLICATION_JSON) && acceptsMediaType(accept, APPLICATION_PROTOBUF);
    if (!protobuf && !acceptsMediaType(accept, APPLICATION_JSON)) return respondText(res, 406, NOT_ACCEPTABLE);
    const answer = (response: MasterResponse) =>
      protobuf
        ? respondProtobuf(res, 200, encodeProtobuf('RawMasterResponse', JSON.parse(encodeMasterResponse(response)) as object))
        : respondJson(res, 200, encodeMasterResponse(response));
    switch (call.type) {
      case 'GET_HEALTH':
        return answer({ type: 'GET_HEALTH', get_health: { healthy: true } });
      case 'GET_FLAGS':
        return answer({ type: 'GET_FLAGS', get_flags: { flags: [...this.meta.flags] } });
      case 'GET_VERSION':
        return answer({ type: 'GET_VERSION', get_version: { version_info: this.meta.version } });
      case 'GET_METRICS':
        return answer({ type: 'GET_METRICS', get_metrics: { metrics: nameValues(this.metrics()) } });
      case 'GET_STATE':
        return answer({ type: 'GET_STATE', get_state: viewState(this.security.acls, who.name, getState(this.view), this.frameworkInfoOf) });
      case 'GET_AGENTS':
        return answer({ type: 'GET_AGENTS', get_agents: getAgents(this.view) });
      case 'GET_FRAMEWORKS':
        return answer({ type: 'GET_FRAMEWORKS', get_frameworks: viewFrameworks(this.security.acls, who.name, getFrameworks(this.view)) });
      case 'GET_TASKS':
        return answer({ type: 'GET_TASKS', get_tasks: viewTasks(this.security.acls, who.name, getTasks(this.view), this.frameworkInfoOf) });
      case 'GET_ROLES':
        return answer({ type: 'GET_ROLES', get_roles: getRoles(this.view) });
      case 'GET_MASTER':
        return answer({ type: 'GET_MASTER', get_master: getMaster(this.view) });
      case 'GET_EXECUTORS':
        return answer({ type: 'GET_EXECUTORS', get_executors: viewExecutors(this.security.acls, who.name, getExecutors(this.view), this.frameworkInfoOf) });
      case 'GET_WEIGHTS':
        return answer({ type: 'GET_WEIGHTS', get_weights: getWeights(this.view) });
      case 'GET_QUOTA':
        return answer({ type: 'GET_QUOTA', get_quota: { status: viewQuota(this.security.acls, who.name, quotaStatus(this.context)) } });
      case 'TEARDOWN':
        return this.operatorTeardown(res, call.teardown.framework_id.value, who.name);
      case 'LIST_FILES': {
        const listed = listMasterFiles(call.list_files.path, this.options.externalLogFile);
        if (!listed.ok) return respondText(res, listed.status, listed.error);
        return answer({ type: 'LIST_FILES', list_files: { file_infos: listed.fileInfos } });
      }
      case 'READ_FILE': {
        const { path, offset, length } = call.read_file;
        const read = readMasterFile(path, offset, length, this.options.externalLogFile);
        if (!read.ok) return respondText(res, read.status, read.error);
        return answer({ type: 'READ_FILE', read_file: { size: read.size, data: read.data.toString('base64') } });
      }
      default: {
        const refusal = operatorRefusal(this.security.acls, call, who.name);
        if (refusal !== null) return respondText(res, 403, refusal);
        const event = operatorEvent(call, who.name);
        const request = `req-${++this.nextRequest}`;
        this.pending.set(request, res);
        this.deliver({ ...event, request });
        this.unanswered(request, call.type);
      }
    }
  }

  private operatorTeardown(res: ServerResponse, frameworkId: string, principal: string | undefined): void {
    const owner = this.context.frameworks[frameworkId]?.info.principal;
    if (!this.security.acls.allows('teardown_frameworks', principal, owner)) {
      return respondText(
        res,
        403,
        `Not authorized to tear down framework ${frameworkId}${owner === undefined ? '' : ` of principal '${owner}'`} ${principal === undefined ? 'without a principal' : `as principal '${principal}'`}`,
      );
    }
    const request = `req-${++this.nextRequest}`;
    this.pending.set(request, res);
    this.deliver({ type: 'OPERATOR_TEARDOWN', framework_id: frameworkId, request });
    this.unanswered(request, 'TEARDOWN');
  }

  private async v0Teardown(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const who = this.principal(req, res, 'readwrite');
    if (who === null) return;
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
    if (!body.ok) return respondText(res, body.status, body.error);
    const id = new URLSearchParams(body.text).get('frameworkId');
    if (!id) return respondText(res, 400, "Missing 'frameworkId' query parameter in the request body");
    this.operatorTeardown(res, id, who.name);
  }

  /** SUBSCRIBE: the initial state is what GET_STATE would show `principal` (view_* ACLs). */
  private operatorSubscribe(res: ServerResponse, recordio: boolean, protobuf: boolean, principal: string | undefined): void {
    const id = `op-${++this.nextSubscriber}`;
    const stream = new RecordIOResponse(res);
    stream.start(recordio ? { 'Content-Type': APPLICATION_RECORDIO, 'Message-Content-Type': APPLICATION_JSON } : protobuf ? { 'Content-Type': APPLICATION_PROTOBUF } : {});
    const encode = (text: string) => (protobuf ? encodeProtobuf('RawMasterEvent', JSON.parse(text) as object) : text);
    const heartbeat = encode(encodeMasterEvent({ type: 'HEARTBEAT' }));
    const initial = viewState(this.security.acls, principal, getState(this.view), this.frameworkInfoOf);
    stream.write(encode(encodeMasterEvent({ type: 'SUBSCRIBED', subscribed: { get_state: initial, heartbeat_interval_seconds: HEARTBEAT_SECONDS } })));
    stream.write(heartbeat);
    const timer = setInterval(() => stream.write(heartbeat), HEARTBEAT_SECONDS * 1000);
    timer.unref();
    this.subscribers.set(id, { stream, timer, protobuf });
    stream.onPeerClose(() => {
      clearInterval(timer);
      this.subscribers.delete(id);
    });
    // Beyond the maximum, the oldest subscriber is dropped (Mesos --max_operator_event_stream_subscribers).
    if (this.subscribers.size > MAX_OPERATOR_SUBSCRIBERS) {
      const [oldest, s] = this.subscribers.entries().next().value as [string, { stream: RecordIOResponse; timer: NodeJS.Timeout }];
      clearInterval(s.timer);
      s.stream.end();
      this.subscribers.delete(oldest);
    }
  }

  private publish(changes: readonly Change[], ctx: MasterContext): void {
    let events: OperatorEvent[];
    try {
      events = operatorEvents({ ctx, obs: this.obs, meta: this.meta }, changes);
    } catch (e) {
      this.log(`master: cannot build operator events: ${(e as Error).message}`);
      return;
    }
    const texts: string[] = [];
    for (const ev of events) {
      try {
        texts.push(encodeMasterEvent(ev));
      } catch (e) {
        this.log(`master: cannot render operator event ${ev.type}: ${(e as Error).message}`);
      }
    }
    let binary: Uint8Array[] | undefined;
    for (const s of this.subscribers.values()) {
      if (s.protobuf) binary ??= texts.map((t) => encodeProtobuf('RawMasterEvent', JSON.parse(t) as object));
      for (const [i, t] of texts.entries()) s.stream.write(s.protobuf ? binary![i]! : t);
    }
  }

  // ---------------------------------------------------------------------------------- agents

  /**
   * The agent link (docs/runtime-transport.md). With --authenticate_agents it takes the agent's
   * --credential. The connection's header value is `<id>.<secret>`: messages must present the
   * whole of it, so nobody speaks on another agent's connection by guessing its id.
   */
  private async agentConnect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await readBody(req);
    const who = this.principal(req, res, 'agent');
    if (who === null) return;
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
    if (!this.security.acls.allows('register_agents', who.name, undefined)) {
      return respondText(res, 403, `Not authorized to register agents ${who.name === undefined ? 'without a principal' : `as principal '${who.name}'`}`);
    }
    const id = `agent-conn-${++this.nextAgentConn}`;
    const secret = randomBytes(16).toString('hex');
    const stream = new RecordIOResponse(res);
    this.connections.set(id, { kind: 'agent', stream, closedByMaster: false, secret, ...(who.name !== undefined ? { principal: who.name } : {}) });
    stream.onPeerClose(() => this.linkBroken(id));
    stream.start({ 'Mesos-Agent-Connection': `${id}.${secret}` });
  }

  /** One message, or a batch of them (impl/http/agent-messages.ts), handled in the order sent. */
  private async agentMessage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST'], req.method);
    if (!body.ok) return respondText(res, body.status, body.error);
    const type = mediaTypeOf(req.headers);
    if (type !== undefined && type !== APPLICATION_JSON && type !== AGENT_MESSAGES_BATCH) {
      return respondText(res, 415, `Expecting 'Content-Type' of ${APPLICATION_JSON} or ${AGENT_MESSAGES_BATCH}`);
    }
    const presented = header(req.headers, 'mesos-agent-connection');
    if (presented === undefined) return respondText(res, 400, "Expecting 'Mesos-Agent-Connection' to be present");
    const dot = presented.indexOf('.');
    const id = dot < 0 ? presented : presented.slice(0, dot);
    const conn = this.connections.get(id);
    if (!conn || conn.kind !== 'agent' || !sameSecret(conn.secret ?? '', dot < 0 ? '' : presented.slice(dot + 1))) {
      this.counters.inc('dropped_messages');
      return respondText(res, 404, `Unknown agent connection '${id}'`);
    }
    const messages = parseAgentMessages(type === AGENT_MESSAGES_BATCH, body.text);
    if (!messages.ok) return respondText(res, 400, messages.error);
    // A traced agent names each message's trace id, in order; the master's trace records it on receipt.
    const ids = header(req.headers, MESSAGE_IDS_HEADER)?.split(',');
    if (ids !== undefined && ids.length !== messages.value.length) {
      return respondText(res, 400, `'${MESSAGE_IDS_HEADER}': expected ${messages.value.length} ids separated by commas, got ${ids.length}`);
    }
    for (const [i, m] of messages.value.entries()) {
      // A message of a batch may have closed the connection: the rest are dropped, as they would be one POST each (404).
      if (this.connections.get(id) !== conn) {
        this.counters.inc('dropped_messages');
        continue;
      }
      this.counters.message(m.type);
      // The principal is the connection's, never what the body claims (spec/world/authentication.ts does the same in the model).
      const { principal: _claimed, ...message } = m as typeof m & { principal?: unknown };
      this.deliver({ ...message, from: id, ...(conn.principal !== undefined ? { principal: conn.principal } : {}) }, ids?.[i] || undefined);
    }
    respondText(res, 202);
  }
}
