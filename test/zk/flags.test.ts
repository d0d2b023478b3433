/**
 * Bad --zk / --master zk:// values and --quorum / --zk_session_timeout are refused with the flag
 * named, before anything starts; good ones parse as Mesos's zookeeper::URL does. A missing
 * ZooKeeper names the apt-get command that installs it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { masterZk } from '../../cli/master.ts';
import { parseZkUrl } from '../../impl/zk/url.ts';
import { startZooKeeper, ZooKeeperMissing } from '../../impl/zk/server.ts';

const base = { port: '0', ip: '127.0.0.1', logLevel: 'info', authorizers: 'local' };

test('zk:// URLs: hosts, path, credentials', () => {
  assert.equal(parseZkUrl('zk://127.0.0.1:2181/mesos'), { ok: true, url: { servers: '127.0.0.1:2181', path: '/mesos' } });
  assert.equal(parseZkUrl('zk://u:p@a:1,b:2/x/y/'), { ok: true, url: { servers: 'a:1,b:2', path: '/x/y', auth: 'u:p' } });
  for (const bad of ['http://a:1/mesos', 'zk://a:1', 'zk://a/mesos', 'zk://a:99999/mesos', 'zk://a:1/', 'zk://a:1/x//y']) {
    const r = parseZkUrl(bad);
    assert.is(r.ok, false, bad);
    if (!r.ok) assert.match(r.error, /expected zk:\/\/host:port/);
  }
});

test('--zk needs --quorum; bad values name their flag', () => {
  assert.is(masterZk({ ...base }), undefined);
  const err = (flags: Record<string, string>) => {
    try {
      masterZk({ ...base, ...flags });
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  assert.match(err({ zk: 'zk://a:1/mesos' }), /^--quorum: required with --zk/);
  assert.match(err({ zk: 'zk://a:1/mesos', quorum: '0' }), /^--quorum: expected a positive integer/);
  assert.match(err({ zk: 'zk://a/mesos', quorum: '2' }), /^--zk: expected zk:\/\//);
  assert.match(err({ zk: 'zk://a:1/mesos', quorum: '2', zkSessionTimeout: 'soon' }), /^--zk_session_timeout: expected a positive duration/);
  assert.match(err({ quorum: '2' }), /only meaningful with --zk/);
  assert.equal(masterZk({ ...base, zk: 'zk://a:1/mesos', quorum: '2', zkSessionTimeout: '3secs' }), { url: { servers: 'a:1', path: '/mesos' }, sessionTimeoutMs: 3000, quorum: 2 });
});

test('without the zookeeper jar, the error names the apt-get command', async () => {
  try {
    await startZooKeeper({ dataDir: '/nonexistent/never-created', jar: '/nonexistent/zookeeper.jar' });
    assert.unreachable('started without a jar');
  } catch (e) {
    assert.instance(e, ZooKeeperMissing);
    assert.match((e as Error).message, /apt-get install -y zookeeperd/);
  }
});

test.run();
