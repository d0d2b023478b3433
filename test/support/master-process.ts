/**
 * `mesos-ref master --zk ...` as a process (tests and bench of highly available masters): on a
 * free port, its log in `dir`, resolved once it listens (it may not lead).
 */
import { join } from 'node:path';
import { Child } from '../../impl/process/children.ts';
import { mesosRefArgv } from '../../impl/process/proc.ts';

export interface MasterProcess {
  readonly child: Child;
  readonly url: string;
}

let count = 0;

export async function startZkMasterProcess(zkUrl: string, dir: string, sessionTimeout = '2secs'): Promise<MasterProcess> {
  const n = ++count;
  const child = new Child(
    `master-${n}`,
    [...mesosRefArgv(), 'master', '--port', '0', '--zk', zkUrl, '--quorum', '2', '--zk_session_timeout', sessionTimeout, '--log_level', 'warning'],
    {
      logFile: join(dir, `master-${n}.log`),
      detached: false,
    },
  );
  const m = await child.waitForLine(/listening on (http:\S+)/, 20_000);
  return { child, url: m[1]! };
}
