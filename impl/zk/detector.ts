/**
 * Leader detection, as Mesos's ZooKeeperMasterDetector does it: the masters' candidacies are the
 * children of the `--zk` path named `json.info_<sequence>` (ephemeral sequential znodes holding
 * the MasterInfo as JSON); the one with the lowest sequence leads. Agents, schedulers and the
 * masters themselves watch the children and follow the leader as it changes.
 */
import { EventEmitter } from 'node:events';
import type { MasterInfo } from '../../spec/protocol/common.ts';
import type { ZkSession } from './session.ts';

/** The label Mesos's masters give their candidacy nodes (ZooKeeper appends the sequence). */
export const INFO_LABEL = 'json.info_';

export interface Leader {
  /** The candidacy node's name, e.g. `json.info_0000000003`. */
  readonly node: string;
  readonly info: MasterInfo;
  /** Where its HTTP APIs are: `http://ip:port`. */
  readonly url: string;
}

/** The leading candidacy among a path's children: the lowest sequence (other children, such as the registry, are not candidacies). */
export function leaderNode(children: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const c of children) {
    if (!c.startsWith(INFO_LABEL) || !/^\d+$/.test(c.slice(INFO_LABEL.length))) continue;
    if (best === undefined || Number(c.slice(INFO_LABEL.length)) < Number(best.slice(INFO_LABEL.length))) best = c;
  }
  return best;
}

/** A master's HTTP URL from its MasterInfo (address first, as Mesos's clients read it). */
function masterInfoUrl(info: MasterInfo): string {
  const host = info.address?.ip ?? info.address?.hostname ?? info.hostname ?? '127.0.0.1';
  const port = info.address?.port ?? info.port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Something that knows where the leading master is now: a detector, or a fixed URL. */
export interface MasterLocator {
  /** The leader's URL, or undefined while none is known. */
  current(): string | undefined;
  /** Called whenever the leader changes (also to none). */
  onChange(listener: (url: string | undefined) => void): void;
}

/**
 * The leader as last known, and the MasterLocator surface over it: shared by the detector (which
 * learns it from its ZooKeeper watch) and the follower (which carries it across sessions).
 */
export abstract class KnownLeader extends EventEmitter<{ change: [Leader | undefined] }> implements MasterLocator {
  protected known: Leader | undefined;

  get leader(): Leader | undefined {
    return this.known;
  }

  current(): string | undefined {
    return this.known?.url;
  }

  onChange(listener: (url: string | undefined) => void): void {
    this.on('change', (l) => listener(l?.url));
  }

  /** Resolves with the leader once there is one (at once if there is). */
  waitForLeader(): Promise<Leader> {
    if (this.known) return Promise.resolve(this.known);
    return new Promise((resolve) => {
      const on = (l: Leader | undefined) => {
        if (!l) return;
        this.off('change', on);
        resolve(l);
      };
      this.on('change', on);
    });
  }
}

export class LeaderDetector extends KnownLeader {
  private stopped = false;
  private refreshing: Promise<void> | undefined;
  private again = false;

  private constructor(
    private readonly session: ZkSession,
    readonly path: string,
    private readonly log: (line: string) => void,
  ) {
    super();
  }

  /** Starts watching `path` (created if absent); resolves after the first look. */
  static async start(session: ZkSession, path: string, log: (line: string) => void = () => {}): Promise<LeaderDetector> {
    await session.mkdirp(path);
    const d = new LeaderDetector(session, path, log);
    await d.refresh();
    return d;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Re-reads the children (and the leader's data); watches fire it again. One at a time, coalesced. */
  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.look().catch((e: Error) => {
          this.log(`leader detection on ${this.path}: ${e.message}`);
          // A transient failure (connection loss): look again shortly, unless stopped.
          if (!this.stopped) setTimeout(() => this.poke(), 500).unref();
        });
      } while (this.again && !this.stopped);
      this.refreshing = undefined;
    })();
    return this.refreshing;
  }

  /** A watch fired: look again (refresh reports its own failures). */
  private poke(): void {
    this.refresh().catch((e: Error) => this.log(`leader detection on ${this.path}: ${e.message}`));
  }

  private async look(): Promise<void> {
    if (this.stopped) return;
    const children = await this.session.children(this.path, () => this.poke());
    const node = leaderNode(children);
    let next: Leader | undefined;
    if (node !== undefined) {
      if (node === this.known?.node) return;
      try {
        const { data } = await this.session.data(`${this.path}/${node}`);
        const info = JSON.parse(data.toString('utf8')) as MasterInfo;
        next = { node, info, url: masterInfoUrl(info) };
      } catch (e) {
        // Gone between the two reads (its children watch fires), or not a MasterInfo: no leader from it.
        this.log(`leader detection: cannot read ${this.path}/${node}: ${(e as Error).message}`);
      }
    }
    if (this.stopped || next?.node === this.known?.node) return;
    this.known = next;
    this.emit('change', next);
  }
}

/** A fixed master URL or a locator, as the agent's link and the scheduler client take `master`. */
export const currentMaster = (master: string | MasterLocator): string | undefined => (typeof master === 'string' ? master : master.current());
