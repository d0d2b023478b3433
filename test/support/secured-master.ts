/**
 * An in-process master with credentials and ACLs, and what the authorization tests do against it
 * at the wire: register a raw agent (enough for offers and RUN_TASK), subscribe a framework as a
 * principal and collect its events, call the scheduler API on that subscription. Streams and
 * masters are closed by `closeAll` (each test file's `after`).
 */
import type { Acls } from '../../impl/http/acls.ts';
import { basicAuthorization, type Credential } from '../../impl/http/auth.ts';
import { openRecordIO, postJson, type RecordIOStream } from '../../impl/http/client.ts';
import { startMaster, type MasterServer, type MasterSecurity } from '../../impl/master/server.ts';
import { eventually } from './eventually.ts';

/** The principals the authorization tests share, each with its own secret. */
export const alice: Credential = { principal: 'alice', secret: 's1' };
export const bob: Credential = { principal: 'bob', secret: 's2' };
export const ops: Credential = { principal: 'ops', secret: 's3' };
export const mallory: Credential = { principal: 'mallory', secret: 's4' };

export const cpus = (n: number) => [{ name: 'cpus', type: 'SCALAR', scalar: { value: n } }];

const servers: MasterServer[] = [];
const streams: RecordIOStream[] = [];

/** A stream the test opened itself, closed with the rest by `closeAll`. */
export function closeLater(s: RecordIOStream): void {
  streams.push(s);
}

/** Closes every stream and master this module opened. */
export async function closeAll(): Promise<void> {
  for (const s of streams.splice(0)) s.close();
  for (const m of servers.splice(0)) await m.close();
}

/** A master on a free loopback port: frameworks authenticate, agents and operators as `security` says. */
export async function securedMaster(acls: Acls, security: Partial<MasterSecurity> = {}): Promise<MasterServer> {
  const m = await startMaster({
    port: 0,
    log: () => {},
    flags: { allocationIntervalMs: 50 },
    security: {
      credentials: [alice, bob, ops, mallory],
      acls,
      authenticateFrameworks: true,
      authenticateAgents: false,
      authenticateHttpReadonly: false,
      authenticateHttpReadwrite: false,
      ...security,
    },
  });
  servers.push(m);
  return m;
}

/** A raw agent connection registered with one cpu: what the master sends it is in `seen`. */
export async function rawAgent(m: MasterServer): Promise<{ seen: { type: string; task?: { task_id: { value: string } } }[] }> {
  const seen: { type: string; task?: { task_id: { value: string } } }[] = [];
  const link = await openRecordIO(`${m.url}/internal/agent/connect`, '', {}, { onRecord: (t) => seen.push(JSON.parse(t)), onEnd: () => {} });
  streams.push(link);
  const info = { hostname: 'host-0', port: 5051, resources: cpus(1) };
  await postJson(
    `${m.url}/internal/agent/message`,
    JSON.stringify({ type: 'REGISTER_AGENT', agent_info: info, version: '1.11.0' }),
    { 'Mesos-Agent-Connection': String(link.headers['mesos-agent-connection']) },
    10_000,
  );
  return { seen };
}

export interface FrameworkEvent {
  type: string;
  subscribed?: { framework_id: { value: string } };
  offers?: { offers: { id: { value: string }; agent_id: { value: string } }[] };
  update?: { status: { task_id: { value: string }; state: string; reason?: string; message?: string } };
  error?: { message: string };
}

/** A scheduler subscription opened as `who`: its events, and calls on its stream. */
export class Subscription {
  private constructor(
    private readonly m: MasterServer,
    private readonly who: Credential,
    private readonly stream: RecordIOStream,
    readonly events: FrameworkEvent[],
  ) {}

  /** SUBSCRIBE as `who` (with `frameworkId`: a resubscription, which may be refused with ERROR). */
  static async open(m: MasterServer, who: Credential, frameworkId?: string): Promise<Subscription> {
    const events: FrameworkEvent[] = [];
    const info = { user: 'a', name: 'alice-fw', ...(frameworkId ? { id: { value: frameworkId } } : {}) };
    const call = { type: 'SUBSCRIBE', ...(frameworkId ? { framework_id: { value: frameworkId } } : {}), subscribe: { framework_info: info } };
    const s = await openRecordIO(`${m.url}/api/v1/scheduler`, JSON.stringify(call), basicAuthorization(who), { onRecord: (t) => events.push(JSON.parse(t)), onEnd: () => {} });
    streams.push(s);
    return new Subscription(m, who, s, events);
  }

  /** The framework id SUBSCRIBED gave. */
  frameworkId(): Promise<string> {
    return eventually(() => this.events.find((e) => e.type === 'SUBSCRIBED')?.subscribed?.framework_id.value, 5000, 'SUBSCRIBED');
  }

  /** The first offer. */
  offer(): Promise<{ id: { value: string }; agent_id: { value: string } }> {
    return eventually(() => this.events.find((e) => e.type === 'OFFERS')?.offers?.offers[0], 5000, 'an offer');
  }

  /** A scheduler call on this subscription's stream, as `as` (default: who subscribed). */
  call(body: Record<string, unknown>, as: Credential = this.who): Promise<{ status: number; body: string }> {
    return postJson(
      `${this.m.url}/api/v1/scheduler`,
      JSON.stringify(body),
      { 'Mesos-Stream-Id': String(this.stream.headers['mesos-stream-id']), ...basicAuthorization(as) },
      10_000,
    );
  }
}

/**
 * A master on a free loopback port that authenticates nobody and authorizes by `acls`: every
 * caller is one without a principal (the ACL tests of operator calls). The caller closes it.
 */
export function aclOnlyMaster(acls: Acls): Promise<MasterServer> {
  return startMaster({
    port: 0,
    log: () => {},
    security: { credentials: [], authenticateFrameworks: false, authenticateAgents: false, authenticateHttpReadonly: false, authenticateHttpReadwrite: false, acls },
  });
}
