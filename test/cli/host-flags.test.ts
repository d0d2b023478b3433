/**
 * The address flags `mesos-ref master` and `mesos-ref agent` share (cli/host-flags.ts): each bad
 * value is refused naming its flag; good ones pass. The CLI exits 2 with that message.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostFlagsError } from '../../cli/host-flags.ts';

const good = { port: '5050', ip: '127.0.0.1' };

test('good addresses pass: any port from 0, IPv4 and IPv6, advertised ones', () => {
  assert.is(hostFlagsError(good), null);
  assert.is(hostFlagsError({ port: '0', ip: '::1', advertiseIp: '192.0.2.7', advertisePort: '6050', hostname: 'h' }), null);
});

for (const [flags, flag] of [
  [{ ...good, port: '65536' }, '--port'],
  [{ ...good, port: '50x' }, '--port'],
  [{ ...good, ip: 'localhost' }, '--ip'],
  [{ ...good, advertiseIp: 'example.org' }, '--advertise_ip'],
  [{ ...good, advertisePort: '0' }, '--advertise_port'],
] as const) {
  test(`${flag} ${JSON.stringify(flags)} is refused, naming ${flag}`, () => {
    assert.match(hostFlagsError(flags) ?? '', new RegExp(`^'${flag}': expected`));
  });
}

test('master and agent exit 2 with the message, before binding anything', () => {
  const bin = resolve(import.meta.dirname, '../../bin/mesos-ref.mjs');
  const master = spawnSync(process.execPath, [bin, 'master', '--ip', 'localhost'], { encoding: 'utf8', timeout: 20_000 });
  assert.is(master.status, 2, master.stderr);
  assert.match(master.stderr, "'--ip': expected an IP address, got 'localhost'");
  const agent = spawnSync(process.execPath, [bin, 'agent', '--master', 'http://127.0.0.1:5050', '--advertise_port', '70000'], { encoding: 'utf8', timeout: 20_000 });
  assert.is(agent.status, 2, agent.stderr);
  assert.match(agent.stderr, "'--advertise_port': expected a port number (1-65535), got '70000'");
});

test.run();
