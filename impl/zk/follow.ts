/**
 * The client side of `--master zk://host:port/path` (agents, `mesos-ref run`): a ZooKeeper
 * session and a leader detector, as Mesos's agents and scheduler drivers use. Waits (bounded)
 * for a first leader so a client does not start against nobody.
 *
 * A client's own session may expire (ZooKeeper unreachable for longer than the session timeout,
 * or restarted without its data): its watches are gone with it, so it would never hear of a new
 * leader. As Mesos's detector does, the follower then opens a new session and starts detecting
 * again (retrying while ZooKeeper cannot be reached); the leader last seen stays current until
 * the new session has looked, since losing our session says nothing about the masters'.
 */
import { KnownLeader, LeaderDetector, type Leader } from './detector.ts';
import { ZkSession } from './session.ts';
import type { ZkUrl } from './url.ts';

export interface FollowOptions {
  /** The session timeout asked of ZooKeeper (default 10 s, Mesos's --zk_session_timeout). */
  readonly sessionTimeoutMs?: number;
  /** The wait between attempts to open a new session after ours expired (default 1 s). */
  readonly retryMs?: number;
}

/** The leader as seen through whichever session is current: what the agent's link and the scheduler client follow. */
class FollowedLeader extends KnownLeader {
  /** What a detector saw: reported when it differs from what was seen. */
  see(leader: Leader | undefined): void {
    if (leader?.node === this.known?.node && leader?.url === this.known?.url) return;
    this.known = leader;
    this.emit('change', leader);
  }
}

export interface MasterFollower {
  readonly detector: FollowedLeader;
  /** Sessions opened so far (1 until the first one expires). */
  readonly sessions: number;
  /** The session detection runs on now (none while a new one is being opened). */
  readonly session: ZkSession | undefined;
  close(): void;
}

export async function followMaster(url: ZkUrl, log: (line: string) => void = () => {}, options: FollowOptions = {}): Promise<MasterFollower> {
  const leader = new FollowedLeader();
  let closed = false;
  let sessions = 0;
  let current: { session: ZkSession; detector: LeaderDetector } | undefined;
  const sessionOptions = options.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.sessionTimeoutMs } : {};

  /** Opens a session and a detector on it; a session's expiry starts over on a new one. */
  const open = async (): Promise<void> => {
    const session = await ZkSession.connect(url, sessionOptions);
    try {
      const detector = await LeaderDetector.start(session, url.path, log);
      if (closed) throw new Error('closed');
      sessions++;
      current = { session, detector };
      detector.on('change', (l) => leader.see(l));
      leader.see(detector.leader);
      session.onExpired(() => {
        detector.stop();
        session.close();
        if (current?.session === session) current = undefined;
        if (closed) return;
        log(`the ZooKeeper session to ${url.servers} expired; following the leader on a new session`);
        reopen().catch((e: Error) => log(`leader detection stopped: ${e.message}`));
      });
    } catch (e) {
      session.close();
      throw e;
    }
  };
  const reopen = async (): Promise<void> => {
    while (!closed) {
      try {
        await open();
        log(`a new ZooKeeper session to ${url.servers}: the leader is ${leader.current() ?? 'not known yet'}`);
        return;
      } catch (e) {
        if (closed) return;
        log(`cannot open a new ZooKeeper session to ${url.servers}: ${(e as Error).message}; retrying`);
        await new Promise((r) => setTimeout(r, options.retryMs ?? 1000).unref());
      }
    }
  };

  await open();
  return {
    detector: leader,
    get sessions() {
      return sessions;
    },
    get session() {
      return current?.session;
    },
    close: () => {
      closed = true;
      current?.detector.stop();
      current?.session.close();
      current = undefined;
    },
  };
}
