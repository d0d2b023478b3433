/**
 * The master's LIST_FILES over HTTP (Master::Http::listFiles, Files::browse and
 * FilesProcess::resolve) and READ_FILE (FilesProcess::_read): `/master/log` is attached when the master has a log file
 * (--external_log_file); it is a file, which Mesos's browse lists as nothing; any path nothing
 * is attached at is 404 with a body naming it. The resolver itself (impl/http/files.ts) is
 * checked on an attached directory: entries under it, nothing outside it.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { postJson } from '../../impl/http/client.ts';
import { browse, readRange, resolveAttached } from '../../impl/http/files.ts';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { tempDir } from '../support/agent-process.ts';

const test = suite('master LIST_FILES and READ_FILE');

const dir = tempDir('mesos-ref-master-files-');
const logFile = join(dir, 'master.log');
let master: MasterServer | undefined;
let bare: MasterServer | undefined;

test.after(async () => {
  await master?.close();
  await bare?.close();
  rmSync(dir, { recursive: true, force: true });
});

const listFiles = async (m: MasterServer, path: string) => postJson(new URL('/api/v1', m.url), JSON.stringify({ type: 'LIST_FILES', list_files: { path } }));

test('/master/log is attached: a file, listed as nothing; paths under it, beside it and unknown are 404 naming them', async () => {
  writeFileSync(logFile, 'I1207 master started\n');
  master = await startMaster({ port: 0, externalLogFile: logFile, log: () => {} });
  const log = await listFiles(master, '/master/log');
  assert.is(log.status, 200, log.body);
  assert.equal(JSON.parse(log.body), { type: 'LIST_FILES', list_files: {} });
  for (const path of ['/master/log/x', '/master', '/nope']) {
    const r = await listFiles(master, path);
    assert.is(r.status, 404, path);
    assert.is(r.body, `No such file or directory attached to this master: '${path}'`);
  }
  const missing = await postJson(new URL('/api/v1', master.url), JSON.stringify({ type: 'LIST_FILES' }));
  assert.is(missing.status, 400);
  assert.match(missing.body, "Expecting 'list_files' to be present");
  const flags = await postJson(new URL('/api/v1', master.url), JSON.stringify({ type: 'GET_FLAGS' }));
  assert.ok(
    (JSON.parse(flags.body) as { get_flags: { flags: { name: string; value: string }[] } }).get_flags.flags.some((f) => f.name === 'external_log_file' && f.value === logFile),
  );
});

test('READ_FILE /master/log: the size and the bytes from an offset (Base64), at most length; past the end nothing; 404 and 400 as Mesos', async () => {
  const read = async (body: object) => postJson(new URL('/api/v1', master!.url), JSON.stringify({ type: 'READ_FILE', read_file: body }));
  const text = 'I1207 master started\n';
  const all = await read({ path: '/master/log', offset: 0 });
  assert.is(all.status, 200, all.body);
  assert.equal(JSON.parse(all.body), { type: 'READ_FILE', read_file: { size: text.length, data: Buffer.from(text).toString('base64') } });
  const part = JSON.parse((await read({ path: '/master/log', offset: 6, length: 6 })).body) as { read_file: { size: number; data: string } };
  assert.equal([part.read_file.size, Buffer.from(part.read_file.data, 'base64').toString()], [text.length, 'master']);
  const past = JSON.parse((await read({ path: '/master/log', offset: 1000 })).body) as { read_file: { size: number; data: string } };
  assert.equal(past.read_file, { size: text.length, data: '' });
  const unknown = await read({ path: '/master/nothing', offset: 0 });
  assert.equal([unknown.status, unknown.body], [404, "No such file or directory attached to this master: '/master/nothing'"]);
  const noOffset = await read({ path: '/master/log' });
  assert.is(noOffset.status, 400);
});

test('a master without a log file attaches nothing', async () => {
  bare = await startMaster({ port: 0, log: () => {} });
  const r = await listFiles(bare, '/master/log');
  assert.is(r.status, 404);
  assert.is(r.body, "No such file or directory attached to this master: '/master/log'");
});

test('an attached directory: its entries as FileInfo under the virtual path; nothing outside it, through .. or a symlink', () => {
  const root = join(dir, 'attached');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'abc');
  writeFileSync(join(dir, 'secret'), 'no');
  symlinkSync(join(dir, 'secret'), join(root, 'escape'));
  const attached = new Map([['/files', root]]);
  const resolved = resolveAttached('/files/', attached)!;
  const listed = browse(resolved, '/files/');
  assert.equal(
    listed.map((f) => f.path),
    ['/files/a.txt', '/files/escape', '/files/sub'],
  );
  assert.is(listed[0]!.size, 3);
  assert.ok(resolveAttached('/files/sub', attached)!.endsWith('/attached/sub'));
  assert.is(resolveAttached('/files/../secret', attached), undefined);
  assert.is(resolveAttached('/files/escape', attached), undefined);
  assert.is(resolveAttached('/files/none', attached), undefined);
  assert.is(resolveAttached('/other', attached), undefined);
  assert.equal(readRange(resolved, 0, undefined), { ok: false, status: 400, error: 'Cannot read a directory.\n' });
});

test.run();
