/**
 * The client side of `--master zk://host:port/path` (agents, `mesos-ref run`): a ZooKeeper
 * session and a leader detector, as Mesos's agents and scheduler drivers use. Waits (bounded)
 * for a first leader so a client does not start against nobody.
 */
import { LeaderDetector } from './detector.ts';
import { ZkSession } from './session.ts';
import type { ZkUrl } from './url.ts';

export interface MasterFollower {
  readonly detector: LeaderDetector;
  close(): void;
}

export async function followMaster(url: ZkUrl, log: (line: string) => void = () => {}): Promise<MasterFollower> {
  const session = await ZkSession.connect(url);
  try {
    const detector = await LeaderDetector.start(session, url.path, log);
    // A client's session expiring loses its watches: start over on a new one.
    session.onExpired(() => log(`the ZooKeeper session to ${url.servers} expired; leader detection stops`));
    return {
      detector,
      close: () => {
        detector.stop();
        session.close();
      },
    };
  } catch (e) {
    session.close();
    throw e;
  }
}
