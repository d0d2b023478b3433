/**
 * A master's candidacy, as Mesos's ZooKeeperMasterContender enters it: an ephemeral sequential
 * node `json.info_<sequence>` under the `--zk` path holding the master's MasterInfo as JSON (so
 * Mesos's own detectors and mesos-go's find our leader). The master leads while its node has the
 * lowest sequence; it has lost when the session expires or another node leads after it led, and
 * then it must abort, as Mesos's master does: another master may already be acting on the registry.
 */
import type { MasterInfo } from '../../spec/protocol/common.ts';
import { INFO_LABEL, LeaderDetector } from './detector.ts';
import type { ZkSession } from './session.ts';

export class Candidacy {
  private leading = false;
  private lostHandlers: ((why: string) => void)[] = [];
  private lostWhy: string | undefined;

  private constructor(
    readonly detector: LeaderDetector,
    /** The candidacy node's name, e.g. `json.info_0000000004`. */
    readonly node: string,
  ) {}

  /** Enters the election with `info`; resolves once the node exists and the detector had its first look. */
  static async enter(session: ZkSession, path: string, info: MasterInfo, log: (line: string) => void = () => {}): Promise<Candidacy> {
    await session.mkdirp(path);
    const created = await session.createEphemeralSequential(`${path}/${INFO_LABEL}`, Buffer.from(JSON.stringify(info)));
    const detector = await LeaderDetector.start(session, path, log);
    const c = new Candidacy(detector, created.slice(created.lastIndexOf('/') + 1));
    session.onExpired(() => c.lose(`the ZooKeeper session expired (timeout ${session.timeoutMs} ms)`));
    detector.on('change', (leader) => {
      if (c.leading && leader?.node !== c.node) c.lose(leader ? `${leader.node} (${leader.url}) leads now` : 'no master leads now: our candidacy is gone');
    });
    return c;
  }

  get isLeading(): boolean {
    return this.leading && this.lostWhy === undefined;
  }

  /** Resolves when this candidacy leads; rejects if it is lost first. */
  elected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.lostWhy !== undefined) return reject(new Error(this.lostWhy));
      const check = () => {
        if (this.detector.leader?.node !== this.node) return false;
        this.detector.off('change', check);
        this.leading = true;
        resolve();
        return true;
      };
      if (check()) return;
      this.detector.on('change', check);
      this.onLost((why) => {
        this.detector.off('change', check);
        reject(new Error(why));
      });
    });
  }

  /** Called once when the candidacy (led or not) is lost. */
  onLost(handler: (why: string) => void): void {
    if (this.lostWhy !== undefined) handler(this.lostWhy);
    else this.lostHandlers.push(handler);
  }

  private lose(why: string): void {
    if (this.lostWhy !== undefined) return;
    this.lostWhy = why;
    this.detector.stop();
    for (const h of this.lostHandlers) h(why);
    this.lostHandlers = [];
  }
}
