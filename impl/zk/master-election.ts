/**
 * What a master does with ZooKeeper (`mesos-ref master --zk zk://host:port/path`): it enters the
 * election with its MasterInfo, tells whoever asks where the leader is (for 307 redirects), and
 * once elected recovers the registry from the ensemble and claims it. Losing the session or the
 * leadership is reported once, and the master aborts on it, as Mesos's does.
 */
import type { MasterInfo } from '../../spec/protocol/common.ts';
import { Candidacy } from './election.ts';
import type { Leader } from './detector.ts';
import { ZkRegistry } from './registry-store.ts';
import { ZkSession } from './session.ts';
import type { ZkUrl } from './url.ts';

export interface MasterZkOptions {
  readonly url: ZkUrl;
  /** Mesos's --zk_session_timeout (default 10 s). */
  readonly sessionTimeoutMs?: number;
  /** Mesos's --quorum: shown in the flags; the registry's replication is ZooKeeper's own here. */
  readonly quorum?: number;
}

export class MasterElection {
  private constructor(
    private readonly session: ZkSession,
    readonly candidacy: Candidacy,
    readonly options: MasterZkOptions,
  ) {}

  /** Connects and enters the election; rejects with a message naming the servers if ZooKeeper cannot be reached. */
  static async enter(options: MasterZkOptions, info: MasterInfo, log: (line: string) => void): Promise<MasterElection> {
    const session = await ZkSession.connect(options.url, { ...(options.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}) });
    try {
      const candidacy = await Candidacy.enter(session, options.url.path, info, log);
      return new MasterElection(session, candidacy, options);
    } catch (e) {
      session.close();
      throw e;
    }
  }

  /** The leading master as last seen (possibly this one). */
  get leader(): Leader | undefined {
    return this.candidacy.detector.leader;
  }

  /** Waits until elected, then recovers and claims the registry. */
  async lead<R>(parse: (text: string, where: string) => R, onWriteFailure: (error: Error) => void): Promise<{ store: ZkRegistry; registry: R | undefined }> {
    await this.candidacy.elected();
    return ZkRegistry.recover(this.session, this.options.url.path, parse, onWriteFailure);
  }

  onLost(handler: (why: string) => void): void {
    this.candidacy.onLost(handler);
  }

  /** Leaves the election (the session's close removes the candidacy node at once). */
  close(): void {
    this.candidacy.detector.stop();
    this.session.close();
  }
}
